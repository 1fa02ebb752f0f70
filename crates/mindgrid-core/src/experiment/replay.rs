//! Replay: an experiment run again from its scene and its logged commands, to the same bytes.

use super::Experiment;
use crate::command::LoggedCommand;
use crate::scene::Scene;

impl Experiment {
    /// Runs `scene` for `steps` lockstep steps, applying each logged command at its step: the same
    /// numbers as the run that wrote the log, window or not.
    pub fn replay(scene: Scene, log: &[LoggedCommand], steps: u64) -> Self {
        let mut experiment = Experiment::new(scene);
        experiment.replay_onto(log, steps);
        experiment
    }

    /// Steps on to `steps`, applying each of `log`'s commands at its step (those at `steps` too):
    /// the one loop replays, seeks and recordings share.
    pub fn replay_onto(&mut self, log: &[LoggedCommand], steps: u64) {
        self.replay_onto_reporting(log, steps, &mut |_| {});
    }

    /// [`Experiment::replay_onto`], telling `progress` the lockstep step reached every 65,536
    /// steps (stepping in pieces gives the same numbers: arenas share nothing).
    pub fn replay_onto_reporting(
        &mut self,
        log: &[LoggedCommand],
        steps: u64,
        progress: &mut dyn FnMut(u64),
    ) {
        let mut run_to = |experiment: &mut Self, step: u64| {
            while experiment.steps < step {
                let piece = (experiment.steps + (1 << 16)).min(step);
                if experiment.run_to(piece) == 0 {
                    break;
                }
                progress(experiment.steps);
            }
        };
        for logged in log.iter().filter(|l| l.step <= steps) {
            run_to(self, logged.step);
            self.apply(logged.command.clone());
        }
        run_to(self, steps);
    }

    /// Steps until every arena has taken `step` steps, or until they wait for a person's move
    /// (lockstep with a person takes one step per move); returns the steps taken.
    pub fn run_to(&mut self, step: u64) -> u64 {
        let start = self.steps;
        while self.steps < step {
            if self.step_n(step - self.steps) == 0 {
                break;
            }
        }
        self.steps - start
    }

    /// Whether the log replays the run: false once an arena was stepped alone
    /// ([`Experiment::step_arena`], [`Experiment::run_episodes`]), since the log counts lockstep steps.
    pub fn replayable(&self) -> bool {
        self.lockstep
    }

    /// Every command applied so far, oldest first.
    pub fn log(&self) -> &[LoggedCommand] {
        &self.log
    }
}
