//! Agents ("brains"): the [`Agent`] trait, the scene's brain kinds, tunable hyperparameters and insights.

/// The agents, one file each with its algorithm box on top.
mod agents {
    pub mod actor_critic;
    pub mod attention;
    pub mod continual;
    pub mod dyna_q;
    pub mod expected_sarsa;
    pub mod human;
    pub mod mfec;
    pub mod place_cell_actor_critic;
    pub mod planner;
    pub mod prioritised_replay;
    pub mod q_learning;
    pub mod random;
    pub mod reptile;
    pub mod sarsa;
    pub mod sr;
    pub mod td_delay_line;
}

/// The parts agents are built from.
mod parts {
    pub mod curve;
    pub mod memory;
    pub mod model;
    pub mod nn;
    pub mod policy;
    pub mod q_table;
    pub mod restored;
}

mod params;

pub use agents::actor_critic::{ActorCritic, ActorCriticParams};
pub use agents::attention::{AttentionAgent, AttentionInsight, AttentionParams};
pub use agents::continual::{
    Continual, ContinualInsight, ContinualParams, Importance, ImportanceMap, TaskCurve,
};
pub use agents::dyna_q::OUTLINED_STEPS;
pub use agents::dyna_q::{DynaQ, DynaQParams};
pub use agents::expected_sarsa::{ExpectedSarsa, ExpectedSarsaParams};
pub use agents::human::HumanAgent;
pub use agents::mfec::{
    ActionRecall, KeyMode, MemoryInsight, Mfec, MfecParams, ReadMode, RecalledMemory,
};
pub use agents::place_cell_actor_critic::{PlaceCellActorCritic, PlaceCellActorCriticParams};
pub use agents::planner::{Planner, PlannerParams, Search};
pub use agents::prioritised_replay::{
    Direction, EVENT_STEPS, PrioritisedReplay, PrioritisedReplayParams, Priority, ReplayCounts,
    ReplayInsight, ReplaySequence, RestAt, RestView,
};
pub use agents::q_learning::{QLearning, QLearningParams};
pub use agents::random::RandomAgent;
pub use agents::reptile::{AdaptationCurve, MetaInsight, Reptile, ReptileParams, STARTS};
pub use agents::sarsa::{Sarsa, SarsaParams};
pub use agents::sr::{Follows, Sr, SrParams, SuccessorInsight};
pub use agents::td_delay_line::{TdDelayLine, TdDelayLineParams};
pub use params::{Apply, Hyperparameters, ParamKind, ParamSpec, ParamValue, read_param};
pub(crate) use params::{choice, hyperparameters};
pub use parts::curve::Curve;
pub use parts::policy::{
    argmax_random_tie, confidence_map, epsilon_greedy, n_step_advantages, sample_move,
    shortest_move_accuracy, softmax_moves,
};
pub use parts::q_table::QTable;
pub use parts::{memory, model, nn};

use serde::{Deserialize, Serialize};

use params::{live_part, pending_of, set_clamped, values_of};

use crate::ArenaRng;
use crate::world::{Action, Cell, GridWorld, Observation};

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

/// (Tests) The world of the shipped empty room: the goal is ten steps from the start.
#[cfg(test)]
pub(crate) fn room_world() -> GridWorld {
    crate::scene::parse(
        include_str!("../../../../scenes/empty_room.ron"),
        "empty_room.ron",
    )
    .expect("the shipped scene parses")
    .scene
    .build_world()
}

/// (Tests) A takeover ("you play") mid-rollout ends what `agent` gathered as an episode's end
/// does: after three steps in the empty room `held` (what it holds for its next update) is 3, and
/// after `end_episode` nothing, so its first update afterwards holds no earlier rewards.
#[cfg(test)]
pub(crate) fn assert_a_cut_off_episode_leaves_nothing<A: Agent>(
    build: impl Fn(&GridWorld) -> A,
    held: impl Fn(&A) -> usize,
) {
    use rand::SeedableRng;
    let mut world = room_world();
    let mut agent = build(&world);
    steps_mid_episode(&mut agent, &mut world, 3);
    assert_eq!(held(&agent), 3, "three steps gathered, fewer than n_steps");
    agent.end_episode(&mut crate::ArenaRng::seed_from_u64(0));
    assert_eq!(held(&agent), 0);
}

