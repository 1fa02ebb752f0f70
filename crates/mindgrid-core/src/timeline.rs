//! The timeline: snapshots of a running experiment at growing intervals within a memory budget,
//! and the recorded commands, so that any past step is reached exactly (restore the nearest earlier
//! snapshot, re-apply the log) and the future can be replayed or branched.

use std::time::Duration;
use web_time::Instant;

use crate::command::LoggedCommand;
use crate::experiment::Experiment;

/// The default memory budget for snapshots.
pub const DEFAULT_BUDGET: usize = 256 << 20;
/// The fewest lockstep steps between snapshots of recent history (older history is thinned).
pub const SNAPSHOT_EVERY: u64 = 500;
/// The most snapshots kept, whatever the budget: thinning keeps recent history dense and old
/// history sparse, so 4,096 restore points cover any run finely enough, and a quick agent at "max"
/// (thousands of small snapshots a second) holds a few MiB instead of the whole budget.
pub const MOST_POINTS: usize = 4096;
/// Snapshots wait until this many times as long as the last snapshot took has passed on the
/// clock since it (stepping, or waiting between steps at a set speed), so at "max" taking them
/// costs at most a tenth of the stepping time. Agents that step in microseconds (a
/// Q-table at "max") are then snapshotted every several thousand steps instead of every 500,
/// which would have spent most of the time in snapshots; a seek re-steps from the nearest one, so
/// the gap between them stays a small multiple of one snapshot's time (measured: `bench
/// --snapshot`).
const STEPPING_PER_SNAPSHOT: u32 = 10;

/// One restore point.
struct Point {
    /// Lockstep steps when it was taken.
    step: u64,
    /// How many logged commands it holds (commands applied at `step` after it are not in it).
    commands: usize,
    /// The snapshot, LZ4-compressed (networks' inputs and one-hot examples shrink many times).
    bytes: Vec<u8>,
}

/// What the window shows of the timeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineView {
    /// The furthest step of the recorded timeline (the live edge).
    pub frontier: u64,
    /// The earliest step history reaches back to.
    pub earliest: u64,
    /// Bytes the snapshots hold, and the budget.
    pub bytes: (usize, usize),
    /// How many snapshots there are.
    pub snapshots: usize,
    /// Steps where recorded commands apply (edits, sliders, resets), at most [`MARKS`].
    pub marks: Vec<u64>,
}

/// Most command marks a view carries.
pub const MARKS: usize = 256;

/// Snapshots and the recorded future of one experiment.
pub struct Timeline {
    points: Vec<Point>,
    bytes: usize,
    budget: usize,
    /// Every command of the recorded timeline, in order; the experiment's own log is a prefix of it.
    recorded: Vec<LoggedCommand>,
    frontier: u64,
    /// When the last snapshot was taken, and how long taking it took.
    last_taken: Instant,
    last_cost: Duration,
    /// The most snapshots kept ([`MOST_POINTS`] unless a test asks for fewer).
    most_points: usize,
    /// [`STEPPING_PER_SNAPSHOT`], or 0: every [`SNAPSHOT_EVERY`] steps whatever the clock says.
    stepping_per_snapshot: u32,
}

impl Timeline {
    /// A timeline of `experiment` (its first restore point taken now) within `budget` bytes.
    pub fn new(experiment: &Experiment, budget: usize) -> Self {
        let mut timeline = Self {
            points: Vec::new(),
            bytes: 0,
            budget: budget.max(1),
            recorded: experiment.log().to_vec(),
            frontier: experiment.steps(),
            last_taken: Instant::now(),
            last_cost: Duration::ZERO,
            most_points: MOST_POINTS,
            stepping_per_snapshot: STEPPING_PER_SNAPSHOT,
        };
        timeline.take(experiment);
        timeline
    }

    /// The same timeline taking a snapshot every [`SNAPSHOT_EVERY`] steps, however quick the
    /// stepping (tests that need to know where the snapshots are).
    pub fn by_steps_only(mut self) -> Self {
        self.stepping_per_snapshot = 0;
        self
    }

    /// The same timeline keeping at most `points` snapshots (at least 2).
    pub fn keeping_at_most(mut self, points: usize) -> Self {
        self.most_points = points.max(2);
        self
    }

    /// After steps: moves the live edge, and takes a snapshot when one is due. None is taken
    /// once a command has applied at this step (a call after stepping that took no steps, every
    /// arena waiting for a person's move): a snapshot at a step must hold none of its commands,
    /// or a seek there would show a state that never was on screen.
    pub fn note(&mut self, experiment: &Experiment) {
        let now = experiment.steps();
        self.frontier = self.frontier.max(now);
        let last = self.points.last().map_or(0, |p| p.step);
        let commanded_here = experiment.log().last().is_some_and(|c| c.step == now);
        if !commanded_here
            && now >= last + SNAPSHOT_EVERY
            && self.last_taken.elapsed() >= self.last_cost * self.stepping_per_snapshot
        {
            self.take(experiment);
        }
    }

