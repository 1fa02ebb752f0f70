//! Sutton & Barto's example 6.6: on the cliff (falling costs -100 and sends the walker back to the
//! start), Q-learning learns the shortest path along the edge, yet Sarsa and Expected Sarsa, which
//! value the exploring policy they follow, take a safer path and earn more per episode online.

mod common;

use mindgrid_core::experiment::{Experiment, Seeds, mean_over_seeds};

/// Mean return per episode over episodes 101-500, per agent, mean of seeds 0-9.
fn online_returns() -> Vec<(String, f64)> {
    let scene = common::shipped("cliff_walk.ron");
    mean_over_seeds(&scene, Seeds::new(0, 10).unwrap(), 500, 2, &|_| {})
        .into_iter()
        .map(|curve| {
            let late = &curve.returns[100..];
            (curve.agent, late.iter().sum::<f64>() / late.len() as f64)
        })
        .collect()
}

/// Cells on the greedy path from the start, following each arena's greedy moves.
fn greedy_path(experiment: &Experiment, arena: usize) -> Vec<usize> {
    let arena = &experiment.arenas()[arena];
    let world = arena.world();
    let greedy = arena.insight().values.expect("a value map").greedy;
    let mut cell = world.start();
    let mut path = vec![cell];
    while let Some(action) = greedy.get(cell).copied().flatten() {
        cell = world.neighbour(cell, action);
        path.push(cell);
        if path.len() > 60 {
            break;
        }
    }
    path
}

#[test]
fn sarsa_earns_more_online_than_q_learning_which_hugs_the_edge() {
    let returns = online_returns();
    eprintln!("mean return, episodes 101-500, 10 seeds: {returns:?}");
    let of = |name: &str| returns.iter().find(|(a, _)| a == name).unwrap().1;
    let (sarsa, q, expected) = (of("Sarsa"), of("Q-learning"), of("Expected Sarsa"));
    assert!(sarsa > q + 10.0, "Sarsa {sarsa:.1} vs Q-learning {q:.1}");
    // The README's figures (the book's figure 6.4 shows about -25 for Sarsa, -50 for Q-learning).
    for (name, readme) in [
        ("Q-learning", -49.5),
        ("Sarsa", -29.6),
        ("Expected Sarsa", -20.9),
    ] {
        assert!(
            (of(name) - readme).abs() < 0.05,
            "{name}: {:.2}, the README says {readme}",
            of(name)
        );
    }
    assert!(
        expected > q + 10.0,
        "Expected Sarsa {expected:.1} vs Q-learning {q:.1}"
    );

    // Where the greedy paths run, after 500 episodes (seed 11, the scene's).
    let mut experiment = Experiment::new(common::shipped("cliff_walk.ron"));
    experiment.run_episodes(500, |_| {});
    let width = experiment.arenas()[0].world().width();
    let edge_row = |path: &[usize]| path.iter().filter(|&&c| c / width == 2).count();
    let q_path = greedy_path(&experiment, 1);
    let sarsa_path = greedy_path(&experiment, 0);
    eprintln!(
        "greedy path lengths: Q-learning {}, Sarsa {}",
        q_path.len() - 1,
        sarsa_path.len() - 1
    );
    assert_eq!(
        q_path.len() - 1,
        13,
        "Q-learning's greedy path is the shortest, along the edge"
    );
    assert!(
        edge_row(&q_path) >= 10,
        "it runs along the row above the cliff"
    );
    assert!(
        sarsa_path.len() - 1 > 13 && edge_row(&sarsa_path) < edge_row(&q_path),
        "Sarsa's is longer and keeps off the edge: {sarsa_path:?}"
    );
}
