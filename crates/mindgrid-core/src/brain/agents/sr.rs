//! The successor representation (Dayan 1993) in its state-action form, learned by TD (Russek et
//! al. 2017), with the rewards learned apart from it: values are their product, and a change of
//! reward changes every value at once (Momennejad et al. 2017).
//!
//! ```text
//! M[s,a][j]  expected discounted number of arrivals at cell j after move a in cell s
//!            (then moving greedily): the successor representation
//! w[j]       the reward for arriving at cell j
//! Q(s,a) = sum_j M[s,a][j] * w[j]
//! for each step:  a = epsilon-greedy(Q(s, .))                    (ties broken at random)
//!                 take a, observe r, s'
//!                 w[s'] += alpha_w * (r - w[s'])
//!                 next = M[s',a*], a* = argmax Q(s', .)     (follows: Greedy)
//!                     or mean over a' of M[s',a']           (follows: RandomWalk)
//!                 M[s,a] += alpha * (e(s') + gamma * next - M[s,a])   (e: one-hot; no next at a terminal)
//! ```
//!
//! `follows` says which moves M expects after the first: the greedy ones (control: the map of the
//! agent's own routes) or a random walk's (the SR Stachenfeld et al. 2017 compare with place and
//! grid cells: wave-like eigenvectors in an open room, fields that stop at walls). Either way the
//! agent acts on Q = M . w.
//!
//! Why the state-action form: the state SR, V(s) = M[s] . w, needs a model to choose a move (which
//! cell each move reaches); the state-action SR chooses without one, as Q-learning does, and keeps
//! what makes the SR the SR: the map of where the agent expects to go (M) is learned apart from
//! what it expects to find there (w). Simplifications: rewards belong to the cell arrived at (true
//! of every mindgrid world), and M is learned off-policy from whatever moves the agent makes.

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Mechanism, Transition, ValueMap, choice, epsilon_greedy,
    hyperparameters,
};
use crate::world::{Action, Cell, GridWorld, Observation};

/// What the window says about the successor representation.
pub const ABOUT: &str = "The successor representation splits what Q-learning keeps in one number: \
    M[s,a] is a map of where the agent expects to go after move a in cell s (discounted counts of \
    arrivals at every cell), learned by a TD error on those counts; w is the reward found in each \
    cell, learned apart. Q(s,a) = M[s,a] . w, so when a reward changes only w moves, and every \
    value changes at once. Brain analogue: hippocampal place cells behave like columns of M \
    (Stachenfeld, Botvinick & Gershman 2017). Read: Dayan 1993; Russek et al. 2017; Momennejad et \
    al. 2017.";

choice! {
    /// Which moves the successor map expects after the first.
    pub enum Follows {
        /// The greedy moves: the map of the agent's own routes (control; Russek et al. 2017).
        Greedy => "the greedy moves",
        /// A random walk's: the SR compared with place and grid cells (Stachenfeld et al. 2017).
        RandomWalk => "a random walk",
    }
}

hyperparameters! {
    /// Hyperparameters of the successor representation. The learning rate, discount and
    /// exploration are Q-learning's (Sutton & Barto's Dyna-maze settings), so the two compare fairly.
    pub struct SrParams {
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Learning rate of the successor map M: how far each update moves M[s,a] towards its target.",
            source: "0.1 (Q-learning's, Sutton & Barto fig. 8.2, for a fair comparison)";
        reward_alpha: f32 = 0.5, [0.0, 1.0], Live,
            help: "Learning rate of the reward weights w: how far one visit moves w[cell] towards the reward found there.",
            source: "0.5 (calibrated: mindgrid's rewards are fixed per cell, so w may learn fast)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount: how much an arrival one step later counts now (in M, and so in every value).",
            source: "0.95 (Sutton & Barto, fig. 8.2)";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Exploration: probability of a random move instead of the greedy one.",
            source: "0.1 (Sutton & Barto, fig. 8.2)";
        follows: Follows = Follows::Greedy, [0.0, 1.0], Live,
            help: "The moves the successor map expects after the first: the greedy ones (the agent's own routes) or a random walk's (the SR of Stachenfeld et al., whose fields stop at walls).",
            source: "greedy (Russek et al. 2017, control); random walk (Stachenfeld et al. 2017)";
        /// Where the place-cells panel records: its field is the SR column of this cell.
        electrode: u32 = 0, [0.0, 4095.0], Live,
            help: "The cell the place-cells panel records from (click a cell there): its place field is how much every cell expects to arrive at it.",
            source: "cell 0 (any cell: chosen in the panel)";
    }
}

