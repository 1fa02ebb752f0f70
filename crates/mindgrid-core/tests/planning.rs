//! Planning reproduces Sutton & Barto: figure 8.2 (Dyna-Q with n = 0, 5, 50 over 30 seeds) and the
//! blocking maze of figure 8.4 (Dyna-Q+ recovers faster than Dyna-Q); the planner imagines and plans.

mod common;

use mindgrid_core::brain::{BrainSpec, DynaQParams, PlannerParams};
use mindgrid_core::command::Command;
use mindgrid_core::experiment::{Experiment, Seeds, mean_over_seeds};
use mindgrid_core::scene::{AgentSpec, Scene};

fn dyna(n: u32) -> BrainSpec {
    BrainSpec::DynaQ(DynaQParams {
        planning_steps: n,
        alpha: 0.1,
        gamma: 0.95,
        epsilon: 0.1,
        ..DynaQParams::default()
    })
}

fn with_agent(mut scene: Scene, brain: BrainSpec, seed: u64) -> Scene {
    scene.agents = vec![AgentSpec {
        name: "agent".into(),
        brain,
    }];
    scene.seed = seed;
    scene
}

/// Mean steps per episode over 30 seeds, for `episodes` episodes.
fn mean_curve(brain: &BrainSpec, episodes: u32) -> Vec<f64> {
    let maze = with_agent(common::shipped("planning_dyna_maze.ron"), brain.clone(), 0);
    mean_over_seeds(&maze, Seeds::new(0, 30).unwrap(), episodes, 2, &|_| {})
        .remove(0)
        .steps
}

#[test]
fn figure_8_2_planning_speeds_up_learning() {
    let first_at_most_20 = |curve: &[f64]| curve.iter().position(|&s| s <= 20.0).map(|i| i + 1);
    let n0 = mean_curve(&dyna(0), 50);
    let n5 = mean_curve(&dyna(5), 50);
    let n50 = mean_curve(&dyna(50), 50);
    let (f0, f5, f50) = (
        first_at_most_20(&n0),
        first_at_most_20(&n5),
        first_at_most_20(&n50),
    );
    let plateau = |curve: &[f64]| curve[40..].iter().sum::<f64>() / 10.0;
    eprintln!(
        "first episode with mean <= 20 steps: n=0 {f0:?}, n=5 {f5:?}, n=50 {f50:?}; plateau (41-50): {:.1} {:.1} {:.1}",
        plateau(&n0),
        plateau(&n5),
        plateau(&n50)
    );
    assert!(f50.is_some_and(|e| e <= 4), "n = 50: {f50:?}");
    assert!(f5.is_some_and(|e| e <= 8), "n = 5: {f5:?}");
    assert!(f0.is_some_and(|e| (20..=40).contains(&e)), "n = 0: {f0:?}");
    // The episodes dyna_maze.ron's comment gives.
    assert_eq!((f0, f5, f50), (Some(29), Some(6), Some(3)));
    for curve in [&n0, &n5, &n50] {
        let p = plateau(curve);
        assert!((16.0..=19.0).contains(&p), "plateau {p}");
    }
}

/// Goals reached in the `window` steps after the blocking maze's wall moved.
fn goals_after_switch(brain: BrainSpec, seed: u64, window: u64) -> usize {
    let maze = common::shipped("blocking_maze.ron");
    let mut experiment = Experiment::new(with_agent(maze, brain, seed));
    experiment.step_n(1000);
    let before = experiment.arenas()[0].episodes().len();
    experiment.step_n(window);
    experiment.arenas()[0].episodes()[before..]
        .iter()
        .filter(|e| e.success)
        .count()
}

#[test]
fn blocking_maze_dyna_q_plus_recovers_faster() {
    let plain = BrainSpec::DynaQ(DynaQParams {
        planning_steps: 10,
        alpha: 0.5,
        ..DynaQParams::default()
    });
    let plus = BrainSpec::DynaQ(DynaQParams {
        planning_steps: 10,
        alpha: 0.5,
        kappa: 1e-3,
        ..DynaQParams::default()
    });
    let seeds = 0..10u64;
    let q: usize = seeds
        .clone()
        .map(|s| goals_after_switch(plain.clone(), s, 2000))
        .sum();
    let q_plus: usize = seeds
        .map(|s| goals_after_switch(plus.clone(), s, 2000))
        .sum();
    eprintln!(
        "blocking maze, goals in the 2000 steps after the switch (10 seeds): Dyna-Q {q}, Dyna-Q+ {q_plus}"
    );
    // Measured 632 against 436; the margin asked for is a fifth more goals.
    assert!(
        q_plus * 5 > q * 6,
        "Dyna-Q+ {q_plus} vs Dyna-Q {q}: at least a fifth more"
    );
}

