//! Experiments: one arena per agent, stepped in lockstep, with per-episode metrics. No Bevy here.

use std::collections::VecDeque;
use std::fmt::Write as _;

use rand::SeedableRng;

use crate::ArenaRng;
use crate::brain::{Agent, BrainSpec, Insight, Transition};
use crate::scene::Scene;
use crate::world::{Action, GridWorld, Observation};

/// How many recent cells an arena remembers for the trail.
pub const TRAIL_LENGTH: usize = 24;

/// The outcome of one finished episode.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeRecord {
    /// Episode number, from 1.
    pub episode: u32,
    /// Index of the task in force (0 before the first switch).
    pub task: usize,
    /// Steps taken.
    pub steps: u32,
    /// Sum of rewards.
    pub episode_return: f64,
    /// Reached the goal (or the target object).
    pub success: bool,
}

/// Derives an independent stream seed from the scene seed (the `SplitMix64` finaliser).
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One agent in its own copy of the world.
pub struct Arena {
    /// The agent's label.
    pub name: String,
    world: GridWorld,
    agent: Box<dyn Agent>,
    agent_rng: ArenaRng,
    world_rng: ArenaRng,
    episodes: Vec<EpisodeRecord>,
    steps_in_episode: u32,
    return_in_episode: f64,
    total_steps: u64,
    task: usize,
    trail: VecDeque<usize>,
    last_action: Option<Action>,
    switches: Vec<u32>,
}

