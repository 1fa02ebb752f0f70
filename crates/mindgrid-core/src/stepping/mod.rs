//! Stepping an experiment at a chosen speed, with a timeline to scrub, and the frames a window
//! draws of it: all of the window's simulation that needs no window. The app runs a [`Stepper`] on
//! a thread of its own (or inline in headless tests) and keeps the thread, its mailbox and its
//! priority.

mod frame;
mod pace;
mod rate;
mod stepper;

pub use frame::Frame;
pub use pace::InsightPace;
pub use stepper::Stepper;

use crate::command::{Command, LoggedCommand};
use crate::scene::Scene;

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

    /// The rung `by` rungs faster than `rung` (negative: slower), kept to the ladder.
    pub fn rung_after(rung: usize, by: i32) -> usize {
        let last = Speed::LADDER.len() as i64 - 1;
        (rung as i64 + i64::from(by)).clamp(0, last) as usize
    }

    /// A label for the control bar.
    pub fn label(self) -> String {
        match self {
            Speed::PerSecond(n) => format!("{} steps/s", crate::figures::group_thousands(n.into())),
            Speed::Max => "max".to_owned(),
        }
    }
}

/// The transport: how the run is driven, one definition for the window's keys and buttons, a
/// lesson's steps and the stepping that carries them out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Transport {
    /// Play now.
    Play,
    /// Pause now.
    Pause,
    /// Play or pause.
    TogglePlay,
    /// One step of every arena, then pause.
    Step,
    /// One step back in time (only when paused).
    StepBack,
    /// A rung of [`Speed::LADDER`].
    SetSpeed(usize),
    /// That many rungs faster (negative: slower).
    ChangeSpeed(i32),
    /// Go to this step of the timeline (paused there).
    Seek(u64),
    /// Back to the live edge of the timeline (paused there).
    SeekLive,
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

/// What the window tells the stepping; it applies at the next step boundary.
#[derive(Debug)]
pub enum ToSim {
    /// A change to the experiment, applied between steps and logged.
    Command(Command),
    /// Play, pause, step, speed, seek: the transport, as keys, buttons and lessons ask for it.
    Transport(Transport),
    /// The window shows this arena's insight panel (or none): only its frame carries the
    /// panel's part of the insight.
    ShowPanel(PanelOf),
    /// A new scene (a reload): a fresh experiment at the same speed.
    Replace(Box<Scene>),
    /// Steps every arena this many times at once (`--warmup`).
    WarmUp(u64),
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
    /// Commands to apply at their steps (a lesson's schedule), as the recorded future of the
    /// fresh experiment; those due now apply at once.
    Schedule(Vec<LoggedCommand>),
    /// A recording's commands and length: run the fresh experiment through them (paused at the
    /// end, every step reachable on the timeline).
    Recording {
        /// The recorded commands.
        log: Vec<LoggedCommand>,
        /// Lockstep steps the recording ran.
        steps: u64,
    },
}
