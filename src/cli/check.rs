//! `mindgrid check`: scene files validated, their errors and warnings printed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report;
use mindgrid::lesson;
use mindgrid::limits::{FileKind, printable, read_limited};
use mindgrid::scene;

/// The arguments of `mindgrid check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Scene files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

/// Runs `mindgrid check`.
pub fn exec(args: CheckArgs) -> ExitCode {
    check(&args.files)
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
