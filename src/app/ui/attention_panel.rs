//! The attention panel: each head's weights over the egocentric view (values on hover), attention
//! entropy over time against uniform, and the attention mass on the target.

use super::plots::{PlotStyle, over_steps, series_plot};
use bevy_egui::egui::{
    Align2, Color32, CornerRadius, FontId, Rect, RichText, Sense, Stroke, StrokeKind, Ui, Vec2,
};

use super::palette;
use crate::brain::AttentionInsight;

/// Draws one head's weights as a heatmap over the window.
fn head_map(ui: &mut Ui, weights: &[f32], side: usize, max: f32) {
    let cell = (200.0 / side as f32).min(24.0);
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(cell * side as f32), Sense::hover());
    let painter = ui.painter_at(rect);
    for (i, &w) in weights.iter().enumerate() {
        let (x, y) = (i % side, i / side);
        let r = Rect::from_min_size(
            rect.min + Vec2::new(x as f32, y as f32) * cell,
            Vec2::splat(cell),
        );
        painter.rect_filled(
            r.shrink(0.3),
            CornerRadius::ZERO,
            palette::viridis((w / max).sqrt()),
        );
    }
    // The agent sits at the window's centre.
    let centre = rect.min + Vec2::splat(cell * side as f32 / 2.0);
    painter.circle_stroke(centre, cell * 0.3, Stroke::new(2.0, Color32::WHITE));
    if let Some(pointer) = response.hover_pos() {
        let x = (((pointer.x - rect.left()) / cell) as usize).min(side - 1);
        let y = (((pointer.y - rect.top()) / cell) as usize).min(side - 1);
        let r = side as i32 / 2;
        response.on_hover_text(format!(
            "offset ({:+}, {:+}) from the agent: weight {:.4}",
            x as i32 - r,
            y as i32 - r,
            weights[y * side + x]
        ));
    }
}

/// A colour bar from 0 to `max`.
fn legend(ui: &mut Ui, max: f32) {
    let (bar, _) = ui.allocate_exact_size(Vec2::new(240.0, 16.0), Sense::hover());
    let painter = ui.painter();
    let inner = Rect::from_min_max(
        bar.min + Vec2::new(20.0, 2.0),
        bar.max - Vec2::new(90.0, 2.0),
    );
    for k in 0..24 {
        let t = k as f32 / 24.0;
        let r = Rect::from_min_size(
            inner.min + Vec2::new(t * inner.width(), 0.0),
            Vec2::new(inner.width() / 24.0 + 0.5, inner.height()),
        );
        painter.rect_filled(r, CornerRadius::ZERO, palette::viridis(t));
    }
    painter.rect_stroke(
        inner,
        CornerRadius::ZERO,
        Stroke::new(1.0, Color32::from_gray(90)),
        StrokeKind::Outside,
    );
    let font = FontId::proportional(12.0);
    painter.text(
        inner.left_center() - Vec2::new(4.0, 0.0),
        Align2::RIGHT_CENTER,
        "0",
        font.clone(),
        Color32::from_gray(210),
    );
    painter.text(
        inner.right_center() + Vec2::new(4.0, 0.0),
        Align2::LEFT_CENTER,
        format!("{max:.3} (√ scale)"),
        font,
        Color32::from_gray(210),
    );
}

/// Draws the panel.
pub fn show(ui: &mut Ui, arena: usize, attention: &AttentionInsight) {
    ui.label(RichText::new("Attention").strong().size(17.0));
    if attention.lesioned {
        ui.colored_label(
            Color32::from_rgb(255, 140, 120),
            "Lesioned: every cell weighs the same.",
        );
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
        head_map(ui, weights, attention.side, max);
    }
    legend(ui, max);
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
            reference: Some(("uniform", uniform_mass)),
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
            reference: Some(("uniform (maximum)", f64::from(attention.uniform_entropy))),
        },
        vec![("entropy".to_owned(), over_steps(&attention.entropy))],
    );
}
