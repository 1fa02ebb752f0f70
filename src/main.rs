//! The mindgrid command line: open the window, or run, check and bench scenes headless.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use mindgrid::app::{self, WindowOptions};
use mindgrid::experiment::{
    Experiment, Seeds, mean_curves_csv, mean_over_seeds, measure_throughput,
};
use mindgrid::lesson;
use mindgrid::limits::{
    FileKind, MAX_RUN_EPISODES, MAX_RUN_SEEDS, MAX_RUN_STEPS, MAX_THREADS, printable, read_limited,
};
use mindgrid::recording::{Recording, Until};
use mindgrid::scene::{self, LoadedScene};

/// Watch brain-inspired agents learn live in grid worlds.
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Scene to open in the window (default: scenes/showcase.ron).
    scene: Option<PathBuf>,
    /// Save a screenshot of the window to this PNG after --frames frames, then exit.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// Frames to render before --screenshot is taken (or to record with --clip).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    frames: u32,
    /// Steps to run every arena headless before the window opens (start a lecture from a trained
    /// state); at most 10,000,000.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=MAX_RUN_STEPS))]
    warmup: u64,
    /// The speed the window opens at: steps per second (the nearest setting at or below, at least
    /// 1), or "max".
    #[arg(long, value_parser = parse_speed)]
    speed: Option<usize>,
    /// Frames rendered before --frames are counted and timed (with --screenshot).
    #[arg(long, default_value_t = 0)]
    warmup_frames: u32,
    /// Open the window in edit mode (paint the map; E toggles it).
    #[arg(long)]
    edit: bool,
    /// Open the window on this checkpoint of the scene (trained agents, no re-training).
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// When the window closes, write the session (the scene, its seed, every command given and
    /// how far it ran) as a recording here: `mindgrid replay FILE` runs it again headless.
    #[arg(long, value_name = "FILE", conflicts_with = "checkpoint")]
    record: Option<PathBuf>,
    /// Record a clip of --frames frames and exit: an animated GIF (`.gif`) or a folder of
    /// numbered PNGs (any other name).
    #[arg(long, value_name = "PATH", conflicts_with = "screenshot")]
    clip: Option<PathBuf>,
    /// With --clip: capture every this many rendered frames.
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    clip_every: u32,
    /// With --clip: only this arena (0 is the first), not the whole window.
    #[arg(long, value_name = "I")]
    clip_arena: Option<usize>,
    /// Memory for the timeline's snapshots, in MiB (1 to 65,536).
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    history_mib: u32,
    /// Actions to take at given frames: a RON list of `(frame: N, act: ...)` (the window tests).
    #[arg(long, hide = true, value_name = "FILE")]
    script: Option<PathBuf>,
    /// The window's size in pixels, width by height (a projector's resolution, such as 1024x768).
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_window_size)]
    window_size: (u32, u32),
    /// Open the bare baseline window (Bevy and two egui windows) instead of a scene, with this
    /// camera.
    #[arg(
        long,
        hide = true,
        value_name = "CAMERA",
        num_args = 0..=1,
        default_missing_value = "default"
    )]
    bare: Option<app::bare::BareCamera>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scene headless and write per-episode metrics as CSV.
    Run {
        /// The scene file.
        scene: PathBuf,
        /// Episodes per arena (1 to 1,000,000).
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_RUN_EPISODES)))]
        episodes: u32,
        /// Override the scene's seed.
        #[arg(long)]
        seed: Option<u64>,
        /// Write the CSV here instead of standard output.
        #[arg(long, value_name = "CSV")]
        out: Option<PathBuf>,
        /// Run this many seeds (1 to 1,000,000: from --seed, or the scene's, counting up and
        /// wrapping past 18446744073709551615 to 0) and write per-episode means:
        /// `agent,episode,runs,mean_steps,mean_return,success_rate`.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_SEEDS))]
        seeds: u64,
        /// Threads the seeds run on (1 to 256; default: every core). The output is the same on
        /// any number.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
        threads: Option<u16>,
        /// Also write a recording of the run here (`mindgrid replay` runs it again).
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// Start from this checkpoint (of the same scene) instead of from scratch: the run goes on
        /// to --episodes, and the CSV is the uninterrupted run's.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// After the run, save the trained experiment (agents, worlds, metrics) here.
        #[arg(long, value_name = "FILE")]
        save_checkpoint: Option<PathBuf>,
    },
    /// Run a recording again and write its metrics as CSV: the same bytes as the recorded run.
    Replay {
        /// The recording (written by `run --record` or the window).
        file: PathBuf,
        /// Write the CSV here instead of standard output.
        #[arg(long, value_name = "CSV")]
        out: Option<PathBuf>,
    },
    /// Measure the window's frame rate on each scene beside a bare Bevy + egui window's, in one run.
    Fps {
        /// Scene files (default: every scene in scenes/).
        scenes: Vec<PathBuf>,
        /// Frames measured per scene.
        #[arg(long, default_value_t = 120)]
        frames: u32,
        /// Frames rendered first and not measured.
        #[arg(long, default_value_t = 30)]
        warmup_frames: u32,
    },
    /// Check scene files; exit 0 when all are valid, 1 otherwise.
    Check {
        /// Scene files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// `mindgrid lesson FILE` presents a lesson full screen; `mindgrid lesson verify FILE...` runs
    /// every claim of the lessons headless and exits 1 naming each one that fails.
    Lesson {
        /// `verify` and lesson files, or one lesson file.
        #[arg(required = true, num_args = 1..)]
        args: Vec<PathBuf>,
        /// Open at this slide (1 is the first).
        #[arg(long, default_value_t = 1)]
        slide: usize,
        /// Save a screenshot after --frames frames, then exit.
        #[arg(long, value_name = "PNG")]
        screenshot: Option<PathBuf>,
        /// Frames to render before --screenshot is taken.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
        frames: u32,
        /// Present in a window (of --window-size) instead of full screen.
        #[arg(long)]
        windowed: bool,
        /// With --windowed: the window's size in pixels, width by height (such as 1024x768).
        #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_window_size)]
        window_size: (u32, u32),
    },
    /// Write a new scene: an empty walled room with a Q-learning agent and a random one.
    New {
        /// The file to write (refused if it exists).
        file: PathBuf,
        /// Columns x rows, 3 to 64 each.
        #[arg(long, default_value = "10x8", value_parser = parse_size)]
        size: (usize, usize),
    },
    /// Measure environment + agent steps per second of each arena, without drawing.
    Bench {
        /// The scene file.
        scene: PathBuf,
        /// Steps per arena (1 to 10,000,000).
        #[arg(long, default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_STEPS))]
        steps: u64,
        /// Instead of steps per second: train this many lockstep steps (1 to 10,000,000), then
        /// time a snapshot of the whole experiment, its restore, and opening it as a checkpoint
        /// file (bytes and ms).
        #[arg(long, value_name = "STEPS", value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_STEPS))]
        snapshot: Option<u64>,
    },
}

