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

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::model::{Outcome, WorldModel};
use super::{
    Agent, BrainSpec, Hyperparameters, Insight, ParamKind, ParamSpec, PlanningInsight, Transition,
    epsilon_greedy, numeric_fields,
};
use crate::ArenaRng;
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

/// Hyperparameters of Dyna-Q, defaults from Sutton & Barto figure 8.2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DynaQParams {
    /// Planning updates per real step. Sutton & Barto compare 0, 5 and 50.
    pub planning_steps: u32,
    /// Step size. Sutton & Barto: 0.1.
    pub alpha: f32,
    /// Discount. Sutton & Barto: 0.95.
    pub gamma: f32,
    /// Exploration probability. Sutton & Barto: 0.1.
    pub epsilon: f32,
    /// Dyna-Q+ exploration bonus weight kappa (0: plain Dyna-Q). Sutton & Barto use a small kappa (1e-3 to 1e-2 here).
    pub kappa: f32,
    /// 1: count outcomes (stochastic worlds); 0: remember the last outcome (deterministic).
    pub stochastic_model: u32,
    /// 1: no planning (a lesion: plain Q-learning with the same settings).
    pub lesion: u32,
}

impl Default for DynaQParams {
    fn default() -> Self {
        Self {
            planning_steps: 50,
            alpha: 0.1,
            gamma: 0.95,
            epsilon: 0.1,
            kappa: 0.0,
            stochastic_model: 0,
            lesion: 0,
        }
    }
}

impl Hyperparameters for DynaQParams {
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec {
            name: "planning_steps",
            min: 0.0,
            max: 1000.0,
            kind: ParamKind::Integer,
            help: "Imagined updates replayed from the model after every real step.",
            paper: "0, 5, 50 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "alpha",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Step size of every update, real or imagined.",
            paper: "0.1 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "gamma",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Discount of future reward.",
            paper: "0.95 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "epsilon",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Probability of a random move.",
            paper: "0.1 (Sutton & Barto, fig. 8.2)",
        },
        ParamSpec {
            name: "kappa",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Dyna-Q+ bonus: imagined reward + kappa sqrt(steps since the move was last tried). 0 is plain Dyna-Q.",
            paper: "small, e.g. 1e-3 (Sutton & Barto, ex. 8.4)",
        },
        ParamSpec {
            name: "stochastic_model",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Switch,
            help: "Count every outcome (for slippery worlds) instead of remembering the last one. Takes effect on reset.",
            paper: "table model (Sutton & Barto 8.2)",
        },
        ParamSpec {
            name: "lesion",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Switch,
            help: "No planning: the agent learns only from real steps.",
            paper: "-",
        },
    ];

    numeric_fields!(
        planning_steps,
        alpha,
        gamma,
        epsilon,
        kappa,
        stochastic_model,
        lesion
    );
}

/// A Dyna-Q agent: a Q-table, a learned model, and replay.
pub struct DynaQ {
    params: DynaQParams,
    q: Vec<[f32; Action::COUNT]>,
    visits: Vec<u32>,
    model: WorldModel,
    steps: u64,
    planning_updates: u64,
    /// Cells whose values the last planning sweep touched, with the step it happened.
    touched: Vec<u64>,
    last_state: usize,
}

impl DynaQ {
    /// A fresh agent for `world`.
    pub fn new(params: DynaQParams, world: &GridWorld) -> Self {
        let states = world.cell_count();
        Self {
            model: WorldModel::new(states, params.stochastic_model == 1),
            params,
            q: vec![[0.0; Action::COUNT]; states],
            visits: vec![0; states],
            steps: 0,
            planning_updates: 0,
            touched: vec![0; states],
            last_state: world.start(),
        }
    }

    fn update(&mut self, state: usize, action: Action, reward: f32, next: usize, terminal: bool) {
        let next_best = if terminal {
            0.0
        } else {
            self.q[next]
                .iter()
                .copied()
                .fold(f32::NEG_INFINITY, f32::max)
        };
        let entry = &mut self.q[state][action.index()];
        *entry += self.params.alpha * (reward + self.params.gamma * next_best - *entry);
    }

    /// n planning updates from the model (the lesion switches them off).
    fn plan(&mut self, rng: &mut ArenaRng) {
        if self.params.lesion == 1 {
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
            self.update(state, action, reward + bonus, next, terminal);
            self.touched[state] = self.steps;
            self.planning_updates += 1;
        }
    }

    /// Real steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
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
        self.update(t.state, t.action, t.reward, t.next.state, t.terminal);
        self.visits[t.state] = self.visits[t.state].saturating_add(1);
        let outcome = Outcome {
            next: t.next.state,
            reward: t.reward,
            terminal: t.terminal,
        };
        self.model.record(t.state, t.action, outcome, self.steps);
        self.plan(rng);
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let mut values = super::q_learning::value_map(&self.q, &self.visits, world);
        // Cells the model knows nothing about stay blank; planned-only values still show.
        for (i, v) in values.value.iter_mut().enumerate() {
            if v.is_nan() && self.touched[i] > 0 && world.cell(i) == Cell::Floor {
                *v = self.q[i].iter().copied().fold(f32::NEG_INFINITY, f32::max);
            }
        }
        let confidence = (0..world.cell_count())
            .map(|s| {
                Action::ALL
                    .iter()
                    .map(|&a| self.model.confidence(s, a))
                    .sum::<f32>()
                    / Action::COUNT as f32
            })
            .collect();
        let recently = self.steps.saturating_sub(3);
        let touched = (0..world.cell_count())
            .filter(|&i| {
                self.touched[i] > 0 && self.touched[i] >= recently && self.params.planning_steps > 0
            })
            .collect();
        Insight {
            action_values: Some(self.q[self.last_state]),
            action_caption: "",
            facts: vec![
                (
                    "planning updates".into(),
                    format!("{}", self.planning_updates),
                ),
                (
                    "model pairs".into(),
                    format!(
                        "{} of {}",
                        self.model.observed_pairs(),
                        world.cell_count() * Action::COUNT
                    ),
                ),
                (
                    "model error".into(),
                    format!(
                        "{:.1}% (recent {:.1}%)",
                        100.0 * self.model.error_rate(),
                        100.0 * self.model.recent_error
                    ),
                ),
            ],
            planning: Some(PlanningInsight {
                confidence,
                touched,
                model_error: self.model.recent_error,
                lesioned: self.params.lesion == 1,
                ..PlanningInsight::default()
            }),
            values: Some(values),
            memory: None,
            continual: None,
            meta: None,
            attention: None,
        }
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::DynaQ(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::DynaQ(params) = spec {
            let stochastic = self.params.stochastic_model;
            self.params = params.clone();
            self.params.stochastic_model = stochastic;
        }
    }
}
