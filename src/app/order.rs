//! The order of a frame's systems, as sets every module can name without naming the others.

use bevy::prelude::*;

/// System sets of every frame, in order: input becomes commands, commands are carried out (the
/// executor's, then presenter mode's), the latest frame (with the agents' insights) is taken;
/// drawing follows in egui's pass.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppSystems {
    /// Keys, the file watcher and scripts write commands.
    Input,
    /// The executor carries the commands out; they go to the simulation, which applies them at
    /// its next step boundary.
    Apply,
    /// Presenter mode follows the slides' commands and opens slides.
    Present,
    /// The simulation steps (inline) or its latest frame is taken (threaded).
    Step,
}

/// Puts the sets in their order.
pub fn plugin(app: &mut App) {
    app.configure_sets(
        Update,
        (
            AppSystems::Input,
            AppSystems::Apply,
            AppSystems::Present,
            AppSystems::Step,
        )
            .chain(),
    );
}
