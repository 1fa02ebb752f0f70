//! The edit history: painting, reshaping, undo and redo, each stroke undone whole.

use serde::{Deserialize, Serialize};

use super::{Applied, Experiment};
use crate::edit::{Change, Map, Reach};
use crate::scene::{WorldSpec, errors_of};

/// The cells one edit changed in an arena: in what it shows now, and in the map it is rebuilt from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct Painted {
    pub(super) live: Vec<Change>,
    pub(super) base: Vec<Change>,
}

/// One entry of the edit history, undone and redone as a whole.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) enum Edit {
    /// Painted cells, per arena, of one stroke.
    Paint {
        stroke: u64,
        arenas: Vec<(usize, Painted)>,
    },
    /// A map of another size for every arena (fresh agents).
    Reshape { before: Vec<Map>, after: Map },
}

impl Experiment {
    /// The arenas `reach` names.
    pub(super) fn reached(&self, reach: Reach) -> impl Iterator<Item = usize> + use<> {
        (0..self.arenas.len()).filter(move |&i| reach.includes(i))
    }

    /// Paints one stroke's cells in the arenas reached, all or none.
    pub(super) fn paint(
        &mut self,
        reach: Reach,
        stroke: u64,
        tile: crate::edit::Tile,
        cells: &[(u32, u32)],
    ) -> Applied {
        let mut painted = Vec::new();
        for i in self.reached(reach) {
            // What the user sees is painted (the world after task switches), and the same cells of
            // the map a reset rebuilds from, so that edits outlive resets.
            let arena = &self.arenas[i];
            let (mut live, mut base) = (arena.live_map(), arena.map.clone());
            if let Err(reason) = live.paint(cells, tile).and(base.paint(cells, tile)) {
                return Applied::Refused(reason);
            }
            let changes = Painted {
                live: live.changes_from(&arena.live_map()),
                base: base.changes_from(&arena.map),
            };
            if !changes.live.is_empty() || !changes.base.is_empty() {
                painted.push((i, changes));
            }
        }
        if painted.is_empty() {
            return Applied::Ignored;
        }
        for (i, changes) in &painted {
            self.arenas[*i].write_map(changes, false);
        }
        self.remember(Edit::Paint {
            stroke,
            arenas: painted,
        });
        Applied::Done
    }

    /// Gives every arena the map `rows` (another size) and fresh agents; refused when the scene
    /// with that map would not pass `check` (a size limit, a task naming a cell now outside).
    pub(super) fn reshape(&mut self, rows: &[String]) -> Applied {
        let mut scene = self.scene.clone();
        let WorldSpec::Grid(grid) = &mut scene.world;
        grid.rows = rows.to_vec();
        if let Some(error) = errors_of(&scene).into_iter().next() {
            return Applied::Refused(format!("the new map is refused: {error}"));
        }
        let after = Map::from_rows(rows);
        let before = self.arenas.iter().map(|a| a.map.clone()).collect();
        self.set_maps(&vec![after.clone(); self.arenas.len()]);
        self.remember(Edit::Reshape { before, after });
        Applied::Done
    }

    /// Gives arena `i` the map `maps[i]` (an arena forked since the maps were taken gets the
    /// first one: every arena keeps one size) and a fresh agent.
    pub(super) fn set_maps(&mut self, maps: &[Map]) {
        for (i, arena) in self.arenas.iter_mut().enumerate() {
            if let Some(map) = maps.get(i).or(maps.first()) {
                arena.map = map.clone();
            }
        }
        for i in 0..self.arenas.len() {
            self.reset_arena(i);
        }
    }

    /// Adds an edit to the history; what was undone can no longer be redone.
    pub(super) fn remember(&mut self, edit: Edit) {
        self.history.push(edit);
        self.undone.clear();
    }

    /// Takes back (or does again) the last edit: a whole stroke, or a reshape.
    pub(super) fn undo_or_redo(&mut self, undo: bool) -> Applied {
        let from = if undo {
            &mut self.history
        } else {
            &mut self.undone
        };
        let Some(last) = from.pop() else {
            return Applied::Ignored;
        };
        let mut moved = vec![last];
        if let Edit::Paint { stroke, .. } = moved[0] {
            while let Some(Edit::Paint { stroke: s, .. }) = from.last()
                && *s == stroke
            {
                moved.extend(from.pop());
            }
        }
        for edit in &moved {
            match edit {
                Edit::Paint { arenas, .. } => {
                    for (i, changes) in arenas {
                        self.arenas[*i].write_map(changes, undo);
                    }
                }
                Edit::Reshape { before, after } => {
                    let maps = if undo {
                        before.clone()
                    } else {
                        vec![after.clone(); self.arenas.len()]
                    };
                    self.set_maps(&maps);
                }
            }
        }
        let to = if undo {
            &mut self.undone
        } else {
            &mut self.history
        };
        to.extend(moved);
        Applied::Done
    }

    /// A stroke number no edit in the history uses yet (edits of one stroke undo together, so a
    /// new stroke must not share a number with an old one).
    pub fn next_stroke(&self) -> u64 {
        self.history
            .iter()
            .chain(&self.undone)
            .filter_map(|edit| match edit {
                Edit::Paint { stroke, .. } => Some(*stroke),
                Edit::Reshape { .. } => None,
            })
            .max()
            .map_or(1, |s| s + 1)
    }

    /// Whether there is an edit to undo, and one to redo.
    pub fn can_undo_redo(&self) -> (bool, bool) {
        (!self.history.is_empty(), !self.undone.is_empty())
    }
}
