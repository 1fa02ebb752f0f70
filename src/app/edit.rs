//! Edit mode and play mode in the window: the palette's state, strokes of the mouse, the keys
//! (E, Ctrl+Z/Y/S, arrows or WASD for a person's arena) and the notices edits leave.

use std::collections::VecDeque;

use bevy::prelude::*;

use super::command::AppCommand;
use super::keys::{Typing, command_held};
use super::sim::Sim;
use crate::command::Command;
use crate::edit::{Reach, Tile};
use crate::world::Action;

/// What edit mode paints and where.
#[derive(Resource, Debug)]
pub struct Editing {
    /// Edit mode is on: the mouse paints the maps.
    pub on: bool,
    /// The palette's tile (the left button paints it; the right button erases to floor).
    pub tile: Tile,
    /// Edits reach every arena (fair comparisons), or only the one painted on.
    pub all_arenas: bool,
    /// The stroke being painted: its number and the cells it covered.
    pub stroke: Option<(u64, Vec<(u32, u32)>)>,
    /// Strokes begun so far (numbers strokes for undo).
    strokes: u64,
    /// The arena whose agent is being dragged.
    pub dragging_agent: Option<usize>,
    /// Size of the next new map (columns, rows).
    pub new_size: (usize, usize),
    /// The Save-as field, when open.
    pub save_as: Option<String>,
}

impl Default for Editing {
    fn default() -> Self {
        Self {
            on: false,
            tile: Tile::Wall,
            all_arenas: true,
            stroke: None,
            strokes: 0,
            dragging_agent: None,
            new_size: (10, 8),
            save_as: None,
        }
    }
}

impl Editing {
    /// Edit mode on from the start (`--edit`).
    pub fn opened() -> Self {
        Self {
            on: true,
            ..Self::default()
        }
    }

    /// Which arenas an edit made on arena `i` reaches.
    pub fn reach(&self, i: usize) -> Reach {
        if self.all_arenas {
            Reach::All
        } else {
            Reach::Arena(i)
        }
    }

    /// Paints `tile` on column `x`, row `y` of arena `arena`, as part of the stroke under way
    /// (a new one if `begin`, numbered at least `unused`): each cell of a stroke is painted once,
    /// and the stroke undoes whole.
    pub fn paint(
        &mut self,
        arena: usize,
        (x, y): (u32, u32),
        tile: Tile,
        begin: bool,
        unused: u64,
    ) -> Option<Command> {
        if begin || self.stroke.is_none() {
            // Never a number the history (a lesson's edit, a checkpoint's) already uses.
            self.strokes = (self.strokes + 1).max(unused);
            self.stroke = Some((self.strokes, Vec::new()));
        }
        let reach = self.reach(arena);
        let (stroke, cells) = self.stroke.as_mut()?;
        if cells.contains(&(x, y)) {
            return None;
        }
        cells.push((x, y));
        Some(Command::Paint {
            reach,
            stroke: *stroke,
            tile,
            cells: vec![(x, y)],
        })
    }
}

/// Short messages for the user: refused edits, saves, what is awaited.
#[derive(Resource, Debug, Default)]
pub struct Notices {
    /// The latest notices with the time they came (seconds since start), newest last.
    pub recent: VecDeque<(f64, String, bool)>,
    /// The last notice of the simulation already shown.
    seen_notice: Option<u64>,
}

/// How long a notice stays, in seconds.
pub const NOTICE_SECONDS: f64 = 6.0;

impl Notices {
    /// Adds a notice (`error` ones are drawn in red).
    pub fn push(&mut self, now: f64, text: impl Into<String>, error: bool) {
        if self.recent.len() == 3 {
            self.recent.pop_front();
        }
        self.recent.push_back((now, text.into(), error));
    }

    /// The notices still showing at `now`.
    pub fn showing(&self, now: f64) -> impl Iterator<Item = &(f64, String, bool)> {
        self.recent
            .iter()
            .filter(move |(at, _, _)| now - at < NOTICE_SECONDS)
    }
}

/// The keys of edit and play mode, and the notices of refused edits.
pub fn plugin(app: &mut App) {
    app.init_resource::<Editing>()
        .init_resource::<Notices>()
        .add_systems(
            Update,
            (
                edit_and_play_keys.in_set(super::AppSystems::Input),
                note_refusals.in_set(super::AppSystems::Step),
            ),
        );
}

/// The moves of a person's arena: arrow keys and WASD.
const MOVE_KEYS: [(KeyCode, KeyCode, Action); 4] = [
    (KeyCode::ArrowUp, KeyCode::KeyW, Action::Up),
    (KeyCode::ArrowRight, KeyCode::KeyD, Action::Right),
    (KeyCode::ArrowDown, KeyCode::KeyS, Action::Down),
    (KeyCode::ArrowLeft, KeyCode::KeyA, Action::Left),
];

/// Whether the selected arena is played by a person (its arrows are moves, not single steps).
pub fn person_selected(sim: &Sim) -> bool {
    sim.snapshot()
        .arenas
        .get(sim.selected)
        .is_some_and(|a| a.human)
}

fn edit_and_play_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    typing: Res<Typing>,
    sim: Option<Res<Sim>>,
    mut commands: MessageWriter<AppCommand>,
) {
    let Some(keys) = keys.filter(|_| !typing.0) else {
        return;
    };
    let shift = keys.any_pressed([KeyCode::ShiftLeft, KeyCode::ShiftRight]);
    if command_held(&keys) {
        if keys.just_pressed(KeyCode::KeyZ) {
            commands.write(if shift { Command::Redo } else { Command::Undo }.into());
        }
        if keys.just_pressed(KeyCode::KeyY) {
            commands.write(Command::Redo.into());
        }
        if keys.just_pressed(KeyCode::KeyS) {
            commands.write(if shift {
                AppCommand::AskSaveAs
            } else {
                AppCommand::Save
            });
        }
        return;
    }
    if keys.just_pressed(KeyCode::KeyE) {
        commands.write(AppCommand::ToggleEdit);
    }
    let Some(sim) = sim.filter(|sim| person_selected(sim)) else {
        return;
    };
    for (arrow, letter, action) in MOVE_KEYS {
        if keys.any_just_pressed([arrow, letter]) {
            commands.write(
                Command::Move {
                    arena: sim.selected,
                    action,
                }
                .into(),
            );
        }
    }
}

/// Turns the simulation's latest notice (a refusal, a saved file) into a notice here, once.
fn note_refusals(sim: Option<Res<Sim>>, time: Res<Time<Real>>, mut notices: ResMut<Notices>) {
    let Some(sim) = sim else { return };
    if let Some((id, text, error)) = &sim.snapshot().notice
        && notices.seen_notice != Some(*id)
    {
        notices.seen_notice = Some(*id);
        notices.push(time.elapsed_secs_f64(), text.clone(), *error);
    }
}
