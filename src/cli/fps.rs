//! `mindgrid fps`: the window's frame rate on each scene beside the bare Bevy + egui window's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{default_scene, prepare_window};

/// The arguments of `mindgrid fps`.
#[derive(Args, Debug)]
pub struct FpsArgs {
    /// Scene files (default: every scene in scenes/).
    pub scenes: Vec<PathBuf>,
    /// Frames measured per scene.
    #[arg(long, default_value_t = 120)]
    pub frames: u32,
    /// Frames rendered first and not measured.
    #[arg(long, default_value_t = 30)]
    pub warmup_frames: u32,
}

/// Runs `mindgrid fps`.
pub fn exec(args: FpsArgs) -> ExitCode {
    fps(&args.scenes, args.frames, args.warmup_frames)
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