    /// After a new command (not one of the recorded future). In the past it is a branch: the
    /// recorded future after it is gone, and so are the snapshots beyond it. At the live edge the
    /// commands still scheduled (a lesson's) stay, after it.
    pub fn branch(&mut self, experiment: &Experiment) {
        let now = experiment.steps();
        let applied = experiment.log().len().saturating_sub(1);
        let scheduled: Vec<LoggedCommand> = if now >= self.frontier {
            self.recorded.get(applied..).unwrap_or_default().to_vec()
        } else {
            Vec::new()
        };
        self.recorded = experiment.log().to_vec();
        self.recorded.extend(scheduled);
        self.frontier = now;
        while self.points.last().is_some_and(|p| p.step > now) {
            if let Some(point) = self.points.pop() {
                self.bytes -= point.bytes.len();
            }
        }
    }

    /// Takes `log` (a recording's) as the recorded future of an experiment that has applied none
    /// of it yet: stepping on applies its commands at their steps.
    pub fn record_future(&mut self, log: Vec<LoggedCommand>) {
        self.recorded = log;
    }

    /// Drops the next recorded command: re-applied, it changed nothing (a lesson's command that
    /// does not apply), so it is not in the experiment's log and must not be offered again.
    pub fn skip_next(&mut self, experiment: &Experiment) {
        let next = experiment.log().len();
        if next < self.recorded.len() {
            self.recorded.remove(next);
        }
    }

    /// The next recorded command the experiment has not applied yet (when it is in the past).
    pub fn next_command(&self, experiment: &Experiment) -> Option<&LoggedCommand> {
        self.recorded.get(experiment.log().len())
    }

    /// The experiment as it was when it reached `step` of the recorded timeline (clamped to the
    /// live edge), before any command applied at that step: the nearest earlier snapshot
    /// restored, then stepped with the recorded commands applied at their steps. (Snapshots are
    /// taken right after stepping, so a snapshot at a step holds none of that step's commands.)
    pub fn seek(&self, step: u64) -> Option<Experiment> {
        let step = step.min(self.frontier);
        let point = self.points.iter().rev().find(|p| p.step <= step)?;
        let bytes = lz4_flex::block::decompress_size_prepended(&point.bytes).ok()?;
        let mut experiment = Experiment::restore_trusted(&bytes).ok()?;
        let recorded = self.recorded.get(point.commands..)?;
        let before = recorded.iter().take_while(|c| c.step < step).count();
        experiment.replay_onto(&recorded[..before], step);
        Some(experiment)
    }

    /// What the window shows.
    pub fn view(&self) -> TimelineView {
        let mut marks: Vec<u64> = self.recorded.iter().map(|c| c.step).collect();
        marks.dedup();
        let stride = marks.len().div_ceil(MARKS).max(1);
        TimelineView {
            frontier: self.frontier,
            earliest: self.points.first().map_or(0, |p| p.step),
            bytes: (self.bytes, self.budget),
            snapshots: self.points.len(),
            marks: marks.into_iter().step_by(stride).collect(),
        }
    }

    /// Takes a snapshot now; over budget (or over the most snapshots kept), every other snapshot
    /// of the older half goes (recent history stays dense, old history sparser), then if need be
    /// the oldest but the first; the first and the newest always stay.
    fn take(&mut self, experiment: &Experiment) {
        let started = Instant::now();
        let bytes = lz4_flex::block::compress_prepend_size(&experiment.snapshot());
        self.bytes += bytes.len();
        self.points.push(Point {
            step: experiment.steps(),
            commands: experiment.log().len(),
            bytes,
        });
        while (self.bytes > self.budget || self.points.len() > self.most_points)
            && self.points.len() > 2
        {
            let half = self.points.len() / 2;
            let before = self.points.len();
            let mut index = 0;
            self.points.retain(|_| {
                index += 1;
                // Keep the first, every other one up to the half, and the recent half.
                index == 1 || index > half || index % 2 == 1
            });
            if self.points.len() == before {
                // Too few to thin by halves: the oldest but the first goes.
                self.points.remove(1);
            }
            self.bytes = self.points.iter().map(|p| p.bytes.len()).sum();
        }
        self.last_taken = Instant::now();
        self.last_cost = self.last_taken - started;
    }
}
