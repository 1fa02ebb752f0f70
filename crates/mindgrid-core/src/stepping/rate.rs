//! The measured stepping rate, and whether the speed asked for is kept.

use std::collections::VecDeque;
use web_time::Instant;

/// Measured steps per second, and whether the speed asked for could not be kept. The rate is over
/// the last [`RateMeter::READINGS`] half-seconds, so one slow half-second (a panel's insight on a
/// large map) does not flash "behind: 4 of 600 steps/s" while about 300 are kept.
pub(super) struct RateMeter {
    since: Instant,
    steps: u64,
    dropped: f64,
    /// The latest half-seconds: (steps, seconds, dropped), oldest first.
    readings: VecDeque<(u64, f64, f64)>,
    /// Lockstep steps per second, all arenas together, over the readings.
    pub(super) steps_per_second: f64,
    /// The speed asked for could not be kept over the readings.
    pub(super) behind: bool,
}

impl RateMeter {
    /// Half-second readings the rate averages over.
    const READINGS: usize = 4;

    pub(super) fn new() -> Self {
        Self {
            since: Instant::now(),
            steps: 0,
            dropped: 0.0,
            readings: VecDeque::with_capacity(Self::READINGS),
            steps_per_second: 0.0,
            behind: false,
        }
    }

    /// Counts `steps` (all arenas) taken and `dropped` lockstep steps dropped; refreshes twice a second.
    pub(super) fn note(&mut self, steps: u64, dropped: f64) {
        self.steps += steps;
        self.dropped += dropped;
        let seconds = self.since.elapsed().as_secs_f64();
        if seconds >= 0.5 {
            if self.readings.len() == Self::READINGS {
                self.readings.pop_front();
            }
            self.readings.push_back((self.steps, seconds, self.dropped));
            let (steps, seconds, dropped) = self
                .readings
                .iter()
                .fold((0, 0.0, 0.0), |(s, t, d), &(s2, t2, d2)| {
                    (s + s2, t + t2, d + d2)
                });
            self.steps_per_second = steps as f64 / seconds;
            self.behind = dropped >= 1.0;
            self.since = Instant::now();
            self.steps = 0;
            self.dropped = 0.0;
        }
    }

    /// Forgets the readings: the speed changed, or the run paused.
    pub(super) fn restart(&mut self) {
        *self = Self::new();
    }
}
