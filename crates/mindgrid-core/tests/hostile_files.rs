//! Files from strangers: snapshots whose parts do not fit together, endless streams, recordings
//! and lessons that ask for more than the limits, seeds at the top of the range. Every hostile
//! input is built here from a valid one, so the tests stay right when the formats change; each
//! must give a clear error or a bounded run, never a panic.

mod common;

use std::path::Path;

use mindgrid_core::command::Command;
use mindgrid_core::experiment::{Detail, Experiment, Seeds, mean_over_seeds};
use mindgrid_core::limits::{FileKind, MAX_RUN_STEPS, read_limited};
use mindgrid_core::recording::{Recording, Until};
use mindgrid_core::{lesson, scene};
use proptest::prelude::*;

/// A grid world's fields in the order it writes them, to write one no world would be.
#[derive(serde::Serialize, serde::Deserialize)]
struct WorldFields {
    width: usize,
    height: usize,
    cells: Vec<mindgrid_core::world::Cell>,
    start: usize,
    agent: usize,
    steps: u32,
    rules: mindgrid_core::world::Rules,
    view: mindgrid_core::world::View,
    trial: Option<mindgrid_core::world::Trial>,
    next_probe: Option<mindgrid_core::world::Probe>,
    pool: Option<mindgrid_core::world::PoolState>,
}

/// The bytes of `value` as a snapshot encodes them.
fn encoded<T: serde::Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, bincode::config::standard()).unwrap()
}

/// `haystack` with the first `part` replaced by `with`.
fn spliced(haystack: &[u8], part: &[u8], with: &[u8]) -> Vec<u8> {
    let at = haystack
        .windows(part.len())
        .position(|w| w == part)
        .expect("the part is in the snapshot");
    [&haystack[..at], with, &haystack[at + part.len()..]].concat()
}

/// Restores `bytes`; when that succeeds, everything the window and the stepping do with an
/// experiment must run without a panic. Returns whether it was refused.
fn refused_or_sound(bytes: &[u8]) -> bool {
    let Ok(mut experiment) = Experiment::restore(bytes) else {
        return true;
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        for arena in experiment.arenas() {
            let _ = arena.view(Detail::Full);
            let _ = arena.view(Detail::Map);
        }
        experiment.apply(Command::WaitForHuman(false));
        experiment.step_n(40);
        experiment.apply(Command::Undo);
        experiment.apply(Command::Redo);
        experiment.apply(Command::ResetArena(0));
        experiment.step_n(10);
        let _ = experiment.snapshot();
    }));
    assert!(run.is_ok(), "a snapshot that passed its check panicked");
    false
}

/// A trained experiment of a shipped scene, with an edit in its history.
fn trained(name: &str, steps: u64) -> Experiment {
    let mut experiment = Experiment::new(common::shipped(name));
    experiment.apply(Command::WaitForHuman(false));
    experiment.step_n(steps);
    experiment
}

#[test]
fn a_world_off_its_own_size_or_an_agent_off_the_map_is_refused() {
    let experiment = trained("dyna_maze.ron", 300);
    let bytes = experiment.snapshot();
    assert!(
        Experiment::restore(&bytes).is_ok(),
        "the untouched snapshot restores"
    );
    let world = experiment.arenas()[0].world().clone();
    let original = encoded(&world);
    // The agent at cell 200 of a smaller map (the first example), written through a
    // mirror of the world's fields (the world itself never lets its agent off the map).
    let (mut off, _): (WorldFields, usize) =
        bincode::serde::decode_from_slice(&original, bincode::config::standard()).unwrap();
    assert!(off.cells.len() < 200);
    off.agent = 200;
    let error = Experiment::restore(&spliced(&bytes, &original, &encoded(&off))).unwrap_err();
    assert!(error.contains("the agent is at cell 200"), "{error}");
    // A width of 2^31: the world's first field, a varint (0xfc and four bytes for a u32).
    let width = world.width() as u8;
    assert!(width < 251, "a one-byte varint");
    let mut wide = original.clone();
    wide.splice(0..1, [0xfc, 0, 0, 0, 0x80]);
    let error = Experiment::restore(&spliced(&bytes, &original, &wide)).unwrap_err();
    assert!(error.contains("2147483648 x"), "{error}");
}

