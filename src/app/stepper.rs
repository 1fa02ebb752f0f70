//! Stepping at a chosen speed, and the thread that does it beside the window: the experiment lives
//! there, takes commands between steps, and publishes snapshots the window draws, so drawing never
//! waits for stepping and stepping never waits for drawing. No Bevy here.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::command::Command;
use crate::experiment::{Applied, ArenaView, Detail, Experiment};
use crate::scene::Scene;
use crate::timeline::{SNAPSHOT_EVERY, Timeline, TimelineView};

/// How fast the simulation runs: lockstep steps (every arena once) per second of wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// This many steps per second.
    PerSecond(u32),
    /// As fast as the agents allow, on its own core.
    Max,
}

impl Speed {
    /// The settings the speed slider and the +/- keys walk through, slowest first. Up to 30 steps/s
    /// every step is drawn; above, the window shows the latest state at its own frame rate.
    pub const LADDER: [Speed; 18] = [
        Speed::PerSecond(1),
        Speed::PerSecond(2),
        Speed::PerSecond(5),
        Speed::PerSecond(10),
        Speed::PerSecond(30),
        Speed::PerSecond(60),
        Speed::PerSecond(120),
        Speed::PerSecond(300),
        Speed::PerSecond(600),
        Speed::PerSecond(1_200),
        Speed::PerSecond(3_000),
        Speed::PerSecond(6_000),
        Speed::PerSecond(12_000),
        Speed::PerSecond(30_000),
        Speed::PerSecond(60_000),
        Speed::PerSecond(120_000),
        Speed::PerSecond(300_000),
        Speed::Max,
    ];

    /// The rung a new window starts at: 600 steps/s, quick enough to see learning, slow enough to
    /// follow the agent.
    pub const DEFAULT: usize = 8;

    /// The rung for `rate` steps per second: the nearest at or below it (at least the slowest).
    pub fn at_most(rate: u32) -> usize {
        Speed::LADDER
            .iter()
            .rposition(|s| matches!(s, Speed::PerSecond(r) if *r <= rate))
            .unwrap_or(0)
    }

    /// A label for the control bar.
    pub fn label(self) -> String {
        match self {
            Speed::PerSecond(n) => format!("{} steps/s", crate::app::ui::group_thousands(n.into())),
            Speed::Max => "max".to_owned(),
        }
    }
}

/// Most seconds of steps a speed may owe: a speed the agents cannot sustain drops the rest, and
/// the window says it is behind, rather than running ever further behind the clock.
const MOST_OWED_SECONDS: f64 = 0.25;

/// The experiment and the pace it is stepped at.
pub struct Stepper {
    experiment: Experiment,
    /// The experiment's scene, shared with every snapshot (copied once per scene, not per frame).
    scene: Arc<Scene>,
    playing: bool,
    speed: usize,
    /// Fractional steps carried between calls.
    carry: f64,
    /// Single steps asked for.
    queued: u64,
    /// Steps dropped because the speed could not be sustained, since the last rate reading.
    dropped: f64,
    rate: RateMeter,
    /// Counts changes, so the window knows a snapshot is new.
    version: u64,
    /// The latest notice for the window (a refused command, a saved file), numbered, and whether
    /// it is an error.
    notice: Option<(u64, String, bool)>,
    /// Snapshots and the recorded commands: scrubbing, stepping back, branching.
    timeline: Timeline,
    /// The timeline's memory budget in bytes.
    budget: usize,
    /// Pause when every arena has taken this many steps (a lesson's step).
    pause_at: Option<u64>,
    /// Pause when an arena next reaches the goal: the arena, and its successes counted when it
    /// was asked.
    pause_at_success: Option<(usize, u64)>,
    /// How many planned pauses have happened (the window reveals a prediction's answer then).
    planned_pauses: u64,
    /// Whose insight panel the window shows: every arena's (until the window says), one arena's,
    /// or none. The others' snapshots carry only what their maps draw.
    panel: PanelOf,
    /// Long work under way (a warm-up, a recording being run through), done a round at a time so
    /// that the thread reads its messages between rounds.
    work: Option<Work>,
    /// Messages that arrived during long work, handled in order once it is done.
    deferred: VecDeque<ToSim>,
}

/// Stepping to a step with the recorded future's commands, a round at a time.
#[derive(Clone, Copy, Debug)]
struct Work {
    /// Where it ends.
    until: u64,
    /// Pause there (a recording opened in the window).
    pause: bool,
}

/// Which arena's insight panel is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelOf {
    /// Every arena's (the default, until the window says which it shows).
    Every,
    /// This arena's.
    Arena(usize),
    /// None: the insight panel is closed.
    None,
}

impl Stepper {
    /// A running experiment of `scene` at the default speed; with `keep_records` false only
    /// bounded summaries of episodes are kept.
    pub fn new(scene: Scene, keep_records: bool) -> Self {
        Self::from_experiment(Experiment::with_records(scene, keep_records))
    }