impl Arena {
    fn new(scene: &Scene, index: usize) -> Self {
        let spec = &scene.agents[index];
        let world = scene.build_world();
        let agent = spec
            .brain
            .build(&world, derive_seed(scene.seed, 1000 + index as u64));
        let mut arena = Self {
            name: spec.name.clone(),
            agent,
            // Every arena's world sees the same slip stream; each agent has its own stream.
            world_rng: ArenaRng::seed_from_u64(derive_seed(scene.seed, 0)),
            agent_rng: ArenaRng::seed_from_u64(derive_seed(scene.seed, 1 + index as u64)),
            world,
            episodes: Vec::new(),
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
        arena
    }

    /// Applies every task switch due by now, in order: a switch waits for the one before it.
    fn switch_tasks(&mut self, scene: &Scene) {
        while let Some(next) = scene.tasks.get(self.task) {
            let due = next
                .after_episodes
                .is_some_and(|e| self.episodes.len() as u32 >= e)
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
            self.task += 1;
            self.switches.push(self.episodes.len() as u32);
        }
    }

    /// Episodes completed when each task switch happened.
    pub fn switches(&self) -> &[u32] {
        &self.switches
    }

    /// One environment step: act, move, learn; on the episode's end, record it and start the next.
    /// Returns whether an episode ended.
    pub fn step(&mut self, scene: &Scene) -> bool {
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
        self.episodes.push(EpisodeRecord {
            episode: self.episodes.len() as u32 + 1,
            task: self.task,
            steps: self.steps_in_episode,
            episode_return: self.return_in_episode,
            success: outcome.success,
        });
        self.steps_in_episode = 0;
        self.return_in_episode = 0.0;
        self.switch_tasks(scene);
        self.world.reset_with(&mut self.world_rng);
        self.trail.clear();
        self.trail.push_back(self.world.agent());
        true
    }

    /// The arena's world as it is now.
    pub fn world(&self) -> &GridWorld {
        &self.world
    }

    /// Finished episodes, oldest first.
    pub fn episodes(&self) -> &[EpisodeRecord] {
        &self.episodes
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

    /// The agent's kind and hyperparameters.
    pub fn brain(&self) -> BrainSpec {
        self.agent.spec()
    }

    /// Applies new hyperparameters without resetting what the agent learned.
    pub fn retune(&mut self, spec: &BrainSpec) {
        self.agent.retune(spec);
    }
}

/// Arenas stepped in lockstep from one scene.
pub struct Experiment {
    scene: Scene,
    arenas: Vec<Arena>,
}

impl Experiment {
    /// Builds one arena per agent of the scene.
    pub fn new(scene: Scene) -> Self {
        let arenas = (0..scene.agents.len())
            .map(|i| Arena::new(&scene, i))
            .collect();
        Self { scene, arenas }
    }

    /// The scene it was built from.
    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// The arenas, in scene order.
    pub fn arenas(&self) -> &[Arena] {
        &self.arenas
    }

    /// Steps every arena once.
    pub fn step(&mut self) {
        for arena in &mut self.arenas {
            arena.step(&self.scene);
        }
    }

    /// Steps every arena `n` times.
    pub fn step_n(&mut self, n: u64) {
        for arena in &mut self.arenas {
            for _ in 0..n {
                arena.step(&self.scene);
            }
        }
    }

    /// Steps arena `index` alone `n` times (benchmarks time one arena at a time).
    pub fn step_arena(&mut self, index: usize, n: u64) {
        if let Some(arena) = self.arenas.get_mut(index) {
            for _ in 0..n {
                arena.step(&self.scene);
            }
        }
    }

    /// Steps each arena until it has finished `episodes` episodes; `progress` is called with
    /// the number of episodes completed across arenas each time one ends.
    pub fn run_episodes(&mut self, episodes: u32, mut progress: impl FnMut(u64)) {
        for arena in &mut self.arenas {
            while (arena.episodes.len() as u32) < episodes {
                if arena.step(&self.scene) {
                    progress(1);
                }
            }
        }
    }

    /// Restarts arena `index` with a fresh agent (current hyperparameters) and world.
    pub fn reset_arena(&mut self, index: usize) {
        if index < self.arenas.len() {
            let spec = self.arenas[index].brain();
            let mut fresh = Arena::new(&self.scene, index);
            fresh.agent = spec.build(
                &fresh.world,
                derive_seed(self.scene.seed, 1000 + index as u64),
            );
            self.arenas[index] = fresh;
        }
    }

    /// Restarts every arena.
    pub fn reset_all(&mut self) {
        for i in 0..self.arenas.len() {
            self.reset_arena(i);
        }
    }

    /// Switches arena `index` to the next task of the schedule now (the "next task" button).
    pub fn advance_task(&mut self, index: usize) {
        if let Some(arena) = self.arenas.get_mut(index) {
            arena.start_next_task(&self.scene);
        }
    }

    /// Asks arena `index`'s agent to adapt to a new task (the meta-learner's "new task" button).
    pub fn try_new_task(&mut self, index: usize) {
        if let Some(arena) = self.arenas.get_mut(index) {
            arena.agent.try_new_task();
        }
    }

    /// Wipes the episodic memory of arena `index`'s agent (the "amnesia" button).
    pub fn amnesia(&mut self, index: usize) {
        if let Some(arena) = self.arenas.get_mut(index) {
            arena.agent.amnesia();
        }
    }

    /// Applies new hyperparameters to arena `index` without resetting it.
    pub fn retune(&mut self, index: usize, spec: &BrainSpec) {
        if let Some(arena) = self.arenas.get_mut(index) {
            arena.retune(spec);
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
            for e in &arena.episodes {
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

    /// A 64-bit FNV-1a hash of every arena's metrics and agent position: equal hashes mean
    /// the runs matched step for step.
    pub fn fingerprint(&self) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        for arena in &self.arenas {
            eat(&arena.total_steps.to_le_bytes());
            eat(&(arena.world.agent() as u64).to_le_bytes());
            for e in &arena.episodes {
                eat(&e.steps.to_le_bytes());
                eat(&e.episode_return.to_bits().to_le_bytes());
                eat(&[e.success as u8, e.task as u8]);
            }
        }
        hash
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

/// Runs `scene` once per seed for `episodes` episodes and averages each agent's curves,
/// the way Sutton & Barto average their figures over runs.
pub fn mean_over_seeds(
    scene: &Scene,
    seeds: std::ops::Range<u64>,
    episodes: u32,
    mut progress: impl FnMut(u64),
) -> Vec<MeanCurve> {
    let runs = (seeds.end.saturating_sub(seeds.start)).max(1) as u32;
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
    for seed in seeds {
        let mut run = scene.clone();
        run.seed = seed;
        let mut experiment = Experiment::new(run);
        experiment.run_episodes(episodes, &mut progress);
        for (curve, arena) in curves.iter_mut().zip(experiment.arenas()) {
            for (i, e) in arena.episodes().iter().take(n).enumerate() {
                curve.steps[i] += f64::from(e.steps) / f64::from(runs);
                curve.returns[i] += e.episode_return / f64::from(runs);
                curve.success[i] += f64::from(u8::from(e.success)) / f64::from(runs);
            }
        }
    }
    curves
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
