//! The tabular action-value function shared by Q-learning, Dyna-Q and the planner: Watkins's
//! update, greedy values, visit counts and the value map the window draws.

use serde::{Deserialize, Serialize};

use std::ops::Index;

use crate::brain::{Insight, ValueMap};
use crate::world::{Action, Cell, GridWorld};

/// Q[s, a] for every cell and move, with how often each cell was left by a real step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QTable {
    q: Vec<[f32; Action::COUNT]>,
    visits: Vec<u32>,
}

impl QTable {
    /// A table for `states` cells, every entry at `initial`.
    pub fn new(states: usize, initial: f32) -> Self {
        Self {
            q: vec![[initial; Action::COUNT]; states],
            visits: vec![0; states],
        }
    }

    /// Whether a table read from a snapshot has one row and one visit count per cell of a map of
    /// `cells`, every value finite, and every cell its agent holds (`held`: the last state, the
    /// next one) on that map.
    pub fn check(&self, cells: usize, held: impl IntoIterator<Item = usize>) -> Result<(), String> {
        use super::restored::{all_finite, ensure};
        if let Some(off) = held.into_iter().find(|&c| c >= cells) {
            return Err(format!("it remembers cell {off}, off the map of {cells}"));
        }
        ensure(self.q.len() == cells && self.visits.len() == cells, || {
            format!(
                "its Q-table has {} rows and {} visit counts for {cells} cells",
                self.q.len(),
                self.visits.len()
            )
        })?;
        ensure(all_finite(self.q.iter().flatten()), || {
            "a Q value is not a finite number".into()
        })
    }

    /// The action values of `state`, if the table has it.
    pub fn get(&self, state: usize) -> Option<[f32; Action::COUNT]> {
        self.q.get(state).copied()
    }

    /// The largest action value of `state`: `max_a Q[s, a]`.
    pub fn best(&self, state: usize) -> f32 {
        self.q[state]
            .iter()
            .copied()
            .fold(f32::NEG_INFINITY, f32::max)
    }

    /// Watkins's Q-learning update, `Q[s,a] += alpha (r + gamma max_a' Q[s',a'] - Q[s,a])`;
    /// `next` is None at a terminal (no bootstrapping). Returns the TD error.
    pub fn update(
        &mut self,
        state: usize,
        action: Action,
        reward: f32,
        next: Option<usize>,
        alpha: f32,
        gamma: f32,
    ) -> f32 {
        let next_best = next.map_or(0.0, |next| self.best(next));
        self.move_towards(state, action, reward + gamma * next_best, alpha)
    }

    /// The one step every tabular rule shares: `Q[s,a] += alpha (target - Q[s,a])`. Returns the
    /// TD error `target - Q[s,a]` (before the step): the reward-prediction error.
    pub fn move_towards(&mut self, state: usize, action: Action, target: f32, alpha: f32) -> f32 {
        let entry = &mut self.q[state][action.index()];
        let delta = target - *entry;
        *entry += alpha * delta;
        delta
    }

    /// The value of `state` under the epsilon-greedy policy: `sum_a pi(a|s) Q[s,a]`, where the
    /// greedy share `1 - epsilon` is split among tied best moves (Expected Sarsa's target).
    pub fn expected(&self, state: usize, epsilon: f32) -> f32 {
        let row = &self.q[state];
        let best = self.best(state);
        let ties = row.iter().filter(|&&v| v == best).count() as f32;
        row.iter()
            .map(|&v| {
                let greedy = if v == best {
                    (1.0 - epsilon) / ties
                } else {
                    0.0
                };
                (epsilon / Action::COUNT as f32 + greedy) * v
            })
            .sum()
    }

    /// Counts a real step taken from `state`.
    pub fn visit(&mut self, state: usize) {
        self.visits[state] = self.visits[state].saturating_add(1);
    }

    /// Cells left by at least one real step.
    pub fn visited(&self) -> usize {
        self.visits.iter().filter(|&&v| v > 0).count()
    }

    /// Entries in the table.
    pub fn entries(&self) -> usize {
        self.q.len() * Action::COUNT
    }

    /// What a table agent shows: the value map, the action values of `state`, and how much of the
    /// table has been visited.
    pub fn insight(&self, world: &GridWorld, state: usize) -> Insight {
        Insight {
            values: Some(self.value_map(world)),
            action_values: Some(self.get(state).unwrap_or_default()),
            facts: vec![
                (
                    "states visited".into(),
                    // Of the cells a step can leave: floor and cue tiles (walls are never
                    // entered, and an episode ends on a goal, lava or object).
                    format!(
                        "{} of {}",
                        self.visited(),
                        world
                            .cells()
                            .iter()
                            .filter(|c| matches!(c, Cell::Floor | Cell::Cue))
                            .count()
                    ),
                ),
                ("table entries".into(), format!("{}", self.entries())),
            ],
            ..Insight::default()
        }
    }

    /// The value map: max Q per visited open cell, and the greedy move where it is unique.
    pub fn value_map(&self, world: &GridWorld) -> ValueMap {
        ValueMap::of_action_values(
            world,
            |i| self.visits[i] > 0,
            |i| self.q[i],
            "value estimate (best Q)",
        )
    }
}

impl Index<usize> for QTable {
    type Output = [f32; Action::COUNT];

    /// The action values of a cell.
    fn index(&self, state: usize) -> &Self::Output {
        &self.q[state]
    }
}
