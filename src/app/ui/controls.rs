//! The control bar: play/pause, single step, speed, reset, reload, the scene picker, overlays and help.

use bevy_egui::egui::{self, RichText, Ui};

use super::shown::Shown;
use crate::app::command::{AppCommand, FileCommand, ViewCommand};
use crate::app::keys::{hint, key_of, zoom_keys};
use crate::app::scene_file::scene_list;
use crate::command::Command;
use crate::stepping::Speed;
use crate::stepping::Transport;

/// Draws the control bar; what the user changes becomes commands.
pub fn show(
    ui: &mut Ui,
    shown: &Shown,
    (editing, high_contrast): (bool, bool),
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        let (frame, file, overlays) = (shown.frame, shown.file, shown.overlays);
        let (label, tip) = if frame.playing {
            ("⏸ pause", "Pause the simulation")
        } else {
            ("▶ play", "Run the simulation")
        };
        let tip = hint(tip, Transport::TogglePlay, shown.situation);
        // One width for both labels, so the bar (and the arenas under it) does not move when
        // the label changes.
        let play = egui::Button::new(RichText::new(label).strong()).min_size(egui::vec2(76.0, 0.0));
        if ui.add(play).on_hover_text(tip).clicked() {
            commands.push(Transport::TogglePlay.into());
        }
        if ui.button("⏭ step").on_hover_text(hint("Take one step in every arena, then pause", Transport::Step, shown.situation)).clicked() {
            commands.push(Transport::Step.into());
        }
        ui.separator();
        ui.label("speed");
        let last = Speed::LADDER.len() - 1;
        let mut speed = frame.speed;
        let moved = ui.add(
            egui::Slider::new(&mut speed, 0..=last)
                .show_value(false)
                .text(frame.speed().label()),
        )
        .on_hover_text(format!(
            "Steps per second, from one (watch every move) to \"max\" (one core steps without pause while the window draws). Keys: {} and {}. The numbers learned are the same at every speed.",
            key_of(&Transport::ChangeSpeed(1).into(), shown.situation).unwrap_or_default(),
            key_of(&Transport::ChangeSpeed(-1).into(), shown.situation).unwrap_or_default(),
        ))
        .changed();
        if moved && speed != frame.speed {
            commands.push(Transport::SetSpeed(speed).into());
        }
        ui.separator();
        if ui.button("⟲ reset").on_hover_text(hint("Forget everything: fresh agents with the current hyperparameters", Command::ResetAll, shown.situation)).clicked() {
            commands.push(Command::ResetAll.into());
        }
        #[cfg(not(target_arch = "wasm32"))]
        if ui.button("⟳ reload").on_hover_text("Read the scene file again (it also reloads by itself when saved)").clicked() {
            commands.push(FileCommand::Reload.into());
        }
        // The browser reads no disk: a scene or recording comes from the computer's files
        // (or is dropped on the page).
        #[cfg(target_arch = "wasm32")]
        if ui.button("open…").on_hover_text("Open a scene (.ron) or a recording (.mgrec) from this computer; dropping one on the page does the same").clicked() {
            commands.push(FileCommand::Browse.into());
        }
        let current = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A combo box does not wrap by itself: on a narrow bar it starts the next row whole.
        const PICKER_WIDTH: f32 = 220.0;
        if ui.available_size_before_wrap().x < PICKER_WIDTH + 30.0 {
            ui.end_row();
        }
        egui::ComboBox::from_id_salt("scene picker")
            .selected_text(format!("scene: {current}"))
            .width(PICKER_WIDTH)
            .show_ui(ui, |ui| {
                for path in scene_list(&file.path) {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    if ui.selectable_label(name == current, &name).clicked() {
                        commands.push(FileCommand::OpenScene(path).into());
                    }
                }
                // The web build presents lessons from here (the desktop app: `mindgrid lesson`).
                #[cfg(target_arch = "wasm32")]
                crate::app::web::lesson_links(ui, commands);
            })
            .response
            .on_hover_text(if crate::app::window::IN_BROWSER { "Open another scene, or present a lesson" } else { "Open another scene from scenes/" });
        ui.separator();
        let mut values = overlays.values;
        if ui.checkbox(&mut values, "values").on_hover_text(hint("Colour each cell by the agent's value estimate and draw its greedy move", ViewCommand::ToggleValues, shown.situation)).changed() {
            commands.push(ViewCommand::ToggleValues.into());
        }
        let mut trail = overlays.trail;
        if ui.checkbox(&mut trail, "trail").on_hover_text(hint("Draw the agent's recent path, fading with age", ViewCommand::ToggleTrail, shown.situation)).changed() {
            commands.push(ViewCommand::ToggleTrail.into());
        }
        ui.separator();
        if ui.selectable_label(editing, "✏ edit").on_hover_text(hint("Edit mode: paint walls, goals, lava and objects on the maps while the agents learn, resize, save", ViewCommand::ToggleEdit, shown.situation)).clicked() {
            commands.push(ViewCommand::ToggleEdit.into());
        }
        if ui.selectable_label(high_contrast, "contrast").on_hover_text(format!("High contrast: white text and bright outlines on black, for projectors (remembered, like the zoom: {})", zoom_keys())).clicked() {
            commands.push(ViewCommand::ToggleContrast.into());
        }
        if ui.button("? keys").on_hover_text(hint("Keyboard shortcuts", ViewCommand::ToggleHelp, shown.situation)).clicked() {
            commands.push(ViewCommand::ToggleHelp.into());
        }
    });
}
