//! A lookahead planner over a learned model: depth-limited rollouts (Tesauro & Galperin 1997; Sutton & Barto 2018, 8.10),
//! with Q-learning values at the leaves.
//!
//! ```text
//! each real step in state s:
//!     for i in 1..=simulations:                      (first moves taken in turn)
//!         a0 = i-th first move;  walk the model: s_t+1, r_t ~ Model(s_t, a_t),  a_t+1 = eps-greedy(Q, s_t+1)
//!         stop at a terminal, an unknown move, or `depth` steps
//!         G_i = sum_t gamma^t r_t + gamma^T max_a Q(s_T, a)        (the leaf's value estimate)
//!     predicted(a) = mean of G_i over rollouts starting with a   (Q(s,a) if the model never saw a here)
//!     act: argmax predicted (epsilon-greedy);   learn: Q-learning on the real step, and record it in the model
//! ```

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::model::{Outcome, WorldModel};
use super::{
    Agent, BrainSpec, Hyperparameters, Insight, ParamKind, ParamSpec, PlanningInsight, Rollout,
    Transition, argmax_random_tie, numeric_fields,
};
use crate::ArenaRng;
use crate::world::{Action, GridWorld, Observation};

/// What the window says about the rollout planner.
pub const ABOUT: &str = "Before every move the planner imagines: from where it stands it runs short \
    futures through its learned model of the world, each starting with one of the four moves, and \
    adds up the rewards it predicts plus what it already believes the end point is worth: \
    G = r1 + gamma r2 + ... + gamma^d V(end). It takes the move whose imagined futures pay best. The \
    ghost paths on the map are those futures; where the real path leaves the chosen plan is marked. \
    Brain analogue: hippocampal preplay and theta sequences, which sweep ahead of the animal along \
    possible paths before it chooses (Johnson & Redish 2007; Pfeiffer & Foster 2013). \
    Read: Tesauro & Galperin 1997 (rollouts); Coulom 2006, Kocsis & Szepesvari 2006 (MCTS); \
    Sutton & Barto 2018, 8.10-8.11.";

/// Hyperparameters of the rollout planner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlannerParams {
    /// Imagined rollouts per real step.
    pub simulations: u32,
    /// Longest rollout, in steps.
    pub depth: u32,
    /// Exploration inside imagination (rollout policy epsilon). 0: follow the current values; the
    /// model's own randomness (counted outcomes) still varies the futures in a stochastic world.
    /// Random rollouts are pessimistic near hazards: one imagined misstep into lava sinks a path.
    pub rollout_epsilon: f32,
    /// Step size of the Q-learning that values the leaves.
    pub alpha: f32,
    /// Discount.
    pub gamma: f32,
    /// Probability of a random real move.
    pub epsilon: f32,
    /// 1: act on Q alone, without imagining (a lesion of planning).
    pub lesion: u32,
}

impl Default for PlannerParams {
    fn default() -> Self {
        Self {
            simulations: 32,
            depth: 15,
            rollout_epsilon: 0.0,
            alpha: 0.1,
            gamma: 0.95,
            epsilon: 0.1,
            lesion: 0,
        }
    }
}

