//! Prioritised replay (Mattar & Daw 2018): at rest, back up the memory whose backup is worth most,
//! gain x need; prioritised sweeping (Moore & Atkeson 1993) and uniform replay as its modes.
//!
//! ```text
//! each real step (s, a, r, s'):
//!     Q(s,a) += alpha [r + gamma max_b Q(s',b) - Q(s,a)]           online Q-learning
//!     Model(s,a) <- r, s'                                            memory of the step
//!     act by softmax: pi(b|s) = exp(beta Q(s,b)) / sum_c exp(beta Q(s,c))
//! at rest (after a reward, and before an episode once a reward was ever found):
//!     repeat up to `replays_per_rest` times:
//!         candidates: every remembered step (s,a -> r,s') that changed cell, and the current forward
//!                     sequence extended by the greedy remembered step from its end (an n-step backup)
//!         gain(s_i) = sum_b [pi_new(b|s_i) - pi_old(b|s_i)] Q_new(s_i,b)   (the policy's gain at s_i)
//!         need(s_i) = SR(here, s_i) = sum_t gamma^t P(s_t = s_i | here, pi, Model)
//!         EVB       = sum over the candidate's steps of max(gain, 1e-10) * need
//!         stop if the best EVB <= threshold; else back up the best candidate:
//!             Q(s_i,a_i) += alpha [r_i + gamma r_i+1 + ... + gamma^n max_b Q(s_n,b) - Q(s_i,a_i)]
//! modes: prioritised sweeping ranks one-step backups by |TD error| instead; uniform replay draws
//!        remembered steps at random, as Dyna-Q does, with the same budget at the same rests
//! ```
//!
//! `here` is the agent's cell before an episode; after one, the agent is about to be put back on a
//! start, so the need is one discounted step from the starts seen so far (Mattar & Daw's goal leads
//! to the start). The tiny floor under the gain (their baseline) lets need alone rank backups
//! whose gain is nil: from the start, that chains the greedy path forwards. Simplifications: the
//! model is learned from the agent's own steps (Mattar & Daw's agent explores the maze first), moves
//! never tried are left out of the need's walk, and a sequence ends where it would loop.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ArenaRng;
use crate::brain::model::{Outcome, WorldModel, learn_real_step};
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Mechanism, QTable, Transition, choice, hyperparameters,
    sample_move, softmax_moves,
};
use crate::world::{Action, GridWorld, Observation};

/// What the window says about prioritised replay.
pub const ABOUT: &str = "Prioritised replay learns like Dyna-Q (Q-learning plus a model of each \
    step it took) but chooses which memory to replay. At rest, after finding the reward and before \
    setting off, it replays up to n remembered steps, each time the one whose backup is worth most: \
    its gain (how much the backup improves the choice in that cell) times its need (how often the \
    agent expects to be in that cell soon: the successor representation from where it is). A \
    backup may extend the sequence replayed so far by one step. Near a reward just found gain \
    rules, and backups chain backwards (reverse replay); before a run need rules, and they chain \
    forwards from the start (forward replay). Brain analogue: hippocampal replay at rest, reverse \
    after a reward (Foster & Wilson 2006), forward before a run (Diba & Buzsaki 2007). Prioritised \
    sweeping ranks by the TD error instead; uniform replay chooses at random, as Dyna-Q does. \
    Read: Mattar & Daw 2018; Moore & Atkeson 1993.";

choice! {
    /// Which remembered step a replay backs up.
    pub enum Priority {
        /// The expected value of the backup, gain x need (Mattar & Daw 2018).
        GainNeed => "gain x need (Mattar & Daw)",
        /// The largest |TD error| (prioritised sweeping, Moore & Atkeson 1993).
        Sweeping => "|TD error| (prioritised sweeping)",
        /// A remembered step at random (Dyna-Q's choice).
        Uniform => "at random (Dyna-Q's choice)",
    }
}