/// How many of the successor map's leading eigenvectors the panel shows.
pub const EIGENVECTORS: usize = 8;

/// What the place-cells panel shows of a successor representation.
#[derive(Clone, Debug, PartialEq)]
pub struct SuccessorInsight {
    /// The cell recorded from (the electrode), on the map.
    pub electrode: usize,
    /// Which moves M expects after the first (a random walk's, as in Stachenfeld et al., or the
    /// agent's greedy ones).
    pub follows: Follows,
    /// Its place field: for each cell i, how much the agent expects (discounted) to be at the
    /// electrode's cell from i on, counting i itself: the SR column of the electrode as the papers
    /// write it, 1(i = electrode) + gamma * M(i)[electrode] (NaN on walls).
    pub field: Vec<f32>,
    /// Arrivals at each cell so far: where the agent has been, which shapes the fields.
    pub occupancy: Vec<u32>,
    /// The leading eigenvectors of the state SR made symmetric over the open cells, largest
    /// eigenvalue first, each with its eigenvalue (NaN on walls) (Stachenfeld et al. 2017): those
    /// of (M + M^T) / 2, with the eigenvalues of I + gamma (M + M^T) / 2, the SR counting the cell
    /// itself.
    pub eigenvectors: Vec<(f32, Vec<f32>)>,
}

/// A successor map over (cell, move) x cell and a reward per cell, epsilon-greedy on their product.
#[derive(Clone, Serialize, Deserialize)]
pub struct Sr {
    params: SrParams,
    /// Cells of the map.
    cells: usize,
    /// M, row (cell * 4 + move), a column per cell arrived at.
    successors: Vec<f32>,
    /// w: the reward for arriving at each cell.
    rewards: Vec<f32>,
    /// Arrivals at each cell: the agent's occupancy (and which cells have a value to show).
    visits: Vec<u32>,
    last_state: usize,
    /// The TD error its values imply at the latest step (it learns M and w from their own
    /// errors; this one is for the dopamine panel, read right after `learn`, not kept).
    #[serde(skip)]
    delta: f32,
    /// The action values `act` chose by, and where: Q(s,a) for the TD error without computing it
    /// again (nothing moves M or w between a step's act and its learn; not kept by snapshots).
    #[serde(skip)]
    acted: Option<(usize, [f32; Action::COUNT])>,
}

impl Sr {
    /// A blank map for `world`: no successor expected anywhere, no reward known.
    pub fn new(params: SrParams, world: &GridWorld) -> Self {
        let cells = world.cell_count();
        Self {
            params,
            cells,
            successors: vec![0.0; cells * Action::COUNT * cells],
            rewards: vec![0.0; cells],
            visits: vec![0; cells],
            last_state: world.start(),
            delta: 0.0,
            acted: None,
        }
    }

    /// The row M[s,a].
    fn row(&self, state: usize, action: usize) -> &[f32] {
        let at = (state * Action::COUNT + action) * self.cells;
        &self.successors[at..at + self.cells]
    }

    /// Q(s, .) = M[s, .] . w.
    pub fn q(&self, state: usize) -> [f32; Action::COUNT] {
        std::array::from_fn(|a| {
            self.row(state, a)
                .iter()
                .zip(&self.rewards)
                .map(|(m, w)| m * w)
                .sum()
        })
    }

    /// The successor representation of cell `state` (a row of the state SR): how much it expects
    /// to arrive at each cell, under the greedy move or, following a random walk, the mean over
    /// the moves.
    pub fn successors_of(&self, state: usize) -> Vec<f32> {
        match self.params.follows {
            Follows::Greedy => self.row(state, first_best(&self.q(state))).to_vec(),
            Follows::RandomWalk => (0..self.cells).map(|j| self.ahead(state, j)).collect(),
        }
    }

