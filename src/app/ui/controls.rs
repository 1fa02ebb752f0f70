//! The control bar: play/pause, single step, speed, reset, reload, the scene picker, overlays and help.

use bevy_egui::egui::{self, RichText, Ui};

use crate::app::keys::{KeyRequests, Overlays};
use crate::app::scene_file::{SceneFile, scene_list};
use crate::app::sim::{Sim, Speed};

/// Draws the control bar.
pub fn show(
    ui: &mut Ui,
    sim: &mut Sim,
    file: &mut SceneFile,
    overlays: &mut Overlays,
    requests: &mut KeyRequests,
) {
    ui.horizontal_wrapped(|ui| {
        let (label, tip) = if sim.playing {
            ("⏸ pause", "Pause the simulation (Space)")
        } else {
            ("▶ play", "Run the simulation (Space)")
        };
        if ui.button(RichText::new(label).strong()).on_hover_text(tip).clicked() {
            sim.playing = !sim.playing;
        }
        if ui.button("⏭ step").on_hover_text("Take one step in every arena, then pause (Right arrow)").clicked() {
            sim.queue_step();
        }
        ui.separator();
        ui.label("speed");
        let last = Speed::LADDER.len() - 1;
        let mut speed = sim.speed;
        ui.add(
            egui::Slider::new(&mut speed, 0..=last)
                .show_value(false)
                .text(sim.speed().label()),
        )
        .on_hover_text("From one step per second (watch every move) to \"max\" (as many steps as fit a frame). Keys: + and -. The numbers learned are the same at every speed.");
        if speed != sim.speed {
            sim.change_speed(speed as i32 - sim.speed as i32);
        }
        ui.separator();
        if ui.button("⟲ reset").on_hover_text("Forget everything: fresh agents with the current hyperparameters (R)").clicked() {
            sim.experiment.reset_all();
        }
        if ui.button("⟳ reload").on_hover_text("Read the scene file again (it also reloads by itself when saved)").clicked() {
            file.reload_requested = true;
        }
        let current = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        egui::ComboBox::from_id_salt("scene picker")
            .selected_text(format!("scene: {current}"))
            .width(220.0)
            .show_ui(ui, |ui| {
                for path in scene_list(&file.path) {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    if ui.selectable_label(name == current, &name).clicked() {
                        file.open(path);
                    }
                }
            })
            .response
            .on_hover_text("Open another scene from scenes/");
        ui.separator();
        ui.checkbox(&mut overlays.values, "values").on_hover_text("Colour each cell by the agent's value estimate and draw its greedy move (V)");
        ui.checkbox(&mut overlays.trail, "trail").on_hover_text("Draw the agent's recent path, fading with age (T)");
        ui.separator();
        if ui.button("? keys").on_hover_text("Keyboard shortcuts (H)").clicked() {
            requests.help_open = !requests.help_open;
        }
    });
}