hyperparameters! {
    /// Hyperparameters of prioritised replay: Mattar & Daw's (2018) simulation settings, where they
    /// give them.
    pub struct PrioritisedReplayParams {
        priority: Priority = Priority::GainNeed, [0.0, 2.0], Live,
            help: "Which memory a replay backs up: the most valuable (gain x need), the most surprising (|TD error|), or one at random.",
            source: "gain x need (Mattar & Daw 2018); the others are the controls";
        replays_per_rest: u32 = 20, [0.0, 1000.0], Live,
            help: "Replays at each rest: after a reward, and before an episode once a reward was found.",
            source: "20 (Mattar & Daw 2018's planning steps per rest)";
        replays_per_step: u32 = 0, [0.0, 1000.0], Live,
            help: "Replays after every real step as well (0: only at rest).",
            source: "0: only at rest, as Mattar & Daw 2018";
        alpha: f32 = 1.0, [0.0, 1.0], Live,
            help: "Step size of every backup, real or replayed (1: the maze is deterministic, take the whole target).",
            source: "1.0 (Mattar & Daw 2018)";
        gamma: f32 = 0.9, [0.0, 0.99], Live,
            help: "Discount of future reward, and of the need (the successor representation).",
            source: "0.9 (Mattar & Daw 2018)";
        beta: f32 = 5.0, [0.0, 100.0], Live,
            help: "Inverse temperature of the softmax policy: how strongly it prefers the best move. Gain needs a soft policy: a greedy one changes only when its best move does.",
            source: "5 (Mattar & Daw 2018)";
        threshold: f32 = 0.0, [0.0, 1.0], Live,
            help: "A rest ends early when the best priority is at or below this.",
            source: "0 (Mattar & Daw 2018): the whole budget";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "No replay: the agent learns only from real steps.",
            source: "off: replay on";
    }
}

/// The floor under a backup's gain, so that need alone ranks backups that gain nothing (Mattar &
/// Daw's baseline).
pub const GAIN_FLOOR: f32 = 1e-10;
/// Consecutive replays in one direction that make a replay event, as counted at the start and the
/// goal (a run of three steps: two links).
pub const EVENT_STEPS: usize = 3;
/// The most start cells remembered (for the need after an episode).
const MOST_STARTS: usize = 16;
/// The most record-breaking episodes kept (each is shorter than the one before, so a map's
/// cells bound them anyway).
const MOST_RECORDS: usize = 4096;

/// Where a rest happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestAt {
    /// Before an episode, at its start.
    Start,
    /// After a reward, at the goal.
    Goal,
    /// Between two steps of an episode.
    Step,
}

/// Which way a replayed sequence ran, against the direction the agent moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// Each replayed step starts where the one before ended: the path as it is walked.
    Forward,
    /// Each replayed step ends where the one before started: the path walked backwards.
    Reverse,
    /// A step on its own.
    Single,
}

/// A run of replayed steps in one direction, in the order they were replayed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplaySequence {
    /// The cells the replay moved through, in replay order (for a reverse run: from the goal's
    /// side back).
    pub cells: Vec<usize>,
    /// Forward, reverse, or a single step.
    pub direction: Direction,
}

/// The latest rest: where it was, what it replayed, and what the agent weighed when it began.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestView {
    /// Where.
    pub at: RestAt,
    /// The real step it came after.
    pub step: u64,
    /// Replays made.
    pub replays: u32,
    /// The replayed sequences, in order.
    pub sequences: Vec<ReplaySequence>,
    /// Per cell, the best gain of a one-step backup there when the rest began (empty for uniform
    /// replay; the |TD error| for prioritised sweeping).
    pub gain: Vec<f32>,
    /// Per cell, its need when the rest began (empty unless the priority is gain x need).
    pub need: Vec<f32>,
}

/// Replay events (runs of [`EVENT_STEPS`] or more in one direction) counted so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayCounts {
    /// At the start: forward, reverse.
    pub start: [u32; 2],
    /// At the goal: forward, reverse.
    pub goal: [u32; 2],
}

