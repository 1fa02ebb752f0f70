//! Edit mode in the window: the palette's state and the strokes of the mouse (its keys are in the
//! key table, `keys`).

use bevy::prelude::*;

use crate::command::Command;
use crate::edit::{Reach, Tile};

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

/// Keeps edit mode's state.
pub fn plugin(app: &mut App) {
    app.init_resource::<Editing>();
}
