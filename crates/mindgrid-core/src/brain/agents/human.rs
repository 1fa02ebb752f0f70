//! The person at the keyboard as an agent: it moves only when told, and learns nothing here.

use serde::{Deserialize, Serialize};

use std::collections::VecDeque;

use crate::ArenaRng;
use crate::brain::{Agent, BrainSpec, Insight, Transition};
use crate::world::{Action, GridWorld, Observation};

/// Takes the moves the person presses (arrow keys or WASD), one per step, in order (a quick
/// typist's keys wait their turn, up to [`HumanAgent::MOST_QUEUED`]); the arena waits for it.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct HumanAgent {
    queued: VecDeque<Action>,
    moves: u64,
}

impl HumanAgent {
    /// Most moves typed ahead; more are dropped.
    pub const MOST_QUEUED: usize = 8;

    /// What the window says about the human player.
    pub const ABOUT: &'static str = "You are the agent: select this arena and move with the arrow keys or WASD. The arena waits for your move (and, in lockstep, so do the others). Your episodes appear in the learning curves beside the agents'.";
}

impl Agent for HumanAgent {
    fn act(&mut self, _observation: &Observation, _rng: &mut ArenaRng) -> Action {
        // The arena steps a human only once a move is queued (`awaits_input` is false then).
        self.moves += 1;
        self.queued.pop_front().unwrap_or(Action::Up)
    }

    fn learn(&mut self, _transition: &Transition, _rng: &mut ArenaRng) {}

    fn insight(&self, _world: &GridWorld) -> Insight {
        Insight {
            facts: vec![
                ("controls".into(), "arrow keys or WASD".into()),
                ("moves made".into(), self.moves.to_string()),
                (
                    "waiting for".into(),
                    if !self.queued.is_empty() {
                        "the next step".into()
                    } else {
                        "your move".into()
                    },
                ),
            ],
            ..Insight::default()
        }
    }

    fn check(&self, _world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{counters, ensure};
        ensure(
            self.queued.len() <= Self::MOST_QUEUED && counters(&[self.moves]),
            || "the moves typed ahead are damaged".into(),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Human
    }

    fn retune(&mut self, _spec: &BrainSpec) {}

    fn awaits_input(&self) -> bool {
        self.queued.is_empty()
    }

    fn take_move(&mut self, action: Action) -> bool {
        let room = self.queued.len() < Self::MOST_QUEUED;
        if room {
            self.queued.push_back(action);
        }
        room
    }
}
