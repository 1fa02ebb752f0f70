//! The Bevy shell without a window: `MinimalPlugins` plus the simulation plugin; updates step the experiment,
//! keys drive it, a saved scene file reloads (a broken one keeps the last good scene), and the command
//! log replays headless to the same bytes.

#[path = "../crates/mindgrid-core/tests/common/mod.rs"]
mod common;

use std::time::Duration;

use bevy::prelude::*;
use bevy::time::TimeUpdateStrategy;
use mindgrid::app::command::{AppCommand, FileCommand, SlideCommand, ViewCommand};
use mindgrid::app::edit::Editing;
use mindgrid::app::notices::Notices;
use mindgrid::app::scene_file::SceneFile;
use mindgrid::app::sim::Sim;
use mindgrid::app::simulation_plugin;
use mindgrid::app::view::Typing;
use mindgrid::command::Command;
use mindgrid::edit::{Reach, Tile};
use mindgrid::experiment::Experiment;
use mindgrid::stepping::{Frame, Speed, Transport};
use mindgrid::world::Cell;

fn paint(reach: Reach, stroke: u64, tile: Tile, cells: &[(u32, u32)]) -> AppCommand {
    AppCommand::Experiment(Command::Paint {
        reach,
        stroke,
        tile,
        cells: cells.to_vec(),
    })
}

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
        .insert_resource(SceneFile::new(
            scene_path.to_path_buf(),
            loaded.warnings,
            loaded.text,
        ));
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

fn frame(app: &App) -> &Frame {
    app.world().resource::<Sim>().frame()
}

/// The experiment the inline stepping runs (the tests' window steps inline).
fn experiment(app: &App) -> &Experiment {
    app.world()
        .resource::<Sim>()
        .inline_stepper()
        .expect("the tests step inline")
        .experiment()
}

fn steps(app: &App) -> u64 {
    frame(app).total_steps
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
    assert!(!frame(&app).playing);
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
    assert_eq!(frame(&app).speed(), Speed::PerSecond(1_200));
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
    assert_eq!(frame(&app).scene.title, "Edited room");
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
    assert_eq!(frame(&app).scene.title, "Edited room");
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
        (2, AppCommand::Transport(Transport::SetSpeed(12))),
        (4, set(0, "epsilon", 0.3)),
        (5, set(2, "lesion", 1.0)),
        (6, AppCommand::Transport(Transport::ChangeSpeed(-4))),
        (7, AppCommand::Experiment(Command::Amnesia(1))),
        (8, set(1, "key", 2.0)),
        (9, AppCommand::Experiment(Command::ResetArena(1))),
        (10, AppCommand::Transport(Transport::TogglePlay)),
        (11, AppCommand::Transport(Transport::Step)),
        (12, AppCommand::Transport(Transport::Step)),
        (13, AppCommand::Transport(Transport::TogglePlay)),
        (14, AppCommand::Experiment(Command::NextTask(2))),
        (15, set(2, "lesion", 0.0)),
        (16, AppCommand::Transport(Transport::SetSpeed(13))),
        (18, AppCommand::Experiment(Command::ResetArena(0))),
        (19, set(0, "initial_value", 1.0)),
        (20, AppCommand::Experiment(Command::ResetArena(0))),
        (21, paint(Reach::All, 1, Tile::Wall, &[(2, 2), (3, 2)])),
        (
            22,
            AppCommand::Experiment(Command::PlaceAgent {
                reach: Reach::Arena(1),
                x: 5,
                y: 5,
            }),
        ),
        (23, paint(Reach::Arena(2), 2, Tile::Lava, &[(6, 6)])),
        (23, AppCommand::Experiment(Command::Undo)),
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
    for frame in 0..26 {
        for (_, command) in script.iter().filter(|(f, _)| *f == frame) {
            app.world_mut().write_message(command.clone());
        }
        app.update();
    }
    let window = experiment(&app);
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
    assert_eq!(frame(&app).scene.title, "Back again");
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
        frame(&app).playing,
        "Space typed into a field does not pause"
    );
}