/// What the replay panel shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayInsight {
    /// How replays are chosen.
    pub priority: Priority,
    /// Whether replay is switched off.
    pub lesioned: bool,
    /// The latest rest, if any.
    pub last_rest: Option<RestView>,
    /// Replay events so far, at the start and at the goal.
    pub counts: ReplayCounts,
    /// Replays made so far.
    pub replays: u64,
    /// Rests taken so far (those that replayed anything).
    pub rests: u64,
    /// Each episode that reached the goal in fewer steps than any before: (its steps, replays made
    /// by its end).
    pub records: Vec<(u32, u64)>,
}

impl ReplayInsight {
    /// Replays made by the end of the first episode that reached the goal in at most `steps`
    /// steps; all replays so far if none has yet.
    pub fn replays_until(&self, steps: u32) -> u64 {
        self.records
            .iter()
            .find(|&&(s, _)| s <= steps)
            .map_or(self.replays, |&(_, r)| r)
    }
}

/// One remembered step.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Memory {
    state: usize,
    action: Action,
    outcome: Outcome,
}

/// A Q-table, a model of the steps taken, and replay chosen by priority.
#[derive(Clone, Serialize, Deserialize)]
pub struct PrioritisedReplay {
    params: PrioritisedReplayParams,
    q: QTable,
    model: WorldModel,
    steps: u64,
    replays: u64,
    rests: u64,
    /// Cells episodes started in (the need after an episode looks ahead from them).
    starts: Vec<usize>,
    /// A rest is due before the next move (an episode just began).
    rest_due: bool,
    /// A reward has been found: rests before episodes begin.
    rewarded: bool,
    episode_steps: u32,
    episode_success: bool,
    records: Vec<(u32, u64)>,
    counts: ReplayCounts,
    last_rest: Option<RestView>,
    last_state: usize,
    /// The TD error of the latest real step (read right after `learn`, not kept).
    #[serde(skip)]
    delta: f32,
}

impl PrioritisedReplay {
    /// A fresh agent for `world`.
    pub fn new(params: PrioritisedReplayParams, world: &GridWorld) -> Self {
        let cells = world.cell_count();
        Self {
            params,
            q: QTable::new(cells, 0.0),
            model: WorldModel::new(cells, false),
            steps: 0,
            replays: 0,
            rests: 0,
            starts: Vec::new(),
            rest_due: true,
            rewarded: false,
            episode_steps: 0,
            episode_success: false,
            records: Vec::new(),
            counts: ReplayCounts::default(),
            last_rest: None,
            last_state: world.start(),
            delta: 0.0,
        }
    }

    /// The softmax policy over a row of action values.
    fn policy(&self, row: &[f32; Action::COUNT]) -> [f32; Action::COUNT] {
        softmax_moves(row, self.params.beta)
    }

    /// The gain of moving Q(s,a) to `target`: how much more the policy at s expects, judged by
    /// the new values.
    fn gain(&self, state: usize, action: Action, target: f32) -> f32 {
        let old = self.q[state];
        let mut new = old;
        new[action.index()] += self.params.alpha * (target - old[action.index()]);
        let (before, after) = (self.policy(&old), self.policy(&new));
        (0..Action::COUNT)
            .map(|b| (after[b] - before[b]) * new[b])
            .sum()
    }

    /// The one-step target of a remembered step.
    fn target(&self, outcome: &Outcome) -> f32 {
        let ahead = if outcome.terminal {
            0.0
        } else {
            self.q.best(outcome.next)
        };
        outcome.reward + self.params.gamma * ahead
    }

    /// Every remembered step that changed cell (bumping a wall teaches nothing to replay).
    fn memories(&self) -> Vec<Memory> {
        self.model
            .observed()
            .iter()
            .filter_map(|&(state, action)| {
                let (outcome, _) = self.model.most_likely(state, action)?;
                (outcome.next != state).then_some(Memory {
                    state,
                    action,
                    outcome,
                })
            })
            .collect()
    }

