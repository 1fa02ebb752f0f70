//! Many runs of a scene: throughput without drawing, means over seeds (on threads) and their CSV.

use std::fmt::Write as _;

use super::Experiment;
use crate::scene::Scene;

/// Steps per second of each arena of `scene` over `steps` steps (after a 5% warm-up), one arena
/// at a time, without drawing: the figure `mindgrid bench` prints.
pub fn measure_throughput(scene: Scene, steps: u64) -> Vec<(String, f64)> {
    let mut experiment = Experiment::new(scene);
    (0..experiment.arenas.len())
        .map(|i| {
            experiment.step_arena(i, steps / 20);
            let started = web_time::Instant::now();
            experiment.step_arena(i, steps);
            let rate = steps as f64 / started.elapsed().as_secs_f64();
            (experiment.arenas[i].name.clone(), rate)
        })
        .collect()
}

/// One agent's per-episode means over several seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct MeanCurve {
    /// The agent's name.
    pub agent: String,
    /// Mean steps of episode i+1.
    pub steps: Vec<f64>,
    /// Mean return of episode i+1.
    pub returns: Vec<f64>,
    /// Fraction of runs whose episode i+1 reached the goal.
    pub success: Vec<f64>,
    /// Runs averaged.
    pub runs: u32,
}

/// Seeds for runs averaged together: `count` consecutive seeds from `first`, never none. Past
/// `u64::MAX` they wrap to 0 (the defined rule, so a scene seed near the top still gives `count`
/// distinct runs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seeds {
    first: u64,
    count: std::num::NonZeroU64,
}

impl Seeds {
    /// `count` seeds from `first`; `None` for no seeds (a mean over nothing is refused).
    pub fn new(first: u64, count: u64) -> Option<Self> {
        Some(Self {
            first,
            count: std::num::NonZeroU64::new(count)?,
        })
    }

    /// How many seeds.
    pub fn count(self) -> u64 {
        self.count.get()
    }

    /// The seeds in order.
    pub fn iter(self) -> impl Iterator<Item = u64> {
        (0..self.count.get()).map(move |k| self.first.wrapping_add(k))
    }
}

/// Runs `scene` once per seed for `episodes` episodes and averages each agent's curves,
/// the way Sutton & Barto average their figures over runs. Seeds run on up to `threads` threads
/// at once, a few batches of them at a time; each run's outcome is added to the means in seed
/// order as soon as the runs before it are in, so the result is the same bytes on any number of
/// threads and memory does not grow with the number of seeds. `progress` is told of every
/// finished episode, from any thread.
pub fn mean_over_seeds(
    scene: &Scene,
    seeds: Seeds,
    episodes: u32,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<MeanCurve> {
    let runs = u32::try_from(seeds.count()).unwrap_or(u32::MAX);
    let n = episodes as usize;
    let mut curves: Vec<MeanCurve> = scene
        .agents
        .iter()
        .map(|a| MeanCurve {
            agent: a.name.clone(),
            steps: vec![0.0; n],
            returns: vec![0.0; n],
            success: vec![0.0; n],
            runs,
        })
        .collect();
    let batch = 4 * threads.max(1);
    let mut all = seeds.iter();
    loop {
        let chunk: Vec<u64> = all.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        // One run's outcome: per agent, (steps, return, success) of each episode.
        let outcomes: Vec<Vec<Vec<(u32, f64, bool)>>> =
            for_each_seed(scene, &chunk, threads, |mut experiment| {
                experiment.run_episodes(episodes, progress);
                experiment
                    .arenas()
                    .iter()
                    .map(|a| {
                        a.episodes()
                            .iter()
                            .take(n)
                            .map(|e| (e.steps, e.episode_return, e.success))
                            .collect()
                    })
                    .collect()
            });
        for outcome in outcomes {
            for (curve, agent) in curves.iter_mut().zip(outcome) {
                for (i, (steps, episode_return, success)) in agent.into_iter().enumerate() {
                    curve.steps[i] += f64::from(steps) / f64::from(runs);
                    curve.returns[i] += episode_return / f64::from(runs);
                    curve.success[i] += f64::from(u8::from(success)) / f64::from(runs);
                }
            }
        }
    }
    curves
}

/// `scene` once per seed of `seeds` (a fresh experiment each, given to `run`), on up to `threads`
/// threads; the results come back in seed order, so they are the same on any number of threads.
pub fn for_each_seed<T: Send>(
    scene: &Scene,
    seeds: &[u64],
    threads: usize,
    run: impl Fn(Experiment) -> T + Sync,
) -> Vec<T> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..seeds.len()).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(&seed) = seeds.get(index) else {
                return;
            };
            let mut scene = scene.clone();
            scene.seed = seed;
            let result = run(Experiment::new(scene));
            results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(result);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, seeds.len().max(1)) {
            scope.spawn(work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// Mean curves as CSV: `agent,episode,runs,mean_steps,mean_return,success_rate`.
pub fn mean_curves_csv(curves: &[MeanCurve]) -> String {
    let mut csv = String::from("agent,episode,runs,mean_steps,mean_return,success_rate\n");
    for curve in curves {
        let agent = csv_field(&curve.agent);
        for i in 0..curve.steps.len() {
            let _ = writeln!(
                csv,
                "{agent},{},{},{},{},{}",
                i + 1,
                curve.runs,
                curve.steps[i],
                curve.returns[i],
                curve.success[i]
            );
        }
    }
    csv
}

/// Quotes a CSV field when it holds a comma, quote or newline.
pub(super) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