/// Two numbers written `AxB`, each in `sides`; `what` names the pair in the error ("a window
/// size", with its form `WIDTHxHEIGHT` and an example).
fn parse_pair<T>(
    text: &str,
    sides: std::ops::RangeInclusive<T>,
    (what, form, example): (&str, &str, &str),
) -> Result<(T, T), String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let expected = || {
        format!(
            "{text:?} is not {what}; expected {form}, each {} to {}, such as {example}",
            sides.start(),
            sides.end()
        )
    };
    let (a, b) = text.split_once(['x', 'X']).ok_or_else(expected)?;
    let side = |s: &str| s.trim().parse::<T>().ok().filter(|n| sides.contains(n));
    match (side(a), side(b)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(expected()),
    }
}

/// A window size written `WIDTHxHEIGHT` in pixels, each 320 to 8192.
fn parse_window_size(text: &str) -> Result<(u32, u32), String> {
    parse_pair(
        text,
        320..=8192,
        ("a window size", "WIDTHxHEIGHT", "1024x768"),
    )
}

/// A size written `COLSxROWS`, each 3 to 64.
fn parse_size(text: &str) -> Result<(usize, usize), String> {
    use mindgrid::edit::{MAX_SIDE, MIN_SIDE};
    parse_pair(text, MIN_SIDE..=MAX_SIDE, ("a size", "COLSxROWS", "10x8"))
}