/// Only the arena whose insight panel is shown carries the panel's part of its insight (the
/// continual learner's forgetting curves and importance maps); the others carry what their maps
/// draw, and with the panel closed none carries more.
#[test]
fn only_the_shown_insight_panel_is_computed() {
    let original =
        std::fs::read_to_string(common::scenes_dir().join("continual_red_blue.ron")).unwrap();
    let path = temp_scene("panel", &original);
    let mut app = create_app(&path);
    let panels = |app: &App| -> Vec<bool> {
        let arenas = &frame(app).arenas;
        assert!(
            arenas
                .iter()
                .all(|a| a.insight.as_ref().is_some_and(|i| i.values.is_some())),
            "every map has its values"
        );
        arenas
            .iter()
            .map(|a| a.insight.as_ref().is_some_and(|i| i.mechanism.is_some()))
            .collect()
    };
    app.update();
    assert_eq!(panels(&app), [true, false, false, false]);
    send(&mut app, AppCommand::View(ViewCommand::Select(2)));
    app.update();
    assert_eq!(panels(&app), [false, false, true, false]);
    // Paused, the change still shows at once.
    send(&mut app, AppCommand::Transport(Transport::TogglePlay));
    send(&mut app, AppCommand::View(ViewCommand::InsightPanel(false)));
    app.update();
    assert_eq!(panels(&app), [false; 4]);
    send(&mut app, AppCommand::View(ViewCommand::InsightPanel(true)));
    app.update();
    assert_eq!(panels(&app), [false, false, true, false]);
    // The scene reloaded with two arenas: the selection moves to the last, and its panel with it.
    let two: String = original
        .lines()
        .filter(|line| !line.contains("replay 10%") && !line.contains("SI, c 0.15"))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&path, two).unwrap();
    send(&mut app, AppCommand::File(FileCommand::Reload));
    app.update();
    app.update();
    assert_eq!(panels(&app), [false, true]);
    // Another scene opens on its first arena: the selection does not carry over.
    let other = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/showcase.ron");
    send(&mut app, AppCommand::File(FileCommand::OpenScene(other)));
    app.update();
    assert_eq!(app.world().resource::<Sim>().selected, 0);
    assert_eq!(
        frame(&app).scene.title,
        "Showcase: learning to find the goal"
    );
}

fn send(app: &mut App, command: AppCommand) {
    app.world_mut().write_message(command);
    app.update();
}

fn tap(app: &mut App, keys: &[KeyCode]) {
    let mut input = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    for &key in keys {
        input.press(key);
    }
    app.update();
    let mut input = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    for &key in keys {
        input.release(key);
    }
    input.clear();
    app.update();
}

fn cell_at(app: &App, arena: usize, x: usize, y: usize) -> Cell {
    let world = &frame(app).arenas[arena].world;
    world.cell(y * world.width() + x)
}

