//! The planning panel: predicted return per first move from the imagined rollouts, the model's confidence
//! over the map, its recent error, and the planning lesion.

use bevy_egui::egui::{RichText, Ui};

use super::lesion::lesion_switch;
use super::{charts, palette};
use crate::app::command::AppCommand;
use crate::brain::PlanningInsight;
use crate::world::{Cell, GridWorld};

/// A heatmap of the model's confidence per cell, with a scale.
fn confidence_map(ui: &mut Ui, world: &GridWorld, confidence: &[f32]) {
    let width = ui.available_width().min(260.0);
    let cell = (width / world.width() as f32).min(22.0);
    let shape = (world.width(), world.height());
    let (rect, response) =
        charts::heatmap(ui, "confidence", shape, cell, |i| match world.cell(i) {
            Cell::Wall => palette::WALL,
            Cell::Goal => palette::GOAL,
            Cell::Lava => palette::LAVA,
            _ => palette::viridis(confidence.get(i).copied().unwrap_or(0.0)),
        });
    if let Some(pointer) = response.hover_pos() {
        let (x, y) = charts::heatmap_cell(rect, cell, shape, pointer);
        response.on_hover_text(format!(
            "column {x}, row {y}: confidence {:.2}",
            confidence
                .get(y * world.width() + x)
                .copied()
                .unwrap_or(0.0)
        ));
    }
    charts::colour_bar_line(ui, width, "0", "1 (tries and agreement)");
}

/// Draws the planning panel of arena `arena`; the lesion becomes a command.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    planning: &PlanningInsight,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(
        RichText::new("Imagination and planning")
            .strong()
            .size(17.0),
    );
    lesion_switch(
        ui,
        arena,
        planning.lesioned,
        "lesion (no planning)",
        "Switch imagination off: the agent learns and acts from real experience only.",
        commands,
    );
    if !planning.rollouts.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} imagined futures from here; predicted return per first move:",
                planning.rollouts.len()
            ))
            .italics(),
        );
        charts::move_bars(
            ui,
            "imagined returns",
            planning.first_action_returns,
            None,
            "not imagined (untried)",
        );
        if let Some(divergence) = planning.divergence {
            let (x, y) = world.xy(divergence);
            ui.label(format!(
                "✖ last time reality left the plan: column {x}, row {y}"
            ));
        }
    } else if !planning.touched.is_empty() {
        ui.label(format!(
            "{} cells updated by the replays after the last {} real steps (outlined on the map).",
            planning.touched.len(),
            crate::brain::OUTLINED_STEPS
        ));
    }
    ui.label(format!(
        "model error (recent): {:.1}%",
        100.0 * planning.model_error
    ));
    ui.add_space(4.0);
    ui.label(RichText::new("Model confidence over the map").strong());
    confidence_map(ui, world, &planning.confidence);
}
