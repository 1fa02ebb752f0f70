//! Pavlovian conditioning on a track: the agent is carried along, a cue comes after a random wait,
//! and a reward a fixed number of steps after the cue (Schultz, Dayan & Montague 1997).

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{Action, GridWorld};
use crate::ArenaRng;

/// A conditioning protocol: how each trial (episode) on the track runs. The agent has no choice:
/// every step carries it one cell to the right, whatever it chose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conditioning {
    /// Steps from the trial's start to the cue, drawn uniformly from this range each trial, so
    /// that the cue itself cannot be predicted.
    pub wait: (u32, u32),
    /// Steps from the cue to the reward.
    pub delay: u32,
    /// Steps the trial runs on after the reward's time.
    #[serde(default = "after")]
    pub after: u32,
    /// The reward's size.
    #[serde(default = "size")]
    pub reward: f32,
    /// The chance that a trial's reward comes at all (Fiorillo, Tobler & Schultz 2003).
    #[serde(default = "probability")]
    pub probability: f32,
}

fn after() -> u32 {
    4
}
fn size() -> f32 {
    1.0
}
fn probability() -> f32 {
    1.0
}

impl Conditioning {
    /// The most steps a trial lasts (the longest wait, the delay, and the steps after).
    pub fn longest_trial(&self) -> u32 {
        self.wait
            .1
            .saturating_add(self.delay)
            .saturating_add(self.after)
    }

    /// What is wrong with the protocol, as (field, message).
    pub fn errors(&self) -> Vec<(&'static str, String)> {
        let mut errors = Vec::new();
        if self.wait.0 < 1 || self.wait.0 > self.wait.1 || self.wait.1 > MOST_TRIAL_STEPS {
            errors.push((
                "wait",
                format!(
                    "the wait is {:?}; expected (first, last) with 1 <= first <= last <= {MOST_TRIAL_STEPS}",
                    self.wait
                ),
            ));
        }
        if !(1..=MOST_TRIAL_STEPS).contains(&self.delay) {
            errors.push((
                "delay",
                format!(
                    "the delay is {}; expected 1 to {MOST_TRIAL_STEPS} steps",
                    self.delay
                ),
            ));
        }
        if self.after > MOST_TRIAL_STEPS {
            errors.push((
                "after",
                format!(
                    "after is {}; expected 0 to {MOST_TRIAL_STEPS} steps",
                    self.after
                ),
            ));
        }
        if let Err(e) = reward_size(self.reward) {
            errors.push(("reward", e));
        }
        if let Err(e) = reward_probability(self.probability) {
            errors.push(("probability", e));
        }
        errors
    }
}

/// The most steps a wait, a delay or the steps after may each last.
pub const MOST_TRIAL_STEPS: u32 = 200;
/// The largest reward size (either sign) the protocol takes.
pub const MOST_REWARD: f32 = 10.0;

/// `size` if it is a reward the protocol takes, or why not.
pub fn reward_size(size: f32) -> Result<f32, String> {
    if size.is_finite() && size.abs() <= MOST_REWARD {
        Ok(size)
    } else {
        Err(format!(
            "the reward is {size}; expected a number from -{MOST_REWARD} to {MOST_REWARD}"
        ))
    }
}

/// `p` if it is a probability, or why not.
pub fn reward_probability(p: f32) -> Result<f32, String> {
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!("the reward probability is {p}; expected 0 to 1"))
    }
}

/// A one-trial change a lecturer asks for, applied to the next trial that starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Probe {
    /// The reward does not come (the omission test).
    Omit,
    /// The reward comes half-way through the delay (Hollerman & Schultz 1998).
    Early,
}

/// The trial under way: when its cue and reward come, drawn at its start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trial {
    /// The step (of the episode) at which the cue comes.
    pub cue_at: u32,
    /// The step at which the reward comes, or was due when it does not.
    pub reward_at: u32,
    /// The step at which the reward was due without a probe (the usual time).
    pub usual_at: u32,
    /// The step at which the trial ends.
    pub ends_at: u32,
    /// Whether the reward comes this trial.
    pub rewarded: bool,
    /// The lecturer's change to this trial, if any.
    pub probe: Option<Probe>,
}

impl Trial {
    /// A new trial under `protocol`: the wait and whether it pays are drawn from `rng` (both
    /// drawn every trial, so that the stream does not depend on the probability), then `probe`.
    pub fn draw(protocol: &Conditioning, probe: Option<Probe>, rng: &mut ArenaRng) -> Trial {
        let (first, last) = protocol.wait;
        let cue_at = rng.random_range(first.min(last)..=last.max(first));
        let pays = rng.random::<f32>() < protocol.probability;
        let usual_at = cue_at + protocol.delay;
        Trial {
            cue_at,
            reward_at: match probe {
                Some(Probe::Early) => cue_at + (protocol.delay / 2).max(1),
                _ => usual_at,
            },
            usual_at,
            ends_at: usual_at + protocol.after,
            rewarded: pays && probe != Some(Probe::Omit),
            probe,
        }
    }
}

impl GridWorld {
    /// The conditioning trial under way, on a track with a protocol.
    pub fn trial(&self) -> Option<&Trial> {
        self.trial.as_ref()
    }

    /// Whether the cue is on now: the step just taken was the trial's cue step.
    pub fn cue_on(&self) -> bool {
        self.trial.is_some_and(|t| t.cue_at == self.steps)
    }

    /// Asks for `probe` in the next trial that starts.
    pub fn probe_next_trial(&mut self, probe: Probe) {
        self.next_probe = Some(probe);
    }

    /// The probe waiting for the next trial, if any.
    pub fn next_probe(&self) -> Option<Probe> {
        self.next_probe
    }

    /// The cell the track carries the agent to after `steps` steps of the trial.
    pub fn track_cell(&self, steps: u32) -> usize {
        (0..steps).fold(self.start, |cell, _| self.neighbour(cell, Action::Right))
    }

    /// Starts a trial, if the world has a protocol.
    pub(super) fn start_trial(&mut self, rng: &mut ArenaRng) {
        self.trial = self.rules.conditioning.as_ref().map(|protocol| {
            let probe = self.next_probe.take();
            Trial::draw(protocol, probe, rng)
        });
    }

    /// One step of a trial: carried one cell right; the reward at its time, the end at its end.
    /// Returns (reward, trial over, rewarded).
    pub(super) fn trial_step(
        &mut self,
        trial: Trial,
        protocol: &Conditioning,
    ) -> (f32, bool, bool) {
        self.agent = self.neighbour(self.agent, Action::Right);
        self.steps += 1;
        let reward = if self.steps == trial.reward_at && trial.rewarded {
            protocol.reward
        } else {
            self.rules.step_reward
        };
        (reward, self.steps >= trial.ends_at, trial.rewarded)
    }
}
