//! The mindgrid command line: open the window, or run, check and bench scenes headless. Each
//! subcommand is a module of `cli`, with its arguments and what it does. In the browser there is
//! no command line: the page opens the window (`app::web`).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
use std::process::ExitCode;

#[cfg(not(target_arch = "wasm32"))]
use clap::{Parser, Subcommand};

/// Watch brain-inspired agents learn live in grid worlds.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Parser, Debug)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    window: cli::window::WindowArgs,
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scene headless and write per-episode metrics as CSV.
    Run(cli::run::RunArgs),
    /// Run a recording again and write its metrics as CSV: the same bytes as the recorded run.
    Replay(cli::replay::ReplayArgs),
    /// Measure the window's frame rate on each scene beside a bare Bevy + egui window's, in one run.
    Fps(cli::fps::FpsArgs),
    /// Check scene files; exit 0 when all are valid, 1 otherwise.
    Check(cli::check::CheckArgs),
    /// `mindgrid lesson FILE` presents a lesson full screen; `mindgrid lesson verify FILE...` runs
    /// every claim of the lessons headless and exits 1 naming each one that fails.
    Lesson(cli::lesson::LessonArgs),
    /// Write a new scene: an empty walled room with a Q-learning agent and a random one.
    New(cli::new::NewArgs),
    /// Measure environment + agent steps per second of each arena, without drawing.
    Bench(cli::bench::BenchArgs),
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => cli::window::exec(cli.window),
        Some(Command::Run(args)) => cli::run::exec(args),
        Some(Command::Replay(args)) => cli::replay::exec(args),
        Some(Command::Fps(args)) => cli::fps::exec(args),
        Some(Command::Check(args)) => cli::check::exec(args),
        Some(Command::Lesson(args)) => cli::lesson::exec(args),
        Some(Command::New(args)) => cli::new::exec(args),
        Some(Command::Bench(args)) => cli::bench::exec(args),
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    mindgrid::app::run_page();
}
