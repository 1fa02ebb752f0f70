//! The continual-learning panel: every task's accuracy over time (forgetting curves), the EWC
//! penalty, the importance (Fisher, or SI's path integral) of every weight as a heatmap, the
//! forgetting floor, and a "next task" button.

use std::collections::HashMap;

use bevy_egui::egui::{Color32, ColorImage, RichText, TextureHandle, TextureOptions, Ui, Vec2};

use super::palette;
use super::plots::{PlotStyle, over_steps, series_plot};
use crate::app::command::AppCommand;
use crate::brain::ContinualInsight;
use crate::command::Command;

/// Heatmap textures of weight importance, rebuilt only when the importance changes.
#[derive(Default)]
pub struct ImportanceTextures {
    by_key: HashMap<(usize, usize), (u64, TextureHandle)>,
}

/// Draws the panel for arena `arena`; "next task" becomes a command.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    continual: &ContinualInsight,
    textures: &mut ImportanceTextures,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(
        RichText::new("Learning task after task")
            .strong()
            .size(17.0),
    );
    ui.horizontal(|ui| {
        if ui
            .button("⏩ next task")
            .on_hover_text("Switch this arena to the next task of the scene's schedule now")
            .clicked()
        {
            commands.push(Command::NextTask(arena).into());
        }
        // Each method's strength under its paper's name: EWC's λ (penalty λ/2 Σ F Δ²), SI's c
        // (penalty c Σ Ω Δ²: the scene's lambda is 2c, as one penalty serves both).
        ui.label(format!(
            "{} · {} consolidated",
            strength(continual),
            continual.consolidations
        ))
        .on_hover_text(if continual.path_integral {
            "Synaptic Intelligence (Zenke et al. 2017): penalty c Σ Ω (w − w*)², Ω the path integral of each weight's share of the loss's fall. The scene's lambda is 2c."
        } else {
            "Elastic Weight Consolidation (Kirkpatrick et al. 2017): penalty λ/2 Σ F (w − w*)², F the Fisher information at the task's end."
        });
    });
    ui.label(RichText::new("Accuracy on every task (forgetting curves)").strong());
    let curves = continual
        .tasks
        .iter()
        .map(|t| (t.name.clone(), over_steps(&t.points)))
        .collect();
    // The floor of each earlier task: what a network entirely switched to the current task
    // would score on it, since many placements ask the same move of both.
    let labels: Vec<String> = continual
        .floors
        .iter()
        .map(|(task, _)| format!("floor: {task}"))
        .collect();
    let floors: Vec<(&str, f64)> = labels
        .iter()
        .zip(&continual.floors)
        .map(|(label, (_, floor))| (label.as_str(), f64::from(*floor)))
        .collect();
    let style = PlotStyle {
        x_label: "steps",
        height: 150.0,
        unit_range: true,
        markers: false,
        references: &floors,
    };
    series_plot(ui, ("forgetting", arena), &style, curves);
    if !floors.is_empty() {
        ui.label(RichText::new("The floor line: what a network switched entirely to the current task would score on the earlier one. Forgetting falls to it, not to zero: many placements ask the same move of both tasks.").small());
    }
    if !continual.penalty.is_empty() {
        ui.label(
            RichText::new(if continual.path_integral {
                "SI penalty c Σ Ω (w − w*)²"
            } else {
                "EWC penalty λ/2 Σ F (w − w*)²"
            })
            .strong(),
        );
        // The penalty has no floor: the forgetting plot's reference lines are not its own.
        let style = PlotStyle {
            height: 90.0,
            unit_range: false,
            references: &[],
            ..style
        };
        series_plot(
            ui,
            ("penalty", arena),
            &style,
            vec![("penalty".to_owned(), over_steps(&continual.penalty))],
        );
    }
    let measure = if continual.path_integral {
        "Importance of each weight (path integral, SI)"
    } else {
        "Importance of each weight (Fisher)"
    };
    ui.label(RichText::new(measure).strong());
    if continual.importance.is_empty() {
        ui.label("Measured at the first task switch.");
    }
    for (l, map) in continual.importance.iter().enumerate() {
        let key = (arena, l);
        let stale = textures
            .by_key
            .get(&key)
            .is_none_or(|(version, _)| *version != continual.version);
        if stale {
            let pixels: Vec<Color32> = map.values.iter().map(|&v| palette::viridis(v)).collect();
            let image = ColorImage::new([map.cols, map.rows], pixels);
            let handle = ui.ctx().load_texture(
                format!("importance {arena} {l}"),
                image,
                TextureOptions::NEAREST,
            );
            textures.by_key.insert(key, (continual.version, handle));
        }
        if let Some((_, handle)) = textures.by_key.get(&key) {
            ui.label(format!(
                "{} · brightest = {:.2e} (square-root scale)",
                map.name, map.max
            ));
            let width = ui.available_width().min(300.0);
            let height = (width * map.rows as f32 / map.cols as f32).clamp(12.0, 160.0);
            ui.image((handle.id(), Vec2::new(width, height)))
                .on_hover_text("Rows: units of the layer; columns: their inputs. Bright weights mattered for earlier tasks and are held in place.");
        }
    }
}

/// The consolidation's strength as its paper names it: "EWC λ = 50", "SI c = 0.15", or "no
/// consolidation (λ = 0)".
fn strength(continual: &ContinualInsight) -> String {
    match (continual.lambda > 0.0, continual.path_integral) {
        (false, _) => "no consolidation (λ = 0)".to_owned(),
        (true, false) => format!("EWC λ = {}", continual.lambda),
        (true, true) => format!("SI c = {}", continual.lambda / 2.0),
    }
}
