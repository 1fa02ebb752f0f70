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
    NotPresenting,
    /// Not presenting, and the selected arena is an agent's (a person's arrows are moves).
    AgentSelected,
    /// Not presenting, and the selected arena is played by a person.
    PersonSelected,
    /// Presenting a lesson.
    Presenting,
}

impl When {
    /// Every situation, for the help's headings, in the order they are shown.
    pub const ALL: [When; 5] = [
        When::NotPresenting,
        When::AgentSelected,
        When::Always,
        When::PersonSelected,
        When::Presenting,
    ];

    /// Whether a binding of this kind works when `presenting` a lesson, with a `person` playing
    /// the selected arena.
    pub fn holds(self, presenting: bool, person: bool) -> bool {
        match self {
            When::Always => true,
            When::NotPresenting => !presenting,
            When::AgentSelected => !presenting && !person,
            When::PersonSelected => !presenting && person,
            When::Presenting => presenting,
        }
    }

    /// The help's heading for this situation.
    pub fn heading(self) -> &'static str {
        match self {
            When::Always => "Anywhere",
            When::NotPresenting => "When not presenting",
            When::AgentSelected => "When an agent's arena is selected",
            When::PersonSelected => "When you play the selected arena",
            When::Presenting => "When presenting a lesson",
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
    bind(&[K::Space], Plain, When::NotPresenting, send(AppCommand::Transport(Transport::TogglePlay)), "Space", "play / pause"),
    bind(&[K::ArrowRight], Plain, When::AgentSelected, send(AppCommand::Transport(Transport::Step)), "Right", "one step (pauses)"),
    bind(&[K::ArrowLeft], Plain, When::AgentSelected, send(AppCommand::Transport(Transport::StepBack)), "Left", "one step back in time (when paused)"),
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
    bind(&[K::KeyH], Plain, When::Always, send(AppCommand::View(ViewCommand::ToggleHelp)), "H", "this help: the keys that work now"),
    bind(&[K::ArrowUp, K::ArrowRight, K::ArrowDown, K::ArrowLeft, K::KeyW, K::KeyD, K::KeyS, K::KeyA], Plain, When::PersonSelected, Does::Move, "Arrows / WASD", "move"),
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

/// The keys that write `command` in `situation`, as the help writes them ("Space").
pub fn key_of(command: &AppCommand, situation: Situation) -> Option<&'static str> {
    BINDINGS
        .iter()
        .find(|b| {
            b.when.holds(situation.presenting, situation.person)
                && b.does == Does::Command(command.clone())
        })
        .map(|b| b.label)
}

/// A tooltip that ends with the keys of `command` in `situation`, if it has any there: "Run the
/// simulation (Space)" (in presenter mode Space moves to the next slide, and P plays).
pub fn hint(text: &str, command: impl Into<AppCommand>, situation: Situation) -> String {
    match key_of(&command.into(), situation) {
        Some(keys) => format!("{text} ({keys})"),
        None => text.to_owned(),
    }
}

/// The label of the first binding that `does` what `pick` accepts ("Arrows / WASD" for a move).
fn label_where(pick: impl Fn(&Does) -> bool) -> &'static str {
    BINDINGS
        .iter()
        .find(|b| pick(&b.does))
        .map_or("", |b| b.label)
}

/// The keys a person moves with ("Arrows / WASD").
pub fn move_keys() -> &'static str {
    label_where(|does| *does == Does::Move)
}

/// egui's zoom keys ("Ctrl+= / Ctrl+- / Ctrl+0").
pub fn zoom_keys() -> &'static str {
    label_where(|does| *does == Does::Egui)
}

