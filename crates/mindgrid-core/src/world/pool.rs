//! The water maze (Morris 1981): a round pool, a hidden platform, starts at the edges in a random
//! order per block of trials, probe trials without the platform, and the time in each quadrant.

use std::collections::VecDeque;

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{Cell, GridWorld};
use crate::ArenaRng;

/// A water-maze protocol: where trials start, which trials are probes, and how long a probe lasts.
/// The pool is the map's open cells; the platform is its goal cells (hidden: agents do not see
/// cells, only where they are).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// The start cells, (column, row): each block of trials starts once from each, in an order
    /// drawn for the block, as in Morris's protocol (four starts at the pool's edge: N, E, S, W).
    pub starts: Vec<(u32, u32)>,
    /// Trials (from 1) run as probes: the platform is taken away, and the trial ends after
    /// `probe_steps` (the time in each quadrant is what a probe measures).
    #[serde(default)]
    pub probes: Vec<u32>,
    /// Steps a probe trial lasts.
    #[serde(default = "probe_steps")]
    pub probe_steps: u32,
}

fn probe_steps() -> u32 {
    60
}

/// The most starts a pool may have.
pub const MOST_STARTS: usize = 16;
/// The most probe trials a pool may have.
pub const MOST_PROBES: usize = 64;
/// The most trials the pool's record keeps (the latest).
pub const MOST_TRIALS: usize = 1000;

/// The four quadrants, in the order counts are kept: north-east, north-west, south-west,
/// south-east (rows grow southwards).
pub const QUADRANTS: [&str; 4] = ["NE", "NW", "SW", "SE"];

impl Pool {
    /// What is wrong with the protocol's numbers (the scene validator checks its cells on the
    /// map), as (field, message); `max_steps` is the episode's limit.
    pub fn errors(&self, max_steps: u32) -> Vec<(&'static str, String)> {
        let mut errors = Vec::new();
        if self.starts.is_empty() || self.starts.len() > MOST_STARTS {
            errors.push((
                "starts",
                format!(
                    "the pool has {} starts; expected 1 to {MOST_STARTS}",
                    self.starts.len()
                ),
            ));
        }
        if self.probes.len() > MOST_PROBES || self.probes.contains(&0) {
            errors.push((
                "probes",
                format!(
                    "the probes are {:?}; expected at most {MOST_PROBES} trial numbers from 1",
                    self.probes
                ),
            ));
        }
        if !(1..=max_steps).contains(&self.probe_steps) {
            errors.push((
                "probe_steps",
                format!(
                    "probe_steps is {}; expected 1 to max_steps ({max_steps})",
                    self.probe_steps
                ),
            ));
        }
        errors
    }

    /// What is wrong with the protocol on `world`'s map: starts off the floor, no platform.
    pub fn map_errors(&self, world: &GridWorld) -> Vec<(&'static str, String)> {
        let mut errors: Vec<(&'static str, String)> = self
            .starts
            .iter()
            .filter(|&&(x, y)| world.cell_at(x as i32, y as i32) != Some(Cell::Floor))
            .map(|&(x, y)| {
                (
                    "starts",
                    format!("the start ({x}, {y}) is not on the pool's floor ('.' or 'S')"),
                )
            })
            .collect();
        if !world.cells().contains(&Cell::Goal) {
            errors.push((
                "starts",
                "the pool has no platform; expected a goal cell 'G' on the map".into(),
            ));
        }
        errors
    }
}

/// One finished trial in the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolTrial {
    /// The trial's number, from 1.
    pub number: u32,
    /// The cell it started from.
    pub start: usize,
    /// Steps it lasted: the escape latency when the platform was found.
    pub steps: u32,
    /// Whether the platform was found.
    pub found: bool,
    /// A probe trial (no platform).
    pub probe: bool,
    /// Steps ending in each quadrant ([`QUADRANTS`] order).
    pub quadrant_steps: [u32; 4],
    /// The platform's quadrant (for a probe, where it was).
    pub target: u8,
    /// The quadrant the platform was in before it last moved, if it moved.
    pub old: Option<u8>,
}