    /// A running experiment that already exists (a checkpoint opened), at the default speed.
    pub fn from_experiment(experiment: Experiment) -> Self {
        let budget = crate::timeline::DEFAULT_BUDGET;
        Self {
            scene: Arc::new(experiment.scene().clone()),
            timeline: Timeline::new(&experiment, budget),
            budget,
            pause_at: None,
            pause_at_success: None,
            planned_pauses: 0,
            panel: PanelOf::Every,
            work: None,
            deferred: VecDeque::new(),
            experiment,
            playing: true,
            speed: Speed::DEFAULT,
            carry: 0.0,
            queued: 0,
            dropped: 0.0,
            rate: RateMeter::new(),
            version: 0,
            notice: None,
        }
    }

    /// The experiment, to read.
    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// The speed in force.
    pub fn speed(&self) -> Speed {
        Speed::LADDER[self.speed]
    }

    /// Whether steps happen on their own.
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Takes a message from the window: carried out now, or, during long work, once that work is
    /// done (a new scene ends the work at once, and the messages before it still apply in order).
    pub fn receive(&mut self, message: ToSim) {
        if matches!(message, ToSim::Replace(_)) {
            // The old experiment's long work is moot: none of it delays the new scene.
            self.work = None;
            self.deferred
                .retain(|m| !matches!(m, ToSim::WarmUp(_) | ToSim::Recording { .. }));
        }
        self.deferred.push_back(message);
        while self.work.is_none() {
            let Some(message) = self.deferred.pop_front() else {
                break;
            };
            // A drag along the timeline sends a seek per frame: only the last of a run of seeks
            // needs doing.
            let superseded = matches!(message, ToSim::Seek(_))
                && matches!(self.deferred.front(), Some(ToSim::Seek(_)));
            if !superseded {
                self.handle(message);
            }
        }
    }

    /// Whether long work is under way (a warm-up, a recording being run through).
    pub fn busy(&self) -> bool {
        self.work.is_some()
    }

    /// One round: a piece of the long work under way, for at most `budget`, or else the steps
    /// `elapsed` seconds call for at the current speed ([`Stepper::advance`]); returns the steps
    /// taken.
    pub fn round(&mut self, elapsed: f64, budget: Duration) -> u64 {
        let Some(work) = self.work else {
            return self.advance(elapsed, budget);
        };
        let before = self.experiment.steps();
        if self.run_recorded(work.until, budget) {
            self.work = None;
            if work.pause {
                self.playing = false;
            }
            // What waited for the work applies now, in order.
            self.receive_deferred();
        }
        self.version += 1;
        self.experiment.steps() - before
    }

    /// Does the long work under way to its end and the messages that waited for it (the inline
    /// stepping of headless tests, where a message is carried out before the next update).
    pub fn finish_work(&mut self) {
        while self.busy() {
            self.round(0.0, Duration::MAX);
        }
    }

    /// Handles the messages deferred during long work, in order.
    fn receive_deferred(&mut self) {
        for message in std::mem::take(&mut self.deferred) {
            self.receive(message);
        }
    }

    /// Carries out a message from the window, between two steps.
    fn handle(&mut self, message: ToSim) {
        match message {
            ToSim::Command(command) => {
                let is_move = matches!(command, Command::Move { .. });
                match self.experiment.apply(command) {
                    Applied::Refused(reason) => self.tell(reason, true),
                    Applied::Done => {
                        // A new command: the recorded future after it is gone (a branch).
                        self.timeline.branch(&self.experiment);
                        self.refresh_scene();
                        // A person's move is taken at once, at any speed, even paused.
                        if is_move {
                            self.queued += 1;
                        }
                    }
                    Applied::Ignored => {}
                }
            }
            ToSim::Seek(step) => {
                if let Some(past) = self.timeline.seek(step) {
                    self.experiment = past;
                    self.playing = false;
                    self.carry = 0.0;
                    self.queued = 0;
                    self.refresh_scene();
                }
            }
            ToSim::SaveCheckpoint(path) => {
                match crate::snapshot::save_checkpoint(&path, &self.experiment) {
                    Ok(()) => self.tell(
                        format!(
                            "saved a checkpoint of step {} to {}",
                            self.experiment.steps(),
                            path.display()
                        ),
                        false,
                    ),
                    Err(e) => self.tell(e, true),
                }
            }
            ToSim::SaveRecording { path, scene_text } => {
                let recording =
                    crate::recording::Recording::of_session(&scene_text, &self.experiment);
                match recording.save(&path) {
                    Ok(()) => self.tell(
                        format!(
                            "saved a recording of {} steps to {}",
                            self.experiment.steps(),
                            path.display()
                        ),
                        false,
                    ),
                    Err(e) => self.tell(e, true),
                }
            }
            ToSim::TogglePlay => self.playing = !self.playing,
            ToSim::Step => {
                self.playing = false;
                self.queued += 1;
            }
            ToSim::SetSpeed(index) => {
                self.speed = index.min(Speed::LADDER.len() - 1);
                self.carry = 0.0;
                self.rate.restart();
            }
            // Like every message, it counts as a change: a new snapshot, with the panel's
            // insight, goes out even while paused.
            ToSim::ShowPanel(panel) => self.panel = panel,
            ToSim::Replace(scene) => {
                let keep = self.experiment.keeps_records();
                self.scene = Arc::new((*scene).clone());
                self.experiment = Experiment::with_records(*scene, keep);
                self.timeline = Timeline::new(&self.experiment, self.budget);
                self.carry = 0.0;
                self.queued = 0;
                self.pause_at = None;
                self.pause_at_success = None;
                self.work = None;
            }
            ToSim::WarmUp(steps) => {
                // In snapshot-sized chunks, so the warm-up can be scrubbed too; scheduled
                // commands apply at their steps; a round at a time, so the window can stop it.
                let until = self.experiment.steps().saturating_add(steps);
                self.work = Some(Work {
                    until,
                    pause: false,
                });
            }
            ToSim::Schedule(log) => {
                self.timeline.record_future(log);
                let now = self.experiment.steps();
                self.run_recorded(now, Duration::MAX);
            }
            ToSim::Play => self.playing = true,
            ToSim::PauseAt(step) => self.pause_at = Some(step),
            ToSim::PauseAtSuccess(arena) => {
                self.pause_at_success = Some((arena, self.successes(arena)));
            }
            ToSim::Pause => self.playing = false,
            ToSim::Recording { log, steps } => {
                self.timeline.record_future(log);
                self.work = Some(Work {
                    until: steps,
                    pause: true,
                });
            }
            ToSim::Budget(bytes) => {
                self.budget = bytes;
                self.timeline = Timeline::new(&self.experiment, bytes);
            }
        }
        self.version += 1;
    }

