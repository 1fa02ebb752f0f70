//! The window's egui layout: control bar, scene/agent panel, arenas, insight panel, curves, status line.

mod agent_panel;
mod arenas;
mod attention_panel;
mod charts;
mod continual_panel;
mod controls;
mod curves;
mod edit_bar;
mod insight_panel;
mod memory_panel;
mod meta_panel;
pub mod palette;
mod planning_panel;
mod plots;
mod slide;
pub mod stage;
mod timeline;

use std::collections::VecDeque;

use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, FontId, LayerId, RichText, TextStyle, UiBuilder};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub use curves::{CurveSettings, smoothed};

use super::command::AppCommand;
use super::edit::{Editing, Notices};
use super::keys::{KEY_HELP, KeyRequests, Overlays, Typing};
use super::scene_file::SceneFile;
use super::sim::Sim;
use super::stepper::Speed;
use crate::scene::Panel;

/// Frame times of the last second, for the fps read-out.
#[derive(Default)]
struct FrameClock {
    times: VecDeque<f64>,
    /// The theme applied (high contrast or not), once styled.
    styled: Option<bool>,
}

impl FrameClock {
    fn tick(&mut self, now: f64) -> f64 {
        self.times.push_back(now);
        while self.times.front().is_some_and(|&t| now - t > 1.0) {
            self.times.pop_front();
        }
        let span = now - self.times.front().copied().unwrap_or(now);
        if span > 0.0 {
            (self.times.len() - 1) as f64 / span
        } else {
            0.0
        }
    }
}

/// Draws the whole window each frame.
pub fn plugin(app: &mut App) {
    app.init_resource::<stage::ArenaBlock>()
        .add_systems(
            EguiPrimaryContextPass,
            (edges_for_the_renderer, draw_window).chain(),
        )
        .add_systems(Update, clear_colour);
}

/// The window's clear colour, which is the panels' background: black in high contrast.
fn clear_colour(settings: Res<super::settings::Settings>, mut clear: ResMut<ClearColor>) {
    let wanted = if settings.high_contrast {
        palette::BACKGROUND_HIGH_CONTRAST
    } else {
        palette::BACKGROUND
    };
    if clear.0 != wanted {
        clear.0 = wanted;
    }
}

/// On a software renderer (Mesa's lavapipe, which CI and this project's benchmarks use), egui's
/// anti-aliasing feathering is turned off: it adds a soft edge of extra triangles to every shape,
/// and rasterising them on the CPU cost 6-12 % of the frame rate on the busiest scenes. On a real
/// GPU it costs nothing and stays on. Text is drawn from glyph textures either way.
fn edges_for_the_renderer(
    adapter: Option<Res<bevy::render::renderer::RenderAdapterInfo>>,
    mut contexts: EguiContexts,
    mut decided: Local<bool>,
) -> Result {
    let Some(adapter) = adapter.filter(|_| !*decided) else {
        return Ok(());
    };
    *decided = true;
    if crate::app::pace::software_renderer(&adapter) {
        contexts
            .ctx_mut()?
            .tessellation_options_mut(|options| options.feathering = false);
    }
    Ok(())
}

/// Larger text than egui's default, readable from the back of a lecture room; with
/// `high_contrast`, white text and bright, thicker outlines on black.
fn style_for_projector(ctx: &egui::Context, high_contrast: bool) {
    ctx.all_styles_mut(|style| {
        style.visuals = egui::Visuals::dark();
        if high_contrast {
            let visuals = &mut style.visuals;
            visuals.override_text_color = Some(Color32::WHITE);
            visuals.extreme_bg_color = Color32::BLACK;
            visuals.window_fill = Color32::BLACK;
            visuals.widgets.noninteractive.fg_stroke = egui::Stroke::new(1.5, Color32::WHITE);
            visuals.widgets.noninteractive.bg_stroke =
                egui::Stroke::new(1.5, Color32::from_gray(200));
            for widget in [
                &mut visuals.widgets.inactive,
                &mut visuals.widgets.hovered,
                &mut visuals.widgets.active,
            ] {
                widget.fg_stroke = egui::Stroke::new(2.0, Color32::WHITE);
                widget.bg_stroke = egui::Stroke::new(1.5, Color32::WHITE);
                widget.weak_bg_fill = Color32::from_gray(10);
                widget.bg_fill = Color32::from_gray(10);
            }
            visuals.selection.stroke = egui::Stroke::new(2.0, Color32::YELLOW);
            visuals.selection.bg_fill = Color32::from_rgb(90, 70, 0);
        }
        // The clear colour paints the panels' background (see `palette::BACKGROUND`).
        style.visuals.panel_fill = Color32::TRANSPARENT;
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(21.0));
        style
            .text_styles
            .insert(TextStyle::Monospace, FontId::monospace(14.0));
        style
            .text_styles
            .insert(TextStyle::Small, FontId::proportional(12.0));
        style.spacing.slider_width = 150.0;
    });
}

