//! mindgrid: brain-inspired agents learning live in grid worlds. The core (world, brain, scene,
//! experiment) is plain Rust; `app` is the Bevy window that drives and draws it.

pub mod app;
pub mod brain;
pub mod experiment;
pub mod scene;
pub mod world;

/// The random number generator of every arena stream: `ChaCha8`, whose output is fixed by its
/// specification, so a seed gives the same numbers on every platform and crate version.
pub type ArenaRng = rand_chacha::ChaCha8Rng;