    /// Steps to `until`, applying the recorded future's commands at their steps (those due at
    /// `until` too) and taking snapshots as it goes (a warm-up, a recording opened in the window),
    /// for at most about `budget`; returns whether it got there (or every arena waits for a
    /// person's move).
    fn run_recorded(&mut self, until: u64, budget: Duration) -> bool {
        let started = Instant::now();
        // Growing pieces, as in `advance`: a slow agent is checked against the budget after
        // every step, a quick one in pieces of up to a snapshot's spacing.
        let mut piece = 1;
        loop {
            let now = self.experiment.steps();
            let next = self.timeline.next_command(&self.experiment).cloned();
            match next {
                Some(logged) if logged.step <= now => self.apply_recorded(logged.command),
                _ if now >= until => return true,
                _ if started.elapsed() >= budget => return false,
                next => {
                    let stop = next.map_or(until, |l| l.step.min(until));
                    let chunk = piece.min(stop - now);
                    if self.experiment.run_to(now + chunk) == 0 {
                        return true; // every arena waits for a person's move
                    }
                    self.timeline.note(&self.experiment);
                    piece = (piece * 2).min(SNAPSHOT_EVERY);
                }
            }
        }
    }

    /// Applies a command of the recorded future (replayed after a seek, or a lesson's schedule);
    /// one that changes nothing is dropped from it, so it is never offered again.
    fn apply_recorded(&mut self, command: Command) {
        if self.experiment.apply(command) != Applied::Done {
            self.timeline.skip_next(&self.experiment);
        }
        self.refresh_scene();
    }

    /// Successful episodes of arena `index` so far.
    fn successes(&self, index: usize) -> u64 {
        self.experiment.arenas().get(index).map_or(0, |a| {
            a.episode_log()
                .curve()
                .buckets()
                .iter()
                .map(|b| u64::from(b.successes))
                .sum::<u64>()
        })
    }

    /// Whether a planned pause is due now; if so it happens (and is counted).
    fn planned_pause_due(&mut self) -> bool {
        let at_step = self.pause_at.is_some_and(|s| self.experiment.steps() >= s);
        let at_success = self
            .pause_at_success
            .is_some_and(|(arena, before)| self.successes(arena) > before);
        if at_step || at_success {
            self.pause_at = self.pause_at.filter(|_| !at_step);
            self.pause_at_success = self.pause_at_success.filter(|_| !at_success);
            self.playing = false;
            self.planned_pauses += 1;
        }
        at_step || at_success
    }

    /// A notice for the window.
    fn tell(&mut self, text: String, error: bool) {
        let count = self.notice.as_ref().map_or(0, |(n, _, _)| n + 1);
        self.notice = Some((count, text, error));
    }

    /// The snapshots' scene follows the experiment's (a fork adds an agent to it).
    fn refresh_scene(&mut self) {
        if self.experiment.scene() != self.scene.as_ref() {
            self.scene = Arc::new(self.experiment.scene().clone());
        }
    }

