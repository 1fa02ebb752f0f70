//! The dopamine record: every step's TD error of an arena's agent, by trial, aligned to the cue
//! and to the reward, and mapped to where it happened (Schultz, Dayan & Montague 1997).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// Steps shown before the cue, and after it.
pub const CUE_WINDOW: (u32, u32) = (4, 16);
/// Steps shown before the reward (or the time it was due), and after it.
pub const REWARD_WINDOW: (u32, u32) = (14, 6);
/// Trials in the raster: the run is thinned (every 2nd, 4th, ... trial) to fit.
pub const RASTER_TRIALS: usize = 48;
/// The latest trials the raster always shows besides, every one (a probe's trial among them).
pub const RECENT_ROWS: usize = 12;
/// Trials averaged for the early trace (the first ones with the event) and the late one (the last).
pub const TRACE_TRIALS: usize = 10;
/// Trials whose windows are kept for the late trace and the measures.
pub const LATE_TRIALS: usize = 40;
/// How far one arrival moves a cell's mean error on the map (an exponential average).
pub const MAP_RATE: f32 = 0.1;

/// What happened at a step, for the alignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Events {
    /// The cue came (a conditioning cue, or the first arrival on a cue tile this trial).
    pub cue: bool,
    /// The reward came, or was due (a conditioning trial's reward time; a goal elsewhere).
    pub reward: bool,
}

/// Which event a window is aligned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The cue.
    Cue,
    /// The reward, or the time it was due.
    Reward,
}

impl Event {
    /// Steps before and after the event a window holds.
    pub fn window(self) -> (u32, u32) {
        match self {
            Event::Cue => CUE_WINDOW,
            Event::Reward => REWARD_WINDOW,
        }
    }
}

/// One trial's errors around an event: `before + 1 + after` values, the event's step at
/// `before`; NaN where the trial had no step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// The errors, oldest first.
    pub deltas: Vec<f32>,
    /// Values still to come after the event.
    to_come: u32,
}

/// A finished trial's windows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrialRecord {
    /// The trial's number (1 is the first).
    pub number: u32,
    /// Whether a reward came.
    pub rewarded: bool,
    /// Errors around the cue, if it came.
    pub cue: Option<Window>,
    /// Errors around the reward (or its due time), if it came or was due.
    pub reward: Option<Window>,
    /// Steps from the cue to the reward (or its due time), when the trial had both.
    pub cue_to_reward: Option<u32>,
    /// Steps taken so far in the trial.
    steps: u32,
    /// The step the cue came at.
    cue_step: Option<u32>,
}

impl TrialRecord {
    /// The window aligned to `event`.
    pub fn window(&self, event: Event) -> Option<&Window> {
        match event {
            Event::Cue => self.cue.as_ref(),
            Event::Reward => self.reward.as_ref(),
        }
    }
}

/// Every step's TD error of one arena, kept as the dopamine panel and the lesson claims read it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DopamineLog {
    /// The last errors of the trial under way (for a window's steps before its event).
    recent: VecDeque<f32>,
    /// The trial under way.
    current: Option<TrialRecord>,
    /// Trials finished.
    trials: u32,
    /// The raster's trials: every `stride`-th one, thinned as the run grows.
    raster: Vec<TrialRecord>,
    stride: u32,
    /// The first trials with each event (for the early trace).
    first: Vec<TrialRecord>,
    /// The latest trials.
    last: VecDeque<TrialRecord>,
    /// The mean error on arriving at each cell (an exponential average), and the arrivals.
    map: Vec<f32>,
    arrivals: Vec<u32>,
    /// The latest step's error.
    latest: Option<f32>,
}

