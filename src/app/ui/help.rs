//! The `H` help: the key table's bindings that work now, under their situation's heading.

use bevy_egui::egui;

use crate::app::keys::{BINDINGS, When};

/// Draws the help window while `open`; its close button clears `open`.
pub fn show(ctx: &egui::Context, open: &mut bool, presenting: bool, person: bool) {
    egui::Window::new("Keys")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            // A large zoom on a small projector: the list scrolls instead of leaving the screen.
            let most = ctx.content_rect().height() * 0.7;
            egui::ScrollArea::vertical()
                .max_height(most)
                .show(ui, |ui| {
                    egui::Grid::new("keys")
                        .num_columns(2)
                        .spacing([24.0, 6.0])
                        .show(ui, |ui| {
                            for when in When::ALL
                                .into_iter()
                                .filter(|w| w.holds(presenting, person))
                            {
                                ui.strong(when.heading());
                                ui.end_row();
                                for binding in BINDINGS.iter().filter(|b| b.when == when) {
                                    ui.monospace(binding.label);
                                    ui.label(binding.help);
                                    ui.end_row();
                                }
                            }
                        });
                });
            ui.label("Click an arena to select its agent. Hover a cell for its value.");
        });
}
