//! Bevy's window plugins and camera, the same for mindgrid's window and the bare baseline window,
//! so their frame rates compare.

use bevy::prelude::*;
use bevy::window::{PresentMode, WindowMode, WindowResolution};

/// Whether this is the web build: what needs a disk, a thread or a command line is hidden there.
pub const IN_BROWSER: bool = cfg!(target_arch = "wasm32");

/// The window's (or the browser tab's) title on a scene titled `scene`.
pub fn title(scene: &str) -> String {
    format!("mindgrid: {scene}")
}

/// Bevy's plugins for a 1280 x 800 window titled `title`, with quiet logs: the same for mindgrid's
/// window and the bare baseline window, so their frame rates compare.
pub fn window_plugins(title: String) -> bevy::app::PluginGroupBuilder {
    window_plugins_in(title, (1280, 800), WindowMode::Windowed)
}

/// [`window_plugins`] of a given size in pixels and mode (presenter mode opens full screen).
pub fn window_plugins_in(
    title: String,
    (width, height): (u32, u32),
    mode: WindowMode,
) -> bevy::app::PluginGroupBuilder {
    plugins_for(Window {
        title,
        resolution: WindowResolution::new(width, height),
        present_mode: PresentMode::AutoVsync,
        mode,
        ..default()
    })
}

/// Bevy's plugins for `window`, with quiet logs (the web build's window is a canvas on the page).
pub fn plugins_for(window: Window) -> bevy::app::PluginGroupBuilder {
    DefaultPlugins
        .set(WindowPlugin {
            primary_window: Some(window),
            ..default()
        })
        .set(bevy::log::LogPlugin {
            filter: "wgpu=error,naga=warn,bevy_render=warn,bevy_winit=warn".to_owned(),
            ..default()
        })
}

/// Whether wgpu draws on the CPU (Mesa's lavapipe, as on CI and laptops without a GPU driver;
/// `SwiftShader` in a browser without one): wgpu's `DeviceType::Cpu`, read through its name, since
/// Bevy does not re-export the type.
pub fn software_renderer(adapter: &bevy::render::renderer::RenderAdapterInfo) -> bool {
    format!("{:?}", adapter.0.device_type) == "Cpu"
}

/// Spawns the window's [`camera`].
pub fn spawn_camera(mut commands: Commands) {
    commands.spawn(camera());
}

/// The window's camera. It draws nothing itself (egui paints everything, without multisampling),
/// so it does not multisample: Bevy's default 4x multisampling clears and resolves a 4x-sized
/// image every frame for nothing, which costs a software renderer about 40 % of its frames.
pub fn camera() -> impl Bundle {
    (Camera2d, Msaa::Off)
}
