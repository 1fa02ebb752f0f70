//! mindgrid: brain-inspired agents learning live in grid worlds. The core (world, brain, scene,
//! experiment) lives in the `mindgrid-core` crate, without Bevy; `app` is the Bevy window that
//! drives and draws it.

pub mod app;
pub mod shipped;

pub use mindgrid_core::{
    ArenaRng, brain, command, dopamine, edit, experiment, figures, files, lesson, limits,
    recording, scene, snapshot, stepping, timeline, world,
};