impl PoolTrial {
    /// The share of the trial's steps spent in quadrant `q` (NaN for a trial of no steps).
    pub fn share(&self, q: u8) -> f64 {
        let total: u32 = self.quadrant_steps.iter().sum();
        f64::from(self.quadrant_steps[usize::from(q) % 4]) / f64::from(total)
    }
}

/// The pool's state: the trial under way and the record of finished ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PoolState {
    /// The trial under way (0 before the first).
    pub trial: u32,
    /// Starts (indices into the protocol's list) left in this block.
    block: Vec<u8>,
    /// The trial is a probe.
    pub probe: bool,
    /// The platform cells taken away for the probe under way.
    removed: Vec<usize>,
    /// The trial under way found the platform.
    found: bool,
    /// Steps ending in each quadrant, this trial.
    pub quadrant_steps: [u32; 4],
    /// The platform's quadrant this trial.
    pub target: Option<u8>,
    /// The pool's centre when the trial began ([`GridWorld::pool_centre`]).
    pub centre: (f32, f32),
    /// The quadrant the platform was in before it last moved.
    pub old: Option<u8>,
    /// Finished trials, the latest [`MOST_TRIALS`].
    pub trials: VecDeque<PoolTrial>,
}

impl PoolState {
    /// The platform cells a probe under way has taken away.
    pub fn removed(&self) -> &[usize] {
        &self.removed
    }

    /// Whether a state read from a snapshot fits a map of `cells` and `starts` starts.
    pub fn check(&self, cells: usize, starts: usize) -> Result<(), String> {
        let fits = self.block.iter().all(|&s| usize::from(s) < starts)
            && self.removed.iter().all(|&c| c < cells)
            && self.trials.len() <= MOST_TRIALS
            && self
                .trials
                .iter()
                .all(|t| t.start < cells && t.target < 4 && t.old.is_none_or(|q| q < 4))
            && self.target.is_none_or(|q| q < 4)
            && self.centre.0.is_finite()
            && self.centre.1.is_finite()
            && self.old.is_none_or(|q| q < 4);
        if fits {
            Ok(())
        } else {
            Err("its water-maze record is damaged".into())
        }
    }
}

/// The quadrant of a point about `centre` ([`QUADRANTS`] order); a point on a dividing line
/// counts as east or south.
fn quadrant_of((x, y): (f32, f32), centre: (f32, f32)) -> u8 {
    match (y < centre.1, x >= centre.0) {
        (true, true) => 0,
        (true, false) => 1,
        (false, false) => 2,
        (false, true) => 3,
    }
}

impl GridWorld {
    /// The pool's state, in a water maze.
    pub fn pool(&self) -> Option<&PoolState> {
        self.pool.as_ref()
    }

    /// The centre of the pool: the mean position of its open cells, in cell units (a cell's
    /// centre is at its column + 0.5, row + 0.5).
    pub fn pool_centre(&self) -> (f32, f32) {
        let (mut sx, mut sy, mut n) = (0.0f32, 0.0f32, 0.0f32);
        for i in 0..self.cell_count() {
            if self.cell(i) != Cell::Wall {
                let (x, y) = self.xy(i);
                sx += x as f32 + 0.5;
                sy += y as f32 + 0.5;
                n += 1.0;
            }
        }
        (sx / n.max(1.0), sy / n.max(1.0))
    }

    /// The quadrant of `cell` about `centre` ([`QUADRANTS`] order).
    pub fn quadrant(&self, cell: usize, centre: (f32, f32)) -> u8 {
        let (x, y) = self.xy(cell);
        quadrant_of((x as f32 + 0.5, y as f32 + 0.5), centre)
    }

