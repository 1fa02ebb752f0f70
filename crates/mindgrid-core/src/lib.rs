//! mindgrid's core: grid worlds, brains, scenes and experiments, in plain Rust without Bevy.
//!
//! Everything an agent knows is reachable from here; the `mindgrid` app only drives and draws it.

pub mod brain;
pub mod command;
pub mod dopamine;
pub mod edit;
pub mod episodes;
pub mod experiment;
pub mod figures;
pub mod files;
pub mod lesson;
pub mod limits;
pub mod recording;
pub mod scene;
pub mod snapshot;
pub mod stepping;
pub mod timeline;
pub mod world;

/// The random number generator of every arena stream: `ChaCha8`, whose output is fixed by its
/// specification, so a seed gives the same numbers on every platform and crate version.
pub type ArenaRng = rand_chacha::ChaCha8Rng;