impl DopamineLog {
    /// Records one step: its TD error, what happened, and the cell it arrived at.
    pub fn record(&mut self, delta: f32, events: Events, arrived: usize) {
        let before = CUE_WINDOW.0.max(REWARD_WINDOW.0) as usize;
        let trial = self.current.get_or_insert_with(|| TrialRecord {
            number: self.trials.saturating_add(1),
            rewarded: false,
            cue: None,
            reward: None,
            cue_to_reward: None,
            steps: 0,
            cue_step: None,
        });
        trial.steps = trial.steps.saturating_add(1);
        for window in [&mut trial.cue, &mut trial.reward].into_iter().flatten() {
            if window.to_come > 0 {
                window.deltas.push(delta);
                window.to_come -= 1;
            }
        }
        let open = |event: Event, recent: &VecDeque<f32>| {
            let (before, after) = event.window();
            let have = recent.len().min(before as usize);
            let mut deltas = vec![f32::NAN; before as usize - have];
            deltas.extend(recent.iter().skip(recent.len() - have));
            deltas.push(delta);
            Window {
                deltas,
                to_come: after,
            }
        };
        if events.cue && trial.cue.is_none() {
            trial.cue = Some(open(Event::Cue, &self.recent));
            trial.cue_step = Some(trial.steps);
        }
        if events.reward && trial.reward.is_none() {
            trial.reward = Some(open(Event::Reward, &self.recent));
            trial.cue_to_reward = trial.cue_step.map(|cue| trial.steps.saturating_sub(cue));
        }
        if self.recent.len() == before {
            self.recent.pop_front();
        }
        self.recent.push_back(delta);
        if arrived >= self.map.len() {
            self.map.resize(arrived + 1, 0.0);
            self.arrivals.resize(arrived + 1, 0);
        }
        self.map[arrived] += MAP_RATE * (delta - self.map[arrived]);
        self.arrivals[arrived] = self.arrivals[arrived].saturating_add(1);
        self.latest = Some(delta);
    }

    /// Ends the trial under way (`rewarded`: a reward came in it).
    pub fn end_trial(&mut self, rewarded: bool) {
        self.recent.clear();
        let Some(mut trial) = self.current.take() else {
            return;
        };
        trial.rewarded = rewarded;
        for window in [&mut trial.cue, &mut trial.reward].into_iter().flatten() {
            let missing = std::mem::take(&mut window.to_come) as usize;
            window.deltas.extend(std::iter::repeat_n(f32::NAN, missing));
        }
        self.trials = self.trials.saturating_add(1);
        let stride = self.stride.max(1);
        if trial.number.saturating_sub(1) % stride == 0 {
            if self.raster.len() == RASTER_TRIALS {
                // Keep every other trial and double the stride: the raster spans the whole run.
                let mut kept = 0;
                self.raster.retain(|_| {
                    kept += 1;
                    kept % 2 == 1
                });
                self.stride = stride.saturating_mul(2);
            }
            if trial.number.saturating_sub(1) % self.stride.max(1) == 0 {
                self.raster.push(trial.clone());
            }
        }
        let firsts = |event: Event, first: &[TrialRecord]| {
            first.iter().filter(|t| t.window(event).is_some()).count()
        };
        if (trial.cue.is_some() && firsts(Event::Cue, &self.first) < TRACE_TRIALS)
            || (trial.reward.is_some() && firsts(Event::Reward, &self.first) < TRACE_TRIALS)
        {
            self.first.push(trial.clone());
        }
        if self.last.len() == LATE_TRIALS {
            self.last.pop_front();
        }
        self.last.push_back(trial);
    }

    /// Forgets the trial under way without counting it (a person took the arena over: what
    /// followed is theirs, not the agent's).
    pub fn discard_trial(&mut self) {
        self.current = None;
        self.recent.clear();
    }

    /// Trials finished.
    pub fn trials(&self) -> u32 {
        self.trials
    }

    /// The latest trials, oldest first (at most [`LATE_TRIALS`]).
    pub fn latest_trials(&self) -> impl Iterator<Item = &TrialRecord> {
        self.last.iter()
    }

    /// The mean error at `offset` steps from `event` over the latest `trials` trials that had it
    /// and that `include` (rewarded ones, say); NaN when none did.
    pub fn mean_at(
        &self,
        event: Event,
        offset: i32,
        trials: usize,
        include: impl Fn(&TrialRecord) -> bool,
    ) -> f64 {
        let index = event.window().0 as i32 + offset;
        let values: Vec<f64> = self
            .last
            .iter()
            .rev()
            .filter(|t| include(t))
            .filter_map(|t| t.window(event))
            .take(trials)
            .filter_map(|w| usize::try_from(index).ok().and_then(|i| w.deltas.get(i)))
            .filter(|d| d.is_finite())
            .map(|&d| f64::from(d))
            .collect();
        if values.is_empty() {
            f64::NAN
        } else {
            values.iter().sum::<f64>() / values.len() as f64
        }
    }

