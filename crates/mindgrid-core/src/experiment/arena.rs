//! One arena: an agent in its world, its episodes, its trail and its task schedule, stepped one
//! step at a time.

use serde::{Deserialize, Serialize};

use std::collections::VecDeque;

use rand::SeedableRng;

use super::TRAIL_LENGTH;
use super::edits::Painted;
use super::view::{ArenaView, Detail};
use crate::ArenaRng;
use crate::brain::{Agent, BrainSpec, HumanAgent, Insight, Transition};
use crate::dopamine::{DopamineLog, Events};
use crate::edit::{Map, nearest_cell, walkable};
use crate::episodes::{EpisodeLog, EpisodeRecord};
use crate::scene::Scene;
use crate::world::{Action, Cell, GridWorld, Observation};

/// The random streams drawn from a scene's seed, each independent of the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Slip and random starts: the same for every arena, so agents face the same luck.
    World,
    /// Arena `i`'s agent: exploration and sampling while it learns.
    Agent(usize),
    /// What arena `i`'s agent fixes at birth (a random projection, initial weights).
    Birth(usize),
}

impl Stream {
    /// The stream's seed under scene seed `seed`.
    pub fn seed(self, seed: u64) -> u64 {
        let stream = match self {
            Stream::World => 0,
            Stream::Agent(i) => 1 + i as u64,
            Stream::Birth(i) => 1000 + i as u64,
        };
        derive_seed(seed, stream)
    }

    /// A generator for the stream under scene seed `seed`.
    pub fn rng(self, seed: u64) -> ArenaRng {
        ArenaRng::seed_from_u64(self.seed(seed))
    }
}

/// Derives an independent stream seed from the scene seed (the `SplitMix64` finaliser).
fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One agent in its own copy of the world.
#[derive(Serialize, Deserialize)]
pub struct Arena {
    /// The agent's label.
    pub name: String,
    pub(super) world: GridWorld,
    #[serde(with = "crate::brain::agent_state")]
    pub(super) agent: Box<dyn Agent>,
    /// The brain the user asked for: the agent's own spec plus on-reset changes not yet applied.
    pub(super) requested: BrainSpec,
    pub(super) agent_rng: ArenaRng,
    pub(super) world_rng: ArenaRng,
    pub(super) episodes: EpisodeLog,
    pub(super) steps_in_episode: u32,
    pub(super) return_in_episode: f64,
    pub(super) total_steps: u64,
    pub(super) task: usize,
    pub(super) trail: VecDeque<usize>,
    pub(super) last_action: Option<Action>,
    pub(super) switches: Vec<u32>,
    /// The arena's map as edited: what its world is built from at a reset.
    pub(super) map: Map,
    /// Why agents cannot succeed on the edited map, if they cannot (recomputed on restore).
    #[serde(skip)]
    pub(super) map_warning: Option<&'static str>,
    /// The agent waiting aside while a person plays in its place ("you play").
    #[serde(with = "crate::brain::agent_state::optional")]
    pub(super) parked: Option<Box<dyn Agent>>,
    /// The person's episodes in this arena ("you" in the curves), once they played here.
    pub(super) your_episodes: Option<EpisodeLog>,
    /// The agent's TD error every step, by trial (agents that learn by one).
    pub(super) dopamine: DopamineLog,
}

impl Arena {
    /// Arena `index` of `scene` on `map`, its agent built from `brain`; every episode's record is
    /// kept if `keep_records`.
    pub(super) fn new(
        scene: &Scene,
        index: usize,
        brain: &BrainSpec,
        keep_records: bool,
        map: &Map,
    ) -> Self {
        let world = scene.build_world_on(&map.rows());
        let agent = brain.build(&world, Stream::Birth(index).seed(scene.seed));
        let mut arena = Self {
            map_warning: world.goal_warning(),
            map: map.clone(),
            parked: None,
            your_episodes: None,
            name: scene.agents[index].name.clone(),
            agent,
            requested: brain.clone(),
            world_rng: Stream::World.rng(scene.seed),
            agent_rng: Stream::Agent(index).rng(scene.seed),
            world,
            episodes: EpisodeLog::new(keep_records),
            steps_in_episode: 0,
            return_in_episode: 0.0,
            total_steps: 0,
            task: 0,
            trail: VecDeque::with_capacity(TRAIL_LENGTH),
            last_action: None,
            switches: Vec::new(),
            dopamine: DopamineLog::default(),
        };
        arena.switch_tasks(scene);
        arena.world.reset_with(&mut arena.world_rng);
        arena.trail.push_back(arena.world.agent());
        arena.map_warning = arena.world.goal_warning();
        arena
    }

