//! `mindgrid run`: a scene headless, per-episode metrics as CSV (over seeds, on threads), with a
//! recording and checkpoints.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{load_headless, progress_bar, write_csv};
use mindgrid::experiment::{Experiment, Seeds, mean_curves_csv, mean_over_seeds};
use mindgrid::limits::{MAX_RUN_EPISODES, MAX_RUN_SEEDS, MAX_THREADS, printable};
use mindgrid::recording::{Recording, Until};

/// The arguments of `mindgrid run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scene file.
    pub scene: PathBuf,
    /// Episodes per arena (1 to 1,000,000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_RUN_EPISODES)))]
    pub episodes: u32,
    /// Override the scene's seed.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "CSV")]
    pub out: Option<PathBuf>,
    /// Run this many seeds (1 to 1,000,000: from --seed, or the scene's, counting up and
    /// wrapping past 18446744073709551615 to 0) and write per-episode means:
    /// `agent,episode,runs,mean_steps,mean_return,success_rate`.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_SEEDS))]
    pub seeds: u64,
    /// Threads the seeds run on (1 to 256; default: every core). The output is the same on
    /// any number.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    pub threads: Option<u16>,
    /// Also write a recording of the run here (`mindgrid replay` runs it again).
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Start from this checkpoint (of the same scene) instead of from scratch: the run goes on
    /// to --episodes, and the CSV is the uninterrupted run's.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// After the run, save the trained experiment (agents, worlds, metrics) here.
    #[arg(long, value_name = "FILE")]
    pub save_checkpoint: Option<PathBuf>,
}

/// Runs `mindgrid run`.
pub fn exec(args: RunArgs) -> ExitCode {
    run(
        &args.scene,
        args.episodes,
        args.seed,
        (args.seeds, args.threads.map(usize::from)),
        args.out.as_deref(),
        Files {
            record: args.record,
            checkpoint: args.checkpoint,
            save_checkpoint: args.save_checkpoint,
        },
    )
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