    /// Runs the steps `elapsed` seconds call for at the current speed, stopping early once
    /// `budget` has passed (what is left is owed to the next call, up to a quarter second's
    /// worth); returns the steps taken.
    pub fn advance(&mut self, elapsed: f64, budget: Duration) -> u64 {
        let started = Instant::now();
        let queued = std::mem::take(&mut self.queued);
        let unlimited = self.playing && self.speed() == Speed::Max;
        let mut owed = queued;
        if self.playing
            && let Speed::PerSecond(rate) = self.speed()
        {
            self.carry += elapsed * f64::from(rate);
            // At least two steps may be owed, so that waking a little late never drops one.
            let most = (f64::from(rate) * MOST_OWED_SECONDS).max(2.0);
            if self.carry > most {
                self.dropped += self.carry - most;
                self.carry = most;
            }
            let whole = self.carry.floor();
            self.carry -= whole;
            owed += whole as u64;
        }
        // Steps in growing chunks, so that a slow agent is checked against the budget after every
        // step and a fast one does not read the clock every step.
        let mut taken = 0u64;
        let mut chunk = 1u64;
        while unlimited || taken < owed {
            let mut n = if unlimited {
                chunk
            } else {
                chunk.min(owed - taken)
            };
            // Replaying the recorded future after a seek: its commands apply at their steps.
            if let Some(next) = self.timeline.next_command(&self.experiment) {
                let (at, command) = (next.step, next.command.clone());
                if at <= self.experiment.steps() {
                    self.apply_recorded(command);
                    continue;
                }
                n = n.min(at - self.experiment.steps());
            }
            // A lesson's pause lands on its exact step (one step at a time while waiting for a
            // success).
            if let Some(at) = self.pause_at {
                n = n.min(at.saturating_sub(self.experiment.steps()).max(1));
            }
            if self.pause_at_success.is_some() {
                n = 1;
            }
            let stepped = self.experiment.step_n(n);
            self.timeline.note(&self.experiment);
            if self.planned_pause_due() {
                taken += stepped;
                owed = taken;
                break;
            }
            taken += stepped;
            if stepped < n {
                // Every arena waits for a person's move: nothing is owed meanwhile.
                self.queued = 0;
                self.carry = 0.0;
                owed = taken;
                break;
            }
            if started.elapsed() >= budget {
                break;
            }
            chunk = (chunk * 2).min(256);
        }
        if !unlimited && taken < owed {
            // Owed to the next call: single steps stay single steps (they are taken first), the
            // rest is the speed's debt.
            let queued_left = queued.saturating_sub(taken);
            self.queued += queued_left;
            self.carry += (owed - taken - queued_left) as f64;
        }
        if taken > 0 {
            self.version += 1;
        }
        let arenas = self.experiment.arenas().len() as u64;
        self.rate
            .note(taken * arenas, std::mem::take(&mut self.dropped));
        taken
    }

    /// What the window draws: every arena's view, with the whole insight for the arena whose
    /// insight panel is shown (every arena's until the window says) and what the map draws for
    /// the others.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_of(
            (0..self.experiment.arenas().len())
                .map(|i| self.view(i, self.detail(i)))
                .collect(),
        )
    }

    /// The present state without any insight.
    pub fn bare_snapshot(&self) -> Snapshot {
        self.snapshot_of(
            (0..self.experiment.arenas().len())
                .map(|i| self.view(i, Detail::Bare))
                .collect(),
        )
    }

    /// How much of arena `i`'s insight the window needs: the whole of it for the arena whose
    /// panel is shown, what the map draws for the others.
    pub fn detail(&self, i: usize) -> Detail {
        match self.panel {
            PanelOf::Every => Detail::Full,
            PanelOf::Arena(shown) if shown == i => Detail::Full,
            PanelOf::Arena(_) | PanelOf::None => Detail::Map,
        }
    }

    /// Arena `i`'s view with `detail` of its insight.
    pub fn view(&self, i: usize, detail: Detail) -> ArenaView {
        self.experiment.arenas()[i].view(detail)
    }

    /// The snapshot of the present state with these views of the arenas.
    fn snapshot_of(&self, arenas: Vec<ArenaView>) -> Snapshot {
        Snapshot {
            scene: Arc::clone(&self.scene),
            arenas,
            steps: self.experiment.steps(),
            total_steps: self.experiment.total_steps(),
            playing: self.playing,
            speed: self.speed,
            steps_per_second: self.rate.steps_per_second,
            behind: self.rate.behind,
            version: self.version,
            notice: self.notice.clone(),
            timeline: self.timeline.view(),
            next_stroke: self.experiment.next_stroke(),
            planned_pauses: self.planned_pauses,
            undo_redo: self.experiment.can_undo_redo(),
            waits_for_human: self.experiment.waits_for_human(),
            insights_every: None,
        }
    }

    /// Wall-clock time until the current speed owes the next whole step.
    pub fn until_next_step(&self) -> Duration {
        match self.speed() {
            Speed::PerSecond(rate) if self.queued == 0 && self.carry < 1.0 => {
                Duration::from_secs_f64((1.0 - self.carry) / f64::from(rate))
            }
            _ => Duration::ZERO,
        }
    }

    /// Counts changes: equal versions, equal states.
    pub fn version(&self) -> u64 {
        self.version
    }
}

