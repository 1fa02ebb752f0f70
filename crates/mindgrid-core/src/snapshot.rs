//! Snapshots and checkpoints: a whole experiment as bytes (worlds, agents with everything they
//! learned, optimiser and random-stream states, metrics, the command log and edit history), and the
//! versioned checkpoint file around them.

use std::path::Path;

use crate::experiment::{Experiment, Fnv1a};
use crate::scene::{Scene, write_atomically};

/// The first bytes of every checkpoint file.
pub const MAGIC: &[u8] = b"mindgrid checkpoint\n";
/// The checkpoint format this build writes and reads. Any change to what an experiment holds
/// (a field of an agent, a new brain kind in the middle of the registry) must raise it.
pub const FORMAT: u32 = 5;
/// The most bytes a snapshot may decode to: a damaged length can never ask for more memory.
pub const MOST_BYTES: usize = 1 << 31;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MOST_BYTES>()
}

/// A deep copy of anything that snapshots write (an arena with its agent, for a fork).
pub(crate) fn copy<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> Option<T> {
    let bytes = bincode::serde::encode_to_vec(value, config()).ok()?;
    bincode::serde::decode_from_slice(&bytes, config())
        .ok()
        .map(|(copy, _)| copy)
}

impl Experiment {
    /// The whole experiment as bytes: restoring them gives an experiment that steps on to the same
    /// numbers as this one.
    pub fn snapshot(&self) -> Vec<u8> {
        // Serialising plain data into memory cannot fail; an empty snapshot would be refused on
        // restore rather than restore something else.
        bincode::serde::encode_to_vec(self, config()).unwrap_or_default()
    }

    /// The experiment a snapshot holds; a damaged one, or one whose parts do not fit together
    /// ([`Experiment::check`]), is refused with the reason.
    pub fn restore(bytes: &[u8]) -> Result<Experiment, String> {
        let mut experiment = Self::decode(bytes)?;
        // Checked before anything runs on it (even what a restore recomputes).
        experiment.check().map_err(|e| {
            format!(
                "the saved experiment is not one mindgrid could have made: {e}; nothing was loaded"
            )
        })?;
        experiment.after_restore();
        Ok(experiment)
    }

    /// [`Experiment::restore`] without the consistency check, for snapshots this process made
    /// itself (the timeline's), which only a bug could make inconsistent.
    pub(crate) fn restore_trusted(bytes: &[u8]) -> Result<Experiment, String> {
        let mut experiment = Self::decode(bytes)?;
        experiment.after_restore();
        Ok(experiment)
    }

    /// The experiment a snapshot's bytes decode to, whole and with nothing after its end.
    fn decode(bytes: &[u8]) -> Result<Experiment, String> {
        let (experiment, read): (Experiment, usize) =
            bincode::serde::decode_from_slice(bytes, config())
                .map_err(|e| format!("the saved experiment is damaged: {e}"))?;
        if read != bytes.len() {
            return Err(format!(
                "the saved experiment is damaged: {} bytes follow its end",
                bytes.len() - read
            ));
        }
        Ok(experiment)
    }
}

/// A checkpoint of `experiment` as bytes: the magic line, the format, a checksum of the snapshot
/// (so that a flipped or missing byte is found, not trusted), then the snapshot.
pub fn checkpoint_bytes(experiment: &Experiment) -> Vec<u8> {
    let snapshot = experiment.snapshot();
    let mut bytes = MAGIC.to_vec();
    bytes.extend(FORMAT.to_le_bytes());
    bytes.extend(checksum(&snapshot).to_le_bytes());
    bytes.extend(snapshot);
    bytes
}

fn checksum(snapshot: &[u8]) -> u64 {
    let mut hash = Fnv1a::new();
    hash.eat(snapshot);
    hash.0
}

/// Writes a checkpoint of `experiment` to `path` ([`checkpoint_bytes`]). Atomic: a crash during
/// the save never leaves a broken file.
pub fn save_checkpoint(path: &Path, experiment: &Experiment) -> Result<(), String> {
    write_atomically(path, checkpoint_bytes(experiment))
        .map_err(|e| format!("{}: cannot write the checkpoint: {e}", path.display()))
}

/// Reads a checkpoint file; with `scene`, refuses one made from any other scene. Every failure
/// (missing, truncated, corrupted, foreign, another format, another scene) is a message naming
/// the file and what was expected.
pub fn load_checkpoint(path: &Path, scene: Option<&Scene>) -> Result<Experiment, String> {
    let name = path.display();
    let bytes = crate::limits::read_limited(path, crate::limits::FileKind::Checkpoint)?;
    checkpoint_from_bytes(&bytes, scene).map_err(|e| format!("{name}: {e}"))
}

/// [`load_checkpoint`] on bytes already read.
pub fn checkpoint_from_bytes(bytes: &[u8], scene: Option<&Scene>) -> Result<Experiment, String> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err("not a mindgrid checkpoint (it does not start with \"mindgrid checkpoint\"); expected a file written by --save-checkpoint or the window's checkpoint button".into());
    };
    let Some((format, snapshot)) = rest.split_first_chunk::<4>() else {
        return Err("the checkpoint is truncated: it ends before its format number".into());
    };
    let format = u32::from_le_bytes(*format);
    if format != FORMAT {
        return Err(format!(
            "the checkpoint has format {format}, and this mindgrid reads format {FORMAT}; re-create it with this version"
        ));
    }
    let Some((sum, snapshot)) = snapshot.split_first_chunk::<8>() else {
        return Err("the checkpoint is truncated: it ends before its checksum".into());
    };
    if u64::from_le_bytes(*sum) != checksum(snapshot) {
        return Err("the checkpoint is damaged (truncated or corrupted: its checksum does not match); nothing was loaded".into());
    }
    let experiment = Experiment::restore(snapshot)?;
    if let Some(scene) = scene
        && !experiment.made_from(scene)
    {
        return Err(format!(
            "the checkpoint was made from another scene (\"{}\"), not this one (\"{}\"), or from an earlier version of this scene file",
            experiment.scene().title,
            scene.title
        ));
    }
    Ok(experiment)
}
