//! A bare Bevy window with two small egui windows and nothing else: the renderer's baseline frame
//! rate, measured exactly as mindgrid's window is (`mindgrid fps` runs both in one go), with Bevy's
//! default camera or with mindgrid's.

use std::path::PathBuf;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

use super::capture::{ScreenshotPlan, take_planned_screenshot};

/// The bare window's camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BareCamera {
    /// Bevy's default 2D camera, as a new Bevy + egui program gets it (4x multisampling).
    Default,
    /// The camera mindgrid's window uses (no multisampling: egui draws without it).
    Mindgrid,
}

/// Opens the bare window, renders `warmup` and then `frames` measured frames, prints the frame
/// rate and saves a screenshot to `path`.
pub fn run_bare_window(path: PathBuf, frames: u32, warmup: u32, camera: BareCamera) -> AppExit {
    App::new()
        .add_plugins(super::window::window_plugins("bare egui".into()))
        .add_plugins(EguiPlugin::default())
        .insert_resource(ScreenshotPlan::new(path, frames, warmup))
        .add_systems(Startup, move |mut commands: Commands| match camera {
            BareCamera::Default => {
                commands.spawn(Camera2d);
            }
            BareCamera::Mindgrid => {
                commands.spawn(super::window::camera());
            }
        })
        .add_systems(EguiPrimaryContextPass, two_windows)
        .add_systems(Update, take_planned_screenshot)
        .run()
}

fn two_windows(mut contexts: EguiContexts, mut value: Local<f32>) -> Result {
    let ctx = contexts.ctx_mut()?;
    egui::Window::new("first").show(ctx, |ui| {
        ui.label("a label");
        ui.add(egui::Slider::new(&mut *value, 0.0..=1.0));
    });
    egui::Window::new("second").show(ctx, |ui| {
        for i in 0..10 {
            ui.label(format!("line {i}"));
        }
    });
    Ok(())
}
