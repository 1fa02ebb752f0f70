//! The command line: `mindgrid check` exit codes and positions.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use common::{ONE_AGENT, scene_text, scenes_dir};

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
