//! The TD error behaves as dopamine neurons do in conditioning (Schultz, Dayan & Montague 1997;
//! Fiorillo, Tobler & Schultz 2003): the figures `dopamine.ron`, `dopamine_probability.ron`, the
//! lesson and the README give, over seeds 7-16.

mod common;

use mindgrid_core::command::{Command, TrialControl};
use mindgrid_core::dopamine::Event;
use mindgrid_core::experiment::{Experiment, Seeds, for_each_seed};
use mindgrid_core::scene::Scene;

/// Each seed's experiment trained `steps` steps, with `commands` applied at their steps.
fn trained(scene: &Scene, steps: u64, commands: &[(u64, Command)]) -> Vec<Experiment> {
    let seeds: Vec<u64> = Seeds::new(scene.seed, 10).unwrap().iter().collect();
    for_each_seed(scene, &seeds, 2, |mut experiment| {
        for (at, command) in commands {
            experiment.step_n(at - experiment.steps());
            experiment.apply(command.clone());
        }
        experiment.step_n(steps - experiment.steps());
        experiment
    })
}

/// The mean over seeds of the TD error at `event` in the latest 20 trials that `include`.
fn mean(
    runs: &[Experiment],
    event: Event,
    include: impl Fn(&mindgrid_core::dopamine::TrialRecord) -> bool + Copy,
) -> f64 {
    let values: Vec<f64> = runs
        .iter()
        .map(|run| run.arenas()[0].dopamine().mean_at(event, 0, 20, include))
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

fn two_places(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn the_error_moves_from_the_reward_to_the_cue() {
    let scene = common::shipped("dopamine.ron");
    let early = trained(&scene, 40, &[]);
    let late = trained(&scene, 3_000, &[]);
    let (first_reward, first_cue) = (
        mean(&early, Event::Reward, |t| t.number == 1),
        mean(&early, Event::Cue, |t| t.number == 1),
    );
    let (cue, reward) = (
        mean(&late, Event::Cue, |_| true),
        mean(&late, Event::Reward, |t| t.rewarded),
    );
    eprintln!(
        "first trials: reward {first_reward:.3}, cue {first_cue:.3}; after 3,000 steps: cue {cue:.3}, reward {reward:.3}"
    );
    // Untrained, the reward is the whole surprise and the cue none.
    assert_eq!((first_reward, first_cue), (1.0, 0.0));
    // Trained: most of the reward's value at the cue (gamma^6 = 0.886), none at the reward.
    assert!(
        cue > 0.8 && reward.abs() < 0.05,
        "cue {cue}, reward {reward}"
    );
    assert_eq!((two_places(cue), two_places(reward)), (0.88, 0.0));
}

#[test]
fn an_omitted_reward_dips_below_zero_when_it_was_due() {
    let scene = common::shipped("dopamine.ron");
    let runs = trained(
        &scene,
        3_000,
        &[(2_900, Command::Trial(TrialControl::OmitNextReward))],
    );
    let dip = mean(&runs, Event::Reward, |t| !t.rewarded);
    eprintln!("an omitted reward, at its due time: {dip:.3}");
    assert!(dip < -0.8, "{dip}");
    assert_eq!(two_places(dip), -1.0);
}

#[test]
fn the_cue_response_scales_with_the_reward_probability() {
    let certain = trained(&common::shipped("dopamine.ron"), 3_000, &[]);
    let half = trained(&common::shipped("dopamine_probability.ron"), 3_000, &[]);
    let (one, p_half) = (
        mean(&certain, Event::Cue, |_| true),
        mean(&half, Event::Cue, |_| true),
    );
    let (paid, omitted) = (
        mean(&half, Event::Reward, |t| t.rewarded),
        mean(&half, Event::Reward, |t| !t.rewarded),
    );
    eprintln!(
        "cue at p = 1: {one:.3}; at p = 0.5: {p_half:.3} (ratio {:.2}); p = 0.5 reward {paid:.3}, omission {omitted:.3}",
        p_half / one
    );
    let ratio = p_half / one;
    assert!((0.4..0.6).contains(&ratio), "{ratio}");
    // At p = 0.5 a reward is half a surprise either way.
    assert!(paid > 0.3 && omitted < -0.3, "{paid} {omitted}");
    // The figures the scene, the README and the lesson give.
    let figures = [p_half, paid, omitted].map(two_places);
    assert_eq!(figures, [0.45, 0.47, -0.52]);
}

#[test]
fn an_early_reward_is_a_surprise_and_the_model_dips_at_the_usual_time() {
    let scene = common::shipped("dopamine.ron");
    let runs = trained(
        &scene,
        3_000,
        &[(2_900, Command::Trial(TrialControl::EarlyNextReward))],
    );
    // The early trial's reward came 3 steps into the 6-step delay.
    let early = |t: &mindgrid_core::dopamine::TrialRecord| t.cue_to_reward == Some(3);
    let surprise = mean(&runs, Event::Reward, early);
    // The usual time, 6 steps after the cue.
    let usual = runs
        .iter()
        .map(|run| {
            let log = run.arenas()[0].dopamine();
            let trial = log
                .latest_trials()
                .find(|t| early(t))
                .expect("the early trial");
            let cue = trial.window(Event::Cue).expect("its cue");
            f64::from(cue.deltas[Event::Cue.window().0 as usize + 6])
        })
        .sum::<f64>()
        / runs.len() as f64;
    eprintln!("an early reward: {surprise:.3} at its time, {usual:.3} at the usual time");
    assert!(surprise > 0.8, "{surprise}");
    // The tapped delay line predicts a dip at the usual time; the recordings show none
    // (Hollerman & Schultz 1998): the scene and the lesson say so.
    assert!(usual < -0.8, "{usual}");
    assert_eq!((two_places(surprise), two_places(usual)), (1.0, -1.0));
}

/// The trial controls are commands like any other: a value out of range is refused with the
/// reason, a world without a protocol ignores them, a checkpoint keeps a probe waiting and the
/// protocol as set, a reset keeps the protocol, and the log replays the run.
#[test]
fn the_trial_controls_are_logged_kept_and_replayed() {
    use mindgrid_core::experiment::Applied;
    let scene = common::shipped("dopamine.ron");
    let mut experiment = Experiment::new(scene.clone());
    let refused = experiment.apply(Command::Trial(TrialControl::RewardProbability(1.5)));
    assert_eq!(
        refused,
        Applied::Refused("the reward probability is 1.5; expected 0 to 1".into())
    );
    let mut maze = Experiment::new(common::shipped("cliff_walk.ron"));
    assert_eq!(
        maze.apply(Command::Trial(TrialControl::OmitNextReward)),
        Applied::Ignored
    );
    experiment.step_n(500);
    for control in [
        TrialControl::RewardProbability(0.25),
        TrialControl::RewardSize(2.0),
        TrialControl::OmitNextReward,
    ] {
        assert_eq!(experiment.apply(Command::Trial(control)), Applied::Done);
    }
    let restored = Experiment::restore(&experiment.snapshot()).expect("a snapshot restores");
    let world = restored.arenas()[0].world();
    let protocol = world.rules.conditioning.clone().expect("the protocol");
    assert_eq!((protocol.probability, protocol.reward), (0.25, 2.0));
    assert_eq!(world.next_probe(), Some(mindgrid_core::world::Probe::Omit));
    experiment.step_n(500);
    experiment.apply(Command::ResetArena(0));
    let protocol = experiment.arenas()[0]
        .world()
        .rules
        .conditioning
        .clone()
        .unwrap();
    assert_eq!((protocol.probability, protocol.reward), (0.25, 2.0));
    experiment.step_n(1_000);
    let replayed = Experiment::replay(scene, experiment.log(), experiment.steps());
    assert_eq!(replayed.fingerprint(), experiment.fingerprint());
    assert_eq!(replayed.metrics_csv(), experiment.metrics_csv());
}

/// Every agent that learns by a TD error fills the dopamine record, the critics of the
/// actor-critics too; the others (episodic memory, imitation, the random walker) leave it empty.
#[test]
fn every_td_learner_publishes_its_error() {
    let td = [
        "QLearning",
        "Sarsa",
        "ExpectedSarsa",
        "DynaQ",
        "Planner",
        "Attention",
        "ActorCritic",
        "Sr",
        "TdDelayLine",
        "PrioritisedReplay",
        "PlaceCellActorCritic",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(common::scenes_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let mut experiment = Experiment::new(common::shipped(&name));
        experiment.apply(Command::WaitForHuman(false));
        experiment.step_n(30);
        for arena in experiment.arenas() {
            let kind = arena.brain().kind();
            let cells = arena.world().cell_count();
            let published = arena.dopamine().view(cells).latest.is_some();
            assert_eq!(published, td.contains(&kind), "{name}: {kind}");
            seen.insert(kind);
        }
    }
    assert!(td.iter().all(|kind| seen.contains(kind)), "{seen:?}");
}
