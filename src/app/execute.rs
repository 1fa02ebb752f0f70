//! The one executor of the window's commands: it sits above everything a command touches (the
//! simulation, the scene file, the view, edit mode, clips, settings) and carries each group out in
//! order, at a step boundary. Presenter mode carries out the slides' group (`lesson`).

use std::path::PathBuf;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::capture::ScreenshotAsked;
#[cfg(not(target_arch = "wasm32"))]
use super::clip::{CLIP_FRAMES, ClipPlan};
use super::command::{AppCommand, FileCommand, ViewCommand};
use super::edit::Editing;
use super::notices::Notices;
use super::scene_file::{self, SceneFile};
use super::settings::Settings;
use super::sim::Sim;
use super::view::Overlays;
use crate::stepping::ToSim;

/// Runs the executor after the input and before the stepping.
pub fn plugin(app: &mut App) {
    app.init_resource::<ScreenshotAsked>().add_systems(
        Update,
        apply_commands.in_set(super::order::AppSystems::Apply),
    );
}

/// What the window's commands change, apart from the simulation.
#[derive(SystemParam)]
pub struct Targets<'w, 's> {
    file: Option<ResMut<'w, SceneFile>>,
    overlays: ResMut<'w, Overlays>,
    screenshot: ResMut<'w, ScreenshotAsked>,
    editing: ResMut<'w, Editing>,
    notices: ResMut<'w, Notices>,
    settings: Option<ResMut<'w, Settings>>,
    #[cfg(not(target_arch = "wasm32"))]
    clip: Option<Res<'w, ClipPlan>>,
    time: Res<'w, Time<Real>>,
    /// Starts clips, and lessons in the browser.
    world: Commands<'w, 's>,
}

/// Applies the window's commands in order.
fn apply_commands(
    mut commands: MessageReader<AppCommand>,
    mut sim: Option<ResMut<Sim>>,
    mut targets: Targets,
) {
    // The button and the file watcher in one frame read the file once.
    let mut reloaded = false;
    for command in commands.read() {
        match command {
            AppCommand::Experiment(command) => {
                if let Some(sim) = sim.as_deref_mut() {
                    sim.send(ToSim::Command(command.clone()));
                }
            }
            AppCommand::Transport(transport) => {
                if let Some(sim) = sim.as_deref_mut() {
                    sim.transport(*transport);
                }
            }
            AppCommand::View(view) => targets.view(view, sim.as_deref_mut()),
            AppCommand::File(file) => targets.file(file, sim.as_deref_mut(), &mut reloaded),
            // Presenter mode's, carried out by `lesson` after this.
            AppCommand::Slide(_) => {}
        }
    }
}

impl Targets<'_, '_> {
    /// What the window shows (a selection needs the simulation; the rest does not).
    fn view(&mut self, command: &ViewCommand, sim: Option<&mut Sim>) {
        let overlays = &mut self.overlays;
        match command {
            ViewCommand::ToggleValues => overlays.values = !overlays.values,
            ViewCommand::ToggleTrail => overlays.trail = !overlays.trail,
            ViewCommand::ToggleArenasOnly => overlays.arenas_only = !overlays.arenas_only,
            ViewCommand::ToggleHelp => overlays.help = !overlays.help,
            ViewCommand::ToggleContrast => {
                if let Some(settings) = self.settings.as_deref_mut() {
                    settings.high_contrast = !settings.high_contrast;
                }
            }
            ViewCommand::ToggleEdit => {
                self.editing.on = !self.editing.on;
                self.editing.stroke = None;
            }
            ViewCommand::Select(index) => {
                if let Some(sim) = sim {
                    sim.select(*index);
                }
            }
            ViewCommand::SelectNext => {
                if let Some(sim) = sim {
                    let next = (sim.selected + 1) % sim.frame().arenas.len().max(1);
                    sim.select(next);
                }
            }
            ViewCommand::InsightPanel(shown) => {
                if let Some(sim) = sim {
                    sim.insight_panel = *shown;
                }
            }
        }
    }

    /// Files: the scene file, checkpoints, recordings, screenshots and clips.
    fn file(&mut self, command: &FileCommand, sim: Option<&mut Sim>, reloaded: &mut bool) {
        if let FileCommand::Screenshot = command {
            self.screenshot.0 = true;
            return;
        }
        if let FileCommand::AskSaveAs = command {
            if let Some(file) = self.file.as_deref() {
                let suggestion = scene_file::save_as_suggestion(&file.path);
                self.editing.save_as = Some(suggestion.display().to_string());
            }
            return;
        }
        let (Some(sim), Some(file)) = (sim, self.file.as_deref_mut()) else {
            return;
        };
        match command {
            FileCommand::Screenshot | FileCommand::AskSaveAs => {}
            FileCommand::Reload => {
                if !*reloaded {
                    scene_file::reload(file, sim);
                    *reloaded = true;
                }
            }
            FileCommand::OpenScene(path) => {
                file.path = path.clone();
                // Another scene starts from its first arena: no selection carries over.
                if scene_file::reload(file, sim) {
                    sim.select(0);
                }
                *reloaded = true;
            }
            FileCommand::Save => self.save(sim, None),
            FileCommand::SaveAs(path) => self.save(sim, Some(path)),
            FileCommand::SaveCheckpoint => {
                let path = scene_file::beside(&file.path, "checkpoint", "ckpt");
                sim.send(ToSim::SaveCheckpoint(path));
            }
            FileCommand::SaveRecording => {
                let path = scene_file::beside(&file.path, "recording", "mgrec");
                let scene_text = file.built_from().unwrap_or_default().to_owned();
                sim.send(ToSim::SaveRecording { path, scene_text });
            }
            #[cfg(target_arch = "wasm32")]
            FileCommand::Clip { .. } => {
                let now = self.time.elapsed_secs_f64();
                let said = "GIF clips are made by the desktop app; the browser cannot encode them";
                self.notices.push(now, said, true);
            }
            #[cfg(target_arch = "wasm32")]
            FileCommand::Browse => super::web::browse(),
            #[cfg(target_arch = "wasm32")]
            FileCommand::Present(path) => match crate::lesson::load(path) {
                Ok(lesson) => {
                    self.world
                        .insert_resource(super::lesson::Presenter::new(lesson, 0));
                }
                Err(errors) => {
                    let now = self.time.elapsed_secs_f64();
                    self.notices.push(now, errors[0].to_string(), true);
                }
            },
            #[cfg(not(target_arch = "wasm32"))]
            FileCommand::Clip { arena } => {
                if self.clip.is_some() {
                    return; // one clip at a time
                }
                let tag = if *arena { "arena-clip" } else { "clip" };
                let path = scene_file::beside(&file.path, tag, "gif");
                let arena = arena.then_some(sim.selected);
                self.world
                    .insert_resource(ClipPlan::new(path, CLIP_FRAMES, 2, arena, false));
            }
        }
    }

    /// Writes the selected arena's map into the scene file, or `to` a new one; says how it went.
    fn save(&mut self, sim: &Sim, to: Option<&PathBuf>) {
        let (Some(file), Some(arena)) = (
            self.file.as_deref_mut(),
            sim.frame().arenas.get(sim.selected),
        ) else {
            return;
        };
        let now = self.time.elapsed_secs_f64();
        match scene_file::save(file, &arena.map.rows(), to.map(PathBuf::as_path)) {
            Ok(message) => {
                info!("{message}");
                self.notices.push(now, message, false);
                if to.is_some() {
                    self.editing.save_as = None;
                }
            }
            Err(reason) => {
                warn!("{reason}");
                self.notices.push(now, reason, true);
            }
        }
    }
}
