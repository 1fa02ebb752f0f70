//! The water maze (Morris 1981) with the place-cell actor-critic (Foster, Dayan & Morris 2000):
//! latency falls, the probe favours the platform's quadrant, and after the platform moves the
//! agent perseveres in the old one: the figures `water_maze.ron`, the lesson and the README give,
//! over seeds 7-16.

mod common;

use mindgrid_core::experiment::{Experiment, Seeds, for_each_seed};

fn trained(steps: u64) -> Vec<Experiment> {
    let mut text = std::fs::read_to_string(common::scenes_dir().join("water_maze.ron")).unwrap();
    if let Ok(extra) = std::env::var("EXTRA") {
        text = text.replace("PlaceCellActorCritic(", &format!("PlaceCellActorCritic({extra}"));
    }
    let scene = common::parse(&text).unwrap().scene;
    let seeds: Vec<u64> = Seeds::new(scene.seed, 10).unwrap().iter().collect();
    for_each_seed(&scene, &seeds, 2, |mut experiment| {
        experiment.step_n(steps);
        experiment
    })
}

#[test]
fn explore() {
    let runs = trained(std::env::var("STEPS").map_or(20000, |s| s.parse().unwrap()));
    for a in 0..2 {
        let mut blocks = vec![0.0; 10];
        let mut after = vec![(0.0, 0.0); 10];
        let (mut probe, mut old, mut n_old, mut trials) = (0.0, 0.0, 0.0, 0);
        for run in &runs {
            let arena = &run.arenas()[a];
            let pool = arena.world().pool().unwrap();
            trials += pool.trials.len();
            for t in &pool.trials {
                if t.number <= 40 {
                    blocks[(t.number as usize - 1) / 4] += t.steps as f64 / 40.0;
                }
                if t.number >= 42 && t.number < 82 {
                    let b = &mut after[(t.number as usize - 42) / 4];
                    b.0 += t.steps as f64;
                    b.1 += 1.0;
                }
                if t.probe {
                    probe += t.share(t.target) / 10.0;
                }
                if (42..=45).contains(&t.number) {
                    old += t.share(t.old.unwrap());
                    n_old += 1.0;
                }
            }
        }
        eprintln!(
            "agent {a}: blocks {:?} probe target {probe:.3} old {:.3} trials {trials}",
            blocks.iter().map(|b| b.round()).collect::<Vec<_>>(),
            old / n_old
        );
        eprintln!("  after the move, blocks of 4: {:?}", after.iter().map(|(s, n)| (s / n).round()).collect::<Vec<_>>());
    }
}