    /// What the dopamine panel draws; `cells` is the map's size.
    pub fn view(&self, cells: usize) -> DopamineView {
        let aligned = |event: Event| {
            let recent = self
                .last
                .iter()
                .skip(self.last.len().saturating_sub(RECENT_ROWS));
            let mut rows: Vec<TrialRecord> = self
                .raster
                .iter()
                .chain(recent)
                .filter(|t| t.window(event).is_some())
                .cloned()
                .collect();
            rows.sort_by_key(|t| t.number);
            rows.dedup_by_key(|t| t.number);
            if rows.is_empty() {
                return None;
            }
            let mean = |trials: &mut dyn Iterator<Item = &TrialRecord>| {
                let windows: Vec<&Window> = trials
                    .filter_map(|t| t.window(event))
                    .take(TRACE_TRIALS)
                    .collect();
                let (before, after) = event.window();
                let len = (before + 1 + after) as usize;
                let trace: Vec<f32> = (0..len)
                    .map(|i| {
                        let v: Vec<f32> = windows
                            .iter()
                            .filter_map(|w| w.deltas.get(i))
                            .copied()
                            .filter(|d| d.is_finite())
                            .collect();
                        if v.is_empty() {
                            f32::NAN
                        } else {
                            v.iter().sum::<f32>() / v.len() as f32
                        }
                    })
                    .collect();
                (trace, windows.len())
            };
            let early = mean(&mut self.first.iter());
            let late = mean(&mut self.last.iter().rev());
            Some(Aligned {
                event,
                rows,
                early,
                late,
            })
        };
        let map = (0..cells)
            .map(|i| match self.arrivals.get(i) {
                Some(&n) if n > 0 => self.map[i],
                _ => f32::NAN,
            })
            .collect();
        DopamineView {
            trials: self.trials,
            stride: self.stride.max(1),
            cue: aligned(Event::Cue),
            reward: aligned(Event::Reward),
            map,
            latest: self.latest,
        }
    }

    /// Whether a log read from a snapshot has the shapes this code makes.
    pub fn check(&self, cells: usize) -> Result<(), String> {
        let windows_fit = |t: &TrialRecord| {
            [Event::Cue, Event::Reward].into_iter().all(|event| {
                t.window(event).is_none_or(|w| {
                    let (before, after) = event.window();
                    w.to_come <= after
                        && w.deltas.len() + w.to_come as usize == (before + 1 + after) as usize
                })
            })
        };
        let all = self
            .raster
            .iter()
            .chain(&self.first)
            .chain(&self.last)
            .chain(&self.current);
        if self.raster.len() > RASTER_TRIALS
            || self.last.len() > LATE_TRIALS
            || self.first.len() > 2 * TRACE_TRIALS
            || self.recent.len() > CUE_WINDOW.0.max(REWARD_WINDOW.0) as usize
            || self.map.len() != self.arrivals.len()
            || self.map.len() > cells
            || !all.clone().all(windows_fit)
        {
            return Err("its dopamine record is damaged".into());
        }
        Ok(())
    }
}

/// The errors aligned to one event: the raster's rows and the early and late mean traces.
#[derive(Clone, Debug, PartialEq)]
pub struct Aligned {
    /// The event.
    pub event: Event,
    /// The raster's trials that had the event, oldest first: thinned over the run, then every
    /// one of the latest [`RECENT_ROWS`].
    pub rows: Vec<TrialRecord>,
    /// The mean over the first trials that had it, and how many those are.
    pub early: (Vec<f32>, usize),
    /// The mean over the latest trials that had it, and how many those are.
    pub late: (Vec<f32>, usize),
}

/// What the dopamine panel draws of an arena.
#[derive(Clone, Debug, PartialEq)]
pub struct DopamineView {
    /// Trials finished.
    pub trials: u32,
    /// The raster keeps every `stride`-th trial of the run (then each of the latest).
    pub stride: u32,
    /// Aligned to the cue (`None`: no trial had one).
    pub cue: Option<Aligned>,
    /// Aligned to the reward or its due time (`None`: none came).
    pub reward: Option<Aligned>,
    /// The mean error on arriving at each cell lately (NaN where the agent never arrived).
    pub map: Vec<f32>,
    /// The latest step's error.
    pub latest: Option<f32>,
}
