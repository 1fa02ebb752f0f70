//! Determinism: the same scene, seed and commands give the same numbers at any speed, on the
//! simulation thread or inline, and as CSV.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use mindgrid::app::sim_thread::{Priority, SimThread};
use mindgrid::command::Command;
use mindgrid::experiment::Experiment;
use mindgrid::stepping::{Speed, Stepper, ToSim, Transport};

/// The speed ladder's rung for `speed`.
fn rung(speed: Speed) -> usize {
    Speed::LADDER.iter().position(|&s| s == speed).unwrap()
}

/// The window's path: the experiment on its own thread, driven at changing speeds (slow, fast,
/// "max", each change into or out of "max" moving it to a thread of another priority) with
/// commands in between, gives the numbers a headless replay of its log gives.
#[test]
fn the_simulation_thread_replays_to_identical_bytes() {
    let scene = common::shipped("episodic_dyna_maze.ron");
    let mut thread = SimThread::spawn(Stepper::new(scene.clone(), true), Priority::DrawingFirst);
    let wait = |ms| std::thread::sleep(Duration::from_millis(ms));
    thread.send(ToSim::Transport(Transport::SetSpeed(rung(
        Speed::PerSecond(30),
    ))));
    wait(150);
    thread.send(ToSim::Transport(Transport::SetSpeed(rung(
        Speed::PerSecond(12_000),
    ))));
    wait(100);
    thread.send(ToSim::Command(Command::SetHyperparameter {
        arena: 0,
        name: "epsilon".into(),
        value: 0.2,
    }));
    thread.send(ToSim::Command(Command::Amnesia(0)));
    wait(100);
    thread.send(ToSim::Transport(Transport::SetSpeed(rung(Speed::Max))));
    thread.respawn(Priority::Even);
    assert_eq!(thread.priority(), Priority::Even);
    wait(100);
    thread.send(ToSim::Command(Command::ResetArena(1)));
    wait(100);
    thread.send(ToSim::Transport(Transport::SetSpeed(rung(
        Speed::PerSecond(12_000),
    ))));
    thread.respawn(Priority::DrawingFirst);
    wait(50);
    thread.send(ToSim::Transport(Transport::TogglePlay));
    thread.send(ToSim::Transport(Transport::Step));
    let stepper = thread.stop().expect("the thread hands back its stepper");
    let threaded = stepper.experiment();
    assert_eq!(threaded.log().len(), 3);
    assert!(threaded.steps() > 1_000, "{}", threaded.steps());
    let replayed = Experiment::replay(scene, threaded.log(), threaded.steps());
    assert_eq!(replayed.metrics_csv(), threaded.metrics_csv());
    assert_eq!(replayed.fingerprint(), threaded.fingerprint());
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
    assert_eq!(lines.count(), 180, "60 episodes for each of 3 agents");
}

/// However long the work the thread was given (the longest warm-up a lesson may ask for, on the
/// slowest agents), a new scene is taken at once and closing the window does not wait for it.
#[test]
fn the_simulation_thread_answers_during_the_longest_warm_up() {
    let slow = common::shipped("continual_red_blue.ron");
    let room = common::shipped("empty_room.ron");
    let thread = SimThread::spawn(Stepper::new(slow.clone(), false), Priority::DrawingFirst);
    thread.send(ToSim::WarmUp(mindgrid::limits::MAX_RUN_STEPS));
    let started = std::time::Instant::now();
    while thread.latest().steps == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the warm-up goes on, and shows"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(thread.latest().steps < mindgrid::limits::MAX_RUN_STEPS / 10);
    thread.send(ToSim::Replace(Box::new(room.clone())));
    let started = std::time::Instant::now();
    loop {
        let latest = thread.latest();
        if latest.scene.title == room.title {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new scene waited for the warm-up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // And a warm-up under way does not keep the window from closing.
    thread.send(ToSim::Replace(Box::new(slow)));
    thread.send(ToSim::WarmUp(mindgrid::limits::MAX_RUN_STEPS));
    std::thread::sleep(Duration::from_millis(200));
    let (closed, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        drop(thread);
        let _ = closed.send(());
    });
    assert!(
        done.recv_timeout(Duration::from_secs(10)).is_ok(),
        "closing waited for the warm-up"
    );
}
