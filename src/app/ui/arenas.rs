//! The central view: every arena's grid side by side, with the agent, its trail and the value/policy overlay.

use bevy_egui::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui,
    Vec2,
};

use super::shown::Shown;
use super::{charts, palette};
use crate::app::capture::ArenaRects;
use crate::app::command::{AppCommand, ViewCommand};
use crate::app::edit::Editing;
use crate::brain::{
    AttentionInsight, Direction, Insight, MemoryInsight, PlanningInsight, ReplayInsight, ValueMap,
};
use crate::command::Command;
use crate::edit::Tile;
use crate::experiment::ArenaView;
use crate::world::{Action, Cell, Colour};

/// Height of an arena's title line, in points.
const TITLE_HEIGHT: f32 = 44.0;
/// Height of the colour bar under a value overlay.
const LEGEND_HEIGHT: f32 = 26.0;
/// Space between arenas.
const GAP: f32 = 18.0;
/// The width an arena's column needs for its title line ("episode 1234 · step 56 · goal 20/20")
/// at full size; a narrower column draws its title smaller, down to [`MIN_TITLE_SCALE`].
const FULL_TITLE_WIDTH: f32 = 250.0;
/// The smallest a title is drawn, as a share of its full size: a cramped stage (a projector at
/// 1024 x 768, or zoomed) gives its width to the mazes rather than to their titles.
const MIN_TITLE_SCALE: f32 = 0.55;
/// The largest cell drawn, in points: a lone small map does not become a wall of colour.
const MAX_CELL: f32 = 110.0;

/// How the arenas share the central area: columns (rows wrap), the cell size in points, and the
/// scale of the titles above the maps.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Layout {
    columns: usize,
    cell: f32,
    title_scale: f32,
}

/// Picks the number of columns that gives the largest cells. Titles shrink with their column
/// (to [`MIN_TITLE_SCALE`]) so that on a small stage three mazes side by side win over three
/// stamps stacked under full-size titles; `legend` reserves room for a colour bar under each map.
fn layout(available: Vec2, arenas: usize, (width, height): (usize, usize), legend: bool) -> Layout {
    let legend_height = if legend { LEGEND_HEIGHT } else { 0.0 };
    let mut best = Layout {
        columns: 1,
        cell: 0.0,
        title_scale: 1.0,
    };
    for columns in 1..=arenas.max(1) {
        let rows = arenas.div_ceil(columns);
        let column_width = (available.x - GAP * (columns as f32 - 1.0)) / columns as f32;
        let title_scale = (column_width / FULL_TITLE_WIDTH).min(1.0);
        if columns > 1 && title_scale < MIN_TITLE_SCALE {
            break;
        }
        let cell_w = column_width / width as f32;
        let overhead = TITLE_HEIGHT * title_scale + legend_height + GAP;
        let cell_h = (available.y - overhead * rows as f32) / (rows * height) as f32;
        let cell = cell_w.min(cell_h).min(MAX_CELL);
        if cell > best.cell {
            best = Layout {
                columns,
                cell,
                title_scale: title_scale.max(MIN_TITLE_SCALE),
            };
        }
    }
    best
}

