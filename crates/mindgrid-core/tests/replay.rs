//! Prioritised replay (Mattar & Daw 2018) on the Dyna maze: reverse replay at the goal, forward
//! at the start, and fewer replays to learn the maze than uniform replay: the figures
//! `replay.ron`, the lesson and the README give, over seeds 7-16.

mod common;

use mindgrid_core::experiment::{Experiment, Seeds, for_each_seed};

/// Each seed's experiment trained `steps` steps.
fn trained(steps: u64) -> Vec<Experiment> {
    let mut text = std::fs::read_to_string(common::scenes_dir().join("replay.ron")).unwrap();
    if let Ok(extra) = std::env::var("EXTRA") {
        text = text.replace("PrioritisedReplay(", &format!("PrioritisedReplay({extra}"));
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
    let mut sums = std::collections::BTreeMap::<String, Vec<f64>>::new();
    for run in trained(std::env::var("STEPS").map_or(3000, |s| s.parse().unwrap())) {
        for arena in run.arenas() {
            let insight = arena.insight();
            let r = insight.replay().unwrap();
            if std::env::var("VERBOSE").is_ok() { eprintln!(
                "{:>22}: counts {:?} replays {} until<=20: {} records {:?} episodes {}",
                arena.name,
                r.counts,
                r.replays,
                r.replays_until(20),
                &r.records[..r.records.len().min(6)],
                arena.episodes().len()
            ); }
            let e = sums.entry(arena.name.clone()).or_insert(vec![0.0; 6]);
            e[0] += r.counts.start[0] as f64;
            e[1] += r.counts.start[1] as f64;
            e[2] += r.counts.goal[0] as f64;
            e[3] += r.counts.goal[1] as f64;
            let steps: Vec<u32> = arena.episodes().iter().map(|e| e.steps).collect();
            e[4] += steps.iter().skip(1).take(10).sum::<u32>() as f64 / steps.len().saturating_sub(1).clamp(1, 10) as f64;
            e[5] += r.replays_until(30) as f64;
        }
    }
    eprintln!("sums (start f/r, goal f/r, mean steps ep 2-11, replays until <=30): {sums:?}");
}
