//! The control bar: play/pause, single step, speed, reset, reload, the scene picker, overlays and help.

use bevy_egui::egui::{self, RichText, Ui};

use crate::app::command::AppCommand;
use crate::app::keys::Overlays;
use crate::app::scene_file::{SceneFile, scene_list};
use crate::app::sim::Sim;
use crate::app::stepper::Speed;
use crate::command::Command;

/// Draws the control bar; what the user changes becomes commands.
pub fn show(
    ui: &mut Ui,
    sim: &Sim,
    file: &SceneFile,
    overlays: &Overlays,
    (editing, high_contrast): (bool, bool),
    commands: &mut Vec<AppCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        let snapshot = sim.snapshot();
        let (label, tip) = if snapshot.playing {
            ("⏸ pause", "Pause the simulation (Space)")
        } else {
            ("▶ play", "Run the simulation (Space)")
        };
        // One width for both labels, so the bar (and the arenas under it) does not move when
        // the label changes.
        let play = egui::Button::new(RichText::new(label).strong()).min_size(egui::vec2(76.0, 0.0));
        if ui.add(play).on_hover_text(tip).clicked() {
            commands.push(AppCommand::TogglePlay);
        }
        if ui.button("⏭ step").on_hover_text("Take one step in every arena, then pause (Right arrow)").clicked() {
            commands.push(AppCommand::Step);
        }
        ui.separator();
        ui.label("speed");
        let last = Speed::LADDER.len() - 1;
        let mut speed = snapshot.speed;
        let moved = ui.add(
            egui::Slider::new(&mut speed, 0..=last)
                .show_value(false)
                .text(snapshot.speed().label()),
        )
        .on_hover_text("Steps per second, from one (watch every move) to \"max\" (one core steps without pause while the window draws). Keys: + and -. The numbers learned are the same at every speed.")
        .changed();
        if moved && speed != snapshot.speed {
            commands.push(AppCommand::SetSpeed(speed));
        }
        ui.separator();
        if ui.button("⟲ reset").on_hover_text("Forget everything: fresh agents with the current hyperparameters (R)").clicked() {
            commands.push(Command::ResetAll.into());
        }
        if ui.button("⟳ reload").on_hover_text("Read the scene file again (it also reloads by itself when saved)").clicked() {
            commands.push(AppCommand::Reload);
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
                        commands.push(AppCommand::OpenScene(path));
                    }
                }
            })
            .response
            .on_hover_text("Open another scene from scenes/");
        ui.separator();
        let mut values = overlays.values;
        if ui.checkbox(&mut values, "values").on_hover_text("Colour each cell by the agent's value estimate and draw its greedy move (V)").changed() {
            commands.push(AppCommand::ToggleValues);
        }
        let mut trail = overlays.trail;
        if ui.checkbox(&mut trail, "trail").on_hover_text("Draw the agent's recent path, fading with age (T)").changed() {
            commands.push(AppCommand::ToggleTrail);
        }
        ui.separator();
        if ui.selectable_label(editing, "✏ edit").on_hover_text("Edit mode: paint walls, goals, lava and objects on the maps while the agents learn, resize, save (E)").clicked() {
            commands.push(AppCommand::ToggleEdit);
        }
        if ui.selectable_label(high_contrast, "contrast").on_hover_text("High contrast: white text and bright outlines on black, for projectors (remembered, like the zoom: Ctrl+= / Ctrl+- / Ctrl+0)").clicked() {
            commands.push(AppCommand::ToggleContrast);
        }
        if ui.button("? keys").on_hover_text("Keyboard shortcuts (H)").clicked() {
            commands.push(AppCommand::ToggleHelp);
        }
    });
}