/// Draws every arena from the latest frame; a click on one selects it, a drag of its agent
/// moves the agent, and in edit mode the mouse paints the map (right button: floor).
pub fn show(
    ui: &mut Ui,
    shown: &Shown,
    editing: &mut Editing,
    rects: &mut ArenaRects,
    commands: &mut Vec<AppCommand>,
) {
    let (arenas, overlays) = (&shown.frame.arenas, shown.overlays);
    let pixels = ui.ctx().pixels_per_point();
    rects.0.clear();
    let Some(first) = arenas.first() else {
        return;
    };
    let (width, height) = (first.world.width(), first.world.height());
    let area = ui.available_rect_before_wrap();
    let Layout {
        columns,
        cell,
        title_scale,
    } = layout(area.size(), arenas.len(), (width, height), overlays.values);
    let title_height = TITLE_HEIGHT * title_scale;
    let legend_height = if overlays.values { LEGEND_HEIGHT } else { 0.0 };
    let grid_size = Vec2::new(cell * width as f32, cell * height as f32);
    let block = Vec2::new(
        grid_size
            .x
            .max((FULL_TITLE_WIDTH * title_scale).min(area.width())),
        title_height + grid_size.y + legend_height,
    );
    let rows = arenas.len().div_ceil(columns);
    let used = Vec2::new(
        block.x * columns as f32 + GAP * (columns as f32 - 1.0),
        block.y * rows as f32 + GAP * (rows as f32 - 1.0),
    );
    // On whole points: a side panel a fraction of a point wider for a frame does not shimmer the
    // maps.
    let origin = (area.center() - used / 2.0).round();
    let mut clicked = None;
    let no_insight = Insight::default();
    // The agent can be caught only when it stands still enough: paused, or every step drawn.
    let frame = shown.frame;
    let still = !frame.playing
        || matches!(frame.speed(), crate::stepping::Speed::PerSecond(rate) if rate <= 30);
    for (i, arena) in arenas.iter().enumerate() {
        let (col, row) = (i % columns, i / columns);
        let top_left =
            origin + Vec2::new(col as f32 * (block.x + GAP), row as f32 * (block.y + GAP));
        let block_rect = Rect::from_min_size(top_left, block);
        let physical = block_rect.expand(4.0);
        rects.0.push([
            (physical.left() * pixels).max(0.0) as u32,
            (physical.top() * pixels).max(0.0) as u32,
            (physical.width() * pixels) as u32,
            (physical.height() * pixels) as u32,
        ]);
        // A map narrower than its title is centred under it.
        let inset = (block.x - grid_size.x) / 2.0;
        let grid_rect = Rect::from_min_size(top_left + Vec2::new(inset, title_height), grid_size);
        let response = ui.interact(
            block_rect,
            ui.id().with(("arena", i)),
            Sense::click_and_drag(),
        );
        if response.clicked() || response.drag_started() {
            clicked = Some(i);
        }
        let to_cell = |p: Pos2| {
            grid_rect.contains(p).then(|| {
                let x = (((p.x - grid_rect.left()) / cell) as usize).min(width - 1);
                let y = (((p.y - grid_rect.top()) / cell) as usize).min(height - 1);
                (x as u32, y as u32)
            })
        };
        let pointer_cell = response
            .interact_pointer_pos()
            .or(response.hover_pos())
            .and_then(to_cell);
        let selected = i == shown.selected;
        draw_title(ui, arena, block_rect, selected, title_scale);
        let insight = arena.insight.as_ref().unwrap_or(&no_insight);
        let values = insight.values.as_ref().filter(|_| overlays.values);
        let range = values.and_then(value_range);
        draw_grid(ui, i, arena, grid_rect, cell, values, range);
        if overlays.trail {
            draw_trail(ui, arena, grid_rect, cell);
        }
        if let Some(attention) = insight.attention() {
            draw_attention(ui, arena, grid_rect, cell, attention);
        }
        if selected && let Some(memory) = insight.memory() {
            draw_recalled_memories(ui, arena, grid_rect, cell, memory);
        }
        if let Some(planning) = insight.planning() {
            draw_imagination(ui, arena, grid_rect, cell, planning, selected);
        }
        if let Some(replay) = insight.replay() {
            draw_replay(ui, arena, grid_rect, cell, replay);
        }
        draw_pool(ui, arena, grid_rect, cell);
        draw_trial(ui, arena, grid_rect, cell);
        draw_agent(ui, arena, grid_rect, cell);
        interact(
            ui,
            i,
            arena,
            &response,
            &to_cell,
            editing,
            commands,
            (still, frame.next_stroke),
        );
        if editing.on
            && let Some((x, y)) = pointer_cell
        {
            let rect = cell_rect(grid_rect, cell, width, y as usize * width + x as usize);
            ui.painter().rect_stroke(
                rect,
                CornerRadius::ZERO,
                Stroke::new(2.0, palette::SELECTED),
                StrokeKind::Inside,
            );
        }
        if editing.dragging_agent == Some(i)
            && let Some(pointer) = ui.input(|input| input.pointer.latest_pos())
        {
            ui.painter().circle_stroke(
                pointer,
                (cell * 0.3).max(3.0),
                Stroke::new(2.5, palette::AGENT),
            );
        }
        let frame_colour = if selected {
            palette::SELECTED
        } else if palette::high_contrast(ui) {
            Color32::from_gray(200)
        } else {
            Color32::from_gray(70)
        };
        ui.painter().rect_stroke(
            grid_rect.expand(2.0),
            CornerRadius::same(2),
            Stroke::new(if selected { 3.0 } else { 1.0 }, frame_colour),
            StrokeKind::Outside,
        );
        if let Some(range) = range {
            let legend = Rect::from_min_size(
                grid_rect.left_bottom() + Vec2::new(0.0, 6.0),
                Vec2::new(grid_rect.width(), LEGEND_HEIGHT - 8.0),
            );
            draw_value_legend(ui, legend, range);
            if let Some(values) = values {
                ui.interact(legend, ui.id().with(("legend", i)), Sense::hover())
                    .on_hover_text(format!("Colour: {} in each cell", values.meaning));
            }
        }
        if let Some((x, y)) = pointer_cell.filter(|_| !editing.on && !response.dragged()) {
            let index = y as usize * width + x as usize;
            response.on_hover_ui_at_pointer(|ui| {
                cell_tooltip(ui, arena, index, insight.values.as_ref());
            });
        }
    }
    if let Some(i) = clicked.filter(|&i| i != shown.selected) {
        commands.push(ViewCommand::Select(i).into());
    }
    // A stroke ends when the buttons are up.
    if !ui.input(|input| input.pointer.any_down()) {
        editing.stroke = None;
    }
}