/// Draws from the simulation and the insights without changing either: what the user does
/// becomes commands, applied at the next step boundary.
fn draw_window(
    mut contexts: EguiContexts,
    sim: Res<Sim>,
    file: Res<SceneFile>,
    overlays: Res<Overlays>,
    mut requests: ResMut<KeyRequests>,
    mut writer: MessageWriter<AppCommand>,
    mut typing: ResMut<Typing>,
    mut editing: ResMut<Editing>,
    notices: Res<Notices>,
    mut rects: ResMut<super::clip::ArenaRects>,
    (clip, presenter, mut settings): (
        Option<Res<super::clip::ClipPlan>>,
        Option<Res<super::lesson::Presenter>>,
        ResMut<super::settings::Settings>,
    ),
    mut curve_settings: Local<CurveSettings>,
    (mut bars, mut block, mut last_stage): (
        Local<Option<f32>>,
        ResMut<stage::ArenaBlock>,
        Local<stage::Stage>,
    ),
    mut clock: Local<FrameClock>,
    mut textures: Local<continual_panel::ImportanceTextures>,
    time: Res<Time<Real>>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    if clock.styled != Some(settings.high_contrast) {
        if clock.styled.is_none() {
            ctx.set_zoom_factor(settings.zoom);
        }
        style_for_projector(ctx, settings.high_contrast);
        clock.styled = Some(settings.high_contrast);
    }
    // Ctrl+= / Ctrl+- / Ctrl+0 zoom (egui's keys); the zoom is remembered between runs.
    let zoom = ctx.zoom_factor();
    if (zoom - settings.zoom).abs() > 1e-3 {
        settings.zoom = zoom;
    }
    let fps = clock.tick(time.elapsed_secs_f64());
    // A lesson's slide may choose its panels; otherwise the scene's.
    let panels = presenter
        .as_deref()
        .and_then(|p| p.panels.as_ref())
        .unwrap_or(&sim.snapshot().scene.panels);
    let mut commands = Vec::new();
    let mut root = egui::Ui::new(
        ctx.clone(),
        "root".into(),
        UiBuilder::new()
            .layer_id(LayerId::background())
            .max_rect(ctx.viewport_rect()),
    );
    egui::Panel::top("controls").show(&mut root, |ui| {
        ui.add_space(3.0);
        controls::show(
            ui,
            &sim,
            &file,
            &overlays,
            (editing.on, settings.high_contrast),
            &mut commands,
        );
        ui.add_space(1.0);
    });
    if editing.on {
        egui::Panel::top("edit").show(&mut root, |ui| {
            ui.add_space(2.0);
            edit_bar::show(ui, &sim, &mut editing, &mut commands);
            ui.add_space(2.0);
        });
    }
    // The stage: panels capped to a share of the window, giving way (curves, then the insight
    // panel, then the agent panel) before the arenas get less than half of it; F shows the arenas
    // alone (with the caption in presenter mode).
    let viewport = ctx.viewport_rect();
    let wanted = |panel: Panel| panels.contains(&panel) && !overlays.arenas_only;
    let stage = stage::Stage::plan(stage::Ask {
        size: (viewport.width(), viewport.height()),
        bars: bars.unwrap_or(110.0),
        left: presenter.is_some() || wanted(Panel::Agent),
        presenter: presenter.is_some(),
        insight: wanted(Panel::Insight),
        curves: wanted(Panel::Curves),
        chosen_by_slide: presenter.as_deref().is_some_and(|p| p.panels.is_some()),
    });
    // A panel whose size range changed (the first frames, a zoom, a resize, a slide) opens at its
    // usual size in the new range: egui would otherwise keep the size it had in the old one (a
    // first frame drawn before the window had its size kept the curves at their least).
    for (id, now, before) in [
        ("curves", stage.curves, last_stage.curves),
        ("slide", stage.left, last_stage.left),
        ("agent", stage.left, last_stage.left),
        ("insight", stage.insight, last_stage.insight),
    ] {
        if now != before {
            ctx.data_mut(|d| d.remove::<egui::containers::panel::PanelState>(egui::Id::new(id)));
        }
    }
    *last_stage = stage.clone();
    egui::Panel::bottom("status").show(&mut root, |ui| {
        status_line(ui, &sim, &file, fps, &stage.gave_way);
    });
    let mut curves_height = 0.0;
    if let Some((least, most)) = stage.curves {
        curves_height = egui::Panel::bottom("curves")
            .resizable(true)
            .default_size(200.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| curves::show(ui, &sim, &mut curve_settings))
            .response
            .rect
            .height();
    }
    egui::Panel::bottom("timeline").show(&mut root, |ui| {
        ui.add_space(2.0);
        let clip = clip.as_deref().map(super::clip::ClipPlan::progress);
        timeline::show(ui, &sim, clip, &mut commands);
        ui.add_space(2.0);
    });
    if let Some(presenter) = presenter.as_deref() {
        // The slide takes the agent panel's place: the arenas keep the height of the window.
        let (least, most) = stage.left.unwrap_or((300.0, 720.0));
        egui::Panel::left("slide")
            .resizable(true)
            .default_size(380.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| {
                let height = ui.available_height();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.add_space(4.0);
                    slide::show(ui, presenter, height, &mut commands);
                });
            });
    } else if let Some((least, most)) = stage.left {
        // Side panels keep their width when their text changes, so the arenas do not jump.
        egui::Panel::left("agent")
            .resizable(true)
            .default_size(280.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| {
                agent_panel::show(ui, &sim, &file, &mut commands)
            });
    }
    if stage.insight.is_some() != sim.insight_panel {
        // Only a shown panel's insight is computed.
        commands.push(AppCommand::InsightPanel(!sim.insight_panel));
    }
    if let Some((least, most)) = stage.insight {
        egui::Panel::right("insight")
            .resizable(true)
            .default_size(330.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| {
                insight_panel::show(ui, &sim, &mut textures, &mut commands)
            });
    }
    let centre = egui::CentralPanel::default().show(&mut root, |ui| {
        if file.missing || !file.errors.is_empty() {
            error_banner(ui, &file);
        }
        // Over the foot of the arenas' area, not above them: a notice coming or going never moves
        // the maps under the mouse.
        let corner = ui.max_rect().left_bottom() + egui::vec2(6.0, -4.0);
        egui::Area::new("notices".into())
            .pivot(egui::Align2::LEFT_BOTTOM)
            .fixed_pos(corner)
            .order(egui::Order::Foreground)
            .interactable(false)
            .show(ui.ctx(), |ui| {
                notices_line(ui, &sim, &notices, time.elapsed_secs_f64());
            });
        arenas::show(ui, &sim, &overlays, &mut editing, &mut rects, &mut commands);
    });
    let area = viewport.width() * viewport.height();
    block.0 = centre.response.rect.area() / area.max(1.0);
    *bars = Some(viewport.height() - centre.response.rect.height() - curves_height);
    if requests.help_open {
        egui::Window::new("Keys")
            .open(&mut requests.help_open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                egui::Grid::new("keys")
                    .num_columns(2)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for (key, what) in KEY_HELP {
                            ui.monospace(*key);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
                ui.label("Click an arena to select its agent. Hover a cell for its value.");
            });
    }
    if presenter.as_deref().is_some_and(|p| p.blank) {
        // B: the screen goes black (the run goes on), for the class to look at the speaker.
        egui::Area::new("blank".into())
            .order(egui::Order::Foreground)
            .fixed_pos(egui::Pos2::ZERO)
            .show(ctx, |ui| {
                let screen = ctx.viewport_rect();
                ui.painter().rect_filled(screen, 0.0, Color32::BLACK);
                ui.allocate_rect(screen, egui::Sense::click());
            });
    }
    writer.write_batch(commands);
    // Buttons and sliders keep no keyboard focus: Space and Tab belong to the simulation's keys
    // (a focused button would take Space as a click). Text being typed keeps its focus, and the
    // keys stay letters meanwhile.
    typing.0 = ctx.egui_wants_keyboard_input();
    if !typing.0 {
        ctx.memory_mut(|memory| {
            if let Some(id) = memory.focused() {
                memory.surrender_focus(id);
            }
        });
    }
    Ok(())
}

