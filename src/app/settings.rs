//! The window's settings that outlive a run: UI zoom (Ctrl+= / Ctrl+- / Ctrl+0) and the
//! high-contrast theme, kept in `settings.ron` under the user's config folder.

use std::path::PathBuf;

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

/// What is remembered between runs.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// egui's zoom factor (1 is 100 %).
    pub zoom: f32,
    /// White text on black, thicker lines: for projectors that wash colours out.
    pub high_contrast: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            high_contrast: false,
        }
    }
}

/// Where settings live: `$MINDGRID_CONFIG`, else `$XDG_CONFIG_HOME/mindgrid/settings.ron`, else
/// `~/.config/mindgrid/settings.ron`.
pub fn path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os("MINDGRID_CONFIG") {
        return Some(file.into());
    }
    let folder = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(folder.join("mindgrid").join("settings.ron"))
}

impl Settings {
    /// The saved settings; defaults when there are none, or (with a warning) when the file is
    /// damaged.
    pub fn load() -> Self {
        let Some(file) = path() else {
            return Self::default();
        };
        if !file.exists() {
            return Self::default();
        }
        match crate::limits::read_text(&file, crate::limits::FileKind::Settings) {
            Ok(text) => ron::from_str::<Settings>(&text)
                .map(|mut settings| {
                    // A hand-edited or damaged zoom stays within what egui can draw.
                    settings.zoom = if settings.zoom.is_finite() {
                        settings.zoom.clamp(0.25, 4.0)
                    } else {
                        1.0
                    };
                    settings
                })
                .unwrap_or_else(|e| {
                    warn!("{}: {e}; using the default settings", file.display());
                    Self::default()
                }),
            Err(e) => {
                warn!(
                    "{}; using the default settings",
                    crate::limits::printable(&e)
                );
                Self::default()
            }
        }
    }

    /// Writes the settings (atomically); a failure is a warning, never an interruption.
    pub fn save(&self) {
        let Some(file) = path() else { return };
        if let Some(folder) = file.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()).unwrap_or_default();
        if let Err(e) = crate::scene::write_atomically(&file, text) {
            warn!("{}: cannot save the settings: {e}", file.display());
        }
    }
}

/// Loads the settings and saves them whenever they change.
pub fn plugin(app: &mut App) {
    app.insert_resource(Settings::load())
        .add_systems(Last, save_changes);
}

fn save_changes(settings: Res<Settings>, mut saved: Local<Option<Settings>>) {
    match saved.as_ref() {
        None => *saved = Some(settings.clone()),
        Some(last) if last != settings.as_ref() => {
            settings.save();
            *saved = Some(settings.clone());
        }
        Some(_) => {}
    }
}
