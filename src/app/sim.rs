//! Drives the experiment: play, pause, single steps and the speed setting, decoupled from frames.

use std::time::{Duration, Instant};

use bevy::prelude::*;

use crate::command::Command;
use crate::experiment::Experiment;
use crate::scene::Scene;

/// How fast the simulation runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// A fixed number of steps per second (slow enough to watch each move).
    PerSecond(u32),
    /// A fixed number of steps every frame.
    PerFrame(u32),
    /// As many steps as fit the frame budget.
    Max,
}

impl Speed {
    /// The settings the speed slider and the +/- keys walk through, slowest first.
    pub const LADDER: [Speed; 18] = [
        Speed::PerSecond(1),
        Speed::PerSecond(2),
        Speed::PerSecond(5),
        Speed::PerSecond(10),
        Speed::PerSecond(30),
        Speed::PerFrame(1),
        Speed::PerFrame(2),
        Speed::PerFrame(5),
        Speed::PerFrame(10),
        Speed::PerFrame(20),
        Speed::PerFrame(50),
        Speed::PerFrame(100),
        Speed::PerFrame(200),
        Speed::PerFrame(500),
        Speed::PerFrame(1000),
        Speed::PerFrame(2000),
        Speed::PerFrame(5000),
        Speed::Max,
    ];

    /// A label for the control bar.
    pub fn label(self) -> String {
        match self {
            Speed::PerSecond(n) => format!("{n} steps/s"),
            Speed::PerFrame(n) => format!("{n} steps/frame"),
            Speed::Max => "max".to_owned(),
        }
    }
}

/// Wall-clock time the "max" speed may spend stepping in one frame.
pub const FRAME_BUDGET: Duration = Duration::from_millis(12);

/// The running experiment and how it is being driven.
#[derive(Resource)]
pub struct Sim {
    /// The arenas being stepped; changed only through [`Sim::apply`] and stepping.
    experiment: Experiment,
    /// Whether steps happen on their own.
    pub playing: bool,
    /// Index into [`Speed::LADDER`].
    pub speed: usize,
    /// The arena whose agent the side panels show.
    pub selected: usize,
    /// Fractional steps carried between frames at slow speeds.
    carry: f64,
    /// Single steps requested while paused.
    queued_steps: u64,
    /// Measured steps per second (all arenas), refreshed twice a second.
    pub steps_per_second: f64,
    rate_window: (Instant, u64),
    /// Counts changes to the experiment (steps, commands, a new scene), so views know when to
    /// read it again.
    version: u64,
}

impl Sim {
    /// A running simulation of `scene`, at 10 steps per frame.
    pub fn new(scene: Scene) -> Self {
        Self {
            experiment: Experiment::new(scene),
            playing: true,
            speed: 8,
            selected: 0,
            carry: 0.0,
            queued_steps: 0,
            steps_per_second: 0.0,
            rate_window: (Instant::now(), 0),
            version: 0,
        }
    }

    /// The experiment, to read.
    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }

    /// Counts changes to the experiment: equal versions show equal states.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Carries out an experiment command now (between steps); the experiment logs it.
    pub fn apply(&mut self, command: Command) {
        self.experiment.apply(command);
        self.version += 1;
    }

    /// Steps every arena `steps` times at once (`--warmup`).
    pub fn warm_up(&mut self, steps: u64) {
        self.experiment.step_n(steps);
        self.version += 1;
    }

    /// Shows arena `index` in the side panels.
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.experiment.arenas().len().saturating_sub(1));
    }

    /// The current speed setting.
    pub fn speed(&self) -> Speed {
        Speed::LADDER[self.speed.min(Speed::LADDER.len() - 1)]
    }

    /// One step faster (`+`), or slower (`-`) with a negative `by`.
    pub fn change_speed(&mut self, by: i32) {
        let last = Speed::LADDER.len() as i32 - 1;
        self.speed = (self.speed as i32 + by).clamp(0, last) as usize;
        self.carry = 0.0;
    }

    /// Asks for one step of every arena (the Right key, or the step button).
    pub fn queue_step(&mut self) {
        self.playing = false;
        self.queued_steps += 1;
    }

    /// Replaces the experiment (a reloaded scene), keeping play state and speed.
    pub fn replace_scene(&mut self, scene: Scene) {
        self.experiment = Experiment::new(scene);
        self.selected = self
            .selected
            .min(self.experiment.arenas().len().saturating_sub(1));
        self.carry = 0.0;
        self.queued_steps = 0;
        self.version += 1;
    }

    /// Runs the steps that `elapsed` seconds of this frame call for; returns how many were taken.
    pub fn advance(&mut self, elapsed: f64) -> u64 {
        let mut steps = std::mem::take(&mut self.queued_steps);
        if self.playing {
            match self.speed() {
                Speed::PerSecond(rate) => {
                    self.carry += elapsed * f64::from(rate);
                    let whole = self.carry.floor();
                    self.carry -= whole;
                    steps += whole as u64;
                }
                Speed::PerFrame(n) => steps += u64::from(n),
                Speed::Max => {
                    let started = Instant::now();
                    let mut taken = 0;
                    while started.elapsed() < FRAME_BUDGET {
                        self.experiment.step_n(64);
                        taken += 64;
                    }
                    self.note_rate(taken);
                    return taken;
                }
            }
        }
        self.experiment.step_n(steps);
        self.note_rate(steps);
        steps
    }

    fn note_rate(&mut self, steps: u64) {
        if steps > 0 {
            self.version += 1;
        }
        let arenas = self.experiment.arenas().len() as u64;
        self.rate_window.1 += steps * arenas;
        let seconds = self.rate_window.0.elapsed().as_secs_f64();
        if seconds >= 0.5 {
            self.steps_per_second = self.rate_window.1 as f64 / seconds;
            self.rate_window = (Instant::now(), 0);
        }
    }
}

/// Steps the experiment every frame from [`Time`].
pub fn plugin(app: &mut App) {
    app.add_systems(Update, advance_simulation.in_set(super::AppSystems::Step));
}

fn advance_simulation(time: Res<Time>, sim: Option<ResMut<Sim>>) {
    if let Some(mut sim) = sim {
        sim.advance(time.delta_secs_f64());
    }
}
