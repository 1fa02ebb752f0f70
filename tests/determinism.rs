//! Determinism: the same scene and seed give the same numbers, run twice, at any speed, and as CSV.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use mindgrid::app::sim::{Sim, Speed};
use mindgrid::experiment::Experiment;

#[test]
fn speed_settings_do_not_change_the_numbers() {
    let scene = common::shipped("slippery_room.ron");
    let mut reference = Experiment::new(scene.clone());
    reference.step_n(6_000);
    for (speed, frames) in [
        (Speed::PerFrame(1), 6_000),
        (Speed::PerFrame(20), 300),
        (Speed::PerFrame(1000), 6),
    ] {
        let mut sim = Sim::new(scene.clone());
        sim.speed = Speed::LADDER.iter().position(|&s| s == speed).unwrap();
        for _ in 0..frames {
            sim.advance(1.0 / 60.0);
        }
        assert_eq!(
            sim.experiment().total_steps(),
            reference.total_steps(),
            "{speed:?}"
        );
        assert_eq!(
            sim.experiment().fingerprint(),
            reference.fingerprint(),
            "{speed:?}"
        );
    }
    // One step per second, driven by 10 s of frames, then the rest as single steps.
    let mut sim = Sim::new(scene);
    sim.speed = 0;
    for _ in 0..600 {
        sim.advance(1.0 / 60.0);
    }
    let taken = sim.experiment().total_steps() / 2;
    assert!((9..=10).contains(&taken), "{taken}");
    for _ in taken..6_000 {
        sim.queue_step();
        sim.advance(0.0);
    }
    assert_eq!(sim.experiment().fingerprint(), reference.fingerprint());
}

#[test]
fn run_command_writes_byte_identical_csv() {
    let binary = env!("CARGO_BIN_EXE_mindgrid");
    let dir = std::env::temp_dir().join(format!("mindgrid-det-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scene = common::scenes_dir().join("cliff_walk.ron");
    let mut outputs = Vec::new();
    for k in 0..2 {
        let out = dir.join(format!("m{k}.csv"));
        let status = std::process::Command::new(binary)
            .args(["run", "--episodes", "60", "--seed", "4", "--out"])
            .arg(&out)
            .arg(&scene)
            .status()
            .unwrap();
        assert!(status.success());
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let text = String::from_utf8(outputs[0].clone()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("agent,episode,task,steps,return,success")
    );
    assert_eq!(lines.count(), 120, "60 episodes for each of 2 agents");
}