    /// The need of every cell: the successor representation from `origins` (averaged), under the
    /// softmax policy and the remembered steps; a goal leads back to the starts.
    fn need(&self, origins: &[(usize, f32)], cells: usize) -> Vec<f32> {
        let gamma = self.params.gamma;
        let restart = self.start_weights(1.0);
        // One step of the walk from each cell: (where to, the share of it, whether it ends the
        // episode), the policy renormalised over the moves the model knows.
        let flows: Vec<Vec<(usize, f32, bool)>> = (0..cells)
            .map(|cell| {
                let pi = self.policy(&self.q[cell]);
                let known: Vec<(Outcome, f32)> = Action::ALL
                    .iter()
                    .filter_map(|&a| {
                        let (outcome, _) = self.model.most_likely(cell, a)?;
                        Some((outcome, pi[a.index()]))
                    })
                    .collect();
                let total: f32 = known.iter().map(|(_, p)| p).sum();
                known
                    .into_iter()
                    .filter(|_| total > 0.0)
                    .map(|(o, p)| (o.next, gamma * p / total, o.terminal))
                    .collect()
            })
            .collect();
        let mut need = vec![0.0f32; cells];
        let mut now = vec![0.0f32; cells];
        for &(cell, weight) in origins {
            now[cell] += weight;
        }
        // gamma^t of the mass is left after t steps: 200 steps leave gamma^200 (7e-10 at 0.9).
        for _ in 0..200 {
            let mut next = vec![0.0f32; cells];
            let mut mass = 0.0;
            for (cell, &p) in now.iter().enumerate() {
                if p == 0.0 {
                    continue;
                }
                need[cell] += p;
                for &(to, share, terminal) in &flows[cell] {
                    let flow = p * share;
                    if terminal {
                        // The goal is counted where it is reached; the next episode starts over.
                        need[to] += flow;
                        for &(start, w) in &restart {
                            next[start] += gamma * flow * w;
                        }
                    } else {
                        next[to] += flow;
                    }
                    mass += flow;
                }
            }
            now = next;
            if mass < 1e-6 {
                break;
            }
        }
        need
    }

    /// The starts seen so far, equally weighted and scaled by `scale`.
    fn start_weights(&self, scale: f32) -> Vec<(usize, f32)> {
        let n = self.starts.len().max(1) as f32;
        self.starts.iter().map(|&s| (s, scale / n)).collect()
    }

