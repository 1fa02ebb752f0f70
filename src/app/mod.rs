//! The Bevy shell: drives the experiment and draws it with egui. Only this module imports Bevy.
//!
//! Its modules stand in layers, each importing only those below it (`tests/layers.rs` checks):
//! leaves (`order`, `command`, `view`, `settings`, `sim_thread`, `display`, `window`), the state
//! and its owners (`sim`, `scene_file`, `notices`, `edit`, `capture`, `clip`, `session`, `pace`),
//! presenter mode (`lesson`), the browser's page (`web`, in the web build), the key table (`keys`), the one executor (`execute`), the panels
//! (`ui`), the window tests' scripts (`script`); this file plugs them together. The web build
//! (`web`) has no threads, X display, frame pacing or GIF clips: it steps in the frame instead.

#[cfg(not(target_arch = "wasm32"))]
pub mod bare;
pub mod capture;
#[cfg(not(target_arch = "wasm32"))]
pub mod clip;
pub mod command;
#[cfg(not(target_arch = "wasm32"))]
pub mod display;
pub mod edit;
pub mod execute;
pub mod keys;
pub mod lesson;
pub mod notices;
pub mod order;
#[cfg(not(target_arch = "wasm32"))]
pub mod pace;
pub mod scene_file;
pub mod script;
pub mod session;
pub mod settings;
pub mod sim;
#[cfg(not(target_arch = "wasm32"))]
pub mod sim_thread;
pub mod ui;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod window;

use std::path::PathBuf;

use bevy::prelude::*;
#[cfg(not(target_arch = "wasm32"))]
use bevy::window::{MonitorSelection, WindowMode};
#[cfg(not(target_arch = "wasm32"))]
use bevy_egui::EguiPlugin;

#[cfg(not(target_arch = "wasm32"))]
use crate::scene::LoadedScene;

/// The parts of the app that need no window: input, commands, hot reload, stepping and insights.
/// Headless tests add this to `MinimalPlugins`.
pub fn simulation_plugin(app: &mut App) {
    app.add_plugins((
        order::plugin,
        command::plugin,
        view::plugin,
        notices::plugin,
        edit::plugin,
        execute::plugin,
        lesson::plugin,
        sim::plugin,
        scene_file::plugin,
        keys::plugin,
        session::plugin,
    ));
}

/// The web build's page: the window on the page's canvas, on the scene or lesson its URL asks
/// for (`web::start`), stepping inside each frame.
#[cfg(target_arch = "wasm32")]
pub fn run_page() {
    use bevy::asset::{AssetMetaCheck, AssetPlugin};
    let Some(opening) = web::start() else {
        return; // a headless run, done
    };
    let title = window::title(&opening.loaded.scene.title);
    let mut app = App::new();
    app.insert_resource(ClearColor(ui::palette::BACKGROUND))
        .add_plugins(
            window::plugins_for(Window {
                title,
                canvas: Some("#mindgrid".into()),
                fit_canvas_to_parent: true,
                prevent_default_event_handling: true,
                ..default()
            })
            // Nothing is loaded from the server's folder: no asking it for `.meta` files.
            .set(AssetPlugin {
                meta_check: AssetMetaCheck::Never,
                ..default()
            }),
        )
        .add_plugins(bevy_egui::EguiPlugin::default())
        .add_plugins((
            simulation_plugin,
            settings::plugin,
            ui::plugin,
            capture::plugin,
            web::plugin,
        ))
        .insert_resource(sim::Sim::for_window(
            crate::experiment::Experiment::new(opening.loaded.scene),
            0,
            crate::stepping::Speed::DEFAULT,
            None,
        ))
        .insert_resource(scene_file::SceneFile::new(
            opening.path,
            opening.loaded.warnings,
            opening.loaded.text,
        ));
    if let Some(presenter) = opening.presenter {
        app.insert_resource(presenter);
    }
    if let Some(problem) = opening.problem {
        app.world_mut()
            .resource_mut::<notices::Notices>()
            .push(0.0, problem, true);
    }
    app.add_systems(Startup, window::spawn_camera);
    app.run();
}

