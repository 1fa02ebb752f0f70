//! Task changes: what a scene's schedule does to a world after N episodes.

use serde::{Deserialize, Serialize};

use super::{Cell, Colour, GridWorld};

/// One change a task switch makes to the world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TaskChange {
    /// Replaces the whole map (same size as the original).
    Rows(Vec<String>),
    /// Removes every goal and puts one at column `x`, row `y`.
    MoveGoal {
        /// Column.
        x: u32,
        /// Row.
        y: u32,
    },
    /// Turns the listed (column, row) cells into walls.
    AddWalls(Vec<(u32, u32)>),
    /// Turns the listed (column, row) cells into floor.
    RemoveWalls(Vec<(u32, u32)>),
    /// Sets the goal reward.
    GoalReward(f32),
    /// Sets the lava reward.
    LavaReward(f32),
    /// Sets the reward of every ordinary step.
    StepReward(f32),
    /// Sets the slip probability.
    Slip(f32),
    /// Sets which object colour is the goal (`None`: objects are all distractors).
    Target(Option<Colour>),
}

impl GridWorld {
    /// Applies one task change. Positions outside the map are ignored (the validator rejects them).
    pub fn apply(&mut self, change: &TaskChange) {
        let index = |world: &GridWorld, x: u32, y: u32| {
            ((x as usize) < world.width() && (y as usize) < world.height())
                .then(|| y as usize * world.width() + x as usize)
        };
        match change {
            TaskChange::Rows(rows) => {
                let fresh = GridWorld::from_rows(rows, self.rules.clone(), self.view);
                if fresh.width() == self.width() && fresh.height() == self.height() {
                    for i in 0..self.cell_count() {
                        self.set_cell(i, fresh.cell(i));
                    }
                    if rows.iter().any(|r| r.contains('S')) {
                        self.set_start(fresh.start());
                    }
                }
            }
            TaskChange::MoveGoal { x, y } => {
                for i in 0..self.cell_count() {
                    if self.cell(i) == Cell::Goal {
                        self.set_cell(i, Cell::Floor);
                    }
                }
                if let Some(i) = index(self, *x, *y) {
                    self.set_cell(i, Cell::Goal);
                }
            }
            TaskChange::AddWalls(cells) => {
                for &(x, y) in cells {
                    if let Some(i) = index(self, x, y) {
                        self.set_cell(i, Cell::Wall);
                    }
                }
            }
            TaskChange::RemoveWalls(cells) => {
                for &(x, y) in cells {
                    if let Some(i) = index(self, x, y).filter(|&i| self.cell(i) == Cell::Wall) {
                        self.set_cell(i, Cell::Floor);
                    }
                }
            }
            TaskChange::GoalReward(r) => self.rules.goal_reward = *r,
            TaskChange::LavaReward(r) => self.rules.lava_reward = *r,
            TaskChange::StepReward(r) => self.rules.step_reward = *r,
            TaskChange::Slip(p) => self.rules.slip = *p,
            TaskChange::Target(colour) => self.rules.target = *colour,
        }
    }
}
