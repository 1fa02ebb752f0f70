//! Tabular Q-learning (Watkins 1989; Sutton & Barto 2018, section 6.5), epsilon-greedy.
//!
//! ```text
//! for each step:  a = epsilon-greedy(Q[s])          (ties broken at random)
//!                 take a, observe r, s'
//!                 Q[s,a] += alpha * (r + gamma * max_a' Q[s',a'] - Q[s,a])   (no bootstrap at a terminal)
//! ```

use serde::{Deserialize, Serialize};

use super::{
    Agent, BrainSpec, Hyperparameters, Insight, ParamKind, ParamSpec, Transition, ValueMap,
    epsilon_greedy, numeric_fields,
};
use crate::ArenaRng;
use crate::world::{Action, Cell, GridWorld, Observation};

/// What the window says about Q-learning.
pub const ABOUT: &str = "Tabular Q-learning keeps one value per (cell, move) and nudges it towards \
    the reward plus the discounted best value of the next cell: Q[s,a] += alpha (r + gamma max Q[s'] - Q[s,a]). \
    Value spreads back from the goal one step per visit, which is why it is slow. \
    Brain analogue: dopamine neurons signal the same reward-prediction error (Schultz, Dayan & Montague 1997). \
    Read: Watkins 1989; Sutton & Barto 2018, ch. 6.";

/// Hyperparameters of tabular Q-learning. Defaults are Sutton & Barto's Dyna-maze settings (fig. 8.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QLearningParams {
    /// Step size of the update, in [0, 1]. Sutton & Barto use 0.1.
    pub alpha: f32,
    /// Discount of future reward, in [0, 1]. Sutton & Barto use 0.95 in the Dyna maze.
    pub gamma: f32,
    /// Probability of a random move, in [0, 1]. Sutton & Barto use 0.1.
    pub epsilon: f32,
    /// Initial value of every Q entry; above the real values it makes the agent explore
    /// ("optimism in the face of uncertainty", Sutton & Barto 2.6). 0 in the paper.
    pub initial_value: f32,
}

impl Default for QLearningParams {
    fn default() -> Self {
        Self {
            alpha: 0.1,
            gamma: 0.95,
            epsilon: 0.1,
            initial_value: 0.0,
        }
    }
}

impl Hyperparameters for QLearningParams {
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec {
            name: "alpha",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Learning rate: how far each update moves Q[s,a] towards its target.",
            paper: "0.1 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "gamma",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Discount: how much a reward one step later is worth now.",
            paper: "0.95 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "epsilon",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Exploration: probability of a random move instead of the greedy one.",
            paper: "0.1 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "initial_value",
            min: -10.0,
            max: 10.0,
            kind: ParamKind::Real,
            help: "Starting value of every Q entry. Above the true values it drives exploration (optimistic start). Takes effect on reset.",
            paper: "0 (Sutton & Barto, fig. 8.2)",
        },
    ];

    numeric_fields!(alpha, gamma, epsilon, initial_value);
}

/// A Q-table over (cell, move), epsilon-greedy.
pub struct QLearning {
    params: QLearningParams,
    q: Vec<[f32; Action::COUNT]>,
    visits: Vec<u32>,
    last_state: usize,
}

impl QLearning {
    /// A fresh table for `world`, every entry at `initial_value`.
    pub fn new(params: QLearningParams, world: &GridWorld) -> Self {
        let states = world.cell_count();
        Self {
            q: vec![[params.initial_value; Action::COUNT]; states],
            visits: vec![0; states],
            params,
            last_state: world.start(),
        }
    }

    /// The action values of `state`.
    pub fn q(&self, state: usize) -> [f32; Action::COUNT] {
        self.q.get(state).copied().unwrap_or_default()
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
        let next_best = if t.terminal {
            0.0
        } else {
            self.q[t.next.state]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max)
        };
        let entry = &mut self.q[t.state][t.action.index()];
        *entry += alpha * (t.reward + gamma * next_best - *entry);
        self.visits[t.state] = self.visits[t.state].saturating_add(1);
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let visited = self.visits.iter().filter(|&&v| v > 0).count();
        Insight {
            values: Some(value_map(&self.q, &self.visits, world)),
            action_values: Some(self.q(self.last_state)),
            facts: vec![
                (
                    "states visited".into(),
                    format!("{visited} of {}", world.cell_count()),
                ),
                (
                    "table entries".into(),
                    format!("{}", self.q.len() * Action::COUNT),
                ),
            ],
            ..Insight::default()
        }
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

/// The value map of a Q-table: max Q per visited cell and the greedy move where it is unique.
pub fn value_map(q: &[[f32; Action::COUNT]], visits: &[u32], world: &GridWorld) -> ValueMap {
    let mut value = Vec::with_capacity(world.cell_count());
    let mut greedy = Vec::with_capacity(world.cell_count());
    for (i, row) in q.iter().enumerate() {
        let cell = world.cell(i);
        if cell == Cell::Wall || cell.is_terminal() || visits[i] == 0 {
            value.push(f32::NAN);
            greedy.push(None);
            continue;
        }
        let best = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        value.push(best);
        let first = row.iter().position(|&v| v == best).unwrap_or(0);
        let tied = row.iter().filter(|&&v| v == best).count() > 1;
        greedy.push((!tied).then(|| Action::from_index(first)));
    }
    ValueMap { value, greedy }
}
