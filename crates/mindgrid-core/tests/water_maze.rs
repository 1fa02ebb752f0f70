//! The water maze (Morris 1981) with the place-cell actor-critic (Foster, Dayan & Morris 2000):
//! escape latency falls, the probe trial favours the platform's quadrant, and after the platform
//! moves the agent perseveres in the old one and relearns slowly: the figures `water_maze.ron`,
//! the lesson and the README give, over seeds 7-16.

mod common;

use mindgrid_core::experiment::{Experiment, Seeds, for_each_seed};
use mindgrid_core::world::PoolTrial;

/// Steps the claims about `water_maze.ron` train for: the random swimmer's 41 trials need most.
const STEPS: u64 = 12_000;

fn trained() -> Vec<Experiment> {
    let scene = common::shipped("water_maze.ron");
    let seeds: Vec<u64> = Seeds::new(scene.seed, 10).unwrap().iter().collect();
    for_each_seed(&scene, &seeds, 2, |mut experiment| {
        experiment.step_n(STEPS);
        experiment
    })
}

/// The mean over seeds and trials `first..=last` of `measure` for arena `arena`.
fn mean(
    runs: &[Experiment],
    arena: usize,
    (first, last): (u32, u32),
    measure: impl Fn(&PoolTrial) -> f64,
) -> f64 {
    let values: Vec<f64> = runs
        .iter()
        .flat_map(|run| {
            let pool = run.arenas()[arena].world().pool().expect("a pool");
            pool.trials
                .iter()
                .filter(|t| (first..=last).contains(&t.number))
                .map(&measure)
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(values.len() as u32, 10 * (last - first + 1), "trials swum");
    values.iter().sum::<f64>() / values.len() as f64
}

fn one_place(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn two_places(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn escape_latency_falls_over_trials() {
    let runs = trained();
    let latency = |arena, trials| one_place(mean(&runs, arena, trials, |t| f64::from(t.steps)));
    let (first, last) = (latency(0, (1, 4)), latency(0, (37, 40)));
    let random = latency(1, (37, 40));
    eprintln!("latency: trials 1-4 {first}, 37-40 {last} (random swimmer {random})");
    assert!(last < first / 4.0 && last < random / 4.0);
    assert_eq!((first, last, random), (159.5, 19.2, 196.1));
}

#[test]
fn the_probe_trial_favours_the_platform_quadrant() {
    let runs = trained();
    let target = |arena| two_places(mean(&runs, arena, (41, 41), |t| t.share(t.target)));
    let (agent, random) = (target(0), target(1));
    eprintln!(
        "probe, share of time in the platform's quadrant: {agent} (random swimmer {random}; chance 0.25)"
    );
    assert!(agent > 0.5 && agent > 2.0 * random);
    assert_eq!((agent, random), (0.76, 0.09));
}

#[test]
fn after_the_platform_moves_the_agent_perseveres_and_relearns_slowly() {
    let runs = trained();
    let old = |arena| {
        two_places(mean(&runs, arena, (42, 45), |t| {
            t.share(t.old.expect("the platform moved"))
        }))
    };
    let (agent, random) = (old(0), old(1));
    let latency = |trials| one_place(mean(&runs, 0, trials, |t| f64::from(t.steps)));
    let (before, after, naive) = (latency((37, 40)), latency((42, 45)), latency((1, 4)));
    eprintln!(
        "trials 42-45: share in the old quadrant {agent} (random swimmer {random}; chance 0.25); latency {after} (trials 37-40 {before}; a naive agent's first four {naive})"
    );
    assert!(agent > 0.5 && agent > 2.0 * random);
    // Slower than a naive agent: the values learned for the old place lead it astray.
    assert!(after > naive);
    assert_eq!((agent, random, after), (0.7, 0.3, 290.4));
}
