//! `mindgrid replay`: a recording run again headless, to the same CSV bytes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{progress_bar, write_csv};
use mindgrid::limits::printable;
use mindgrid::recording::{Recording, Until};

/// The arguments of `mindgrid replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The recording (written by `run --record` or the window).
    pub file: PathBuf,
    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "CSV")]
    pub out: Option<PathBuf>,
}

/// Runs `mindgrid replay`.
pub fn exec(args: ReplayArgs) -> ExitCode {
    replay(&args.file, args.out.as_deref())
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
