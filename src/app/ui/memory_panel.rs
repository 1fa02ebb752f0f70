//! The memory panel: for the present situation, the memories each move recalls (where, how far, what value,
//! how old, what weight), the value read per move, store sizes over time, amnesia and lesion.

use bevy_egui::egui::{self, CornerRadius, RichText, Stroke, StrokeKind, Ui, Vec2};

use super::lesion::lesion_switch;
use super::plots::{PlotStyle, series_plot};
use super::{charts, palette};
use crate::app::command::AppCommand;
use crate::brain::{ActionRecall, KeyMode, MemoryInsight};
use crate::command::Command;
use crate::world::{Action, GridWorld};

/// Side of a memory thumbnail, in points.
const THUMB: f32 = 46.0;

/// A small picture of a memory's situation: the map with the agent where the memory was made,
/// framed brighter the more the memory weighs.
fn thumbnail(ui: &mut Ui, world: &GridWorld, cell: usize, weight: f32) -> egui::Response {
    let cell_size = (THUMB / world.width().max(world.height()) as f32).max(1.0);
    let shape = (world.width(), world.height());
    let (rect, response) = charts::heatmap(ui, "memory thumbnail", shape, cell_size, |i| {
        palette::cell(world.cell(i))
    });
    let (x, y) = world.xy(cell);
    let centre = rect.min + Vec2::new(x as f32 + 0.5, y as f32 + 0.5) * cell_size;
    let painter = ui.painter();
    painter.circle_filled(centre, (cell_size * 0.7).max(2.5), palette::AGENT);
    let alpha = (60.0 + 195.0 * weight.clamp(0.0, 1.0)) as u8;
    painter.rect_stroke(
        rect,
        CornerRadius::same(1),
        Stroke::new(2.0, palette::SELECTED.gamma_multiply_u8(alpha)),
        StrokeKind::Outside,
    );
    response
}

fn value_text(value: f32) -> String {
    if value.is_infinite() {
        "∞ untried".to_owned()
    } else {
        format!("{value:+.3}")
    }
}

fn recall_row(
    ui: &mut Ui,
    world: &GridWorld,
    action: Action,
    recall: &ActionRecall,
    recalled_at: Option<usize>,
    best: bool,
) {
    let mut header = format!("{action:?}: Q = {}", value_text(recall.value));
    let elsewhere = recall
        .neighbours
        .first()
        .is_some_and(|n| Some(n.cell) != recalled_at);
    if recall.exact && elsewhere {
        // The same key, another place: the two are confused.
        header.push_str("  (exact hit from another cell: alias)");
    } else if recall.exact {
        header.push_str("  (exact hit)");
    } else if recall.value.is_infinite() {
        header.push_str("  (store smaller than k: optimistic)");
    }
    let colour = if best { palette::BEST } else { palette::LABEL };
    ui.label(RichText::new(header).strong().color(colour));
    // Wrapped, not scrolled: every neighbour read shows, none cut at the panel's edge.
    {
        ui.horizontal_wrapped(|ui| {
            for memory in &recall.neighbours {
                ui.vertical(|ui| {
                    thumbnail(ui, world, memory.cell, memory.weight).on_hover_text(format!(
                        "made at column {}, row {}\ndistance {:.3}\nvalue {:+.3}\nage {} steps\nweight {:.3}",
                        memory.cell % world.width(),
                        memory.cell / world.width(),
                        memory.distance,
                        memory.value,
                        memory.age,
                        memory.weight
                    ));
                    ui.label(RichText::new(format!("d {:.2}\nv {:+.2}\nw {:.2}", memory.distance, memory.value, memory.weight)).size(11.0).monospace());
                });
            }
        });
    }
}

/// Draws the memory panel of arena `arena`; amnesia and the lesion become commands.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    memory: &MemoryInsight,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(RichText::new("Episodic memory").strong().size(17.0));
    ui.horizontal(|ui| {
        if ui
            .button("🗑 amnesia")
            .on_hover_text("Wipe every stored memory. What it learned is gone; the search starts again.")
            .clicked()
        {
            commands.push(Command::Amnesia(arena).into());
        }
        lesion_switch(
            ui,
            arena,
            memory.lesioned,
            "lesion",
            "Act without memory: recall is switched off (it keeps writing), as if the hippocampus were silenced.",
            commands,
        );
    });
    let total: usize = memory.sizes.iter().sum();
    ui.label(format!(
        "{total} memories · capacity {} per move · read: {}",
        memory.capacity, memory.read_mode
    ));
    // What the key in use means for recall.
    let key = match memory.key {
        KeyMode::Position => {
            "Key: the position itself. A move made from this cell is read back exactly; one never made here is read from the k nearest cells that have one, across walls too, so neighbouring cells share value. Every cell has its own key: no two places are confused."
        }
        KeyMode::Projection => {
            "Key: a random projection of what the agent sees. Similar views give near keys, so memories transfer between places that look alike; places that look the same share a key (alias)."
        }
        KeyMode::Identity => {
            "Key: what the agent sees, as it is. Memories transfer between similar views; places that look the same share a key (alias)."
        }
    };
    ui.label(RichText::new(key).italics());
    let (aliased, recalls) = memory.aliased;
    if recalls > 0 {
        ui.label(format!(
            "aliased recalls: {} of {} ({:.1} %)",
            crate::figures::group_thousands(aliased),
            crate::figures::group_thousands(recalls),
            100.0 * aliased as f64 / recalls as f64
        ))
        .on_hover_text("A recall is aliased when some move's exact hit is a memory made in another cell: two places share one key, and one's past is read as the other's.");
    }
    if memory.lesioned {
        ui.colored_label(
            palette::LESIONED,
            "Lesioned: recall is off, moves are random.",
        );
    } else if memory.recall.len() == Action::COUNT {
        let here = match memory.recalled_at {
            Some(cell) if cell == world.agent() => "Recalled for the present cell".to_owned(),
            Some(cell) => {
                let (x, y) = world.xy(cell);
                format!("Recalled at column {x}, row {y}")
            }
            None => "Recalled for the last move".to_owned(),
        };
        ui.label(RichText::new(format!("{here} (yellow frame: weight):")).italics());
        let best = memory
            .recall
            .iter()
            .map(|r| r.value)
            .fold(f32::NEG_INFINITY, f32::max);
        for action in Action::ALL {
            let recall = &memory.recall[action.index()];
            recall_row(
                ui,
                world,
                action,
                recall,
                memory.recalled_at,
                recall.value == best,
            );
        }
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Memories per move over time").strong());
    let series = Action::ALL
        .iter()
        .map(|action| {
            let points = memory
                .size_history
                .iter()
                .map(|(step, sizes)| [*step as f64, sizes[action.index()] as f64])
                .collect();
            (format!("{action:?}"), points)
        })
        .collect();
    let style = PlotStyle {
        x_label: "steps",
        height: 130.0,
        unit_range: false,
        markers: false,
        references: &[],
    };
    series_plot(ui, "memory sizes", &style, series);
}
