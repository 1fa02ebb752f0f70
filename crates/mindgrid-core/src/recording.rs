//! Recordings: a session as a small text file (the scene's text, its seed, the command log and how
//! far it ran) that replays to the same bytes, headless or in the window.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::command::LoggedCommand;
use crate::experiment::Experiment;
use crate::limits::{FileKind, MAX_RUN_EPISODES, MAX_RUN_STEPS, read_text};
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
        self.replay_reporting(file, &mut |_| {})
    }

    /// [`Recording::replay`], telling `progress` how far it got (lockstep steps, or episodes of
    /// all arenas) as it goes; [`Recording::length`] is where it ends.
    pub fn replay_reporting(
        &self,
        file: &str,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Experiment, String> {
        self.check().map_err(|e| format!("{file}: error: {e}"))?;
        let scene = self.scene(file)?;
        let mut experiment = Experiment::new(scene);
        match self.until {
            Until::Steps(steps) => experiment.replay_onto_reporting(&self.log, steps, progress),
            Until::Episodes(episodes) => {
                let mut done = 0;
                experiment.run_episodes(episodes, |n| {
                    done += n;
                    progress(done);
                });
            }
        }
        Ok(experiment)
    }

    /// How far a replay goes, in what [`Recording::replay_reporting`] reports: lockstep steps, or
    /// episodes of all arenas.
    pub fn length(&self) -> u64 {
        match self.until {
            Until::Steps(steps) => steps,
            Until::Episodes(episodes) => {
                let arenas = scene::parse(&self.scene, "").map_or(0, |l| l.scene.agents.len());
                u64::from(episodes) * arenas as u64
            }
        }
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
        recording
            .check()
            .map_err(|e| format!("{file}: error: {e}"))?;
        Ok(recording)
    }

    /// Whether its length is within the limits a replay may run ([`MAX_RUN_STEPS`] lockstep
    /// steps, or 1 to [`MAX_RUN_EPISODES`] episodes), so that no recording runs without end.
    pub fn check(&self) -> Result<(), String> {
        match self.until {
            Until::Steps(steps) if steps > MAX_RUN_STEPS => Err(format!(
                "the recording runs {steps} steps; a recording may run at most {MAX_RUN_STEPS}"
            )),
            Until::Episodes(episodes) if episodes == 0 || episodes > MAX_RUN_EPISODES => Err(
                format!("the recording runs {episodes} episodes; expected 1 to {MAX_RUN_EPISODES}"),
            ),
            _ => Ok(()),
        }
    }

    /// Writes it to `path`, atomically; a session longer than a replay may run is refused.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        self.check()
            .map_err(|e| format!("{}: cannot write the recording: {e}", path.display()))?;
        write_atomically(path, self.to_text())
            .map_err(|e| format!("{}: cannot write the recording: {e}", path.display()))
    }

    /// Reads a recording file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = read_text(path, FileKind::Recording)?;
        Self::from_text(&text, &path.display().to_string())
    }
}
