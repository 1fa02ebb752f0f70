//! Agents ("brains"): the [`Agent`] trait, the scene's brain kinds, tunable hyperparameters and insights.

mod attention;
mod continual;
mod dyna_q;
pub mod memory;
mod mfec;
pub mod model;
pub mod nn;
mod planner;
mod q_learning;
mod random;
mod reptile;

pub use attention::{AttentionAgent, AttentionInsight, AttentionParams};
pub use continual::{Continual, ContinualInsight, ContinualParams, ImportanceMap, TaskCurve};
pub use dyna_q::{DynaQ, DynaQParams};
pub use mfec::{ActionRecall, KeyMode, MemoryInsight, Mfec, MfecParams, ReadMode, RecalledMemory};
pub use planner::{Planner, PlannerParams};
pub use q_learning::{QLearning, QLearningParams};
pub use random::RandomAgent;
pub use reptile::{AdaptationCurve, MetaInsight, Reptile, ReptileParams, STARTS};

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::world::{Action, GridWorld, Observation};

/// One step of experience, handed to the agent after the world moved.
pub struct Transition<'a> {
    /// The state the action was taken in.
    pub state: usize,
    /// The action the agent chose (a slip may have executed another).
    pub action: Action,
    /// Reward received.
    pub reward: f32,
    /// What the agent sees now.
    pub next: Observation<'a>,
    /// The episode ended in a terminal cell (no bootstrapping from `next`).
    pub terminal: bool,
    /// The episode was cut off by the step limit (bootstrapping from `next` is still right).
    pub truncated: bool,
}

/// A learning agent. Everything it knows is reachable from here, without Bevy.
pub trait Agent: Send + Sync {
    /// Chooses an action for the observed state.
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action;
    /// Learns from one step of experience.
    fn learn(&mut self, transition: &Transition, rng: &mut ArenaRng);
    /// Called once when an episode ends (after the last `learn`).
    fn end_episode(&mut self, _rng: &mut ArenaRng) {}
    /// What the agent thinks now, for the window. Cheap, and never needed for learning.
    fn insight(&self, world: &GridWorld) -> Insight;
    /// The agent's kind and current hyperparameters.
    fn spec(&self) -> BrainSpec;
    /// Applies new hyperparameters of the same kind without forgetting what was learned.
    fn retune(&mut self, spec: &BrainSpec);
    /// Wipes the agent's episodic memory, if it has one ("amnesia"); other learning stays.
    fn amnesia(&mut self) {}
    /// Meets a new task, if the agent compares how fast it adapts ("new task"); others ignore it.
    fn try_new_task(&mut self) {}
}

/// A brain kind with its hyperparameters, as a scene file writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BrainSpec {
    /// Uniformly random actions: the floor every learner must beat.
    Random,
    /// Tabular Q-learning (Watkins 1989).
    QLearning(QLearningParams),
    /// Model-Free Episodic Control (Blundell et al. 2016).
    Mfec(MfecParams),
    /// Dyna-Q and Dyna-Q+ (Sutton 1990).
    DynaQ(DynaQParams),
    /// A lookahead planner: depth-limited search through a learned model.
    Planner(PlannerParams),
    /// A network learning task after task, with EWC and replay (Kirkpatrick et al. 2017).
    Continual(ContinualParams),
    /// Meta-learning with Reptile (Nichol et al. 2018).
    Reptile(ReptileParams),
    /// Soft spatial attention feeding an actor-critic (Mott et al. 2019).
    Attention(AttentionParams),
}

