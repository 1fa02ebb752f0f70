//! A bare Bevy window with two egui windows and nothing else: the renderer's baseline frame rate,
//! to compare with mindgrid's (`cargo run --release --example bare_egui`; prints fps after 20 s).

use bevy::prelude::*;
use bevy::window::WindowResolution;
use bevy_egui::{EguiContexts, EguiPlugin, EguiPrimaryContextPass, egui};

fn main() {
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "bare egui".into(),
                resolution: WindowResolution::new(1280, 800),
                ..default()
            }),
            ..default()
        }))
        .add_plugins(EguiPlugin::default())
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
        })
        .add_systems(EguiPrimaryContextPass, two_windows)
        .add_systems(Update, report_fps)
        .run();
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

fn report_fps(time: Res<Time<Real>>, mut frames: Local<u32>, mut exit: MessageWriter<AppExit>) {
    *frames += 1;
    let seconds = time.elapsed_secs_f64();
    if seconds >= 20.0 {
        println!(
            "bare egui window: {} frames in {seconds:.1} s = {:.1} fps",
            *frames,
            f64::from(*frames) / seconds
        );
        exit.write(AppExit::Success);
    }
}
