//! A TD learner over a tapped delay line: the classic model of dopamine neurons (Montague, Dayan
//! & Sejnowski 1996; Schultz, Dayan & Montague 1997; Sutton & Barto 2018, sections 14.2 and 15.3).
//!
//! ```text
//! x_t[k] = 1 if the cue came k steps ago (k = 0 .. taps-1), else 0   (a "complete serial compound")
//!          all zero before the cue and after the last tap: no prediction there
//! V(t)   = w . x_t  = w[k], or 0 with no tap on
//! each step:  delta = r + gamma V(t+1) - V(t)           (V(t+1) = 0 at the trial's end)
//!             w[k_t] += alpha * delta                   (only the tap that was on learns)
//! ```
//!
//! It does not choose: the conditioning track carries it (it always asks to move on). Before
//! training delta is the reward itself, at the reward's time; after, the cue's arrival is the
//! surprise (V jumps from 0 to about gamma^(delay-1) * reward, so delta there is about
//! gamma^delay * reward) and the reward, predicted, gives none.
//! Simpler than the brain: time is counted exactly in steps (real timing is noisy and the
//! response at the usual time of an early reward, which this model predicts, is not seen in the
//! recordings: Hollerman & Schultz 1998); one value stands for the whole dopamine population.

use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::{Agent, Brain, BrainSpec, Insight, Transition, ValueMap, hyperparameters};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about the delay-line learner.
pub const ABOUT: &str = "A Pavlovian TD learner: it cannot choose, the track carries it. It keeps \
    one value per 'steps since the cue' (a tapped delay line), none before the cue, and learns \
    them by the TD error delta = r + gamma V(next) - V(now). That delta is the classic model of \
    dopamine neurons: at first it fires at the reward; with training the cue predicts the reward, \
    so delta fires at the cue and not at the reward, and dips below zero when a predicted reward \
    does not come. Simpler than the brain: time is counted exactly, and one number stands for the \
    whole dopamine population. Read: Schultz, Dayan & Montague 1997; Sutton & Barto 2018, ch. 15.";

hyperparameters! {
    /// Hyperparameters of the delay-line TD learner.
    pub struct TdDelayLineParams {
        alpha: f32 = 0.1, [0.0, 1.0], Live,
            help: "Learning rate: how far each step moves the value of the tap that was on.",
            source: "0.1 (calibrated for the dopamine scenes: the cue's response grows over about 50 trials)";
        gamma: f32 = 0.98, [0.0, 1.0], Live,
            help: "Discount per step: the cue's response is about gamma^delay times the reward.",
            source: "0.98 (calibrated: the cue keeps most of the reward's value over a 6-step delay, 0.98^6 = 0.89)";
        /// Taps of the delay line: steps after the cue it can tell apart.
        taps: u32 = 30, [1.0, 400.0], OnReset,
            help: "How many steps after the cue the delay line tells apart (beyond its last tap there is no prediction).",
            source: "30 (calibrated: longer than the dopamine scenes' delay plus the steps after the reward)";
    }
}

/// A tapped delay line of values, learned by TD.
#[derive(Clone, Serialize, Deserialize)]
pub struct TdDelayLine {
    params: TdDelayLineParams,
    /// w: the value of each tap (steps since the cue).
    values: Vec<f32>,
    /// Steps since the cue in this trial (`None`: no cue yet).
    since_cue: Option<u32>,
    /// The TD error of the latest step (read right after `learn`, not kept).
    #[serde(skip)]
    delta: f32,
    /// Trials seen.
    trials: u64,
}

impl TdDelayLine {
    /// A fresh line: every tap's value 0.
    pub fn new(params: TdDelayLineParams) -> Self {
        Self {
            values: vec![0.0; params.taps.max(1) as usize],
            params,
            since_cue: None,
            delta: 0.0,
            trials: 0,
        }
    }

    /// The value of the tap `since_cue` steps after the cue (0 before the cue and past the line).
    fn value(&self, since_cue: Option<u32>) -> f32 {
        since_cue
            .and_then(|k| self.values.get(k as usize))
            .copied()
            .unwrap_or(0.0)
    }

    /// The learned value of each tap: V at 0, 1, ... steps after the cue.
    pub fn tap_values(&self) -> &[f32] {
        &self.values
    }
}

impl Brain for TdDelayLine {
    type Params = TdDelayLineParams;
    const SUMMARY: &'static str =
        "TD over a tapped delay line, the dopamine model (Schultz, Dayan & Montague 1997)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &TdDelayLineParams, _world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone())
    }

    fn title(_params: &TdDelayLineParams) -> &'static str {
        "a TD learner over a delay line"
    }
}

