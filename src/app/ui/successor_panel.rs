//! The place-cells panel: a successor representation read as the hippocampus is (Stachenfeld,
//! Botvinick & Gershman 2017): the place field of the cell under the electrode (click a cell to
//! move it), where the agent has been, and the map's leading eigenvectors.

use bevy_egui::egui::{self, RichText, Stroke, Ui};

use super::{charts, palette};
use crate::app::command::AppCommand;
use crate::brain::{Follows, SuccessorInsight};
use crate::command::Command;
use crate::world::{Cell, GridWorld};

/// Draws the place-cells panel of arena `arena`; a click on the field map moves the electrode.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    successor: &SuccessorInsight,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(RichText::new("Place cells").strong().size(17.0));
    ui.label(
        RichText::new(
            "A hippocampal place cell fires where the animal expects to be at its place soon. \
             The successor representation holds exactly that: for the cell under the electrode, \
             how much (discounted) each cell expects to be there. Click a cell to record from it.",
        )
        .italics(),
    );
    let (x, y) = world.xy(successor.electrode);
    ui.label(format!("place field of column {x}, row {y}"));
    let width = ui.available_width().min(280.0);
    let cell = (width / world.width() as f32).min(22.0);
    let peak = successor
        .field
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    let clicked = field_map(ui, world, successor, cell, peak);
    charts::colour_bar_line(ui, width, "0", &format!("{peak:.2} expected visits"));
    if let Some(chosen) = clicked.filter(|&c| c != successor.electrode) {
        commands.push(
            Command::SetHyperparameter {
                arena,
                name: "electrode".into(),
                value: chosen as f64,
            }
            .into(),
        );
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Where the agent has been (arrivals, √ scale)").strong());
    let most = successor
        .occupancy
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    charts::heatmap(
        ui,
        "occupancy",
        (world.width(), world.height()),
        cell,
        |i| match world.cell(i) {
            Cell::Wall => palette::WALL,
            _ => palette::viridis((successor.occupancy[i] as f32 / most as f32).sqrt()),
        },
    );
    charts::colour_bar_line(ui, width, "0", &format!("{most} (√ scale)"));
    ui.add_space(4.0);
    let how = match successor.follows {
        Follows::RandomWalk => {
            "Here M follows a random walk, as in the paper; until it has seen many moves they are rough."
        }
        Follows::Greedy => {
            "Here M follows the agent's greedy moves (set follows to a random walk for the paper's), so once it has a route they gather along it."
        }
    };
    ui.label(RichText::new("Leading eigenvectors of the map").strong())
        .on_hover_text(format!("Eigenvectors of the successor representation made symmetric, (M + Mᵀ)/2 over the open cells, largest eigenvalue first (λ of the SR counting the cell itself); blue below zero, orange above. Stachenfeld et al. (2017) took them of a random walk's SR: in an open room they are then wave-like, like grid cells' periodic firing, and walls bend them. {how}"));
    if successor.eigenvectors.is_empty() {
        ui.label("none yet: the agent has not moved");
        return;
    }
    // Four to a row, each a small map of the arena.
    const PER_ROW: usize = 4;
    let gap = ui.spacing().item_spacing.x;
    let small =
        ((width - gap * (PER_ROW - 1) as f32) / PER_ROW as f32 / world.width() as f32).min(10.0);
    for (row, chunk) in successor.eigenvectors.chunks(PER_ROW).enumerate() {
        ui.horizontal(|ui| {
            for (k, (value, vector)) in chunk.iter().enumerate() {
                let k = row * PER_ROW + k;
                ui.vertical(|ui| {
                    let extent = vector
                        .iter()
                        .copied()
                        .filter(|v| v.is_finite())
                        .fold(1e-9f32, |m, v| m.max(v.abs()));
                    let shape = (world.width(), world.height());
                    charts::heatmap(ui, ("eigenvector", k), shape, small, |i| {
                        match world.cell(i) {
                            Cell::Wall => palette::WALL,
                            _ => palette::diverging(vector[i] / extent),
                        }
                    });
                    ui.label(RichText::new(format!("{}: λ {value:.2}", k + 1)).small());
                });
            }
        });
    }
}

/// The field map, the electrode's cell outlined; returns the cell clicked, if one was.
fn field_map(
    ui: &mut Ui,
    world: &GridWorld,
    successor: &SuccessorInsight,
    cell: f32,
    peak: f32,
) -> Option<usize> {
    let shape = (world.width(), world.height());
    let (rect, response) =
        charts::heatmap(ui, "place field", shape, cell, |i| match world.cell(i) {
            Cell::Wall => palette::WALL,
            _ => palette::viridis(successor.field[i] / peak.max(1e-9)),
        });
    let (ex, ey) = world.xy(successor.electrode);
    let marked = egui::Rect::from_min_size(
        rect.min + egui::vec2(ex as f32 * cell, ey as f32 * cell),
        egui::vec2(cell, cell),
    );
    ui.painter().rect_stroke(
        marked,
        0.0,
        Stroke::new(2.0, palette::SELECTED),
        egui::StrokeKind::Inside,
    );
    let response = response.interact(egui::Sense::click());
    let pointer = response.hover_pos()?;
    let (x, y) = charts::heatmap_cell(rect, cell, shape, pointer);
    let index = y * world.width() + x;
    let clicked = response.clicked();
    response.on_hover_text(format!(
        "column {x}, row {y}: {:.2} expected (discounted) visits to the electrode's cell; click to record here",
        successor.field[index]
    ));
    clicked
        .then_some(index)
        .filter(|&i| world.cell(i) != Cell::Wall)
}