impl Hyperparameters for PlannerParams {
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec {
            name: "simulations",
            min: 4.0,
            max: 512.0,
            kind: ParamKind::Integer,
            help: "Imagined futures run before every real move (shared among the four first moves).",
            paper: "tens to thousands (Tesauro & Galperin 1997)",
        },
        ParamSpec {
            name: "depth",
            min: 1.0,
            max: 100.0,
            kind: ParamKind::Integer,
            help: "How many steps ahead each imagined future looks.",
            paper: "depth-limited; the leaf is valued by Q",
        },
        ParamSpec {
            name: "rollout_epsilon",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Randomness of moves inside imagination: 0 follows the current values, 1 imagines random walks.",
            paper: "epsilon-greedy rollout policy",
        },
        ParamSpec {
            name: "alpha",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Step size of the Q-learning that values the ends of rollouts.",
            paper: "0.1 (Sutton & Barto)",
        },
        ParamSpec {
            name: "gamma",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Discount of future reward, real and imagined.",
            paper: "0.95 (Sutton & Barto)",
        },
        ParamSpec {
            name: "epsilon",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Real,
            help: "Probability of a random real move.",
            paper: "0.1 (Sutton & Barto)",
        },
        ParamSpec {
            name: "lesion",
            min: 0.0,
            max: 1.0,
            kind: ParamKind::Switch,
            help: "No imagination: act on learned values alone.",
            paper: "-",
        },
    ];

    numeric_fields!(
        simulations,
        depth,
        rollout_epsilon,
        alpha,
        gamma,
        epsilon,
        lesion
    );
}

/// The rollout planner: Q-learning values, a learned table model, and imagined futures.
pub struct Planner {
    params: PlannerParams,
    q: Vec<[f32; Action::COUNT]>,
    visits: Vec<u32>,
    model: WorldModel,
    steps: u64,
    simulations_run: u64,
    rollouts: Vec<Rollout>,
    returns: [Option<f32>; Action::COUNT],
    /// The plan being followed and how far along it reality has matched.
    plan: Vec<usize>,
    plan_position: usize,
    divergence: Option<usize>,
    last_state: usize,
}

impl Planner {
    /// A fresh planner for `world`.
    pub fn new(params: PlannerParams, world: &GridWorld) -> Self {
        let states = world.cell_count();
        Self {
            params,
            q: vec![[0.0; Action::COUNT]; states],
            visits: vec![0; states],
            // Counts: in a deterministic world only one outcome is ever counted, and after a
            // slip the rare outcome keeps its small probability instead of replacing the usual one.
            model: WorldModel::new(states, true),
            steps: 0,
            simulations_run: 0,
            rollouts: Vec::new(),
            returns: [None; Action::COUNT],
            plan: Vec::new(),
            plan_position: 0,
            divergence: None,
            last_state: world.start(),
        }
    }

    fn best_q(&self, state: usize) -> f32 {
        self.q[state]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
    }

    /// One imagined future from `state` starting with `first`.
    fn rollout(&self, state: usize, first: Action, rng: &mut ArenaRng) -> Option<Rollout> {
        let gamma = self.params.gamma;
        let mut cells = vec![state];
        let mut total = 0.0;
        let mut discount = 1.0;
        let mut current = state;
        let mut action = first;
        for step in 0..self.params.depth {
            let Some(Outcome {
                next,
                reward,
                terminal,
            }) = self.model.sample(current, action, rng)
            else {
                if step == 0 {
                    return None;
                }
                total += discount * self.q[current][action.index()];
                return Some(Rollout {
                    cells,
                    predicted_return: total,
                    first_action: Some(first),
                    weight: 0.0,
                });
            };
            total += discount * reward;
            discount *= gamma;
            cells.push(next);
            current = next;
            if terminal {
                return Some(Rollout {
                    cells,
                    predicted_return: total,
                    first_action: Some(first),
                    weight: 0.0,
                });
            }
            action = if rng.random::<f32>() < self.params.rollout_epsilon {
                Action::from_index(rng.random_range(0..Action::COUNT))
            } else {
                Action::from_index(argmax_random_tie(&self.q[current], rng))
            };
        }
        total += discount * self.best_q(current);
        Some(Rollout {
            cells,
            predicted_return: total,
            first_action: Some(first),
            weight: 0.0,
        })
    }