#[test]
fn an_agent_built_for_another_map_is_refused() {
    // Two experiments of one scene, the second reshaped to a larger map: its arena's world (and
    // agent) put into the first gives arenas of two sizes, and a Q-table that does not fit.
    let small = trained("dyna_maze.ron", 200);
    let mut large = trained("dyna_maze.ron", 0);
    let rows: Vec<String> = mindgrid_core::edit::Map::empty_room(12, 9).rows();
    assert_eq!(
        large.apply(Command::Reshape(rows)),
        mindgrid_core::experiment::Applied::Done
    );
    large.step_n(200);
    let bytes = small.snapshot();
    let error = Experiment::restore(&spliced(
        &bytes,
        &encoded(small.arenas()[0].world()),
        &encoded(large.arenas()[0].world()),
    ))
    .unwrap_err();
    assert!(error.contains("arena 0"), "{error}");
}

#[test]
fn every_shipped_scene_restores_after_training_and_refuses_a_damaged_scene() {
    for entry in std::fs::read_dir(common::scenes_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let heavy = ["attention", "continual", "meta"]
            .iter()
            .any(|n| name.starts_with(n));
        let experiment = trained(&name, if heavy { 150 } else { 2_000 });
        let bytes = experiment.snapshot();
        if let Err(e) = Experiment::restore(&bytes) {
            panic!("{name}: a snapshot this build made is refused: {e}");
        }
        // A scene without agents is refused as `check` refuses it.
        let mut bad = experiment.scene().clone();
        bad.agents.clear();
        let error = Experiment::restore(&spliced(
            &bytes,
            &encoded(experiment.scene()),
            &encoded(&bad),
        ))
        .unwrap_err();
        assert!(error.contains("its scene is not valid"), "{name}: {error}");
    }
}

/// A snapshot's structure changed in one place, as a stranger's tool could write it and the
/// checksum would still match: the experiment written as JSON, then (by `how`) the `at`-th whole
/// number replaced by `value`, the first element of the `at`-th list dropped, or doubled; `None`
/// when the text has no such place or no longer reads as an experiment.
fn restructured(experiment: &Experiment, how: u8, at: usize, value: u64) -> Option<Vec<u8>> {
    let text = serde_json::to_string(experiment).ok()?;
    let bytes = text.as_bytes();
    // Where numbers and lists start, outside strings; and where each element of a list ends.
    let (mut numbers, mut lists) = (Vec::new(), Vec::new());
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'[' if !in_string => lists.push(i),
            b'0'..=b'9'
                if !in_string
                    && !bytes[i - 1].is_ascii_digit()
                    && bytes[i - 1] != b'-'
                    && bytes[i - 1] != b'.' =>
            {
                numbers.push(i)
            }
            _ => {}
        }
        i += 1;
    }
    let element_end = |open: usize| {
        let (mut depth, mut in_string, mut i) = (0i32, false, open + 1);
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if in_string => i += 1,
                b'"' => in_string = !in_string,
                b'[' | b'{' if !in_string => depth += 1,
                b']' | b'}' if !in_string && depth > 0 => depth -= 1,
                b',' | b']' if !in_string && depth == 0 => return Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    };
    let changed = match how % 3 {
        0 => {
            let start = *numbers.get(at % numbers.len().max(1))?;
            let end = (start..bytes.len()).find(|&i| !bytes[i].is_ascii_digit())?;
            if matches!(bytes[end], b'.' | b'e' | b'E') {
                return None; // a real number: left to the byte damage above
            }
            format!("{}{value}{}", &text[..start], &text[end..])
        }
        how => {
            // Lists of five or more: fixed-size arrays (a Q-row's four values, a tuple, an
            // array's shape) decode only whole, and are not worth the tries.
            let long = |&&open: &&usize| {
                let mut from = open;
                (0..5).all(|_| match element_end(from) {
                    Some(end) if bytes[end] == b',' => {
                        from = end;
                        true
                    }
                    _ => false,
                })
            };
            let lists: Vec<usize> = lists.iter().filter(long).copied().collect();
            let open = *lists.get(at % lists.len().max(1))?;
            let end = element_end(open)?;
            if end == open + 1 {
                return None; // an empty list
            }
            let element = &text[open + 1..end];
            let tail = if bytes[end] == b',' { end + 1 } else { end };
            if how == 1 {
                format!("{}{}", &text[..=open], &text[tail..])
            } else {
                format!("{}{element},{}", &text[..=open], &text[open + 1..])
            }
        }
    };
    let restructured: Experiment = serde_json::from_str(&changed).ok()?;
    Some(restructured.snapshot())
}

/// Scenes of the tabular, episodic and planning agents, and of the networks, for damaging.
const TABULAR: [&str; 4] = [
    "dyna_maze.ron",
    "planning_dyna_maze.ron",
    "episodic_dyna_maze.ron",
    "showcase.ron",
];
const NETWORKS: [&str; 3] = [
    "attention_cue.ron",
    "continual_red_blue.ron",
    "meta_hidden_goal.ron",
];