/// Every binding of `when` in one line, "keys: help · keys: help" (presenter mode's caption).
pub fn summary(when: When) -> String {
    BINDINGS
        .iter()
        .filter(|b| b.when == when)
        .map(|b| format!("{}: {}", b.label, b.help))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The key table as the README prints it (a test keeps the two the same).
pub fn markdown_table() -> String {
    let mut table = String::from("| key | action | when |\n|---|---|---|\n");
    for when in When::ALL {
        for binding in BINDINGS.iter().filter(|b| b.when == when) {
            table.push_str(&format!(
                "| {} | {} | {} |\n",
                binding.label,
                binding.help,
                when.heading().to_lowercase()
            ));
        }
    }
    table
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
    let situation = Situation {
        presenting: presenter.is_some(),
        leaving: presenter.as_deref().is_some_and(|p| p.leaving),
        person: sim.as_deref().is_some_and(Sim::person_selected),
        selected: sim.map_or(0, |sim| sim.selected),
    };
    commands.write_batch(commands_for(&keys, situation));
}

/// What the keys act on: the situation the bindings hold in, and the arena a move is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Situation {
    /// A lesson is presented.
    pub presenting: bool,
    /// Presenting, Esc was pressed once (a second leaves, any other key stays).
    pub leaving: bool,
    /// The selected arena is played by a person.
    pub person: bool,
    /// The selected arena.
    pub selected: usize,
}

