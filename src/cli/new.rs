//! `mindgrid new`: a new scene file, an empty walled room with a Q-learning agent and a random one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::parse_size;
use mindgrid::scene;

/// The arguments of `mindgrid new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// The file to write (refused if it exists).
    pub file: PathBuf,
    /// Columns x rows, 3 to 64 each.
    #[arg(long, default_value = "10x8", value_parser = parse_size)]
    pub size: (usize, usize),
}

/// Runs `mindgrid new`.
pub fn exec(args: NewArgs) -> ExitCode {
    new_scene(&args.file, args.size)
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