    /// The platform's quadrant: that of the mean position of its cells (the cells taken away for a
    /// probe count as the platform).
    fn platform_quadrant(&self, centre: (f32, f32)) -> Option<u8> {
        let mut cells: Vec<usize> = (0..self.cell_count())
            .filter(|&i| self.cell(i) == Cell::Goal)
            .collect();
        if let Some(pool) = &self.pool {
            cells.extend(&pool.removed);
        }
        if cells.is_empty() {
            return None;
        }
        let n = cells.len() as f32;
        let (sx, sy) = cells.iter().fold((0.0, 0.0), |(sx, sy), &c| {
            let (x, y) = self.xy(c);
            (sx + x as f32 + 0.5, sy + y as f32 + 0.5)
        });
        Some(quadrant_of((sx / n, sy / n), centre))
    }

    /// Ends the trial under way (recording it) and begins the next: its start drawn from the
    /// block, the platform taken away if it is a probe.
    pub(super) fn start_pool_trial(&mut self, rng: &mut ArenaRng) {
        let Some(protocol) = self.rules.pool.clone() else {
            return;
        };
        let centre = self.pool_centre();
        let steps = self.steps;
        let start = self.start;
        let mut pool = self.pool.take().unwrap_or_default();
        if pool.trial > 0 {
            let record = PoolTrial {
                number: pool.trial,
                start,
                steps,
                found: pool.found,
                probe: pool.probe,
                quadrant_steps: pool.quadrant_steps,
                target: pool.target.unwrap_or(0),
                old: pool.old,
            };
            if pool.trials.len() == MOST_TRIALS {
                pool.trials.pop_front();
            }
            pool.trials.push_back(record);
        }
        self.pool = Some(pool);
        self.restore_platform();
        let target = self.platform_quadrant(centre);
        let pool = self.pool.as_mut().expect("set above");
        if let (Some(before), Some(now)) = (pool.target, target)
            && before != now
        {
            pool.old = Some(before);
        }
        pool.target = target;
        pool.centre = centre;
        pool.trial = pool.trial.saturating_add(1);
        pool.found = false;
        pool.quadrant_steps = [0; 4];
        if pool.block.is_empty() {
            let mut order: Vec<u8> = (0..protocol.starts.len() as u8).collect();
            for k in (1..order.len()).rev() {
                order.swap(k, rng.random_range(0..=k));
            }
            pool.block = order;
        }
        let next = pool.block.pop().map_or(0, usize::from);
        pool.probe = protocol.probes.contains(&pool.trial);
        if let Some(&(x, y)) = protocol.starts.get(next)
            && let Some(Cell::Floor) = self.cell_at(x as i32, y as i32)
        {
            self.start = y as usize * self.width + x as usize;
        }
        if self.pool.as_ref().is_some_and(|p| p.probe) {
            let platform: Vec<usize> = (0..self.cell_count())
                .filter(|&i| self.cell(i) == Cell::Goal)
                .collect();
            for &c in &platform {
                self.cells[c] = Cell::Floor;
            }
            if let Some(pool) = self.pool.as_mut() {
                pool.removed = platform;
            }
        }
    }

    /// Puts back a platform a probe took away (unless a platform has been placed since).
    fn restore_platform(&mut self) {
        let Some(pool) = self.pool.as_mut() else {
            return;
        };
        let removed = std::mem::take(&mut pool.removed);
        if !self.cells.contains(&Cell::Goal) {
            for c in removed {
                if self.cells[c] == Cell::Floor {
                    self.cells[c] = Cell::Goal;
                }
            }
        }
    }

    /// Counts the step just taken in the pool: its quadrant, whether it found the platform; a
    /// probe ends after its steps. Returns whether the probe is over.
    pub(super) fn pool_step(&mut self, found: bool) -> bool {
        let probe_steps = self.rules.pool.as_ref().map_or(0, |p| p.probe_steps);
        let steps = self.steps;
        let Some(centre) = self.pool.as_ref().map(|p| p.centre) else {
            return false;
        };
        let quadrant = self.quadrant(self.agent, centre);
        let Some(pool) = self.pool.as_mut() else {
            return false;
        };
        pool.quadrant_steps[usize::from(quadrant)] += 1;
        pool.found |= found;
        let over = pool.probe && steps >= probe_steps;
        if over {
            self.restore_platform();
        }
        over
    }
}
