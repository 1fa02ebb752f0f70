//! The Bevy shell without a window: `MinimalPlugins` plus the simulation plugin; updates step the experiment,
//! keys drive it, a saved scene file reloads (a broken one keeps the last good scene), and the command
//! log replays headless to the same bytes.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use mindgrid::app::command::AppCommand;
use mindgrid::app::keys::Typing;
use mindgrid::app::scene_file::SceneFile;
use mindgrid::app::sim::Sim;
use mindgrid::app::simulation_plugin;
use mindgrid::app::stepper::{Snapshot, Speed};
use mindgrid::command::Command;
use mindgrid::experiment::Experiment;

fn create_app(scene_path: &std::path::Path) -> App {
    let loaded = mindgrid::scene::load(scene_path).unwrap();
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(
            100,
        )))
        .add_plugins(simulation_plugin)
        .init_resource::<ButtonInput<KeyCode>>()
        .insert_resource(Sim::inline(loaded.scene))
        .insert_resource(SceneFile::new(scene_path.to_path_buf(), loaded.warnings));
    app
}

fn temp_scene(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mindgrid-app-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scene.ron");
    std::fs::write(&path, text).unwrap();
    path
}

fn set_speed(app: &mut App, speed: Speed) {
    let rung = Speed::LADDER.iter().position(|&s| s == speed).unwrap();
    app.world_mut().resource_mut::<Sim>().set_speed(rung);
}

fn snapshot(app: &App) -> &Snapshot {
    app.world().resource::<Sim>().snapshot()
}

fn steps(app: &App) -> u64 {
    snapshot(app).total_steps
}

#[test]
fn updates_step_the_experiment() {
    let mut app = create_app(&common::scenes_dir().join("dyna_maze.ron"));
    set_speed(&mut app, Speed::PerSecond(300));
    for _ in 0..5 {
        app.update();
    }
    // 300 steps per second of the app's clock (100 ms per update), in each of two arenas.
    let seconds = app.world().resource::<Time>().elapsed_secs_f64();
    assert!(seconds > 0.3, "{seconds}");
    assert_eq!(steps(&app), 2 * (300.0 * seconds + 1e-9).floor() as u64);
}

#[test]
fn keys_pause_step_and_change_speed() {
    let mut app = create_app(&common::scenes_dir().join("dyna_maze.ron"));
    set_speed(&mut app, Speed::PerSecond(600));
    let press = |app: &mut App, key: KeyCode| {
        let mut keys = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
        keys.release_all();
        keys.clear();
        keys.press(key);
    };
    press(&mut app, KeyCode::Space);
    app.update();
    let paused_at = steps(&app);
    assert!(!snapshot(&app).playing);
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .clear();
    app.update();
    assert_eq!(steps(&app), paused_at, "paused: no steps");
    press(&mut app, KeyCode::ArrowRight);
    app.update();
    assert_eq!(steps(&app), paused_at + 2, "one step in each of two arenas");
    press(&mut app, KeyCode::Equal);
    app.update();
    assert_eq!(snapshot(&app).speed(), Speed::PerSecond(1_200));
    press(&mut app, KeyCode::KeyR);
    app.update();
    assert_eq!(steps(&app), 0, "R resets every agent");
}

#[test]
fn saving_the_scene_reloads_it_and_a_broken_edit_keeps_the_last_good_scene() {
    let original = std::fs::read_to_string(common::scenes_dir().join("empty_room.ron")).unwrap();
    let path = temp_scene("reload", &original);
    let mut app = create_app(&path);
    set_speed(&mut app, Speed::PerSecond(60));
    app.update();
    app.update(); // the first update's clock has not moved yet
    assert!(steps(&app) > 0);

    // A good edit: a new title. The file's mtime must change; wait past coarse timestamps.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(
        &path,
        original.replace("title: \"Empty room\"", "title: \"Edited room\""),
    )
    .unwrap();
    for _ in 0..4 {
        app.update(); // 100 ms per update: the 250 ms poll fires within a second
    }
    assert_eq!(snapshot(&app).scene.title, "Edited room");
    assert!(app.world().resource::<SceneFile>().errors.is_empty());

    // A broken edit: the error is kept, with its position, and the edited scene keeps running.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(
        &path,
        original.replace("max_steps: 256", "max_steps: 256,\n        bogus: 1"),
    )
    .unwrap();
    let before = steps(&app);
    for _ in 0..4 {
        app.update();
    }
    let file = app.world().resource::<SceneFile>();
    assert_eq!(file.errors.len(), 1);
    assert!(
        file.errors[0].message.contains("bogus"),
        "{}",
        file.errors[0]
    );
    assert!(file.status().starts_with("hot reload: error at "));
    assert_eq!(snapshot(&app).scene.title, "Edited room");
    assert!(steps(&app) > before, "the last good scene keeps running");
}

