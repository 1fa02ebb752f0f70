//! A time series for a panel's plot that stays the same size however long the run.

use serde::{Deserialize, Serialize};

/// Points (x, value) kept evenly spaced and bounded: when [`Curve::LIMIT`] points are held, every
/// other one goes and from then on only every other point offered is kept, so a curve over a
/// billion steps costs what a curve over a thousand does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve<T> {
    points: Vec<(u64, T)>,
    /// The newest point offered, kept or not.
    latest: Option<(u64, T)>,
    /// Keep one point in `stride` offered.
    stride: u64,
    offered: u64,
}

impl<T: Clone> Default for Curve<T> {
    fn default() -> Self {
        Self {
            points: Vec::new(),
            latest: None,
            stride: 1,
            offered: 0,
        }
    }
}

impl<T: Clone> Curve<T> {
    /// The most points a curve holds.
    pub const LIMIT: usize = 512;

    /// Offers the point (x, value); it is kept if it falls on the current stride.
    pub fn push(&mut self, x: u64, value: T) {
        self.latest = Some((x, value.clone()));
        if self.offered.is_multiple_of(self.stride) {
            self.points.push((x, value));
            if self.points.len() >= Self::LIMIT {
                self.points = self.points.iter().step_by(2).cloned().collect();
                self.stride *= 2;
            }
        }
        self.offered += 1;
    }

    /// The points kept, oldest first, ending with the newest offered.
    pub fn points(&self) -> Vec<(u64, T)> {
        let mut points = self.points.clone();
        if let Some(latest) = &self.latest
            && points.last().is_none_or(|(x, _)| *x != latest.0)
        {
            points.push(latest.clone());
        }
        points
    }

    /// Whether a curve read from a snapshot is one pushing could make (at most [`Curve::LIMIT`]
    /// points, a power-of-two stride, x in order), every value passing `valid`.
    pub fn check(&self, valid: impl Fn(&T) -> bool) -> Result<(), String> {
        use super::restored::{COUNTER_MAX, ensure};
        ensure(
            self.points.len() < Self::LIMIT
                && self.stride.is_power_of_two()
                && self.stride <= COUNTER_MAX
                && self.offered <= COUNTER_MAX
                && self.points.len() as u64 <= self.offered
                && self.latest.is_some() == (self.offered > 0)
                && self.points.windows(2).all(|w| w[0].0 <= w[1].0),
            || "a plotted curve is damaged".into(),
        )?;
        ensure(
            self.points
                .iter()
                .chain(&self.latest)
                .all(|(_, v)| valid(v)),
            || "a plotted curve holds a value out of its range".into(),
        )
    }

    /// The newest point offered.
    pub fn last(&self) -> Option<&(u64, T)> {
        self.latest.as_ref()
    }
}