#[test]
fn planner_imagines_rollouts_and_follows_a_plan() {
    let scene = common::shipped("imagination.ron");
    let BrainSpec::Planner(params) = scene.agents[0].brain.clone() else {
        panic!("imagination.ron starts with the planner");
    };
    let brain = BrainSpec::Planner(PlannerParams { depth: 3, ..params });
    let mut experiment = Experiment::new(with_agent(scene, brain, 1));
    experiment.run_episodes(100, |_| {});
    experiment.step();
    let insight = experiment.arenas()[0].insight();
    let planning = insight
        .planning()
        .expect("the planner shows its imagination");
    assert!(!planning.rollouts.is_empty());
    let agent = experiment.arenas()[0].world().agent();
    assert!(
        planning.rollouts.iter().all(|r| r.cells[0] == agent),
        "rollouts start at the agent's cell"
    );
    assert!(planning.first_action_returns.iter().any(Option::is_some));
    // It follows its plan: without random moves, in a world without slips, each step goes to the
    // next cell of the plan it stood on, unless the search changes its mind (a red cross).
    experiment.apply(Command::SetHyperparameter {
        arena: 0,
        name: "epsilon".into(),
        value: 0.0,
    });
    let (mut on_plan, mut followed) = (0, 0);
    for _ in 0..300 {
        let arena = &experiment.arenas()[0];
        let here = arena.world().agent();
        let plan = arena.insight().planning().expect("a planner").plan.clone();
        experiment.step();
        if plan.len() >= 2 && plan[0] == here && experiment.arenas()[0].steps_in_episode() > 0 {
            on_plan += 1;
            followed += usize::from(experiment.arenas()[0].world().agent() == plan[1]);
        }
    }
    eprintln!("followed its plan on {followed} of {on_plan} steps");
    assert!(on_plan >= 100, "it stood on a plan: {on_plan} of 300 steps");
    assert!(
        followed as f64 >= 0.8 * on_plan as f64,
        "it follows its plan: {followed} of {on_plan} steps"
    );
    // Lesioned: no imagination.
    experiment.apply(Command::SetHyperparameter {
        arena: 0,
        name: "lesion".into(),
        value: 1.0,
    });
    experiment.step();
    assert!(
        experiment.arenas()[0]
            .insight()
            .planning()
            .unwrap()
            .rollouts
            .is_empty()
    );
}

/// Mean steps of the episodes finished between 3,000 and 6,000 steps after the shortcut opened.
fn steps_after_shortcut(brain: BrainSpec, seed: u64) -> f64 {
    let maze = common::shipped("shortcut_maze.ron");
    let mut experiment = Experiment::new(with_agent(maze, brain, seed));
    experiment.step_n(6000);
    let before = experiment.arenas()[0].episodes().len();
    experiment.step_n(3000);
    let late = &experiment.arenas()[0].episodes()[before..];
    late.iter().map(|e| f64::from(e.steps)).sum::<f64>() / late.len().max(1) as f64
}

#[test]
fn shortcut_maze_dyna_q_plus_finds_the_shortcut() {
    let plain = BrainSpec::DynaQ(DynaQParams {
        planning_steps: 50,
        alpha: 0.5,
        ..DynaQParams::default()
    });
    let plus = BrainSpec::DynaQ(DynaQParams {
        planning_steps: 50,
        alpha: 0.5,
        kappa: 1e-3,
        ..DynaQParams::default()
    });
    let seeds = 0..5u64;
    let q: f64 = seeds
        .clone()
        .map(|s| steps_after_shortcut(plain.clone(), s))
        .sum::<f64>()
        / 5.0;
    let q_plus: f64 = seeds
        .map(|s| steps_after_shortcut(plus.clone(), s))
        .sum::<f64>()
        / 5.0;
    eprintln!(
        "shortcut maze, mean episode length 3000-6000 steps after it opens (5 seeds): Dyna-Q {q:.1}, Dyna-Q+ {q_plus:.1} (the shortcut path is 10 steps, the long way 16)"
    );
    assert!(q_plus < q - 2.0, "Dyna-Q+ {q_plus} vs Dyna-Q {q}");
}

