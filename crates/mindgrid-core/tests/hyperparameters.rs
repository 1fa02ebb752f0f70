//! Hyperparameters: every control reaches the agent (live ones at once, on-reset ones at the next
//! reset, through the same command the panel sends), impossible combinations are refused, and the
//! README's brain table is the declarations'.

mod common;

use std::collections::BTreeSet;

use mindgrid_core::brain::{Apply, BrainSpec, ParamKind, ParamSpec};
use mindgrid_core::command::Command;
use mindgrid_core::experiment::Experiment;

/// A valid value other than `value`: the next whole number (or choice), or halfway to a bound
/// (as an `f32`, the fields' type).
fn another_value(spec: &ParamSpec, value: f64) -> f64 {
    let value = match spec.kind {
        ParamKind::Choice(labels) => (value + 1.0) % labels.len() as f64,
        ParamKind::Switch => 1.0 - value,
        ParamKind::Integer if value + 1.0 <= spec.max => value + 1.0,
        ParamKind::Integer => value - 1.0,
        ParamKind::Real if value < spec.max => (value + spec.max) / 2.0,
        ParamKind::Real => (value + spec.min) / 2.0,
    };
    f64::from(value as f32)
}

fn value_of(brain: &BrainSpec, name: &str) -> f64 {
    brain
        .hyperparameters()
        .iter()
        .find(|(spec, _)| spec.name == name)
        .map(|(_, v)| *v)
        .unwrap()
}

fn set(arena: usize, name: &str, value: f64) -> Command {
    Command::SetHyperparameter {
        arena,
        name: name.into(),
        value,
    }
}

/// Every hyperparameter of every brain kind in the shipped scenes, driven through the command the
/// agent panel sends: live ones reach the running agent at once; on-reset ones wait, show as
/// pending, and the reset builds the agent with them (the regression of the dead controls).
#[test]
fn every_control_reaches_the_agent() {
    let mut covered = BTreeSet::new();
    for entry in std::fs::read_dir(common::scenes_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let scene = common::shipped(&name);
        for (index, agent) in scene.agents.iter().enumerate() {
            if !covered.insert(agent.brain.kind()) {
                continue;
            }
            for (spec, _) in agent.brain.hyperparameters() {
                let mut experiment = Experiment::new(scene.clone());
                experiment.step_n(3);
                let before = value_of(&experiment.arenas()[index].brain(), spec.name);
                let after = another_value(spec, before);
                experiment.apply(set(index, spec.name, after));
                let arena = &experiment.arenas()[index];
                let what = format!("{} {} {before} -> {after}", agent.brain.kind(), spec.name);
                assert_eq!(value_of(arena.requested(), spec.name), after, "{what}");
                match spec.apply {
                    Apply::Live => {
                        assert_eq!(value_of(&arena.brain(), spec.name), after, "{what}");
                        assert!(arena.pending().is_empty(), "{what}");
                    }
                    Apply::OnReset => {
                        assert_eq!(value_of(&arena.brain(), spec.name), before, "{what}");
                        assert_eq!(arena.pending(), vec![spec.name], "{what}");
                        experiment.apply(Command::ResetArena(index));
                        let arena = &experiment.arenas()[index];
                        assert_eq!(value_of(&arena.brain(), spec.name), after, "{what}");
                        assert!(arena.pending().is_empty(), "{what}");
                        experiment.step_n(3);
                    }
                }
            }
        }
    }
    let kinds: BTreeSet<_> = BrainSpec::KINDS.iter().copied().collect();
    assert_eq!(covered, kinds, "the shipped scenes use every brain kind");
}

/// Resetting every arena applies pending changes too.
#[test]
fn reset_all_applies_pending_changes() {
    let mut experiment = Experiment::new(common::shipped("episodic_dyna_maze.ron"));
    let mfec = experiment
        .arenas()
        .iter()
        .position(|a| a.brain().kind() == "Mfec")
        .unwrap();
    experiment.apply(set(mfec, "key_dim", 16.0));
    assert_eq!(experiment.arenas()[mfec].pending(), vec!["key_dim"]);
    experiment.apply(Command::ResetAll);
    assert_eq!(
        value_of(&experiment.arenas()[mfec].brain(), "key_dim"),
        16.0
    );
}

#[test]
fn mfec_capacity_below_k_is_refused() {
    let text = common::scene_text(
        &["S..G"],
        "",
        "        (name: \"m\", brain: Mfec(k: 30, capacity: 20)),",
    );
    let error = common::first_error(&text);
    assert!(
        error.message.contains("capacity 20 is smaller than k 30"),
        "{error}"
    );
    // The error points at `capacity` (line 9 of the scene text).
    assert_eq!(error.position.line, 9, "{error}");
    // The sliders move the other field instead of making the combination.
    let mut brain = BrainSpec::Mfec(Default::default());
    brain.set_hyperparameter("capacity", 10.0);
    assert_eq!(value_of(&brain, "k"), 10.0);
    brain.set_hyperparameter("k", 40.0);
    assert_eq!(value_of(&brain, "capacity"), 40.0);
    assert!(brain.conflicts().is_empty());
}

#[test]
fn switches_read_true_false_and_one_zero() {
    for (written, lesioned) in [("true", true), ("1", true), ("false", false), ("0", false)] {
        let text = common::scene_text(
            &["S..G"],
            "",
            &format!("        (name: \"m\", brain: Mfec(lesion: {written})),"),
        );
        let scene = common::parse(&text).unwrap().scene;
        assert_eq!(
            value_of(&scene.agents[0].brain, "lesion"),
            f64::from(u8::from(lesioned))
        );
    }
    let error = common::first_error(&common::scene_text(
        &["S..G"],
        "",
        "        (name: \"m\", brain: Mfec(lesion: 2)),",
    ));
    assert!(error.message.contains("expected true or false"), "{error}");
}

/// The README's table of brains, as the declarations make it.
fn brain_table() -> String {
    let mut table = String::from(
        "| brain | mechanism | hyperparameters: default (on reset: applies when the agent is reset) |\n|---|---|---|\n",
    );
    for brain in BrainSpec::defaults() {
        let fields: Vec<String> = brain
            .hyperparameters()
            .iter()
            .map(|(spec, value)| {
                let shown = match spec.kind {
                    ParamKind::Choice(labels) => {
                        let names: Vec<String> = (0..labels.len())
                            .map(|i| {
                                let mut other = brain.clone();
                                other.set_hyperparameter(spec.name, i as f64);
                                format!("`{}`", other.written(spec.name))
                            })
                            .collect();
                        format!("{} (one of {})", names[*value as usize], names.join(", "))
                    }
                    _ => brain.written(spec.name),
                };
                let when = if spec.apply == Apply::OnReset {
                    " (on reset)"
                } else {
                    ""
                };
                format!("`{}` {shown}{when}", spec.name)
            })
            .collect();
        let fields = if fields.is_empty() {
            "none".to_owned()
        } else {
            fields.join(", ")
        };
        table.push_str(&format!(
            "| `{}` | {} | {fields} |\n",
            brain.kind(),
            brain.summary()
        ));
    }
    table
}

#[test]
fn readme_brain_table_is_the_declarations() {
    let readme = std::fs::read_to_string(common::scenes_dir().join("../README.md")).unwrap();
    let expected = brain_table();
    assert!(
        readme.contains(&expected),
        "README.md's brain table differs from the declarations; it should read:\n{expected}"
    );
}