#[test]
fn painting_undo_redo_and_dragging_the_agent_go_through_commands_and_keys() {
    let mut app = create_app(&common::scenes_dir().join("dyna_maze.ron"));
    set_speed(&mut app, Speed::PerSecond(60));
    tap(&mut app, &[KeyCode::KeyE]);
    assert!(app.world().resource::<Editing>().on, "E enters edit mode");
    send(&mut app, paint(Reach::All, 1, Tile::Wall, &[(4, 5)]));
    send(&mut app, paint(Reach::All, 1, Tile::Wall, &[(5, 5)]));
    for arena in 0..2 {
        assert_eq!(cell_at(&app, arena, 4, 5), Cell::Wall);
    }
    send(&mut app, paint(Reach::Arena(1), 2, Tile::Goal, &[(0, 0)]));
    assert_eq!(cell_at(&app, 0, 0, 0), Cell::Floor, "only the chosen arena");
    assert_eq!(cell_at(&app, 1, 0, 0), Cell::Goal);
    tap(&mut app, &[KeyCode::ControlLeft, KeyCode::KeyZ]);
    assert_eq!(
        cell_at(&app, 1, 0, 0),
        Cell::Floor,
        "Ctrl+Z undoes stroke 2"
    );
    tap(&mut app, &[KeyCode::ControlLeft, KeyCode::KeyZ]);
    assert_eq!(cell_at(&app, 0, 4, 5), Cell::Floor, "and stroke 1, whole");
    assert_eq!(cell_at(&app, 0, 5, 5), Cell::Floor);
    tap(&mut app, &[KeyCode::ControlLeft, KeyCode::KeyY]);
    assert_eq!(cell_at(&app, 1, 5, 5), Cell::Wall, "Ctrl+Y redoes it");
    // Dropping the agent on a wall is refused with a notice; on floor it moves there.
    send(
        &mut app,
        AppCommand::Experiment(Command::PlaceAgent {
            reach: Reach::All,
            x: 4,
            y: 5,
        }),
    );
    app.update();
    let notices = app.world().resource::<Notices>();
    let (_, text, error) = notices.recent.back().expect("a notice");
    assert!(*error && text.contains("wall"), "{text}");
    set_speed(&mut app, Speed::PerSecond(1));
    app.world_mut()
        .write_message(AppCommand::Transport(Transport::TogglePlay));
    send(
        &mut app,
        AppCommand::Experiment(Command::PlaceAgent {
            reach: Reach::All,
            x: 8,
            y: 5,
        }),
    );
    for arena in &frame(&app).arenas {
        assert_eq!(arena.world.xy(arena.world.agent()), (8, 5));
    }
}

