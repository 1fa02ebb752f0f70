//! What every panel draws from: one read-only context (the published frame, the selection, the
//! overlays, the scene file's state). Panels never touch the simulation: what the user does
//! becomes [`AppCommand`](crate::app::command::AppCommand)s in the sink they are given.

use crate::app::keys::Situation;
use crate::app::scene_file::SceneFile;
use crate::app::view::Overlays;
use crate::experiment::ArenaView;
use crate::stepping::Frame;

/// The frame context: what the panels show this frame.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    /// The state of the experiment, as the stepping published it.
    pub frame: &'a Frame,
    /// The arena whose agent the side panels show.
    pub selected: usize,
    /// Which overlays are drawn.
    pub overlays: &'a Overlays,
    /// The scene file: its path, its errors and whether the map on screen is saved.
    pub file: &'a SceneFile,
    /// Presenting or not, a person selected or not: which keys the tooltips name.
    pub situation: Situation,
}

impl<'a> Shown<'a> {
    /// The selected arena, if the scene has any.
    pub fn selected_arena(&self) -> Option<&'a ArenaView> {
        self.frame.arenas.get(self.selected)
    }
}
