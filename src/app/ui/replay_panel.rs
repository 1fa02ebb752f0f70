//! The replay panel: what a replaying agent replayed at its latest rest and why (the gain and need
//! maps it weighed, Mattar & Daw 2018), and its forward and reverse replays at the start and the goal.

use bevy_egui::egui::{self, RichText, Ui};

use super::lesion::lesion_switch;
use super::{charts, palette};
use crate::app::command::AppCommand;
use crate::brain::{Direction, Priority, ReplayInsight, RestAt};
use crate::world::{Cell, GridWorld};

/// The colour a replayed sequence is drawn in, on the map and in the panel's words.
pub fn direction_colour(direction: Direction) -> egui::Color32 {
    match direction {
        Direction::Reverse => egui::Color32::from_rgb(255, 120, 200),
        Direction::Forward => egui::Color32::from_rgb(90, 210, 255),
        Direction::Single => egui::Color32::from_gray(200),
    }
}

/// The word for a direction, as the map labels it.
pub fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Reverse => "reverse",
        Direction::Forward => "forward",
        Direction::Single => "single step",
    }
}

/// A map of one number per cell (NaN: nothing there), viridis from 0 to its largest value, with
/// its scale; the hover says the cell's number.
fn cell_map(ui: &mut Ui, world: &GridWorld, key: &str, values: &[f32], unit: &str, width: f32) {
    let cell = (width / world.width() as f32).min(16.0);
    let peak = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    let shape = (world.width(), world.height());
    let (rect, response) = charts::heatmap(ui, key, shape, cell, |i| match world.cell(i) {
        Cell::Wall => palette::WALL,
        Cell::Goal => palette::GOAL,
        _ => match values.get(i).copied().filter(|v| v.is_finite()) {
            Some(v) if peak > 0.0 => palette::viridis((v / peak).clamp(0.0, 1.0)),
            _ => palette::viridis(0.0),
        },
    });
    if let Some(pointer) = response.hover_pos() {
        let (x, y) = charts::heatmap_cell(rect, cell, shape, pointer);
        let v = values
            .get(y * world.width() + x)
            .copied()
            .unwrap_or(f32::NAN);
        let text = if v.is_finite() {
            format!("column {x}, row {y}: {key} {v:.4}")
        } else {
            format!("column {x}, row {y}: nothing remembered here")
        };
        response.on_hover_text(text);
    }
    let (low, high) = charts::range_labels(0.0, peak);
    charts::colour_bar_line(ui, rect.width(), &low, &format!("{high} {unit}"));
}

/// Draws the replay panel of arena `arena`; the lesion becomes a command.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    replay: &ReplayInsight,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(RichText::new("Replay at rest").strong().size(17.0));
    ui.label(
        RichText::new(match replay.priority {
            Priority::GainNeed => {
                "Each replay backs up the remembered step worth most: its gain (how much better \
                 the choice there becomes) times its need (how soon the agent will be there)."
            }
            Priority::Sweeping => {
                "Each replay backs up the remembered step with the largest TD error \
                 (prioritised sweeping): surprise alone, wherever the agent will or will not go."
            }
            Priority::Uniform => {
                "Each replay backs up a remembered step drawn at random, as Dyna-Q does: the \
                 control, with the same budget at the same rests."
            }
        })
        .italics(),
    );
    lesion_switch(
        ui,
        arena,
        replay.lesioned,
        "lesion (no replay)",
        "Switch replay off: the agent learns from real steps only.",
        commands,
    );
    ui.add_space(4.0);
    ui.label(RichText::new("Replay events so far").strong())
        .on_hover_text(format!(
            "A replay event is a run of at least {} replayed steps in one direction: forward when each step starts where the one before ended (the path as walked), reverse when each ends where the one before started (the path walked backwards).",
            crate::brain::EVENT_STEPS
        ));
    egui::Grid::new(("replay counts", arena))
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("forward").color(direction_colour(Direction::Forward)));
            ui.label(RichText::new("reverse").color(direction_colour(Direction::Reverse)));
            ui.end_row();
            for (label, [forward, reverse]) in [
                ("at the start (before a run)", replay.counts.start),
                ("at the goal (after a reward)", replay.counts.goal),
            ] {
                ui.label(label);
                ui.label(RichText::new(forward.to_string()).monospace());
                ui.label(RichText::new(reverse.to_string()).monospace());
                ui.end_row();
            }
        });
    ui.label(format!("{} replays in all", replay.replays));
    if let Some(&(steps, replays)) = replay.records.last() {
        ui.label(format!(
            "shortest episode yet: {steps} steps; {replays} replays by its end (its rest at the goal included)"
        ));
    }
    ui.add_space(4.0);
    let Some(rest) = &replay.last_rest else {
        ui.label("No rest yet: replay begins once a reward has been found.");
        return;
    };
    let at = match rest.at {
        RestAt::Start => "at the start",
        RestAt::Goal => "at the goal",
        RestAt::Step => "between steps",
    };
    ui.label(
        RichText::new(format!(
            "Latest rest: {at}, after step {}: {} replays",
            rest.step, rest.replays
        ))
        .strong(),
    );
    for sequence in rest
        .sequences
        .iter()
        .filter(|s| s.cells.len() > crate::brain::EVENT_STEPS)
    {
        ui.label(
            RichText::new(format!(
                "{} · {} steps",
                direction_word(sequence.direction),
                sequence.cells.len() - 1
            ))
            .color(direction_colour(sequence.direction)),
        );
    }
    let width = ui.available_width().min(260.0);
    if !rest.gain.is_empty() {
        let (title, unit) = match replay.priority {
            Priority::Sweeping => ("Priority when the rest began: |TD error|", "|δ|"),
            _ => (
                "Gain when the rest began (best step from each cell)",
                "gain",
            ),
        };
        ui.label(RichText::new(title).strong());
        cell_map(ui, world, "gain", &rest.gain, unit, width);
        let peak = rest
            .gain
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0f32, f32::max);
        if peak < 1e-6 && replay.priority == Priority::GainNeed {
            ui.label(
                RichText::new("No step had anything to gain: need alone chose, so the replay followed the greedy path ahead.")
                    .italics(),
            );
        }
    }
    if !rest.need.is_empty() {
        ui.label(RichText::new("Need when the rest began").strong())
            .on_hover_text("The successor representation from where the agent rests (after a reward: from the starts it will be put back on): expected discounted visits to each cell under its current policy and remembered steps.");
        cell_map(ui, world, "need", &rest.need, "visits", width);
    }
    if replay.priority == Priority::Uniform {
        ui.label("Uniform replay weighs nothing: it draws its memories at random.");
    }
}
