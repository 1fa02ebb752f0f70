//! The left panel: the scene's title and explanation, the selected agent, and a live slider per hyperparameter.

use bevy_egui::egui::{self, RichText, Ui};

use crate::app::scene_file::SceneFile;
use crate::app::sim::Sim;
use crate::brain::ParamKind;

/// Draws the scene text and the selected agent's hyperparameters.
pub fn show(ui: &mut Ui, sim: &mut Sim, file: &SceneFile) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        let scene = sim.experiment.scene();
        ui.heading(&scene.title);
        if !scene.text.is_empty() {
            ui.label(RichText::new(scene.text.trim()).size(14.5));
        }
        for warning in &file.warnings {
            ui.colored_label(egui::Color32::from_rgb(240, 200, 80), format!("⚠ {}", warning.message))
                .on_hover_text(warning.to_string());
        }
        ui.add_space(8.0);
        ui.separator();
        ui.heading("Agent");
        let names: Vec<String> = sim.experiment.arenas().iter().map(|a| a.name.clone()).collect();
        let mut selected = sim.selected.min(names.len().saturating_sub(1));
        egui::ComboBox::from_id_salt("agent picker")
            .selected_text(names.get(selected).cloned().unwrap_or_default())
            .width(200.0)
            .show_ui(ui, |ui| {
                for (i, name) in names.iter().enumerate() {
                    ui.selectable_value(&mut selected, i, name);
                }
            })
            .response
            .on_hover_text("The agent the side panels show (or click its arena; Tab cycles)");
        sim.selected = selected;
        let Some(arena) = sim.experiment.arenas().get(selected) else {
            return;
        };
        let mut brain = arena.brain();
        ui.label(RichText::new(format!("kind: {}", brain.kind())).strong());
        ui.add_space(4.0);
        let mut changed = false;
        let parameters = brain.hyperparameters();
        if parameters.is_empty() {
            ui.label("No hyperparameters: nothing to tune.");
        }
        for (spec, value) in parameters {
            let mut v = value;
            let tip = format!("{}\nRange {} to {}. Paper: {}.", spec.help, spec.min, spec.max, spec.paper);
            match spec.kind {
                ParamKind::Switch => {
                    let mut on = v != 0.0;
                    ui.checkbox(&mut on, spec.name).on_hover_text(tip);
                    v = if on { 1.0 } else { 0.0 };
                }
                ParamKind::Choice(labels) => {
                    let mut index = v as usize;
                    ui.horizontal(|ui| {
                        egui::ComboBox::from_id_salt(spec.name)
                            .selected_text(labels.get(index).copied().unwrap_or("?"))
                            .show_ui(ui, |ui| {
                                for (i, label) in labels.iter().enumerate() {
                                    ui.selectable_value(&mut index, i, *label);
                                }
                            });
                        ui.label(spec.name);
                    })
                    .response
                    .on_hover_text(tip);
                    v = index as f64;
                }
                ParamKind::Real | ParamKind::Integer => {
                    let slider = egui::Slider::new(&mut v, spec.min..=spec.max)
                        .text(spec.name)
                        .clamping(egui::SliderClamping::Always);
                    let slider = if spec.kind.is_whole() { slider.integer() } else { slider.max_decimals(3) };
                    ui.add(slider).on_hover_text(tip);
                }
            }
            if v != value {
                brain.set_hyperparameter(spec.name, v);
                changed = true;
            }
        }
        if changed {
            sim.experiment.retune(selected, &brain);
        }
        ui.add_space(6.0);
        if ui
            .button("⟲ reset this agent")
            .on_hover_text("A fresh agent of this kind with the hyperparameters above; the others keep learning")
            .clicked()
        {
            sim.experiment.reset_arena(selected);
        }
    });
}
