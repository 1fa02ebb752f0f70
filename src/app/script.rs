//! `--script FILE` (hidden, for the window tests): the lecturer's actions at given frames, sent as
//! the same commands the controls send, so that a test drives the real window's systems and reads
//! what they did from the session's recording and the lines printed at exit.

use std::path::PathBuf;

use bevy::prelude::*;
use serde::Deserialize;

use super::command::{AppCommand, FileCommand, ViewCommand};
use super::sim::Sim;
use crate::command::Command;
use crate::stepping::Transport;

/// One scripted action, as a lecturer would do it with the mouse or the keys.
#[derive(Clone, Debug, Deserialize)]
pub enum Act {
    /// Select arena `.0` (a click on it).
    Select(usize),
    /// Drag a hyperparameter's slider of an arena to a value.
    Set {
        /// The arena.
        arena: usize,
        /// The hyperparameter.
        name: String,
        /// The value it is dragged to.
        value: f64,
    },
    /// Pause (what Space does while playing).
    Pause,
    /// Drag the timeline's thumb to this share of the way from its earliest step to its live
    /// edge (0 to 1).
    Seek(f64),
    /// Pick another scene in the scene picker (a path relative to the working folder).
    Open(PathBuf),
    /// ⟳ reload.
    Reload,
}

/// An action and the frame (from the window's first) it is taken at.
#[derive(Clone, Debug, Deserialize)]
pub struct Cue {
    /// The frame.
    pub frame: u32,
    /// The action.
    pub act: Act,
}

/// The script being played, and what it has seen.
#[derive(Resource, Debug)]
pub struct Script {
    cues: Vec<Cue>,
    frame: u32,
    /// The timeline's live edge when the first seek was made.
    edge_at_first_seek: Option<u64>,
}

impl Script {
    /// Reads a script: a RON list of `(frame: N, act: ...)`.
    pub fn load(path: &std::path::Path) -> Result<Self, String> {
        let text = crate::limits::read_text(path, crate::limits::FileKind::Settings)?;
        let mut cues: Vec<Cue> =
            ron::from_str(&text).map_err(|e| format!("{}: not a script: {e}", path.display()))?;
        cues.sort_by_key(|cue| cue.frame);
        Ok(Self {
            cues,
            frame: 0,
            edge_at_first_seek: None,
        })
    }
}

/// Plays the script, and prints what the tests read when the app exits.
pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        play.run_if(resource_exists::<Script>)
            .in_set(super::order::AppSystems::Input),
    )
    .add_systems(Last, report.run_if(resource_exists::<Script>));
}

fn play(mut script: ResMut<Script>, sim: Res<Sim>, mut writer: MessageWriter<AppCommand>) {
    script.frame += 1;
    let frame = script.frame;
    let shown = sim.frame();
    let due: Vec<Act> = script
        .cues
        .iter()
        .filter(|cue| cue.frame == frame)
        .map(|cue| cue.act.clone())
        .collect();
    for act in due {
        let command = match act {
            Act::Select(i) => ViewCommand::Select(i).into(),
            Act::Set { arena, name, value } => {
                Command::SetHyperparameter { arena, name, value }.into()
            }
            Act::Pause => Transport::Pause.into(),
            Act::Seek(share) => {
                let timeline = &shown.timeline;
                script.edge_at_first_seek.get_or_insert(timeline.frontier);
                let span = timeline.frontier.saturating_sub(timeline.earliest) as f64;
                let step = timeline.earliest + (span * share.clamp(0.0, 1.0)).round() as u64;
                Transport::Seek(step).into()
            }
            Act::Open(path) => FileCommand::OpenScene(path).into(),
            Act::Reload => FileCommand::Reload.into(),
        };
        writer.write(command);
    }
}

/// At exit: the timeline's reach, and its live edge when the scrubbing began.
fn report(mut exits: MessageReader<AppExit>, script: Res<Script>, sim: Res<Sim>) {
    if exits.read().count() == 0 {
        return;
    }
    let timeline = &sim.frame().timeline;
    println!(
        "timeline: steps {} to {}, at step {}",
        timeline.earliest,
        timeline.frontier,
        sim.frame().steps
    );
    if let Some(edge) = script.edge_at_first_seek {
        println!("live edge at the first seek: {edge}");
    }
}
