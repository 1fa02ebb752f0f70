//! Sarsa (Rummery & Niranjan 1994; Sutton & Barto 2018, section 6.4): on-policy tabular TD control.
//!
//! ```text
//! for each step:  take a (chosen epsilon-greedily at the previous step), observe r, s'
//!                 choose a' = epsilon-greedy(Q[s'])            (the move it will really take next)
//!                 Q[s,a] += alpha * (r + gamma * Q[s',a'] - Q[s,a])   (no bootstrap at a terminal)
//! ```
//! Unlike Q-learning it learns the value of the policy it follows, exploration included: on the
//! cliff it learns that walking along the edge with epsilon 0.1 sometimes falls, and keeps away.

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, QTable, Transition, epsilon_greedy, hyperparameters,
};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about Sarsa.
pub const ABOUT: &str = "Sarsa learns, like Q-learning, one value per (cell, move), but its target \
    is the move it will really take next, exploration included: Q[s,a] += alpha (r + gamma Q[s',a'] - Q[s,a]). \
    So it learns what its own cautious-or-careless behaviour earns. On the cliff, where a random \
    move near the edge falls, Sarsa learns to walk further from it and earns more per episode \
    while exploring, although Q-learning knows the shorter path. \
    Read: Rummery & Niranjan 1994; Sutton & Barto 2018, section 6.4 and example 6.6.";

hyperparameters! {
    /// Hyperparameters of Sarsa, defaults as for Q-learning (Sutton & Barto, fig. 8.2).
    pub struct SarsaParams {
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Learning rate: how far each update moves Q[s,a] towards its target.",
            source: "0.1 (Sutton & Barto, fig. 8.2); the cliff scene uses 0.5";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount: how much a reward one step later is worth now.",
            source: "0.95 (Sutton & Barto, fig. 8.2); the cliff is undiscounted (1)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Exploration: probability of a random move; Sarsa's values include its cost.",
            source: "0.1 (Sutton & Barto, example 6.6)";
    }
}

/// A Q-table learned on-policy.
#[derive(Clone, Serialize, Deserialize)]
pub struct Sarsa {
    params: SarsaParams,
    q: QTable,
    last_state: usize,
    /// The move chosen for the next state while learning, taken at the next step.
    next: Option<(usize, Action)>,
    /// The TD error of the latest update (not kept by snapshots: it is read right after `learn`).
    #[serde(skip)]
    delta: f32,
}

impl Sarsa {
    /// A fresh table for `world`, every entry 0.
    pub fn new(params: SarsaParams, world: &GridWorld) -> Self {
        Self {
            params,
            q: QTable::new(world.cell_count(), 0.0),
            last_state: world.start(),
            delta: 0.0,
            next: None,
        }
    }
}

impl Brain for Sarsa {
    type Params = SarsaParams;
    const SUMMARY: &'static str = "on-policy tabular TD control (Rummery & Niranjan 1994)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &SarsaParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &SarsaParams) -> &'static str {
        "Sarsa"
    }
}

impl Agent for Sarsa {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        match self.next.take() {
            Some((planned, action)) if planned == state => action,
            _ => epsilon_greedy(&self.q[state], self.params.epsilon, rng),
        }
    }

    fn learn(&mut self, t: &Transition, rng: &mut ArenaRng) {
        let SarsaParams {
            alpha,
            gamma,
            epsilon,
        } = self.params;
        let target = if t.terminal {
            t.reward
        } else {
            let next = epsilon_greedy(&self.q[t.next.state], epsilon, rng);
            if !t.truncated {
                self.next = Some((t.next.state, next));
            }
            t.reward + gamma * self.q[t.next.state][next.index()]
        };
        self.delta = self.q.move_towards(t.state, t.action, target, alpha);
        self.q.visit(t.state);
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        self.q.insight(world, world.agent())
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        let next = self.next.map(|(s, _)| s);
        self.q.check(
            world.cell_count(),
            std::iter::once(self.last_state).chain(next),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Sarsa(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Sarsa(params) = spec {
            self.params = params.clone();
        }
    }
}
