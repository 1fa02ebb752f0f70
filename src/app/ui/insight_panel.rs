//! The right panel: inside the selected agent: what the mechanism is, its action values now, and key facts.

use bevy_egui::egui::{self, Color32, RichText, Ui};

use super::attention_panel;
use super::continual_panel::{self, ContinualRequests, ImportanceTextures};
use super::memory_panel::{self, MemoryRequests};
use super::meta_panel::{self, MetaRequests};
use super::planning_panel::{self, PlanningRequests};
use crate::app::sim::Sim;
use crate::world::Action;

/// Draws the selected agent's insight.
pub fn show(ui: &mut Ui, sim: &mut Sim, textures: &mut ImportanceTextures) {
    let selected = sim.selected;
    let Some(arena) = sim.experiment.arenas().get(selected) else {
        return;
    };
    let mut requests = MemoryRequests::default();
    let mut planning_requests = PlanningRequests::default();
    let mut continual_requests = ContinualRequests::default();
    let mut meta_requests = MetaRequests::default();
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Inside the agent");
        ui.label(RichText::new(&arena.name).strong().size(17.0));
        let brain = arena.brain();
        ui.collapsing(format!("(?) how {} works", brain.title()), |ui| {
            ui.label(brain.about());
        });
        ui.separator();
        let insight = arena.insight();
        if let Some(memory) = &insight.memory {
            requests = memory_panel::show(ui, arena.world(), memory, arena.last_action());
            ui.separator();
        }
        if let Some(attention) = &insight.attention {
            attention_panel::show(ui, selected, attention);
            ui.separator();
        }
        if let Some(meta) = &insight.meta {
            meta_requests = meta_panel::show(ui, selected, arena.world(), meta);
            ui.separator();
        }
        if let Some(continual) = &insight.continual {
            continual_requests = continual_panel::show(ui, selected, continual, textures);
            ui.separator();
        }
        if let Some(planning) = &insight.planning {
            planning_requests =
                planning_panel::show(ui, arena.world(), planning, arena.last_action());
            ui.separator();
        }
        if let Some(values) = insight.action_values.filter(|_| insight.memory.is_none()) {
            let caption = if insight.action_caption.is_empty() {
                "Action values here"
            } else {
                insight.action_caption
            };
            ui.label(RichText::new(caption).strong());
            let best = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let lo = values
                .iter()
                .copied()
                .fold(f32::INFINITY, f32::min)
                .min(0.0);
            let span = (best - lo).max(1e-6);
            egui::Grid::new("action values")
                .num_columns(3)
                .show(ui, |ui| {
                    for action in Action::ALL {
                        let v = values[action.index()];
                        let chosen = arena.last_action() == Some(action);
                        let name = format!("{action:?}{}", if chosen { " ◀" } else { "" });
                        ui.label(name);
                        let bar = egui::ProgressBar::new((v - lo) / span)
                            .desired_width(110.0)
                            .fill(if v == best {
                                Color32::from_rgb(92, 200, 99)
                            } else {
                                Color32::from_rgb(59, 81, 139)
                            });
                        ui.add(bar);
                        ui.monospace(format!("{v:+.3}"));
                        ui.end_row();
                    }
                });
            ui.separator();
        }
        egui::Grid::new("facts").num_columns(2).show(ui, |ui| {
            for (label, value) in &insight.facts {
                ui.label(label);
                ui.monospace(value);
                ui.end_row();
            }
            let episodes = arena.episodes();
            ui.label("episodes");
            ui.monospace(episodes.len().to_string());
            ui.end_row();
            if let Some(last) = episodes.last() {
                ui.label("last episode");
                ui.monospace(format!(
                    "{} steps, return {:.2}",
                    last.steps, last.episode_return
                ));
                ui.end_row();
            }
            ui.label("task");
            ui.monospace(sim.experiment.scene().task_name(arena.task()));
            ui.end_row();
        });
    });
    if meta_requests.new_task {
        sim.experiment.try_new_task(selected);
    }
    if continual_requests.next_task {
        sim.experiment.advance_task(selected);
    }
    if requests.amnesia {
        sim.experiment.amnesia(selected);
    }
    if requests.toggle_lesion || planning_requests.toggle_lesion {
        let mut brain = sim.experiment.arenas()[selected].brain();
        let lesioned = brain
            .hyperparameters()
            .iter()
            .any(|(spec, v)| spec.name == "lesion" && *v != 0.0);
        brain.set_hyperparameter("lesion", if lesioned { 0.0 } else { 1.0 });
        sim.experiment.retune(selected, &brain);
    }
}
