//! The dopamine panel: the agent's TD error read as dopamine neurons are recorded (Schultz, Dayan
//! & Montague 1997): a raster of trials aligned to the cue or the reward, the mean trace early
//! against late, the error on the map, and the conditioning controls.

use bevy_egui::egui::{self, Align2, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2};

use super::{charts, palette};
use crate::app::command::AppCommand;
use crate::command::{Command, TrialControl};
use crate::dopamine::{Aligned, DopamineView, Event, RECENT_ROWS, TRACE_TRIALS};
use crate::world::{Cell, GridWorld, Probe};

/// Height of the raster, in points: fixed, so that nothing below it moves as rows come.
const RASTER_HEIGHT: f32 = 150.0;
/// Height of the mean traces' plot, in points.
const TRACE_HEIGHT: f32 = 90.0;
/// The early trace's colour (light grey) and the late one's (yellow): neither is a colour of the
/// raster's scale, whose blue and orange mean a sign.
const EARLY: egui::Color32 = egui::Color32::from_gray(200);
const LATE: egui::Color32 = egui::Color32::from_rgb(240, 228, 66);
/// A raster cell where the trial had no step (it began later or ended sooner).
const NO_STEP: egui::Color32 = egui::Color32::from_gray(12);

/// Draws the dopamine panel of arena `arena`; its buttons and sliders become commands.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    dopamine: &DopamineView,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(
        RichText::new(
            "Dopamine neurons fire like the TD error δ = r + γ V(next) − V(now): at a reward \
             nothing predicted, at a cue that predicts one, and below zero when a predicted \
             reward does not come (Schultz, Dayan & Montague 1997). Orange: δ above zero; \
             blue: below.",
        )
        .italics(),
    );
    if let Some(latest) = dopamine.latest {
        ui.label(format!(
            "δ at the latest step: {}   ·   trials: {}",
            charts::two_places(latest),
            dopamine.trials
        ));
    }
    let choice_id = egui::Id::new(("dopamine aligned to", arena));
    let available = [&dopamine.cue, &dopamine.reward];
    let mut event =
        ui.ctx()
            .data(|d| d.get_temp::<Event>(choice_id))
            .unwrap_or(if dopamine.cue.is_some() {
                Event::Cue
            } else {
                Event::Reward
            });
    ui.horizontal(|ui| {
        ui.label("aligned to");
        for (choice, label) in [(Event::Cue, "the cue"), (Event::Reward, "the reward")] {
            if ui.selectable_label(event == choice, label).clicked() {
                event = choice;
                ui.ctx().data_mut(|d| d.insert_temp(choice_id, choice));
            }
        }
    });
    let aligned = match event {
        Event::Cue => available[0],
        Event::Reward => available[1],
    };
    let scale = aligned.as_ref().map(scale_of);
    match (aligned, scale) {
        (Some(aligned), Some(scale)) => {
            raster(ui, aligned, dopamine.stride, scale);
            traces(ui, aligned, scale);
        }
        _ => {
            ui.label(
                RichText::new(match event {
                    Event::Cue => "No trial had a cue here (no conditioning cue, no cue tile reached): nothing to align to. Align to the reward instead.",
                    Event::Reward => "No trial has reached a reward yet: nothing to align to.",
                })
                .italics()
                .color(palette::NOTICE),
            );
        }
    }
    error_map(ui, world, dopamine, scale);
    if world.rules.conditioning.is_some() {
        controls(ui, world, commands);
    }
}

/// The event in a label's words.
fn event_name(event: Event) -> &'static str {
    match event {
        Event::Cue => "cue",
        Event::Reward => "reward",
    }
}

/// The colour scale's end: the largest error in the raster (at least 0.1, so that noise near
/// zero is not blown up to full colour).
fn scale_of(aligned: &Aligned) -> f32 {
    aligned
        .rows
        .iter()
        .flat_map(|t| t.window(aligned.event).into_iter().flat_map(|w| &w.deltas))
        .filter(|d| d.is_finite())
        .fold(0.1f32, |m, d| m.max(d.abs()))
}

/// Column labels: "event", or the step's offset from it.
fn offset_of(aligned: &Aligned, column: usize) -> i32 {
    column as i32 - aligned.event.window().0 as i32
}