/// (Tests) Steps `agent` `n` times in `world`, acting and learning as an arena does, without
/// ending an episode: for looking at an agent mid-way through what it gathers between updates.
#[cfg(test)]
pub(crate) fn steps_mid_episode(agent: &mut dyn Agent, world: &mut GridWorld, n: usize) {
    use rand::SeedableRng;
    let mut rng = crate::ArenaRng::seed_from_u64(1);
    for _ in 0..n {
        let state = world.agent();
        let action = agent.act(&Observation::of(world), &mut rng);
        let outcome = world.step(action, &mut rng);
        assert!(!outcome.terminal && !outcome.truncated, "an episode ended");
        agent.learn(
            &Transition {
                state,
                action,
                reward: outcome.reward,
                next: Observation::of(world),
                terminal: false,
                truncated: false,
            },
            &mut rng,
        );
    }
}

/// A learning agent. Everything it knows is reachable from here, without Bevy.
pub trait Agent: Send + Sync + std::any::Any {
    /// Chooses an action for the observed state.
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action;
    /// Learns from one step of experience.
    fn learn(&mut self, transition: &Transition, rng: &mut ArenaRng);
    /// Called once when an episode ends (after the last `learn`).
    fn end_episode(&mut self, _rng: &mut ArenaRng) {}
    /// What the agent thinks now, for the window. Cheap, and never needed for learning.
    fn insight(&self, world: &GridWorld) -> Insight;
    /// What the map draws of the agent's thinking: the value map and the mechanism's marks on the
    /// map (where attention looks, imagined rollouts). By default the whole insight; an agent whose
    /// panel costs more than its map (evaluations, importance maps) leaves the panel's parts out,
    /// and the window asks for them only for the arena whose panel is open.
    fn map_insight(&self, world: &GridWorld) -> Insight {
        self.insight(world)
    }
    /// The agent's kind and current hyperparameters.
    fn spec(&self) -> BrainSpec;
    /// Takes new hyperparameters of the same kind without forgetting what was learned. The arena
    /// passes only what applies live ([`BrainSpec::live_part`]): on-reset fields keep the values
    /// the agent was built with.
    fn retune(&mut self, spec: &BrainSpec);
    /// Wipes the agent's episodic memory, if it has one ("amnesia"); other learning stays.
    fn amnesia(&mut self) {}
    /// Meets a new task, if the agent compares how fast it adapts ("new task"); others ignore it.
    fn try_new_task(&mut self) {}
    /// Whether the agent, as read from a snapshot, fits `world` (already checked itself): every
    /// table, memory, model and network has the shape its hyperparameters and the world declare,
    /// every stored index points inside what it indexes, every learned number is finite. A
    /// checkpoint is refused when this fails, so that nothing it holds can panic later.
    fn check(&self, world: &GridWorld) -> Result<(), String>;
    /// The TD error (reward-prediction error) of the agent's latest `learn`, for an agent that
    /// learns by one: `r + gamma V(s') - V(s)` as its own rule writes it. The dopamine panel
    /// records it every step (Schultz, Dayan & Montague 1997); `None` for agents that learn
    /// otherwise (episodic memory, imitation, Monte Carlo returns).
    fn td_error(&self) -> Option<f32> {
        None
    }
    /// Whether the agent waits for a move from the keyboard before it can act (a human).
    fn awaits_input(&self) -> bool {
        false
    }
    /// A move from the keyboard, for an agent that takes them; false when it was not taken
    /// (the agent takes no moves, or has too many waiting).
    fn take_move(&mut self, _action: Action) -> bool {
        false
    }
}

/// A brain kind without hyperparameters, written as a bare name in scenes (`Random`, `Human`).
pub trait PlainBrain: Agent + Default + 'static {
    /// The kind in words, for the window.
    const TITLE: &'static str;
    /// One line for the README table's "mechanism" column.
    const SUMMARY: &'static str;
    /// How it works, for the window.
    const ABOUT: &'static str;
}

impl PlainBrain for RandomAgent {
    const TITLE: &'static str = "a random walker";
    const SUMMARY: &'static str = "baseline";
    const ABOUT: &'static str = RandomAgent::ABOUT;
}

impl PlainBrain for HumanAgent {
    const TITLE: &'static str = "playing by hand";
    const SUMMARY: &'static str = "a person plays (window only)";
    const ABOUT: &'static str = HumanAgent::ABOUT;
}