/// The mouse on arena `i`: a press on the agent drags it (dropped on another cell, it moves there:
/// a command) when the agent is `still`; otherwise, in edit mode, the left button paints the
/// palette's tile and the right one floor. `to_cell` maps a point to the arena's cell.
#[allow(clippy::too_many_arguments)]
fn interact(
    ui: &Ui,
    i: usize,
    arena: &ArenaView,
    response: &egui::Response,
    to_cell: &dyn Fn(Pos2) -> Option<(u32, u32)>,
    editing: &mut Editing,
    commands: &mut Vec<AppCommand>,
    (still, next_stroke): (bool, u64),
) {
    let width = arena.world.width();
    let agent = arena.world.agent();
    let (origin, latest, down, primary, secondary) = ui.input(|input| {
        let pointer = &input.pointer;
        (
            pointer.press_origin(),
            pointer.latest_pos(),
            pointer.any_down(),
            pointer.button_down(egui::PointerButton::Primary),
            pointer.button_down(egui::PointerButton::Secondary),
        )
    });
    let pressed_here = response.is_pointer_button_down_on();
    let origin_cell = origin.and_then(to_cell);
    if pressed_here
        && primary
        && still
        && editing.dragging_agent.is_none()
        && editing.stroke.is_none()
        && origin_cell.is_some_and(|(x, y)| y as usize * width + x as usize == agent)
    {
        editing.dragging_agent = Some(i);
    }
    if editing.dragging_agent == Some(i) {
        if !down {
            editing.dragging_agent = None;
            let dropped = latest.and_then(to_cell);
            if let Some((x, y)) = dropped.filter(|&(x, y)| y as usize * width + x as usize != agent)
            {
                // The agent dragged is this arena's: the others stay where they are, whatever
                // the painting reach.
                commands.push(
                    Command::PlaceAgent {
                        reach: crate::edit::Reach::Arena(i),
                        x,
                        y,
                    }
                    .into(),
                );
            }
        }
        return;
    }
    // A quick click can press and release within one frame: it paints too.
    let erase_click = response.clicked_by(egui::PointerButton::Secondary);
    let click = response.clicked_by(egui::PointerButton::Primary) || erase_click;
    if !editing.on || !(click || pressed_here && (primary || secondary)) {
        return;
    }
    let Some(at) = response.interact_pointer_pos().or(latest).and_then(to_cell) else {
        return;
    };
    let tile = if secondary || erase_click {
        Tile::Floor
    } else {
        editing.tile
    };
    let begin = editing.stroke.is_none();
    if let Some(command) = editing.paint(i, at, tile, begin, next_stroke) {
        commands.push(command.into());
    }
}

fn draw_title(ui: &Ui, arena: &ArenaView, rect: Rect, selected: bool, scale: f32) {
    // Clip to the arena's own column so long names never run into the next arena.
    let painter = ui.painter_at(rect);
    let colour = if selected {
        palette::SELECTED
    } else {
        palette::secondary(ui, 230)
    };
    let name = if arena.you_play {
        format!("{} · you play", arena.name)
    } else {
        arena.name.clone()
    };
    painter.text(
        rect.left_top(),
        Align2::LEFT_TOP,
        name,
        FontId::proportional(18.0 * scale),
        colour,
    );
    let (wins, recent) = arena.recent_successes;
    let line = format!(
        "episode {} · step {} · goal {wins}/{recent}",
        crate::figures::group_thousands(u64::from(arena.episodes) + 1),
        crate::figures::group_thousands(arena.steps_in_episode.into()),
    );
    painter.text(
        rect.left_top() + Vec2::new(0.0, 22.0 * scale),
        Align2::LEFT_TOP,
        line,
        FontId::proportional(13.5 * scale),
        palette::secondary(ui, 185),
    );
}

/// The finite min and max of a value map (equal when every value is the same).
fn value_range(values: &ValueMap) -> Option<(f32, f32)> {
    let (lo, hi) = values
        .value
        .iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return None;
    }
    Some((lo, hi))
}

/// Where `v` falls in `lo..=hi`, from 0 to 1; the middle when every value is the same.
fn position(v: f32, (lo, hi): (f32, f32)) -> f32 {
    if hi - lo < 1e-6 {
        0.5
    } else {
        (v - lo) / (hi - lo)
    }
}

