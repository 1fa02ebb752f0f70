//! The water-maze actor-critic of Foster, Dayan & Morris (2000): Gaussian place cells feed a
//! linear critic and a linear actor, both trained by the critic's TD error.
//!
//! ```text
//! place cells:  f_i(p) = exp(-|p - c_i|^2 / (2 sigma^2))        centres c_i every `spacing` cells
//! critic:       V(p)   = sum_i w_i f_i(p)
//! actor:        a_j(p) = sum_i z_ij f_i(p),   P(move j) = exp(beta a_j) / sum_k exp(beta a_k)
//! each step p -> p' with reward r, move j taken:
//!     delta  = r + gamma V(p') - V(p)          (r - V(p) when the platform is reached)
//!     w_i   += alpha_critic delta f_i(p)
//!     z_ij  += alpha_actor  delta f_i(p)      (the move taken only)
//! ```
//!
//! The critic's delta is the dopamine-like error the dopamine panel records. Simpler than the
//! paper: four moves on a grid instead of eight headings in a continuous pool, and a step of one
//! cell instead of 0.1 s of swimming. The model knows only where it is, through its place cells,
//! so a platform that moves leaves it with a map of values pointing at the old place: it unlearns
//! them slowly (the paper's finding), where its coordinate-learning extension (not built here)
//! relearns in a few trials.

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Transition, ValueMap, hyperparameters, sample_move,
    softmax_moves,
};
use crate::world::{Action, Cell, GridWorld, Observation};

/// What the window says about the place-cell actor-critic.
pub const ABOUT: &str = "Foster, Dayan & Morris's (2000) model of a rat in the water maze. Place \
    cells, each firing in a Gaussian blob around its centre, are the only input. A critic sums \
    them into a value (how close the platform feels from here) and an actor into a preference \
    for each move. Both learn from the critic's TD error delta = r + gamma V(next) - V(here): the \
    critic moves V towards what came, the actor strengthens a move that turned out better than \
    expected. Latency falls over trials as the values spread from the platform. When the \
    platform moves, the values still point to the old place, and the agent unlearns them slowly. \
    Brain analogue: hippocampal place cells as the input, dopamine as delta. Read: Morris 1981; \
    Foster, Dayan & Morris 2000.";

hyperparameters! {
    /// Hyperparameters of the place-cell actor-critic.
    pub struct PlaceCellActorCriticParams {
        width: f32 = 1.3, [0.3, 10.0], Live,
            help: "Width (standard deviation) of each place cell's Gaussian field, in cells.",
            source: "1.3 cells: Foster, Dayan & Morris's 0.16 m in a 2 m pool, about a twelfth of the pool's width, scaled to the 16-cell pool";
        spacing: f32 = 1.0, [0.5, 5.0], OnReset,
            help: "Distance between neighbouring place-cell centres, in cells (the centres cover the pool on a square grid).",
            source: "1: a place cell centred on every cell of the pool (Foster, Dayan & Morris scatter 493 over theirs)";
        critic_alpha: f32 = 0.05, [0.0, 1.0], Live,
            help: "Learning rate of the critic's weights.",
            source: "0.05 (calibrated for water_maze.ron: about ten place cells overlap each cell)";
        actor_alpha: f32 = 0.05, [0.0, 1.0], Live,
            help: "Learning rate of the actor's weights.",
            source: "0.05 (calibrated for water_maze.ron)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount per step.",
            source: "0.95 (calibrated: the paper's 0.9975 is per 0.1 s, a step here is a cell)";
        beta: f32 = 2.0, [0.0, 50.0], Live,
            help: "How strongly the actor prefers its strongest move (softmax inverse temperature).",
            source: "2 (Foster, Dayan & Morris 2000)";
    }
}

/// A place cell's field is cut off beyond this many widths (its activity there is below 0.2%).
const REACH: f32 = 3.5;

/// Gaussian place cells over the pool, a linear critic and a linear actor.
#[derive(Clone, Serialize, Deserialize)]
pub struct PlaceCellActorCritic {
    params: PlaceCellActorCriticParams,
    /// The map's width (a cell's position from its index).
    width: usize,
    /// Each place cell's centre, (column, row) in cell units (a cell's middle is at +0.5).
    centres: Vec<(f32, f32)>,
    /// The critic's weights, one per place cell.
    critic: Vec<f32>,
    /// The actor's weights, four per place cell.
    actor: Vec<[f32; Action::COUNT]>,
    last_state: usize,
    steps: u64,
    /// The TD error of the latest step (read right after `learn`, not kept).
    #[serde(skip)]
    delta: f32,
}

impl PlaceCellActorCritic {
    /// Place cells every `spacing` cells over `world`'s open cells; every weight 0.
    pub fn new(params: PlaceCellActorCriticParams, world: &GridWorld) -> Self {
        let spacing = params.spacing.max(0.5);
        let (w, h) = (world.width() as f32, world.height() as f32);
        let mut centres = Vec::new();
        let mut y = spacing / 2.0;
        while y < h {
            let mut x = spacing / 2.0;
            while x < w {
                if world
                    .cell_at(x as i32, y as i32)
                    .is_some_and(|c| c != Cell::Wall)
                {
                    centres.push((x, y));
                }
                x += spacing;
            }
            y += spacing;
        }
        Self {
            critic: vec![0.0; centres.len()],
            actor: vec![[0.0; Action::COUNT]; centres.len()],
            centres,
            width: world.width(),
            params,
            last_state: world.start(),
            steps: 0,
            delta: 0.0,
        }
    }