    /// A rest: up to `budget` replays chosen by the priority, from where the need looks ahead.
    fn rest(&mut self, at: RestAt, origins: Vec<(usize, f32)>, budget: u32, rng: &mut ArenaRng) {
        if self.params.lesion || budget == 0 {
            return;
        }
        let cells = self.cells();
        let mut replayed: Vec<Memory> = Vec::new();
        let mut sequence: Vec<Memory> = Vec::new();
        let mut view = RestView {
            at,
            step: self.steps,
            replays: 0,
            sequences: Vec::new(),
            gain: Vec::new(),
            need: Vec::new(),
        };
        for k in 0..budget {
            let memories = self.memories();
            if memories.is_empty() {
                break;
            }
            let chosen: Vec<Memory> = match self.params.priority {
                Priority::Uniform => vec![memories[rng.random_range(0..memories.len())]],
                Priority::Sweeping => {
                    let priorities: Vec<f32> = memories
                        .iter()
                        .map(|m| {
                            (self.target(&m.outcome) - self.q[m.state][m.action.index()]).abs()
                        })
                        .collect();
                    if k == 0 {
                        view.gain = per_cell(cells, &memories, &priorities);
                    }
                    match best(&priorities, rng) {
                        Some(i) if priorities[i] > self.params.threshold => vec![memories[i]],
                        _ => break,
                    }
                }
                Priority::GainNeed => {
                    let need = self.need(&origins, cells);
                    let mut candidates: Vec<Vec<Memory>> =
                        memories.iter().map(|&m| vec![m]).collect();
                    if let Some(extended) = self.extension(&sequence) {
                        candidates.push(extended);
                    }
                    let values: Vec<f32> = candidates
                        .iter()
                        .map(|c| {
                            self.gains(c)
                                .iter()
                                .zip(c)
                                .map(|(g, m)| g.max(GAIN_FLOOR) * need[m.state])
                                .sum()
                        })
                        .collect();
                    if k == 0 {
                        let gains: Vec<f32> = candidates[..memories.len()]
                            .iter()
                            .map(|c| self.gains(c)[0])
                            .collect();
                        view.gain = per_cell(cells, &memories, &gains);
                        view.need = need;
                    }
                    match best_shortest(&values, &candidates, rng) {
                        Some(i) if values[i] > self.params.threshold => candidates.swap_remove(i),
                        _ => break,
                    }
                }
            };
            self.back_up(&chosen);
            let last = *chosen.last().expect("a candidate has a step");
            let continues = sequence
                .last()
                .is_some_and(|p| p.outcome.next == last.state);
            if chosen.len() == 1 && !continues {
                sequence.clear();
            }
            if chosen.len() == 1 {
                sequence.push(last);
            } else {
                sequence = chosen;
            }
            replayed.push(last);
            self.replays += 1;
            view.replays += 1;
        }
        view.sequences = sequences(&replayed);
        self.rests += u64::from(view.replays > 0);
        let counted = match at {
            RestAt::Start => Some(&mut self.counts.start),
            RestAt::Goal => Some(&mut self.counts.goal),
            RestAt::Step => None,
        };
        if let Some(count) = counted {
            for s in &view.sequences {
                let steps = s.cells.len() - 1;
                match s.direction {
                    Direction::Forward if steps >= EVENT_STEPS => count[0] += 1,
                    Direction::Reverse if steps >= EVENT_STEPS => count[1] += 1,
                    _ => {}
                }
            }
        }
        self.last_rest = Some(view);
    }

    /// The map's cell count (the Q-table has a row per cell).
    fn cells(&self) -> usize {
        self.q.entries() / Action::COUNT
    }

    /// The forward sequence so far extended by the greedy remembered step from its end: `None`
    /// at a goal, where no step is remembered, or where it would loop.
    fn extension(&self, sequence: &[Memory]) -> Option<Vec<Memory>> {
        let last = sequence.last()?;
        if last.outcome.terminal {
            return None;
        }
        let from = last.outcome.next;
        let row = self.q[from];
        let action = Action::ALL
            .into_iter()
            .filter(|&a| self.model.tried(from, a))
            .max_by(|a, b| row[a.index()].total_cmp(&row[b.index()]))?;
        let (outcome, _) = self.model.most_likely(from, action)?;
        let loops = sequence
            .iter()
            .any(|m| m.state == outcome.next || m.outcome.next == outcome.next)
            || outcome.next == from;
        (!loops).then(|| {
            let mut extended = sequence.to_vec();
            extended.push(Memory {
                state: from,
                action,
                outcome,
            });
            extended
        })
    }

    /// The n-step targets of a sequence: for each of its steps, the discounted rewards to its end
    /// and the value there.
    fn targets(&self, sequence: &[Memory]) -> Vec<f32> {
        let gamma = self.params.gamma;
        let mut ahead = sequence.last().map_or(0.0, |m| {
            if m.outcome.terminal {
                0.0
            } else {
                self.q.best(m.outcome.next)
            }
        });
        let mut targets = vec![0.0; sequence.len()];
        for (target, m) in targets.iter_mut().zip(sequence).rev() {
            ahead = m.outcome.reward + gamma * ahead;
            *target = ahead;
        }
        targets
    }

    /// The gain of each step of a sequence's backup.
    fn gains(&self, sequence: &[Memory]) -> Vec<f32> {
        self.targets(sequence)
            .iter()
            .zip(sequence)
            .map(|(&t, m)| self.gain(m.state, m.action, t))
            .collect()
    }

    /// Backs up every step of a sequence towards its n-step target.
    fn back_up(&mut self, sequence: &[Memory]) {
        let targets = self.targets(sequence);
        for (t, m) in targets.into_iter().zip(sequence) {
            let _ = self.q.move_towards(m.state, m.action, t, self.params.alpha);
        }
    }