fn cell_rect(grid: Rect, cell: f32, width: usize, index: usize) -> Rect {
    let (x, y) = (index % width, index / width);
    Rect::from_min_size(
        grid.left_top() + Vec2::new(x as f32 * cell, y as f32 * cell),
        Vec2::splat(cell),
    )
}

fn draw_grid(
    ui: &Ui,
    index: usize,
    arena: &ArenaView,
    grid: Rect,
    cell: f32,
    values: Option<&ValueMap>,
    range: Option<(f32, f32)>,
) {
    let painter = ui.painter();
    let world = &arena.world;
    let width = world.width();
    // The cells' colours are one texture, a pixel per cell, redrawn only when a colour changed.
    let colours: Vec<Color32> = world
        .cells()
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let value = values
                .and_then(|v| v.value.get(i).copied())
                .filter(|v| v.is_finite());
            match (value, range) {
                (Some(v), Some(range)) => palette::viridis(position(v, range)),
                _ => palette::cell(kind),
            }
        })
        .collect();
    let texture =
        charts::pixel_texture(ui.ctx(), ("cells", index), [width, world.height()], colours);
    painter.image(
        texture,
        grid,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        Color32::WHITE,
    );
    if cell >= 10.0 {
        // Thin gaps between cells.
        // Black in high contrast: the cells stand apart on a projector that washes out greys.
        let gap = if palette::high_contrast(ui) {
            Color32::BLACK
        } else {
            palette::GRID
        };
        let stroke = Stroke::new(1.0, gap);
        for x in 0..=width {
            let at = grid.left() + x as f32 * cell;
            painter.line_segment(
                [Pos2::new(at, grid.top()), Pos2::new(at, grid.bottom())],
                stroke,
            );
        }
        for y in 0..=world.height() {
            let at = grid.top() + y as f32 * cell;
            painter.line_segment(
                [Pos2::new(grid.left(), at), Pos2::new(grid.right(), at)],
                stroke,
            );
        }
    }
    for (i, &kind) in world.cells().iter().enumerate() {
        let rect = cell_rect(grid, cell, width, i);
        let centre = rect.center();
        draw_mark(painter, rect, kind, world.rules.target);
        if i == world.start() && cell >= 14.0 {
            painter.text(
                rect.left_top() + Vec2::splat(2.0),
                Align2::LEFT_TOP,
                "S",
                FontId::proportional((cell * 0.3).max(9.0)),
                Color32::from_gray(200),
            );
        }
        let greedy = values.and_then(|v| v.greedy.get(i).copied().flatten());
        if let Some(action) = greedy.filter(|_| cell >= 12.0) {
            arrow(
                painter,
                centre,
                action,
                cell * 0.3,
                Color32::from_rgba_unmultiplied(0, 0, 0, 170),
            );
        }
    }
}

/// The mark that says what a cell is without relying on colour: a star on a goal, hatching on lava,
/// a disc for an object (ringed when it is the `target`), a diamond for a cue tile.
pub fn draw_mark(painter: &egui::Painter, rect: Rect, kind: Cell, target: Option<Colour>) {
    let cell = rect.width();
    let centre = rect.center();
    match kind {
        Cell::Goal => star(painter, centre, cell * 0.36, Color32::from_rgb(10, 60, 25)),
        Cell::Lava => {
            let stroke = Stroke::new((cell * 0.06).max(1.0), Color32::from_rgb(120, 30, 10));
            for k in 1..4 {
                let t = k as f32 / 4.0 * cell;
                painter.line_segment(
                    [
                        rect.left_top() + Vec2::new(t, 0.0),
                        rect.left_top() + Vec2::new(0.0, t),
                    ],
                    stroke,
                );
                painter.line_segment(
                    [
                        rect.right_bottom() - Vec2::new(t, 0.0),
                        rect.right_bottom() - Vec2::new(0.0, t),
                    ],
                    stroke,
                );
            }
        }
        Cell::Object(colour) => {
            let fill = palette::object(colour);
            let outline = Stroke::new(1.0, Color32::from_gray(20));
            let r = cell * 0.32;
            match palette::object_shape(colour) {
                palette::Shape::Disc => {
                    painter.circle(centre, r, fill, outline);
                }
                palette::Shape::Square => {
                    let square = Rect::from_center_size(centre, Vec2::splat(r * 1.7));
                    painter.rect(
                        square,
                        CornerRadius::ZERO,
                        fill,
                        outline,
                        StrokeKind::Inside,
                    );
                }
                palette::Shape::Triangle => {
                    let points = vec![
                        centre + Vec2::new(0.0, -r * 1.05),
                        centre + Vec2::new(r * 1.0, r * 0.8),
                        centre + Vec2::new(-r * 1.0, r * 0.8),
                    ];
                    painter.add(Shape::convex_polygon(points, fill, outline));
                }
            }
            if target == Some(colour) {
                painter.circle_stroke(centre, cell * 0.46, Stroke::new(2.0, Color32::WHITE));
            }
        }
        Cell::Cue => {
            // A diamond in the target colour: a sign to read, not an object to reach.
            let colour = target.map_or(Color32::from_gray(120), palette::object);
            let r = cell * 0.34;
            let diamond = vec![
                centre - Vec2::new(0.0, r),
                centre + Vec2::new(r, 0.0),
                centre + Vec2::new(0.0, r),
                centre - Vec2::new(r, 0.0),
            ];
            painter.add(Shape::convex_polygon(
                diamond,
                colour,
                Stroke::new(1.5, Color32::from_gray(230)),
            ));
        }
        Cell::Floor | Cell::Wall => {}
    }
}