    /// Runs the simulations from `state`; fills `rollouts` and `returns`.
    fn imagine(&mut self, state: usize, rng: &mut ArenaRng) {
        self.rollouts.clear();
        let mut sums = [0.0f32; Action::COUNT];
        let mut counts = [0u32; Action::COUNT];
        for i in 0..self.params.simulations {
            let first = Action::from_index(i as usize);
            if let Some(rollout) = self.rollout(state, first, rng) {
                sums[first.index()] += rollout.predicted_return;
                counts[first.index()] += 1;
                self.rollouts.push(rollout);
            }
        }
        self.simulations_run += u64::from(self.params.simulations);
        for a in 0..Action::COUNT {
            self.returns[a] = (counts[a] > 0).then(|| sums[a] / counts[a] as f32);
        }
        let total = self.rollouts.len().max(1) as f32;
        for r in &mut self.rollouts {
            r.weight = 1.0 / total;
        }
    }

    /// Planner simulations run so far.
    pub fn simulations_run(&self) -> u64 {
        self.simulations_run
    }
}

impl Agent for Planner {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        if self.params.lesion == 1 {
            self.rollouts.clear();
            self.returns = [None; Action::COUNT];
            self.plan.clear();
        } else {
            self.imagine(state, rng);
        }
        // Predicted return per move; moves never imagined fall back on their Q value.
        let predicted: Vec<f32> = (0..Action::COUNT)
            .map(|a| self.returns[a].unwrap_or(self.q[state][a]))
            .collect();
        let action = if rng.random::<f32>() < self.params.epsilon {
            Action::from_index(rng.random_range(0..Action::COUNT))
        } else {
            Action::from_index(argmax_random_tie(&predicted, rng))
        };
        // Commit to the best imagined future of the chosen move, unless still on a plan.
        let on_plan = self.plan.get(self.plan_position) == Some(&state)
            && self.plan_position + 1 < self.plan.len();
        if !on_plan {
            self.plan = self
                .rollouts
                .iter()
                .filter(|r| r.first_action == Some(action))
                .max_by(|a, b| a.predicted_return.total_cmp(&b.predicted_return))
                .map(|r| r.cells.clone())
                .unwrap_or_default();
            self.plan_position = 0;
        }
        action
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        let next_best = if t.terminal {
            0.0
        } else {
            self.best_q(t.next.state)
        };
        let entry = &mut self.q[t.state][t.action.index()];
        *entry += self.params.alpha * (t.reward + self.params.gamma * next_best - *entry);
        self.visits[t.state] = self.visits[t.state].saturating_add(1);
        let outcome = Outcome {
            next: t.next.state,
            reward: t.reward,
            terminal: t.terminal,
        };
        self.model.record(t.state, t.action, outcome, self.steps);
        // Did reality follow the plan?
        if let Some(&expected) = self.plan.get(self.plan_position + 1) {
            if expected == t.next.state {
                self.plan_position += 1;
            } else {
                self.divergence = Some(t.next.state);
                self.plan.clear();
                self.plan_position = 0;
            }
        }
        if t.terminal || t.truncated {
            self.plan.clear();
            self.plan_position = 0;
        }
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let confidence = (0..world.cell_count())
            .map(|s| {
                Action::ALL
                    .iter()
                    .map(|&a| self.model.confidence(s, a))
                    .sum::<f32>()
                    / Action::COUNT as f32
            })
            .collect();
        Insight {
            values: Some(super::q_learning::value_map(&self.q, &self.visits, world)),
            action_values: Some(self.q[self.last_state]),
            action_caption: "",
            facts: vec![
                ("simulations".into(), format!("{}", self.simulations_run)),
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
            memory: None,
            planning: Some(PlanningInsight {
                rollouts: self.rollouts.clone(),
                first_action_returns: self.returns,
                plan: self.plan[self.plan_position.min(self.plan.len())..].to_vec(),
                divergence: self.divergence,
                confidence,
                touched: Vec::new(),
                model_error: self.model.recent_error,
                lesioned: self.params.lesion == 1,
            }),
            continual: None,
            meta: None,
            attention: None,
        }
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Planner(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Planner(params) = spec {
            self.params = params.clone();
        }
    }
}