    /// The place cells' activity at `cell`: (index, activity) of those within reach.
    fn activity(&self, cell: usize) -> Vec<(usize, f32)> {
        let (x, y) = (
            (cell % self.width) as f32 + 0.5,
            (cell / self.width) as f32 + 0.5,
        );
        let sigma = self.params.width;
        let reach = (REACH * sigma).powi(2);
        self.centres
            .iter()
            .enumerate()
            .filter_map(|(i, &(cx, cy))| {
                let d2 = (x - cx).powi(2) + (y - cy).powi(2);
                (d2 <= reach).then(|| (i, (-d2 / (2.0 * sigma * sigma)).exp()))
            })
            .collect()
    }

    /// The critic's value of a pattern of activity.
    fn value(&self, activity: &[(usize, f32)]) -> f32 {
        activity.iter().map(|&(i, f)| self.critic[i] * f).sum()
    }

    /// The actor's preference for each move.
    fn preferences(&self, activity: &[(usize, f32)]) -> [f32; Action::COUNT] {
        let mut a = [0.0; Action::COUNT];
        for &(i, f) in activity {
            for (j, z) in self.actor[i].iter().enumerate() {
                a[j] += z * f;
            }
        }
        a
    }

    /// The softmax policy over the preferences.
    fn policy(&self, preferences: &[f32; Action::COUNT]) -> [f32; Action::COUNT] {
        softmax_moves(preferences, self.params.beta)
    }

    /// How many place cells there are.
    pub fn place_cells(&self) -> usize {
        self.centres.len()
    }
}

impl Brain for PlaceCellActorCritic {
    type Params = PlaceCellActorCriticParams;
    const SUMMARY: &'static str = "place cells into a linear actor-critic, the water-maze model (Foster, Dayan & Morris 2000)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &PlaceCellActorCriticParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(_params: &PlaceCellActorCriticParams) -> &'static str {
        "a place-cell actor-critic"
    }

    const MOST_CELLS: Option<(usize, &'static str)> = Some((
        1600,
        "every step sums the activity of a place cell per cell of the pool",
    ));
}

impl Agent for PlaceCellActorCritic {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        self.last_state = observation.state;
        let pi = self.policy(&self.preferences(&self.activity(observation.state)));
        Action::from_index(sample_move(&pi, rng))
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        let here = self.activity(t.state);
        let ahead = if t.terminal {
            0.0
        } else {
            self.value(&self.activity(t.next.state))
        };
        let delta = t.reward + self.params.gamma * ahead - self.value(&here);
        let (critic_alpha, actor_alpha) = (self.params.critic_alpha, self.params.actor_alpha);
        let j = t.action.index();
        for &(i, f) in &here {
            self.critic[i] += critic_alpha * delta * f;
            self.actor[i][j] += actor_alpha * delta * f;
        }
        self.delta = delta;
        self.last_state = t.next.state;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let (value, greedy) = (0..world.cell_count())
            .map(|i| {
                if world.cell(i) == Cell::Wall || world.cell(i).is_terminal() {
                    return (f32::NAN, None);
                }
                let activity = self.activity(i);
                let a = self.preferences(&activity);
                let best = (0..Action::COUNT)
                    .max_by(|&x, &y| a[x].total_cmp(&a[y]))
                    .unwrap_or(0);
                let moved = a.iter().any(|&v| v != 0.0);
                (
                    self.value(&activity),
                    moved.then(|| Action::from_index(best)),
                )
            })
            .unzip();
        let here = self.activity(world.agent());
        Insight {
            values: Some(ValueMap {
                value,
                greedy,
                meaning: "the critic's value V (arrows: the actor's strongest move)",
            }),
            action_values: Some(self.policy(&self.preferences(&here))),
            action_caption: "The actor's move probabilities here",
            facts: vec![
                ("place cells".into(), format!("{}", self.centres.len())),
                (
                    "active here".into(),
                    format!("{}", here.iter().filter(|(_, f)| *f > 0.1).count()),
                ),
            ],
            mechanism: None,
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, counters, ensure};
        ensure(
            self.width == world.width()
                && self.last_state < world.cell_count()
                && self.critic.len() == self.centres.len()
                && self.actor.len() == self.centres.len()
                && self.centres.len() <= world.cell_count() * 4
                && all_finite(self.critic.iter().chain(self.actor.iter().flatten()))
                && self
                    .centres
                    .iter()
                    .all(|(x, y)| x.is_finite() && y.is_finite())
                && counters(&[self.steps]),
            || "its place cells or weights are damaged".into(),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::PlaceCellActorCritic(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::PlaceCellActorCritic(params) = spec {
            self.params = params.clone();
        }
    }
}