fn star(painter: &egui::Painter, centre: Pos2, radius: f32, colour: Color32) {
    let point = |k: usize, r: f32| {
        let angle = std::f32::consts::PI * (k as f32 / 5.0) - std::f32::consts::FRAC_PI_2;
        centre + Vec2::new(angle.cos(), angle.sin()) * r
    };
    let inner = radius * 0.42;
    // A star is not convex: an inner pentagon plus one triangle per point.
    let pentagon = (0..5).map(|k| point(2 * k + 1, inner)).collect();
    painter.add(Shape::convex_polygon(pentagon, colour, Stroke::NONE));
    for k in 0..5 {
        let triangle = vec![
            point(2 * k, radius),
            point(2 * k + 1, inner),
            point(2 * k + 9, inner),
        ];
        painter.add(Shape::convex_polygon(triangle, colour, Stroke::NONE));
    }
}

fn arrow(painter: &egui::Painter, centre: Pos2, action: Action, length: f32, colour: Color32) {
    let (dx, dy) = action.delta();
    let direction = Vec2::new(dx as f32, dy as f32);
    let tip = centre + direction * length;
    let tail = centre - direction * length * 0.6;
    let stroke = Stroke::new((length * 0.18).max(1.5), colour);
    painter.line_segment([tail, tip], stroke);
    let side = Vec2::new(-direction.y, direction.x) * length * 0.45;
    let back = tip - direction * length * 0.5;
    painter.add(Shape::convex_polygon(
        vec![tip, back + side, back - side],
        colour,
        Stroke::NONE,
    ));
}

fn draw_trail(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32) {
    let width = arena.world.width();
    let centres: Vec<Pos2> = arena
        .trail
        .iter()
        .map(|&i| cell_rect(grid, cell, width, i).center())
        .collect();
    let n = centres.len().max(1) as f32;
    for (k, pair) in centres.windows(2).enumerate() {
        let alpha = (40.0 + 200.0 * (k as f32 + 1.0) / n) as u8;
        painter_line(
            ui,
            pair[0],
            pair[1],
            (cell * 0.12).max(2.0),
            Color32::from_rgba_unmultiplied(255, 255, 255, alpha),
        );
    }
}

fn painter_line(ui: &Ui, a: Pos2, b: Pos2, width: f32, colour: Color32) {
    ui.painter()
        .line_segment([a, b], Stroke::new(width, colour));
}

/// Where the agent looks: the heads' mean weight on each map cell as a viridis frame (square-root
/// scale, so uniform attention over 81 cells stays dim and a focused head glows), leaving the cell's
/// content visible.
fn draw_attention(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32, attention: &AttentionInsight) {
    let heads = attention.heads.len().max(1) as f32;
    let mut weights = vec![0.0f32; attention.cells.len()];
    for head in &attention.heads {
        for (w, &h) in weights.iter_mut().zip(head) {
            *w += h / heads;
        }
    }
    let width = arena.world.width();
    for (&w, target) in weights.iter().zip(&attention.cells) {
        let Some(c) = *target else { continue };
        let t = w.clamp(0.0, 1.0).sqrt();
        if t < 0.03 {
            // Under a thousandth of the attention: nothing worth a frame.
            continue;
        }
        let colour = palette::viridis(t);
        let alpha = (60.0 + 195.0 * t) as u8;
        ui.painter().rect_stroke(
            cell_rect(grid, cell, width, c).shrink(cell * 0.08),
            CornerRadius::ZERO,
            Stroke::new(
                (cell * 0.16 * t).max(1.0),
                Color32::from_rgba_unmultiplied(colour.r(), colour.g(), colour.b(), alpha),
            ),
            StrokeKind::Inside,
        );
    }
}

