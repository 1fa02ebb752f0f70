//! Learned world models for planning: a deterministic table (last observed outcome) and a stochastic one (counts).
//!
//! Both know how confident they are about each (state, action) and how often their predictions were
//! wrong when the real world answered.

use serde::{Deserialize, Serialize};

use rand::Rng;

use crate::ArenaRng;
use crate::world::Action;

/// What the model predicts one step does.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The next state (cell).
    pub next: usize,
    /// The reward.
    pub reward: f32,
    /// Whether the episode ends there.
    pub terminal: bool,
}

/// The most outcomes one (state, move) of a restored model may hold: a search branches on each, so
/// a model with thousands would stall the planner. A real run sees a handful (slip, a moved start).
pub const MOST_OUTCOMES: usize = 64;

/// Per (state, action): the outcomes seen and how often.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Entry {
    outcomes: Vec<(Outcome, u32)>,
    tries: u32,
    last_tried: u64,
}

/// A world model learned from experience, over `states` x 4 actions.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorldModel {
    entries: Vec<Entry>,
    /// Deterministic: keep only the last outcome. Stochastic: count every outcome.
    stochastic: bool,
    /// (state, action) pairs tried at least once, in the order first tried.
    observed: Vec<(usize, Action)>,
    predictions: u64,
    mispredictions: u64,
    /// Exponential moving average of the misprediction rate (recent error).
    pub recent_error: f32,
}

impl WorldModel {
    /// An empty model over `states` states.
    pub fn new(states: usize, stochastic: bool) -> Self {
        Self {
            entries: vec![Entry::default(); states * Action::COUNT],
            stochastic,
            observed: Vec::new(),
            predictions: 0,
            mispredictions: 0,
            recent_error: 0.0,
        }
    }

    /// Whether a model read from a snapshot fits a map of `cells`: one entry per (cell, move),
    /// outcomes on the map with finite rewards and counts that add up to the tries, the list of
    /// tried moves exactly the tried entries, at most [`MOST_OUTCOMES`] outcomes an entry (a
    /// search branches on each), and the kind of counting the agent asks for.
    pub fn check(&self, cells: usize, stochastic: bool) -> Result<(), String> {
        use super::restored::{COUNTER_MAX, ensure, probability};
        ensure(self.stochastic == stochastic, || {
            "its model counts outcomes the wrong way for its hyperparameters".into()
        })?;
        ensure(self.entries.len() == cells * Action::COUNT, || {
            format!(
                "its model has {} entries for {cells} cells",
                self.entries.len()
            )
        })?;
        let mut tried = 0;
        for entry in &self.entries {
            let total: u64 = entry.outcomes.iter().map(|&(_, n)| u64::from(n)).sum();
            // (Counts saturate rather than wrap, so on a run beyond 4 billion tries of one move
            // they need not add up exactly.)
            let counted = if self.stochastic {
                total >= u64::from(entry.tries.min(1))
                    && entry
                        .outcomes
                        .iter()
                        .enumerate()
                        .all(|(j, (o, _))| entry.outcomes[..j].iter().all(|(p, _)| p != o))
            } else {
                entry.outcomes.len() <= 1 && total <= 1
            };
            ensure(
                counted
                    && entry.outcomes.is_empty() == (entry.tries == 0)
                    && entry.outcomes.len() <= MOST_OUTCOMES
                    && entry
                        .outcomes
                        .iter()
                        .all(|(o, n)| *n >= 1 && o.next < cells && o.reward.is_finite()),
                || "an entry of its model is damaged".into(),
            )?;
            tried += usize::from(entry.tries > 0);
        }
        let mut seen = vec![false; self.entries.len()];
        for &(state, action) in &self.observed {
            ensure(state < cells, || {
                format!("its model tried a move at cell {state}, off the map")
            })?;
            let i = Self::index(state, action);
            ensure(!seen[i] && self.entries[i].tries > 0, || {
                "its model's list of tried moves is damaged".into()
            })?;
            seen[i] = true;
        }
        ensure(
            self.observed.len() == tried
                && self.mispredictions <= self.predictions
                && self.predictions <= COUNTER_MAX
                && probability(self.recent_error),
            || "its model's error counts are damaged".into(),
        )
    }

    fn index(state: usize, action: Action) -> usize {
        state * Action::COUNT + action.index()
    }

    /// Records what really happened; first scores the model's prediction against it.
    pub fn record(&mut self, state: usize, action: Action, outcome: Outcome, now: u64) {
        let Some(entry) = self.entries.get_mut(Self::index(state, action)) else {
            return;
        };
        if entry.tries > 0 {
            let predicted = entry
                .outcomes
                .iter()
                .max_by_key(|(_, n)| *n)
                .map(|(o, _)| *o);
            let wrong = predicted != Some(outcome);
            self.predictions += 1;
            self.mispredictions += u64::from(wrong);
            self.recent_error += 0.01 * (f32::from(u8::from(wrong)) - self.recent_error);
        } else {
            self.observed.push((state, action));
        }
        entry.tries = entry.tries.saturating_add(1);
        entry.last_tried = now;
        if self.stochastic {
            match entry.outcomes.iter_mut().find(|(o, _)| *o == outcome) {
                Some((_, n)) => *n = n.saturating_add(1),
                None => entry.outcomes.push((outcome, 1)),
            }
        } else {
            entry.outcomes.clear();
            entry.outcomes.push((outcome, 1));
        }
    }