/// A brain kind the registry can build: its hyperparameters and how the window names it.
pub trait Brain: Agent + Sized + 'static {
    /// Its hyperparameters, declared with `hyperparameters!`.
    type Params: Hyperparameters + Clone + Default;
    /// One line for the README table's "mechanism" column.
    const SUMMARY: &'static str;
    /// How the mechanism works, for the window.
    const ABOUT: &'static str;
    /// A fresh agent for `world`; `seed` draws whatever it fixes at birth (such as a projection).
    fn build(params: &Self::Params, world: &GridWorld, seed: u64) -> Self;
    /// The mechanism's name in words, for the window.
    fn title(params: &Self::Params) -> &'static str;
    /// Combinations of values that cannot work, as (field, what is wrong and what is expected).
    fn conflicts(_params: &Self::Params) -> Vec<(&'static str, String)> {
        Vec::new()
    }
    /// Moves other fields so that changing `changed` cannot create a conflict (the sliders).
    fn constrain(_params: &mut Self::Params, _changed: &str) {}
    /// The most cells of a map this brain takes, and why, for a brain whose cost grows faster
    /// than the map; `None`: any map a scene allows.
    const MOST_CELLS: Option<(usize, &'static str)> = None;
}

/// The registry: one line per brain kind (`Kind => Agent`); a scene writes it `Kind(field: value)`
/// and the variant holds the agent's hyperparameters (`<Agent as Brain>::Params`).
/// Kinds without hyperparameters ([`PlainBrain`]) come first, between braces, and are written as a
/// bare name.
macro_rules! brains {
    (
        { $($(#[$plain_doc:meta])* $plain:ident => $plain_agent:ty,)* }
        $($(#[$doc:meta])* $kind:ident => $agent:ty,)*
    ) => {
        /// A brain kind with its hyperparameters, as a scene file writes it.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum BrainSpec {
            $($(#[$plain_doc])* $plain,)*
            $($(#[$doc])* $kind(<$agent as Brain>::Params),)*
        }

        /// A running agent of any kind as data, borrowed: what a snapshot or checkpoint writes.
        #[derive(Serialize)]
        enum AgentRef<'a> {
            $($plain(&'a $plain_agent),)*
            $($kind(&'a $agent),)*
        }

        /// A running agent of any kind as data, owned: what a snapshot or checkpoint reads back.
        /// (The same variants in the same order as [`AgentRef`]; read once per agent and boxed at
        /// once, so the variants' different sizes cost nothing.)
        #[derive(Deserialize)]
        #[allow(clippy::large_enum_variant)]
        enum AgentState {
            $($plain($plain_agent),)*
            $($kind($agent),)*
        }

        /// Writes any agent with everything it learned (tables, memories, models, networks,
        /// optimiser state), for `#[serde(with = "agent_state")]` on a `Box<dyn Agent>`.
        pub mod agent_state {
            use super::*;

            /// Writes the agent as its kind's variant.
            pub fn serialize<S: serde::Serializer>(
                agent: &Box<dyn Agent>,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                let any: &dyn std::any::Any = agent.as_ref();
                $(if let Some(a) = any.downcast_ref::<$plain_agent>() {
                    return AgentRef::$plain(a).serialize(serializer);
                })*
                $(if let Some(a) = any.downcast_ref::<$agent>() {
                    return AgentRef::$kind(a).serialize(serializer);
                })*
                Err(serde::ser::Error::custom("an agent of a kind the registry does not list"))
            }

            /// Reads an agent written by [`serialize`].
            pub fn deserialize<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Box<dyn Agent>, D::Error> {
                Ok(match AgentState::deserialize(deserializer)? {
                    $(AgentState::$plain(a) => Box::new(a),)*
                    $(AgentState::$kind(a) => Box::new(a),)*
                })
            }

            /// The same for an optional agent (one waiting aside).
            pub mod optional {
                use super::*;

                /// Writes the agent, if any.
                pub fn serialize<S: serde::Serializer>(
                    agent: &Option<Box<dyn Agent>>,
                    serializer: S,
                ) -> Result<S::Ok, S::Error> {
                    #[derive(Serialize)]
                    struct Wrap<'a>(#[serde(with = "super")] &'a Box<dyn Agent>);
                    agent.as_ref().map(Wrap).serialize(serializer)
                }

                /// Reads it back.
                pub fn deserialize<'de, D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Option<Box<dyn Agent>>, D::Error> {
                    #[derive(Deserialize)]
                    struct Wrap(#[serde(with = "super")] Box<dyn Agent>);
                    Ok(Option::<Wrap>::deserialize(deserializer)?.map(|w| w.0))
                }
            }
        }

        impl BrainSpec {
            /// The brain kinds a scene may name.
            pub const KINDS: &'static [&'static str] = &[$(stringify!($plain),)* $(stringify!($kind),)*];

            /// Every kind with its default hyperparameters.
            pub fn defaults() -> Vec<BrainSpec> {
                vec![$(BrainSpec::$plain,)* $(BrainSpec::$kind(Default::default()),)*]
            }

            /// The kind's name as written in scenes.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(BrainSpec::$plain => stringify!($plain),)*
                    $(BrainSpec::$kind(_) => stringify!($kind),)*
                }
            }

            /// A fresh agent of this kind for `world`; `seed` draws whatever it fixes at birth.
            pub fn build(&self, world: &GridWorld, seed: u64) -> Box<dyn Agent> {
                match self {
                    $(BrainSpec::$plain => Box::new(<$plain_agent>::default()),)*
                    $(BrainSpec::$kind(p) => Box::new(<$agent as Brain>::build(p, world, seed)),)*
                }
            }

            /// The tunable hyperparameters of this kind, with their current values.
            pub fn hyperparameters(&self) -> Vec<(&'static ParamSpec, f64)> {
                match self {
                    $(BrainSpec::$plain)|* => Vec::new(),
                    $(BrainSpec::$kind(p) => values_of(p),)*
                }
            }

            /// Sets one hyperparameter by name (clamped to its range). Unknown names are ignored.
            pub fn set_hyperparameter(&mut self, name: &str, value: f64) {
                match self {
                    $(BrainSpec::$plain)|* => {}
                    $(BrainSpec::$kind(p) => {
                        set_clamped(p, name, value);
                        <$agent as Brain>::constrain(p, name);
                    })*
                }
            }

            /// The most cells of a map this brain takes, and why (see [`Brain::MOST_CELLS`]).
            pub fn most_cells(&self) -> Option<(usize, &'static str)> {
                match self {
                    $(BrainSpec::$plain)|* => None,
                    $(BrainSpec::$kind(_) => <$agent as Brain>::MOST_CELLS,)*
                }
            }

            /// Combinations of values that cannot work, as (field, message).
            pub fn conflicts(&self) -> Vec<(&'static str, String)> {
                match self {
                    $(BrainSpec::$plain)|* => Vec::new(),
                    $(BrainSpec::$kind(p) => <$agent as Brain>::conflicts(p),)*
                }
            }

            /// Hyperparameter `name` as a scene file writes it.
            pub fn written(&self, name: &str) -> String {
                match self {
                    $(BrainSpec::$plain)|* => String::new(),
                    $(BrainSpec::$kind(p) => p.written(name),)*
                }
            }

            /// `requested` with this spec's on-reset values: what an agent built from this spec can
            /// take without a reset. A different kind takes nothing.
            pub fn live_part(&self, requested: &BrainSpec) -> BrainSpec {
                match (self, requested) {
                    $((BrainSpec::$kind(running), BrainSpec::$kind(asked)) => {
                        BrainSpec::$kind(live_part(running, asked))
                    })*
                    _ => self.clone(),
                }
            }

            /// The on-reset hyperparameters whose `requested` value differs from this spec's:
            /// they wait for a reset.
            pub fn pending(&self, requested: &BrainSpec) -> Vec<&'static str> {
                match (self, requested) {
                    $((BrainSpec::$kind(running), BrainSpec::$kind(asked)) => {
                        pending_of(running, asked)
                    })*
                    _ => Vec::new(),
                }
            }

            /// The mechanism's name in words, for the window.
            pub fn title(&self) -> &'static str {
                match self {
                    $(BrainSpec::$plain => <$plain_agent as PlainBrain>::TITLE,)*
                    $(BrainSpec::$kind(p) => <$agent as Brain>::title(p),)*
                }
            }

            /// How the mechanism works, for the window.
            pub fn about(&self) -> &'static str {
                match self {
                    $(BrainSpec::$plain => <$plain_agent as PlainBrain>::ABOUT,)*
                    $(BrainSpec::$kind(_) => <$agent as Brain>::ABOUT,)*
                }
            }

            /// The README table's "mechanism" column.
            pub fn summary(&self) -> &'static str {
                match self {
                    $(BrainSpec::$plain => <$plain_agent as PlainBrain>::SUMMARY,)*
                    $(BrainSpec::$kind(_) => <$agent as Brain>::SUMMARY,)*
                }
            }
        }
    };
}

brains! {
    {
        /// Uniformly random actions: the floor every learner must beat.
        Random => RandomAgent,
        /// A person at the keyboard: the window's "you play" (headless runs refuse it).
        Human => HumanAgent,
    }
    /// Tabular Q-learning (Watkins 1989).
    QLearning => QLearning,
    /// Sarsa: on-policy tabular TD control (Rummery & Niranjan 1994).
    Sarsa => Sarsa,
    /// Expected Sarsa (van Seijen et al. 2009).
    ExpectedSarsa => ExpectedSarsa,
    /// Model-Free Episodic Control (Blundell et al. 2016).
    Mfec => Mfec,
    /// Dyna-Q and Dyna-Q+ (Sutton 1990).
    DynaQ => DynaQ,
    /// A lookahead planner: depth-limited search through a learned model.
    Planner => Planner,
    /// A network learning task after task, with EWC and replay (Kirkpatrick et al. 2017).
    Continual => Continual,
    /// Meta-learning with Reptile (Nichol et al. 2018).
    Reptile => Reptile,
    /// Soft spatial attention feeding an actor-critic (Mott et al. 2019).
    Attention => AttentionAgent,
    /// The same actor-critic on the flattened view, without attention: attention's fair control.
    ActorCritic => ActorCritic,
    /// The successor representation learned by TD, rewards apart (Dayan 1993; Russek et al. 2017).
    Sr => Sr,
    /// A Pavlovian TD learner over a tapped delay line: the dopamine model (Schultz et al. 1997).
    TdDelayLine => TdDelayLine,
    /// Replay chosen by gain x need (Mattar & Daw 2018), or by the TD error, or at random.
    PrioritisedReplay => PrioritisedReplay,
    /// Place cells into a linear actor-critic: the water-maze model (Foster, Dayan & Morris 2000).
    PlaceCellActorCritic => PlaceCellActorCritic,
}

/// A map of what the agent believes about each cell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueMap {
    /// Estimated value of each cell (row-major); NaN where the agent has no estimate.
    pub value: Vec<f32>,
    /// The greedy action in each cell, where the agent has one.
    pub greedy: Vec<Option<Action>>,
    /// What the values are, in words, for the overlay's tooltip and scale ("value estimate",
    /// "probability of the preferred move").
    pub meaning: &'static str,
}

impl ValueMap {
    /// The map of a learner with action values `q(cell)`: the best value of each cell it `knows`,
    /// and the greedy move where it is unique; NaN (and no move) on walls, terminals and cells it
    /// does not know.
    pub fn of_action_values(
        world: &GridWorld,
        knows: impl Fn(usize) -> bool,
        q: impl Fn(usize) -> [f32; Action::COUNT],
        meaning: &'static str,
    ) -> Self {
        let (value, greedy) = (0..world.cell_count())
            .map(|i| {
                let cell = world.cell(i);
                if cell == Cell::Wall || cell.is_terminal() || !knows(i) {
                    return (f32::NAN, None);
                }
                let row = q(i);
                let best = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let first = row.iter().position(|&v| v == best).unwrap_or(0);
                let tied = row.iter().filter(|&&v| v == best).count() > 1;
                (best, (!tied).then(|| Action::from_index(first)))
            })
            .unzip();
        ValueMap {
            value,
            greedy,
            meaning,
        }
    }
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
    /// The view of the agent's mechanism, if it has one.
    pub mechanism: Option<Mechanism>,
}

/// The inside of one mechanism, for its panel. The window matches on it exhaustively, so a new
/// view cannot be added without its panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Mechanism {
    /// What an episodic memory recalls now.
    Memory(MemoryInsight),
    /// What a planner imagines and how sure its model is.
    Planning(PlanningInsight),
    /// Where an attention agent looks.
    Attention(AttentionInsight),
    /// Forgetting curves and weight importance of a continual learner.
    Continual(ContinualInsight),
    /// Meta-training progress and adaptation curves of a meta-learner.
    Meta(MetaInsight),
    /// Place fields, occupancy and eigenvectors of a successor representation.
    Successor(SuccessorInsight),
    /// What a replaying agent replayed at its latest rest, and why.
    Replay(ReplayInsight),
}

/// Reads one kind of mechanism view out of an [`Insight`].
macro_rules! mechanism_accessors {
    ($($method:ident: $variant:ident($view:ty),)*) => {
        impl Insight {
            $(
                #[doc = concat!("The ", stringify!($method), " view, if the agent has one.")]
                pub fn $method(&self) -> Option<&$view> {
                    match &self.mechanism {
                        Some(Mechanism::$variant(view)) => Some(view),
                        _ => None,
                    }
                }
            )*
        }
    };
}

mechanism_accessors! {
    memory: Memory(MemoryInsight),
    planning: Planning(PlanningInsight),
    attention: Attention(AttentionInsight),
    continual: Continual(ContinualInsight),
    meta: Meta(MetaInsight),
    successor: Successor(SuccessorInsight),
    replay: Replay(ReplayInsight),
}

/// One imagined future: a path through the learned model from the agent's cell.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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