/// "max", or steps per second: the rung of the speed ladder, the nearest at or below it.
fn parse_speed(text: &str) -> Result<usize, String> {
    use mindgrid::stepping::Speed;
    if text.eq_ignore_ascii_case("max") {
        return Ok(Speed::LADDER.len() - 1);
    }
    let rate: u32 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a speed; expected steps per second or \"max\""))?;
    Ok(Speed::at_most(rate))
}

/// Before a window opens: without a display, one line and exit code 2 (returned); with one, graphics
/// start-up panics become one line and exit code 2 too.
fn prepare_window() -> Option<ExitCode> {
    if let Err(message) = app::display::check_display() {
        eprintln!("{message}");
        return Some(ExitCode::from(app::display::NO_GRAPHICS));
    }
    app::display::exit_cleanly_without_graphics();
    None
}

fn exit_code(exit: bevy::app::AppExit) -> ExitCode {
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Renders this binary's window on each scene, and the bare baseline window, each in its own
/// process for `frames` frames after `warmup` frames; prints fps and the ratio to the baseline.
fn fps(scenes: &[PathBuf], frames: u32, warmup: u32) -> ExitCode {
    if let Some(refused) = prepare_window() {
        return refused;
    }
    let scenes = if scenes.is_empty() {
        let mut all: Vec<PathBuf> =
            std::fs::read_dir(default_scene().parent().unwrap_or(Path::new(".")))
                .map(|dir| {
                    dir.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
                        .collect()
                })
                .unwrap_or_default();
        all.sort();
        all
    } else {
        scenes.to_vec()
    };
    let Ok(binary) = std::env::current_exe() else {
        eprintln!("mindgrid fps: cannot find this program's own path");
        return ExitCode::FAILURE;
    };
    let shot = std::env::temp_dir().join(format!("mindgrid-fps-{}.png", std::process::id()));
    let measure = |first: &[&std::ffi::OsStr]| -> Option<f64> {
        let output = std::process::Command::new(&binary)
            .args(first)
            .arg("--screenshot")
            .arg(&shot)
            .args(["--frames", &frames.to_string()])
            .args(["--warmup-frames", &warmup.to_string()])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        text.lines().find_map(|l| {
            l.strip_prefix("rendered ")?
                .split(": ")
                .nth(1)?
                .strip_suffix(" fps")?
                .parse()
                .ok()
        })
    };
    // Each baseline is measured before and after the scenes and their mean is the reference, so a
    // machine that speeds up or slows down during the run shows in the two readings. Bevy's
    // default camera is the baseline a new Bevy + egui program gets; mindgrid's camera (no
    // multisampling) is the strict one: the same fixed cost per frame as mindgrid's window.
    let baselines = [
        ("bare egui, Bevy's camera", "default"),
        ("bare egui, mindgrid's camera", "mindgrid"),
    ];
    let bare = |camera: &str| measure(&["--bare".as_ref(), camera.as_ref()]);
    let mut before = Vec::new();
    for (label, camera) in baselines {
        let Some(rate) = bare(camera) else {
            eprintln!("mindgrid fps: the {label} window did not report a frame rate");
            return ExitCode::FAILURE;
        };
        before.push(rate);
    }
    let rates: Vec<(String, Option<f64>)> = scenes
        .iter()
        .map(|scene| {
            let name = scene.file_name().map(|n| n.to_string_lossy().into_owned());
            (name.unwrap_or_default(), measure(&[scene.as_os_str()]))
        })
        .collect();
    let after: Vec<f64> = baselines
        .iter()
        .zip(&before)
        .map(|((_, camera), &first)| bare(camera).unwrap_or(first))
        .collect();
    let references: Vec<f64> = before
        .iter()
        .zip(&after)
        .map(|(b, a)| (b + a) / 2.0)
        .collect();
    println!("{frames} frames after {warmup}, 1280 x 800");
    println!(
        "{:<30} {:>7} {:>15} {:>19}",
        "window", "fps", "of Bevy's bare", "of mindgrid's bare"
    );
    let row = |name: &str, rate: f64| {
        print!(
            "{name:<30} {rate:>7.1} {:>14.0}% {:>18.0}%",
            100.0 * rate / references[0],
            100.0 * rate / references[1]
        );
    };
    for (((label, _), reference), (first, last)) in baselines
        .iter()
        .zip(&references)
        .zip(before.iter().zip(&after))
    {
        row(label, *reference);
        println!("   (before the scenes {first:.1}, after {last:.1})");
    }
    let mut failed = false;
    for (name, rate) in rates {
        match rate {
            Some(rate) => {
                row(&name, rate);
                println!();
            }
            None => {
                println!("{name:<30} {:>7}", "failed");
                failed = true;
            }
        }
    }
    let _ = std::fs::remove_file(&shot);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn default_scene() -> PathBuf {
    let local = PathBuf::from("scenes/showcase.ron");
    if local.exists() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/showcase.ron")
    }
}

/// Loads a scene, printing its warnings, or its errors and `None`.
fn load_reporting(path: &Path) -> Option<LoadedScene> {
    match scene::load(path) {
        Ok(loaded) => {
            for warning in &loaded.warnings {
                eprintln!("{warning}");
            }
            Some(loaded)
        }
        Err(errors) => {
            for error in errors {
                eprintln!("{error}");
            }
            None
        }
    }
}

/// Loads a scene for a headless command, which has no one at the keyboard: a scene with a person
/// among its agents is refused, saying which and what to do.
fn load_headless(path: &Path) -> Option<LoadedScene> {
    let loaded = load_reporting(path)?;
    let people = scene::human_agents(&loaded.scene);
    for (index, name) in &people {
        eprintln!(
            "{}: agent {index} ({name:?}) is Human: a person plays it with the keys, and a headless run has no one at the keyboard; open the scene in the window (mindgrid {}), or give that agent a brain",
            path.display(),
            path.display()
        );
    }
    people.is_empty().then_some(loaded)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_none()
        && let Some(camera) = cli.bare
    {
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
    match cli.command {
        Some(Command::Fps {
            scenes,
            frames,
            warmup_frames,
        }) => fps(&scenes, frames, warmup_frames),
        None => {
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
                Some(file) => {
                    match mindgrid::snapshot::load_checkpoint(file, Some(&loaded.scene)) {
                        Ok(experiment) => Some(experiment),
                        Err(e) => {
                            eprintln!("{}", printable(&e));
                            return ExitCode::FAILURE;
                        }
                    }
                }
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
        Some(Command::Check { files }) => check(&files),
        Some(Command::Run {
            scene,
            episodes,
            seed,
            out,
            seeds,
            threads,
            record,
            checkpoint,
            save_checkpoint,
        }) => run(
            &scene,
            episodes,
            seed,
            (seeds, threads.map(usize::from)),
            out.as_deref(),
            Files {
                record,
                checkpoint,
                save_checkpoint,
            },
        ),
        Some(Command::Replay { file, out }) => replay(&file, out.as_deref()),
        Some(Command::Lesson {
            args,
            slide,
            screenshot,
            frames,
            windowed,
            window_size,
        }) => match args.split_first() {
            Some((first, files)) if first.as_os_str() == "verify" => verify_lessons(files),
            Some((file, [])) => present(
                file,
                slide,
                screenshot,
                frames,
                windowed.then_some(window_size),
            ),
            _ => {
                eprintln!("expected `mindgrid lesson FILE` or `mindgrid lesson verify FILE...`");
                ExitCode::FAILURE
            }
        },
        Some(Command::Bench {
            scene,
            steps,
            snapshot: None,
        }) => bench(&scene, steps),
        Some(Command::Bench {
            scene,
            snapshot: Some(trained),
            ..
        }) => bench_snapshot(&scene, trained),
        Some(Command::New { file, size }) => new_scene(&file, size),
    }
}

fn new_scene(file: &Path, (width, height): (usize, usize)) -> ExitCode {
    if file.exists() {
        eprintln!(
            "{}: exists already; choose another name (mindgrid new never overwrites)",
            file.display()
        );
        return ExitCode::FAILURE;
    }
    let text = scene::new_scene_text(&file.display().to_string(), width, height);
    if let Err(e) = scene::write_atomically(file, &text) {
        eprintln!("{}: cannot write the scene: {e}", file.display());
        return ExitCode::FAILURE;
    }
    println!(
        "{}: a new {width} x {height} room; open it with `mindgrid {}`",
        file.display(),
        file.display()
    );
    ExitCode::SUCCESS
}

fn check(files: &[PathBuf]) -> ExitCode {
    let mut all_valid = true;
    for file in files {
        // Read once (a pipe cannot be read twice); scenes and lessons share their size limit.
        let valid = match read_limited(file, FileKind::Scene) {
            Err(e) => {
                eprintln!("{}", printable(&e));
                false
            }
            Ok(bytes) => {
                let name = file.display().to_string();
                match std::str::from_utf8(&bytes) {
                    Ok(text) if lesson::is_lesson(text) => {
                        report(lesson::parse(text, file).map(|_| Vec::new()))
                    }
                    _ => report(scene::parse_bytes(&bytes, &name).map(|l| l.warnings)),
                }
            }
        };
        if valid {
            println!("{}: ok", file.display());
        }
        all_valid &= valid;
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Prints a file's warnings, or its errors; whether it was valid.
fn report(checked: Result<Vec<scene::Diagnostic>, Vec<scene::Diagnostic>>) -> bool {
    let valid = checked.is_ok();
    for finding in checked.unwrap_or_else(|errors| errors) {
        eprintln!("{finding}");
    }
    valid
}

/// Loads a lesson, printing its errors and `None` when it does not validate.
fn load_lesson(file: &Path) -> Option<lesson::LoadedLesson> {
    match lesson::load(file) {
        Ok(loaded) => Some(loaded),
        Err(errors) => {
            for error in errors {
                eprintln!("{error}");
            }
            None
        }
    }
}

/// Presenter mode: the lesson's slides full screen, from slide `slide` (1 is the first).
fn present(
    file: &Path,
    slide: usize,
    screenshot: Option<PathBuf>,
    frames: u32,
    window: Option<(u32, u32)>,
) -> ExitCode {
    let Some(lesson) = load_lesson(file) else {
        return ExitCode::FAILURE;
    };
    let first = slide
        .saturating_sub(1)
        .min(lesson.scenes.len().saturating_sub(1));
    let (Some((scene_path, scene)), Some(text)) = (
        lesson.scenes.get(first).cloned(),
        lesson.texts.get(first).cloned(),
    ) else {
        return ExitCode::FAILURE;
    };
    if let Some(refused) = prepare_window() {
        return refused;
    }
    exit_code(app::run_window(
        WindowOptions {
            scene_path,
            screenshot,
            frames,
            warmup_frames: 0,
            warmup: 0,
            speed: None,
            edit: false,
            start: None,
            history_mib: None,
            recording: None,
            presenter: Some((lesson, first)),
            windowed: window.is_some(),
            window_size: window.unwrap_or((1280, 800)),
            clip: None,
            record: None,
            script: None,
        },
        LoadedScene {
            scene,
            warnings: Vec::new(),
            text,
        },
    ))
}

fn verify_lessons(files: &[PathBuf]) -> ExitCode {
    if files.is_empty() {
        eprintln!("expected lesson files after `verify`");
        return ExitCode::FAILURE;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failed = 0;
    for file in files {
        let Some(loaded) = load_lesson(file) else {
            failed += 1;
            continue;
        };
        for verdict in lesson::verify(&loaded, threads) {
            let mark = if verdict.holds { "holds" } else { "FAILS" };
            // A lesson is somebody else's text: it cannot write escape sequences to the terminal.
            let line = printable(&format!(
                "{}: slide {}: {mark}: {} ({})",
                file.display(),
                verdict.slide,
                verdict.says,
                verdict.measured
            ));
            if verdict.holds {
                println!("{line}");
            } else {
                eprintln!("{line}");
                failed += 1;
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("{failed} claim(s) or lesson(s) failed");
        ExitCode::FAILURE
    }
}

/// The files a run reads or writes besides its CSV.
struct Files {
    record: Option<PathBuf>,
    checkpoint: Option<PathBuf>,
    save_checkpoint: Option<PathBuf>,
}

fn run(
    path: &Path,
    episodes: u32,
    seed: Option<u64>,
    (seeds, threads): (u64, Option<usize>),
    out: Option<&Path>,
    files: Files,
) -> ExitCode {
    let Some(mut loaded) = load_headless(path) else {
        return ExitCode::FAILURE;
    };
    if let Some(seed) = seed {
        loaded.scene.seed = seed;
    }
    let one_run =
        files.record.is_some() || files.checkpoint.is_some() || files.save_checkpoint.is_some();
    if seeds > 1 && one_run {
        eprintln!(
            "--record, --checkpoint and --save-checkpoint are for one run; drop --seeds {seeds}"
        );
        return ExitCode::FAILURE;
    }
    if files.record.is_some() && files.checkpoint.is_some() {
        eprintln!(
            "--record starts from the scene; a run from a checkpoint is recorded by the run that made it (drop --checkpoint, or --record)"
        );
        return ExitCode::FAILURE;
    }
    let total = u64::from(episodes) * loaded.scene.agents.len() as u64 * seeds.max(1);
    let bar = progress_bar(total, "episodes");
    if seeds > 1 {
        let first = loaded.scene.seed;
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        // The count is 1 to MAX_RUN_SEEDS (clap checked it); seeds past the top wrap to 0.
        let Some(seeds_run) = Seeds::new(first, seeds) else {
            return ExitCode::FAILURE;
        };
        let curves = mean_over_seeds(&loaded.scene, seeds_run, episodes, threads, &|n| bar.inc(n));
        bar.finish_and_clear();
        for curve in &curves {
            let tail = &curve.steps[curve.steps.len().saturating_sub(10)..];
            let mean = tail.iter().sum::<f64>() / tail.len().max(1) as f64;
            eprintln!(
                "{}: last {} episodes: {mean:.1} steps on average over {seeds} seeds",
                curve.agent,
                tail.len()
            );
        }
        return write_csv(&mean_curves_csv(&curves), out);
    }
    let mut experiment = match &files.checkpoint {
        Some(file) => match mindgrid::snapshot::load_checkpoint(file, Some(&loaded.scene)) {
            Ok(experiment) => experiment,
            Err(e) => {
                eprintln!("{}", printable(&e));
                return ExitCode::FAILURE;
            }
        },
        None => Experiment::new(loaded.scene.clone()),
    };
    if !experiment.keeps_records() {
        eprintln!(
            "{}: the checkpoint was saved by the window, which keeps summaries, not every episode: the CSV holds only the episodes run from here",
            files.checkpoint.as_deref().unwrap_or(path).display()
        );
    }
    experiment.run_episodes(episodes, |n| bar.inc(n));
    bar.finish_and_clear();
    if let Some(file) = &files.save_checkpoint
        && let Err(e) = mindgrid::snapshot::save_checkpoint(file, &experiment)
    {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    if let Some(file) = &files.record {
        // The text that was run, read once before the run: an edit since cannot slip in.
        let recording = Recording {
            format: mindgrid::recording::RECORDING_FORMAT,
            scene: loaded.text.clone(),
            seed: loaded.scene.seed,
            until: Until::Episodes(episodes),
            log: Vec::new(),
        };
        if let Err(e) = recording.save(file) {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    for arena in experiment.arenas() {
        let last = &arena.episodes()[arena.episodes().len().saturating_sub(10)..];
        let mean = last.iter().map(|e| f64::from(e.steps)).sum::<f64>() / last.len().max(1) as f64;
        let wins = last.iter().filter(|e| e.success).count();
        eprintln!(
            "{}: last {} episodes: {mean:.1} steps on average, {wins} reached the goal",
            arena.name,
            last.len()
        );
    }
    write_csv(&experiment.metrics_csv(), out)
}

fn replay(file: &Path, out: Option<&Path>) -> ExitCode {
    let name = file.display().to_string();
    let replayed = Recording::load(file).and_then(|recording| {
        let unit = match recording.until {
            Until::Steps(_) => "steps",
            Until::Episodes(_) => "episodes",
        };
        let bar = progress_bar(recording.length(), unit);
        let experiment = recording.replay_reporting(&name, &mut |done| bar.set_position(done));
        bar.finish_and_clear();
        experiment
    });
    match replayed {
        Ok(experiment) => write_csv(&experiment.metrics_csv(), out),
        Err(e) => {
            eprintln!("{}", printable(&e));
            ExitCode::FAILURE
        }
    }
}

/// A progress bar on standard error for `total` of `unit` (hidden when standard error is not a
/// terminal).
fn progress_bar(total: u64, unit: &str) -> ProgressBar {
    ProgressBar::new(total).with_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40.cyan/blue}} {{pos}}/{{len}} {unit}  {{elapsed}} (eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    )
}

/// Writes CSV to `out`, or to standard output.
fn write_csv(csv: &str, out: Option<&Path>) -> ExitCode {
    match out {
        Some(out) => {
            if let Err(e) = scene::write_atomically(out, csv) {
                eprintln!("{}: cannot write the metrics: {e}", out.display());
                return ExitCode::FAILURE;
            }
        }
        None => print!("{csv}"),
    }
    ExitCode::SUCCESS
}

fn bench_snapshot(path: &Path, trained: u64) -> ExitCode {
    use mindgrid::snapshot::{load_checkpoint, save_checkpoint};
    use std::time::Instant;
    let Some(loaded) = load_headless(path) else {
        return ExitCode::FAILURE;
    };
    let mut experiment = Experiment::new(loaded.scene.clone());
    experiment.step_n(trained);
    let started = Instant::now();
    let bytes = experiment.snapshot();
    let snapshot_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let restored = Experiment::restore(&bytes);
    let restore_ms = started.elapsed().as_secs_f64() * 1e3;
    if let Err(e) = restored {
        eprintln!("{}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    let file = std::env::temp_dir().join(format!("mindgrid-bench-{}.ckpt", std::process::id()));
    let opened = save_checkpoint(&file, &experiment).and_then(|()| {
        let started = Instant::now();
        load_checkpoint(&file, Some(&loaded.scene)).map(|_| started.elapsed().as_secs_f64() * 1e3)
    });
    let _ = std::fs::remove_file(&file);
    match opened {
        Ok(open_ms) => {
            println!(
                "{}: after {trained} steps: snapshot {} bytes in {snapshot_ms:.1} ms, restore {restore_ms:.1} ms, checkpoint opened in {open_ms:.1} ms",
                path.display(),
                bytes.len()
            );
            let (mean, worst) = scrub_times(loaded.scene, trained);
            println!(
                "  scrubbing to 20 steps spread over the last {} (the window's timeline, 256 MiB): mean {mean:.0} ms, worst {worst:.0} ms",
                trained.min(100_000)
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Mean and worst milliseconds to reach 20 steps spread over the last 100,000 (or all) of a run of
/// `trained` steps kept as the window keeps it (summaries, a timeline of 256 MiB).
fn scrub_times(scene: mindgrid::scene::Scene, trained: u64) -> (f64, f64) {
    use mindgrid::timeline::{DEFAULT_BUDGET, SNAPSHOT_EVERY, Timeline};
    let mut experiment = Experiment::with_records(scene, false);
    let mut timeline = Timeline::new(&experiment, DEFAULT_BUDGET);
    while experiment.steps() < trained {
        experiment.step_n(SNAPSHOT_EVERY.min(trained - experiment.steps()));
        timeline.note(&experiment);
    }
    let span = trained.min(100_000);
    let times: Vec<f64> = (0..20u64)
        .map(|k| {
            let step = trained - span + span * k / 20 + 137;
            let started = std::time::Instant::now();
            let _ = timeline.seek(step.min(trained));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (mean, times.iter().copied().fold(0.0, f64::max))
}

fn bench(path: &Path, steps: u64) -> ExitCode {
    let Some(loaded) = load_headless(path) else {
        return ExitCode::FAILURE;
    };
    println!("{}: {steps} steps per arena", path.display());
    for (name, rate) in measure_throughput(loaded.scene, steps) {
        println!("  {name:<28} {rate:>14.0} steps/s");
    }
    ExitCode::SUCCESS
}
