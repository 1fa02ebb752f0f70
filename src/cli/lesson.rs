//! `mindgrid lesson`: a lesson presented (full screen or windowed), or its claims verified
//! headless.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{exit_code, parse_window_size, prepare_window};
use mindgrid::app::{self, WindowOptions};
use mindgrid::lesson;
use mindgrid::limits::printable;
use mindgrid::scene::LoadedScene;

/// The arguments of `mindgrid lesson`.
#[derive(Args, Debug)]
pub struct LessonArgs {
    /// `verify` and lesson files, or one lesson file.
    #[arg(required = true, num_args = 1..)]
    pub args: Vec<PathBuf>,
    /// Open at this slide (1 is the first).
    #[arg(long, default_value_t = 1)]
    pub slide: usize,
    /// Save a screenshot after --frames frames, then exit.
    #[arg(long, value_name = "PNG")]
    pub screenshot: Option<PathBuf>,
    /// Frames to render before --screenshot is taken.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..))]
    pub frames: u32,
    /// Present in a window (of --window-size) instead of full screen.
    #[arg(long)]
    pub windowed: bool,
    /// With --windowed: the window's size in pixels, width by height (such as 1024x768).
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = parse_window_size)]
    pub window_size: (u32, u32),
}

/// Runs `mindgrid lesson`.
pub fn exec(args: LessonArgs) -> ExitCode {
    match args.args.split_first() {
        Some((first, files)) if first.as_os_str() == "verify" => verify_lessons(files),
        Some((file, [])) => present(
            file,
            args.slide,
            args.screenshot,
            args.frames,
            args.windowed.then_some(args.window_size),
        ),
        _ => {
            eprintln!("expected `mindgrid lesson FILE` or `mindgrid lesson verify FILE...`");
            ExitCode::FAILURE
        }
    }
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
