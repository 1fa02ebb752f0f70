//! Commands: every change a user makes to a running experiment, applied between steps and logged.

use serde::{Deserialize, Serialize};

use crate::edit::{Reach, Tile};
use crate::world::Action;

/// A change to a running experiment. The window's keys, sliders and buttons all become commands;
/// [`crate::experiment::Experiment::apply`] carries them out between two steps and logs them, so
/// the log and the scene replay the run exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Sets one hyperparameter of arena `arena`'s agent (clamped to its range). Live ones apply
    /// at once, keeping what was learned; on-reset ones wait for the arena's next reset.
    SetHyperparameter {
        /// The arena, in scene order.
        arena: usize,
        /// The field's name, as in the scene file.
        name: String,
        /// The new value (a choice's index, a switch's 0 or 1).
        value: f64,
    },
    /// A fresh world and a fresh agent built from the requested hyperparameters, in one arena.
    ResetArena(usize),
    /// Every arena reset.
    ResetAll,
    /// Wipes the episodic memory of an arena's agent ("amnesia").
    Amnesia(usize),
    /// Switches an arena to the next task of the schedule now ("next task").
    NextTask(usize),
    /// Asks an arena's meta-learner to meet a new task ("new task").
    NewTask(usize),
    /// Paints `tile` on `cells` (columns, rows) of the maps of the arenas `reach` names, live:
    /// agents keep what they learned and meet the changed world. Edits with the same `stroke`
    /// (one drag of the mouse) undo together.
    Paint {
        /// Which arenas.
        reach: Reach,
        /// The mouse drag this edit belongs to.
        stroke: u64,
        /// What is painted.
        tile: Tile,
        /// Where.
        cells: Vec<(u32, u32)>,
    },
    /// Moves the agents of the arenas `reach` names to column `x`, row `y` mid-episode ("what
    /// would it do from here?"); refused unless the cell is free (floor or a cue tile).
    PlaceAgent {
        /// Which arenas.
        reach: Reach,
        /// Column.
        x: u32,
        /// Row.
        y: u32,
    },
    /// Gives every arena this map, of another size (a new map, rows or columns added or removed).
    /// The agents start afresh: their states are the map's cells.
    Reshape(Vec<String>),
    /// Takes back the last edit (a whole stroke, or a reshape).
    Undo,
    /// Does again the last edit taken back.
    Redo,
    /// Hands arena `arena` to the person at the keyboard (`on`), its agent waiting aside, or back
    /// to its agent. Either way a fresh episode starts.
    YouPlay {
        /// The arena.
        arena: usize,
        /// The person plays.
        on: bool,
    },
    /// The person's next move in arena `arena` (taken at the next step).
    Move {
        /// The arena.
        arena: usize,
        /// The move.
        action: Action,
    },
    /// Whether every arena waits for the person's move (lockstep, the default) or the agents run
    /// free while the person plays.
    WaitForHuman(bool),
    /// A copy of arena `i` (world, agent and all it learned, random streams, metrics) as a new
    /// arena beside the others, so two futures can be watched side by side; refused beyond 8.
    Fork(usize),
    /// Changes the conditioning protocol of every arena that has one (the dopamine scenes).
    Trial(TrialControl),
}

/// A lecturer's change to a conditioning protocol ([`crate::world::Conditioning`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TrialControl {
    /// The next trial's reward does not come (the omission test).
    OmitNextReward,
    /// The next trial's reward comes half-way through the delay (Hollerman & Schultz 1998).
    EarlyNextReward,
    /// The chance that a trial's reward comes, from the next trial on (Fiorillo et al. 2003).
    RewardProbability(f32),
    /// The reward's size, from the next reward on.
    RewardSize(f32),
}

/// A command with the lockstep step at which it took effect (after that many steps).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedCommand {
    /// Steps every arena had taken when the command applied.
    pub step: u64,
    /// What was done.
    pub command: Command,
}
