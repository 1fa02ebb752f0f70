//! The window's one way to change anything: keys, buttons, sliders and panels write [`AppCommand`]
//! messages, and one system applies them, in order, at a step boundary.

use std::path::PathBuf;

use bevy::prelude::*;

use super::edit::{Editing, Notices};
use super::keys::{KeyRequests, Overlays};
use super::scene_file::{self, SceneFile};
use super::sim::Sim;
use super::stepper::ToSim;
use crate::command::Command;

/// A change asked for in the window. Changes to the experiment's numbers are [`Command`]s, which
/// the experiment logs with their step; the rest change only how it is driven or shown.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum AppCommand {
    /// A change to the experiment (logged with its step, replayable headless).
    Experiment(Command),
    /// Play or pause.
    TogglePlay,
    /// One step of every arena, then pause.
    Step,
    /// A speed from [`super::stepper::Speed::LADDER`], by index.
    SetSpeed(usize),
    /// That many rungs faster (negative: slower).
    ChangeSpeed(i32),
    /// Show arena `i`'s agent in the side panels.
    Select(usize),
    /// Show the next arena's agent.
    SelectNext,
    /// The insight panel is shown, or not (a scene's or a slide's panels).
    InsightPanel(bool),
    /// Read the scene file again.
    Reload,
    /// Open another scene file.
    OpenScene(PathBuf),
    /// Value overlay on or off.
    ToggleValues,
    /// Trail on or off.
    ToggleTrail,
    /// The keys' help on or off.
    ToggleHelp,
    /// Save a screenshot.
    Screenshot,
    /// Edit mode on or off.
    ToggleEdit,
    /// Write the selected arena's map into the scene file (rows only).
    Save,
    /// Open the Save-as field.
    AskSaveAs,
    /// Write the scene with the selected arena's map to a new file, which becomes the open one.
    SaveAs(PathBuf),
    /// Go to this step of the timeline (paused there).
    Seek(u64),
    /// One step back in time (when paused).
    StepBack,
    /// Back to the live edge of the timeline.
    SeekLive,
    /// Save a checkpoint of the experiment next to the scene file.
    SaveCheckpoint,
    /// Save a recording of the session next to the scene file.
    SaveRecording,
    /// Record a GIF of the next frames next to the scene file: of the selected arena, or the
    /// whole window.
    Clip {
        /// Only the selected arena.
        arena: bool,
    },
    /// Presenter mode: the next slide.
    NextSlide,
    /// Presenter mode: the previous slide.
    PreviousSlide,
    /// Presenter mode: slide `i` (0 is the first).
    GoToSlide(usize),
    /// Presenter mode: blank the screen, or show it again.
    ToggleBlank,
    /// Presenter mode: the class picks this choice of the prediction.
    Choose(usize),
    /// Presenter mode: show the prediction's answer, and play the run that shows it.
    RevealAnswer,
    /// Arenas only (the side panels and curves hidden), or every panel again.
    ToggleArenasOnly,
    /// Presenter mode: stay, after Esc asked whether to leave.
    StayPresenting,
    /// The high-contrast theme on or off (remembered between runs).
    ToggleContrast,
}

impl From<Command> for AppCommand {
    fn from(command: Command) -> Self {
        AppCommand::Experiment(command)
    }
}

/// Frames a clip from the window's button holds (every other rendered frame: about ten seconds
/// at this machine's frame rates).
pub const CLIP_FRAMES: u32 = 150;

/// Registers the message and the system that applies it.
pub fn plugin(app: &mut App) {
    app.add_message::<AppCommand>()
        .add_systems(Update, apply_commands.in_set(super::AppSystems::Apply));
}

