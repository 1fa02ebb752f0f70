//! Experiments: one arena per agent, stepped in lockstep, with per-episode metrics. No Bevy here.

use serde::{Deserialize, Serialize};

use std::collections::VecDeque;
use std::fmt::Write as _;

use rand::SeedableRng;

use crate::ArenaRng;
use crate::brain::{Agent, BrainSpec, HumanAgent, Insight, Transition};
use crate::command::{Command, LoggedCommand};
use crate::edit::{Change, Map, Reach, nearest_cell, walkable};
use crate::scene::{Scene, WorldSpec, errors_of};
use crate::world::{Action, Cell, GridWorld, Observation};

/// How many recent cells an arena remembers for the trail.
pub const TRAIL_LENGTH: usize = 24;

pub use crate::episodes::{EpisodeBucket, EpisodeCurve, EpisodeLog, EpisodeRecord};

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
    world: GridWorld,
    #[serde(with = "crate::brain::agent_state")]
    agent: Box<dyn Agent>,
    /// The brain the user asked for: the agent's own spec plus on-reset changes not yet applied.
    requested: BrainSpec,
    agent_rng: ArenaRng,
    world_rng: ArenaRng,
    episodes: EpisodeLog,
    steps_in_episode: u32,
    return_in_episode: f64,
    total_steps: u64,
    task: usize,
    trail: VecDeque<usize>,
    last_action: Option<Action>,
    switches: Vec<u32>,
    /// The arena's map as edited: what its world is built from at a reset.
    map: Map,
    /// Why agents cannot succeed on the edited map, if they cannot (recomputed on restore).
    #[serde(skip)]
    map_warning: Option<&'static str>,
    /// The agent waiting aside while a person plays in its place ("you play").
    #[serde(with = "crate::brain::agent_state::optional")]
    parked: Option<Box<dyn Agent>>,
    /// The person's episodes in this arena ("you" in the curves), once they played here.
    your_episodes: Option<EpisodeLog>,
}

