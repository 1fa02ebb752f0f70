//! A lookahead planner over a learned model: by default an exhaustive, depth-limited expectimax
//! search (Sutton & Barto 2018, 8.9-8.10, "decision-time planning"), with Q-learning values at the
//! leaves; or Monte Carlo tree search with UCT (Kocsis & Szepesvari 2006) over the same model.
//!
//! ```text
//! expectimax (the default): every move and every outcome, `depth` moves deep
//! each real step in state s:
//!     G(s, a, d) = sum over outcomes (s', r) of the model's (s, a), with their probabilities:
//!                      r                                   if s' ends the episode
//!                      r + gamma max_a' Q(s', a')          if d = 1              (the leaf's value)
//!                      r + gamma max_a' G(s', a', d - 1)   otherwise
//!                  Q(s, a) where the model has never seen (s, a)
//!     act: argmax_a G(s, a, depth) (epsilon-greedy);   learn: Q-learning on the real step, and
//!     record the step in the model (outcome counts)
//! the imagined futures drawn are each first move's principal variation: the best continuation,
//! following the most likely outcome
//!
//! MCTS (UCT), `simulations` times from s:  in each node (state, moves left) take an untried move
//!     (in random order), else the move with the highest  mean + c sqrt(ln N / N_a);  a move the
//!     model has seen gets a sampled outcome and the search goes on to `depth` moves or the
//!     episode's end (the leaf valued by max Q), a move it has never seen is valued by its Q;  the
//!     return is averaged into the node, whose best mean is its value for its parent (max backup)
//!     act on the root's means;  the futures drawn follow the most visited move and the most likely
//!     outcome, and the visit counts per first move are shown
//! ```

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::model::{Outcome, WorldModel, learn_real_step};
use std::collections::HashMap;

use rand::Rng;

use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Mechanism, PlanningInsight, QTable, Rollout, Transition,
    choice, epsilon_greedy, hyperparameters,
};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about the rollout planner.
pub const ABOUT: &str = "Before every move the planner imagines: from where it stands it searches \
    every sequence of moves a few steps deep through its learned model of the world (by default \
    an exhaustive expectimax search: every move and every predicted outcome, weighted by its \
    probability), adding up the \
    rewards it predicts plus what it already believes the end point is worth: \
    G = r1 + gamma r2 + ... + gamma^d V(end). It takes the first move of the best imagined future. \
    The ghost paths on the map are each first move's best future; where the real path leaves the \
    chosen plan is marked. With the search set to Monte Carlo tree search it samples futures \
    instead, trying promising moves more often (UCT: a move's mean return plus a bonus for being \
    tried less), and shows how often it visited each first move; in a world this small the \
    exhaustive search sees everything, and sampling only approximates it. \
    Brain analogue: hippocampal preplay and theta sequences, which sweep ahead of the animal along \
    possible paths before it chooses (Johnson & Redish 2007; Pfeiffer & Foster 2013). \
    Read: Tesauro & Galperin 1997 (rollouts); Coulom 2006, Kocsis & Szepesvari 2006 (MCTS); \
    Sutton & Barto 2018, 8.9-8.11.";

hyperparameters! {
    /// Hyperparameters of the lookahead planner.
    pub struct PlannerParams {
        depth: u32 = 4, [1.0, 7.0], Live,
            help: "How many moves ahead the planner imagines (the search grows fourfold per step).",
            source: "a few steps, valued by Q at the leaves (Sutton & Barto 8.10)";
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Step size of the Q-learning that values the ends of imagined futures.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount of future reward, real and imagined.",
            source: "0.95 (Sutton & Barto, fig. 8.2)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Probability of a random real move.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "No imagination: act on learned values alone.",
            source: "off: imagination on";
        search: Search = Search::Expectimax, [0.0, 1.0], Live,
            help: "Exhaustive expectimax (every move and outcome, depth deep), or Monte Carlo tree search with UCT (sampled futures, promising moves tried more).",
            source: "expectimax (Sutton & Barto 8.10); UCT (Kocsis & Szepesvari 2006)";
        simulations: u32 = 200, [1.0, 5000.0], Live,
            help: "MCTS: sampled futures per real move.",
            source: "200, calibrated for the imagination scene";
        exploration: f32 = 0.1, [0.0, 10.0], Live,
            help: "MCTS: the UCT bonus c for moves tried less (larger: wider search).",
            source: "sqrt(2) for returns in [0, 1] (Kocsis & Szepesvari 2006); 0.1 calibrated for the imagination scene, whose returns differ by hundredths";
    }
}

