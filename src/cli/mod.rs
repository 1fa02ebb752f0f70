//! The `mindgrid` command line's subcommands, one module each (as cargo keeps its own), and what
//! they share: loading scenes with their diagnostics, the window's start-up checks, the argument
//! parsers, CSV output and progress bars.

pub mod bench;
pub mod check;
pub mod fps;
pub mod lesson;
pub mod new;
pub mod replay;
pub mod run;
pub mod window;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use mindgrid::app;
use mindgrid::scene::{self, LoadedScene};

/// Two numbers written `AxB`, each in `sides`; `what` names the pair in the error ("a window
/// size", with its form `WIDTHxHEIGHT` and an example).
pub fn parse_pair<T>(
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
pub fn parse_window_size(text: &str) -> Result<(u32, u32), String> {
    parse_pair(
        text,
        320..=8192,
        ("a window size", "WIDTHxHEIGHT", "1024x768"),
    )
}

/// A size written `COLSxROWS`, each 3 to 64.
pub fn parse_size(text: &str) -> Result<(usize, usize), String> {
    use mindgrid::edit::{MAX_SIDE, MIN_SIDE};
    parse_pair(text, MIN_SIDE..=MAX_SIDE, ("a size", "COLSxROWS", "10x8"))
}

/// "max", or steps per second: the rung of the speed ladder, the nearest at or below it.
pub fn parse_speed(text: &str) -> Result<usize, String> {
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
pub fn prepare_window() -> Option<ExitCode> {
    if let Err(message) = app::display::check_display() {
        eprintln!("{message}");
        return Some(ExitCode::from(app::display::NO_GRAPHICS));
    }
    app::display::exit_cleanly_without_graphics();
    None
}

pub fn exit_code(exit: bevy::app::AppExit) -> ExitCode {
    if exit.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub fn default_scene() -> PathBuf {
    let local = PathBuf::from("scenes/showcase.ron");
    if local.exists() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/showcase.ron")
    }
}

/// Loads a scene, printing its warnings, or its errors and `None`.
pub fn load_reporting(path: &Path) -> Option<LoadedScene> {
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
pub fn load_headless(path: &Path) -> Option<LoadedScene> {
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

/// Prints a file's warnings, or its errors; whether it was valid.
pub fn report(checked: Result<Vec<scene::Diagnostic>, Vec<scene::Diagnostic>>) -> bool {
    let valid = checked.is_ok();
    for finding in checked.unwrap_or_else(|errors| errors) {
        eprintln!("{finding}");
    }
    valid
}

/// A progress bar on standard error for `total` of `unit` (hidden when standard error is not a
/// terminal).
pub fn progress_bar(total: u64, unit: &str) -> ProgressBar {
    ProgressBar::new(total).with_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40.cyan/blue}} {{pos}}/{{len}} {unit}  {{elapsed}} (eta {{eta}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    )
}

/// Writes CSV to `out`, or to standard output.
pub fn write_csv(csv: &str, out: Option<&Path>) -> ExitCode {
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