/// The commands the keys pressed this frame write, by the table.
fn commands_for(keys: &ButtonInput<KeyCode>, situation: Situation) -> Vec<AppCommand> {
    // A stray Esc in front of a class must not end the lecture: after the first, any other key
    // stays (and does nothing else).
    if situation.leaving && keys.get_just_pressed().any(|&key| key != KeyCode::Escape) {
        return vec![SlideCommand::Stay.into()];
    }
    let chord = chord_held(keys);
    let mut commands: Vec<AppCommand> = Vec::new();
    for binding in BINDINGS {
        if binding.chord != chord || !binding.when.holds(situation.presenting, situation.person) {
            continue;
        }
        for &key in binding.keys.iter().filter(|&&key| keys.just_pressed(key)) {
            match &binding.does {
                Does::Command(command) => {
                    commands.push(command.clone());
                    break; // once, however many of its keys went down together
                }
                Does::Move => {
                    let arena = situation.selected;
                    let step = move_of(key).map(|action| Command::Move { arena, action }.into());
                    // Up and W together are one move up.
                    if let Some(step) = step.filter(|step| !commands.contains(step)) {
                        commands.push(step);
                    }
                }
                Does::Egui => {}
            }
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every situation: (presenting, person).
    const SITUATIONS: [(bool, bool); 4] =
        [(false, false), (false, true), (true, false), (true, true)];

    fn pressed(chord: Chord, key: KeyCode) -> ButtonInput<KeyCode> {
        let mut keys = ButtonInput::default();
        if chord != Chord::Plain {
            keys.press(KeyCode::ControlLeft);
        }
        if chord == Chord::CtrlShift {
            keys.press(KeyCode::ShiftLeft);
        }
        keys.press(key);
        keys
    }

    /// Each key of each binding, pressed where the binding holds, writes that binding's command
    /// and nothing else: the table is what the keys do, and no key does two things. (That each
    /// label names its keys is `every_label_names_its_keys`.)
    #[test]
    fn every_key_of_the_table_sends_its_command_and_nothing_else() {
        let mut checked = 0;
        for (presenting, person) in SITUATIONS {
            let situation = Situation {
                presenting,
                person,
                selected: 2,
                ..Situation::default()
            };
            for binding in BINDINGS.iter().filter(|b| b.when.holds(presenting, person)) {
                for &key in binding.keys {
                    let wrote = commands_for(&pressed(binding.chord, key), situation);
                    let expected = match &binding.does {
                        Does::Command(command) => vec![command.clone()],
                        Does::Move => vec![
                            Command::Move {
                                arena: 2,
                                action: move_of(key).expect("a move key"),
                            }
                            .into(),
                        ],
                        Does::Egui => Vec::new(),
                    };
                    assert_eq!(
                        wrote, expected,
                        "{} ({key:?}) in {situation:?}",
                        binding.label
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 60, "{checked} keys checked");
    }

    /// Every binding can be found: it has keys (or is egui's own), a label and a line of help,
    /// and every situation's help has something in it.
    #[test]
    fn every_binding_has_keys_a_label_and_help() {
        for binding in BINDINGS {
            assert!(!binding.label.is_empty() && !binding.help.is_empty());
            assert_eq!(
                binding.keys.is_empty(),
                binding.does == Does::Egui,
                "{}",
                binding.label
            );
        }
        for when in When::ALL {
            assert!(
                BINDINGS.iter().any(|b| b.when == when),
                "{when:?} has no keys"
            );
        }
    }

    /// Presenting, the first Esc asks, the second leaves, and any other key stays.
    #[test]
    fn a_second_escape_leaves_and_any_other_key_stays() {
        let presenting = Situation {
            presenting: true,
            ..Situation::default()
        };
        let escape = pressed(Chord::Plain, KeyCode::Escape);
        assert_eq!(
            commands_for(&escape, presenting),
            vec![SlideCommand::Leave.into()]
        );
        let leaving = Situation {
            leaving: true,
            ..presenting
        };
        assert_eq!(
            commands_for(&escape, leaving),
            vec![SlideCommand::Leave.into()]
        );
        let other = pressed(Chord::Plain, KeyCode::Space);
        assert_eq!(
            commands_for(&other, leaving),
            vec![SlideCommand::Stay.into()]
        );
    }

    /// The README's key table is the table's own.
    #[test]
    fn the_readme_lists_the_key_table() {
        let readme = include_str!("../../README.md");
        let section = readme.split("### Keys\n\n").nth(1).expect("a Keys section");
        let listed: String = section
            .lines()
            .take_while(|line| line.starts_with('|'))
            .map(|line| format!("{line}\n"))
            .collect();
        assert_eq!(listed, markdown_table(), "paste this table into the README");
    }

    /// The controls' tooltips name the table's keys that work in the situation.
    #[test]
    fn tooltips_name_the_keys_that_work_now() {
        let watching = Situation::default();
        let presenting = Situation {
            presenting: true,
            ..watching
        };
        let person = Situation {
            person: true,
            ..watching
        };
        assert_eq!(hint("Run", Transport::TogglePlay, watching), "Run (Space)");
        assert_eq!(hint("Run", Transport::TogglePlay, presenting), "Run (P)");
        assert_eq!(hint("Step", Transport::Step, watching), "Step (Right)");
        assert_eq!(hint("Step", Transport::Step, person), "Step");
        assert_eq!(hint("Save", FileCommand::Save, watching), "Save (Ctrl+S)");
        assert_eq!(
            hint("Clip", FileCommand::Clip { arena: true }, watching),
            "Clip"
        );
    }

    /// Each label names every key of its binding (and its chord), so the help and the README,
    /// which print the labels, say which keys really do it.
    #[test]
    fn every_label_names_its_keys() {
        let name = |key: KeyCode| -> &[&str] {
            match key {
                K::Space => &["Space"],
                K::ArrowRight => &["Right", "Arrows"],
                K::ArrowLeft => &["Left", "Arrows"],
                K::ArrowUp => &["Up", "Arrows"],
                K::ArrowDown => &["Down", "Arrows"],
                K::Equal | K::NumpadAdd => &["+"],
                K::Minus | K::NumpadSubtract => &["-"],
                K::PageDown => &["Page Down"],
                K::PageUp => &["Page Up"],
                K::Escape => &["Esc"],
                K::Tab => &["Tab"],
                K::F12 => &["F12"],
                K::KeyW => &["W"],
                K::KeyA => &["A"],
                K::KeyS => &["S"],
                K::KeyD => &["D"],
                K::KeyR => &["R"],
                K::KeyV => &["V"],
                K::KeyT => &["T"],
                K::KeyF => &["F"],
                K::KeyE => &["E"],
                K::KeyZ => &["Z"],
                K::KeyY => &["Y"],
                K::KeyH => &["H"],
                K::KeyP => &["P"],
                K::KeyB => &["B"],
                other => panic!("no name for {other:?}: add it here"),
            }
        };
        for binding in BINDINGS {
            for &key in binding.keys {
                assert!(
                    name(key).iter().any(|n| binding.label.contains(n)),
                    "{:?} is not named in {:?}",
                    key,
                    binding.label
                );
            }
            let chord = match binding.chord {
                Chord::Plain => None,
                Chord::Ctrl => Some("Ctrl+"),
                Chord::CtrlShift => Some("Ctrl+Shift+"),
            };
            assert_eq!(
                chord.is_some_and(|c| binding.label.contains(c)),
                chord.is_some(),
                "{}",
                binding.label
            );
        }
    }
}