    /// Entry j of the mean over the moves of M[state, .].
    fn ahead(&self, state: usize, j: usize) -> f32 {
        (0..Action::COUNT)
            .map(|a| self.successors[(state * Action::COUNT + a) * self.cells + j])
            .sum::<f32>()
            / Action::COUNT as f32
    }

    /// The learned reward of each cell.
    pub fn rewards(&self) -> &[f32] {
        &self.rewards
    }

    /// Arrivals at each cell so far.
    pub fn visits(&self) -> &[u32] {
        &self.visits
    }

    /// The place-cells view: the electrode's field, the occupancy and the leading eigenvectors.
    pub fn successor_insight(&self, world: &GridWorld) -> SuccessorInsight {
        let electrode = (self.params.electrode as usize).min(self.cells.saturating_sub(1));
        let open: Vec<usize> = (0..self.cells)
            .filter(|&i| world.cell(i) != Cell::Wall)
            .collect();
        let field = (0..self.cells)
            .map(|i| match world.cell(i) {
                Cell::Wall => f32::NAN,
                // The SR as the papers write it counts the cell itself too: 1(i = electrode) +
                // gamma * (arrivals from i).
                _ => {
                    let arrivals = match self.params.follows {
                        Follows::Greedy => self.row(i, first_best(&self.q(i)))[electrode],
                        Follows::RandomWalk => self.ahead(i, electrode),
                    };
                    f32::from(u8::from(i == electrode)) + self.params.gamma * arrivals
                }
            })
            .collect();
        SuccessorInsight {
            electrode,
            follows: self.params.follows,
            field,
            occupancy: self.visits.clone(),
            eigenvectors: self.eigenvectors(&open),
        }
    }

    /// The leading eigenvectors of (S + S^T) / 2, S the state SR over the `open` cells under the
    /// greedy moves, spread back over the map (NaN elsewhere). A self-adjoint eigendecomposition
    /// from faer; a sign is fixed so that each vector's largest entry is positive.
    fn eigenvectors(&self, open: &[usize]) -> Vec<(f32, Vec<f32>)> {
        let n = open.len();
        if n == 0 {
            return Vec::new();
        }
        let rows: Vec<Vec<f32>> = open.iter().map(|&s| self.successors_of(s)).collect();
        let symmetric =
            faer::Mat::<f32>::from_fn(n, n, |i, j| 0.5 * (rows[i][open[j]] + rows[j][open[i]]));
        let Ok(eigen) = symmetric.as_ref().self_adjoint_eigen(faer::Side::Lower) else {
            return Vec::new(); // it did not converge: no eigenvectors this time
        };
        let (values, vectors) = (eigen.S().column_vector(), eigen.U());
        // Eigenvalues come smallest first: the leading ones are at the end.
        (0..n)
            .rev()
            .take(EIGENVECTORS)
            .map(|k| {
                let column: Vec<f32> = (0..n).map(|i| vectors[(i, k)]).collect();
                let peak = column
                    .iter()
                    .copied()
                    .fold(0.0f32, |m, v| if v.abs() > m.abs() { v } else { m });
                let sign = if peak < 0.0 { -1.0 } else { 1.0 };
                let mut map = vec![f32::NAN; self.cells];
                for (&cell, &v) in open.iter().zip(&column) {
                    map[cell] = sign * v;
                }
                (1.0 + self.params.gamma * values[k], map)
            })
            .collect()
    }

    fn value_map(&self, world: &GridWorld) -> ValueMap {
        let start = world.start();
        ValueMap::of_action_values(
            world,
            |i| i == start || self.visits[i] > 0,
            |i| self.q(i),
            "value estimate (best M . w)",
        )
    }
}

/// The first of the best entries.
fn first_best(q: &[f32; Action::COUNT]) -> usize {
    let best = q.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    q.iter().position(|&v| v == best).unwrap_or(0)
}

