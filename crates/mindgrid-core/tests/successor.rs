//! The successor representation learns the Dyna maze as fast as Q-learning with the same
//! settings, far beyond the random walk: the figures `successor_maze.ron` and the README give.

mod common;

use mindgrid_core::experiment::{Seeds, mean_over_seeds};

#[test]
fn the_successor_representation_learns_the_maze_as_q_learning_does() {
    let scene = common::shipped("successor_maze.ron");
    // Seeds 7-16: the scene's seed and the nine after it (`mindgrid run --seeds 10`).
    let curves = mean_over_seeds(&scene, Seeds::new(scene.seed, 10).unwrap(), 40, 2, &|_| {});
    let late = |agent: usize| curves[agent].steps[20..40].iter().sum::<f64>() / 20.0;
    let (sr, q, random) = (late(0), late(1), late(2));
    eprintln!("episodes 21-40, mean steps: SR {sr:.2}, Q-learning {q:.2}, random {random:.1}");
    // Far beyond chance, and level with Q-learning (within 10 %): while M is being learned, value
    // spreads one step per visit in both.
    assert!(sr < random / 20.0, "{sr} against {random}");
    assert!((sr - q).abs() < 0.1 * q, "{sr} against {q}");
    // The scene's comment's figures.
    let one_place = |x: f64| (x * 10.0).round() / 10.0;
    assert_eq!(
        (one_place(sr), one_place(q), one_place(random)),
        (20.9, 22.0, 810.2)
    );
}