#[test]
fn saving_the_map_changes_only_its_rows_and_keeps_the_run_going() {
    let original = std::fs::read_to_string(common::scenes_dir().join("dyna_maze.ron")).unwrap();
    let path = temp_scene("save", &original);
    let mut app = create_app(&path);
    set_speed(&mut app, Speed::PerSecond(300));
    app.update();
    send(
        &mut app,
        paint(Reach::All, 1, Tile::Wall, &[(4, 5), (5, 5)]),
    );
    // Wait past coarse timestamps so that the save changes the file's modification time.
    std::thread::sleep(Duration::from_millis(1100));
    // A quick Ctrl+S: Ctrl pressed and released within the frame that S is pressed in.
    let mut input = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    input.press(KeyCode::ControlLeft);
    input.press(KeyCode::KeyS);
    input.release(KeyCode::ControlLeft);
    app.update();
    let mut input = app.world_mut().resource_mut::<ButtonInput<KeyCode>>();
    input.release(KeyCode::KeyS);
    input.clear();
    app.update();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_ne!(saved, original);
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(saved.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        vec![("            \".........\",", "            \"....##...\",")]
    );
    assert!(
        mindgrid::scene::load(&path).is_ok(),
        "the saved file passes check"
    );
    let before = steps(&app);
    let loads = app.world().resource::<SceneFile>().loads;
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(
        app.world().resource::<SceneFile>().loads,
        loads,
        "the app's own save is not an outside edit"
    );
    assert!(steps(&app) > before, "the run goes on, not restarted");

    // Changed on disk meanwhile: Save refuses to overwrite it, and says so.
    std::fs::write(&path, saved.replace("Dyna maze", "Dyna maze (theirs)")).unwrap();
    send(&mut app, AppCommand::File(FileCommand::Save));
    let text = &app.world().resource::<Notices>().recent.back().unwrap().1;
    assert!(text.contains("changed on disk"), "{text}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("(theirs)"));

    // Save as writes a new file that becomes the open one; an existing name is refused.
    let copy = path.with_file_name("copy.ron");
    let _ = std::fs::remove_file(&copy);
    std::fs::write(&path, &saved).unwrap();
    for _ in 0..4 {
        app.update(); // the outside edit reloads: a fresh run on the saved map
    }
    send(
        &mut app,
        AppCommand::File(FileCommand::SaveAs(copy.clone())),
    );
    assert_eq!(app.world().resource::<SceneFile>().path, copy);
    assert!(mindgrid::scene::load(&copy).unwrap().scene.rows()[5] == "....##...");
    send(
        &mut app,
        AppCommand::File(FileCommand::SaveAs(path.clone())),
    );
    let text = &app.world().resource::<Notices>().recent.back().unwrap().1;
    assert!(text.contains("exists"), "{text}");
}

#[test]
fn a_person_arena_steps_only_on_their_keys() {
    let mut app = create_app(&common::scenes_dir().join("race.ron"));
    set_speed(&mut app, Speed::PerSecond(300));
    for _ in 0..5 {
        app.update();
    }
    assert_eq!(frame(&app).steps, 0, "every arena waits for the person");
    assert!(frame(&app).arenas[0].awaiting_move);
    tap(&mut app, &[KeyCode::ArrowDown]);
    assert_eq!(frame(&app).steps, 1, "one key, one step of every arena");
    tap(&mut app, &[KeyCode::KeyD]);
    let you = &frame(&app).arenas[0];
    assert_eq!(you.world.xy(you.world.agent()), (1, 3), "down, then right");
    assert!(
        frame(&app).playing,
        "Right moves the person; it is not a single step"
    );
    assert_eq!(frame(&app).steps, 2);
    // Running free, the agents step on their own while the person thinks.
    send(
        &mut app,
        AppCommand::Experiment(Command::WaitForHuman(false)),
    );
    for _ in 0..3 {
        app.update();
    }
    assert!(frame(&app).steps > 20);
    assert_eq!(frame(&app).arenas[0].total_steps, 2);
}

/// The timeline through the window's systems: seeking back shows the step exactly as it was (the
/// headless replay of the log to that step has the same fingerprint), Left steps back when paused,
/// playing on replays the recorded future, and a new command there branches it.
#[test]
fn seeking_the_timeline_shows_past_steps_exactly_and_branches() {
    let mut app = create_app(&common::scenes_dir().join("dyna_maze.ron"));
    set_speed(&mut app, Speed::PerSecond(12_000));
    for frame in 0..12 {
        if frame == 4 {
            app.world_mut()
                .write_message(paint(Reach::All, 1, Tile::Wall, &[(4, 5)]));
        }
        app.update();
    }
    let live = {
        let running = experiment(&app);
        (
            running.steps(),
            running.fingerprint(),
            running.log().to_vec(),
        )
    };
    assert!(live.0 > 5_000, "{}", live.0);
    let scene = mindgrid::scene::load(&common::scenes_dir().join("dyna_maze.ron"))
        .unwrap()
        .scene;
    let target = live.0 / 3;
    send(&mut app, AppCommand::Transport(Transport::Seek(target)));
    assert_eq!(frame(&app).steps, target);
    assert!(!frame(&app).playing, "a seek pauses");
    assert_eq!(frame(&app).timeline.frontier, live.0);
    let past = experiment(&app).fingerprint();
    let replayed = Experiment::replay(scene.clone(), &live.2, target);
    assert_eq!(past, replayed.fingerprint(), "step {target} exactly");
    tap(&mut app, &[KeyCode::ArrowLeft]);
    assert_eq!(frame(&app).steps, target - 1, "Left: one step back");
    // Back to the live edge: the recorded future (the edit included) is replayed.
    send(&mut app, AppCommand::Transport(Transport::SeekLive));
    let at_edge = experiment(&app).fingerprint();
    assert_eq!(at_edge, live.1);
    // A new command in the past cuts the future there.
    send(&mut app, AppCommand::Transport(Transport::Seek(target)));
    send(&mut app, AppCommand::Experiment(Command::ResetAll));
    assert_eq!(frame(&app).timeline.frontier, target);
}

/// Writes `lesson` to a temporary file, opens the app in presenter mode on its first slide and
/// runs four frames (the slide's scene loads and its steps play at the slide's speed).
fn present(name: &str, lesson: &str) -> App {
    let path = temp_scene(name, lesson);
    let loaded = mindgrid::lesson::load(&path).unwrap();
    let mut app = create_app(&common::scenes_dir().join("showcase.ron"));
    app.insert_resource(mindgrid::app::lesson::Presenter::new(loaded, 0));
    for _ in 0..4 {
        app.update();
    }
    app
}

/// Presenter mode through the window's systems: a slide opens its scene and takes its steps (a
/// hyperparameter now, a wall at step 50), and the next slide opens the next scene.
#[test]
fn a_lesson_opens_its_slides_and_takes_their_steps() {
    let scenes = common::scenes_dir();
    let lesson = format!(
        "Lesson(title: \"t\", slides: [
            (scene: {:?}, steps: [Speed(300), Set(arena: 0, name: \"epsilon\", value: 0.3),
                At(step: 50, command: Paint(reach: All, stroke: 1, tile: Wall, cells: [(4, 5)]))]),
            (scene: {:?}, steps: [Paused]),
        ])",
        scenes.join("dyna_maze.ron").to_str().unwrap(),
        scenes.join("showcase.ron").to_str().unwrap(),
    );
    let mut app = present("lesson", &lesson);
    assert_eq!(
        frame(&app).scene.title,
        "The Dyna maze (Sutton & Barto, fig. 8.2)"
    );
    assert!(frame(&app).steps > 50, "{}", frame(&app).steps);
    assert_eq!(
        cell_at(&app, 1, 4, 5),
        Cell::Wall,
        "the scheduled wall, in every arena"
    );
    let epsilon = frame(&app).arenas[0]
        .brain
        .hyperparameters()
        .into_iter()
        .find(|(spec, _)| spec.name == "epsilon")
        .map(|(_, value)| value);
    assert_eq!(epsilon, Some(0.3f32 as f64));
    send(&mut app, AppCommand::Slide(SlideCommand::Next));
    app.update();
    assert_eq!(
        frame(&app).scene.title,
        "Showcase: learning to find the goal"
    );
    assert!(!frame(&app).playing, "the second slide starts paused");
}