    /// Real steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The replay panel's view.
    pub fn replay_insight(&self) -> ReplayInsight {
        ReplayInsight {
            priority: self.params.priority,
            lesioned: self.params.lesion,
            last_rest: self.last_rest.clone(),
            counts: self.counts,
            replays: self.replays,
            rests: self.rests,
            records: self.records.clone(),
        }
    }
}

/// The best value per cell of per-memory values (NaN where nothing is remembered).
fn per_cell(cells: usize, memories: &[Memory], values: &[f32]) -> Vec<f32> {
    let mut map = vec![f32::NAN; cells];
    for (m, &v) in memories.iter().zip(values) {
        if map[m.state].is_nan() || v > map[m.state] {
            map[m.state] = v;
        }
    }
    map
}

/// The index of the largest value, ties broken at random.
fn best(values: &[f32], rng: &mut ArenaRng) -> Option<usize> {
    let top = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let ties: Vec<usize> = (0..values.len()).filter(|&i| values[i] == top).collect();
    (!ties.is_empty()).then(|| ties[rng.random_range(0..ties.len())])
}

/// The index of the largest value, ties going to the shorter candidate, then drawn at random (as
/// Mattar & Daw break them).
fn best_shortest(values: &[f32], candidates: &[Vec<Memory>], rng: &mut ArenaRng) -> Option<usize> {
    let top = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let tied: Vec<usize> = (0..values.len()).filter(|&i| values[i] == top).collect();
    let shortest = tied.iter().map(|&i| candidates[i].len()).min()?;
    let ties: Vec<usize> = tied
        .into_iter()
        .filter(|&i| candidates[i].len() == shortest)
        .collect();
    Some(ties[rng.random_range(0..ties.len())])
}

/// The replayed steps, cut into runs of one direction.
fn sequences(replayed: &[Memory]) -> Vec<ReplaySequence> {
    let link = |a: &Memory, b: &Memory| {
        if b.state == a.outcome.next {
            Direction::Forward
        } else if b.outcome.next == a.state {
            Direction::Reverse
        } else {
            Direction::Single
        }
    };
    let mut runs: Vec<ReplaySequence> = Vec::new();
    let mut i = 0;
    while i < replayed.len() {
        let first = replayed[i];
        let direction = replayed
            .get(i + 1)
            .map_or(Direction::Single, |next| link(&first, next));
        let mut cells = match direction {
            Direction::Reverse => vec![first.outcome.next, first.state],
            _ => vec![first.state, first.outcome.next],
        };
        let mut j = i + 1;
        if direction != Direction::Single {
            while j < replayed.len() && link(&replayed[j - 1], &replayed[j]) == direction {
                cells.push(match direction {
                    Direction::Reverse => replayed[j].state,
                    _ => replayed[j].outcome.next,
                });
                j += 1;
            }
        }
        runs.push(ReplaySequence { cells, direction });
        i = j;
    }
    runs
}

impl Brain for PrioritisedReplay {
    type Params = PrioritisedReplayParams;
    const SUMMARY: &'static str = "prioritised replay by gain x need (Mattar & Daw 2018)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &PrioritisedReplayParams, world: &GridWorld, _seed: u64) -> Self {
        Self::new(params.clone(), world)
    }

    fn title(params: &PrioritisedReplayParams) -> &'static str {
        match params.priority {
            Priority::GainNeed => "Prioritised replay",
            Priority::Sweeping => "Prioritised sweeping",
            Priority::Uniform => "Uniform replay",
        }
    }

    const MOST_CELLS: Option<(usize, &'static str)> = Some((
        1600,
        "each replay weighs every remembered step and walks the need across the map",
    ));
}

