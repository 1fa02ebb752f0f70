//! The right panel: inside the selected agent: what the mechanism is, its panel, its action values
//! now, and key facts.

use bevy_egui::egui::{self, RichText, Ui};

use super::charts;
use super::continual_panel::{self, ImportanceTextures};
use super::shown::Shown;
use super::{
    attention_panel, dopamine_panel, memory_panel, meta_panel, planning_panel, replay_panel,
    successor_panel, water_maze_panel,
};
use crate::app::command::AppCommand;
use crate::brain::Mechanism;

/// Draws the selected agent's insight; buttons and switches become commands.
pub fn show(
    ui: &mut Ui,
    shown: &Shown,
    textures: &mut ImportanceTextures,
    commands: &mut Vec<AppCommand>,
) {
    let selected = shown.selected;
    // The panel keeps the width it opened at: an empty first frame would open it at its least.
    ui.set_min_width(ui.available_width());
    let Some(arena) = shown.selected_arena() else {
        return;
    };
    let Some(insight) = &arena.insight else {
        // The first frames (and a large map's first seconds) carry no insight yet.
        ui.heading("Inside the agent");
        ui.label(RichText::new(&arena.name).strong().size(17.0));
        ui.label(RichText::new("working out what the agent knows…").italics());
        return;
    };
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Inside the agent");
        ui.label(RichText::new(&arena.name).strong().size(17.0));
        let brain = &arena.brain;
        ui.collapsing(format!("(?) how {} works", brain.title()), |ui| {
            ui.label(brain.about());
        });
        ui.separator();
        let (world, last_action) = (&arena.world, arena.last_action);
        match &insight.mechanism {
            Some(Mechanism::Memory(memory)) => {
                memory_panel::show(ui, selected, world, memory, commands);
            }
            Some(Mechanism::Attention(attention)) => {
                attention_panel::show(ui, selected, attention);
            }
            Some(Mechanism::Meta(meta)) => meta_panel::show(ui, selected, world, meta, commands),
            Some(Mechanism::Successor(successor)) => {
                successor_panel::show(ui, selected, world, successor, commands);
            }
            Some(Mechanism::Continual(continual)) => {
                continual_panel::show(ui, selected, continual, textures, commands);
            }
            Some(Mechanism::Planning(planning)) => {
                planning_panel::show(ui, selected, world, planning, commands);
            }
            Some(Mechanism::Replay(replay)) => {
                replay_panel::show(ui, selected, world, replay, commands);
            }
            None => {}
        }
        if insight.mechanism.is_some() {
            ui.separator();
        }
        if let Some(pool) = world.pool() {
            egui::CollapsingHeader::new(RichText::new("The water maze").strong().size(17.0))
                .id_salt(("water maze", selected))
                .default_open(true)
                .show(ui, |ui| {
                    water_maze_panel::show(ui, selected, pool, world.rules.max_steps)
                });
            ui.separator();
        }
        if let Some(dopamine) = &arena.dopamine {
            // Open at first where it is the agent's only panel (Q-learning, the delay line).
            egui::CollapsingHeader::new(
                RichText::new("Dopamine: the TD error δ")
                    .strong()
                    .size(17.0),
            )
            .id_salt(("dopamine", selected))
            .default_open(insight.mechanism.is_none())
            .show(ui, |ui| {
                dopamine_panel::show(ui, selected, world, dopamine, commands)
            });
            ui.separator();
        }
        // The memory panel shows the values it read itself.
        if let Some(values) = insight.action_values.filter(|_| insight.memory().is_none()) {
            let caption = if insight.action_caption.is_empty() {
                "Action values here"
            } else {
                insight.action_caption
            };
            ui.label(RichText::new(caption).strong());
            charts::move_bars(ui, "action values", values.map(Some), None, "");
            ui.separator();
        }
        // Facts wrap within the panel: a long one ("column 4, row 4: held out …") must not widen
        // the panel, which would narrow the arenas from one frame to the next.
        let mut facts: Vec<(&str, String)> = insight
            .facts
            .iter()
            .map(|(label, value)| (label.as_str(), value.clone()))
            .collect();
        if let Some(last) = last_action {
            facts.push(("last move", format!("{last:?}")));
        }
        facts.push(("episodes", arena.episodes.to_string()));
        if let Some(last) = &arena.last_episode {
            let summary = format!("{} steps, return {:.2}", last.steps, last.episode_return);
            facts.push(("last episode", summary));
        }
        facts.push(("task", shown.frame.scene.task_name(arena.task)));
        // Values get what the widest label leaves (at least half the panel), and both columns
        // wrap past that: the grid never outgrows the panel.
        let font = egui::TextStyle::Body.resolve(ui.style());
        let widest = facts
            .iter()
            .map(|(label, _)| {
                let galley = ui.painter().layout_no_wrap(
                    (*label).to_owned(),
                    font.clone(),
                    egui::Color32::WHITE,
                );
                galley.size().x
            })
            .fold(0.0, f32::max);
        let (room, spacing) = (ui.available_width(), ui.spacing().item_spacing.x);
        let column = (room - widest - spacing)
            .max((room - spacing) / 2.0)
            .max(40.0);
        egui::Grid::new("facts")
            .num_columns(2)
            .max_col_width(column)
            .show(ui, |ui| {
                for (label, value) in facts {
                    ui.add(egui::Label::new(label).wrap());
                    ui.add(egui::Label::new(RichText::new(value).monospace()).wrap());
                    ui.end_row();
                }
            });
    });
}