impl BrainSpec {
    /// The brain kinds a scene may name.
    pub const KINDS: &'static [&'static str] = &[
        "Random",
        "QLearning",
        "Mfec",
        "DynaQ",
        "Planner",
        "Continual",
        "Reptile",
        "Attention",
    ];

    /// The kind's name as written in scenes.
    pub fn kind(&self) -> &'static str {
        match self {
            BrainSpec::Random => "Random",
            BrainSpec::QLearning(_) => "QLearning",
            BrainSpec::Mfec(_) => "Mfec",
            BrainSpec::DynaQ(_) => "DynaQ",
            BrainSpec::Planner(_) => "Planner",
            BrainSpec::Continual(_) => "Continual",
            BrainSpec::Reptile(_) => "Reptile",
            BrainSpec::Attention(_) => "Attention",
        }
    }

    /// A fresh agent of this kind for `world`; `seed` draws whatever it fixes at birth
    /// (such as a random projection).
    pub fn build(&self, world: &GridWorld, seed: u64) -> Box<dyn Agent> {
        match self {
            BrainSpec::Random => Box::new(RandomAgent),
            BrainSpec::QLearning(params) => Box::new(QLearning::new(params.clone(), world)),
            BrainSpec::Mfec(params) => Box::new(Mfec::new(params.clone(), world, seed)),
            BrainSpec::DynaQ(params) => Box::new(DynaQ::new(params.clone(), world)),
            BrainSpec::Planner(params) => Box::new(Planner::new(params.clone(), world)),
            BrainSpec::Continual(params) => Box::new(Continual::new(params.clone(), world, seed)),
            BrainSpec::Reptile(params) => Box::new(Reptile::new(params.clone(), world, seed)),
            BrainSpec::Attention(params) => {
                Box::new(AttentionAgent::new(params.clone(), world, seed))
            }
        }
    }

    /// The tunable hyperparameters of this kind, with their current values.
    pub fn hyperparameters(&self) -> Vec<(&'static ParamSpec, f64)> {
        match self {
            BrainSpec::Random => Vec::new(),
            BrainSpec::QLearning(p) => values_of(p),
            BrainSpec::Mfec(p) => values_of(p),
            BrainSpec::DynaQ(p) => values_of(p),
            BrainSpec::Planner(p) => values_of(p),
            BrainSpec::Continual(p) => values_of(p),
            BrainSpec::Reptile(p) => values_of(p),
            BrainSpec::Attention(p) => values_of(p),
        }
    }

    /// Sets one hyperparameter by name (clamped to its range). Unknown names are ignored.
    pub fn set_hyperparameter(&mut self, name: &str, value: f64) {
        match self {
            BrainSpec::Random => {}
            BrainSpec::QLearning(p) => set_clamped(p, name, value),
            BrainSpec::Mfec(p) => set_clamped(p, name, value),
            BrainSpec::DynaQ(p) => set_clamped(p, name, value),
            BrainSpec::Planner(p) => set_clamped(p, name, value),
            BrainSpec::Continual(p) => set_clamped(p, name, value),
            BrainSpec::Reptile(p) => set_clamped(p, name, value),
            BrainSpec::Attention(p) => set_clamped(p, name, value),
        }
    }

    /// The mechanism's name in words, for the window.
    pub fn title(&self) -> &'static str {
        match self {
            BrainSpec::Random => "a random walker",
            BrainSpec::QLearning(_) => "Q-learning",
            BrainSpec::Mfec(_) => "episodic control (MFEC)",
            BrainSpec::DynaQ(p) if p.kappa > 0.0 => "Dyna-Q+",
            BrainSpec::DynaQ(_) => "Dyna-Q",
            BrainSpec::Planner(_) => "the lookahead planner",
            BrainSpec::Continual(p) if p.lambda > 0.0 => "consolidation (EWC)",
            BrainSpec::Continual(_) => "a continual learner",
            BrainSpec::Reptile(_) => "meta-learning (Reptile)",
            BrainSpec::Attention(_) => "attention",
        }
    }

    /// A short description of the mechanism, for the window.
    pub fn about(&self) -> &'static str {
        match self {
            BrainSpec::Random => {
                "Moves uniformly at random. It never learns: the baseline every learner must beat."
            }
            BrainSpec::QLearning(_) => q_learning::ABOUT,
            BrainSpec::Mfec(_) => mfec::ABOUT,
            BrainSpec::DynaQ(_) => dyna_q::ABOUT,
            BrainSpec::Planner(_) => planner::ABOUT,
            BrainSpec::Continual(_) => continual::ABOUT,
            BrainSpec::Reptile(_) => reptile::ABOUT,
            BrainSpec::Attention(_) => attention::ABOUT,
        }
    }
}

/// How a hyperparameter may be set: its range, and what the paper used.
#[derive(Debug)]
pub struct ParamSpec {
    /// Field name, as in the scene file.
    pub name: &'static str,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Whether it is a real number, a whole number, a switch or a choice.
    pub kind: ParamKind,
    /// What it does (tooltip).
    pub help: &'static str,
    /// The value the paper used, and which paper.
    pub paper: &'static str,
}

/// What sort of value a hyperparameter takes, which decides its control in the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// A real number (a slider).
    Real,
    /// A whole number (a slider that snaps).
    Integer,
    /// 0 or 1 (a checkbox).
    Switch,
    /// An index into these labels (a drop-down).
    Choice(&'static [&'static str]),
}

impl ParamKind {
    /// Whether only whole numbers make sense.
    pub fn is_whole(self) -> bool {
        !matches!(self, ParamKind::Real)
    }
}

/// Implements [`Hyperparameters::get`] and [`Hyperparameters::set`] for fields that are plain
/// numbers (`f32` or `u32`), by name.
macro_rules! numeric_fields {
    ($($field:ident),* $(,)?) => {
        fn get(&self, name: &str) -> f64 {
            match name {
                $(stringify!($field) => f64::from(self.$field),)*
                _ => f64::NAN,
            }
        }

        fn set(&mut self, name: &str, value: f64) {
            match name {
                $(stringify!($field) => self.$field = value as _,)*
                _ => {}
            }
        }
    };
}
pub(crate) use numeric_fields;