/// Lines from the agent to where each recalled memory was made, one colour per move, faded by weight.
fn draw_recalled_memories(
    ui: &Ui,
    arena: &ArenaView,
    grid: Rect,
    cell: f32,
    memory: &MemoryInsight,
) {
    let width = arena.world.width();
    let from = cell_rect(grid, cell, width, arena.world.agent()).center();
    for (a, recall) in memory.recall.iter().enumerate() {
        let colour = palette::agent_line(a);
        for m in &recall.neighbours {
            let to = cell_rect(grid, cell, width, m.cell).center();
            let alpha = (50.0 + 205.0 * m.weight.clamp(0.0, 1.0)) as u8;
            let faded = Color32::from_rgba_unmultiplied(colour.r(), colour.g(), colour.b(), alpha);
            ui.painter()
                .line_segment([from, to], Stroke::new(1.5, faded));
            ui.painter()
                .circle_stroke(to, cell * 0.18, Stroke::new(2.0, faded));
        }
    }
}

/// Imagined rollouts as ghost paths (the best per first move labelled with its predicted return),
/// the plan being followed, where reality last left it, and cells touched by replay.
fn draw_imagination(
    ui: &Ui,
    arena: &ArenaView,
    grid: Rect,
    cell: f32,
    planning: &PlanningInsight,
    selected: bool,
) {
    let width = arena.world.width();
    let centre = |i: usize| cell_rect(grid, cell, width, i).center();
    let painter = ui.painter();
    for &i in &planning.touched {
        painter.rect_stroke(
            cell_rect(grid, cell, width, i).shrink(1.5),
            CornerRadius::ZERO,
            Stroke::new(2.0, Color32::from_rgba_unmultiplied(255, 255, 255, 150)),
            StrokeKind::Inside,
        );
    }
    if !selected {
        return;
    }
    let per_move = (planning.rollouts.len() as f32 / 4.0).max(1.0);
    for rollout in &planning.rollouts {
        let colour = palette::agent_line(rollout.first_action.map_or(0, Action::index));
        let alpha = (25.0 + 150.0 * (rollout.weight * per_move).min(1.0) / per_move.sqrt()) as u8;
        let ghost = Color32::from_rgba_unmultiplied(colour.r(), colour.g(), colour.b(), alpha);
        let points: Vec<Pos2> = rollout.cells.iter().map(|&c| centre(c)).collect();
        painter.add(Shape::line(
            points,
            Stroke::new((cell * 0.08).max(1.5), ghost),
        ));
    }
    for action in Action::ALL {
        let best = planning
            .rollouts
            .iter()
            .filter(|r| r.first_action == Some(action))
            .max_by(|a, b| a.predicted_return.total_cmp(&b.predicted_return));
        if let Some(best) = best.filter(|r| r.cells.len() > 1) {
            let end = centre(*best.cells.last().unwrap_or(&0));
            painter.text(
                end + Vec2::new(0.0, -cell * 0.3),
                Align2::CENTER_BOTTOM,
                format!("{:+.2}", best.predicted_return),
                FontId::proportional(12.0),
                palette::agent_line(action.index()),
            );
        }
    }
    if planning.plan.len() > 1 {
        let points: Vec<Pos2> = planning.plan.iter().map(|&c| centre(c)).collect();
        painter.add(Shape::line(
            points,
            Stroke::new(
                (cell * 0.14).max(2.5),
                Color32::from_rgba_unmultiplied(255, 200, 60, 220),
            ),
        ));
    }
    if let Some(divergence) = planning.divergence {
        let c = centre(divergence);
        let r = cell * 0.3;
        let stroke = Stroke::new(3.0, Color32::from_rgb(255, 80, 80));
        painter.line_segment([c - Vec2::splat(r), c + Vec2::splat(r)], stroke);
        painter.line_segment([c + Vec2::new(r, -r), c + Vec2::new(-r, r)], stroke);
    }
}

