//! The real window: launches the binary on the X server with --screenshot and checks the PNG.
//! Without a display it is skipped (and says so), unless `MINDGRID_REQUIRE_DISPLAY=1`.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Whether there is a display to open the window on; without one the test is skipped (and says
/// so), unless `MINDGRID_REQUIRE_DISPLAY=1`, which makes a missing display a failure.
fn has_display(test: &str) -> bool {
    if std::env::var_os("DISPLAY").is_some() {
        return true;
    }
    if std::env::var("MINDGRID_REQUIRE_DISPLAY").as_deref() == Ok("1") {
        panic!("MINDGRID_REQUIRE_DISPLAY=1 but there is no DISPLAY: start Xvfb first");
    }
    eprintln!("SKIPPED {test}: no DISPLAY (run under Xvfb to test the window)");
    false
}

/// Runs mindgrid with `args` plus `--screenshot FILE` and returns the PNG's width, height, pixels
/// and channels; `None` (the test skipped, and saying so) without a display unless one is required.
fn screenshot(test: &str, args: &[&std::ffi::OsStr]) -> Option<(u32, u32, Vec<u8>, usize)> {
    if !has_display(test) {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("mindgrid-window-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shot = dir.join("window.png");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mindgrid"))
        .args(args)
        .arg("--screenshot")
        .arg(&shot)
        .args(["--frames", "40"])
        .env(
            "WGPU_BACKEND",
            std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "vulkan".into()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mindgrid binary starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            child.kill().ok();
            panic!("the window did not take its screenshot within 180 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut log = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        std::io::Read::read_to_string(&mut stderr, &mut log).ok();
    }
    assert!(status.success(), "mindgrid exited with {status}: {log}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    Some((info.width, info.height, pixels, info.color_type.samples()))
}

/// Asserts a screenshot is a full window with many colours and bright text: not blank.
fn assert_not_blank((width, height, pixels, channels): (u32, u32, Vec<u8>, usize)) {
    assert_eq!((width, height), (1280, 800), "the window's size");
    let colours: HashSet<&[u8]> = pixels.chunks(channels).collect();
    assert!(
        colours.len() > 200,
        "a blank or nearly blank window: {} colours",
        colours.len()
    );
    let bright = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().all(|&c| c > 200))
        .count();
    assert!(
        bright > 500,
        "text and the agents should show: {bright} bright pixels"
    );
}

#[test]
fn window_renders_grid_and_panels() {
    let scene = common::scenes_dir().join("showcase.ron");
    if let Some(shot) = screenshot("window", &[scene.as_os_str()]) {
        assert_not_blank(shot);
    }
}

/// Presenter mode shows a slide: its caption over the scene's arenas.
#[test]
fn a_lesson_slide_renders() {
    let lesson = common::scenes_dir().join("../lessons/introduction.ron");
    let args = ["lesson".as_ref(), lesson.as_os_str(), "--windowed".as_ref()];
    if let Some(shot) = screenshot("lesson", &args) {
        assert_not_blank(shot);
    }
}

/// Runs the window binary on the showcase with `env` changes; returns its exit code and stderr.
fn open_window_with(env: &[(&str, Option<&str>)]) -> (Option<i32>, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mindgrid"));
    command
        .arg(common::scenes_dir().join("showcase.ron"))
        .args(["--frames", "5", "--screenshot"])
        .arg(std::env::temp_dir().join(format!("mindgrid-nogfx-{}.png", std::process::id())))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    let output = command.output().expect("the mindgrid binary starts");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn no_display_is_one_clear_line_and_exit_code_2() {
    let (code, stderr) = open_window_with(&[("DISPLAY", None), ("WAYLAND_DISPLAY", None)]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no display: DISPLAY is not set"),
        "{stderr}"
    );
    assert!(
        stderr.contains("xvfb-run") && stderr.contains("mindgrid run"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn no_graphics_adapter_is_one_clear_line_and_exit_code_2() {
    if !has_display("no_graphics_adapter") {
        return;
    }
    // Vulkan only, and a Vulkan loader that finds no driver: no adapter at all.
    let (code, stderr) = open_window_with(&[
        ("WGPU_BACKEND", Some("vulkan")),
        ("VK_ICD_FILENAMES", Some("/nonexistent/no-driver.json")),
        ("VK_DRIVER_FILES", Some("/nonexistent/no-driver.json")),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no usable graphics adapter"), "{stderr}");
    assert!(stderr.contains("mesa-vulkan-drivers"), "{stderr}");
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("mindgrid:"))
        .collect();
    assert_eq!(ours.len(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Nothing changes unless someone changes it: idle frames of the window (every panel drawn, the
/// sliders of each scene's first agent on screen) on a scene of every mechanism log no command,
/// read from the session's recording (`--record`), which replays to a CSV.
#[test]
fn idle_frames_log_no_command_and_the_session_is_recorded() {
    let dir = std::env::temp_dir().join(format!("mindgrid-idle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "showcase.ron",
        "episodic_dyna_maze.ron",
        "planning_dyna_maze.ron",
        "attention_cue.ron",
        "continual_red_blue.ron",
        "meta_hidden_goal.ron",
    ] {
        let record = dir.join(format!("{name}.mgrec"));
        let scene = common::scenes_dir().join(name);
        let args = [scene.as_os_str(), "--record".as_ref(), record.as_os_str()];
        if screenshot(&format!("idle-{name}"), &args).is_none() {
            return;
        }
        let recording = mindgrid::recording::Recording::load(&record).unwrap();
        assert!(recording.log.is_empty(), "{name}: {:?}", recording.log);
        let mindgrid::recording::Until::Steps(steps) = recording.until else {
            panic!("{name}: a window session runs in lockstep");
        };
        assert!(steps > 0, "{name}: the session ran");
        let replayed = Command::new(env!("CARGO_BIN_EXE_mindgrid"))
            .arg("replay")
            .arg(&record)
            .output()
            .unwrap();
        assert!(replayed.status.success(), "{name}: {replayed:?}");
    }
}

/// The stage layout: presenting at 150 % zoom in a 1280 x 800 window (853 x 533 points, smaller
/// than 1024 x 768 at 100 %), the arenas' block keeps at least half of the window; side panels and
/// curves give way first. The share is what the window prints with its screenshot.
#[test]
fn presenting_at_150_percent_the_arenas_keep_half_the_window() {
    if !has_display("presenting_at_150_percent") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("mindgrid-stage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = dir.join("settings.ron");
    std::fs::write(&settings, "(zoom: 1.5, high_contrast: false)").unwrap();
    let lesson = common::scenes_dir().join("../lessons/planning.ron");
    for slide in ["1", "2"] {
        let output = Command::new(env!("CARGO_BIN_EXE_mindgrid"))
            .args(["lesson".as_ref(), lesson.as_os_str()])
            .args([
                "--windowed",
                "--slide",
                slide,
                "--frames",
                "30",
                "--screenshot",
            ])
            .arg(dir.join(format!("slide-{slide}.png")))
            .env("MINDGRID_CONFIG", &settings)
            .env(
                "WGPU_BACKEND",
                std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "vulkan".into()),
            )
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        let share: f64 = stdout
            .lines()
            .find_map(|l| {
                l.strip_prefix("arena block: ")?
                    .strip_suffix(" % of the window")
            })
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no arena block line in {stdout}"));
        assert!(
            share >= 50.0,
            "slide {slide}: the arenas got {share} % of the window"
        );
    }
}

/// Runs the window on `scene` with the actions of `script` (a RON list of `(frame: N, act: ...)`,
/// sent as the controls send them) for `frames` frames, recording the session; what the window
/// printed and the recording. `None` (skipped, saying so) without a display.
fn scripted(
    test: &str,
    scene: &std::path::Path,
    script: &str,
    frames: u32,
) -> Option<(String, mindgrid::recording::Recording)> {
    if !has_display(test) {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("mindgrid-script-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (script_file, record) = (dir.join("script.ron"), dir.join("session.mgrec"));
    std::fs::write(&script_file, script).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_mindgrid"))
        .arg(scene)
        .arg("--script")
        .arg(&script_file)
        .arg("--record")
        .arg(&record)
        .arg("--screenshot")
        .arg(dir.join("window.png"))
        .args(["--frames", &frames.to_string()])
        .env(
            "WGPU_BACKEND",
            std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "vulkan".into()),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{test}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some((
        stdout,
        mindgrid::recording::Recording::load(&record).unwrap(),
    ))
}

/// The number after `prefix` on one of `lines`.
fn printed(lines: &str, prefix: &str) -> u64 {
    lines
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no {prefix:?} in {lines}"))
}

/// Scrubbing after a slider change keeps every step of history: the slider is dragged once,
/// the run paused, and the timeline's thumb dragged back and forth (before the change too); the
/// timeline still reaches its live edge and the log holds the one change. (Before, the agent
/// panel applied the value on screen to the past state it was drawing: a branch, which dropped
/// the future, and seeks cascaded back towards step 0.)
#[test]
fn scrubbing_after_a_slider_change_keeps_every_step_of_history() {
    let script = "[
        (frame: 5, act: Select(1)),
        (frame: 10, act: Set(arena: 1, name: \"epsilon\", value: 0.58)),
        (frame: 70, act: Pause),
        (frame: 80, act: Seek(0.5)),
        (frame: 90, act: Seek(0.25)),
        (frame: 100, act: Seek(0.9)),
        (frame: 110, act: Seek(0.02)),
        (frame: 120, act: Seek(0.6)),
    ]";
    let scene = common::scenes_dir().join("showcase.ron");
    let Some((stdout, recording)) = scripted("scrub", &scene, script, 140) else {
        return;
    };
    let edge = printed(&stdout, "live edge at the first seek: ");
    assert!(edge > 100, "the run went on before the pause: {stdout}");
    assert_eq!(
        printed(&stdout, "timeline: steps 0 to "),
        edge,
        "the future was dropped: {stdout}"
    );
    assert_eq!(recording.log.len(), 1, "{:?}", recording.log);
}

/// Switching scenes and reloading give the file's values and an empty log: with the
/// optimistic Q-learner (epsilon 0.05) selected, another scene opens with its own values (no
/// command carried over), and after a slider change a reload starts the file afresh.
#[test]
fn switching_scenes_and_reloading_give_the_files_values_and_an_empty_log() {
    let other = common::scenes_dir().join("episodic_dyna_maze.ron");
    let script = format!(
        "[
            (frame: 5, act: Select(0)),
            (frame: 20, act: Open({:?})),
            (frame: 50, act: Set(arena: 0, name: \"epsilon\", value: 0.58)),
            (frame: 70, act: Reload),
        ]",
        other.display().to_string()
    );
    let scene = common::scenes_dir().join("showcase.ron");
    let Some((_, recording)) = scripted("switch", &scene, &script, 110) else {
        return;
    };
    assert_eq!(
        recording.scene,
        std::fs::read_to_string(&other).unwrap(),
        "the session ends on the scene switched to"
    );
    assert!(recording.log.is_empty(), "{:?}", recording.log);
}