    /// Samples an outcome of (state, action), if it was ever tried.
    pub fn sample(&self, state: usize, action: Action, rng: &mut ArenaRng) -> Option<Outcome> {
        let entry = self.entries.get(Self::index(state, action))?;
        match entry.outcomes.as_slice() {
            [] => None,
            [(only, _)] => Some(*only),
            outcomes => {
                let total: u64 = outcomes.iter().map(|&(_, n)| u64::from(n)).sum();
                // Drawn as a u32 whenever the counts fit one (every real run), so the random
                // stream is what it always was.
                let mut pick = match u32::try_from(total) {
                    Ok(total) => u64::from(rng.random_range(0..total)),
                    Err(_) => rng.random_range(0..total),
                };
                for (o, n) in outcomes {
                    if pick < u64::from(*n) {
                        return Some(*o);
                    }
                    pick -= u64::from(*n);
                }
                None
            }
        }
    }

    /// Every outcome seen for (state, action), with its probability under the model.
    pub fn outcomes(&self, state: usize, action: Action) -> Vec<(Outcome, f32)> {
        let Some(entry) = self.entries.get(Self::index(state, action)) else {
            return Vec::new();
        };
        let total: u64 = entry.outcomes.iter().map(|&(_, n)| u64::from(n)).sum();
        entry
            .outcomes
            .iter()
            .map(|(o, n)| (*o, *n as f32 / total.max(1) as f32))
            .collect()
    }

    /// The most likely outcome of (state, action) and its probability under the model.
    pub fn most_likely(&self, state: usize, action: Action) -> Option<(Outcome, f32)> {
        let entry = self.entries.get(Self::index(state, action))?;
        let total: u64 = entry.outcomes.iter().map(|&(_, n)| u64::from(n)).sum();
        entry
            .outcomes
            .iter()
            .max_by_key(|(_, n)| *n)
            .map(|(o, n)| (*o, *n as f32 / total.max(1) as f32))
    }

    /// Confidence in (state, action) in [0, 1]: 0 if never tried, rising with tries
    /// (n / (n + 1)) times the probability of the most likely outcome.
    pub fn confidence(&self, state: usize, action: Action) -> f32 {
        match (
            self.entries.get(Self::index(state, action)),
            self.most_likely(state, action),
        ) {
            (Some(entry), Some((_, p))) => p * entry.tries as f32 / (entry.tries as f32 + 1.0),
            _ => 0.0,
        }
    }

    /// Steps since (state, action) was last really tried (`now` if never).
    pub fn since_tried(&self, state: usize, action: Action, now: u64) -> u64 {
        self.entries
            .get(Self::index(state, action))
            .filter(|e| e.tries > 0)
            .map_or(now, |e| now.saturating_sub(e.last_tried))
    }

    /// Whether (state, action) was ever tried.
    pub fn tried(&self, state: usize, action: Action) -> bool {
        self.entries
            .get(Self::index(state, action))
            .is_some_and(|e| e.tries > 0)
    }

    /// A uniformly random previously observed (state, action).
    pub fn random_observed(&self, rng: &mut ArenaRng) -> Option<(usize, Action)> {
        (!self.observed.is_empty()).then(|| self.observed[rng.random_range(0..self.observed.len())])
    }

    /// Mean confidence of every cell over its four moves, for the confidence heatmap.
    pub fn confidence_map(&self, cells: usize) -> Vec<f32> {
        (0..cells)
            .map(|s| {
                Action::ALL
                    .iter()
                    .map(|&a| self.confidence(s, a))
                    .sum::<f32>()
                    / Action::COUNT as f32
            })
            .collect()
    }

    /// What the insight panel says about the model: pairs seen and its error.
    pub fn facts(&self, cells: usize) -> [(String, String); 2] {
        [
            (
                "model pairs".into(),
                format!("{} of {}", self.observed_pairs(), cells * Action::COUNT),
            ),
            (
                "model error".into(),
                format!(
                    "{:.1}% (recent {:.1}%)",
                    100.0 * self.error_rate(),
                    100.0 * self.recent_error
                ),
            ),
        ]
    }

    /// Fraction of predictions that were wrong, over the model's life.
    pub fn error_rate(&self) -> f32 {
        if self.predictions == 0 {
            0.0
        } else {
            self.mispredictions as f32 / self.predictions as f32
        }
    }

    /// The (state, action) pairs tried, in the order first tried: the memories a replay draws on.
    pub fn observed(&self) -> &[(usize, Action)] {
        &self.observed
    }

    /// Number of (state, action) pairs tried.
    pub fn observed_pairs(&self) -> usize {
        self.observed.len()
    }
}

/// The real step every model-based learner takes (Dyna-Q, the planner, prioritised replay):
/// Watkins's update of `q`, the step counted as a visit, and the step recorded in `model` at time
/// `now`. Returns the update's TD error, the dopamine-like one.
pub fn learn_real_step(
    q: &mut crate::brain::QTable,
    model: &mut WorldModel,
    t: &crate::brain::Transition,
    (alpha, gamma): (f32, f32),
    now: u64,
) -> f32 {
    let next = (!t.terminal).then_some(t.next.state);
    let delta = q.update(t.state, t.action, t.reward, next, alpha, gamma);
    q.visit(t.state);
    let outcome = Outcome {
        next: t.next.state,
        reward: t.reward,
        terminal: t.terminal,
    };
    model.record(t.state, t.action, outcome, now);
    delta
}
