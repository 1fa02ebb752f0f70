//! The stepping without a window: the same numbers at any speed, single steps never lost, and
//! the transport controls as keys and buttons send them.

mod common;

use std::time::Duration;

use mindgrid_core::experiment::Experiment;
use mindgrid_core::stepping::{Speed, Stepper, ToSim, Transport};

/// The speed ladder's rung for `speed`.
fn rung(speed: Speed) -> usize {
    Speed::LADDER.iter().position(|&s| s == speed).unwrap()
}

#[test]
fn speed_settings_do_not_change_the_numbers() {
    let scene = common::shipped("slippery_room.ron");
    let mut reference = Experiment::new(scene.clone());
    reference.step_n(6_000);
    // (steps per second, seconds per call, calls): 6,000 steps each way.
    for (rate, dt, calls) in [
        (60, 1.0 / 60.0, 6_000),
        (1_200, 0.05, 100),
        (60_000, 0.1, 1),
    ] {
        let mut stepper = Stepper::new(scene.clone(), true);
        stepper.receive(ToSim::Transport(Transport::SetSpeed(rung(
            Speed::PerSecond(rate),
        ))));
        for _ in 0..calls {
            stepper.advance(dt, Duration::MAX);
        }
        let experiment = stepper.experiment();
        assert_eq!(experiment.steps(), 6_000, "{rate} steps/s");
        assert_eq!(experiment.fingerprint(), reference.fingerprint(), "{rate}");
    }
    // One step per second, driven by 10 s of frames, then the rest as single steps.
    let mut stepper = Stepper::new(scene, true);
    stepper.receive(ToSim::Transport(Transport::SetSpeed(0)));
    for _ in 0..600 {
        stepper.advance(1.0 / 60.0, Duration::MAX);
    }
    let taken = stepper.experiment().steps();
    assert!((9..=10).contains(&taken), "{taken}");
    for _ in taken..6_000 {
        stepper.receive(ToSim::Transport(Transport::Step));
        stepper.advance(0.0, Duration::MAX);
    }
    assert_eq!(stepper.experiment().fingerprint(), reference.fingerprint());
}

/// Single steps asked for while paused are all taken, even when the budget cuts a round short
/// and the speed changes in between.
#[test]
fn single_steps_are_never_lost() {
    let mut stepper = Stepper::new(common::shipped("dyna_maze.ron"), true);
    for _ in 0..5 {
        stepper.receive(ToSim::Transport(Transport::Step));
    }
    stepper.advance(0.0, Duration::ZERO); // the budget ends after the first step
    assert_eq!(stepper.experiment().steps(), 1);
    stepper.receive(ToSim::Transport(Transport::SetSpeed(rung(
        Speed::PerSecond(1),
    ))));
    stepper.advance(0.0, Duration::MAX);
    assert_eq!(stepper.experiment().steps(), 5);
    assert!(!stepper.playing());
}

/// Step back only when paused, the live edge after a seek, and speeds clamped to the ladder.
#[test]
fn the_transport_steps_back_seeks_the_live_edge_and_keeps_to_the_ladder() {
    let mut stepper = Stepper::new(common::shipped("dyna_maze.ron"), true);
    stepper.receive(ToSim::Transport(Transport::SetSpeed(rung(
        Speed::PerSecond(600),
    ))));
    // 0.2 s at 600 steps/s (a speed owes at most a quarter second's steps).
    stepper.advance(0.2, Duration::MAX);
    let live = stepper.experiment().steps();
    assert_eq!(live, 120);
    // Playing, a step back does nothing.
    stepper.receive(ToSim::Transport(Transport::StepBack));
    assert_eq!(stepper.experiment().steps(), live);
    stepper.receive(ToSim::Transport(Transport::Pause));
    stepper.receive(ToSim::Transport(Transport::StepBack));
    assert_eq!(stepper.experiment().steps(), live - 1);
    stepper.receive(ToSim::Transport(Transport::Seek(100)));
    assert_eq!(stepper.experiment().steps(), 100);
    assert!(!stepper.playing());
    stepper.receive(ToSim::Transport(Transport::SeekLive));
    assert_eq!(stepper.experiment().steps(), live);
    stepper.receive(ToSim::Transport(Transport::ChangeSpeed(100)));
    assert_eq!(stepper.speed(), Speed::Max);
    stepper.receive(ToSim::Transport(Transport::ChangeSpeed(-100)));
    assert_eq!(stepper.speed(), Speed::LADDER[0]);
    stepper.receive(ToSim::Transport(Transport::TogglePlay));
    assert!(stepper.playing());
}
