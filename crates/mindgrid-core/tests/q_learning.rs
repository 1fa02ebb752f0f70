//! Tabular Q-learning learns Sutton & Barto's Dyna maze, and its insight maps values and moves.

mod common;

use mindgrid_core::brain::BrainSpec;
use mindgrid_core::command::Command;
use mindgrid_core::experiment::Experiment;
use mindgrid_core::scene::Scene;

/// The Dyna maze with only the Q-learning agent, at `seed`.
fn dyna_maze_q(seed: u64) -> Scene {
    let mut scene = common::shipped("dyna_maze.ron");
    scene
        .agents
        .retain(|a| matches!(a.brain, BrainSpec::QLearning(_)));
    scene.seed = seed;
    scene
}

#[test]
fn learns_the_dyna_maze() {
    // Sutton & Barto's settings (alpha 0.1, gamma 0.95, epsilon 0.1), 10 fixed seeds.
    let seeds = 0..10u64;
    let mut late = Vec::new();
    let mut first = Vec::new();
    for seed in seeds {
        let mut experiment = Experiment::new(dyna_maze_q(seed));
        experiment.run_episodes(50, |_| {});
        let episodes = experiment.arenas()[0].episodes();
        first.push(f64::from(episodes[0].steps));
        late.extend(episodes[40..50].iter().map(|e| f64::from(e.steps)));
        assert!(episodes[40..].iter().all(|e| e.success));
    }
    let mean_late = late.iter().sum::<f64>() / late.len() as f64;
    let mean_first = first.iter().sum::<f64>() / first.len() as f64;
    eprintln!(
        "Dyna maze, Q-learning: episode 1 {mean_first:.0} steps, episodes 41-50 {mean_late:.1} steps"
    );
    assert!(
        mean_late < 30.0,
        "mean steps over episodes 41-50: {mean_late}"
    );
    assert!(mean_late >= 14.0, "cannot beat the shortest path");
    assert!(
        mean_first > 100.0,
        "the first episode is a long random walk: {mean_first}"
    );
}

#[test]
fn random_agent_does_not_learn() {
    let mut scene = common::shipped("dyna_maze.ron");
    scene.agents.retain(|a| a.brain == BrainSpec::Random);
    let mut experiment = Experiment::new(scene);
    experiment.run_episodes(50, |_| {});
    let episodes = experiment.arenas()[0].episodes();
    let mean = episodes[40..]
        .iter()
        .map(|e| f64::from(e.steps))
        .sum::<f64>()
        / 10.0;
    assert!(mean > 100.0, "a random walk stays long: {mean}");
}

#[test]
fn insight_shows_values_rising_towards_the_goal() {
    let mut experiment = Experiment::new(dyna_maze_q(3));
    experiment.run_episodes(60, |_| {});
    let arena = &experiment.arenas()[0];
    let insight = arena.insight();
    let values = insight.values.expect("Q-learning maps values");
    let world = arena.world();
    assert_eq!(values.value.len(), world.cell_count());
    // The cell below the goal (column 8, row 1) is worth more than the start (column 0, row 2).
    let below_goal = values.value[9 + 8];
    let start = values.value[world.start()];
    assert!(below_goal > start, "{below_goal} > {start}");
    assert_eq!(values.greedy[9 + 8], Some(mindgrid_core::world::Action::Up));
    assert!(values.value[7].is_nan(), "walls have no value");
    assert!(insight.action_values.is_some());
}

#[test]
fn retune_keeps_what_was_learned() {
    let mut experiment = Experiment::new(dyna_maze_q(1));
    experiment.run_episodes(30, |_| {});
    let before = experiment.arenas()[0].insight().values;
    for (name, value) in [("epsilon", 0.0), ("alpha", 7.0)] {
        experiment.apply(Command::SetHyperparameter {
            arena: 0,
            name: name.into(),
            value,
        });
    }
    let BrainSpec::QLearning(p) = experiment.arenas()[0].brain() else {
        unreachable!()
    };
    assert_eq!(
        (p.epsilon, p.alpha),
        (0.0, 1.0),
        "values are clamped to their range"
    );
    let after = experiment.arenas()[0].insight().values;
    assert_eq!(
        format!("{after:?}"),
        format!("{before:?}"),
        "retuning keeps the values"
    );
    experiment.apply(Command::ResetArena(0));
    assert!(experiment.arenas()[0].episodes().is_empty());
    let BrainSpec::QLearning(p) = experiment.arenas()[0].brain() else {
        unreachable!()
    };
    assert_eq!(p.epsilon, 0.0, "a reset keeps the tuned hyperparameters");
}

/// The empty room's figures, as its scene comment gives them (seeds 1-10, 60 episodes): the
/// random walker takes about 140 steps an episode; Q-learning's mean first falls to 12 steps or
/// fewer in episode 29 and takes 11.2 over episodes 51-60 (the shortest path is 10).
#[test]
fn the_empty_room_as_its_comment_says() {
    let scene = common::shipped("empty_room.ron");
    let curves = mindgrid_core::experiment::mean_over_seeds(
        &scene,
        mindgrid_core::experiment::Seeds::new(1, 10).unwrap(),
        60,
        2,
        &|_| {},
    );
    let of = |name: &str| curves.iter().find(|c| c.agent == name).unwrap();
    let (q, random) = (of("Q-learning"), of("Random"));
    let mean = |steps: &[f64]| steps.iter().sum::<f64>() / steps.len() as f64;
    let first = q.steps.iter().position(|&s| s <= 12.0).map(|i| i + 1);
    eprintln!(
        "random {:.1} steps; Q-learning first <= 12 in episode {first:?}, {:.2} over 51-60",
        mean(&random.steps),
        mean(&q.steps[50..60])
    );
    assert!((mean(&random.steps) - 139.2).abs() < 0.05);
    assert_eq!(first, Some(29));
    assert!((mean(&q.steps[50..60]) - 11.2).abs() < 0.05);
}
