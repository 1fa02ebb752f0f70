//! `mindgrid bench`: environment + agent steps per second of each arena without drawing, or the
//! cost of a snapshot, its restore and a checkpoint file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::load_headless;
use mindgrid::experiment::{Experiment, measure_throughput};
use mindgrid::limits::MAX_RUN_STEPS;

/// The arguments of `mindgrid bench`.
#[derive(Args, Debug)]
pub struct BenchArgs {
    /// The scene file.
    pub scene: PathBuf,
    /// Steps per arena (1 to 10,000,000).
    #[arg(long, default_value_t = 2_000_000, value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_STEPS))]
    pub steps: u64,
    /// Instead of steps per second: train this many lockstep steps (1 to 10,000,000), then
    /// time a snapshot of the whole experiment, its restore, and opening it as a checkpoint
    /// file (bytes and ms).
    #[arg(long, value_name = "STEPS", value_parser = clap::value_parser!(u64).range(1..=MAX_RUN_STEPS))]
    pub snapshot: Option<u64>,
}

/// Runs `mindgrid bench`.
pub fn exec(args: BenchArgs) -> ExitCode {
    match args.snapshot {
        None => bench(&args.scene, args.steps),
        Some(trained) => bench_snapshot(&args.scene, trained),
    }
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
    for (name, rate) in measure_throughput(loaded.scene.clone(), steps) {
        println!("  {name:<28} {rate:>14.0} steps/s");
    }
    for (name, rests, per_rest) in rest_costs(&loaded.scene, steps) {
        println!(
            "  {name:<28} {per_rest:>11.1} µs per rest ({rests} rests; the time beyond the same agent lesioned)"
        );
    }
    ExitCode::SUCCESS
}

/// For each replaying arena: its rests in `steps` steps and the time each took, in µs: its run's
/// time less that of the same agent lesioned (no replay) over as many steps, per rest.
fn rest_costs(scene: &mindgrid::scene::Scene, steps: u64) -> Vec<(String, u64, f64)> {
    use mindgrid::command::Command;
    use std::time::Instant;
    let timed = |lesioned: bool, i: usize| {
        let mut experiment = Experiment::new(scene.clone());
        if lesioned {
            experiment.apply(Command::SetHyperparameter {
                arena: i,
                name: "lesion".into(),
                value: 1.0,
            });
        }
        let started = Instant::now();
        experiment.step_arena(i, steps);
        let seconds = started.elapsed().as_secs_f64();
        let rests = experiment.arenas()[i]
            .insight()
            .replay()
            .map_or(0, |r| r.rests);
        (seconds, rests)
    };
    (0..scene.agents.len())
        .filter(|&i| scene.agents[i].brain.kind() == "PrioritisedReplay")
        .map(|i| {
            let (with, rests) = timed(false, i);
            let (without, _) = timed(true, i);
            let per_rest = (with - without).max(0.0) / rests.max(1) as f64 * 1e6;
            (scene.agents[i].name.clone(), rests, per_rest)
        })
        .collect()
}