choice! {
    /// How the planner searches its model.
    pub enum Search {
        /// Every move and every outcome, `depth` moves deep.
        Expectimax => "exhaustive expectimax",
        /// Sampled futures, with UCT choosing which move to try.
        Mcts => "Monte Carlo tree search (UCT)",
    }
}

/// Statistics of one MCTS node (a state with some moves left).
#[derive(Clone, Copy, Default)]
struct Node {
    visits: u32,
    tries: [u32; Action::COUNT],
    returns: [f32; Action::COUNT],
}

/// The lookahead planner: Q-learning values, a learned model (outcome counts), and imagined futures.
#[derive(Clone, Serialize, Deserialize)]
pub struct Planner {
    params: PlannerParams,
    q: QTable,
    model: WorldModel,
    steps: u64,
    nodes_searched: u64,
    /// The state the current rollouts were imagined from: searched right after learning, so the
    /// window shows the futures imagined from where the agent stands, and acting reuses them.
    imagined_for: Option<usize>,
    rollouts: Vec<Rollout>,
    returns: [Option<f32>; Action::COUNT],
    /// The plan being followed and how far along it reality has matched.
    plan: Vec<usize>,
    plan_position: usize,
    divergence: Option<usize>,
    last_state: usize,
    /// MCTS: how often each first move was tried in the last search.
    visits: [u32; Action::COUNT],
    /// The TD error of the latest update (not kept by snapshots: it is read right after `learn`).
    #[serde(skip)]
    delta: f32,
}

impl Planner {
    /// A fresh planner for `world`.
    pub fn new(params: PlannerParams, world: &GridWorld) -> Self {
        let states = world.cell_count();
        Self {
            params,
            q: QTable::new(states, 0.0),
            // Counts: in a deterministic world only one outcome is ever counted, and after a
            // slip the rare outcome keeps its small probability instead of replacing the usual one.
            model: WorldModel::new(states, true),
            steps: 0,
            nodes_searched: 0,
            imagined_for: None,
            rollouts: Vec::new(),
            returns: [None; Action::COUNT],
            plan: Vec::new(),
            plan_position: 0,
            divergence: None,
            last_state: world.start(),
            visits: [0; Action::COUNT],
            delta: 0.0,
        }
    }

    /// One MCTS simulation from `state` with `depth` moves left: a move by UCT (untried ones
    /// first, in random order); a move the model has seen gets a sampled outcome and the search
    /// goes on, one it has not is valued by its Q. The return is averaged into the node, and the
    /// node's best average is its value for the parent (a max backup).
    fn simulate(
        &mut self,
        state: usize,
        depth: u32,
        tree: &mut HashMap<(usize, u32), Node>,
        rng: &mut ArenaRng,
    ) -> f32 {
        self.nodes_searched += 1;
        let node = tree.entry((state, depth)).or_default();
        let untried: Vec<Action> = Action::ALL
            .into_iter()
            .filter(|a| node.tries[a.index()] == 0)
            .collect();
        let action = if untried.is_empty() {
            let c = self.params.exploration;
            let log_n = f32::ln(node.visits.max(1) as f32);
            let ucb = |a: Action| {
                let i = a.index();
                node.returns[i] + c * (log_n / node.tries[i] as f32).sqrt()
            };
            Action::ALL
                .into_iter()
                .max_by(|a, b| ucb(*a).total_cmp(&ucb(*b)))
                .unwrap_or(Action::Up)
        } else {
            untried[rng.random_range(0..untried.len())]
        };
        let sampled = match self.model.sample(state, action, rng) {
            None => self.q[state][action.index()],
            Some(outcome) => {
                let future = if outcome.terminal {
                    0.0
                } else if depth <= 1 {
                    self.q.best(outcome.next)
                } else {
                    self.simulate(outcome.next, depth - 1, tree, rng)
                };
                outcome.reward + self.params.gamma * future
            }
        };
        let node = tree.entry((state, depth)).or_default();
        let i = action.index();
        node.visits += 1;
        node.tries[i] += 1;
        node.returns[i] += (sampled - node.returns[i]) / node.tries[i] as f32;
        (0..Action::COUNT)
            .filter(|&a| node.tries[a] > 0)
            .map(|a| node.returns[a])
            .fold(f32::NEG_INFINITY, f32::max)
    }

