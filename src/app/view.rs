//! What the window shows beside the experiment, and whether the keyboard is the user's: state the
//! keys, the executor and the panels share. A leaf: it imports nothing of the app.

use bevy::prelude::*;

/// Which overlays and panels are drawn.
#[derive(Resource, Debug)]
pub struct Overlays {
    /// Value colours and greedy-action arrows of the selected agent's insight.
    pub values: bool,
    /// The fading trail of recent moves.
    pub trail: bool,
    /// Arenas only: the side panels and curves hidden (presenter mode keeps the caption).
    pub arenas_only: bool,
    /// The keys' help is open.
    pub help: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            values: true,
            trail: true,
            arenas_only: false,
            help: false,
        }
    }
}

/// Whether a text field has the keyboard (a slider's number being typed): the keys are then
/// letters, not commands. The window sets it each frame.
#[derive(Resource, Debug, Default)]
pub struct Typing(pub bool);

/// Registers the shared view state.
pub fn plugin(app: &mut App) {
    app.init_resource::<Overlays>().init_resource::<Typing>();
}
