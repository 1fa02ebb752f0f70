//! Scene files: the shipped scenes parse, defaults fill in, and every validation error says where and what.

mod common;

use common::{ONE_AGENT, first_error, parse, scene_text, scenes_dir, shipped};
use mindgrid_core::brain::{BrainSpec, QLearningParams};
use mindgrid_core::scene::{Panel, Severity};
use mindgrid_core::world::View;

#[test]
fn every_shipped_scene_is_valid() {
    let mut count = 0;
    for entry in std::fs::read_dir(scenes_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with("// scenes/"),
                "{} needs a comment header",
                path.display()
            );
            if let Err(errors) = mindgrid_core::scene::load(&path) {
                panic!("{}: {errors:?}", path.display());
            }
            count += 1;
        }
    }
    assert!(count >= 6, "expected the six shipped scenes, found {count}");
}

#[test]
fn defaults_fill_what_is_left_out() {
    let text = scene_text(
        &["S.G"],
        "",
        "        (name: \"q\", brain: QLearning()),\n        (name: \"r\", brain: Random),",
    );
    let loaded = parse(&text).unwrap();
    let scene = loaded.scene;
    assert_eq!(scene.seed, 0);
    assert_eq!(scene.panels, Panel::all());
    assert_eq!(
        scene.agents[0].brain,
        BrainSpec::QLearning(QLearningParams::default())
    );
    assert_eq!(scene.agents[1].brain, BrainSpec::Random);
    let mindgrid_core::scene::WorldSpec::Grid(grid) = &scene.world;
    assert_eq!(grid.max_steps, 500);
    assert_eq!(grid.goal_reward, 1.0);
    assert_eq!(grid.view, View::Full);
}

#[test]
fn full_format_parses() {
    let scene = shipped("slippery_room.ron");
    assert_eq!(scene.tasks.len(), 1);
    assert_eq!(scene.tasks[0].after_episodes, Some(300));
    let text = scene_text(
        &["S.r", "b.y"],
        "        view: Egocentric(radius: 2),\n        target: Red,\n",
        ONE_AGENT,
    );
    let scene = parse(&text).unwrap().scene;
    let mindgrid_core::scene::WorldSpec::Grid(grid) = &scene.world;
    assert_eq!(grid.view, View::Egocentric { radius: 2 });
    assert_eq!(grid.target, Some(mindgrid_core::world::Colour::Red));
}

#[test]
fn unknown_field_names_its_position_and_the_allowed_fields() {
    let text = scene_text(&["S.G"], "        max_stepz: 10,\n", ONE_AGENT);
    let error = first_error(&text);
    assert_eq!(
        (error.position.line, error.position.column),
        (7, 9),
        "{error}"
    );
    assert!(error.message.contains("max_stepz"), "{error}");
    assert!(
        error.message.contains("max_steps"),
        "should list allowed fields: {error}"
    );
    assert!(
        error.to_string().starts_with("test.ron:7:9: error:"),
        "{error}"
    );
}

#[test]
fn unknown_brain_kind_lists_the_kinds() {
    let text = scene_text(
        &["S.G"],
        "",
        "        (name: \"x\", brain: Telepathy(alpha: 0.1)),",
    );
    let error = first_error(&text);
    assert_eq!(error.position.line, 9, "{error}");
    assert!(error.message.contains("Telepathy"), "{error}");
    assert!(
        error.message.contains("QLearning") && error.message.contains("Random"),
        "{error}"
    );
}

#[test]
fn unknown_hyperparameter_is_an_error() {
    let text = scene_text(
        &["S.G"],
        "",
        "        (name: \"x\", brain: QLearning(alpah: 0.1)),",
    );
    let error = first_error(&text);
    assert_eq!(error.position.line, 9);
    assert!(
        error.message.contains("alpah") && error.message.contains("alpha"),
        "{error}"
    );
}

#[test]
fn ragged_map_points_at_the_row() {
    let text = scene_text(&["S..", "..", "..G"], "", ONE_AGENT);
    let error = first_error(&text);
    assert_eq!(
        (error.position.line, error.position.column),
        (6, 13),
        "{error}"
    );
    assert!(
        error
            .message
            .contains("row 1 has 2 characters but row 0 has 3"),
        "{error}"
    );
}

#[test]
fn unknown_map_character_points_at_the_character() {
    let text = scene_text(&["S..", ".X.", "..G"], "", ONE_AGENT);
    let error = first_error(&text);
    // Row 1 starts with its quote at column 13; 'X' is the second character.
    assert_eq!(
        (error.position.line, error.position.column),
        (6, 15),
        "{error}"
    );
    assert!(
        error.message.contains("'X'") && error.message.contains("'#' wall"),
        "{error}"
    );
}