/// The raster: a row per trial (thinned over the run), a column per step around the event.
fn raster(ui: &mut Ui, aligned: &Aligned, stride: u32, scale: f32) {
    let (before, after) = aligned.event.window();
    let columns = (before + 1 + after) as usize;
    let rows = aligned.rows.len();
    let name = event_name(aligned.event);
    ui.label(
        RichText::new(format!(
            "Raster: trials down, steps across, aligned to the {name}"
        ))
        .strong(),
    );
    let width = ui.available_width().min(300.0);
    let left = 64.0;
    let cell = ((width - left) / columns as f32).floor().max(4.0);
    let height = RASTER_HEIGHT;
    let row_height = height / rows.max(1) as f32;
    let (rect, response) = ui.allocate_exact_size(
        Vec2::new(left + cell * columns as f32, height + 16.0),
        Sense::hover(),
    );
    let grid = Rect::from_min_size(
        rect.min + Vec2::new(left, 0.0),
        Vec2::new(cell * columns as f32, height),
    );
    let colours = aligned
        .rows
        .iter()
        .flat_map(|t| {
            let window = t.window(aligned.event);
            (0..columns).map(move |c| match window.and_then(|w| w.deltas.get(c)) {
                Some(d) if d.is_finite() => palette::diverging(d / scale),
                _ => NO_STEP,
            })
        })
        .collect();
    let texture = charts::pixel_texture(
        ui.ctx(),
        ("dopamine raster", name),
        [columns, rows.max(1)],
        colours,
    );
    let painter = ui.painter();
    painter.image(
        texture,
        grid,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        egui::Color32::WHITE,
    );
    let font = FontId::proportional(13.0);
    // The event's column, and on cue-aligned rows the reward's time in that trial.
    let event_x = grid.left() + (before as f32 + 0.5) * cell;
    painter.line_segment(
        [
            Pos2::new(event_x, grid.top() - 2.0),
            Pos2::new(event_x, grid.bottom() + 2.0),
        ],
        Stroke::new(1.0, palette::LABEL),
    );
    if aligned.event == Event::Cue {
        for (k, trial) in aligned.rows.iter().enumerate() {
            if let Some(steps) = trial.cue_to_reward {
                if steps > after {
                    continue; // past the raster's last column
                }
                let x = event_x + steps as f32 * cell;
                let y = grid.top() + (k as f32 + 0.5) * row_height;
                let colour = if trial.rewarded {
                    palette::GOAL
                } else {
                    egui::Color32::from_gray(170)
                };
                painter.line_segment(
                    [
                        Pos2::new(x, y - row_height * 0.5),
                        Pos2::new(x, y + row_height * 0.5),
                    ],
                    Stroke::new(1.0, colour),
                );
            }
        }
    }
    let first = aligned.rows.first().map_or(0, |t| t.number);
    let last = aligned.rows.last().map_or(0, |t| t.number);
    painter.text(
        grid.left_top() - Vec2::new(4.0, 0.0),
        Align2::RIGHT_TOP,
        format!("trial {first}"),
        font.clone(),
        palette::LABEL,
    );
    painter.text(
        grid.left_bottom() - Vec2::new(4.0, 0.0),
        Align2::RIGHT_BOTTOM,
        format!("trial {last}"),
        font.clone(),
        palette::LABEL,
    );
    painter.text(
        Pos2::new(event_x, grid.bottom() + 2.0),
        Align2::CENTER_TOP,
        name,
        font.clone(),
        palette::LABEL,
    );
    // On the cue's raster, the reward's usual time (the latest trial's delay) is labelled too.
    if aligned.event == Event::Cue
        && let Some(steps) = usual_delay(aligned)
        && (3..=after).contains(&steps)
    {
        painter.text(
            Pos2::new(event_x + steps as f32 * cell, grid.bottom() + 2.0),
            Align2::CENTER_TOP,
            "reward",
            font.clone(),
            palette::GOAL,
        );
    }
    painter.text(
        Pos2::new(grid.left(), grid.bottom() + 2.0),
        Align2::LEFT_TOP,
        format!("{}", offset_of(aligned, 0)),
        font.clone(),
        palette::LABEL,
    );
    painter.text(
        Pos2::new(grid.right(), grid.bottom() + 2.0),
        Align2::RIGHT_TOP,
        format!("+{after} steps"),
        font,
        palette::LABEL,
    );
    if let Some(pointer) = response.hover_pos().filter(|p| grid.contains(*p)) {
        let c = (((pointer.x - grid.left()) / cell) as usize).min(columns - 1);
        let row = (((pointer.y - grid.top()) / row_height) as usize).min(rows.saturating_sub(1));
        if let Some(trial) = aligned.rows.get(row) {
            let delta = trial
                .window(aligned.event)
                .and_then(|w| w.deltas.get(c))
                .copied();
            response.on_hover_text(format!(
                "trial {}, {} steps from the {name}: δ {}{}",
                trial.number,
                offset_of(aligned, c),
                delta
                    .filter(|d| d.is_finite())
                    .map_or("(no step)".into(), charts::two_places),
                if trial.rewarded {
                    ""
                } else {
                    " (no reward this trial)"
                },
            ));
        }
    }
    charts::diverging_bar_line(ui, width, scale);
    if aligned.rows.len() > 1 {
        // Said from the first trial the raster holds (a trial without the event's whole window,
        // such as one under way when the log began, is not in it).
        let first = aligned.rows.first().map_or(0, |t| t.number);
        let text = if stride > 1 {
            format!(
                "every {} from trial {first}, then each of the latest {RECENT_ROWS}",
                ordinal(stride)
            )
        } else {
            format!("every trial from trial {first}")
        };
        ui.label(text);
    }
}