impl Agent for TdDelayLine {
    fn act(&mut self, _observation: &Observation, _rng: &mut ArenaRng) -> Action {
        Action::Right
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        let TdDelayLineParams { alpha, gamma, .. } = self.params;
        let now = self.since_cue;
        let next = if t.next.cue_on() {
            Some(0)
        } else {
            now.map(|k| k.saturating_add(1))
        };
        let ahead = if t.terminal { 0.0 } else { self.value(next) };
        self.delta = t.reward + gamma * ahead - self.value(now);
        if let Some(w) = now.and_then(|k| self.values.get_mut(k as usize)) {
            *w += alpha * self.delta;
        }
        self.since_cue = next;
    }

    fn end_episode(&mut self, _rng: &mut ArenaRng) {
        self.since_cue = None;
        self.trials += 1;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        // The map shows each track cell's value in this trial: the tap it is on, counted from
        // the cue's cell.
        let mut values = ValueMap {
            value: vec![f32::NAN; world.cell_count()],
            greedy: vec![None; world.cell_count()],
            meaning: "value of the tap on there (this trial)",
        };
        if let Some(trial) = world.trial() {
            for step in 0..=trial.ends_at {
                let cell = world.track_cell(step);
                let since = step.checked_sub(trial.cue_at);
                values.value[cell] = self.value(since);
            }
        }
        let peak = self.values.iter().copied().fold(0.0f32, f32::max);
        Insight {
            values: Some(values),
            facts: vec![
                (
                    "steps since the cue".into(),
                    match self.since_cue {
                        Some(k) => k.to_string(),
                        None => "no cue yet".into(),
                    },
                ),
                (
                    "value now".into(),
                    format!("{:.2}", self.value(self.since_cue)),
                ),
                ("largest tap value".into(), format!("{peak:.2}")),
                ("trials".into(), self.trials.to_string()),
            ],
            ..Insight::default()
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, _world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, ensure};
        ensure(
            self.values.len() == self.params.taps.max(1) as usize,
            || {
                format!(
                    "its delay line has {} taps, its hyperparameters {}",
                    self.values.len(),
                    self.params.taps
                )
            },
        )?;
        ensure(all_finite(self.values.iter()), || {
            "a tap's value is not a finite number".into()
        })
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::TdDelayLine(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::TdDelayLine(params) = spec {
            self.params = params.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// One trial of the shipped dopamine scene's protocol, with the reward replaced by `reward`
    /// (0: omitted); the delta of each step, and the step at which the reward was due.
    fn trial(agent: &mut TdDelayLine, seed: u64, reward: f32) -> (Vec<f32>, usize) {
        let scene = crate::scene::parse(
            include_str!("../../../../../scenes/dopamine.ron"),
            "dopamine.ron",
        )
        .expect("the shipped scene parses")
        .scene;
        let mut world = scene.build_world();
        let mut rng = ArenaRng::seed_from_u64(seed);
        world.reset_with(&mut rng);
        let trial = *world.trial().expect("the scene has a protocol");
        let mut deltas = Vec::new();
        loop {
            let state = world.agent();
            let outcome = world.step(Action::Right, &mut rng);
            let paid = world.steps() == trial.reward_at;
            agent.learn(
                &Transition {
                    state,
                    action: Action::Right,
                    reward: if paid { reward } else { 0.0 },
                    next: Observation::of(&world),
                    terminal: outcome.terminal,
                    truncated: false,
                },
                &mut rng,
            );
            deltas.push(agent.delta);
            if outcome.terminal {
                break;
            }
        }
        agent.end_episode(&mut rng);
        (deltas, trial.reward_at as usize - 1)
    }

    #[test]
    fn delta_moves_from_the_reward_to_the_cue() {
        let mut agent = TdDelayLine::new(TdDelayLineParams::default());
        let (first, due) = trial(&mut agent, 0, 1.0);
        // The first trial: nothing is predicted, so the only error is the reward itself.
        let errors: Vec<usize> = (0..first.len()).filter(|&i| first[i] != 0.0).collect();
        assert_eq!(errors, [due], "{first:?}");
        assert_eq!(first[due], 1.0);
        for seed in 1..300 {
            trial(&mut agent, seed, 1.0);
        }
        let (late, due) = trial(&mut agent, 300, 1.0);
        let cue = late.iter().position(|&d| d > 0.5).expect("a response");
        assert!(
            cue < due && late[cue] > 0.8,
            "the cue's response is most of the reward: {late:?}"
        );
        assert!(
            late[due].abs() < 0.05,
            "no response at a predicted reward: {late:?}"
        );
        let (omitted, due) = trial(&mut agent, 301, 0.0);
        assert!(
            omitted[due] < -0.8,
            "a dip where the reward was due: {omitted:?}"
        );
    }
}