/// Measured steps per second, and whether the speed asked for could not be kept. The rate is over
/// the last [`RateMeter::READINGS`] half-seconds, so one slow half-second (a panel's insight on a
/// large map) does not flash "behind: 4 of 600 steps/s" while about 300 are kept.
struct RateMeter {
    since: Instant,
    steps: u64,
    dropped: f64,
    /// The latest half-seconds: (steps, seconds, dropped), oldest first.
    readings: std::collections::VecDeque<(u64, f64, f64)>,
    steps_per_second: f64,
    behind: bool,
}

impl RateMeter {
    /// Half-second readings the rate averages over.
    const READINGS: usize = 4;

    fn new() -> Self {
        Self {
            since: Instant::now(),
            steps: 0,
            dropped: 0.0,
            readings: std::collections::VecDeque::with_capacity(Self::READINGS),
            steps_per_second: 0.0,
            behind: false,
        }
    }

    /// Counts `steps` (all arenas) taken and `dropped` lockstep steps dropped; refreshes twice a second.
    fn note(&mut self, steps: u64, dropped: f64) {
        self.steps += steps;
        self.dropped += dropped;
        let seconds = self.since.elapsed().as_secs_f64();
        if seconds >= 0.5 {
            if self.readings.len() == Self::READINGS {
                self.readings.pop_front();
            }
            self.readings.push_back((self.steps, seconds, self.dropped));
            let (steps, seconds, dropped) = self
                .readings
                .iter()
                .fold((0, 0.0, 0.0), |(s, t, d), &(s2, t2, d2)| {
                    (s + s2, t + t2, d + d2)
                });
            self.steps_per_second = steps as f64 / seconds;
            self.behind = dropped >= 1.0;
            self.since = Instant::now();
            self.steps = 0;
            self.dropped = 0.0;
        }
    }

    /// Forgets the readings: the speed changed, or the run paused.
    fn restart(&mut self) {
        *self = Self::new();
    }
}

/// What the window draws, as the simulation published it.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The scene running.
    pub scene: Arc<Scene>,
    /// Every arena, in scene order.
    pub arenas: Vec<ArenaView>,
    /// Lockstep steps taken.
    pub steps: u64,
    /// Steps of all arenas together.
    pub total_steps: u64,
    /// Whether steps happen on their own.
    pub playing: bool,
    /// Index into [`Speed::LADDER`].
    pub speed: usize,
    /// Measured steps per second, all arenas together.
    pub steps_per_second: f64,
    /// The speed asked for could not be kept over the last half second.
    pub behind: bool,
    /// Changes when the state does.
    pub version: u64,
    /// The latest notice (a command refused, a file saved), numbered, and whether it is an error.
    pub notice: Option<(u64, String, bool)>,
    /// How far the timeline reaches and where its commands are.
    pub timeline: TimelineView,
    /// How many planned pauses (a lesson's) have happened.
    pub planned_pauses: u64,
    /// A stroke number no edit in the history uses yet.
    pub next_stroke: u64,
    /// Whether there is an edit to undo, and one to redo.
    pub undo_redo: (bool, bool),
    /// Every arena waits for the person's move while one plays.
    pub waits_for_human: bool,
    /// When the agents' insights are dear (a large map), how far apart fresh ones are; the
    /// snapshots between show the last ones.
    pub insights_every: Option<Duration>,
}

impl Snapshot {
    /// The speed in force.
    pub fn speed(&self) -> Speed {
        Speed::LADDER[self.speed.min(Speed::LADDER.len() - 1)]
    }
}

/// What the window tells the simulation.
#[derive(Debug)]
pub enum ToSim {
    /// A change to the experiment, applied between steps and logged.
    Command(Command),
    /// Play or pause.
    TogglePlay,
    /// One step of every arena, then pause.
    Step,
    /// A rung of [`Speed::LADDER`].
    SetSpeed(usize),
    /// The window shows this arena's insight panel (or none): only its snapshot carries the
    /// panel's part of the insight.
    ShowPanel(PanelOf),
    /// A new scene (a reload): a fresh experiment at the same speed.
    Replace(Box<Scene>),
    /// Steps every arena this many times at once (`--warmup`).
    WarmUp(u64),
    /// Go to this step of the timeline (paused there).
    Seek(u64),
    /// Save a checkpoint of the experiment here.
    SaveCheckpoint(std::path::PathBuf),
    /// Save a recording of the session here; `scene_text` is the scene file's text.
    SaveRecording {
        /// Where.
        path: std::path::PathBuf,
        /// The scene file's text, which the recording holds.
        scene_text: String,
    },
    /// The timeline's memory budget in bytes (history restarts from now).
    Budget(usize),
    /// Pause when every arena has taken this many steps.
    PauseAt(u64),
    /// Pause when this arena next reaches the goal.
    PauseAtSuccess(usize),
    /// Pause now.
    Pause,
    /// Play now.
    Play,
    /// Commands to apply at their steps (a lesson's schedule), as the recorded future of the
    /// fresh experiment; those due now apply at once.
    Schedule(Vec<crate::command::LoggedCommand>),
    /// A recording's commands and length: run the fresh experiment through them (paused at the
    /// end, every step reachable on the timeline).
    Recording {
        /// The recorded commands.
        log: Vec<crate::command::LoggedCommand>,
        /// Lockstep steps the recording ran.
        steps: u64,
    },
}

