//! Learning benchmarks (`cargo bench --bench learning`): training steps per second of every
//! mechanism's scene, planning updates per second, and the time one
//! EWC consolidation (the Fisher at a task switch) takes.

use std::path::Path;
use std::time::Instant;

use mindgrid::brain::BrainSpec;
use mindgrid::experiment::{Experiment, measure_throughput};
use mindgrid::scene::{self, Scene};

fn load(name: &str) -> Scene {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(name);
    scene::load(&path).expect("shipped scenes load").scene
}

fn main() {
    for (name, steps) in [
        ("episodic_dyna_maze.ron", 200_000),
        ("planning_dyna_maze.ron", 200_000),
        ("imagination.ron", 50_000),
        ("continual_red_blue.ron", 20_000),
        ("meta_hidden_goal.ron", 20_000),
        ("attention_target.ron", 50_000),
    ] {
        let scene = load(name);
        let brains: Vec<BrainSpec> = scene.agents.iter().map(|a| a.brain.clone()).collect();
        for ((agent, rate), brain) in measure_throughput(scene, steps).into_iter().zip(brains) {
            let extra = match brain {
                BrainSpec::DynaQ(p) if p.planning_steps > 0 => {
                    format!(
                        "  = {:.0} planning updates/s",
                        rate * f64::from(p.planning_steps)
                    )
                }
                BrainSpec::Reptile(p) => format!(
                    "  = {:.0} meta-iterations/s",
                    rate * f64::from(p.meta_per_step)
                ),
                _ => String::new(),
            };
            println!("{name:<24} {agent:<26} {rate:>10.0} steps/s{extra}");
        }
    }
    // The planner's search rate: imagined moves (search nodes) per second of its own stepping.
    let mut scene = load("imagination.ron");
    scene.agents.truncate(1);
    let mut experiment = Experiment::new(scene);
    let started = Instant::now();
    experiment.step_n(50_000);
    let seconds = started.elapsed().as_secs_f64();
    let facts = experiment.arenas()[0].insight().facts;
    let nodes: f64 = facts
        .iter()
        .find(|(k, _)| k == "imagined moves")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0.0);
    println!(
        "lookahead planner (depth 4): {:.0} imagined moves/s, {:.0} per real step",
        nodes / seconds,
        nodes / 50_000.0
    );
    // One EWC consolidation: the step at which the continual learner meets task B computes the
    // diagonal Fisher over 200 stored examples (4 backward passes each).
    let mut scene = load("continual_red_blue.ron");
    scene.agents.truncate(2);
    scene.agents.remove(0);
    let mut experiment = Experiment::new(scene);
    experiment.step_n(7_900);
    let started = Instant::now();
    experiment.step_n(100);
    let ordinary = started.elapsed().as_secs_f64() / 100.0;
    let started = Instant::now();
    experiment.step_n(1);
    let switch = started.elapsed().as_secs_f64();
    println!(
        "EWC consolidation (Fisher of 200 examples, 178-64-4 network): {:.2} ms (an ordinary step: {:.3} ms)",
        (switch - ordinary) * 1000.0,
        ordinary * 1000.0
    );
}
