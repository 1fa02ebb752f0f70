//! The random agent: uniform actions, no learning. The floor every learner must beat.

use serde::{Deserialize, Serialize};

use rand::Rng;

use crate::ArenaRng;
use crate::brain::{Agent, BrainSpec, Insight, Transition};
use crate::world::{Action, GridWorld, Observation};

/// Chooses each of the four moves with probability 1/4.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct RandomAgent;

impl RandomAgent {
    /// What the window says about the random walker.
    pub const ABOUT: &'static str =
        "Moves uniformly at random. It never learns: the baseline every learner must beat.";
}

impl Agent for RandomAgent {
    fn act(&mut self, _observation: &Observation, rng: &mut ArenaRng) -> Action {
        Action::from_index(rng.random_range(0..Action::COUNT))
    }

    fn learn(&mut self, _transition: &Transition, _rng: &mut ArenaRng) {}

    fn insight(&self, _world: &GridWorld) -> Insight {
        Insight {
            facts: vec![("policy".into(), "uniform over 4 moves".into())],
            ..Insight::default()
        }
    }

    fn check(&self, _world: &GridWorld) -> Result<(), String> {
        Ok(())
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Random
    }

    fn retune(&mut self, _spec: &BrainSpec) {}
}
