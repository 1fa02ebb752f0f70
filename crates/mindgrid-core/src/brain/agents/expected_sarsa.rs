//! Expected Sarsa (van Seijen et al. 2009; Sutton & Barto 2018, section 6.6): the expected value of
//! the next move under the epsilon-greedy policy as the target.
//!
//! ```text
//! for each step:  a = epsilon-greedy(Q[s]),  take a, observe r, s'
//!                 Q[s,a] += alpha * (r + gamma * sum_a' pi(a'|s') Q[s',a'] - Q[s,a])
//!                 pi: epsilon/4 for every move, plus (1 - epsilon) shared by the best moves
//! ```
//! Like Sarsa it values the policy it follows, without the noise of sampling the next move.

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, QTable, Transition, epsilon_greedy, hyperparameters,
};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about Expected Sarsa.
pub const ABOUT: &str = "Expected Sarsa learns the value of the policy it follows, like Sarsa, but \
    its target averages over the next move instead of sampling it: Q[s,a] += alpha (r + gamma \
    E_pi[Q[s',a']] - Q[s,a]), with pi the epsilon-greedy policy. Less noise per update, so larger \
    step sizes work. On the cliff it keeps away from the edge as Sarsa does. \
    Read: van Seijen, van Hasselt, Whiteson & Wiering 2009; Sutton & Barto 2018, section 6.6.";

hyperparameters! {
    /// Hyperparameters of Expected Sarsa, defaults as for Q-learning (Sutton & Barto, fig. 8.2).
    pub struct ExpectedSarsaParams {
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Learning rate: how far each update moves Q[s,a] towards its target.",
            source: "0.1 (Sutton & Barto, fig. 8.2); the cliff scene uses 0.5";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount: how much a reward one step later is worth now.",
            source: "0.95 (Sutton & Barto, fig. 8.2); the cliff is undiscounted (1)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Exploration: probability of a random move, also the policy the target averages over.",
            source: "0.1 (Sutton & Barto, example 6.6)";
    }
}

/// A Q-table learned towards the epsilon-greedy policy's expected next value.
#[derive(Clone, Serialize, Deserialize)]
pub struct ExpectedSarsa {
    params: ExpectedSarsaParams,
    q: QTable,
    last_state: usize,
    /// The TD error of the latest update (not kept by snapshots: it is read right after `learn`).
    #[serde(skip)]
    delta: f32,
}

impl ExpectedSarsa {
    /// A fresh table for `world`, every entry 0.
    pub fn new(params: ExpectedSarsaParams, world: &GridWorld) -> Self {
        Self {
            params,
            q: QTable::new(world.cell_count(), 0.0),
            last_state: world.start(),
            delta: 0.0,
        }
    }
}

impl Brain for ExpectedSarsa {
    type Params = ExpectedSarsaParams;
    const SUMMARY: &'static str =
        "tabular TD control towards the policy's expected value (van Seijen et al. 2009)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &ExpectedSarsaParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &ExpectedSarsaParams) -> &'static str {
        "Expected Sarsa"
    }
}

impl Agent for ExpectedSarsa {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        epsilon_greedy(&self.q[state], self.params.epsilon, rng)
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        let ExpectedSarsaParams {
            alpha,
            gamma,
            epsilon,
        } = self.params;
        let target = if t.terminal {
            t.reward
        } else {
            t.reward + gamma * self.q.expected(t.next.state, epsilon)
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
        self.q.check(world.cell_count(), [self.last_state])
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::ExpectedSarsa(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::ExpectedSarsa(params) = spec {
            self.params = params.clone();
        }
    }
}
