//! The command line: `mindgrid check` exit codes and positions.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use common::{ONE_AGENT, scene_text, scenes_dir};

/// Runs the mindgrid binary with `args`; its exit code and standard error.
fn mindgrid<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mindgrid"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_command_exit_codes() {
    let binary = env!("CARGO_BIN_EXE_mindgrid");
    let good = scenes_dir().join("dyna_maze.ron");
    let status = std::process::Command::new(binary)
        .args(["check"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let dir = std::env::temp_dir().join(format!("mindgrid-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, scene_text(&["S.X"], "", ONE_AGENT)).unwrap();
    let output = std::process::Command::new(binary)
        .arg("check")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.ron:5:16: error: unknown map character 'X'"),
        "{stderr}"
    );
}

#[test]
fn new_writes_a_scene_that_passes_check_and_never_overwrites() {
    let binary = env!("CARGO_BIN_EXE_mindgrid");
    let dir = std::env::temp_dir().join(format!("mindgrid-new-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("room.ron");
    let _ = std::fs::remove_file(&file);
    let run = |args: &[&str]| {
        std::process::Command::new(binary)
            .args(args)
            .output()
            .unwrap()
    };
    let path = file.to_str().unwrap();
    assert!(run(&["new", path, "--size", "12x7"]).status.success());
    let loaded = mindgrid::scene::load(&file).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.scene.rows().len(), 7);
    assert_eq!(loaded.scene.rows()[0], "#".repeat(12));
    let again = run(&["new", path]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let bad = run(&[
        "new",
        dir.join("x.ron").to_str().unwrap(),
        "--size",
        "2x100",
    ]);
    assert_eq!(bad.status.code(), Some(2), "clap refuses the size");
}

#[test]
fn headless_commands_refuse_a_scene_with_a_person() {
    let binary = env!("CARGO_BIN_EXE_mindgrid");
    let race = scenes_dir().join("race.ron");
    for command in ["run", "bench"] {
        let output = std::process::Command::new(binary)
            .arg(command)
            .arg(&race)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("agent 0 (\"you\") is Human") && stderr.contains("window"),
            "{command}: {stderr}"
        );
    }
}

/// `run --record` then `replay` gives the same bytes; a run continued from a checkpoint gives the
/// uninterrupted run's CSV; a checkpoint of another scene, and a damaged recording, are refused.
#[test]
fn recordings_replay_and_checkpoints_continue_to_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("mindgrid-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scene = scenes_dir().join("episodic_dyna_maze.ron");
    let at = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let run = |args: &[&str]| mindgrid(args);
    let scene = scene.to_str().unwrap();
    let whole = [
        "run",
        scene,
        "--episodes",
        "20",
        "--record",
        &at("r.mgrec"),
        "--out",
        &at("whole.csv"),
    ];
    assert_eq!(run(&whole).0, Some(0));
    assert_eq!(
        run(&["replay", &at("r.mgrec"), "--out", &at("replayed.csv")]).0,
        Some(0)
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read("replayed.csv"), read("whole.csv"));
    let first = [
        "run",
        scene,
        "--episodes",
        "8",
        "--save-checkpoint",
        &at("c.ckpt"),
        "--out",
        &at("x.csv"),
    ];
    assert_eq!(run(&first).0, Some(0));
    let rest = [
        "run",
        scene,
        "--episodes",
        "20",
        "--checkpoint",
        &at("c.ckpt"),
        "--out",
        &at("continued.csv"),
    ];
    assert_eq!(run(&rest).0, Some(0));
    assert_eq!(read("continued.csv"), read("whole.csv"));
    let other = scenes_dir().join("dyna_maze.ron");
    let (code, stderr) = run(&[
        "run",
        other.to_str().unwrap(),
        "--checkpoint",
        &at("c.ckpt"),
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("another scene"), "{stderr}");
    std::fs::write(dir.join("bad.mgrec"), "(format: 1, scene: ").unwrap();
    let (code, stderr) = run(&["replay", &at("bad.mgrec")]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("bad.mgrec:1:"), "{stderr}");
}

/// `lesson verify` exits 0 when every claim holds and 1 naming each claim that fails; `check`
/// accepts lessons and points at a broken one's line.
/// Writes at `path` a one-slide lesson on the showcase with one claim on the random walker's mean
/// steps from episode 1: `says`, the rest of the measure and the seeds (`"last: 5), seeds: 2"`),
/// and the bound.
fn one_claim_lesson(
    path: &std::path::Path,
    says: &str,
    to: &str,
    bound: &str,
) -> std::path::PathBuf {
    let scene = scenes_dir().join("showcase.ron");
    std::fs::write(
        path,
        format!(
            "Lesson(title: \"t\", slides: [(scene: {:?}, claims: [(says: \"{says}\", agent: \"Random\", measure: MeanSteps(first: 1, {to}, bound: {bound})])])",
            scene.to_str().unwrap()
        ),
    )
    .unwrap();
    path.to_path_buf()
}

#[test]
fn lesson_verify_names_the_claims_that_fail() {
    let dir = std::env::temp_dir().join(format!("mindgrid-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lesson = |name: &str, bound: &str| {
        one_claim_lesson(&dir.join(name), "the walker", "last: 5), seeds: 2", bound)
    };
    let holds = lesson("holds.ron", "Above(1.0)");
    let fails = lesson("fails.ron", "Below(1.0)");
    let run = |args: &[&std::ffi::OsStr]| mindgrid(args);
    let verify = std::ffi::OsStr::new("verify");
    let lesson_word = std::ffi::OsStr::new("lesson");
    assert_eq!(run(&[lesson_word, verify, holds.as_os_str()]).0, Some(0));
    let (code, stderr) = run(&[lesson_word, verify, holds.as_os_str(), fails.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("fails.ron: slide 1: FAILS: the walker"),
        "{stderr}"
    );
    assert!(!stderr.contains("holds.ron"), "{stderr}");
    std::fs::write(
        dir.join("broken.ron"),
        "Lesson(\n  title: \"t\",\n  slides: [(scene: 3)],\n)",
    )
    .unwrap();
    let (code, stderr) = run(&[
        std::ffi::OsStr::new("check"),
        dir.join("broken.ron").as_os_str(),
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("broken.ron:3:"), "{stderr}");
}

/// Runs `script` in bash with `$MINDGRID` set to the binary: its exit code, standard output and
/// standard error.
fn bash(script: &str) -> (Option<i32>, String, String) {
    let output = std::process::Command::new("bash")
        .args(["-c", script])
        .env("MINDGRID", env!("CARGO_BIN_EXE_mindgrid"))
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Devices and endless streams are refused before anything is read; absurd or empty counts are
/// refused saying what is allowed.
#[cfg(unix)]
#[test]
fn devices_and_absurd_counts_are_refused_up_front() {
    let maze = scenes_dir().join("dyna_maze.ron");
    let maze = maze.to_str().unwrap();
    for args in [
        &["check", "/dev/zero"][..],
        &["run", "/dev/urandom"],
        &["replay", "/dev/zero"],
        &["lesson", "verify", "/dev/zero"],
        &["run", maze, "--checkpoint", "/dev/zero"],
    ] {
        let (code, stderr) = mindgrid(args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("device"), "{args:?}: {stderr}");
    }
    // An endless pipe is read to the limit and no further.
    let (code, _, stderr) = bash("\"$MINDGRID\" check <(cat /dev/zero)");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("larger than 1 MiB"), "{stderr}");
    for (flag, value) in [
        ("--seeds", "0"),
        ("--seeds", "18446744073709551615"),
        ("--seeds", "1000000000000"),
        ("--threads", "0"),
        ("--episodes", "0"),
        ("--episodes", "4294967295"),
    ] {
        let (code, stderr) = mindgrid(&["run", maze, flag, value]);
        assert_eq!(code, Some(2), "{flag} {value}: {stderr}");
        assert!(stderr.contains(flag) && stderr.contains("1.."), "{stderr}");
    }
}

/// A scene read through a pipe is read once: `check` accepts it and a recorded run holds it.
/// Seeds at the top of the range wrap, and a mean is over every seed.
#[cfg(unix)]
#[test]
fn a_piped_scene_is_read_once_and_seeds_wrap() {
    let dir = std::env::temp_dir().join(format!("mindgrid-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let room = scenes_dir().join("empty_room.ron");
    let room = room.to_str().unwrap();
    let (code, stdout, stderr) = bash(&format!("\"$MINDGRID\" check <(cat {room:?})"));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(": ok"), "{stdout}");
    let record = dir.join("piped.mgrec");
    let (code, run_csv, stderr) = bash(&format!(
        "\"$MINDGRID\" run <(cat {room:?}) --episodes 4 --record {record:?}"
    ));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, replay_csv, stderr) = bash(&format!("\"$MINDGRID\" replay {record:?}"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(replay_csv, run_csv);
    let (code, csv, stderr) = bash(&format!(
        "\"$MINDGRID\" run {room:?} --seed 18446744073709551615 --seeds 2 --episodes 3"
    ));
    assert_eq!(code, Some(0), "{stderr}");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields[2], "2", "{row}");
        assert!(fields[3].parse::<f64>().unwrap() >= 1.0, "{row}");
    }
}

/// A lesson's text cannot write escape sequences to the terminal.
#[test]
fn lesson_verify_prints_a_lessons_text_escaped() {
    let dir = std::env::temp_dir().join(format!("mindgrid-escape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = one_claim_lesson(
        &dir.join("escape.ron"),
        "clear\u{1b}[2Jthe\u{7}screen",
        "last: 1), seeds: 1",
        "Above(0.5)",
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mindgrid"))
        .args(["lesson", "verify"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("clear\\u{1b}[2Jthe\\u{7}screen"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'));
}
