//! What is kept of finished episodes: every record (for CSV and fingerprints) when asked for, and
//! always a bounded summary for curves and panels.

use serde::{Deserialize, Serialize};

use std::collections::VecDeque;

/// The outcome of one finished episode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRecord {
    /// Episode number, from 1.
    pub episode: u32,
    /// Index of the task in force (0 before the first switch).
    pub task: usize,
    /// Steps taken.
    pub steps: u32,
    /// Sum of rewards.
    pub episode_return: f64,
    /// Reached the goal (or the target object).
    pub success: bool,
}

/// Consecutive episodes summed: one point of a learning curve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EpisodeBucket {
    /// The first episode's number.
    pub first: u32,
    /// Episodes in the bucket.
    pub count: u32,
    /// Their steps, summed.
    pub steps: f64,
    /// Their returns, summed.
    pub episode_return: f64,
    /// How many reached the goal.
    pub successes: u32,
}

impl EpisodeBucket {
    fn add(&mut self, record: &EpisodeRecord) {
        if self.count == 0 {
            self.first = record.episode;
        }
        self.count += 1;
        self.steps += f64::from(record.steps);
        self.episode_return += record.episode_return;
        self.successes += u32::from(record.success);
    }

    fn merge(&mut self, other: &EpisodeBucket) {
        self.count += other.count;
        self.steps += other.steps;
        self.episode_return += other.episode_return;
        self.successes += other.successes;
    }

    /// The episode at the bucket's middle, for plotting.
    pub fn centre(&self) -> f64 {
        f64::from(self.first) + (f64::from(self.count) - 1.0) / 2.0
    }
}

/// A learning curve of bounded size: one bucket per episode at first; when [`EpisodeCurve::LIMIT`]
/// buckets are held, neighbours merge and each bucket holds twice as many episodes from then on,
/// so memory and drawing cost the same after a thousand episodes or a billion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeCurve {
    buckets: Vec<EpisodeBucket>,
    /// Episodes per full bucket.
    width: u32,
}

impl Default for EpisodeCurve {
    fn default() -> Self {
        Self {
            buckets: Vec::new(),
            width: 1,
        }
    }
}

impl EpisodeCurve {
    /// The most buckets a curve holds.
    pub const LIMIT: usize = 256;

    /// Adds a finished episode.
    pub fn add(&mut self, record: &EpisodeRecord) {
        if self.buckets.last().is_none_or(|b| b.count >= self.width) {
            if self.buckets.len() == Self::LIMIT {
                self.buckets = self
                    .buckets
                    .chunks(2)
                    .map(|pair| {
                        let mut merged = pair[0];
                        if let Some(second) = pair.get(1) {
                            merged.merge(second);
                        }
                        merged
                    })
                    .collect();
                self.width *= 2;
            }
            if self.buckets.last().is_none_or(|b| b.count >= self.width) {
                self.buckets.push(EpisodeBucket::default());
            }
        }
        if let Some(last) = self.buckets.last_mut() {
            last.add(record);
        }
    }

    /// The buckets, oldest first.
    pub fn buckets(&self) -> &[EpisodeBucket] {
        &self.buckets
    }

    /// Episodes per full bucket now.
    pub fn width(&self) -> u32 {
        self.width
    }
}

/// How many recent episodes the arena titles count successes over.
pub const RECENT: usize = 20;

/// Finished episodes: the count, the last one, recent successes and the curve, always; every
/// record only when kept (the headless runs write them all as CSV; the window needs only the
/// summary, so its memory does not grow with the run).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EpisodeLog {
    count: u32,
    records: Option<Vec<EpisodeRecord>>,
    last: Option<EpisodeRecord>,
    recent: VecDeque<bool>,
    curve: EpisodeCurve,
}

impl EpisodeLog {
    /// An empty log that keeps every record if `keep_records`.
    pub fn new(keep_records: bool) -> Self {
        Self {
            count: 0,
            records: keep_records.then(Vec::new),
            last: None,
            recent: VecDeque::with_capacity(RECENT),
            curve: EpisodeCurve::default(),
        }
    }

    /// Whether a log read from a snapshot is consistent: finite returns, a curve of at most
    /// [`EpisodeCurve::LIMIT`] buckets a power of two wide, at most [`RECENT`] recent episodes.
    pub fn check(&self) -> Result<(), String> {
        let curve = &self.curve;
        if !curve.width.is_power_of_two()
            || curve.width > 1 << 30
            || curve.buckets.len() > EpisodeCurve::LIMIT
            || curve.buckets.iter().any(|b| {
                !(b.steps.is_finite() && b.episode_return.is_finite()) || b.count > curve.width
            })
        {
            return Err("an arena's learning curve is damaged".into());
        }
        let finite = |r: &EpisodeRecord| r.episode_return.is_finite();
        if self.recent.len() > RECENT
            || !self.last.iter().all(finite)
            || !self.records().iter().all(finite)
        {
            return Err("an arena's episode records are damaged".into());
        }
        Ok(())
    }

    /// Keeps only the summary from now on (the records so far are dropped).
    pub fn keep_only_summaries(&mut self) {
        self.records = None;
    }

    /// Whether every record is kept (otherwise only the summary).
    pub fn keeps_records(&self) -> bool {
        self.records.is_some()
    }

    /// Adds a finished episode.
    pub fn push(&mut self, record: EpisodeRecord) {
        self.count += 1;
        self.curve.add(&record);
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(record.success);
        if let Some(records) = &mut self.records {
            records.push(record.clone());
        }
        self.last = Some(record);
    }

    /// Episodes finished.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Every record, oldest first (empty when records are not kept).
    pub fn records(&self) -> &[EpisodeRecord] {
        self.records.as_deref().unwrap_or_default()
    }

    /// The last finished episode.
    pub fn last(&self) -> Option<&EpisodeRecord> {
        self.last.as_ref()
    }

    /// Successes among the last (up to [`RECENT`]) episodes, and how many those are.
    pub fn recent_successes(&self) -> (usize, usize) {
        (
            self.recent.iter().filter(|&&s| s).count(),
            self.recent.len(),
        )
    }

    /// The bounded learning curve.
    pub fn curve(&self) -> &EpisodeCurve {
        &self.curve
    }
}
