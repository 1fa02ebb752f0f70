//! Screenshots: F12 saves one beside the working directory; `--screenshot` saves one and exits.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};

use super::keys::KeyRequests;

/// A screenshot to take after a number of frames, after which the app exits.
#[derive(Resource, Debug)]
pub struct ScreenshotPlan {
    path: PathBuf,
    frames_left: u32,
    requested: bool,
}

impl ScreenshotPlan {
    /// Take `path` after `frames` frames.
    pub fn new(path: PathBuf, frames: u32) -> Self {
        Self {
            path,
            frames_left: frames.max(1),
            requested: false,
        }
    }
}

/// Takes screenshots on request.
pub fn plugin(app: &mut App) {
    app.add_systems(Update, (take_requested_screenshot, take_planned_screenshot));
}

fn take_requested_screenshot(mut commands: Commands, mut requests: ResMut<KeyRequests>) {
    if !std::mem::take(&mut requests.screenshot) {
        return;
    }
    let path = (1..)
        .map(|n| PathBuf::from(format!("mindgrid-{n}.png")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| PathBuf::from("mindgrid.png"));
    info!("saving a screenshot to {}", path.display());
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(path));
}

fn take_planned_screenshot(mut commands: Commands, plan: Option<ResMut<ScreenshotPlan>>) {
    let Some(mut plan) = plan else {
        return;
    };
    if plan.requested {
        return;
    }
    plan.frames_left = plan.frames_left.saturating_sub(1);
    if plan.frames_left > 0 {
        return;
    }
    plan.requested = true;
    commands
        .spawn(Screenshot::primary_window())
        .observe(save_to_disk(plan.path.clone()))
        .observe(
            |_: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
                exit.write(AppExit::Success);
            },
        );
}