    /// MCTS from `state`: `returns` are the root's averages, `visits` its counts, and the
    /// futures drawn follow the most visited move and the most likely outcome at every level.
    fn imagine_by_sampling(&mut self, state: usize, rng: &mut ArenaRng) {
        let depth = self.params.depth.clamp(1, 7);
        let mut tree = HashMap::new();
        for _ in 0..self.params.simulations.max(1) {
            self.simulate(state, depth, &mut tree, rng);
        }
        let root = tree.get(&(state, depth)).copied().unwrap_or_default();
        self.visits = root.tries;
        // A move the model never saw was valued by its Q alone: not imagined, as expectimax says.
        self.returns = std::array::from_fn(|i| {
            (root.tries[i] > 0 && self.model.tried(state, Action::from_index(i)))
                .then_some(root.returns[i])
        });
        self.rollouts.clear();
        let total = root.visits.max(1) as f32;
        for action in Action::ALL
            .into_iter()
            .filter(|a| root.tries[a.index()] > 0 && self.model.tried(state, *a))
        {
            let mut cells = vec![state];
            let (mut current, mut next_action, mut left) = (state, action, depth);
            while let Some((outcome, _)) = self.model.most_likely(current, next_action) {
                cells.push(outcome.next);
                left -= 1;
                let Some(node) = tree
                    .get(&(outcome.next, left))
                    .filter(|_| !outcome.terminal && left > 0)
                else {
                    break;
                };
                current = outcome.next;
                next_action = Action::from_index(
                    (0..Action::COUNT)
                        .max_by_key(|&i| node.tries[i])
                        .unwrap_or(0),
                );
            }
            self.rollouts.push(Rollout {
                cells,
                predicted_return: root.returns[action.index()],
                first_action: Some(action),
                weight: root.tries[action.index()] as f32 / total,
            });
        }
    }

    /// Searches from `state` as the planner is set to: expectimax, or MCTS (which samples).
    fn imagine_with(&mut self, state: usize, rng: &mut ArenaRng) {
        match self.params.search {
            Search::Expectimax => {
                self.visits = [0; Action::COUNT];
                self.imagine(state);
            }
            Search::Mcts => self.imagine_by_sampling(state, rng),
        }
    }

    /// The imagined return of `action` in `state`, searching `depth` moves deep; `None` where the
    /// model has never seen the move.
    fn search(&mut self, state: usize, action: Action, depth: u32) -> Option<f32> {
        let outcomes = self.model.outcomes(state, action);
        if outcomes.is_empty() {
            return None;
        }
        self.nodes_searched += 1;
        let gamma = self.params.gamma;
        let mut total = 0.0;
        for (
            Outcome {
                next,
                reward,
                terminal,
            },
            p,
        ) in outcomes
        {
            let future = if terminal {
                0.0
            } else if depth <= 1 {
                self.q.best(next)
            } else {
                self.state_value(next, depth - 1)
            };
            total += p * (reward + gamma * future);
        }
        Some(total)
    }

    /// The best imagined return from `state` with `depth` moves to go.
    fn state_value(&mut self, state: usize, depth: u32) -> f32 {
        Action::ALL
            .into_iter()
            .map(|a| {
                self.search(state, a, depth)
                    .unwrap_or(self.q[state][a.index()])
            })
            .fold(f32::NEG_INFINITY, f32::max)
    }

    /// The principal variation after `first`: the most likely outcome, then the best move, to `depth`.
    fn principal_variation(&mut self, state: usize, first: Action, depth: u32) -> Vec<usize> {
        let mut cells = vec![state];
        let (mut current, mut action) = (state, first);
        for d in (1..=depth).rev() {
            let Some((outcome, _)) = self.model.most_likely(current, action) else {
                break;
            };
            cells.push(outcome.next);
            if outcome.terminal || d == 1 {
                break;
            }
            current = outcome.next;
            let values: Vec<f32> = Action::ALL
                .into_iter()
                .map(|a| {
                    self.search(current, a, d - 1)
                        .unwrap_or(self.q[current][a.index()])
                })
                .collect();
            action = Action::from_index(
                values
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(i, _)| i),
            );
        }
        cells
    }

    /// Searches every first move from `state`; fills `returns` and the futures drawn.
    fn imagine(&mut self, state: usize) {
        self.rollouts.clear();
        let depth = self.params.depth.clamp(1, 7);
        for action in Action::ALL {
            self.returns[action.index()] = self.search(state, action, depth);
        }
        let best = self
            .returns
            .iter()
            .flatten()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max);
        for action in Action::ALL {
            if let Some(predicted_return) = self.returns[action.index()] {
                let cells = self.principal_variation(state, action, depth);
                let weight = if predicted_return == best { 1.0 } else { 0.45 };
                self.rollouts.push(Rollout {
                    cells,
                    predicted_return,
                    first_action: Some(action),
                    weight,
                });
            }
        }
    }

    /// Search nodes expanded so far (one per imagined move).
    pub fn nodes_searched(&self) -> u64 {
        self.nodes_searched
    }
}

