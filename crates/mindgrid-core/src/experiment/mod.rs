//! Experiments: one arena per agent, stepped in lockstep, with per-episode metrics. No Bevy here.
//! The arenas (`arena`), their views (`view`), commands (`commands`), the edit history (`edits`),
//! replay (`replay`), a snapshot's check (`check`) and many runs (`runs`) each have a file.

mod arena;
mod check;
mod commands;
mod edits;
mod replay;
mod runs;
mod view;

use serde::{Deserialize, Serialize};

use std::fmt::Write as _;

use crate::command::LoggedCommand;
use crate::edit::Map;
use crate::scene::Scene;

pub use arena::{Arena, Stream};
use edits::Edit;
use runs::csv_field;
pub use runs::{
    MeanCurve, Seeds, for_each_seed, mean_curves_csv, mean_over_seeds, measure_throughput,
};
pub use view::{ArenaView, Detail};

/// How many recent cells an arena remembers for the trail.
pub const TRAIL_LENGTH: usize = 24;

pub use crate::episodes::{EpisodeBucket, EpisodeCurve, EpisodeLog, EpisodeRecord};

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
