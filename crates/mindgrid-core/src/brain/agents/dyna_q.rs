//! Dyna-Q and Dyna-Q+ (Sutton 1990; Sutton & Barto 2018, section 8.2-8.3): Q-learning plus planning from a learned model.
//!
//! ```text
//! each real step (S, A, R, S'):
//!     Q(S,A) += alpha [R + gamma max_a Q(S',a) - Q(S,A)]          direct RL
//!     Model(S,A) <- R, S'                                          model learning
//!     repeat n times:                                              planning (replay from the model)
//!         S, A <- a random previously observed pair
//!         R, S' <- Model(S,A);   Dyna-Q+: R += kappa sqrt(tau(S,A))   (tau: steps since last tried)
//!         Q(S,A) += alpha [R + gamma max_a Q(S',a) - Q(S,A)]
//! ```

use serde::{Deserialize, Serialize};

use rand::Rng;

use crate::ArenaRng;
use crate::brain::model::{Outcome, WorldModel, learn_real_step};
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Mechanism, PlanningInsight, QTable, Transition,
    epsilon_greedy, hyperparameters,
};
use crate::world::{Action, Cell, GridWorld, Observation};

/// What the window says about Dyna-Q.
pub const ABOUT: &str = "Dyna-Q learns a model of the world from experience (what each move did, \
    where it led) and, between real steps, replays n imagined transitions drawn from that model, \
    updating its values as if they had really happened. The same Q-learning rule serves both: \
    Q(s,a) += alpha (r + gamma max Q(s') - Q(s,a)). With n = 50 the value of a newly found goal spreads \
    across the maze within one or two episodes. Dyna-Q+ adds a bonus kappa sqrt(tau) for moves not \
    tried for tau steps, so it re-checks a world that may have changed. Brain analogue: hippocampal \
    replay during rest and sleep, which re-activates past paths (and sometimes never-taken ones). \
    Read: Sutton 1990; Sutton & Barto 2018, ch. 8; Foster & Wilson 2006; Mattar & Daw 2018.";

hyperparameters! {
    /// Hyperparameters of Dyna-Q, defaults from Sutton & Barto figure 8.2.
    pub struct DynaQParams {
        planning_steps: u32 = 50, [0.0, 1000.0], Live,
            help: "Imagined updates replayed from the model after every real step.",
            source: "0, 5, 50 (Sutton & Barto, fig. 8.2)";
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Step size of every update, real or imagined.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount of future reward.",
            source: "0.95 (Sutton & Barto, fig. 8.2)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Probability of a random move.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        /// Dyna-Q+ exploration bonus weight kappa (0: plain Dyna-Q). Sutton & Barto give no value.
        kappa: f32 = 0.0, [0.0, 1.0], Live,
            help: "Dyna-Q+ bonus: imagined reward + kappa sqrt(steps since the move was last tried). 0 is plain Dyna-Q.",
            source: "0: plain Dyna-Q (Sutton & Barto give no kappa: a scene using Dyna-Q+ calibrates its own, as shortcut_maze.ron does)";
        stochastic_model: bool = false, [0.0, 1.0], OnReset,
            help: "Count every outcome (for slippery worlds) instead of remembering the last one.",
            source: "off: the last outcome, Sutton & Barto's table model (section 8.2)";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "No planning: the agent learns only from real steps.",
            source: "off: planning on";
    }
}

/// The map outlines the cells replayed after this many latest real steps: one step's replay
/// would flicker past at any speed but the slowest.
pub const OUTLINED_STEPS: u64 = 4;

/// A Dyna-Q agent: a Q-table, a learned model, and replay.
#[derive(Clone, Serialize, Deserialize)]
pub struct DynaQ {
    params: DynaQParams,
    q: QTable,
    model: WorldModel,
    steps: u64,
    planning_updates: u64,
    /// Cells whose values the last planning sweep touched, with the step it happened.
    touched: Vec<u64>,
    last_state: usize,
    /// The TD error of the latest update (not kept by snapshots: it is read right after `learn`).
    #[serde(skip)]
    delta: f32,
}

