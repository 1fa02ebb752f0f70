//! The window's settings that outlive a run: UI zoom (Ctrl+= / Ctrl+- / Ctrl+0) and the
//! high-contrast theme, kept in `settings.ron` under the user's config folder (in the browser, in
//! its local storage).

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
    /// The saved settings; defaults when there are none, or (with a warning) when they are
    /// damaged.
    pub fn load() -> Self {
        let Some(stored) = stored::read() else {
            return Self::default();
        };
        match stored {
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
                    warn!("{}: {e}; using the default settings", stored::place());
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
        let text =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()).unwrap_or_default();
        if let Err(e) = stored::write(&text) {
            warn!("{}: cannot save the settings: {e}", stored::place());
        }
    }
}

/// Where the settings are kept: a file on the desktop.
#[cfg(not(target_arch = "wasm32"))]
mod stored {
    /// The settings file's text: `None` when there is none.
    pub fn read() -> Option<Result<String, String>> {
        let file = crate::app::settings::path()?;
        file.exists()
            .then(|| crate::limits::read_text(&file, crate::limits::FileKind::Settings))
    }

    /// Writes the settings file, atomically.
    pub fn write(text: &str) -> Result<(), String> {
        let file = crate::app::settings::path()
            .ok_or("no config folder (neither $XDG_CONFIG_HOME nor $HOME)")?;
        if let Some(folder) = file.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        crate::scene::write_atomically(&file, text).map_err(|e| e.to_string())
    }

    /// Where they are, for messages.
    pub fn place() -> String {
        crate::app::settings::path().map_or_else(|| "settings".into(), |p| p.display().to_string())
    }
}

/// Where the settings are kept: the browser's local storage, under one key.
#[cfg(target_arch = "wasm32")]
mod stored {
    /// The key in local storage.
    const KEY: &str = "mindgrid.settings";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// The stored settings' text: `None` when there are none (or no storage).
    pub fn read() -> Option<Result<String, String>> {
        storage()?.get_item(KEY).ok().flatten().map(Ok)
    }

    /// Stores the settings.
    pub fn write(text: &str) -> Result<(), String> {
        let storage = storage().ok_or("the browser gives this page no local storage")?;
        storage
            .set_item(KEY, text)
            .map_err(|e| format!("the browser refused: {e:?}"))
    }

    /// Where they are, for messages.
    pub fn place() -> String {
        format!("the browser's local storage ({KEY})")
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