impl Arena {
    /// Arena `index` of `scene` on `map`, its agent built from `brain`; every episode's record is
    /// kept if `keep_records`.
    fn new(scene: &Scene, index: usize, brain: &BrainSpec, keep_records: bool, map: &Map) -> Self {
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
        };
        arena.switch_tasks(scene);
        arena.world.reset_with(&mut arena.world_rng);
        arena.trail.push_back(arena.world.agent());
        arena.map_warning = arena.world.goal_warning();
        arena
    }

    /// Applies every task switch due by now, in order: a switch waits for the one before it.
    fn switch_tasks(&mut self, scene: &Scene) {
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
    fn start_next_task(&mut self, scene: &Scene) {
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
    fn start_episode(&mut self) {
        self.steps_in_episode = 0;
        self.return_in_episode = 0.0;
        self.world.reset_with(&mut self.world_rng);
        self.trail.clear();
        self.trail.push_back(self.world.agent());
    }

    /// The map of what the arena shows now (its world after task switches and shuffles).
    fn live_map(&self) -> Map {
        Map::of_world(&self.world)
    }

    /// Writes map changes (or takes them back) into the arena's map and its live world; an agent
    /// left on a wall or a terminal cell moves to the nearest free cell, a start left off the
    /// floor to the nearest floor cell.
    fn write_map(&mut self, painted: &Painted, undo: bool) {
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
    fn place_agent(&mut self, cell: usize) -> Result<(), String> {
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
    fn you_play(&mut self, on: bool) -> Result<(), String> {
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
        self.start_episode();
        Ok(())
    }

    /// The episodes of whoever plays now: the person's while they play in the agent's place.
    fn playing_log(&self) -> &EpisodeLog {
        match (&self.parked, &self.your_episodes) {
            (Some(_), Some(yours)) => yours,
            _ => &self.episodes,
        }
    }

    /// [`Arena::playing_log`], to add to.
    fn playing_log_mut(&mut self) -> &mut EpisodeLog {
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
            map: self.map.clone(),
            map_warning: self.map_warning,
            human: self.is_human(),
            you_play: self.parked.is_some(),
            awaiting_move: self.agent.awaits_input(),
            your_curve: self.your_episodes.as_ref().map(|log| log.curve().clone()),
        }
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
    fn check(&self, scene: &Scene, size: Option<(usize, usize)>) -> Result<(), String> {
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
    fn set_hyperparameter(&mut self, name: &str, value: f64) {
        self.requested.set_hyperparameter(name, value);
        let live = self.agent.spec().live_part(&self.requested);
        self.agent.retune(&live);
    }
}

/// How much of an agent's insight a view carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// None.
    Bare,
    /// What the map draws ([`crate::brain::Agent::map_insight`]).
    Map,
    /// Everything, for the agent's panel too.
    Full,
}

/// A copy of what the window shows of one arena, made by the simulation and drawn by the window.
#[derive(Clone, Debug)]
pub struct ArenaView {
    /// The agent's label.
    pub name: String,
    /// The world as it is.
    pub world: GridWorld,
    /// Recent cells of the agent, oldest first.
    pub trail: Vec<usize>,
    /// The last action the agent chose.
    pub last_action: Option<Action>,
    /// The running agent's kind and hyperparameters.
    pub brain: BrainSpec,
    /// The brain the user asked for (what the next reset builds).
    pub requested: BrainSpec,
    /// On-reset hyperparameters waiting for a reset.
    pub pending: Vec<&'static str>,
    /// Episodes finished by whoever plays now (the person's, while they play in the agent's place).
    pub episodes: u32,
    /// The last episode they finished.
    pub last_episode: Option<EpisodeRecord>,
    /// Their successes among the last episodes, and how many those are.
    pub recent_successes: (usize, usize),
    /// The bounded learning curve.
    pub curve: EpisodeCurve,
    /// Episodes finished when each task switch happened.
    pub switches: Vec<u32>,
    /// Steps so far in the current episode.
    pub steps_in_episode: u32,
    /// Steps in all episodes.
    pub total_steps: u64,
    /// Index of the task in force.
    pub task: usize,
    /// What the agent thinks now, as much as the view was asked for ([`Detail`]): none, what the
    /// map draws, or everything.
    pub insight: Option<Insight>,
    /// The arena's map as edited (what a reset rebuilds, and what Save writes).
    pub map: Map,
    /// Why agents cannot succeed on that map, if they cannot (`check`'s warning).
    pub map_warning: Option<&'static str>,
    /// A person plays here (a `Human` agent, or "you play").
    pub human: bool,
    /// The arena's agent waits aside while a person plays in its place.
    pub you_play: bool,
    /// The person's move is awaited.
    pub awaiting_move: bool,
    /// The person's episodes in an arena they took over ("you" in the curves).
    pub your_curve: Option<EpisodeCurve>,
}

/// What [`Experiment::apply`] did with a command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Carried out and logged.
    Done,
    /// Changed nothing (an arena or a field that does not exist, a value already in force, nothing
    /// to undo); not logged.
    Ignored,
    /// Refused, changing nothing, for the reason given (an edit that would break the world).
    Refused(String),
}

/// The cells one edit changed in an arena: in what it shows now, and in the map it is rebuilt from.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Painted {
    live: Vec<Change>,
    base: Vec<Change>,
}

/// One entry of the edit history, undone and redone as a whole.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Edit {
    /// Painted cells, per arena, of one stroke.
    Paint {
        stroke: u64,
        arenas: Vec<(usize, Painted)>,
    },
    /// A map of another size for every arena (fresh agents).
    Reshape { before: Vec<Map>, after: Map },
}

/// Arenas stepped in lockstep from one scene.
#[derive(Serialize, Deserialize)]
pub struct Experiment {
    scene: Scene,
    arenas: Vec<Arena>,
    /// Lockstep steps taken by every arena ([`Experiment::step`], [`Experiment::step_n`]).
    steps: u64,
    /// Every command applied, with the lockstep step it took effect at.
    log: Vec<LoggedCommand>,
    /// Whether every episode's record is kept (for CSV and fingerprints).
    keep_records: bool,
    /// Whether every arena has taken `steps` steps (no arena was stepped alone), so that the log's
    /// step indices replay the run.
    lockstep: bool,
    /// Edits that can be undone, oldest first.
    history: Vec<Edit>,
    /// Edits undone that can be redone, the next to redo last.
    undone: Vec<Edit>,
    /// Every arena waits for the person's move (lockstep), or the agents run free.
    wait_for_human: bool,
}