impl DynaQ {
    /// A fresh agent for `world`.
    pub fn new(params: DynaQParams, world: &GridWorld) -> Self {
        let states = world.cell_count();
        Self {
            model: WorldModel::new(states, params.stochastic_model),
            params,
            q: QTable::new(states, 0.0),
            steps: 0,
            planning_updates: 0,
            touched: vec![0; states],
            last_state: world.start(),
            delta: 0.0,
        }
    }

    /// One Q-learning update; returns its TD error.
    fn update(
        &mut self,
        state: usize,
        action: Action,
        reward: f32,
        next: usize,
        terminal: bool,
    ) -> f32 {
        let next = (!terminal).then_some(next);
        let DynaQParams { alpha, gamma, .. } = self.params;
        self.q.update(state, action, reward, next, alpha, gamma)
    }

    /// n planning updates from the model (the lesion switches them off).
    fn plan(&mut self, rng: &mut ArenaRng) {
        if self.params.lesion {
            return;
        }
        for _ in 0..self.params.planning_steps {
            let Some((state, action)) = self.model.random_observed(rng) else {
                return;
            };
            // Dyna-Q+ also considers moves never tried from a visited state (Sutton & Barto's
            // footnote): they are imagined to lead back to the same state with reward 0.
            let action = if self.params.kappa > 0.0 {
                Action::from_index(rng.random_range(0..Action::COUNT))
            } else {
                action
            };
            let Outcome {
                next,
                reward,
                terminal,
            } = self.model.sample(state, action, rng).unwrap_or(Outcome {
                next: state,
                reward: 0.0,
                terminal: false,
            });
            let bonus = if self.params.kappa > 0.0 {
                self.params.kappa
                    * (self.model.since_tried(state, action, self.steps) as f32).sqrt()
            } else {
                0.0
            };
            let _ = self.update(state, action, reward + bonus, next, terminal);
            self.touched[state] = self.steps;
            self.planning_updates += 1;
        }
    }

    /// Real steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }
}

impl Brain for DynaQ {
    type Params = DynaQParams;
    const SUMMARY: &'static str = "Dyna-Q and Dyna-Q+ (Sutton 1990)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &DynaQParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(params: &DynaQParams) -> &'static str {
        if params.kappa > 0.0 {
            "Dyna-Q+"
        } else {
            "Dyna-Q"
        }
    }
}

impl Agent for DynaQ {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        epsilon_greedy(&self.q[state], self.params.epsilon, rng)
    }

    fn learn(&mut self, t: &Transition, rng: &mut ArenaRng) {
        self.steps += 1;
        // Only the real step's error is the dopamine-like one; replayed updates are imagined.
        let DynaQParams { alpha, gamma, .. } = self.params;
        self.delta = learn_real_step(&mut self.q, &mut self.model, t, (alpha, gamma), self.steps);
        self.plan(rng);
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let mut values = self.q.value_map(world);
        // Cells the model knows nothing about stay blank; planned-only values still show.
        for (i, v) in values.value.iter_mut().enumerate() {
            if v.is_nan() && self.touched[i] > 0 && world.cell(i) == Cell::Floor {
                *v = self.q.best(i);
            }
        }
        let confidence = self.model.confidence_map(world.cell_count());
        let recently = self.steps.saturating_sub(OUTLINED_STEPS - 1);
        let touched = (0..world.cell_count())
            .filter(|&i| {
                self.touched[i] > 0 && self.touched[i] >= recently && self.params.planning_steps > 0
            })
            .collect();
        Insight {
            action_values: Some(self.q[world.agent()]),
            action_caption: "",
            facts: [(
                "planning updates".into(),
                format!("{}", self.planning_updates),
            )]
            .into_iter()
            .chain(self.model.facts(world.cell_count()))
            .collect(),
            mechanism: Some(Mechanism::Planning(PlanningInsight {
                confidence,
                touched,
                model_error: self.model.recent_error,
                lesioned: self.params.lesion,
                ..PlanningInsight::default()
            })),
            values: Some(values),
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{counters, ensure};
        let cells = world.cell_count();
        self.q.check(cells, [self.last_state])?;
        self.model.check(cells, self.params.stochastic_model)?;
        ensure(
            self.touched.len() == cells && counters(&[self.steps, self.planning_updates]),
            || "its planning marks or counters are damaged".into(),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::DynaQ(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::DynaQ(params) = spec {
            self.params = params.clone();
        }
    }
}