/// The reward's usual time after the cue: the delay most rows had (a probe's trial has another).
fn usual_delay(aligned: &Aligned) -> Option<u32> {
    let mut counts = std::collections::BTreeMap::new();
    for steps in aligned.rows.iter().filter_map(|t| t.cue_to_reward) {
        *counts.entry(steps).or_insert(0u32) += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(steps, n)| (n, steps))
        .map(|(steps, _)| steps)
}

/// "trial" for a stride of 1, "2nd trial", "32nd trial", "128th trial" and so on.
fn ordinal(stride: u32) -> String {
    let suffix = match (stride % 10, stride % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    match stride {
        0 | 1 => "trial".into(),
        n => format!("{n}{suffix} trial"),
    }
}

/// The mean error around the event over the first trials (grey) and the latest (yellow).
fn traces(ui: &mut Ui, aligned: &Aligned, scale: f32) {
    ui.add_space(4.0);
    ui.label(RichText::new("Mean δ: early trials against late ones").strong());
    let width = ui.available_width().min(300.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(width, TRACE_HEIGHT + 16.0), Sense::hover());
    let plot = Rect::from_min_size(
        rect.min + Vec2::new(40.0, 4.0),
        Vec2::new(width - 44.0, TRACE_HEIGHT - 8.0),
    );
    let painter = ui.painter();
    let (before, after) = aligned.event.window();
    let columns = (before + 1 + after) as usize;
    let x = |c: usize| plot.left() + (c as f32 + 0.5) / columns as f32 * plot.width();
    let y = |d: f32| plot.center().y - d / scale * plot.height() * 0.5;
    let font = FontId::proportional(13.0);
    let axis = Stroke::new(1.0, palette::OUTLINE);
    painter.line_segment(
        [
            Pos2::new(plot.left(), y(0.0)),
            Pos2::new(plot.right(), y(0.0)),
        ],
        axis,
    );
    let event_x = x(before as usize);
    painter.line_segment(
        [
            Pos2::new(event_x, plot.top()),
            Pos2::new(event_x, plot.bottom()),
        ],
        axis,
    );
    for (value, align) in [
        (scale, Align2::RIGHT_TOP),
        (0.0, Align2::RIGHT_CENTER),
        (-scale, Align2::RIGHT_BOTTOM),
    ] {
        let at = Pos2::new(plot.left() - 4.0, y(value).clamp(plot.top(), plot.bottom()));
        painter.text(
            at,
            align,
            format!("{value:+.2}"),
            font.clone(),
            palette::LABEL,
        );
    }
    for ((trace, _), colour) in [(&aligned.early, EARLY), (&aligned.late, LATE)] {
        let points: Vec<Pos2> = trace
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_finite())
            .map(|(c, &d)| Pos2::new(x(c), y(d)))
            .collect();
        painter.add(egui::Shape::line(points, Stroke::new(2.0, colour)));
    }
    let name = event_name(aligned.event);
    painter.text(
        Pos2::new(event_x, plot.bottom() + 2.0),
        Align2::CENTER_TOP,
        name,
        font,
        palette::LABEL,
    );
    super::plots::legend_row(
        ui,
        &[
            super::plots::Key::solid(
                format!("first {} trials", aligned.early.1.min(TRACE_TRIALS)),
                EARLY,
            ),
            super::plots::Key::solid(
                format!("latest {} trials", aligned.late.1.min(TRACE_TRIALS)),
                LATE,
            ),
        ],
    );
}