    /// Applies every task switch due by now, in order: a switch waits for the one before it.
    pub(super) fn switch_tasks(&mut self, scene: &Scene) {
        while let Some(next) = scene.tasks.get(self.task) {
            let due = next
                .after_episodes
                .is_some_and(|e| self.episodes.count() >= e)
                || next.after_steps.is_some_and(|s| self.total_steps >= s);
            if !due {
                break;
            }
            self.start_next_task(scene);
        }
    }

    /// Applies the next task's changes, whether it is due or not.
    pub(super) fn start_next_task(&mut self, scene: &Scene) {
        if let Some(next) = scene.tasks.get(self.task) {
            for change in &next.changes {
                self.world.apply(change);
            }
            self.map_warning = self.world.goal_warning();
            self.task += 1;
            self.switches.push(self.episodes.count());
        }
    }

    /// Episodes completed when each task switch happened.
    pub fn switches(&self) -> &[u32] {
        &self.switches
    }

    /// One environment step: act, move, learn; on the episode's end, record it and start the next.
    /// Returns whether an episode ended.
    pub fn step(&mut self, scene: &Scene) -> bool {
        if self.agent.awaits_input() {
            return false;
        }
        let state = self.world.agent();
        let action = self
            .agent
            .act(&Observation::of(&self.world), &mut self.agent_rng);
        let outcome = self.world.step(action, &mut self.world_rng);
        self.agent.learn(
            &Transition {
                state,
                action,
                reward: outcome.reward,
                next: Observation::of(&self.world),
                terminal: outcome.terminal,
                truncated: outcome.truncated,
            },
            &mut self.agent_rng,
        );
        if let Some(delta) = self.agent.td_error() {
            let world = &self.world;
            let events = Events {
                cue: world.cue_on() || world.cell(world.agent()) == Cell::Cue,
                reward: match world.trial() {
                    Some(trial) => trial.reward_at == world.steps(),
                    None => outcome.success,
                },
            };
            self.dopamine.record(delta, events, world.agent());
        }
        self.last_action = Some(action);
        self.steps_in_episode += 1;
        self.total_steps += 1;
        self.return_in_episode += f64::from(outcome.reward);
        if self.trail.len() == TRAIL_LENGTH {
            self.trail.pop_front();
        }
        self.trail.push_back(self.world.agent());
        if !(outcome.terminal || outcome.truncated) {
            if self.task < scene.tasks.len() {
                self.switch_tasks(scene);
            }
            return false;
        }
        self.agent.end_episode(&mut self.agent_rng);
        let rewarded = self.world.trial().map_or(outcome.success, |t| t.rewarded);
        self.dopamine.end_trial(rewarded);
        // While a person plays in the agent's place, the episode is theirs.
        let (task, steps, episode_return) =
            (self.task, self.steps_in_episode, self.return_in_episode);
        let log = self.playing_log_mut();
        log.push(EpisodeRecord {
            episode: log.count() + 1,
            task,
            steps,
            episode_return,
            success: outcome.success,
        });
        self.switch_tasks(scene);
        self.start_episode();
        true
    }

    /// A fresh episode: counters cleared, the world reset, the trail begun again.
    pub(super) fn start_episode(&mut self) {
        self.steps_in_episode = 0;
        self.return_in_episode = 0.0;
        self.world.reset_with(&mut self.world_rng);
        self.trail.clear();
        self.trail.push_back(self.world.agent());
    }

    /// The map of what the arena shows now (its world after task switches and shuffles).
    pub(super) fn live_map(&self) -> Map {
        Map::of_world(&self.world)
    }

