//! The status line (file, selection, step, speed, frame rate, the scene file's state), the
//! notices over the foot of the arenas and the banner of a scene file with errors.

use bevy_egui::egui::{self, Color32, RichText};

use super::palette;
use super::shown::Shown;
use crate::app::keys::move_keys;
use crate::app::notices::Notices;
use crate::app::scene_file::SceneFile;
use crate::figures::group_thousands;
use crate::stepping::Speed;

pub fn status_line(
    ui: &mut egui::Ui,
    shown: &Shown,
    stopped: Option<&str>,
    fps: f64,
    gave_way: &[&'static str],
) {
    // Wrapped: at a large zoom the line goes on below instead of past the window's edge.
    ui.horizontal_wrapped(|ui| {
        let (frame, file) = (shown.frame, shown.file);
        let selected = shown
            .selected_arena()
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
        piece(ui, format!("step {}", group_thousands(frame.steps)));
        gap(ui);
        // Lockstep steps per second: every arena takes one step per step.
        let rate = frame.steps_per_second / frame.arenas.len().max(1) as f64;
        let rate = group_thousands(rate.round() as u64);
        if let Some(said) = stopped {
            coloured(
                ui,
                palette::ERROR,
                format!("the simulation stopped on an error: {said}"),
            )
            .on_hover_text("A bug in an agent or in the stepping ended the simulation thread. The window shows the last state it published; save nothing from it, close it (mindgrid then exits with an error) and open the scene again.");
        }
        let awaited = frame
            .arenas
            .iter()
            .enumerate()
            .find(|(_, a)| a.awaiting_move)
            .filter(|_| frame.waits_for_human);
        match (frame.playing, frame.speed()) {
            _ if let Some((index, arena)) = awaited => {
                coloured(
                    ui,
                    palette::NOTICE,
                    format!("waiting for your move: arena {} ({})", index + 1, arena.name),
                )
                    .on_hover_text(format!("Every arena waits for the person's move (select their arena, then {}). Untick \"the other arenas wait\" in the agent panel to let the agents run.", move_keys()));
            }
            (true, Speed::PerSecond(target)) if frame.behind => {
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
        if let Some(every) = frame.insights_every.filter(|_| frame.playing) {
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
pub fn notices_line(ui: &mut egui::Ui, shown: &Shown, notices: &Notices, now: f64) {
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
    if let Some(arena) = shown.selected_arena()
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

pub fn error_banner(ui: &mut egui::Ui, file: &SceneFile) {
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