/// The mean error on arriving at each cell lately: where the surprises happen.
/// On the raster's colour scale `scale` when there is a raster (the same colour, the same δ),
/// else on the map's own.
fn error_map(ui: &mut Ui, world: &GridWorld, dopamine: &DopamineView, scale: Option<f32>) {
    ui.add_space(4.0);
    ui.label(
        RichText::new("δ on the map: the mean surprise on arriving at each cell lately").strong(),
    );
    let peak = scale.unwrap_or_else(|| {
        dopamine
            .map
            .iter()
            .filter(|d| d.is_finite())
            .fold(0.05f32, |m, d| m.max(d.abs()))
    });
    let width = ui.available_width().min(280.0);
    let cell = (width / world.width() as f32).min(22.0);
    charts::heatmap(
        ui,
        "dopamine map",
        (world.width(), world.height()),
        cell,
        |i| match (world.cell(i), dopamine.map.get(i)) {
            (Cell::Wall, _) => palette::WALL,
            (_, Some(d)) if d.is_finite() => palette::diverging(d / peak),
            _ => palette::FLOOR,
        },
    );
    charts::diverging_bar_line(ui, width, peak);
}

/// The conditioning controls: omit or hasten the next reward, its probability and size.
fn controls(ui: &mut Ui, world: &GridWorld, commands: &mut Vec<AppCommand>) {
    let Some(protocol) = &world.rules.conditioning else {
        return;
    };
    ui.add_space(4.0);
    ui.label(RichText::new("Conditioning").strong());
    let waiting = world.next_probe();
    ui.horizontal_wrapped(|ui| {
        let omit = ui
            .add_enabled(waiting != Some(Probe::Omit), egui::Button::new("Omit next reward"))
            .on_hover_text("The next trial's reward does not come: watch δ dip below zero when it was due.");
        if omit.clicked() {
            commands.push(Command::Trial(TrialControl::OmitNextReward).into());
        }
        let early = ui
            .add_enabled(waiting != Some(Probe::Early), egui::Button::new("Next reward early"))
            .on_hover_text("The next trial's reward comes half-way through the delay (Hollerman & Schultz 1998). The model also dips at the usual time; the recorded neurons do not.");
        if early.clicked() {
            commands.push(Command::Trial(TrialControl::EarlyNextReward).into());
        }
    });
    let what = |probe: Probe| match probe {
        Probe::Omit => "the reward is omitted",
        Probe::Early => "the reward comes early",
    };
    if let Some(probe) = world.trial().and_then(|t| t.probe) {
        ui.label(RichText::new(format!("this trial: {}", what(probe))).color(palette::NOTICE));
    }
    if let Some(probe) = waiting {
        let text = format!("the next trial to start: {}", what(probe));
        ui.label(RichText::new(text).color(palette::NOTICE));
    }
    // The sliders leave room for their labels within the panel.
    ui.spacing_mut().slider_width = (ui.available_width() - 200.0).clamp(60.0, 160.0);
    let mut probability = protocol.probability;
    let slider = egui::Slider::new(&mut probability, 0.0..=1.0).text("reward probability");
    if ui
        .add(slider)
        .on_hover_text("The chance that a trial's reward comes. The cue's δ grows with it (Fiorillo, Tobler & Schultz 2003).")
        .changed()
    {
        commands.push(Command::Trial(TrialControl::RewardProbability(probability)).into());
    }
    let mut size = protocol.reward;
    let most = crate::world::MOST_REWARD;
    let slider = egui::Slider::new(&mut size, -most..=most).text("reward size");
    if ui
        .add(slider)
        .on_hover_text("The reward's size, from the next reward on.")
        .changed()
    {
        commands.push(Command::Trial(TrialControl::RewardSize(size)).into());
    }
}