impl Brain for Planner {
    type Params = PlannerParams;
    const SUMMARY: &'static str = "depth-limited lookahead over a learned model, Q at the leaves: exhaustive expectimax, or MCTS (UCT)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &PlannerParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &PlannerParams) -> &'static str {
        "the lookahead planner"
    }
}

impl Agent for Planner {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        if self.params.lesion {
            self.rollouts.clear();
            self.returns = [None; Action::COUNT];
            self.plan.clear();
        } else if self.imagined_for != Some(state) {
            self.imagine_with(state, rng);
        }
        self.imagined_for = None;
        // Predicted return per move; moves never imagined fall back on their Q value.
        let predicted: Vec<f32> = (0..Action::COUNT)
            .map(|a| self.returns[a].unwrap_or(self.q[state][a]))
            .collect();
        let action = epsilon_greedy(&predicted, self.params.epsilon, rng);
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

    fn learn(&mut self, t: &Transition, rng: &mut ArenaRng) {
        self.steps += 1;
        let PlannerParams { alpha, gamma, .. } = self.params;
        self.delta = learn_real_step(&mut self.q, &mut self.model, t, (alpha, gamma), self.steps);
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
        } else if !self.params.lesion {
            // Imagine now, from where the agent stands (the search is deterministic and nothing it
            // reads changes before the next move).
            self.imagine_with(t.next.state, rng);
            self.imagined_for = Some(t.next.state);
        }
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let confidence = self.model.confidence_map(world.cell_count());
        Insight {
            values: Some(self.q.value_map(world)),
            action_values: Some(self.q[world.agent()]),
            action_caption: "",
            facts: [
                ("search".into(), self.params.search.label().into()),
                ("imagined moves".into(), format!("{}", self.nodes_searched)),
            ]
            .into_iter()
            .chain((self.params.search == Search::Mcts).then(|| {
                let counts: Vec<String> = ["up", "right", "down", "left"]
                    .iter()
                    .zip(self.visits)
                    .map(|(name, n)| format!("{name} {n}"))
                    .collect();
                ("visits per first move".to_owned(), counts.join(" · "))
            }))
            .chain(self.model.facts(world.cell_count()))
            .collect(),
            mechanism: Some(Mechanism::Planning(PlanningInsight {
                rollouts: self.rollouts.clone(),
                first_action_returns: self.returns,
                plan: self.plan[self.plan_position.min(self.plan.len())..].to_vec(),
                divergence: self.divergence,
                confidence,
                touched: Vec::new(),
                model_error: self.model.recent_error,
                lesioned: self.params.lesion,
            })),
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{counters, ensure, probability};
        // A plan holds at most depth + 1 cells, and the depth is at most 7. (The position may be
        // past the plan: a lesion clears the plan and leaves it.)
        const MOST_PLAN: usize = 8;
        let cells = world.cell_count();
        self.q.check(cells, [self.last_state])?;
        self.model.check(cells, true)?;
        let on_map = |c: &usize| *c < cells;
        ensure(
            self.imagined_for.iter().all(on_map)
                && self.divergence.iter().all(on_map)
                && self.plan.len() <= MOST_PLAN
                && self.plan_position < MOST_PLAN
                && self.plan.iter().all(on_map),
            || "its plan leaves the map".into(),
        )?;
        ensure(
            self.rollouts.len() <= Action::COUNT
                && self.rollouts.iter().all(|r| {
                    (1..=MOST_PLAN).contains(&r.cells.len())
                        && r.cells.iter().all(on_map)
                        && r.predicted_return.is_finite()
                        && probability(r.weight)
                })
                && self.returns.iter().flatten().all(|v| v.is_finite()),
            || "its imagined futures are damaged".into(),
        )?;
        ensure(counters(&[self.steps, self.nodes_searched]), || {
            "its counters are damaged".into()
        })
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Planner(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        // A new depth must search again.
        self.imagined_for = None;
        if let BrainSpec::Planner(params) = spec {
            self.params = params.clone();
        }
    }
}