/// The latest rest's replayed sequences as ghost paths in replay order, an arrowhead where each
/// ended: reverse ones pink, forward ones blue (each replay event labelled), single steps faint.
fn draw_replay(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32, replay: &ReplayInsight) {
    use super::replay_panel::{direction_colour, direction_word};
    let Some(rest) = &replay.last_rest else {
        return;
    };
    let width = arena.world.width();
    let centre = |i: usize| cell_rect(grid, cell, width, i).center();
    let painter = ui.painter();
    for sequence in &rest.sequences {
        let event = sequence.cells.len() > crate::brain::EVENT_STEPS;
        let colour = direction_colour(sequence.direction);
        let alpha = if event { 190 } else { 90 };
        let ghost = Color32::from_rgba_unmultiplied(colour.r(), colour.g(), colour.b(), alpha);
        let points: Vec<Pos2> = sequence.cells.iter().map(|&c| centre(c)).collect();
        let thickness = if event { (cell * 0.12).max(2.0) } else { 1.5 };
        painter.add(Shape::line(points.clone(), Stroke::new(thickness, ghost)));
        if let [.., before, last] = points[..] {
            let along = (last - before).normalized() * (cell * 0.28).max(5.0);
            let side = Vec2::new(-along.y, along.x) * 0.6;
            painter.add(Shape::convex_polygon(
                vec![last, last - along + side, last - along - side],
                ghost,
                Stroke::NONE,
            ));
        }
        if event && sequence.direction != Direction::Single {
            // Written towards the middle of the map from where the replay began, so that a label
            // at an edge stays inside its arena.
            let align = if points[0].x < grid.center().x {
                Align2::LEFT_BOTTOM
            } else {
                Align2::RIGHT_BOTTOM
            };
            // On a dark plate, so that it reads over the bright cells near the goal.
            let galley = painter.layout_no_wrap(
                direction_word(sequence.direction).to_owned(),
                FontId::proportional((cell * 0.5).clamp(13.0, 20.0)),
                colour,
            );
            let at = align
                .anchor_size(points[0] + Vec2::new(0.0, -cell * 0.35), galley.size())
                .translate(Vec2::ZERO);
            let plate = at.expand(2.0).intersect(grid);
            let at = at.translate(plate.min - at.expand(2.0).min);
            painter.rect_filled(at.expand(2.0), 3.0, Color32::from_black_alpha(190));
            painter.galley(at.min, galley, colour);
        }
    }
}

/// A water maze's quadrants (dashed lines through the pool's centre) and, during a probe, where
/// the platform was taken from (a dashed square).
fn draw_pool(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32) {
    let world = &arena.world;
    let Some(pool) = world.pool() else {
        return;
    };
    let painter = ui.painter();
    let (cx, cy) = pool.centre;
    let at = |x: f32, y: f32| Pos2::new(grid.left() + x * cell, grid.top() + y * cell);
    let stroke = Stroke::new(1.5, Color32::from_rgba_unmultiplied(255, 255, 255, 110));
    let (w, h) = (world.width() as f32, world.height() as f32);
    painter.add(Shape::dashed_line(
        &[at(cx, 0.0), at(cx, h)],
        stroke,
        6.0,
        5.0,
    ));
    painter.add(Shape::dashed_line(
        &[at(0.0, cy), at(w, cy)],
        stroke,
        6.0,
        5.0,
    ));
    for (q, (dx, dy)) in [(1.0f32, -1.0f32), (-1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)]
        .into_iter()
        .enumerate()
    {
        painter.text(
            at(cx + dx * (w / 2.0 - 1.2), cy + dy * (h / 2.0 - 0.9)),
            Align2::CENTER_CENTER,
            crate::world::QUADRANTS[q],
            FontId::proportional((cell * 0.7).clamp(12.0, 20.0)),
            Color32::from_rgb(20, 40, 90),
        );
    }
    for &c in pool.removed() {
        let rect = cell_rect(grid, cell, world.width(), c).shrink(cell * 0.1);
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        painter.add(Shape::dashed_line(
            &corners,
            Stroke::new(2.0, palette::GOAL),
            4.0,
            3.0,
        ));
    }
}

/// A conditioning trial's cue and reward on the track: outlined until their time, then lit (the
/// cue yellow, the reward green), or crossed out when a reward due did not come.
fn draw_trial(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32) {
    let world = &arena.world;
    let Some(trial) = world.trial() else {
        return;
    };
    let painter = ui.painter();
    let at = |step: u32| cell_rect(grid, cell, world.width(), world.track_cell(step)).center();
    let (cue, reward, now) = (at(trial.cue_at), at(trial.reward_at), world.steps());
    let r = cell * 0.3;
    let width = (cell * 0.08).max(1.5);
    let diamond = |centre: Pos2| {
        vec![
            centre - Vec2::new(0.0, r),
            centre + Vec2::new(r, 0.0),
            centre + Vec2::new(0.0, r),
            centre - Vec2::new(r, 0.0),
        ]
    };
    let lit = now >= trial.cue_at;
    painter.add(Shape::convex_polygon(
        diamond(cue),
        if lit {
            palette::NOTICE
        } else {
            Color32::TRANSPARENT
        },
        Stroke::new(width, palette::NOTICE),
    ));
    if now < trial.reward_at {
        painter.circle_stroke(reward, r, Stroke::new(width, palette::GOAL));
    } else if trial.rewarded {
        painter.circle(reward, r, palette::GOAL, Stroke::new(width, palette::GOAL));
    } else {
        let stroke = Stroke::new(width, Color32::from_gray(170));
        painter.circle_stroke(reward, r, stroke);
        let d = Vec2::splat(r * 0.7);
        painter.line_segment([reward - d, reward + d], stroke);
        painter.line_segment(
            [reward + Vec2::new(-d.x, d.y), reward + Vec2::new(d.x, -d.y)],
            stroke,
        );
    }
}

