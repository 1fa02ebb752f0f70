//! Keyboard shortcuts: each key writes a command (Space play/pause, Right single step, +/- speed,
//! R reset, H help, F12 screenshot; edit and play keys are in `edit`).

use bevy::prelude::*;

use super::command::AppCommand;
use crate::command::Command;

/// What the keys toggle outside the simulation.
#[derive(Resource, Debug, Default)]
pub struct KeyRequests {
    /// The help overlay is open.
    pub help_open: bool,
    /// A screenshot was asked for (F12).
    pub screenshot: bool,
}

/// The keys and what they do, for the help overlay and the README.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("Right", "one step (pauses)"),
    ("Left", "one step back in time (when paused)"),
    ("+ / -", "faster / slower"),
    ("R", "reset every agent"),
    ("V", "value overlay on / off"),
    ("T", "trail on / off"),
    (
        "F",
        "arenas only (the caption stays in presenter mode) / all panels",
    ),
    ("Tab", "select the next arena"),
    ("E", "edit mode on / off (paint the map)"),
    ("Ctrl+Z / Ctrl+Y", "undo / redo an edit"),
    ("Ctrl+S", "save the map into the scene file"),
    ("Ctrl+Shift+S", "save as a new scene file"),
    ("Arrows / WASD", "move, when you play the selected arena"),
    (
        "Ctrl+= / Ctrl+- / Ctrl+0",
        "zoom in / out / back to 100 % (remembered)",
    ),
    ("F12", "save a screenshot (mindgrid-N.png)"),
    ("H", "this help"),
];

/// Whether a text field has the keyboard (a slider's number being typed): the keys are then
/// letters, not commands. The window sets it each frame.
#[derive(Resource, Debug, Default)]
pub struct Typing(pub bool);

/// Reads the keyboard each frame.
pub fn plugin(app: &mut App) {
    app.init_resource::<KeyRequests>()
        .init_resource::<Typing>()
        .init_resource::<Overlays>()
        .add_systems(Update, handle_keys.in_set(super::AppSystems::Input));
}

/// Which map overlays are drawn.
#[derive(Resource, Debug)]
pub struct Overlays {
    /// Value colours and greedy-action arrows of the selected agent's insight.
    pub values: bool,
    /// The fading trail of recent moves.
    pub trail: bool,
    /// Arenas only: the side panels and curves hidden (presenter mode keeps the caption).
    pub arenas_only: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            values: true,
            trail: true,
            arenas_only: false,
        }
    }
}

/// Whether Ctrl (or the command key) is held: the keys then make edit commands (`edit`).
pub fn command_held(keys: &ButtonInput<KeyCode>) -> bool {
    const COMMAND: [KeyCode; 4] = [
        KeyCode::ControlLeft,
        KeyCode::ControlRight,
        KeyCode::SuperLeft,
        KeyCode::SuperRight,
    ];
    // A quick Ctrl+S can press and release Ctrl within one frame: released this frame, it was
    // held with the letter.
    keys.any_pressed(COMMAND) || keys.any_just_released(COMMAND)
}

fn handle_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    typing: Res<Typing>,
    sim: Option<Res<super::sim::Sim>>,
    presenter: Option<Res<super::lesson::Presenter>>,
    mut commands: MessageWriter<AppCommand>,
) {
    let Some(keys) = keys.filter(|_| !typing.0) else {
        return;
    };
    // Ctrl combinations are edit commands; a person's arrows are moves, not single steps.
    let playing = sim.is_some_and(|sim| super::edit::person_selected(&sim));
    // In presenter mode Space and the arrows move between slides (a clicker sends them).
    let presenting = presenter.is_some();
    if command_held(&keys) {
        return;
    }
    let bindings: [(&[KeyCode], AppCommand); 12] = [
        (&[KeyCode::Space], AppCommand::TogglePlay),
        (&[KeyCode::ArrowRight], AppCommand::Step),
        (&[KeyCode::ArrowLeft], AppCommand::StepBack),
        (
            &[KeyCode::Equal, KeyCode::NumpadAdd],
            AppCommand::ChangeSpeed(1),
        ),
        (
            &[KeyCode::Minus, KeyCode::NumpadSubtract],
            AppCommand::ChangeSpeed(-1),
        ),
        (&[KeyCode::KeyR], Command::ResetAll.into()),
        (&[KeyCode::Tab], AppCommand::SelectNext),
        (&[KeyCode::KeyV], AppCommand::ToggleValues),
        (&[KeyCode::KeyT], AppCommand::ToggleTrail),
        (&[KeyCode::KeyF], AppCommand::ToggleArenasOnly),
        (&[KeyCode::KeyH], AppCommand::ToggleHelp),
        (&[KeyCode::F12], AppCommand::Screenshot),
    ];
    for (codes, command) in bindings {
        if (playing || presenting) && matches!(command, AppCommand::Step | AppCommand::StepBack)
            || presenting && command == AppCommand::TogglePlay
        {
            continue;
        }
        if keys.any_just_pressed(codes.iter().copied()) {
            commands.write(command);
        }
    }
}