#[test]
fn missing_start_is_an_error() {
    let error = first_error(&scene_text(&["...", "..G"], "", ONE_AGENT));
    assert!(error.message.contains("no start"), "{error}");
    assert_eq!(error.position.line, 4);
}

#[test]
fn two_starts_are_an_error() {
    let error = first_error(&scene_text(&["S.S", "..G"], "", ONE_AGENT));
    assert!(error.message.contains("2 starts"), "{error}");
}

#[test]
fn probability_out_of_range_points_at_the_value() {
    let text = scene_text(
        &["S.G"],
        "",
        "        (name: \"q\", brain: QLearning(epsilon: 1.5)),",
    );
    let error = first_error(&text);
    assert_eq!(
        (error.position.line, error.position.column),
        (9, 47),
        "{error}"
    );
    assert!(
        error.message.contains("epsilon") && error.message.contains("expected 0 to 1"),
        "{error}"
    );
    let error = first_error(&scene_text(&["S.G"], "        slip: -0.1,\n", ONE_AGENT));
    assert_eq!(
        (error.position.line, error.position.column),
        (7, 15),
        "{error}"
    );
    assert!(error.message.contains("probability"), "{error}");
}

#[test]
fn negative_rate_and_nan_are_errors() {
    let error = first_error(&scene_text(
        &["S.G"],
        "",
        "        (name: \"q\", brain: QLearning(alpha: -0.1)),",
    ));
    assert!(error.message.contains("alpha"), "{error}");
    let error = first_error(&scene_text(
        &["S.G"],
        "",
        "        (name: \"q\", brain: QLearning(gamma: NaN)),",
    ));
    assert!(
        error.message.contains("gamma of QLearning is NaN"),
        "{error}"
    );
    let error = first_error(&scene_text(
        &["S.G"],
        "        step_reward: inf,\n",
        ONE_AGENT,
    ));
    assert!(error.message.contains("finite"), "{error}");
}

#[test]
fn absurd_sizes_are_errors_with_their_limits() {
    let wide = "S".to_owned() + &".".repeat(99);
    let mut big_rows = vec![wide.clone()];
    big_rows.extend(std::iter::repeat_n(".".repeat(100), 99));
    let big: Vec<&str> = big_rows.iter().map(String::as_str).collect();
    let error = first_error(&scene_text(&big, "", ONE_AGENT));
    assert!(
        error.message.contains("10000 cells") && error.message.contains("4096"),
        "{error}"
    );
    let error = first_error(&scene_text(
        &["S.G"],
        "        max_steps: 5000000,\n",
        ONE_AGENT,
    ));
    assert!(
        error.message.contains("max_steps") && error.message.contains("100000"),
        "{error}"
    );
    let error = first_error(&scene_text(
        &["S.G"],
        "        view: Egocentric(radius: 40),\n",
        ONE_AGENT,
    ));
    assert!(error.message.contains("radius"), "{error}");
    let nine: String = (0..9)
        .map(|i| format!("        (name: \"a{i}\", brain: Random),\n"))
        .collect();
    let error = first_error(&scene_text(&["S.G"], "", &nine));
    assert!(error.message.contains("at most 8"), "{error}");
}

#[test]
fn unreachable_goal_is_a_warning_not_an_error() {
    let loaded = parse(&scene_text(&["S#G"], "", ONE_AGENT)).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert_eq!(loaded.warnings[0].severity, Severity::Warning);
    assert!(
        loaded.warnings[0]
            .message
            .contains("no goal can be reached")
    );
    let loaded = parse(&scene_text(&["S.G"], "", ONE_AGENT)).unwrap();
    assert!(loaded.warnings.is_empty());
}

#[test]
fn task_schedule_is_validated() {
    let text = scene_text(&["S.G"], "", ONE_AGENT).replace(
        "    ],\n)",
        "    ],\n    tasks: [\n        (after_episodes: 5, changes: [MoveGoal(x: 9, y: 0)]),\n    ],\n)",
    );
    let error = first_error(&text);
    assert!(
        error.message.contains("(9, 0) is outside the 3 x 1 map"),
        "{error}"
    );
    assert_eq!(
        (error.position.line, error.position.column),
        (12, 39),
        "{error}"
    );
}

#[test]
fn syntax_error_has_a_position() {
    let error =
        first_error("Scene(\n  title: \"x\",\n  world: Grid(rows: [\"S.G\"]\n  agents: [],\n)");
    assert_eq!(error.position.line, 4, "{error}");
}

