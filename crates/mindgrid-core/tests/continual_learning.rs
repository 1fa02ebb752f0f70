//! Continual learning reproduces the red-then-blue calibration: without protection task A is
//! forgotten; EWC keeps A while B is learned; replay and Synaptic Intelligence keep A too.

mod common;

use mindgrid_core::experiment::Experiment;

fn accuracy(facts: &[(String, String)], task: &str) -> f32 {
    facts
        .iter()
        .find(|(k, _)| k == &format!("accuracy, go to {task}"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or_else(|| panic!("no accuracy for {task} in {facts:?}"))
}

#[test]
fn ewc_prevents_catastrophic_forgetting() {
    let scene = common::shipped("continual_red_blue.ron");
    let mut experiment = Experiment::new(scene);
    experiment.step_n(8000);
    for arena in experiment.arenas() {
        let a = accuracy(&arena.insight().facts, "red");
        assert!(a >= 0.9, "{} learns task A first: {a}", arena.name);
    }
    experiment.step_n(8000);
    let after: Vec<(f32, f32)> = experiment
        .arenas()
        .iter()
        .map(|arena| {
            let facts = arena.insight().facts;
            (accuracy(&facts, "red"), accuracy(&facts, "blue"))
        })
        .collect();
    eprintln!(
        "after task B, (A, B) accuracy: no protection {:?}, EWC {:?}, replay {:?}, SI {:?}",
        after[0], after[1], after[2], after[3]
    );
    let (plain, ewc, replay, si) = (after[0], after[1], after[2], after[3]);
    assert!(
        plain.0 < 0.70,
        "without protection A is forgotten: {plain:?}"
    );
    assert!(plain.1 >= 0.9, "and B is learned: {plain:?}");
    assert!(
        ewc.0 >= 0.90 && ewc.1 >= 0.85,
        "EWC keeps A and learns B: {ewc:?}"
    );
    assert!(
        replay.0 >= 0.85 && replay.1 >= 0.85,
        "replay keeps A and learns B: {replay:?}"
    );
    assert!(
        si.0 >= 0.90 && si.1 >= 0.85,
        "Synaptic Intelligence keeps A and learns B: {si:?}"
    );
    let insight = experiment.arenas()[1].insight();
    let continual = insight.continual().expect("the panel's data");
    assert_eq!(continual.consolidations, 1);
    assert_eq!(continual.tasks.len(), 2);
    assert!(
        continual
            .importance
            .iter()
            .all(|m| m.values.len() == m.rows * m.cols)
    );
    assert!(!continual.penalty.is_empty(), "the EWC penalty is tracked");
}