    /// Writes map changes (or takes them back) into the arena's map and its live world; an agent
    /// left on a wall or a terminal cell moves to the nearest free cell, a start left off the
    /// floor to the nearest floor cell.
    pub(super) fn write_map(&mut self, painted: &Painted, undo: bool) {
        self.map.write(&painted.base, undo);
        for change in &painted.live {
            let symbol = if undo { change.before } else { change.after };
            let (cell, is_start) = Cell::from_char(symbol).unwrap_or((Cell::Floor, false));
            self.world.set_cell(change.cell, cell);
            if is_start {
                self.world.set_start(change.cell);
            }
        }
        let world = &self.world;
        let size = (world.width(), world.cell_count());
        if world.cell(world.start()) != Cell::Floor
            && let Some(start) = nearest_cell(size.0, size.1, world.start(), |i| {
                world.cell(i) == Cell::Floor
            })
        {
            self.world.set_start(start);
        }
        let world = &self.world;
        if !walkable(world.cell(world.agent()))
            && let Some(free) =
                nearest_cell(size.0, size.1, world.agent(), |i| walkable(world.cell(i)))
        {
            self.world.set_agent(free);
            self.trail.clear();
            self.trail.push_back(free);
        }
        self.map_warning = self.world.goal_warning();
    }

    /// Moves the agent to `cell` mid-episode; refused unless an agent may stand there.
    pub(super) fn place_agent(&mut self, cell: usize) -> Result<(), String> {
        let (x, y) = self.world.xy(cell);
        match self.world.cell(cell) {
            c if walkable(c) => {
                self.world.set_agent(cell);
                self.trail.clear();
                self.trail.push_back(cell);
                Ok(())
            }
            c => Err(format!(
                "the agent cannot stand at ({x}, {y}): it is {}; drop it on floor",
                format!("{c:?}").to_lowercase()
            )),
        }
    }

    /// Hands the arena to the person (`on`: the agent ends its episode as if cut off and waits
    /// aside) or back to its agent; a fresh episode starts either way.
    pub(super) fn you_play(&mut self, on: bool) -> Result<(), String> {
        match (on, self.parked.is_some()) {
            (true, false) => {
                if self.agent.spec() == BrainSpec::Human {
                    return Err(format!("{} is already played by a person", self.name));
                }
                self.agent.end_episode(&mut self.agent_rng);
                let agent = std::mem::replace(&mut self.agent, Box::new(HumanAgent::default()));
                self.parked = Some(agent);
                let keep = self.episodes.keeps_records();
                self.your_episodes
                    .get_or_insert_with(|| EpisodeLog::new(keep));
            }
            (false, true) => {
                if let Some(agent) = self.parked.take() {
                    self.agent = agent;
                    let live = self.agent.spec().live_part(&self.requested);
                    self.agent.retune(&live);
                }
            }
            _ => return Err(String::new()),
        }
        self.dopamine.discard_trial();
        self.start_episode();
        Ok(())
    }

    /// The episodes of whoever plays now: the person's while they play in the agent's place.
    pub(super) fn playing_log(&self) -> &EpisodeLog {
        match (&self.parked, &self.your_episodes) {
            (Some(_), Some(yours)) => yours,
            _ => &self.episodes,
        }
    }

    /// [`Arena::playing_log`], to add to.
    pub(super) fn playing_log_mut(&mut self) -> &mut EpisodeLog {
        match (&self.parked, &mut self.your_episodes) {
            (Some(_), Some(yours)) => yours,
            _ => &mut self.episodes,
        }
    }

    /// Whether a person plays in this arena (a `Human` agent, or "you play").
    pub fn is_human(&self) -> bool {
        self.parked.is_some() || self.agent.spec() == BrainSpec::Human
    }

    /// The arena's map as edited.
    pub fn map(&self) -> &Map {
        &self.map
    }

    /// The arena's world as it is now.
    pub fn world(&self) -> &GridWorld {
        &self.world
    }

    /// Finished episodes, oldest first (empty when the experiment keeps only summaries).
    pub fn episodes(&self) -> &[EpisodeRecord] {
        self.episodes.records()
    }

    /// Finished episodes: their count, the last, recent successes and the bounded curve.
    pub fn episode_log(&self) -> &EpisodeLog {
        &self.episodes
    }

