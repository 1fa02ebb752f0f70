//! The teacher of the imitation learners: which moves lie on a shortest path to a goal, found by
//! breadth-first search over the map. Agents that learn by imitation ask it; they never search
//! the world themselves.

use super::{Cell, Colour, GridWorld};
use crate::ArenaRng;
use crate::world::Action;

/// Moves on a shortest path, one flag per [`Action`].
pub type BestMoves = [bool; Action::COUNT];

/// A teacher for one world as it is now: it knows the map, the goal or target of the task in
/// force, and answers with the moves that lie on a shortest path (breadth-first search, never
/// through walls or other terminal cells).
#[derive(Clone, Copy)]
pub struct Teacher<'a> {
    world: &'a GridWorld,
}

impl<'a> Teacher<'a> {
    /// The teacher of `world` as it is now.
    pub fn of(world: &'a GridWorld) -> Self {
        Self { world }
    }

    /// The goal cell the current task leads to (`None` when the task is an object to reach).
    pub fn goal(&self) -> Option<usize> {
        (0..self.world.cell_count()).find(|&c| self.world.cell(c) == Cell::Goal)
    }

    /// The colour the current task names (the cue), if any.
    pub fn cue(&self) -> Option<Colour> {
        self.world.rules.target
    }

    /// The moves from `cell` that lie on a shortest path to the current goal or target.
    pub fn best_moves(&self, cell: usize) -> BestMoves {
        self.world
            .optimal_moves(cell, &self.world.distances_to_goal())
    }

    /// Every open cell of the map labelled with its shortest-path moves towards `goal` instead of
    /// the current goal (cells with no way there are left out): a whole task for a meta-learner.
    pub fn lesson_towards(&self, goal: usize) -> Vec<(usize, BestMoves)> {
        let mut map = self.world.clone();
        for i in 0..map.cell_count() {
            if map.cell(i) == Cell::Goal {
                map.set_cell(i, Cell::Floor);
            }
        }
        map.set_cell(goal, Cell::Goal);
        let distances = map.distances_to_goal();
        (0..map.cell_count())
            .filter(|&c| map.cell(c) == Cell::Floor)
            .map(|c| (c, map.optimal_moves(c, &distances)))
            .filter(|(_, best)| best.iter().any(|&b| b))
            .collect()
    }

    /// Random placements of the agent and objects for the current task, each with its
    /// shortest-path moves: examples for an imitation learner's evaluation set.
    pub fn placements(&self) -> Placements {
        let mut map = self.world.clone();
        map.rules.shuffle = true;
        Placements {
            map,
            cue: self.cue(),
        }
    }
}

/// Random placements for one task, drawn one at a time ([`Teacher::placements`]).
pub struct Placements {
    map: GridWorld,
    cue: Option<Colour>,
}

impl Placements {
    /// A new random placement and the moves on a shortest path from the agent's cell there.
    pub fn draw(&mut self, rng: &mut ArenaRng) -> (&GridWorld, BestMoves) {
        self.map.reset_with(rng);
        self.map.rules.target = self.cue;
        let best = Teacher::of(&self.map).best_moves(self.map.agent());
        (&self.map, best)
    }
}