/// The scripted run of `command_log_replays_headless_to_identical_bytes`: (frame, command).
fn script() -> Vec<(u32, AppCommand)> {
    let set = |arena, name: &str, value| {
        AppCommand::Experiment(Command::SetHyperparameter {
            arena,
            name: name.into(),
            value,
        })
    };
    vec![
        (2, AppCommand::SetSpeed(12)),
        (4, set(0, "epsilon", 0.3)),
        (5, set(2, "lesion", 1.0)),
        (6, AppCommand::ChangeSpeed(-4)),
        (7, AppCommand::Experiment(Command::Amnesia(1))),
        (8, set(1, "key", 2.0)),
        (9, AppCommand::Experiment(Command::ResetArena(1))),
        (10, AppCommand::TogglePlay),
        (11, AppCommand::Step),
        (12, AppCommand::Step),
        (13, AppCommand::TogglePlay),
        (14, AppCommand::Experiment(Command::NextTask(2))),
        (15, set(2, "lesion", 0.0)),
        (16, AppCommand::SetSpeed(13)),
        (18, AppCommand::Experiment(Command::ResetArena(0))),
        (19, set(0, "initial_value", 1.0)),
        (20, AppCommand::Experiment(Command::ResetArena(0))),
    ]
}

#[test]
fn command_log_replays_headless_to_identical_bytes() {
    let slippery = std::fs::read_to_string(common::scenes_dir().join("slippery_room.ron")).unwrap();
    let text = slippery.replace(
        "(name: \"Random\", brain: Random),",
        "(name: \"MFEC\", brain: Mfec(k: 3)),\n        (name: \"Dyna-Q\", brain: DynaQ(planning_steps: 5)),",
    );
    let path = temp_scene("replay", &text);
    let mut app = create_app(&path);
    let script = script();
    for frame in 0..24 {
        for (_, command) in script.iter().filter(|(f, _)| *f == frame) {
            app.world_mut().write_message(command.clone());
        }
        app.update();
    }
    let sim = app.world().resource::<Sim>();
    let window = sim.inline_stepper().unwrap().experiment();
    let log = window.log().to_vec();
    let experiment_commands = script
        .iter()
        .filter(|(_, c)| matches!(c, AppCommand::Experiment(_)))
        .count();
    assert_eq!(log.len(), experiment_commands, "every command is logged");
    assert!(window.steps() > 2_000, "{}", window.steps());
    let scene = mindgrid::scene::load(&path).unwrap().scene;
    let replayed = Experiment::replay(scene, &log, window.steps());
    assert_eq!(replayed.metrics_csv(), window.metrics_csv());
    assert_eq!(replayed.fingerprint(), window.fingerprint());
    assert_eq!(replayed.log(), window.log());
    let arena = &window.arenas()[1];
    assert!(
        arena.pending().is_empty(),
        "the reset applied the key change"
    );
}

#[test]
fn a_scene_file_that_disappears_is_reported_and_picked_up_again() {
    let original = std::fs::read_to_string(common::scenes_dir().join("empty_room.ron")).unwrap();
    let path = temp_scene("missing", &original);
    let mut app = create_app(&path);
    set_speed(&mut app, Speed::PerSecond(60));
    std::fs::remove_file(&path).unwrap();
    for _ in 0..4 {
        app.update();
    }
    let file = app.world().resource::<SceneFile>();
    assert!(file.missing);
    assert!(file.status().contains("missing"), "{}", file.status());
    let before = steps(&app);
    assert!(before > 0, "the run goes on");
    std::fs::write(
        &path,
        original.replace("title: \"Empty room\"", "title: \"Back again\""),
    )
    .unwrap();
    for _ in 0..4 {
        app.update();
    }
    let file = app.world().resource::<SceneFile>();
    assert!(!file.missing);
    assert_eq!(snapshot(&app).scene.title, "Back again");
}

#[test]
fn keys_are_letters_while_a_number_is_typed() {
    let mut app = create_app(&common::scenes_dir().join("dyna_maze.ron"));
    app.world_mut().resource_mut::<Typing>().0 = true;
    app.world_mut()
        .resource_mut::<ButtonInput<KeyCode>>()
        .press(KeyCode::Space);
    app.update();
    assert!(
        snapshot(&app).playing,
        "Space typed into a field does not pause"
    );
}