/// The shortest wait between rounds below "max": steps come in batches this far apart.
const BATCH: Duration = Duration::from_millis(2);
/// The longest wait between looks at the inbox.
const IDLE: Duration = Duration::from_millis(50);
/// How long one round of stepping may take before the thread reads its messages again.
const ROUND: Duration = Duration::from_millis(4);
/// While stepping fast, a snapshot goes out once the window has taken the previous one, and at
/// least this long after it: about once a frame, never more often than frames are drawn.
const PUBLISH_EVERY: Duration = Duration::from_millis(10);
/// The longest a fast run goes without publishing even when the window has not taken the last
/// snapshot (a window that stopped drawing a while, then comes back).
const PUBLISH_AT_LEAST: Duration = Duration::from_millis(250);

/// The simulation thread, seen from the window: send it messages, read its latest snapshot.
pub struct SimThread {
    to_sim: Sender<ToSim>,
    latest: Arc<Mailbox>,
    thread: Option<JoinHandle<Option<Stepper>>>,
    priority: Priority,
    failure: Failure,
}

/// What stopped the simulation thread, once something did (a panic in an agent or the stepping):
/// the window shows it, keeps drawing the last snapshot, and exits non-zero when closed.
pub type Failure = Arc<OnceLock<String>>;

/// Who goes first when the simulation thread and drawing want the same core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// Drawing: at a set speed the thread runs below the window's threads, so a speed the agents
    /// cannot keep shows as "behind" instead of slowing the frames.
    DrawingFirst,
    /// Neither: at "max" the user asked for steps, and the thread keeps the window's priority.
    Even,
}

impl Priority {
    /// The priority for stepping at `speed`.
    pub fn at(speed: Speed) -> Self {
        match speed {
            Speed::Max => Priority::Even,
            Speed::PerSecond(_) => Priority::DrawingFirst,
        }
    }
}

/// The latest snapshot, and whether the window has taken it: a snapshot (with its insights) is
/// made for a frame that will draw it, not for one that is skipped. Both sit under one lock, so
/// "taken" always speaks of the snapshot beside it.
struct Mailbox(Mutex<(Arc<Snapshot>, bool)>);

