//! Prioritised replay (Mattar & Daw 2018) on the Dyna maze: reverse replay at the goal, forward
//! replay at the start, and fewer replays to learn the maze than uniform replay: the figures
//! `replay.ron`, the lesson and the README give, over seeds 7-16.

mod common;

use mindgrid_core::brain::ReplayInsight;
use mindgrid_core::experiment::{Experiment, Seeds, for_each_seed};

/// Steps every claim about `replay.ron` trains for.
const STEPS: u64 = 6000;

/// Each seed's experiment trained [`STEPS`] steps.
fn trained() -> Vec<Experiment> {
    let scene = common::shipped("replay.ron");
    let seeds: Vec<u64> = Seeds::new(scene.seed, 10).unwrap().iter().collect();
    for_each_seed(&scene, &seeds, 2, |mut experiment| {
        experiment.step_n(STEPS);
        experiment
    })
}

/// The mean over seeds of `measure` of arena `arena`'s replay view.
fn mean(runs: &[Experiment], arena: usize, measure: impl Fn(&ReplayInsight) -> f64) -> f64 {
    let sum: f64 = runs
        .iter()
        .map(|run| {
            measure(
                run.arenas()[arena]
                    .insight()
                    .replay()
                    .expect("a replay agent"),
            )
        })
        .sum();
    sum / runs.len() as f64
}

fn share(pair: [u32; 2], i: usize) -> f64 {
    f64::from(pair[i]) / f64::from(pair[0] + pair[1])
}

fn two_places(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn replay_runs_backwards_from_the_goal_and_forwards_from_the_start() {
    let runs = trained();
    let reverse_at_goal = two_places(mean(&runs, 0, |r| share(r.counts.goal, 1)));
    let forward_at_start = two_places(mean(&runs, 0, |r| share(r.counts.start, 0)));
    let events = |arena| {
        mean(&runs, arena, |r| {
            f64::from(r.counts.goal.iter().chain(&r.counts.start).sum::<u32>())
        })
    };
    let (prioritised, uniform) = (events(0), events(2));
    eprintln!(
        "gain x need: reverse share at the goal {reverse_at_goal}, forward share at the start {forward_at_start}; events per run {prioritised:.1} (uniform replay {uniform:.1})"
    );
    assert!(reverse_at_goal > 0.5 && forward_at_start > 0.5);
    // Replay chosen at random rarely strings steps into a sequence at all.
    assert!(prioritised > 10.0 * uniform.max(1.0));
    assert_eq!((reverse_at_goal, forward_at_start), (0.64, 0.68));
}

#[test]
fn prioritised_replay_learns_the_maze_with_fewer_replays() {
    let runs = trained();
    let until = |arena| mean(&runs, arena, |r| r.replays_until(30) as f64).round();
    let (gain_need, sweeping, uniform) = (until(0), until(1), until(2));
    eprintln!(
        "replays until the first episode of at most 30 steps: gain x need {gain_need}, sweeping {sweeping}, uniform {uniform}"
    );
    // Uniform replay's figure is a floor: a run that never gets there counts its replays so far.
    assert!(gain_need * 3.0 < uniform && gain_need * 3.0 < sweeping);
    assert_eq!((gain_need, sweeping, uniform), (108.0, 891.0, 716.0));
}