impl std::fmt::Debug for Experiment {
    /// A summary: the scene, the steps, the arenas (agents' insides are too big to print).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Experiment")
            .field("scene", &self.scene.title)
            .field("steps", &self.steps)
            .field(
                "arenas",
                &self.arenas.iter().map(|a| &a.name).collect::<Vec<_>>(),
            )
            .field("log", &self.log.len())
            .finish()
    }
}

impl Experiment {
    /// Builds one arena per agent of the scene, keeping every episode's record.
    pub fn new(scene: Scene) -> Self {
        Self::with_records(scene, true)
    }

    /// Builds one arena per agent of the scene; with `keep_records` false only a bounded summary
    /// of the episodes is kept (the window's choice: memory that does not grow with the run).
    pub fn with_records(scene: Scene, keep_records: bool) -> Self {
        let map = Map::from_rows(scene.rows());
        let arenas = (0..scene.agents.len())
            .map(|i| Arena::new(&scene, i, &scene.agents[i].brain, keep_records, &map))
            .collect();
        Self {
            scene,
            arenas,
            steps: 0,
            log: Vec::new(),
            keep_records,
            lockstep: true,
            history: Vec::new(),
            undone: Vec::new(),
            wait_for_human: true,
        }
    }

    /// Runs `scene` for `steps` lockstep steps, applying each logged command at its step: the same
    /// numbers as the run that wrote the log, window or not.
    pub fn replay(scene: Scene, log: &[LoggedCommand], steps: u64) -> Self {
        let mut experiment = Experiment::new(scene);
        experiment.replay_onto(log, steps);
        experiment
    }

    /// Steps on to `steps`, applying each of `log`'s commands at its step (those at `steps` too):
    /// the one loop replays, seeks and recordings share.
    pub fn replay_onto(&mut self, log: &[LoggedCommand], steps: u64) {
        self.replay_onto_reporting(log, steps, &mut |_| {});
    }

    /// [`Experiment::replay_onto`], telling `progress` the lockstep step reached every 65,536
    /// steps (stepping in pieces gives the same numbers: arenas share nothing).
    pub fn replay_onto_reporting(
        &mut self,
        log: &[LoggedCommand],
        steps: u64,
        progress: &mut dyn FnMut(u64),
    ) {
        let mut run_to = |experiment: &mut Self, step: u64| {
            while experiment.steps < step {
                let piece = (experiment.steps + (1 << 16)).min(step);
                if experiment.run_to(piece) == 0 {
                    break;
                }
                progress(experiment.steps);
            }
        };
        for logged in log.iter().filter(|l| l.step <= steps) {
            run_to(self, logged.step);
            self.apply(logged.command.clone());
        }
        run_to(self, steps);
    }

    /// Steps until every arena has taken `step` steps, or until they wait for a person's move
    /// (lockstep with a person takes one step per move); returns the steps taken.
    pub fn run_to(&mut self, step: u64) -> u64 {
        let start = self.steps;
        while self.steps < step {
            if self.step_n(step - self.steps) == 0 {
                break;
            }
        }
        self.steps - start
    }

    /// Carries out `command` now, between steps, and logs it with the current step. A command
    /// that changes nothing (a hyperparameter the arena's brain does not have, a value it already
    /// has, an arena that does not exist, nothing to undo) is ignored; one that would break the
    /// world is refused with the reason. Neither is logged.
    pub fn apply(&mut self, command: Command) -> Applied {
        if !self.accepts(&command) {
            return Applied::Ignored;
        }
        let outcome = self.carry_out(&command);
        if outcome == Applied::Done {
            self.log.push(LoggedCommand {
                step: self.steps,
                command,
            });
        }
        outcome
    }