#[test]
fn invalid_utf8_is_reported_where_it_starts() {
    let mut bytes = b"Scene(\n  title: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    let errors = mindgrid_core::scene::parse_bytes(&bytes, "bad.ron").unwrap_err();
    assert_eq!(
        (errors[0].position.line, errors[0].position.column),
        (2, 11)
    );
    assert!(errors[0].message.contains("UTF-8"));
}

/// A conditioning protocol that cannot run is refused where it is wrong: a wait out of order, a
/// step limit shorter than the longest trial, a track that ends before the trial does.
#[test]
fn a_conditioning_protocol_that_cannot_run_is_refused() {
    let track = ["S..........", "###########"];
    let protocol = |fields: &str, max_steps: u32| {
        format!("        max_steps: {max_steps},\n        conditioning: ({fields}),\n")
    };
    let backwards = first_error(&scene_text(
        &track,
        &protocol("wait: (5, 2), delay: 3, after: 1", 100),
        ONE_AGENT,
    ));
    assert!(
        backwards.message.contains("the wait is (5, 2)") && backwards.position.line == 9,
        "{backwards}"
    );
    let probability = first_error(&scene_text(
        &track,
        &protocol("wait: (1, 2), delay: 3, probability: 1.5", 100),
        ONE_AGENT,
    ));
    assert!(
        probability.message.contains("expected 0 to 1"),
        "{probability}"
    );
    let short = first_error(&scene_text(
        &track,
        &protocol("wait: (1, 4), delay: 3, after: 1", 5),
        ONE_AGENT,
    ));
    assert!(
        short.message.contains("may last 8 steps") && short.message.contains("at least 8"),
        "{short}"
    );
    let off_the_track = first_error(&scene_text(
        &track,
        &protocol("wait: (1, 9), delay: 3, after: 1", 100),
        ONE_AGENT,
    ));
    assert!(
        off_the_track.message.contains("the track runs 10 cells")
            && off_the_track.message.contains("13"),
        "{off_the_track}"
    );
    // The same protocol on a long enough track runs, and its trials keep their times.
    let fits = parse(&scene_text(
        &track,
        &protocol("wait: (1, 4), delay: 3, after: 1", 100),
        ONE_AGENT,
    ))
    .expect("a protocol that fits");
    let mut experiment = mindgrid_core::experiment::Experiment::new(fits.scene);
    experiment.step_n(200);
    for episode in experiment.arenas()[0].episodes() {
        assert!((5..=8).contains(&episode.steps), "{}", episode.steps);
        assert_eq!(episode.episode_return, 1.0);
    }
}

/// A water maze that cannot run is refused where it is wrong: a start on a wall, no platform, a
/// probe longer than an episode, too many starts; so are a reward noise and a replay budget out of
/// range.
#[test]
fn a_pool_or_a_replay_budget_out_of_bounds_is_refused() {
    let pool = ["#####", "#S.G#", "#...#", "#####"];
    let with = |fields: &str| format!("        max_steps: 100,\n        pool: ({fields}),\n");
    let on_a_wall = first_error(&scene_text(&pool, &with("starts: [(0, 0)]"), ONE_AGENT));
    assert!(
        on_a_wall
            .message
            .contains("the start (0, 0) is not on the pool's floor")
            && on_a_wall.position.line == 11,
        "{on_a_wall}"
    );
    let dry = ["#####", "#S..#", "#...#", "#####"];
    let no_platform = first_error(&scene_text(&dry, &with("starts: [(1, 1)]"), ONE_AGENT));
    assert!(no_platform.message.contains("no platform"), "{no_platform}");
    let long_probe = first_error(&scene_text(
        &pool,
        &with("starts: [(1, 1)], probes: [3], probe_steps: 180"),
        ONE_AGENT,
    ));
    assert!(
        long_probe
            .message
            .contains("probe_steps is 180; expected 1 to max_steps (100)"),
        "{long_probe}"
    );
    let starts = vec!["(1, 1)"; 17].join(", ");
    let crowded = first_error(&scene_text(
        &pool,
        &with(&format!("starts: [{starts}]")),
        ONE_AGENT,
    ));
    assert!(
        crowded.message.contains("17 starts; expected 1 to 16"),
        "{crowded}"
    );
    let noisy = first_error(&scene_text(
        &pool,
        "        reward_noise: -1.0,\n",
        ONE_AGENT,
    ));
    assert!(noisy.message.contains("the reward noise is -1"), "{noisy}");
    let budget = first_error(&scene_text(
        &pool,
        "",
        "        (name: \"r\", brain: PrioritisedReplay(replays_per_rest: 5000)),",
    ));
    assert!(
        budget
            .message
            .contains("replays_per_rest of PrioritisedReplay is 5000; expected 0 to 1000"),
        "{budget}"
    );
}