/// A lesson's scheduled command that changes nothing (an undo with nothing to undo) is dropped,
/// not offered again for ever: the run goes on past it.
#[test]
fn a_scheduled_command_that_does_not_apply_never_stops_the_run() {
    let scenes = common::scenes_dir();
    let lesson = format!(
        "Lesson(title: \"t\", slides: [(scene: {:?}, steps: [Speed(300), At(step: 10, command: Undo)])])",
        scenes.join("dyna_maze.ron").to_str().unwrap(),
    );
    let app = present("ignored", &lesson);
    assert!(frame(&app).steps > 50, "{}", frame(&app).steps);
}

/// `--record`: when the app exits, the session (every command with its step) is written as a
/// recording that replays headless to the same numbers.
#[test]
fn the_session_is_recorded_when_the_app_exits() {
    let scene_path = common::scenes_dir().join("dyna_maze.ron");
    let mut app = create_app(&scene_path);
    let record =
        std::env::temp_dir().join(format!("mindgrid-session-{}.mgrec", std::process::id()));
    app.insert_resource(mindgrid::app::session::RecordOnExit(record.clone()));
    set_speed(&mut app, Speed::PerSecond(300));
    for _ in 0..3 {
        app.update();
    }
    send(
        &mut app,
        Command::SetHyperparameter {
            arena: 0,
            name: "epsilon".into(),
            value: 0.3,
        }
        .into(),
    );
    app.update();
    let live = experiment(&app).metrics_csv();
    // The update that takes the exit still steps (the recording runs to its end).
    app.world_mut().write_message(AppExit::Success);
    app.update();
    let steps = frame(&app).steps;
    let recording = mindgrid::recording::Recording::load(&record).unwrap();
    assert_eq!(recording.log.len(), 1, "{:?}", recording.log);
    assert!(matches!(
        &recording.log[0].command,
        Command::SetHyperparameter { name, .. } if name == "epsilon"
    ));
    assert_eq!(recording.until, mindgrid::recording::Until::Steps(steps));
    let replayed = recording.replay("session").unwrap();
    assert!(replayed.metrics_csv().starts_with(&live));
    // After the exit nothing steps.
    app.update();
    assert_eq!(frame(&app).steps, steps);
}