fn draw_agent(ui: &Ui, arena: &ArenaView, grid: Rect, cell: f32) {
    let centre = cell_rect(grid, cell, arena.world.width(), arena.world.agent()).center();
    let painter = ui.painter();
    painter.circle_filled(centre, (cell * 0.3).max(3.0), palette::AGENT);
    painter.circle_stroke(
        centre,
        (cell * 0.3).max(3.0),
        Stroke::new(2.0, Color32::BLACK),
    );
}

/// The colour bar under a map; a map of one value has no scale to show, so it says "all" and that
/// value beside the one colour it is drawn in.
fn draw_value_legend(ui: &Ui, rect: Rect, (lo, hi): (f32, f32)) {
    if hi - lo < 1e-6 {
        let swatch = Rect::from_center_size(
            Pos2::new(rect.center().x - 30.0, rect.center().y),
            Vec2::new(rect.height() - 6.0, rect.height() - 6.0),
        );
        let painter = ui.painter();
        painter.rect_filled(swatch, CornerRadius::ZERO, palette::viridis(0.5));
        painter.text(
            Pos2::new(swatch.right() + 6.0, swatch.center().y),
            Align2::LEFT_CENTER,
            format!("all {}", charts::two_places(lo)),
            FontId::proportional(13.0),
            palette::LABEL,
        );
        return;
    }
    // The labels take what they need (a narrow map on a zoomed stage keeps its scale), the bar
    // the rest, at most 200 points, centred.
    let (low, high) = charts::range_labels(lo, hi);
    let label_w = charts::label_width(ui, &low).max(charts::label_width(ui, &high)) + 6.0;
    let length = (rect.width() - 2.0 * label_w).min(200.0);
    if length >= 20.0 {
        let bar = Rect::from_center_size(
            rect.center(),
            Vec2::new(length, (rect.height() - 6.0).max(4.0)),
        );
        charts::colour_bar(ui, bar, &low, &high);
    }
}

fn cell_tooltip(ui: &mut Ui, arena: &ArenaView, index: usize, values: Option<&ValueMap>) {
    let world = &arena.world;
    let (x, y) = world.xy(index);
    let kind = match world.cell(index) {
        Cell::Floor if index == world.start() => "start".to_owned(),
        Cell::Floor => "floor".to_owned(),
        Cell::Wall => "wall".to_owned(),
        Cell::Goal => format!("goal (reward {})", world.rules.goal_reward),
        Cell::Lava => format!("lava (reward {})", world.rules.lava_reward),
        Cell::Object(c) => format!("{c:?} object"),
        Cell::Cue => format!("cue tile showing {:?}", world.rules.target),
    };
    ui.label(format!("column {x}, row {y}: {kind}"));
    if let Some(trial) = world.trial() {
        if world.track_cell(trial.cue_at) == index {
            ui.label(format!(
                "the cue comes here this trial (step {})",
                trial.cue_at
            ));
        }
        if world.track_cell(trial.reward_at) == index {
            ui.label(format!(
                "the reward is due here this trial (step {})",
                trial.reward_at
            ));
        }
    }
    if let Some(values) = values {
        match values.value.get(index).filter(|v| v.is_finite()) {
            Some(v) => ui.label(format!("{} {v:.3}", values.meaning)),
            None => ui.label("no value yet"),
        };
        if let Some(Some(action)) = values.greedy.get(index) {
            ui.label(format!("greedy move: {action:?}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stage a 1024 x 768 projector at 150 % leaves the showcase's three 11 x 9 mazes: side
    /// by side with smaller titles, their cells are three times what a column of full titles left.
    #[test]
    fn a_cramped_stage_puts_the_mazes_side_by_side() {
        let stage = Vec2::new(533.0, 353.0);
        let chosen = layout(stage, 3, (11, 9), true);
        assert_eq!(chosen.columns, 3);
        assert!(chosen.title_scale >= MIN_TITLE_SCALE && chosen.title_scale < 1.0);
        let stacked_cell = (stage.y - (TITLE_HEIGHT + LEGEND_HEIGHT + GAP) * 3.0) / 27.0;
        assert!(
            chosen.cell > 3.0 * stacked_cell,
            "{chosen:?} vs {stacked_cell}"
        );
        // Every column fits the stage.
        assert!(chosen.cell * 11.0 * 3.0 + GAP * 2.0 <= stage.x);
    }

    /// A roomy stage keeps full-size titles, and no overlay means no legend's room.
    #[test]
    fn a_roomy_stage_keeps_full_titles() {
        let chosen = layout(Vec2::new(1200.0, 700.0), 3, (11, 9), false);
        assert_eq!(chosen.title_scale, 1.0);
        let with_legend = layout(Vec2::new(1200.0, 700.0), 3, (11, 9), true);
        assert!(chosen.cell >= with_legend.cell);
    }
}