impl Brain for Sr {
    type Params = SrParams;
    const SUMMARY: &'static str = "the successor representation learned by TD, rewards apart (Dayan 1993; Russek et al. 2017)";
    const ABOUT: &'static str = ABOUT;
    const MOST_CELLS: Option<(usize, &'static str)> = Some((
        1_024,
        "the successor map holds a row of every cell for each (cell, move): 16 MB at 1,024 cells",
    ));

    fn build(params: &SrParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &SrParams) -> &'static str {
        "the successor representation"
    }
}

impl Agent for Sr {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        self.last_state = state;
        let q = self.q(state);
        self.acted = Some((state, q));
        epsilon_greedy(&q, self.params.epsilon, rng)
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        let SrParams {
            alpha,
            reward_alpha,
            gamma,
            ..
        } = self.params;
        let next = t.next.state;
        // The value TD error, delta = r + gamma V(s') - Q(s,a), for the dopamine panel: Q(s,a)
        // before anything moves, V(s') as M follows (the greedy move's value, or the random
        // walk's mean) from the values the next move is chosen by, once w[s'] has the reward.
        let q_taken = match self.acted.take() {
            Some((state, q)) if state == t.state => q[t.action.index()],
            _ => self.q(t.state)[t.action.index()],
        };
        self.visits[next] = self.visits[next].saturating_add(1);
        self.rewards[next] += reward_alpha * (t.reward - self.rewards[next]);
        let q_next = self.q(next);
        let ahead = match self.params.follows {
            _ if t.terminal => 0.0,
            Follows::Greedy => q_next.into_iter().fold(f32::NEG_INFINITY, f32::max),
            Follows::RandomWalk => q_next.iter().sum::<f32>() / Action::COUNT as f32,
        };
        self.delta = t.reward + gamma * ahead - q_taken;
        // M[s,a] += alpha (e(s') + gamma next - M[s,a]), in place: the rows bootstrapped
        // from are read before the row updated is written (they are one row when a move into a
        // wall leaves the agent where it was, and then each entry reads itself first).
        let (n, row) = (self.cells, t.state * Action::COUNT + t.action.index());
        let greedy = next * Action::COUNT + first_best(&q_next);
        let follows = self.params.follows;
        for j in 0..n {
            let ahead = match follows {
                _ if t.terminal => 0.0,
                Follows::Greedy => self.successors[greedy * n + j],
                Follows::RandomWalk => self.ahead(next, j),
            };
            let arrival = if j == next { 1.0 } else { 0.0 };
            let m = &mut self.successors[row * n + j];
            *m += alpha * (arrival + gamma * ahead - *m);
        }
        self.last_state = next;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        // Of the cells a step can leave (floor and cue tiles), as Q-learning counts them.
        let open = |i: usize| matches!(world.cell(i), Cell::Floor | Cell::Cue);
        let cells = 0..self.cells;
        let total = cells.clone().filter(|&i| open(i)).count();
        let visited = cells.filter(|&i| open(i) && self.visits[i] > 0).count();
        let rewarded = self.rewards.iter().filter(|w| w.abs() > 1e-6).count();
        Insight {
            values: Some(self.value_map(world)),
            action_values: Some(self.q(world.agent())),
            mechanism: Some(Mechanism::Successor(self.successor_insight(world))),
            facts: vec![
                (
                    "cells arrived at".into(),
                    format!("{visited} of {total} open"),
                ),
                ("cells with a reward".into(), format!("{rewarded}")),
            ],
            ..Insight::default()
        }
    }

    fn map_insight(&self, world: &GridWorld) -> Insight {
        // The map draws the values; the place fields and eigenvectors are the panel's.
        Insight {
            values: Some(self.value_map(world)),
            ..Insight::default()
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, ensure};
        let cells = world.cell_count();
        ensure(self.cells == cells, || {
            format!(
                "its successor map is for {} cells, the map has {cells}",
                self.cells
            )
        })?;
        ensure(
            self.successors.len() == cells * Action::COUNT * cells
                && self.rewards.len() == cells
                && self.visits.len() == cells,
            || "its successor map, rewards or visits are not the map's size".into(),
        )?;
        ensure(self.last_state < cells, || {
            format!("it remembers cell {}, off the map", self.last_state)
        })?;
        ensure(
            all_finite(self.successors.iter().chain(&self.rewards)),
            || "a successor count or a reward is not a finite number".into(),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Sr(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Sr(params) = spec {
            self.params = params.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Moves the agent of `world` from `from` by `action` to `to` and lets `agent` learn it.
    fn learn(
        agent: &mut Sr,
        world: &mut GridWorld,
        from: usize,
        action: Action,
        to: usize,
        reward: f32,
        terminal: bool,
    ) {
        world.set_agent(to);
        agent.learn(
            &Transition {
                state: from,
                action,
                reward,
                next: Observation::of(world),
                terminal,
                truncated: false,
            },
            &mut ArenaRng::seed_from_u64(0),
        );
    }

    /// An agent following `follows` trained 60 times on the path s0 -> s1 -> s2 of the empty
    /// room (right, right; s2 a terminal paying 1), with alpha 0.5 and gamma 0.9; the world and
    /// the three cells.
    fn trained_on_a_path(follows: Follows) -> (Sr, GridWorld, [usize; 3]) {
        let mut world = crate::brain::room_world();
        let s0 = world.start();
        let s1 = world.neighbour(s0, Action::Right);
        let s2 = world.neighbour(s1, Action::Right);
        let params = SrParams {
            alpha: 0.5,
            reward_alpha: 1.0,
            gamma: 0.9,
            follows,
            ..SrParams::default()
        };
        let mut agent = Sr::new(params, &world);
        for _ in 0..60 {
            learn(&mut agent, &mut world, s0, Action::Right, s1, 0.0, false);
            learn(&mut agent, &mut world, s1, Action::Right, s2, 1.0, true);
        }
        (agent, world, [s0, s1, s2])
    }

    /// On a path s0 -> s1 -> s2 (a terminal paying 1), the successor map converges to the
    /// discounted arrivals, M[s0,Right] = e(s1) + gamma e(s2), and Q(s0,Right) to gamma.
    #[test]
    fn the_map_learns_discounted_arrivals_and_the_values_follow() {
        let (mut agent, mut world, [s0, s1, s2]) = trained_on_a_path(Follows::Greedy);
        let row = agent.row(s0, Action::Right.index());
        assert!((row[s1] - 1.0).abs() < 1e-4, "{}", row[s1]);
        assert!((row[s2] - 0.9).abs() < 1e-4, "{}", row[s2]);
        assert!(
            row.iter()
                .enumerate()
                .all(|(j, m)| j == s1 || j == s2 || *m == 0.0)
        );
        assert!((agent.q(s0)[Action::Right.index()] - 0.9).abs() < 1e-4);
        // Reward revaluation: one visit to s2 paying 2 doubles the value of s0 at once, with no
        // step taken from s0 (only w moved).
        let before = agent.row(s0, Action::Right.index()).to_vec();
        learn(&mut agent, &mut world, s1, Action::Right, s2, 2.0, true);
        assert_eq!(agent.row(s0, Action::Right.index()), before.as_slice());
        assert!((agent.q(s0)[Action::Right.index()] - 1.8).abs() < 1e-4);
    }

    /// Following a random walk, M[s0,Right] expects after s1 the mean of s1's rows: only
    /// M[s1,Right] (= e(s2)) was ever learned, so s2 counts gamma / 4.
    #[test]
    fn a_random_walks_map_averages_the_moves_after_the_first() {
        let (agent, _, [s0, s1, s2]) = trained_on_a_path(Follows::RandomWalk);
        let row = agent.row(s0, Action::Right.index());
        assert!((row[s1] - 1.0).abs() < 1e-4, "{}", row[s1]);
        assert!((row[s2] - 0.9 / 4.0).abs() < 1e-4, "{}", row[s2]);
        assert!((agent.successors_of(s1)[s2] - 0.25).abs() < 1e-4);
    }
}
