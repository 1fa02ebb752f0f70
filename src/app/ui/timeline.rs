//! The timeline under the arenas: drag to any past step and every map and panel shows that moment;
//! the live edge and the steps where commands (edits, sliders, resets) applied are marked.

use bevy_egui::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, Ui, Vec2,
};

use super::palette;
use super::shown::Shown;
use crate::app::command::{AppCommand, FileCommand};
use crate::app::keys::hint;
use crate::app::window::IN_BROWSER;
use crate::figures::group_thousands;
use crate::stepping::Transport;

/// Height of the rail, in points.
const RAIL: f32 = 22.0;

/// Draws the timeline and its buttons; a drag or click on the rail becomes a seek.
pub fn show(ui: &mut Ui, shown: &Shown, clip: Option<(u32, u32)>, commands: &mut Vec<AppCommand>) {
    let frame = shown.frame;
    let view = &frame.timeline;
    let now = frame.steps;
    let frontier = view.frontier.max(now).max(1);
    // Wrapped: at a large zoom the buttons go to a second row instead of past the edge.
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(!frame.playing && now > 0, egui::Button::new("◀ back"))
            .on_hover_text(hint("One step back in time, when paused", Transport::StepBack, shown.situation))
            .clicked()
        {
            commands.push(Transport::StepBack.into());
        }
        let live = now >= view.frontier;
        if ui
            .add_enabled(!live, egui::Button::new("live ▶▶"))
            .on_hover_text("Back to the live edge: the furthest step reached")
            .clicked()
        {
            commands.push(Transport::SeekLive.into());
        }
        let width = (ui.available_width() - 660.0).max(160.0);
        let (rect, response) = ui.allocate_exact_size(Vec2::new(width, RAIL), Sense::click_and_drag());
        draw_rail(ui, rect, view, now, frontier);
        if let Some(pointer) = response.interact_pointer_pos().filter(|_| response.is_pointer_button_down_on()) {
            let t = ((pointer.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
            let step = (f64::from(t) * frontier as f64).round() as u64;
            let step = step.max(view.earliest);
            if step != now {
                commands.push(Transport::Seek(step).into());
            }
        }
        response.on_hover_text("Drag to any past step: maps and panels show that moment, exactly. Play or step from there and the recorded future is replayed; change anything (a slider, the map, a lesion) and the future is recomputed from there (a branch).");
        let (used, budget) = view.bytes;
        let place = if live {
            format!("step {}", group_thousands(now))
        } else {
            format!("step {} of {}", group_thousands(now), group_thousands(view.frontier))
        };
        ui.label(format!(
            "{place} · history from {} · {:.1}/{} MiB",
            group_thousands(view.earliest),
            used as f64 / f64::from(1 << 20),
            budget >> 20
        ))
        .on_hover_text(format!(
            "{} snapshots of the whole experiment (at most {}), kept at growing intervals within this memory budget (--history-mib): recent ones dense, older ones sparser. Any step since the earliest is rebuilt exactly from the nearest earlier one.",
            group_thousands(view.snapshots as u64),
            group_thousands(crate::timeline::MOST_POINTS as u64)
        ));
        // The browser has no disk: a file saved there is downloaded.
        let (beside, checkpoint_tip, recording_tip) = if IN_BROWSER {
            ("as a download", "; the desktop app opens it with `mindgrid SCENE --checkpoint FILE`", "; open it here (open…) to scrub it, or run it again with `mindgrid replay FILE`")
        } else {
            ("next to the scene file", "; open it with `mindgrid SCENE --checkpoint FILE`", "; `mindgrid replay FILE` runs it again to the same numbers")
        };
        if ui.button("checkpoint").on_hover_text(format!("Save the experiment as it is now (agents, worlds, metrics) {beside}{checkpoint_tip}")).clicked() {
            commands.push(FileCommand::SaveCheckpoint.into());
        }
        // While a clip records, its buttons wait, looking as they always do: a counter here would
        // be recorded into the clip itself. The notice says when it is saved. The browser cannot
        // encode GIFs: no clip buttons there.
        let free = clip.is_none();
        let busy = "A clip is being recorded; a notice says when it is saved";
        if !IN_BROWSER && ui.add_enabled(free, egui::Button::new("clip")).on_hover_text("Record the next frames of the whole window as an animated GIF next to the scene file (seek first to export a past range: playing on replays it)").on_disabled_hover_text(busy).clicked() {
            commands.push(FileCommand::Clip { arena: false }.into());
        }
        if !IN_BROWSER && ui.add_enabled(free, egui::Button::new("clip arena")).on_hover_text("The same, of the selected arena only").on_disabled_hover_text(busy).clicked() {
            commands.push(FileCommand::Clip { arena: true }.into());
        }
        if ui.button("recording").on_hover_text(format!("Save this session (scene, seed, every command with its step) {beside}{recording_tip}")).clicked() {
            commands.push(FileCommand::SaveRecording.into());
        }
    });
}

/// The rail: history reached (dim), command marks (ticks), the live edge, and where we are.
fn draw_rail(ui: &Ui, rect: Rect, view: &crate::timeline::TimelineView, now: u64, frontier: u64) {
    let painter = ui.painter();
    let x = |step: u64| rect.left() + rect.width() * (step as f32 / frontier as f32).min(1.0);
    let rail = Rect::from_min_max(
        Pos2::new(rect.left(), rect.center().y - 3.0),
        Pos2::new(rect.right(), rect.center().y + 3.0),
    );
    painter.rect_filled(rail, CornerRadius::same(3), Color32::from_gray(60));
    let reached = Rect::from_min_max(
        Pos2::new(x(view.earliest), rail.top()),
        Pos2::new(x(view.frontier), rail.bottom()),
    );
    painter.rect_filled(reached, CornerRadius::same(3), Color32::from_gray(110));
    for &mark in &view.marks {
        let at = x(mark);
        painter.line_segment(
            [
                Pos2::new(at, rect.top() + 2.0),
                Pos2::new(at, rect.bottom() - 2.0),
            ],
            Stroke::new(1.5, palette::NOTICE),
        );
    }
    let edge = x(view.frontier);
    painter.line_segment(
        [Pos2::new(edge, rect.top()), Pos2::new(edge, rect.bottom())],
        Stroke::new(2.0, palette::BEST),
    );
    let here = Pos2::new(x(now), rect.center().y);
    painter.circle_filled(here, 7.0, palette::SELECTED);
    painter.circle_stroke(here, 7.0, Stroke::new(1.5, Color32::BLACK));
    if now < view.frontier {
        painter.text(
            Pos2::new(edge - 4.0, rect.top()),
            Align2::RIGHT_TOP,
            "live",
            FontId::proportional(11.0),
            palette::BEST,
        );
    }
}