    /// What the window draws of this arena now, with as much of the agent's insight as `detail`
    /// asks for.
    pub fn view(&self, detail: Detail) -> ArenaView {
        ArenaView {
            name: self.name.clone(),
            world: self.world.clone(),
            trail: self.trail.iter().copied().collect(),
            last_action: self.last_action,
            brain: self.agent.spec(),
            requested: self.requested.clone(),
            pending: self.pending(),
            episodes: self.playing_log().count(),
            last_episode: self.playing_log().last().cloned(),
            recent_successes: self.playing_log().recent_successes(),
            curve: self.episodes.curve().clone(),
            switches: self.switches.clone(),
            steps_in_episode: self.steps_in_episode,
            total_steps: self.total_steps,
            task: self.task,
            insight: match detail {
                Detail::Bare => None,
                Detail::Map => Some(self.agent.map_insight(&self.world)),
                Detail::Full => Some(self.insight()),
            },
            dopamine: (detail == Detail::Full && self.dopamine.trials() > 0)
                .then(|| self.dopamine.view(self.world.cell_count())),
            map: self.map.clone(),
            map_warning: self.map_warning,
            human: self.is_human(),
            you_play: self.parked.is_some(),
            awaiting_move: self.agent.awaits_input(),
            your_curve: self.your_episodes.as_ref().map(|log| log.curve().clone()),
        }
    }

    /// The agent's TD errors by trial (empty for agents that do not learn by one).
    pub fn dopamine(&self) -> &DopamineLog {
        &self.dopamine
    }

    /// Steps taken so far in the current episode.
    pub fn steps_in_episode(&self) -> u32 {
        self.steps_in_episode
    }

    /// Steps taken in all episodes.
    pub fn total_steps(&self) -> u64 {
        self.total_steps
    }

    /// Index of the task in force.
    pub fn task(&self) -> usize {
        self.task
    }

    /// Recent cells of the agent, oldest first, ending at its cell.
    pub fn trail(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        self.trail.iter().copied()
    }

    /// The last action the agent chose.
    pub fn last_action(&self) -> Option<Action> {
        self.last_action
    }

    /// What the agent thinks now.
    pub fn insight(&self) -> Insight {
        self.agent.insight(&self.world)
    }

    /// The running agent's kind and hyperparameters.
    pub fn brain(&self) -> BrainSpec {
        self.agent.spec()
    }

    /// The brain the user asked for: what the next reset builds.
    pub fn requested(&self) -> &BrainSpec {
        &self.requested
    }

    /// Hyperparameters changed since the agent was built that wait for a reset.
    pub fn pending(&self) -> Vec<&'static str> {
        self.agent.spec().pending(&self.requested)
    }

    /// Whether an arena read from a snapshot is consistent ([`Experiment::check`]); `size` is the
    /// first arena's map size, which every arena shares.
    pub(super) fn check(&self, scene: &Scene, size: Option<(usize, usize)>) -> Result<(), String> {
        let world = &self.world;
        world.check()?;
        self.map.check()?;
        let here = (world.width(), world.height());
        if Some(here) != size || (self.map.width(), self.map.height()) != here {
            return Err("its map is not the size of the others".into());
        }
        if self.trail.len() > TRAIL_LENGTH || self.trail.iter().any(|&c| c >= world.cell_count()) {
            return Err("its trail leaves the map".into());
        }
        if self.task > scene.tasks.len() || self.switches.len() > scene.tasks.len() {
            return Err(format!(
                "it is at task {} of a schedule of {}",
                self.task,
                scene.tasks.len()
            ));
        }
        if !self.return_in_episode.is_finite() || self.steps_in_episode > world.rules.max_steps {
            return Err("its episode under way is damaged".into());
        }
        self.episodes.check()?;
        self.dopamine.check(world.cell_count())?;
        if let Some(yours) = &self.your_episodes {
            yours.check()?;
        }
        let parked = self.parked.as_ref().map(|agent| agent.spec());
        for brain in [self.agent.spec(), self.requested.clone()]
            .into_iter()
            .chain(parked.clone())
        {
            if let Some((field, error)) = crate::scene::brain_errors(&brain).into_iter().next() {
                return Err(format!("its brain's {field} is wrong: {error}"));
            }
        }
        let running = parked.unwrap_or_else(|| self.agent.spec());
        if running.kind() != self.requested.kind() {
            return Err(format!(
                "it runs a {} agent but asks for a {}",
                running.kind(),
                self.requested.kind()
            ));
        }
        self.agent.check(world)?;
        if let Some(parked) = &self.parked {
            if self.agent.spec() != BrainSpec::Human {
                return Err("its agent waits aside, but no person plays in its place".into());
            }
            parked.check(world)?;
        }
        Ok(())
    }

    /// Sets one hyperparameter of the requested brain; the live part reaches the agent now.
    pub(super) fn set_hyperparameter(&mut self, name: &str, value: f64) {
        self.requested.set_hyperparameter(name, value);
        let live = self.agent.spec().live_part(&self.requested);
        self.agent.retune(&live);
    }
}