    fn carry_out(&mut self, command: &Command) -> Applied {
        match command {
            Command::SetHyperparameter { arena, name, value } => {
                if let Some(arena) = self.arenas.get_mut(*arena) {
                    arena.set_hyperparameter(name, *value);
                }
            }
            Command::ResetArena(index) => self.reset_arena(*index),
            Command::ResetAll => {
                for i in 0..self.arenas.len() {
                    self.reset_arena(i);
                }
            }
            Command::Amnesia(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.agent.amnesia();
                }
            }
            Command::NextTask(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.start_next_task(&self.scene);
                }
            }
            Command::NewTask(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.agent.try_new_task();
                }
            }
            Command::Paint {
                reach,
                stroke,
                tile,
                cells,
            } => return self.paint(*reach, *stroke, *tile, cells),
            Command::PlaceAgent { reach, x, y } => {
                let cell = *y as usize * self.arenas[0].world.width() + *x as usize;
                let reached: Vec<usize> = self.reached(*reach).collect();
                // All or none: check every arena before moving any.
                for &i in &reached {
                    let world = &self.arenas[i].world;
                    if cell >= world.cell_count() {
                        return Applied::Refused(format!("({x}, {y}) is outside the map"));
                    }
                    if !walkable(world.cell(cell)) {
                        let reason = self.arenas[i].place_agent(cell).err().unwrap_or_default();
                        return Applied::Refused(reason);
                    }
                }
                for i in reached {
                    let _ = self.arenas[i].place_agent(cell);
                }
            }
            Command::Reshape(rows) => return self.reshape(rows),
            Command::Undo => return self.undo_or_redo(true),
            Command::Redo => return self.undo_or_redo(false),
            Command::YouPlay { arena, on } => {
                if let Err(reason) = self.arenas[*arena].you_play(*on) {
                    return if reason.is_empty() {
                        Applied::Ignored
                    } else {
                        Applied::Refused(reason)
                    };
                }
            }
            Command::Move { arena, action } => {
                if !self.arenas[*arena].agent.take_move(*action) {
                    return Applied::Ignored;
                }
            }
            Command::WaitForHuman(wait) => {
                if self.wait_for_human == *wait {
                    return Applied::Ignored;
                }
                self.wait_for_human = *wait;
            }
            Command::Fork(index) => return self.fork(*index),
        }
        Applied::Done
    }

    /// A copy of arena `index` as a new arena at the end, named "NAME (fork)".
    fn fork(&mut self, index: usize) -> Applied {
        if self.arenas.len() >= crate::scene::MAX_AGENTS {
            return Applied::Refused(format!(
                "a fork needs a new arena, and there are {} already (at most {})",
                self.arenas.len(),
                crate::scene::MAX_AGENTS
            ));
        }
        let Some(mut copy) = crate::snapshot::copy(&self.arenas[index]) else {
            return Applied::Refused("the arena could not be copied".into());
        };
        copy.name = format!("{} (fork)", copy.name);
        copy.map_warning = copy.world.goal_warning();
        self.scene.agents.push(crate::scene::AgentSpec {
            name: copy.name.clone(),
            brain: copy.requested.clone(),
        });
        self.arenas.push(copy);
        Applied::Done
    }

    /// The arenas `reach` names.
    fn reached(&self, reach: Reach) -> impl Iterator<Item = usize> + use<> {
        (0..self.arenas.len()).filter(move |&i| reach.includes(i))
    }

    /// Paints one stroke's cells in the arenas reached, all or none.
    fn paint(
        &mut self,
        reach: Reach,
        stroke: u64,
        tile: crate::edit::Tile,
        cells: &[(u32, u32)],
    ) -> Applied {
        let mut painted = Vec::new();
        for i in self.reached(reach) {
            // What the user sees is painted (the world after task switches), and the same cells of
            // the map a reset rebuilds from, so that edits outlive resets.
            let arena = &self.arenas[i];
            let (mut live, mut base) = (arena.live_map(), arena.map.clone());
            if let Err(reason) = live.paint(cells, tile).and(base.paint(cells, tile)) {
                return Applied::Refused(reason);
            }
            let changes = Painted {
                live: live.changes_from(&arena.live_map()),
                base: base.changes_from(&arena.map),
            };
            if !changes.live.is_empty() || !changes.base.is_empty() {
                painted.push((i, changes));
            }
        }
        if painted.is_empty() {
            return Applied::Ignored;
        }
        for (i, changes) in &painted {
            self.arenas[*i].write_map(changes, false);
        }
        self.remember(Edit::Paint {
            stroke,
            arenas: painted,
        });
        Applied::Done
    }

    /// Gives every arena the map `rows` (another size) and fresh agents; refused when the scene
    /// with that map would not pass `check` (a size limit, a task naming a cell now outside).
    fn reshape(&mut self, rows: &[String]) -> Applied {
        let mut scene = self.scene.clone();
        let WorldSpec::Grid(grid) = &mut scene.world;
        grid.rows = rows.to_vec();
        if let Some(error) = errors_of(&scene).into_iter().next() {
            return Applied::Refused(format!("the new map is refused: {error}"));
        }
        let after = Map::from_rows(rows);
        let before = self.arenas.iter().map(|a| a.map.clone()).collect();
        self.set_maps(&vec![after.clone(); self.arenas.len()]);
        self.remember(Edit::Reshape { before, after });
        Applied::Done
    }

    /// Gives arena `i` the map `maps[i]` (an arena forked since the maps were taken gets the
    /// first one: every arena keeps one size) and a fresh agent.
    fn set_maps(&mut self, maps: &[Map]) {
        for (i, arena) in self.arenas.iter_mut().enumerate() {
            if let Some(map) = maps.get(i).or(maps.first()) {
                arena.map = map.clone();
            }
        }
        for i in 0..self.arenas.len() {
            self.reset_arena(i);
        }
    }

    /// Adds an edit to the history; what was undone can no longer be redone.
    fn remember(&mut self, edit: Edit) {
        self.history.push(edit);
        self.undone.clear();
    }

    /// Takes back (or does again) the last edit: a whole stroke, or a reshape.
    fn undo_or_redo(&mut self, undo: bool) -> Applied {
        let from = if undo {
            &mut self.history
        } else {
            &mut self.undone
        };
        let Some(last) = from.pop() else {
            return Applied::Ignored;
        };
        let mut moved = vec![last];
        if let Edit::Paint { stroke, .. } = moved[0] {
            while let Some(Edit::Paint { stroke: s, .. }) = from.last()
                && *s == stroke
            {
                moved.extend(from.pop());
            }
        }
        for edit in &moved {
            match edit {
                Edit::Paint { arenas, .. } => {
                    for (i, changes) in arenas {
                        self.arenas[*i].write_map(changes, undo);
                    }
                }
                Edit::Reshape { before, after } => {
                    let maps = if undo {
                        before.clone()
                    } else {
                        vec![after.clone(); self.arenas.len()]
                    };
                    self.set_maps(&maps);
                }
            }
        }
        let to = if undo {
            &mut self.undone
        } else {
            &mut self.history
        };
        to.extend(moved);
        Applied::Done
    }

    /// Whether an experiment read from a snapshot is one this build could have made, checked as
    /// a scene is before it replaces anything: the scene passes `check`, every arena's world, map,
    /// trail, episodes and agent are consistent with one another (cells on the map, agents off the
    /// walls, arrays of the shapes the brain declares, finite numbers), and the edit history names
    /// only arenas and cells that exist. A snapshot that passes steps, draws and undoes without a
    /// panic (a property test feeds damaged snapshots through it).
    pub fn check(&self) -> Result<(), String> {
        if let Some(error) = crate::scene::errors_of(&self.scene).into_iter().next() {
            return Err(format!("its scene is not valid: {error}"));
        }
        if self.arenas.len() != self.scene.agents.len() {
            return Err(format!(
                "it has {} arenas for the scene's {} agents",
                self.arenas.len(),
                self.scene.agents.len()
            ));
        }
        let size = self
            .arenas
            .first()
            .map(|a| (a.world.width(), a.world.height()));
        for (i, arena) in self.arenas.iter().enumerate() {
            arena.check(&self.scene, size).map_err(|e| {
                format!("arena {i} ({}): {e}", crate::limits::printable(&arena.name))
            })?;
        }
        let cells = size.map_or(0, |(w, h)| w * h);
        for edit in self.history.iter().chain(&self.undone) {
            let fits = match edit {
                Edit::Paint { arenas, .. } => arenas.iter().all(|(i, painted)| {
                    *i < self.arenas.len()
                        && painted.live.iter().chain(&painted.base).all(|c| {
                            c.cell < cells
                                && Cell::from_char(c.after).is_some()
                                && Cell::from_char(c.before).is_some()
                        })
                }),
                Edit::Reshape { before, after } => {
                    before.len() <= crate::scene::MAX_AGENTS
                        && before.iter().chain([after]).all(|m| m.check().is_ok())
                }
            };
            if !fits {
                return Err("its edit history names an arena or a cell that does not exist".into());
            }
        }
        if self.log.iter().any(|l| l.step > self.steps) {
            return Err("its command log has commands after its last step".into());
        }
        Ok(())
    }

    /// Recomputes what a snapshot does not store.
    pub(crate) fn after_restore(&mut self) {
        for arena in &mut self.arenas {
            arena.map_warning = arena.world.goal_warning();
        }
    }

    /// A stroke number no edit in the history uses yet (edits of one stroke undo together, so a
    /// new stroke must not share a number with an old one).
    pub fn next_stroke(&self) -> u64 {
        self.history
            .iter()
            .chain(&self.undone)
            .filter_map(|edit| match edit {
                Edit::Paint { stroke, .. } => Some(*stroke),
                Edit::Reshape { .. } => None,
            })
            .max()
            .map_or(1, |s| s + 1)
    }

    /// Whether there is an edit to undo, and one to redo.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (!self.history.is_empty(), !self.undone.is_empty())
    }

    /// Whether every arena waits for the person's move while one plays.
    pub fn waits_for_human(&self) -> bool {
        self.wait_for_human
    }

    /// From now on keeps only bounded summaries of the episodes (the window's choice: memory that
    /// does not grow with the run), dropping the records so far.
    pub fn keep_only_summaries(&mut self) {
        self.keep_records = false;
        for arena in &mut self.arenas {
            arena.episodes.keep_only_summaries();
            if let Some(yours) = &mut arena.your_episodes {
                yours.keep_only_summaries();
            }
        }
    }

    /// Whether every episode's record is kept (otherwise only bounded summaries).
    pub fn keeps_records(&self) -> bool {
        self.keep_records
    }

    /// Whether `command` names an arena (and a hyperparameter) that exist.
    fn accepts(&self, command: &Command) -> bool {
        match command {
            Command::SetHyperparameter { arena, name, value } => {
                self.arenas.get(*arena).is_some_and(|a| {
                    let known = a
                        .requested
                        .hyperparameters()
                        .iter()
                        .any(|(spec, _)| spec.name == name);
                    let mut changed = a.requested.clone();
                    changed.set_hyperparameter(name, *value);
                    known && changed != a.requested
                })
            }
            Command::ResetAll
            | Command::Reshape(_)
            | Command::Undo
            | Command::Redo
            | Command::WaitForHuman(_) => true,
            Command::ResetArena(i)
            | Command::Amnesia(i)
            | Command::NextTask(i)
            | Command::NewTask(i)
            | Command::YouPlay { arena: i, .. }
            | Command::Move { arena: i, .. }
            | Command::Fork(i) => *i < self.arenas.len(),
            Command::Paint { reach, .. } | Command::PlaceAgent { reach, .. } => {
                let (x, y) = match command {
                    Command::PlaceAgent { x, y, .. } => (*x as usize, *y as usize),
                    _ => (0, 0),
                };
                let world = &self.arenas.first().map(|a| &a.world);
                let inside = world.is_some_and(|w| x < w.width() && y < w.height());
                inside && !matches!(reach, Reach::Arena(i) if *i >= self.arenas.len())
            }
        }
    }

    /// Whether the log replays the run: false once an arena was stepped alone
    /// ([`Experiment::step_arena`], [`Experiment::run_episodes`]), since the log counts lockstep steps.
    pub fn replayable(&self) -> bool {
        self.lockstep
    }

    /// Every command applied so far, oldest first.
    pub fn log(&self) -> &[LoggedCommand] {
        &self.log
    }

    /// Lockstep steps taken so far (each arena took this many through `step` and `step_n`).
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Whether this experiment was built from `scene`: the same scene, apart from the arenas
    /// forks added at its end.
    pub fn made_from(&self, scene: &Scene) -> bool {
        let mut own = self.scene.clone();
        let forks = own.agents.len().saturating_sub(scene.agents.len());
        let added = own.agents.split_off(own.agents.len() - forks);
        own == *scene && added.iter().all(|a| a.name.ends_with("(fork)"))
    }

    /// The scene it was built from.
    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// The arenas, in scene order.
    pub fn arenas(&self) -> &[Arena] {
        &self.arenas
    }

    /// Steps every arena once; false when they wait for a person's move.
    pub fn step(&mut self) -> bool {
        self.step_n(1) == 1
    }

    /// Steps every arena `n` times, and returns how many lockstep steps were taken: fewer when
    /// every arena waits for a person's move (lockstep with a human takes one step per move). A
    /// person's arena that runs free steps only when a move is queued.
    pub fn step_n(&mut self, n: u64) -> u64 {
        let n = if self.wait_for_human && self.arenas.iter().any(Arena::is_human) {
            if self.arenas.iter().any(|a| a.agent.awaits_input()) {
                0
            } else {
                n.min(1)
            }
        } else {
            n
        };
        for arena in &mut self.arenas {
            for _ in 0..n {
                arena.step(&self.scene);
            }
        }
        self.steps += n;
        n
    }

    /// Steps arena `index` alone `n` times (benchmarks time one arena at a time).
    pub fn step_arena(&mut self, index: usize, n: u64) {
        self.lockstep = false;
        if let Some(arena) = self.arenas.get_mut(index) {
            for _ in 0..n {
                arena.step(&self.scene);
            }
        }
    }

    /// Steps each arena until it has finished `episodes` episodes; `progress` is called with
    /// the number of episodes completed across arenas each time one ends.
    pub fn run_episodes(&mut self, episodes: u32, mut progress: impl FnMut(u64)) {
        self.lockstep = false;
        // A person's arena has no one at the keyboard here: it is skipped.
        for arena in self.arenas.iter_mut().filter(|a| !a.is_human()) {
            while arena.episodes.count() < episodes {
                if arena.step(&self.scene) {
                    progress(1);
                }
            }
        }
    }

    /// Restarts arena `index` with a fresh world and a fresh agent built from the requested
    /// brain (so on-reset changes take effect).
    fn reset_arena(&mut self, index: usize) {
        if let Some(arena) = self.arenas.get_mut(index) {
            let brain = arena.requested.clone();
            let playing = arena.parked.is_some();
            let yours = arena.your_episodes.take();
            *arena = Arena::new(&self.scene, index, &brain, self.keep_records, &arena.map);
            // The person keeps playing, and keeps their curve.
            arena.your_episodes = yours;
            if playing {
                let _ = arena.you_play(true);
            }
        }
    }

    /// Steps taken by all arenas together.
    pub fn total_steps(&self) -> u64 {
        self.arenas.iter().map(|a| a.total_steps).sum()
    }

    /// The metrics as CSV: `agent,episode,task,steps,return,success`, one row per arena per episode.
    pub fn metrics_csv(&self) -> String {
        let mut csv = String::from("agent,episode,task,steps,return,success\n");
        for arena in &self.arenas {
            let agent = csv_field(&arena.name);
            for e in arena.episodes() {
                let task = csv_field(&self.scene.task_name(e.task));
                let _ = writeln!(
                    csv,
                    "{agent},{},{task},{},{},{}",
                    e.episode, e.steps, e.episode_return, e.success as u8
                );
            }
        }
        csv
    }

    /// A 64-bit FNV-1a hash of every arena's steps, agent position and episode records: equal
    /// hashes mean the runs matched step for step. Only an experiment that keeps its records
    /// (every headless run, `Experiment::new`) has episodes to hash.
    pub fn fingerprint(&self) -> u64 {
        let mut hash = Fnv1a::new();
        let mut eat = |bytes: &[u8]| hash.eat(bytes);
        for arena in &self.arenas {
            eat(&arena.total_steps.to_le_bytes());
            eat(&(arena.world.agent() as u64).to_le_bytes());
            for e in arena.episodes() {
                eat(&e.steps.to_le_bytes());
                eat(&e.episode_return.to_bits().to_le_bytes());
                eat(&[e.success as u8, e.task as u8]);
            }
        }
        hash.0
    }
}