/// An experiment of `name` trained a little, with an edit in its history, made once per test run.
fn experiment_of(name: &str) -> Experiment {
    Experiment::restore(snapshot_of(name)).unwrap()
}

/// A snapshot of `name` trained a little, with an edit in its history, made once per test run.
fn snapshot_of(name: &str) -> &'static Vec<u8> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<String, &'static Vec<u8>>>> = OnceLock::new();
    let mut made = MADE.get_or_init(Default::default).lock().unwrap();
    made.entry(name.to_owned()).or_insert_with(|| {
        let networks = NETWORKS.contains(&name);
        let mut experiment = trained(name, if networks { 40 } else { 400 });
        experiment.apply(Command::Paint {
            reach: mindgrid_core::edit::Reach::All,
            stroke: 1,
            tile: mindgrid_core::edit::Tile::Wall,
            cells: vec![(2, 2)],
        });
        experiment.step_n(5);
        Box::leak(Box::new(experiment.snapshot()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    /// Any damage to a snapshot's bytes (a byte overwritten, a run of bytes set to one value, as
    /// a stranger's editor or a bad disk would) gives a refusal or an experiment that steps,
    /// draws, undoes and resets without a panic.
    #[test]
    fn a_damaged_snapshot_is_refused_or_runs(
        scene in 0..TABULAR.len(),
        at in any::<prop::sample::Index>(),
        run in 1usize..6,
        byte: u8,
    ) {
        let mut bytes = snapshot_of(TABULAR[scene]).clone();
        let start = at.index(bytes.len());
        let end = (start + run).min(bytes.len());
        bytes[start..end].fill(byte);
        refused_or_sound(&bytes);
    }


    /// The same for a snapshot whose structure was changed (a number, a list one shorter or
    /// longer): whatever still decodes is refused or runs.
    #[test]
    fn a_restructured_snapshot_is_refused_or_runs(
        scene in 0..TABULAR.len() + NETWORKS.len(),
        how: u8,
        at: usize,
        value in prop_oneof![0u64..8, 8u64..300, Just(4096u64), Just(1u64 << 31), any::<u64>()],
    ) {
        let name = TABULAR.iter().chain(&NETWORKS).nth(scene).unwrap();
        if let Some(bytes) = restructured(&experiment_of(name), how, at, value) {
            refused_or_sound(&bytes);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same for the networks' agents, whose parts are arrays of declared shapes.
    #[test]
    fn a_damaged_network_snapshot_is_refused_or_runs(
        scene in 0..NETWORKS.len(),
        at in any::<prop::sample::Index>(),
        byte: u8,
    ) {
        let mut bytes = snapshot_of(NETWORKS[scene]).clone();
        let at = at.index(bytes.len());
        bytes[at] = byte;
        refused_or_sound(&bytes);
    }
}

#[cfg(unix)]
#[test]
fn endless_streams_and_devices_are_refused_for_every_kind_of_file() {
    for path in ["/dev/zero", "/dev/urandom"] {
        let path = Path::new(path);
        let error = scene::load(path).unwrap_err()[0].to_string();
        assert!(error.contains("device"), "{error}");
        let error = lesson::load(path).unwrap_err()[0].to_string();
        assert!(error.contains("device"), "{error}");
        assert!(Recording::load(path).unwrap_err().contains("device"));
        let error = mindgrid_core::snapshot::load_checkpoint(path, None).unwrap_err();
        assert!(error.contains("device"), "{error}");
    }
    let folder = read_limited(Path::new("/"), FileKind::Checkpoint).unwrap_err();
    assert!(folder.contains("folder"), "{folder}");
}

#[test]
fn a_file_that_is_not_a_scene_is_not_echoed() {
    let passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n";
    let error = scene::parse(passwd, "passwd").unwrap_err()[0].to_string();
    assert!(error.contains("not a mindgrid scene"), "{error}");
    assert!(!error.contains("root"), "{error}");
    let error = lesson::parse(passwd, Path::new("passwd")).unwrap_err()[0].to_string();
    assert!(error.contains("not a mindgrid lesson"), "{error}");
    assert!(!error.contains("root"), "{error}");
    // Escape sequences in a scene's text reach a terminal only escaped.
    let sneaky = "Scene(title: \"\u{1b}]0;owned\u{7}\", nothing: 1)";
    let error = scene::parse(sneaky, "sneaky.ron").unwrap_err()[0].to_string();
    assert!(
        !error.contains('\u{1b}') && !error.contains('\u{7}'),
        "{error:?}"
    );
}

/// A recording of the dyna maze that runs `until`, as text.
fn recording_until(until: Until) -> String {
    let text = std::fs::read_to_string(common::scenes_dir().join("dyna_maze.ron")).unwrap();
    Recording {
        format: mindgrid_core::recording::RECORDING_FORMAT,
        scene: text,
        seed: 1,
        until,
        log: Vec::new(),
    }
    .to_text()
}

#[test]
fn recordings_that_would_never_end_are_refused_up_front() {
    for until in [
        Until::Steps(1_000_000_000_000_000_000),
        Until::Steps(u64::MAX),
        Until::Steps(MAX_RUN_STEPS + 1),
        Until::Episodes(u32::MAX),
        Until::Episodes(0),
    ] {
        let error = Recording::from_text(&recording_until(until), "long.mgrec").unwrap_err();
        assert!(
            error.contains("long.mgrec: error: the recording runs"),
            "{error}"
        );
    }
    let fine = Recording::from_text(&recording_until(Until::Steps(500)), "ok.mgrec").unwrap();
    let mut reached = 0;
    let replayed = fine
        .replay_reporting("ok.mgrec", &mut |done| reached = done)
        .unwrap();
    assert_eq!((replayed.steps(), reached), (500, 500));
}

#[test]
fn seeds_at_the_top_of_the_range_wrap_and_a_mean_is_never_over_nothing() {
    assert!(Seeds::new(5, 0).is_none(), "no seeds is refused");
    let top = Seeds::new(u64::MAX - 1, 3).unwrap();
    assert_eq!(top.iter().collect::<Vec<_>>(), [u64::MAX - 1, u64::MAX, 0]);
    let curves = mean_over_seeds(&common::shipped("dyna_maze.ron"), top, 3, 2, &|_| {});
    for curve in &curves {
        assert_eq!(curve.runs, 3);
        assert!(curve.steps.iter().all(|&s| s >= 1.0), "{curve:?}");
    }
}

/// A lesson of one slide over the dyna maze (copied beside it with `scene_seed`), with `steps`
/// and `claims` written in.
fn lesson_dir(tag: &str, scene_seed: u64, steps: &str, claims: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mindgrid-hostile-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scene = std::fs::read_to_string(common::scenes_dir().join("dyna_maze.ron")).unwrap();
    let seeded = regex_free_seed(&scene, scene_seed);
    std::fs::write(dir.join("maze.ron"), seeded).unwrap();
    let text = format!(
        "Lesson(title: \"t\", slides: [(scene: \"maze.ron\", steps: [{steps}], claims: [{claims}])])"
    );
    std::fs::write(dir.join("lesson.ron"), text).unwrap();
    dir
}

/// `scene` with its `seed:` line set to `seed`.
fn regex_free_seed(scene: &str, seed: u64) -> String {
    scene
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("seed:") {
                format!("    seed: {seed},")
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn lessons_that_ask_too_much_are_refused_with_positions() {
    let agent = common::shipped("dyna_maze.ron").agents[0].name.clone();
    let claim = |bound: &str| {
        format!(
            "(says: \"x\", agent: {agent:?}, measure: MeanSteps(first: 1, last: 2), seeds: 2, bound: {bound})"
        )
    };
    let dir = lesson_dir("warm", 7, "WarmUp(18446744073709551615)", "");
    let error = lesson::load(&dir.join("lesson.ron")).unwrap_err()[0].to_string();
    assert!(error.contains("warm-ups add up to"), "{error}");
    let dir = lesson_dir("nan", 7, "", &claim("Below(NaN)"));
    let error = lesson::load(&dir.join("lesson.ron")).unwrap_err()[0].to_string();
    assert!(error.contains("no measure can meet"), "{error}");
    let many = vec![claim("Below(100.0)"); mindgrid_core::limits::MAX_CLAIMS + 1].join(", ");
    let dir = lesson_dir("many", 7, "", &many);
    let error = lesson::load(&dir.join("lesson.ron")).unwrap_err()[0].to_string();
    assert!(error.contains("claims; expected at most"), "{error}");
}

#[test]
fn a_claim_over_seeds_at_the_top_of_the_range_measures_every_seed() {
    let maze = common::shipped("dyna_maze.ron");
    let agent = &maze.agents[0].name;
    let claim = format!(
        "(says: \"x\", agent: \"{agent}\", measure: MeanSteps(first: 1, last: 2), seeds: 3, bound: Below(100000.0))"
    );
    let dir = lesson_dir("top", u64::MAX, "", &claim);
    let loaded = lesson::load(&dir.join("lesson.ron")).unwrap();
    let verdicts = lesson::verify(&loaded, 2);
    assert_eq!(verdicts.len(), 1);
    assert!(verdicts[0].holds, "{verdicts:?}");
    assert!(
        verdicts[0].measured.contains("over 3 seeds") && !verdicts[0].measured.contains(": 0.000"),
        "{verdicts:?}"
    );
}