impl Mailbox {
    fn new(snapshot: Snapshot) -> Self {
        Self(Mutex::new((Arc::new(snapshot), false)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Arc<Snapshot>, bool)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts a new snapshot in; the old one is freed outside the lock.
    fn publish(&self, snapshot: Arc<Snapshot>) {
        let old = std::mem::replace(&mut *self.lock(), (snapshot, false));
        drop(old);
    }

    /// The latest snapshot, not marking it taken.
    fn peek(&self) -> Arc<Snapshot> {
        Arc::clone(&self.lock().0)
    }

    /// The latest snapshot, marked as taken.
    fn take(&self) -> Arc<Snapshot> {
        let mut latest = self.lock();
        latest.1 = true;
        Arc::clone(&latest.0)
    }

    /// Whether the window has taken the latest snapshot.
    fn taken(&self) -> bool {
        self.lock().1
    }
}

impl SimThread {
    /// Starts `stepper` on its own thread with `priority`. (A thread may lower its own priority
    /// but, without privileges, not raise it again: a change to "max" starts a new thread.)
    pub fn spawn(stepper: Stepper, priority: Priority) -> Self {
        // Without insights: the window opens at once, and the thread computes them at its pace.
        let latest = Arc::new(Mailbox::new(stepper.bare_snapshot()));
        Self::spawn_into(stepper, priority, latest, Failure::default())
    }

    /// Starts `stepper` on its own thread, publishing into `latest`; a panic is noted in
    /// `failure`.
    fn spawn_into(
        stepper: Stepper,
        priority: Priority,
        latest: Arc<Mailbox>,
        failure: Failure,
    ) -> Self {
        let (to_sim, inbox) = channel();
        let published = Arc::clone(&latest);
        let noted = Arc::clone(&failure);
        let thread = std::thread::Builder::new()
            .name("simulation".into())
            .spawn(move || {
                // Where lowering is not allowed the thread simply keeps the normal priority.
                if priority == Priority::DrawingFirst {
                    let _ = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    );
                }
                noting_failure(&noted, || run(stepper, &inbox, &published))
            })
            .expect("the simulation thread starts");
        Self {
            to_sim,
            latest,
            thread: Some(thread),
            priority,
            failure,
        }
    }

    /// What stopped the thread, once something did; shared with any thread that replaces it.
    pub fn failure(&self) -> Failure {
        Arc::clone(&self.failure)
    }

    /// Moves the stepping to a new thread with `priority`, after the old one has taken every
    /// message sent so far (a thread that stopped on a bug stays stopped).
    pub fn respawn(&mut self, priority: Priority) {
        if let Some(stepper) = self.hang_up() {
            // The new thread publishes into the same mailbox: the window keeps drawing the latest
            // snapshot meanwhile, and no second one is made here.
            *self = Self::spawn_into(
                stepper,
                priority,
                Arc::clone(&self.latest),
                Arc::clone(&self.failure),
            );
        }
    }

    /// The priority the thread was started with.
    pub fn priority(&self) -> Priority {
        self.priority
    }

    /// Sends a message; it applies at the next step boundary. (A thread that stopped, which only
    /// a bug can make it do, drops the message; [`SimThread::running`] says so.)
    pub fn send(&self, message: ToSim) {
        let _ = self.to_sim.send(message);
    }

    /// Whether the thread still runs (false only after a panic in an agent or the stepping).
    pub fn running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// The latest snapshot published.
    pub fn latest(&self) -> Arc<Snapshot> {
        self.latest.take()
    }

    /// Stops the thread after the messages sent so far and hands back the stepper.
    pub fn stop(mut self) -> Option<Stepper> {
        self.hang_up()
    }

    fn hang_up(&mut self) -> Option<Stepper> {
        // Closing the channel ends the thread's loop once it has read what was sent.
        let (closed, _) = channel();
        self.to_sim = closed;
        self.thread
            .take()
            .and_then(|thread| thread.join().ok().flatten())
    }
}

impl Drop for SimThread {
    fn drop(&mut self) {
        self.hang_up();
    }
}

/// Runs `body`; a panic in it (already printed by the panic hook) is noted in `failure` with its
/// message, for the window, instead of ending the program.
fn noting_failure<T>(failure: &Failure, body: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
        .map_err(|payload| {
            let said = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let _ = failure.set(said);
        })
        .ok()
}

/// How often the thread computes each arena's insight. Most cost well under a millisecond and
/// are fresh in every snapshot. A dear one (a network's value map over a 64 x 64 map takes about
/// 2 s) is computed again only after the thread has spent [`InsightPace::SHARE`] times its cost
/// on other work, so insights take at most a tenth of the thread's time; and a snapshot stops
/// computing insights once [`InsightPace::BUDGET`] went to them (the others show their last
/// insight, or none yet, and follow in the next snapshots), so the agents keep stepping and a
/// pause is answered within one insight's time. Paused, insights are refreshed at once after a
/// change (within the budget, snapshot after snapshot).
#[derive(Default)]
struct InsightPace {
    /// Per arena: when its insight is next due, the detail it was last computed with, and how
    /// far apart its fresh insights are.
    arenas: Vec<(Instant, Detail, Duration)>,
    /// The stepper's version the insights were last computed for (paused, a change makes every
    /// insight due).
    version: u64,
    /// Some insight in the last snapshot is not what is due: another snapshot is owed.
    owed: bool,
}

impl InsightPace {
    /// Of the thread's time, at most one part in this many goes to insights.
    const SHARE: u32 = 10;
    /// A snapshot stops computing insights once this much time has gone to them.
    const BUDGET: Duration = Duration::from_millis(30);
    /// Fresh insights further apart than this are said in the window.
    const SAID: Duration = Duration::from_millis(250);