/// The 64-bit FNV-1a hash: fingerprints of runs, checksums of checkpoints.
pub(crate) struct Fnv1a(pub u64);

impl Fnv1a {
    /// The hash of nothing yet.
    pub fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    /// Mixes in `bytes`.
    pub fn eat(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Steps per second of each arena of `scene` over `steps` steps (after a 5% warm-up), one arena
/// at a time, without drawing: the figure `mindgrid bench` prints.
pub fn measure_throughput(scene: Scene, steps: u64) -> Vec<(String, f64)> {
    let mut experiment = Experiment::new(scene);
    (0..experiment.arenas.len())
        .map(|i| {
            experiment.step_arena(i, steps / 20);
            let started = std::time::Instant::now();
            experiment.step_arena(i, steps);
            let rate = steps as f64 / started.elapsed().as_secs_f64();
            (experiment.arenas[i].name.clone(), rate)
        })
        .collect()
}

/// One agent's per-episode means over several seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct MeanCurve {
    /// The agent's name.
    pub agent: String,
    /// Mean steps of episode i+1.
    pub steps: Vec<f64>,
    /// Mean return of episode i+1.
    pub returns: Vec<f64>,
    /// Fraction of runs whose episode i+1 reached the goal.
    pub success: Vec<f64>,
    /// Runs averaged.
    pub runs: u32,
}

/// Seeds for runs averaged together: `count` consecutive seeds from `first`, never none. Past
/// `u64::MAX` they wrap to 0 (the defined rule, so a scene seed near the top still gives `count`
/// distinct runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seeds {
    first: u64,
    count: std::num::NonZeroU64,
}

