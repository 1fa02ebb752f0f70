//! The open scene file: loading, the scene picker's list, and hot reload when the file is saved.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bevy::prelude::*;

use super::command::{AppCommand, FileCommand};
use super::sim::Sim;
use crate::scene::{self, Diagnostic};
use crate::stepping::ToSim;

/// How often the scene file's modification time is checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The scene file being shown and what its last load said.
#[derive(Resource, Debug)]
pub struct SceneFile {
    /// The file.
    pub path: PathBuf,
    /// Its modification time when last read or written.
    modified: Option<SystemTime>,
    /// Its text when last loaded or saved: a change on disk to anything else is someone else's
    /// (hot reload, and Save refuses to overwrite it); the app's own save is not.
    text: Option<String>,
    /// Its text when the running experiment was built from it (a recording holds this one: a
    /// save since only wrote edits the log already replays).
    built_from: Option<String>,
    /// Errors of the last failed load (the last good scene keeps running); empty when it loaded.
    pub errors: Vec<Diagnostic>,
    /// Warnings of the scene running now.
    pub warnings: Vec<Diagnostic>,
    /// How many times the scene was (re)loaded successfully.
    pub loads: u32,
    /// The window shows a recording: its scene is inside it, so there is no scene file to reload
    /// or save the map into (Save as still writes a scene).
    pub recording: bool,
    /// The file is gone (deleted or renamed while open); the last scene keeps running and the
    /// file is read again when it returns.
    pub missing: bool,
    since_poll: Duration,
}

impl SceneFile {
    /// The scene text the running experiment was built from (what a recording must hold).
    pub fn built_from(&self) -> Option<&str> {
        self.built_from.as_deref()
    }

    /// Tracks `path`, whose scene was just loaded from `text` with `warnings`.
    pub fn new(path: PathBuf, warnings: Vec<Diagnostic>, text: String) -> Self {
        let modified = modified_time(&path);
        let text = Some(text);
        Self {
            built_from: text.clone(),
            text,
            path,
            modified,
            errors: Vec::new(),
            warnings,
            loads: 1,
            recording: false,
            missing: false,
            since_poll: Duration::ZERO,
        }
    }

    /// A recording being shown: `scene_text` is the scene it holds.
    pub fn of_recording(path: PathBuf, scene_text: String) -> Self {
        Self {
            recording: true,
            ..Self::new(path, Vec::new(), scene_text)
        }
    }

    /// A one-line status for the status bar.
    pub fn status(&self) -> String {
        if self.recording {
            return "a recording: drag the timeline to any of its steps".into();
        }
        if self.missing {
            return "hot reload: the scene file is missing (still running the last scene)".into();
        }
        // The browser has no disk to watch: a scene changes there when one is opened.
        let what = if super::window::IN_BROWSER {
            "scene"
        } else {
            "hot reload"
        };
        match self.errors.first() {
            Some(e) => format!("{what}: error at {}:{}", e.position.line, e.position.column),
            None => format!("{what}: ok ({} loads)", self.loads),
        }
    }
}

fn modified_time(path: &Path) -> Option<SystemTime> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::fs::metadata(path).and_then(|m| m.modified()).ok()
    }
    // The browser's folder keeps no times (and nothing changes in it behind the app's back).
    #[cfg(target_arch = "wasm32")]
    {
        crate::files::exists(path).then_some(SystemTime::UNIX_EPOCH)
    }
}

/// The `.ron` scenes next to the open one (and in `scenes/`), for the picker, sorted by name.
pub fn scene_list(current: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("scenes")];
    if let Some(parent) = current.parent().filter(|p| !p.as_os_str().is_empty()) {
        dirs.push(parent.to_path_buf());
    }
    let mut found: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| crate::files::list(dir))
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    found.sort_by_key(|p| p.file_name().map(|n| n.to_owned()));
    let same = |p: &Path| p.canonicalize().unwrap_or_else(|_| crate::files::tidy(p));
    found.dedup_by(|a, b| same(a) == same(b));
    found
}

/// Watches the scene file and asks for a reload when it changes.
pub fn plugin(app: &mut App) {
    // The browser's files change only when the app writes or opens one: nothing to watch.
    if !super::window::IN_BROWSER {
        app.add_systems(
            Update,
            watch_scene_file.in_set(super::order::AppSystems::Input),
        );
    }
}