/// Over 10 seeds, the lookahead planner against Q-learning in the imagination scene: it learns
/// faster (measured 25.0 against 29.3 steps per episode over episodes 1-30), and it is no better
/// once both have learned (174 against 177 goals in episodes 81-100), which the scene says.
#[test]
fn the_planner_learns_faster_than_q_learning_over_ten_seeds() {
    let scene = common::shipped("imagination.ron");
    let (mut planner, mut q) = ((0, 0.0), (0, 0.0));
    for seed in 0..10 {
        let mut run = scene.clone();
        run.seed = seed;
        let mut experiment = Experiment::new(run);
        experiment.run_episodes(100, |_| {});
        let measure = |arena: usize| {
            let episodes = experiment.arenas()[arena].episodes();
            let late = episodes[80..100].iter().filter(|e| e.success).count();
            let early: f64 = episodes[..30].iter().map(|e| f64::from(e.steps)).sum();
            (late, early / 30.0)
        };
        let (p, qq) = (measure(0), measure(1));
        planner = (planner.0 + p.0, planner.1 + p.1 / 10.0);
        q = (q.0 + qq.0, q.1 + qq.1 / 10.0);
    }
    eprintln!(
        "10 seeds: goals in episodes 81-100 planner {}/200, Q-learning {}/200; mean steps in episodes 1-30 planner {:.1}, Q-learning {:.1}",
        planner.0, q.0, planner.1, q.1
    );
    assert!(
        planner.1 < 0.9 * q.1,
        "the planner takes at least a tenth fewer steps early: {:.1} vs {:.1}",
        planner.1,
        q.1
    );
    assert!(
        planner.0.abs_diff(q.0) <= 20,
        "and ends level with Q-learning: {} vs {}",
        planner.0,
        q.0
    );
    // The figures the scene's comment gives.
    assert_eq!((planner.0, q.0), (174, 177));
    assert!((planner.1 - 25.0).abs() < 0.05 && (q.1 - 29.3).abs() < 0.05);
}

/// Monte Carlo tree search as the planner's search, against exhaustive search and Q-learning in
/// the imagination scene, seeds 4-13: the figures the scene's comment and the README give (mean
/// steps per episode over episodes 1-30; share of episodes 81-100 that reach the goal).
#[test]
fn monte_carlo_tree_search_learns_as_the_scene_says() {
    let mut scene = common::shipped("imagination.ron");
    let BrainSpec::Planner(exhaustive) = scene.agents[0].brain.clone() else {
        panic!("imagination.ron starts with the planner");
    };
    let mut mcts = scene.agents[0].clone();
    mcts.name = "MCTS".into();
    mcts.brain = BrainSpec::Planner(PlannerParams {
        search: mindgrid_core::brain::Search::Mcts,
        ..exhaustive
    });
    // Last: the planner and Q-learning keep their arenas' random streams, as in the scene.
    scene.agents.push(mcts);
    let curves = mean_over_seeds(&scene, Seeds::new(4, 10).unwrap(), 100, 2, &|_| {});
    let measured: Vec<(String, f64, f64)> = curves
        .iter()
        .map(|c| {
            let early = c.steps[..30].iter().sum::<f64>() / 30.0;
            let late = c.success[80..100].iter().sum::<f64>() / 20.0;
            (c.agent.clone(), early, late)
        })
        .collect();
    eprintln!("seeds 4-13, (steps in episodes 1-30, goal share in 81-100): {measured:?}");
    for ((agent, early, late), (steps, goals)) in
        measured
            .iter()
            .zip([(23.8, 0.84), (29.6, 0.90), (24.3, 0.835)])
    {
        assert!(
            (early - steps).abs() < 0.05 && (late - goals).abs() < 0.005,
            "{agent}: {early:.2} steps, {late:.3} goals; the scene says {steps} and {goals}"
        );
    }
}

/// MCTS draws its futures from the agent's cell, and a move the model never saw is not imagined.
#[test]
fn monte_carlo_tree_search_imagines_from_where_the_agent_stands() {
    let mut scene = common::shipped("imagination.ron");
    let BrainSpec::Planner(params) = scene.agents[0].brain.clone() else {
        panic!("imagination.ron starts with the planner");
    };
    scene.agents.truncate(1);
    scene.agents[0].brain = BrainSpec::Planner(PlannerParams {
        search: mindgrid_core::brain::Search::Mcts,
        ..params
    });
    let mut experiment = Experiment::new(scene);
    // At the start of the first episode the model has seen nothing: no move is imagined.
    experiment.step();
    let first = experiment.arenas()[0].insight();
    let returns = first.planning().expect("a planner").first_action_returns;
    assert!(
        returns.iter().filter(|r| r.is_some()).count() <= 1,
        "one move seen at most: {returns:?}"
    );
    experiment.run_episodes(30, |_| {});
    while experiment.arenas()[0].steps_in_episode() < 2 {
        experiment.step_arena(0, 1);
    }
    let arena = &experiment.arenas()[0];
    let insight = arena.insight();
    let planning = insight.planning().expect("the planning panel's data");
    let agent = arena.world().agent();
    assert!(!planning.rollouts.is_empty());
    assert!(
        planning
            .rollouts
            .iter()
            .all(|r| r.cells.first() == Some(&agent))
    );
}
