//! The window's one message for changing anything: keys, buttons, sliders, panels and lessons
//! write an [`AppCommand`], and `execute` carries it out at a step boundary (presenter mode carries
//! out the slides' group). A leaf: it names what can be asked, and imports nothing of the app.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::command::Command;
use crate::stepping::Transport;

/// A change asked for in the window, in groups: a handler of a group matches every variant of it,
/// so a new variant does not compile until something carries it out.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum AppCommand {
    /// A change to the experiment's numbers (logged with its step, replayable headless).
    Experiment(Command),
    /// Play, pause, step, speed, seek: how the run is driven.
    Transport(Transport),
    /// What the window shows, not the experiment.
    View(ViewCommand),
    /// Scene files, checkpoints, recordings, screenshots and clips.
    File(FileCommand),
    /// Presenter mode's slides.
    Slide(SlideCommand),
}

/// A change to what the window shows; the experiment is untouched.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    /// Show arena `i`'s agent in the side panels.
    Select(usize),
    /// Show the next arena's agent.
    SelectNext,
    /// The insight panel is shown, or not (a scene's or a slide's panels).
    InsightPanel(bool),
    /// Value overlay on or off.
    ToggleValues,
    /// Trail on or off.
    ToggleTrail,
    /// Arenas only (the side panels and curves hidden), or every panel again.
    ToggleArenasOnly,
    /// The keys' help on or off.
    ToggleHelp,
    /// Edit mode on or off.
    ToggleEdit,
    /// The high-contrast theme on or off (remembered between runs).
    ToggleContrast,
}

/// Reading and writing files.
#[derive(Clone, Debug, PartialEq)]
pub enum FileCommand {
    /// Read the scene file again.
    Reload,
    /// Open another scene file.
    OpenScene(PathBuf),
    /// Write the selected arena's map into the scene file (rows only).
    Save,
    /// Open the Save-as field.
    AskSaveAs,
    /// Write the scene with the selected arena's map to a new file, which becomes the open one.
    SaveAs(PathBuf),
    /// Save a checkpoint of the experiment next to the scene file.
    SaveCheckpoint,
    /// Save a recording of the session next to the scene file.
    SaveRecording,
    /// Save a screenshot of the window.
    Screenshot,
    /// Choose a scene or a recording on the computer to open (the web build's file picker).
    #[cfg(target_arch = "wasm32")]
    Browse,
    /// Present a lesson in the window (the web build, which has no `mindgrid lesson`).
    #[cfg(target_arch = "wasm32")]
    Present(PathBuf),
    /// Record a GIF of the next frames next to the scene file: of the selected arena, or the
    /// whole window.
    Clip {
        /// Only the selected arena.
        arena: bool,
    },
}

/// Presenter mode: moving through a lesson's slides.
#[derive(Clone, Debug, PartialEq)]
pub enum SlideCommand {
    /// The next slide.
    Next,
    /// The previous slide.
    Previous,
    /// Slide `i` (0 is the first).
    GoTo(usize),
    /// Blank the screen, or show it again.
    ToggleBlank,
    /// The class picks this choice of the prediction.
    Choose(usize),
    /// Show the prediction's answer, and play the run that shows it.
    RevealAnswer,
    /// Esc: ask whether to leave; asked already, leave.
    Leave,
    /// Stay, after Esc asked whether to leave.
    Stay,
}

/// Each group, and the experiment's commands, become an [`AppCommand`] with `.into()`.
macro_rules! into_app_command {
    ($($group:ty => $variant:ident),* $(,)?) => {
        $(impl From<$group> for AppCommand {
            fn from(command: $group) -> Self {
                AppCommand::$variant(command)
            }
        })*
    };
}

into_app_command!(
    Command => Experiment,
    Transport => Transport,
    ViewCommand => View,
    FileCommand => File,
    SlideCommand => Slide,
);

/// Registers the message.
pub fn plugin(app: &mut App) {
    app.add_message::<AppCommand>();
}