impl Seeds {
    /// `count` seeds from `first`; `None` for no seeds (a mean over nothing is refused).
    pub fn new(first: u64, count: u64) -> Option<Self> {
        Some(Self {
            first,
            count: std::num::NonZeroU64::new(count)?,
        })
    }

    /// How many seeds.
    pub fn count(self) -> u64 {
        self.count.get()
    }

    /// The seeds in order.
    pub fn iter(self) -> impl Iterator<Item = u64> {
        (0..self.count.get()).map(move |k| self.first.wrapping_add(k))
    }
}

/// Runs `scene` once per seed for `episodes` episodes and averages each agent's curves,
/// the way Sutton & Barto average their figures over runs. Seeds run on up to `threads` threads
/// at once, a few batches of them at a time; each run's outcome is added to the means in seed
/// order as soon as the runs before it are in, so the result is the same bytes on any number of
/// threads and memory does not grow with the number of seeds. `progress` is told of every
/// finished episode, from any thread.
pub fn mean_over_seeds(
    scene: &Scene,
    seeds: Seeds,
    episodes: u32,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<MeanCurve> {
    let runs = u32::try_from(seeds.count()).unwrap_or(u32::MAX);
    let n = episodes as usize;
    let mut curves: Vec<MeanCurve> = scene
        .agents
        .iter()
        .map(|a| MeanCurve {
            agent: a.name.clone(),
            steps: vec![0.0; n],
            returns: vec![0.0; n],
            success: vec![0.0; n],
            runs,
        })
        .collect();
    let batch = 4 * threads.max(1);
    let mut all = seeds.iter();
    loop {
        let chunk: Vec<u64> = all.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        // One run's outcome: per agent, (steps, return, success) of each episode.
        let outcomes: Vec<Vec<Vec<(u32, f64, bool)>>> =
            for_each_seed(scene, &chunk, threads, |mut experiment| {
                experiment.run_episodes(episodes, progress);
                experiment
                    .arenas()
                    .iter()
                    .map(|a| {
                        a.episodes()
                            .iter()
                            .take(n)
                            .map(|e| (e.steps, e.episode_return, e.success))
                            .collect()
                    })
                    .collect()
            });
        for outcome in outcomes {
            for (curve, agent) in curves.iter_mut().zip(outcome) {
                for (i, (steps, episode_return, success)) in agent.into_iter().enumerate() {
                    curve.steps[i] += f64::from(steps) / f64::from(runs);
                    curve.returns[i] += episode_return / f64::from(runs);
                    curve.success[i] += f64::from(u8::from(success)) / f64::from(runs);
                }
            }
        }
    }
    curves
}

/// `scene` once per seed of `seeds` (a fresh experiment each, given to `run`), on up to `threads`
/// threads; the results come back in seed order, so they are the same on any number of threads.
pub fn for_each_seed<T: Send>(
    scene: &Scene,
    seeds: &[u64],
    threads: usize,
    run: impl Fn(Experiment) -> T + Sync,
) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..seeds.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&seed) = seeds.get(index) else {
                return;
            };
            let mut scene = scene.clone();
            scene.seed = seed;
            let result = run(Experiment::new(scene));
            results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, seeds.len().max(1)) {
            scope.spawn(work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Mean curves as CSV: `agent,episode,runs,mean_steps,mean_return,success_rate`.
pub fn mean_curves_csv(curves: &[MeanCurve]) -> String {
    let mut csv = String::from("agent,episode,runs,mean_steps,mean_return,success_rate\n");
    for curve in curves {
        let agent = csv_field(&curve.agent);
        for i in 0..curve.steps.len() {
            let _ = writeln!(
                csv,
                "{agent},{},{},{},{},{}",
                i + 1,
                curve.runs,
                curve.steps[i],
                curve.returns[i],
                curve.success[i]
            );
        }
    }
    csv
}

/// Quotes a CSV field when it holds a comma, quote or newline.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