    /// The snapshot to publish: each arena's insight fresh when due and within the budget, else
    /// `earlier`'s for the same agent on a map of the same size (else none yet).
    fn snapshot(&mut self, stepper: &Stepper, earlier: &Snapshot) -> Snapshot {
        let count = stepper.experiment.arenas().len();
        let now = Instant::now();
        if self.arenas.len() != count {
            self.arenas = vec![(now, Detail::Bare, Duration::ZERO); count];
        }
        // Paused, whatever changed is due now; playing, each insight at its own pace.
        let changed = stepper.version() != self.version;
        self.version = stepper.version();
        let mut spent = Duration::ZERO;
        let mut views = Vec::with_capacity(count);
        self.owed = false;
        for i in 0..count {
            let detail = stepper.detail(i);
            let (due, had, _) = self.arenas[i];
            let stale = had != detail || now >= due || (!stepper.playing() && changed);
            if stale && spent < Self::BUDGET {
                let started = Instant::now();
                views.push(stepper.view(i, detail));
                let cost = started.elapsed();
                spent += cost;
                let apart = cost * (Self::SHARE - 1);
                self.arenas[i] = (Instant::now() + apart, detail, apart + cost);
                continue;
            }
            if stale {
                self.owed = true;
                if !stepper.playing() {
                    // Paused, what is left is due in the next snapshot.
                    self.arenas[i].0 = now;
                }
            }
            let mut view = stepper.view(i, Detail::Bare);
            if let Some(before) = earlier.arenas.get(i).filter(|before| {
                before.name == view.name
                    && before.brain == view.brain
                    && before.world.width() == view.world.width()
                    && before.world.height() == view.world.height()
            }) {
                view.insight.clone_from(&before.insight);
            }
            views.push(view);
        }
        let mut snapshot = stepper.snapshot_of(views);
        snapshot.insights_every = self
            .arenas
            .iter()
            .map(|&(_, _, every)| every)
            .filter(|&every| every > Self::SAID)
            .max();
        snapshot
    }
}

/// The thread's loop: messages, steps, snapshots, until the window hangs up; then the stepper.
fn run(mut stepper: Stepper, inbox: &Receiver<ToSim>, latest: &Mailbox) -> Stepper {
    let mut last_round = Instant::now();
    let mut last_publish = Instant::now();
    let mut published_version = stepper.version();
    // The first snapshot (made before the thread started) carries no insight: they follow.
    let mut insights = InsightPace {
        owed: true,
        ..InsightPace::default()
    };
    loop {
        // Wait for a message until the next step is due (at least a couple of milliseconds, so
        // fast speeds step in small batches instead of spinning a core); at "max" only look.
        let wait = match (stepper.playing(), stepper.speed()) {
            (false, _) => IDLE,
            (true, Speed::PerSecond(_)) => match stepper.until_next_step() {
                // Steps are owed already: take them without waiting.
                Duration::ZERO => Duration::ZERO,
                due => due.clamp(BATCH, IDLE),
            },
            (true, Speed::Max) => Duration::ZERO,
        };
        // During long work the thread only looks, so a stop or a new scene is answered within
        // a round, however long the work.
        let wait = if stepper.busy() { Duration::ZERO } else { wait };
        let answered = match inbox.recv_timeout(wait) {
            Ok(message) => {
                stepper.receive(message);
                for message in inbox.try_iter() {
                    stepper.receive(message);
                }
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return stepper,
        };
        let now = Instant::now();
        let elapsed = now.duration_since(last_round).as_secs_f64();
        last_round = now;
        let taken = stepper.round(elapsed, ROUND);
        // What the window asked for shows at once; slow speeds publish every step, fast ones
        // once per frame drawn.
        let slow = matches!(stepper.speed(), Speed::PerSecond(rate) if rate <= 30);
        let since = last_publish.elapsed();
        let frame_due = since >= PUBLISH_EVERY && latest.taken();
        let due = answered || (slow && taken > 0) || frame_due || since >= PUBLISH_AT_LEAST;
        if due && (stepper.version() != published_version || insights.owed) {
            latest.publish(Arc::new(insights.snapshot(&stepper, &latest.peek())));
            published_version = stepper.version();
            last_publish = Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Playing, an insight not yet due is the earlier snapshot's (the stepping goes on); paused,
    /// a change makes every insight fresh at once.
    #[test]
    fn insights_are_kept_until_due_while_playing_and_fresh_after_a_change_when_paused() {
        let scene = crate::scene::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/showcase.ron"),
        )
        .unwrap()
        .scene;
        let mut stepper = Stepper::new(scene, false);
        let mut pace = InsightPace::default();
        let first = pace.snapshot(&stepper, &stepper.bare_snapshot());
        assert!(first.arenas.iter().all(|a| a.insight.is_some()));
        // Every insight as if it were dear: not due for a minute.
        for arena in &mut pace.arenas {
            arena.0 = Instant::now() + Duration::from_secs(60);
            arena.2 = Duration::from_secs(60);
        }
        stepper.receive(ToSim::Play);
        stepper.advance(1.0, Duration::MAX);
        assert!(stepper.experiment().steps() > 0);
        let kept = pace.snapshot(&stepper, &first);
        // Compared as written: a value map's NaN (a wall) is not equal to itself.
        let insight = |snapshot: &Snapshot| format!("{:?}", snapshot.arenas[0].insight);
        assert_eq!(insight(&kept), insight(&first));
        assert_ne!(insight(&kept), insight(&stepper.snapshot()));
        assert_eq!(kept.insights_every, Some(Duration::from_secs(60)));
        // Paused, one step later: fresh.
        stepper.receive(ToSim::Step);
        stepper.advance(0.0, Duration::MAX);
        let fresh = pace.snapshot(&stepper, &kept);
        assert_eq!(insight(&fresh), insight(&stepper.snapshot()));
    }

    #[test]
    fn a_panic_is_noted_with_its_message_and_a_clean_run_notes_nothing() {
        let failure = Failure::default();
        assert_eq!(noting_failure(&failure, || 7), Some(7));
        assert!(failure.get().is_none());
        let index = 9;
        let stopped: Option<()> =
            noting_failure(&failure, || panic!("index {index} out of bounds"));
        assert!(stopped.is_none());
        assert_eq!(
            failure.get().map(String::as_str),
            Some("index 9 out of bounds")
        );
    }
}
