//! The window's egui layout: control bar, scene/agent panel, arenas, insight panel, curves, status
//! line. Every panel draws from one read-only [`Shown`] context and writes commands into a sink;
//! only UI state (edit mode's palette, panel sizes, the help) changes here, never the experiment.

mod agent_panel;
mod arenas;
mod attention_panel;
mod charts;
mod continual_panel;
mod controls;
mod curves;
mod dopamine_panel;
mod edit_bar;
mod help;
mod insight_panel;
mod lesion;
mod memory_panel;
mod meta_panel;
pub mod palette;
#[cfg(test)]
mod panel_tests;
mod planning_panel;
mod plots;
mod replay_panel;
mod shown;
mod slide;
pub mod stage;
mod status;
mod successor_panel;
mod theme;
mod timeline;
mod water_maze_panel;

use std::collections::VecDeque;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy_egui::egui::{self, Color32, LayerId, UiBuilder};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

pub use curves::{CurveSettings, smoothed};
pub use shown::Shown;

use super::capture::{ArenaBlock, ArenaRects};
#[cfg(not(target_arch = "wasm32"))]
use super::clip::ClipPlan;
use super::command::{AppCommand, ViewCommand};
use super::edit::Editing;
use super::keys::Situation;
use super::lesson::Presenter;
use super::notices::Notices;
use super::scene_file::SceneFile;
use super::settings::Settings;
use super::sim::Sim;
use super::view::{Overlays, Typing};
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
    app.add_systems(
        EguiPrimaryContextPass,
        (theme::edges_for_the_renderer, draw_window).chain(),
    )
    .add_systems(Update, theme::clear_colour);
}

/// What drawing the window reads, and the UI state it may change.
#[derive(SystemParam)]
struct WindowParts<'w> {
    sim: Res<'w, Sim>,
    file: Res<'w, SceneFile>,
    overlays: ResMut<'w, Overlays>,
    editing: ResMut<'w, Editing>,
    notices: Res<'w, Notices>,
    rects: ResMut<'w, ArenaRects>,
    block: ResMut<'w, ArenaBlock>,
    #[cfg(not(target_arch = "wasm32"))]
    clip: Option<Res<'w, ClipPlan>>,
    presenter: Option<Res<'w, Presenter>>,
    settings: ResMut<'w, Settings>,
    typing: ResMut<'w, Typing>,
    time: Res<'w, Time<Real>>,
    writer: MessageWriter<'w, AppCommand>,
}

/// What the panels keep from frame to frame.
#[derive(Default)]
struct PanelMemory {
    curve_settings: CurveSettings,
    /// The height of the bars above and below the arenas on the last frame.
    bars: Option<f32>,
    last_stage: stage::Stage,
    clock: FrameClock,
    textures: continual_panel::ImportanceTextures,
}

/// Draws from the latest frame without changing the experiment: what the user does becomes
/// commands, applied at the next step boundary.
fn draw_window(
    mut contexts: EguiContexts,
    parts: WindowParts,
    mut memory: Local<PanelMemory>,
) -> Result {
    let WindowParts {
        sim,
        file,
        mut overlays,
        mut editing,
        notices,
        mut rects,
        mut block,
        #[cfg(not(target_arch = "wasm32"))]
        clip,
        presenter,
        mut settings,
        mut typing,
        time,
        mut writer,
    } = parts;
    let PanelMemory {
        curve_settings,
        bars,
        last_stage,
        clock,
        textures,
    } = &mut *memory;
    let (editing, rects) = (&mut *editing, &mut *rects);
    let stopped = (!sim.running()).then(|| sim.failure().unwrap_or_else(|| "no message".into()));
    let shown = Shown {
        frame: sim.frame(),
        selected: sim.selected,
        overlays: &overlays,
        file: &file,
        situation: Situation {
            presenting: presenter.is_some(),
            leaving: presenter.as_deref().is_some_and(|p| p.leaving),
            person: sim.person_selected(),
            selected: sim.selected,
        },
    };
    let ctx = contexts.ctx_mut()?;
    if clock.styled != Some(settings.high_contrast) {
        if clock.styled.is_none() {
            ctx.set_zoom_factor(settings.zoom);
        }
        theme::style_for_projector(ctx, settings.high_contrast);
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
        .unwrap_or(&sim.frame().scene.panels);
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
            &shown,
            (editing.on, settings.high_contrast),
            &mut commands,
        );
        ui.add_space(1.0);
    });
    if editing.on {
        egui::Panel::top("edit").show(&mut root, |ui| {
            ui.add_space(2.0);
            edit_bar::show(ui, &shown, editing, &mut commands);
            ui.add_space(2.0);
        });
    }
    // The stage: panels capped to a share of the window, giving way (curves, then the insight
    // panel, then the agent panel) before the arenas get less than half of it; F shows the arenas
    // alone (with the caption in presenter mode).
    let viewport = ctx.viewport_rect();
    let wanted = |panel: Panel| panels.contains(&panel) && !shown.overlays.arenas_only;
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
        status::status_line(ui, &shown, stopped.as_deref(), fps, &stage.gave_way);
    });
    let mut curves_height = 0.0;
    if let Some((least, most)) = stage.curves {
        curves_height = egui::Panel::bottom("curves")
            .resizable(true)
            .default_size(200.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| curves::show(ui, &shown, curve_settings))
            .response
            .rect
            .height();
    }
    egui::Panel::bottom("timeline").show(&mut root, |ui| {
        ui.add_space(2.0);
        #[cfg(not(target_arch = "wasm32"))]
        let clip = clip.as_deref().map(ClipPlan::progress);
        #[cfg(target_arch = "wasm32")]
        let clip = None;
        timeline::show(ui, &shown, clip, &mut commands);
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
            .show(&mut root, |ui| agent_panel::show(ui, &shown, &mut commands));
    }
    if stage.insight.is_some() != sim.insight_panel {
        // Only a shown panel's insight is computed.
        commands.push(ViewCommand::InsightPanel(!sim.insight_panel).into());
    }
    if let Some((least, most)) = stage.insight {
        egui::Panel::right("insight")
            .resizable(true)
            .default_size(330.0f32.clamp(least, most))
            .size_range(least..=most)
            .show(&mut root, |ui| {
                insight_panel::show(ui, &shown, textures, &mut commands)
            });
    }
    let centre = egui::CentralPanel::default().show(&mut root, |ui| {
        if file.missing || !file.errors.is_empty() {
            status::error_banner(ui, &file);
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
                status::notices_line(ui, &shown, &notices, time.elapsed_secs_f64());
            });
        arenas::show(ui, &shown, editing, rects, &mut commands);
    });
    let area = viewport.width() * viewport.height();
    block.0 = centre.response.rect.area() / area.max(1.0);
    *bars = Some(viewport.height() - centre.response.rect.height() - curves_height);
    if overlays.help {
        let presenting = presenter.is_some();
        help::show(ctx, &mut overlays.help, presenting, sim.person_selected());
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
    // (a focused button would take Space as a click, and Tab would walk the toolbar). Text being
    // typed keeps its focus, and the keys stay letters meanwhile.
    typing.0 = keyboard_is_for_text(ctx);
    if !typing.0 {
        ctx.memory_mut(|memory| {
            if let Some(id) = memory.focused() {
                memory.surrender_focus(id);
            }
        });
    }
    Ok(())
}

/// Whether the keyboard belongs to a text field (a slider's number being typed). Any other focus
/// (a button or slider that egui's Tab walked to) does not count: it is dropped, and the keys stay
/// the app's.
fn keyboard_is_for_text(ctx: &egui::Context) -> bool {
    ctx.text_edit_focused()
}
