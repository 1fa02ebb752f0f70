//! The experiment stepped at a chosen pace, taking the window's messages between steps and keeping
//! the timeline that scrubbing, stepping back and branching use.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use web_time::Instant;

use super::rate::RateMeter;
use super::{Frame, PanelOf, Speed, ToSim, Transport};
use crate::command::Command;
use crate::experiment::{Applied, ArenaView, Detail, Experiment};
use crate::scene::Scene;
use crate::timeline::{SNAPSHOT_EVERY, Timeline};

/// Most seconds of steps a speed may owe: a speed the agents cannot sustain drops the rest, and
/// the window says it is behind, rather than running ever further behind the clock.
const MOST_OWED_SECONDS: f64 = 0.25;

/// The experiment and the pace it is stepped at.
pub struct Stepper {
    experiment: Experiment,
    /// The experiment's scene, shared with every frame (copied once per scene, not per frame).
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
    /// Counts changes, so the window knows a frame is new.
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
    /// or none. The others' frames carry only what their maps draw.
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
            // A drag along the timeline sends a seek per frame: a seek followed by another
            // absolute one (a seek, the live edge) needs no doing. A step back is relative to
            // where the seek before it lands, so that seek stays.
            let superseded = matches!(message, ToSim::Transport(Transport::Seek(_)))
                && matches!(
                    self.deferred.front(),
                    Some(ToSim::Transport(Transport::Seek(_) | Transport::SeekLive))
                );
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
            ToSim::Transport(transport) => self.transport(transport),
            ToSim::SaveCheckpoint(path) => {
                let saved = crate::snapshot::save_checkpoint(&path, &self.experiment);
                let steps = self.experiment.steps();
                self.tell_saved(saved, &format!("a checkpoint of step {steps}"), &path);
            }
            ToSim::SaveRecording { path, scene_text } => {
                let recording =
                    crate::recording::Recording::of_session(&scene_text, &self.experiment);
                let steps = self.experiment.steps();
                self.tell_saved(
                    recording.save(&path),
                    &format!("a recording of {steps} steps"),
                    &path,
                );
            }
            // Like every message, it counts as a change: a new frame, with the panel's
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
            ToSim::PauseAt(step) => self.pause_at = Some(step),
            ToSim::PauseAtSuccess(arena) => {
                self.pause_at_success = Some((arena, self.successes(arena)));
            }
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

    /// Carries out a transport control: play, pause, a step, a speed, a seek.
    fn transport(&mut self, transport: Transport) {
        match transport {
            Transport::Play => self.playing = true,
            Transport::Pause => self.playing = false,
            Transport::TogglePlay => self.playing = !self.playing,
            Transport::Step => {
                self.playing = false;
                self.queued += 1;
            }
            Transport::StepBack => {
                if !self.playing && self.experiment.steps() > 0 {
                    self.seek(self.experiment.steps() - 1);
                }
            }
            Transport::SetSpeed(index) => {
                self.speed = index.min(Speed::LADDER.len() - 1);
                self.carry = 0.0;
                self.rate.restart();
            }
            Transport::ChangeSpeed(by) => {
                self.transport(Transport::SetSpeed(Speed::rung_after(self.speed, by)));
            }
            Transport::Seek(step) => self.seek(step),
            Transport::SeekLive => self.seek(self.timeline.view().frontier),
        }
    }

    /// Goes to `step` of the timeline, paused there (nothing happens if it is out of reach).
    fn seek(&mut self, step: u64) {
        if let Some(past) = self.timeline.seek(step) {
            self.experiment = past;
            self.playing = false;
            self.carry = 0.0;
            self.queued = 0;
            self.refresh_scene();
        }
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

    /// A notice for the window of a file saved (`what` to `path`), or why it was not.
    fn tell_saved(&mut self, saved: Result<(), String>, what: &str, path: &std::path::Path) {
        match saved {
            Ok(()) => self.tell(format!("saved {what} to {}", path.display()), false),
            Err(e) => self.tell(e, true),
        }
    }

    /// A notice for the window.
    fn tell(&mut self, text: String, error: bool) {
        let count = self.notice.as_ref().map_or(0, |(n, _, _)| n + 1);
        self.notice = Some((count, text, error));
    }

    /// The frames' scene follows the experiment's (a fork adds an agent to it).
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
    pub fn frame(&self) -> Frame {
        self.frame_of(
            (0..self.experiment.arenas().len())
                .map(|i| self.view(i, self.detail(i)))
                .collect(),
        )
    }

    /// The present state without any insight.
    pub fn bare_frame(&self) -> Frame {
        self.frame_of(
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

    /// The frame of the present state with these views of the arenas.
    pub(super) fn frame_of(&self, arenas: Vec<ArenaView>) -> Frame {
        Frame {
            scene: Arc::clone(&self.scene),
            arenas,
            steps: self.experiment.steps(),
            total_steps: self.experiment.total_steps(),
            playing: self.playing,
            speed: self.speed,
            steps_per_second: self.rate.steps_per_second,
            behind: self.rate.behind && self.below_speed(),
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

    /// Whether the measured rate is below the speed asked for: steps dropped while catching up
    /// after a slow moment, at or above the speed, are not "behind".
    fn below_speed(&self) -> bool {
        let arenas = self.experiment.arenas().len().max(1) as f64;
        match self.speed() {
            Speed::PerSecond(rate) => self.rate.steps_per_second < 0.99 * f64::from(rate) * arenas,
            Speed::Max => false,
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