impl Agent for PrioritisedReplay {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let state = observation.state;
        if self.rest_due {
            self.rest_due = false;
            if !self.starts.contains(&state) && self.starts.len() < MOST_STARTS {
                self.starts.push(state);
            }
            if self.rewarded {
                self.rest(
                    RestAt::Start,
                    vec![(state, 1.0)],
                    self.params.replays_per_rest,
                    rng,
                );
            }
        }
        self.last_state = state;
        let pi = self.policy(&self.q[state]);
        Action::from_index(sample_move(&pi, rng))
    }

    fn learn(&mut self, t: &Transition, rng: &mut ArenaRng) {
        self.steps += 1;
        self.episode_steps = self.episode_steps.saturating_add(1);
        let PrioritisedReplayParams { alpha, gamma, .. } = self.params;
        self.delta = learn_real_step(&mut self.q, &mut self.model, t, (alpha, gamma), self.steps);
        self.last_state = t.next.state;
        if t.terminal && t.reward > 0.0 {
            self.rewarded = true;
            self.episode_success = true;
            // The agent is about to be put back on a start: the need looks one step ahead from there.
            let origins = self.start_weights(self.params.gamma);
            self.rest(RestAt::Goal, origins, self.params.replays_per_rest, rng);
        } else if !t.terminal && self.params.replays_per_step > 0 {
            self.rest(
                RestAt::Step,
                vec![(t.next.state, 1.0)],
                self.params.replays_per_step,
                rng,
            );
        }
    }

    fn end_episode(&mut self, _rng: &mut ArenaRng) {
        let best = self.records.last().map_or(u32::MAX, |r| r.0);
        if self.episode_success && self.episode_steps < best && self.records.len() < MOST_RECORDS {
            self.records.push((self.episode_steps, self.replays));
        }
        self.episode_steps = 0;
        self.episode_success = false;
        self.rest_due = true;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let mut insight = self.q.insight(world, world.agent());
        insight.facts = vec![
            ("replays".into(), format!("{}", self.replays)),
            (
                "remembered steps".into(),
                format!("{}", self.model.observed_pairs()),
            ),
        ];
        insight.mechanism = Some(Mechanism::Replay(self.replay_insight()));
        insight
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, counters, ensure};
        let cells = world.cell_count();
        self.q.check(cells, [self.last_state])?;
        self.model.check(cells, false)?;
        ensure(
            self.starts.len() <= MOST_STARTS
                && self.starts.iter().all(|&s| s < cells)
                && self.records.len() <= MOST_RECORDS
                && counters(&[self.steps, self.replays, self.rests]),
            || "its starts, records or counters are damaged".into(),
        )?;
        if let Some(rest) = &self.last_rest {
            ensure(
                rest.sequences
                    .iter()
                    .all(|s| s.cells.len() >= 2 && s.cells.iter().all(|&c| c < cells))
                    && [&rest.gain, &rest.need]
                        .iter()
                        .all(|m| m.is_empty() || m.len() == cells)
                    && all_finite(rest.need.iter()),
                || "its latest rest is damaged".into(),
            )?;
        }
        Ok(())
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::PrioritisedReplay(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::PrioritisedReplay(params) = spec {
            self.params = params.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(state: usize, next: usize, terminal: bool) -> Memory {
        Memory {
            state,
            action: Action::Right,
            outcome: Outcome {
                next,
                reward: 0.0,
                terminal,
            },
        }
    }

    #[test]
    fn runs_are_cut_by_direction() {
        // 1->2, 0->1 (reverse), then 5->6, 6->7 (forward), then 9->3 alone.
        let replayed = [
            step(1, 2, false),
            step(0, 1, false),
            step(5, 6, false),
            step(6, 7, false),
            step(9, 3, false),
        ];
        let runs = sequences(&replayed);
        assert_eq!(
            runs,
            vec![
                ReplaySequence {
                    cells: vec![2, 1, 0],
                    direction: Direction::Reverse
                },
                ReplaySequence {
                    cells: vec![5, 6, 7],
                    direction: Direction::Forward
                },
                ReplaySequence {
                    cells: vec![9, 3],
                    direction: Direction::Single
                },
            ]
        );
    }
}
