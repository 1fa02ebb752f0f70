//! The frame a window draws: the state of the experiment as the stepping published it.

use std::sync::Arc;
use std::time::Duration;

use super::Speed;
use crate::experiment::ArenaView;
use crate::scene::Scene;
use crate::timeline::TimelineView;

/// What the window draws, as the stepping published it (with the agents' insights).
#[derive(Clone, Debug)]
pub struct Frame {
    /// The scene running.
    pub scene: Arc<Scene>,
    /// Every arena, in scene order.
    pub arenas: Vec<ArenaView>,
    /// Lockstep steps taken.
    pub steps: u64,
    /// Steps of all arenas together.
    pub total_steps: u64,
    /// Whether steps happen on their own.
    pub playing: bool,
    /// Index into [`Speed::LADDER`].
    pub speed: usize,
    /// Measured steps per second, all arenas together.
    pub steps_per_second: f64,
    /// The speed asked for could not be kept over the last two seconds (four half-second readings).
    pub behind: bool,
    /// Changes when the state does.
    pub version: u64,
    /// The latest notice (a command refused, a file saved), numbered, and whether it is an error.
    pub notice: Option<(u64, String, bool)>,
    /// How far the timeline reaches and where its commands are.
    pub timeline: TimelineView,
    /// How many planned pauses (a lesson's) have happened.
    pub planned_pauses: u64,
    /// A stroke number no edit in the history uses yet.
    pub next_stroke: u64,
    /// Whether there is an edit to undo, and one to redo.
    pub undo_redo: (bool, bool),
    /// Every arena waits for the person's move while one plays.
    pub waits_for_human: bool,
    /// When the agents' insights are dear (a large map), how far apart fresh ones are; the
    /// frames between show the last ones.
    pub insights_every: Option<Duration>,
}

impl Frame {
    /// The speed in force.
    pub fn speed(&self) -> Speed {
        Speed::LADDER[self.speed.min(Speed::LADDER.len() - 1)]
    }
}