/// A hyperparameter struct that sliders and the validator can read and write by name.
pub trait Hyperparameters {
    /// Every tunable field.
    const SPECS: &'static [ParamSpec];
    /// The value of field `name`.
    fn get(&self, name: &str) -> f64;
    /// Sets field `name` (no range check).
    fn set(&mut self, name: &str, value: f64);
}

fn values_of<H: Hyperparameters>(params: &H) -> Vec<(&'static ParamSpec, f64)> {
    H::SPECS.iter().map(|s| (s, params.get(s.name))).collect()
}

fn set_clamped<H: Hyperparameters>(params: &mut H, name: &str, value: f64) {
    if let Some(spec) = H::SPECS.iter().find(|s| s.name == name) {
        let value = if value.is_finite() { value } else { spec.min };
        let value = value.clamp(spec.min, spec.max);
        params.set(
            name,
            if spec.kind.is_whole() {
                value.round()
            } else {
                value
            },
        );
    }
}

/// A map of what the agent believes about each cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueMap {
    /// Estimated value of each cell (row-major); NaN where the agent has no estimate.
    pub value: Vec<f32>,
    /// The greedy action in each cell, where the agent has one.
    pub greedy: Vec<Option<Action>>,
}

/// What an agent shows the window about its inner state. Panels are functions of this.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Insight {
    /// State values and greedy actions over the map.
    pub values: Option<ValueMap>,
    /// The agent's action values in the current state.
    pub action_values: Option<[f32; Action::COUNT]>,
    /// What `action_values` are, for the panel's heading (empty: "Action values here").
    pub action_caption: &'static str,
    /// Short labelled facts ("states visited: 41").
    pub facts: Vec<(String, String)>,
    /// What an episodic memory recalls now.
    pub memory: Option<MemoryInsight>,
    /// What a planner imagines and how sure its model is.
    pub planning: Option<PlanningInsight>,
    /// Forgetting curves and weight importance of a continual learner.
    pub continual: Option<ContinualInsight>,
    /// Meta-training progress and adaptation curves of a meta-learner.
    pub meta: Option<MetaInsight>,
    /// Where an attention agent looks.
    pub attention: Option<AttentionInsight>,
}

/// One imagined future: a path through the learned model from the agent's cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rollout {
    /// Cells visited in imagination, starting at the agent's cell.
    pub cells: Vec<usize>,
    /// The return the model predicts along it (with the value estimate at its end).
    pub predicted_return: f32,
    /// The first move.
    pub first_action: Option<Action>,
    /// How much it counted (visit share or probability), in [0, 1].
    pub weight: f32,
}

/// What a planning agent shows: imagined rollouts, its chosen plan, and its model's confidence.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanningInsight {
    /// Imagined paths from the present cell.
    pub rollouts: Vec<Rollout>,
    /// Mean predicted return per first move (None: not imagined).
    pub first_action_returns: [Option<f32>; Action::COUNT],
    /// The plan chosen when it was made: cells from where the agent then stood.
    pub plan: Vec<usize>,
    /// Where the real path left the plan, if it did.
    pub divergence: Option<usize>,
    /// Mean model confidence per cell, in [0, 1].
    pub confidence: Vec<f32>,
    /// Cells whose values the latest planning updates touched.
    pub touched: Vec<usize>,
    /// Recent rate of wrong model predictions.
    pub model_error: f32,
    /// Whether planning is switched off.
    pub lesioned: bool,
}

/// The share of rows of `output` (one row of move scores per example) whose best-scoring move is
/// one of that example's shortest-path moves: the "accuracy" of the imitation learners.
pub fn shortest_move_accuracy(
    output: &ndarray::Array2<f32>,
    best: &[[bool; Action::COUNT]],
) -> f32 {
    let correct = output
        .rows()
        .into_iter()
        .zip(best)
        .filter(|(row, best)| {
            let choice = row
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            best[choice]
        })
        .count();
    correct as f32 / best.len().max(1) as f32
}

/// Epsilon-greedy: with probability `epsilon` a uniformly random move, otherwise the move with
/// the largest value (ties broken at random).
pub fn epsilon_greedy(values: &[f32], epsilon: f32, rng: &mut ArenaRng) -> Action {
    use rand::Rng;
    if rng.random::<f32>() < epsilon {
        Action::from_index(rng.random_range(0..Action::COUNT))
    } else {
        Action::from_index(argmax_random_tie(values, rng))
    }
}

/// Picks the index of the largest value, breaking ties uniformly at random.
pub fn argmax_random_tie(values: &[f32], rng: &mut ArenaRng) -> usize {
    use rand::Rng;
    let best = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let ties = values.iter().filter(|&&v| v == best).count();
    if ties <= 1 {
        return values.iter().position(|&v| v == best).unwrap_or(0);
    }
    let mut pick = rng.random_range(0..ties);
    for (i, &v) in values.iter().enumerate() {
        if v == best {
            if pick == 0 {
                return i;
            }
            pick -= 1;
        }
    }
    0
}
