//! The key table: every shortcut once, with the situation it works in, what it does and its line
//! of help. The input system, the `H` help and the controls' tooltips all read it, so adding a
//! shortcut is one line here and the help cannot drift from what the keys do.

use bevy::prelude::*;

use super::command::{AppCommand, FileCommand, SlideCommand, ViewCommand};
use super::lesson::Presenter;
use super::sim::Sim;
use super::view::Typing;
use crate::command::Command;
use crate::stepping::Transport;
use crate::world::Action;
use Chord::{Ctrl, CtrlShift, Plain};
use KeyCode as K;

/// Which modifier keys a binding needs (Shift is free for plain keys: `+` is Shift+= on many
/// keyboards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chord {
    /// No Ctrl (or command key).
    Plain,
    /// Ctrl (or the command key), without Shift.
    Ctrl,
    /// Ctrl (or the command key) and Shift.
    CtrlShift,
}

/// The situation a binding works in: presenting a lesson or not, and whether the selected arena is
/// played by a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// Not presenting (in presenter mode a clicker's Space and arrows move between slides).
    Watching,
    /// Not presenting, and the selected arena is an agent's (a person's arrows are moves).
    Stepping,
    /// Not presenting, and the selected arena is played by a person.
    Playing,
    /// Presenting a lesson.
    Presenting,
}

impl When {
    /// Every situation, for the help's headings, in the order they are shown.
    pub const ALL: [When; 5] = [
        When::Always,
        When::Watching,
        When::Stepping,
        When::Playing,
        When::Presenting,
    ];

    /// Whether a binding of this kind works when `presenting` a lesson, with a `person` playing
    /// the selected arena.
    pub fn holds(self, presenting: bool, person: bool) -> bool {
        match self {
            When::Always => true,
            When::Watching => !presenting,
            When::Stepping => !presenting && !person,
            When::Playing => !presenting && person,
            When::Presenting => presenting,
        }
    }

    /// The help's heading for this situation.
    pub fn heading(self) -> &'static str {
        match self {
            When::Always => "Anywhere",
            When::Watching => "Watching (not presenting)",
            When::Stepping => "Watching an agent",
            When::Playing => "Playing an arena yourself",
            When::Presenting => "Presenting a lesson",
        }
    }
}

/// What a binding does.
#[derive(Clone, Debug, PartialEq)]
pub enum Does {
    /// Writes this command.
    Command(AppCommand),
    /// Moves the person in the selected arena ([`move_of`] says which way each key goes).
    Move,
    /// egui's own keys (the zoom), listed for the help; nothing to do here.
    Egui,
}

/// One shortcut.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The keys (any of them).
    pub keys: &'static [KeyCode],
    /// The modifiers they need.
    pub chord: Chord,
    /// When it works.
    pub when: When,
    /// What it does.
    pub does: Does,
    /// The keys as the help and the tooltips write them.
    pub label: &'static str,
    /// The help's line.
    pub help: &'static str,
}

const fn bind(
    keys: &'static [KeyCode],
    chord: Chord,
    when: When,
    does: Does,
    label: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        chord,
        when,
        does,
        label,
        help,
    }
}

const fn send(command: AppCommand) -> Does {
    Does::Command(command)
}

