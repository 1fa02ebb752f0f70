//! Screenshots: F12 saves one beside the working directory; `--screenshot` saves one and exits.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};

/// A screenshot was asked for (F12): taken in this frame or the next.
#[derive(Resource, Debug, Default)]
pub struct ScreenshotAsked(pub bool);

/// The share of the window the arenas' block had on the last frame drawn (printed with
/// `--screenshot`, and measured by the window test).
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct ArenaBlock(pub f32);

/// Where each arena is drawn, in physical pixels (x, y, width, height), for clips of one arena.
#[derive(Resource, Debug, Default)]
pub struct ArenaRects(pub Vec<[u32; 4]>);

/// A screenshot to take after a number of frames, after which the app exits; the frame rate of
/// the frames after a warm-up is printed (`rendered N frames in S s: F fps`).
#[derive(Resource, Debug)]
pub struct ScreenshotPlan {
    path: PathBuf,
    frames: u32,
    frames_left: u32,
    warmup_left: u32,
    requested: bool,
    started: Option<web_time::Instant>,
}

impl ScreenshotPlan {
    /// Take `path` after `warmup` frames and then `frames` measured frames.
    pub fn new(path: PathBuf, frames: u32, warmup: u32) -> Self {
        Self {
            path,
            frames: frames.max(1),
            frames_left: frames.max(1),
            warmup_left: warmup,
            requested: false,
            started: None,
        }
    }
}

/// Takes screenshots on request.
pub fn plugin(app: &mut App) {
    app.init_resource::<ScreenshotAsked>()
        .init_resource::<ArenaBlock>()
        .init_resource::<ArenaRects>()
        .add_systems(Update, (take_requested_screenshot, take_planned_screenshot));
}

fn take_requested_screenshot(mut commands: Commands, mut asked: ResMut<ScreenshotAsked>) {
    if !std::mem::take(&mut asked.0) {
        return;
    }
    let path = (1..)
        .map(|n| PathBuf::from(format!("mindgrid-{n}.png")))
        .find(|p| !crate::files::exists(p))
        .unwrap_or_else(|| PathBuf::from("mindgrid.png"));
    info!("saving a screenshot to {}", path.display());
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path));
}

/// Counts frames, and after the plan's frames takes the screenshot and exits.
pub fn take_planned_screenshot(
    mut commands: Commands,
    plan: Option<ResMut<ScreenshotPlan>>,
    block: Option<Res<ArenaBlock>>,
) {
    let Some(mut plan) = plan else {
        return;
    };
    if plan.requested {
        return;
    }
    if plan.warmup_left > 0 {
        plan.warmup_left -= 1;
        return;
    }
    let started = *plan.started.get_or_insert_with(web_time::Instant::now);
    plan.frames_left = plan.frames_left.saturating_sub(1);
    if plan.frames_left > 0 {
        return;
    }
    plan.requested = true;
    // The frame rate over the run (from the first frame), for comparing renderers and changes.
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rendered {} frames in {seconds:.1} s: {:.1} fps",
        plan.frames,
        f64::from(plan.frames - 1) / seconds.max(1e-9)
    );
    if let Some(block) = block {
        println!("arena block: {:.0} % of the window", 100.0 * block.0);
    }
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(plan.path.clone()))
        .observe(
            |_: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            },
        );
}