fn status_line(
    ui: &mut egui::Ui,
    sim: &Sim,
    file: &SceneFile,
    fps: f64,
    gave_way: &[&'static str],
) {
    // Wrapped: at a large zoom the line goes on below instead of past the window's edge.
    ui.horizontal_wrapped(|ui| {
        let snapshot = sim.snapshot();
        let selected = snapshot
            .arenas
            .get(sim.selected)
            .map(|a| {
                format!(
                    "{}: episode {}",
                    a.name,
                    group_thousands(u64::from(a.episodes) + 1)
                )
            })
            .unwrap_or_default();
        // Pieces apart by a gap, not a dot: a wrapped row never starts with a separator; each
        // piece moves to the next row whole rather than breaking inside.
        let gap = |ui: &mut egui::Ui| ui.add_space(18.0);
        piece(ui, file.path.display().to_string());
        gap(ui);
        piece(ui, selected);
        gap(ui);
        piece(ui, format!("step {}", group_thousands(snapshot.steps)));
        gap(ui);
        // Lockstep steps per second: every arena takes one step per step.
        let rate = snapshot.steps_per_second / snapshot.arenas.len().max(1) as f64;
        let rate = group_thousands(rate.round() as u64);
        if !sim.running() {
            let said = sim.failure().unwrap_or_else(|| "no message".to_owned());
            coloured(
                ui,
                palette::ERROR,
                format!("the simulation stopped on an error: {said}"),
            )
            .on_hover_text("A bug in an agent or in the stepping ended the simulation thread. The window shows the last state it published; save nothing from it, close it (mindgrid then exits with an error) and open the scene again.");
        }
        let awaited = snapshot
            .arenas
            .iter()
            .enumerate()
            .find(|(_, a)| a.awaiting_move)
            .filter(|_| snapshot.waits_for_human);
        match (snapshot.playing, snapshot.speed()) {
            _ if let Some((index, arena)) = awaited => {
                coloured(
                    ui,
                    palette::NOTICE,
                    format!("waiting for your move: arena {} ({})", index + 1, arena.name),
                )
                    .on_hover_text("Every arena waits for the person's move (select their arena, then arrow keys or WASD). Untick \"the other arenas wait\" in the agent panel to let the agents run.");
            }
            (true, Speed::PerSecond(target)) if snapshot.behind => {
                coloured(
                    ui,
                    palette::NOTICE,
                    format!("behind: {rate} of {} steps/s", group_thousands(target.into())),
                )
                .on_hover_text("The agents cannot take steps this fast; the window stays fluid and shows the latest state.");
            }
            (true, _) => {
                piece(ui, format!("{rate} steps/s"));
            }
            (false, _) => {
                piece(ui, "paused");
            }
        }
        if let Some(every) = snapshot.insights_every.filter(|_| snapshot.playing) {
            gap(ui);
            coloured(
                ui,
                palette::NOTICE,
                format!("panels every {:.1} s", every.as_secs_f64()),
            )
            .on_hover_text("On a map this large the agents' panels and value maps take long to compute: they are refreshed this often, so the agents keep their speed. Paused, they are always up to date.");
        }
        gap(ui);
        piece(ui, format!("{fps:.0} fps"));
        gap(ui);
        let status = file.status();
        if file.errors.is_empty() {
            piece(ui, status);
        } else {
            coloured(ui, palette::ERROR, status);
        }
        if !gave_way.is_empty() {
            gap(ui);
            piece(ui, format!("hidden for the mazes: {}", gave_way.join(", ")))
                .on_hover_text("At this window size and zoom the arenas would get less than half of the window: these panels give way. Zoom out (Ctrl+-) or widen the window to bring them back; F shows the arenas alone.");
        }
    });
}

/// A piece of the status line, kept on one row.
fn piece(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.add(egui::Label::new(text).extend())
}

/// A coloured piece of the status line, kept on one row.
fn coloured(ui: &mut egui::Ui, colour: Color32, text: impl Into<String>) -> egui::Response {
    piece(ui, egui::RichText::new(text).color(colour))
}

/// Recent notices (a refused edit, a save) and a warning when the selected arena's map leaves no
/// way to the goal, each on a dark backing so it reads over a map. (A person's turn shows in the
/// status line.)
fn notices_line(ui: &mut egui::Ui, sim: &Sim, notices: &Notices, now: f64) {
    let mut lines: Vec<(Color32, String)> = notices
        .showing(now)
        .map(|(_, text, error)| {
            let colour = if *error {
                palette::ERROR
            } else {
                palette::BEST
            };
            (colour, text.clone())
        })
        .collect();
    let snapshot = sim.snapshot();
    if let Some(arena) = snapshot.arenas.get(sim.selected)
        && let Some(warning) = arena.map_warning
    {
        lines.push((palette::NOTICE, format!("⚠ {}: {warning}", arena.name)));
    }
    for (colour, text) in lines {
        egui::Frame::new()
            .fill(Color32::from_black_alpha(210))
            .inner_margin(egui::Margin::symmetric(8, 3))
            .corner_radius(4.0)
            .show(ui, |ui| {
                let label = egui::Label::new(RichText::new(text).strong().color(colour));
                ui.add(label.wrap_mode(egui::TextWrapMode::Extend));
            });
    }
}

fn error_banner(ui: &mut egui::Ui, file: &SceneFile) {
    egui::Frame::new()
        .fill(palette::ERROR_BANNER)
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let headline = if file.missing {
                format!(
                    "{} is missing (deleted or renamed); the last scene keeps running and the file is read again when it returns.",
                    file.path.display()
                )
            } else {
                "The scene file has errors; the last good scene keeps running.".to_owned()
            };
            ui.label(RichText::new(headline).strong().color(Color32::WHITE));
            for error in file.errors.iter().take(4).filter(|_| !file.missing) {
                ui.label(
                    RichText::new(error.to_string())
                        .monospace()
                        .color(palette::ERROR_TEXT),
                );
            }
        });
    ui.add_space(6.0);
}

/// 1234567 as "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
