//! The planning panel: predicted return per first move from the imagined rollouts, the model's confidence
//! over the map, its recent error, and the planning lesion.

use bevy_egui::egui::{self, Color32, CornerRadius, Rect, RichText, Sense, Ui, Vec2};

use super::insight_panel::lesion_switch;
use super::palette;
use crate::app::command::AppCommand;
use crate::brain::PlanningInsight;
use crate::world::{Action, Cell, GridWorld};

/// A heatmap of the model's confidence per cell, with a scale.
fn confidence_map(ui: &mut Ui, world: &GridWorld, confidence: &[f32]) {
    let width = ui.available_width().min(260.0);
    let cell = (width / world.width() as f32).min(22.0);
    let size = Vec2::new(cell * world.width() as f32, cell * world.height() as f32);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let painter = ui.painter_at(rect);
    for (i, &kind) in world.cells().iter().enumerate() {
        let (x, y) = world.xy(i);
        let r = Rect::from_min_size(
            rect.min + Vec2::new(x as f32, y as f32) * cell,
            Vec2::splat(cell),
        );
        let fill = match kind {
            Cell::Wall => palette::WALL,
            Cell::Goal => palette::GOAL,
            Cell::Lava => palette::LAVA,
            _ => palette::viridis(confidence.get(i).copied().unwrap_or(0.0)),
        };
        painter.rect_filled(r.shrink(0.3), CornerRadius::ZERO, fill);
    }
    if let Some(pointer) = response.hover_pos() {
        let x = ((pointer.x - rect.left()) / cell) as usize;
        let y = ((pointer.y - rect.top()) / cell) as usize;
        let i = y.min(world.height() - 1) * world.width() + x.min(world.width() - 1);
        response.on_hover_text(format!(
            "column {x}, row {y}: confidence {:.2}",
            confidence.get(i).copied().unwrap_or(0.0)
        ));
    }
    ui.horizontal(|ui| {
        ui.label("0");
        let (bar, _) = ui.allocate_exact_size(Vec2::new(120.0, 12.0), Sense::hover());
        for k in 0..24 {
            let t = k as f32 / 24.0;
            let r = Rect::from_min_size(
                bar.min + Vec2::new(t * bar.width(), 0.0),
                Vec2::new(bar.width() / 24.0 + 0.5, bar.height()),
            );
            ui.painter()
                .rect_filled(r, CornerRadius::ZERO, palette::viridis(t));
        }
        ui.label("1  (tries and agreement)");
    });
}

/// Draws the planning panel of arena `arena`; the lesion becomes a command.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    planning: &PlanningInsight,
    last_action: Option<Action>,
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
        let known: Vec<f32> = planning
            .first_action_returns
            .iter()
            .flatten()
            .copied()
            .collect();
        let best = known.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let lo = known.iter().copied().fold(f32::INFINITY, f32::min).min(0.0);
        egui::Grid::new("imagined returns")
            .num_columns(3)
            .show(ui, |ui| {
                for action in Action::ALL {
                    ui.label(format!(
                        "{action:?}{}",
                        if last_action == Some(action) {
                            " ◀"
                        } else {
                            ""
                        }
                    ));
                    match planning.first_action_returns[action.index()] {
                        Some(v) => {
                            let fill = if v == best {
                                Color32::from_rgb(92, 200, 99)
                            } else {
                                Color32::from_rgb(59, 81, 139)
                            };
                            ui.add(
                                egui::ProgressBar::new((v - lo) / (best - lo).max(1e-6))
                                    .desired_width(110.0)
                                    .fill(fill),
                            );
                            ui.monospace(format!("{v:+.3}"));
                        }
                        None => {
                            ui.label("not imagined");
                            ui.label("(untried)");
                        }
                    }
                    ui.end_row();
                }
            });
        if let Some(divergence) = planning.divergence {
            let (x, y) = world.xy(divergence);
            ui.label(format!(
                "✖ last time reality left the plan: column {x}, row {y}"
            ));
        }
    } else if !planning.touched.is_empty() {
        ui.label(format!(
            "{} cells updated by the latest replay (outlined on the map).",
            planning.touched.len()
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
