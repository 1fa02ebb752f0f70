//! What the successor representation re-plans at once and what it cannot (Momennejad et al.
//! 2017), and latent learning (Tolman & Honzik 1930): the figures `reward_revaluation.ron`,
//! `transition_revaluation.ron`, `latent_learning.ron`, the lesson and the README give, over seeds
//! 7-16.

mod common;

use mindgrid_core::experiment::{MeanCurve, Seeds, mean_over_seeds};

/// Each agent's mean steps per episode over episodes `first..=last` (1 is the first), 10 seeds.
fn mean_steps(name: &str, first: usize, last: usize) -> Vec<(String, f64)> {
    let scene = common::shipped(name);
    let curves: Vec<MeanCurve> = mean_over_seeds(
        &scene,
        Seeds::new(scene.seed, 10).unwrap(),
        last as u32,
        2,
        &|_| {},
    );
    curves
        .iter()
        .map(|c| {
            let range = &c.steps[first - 1..last];
            (
                c.agent.clone(),
                range.iter().sum::<f64>() / range.len() as f64,
            )
        })
        .collect()
}

fn one_place(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn figures(means: &[(String, f64)]) -> Vec<f64> {
    means.iter().map(|(_, m)| one_place(*m)).collect()
}

#[test]
fn latent_learning_the_map_learned_without_reward_pays_at_once() {
    // Episodes 1-20 pay nothing; the first that pays is 21. Its next five:
    let after = mean_steps("latent_learning.ron", 22, 26);
    eprintln!("episodes 22-26: {after:?}");
    let [sr, dyna, q] = figures(&after)[..] else {
        unreachable!()
    };
    assert!(sr < q / 4.0 && dyna < q / 4.0, "{after:?}");
    assert_eq!((sr, dyna, q), (40.9, 39.3, 321.5));
}

#[test]
fn reward_revaluation_the_random_walk_sr_replans_once_it_finds_the_goal() {
    // The goal moves after episode 30; episode 31 finds it. The five after:
    let after = mean_steps("reward_revaluation.ron", 32, 36);
    eprintln!("episodes 32-36: {after:?}");
    let [sr, greedy, dyna, q] = figures(&after)[..] else {
        unreachable!()
    };
    assert!(sr < q / 20.0 && dyna < q / 20.0, "{after:?}");
    // The SR of the agent's own old routes helps less: its map leads to the old goal.
    assert!(greedy > 5.0 * sr, "{after:?}");
    assert_eq!((sr, greedy, dyna, q), (14.9, 292.2, 24.5, 1665.9));
}

#[test]
fn transition_revaluation_the_sr_keeps_its_old_route_and_the_planner_adapts() {
    let before = mean_steps("transition_revaluation.ron", 21, 30);
    let after = mean_steps("transition_revaluation.ron", 31, 40);
    eprintln!("episodes 21-30: {before:?}; 31-40: {after:?}");
    let [sr_before, dyna_before, q_before] = figures(&before)[..] else {
        unreachable!()
    };
    let [sr, dyna, q] = figures(&after)[..] else {
        unreachable!()
    };
    assert!(
        sr_before < 20.0 && dyna_before < 20.0 && q_before < 20.0,
        "{before:?}"
    );
    assert!(dyna < sr / 2.0 && dyna < q / 2.0, "{after:?}");
    assert_eq!((sr_before, dyna_before, q_before), (12.5, 11.8, 12.6));
    assert_eq!((sr, dyna, q), (3971.5, 881.2, 3984.7));
}
