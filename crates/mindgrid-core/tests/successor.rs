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

/// As in Stachenfeld, Botvinick & Gershman (2017, fig. 4), the random walk's SR in two rooms
/// joined by a door has a second eigenvector that tells the rooms apart: one sign in each.
#[test]
fn the_second_eigenvector_tells_two_rooms_apart() {
    let rows = [
        "#############",
        "#.....#.....#",
        "#.....#.....#",
        "#S..........#",
        "#.....#.....#",
        "#.....#.....#",
        "#############",
    ];
    let text = common::scene_text(
        &rows,
        "        max_steps: 1000,\n",
        "        (name: \"sr\", brain: Sr(follows: RandomWalk, epsilon: 1.0)),",
    );
    let scene = mindgrid_core::scene::parse(&text, "two_rooms.ron")
        .unwrap()
        .scene;
    let mut experiment = mindgrid_core::experiment::Experiment::new(scene);
    experiment.step_n(60_000);
    let arena = &experiment.arenas()[0];
    let insight = arena.insight();
    let successor = insight.successor().expect("the place-cells view");
    let (_, second) = &successor.eigenvectors[1];
    let world = arena.world();
    let side = |left: bool| -> (usize, usize) {
        let cells: Vec<f32> = (0..world.cell_count())
            .filter(|&i| second[i].is_finite())
            .filter(|&i| (world.xy(i).0 < 6) == left && world.xy(i).0 != 6)
            .map(|i| second[i])
            .collect();
        (cells.iter().filter(|&&v| v > 0.0).count(), cells.len())
    };
    let ((left_positive, left), (right_positive, right)) = (side(true), side(false));
    eprintln!(
        "second eigenvector: {left_positive} of {left} left cells positive, {right_positive} of {right} right"
    );
    let one_sign = |positive: usize, all: usize| positive == 0 || positive == all;
    assert!(one_sign(left_positive, left) && one_sign(right_positive, right));
    assert_ne!(
        left_positive == 0,
        right_positive == 0,
        "the rooms have opposite signs"
    );
}
