//! What the window shows of an arena: a copy made by the simulation, drawn by the window.

use crate::brain::{BrainSpec, Insight};
use crate::dopamine::DopamineView;
use crate::edit::Map;
use crate::episodes::{EpisodeCurve, EpisodeRecord};
use crate::world::{Action, GridWorld};

/// How much of an agent's insight a view carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// None.
    Bare,
    /// What the map draws ([`crate::brain::Agent::map_insight`]).
    Map,
    /// Everything, for the agent's panel too.
    Full,
}

/// A copy of what the window shows of one arena, made by the simulation and drawn by the window.
#[derive(Clone, Debug)]
pub struct ArenaView {
    /// The agent's label.
    pub name: String,
    /// The world as it is.
    pub world: GridWorld,
    /// Recent cells of the agent, oldest first.
    pub trail: Vec<usize>,
    /// The last action the agent chose.
    pub last_action: Option<Action>,
    /// The running agent's kind and hyperparameters.
    pub brain: BrainSpec,
    /// The brain the user asked for (what the next reset builds).
    pub requested: BrainSpec,
    /// On-reset hyperparameters waiting for a reset.
    pub pending: Vec<&'static str>,
    /// Episodes finished by whoever plays now (the person's, while they play in the agent's place).
    pub episodes: u32,
    /// The last episode they finished.
    pub last_episode: Option<EpisodeRecord>,
    /// Their successes among the last episodes, and how many those are.
    pub recent_successes: (usize, usize),
    /// The bounded learning curve.
    pub curve: EpisodeCurve,
    /// Episodes finished when each task switch happened.
    pub switches: Vec<u32>,
    /// Steps so far in the current episode.
    pub steps_in_episode: u32,
    /// Steps in all episodes.
    pub total_steps: u64,
    /// Index of the task in force.
    pub task: usize,
    /// What the agent thinks now, as much as the view was asked for ([`Detail`]): none, what the
    /// map draws, or everything.
    pub insight: Option<Insight>,
    /// The arena's map as edited (what a reset rebuilds, and what Save writes).
    pub map: Map,
    /// Why agents cannot succeed on that map, if they cannot (`check`'s warning).
    pub map_warning: Option<&'static str>,
    /// A person plays here (a `Human` agent, or "you play").
    pub human: bool,
    /// The arena's agent waits aside while a person plays in its place.
    pub you_play: bool,
    /// The person's move is awaited.
    pub awaiting_move: bool,
    /// The person's episodes in an arena they took over ("you" in the curves).
    pub your_curve: Option<EpisodeCurve>,
    /// The agent's TD errors as the dopamine panel draws them (full detail, once a trial ended
    /// for an agent that learns by a TD error).
    pub dopamine: Option<DopamineView>,
}
