//! Recordings: a session as a small text file (the scene's text, its seed, the command log and how
//! far it ran) that replays to the same bytes, headless or in the window.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::command::LoggedCommand;
use crate::experiment::Experiment;
use crate::scene::{self, Scene, write_atomically};

/// The recording format this build writes and reads.
pub const RECORDING_FORMAT: u32 = 1;

/// How far a recorded session ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Until {
    /// Lockstep steps of every arena, with the log's commands applied at their steps (a window
    /// session).
    Steps(u64),
    /// Episodes of each arena, one arena after another (a headless `run`; no commands).
    Episodes(u32),
}

/// A session that replays exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    /// [`RECORDING_FORMAT`] when written.
    pub format: u32,
    /// The scene file's text, whole (comments too), so the recording stands alone.
    pub scene: String,
    /// The seed the session ran with (it may differ from the scene's: `run --seed`).
    pub seed: u64,
    /// How far it ran.
    pub until: Until,
    /// Every command, with the lockstep step it applied at.
    pub log: Vec<LoggedCommand>,
}

impl Recording {
    /// The recording of `experiment` (which must be replayable: stepped in lockstep), whose scene
    /// was read from `scene_text`.
    pub fn of_session(scene_text: &str, experiment: &Experiment) -> Self {
        Self {
            format: RECORDING_FORMAT,
            scene: scene_text.to_owned(),
            seed: experiment.scene().seed,
            until: Until::Steps(experiment.steps()),
            log: experiment.log().to_vec(),
        }
    }

    /// The scene it holds, with its seed; errors name the recording and where in the scene.
    pub fn scene(&self, file: &str) -> Result<Scene, String> {
        let mut scene = scene::parse(&self.scene, &format!("{file} (its scene)"))
            .map_err(|errors| errors[0].to_string())?
            .scene;
        scene.seed = self.seed;
        Ok(scene)
    }

    /// Runs it again: the same experiment, to the same numbers.
    pub fn replay(&self, file: &str) -> Result<Experiment, String> {
        let scene = self.scene(file)?;
        Ok(match self.until {
            Until::Steps(steps) => Experiment::replay(scene, &self.log, steps),
            Until::Episodes(episodes) => {
                let mut experiment = Experiment::new(scene);
                experiment.run_episodes(episodes, |_| {});
                experiment
            }
        })
    }

    /// The recording as text (RON, one command per line).
    pub fn to_text(&self) -> String {
        let config = ron::ser::PrettyConfig::new().depth_limit(3);
        let body = ron::ser::to_string_pretty(self, config).unwrap_or_default();
        format!(
            "// A mindgrid recording: `mindgrid replay FILE` runs it again to the same bytes.\n{body}\n"
        )
    }

    /// Reads a recording's text; a damaged one, or one of another format, is refused with
    /// `file:line:column` and what was expected.
    pub fn from_text(text: &str, file: &str) -> Result<Self, String> {
        let recording: Recording = ron::Options::default()
            .from_str(text)
            .map_err(|e| {
                format!(
                    "{file}:{}:{}: error: {}; expected a recording written by `mindgrid run --record` or the window",
                    e.span.start.line.max(1),
                    e.span.start.col.max(1),
                    e.code
                )
            })?;
        if recording.format != RECORDING_FORMAT {
            return Err(format!(
                "{file}: error: the recording has format {}, and this mindgrid reads format {RECORDING_FORMAT}",
                recording.format
            ));
        }
        Ok(recording)
    }

    /// Writes it to `path`, atomically.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        write_atomically(path, self.to_text())
            .map_err(|e| format!("{}: cannot write the recording: {e}", path.display()))
    }

    /// Reads a recording file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{file}: cannot read the recording: {e}"))?;
        Self::from_text(&text, &file)
    }
}
