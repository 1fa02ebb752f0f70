//! Commands: every change a user makes to a running experiment, applied between steps and logged.

use serde::{Deserialize, Serialize};

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
}

/// A command with the lockstep step at which it took effect (after that many steps).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoggedCommand {
    /// Steps every arena had taken when the command applied.
    pub step: u64,
    /// What was done.
    pub command: Command,
}