fn watch_scene_file(
    time: Res<Time>,
    file: Option<ResMut<SceneFile>>,
    mut commands: MessageWriter<AppCommand>,
) {
    let Some(mut file) = file.filter(|f| !f.recording) else {
        return;
    };
    file.since_poll += time.delta();
    if file.since_poll < POLL_INTERVAL {
        return;
    }
    file.since_poll = Duration::ZERO;
    let modified = modified_time(&file.path);
    if modified.is_none() {
        if !file.missing {
            warn!(
                "{} is missing; the last scene keeps running",
                file.path.display()
            );
            file.missing = true;
        }
        return;
    }
    if file.missing || modified != file.modified {
        // Read it once per change, even if the reload fails.
        file.modified = modified;
        let ours = file.text.is_some() && read_scene_text(&file.path) == file.text;
        if file.missing || !ours {
            commands.write(FileCommand::Reload.into());
        }
        file.missing = false;
    }
}

/// The scene file's text now (at most a scene's size limit), if it can be read.
fn read_scene_text(path: &Path) -> Option<String> {
    crate::limits::read_text(path, crate::limits::FileKind::Scene).ok()
}

/// Loads the scene file: on success the experiment restarts with it; on failure the errors are
/// kept for the banner and the last good scene keeps running. Says whether it loaded.
pub fn reload(file: &mut SceneFile, sim: &mut Sim) -> bool {
    file.modified = modified_time(&file.path);
    file.missing = file.modified.is_none();
    match scene::load(&file.path) {
        Ok(loaded) => {
            // The text that was parsed, read once: what a recording of this run holds.
            file.built_from = Some(loaded.text.clone());
            file.text = Some(loaded.text);
            info!("loaded {}", file.path.display());
            sim.send(ToSim::Replace(Box::new(loaded.scene)));
            file.errors.clear();
            file.warnings = loaded.warnings;
            file.loads += 1;
            true
        }
        Err(errors) => {
            for e in &errors {
                warn!("{e}");
            }
            file.errors = errors;
            false
        }
    }
}

/// Writes `rows` (the selected arena's edited map) into the scene file, changing only the map's
/// rows, or, with `to`, into a new file (the open file's text with those rows) that becomes the
/// open one. Refused when the open file changed on disk since it was loaded (nothing is
/// overwritten silently) or `to` exists already. Atomic; not seen as an outside edit by hot
/// reload. Returns what to tell the user.
pub fn save(file: &mut SceneFile, rows: &[String], to: Option<&Path>) -> Result<String, String> {
    if file.recording && to.is_none() {
        return Err(
            "this is a recording, not a scene file: use Save as to write its scene with this map"
                .into(),
        );
    }
    let on_disk = read_scene_text(&file.path);
    let Some(text) = file.text.clone() else {
        return Err(format!(
            "{} could not be read when it was opened; use Save as",
            file.path.display()
        ));
    };
    if to.is_none() && on_disk.as_ref() != Some(&text) {
        return Err(format!(
            "{} changed on disk since it was loaded; nothing was overwritten (reload it, or use Save as)",
            file.path.display()
        ));
    }
    let target = to.unwrap_or(&file.path).to_path_buf();
    if to.is_some() && crate::files::exists(&target) {
        return Err(format!(
            "{} exists already; choose another name",
            target.display()
        ));
    }
    let saved = scene::with_rows(&text, &target.display().to_string(), rows)?;
    scene::write_atomically(&target, &saved)
        .map_err(|e| format!("{}: cannot write the scene: {e}", target.display()))?;
    file.path = target;
    file.text = Some(saved);
    file.modified = modified_time(&file.path);
    file.missing = false;
    Ok(format!("saved the map to {}", file.path.display()))
}

/// A new file's name next to `current`: `NAME-TAG.EXT`, then `NAME-TAG-2.EXT`, ... (never one
/// that exists).
pub fn beside(current: &Path, tag: &str, extension: &str) -> PathBuf {
    let folder = current
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let stem = current
        .file_stem()
        .map_or_else(|| "scene".into(), |s| s.to_string_lossy().into_owned());
    (1..)
        .map(|n| match n {
            1 => folder.join(format!("{stem}-{tag}.{extension}")),
            n => folder.join(format!("{stem}-{tag}-{n}.{extension}")),
        })
        .find(|p| !crate::files::exists(p))
        .unwrap_or_else(|| folder.join(format!("{stem}-{tag}.{extension}")))
}

/// A name for Save as next to the open file: `NAME-edited.ron`, then `NAME-edited-2.ron`, ...
/// (an edited file's name is not edited again: `NAME-edited-2.ron` suggests `NAME-edited-3.ron`).
pub fn save_as_suggestion(current: &Path) -> PathBuf {
    let stem = current
        .file_stem()
        .map_or_else(|| "scene".into(), |s| s.to_string_lossy().into_owned());
    let stem = stem
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
        .trim_end_matches("-edited");
    beside(
        &current.with_file_name(format!("{stem}.ron")),
        "edited",
        "ron",
    )
}
