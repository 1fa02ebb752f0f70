//! The window's one way to change anything: keys, buttons, sliders and panels write [`AppCommand`]
//! messages, and one system applies them, in order, at a step boundary.

use std::path::PathBuf;

use bevy::prelude::*;

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
}

impl From<Command> for AppCommand {
    fn from(command: Command) -> Self {
        AppCommand::Experiment(command)
    }
}

/// Registers the message and the system that applies it.
pub fn plugin(app: &mut App) {
    app.add_message::<AppCommand>()
        .add_systems(Update, apply_commands.in_set(super::AppSystems::Apply));
}

fn apply_commands(
    mut commands: MessageReader<AppCommand>,
    sim: Option<ResMut<Sim>>,
    file: Option<ResMut<SceneFile>>,
    mut overlays: ResMut<Overlays>,
    mut requests: ResMut<KeyRequests>,
) {
    let Some(mut sim) = sim else {
        commands.clear();
        return;
    };
    let mut file = file;
    for command in commands.read() {
        match command {
            AppCommand::Experiment(command) => sim.send(ToSim::Command(command.clone())),
            AppCommand::TogglePlay => sim.send(ToSim::TogglePlay),
            AppCommand::Step => sim.send(ToSim::Step),
            AppCommand::SetSpeed(index) => sim.set_speed(*index),
            AppCommand::ChangeSpeed(by) => sim.change_speed(*by),
            AppCommand::Select(index) => sim.select(*index),
            AppCommand::SelectNext => {
                let next = (sim.selected + 1) % sim.snapshot().arenas.len().max(1);
                sim.select(next);
            }
            AppCommand::Reload => {
                if let Some(file) = file.as_deref_mut() {
                    scene_file::reload(file, &mut sim);
                }
            }
            AppCommand::OpenScene(path) => {
                if let Some(file) = file.as_deref_mut() {
                    file.path = path.clone();
                    scene_file::reload(file, &mut sim);
                }
            }
            AppCommand::ToggleValues => overlays.values = !overlays.values,
            AppCommand::ToggleTrail => overlays.trail = !overlays.trail,
            AppCommand::ToggleHelp => requests.help_open = !requests.help_open,
            AppCommand::Screenshot => requests.screenshot = true,
        }
    }
}
