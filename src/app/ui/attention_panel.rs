//! The attention panel: each head's weights over the egocentric view (values on hover), attention
//! entropy over time against uniform, and the attention mass on the target.

use bevy_egui::egui::{RichText, Stroke, Ui, Vec2};

use super::plots::{PlotStyle, over_steps, series_plot};
use super::{charts, palette};
use crate::brain::AttentionInsight;

/// Draws one head's weights as a heatmap over the window.
fn head_map(ui: &mut Ui, head: usize, weights: &[f32], side: usize, max: f32) {
    let cell = (200.0 / side as f32).min(24.0);
    let (rect, response) = charts::heatmap(ui, ("head", head), (side, side), cell, |i| {
        palette::viridis((weights[i] / max).sqrt())
    });
    // The agent sits at the window's centre.
    let centre = rect.min + Vec2::splat(cell * side as f32 / 2.0);
    ui.painter()
        .circle_stroke(centre, cell * 0.3, Stroke::new(2.0, palette::AGENT));
    if let Some(pointer) = response.hover_pos() {
        let (x, y) = charts::heatmap_cell(rect, cell, (side, side), pointer);
        let r = side as i32 / 2;
        response.on_hover_text(format!(
            "offset ({:+}, {:+}) from the agent: weight {:.4}",
            x as i32 - r,
            y as i32 - r,
            weights[y * side + x]
        ));
    }
}

/// Draws the panel.
pub fn show(ui: &mut Ui, arena: usize, attention: &AttentionInsight) {
    ui.label(RichText::new("Attention").strong().size(17.0));
    if attention.lesioned {
        ui.colored_label(palette::LESIONED, "Lesioned: every cell weighs the same.");
    }
    let max = attention
        .heads
        .iter()
        .flatten()
        .copied()
        .fold(1e-6, f32::max);
    for (h, weights) in attention.heads.iter().enumerate() {
        ui.label(format!(
            "head {}: where it looks ({} x {} view, agent at the centre)",
            h + 1,
            attention.side,
            attention.side
        ));
        head_map(ui, h, weights, attention.side, max);
    }
    charts::colour_bar_line(ui, 240.0, "0", &format!("{max:.3} (√ scale)"));
    let uniform_mass = 1.0 / (attention.side * attention.side) as f64;
    ui.label(RichText::new("Attention on the target (mean over recent steps)").strong());
    series_plot(
        ui,
        ("target mass", arena),
        &PlotStyle {
            x_label: "steps",
            height: 110.0,
            unit_range: true,
            markers: false,
            references: &[("uniform", uniform_mass)],
        },
        vec![("on target".to_owned(), over_steps(&attention.target_mass))],
    );
    ui.label(RichText::new("Attention entropy (nats)").strong());
    series_plot(
        ui,
        ("attention entropy", arena),
        &PlotStyle {
            x_label: "steps",
            height: 110.0,
            unit_range: false,
            markers: false,
            references: &[("uniform (maximum)", f64::from(attention.uniform_entropy))],
        },
        vec![("entropy".to_owned(), over_steps(&attention.entropy))],
    );
}
