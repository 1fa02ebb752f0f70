//! Snapshots and checkpoints: a restored experiment steps on to exactly the numbers the original
//! does, for every shipped scene; a damaged, truncated, foreign or mismatched checkpoint is refused
//! with a message and never panics.

mod common;

use mindgrid_core::command::Command;
use mindgrid_core::edit::{Reach, Tile};
use mindgrid_core::experiment::Experiment;
use mindgrid_core::snapshot::{
    FORMAT, MAGIC, checkpoint_bytes, checkpoint_from_bytes, load_checkpoint, save_checkpoint,
};
use proptest::prelude::*;

/// Steps to take before and after the snapshot, per scene (the networks' scenes are slower).
fn steps(name: &str) -> u64 {
    if name.starts_with("attention") || name.starts_with("continual") || name.starts_with("meta") {
        300
    } else {
        3_000
    }
}

#[test]
fn a_restored_experiment_steps_on_to_the_same_numbers_for_every_shipped_scene() {
    for entry in std::fs::read_dir(common::scenes_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let mut live = Experiment::new(common::shipped(&name));
        live.apply(Command::WaitForHuman(false));
        live.step_n(steps(&name));
        let bytes = live.snapshot();
        let mut restored = Experiment::restore(&bytes).unwrap();
        assert_eq!(restored.fingerprint(), live.fingerprint(), "{name}");
        assert!(restored.snapshot() == bytes, "{name}: the same bytes again");
        live.step_n(steps(&name));
        restored.step_n(steps(&name));
        assert_eq!(restored.metrics_csv(), live.metrics_csv(), "{name}");
        assert_eq!(restored.fingerprint(), live.fingerprint(), "{name}");
    }
}

/// The edit history and the log travel too: undo after a restore takes back the edit made before.
#[test]
fn the_edit_history_and_the_log_are_in_the_snapshot() {
    let mut live = Experiment::new(common::shipped("dyna_maze.ron"));
    live.step_n(100);
    live.apply(Command::Paint {
        reach: Reach::All,
        stroke: 1,
        tile: Tile::Wall,
        cells: vec![(4, 5)],
    });
    let mut restored = Experiment::restore(&live.snapshot()).unwrap();
    assert_eq!(restored.log(), live.log());
    restored.apply(Command::Undo);
    let world = restored.arenas()[0].world();
    assert_eq!(
        world.cell(5 * world.width() + 4),
        mindgrid_core::world::Cell::Floor
    );
}

#[test]
fn a_checkpoint_file_round_trips_and_refuses_what_it_is_not() {
    let scene = common::shipped("episodic_dyna_maze.ron");
    let mut live = Experiment::new(scene.clone());
    live.step_n(2_000);
    let dir = std::env::temp_dir().join(format!("mindgrid-checkpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trained.ckpt");
    save_checkpoint(&path, &live).unwrap();
    let loaded = load_checkpoint(&path, Some(&scene)).unwrap();
    assert_eq!(loaded.fingerprint(), live.fingerprint());

    let good = std::fs::read(&path).unwrap();
    let refusal = |bytes: &[u8]| checkpoint_from_bytes(bytes, Some(&scene)).unwrap_err();
    assert!(refusal(b"Scene(title: \"x\")").contains("not a mindgrid checkpoint"));
    assert!(refusal(&good[..MAGIC.len() + 2]).contains("truncated"));
    assert!(refusal(&good[..good.len() / 2]).contains("damaged"));
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(refusal(&flipped).contains("checksum"));
    let mut other_format = good.clone();
    other_format[MAGIC.len()] = 99;
    assert!(refusal(&other_format).contains("format 99"));
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(refusal(&trailing).contains("damaged"));
    let other = common::shipped("dyna_maze.ron");
    let wrong = checkpoint_from_bytes(&good, Some(&other)).unwrap_err();
    assert!(wrong.contains("another scene"), "{wrong}");
    let missing = load_checkpoint(&dir.join("nothing.ckpt"), None).unwrap_err();
    assert!(missing.contains("cannot read"), "{missing}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any corruption of a checkpoint (a flipped byte, a cut) is an error or a valid experiment,
    /// never a panic or an allocation as large as a damaged length asks.
    #[test]
    fn a_corrupted_checkpoint_never_panics(at in 0usize..4096, byte: u8, cut in 0usize..4096) {
        let mut experiment = Experiment::new(common::shipped("showcase.ron"));
        experiment.step_n(50);
        let mut bytes = checkpoint_bytes(&experiment);
        let at = at % bytes.len();
        bytes[at] = byte;
        bytes.truncate(bytes.len() - cut % bytes.len());
        let _ = checkpoint_from_bytes(&bytes, None);
    }

    /// Random bytes after a valid header are refused, not trusted, even with a checksum that
    /// matches them (the snapshot itself must decode, to its end).
    #[test]
    fn random_bytes_after_the_header_are_refused(noise in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = MAGIC.to_vec();
        bytes.extend(FORMAT.to_le_bytes());
        bytes.extend(0u64.to_le_bytes());
        bytes.extend(noise.iter().copied());
        prop_assert!(checkpoint_from_bytes(&bytes, None).is_err());
        prop_assert!(mindgrid_core::experiment::Experiment::restore(&noise).is_err());
    }
}

/// A window session (edits, a slider, a reset at logged steps) written as a recording, read back
/// and replayed: the same numbers.
#[test]
fn a_session_recording_replays_to_the_same_numbers() {
    use mindgrid_core::recording::Recording;
    let text = std::fs::read_to_string(common::scenes_dir().join("dyna_maze.ron")).unwrap();
    let mut live = Experiment::new(common::shipped("dyna_maze.ron"));
    live.step_n(700);
    live.apply(Command::Paint {
        reach: Reach::All,
        stroke: 1,
        tile: Tile::Wall,
        cells: vec![(3, 4), (3, 5)],
    });
    live.step_n(500);
    live.apply(Command::SetHyperparameter {
        arena: 0,
        name: "epsilon".into(),
        value: 0.3,
    });
    live.step_n(800);
    let recording = Recording::of_session(&text, &live);
    let read = Recording::from_text(&recording.to_text(), "session.mgrec").unwrap();
    assert_eq!(read, recording);
    let replayed = read.replay("session.mgrec").unwrap();
    assert_eq!(replayed.metrics_csv(), live.metrics_csv());
    assert_eq!(replayed.fingerprint(), live.fingerprint());
    let newer = recording.to_text().replace("format: 1", "format: 7");
    let refused = Recording::from_text(&newer, "new.mgrec").unwrap_err();
    assert!(refused.contains("format 7"), "{refused}");
}