/// What the window should open and whether it should only take a screenshot.
#[derive(Debug)]
pub struct WindowOptions {
    /// The scene file.
    pub scene_path: PathBuf,
    /// Save a screenshot here after `frames` frames, then exit.
    pub screenshot: Option<PathBuf>,
    /// Frames to render before the screenshot (after `warmup_frames`).
    pub frames: u32,
    /// Frames rendered before the frame rate is measured.
    pub warmup_frames: u32,
    /// Steps every arena takes before the window opens.
    pub warmup: u64,
    /// The rung of the speed ladder to open at (default: 600 steps/s).
    pub speed: Option<usize>,
    /// Open in edit mode.
    pub edit: bool,
    /// Start from this experiment (a checkpoint opened) instead of the scene's beginning.
    pub start: Option<crate::experiment::Experiment>,
    /// The timeline's memory budget in MiB (default 256).
    pub history_mib: Option<usize>,
    /// A recording to open: its session is run again, paused at its end, ready to scrub.
    pub recording: Option<crate::recording::Recording>,
    /// A lesson to present (full screen unless `windowed`), from slide `.1` (0 is the first).
    pub presenter: Option<(crate::lesson::LoadedLesson, usize)>,
    /// Present in a window instead of full screen.
    pub windowed: bool,
    /// The window's size in pixels (when not full screen).
    pub window_size: (u32, u32),
    /// Record a clip of the next frames and exit: where (`.gif`, or a folder of PNGs), frames,
    /// every how many rendered frames, and the arena to crop to (the whole window if none).
    pub clip: Option<(PathBuf, u32, u32, Option<usize>)>,
    /// Write the session as a recording here when the window closes.
    pub record: Option<PathBuf>,
    /// Actions to take at given frames (the window tests).
    pub script: Option<script::Script>,
}

/// Opens the window on an already loaded scene and runs until it is closed.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_window(options: WindowOptions, loaded: LoadedScene) -> AppExit {
    let title = window::title(&loaded.scene.title);
    let mut app = App::new();
    app.insert_resource(ClearColor(ui::palette::BACKGROUND))
        .add_plugins(window::window_plugins_in(
            title,
            options.window_size,
            if options.presenter.is_some() && !options.windowed {
                WindowMode::BorderlessFullscreen(MonitorSelection::Primary)
            } else {
                WindowMode::Windowed
            },
        ))
        .add_plugins(EguiPlugin::default())
        .add_plugins((
            simulation_plugin,
            settings::plugin,
            ui::plugin,
            capture::plugin,
            clip::plugin,
            pace::plugin,
            script::plugin,
        ))
        .insert_resource(sim::Sim::for_window(
            options
                .start
                .unwrap_or_else(|| crate::experiment::Experiment::new(loaded.scene)),
            options.warmup,
            options.speed.unwrap_or(crate::stepping::Speed::DEFAULT),
            options.history_mib.map(|mib| mib.saturating_mul(1 << 20)),
        ));
    match options.recording {
        Some(recording) => {
            let scene_text = recording.scene.clone();
            app.world_mut()
                .resource_mut::<sim::Sim>()
                .run_recording(recording);
            app.insert_resource(scene_file::SceneFile::of_recording(
                options.scene_path,
                scene_text,
            ));
        }
        None => {
            app.insert_resource(scene_file::SceneFile::new(
                options.scene_path,
                loaded.warnings,
                loaded.text,
            ));
        }
    }
    if let Some((path, frames, every, arena)) = options.clip {
        app.insert_resource(clip::ClipPlan::new(path, frames, every, arena, true));
    }
    if let Some((lesson, first)) = options.presenter {
        app.insert_resource(lesson::Presenter::new(lesson, first));
    }
    if options.edit {
        app.insert_resource(edit::Editing::opened());
    }
    if let Some(path) = options.record {
        app.insert_resource(session::RecordOnExit(path));
    }
    if let Some(script) = options.script {
        app.insert_resource(script);
    }
    if let Some(path) = options.screenshot {
        app.insert_resource(capture::ScreenshotPlan::new(
            path,
            options.frames,
            options.warmup_frames,
        ));
    }
    app.add_systems(Startup, window::spawn_camera);
    let failure = app
        .world()
        .get_resource::<sim::Sim>()
        .and_then(sim::Sim::failure_note);
    let exit = app.run();
    // After the simulation thread stopped on an error the window stayed open on its last state;
    // closing it then is not a success.
    match failure.as_ref().and_then(|f| f.get()) {
        Some(said) => {
            eprintln!("mindgrid: the simulation stopped on an error: {said}");
            AppExit::error()
        }
        None => exit,
    }
}
