//! Tabular Q-learning (Watkins 1989; Sutton & Barto 2018, section 6.5), epsilon-greedy.
//!
//! ```text
//! for each step:  a = epsilon-greedy(Q[s])          (ties broken at random)
//!                 take a, observe r, s'
//!                 Q[s,a] += alpha * (r + gamma * max_a' Q[s',a'] - Q[s,a])   (no bootstrap at a terminal)
//! ```

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, QTable, Transition, epsilon_greedy, hyperparameters,
};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about Q-learning.
pub const ABOUT: &str = "Tabular Q-learning keeps one value per (cell, move) and nudges it towards \
    the reward plus the discounted best value of the next cell: Q[s,a] += alpha (r + gamma max Q[s'] - Q[s,a]). \
    Value spreads back from the goal one step per visit, which is why it is slow. \
    Brain analogue: dopamine neurons signal the same reward-prediction error (Schultz, Dayan & Montague 1997). \
    Read: Watkins 1989; Sutton & Barto 2018, ch. 6.";

hyperparameters! {
    /// Hyperparameters of tabular Q-learning. Defaults are Sutton & Barto's Dyna-maze settings (fig. 8.2).
    pub struct QLearningParams {
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Learning rate: how far each update moves Q[s,a] towards its target.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount: how much a reward one step later is worth now.",
            source: "0.95 (Sutton & Barto, fig. 8.2)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Exploration: probability of a random move instead of the greedy one.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        /// Initial value of every Q entry; above the real values it makes the agent explore
        /// ("optimism in the face of uncertainty", Sutton & Barto 2.6). 0 in the paper.
        initial_value: f32 = 0.0, [-10.0, 10.0], OnReset,
            help: "Starting value of every Q entry. Above the true values it drives exploration (optimistic start).",
            source: "0 (Sutton & Barto, fig. 8.2)";
    }
}

/// A Q-table over (cell, move), epsilon-greedy.
#[derive(Clone, Serialize, Deserialize)]
pub struct QLearning {
    params: QLearningParams,
    q: QTable,
    last_state: usize,
    /// The TD error of the latest update (not kept by snapshots: it is read right after `learn`).
    #[serde(skip)]
    delta: f32,
}

impl QLearning {
    /// A fresh table for `world`, every entry at `initial_value`.
    pub fn new(params: QLearningParams, world: &GridWorld) -> Self {
        Self {
            q: QTable::new(world.cell_count(), params.initial_value),
            params,
            last_state: world.start(),
            delta: 0.0,
        }
    }

    /// The action values of `state`.
    pub fn q(&self, state: usize) -> [f32; Action::COUNT] {
        self.q.get(state).unwrap_or_default()
    }
}

impl Brain for QLearning {
    type Params = QLearningParams;
    const SUMMARY: &'static str = "tabular Q-learning (Watkins 1989)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &QLearningParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &QLearningParams) -> &'static str {
        "Q-learning"
    }
}

impl Agent for QLearning {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        epsilon_greedy(&self.q[state], self.params.epsilon, rng)
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        let QLearningParams { alpha, gamma, .. } = self.params;
        let next = (!t.terminal).then_some(t.next.state);
        self.delta = self
            .q
            .update(t.state, t.action, t.reward, next, alpha, gamma);
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
        self.q.check(world.cell_count(), [self.last_state])
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::QLearning(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::QLearning(params) = spec {
            self.params = params.clone();
        }
    }
}