/// Applies the window's commands in order (`pub` so presenter mode can run after it).
pub fn apply_commands(
    mut commands: MessageReader<AppCommand>,
    mut sim: Option<ResMut<Sim>>,
    mut file: Option<ResMut<SceneFile>>,
    mut overlays: ResMut<Overlays>,
    mut requests: ResMut<KeyRequests>,
    mut editing: ResMut<Editing>,
    mut notices: ResMut<Notices>,
    time: Res<Time<Real>>,
    clip: Option<Res<super::clip::ClipPlan>>,
    mut world: Commands,
    mut settings: Option<ResMut<super::settings::Settings>>,
) {
    let mut reloaded = false;
    for command in commands.read() {
        // What changes only the view needs no simulation.
        match command {
            AppCommand::ToggleValues => overlays.values = !overlays.values,
            AppCommand::ToggleTrail => overlays.trail = !overlays.trail,
            AppCommand::ToggleArenasOnly => overlays.arenas_only = !overlays.arenas_only,
            AppCommand::ToggleHelp => requests.help_open = !requests.help_open,
            AppCommand::Screenshot => requests.screenshot = true,
            AppCommand::ToggleContrast => {
                if let Some(settings) = settings.as_deref_mut() {
                    settings.high_contrast = !settings.high_contrast;
                }
            }
            AppCommand::ToggleEdit => {
                editing.on = !editing.on;
                editing.stroke = None;
            }
            AppCommand::AskSaveAs => {
                if let Some(file) = file.as_deref() {
                    let suggestion = scene_file::save_as_suggestion(&file.path);
                    editing.save_as = Some(suggestion.display().to_string());
                }
            }
            _ => {}
        }
        let Some(sim) = sim.as_deref_mut() else {
            continue;
        };
        match command {
            AppCommand::Experiment(command) => sim.send(ToSim::Command(command.clone())),
            AppCommand::TogglePlay => sim.send(ToSim::TogglePlay),
            AppCommand::Step => sim.send(ToSim::Step),
            AppCommand::RevealAnswer => sim.send(ToSim::Play),
            AppCommand::SetSpeed(index) => sim.set_speed(*index),
            AppCommand::ChangeSpeed(by) => sim.change_speed(*by),
            AppCommand::Select(index) => sim.select(*index),
            AppCommand::InsightPanel(shown) => sim.insight_panel = *shown,
            AppCommand::SelectNext => {
                let next = (sim.selected + 1) % sim.snapshot().arenas.len().max(1);
                sim.select(next);
            }
            // The button and the file watcher in one frame read the file once.
            AppCommand::Reload if !reloaded => {
                if let Some(file) = file.as_deref_mut() {
                    scene_file::reload(file, sim);
                    reloaded = true;
                }
            }
            AppCommand::Save | AppCommand::SaveAs(_) => {
                let (Some(file), Some(arena)) =
                    (file.as_deref_mut(), sim.snapshot().arenas.get(sim.selected))
                else {
                    continue;
                };
                let to = match command {
                    AppCommand::SaveAs(path) => Some(path.as_path()),
                    _ => None,
                };
                let now = time.elapsed_secs_f64();
                match scene_file::save(file, &arena.map.rows(), to) {
                    Ok(message) => {
                        info!("{message}");
                        notices.push(now, message, false);
                        if to.is_some() {
                            editing.save_as = None;
                        }
                    }
                    Err(reason) => {
                        warn!("{reason}");
                        notices.push(now, reason, true);
                    }
                }
            }
            AppCommand::Seek(step) => sim.send(ToSim::Seek(*step)),
            AppCommand::StepBack => {
                let snapshot = sim.snapshot();
                if !snapshot.playing && snapshot.steps > 0 {
                    let back = snapshot.steps - 1;
                    sim.send(ToSim::Seek(back));
                }
            }
            AppCommand::SeekLive => {
                let frontier = sim.snapshot().timeline.frontier;
                sim.send(ToSim::Seek(frontier));
            }
            AppCommand::SaveCheckpoint | AppCommand::SaveRecording => {
                let Some(file) = file.as_deref() else {
                    continue;
                };
                let (tag, extension, checkpoint) = match command {
                    AppCommand::SaveCheckpoint => ("checkpoint", "ckpt", true),
                    _ => ("recording", "mgrec", false),
                };
                let path = scene_file::beside(&file.path, tag, extension);
                sim.send(if checkpoint {
                    ToSim::SaveCheckpoint(path)
                } else {
                    ToSim::SaveRecording {
                        path,
                        scene_text: file.built_from().unwrap_or_default().to_owned(),
                    }
                });
            }
            AppCommand::Clip { arena } if clip.is_none() => {
                let Some(file) = file.as_deref() else {
                    continue;
                };
                let tag = if *arena { "arena-clip" } else { "clip" };
                let path = scene_file::beside(&file.path, tag, "gif");
                let arena = arena.then_some(sim.selected);
                world.insert_resource(super::clip::ClipPlan::new(
                    path,
                    CLIP_FRAMES,
                    2,
                    arena,
                    false,
                ));
            }
            AppCommand::OpenScene(path) => {
                if let Some(file) = file.as_deref_mut() {
                    file.path = path.clone();
                    scene_file::reload(file, sim);
                    reloaded = true;
                }
            }
            _ => {}
        }
    }
}
