//! `--record FILE`: the session a person drove in the window, written as a recording when the
//! window closes, so that it replays headless and its command log can be read.

use std::path::PathBuf;

use bevy::prelude::*;

use super::scene_file::SceneFile;
use super::sim::Sim;
use crate::recording::Recording;

/// Where the session's recording goes when the window closes.
#[derive(Resource, Debug)]
pub struct RecordOnExit(pub PathBuf);

/// Writes the recording once the app is told to exit (the window closed, Esc in presenter mode,
/// a screenshot or clip taken).
pub fn plugin(app: &mut App) {
    app.add_systems(Last, record_on_exit);
}

fn record_on_exit(
    mut exits: MessageReader<AppExit>,
    record: Option<Res<RecordOnExit>>,
    sim: Option<ResMut<Sim>>,
    file: Option<Res<SceneFile>>,
) {
    let exiting = exits.read().count() > 0;
    let (true, Some(record), Some(mut sim), Some(file)) = (exiting, record, sim, file) else {
        return;
    };
    // The stepping stops after the messages sent so far: the recording holds every command the
    // person gave, up to the last step taken.
    let Some(stepper) = sim.finish() else {
        error!(
            "{}: no recording written: the simulation had stopped on an error",
            record.0.display()
        );
        return;
    };
    let text = file.built_from().unwrap_or_default();
    let recording = Recording::of_session(text, stepper.experiment());
    match recording.save(&record.0) {
        Ok(()) => info!(
            "wrote the session ({} steps, {} commands) to {}",
            stepper.experiment().steps(),
            recording.log.len(),
            record.0.display()
        ),
        Err(e) => error!("{}", crate::limits::printable(&e)),
    }
}
