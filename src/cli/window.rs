//! `mindgrid [SCENE]`: the window on a scene, a recording or a checkpoint, with screenshots,
//! clips, a warm-up and the window tests' scripts; or the bare baseline window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{
    default_scene, exit_code, load_reporting, parse_speed, parse_window_size, prepare_window,
};
use mindgrid::app::{self, WindowOptions};
use mindgrid::limits::{MAX_RUN_STEPS, printable};
use mindgrid::recording::Recording;
use mindgrid::scene::LoadedScene;

/// The window's arguments (`mindgrid [SCENE]`, no subcommand).
#[derive(Args, Debug)]
pub struct WindowArgs {
    /// Scene to open in the window (default: scenes/showcase.ron).
    pub scene: Option<PathBuf>,
    /// Save a screenshot of the window to this PNG after --frames frames, then exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Frames to render before --screenshot is taken (or to record with --clip).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub frames: u32,
    /// Steps to run every arena headless before the window opens (start a lecture from a trained
    /// state); at most 10,000,000.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=MAX_RUN_STEPS))]
    pub warmup: u64,
    /// The speed the window opens at: steps per second (the nearest setting at or below, at least
    /// 1), or "max".
    #[arg(long, value_parser = parse_speed)]
    pub speed: Option<usize>,
    /// Frames rendered before --frames are counted and timed (with --screenshot).
    #[arg(long, default_value_t = 0)]
    pub warmup_frames: u32,
    /// Open the window in edit mode (paint the map; E toggles it).
    #[arg(long)]
    pub edit: bool,
    /// Open the window on this checkpoint of the scene (trained agents, no re-training).
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// When the window closes, write the session (the scene, its seed, every command given and
    /// how far it ran) as a recording here: `mindgrid replay FILE` runs it again headless.
    #[arg(long, value_name = "FILE", conflicts_with = "checkpoint")]
    pub record: Option<PathBuf>,
    /// Record a clip of --frames frames and exit: an animated GIF (`.gif`) or a folder of
    /// numbered PNGs (any other name).
    #[arg(long, value_name = "PATH", conflicts_with = "screenshot")]
    pub clip: Option<PathBuf>,
    /// With --clip: capture every this many rendered frames.
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub clip_every: u32,
    /// With --clip: only this arena (0 is the first), not the whole window.
    #[arg(long, value_name = "I")]
    pub clip_arena: Option<usize>,
    /// Memory for the timeline's snapshots, in MiB (1 to 65,536).
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub history_mib: u32,
    /// Actions to take at given frames: a RON list of `(frame: N, act: ...)` (the window tests).
    #[arg(long, hide = true, value_name = "FILE")]
    pub script: Option<PathBuf>,
    /// The window's size in pixels, width by height (a projector's resolution, such as 1024x768).
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_window_size)]
    pub window_size: (u32, u32),
    /// Open the bare baseline window (Bevy and two egui windows) instead of a scene, with this
    /// camera.
    #[arg(
        long,
        hide = true,
        value_name = "CAMERA",
        num_args = 0..=1,
        default_missing_value = "default"
    )]
    pub bare: Option<app::bare::BareCamera>,
}

/// Opens the window (or the bare baseline window).
pub fn exec(cli: WindowArgs) -> ExitCode {
    if let Some(camera) = cli.bare {
        if let Some(refused) = prepare_window() {
            return refused;
        }
        let shot = cli
            .screenshot
            .unwrap_or_else(|| std::env::temp_dir().join("mindgrid-bare.png"));
        return exit_code(app::bare::run_bare_window(
            shot,
            cli.frames,
            cli.warmup_frames,
            camera,
        ));
    }
    let scene_path = cli.scene.unwrap_or_else(default_scene);
    let recording = match scene_path.extension().and_then(|e| e.to_str()) {
        Some("mgrec") => match Recording::load(&scene_path) {
            Ok(recording) => Some(recording),
            Err(e) => {
                eprintln!("{}", printable(&e));
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    let loaded = match &recording {
        Some(recording) => match recording.scene(&scene_path.display().to_string()) {
            Ok(scene) => LoadedScene {
                scene,
                warnings: Vec::new(),
                text: recording.scene.clone(),
            },
            Err(e) => {
                eprintln!("{}", printable(&e));
                return ExitCode::FAILURE;
            }
        },
        None => match load_reporting(&scene_path) {
            Some(loaded) => loaded,
            None => return ExitCode::FAILURE,
        },
    };
    if let Some(arena) = cli.clip_arena.filter(|&a| a >= loaded.scene.agents.len()) {
        eprintln!(
            "--clip-arena {arena}: the scene has {} arenas (0 to {})",
            loaded.scene.agents.len(),
            loaded.scene.agents.len().saturating_sub(1)
        );
        return ExitCode::FAILURE;
    }
    let start = match &cli.checkpoint {
        Some(file) => match mindgrid::snapshot::load_checkpoint(file, Some(&loaded.scene)) {
            Ok(experiment) => Some(experiment),
            Err(e) => {
                eprintln!("{}", printable(&e));
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let script = match cli.script.as_deref().map(app::script::Script::load) {
        Some(Err(e)) => {
            eprintln!("{}", printable(&e));
            return ExitCode::FAILURE;
        }
        Some(Ok(script)) => Some(script),
        None => None,
    };
    if let Some(refused) = prepare_window() {
        return refused;
    }
    let exit = app::run_window(
        WindowOptions {
            scene_path,
            screenshot: cli.screenshot,
            frames: cli.frames,
            warmup_frames: cli.warmup_frames,
            warmup: cli.warmup,
            speed: cli.speed,
            edit: cli.edit,
            start,
            history_mib: Some(cli.history_mib as usize),
            recording,
            presenter: None,
            windowed: false,
            window_size: cli.window_size,
            clip: cli
                .clip
                .map(|path| (path, cli.frames, cli.clip_every, cli.clip_arena)),
            record: cli.record,
            script,
        },
        loaded,
    );
    exit_code(exit)
}