/// Every shortcut of the window, a line each.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(&[K::Space], Plain, When::Watching, send(AppCommand::Transport(Transport::TogglePlay)), "Space", "play / pause"),
    bind(&[K::ArrowRight], Plain, When::Stepping, send(AppCommand::Transport(Transport::Step)), "Right", "one step (pauses)"),
    bind(&[K::ArrowLeft], Plain, When::Stepping, send(AppCommand::Transport(Transport::StepBack)), "Left", "one step back in time (when paused)"),
    bind(&[K::Equal, K::NumpadAdd], Plain, When::Always, send(AppCommand::Transport(Transport::ChangeSpeed(1))), "+", "faster"),
    bind(&[K::Minus, K::NumpadSubtract], Plain, When::Always, send(AppCommand::Transport(Transport::ChangeSpeed(-1))), "-", "slower"),
    bind(&[K::KeyR], Plain, When::Always, send(AppCommand::Experiment(Command::ResetAll)), "R", "reset every agent"),
    bind(&[K::KeyV], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleValues)), "V", "value overlay on / off"),
    bind(&[K::KeyT], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleTrail)), "T", "trail on / off"),
    bind(&[K::KeyF], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleArenasOnly)), "F", "arenas only (the caption stays in presenter mode) / all panels"),
    bind(&[K::Tab], Plain, When::Always, send(AppCommand::View(ViewCommand::SelectNext)), "Tab", "select the next arena"),
    bind(&[K::KeyE], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleEdit)), "E", "edit mode on / off (paint the map)"),
    bind(&[K::KeyZ], Ctrl, When::Always, send(AppCommand::Experiment(Command::Undo)), "Ctrl+Z", "undo an edit"),
    bind(&[K::KeyY], Ctrl, When::Always, send(AppCommand::Experiment(Command::Redo)), "Ctrl+Y", "redo an edit"),
    bind(&[K::KeyZ], CtrlShift, When::Always, send(AppCommand::Experiment(Command::Redo)), "Ctrl+Shift+Z", "redo an edit"),
    bind(&[K::KeyS], Ctrl, When::Always, send(AppCommand::File(FileCommand::Save)), "Ctrl+S", "save the map into the scene file"),
    bind(&[K::KeyS], CtrlShift, When::Always, send(AppCommand::File(FileCommand::AskSaveAs)), "Ctrl+Shift+S", "save as a new scene file"),
    bind(&[], Ctrl, When::Always, Does::Egui, "Ctrl+= / Ctrl+- / Ctrl+0", "zoom in / out / back to 100 % (remembered)"),
    bind(&[K::F12], Plain, When::Always, send(AppCommand::File(FileCommand::Screenshot)), "F12", "save a screenshot (mindgrid-N.png)"),
    bind(&[K::KeyH], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleHelp)), "H", "this help"),
    bind(&[K::ArrowUp, K::ArrowRight, K::ArrowDown, K::ArrowLeft, K::KeyW, K::KeyD, K::KeyS, K::KeyA], Plain, When::Playing, Does::Move, "Arrows / WASD", "move"),
    bind(&[K::PageDown, K::Space, K::ArrowRight, K::ArrowDown], Plain, When::Presenting, send(AppCommand::Slide(SlideCommand::Next)), "Page Down / Space / Right / Down", "next slide"),
    bind(&[K::PageUp, K::ArrowLeft, K::ArrowUp], Plain, When::Presenting, send(AppCommand::Slide(SlideCommand::Previous)), "Page Up / Left / Up", "previous slide"),
    bind(&[K::KeyP], Plain, When::Presenting, send(AppCommand::Transport(Transport::TogglePlay)), "P", "play / pause"),
    bind(&[K::KeyB], Plain, When::Presenting, send(AppCommand::Slide(SlideCommand::ToggleBlank)), "B", "blank the screen / show it again"),
    bind(&[K::Escape], Plain, When::Presenting, send(AppCommand::Slide(SlideCommand::Leave)), "Esc", "leave (asks first: Esc again leaves, any other key stays)"),
];

/// The way a person's key moves them.
pub fn move_of(key: KeyCode) -> Option<Action> {
    match key {
        K::ArrowUp | K::KeyW => Some(Action::Up),
        K::ArrowRight | K::KeyD => Some(Action::Right),
        K::ArrowDown | K::KeyS => Some(Action::Down),
        K::ArrowLeft | K::KeyA => Some(Action::Left),
        _ => None,
    }
}

/// The keys that write `command` outside presenter mode, as the help writes them ("Space").
pub fn key_of(command: &AppCommand) -> Option<&'static str> {
    BINDINGS
        .iter()
        .find(|b| b.when != When::Presenting && b.does == Does::Command(command.clone()))
        .map(|b| b.label)
}

/// A tooltip that ends with the keys of `command`, if it has any: "Run the simulation (Space)".
pub fn hint(text: &str, command: impl Into<AppCommand>) -> String {
    match key_of(&command.into()) {
        Some(keys) => format!("{text} ({keys})"),
        None => text.to_owned(),
    }
}

/// Reads the keyboard each frame.
pub fn plugin(app: &mut App) {
    app.add_systems(Update, handle_keys.in_set(super::order::AppSystems::Input));
}

/// Whether Ctrl (or the command key) is held.
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

/// The chord held now.
fn chord_held(keys: &ButtonInput<KeyCode>) -> Chord {
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    match (command_held(keys), shift) {
        (false, _) => Chord::Plain,
        (true, false) => Chord::Ctrl,
        (true, true) => Chord::CtrlShift,
    }
}

fn handle_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    typing: Res<Typing>,
    sim: Option<Res<Sim>>,
    presenter: Option<Res<Presenter>>,
    mut commands: MessageWriter<AppCommand>,
) {
    let Some(keys) = keys.filter(|_| !typing.0) else {
        return;
    };
    // A stray Esc in front of a class must not end the lecture: after the first, any other key
    // stays (and does nothing else).
    if presenter.as_ref().is_some_and(|p| p.leaving)
        && keys.get_just_pressed().any(|&key| key != KeyCode::Escape)
    {
        commands.write(SlideCommand::Stay.into());
        return;
    }
    let presenting = presenter.is_some();
    let person = sim.as_deref().is_some_and(Sim::person_selected);
    let chord = chord_held(&keys);
    for binding in BINDINGS {
        if binding.chord != chord || !binding.when.holds(presenting, person) {
            continue;
        }
        for &key in binding.keys.iter().filter(|&&key| keys.just_pressed(key)) {
            match &binding.does {
                Does::Command(command) => {
                    commands.write(command.clone());
                    break; // once, however many of its keys went down together
                }
                Does::Move => {
                    if let (Some(sim), Some(action)) = (sim.as_deref(), move_of(key)) {
                        let arena = sim.selected;
                        commands.write(Command::Move { arena, action }.into());
                    }
                }
                Does::Egui => {}
            }
        }
    }
}
