//! The window's look: larger text for the back of a lecture room, the high-contrast theme, the
//! clear colour behind the panels, and no anti-aliasing feathering on a software renderer.

use bevy::prelude::*;
use bevy_egui::EguiContexts;
use bevy_egui::egui::{self, Color32, FontId, TextStyle};

use super::palette;
use crate::app::settings::Settings;

/// The window's clear colour, which is the panels' background: black in high contrast.
pub fn clear_colour(settings: Res<Settings>, mut clear: ResMut<ClearColor>) {
    let wanted = if settings.high_contrast {
        palette::BACKGROUND_HIGH_CONTRAST
    } else {
        palette::BACKGROUND
    };
    if clear.0 != wanted {
        clear.0 = wanted;
    }
}

/// On a software renderer (Mesa's lavapipe, which CI and this project's benchmarks use), egui's
/// anti-aliasing feathering is turned off: it adds a soft edge of extra triangles to every shape,
/// and rasterising them on the CPU cost 6-12 % of the frame rate on the busiest scenes. On a real
/// GPU it costs nothing and stays on. Text is drawn from glyph textures either way.
pub fn edges_for_the_renderer(
    adapter: Option<Res<bevy::render::renderer::RenderAdapterInfo>>,
    mut contexts: EguiContexts,
    mut decided: Local<bool>,
) -> Result {
    let Some(adapter) = adapter.filter(|_| !*decided) else {
        return Ok(());
    };
    *decided = true;
    if crate::app::window::software_renderer(&adapter) {
        contexts
            .ctx_mut()?
            .tessellation_options_mut(|options| options.feathering = false);
    }
    Ok(())
}

/// Larger text than egui's default, readable from the back of a lecture room; with
/// `high_contrast`, white text and bright, thicker outlines on black.
pub fn style_for_projector(ctx: &egui::Context, high_contrast: bool) {
    ctx.all_styles_mut(|style| {
        style.visuals = egui::Visuals::dark();
        if high_contrast {
            let visuals = &mut style.visuals;
            visuals.override_text_color = Some(Color32::WHITE);
            visuals.extreme_bg_color = Color32::BLACK;
            visuals.window_fill = Color32::BLACK;
            visuals.widgets.noninteractive.fg_stroke = egui::Stroke::new(1.5, Color32::WHITE);
            visuals.widgets.noninteractive.bg_stroke =
                egui::Stroke::new(1.5, Color32::from_gray(200));
            for widget in [
                &mut visuals.widgets.inactive,
                &mut visuals.widgets.hovered,
                &mut visuals.widgets.active,
            ] {
                widget.fg_stroke = egui::Stroke::new(2.0, Color32::WHITE);
                widget.bg_stroke = egui::Stroke::new(1.5, Color32::WHITE);
                widget.weak_bg_fill = Color32::from_gray(10);
                // Slider rails and check boxes: grey enough to see on black.
                widget.bg_fill = Color32::from_gray(90);
            }
            visuals.selection.stroke = egui::Stroke::new(2.0, Color32::YELLOW);
            visuals.selection.bg_fill = Color32::from_rgb(90, 70, 0);
        }
        // The clear colour paints the panels' background (see `palette::BACKGROUND`).
        style.visuals.panel_fill = Color32::TRANSPARENT;
        style.text_styles.extend([
            (TextStyle::Body, FontId::proportional(15.0)),
            (TextStyle::Button, FontId::proportional(15.0)),
            (TextStyle::Heading, FontId::proportional(21.0)),
            (TextStyle::Monospace, FontId::monospace(14.0)),
            (TextStyle::Small, FontId::proportional(12.0)),
        ]);
        style.spacing.slider_width = 150.0;
    });
}
