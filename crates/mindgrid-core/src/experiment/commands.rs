//! Commands: each change to a running experiment, carried out between two steps and logged
//! with its step (the edits' own are in `edits`).

use super::arena::Arena;
use super::{Applied, Experiment};
use crate::command::{Command, LoggedCommand, TrialControl};
use crate::edit::{Reach, walkable};
use crate::world::{Probe, reward_probability, reward_size};

impl Experiment {
    /// Carries out `command` now, between steps, and logs it with the current step. A command
    /// that changes nothing (a hyperparameter the arena's brain does not have, a value it already
    /// has, an arena that does not exist, nothing to undo) is ignored; one that would break the
    /// world is refused with the reason. Neither is logged.
    pub fn apply(&mut self, command: Command) -> Applied {
        if !self.accepts(&command) {
            return Applied::Ignored;
        }
        let outcome = self.carry_out(&command);
        if outcome == Applied::Done {
            self.log.push(LoggedCommand {
                step: self.steps,
                command,
            });
        }
        outcome
    }

    pub(super) fn carry_out(&mut self, command: &Command) -> Applied {
        match command {
            Command::SetHyperparameter { arena, name, value } => {
                if let Some(arena) = self.arenas.get_mut(*arena) {
                    arena.set_hyperparameter(name, *value);
                }
            }
            Command::ResetArena(index) => self.reset_arena(*index),
            Command::ResetAll => {
                for i in 0..self.arenas.len() {
                    self.reset_arena(i);
                }
            }
            Command::Amnesia(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.agent.amnesia();
                }
            }
            Command::NextTask(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.start_next_task(&self.scene);
                }
            }
            Command::NewTask(index) => {
                if let Some(arena) = self.arenas.get_mut(*index) {
                    arena.agent.try_new_task();
                }
            }
            Command::Paint {
                reach,
                stroke,
                tile,
                cells,
            } => return self.paint(*reach, *stroke, *tile, cells),
            Command::PlaceAgent { reach, x, y } => {
                let cell = *y as usize * self.arenas[0].world.width() + *x as usize;
                let reached: Vec<usize> = self.reached(*reach).collect();
                // All or none: check every arena before moving any.
                for &i in &reached {
                    let world = &self.arenas[i].world;
                    if cell >= world.cell_count() {
                        return Applied::Refused(format!("({x}, {y}) is outside the map"));
                    }
                    if !walkable(world.cell(cell)) {
                        let reason = self.arenas[i].place_agent(cell).err().unwrap_or_default();
                        return Applied::Refused(reason);
                    }
                }
                for i in reached {
                    let _ = self.arenas[i].place_agent(cell);
                }
            }
            Command::Reshape(rows) => return self.reshape(rows),
            Command::Undo => return self.undo_or_redo(true),
            Command::Redo => return self.undo_or_redo(false),
            Command::YouPlay { arena, on } => {
                if let Err(reason) = self.arenas[*arena].you_play(*on) {
                    return if reason.is_empty() {
                        Applied::Ignored
                    } else {
                        Applied::Refused(reason)
                    };
                }
            }
            Command::Move { arena, action } => {
                if !self.arenas[*arena].agent.take_move(*action) {
                    return Applied::Ignored;
                }
            }
            Command::WaitForHuman(wait) => {
                if self.wait_for_human == *wait {
                    return Applied::Ignored;
                }
                self.wait_for_human = *wait;
            }
            Command::Fork(index) => return self.fork(*index),
            Command::Trial(control) => return self.control_trials(*control),
        }
        Applied::Done
    }

    /// Changes the conditioning protocol of every arena that has one; a value out of range is
    /// refused, one already in force (or no protocol anywhere) ignored.
    pub(super) fn control_trials(&mut self, control: TrialControl) -> Applied {
        let checked = match control {
            TrialControl::RewardProbability(p) => reward_probability(p).map(|_| ()),
            TrialControl::RewardSize(size) => reward_size(size).map(|_| ()),
            TrialControl::OmitNextReward | TrialControl::EarlyNextReward => Ok(()),
        };
        if let Err(reason) = checked {
            return Applied::Refused(reason);
        }
        let mut changed = false;
        for arena in &mut self.arenas {
            let world = &mut arena.world;
            let Some(protocol) = &mut world.rules.conditioning else {
                continue;
            };
            match control {
                TrialControl::RewardProbability(p) if protocol.probability != p => {
                    protocol.probability = p;
                }
                TrialControl::RewardSize(size) if protocol.reward != size => protocol.reward = size,
                TrialControl::OmitNextReward if world.next_probe() != Some(Probe::Omit) => {
                    world.probe_next_trial(Probe::Omit);
                }
                TrialControl::EarlyNextReward if world.next_probe() != Some(Probe::Early) => {
                    world.probe_next_trial(Probe::Early);
                }
                _ => continue,
            }
            changed = true;
        }
        if changed {
            Applied::Done
        } else {
            Applied::Ignored
        }
    }

    /// Whether `command` names an arena (and a hyperparameter) that exist.
    pub(super) fn accepts(&self, command: &Command) -> bool {
        match command {
            Command::SetHyperparameter { arena, name, value } => {
                self.arenas.get(*arena).is_some_and(|a| {
                    let known = a
                        .requested
                        .hyperparameters()
                        .iter()
                        .any(|(spec, _)| spec.name == name);
                    let mut changed = a.requested.clone();
                    changed.set_hyperparameter(name, *value);
                    known && changed != a.requested
                })
            }
            Command::ResetAll
            | Command::Reshape(_)
            | Command::Undo
            | Command::Redo
            | Command::WaitForHuman(_)
            | Command::Trial(_) => true,
            Command::ResetArena(i)
            | Command::Amnesia(i)
            | Command::NextTask(i)
            | Command::NewTask(i)
            | Command::YouPlay { arena: i, .. }
            | Command::Move { arena: i, .. }
            | Command::Fork(i) => *i < self.arenas.len(),
            Command::Paint { reach, .. } | Command::PlaceAgent { reach, .. } => {
                let (x, y) = match command {
                    Command::PlaceAgent { x, y, .. } => (*x as usize, *y as usize),
                    _ => (0, 0),
                };
                let world = &self.arenas.first().map(|a| &a.world);
                let inside = world.is_some_and(|w| x < w.width() && y < w.height());
                inside && !matches!(reach, Reach::Arena(i) if *i >= self.arenas.len())
            }
        }
    }

    /// A copy of arena `index` as a new arena at the end, named "NAME (fork)".
    pub(super) fn fork(&mut self, index: usize) -> Applied {
        if self.arenas.len() >= crate::scene::MAX_AGENTS {
            return Applied::Refused(format!(
                "a fork needs a new arena, and there are {} already (at most {})",
                self.arenas.len(),
                crate::scene::MAX_AGENTS
            ));
        }
        let Some(mut copy) = crate::snapshot::copy(&self.arenas[index]) else {
            return Applied::Refused("the arena could not be copied".into());
        };
        copy.name = format!("{} (fork)", copy.name);
        copy.map_warning = copy.world.goal_warning();
        self.scene.agents.push(crate::scene::AgentSpec {
            name: copy.name.clone(),
            brain: copy.requested.clone(),
        });
        self.arenas.push(copy);
        Applied::Done
    }

    /// Restarts arena `index` with a fresh world and a fresh agent built from the requested
    /// brain (so on-reset changes take effect).
    pub(super) fn reset_arena(&mut self, index: usize) {
        if let Some(arena) = self.arenas.get_mut(index) {
            let brain = arena.requested.clone();
            let playing = arena.parked.is_some();
            let yours = arena.your_episodes.take();
            // The protocol as the trial controls set it survives a reset, as the edited map does.
            let mut scene = std::borrow::Cow::Borrowed(&self.scene);
            if let Some(protocol) = &arena.world.rules.conditioning {
                let crate::scene::WorldSpec::Grid(grid) = &mut scene.to_mut().world;
                grid.conditioning = Some(protocol.clone());
            }
            *arena = Arena::new(&scene, index, &brain, self.keep_records, &arena.map);
            // The person keeps playing, and keeps their curve.
            arena.your_episodes = yours;
            if playing {
                let _ = arena.you_play(true);
            }
        }
    }
}
