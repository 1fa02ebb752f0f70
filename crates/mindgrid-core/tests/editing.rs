//! Editing the world live: painting reaches every arena (or one), keeps the invariants, undoes and
//! redoes by stroke, replays from the log; a person's arena steps only on their moves; a saved map
//! changes only the map's rows of the file.

mod common;

use mindgrid_core::brain::BrainSpec;
use mindgrid_core::command::Command;
use mindgrid_core::edit::{Map, Reach, Tile};
use mindgrid_core::experiment::{Applied, Detail, Experiment};
use mindgrid_core::scene::{self, AgentSpec};
use mindgrid_core::world::{Action, Cell};

fn paint(reach: Reach, stroke: u64, tile: Tile, cells: &[(u32, u32)]) -> Command {
    Command::Paint {
        reach,
        stroke,
        tile,
        cells: cells.to_vec(),
    }
}

/// The Dyna maze's cell at column `x`, row `y`, in arena `i`.
fn cell(experiment: &Experiment, i: usize, x: usize, y: usize) -> Cell {
    let world = experiment.arenas()[i].world();
    world.cell(y * world.width() + x)
}

#[test]
fn a_painted_wall_reaches_every_arena_or_only_the_chosen_one() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    experiment.step_n(50);
    let done = experiment.apply(paint(Reach::All, 1, Tile::Wall, &[(4, 5)]));
    assert_eq!(done, Applied::Done);
    for i in 0..2 {
        assert_eq!(cell(&experiment, i, 4, 5), Cell::Wall, "arena {i}");
        assert_eq!(experiment.arenas()[i].map().rows()[5], "....#....");
    }
    experiment.apply(paint(Reach::Arena(1), 2, Tile::Lava, &[(5, 5)]));
    assert_eq!(cell(&experiment, 0, 5, 5), Cell::Floor);
    assert_eq!(cell(&experiment, 1, 5, 5), Cell::Lava);
    // A reset rebuilds each arena from its own edited map, and the agents keep learning there.
    experiment.apply(Command::ResetAll);
    assert_eq!(cell(&experiment, 0, 4, 5), Cell::Wall);
    assert_eq!(cell(&experiment, 1, 5, 5), Cell::Lava);
    // Painting what is already there changes nothing and is not logged.
    let logged = experiment.log().len();
    let again = experiment.apply(paint(Reach::All, 3, Tile::Wall, &[(4, 5)]));
    assert_eq!(again, Applied::Ignored);
    assert_eq!(experiment.log().len(), logged);
}

#[test]
fn a_wall_painted_under_the_agent_moves_it_to_the_nearest_free_cell() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    // The agent starts at S, column 0 row 2; the start moves too, to the nearest floor.
    experiment.apply(paint(Reach::All, 1, Tile::Wall, &[(0, 2)]));
    let arena = &experiment.arenas()[0];
    let world = arena.world();
    assert_eq!(
        world.xy(world.agent()),
        (0, 1),
        "the nearest free cell, ties to the lower index"
    );
    assert_eq!(world.xy(world.start()), (0, 1));
    assert_eq!(arena.map().rows()[1], "S.#....#.");
    // The agent cannot be dropped on a wall; it can be dropped on floor.
    let refused = experiment.apply(Command::PlaceAgent {
        reach: Reach::All,
        x: 2,
        y: 1,
    });
    assert!(
        matches!(refused, Applied::Refused(ref m) if m.contains("wall")),
        "{refused:?}"
    );
    experiment.apply(Command::PlaceAgent {
        reach: Reach::All,
        x: 8,
        y: 5,
    });
    for arena in experiment.arenas() {
        assert_eq!(arena.world().xy(arena.world().agent()), (8, 5));
    }
}

#[test]
fn undo_takes_back_a_whole_stroke_and_redo_does_it_again() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    let original = experiment.arenas()[0].map().clone();
    experiment.apply(paint(Reach::All, 1, Tile::Wall, &[(3, 0)]));
    experiment.apply(paint(Reach::All, 2, Tile::Wall, &[(3, 4)]));
    experiment.apply(paint(Reach::All, 2, Tile::Wall, &[(3, 5)]));
    let painted = experiment.arenas()[0].map().clone();
    experiment.apply(Command::Undo);
    assert_eq!(
        cell(&experiment, 0, 3, 4),
        Cell::Floor,
        "stroke 2 undone whole"
    );
    assert_eq!(cell(&experiment, 0, 3, 5), Cell::Floor);
    assert_eq!(cell(&experiment, 0, 3, 0), Cell::Wall, "stroke 1 stays");
    experiment.apply(Command::Undo);
    assert_eq!(experiment.arenas()[1].map(), &original);
    assert_eq!(
        experiment.apply(Command::Undo),
        Applied::Ignored,
        "nothing left"
    );
    experiment.apply(Command::Redo);
    experiment.apply(Command::Redo);
    assert_eq!(experiment.arenas()[0].map(), &painted);
    assert_eq!(experiment.can_undo_redo(), (true, false));
}

#[test]
fn a_new_size_gives_fresh_agents_and_undoes() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    experiment.step_n(200);
    let rows = Map::empty_room(12, 8).rows();
    assert_eq!(
        experiment.apply(Command::Reshape(rows.clone())),
        Applied::Done
    );
    for arena in experiment.arenas() {
        assert_eq!(arena.world().width(), 12);
        assert_eq!(arena.total_steps(), 0, "fresh agents: the states changed");
    }
    experiment.step_n(100);
    experiment.apply(Command::Undo);
    assert_eq!(experiment.arenas()[0].world().width(), 9);
    // A map the scene's limits forbid is refused and changes nothing.
    let huge = vec![".".repeat(100); 50];
    let refused = experiment.apply(Command::Reshape(huge));
    assert!(
        matches!(refused, Applied::Refused(ref m) if m.contains("cells")),
        "{refused:?}"
    );
    assert_eq!(experiment.arenas()[0].world().width(), 9);
}

#[test]
fn a_task_schedule_naming_cells_refuses_a_map_that_cuts_them_off() {
    let mut experiment = Experiment::new(common::shipped("blocking_maze.ron"));
    let small = Map::empty_room(4, 4).rows();
    let refused = experiment.apply(Command::Reshape(small));
    assert!(matches!(refused, Applied::Refused(_)), "{refused:?}");
}

/// Edits, drags, undo and a new map at logged steps: the log and the scene replay the run to the
/// same numbers.
#[test]
fn an_edit_log_replays_to_identical_metrics() {
    let mut live = Experiment::new(common::shipped("dyna_maze.ron"));
    let script: Vec<(u64, Command)> = vec![
        (300, paint(Reach::All, 1, Tile::Wall, &[(3, 4), (3, 5)])),
        (900, paint(Reach::Arena(0), 2, Tile::Goal, &[(0, 5)])),
        (
            1_400,
            Command::PlaceAgent {
                reach: Reach::All,
                x: 8,
                y: 5,
            },
        ),
        (2_000, Command::Undo),
        (2_600, paint(Reach::All, 3, Tile::Start, &[(4, 5)])),
    ];
    for (step, command) in script {
        live.step_n(step - live.steps());
        assert_eq!(live.apply(command), Applied::Done);
    }
    live.step_n(4_000 - live.steps());
    let replayed = Experiment::replay(common::shipped("dyna_maze.ron"), live.log(), 4_000);
    assert_eq!(replayed.metrics_csv(), live.metrics_csv());
    assert_eq!(replayed.fingerprint(), live.fingerprint());
    assert!(live.arenas()[0].episodes().len() > 5);
}

/// A person's arena steps only when they move: in lockstep every arena waits; running free, the
/// agents go on.
#[test]
fn a_person_steps_only_on_their_moves() {
    let mut scene = common::shipped("dyna_maze.ron");
    scene.agents.push(AgentSpec {
        name: "you".into(),
        brain: BrainSpec::Human,
    });
    let mut experiment = Experiment::new(scene.clone());
    assert_eq!(experiment.step_n(10), 0, "everyone waits for the person");
    experiment.apply(Command::Move {
        arena: 2,
        action: Action::Right,
    });
    assert_eq!(experiment.step_n(10), 1, "one move, one lockstep step");
    let you = &experiment.arenas()[2];
    assert_eq!(you.world().xy(you.world().agent()), (1, 2));
    assert_eq!(experiment.arenas()[0].total_steps(), 1);
    // Keys typed ahead wait their turn: two moves, two steps, in order.
    for action in [Action::Down, Action::Left] {
        experiment.apply(Command::Move { arena: 2, action });
    }
    assert_eq!(experiment.step_n(10), 1);
    assert_eq!(experiment.step_n(10), 1);
    assert_eq!(experiment.step_n(10), 0);
    let you = &experiment.arenas()[2];
    assert_eq!(you.world().xy(you.world().agent()), (0, 3));
    experiment.apply(Command::WaitForHuman(false));
    assert_eq!(experiment.step_n(10), 10);
    assert_eq!(experiment.arenas()[0].total_steps(), 13);
    assert_eq!(experiment.arenas()[2].total_steps(), 3, "no move, no step");
    // Headless runs skip the person's arena rather than wait for ever.
    let mut headless = Experiment::new(scene);
    headless.run_episodes(2, |_| {});
    assert_eq!(headless.arenas()[0].episodes().len(), 2);
    assert_eq!(
        scene::human_agents(headless.scene()),
        vec![(2, "you")],
        "the CLI names it"
    );
}

/// "You play" hands an agent's arena to the person; their episodes are theirs, and the agent
/// takes over again where it left off.
#[test]
fn you_play_takes_over_an_arena_and_hands_it_back() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    experiment.step_n(500);
    let learned = experiment.arenas()[0].episodes().len();
    experiment.apply(Command::YouPlay { arena: 0, on: true });
    assert!(experiment.arenas()[0].is_human());
    // Walk the person to the goal by the shortest path (14 moves): down, round the wall, up.
    let mut path = vec![Action::Down; 2];
    path.extend([Action::Right; 4]);
    path.push(Action::Up);
    path.extend([Action::Right; 4]);
    path.extend([Action::Up; 3]);
    for action in path {
        experiment.apply(Command::Move { arena: 0, action });
        assert_eq!(experiment.step_n(5), 1);
    }
    let view = experiment.arenas()[0].view(Detail::Bare);
    let yours = view.your_curve.expect("the person's curve");
    assert_eq!(yours.buckets().iter().map(|b| b.count).sum::<u32>(), 1);
    assert_eq!(
        experiment.arenas()[0].episodes().len(),
        learned,
        "not the agent's"
    );
    experiment.apply(Command::YouPlay {
        arena: 0,
        on: false,
    });
    assert!(!experiment.arenas()[0].is_human());
    assert_eq!(experiment.step_n(5), 5);
}

/// Every shipped scene: writing its own rows back gives the same bytes; writing edited rows
/// (a painted wall, a bigger map) changes the file only inside the rows list, passes `check`,
/// and loads to the edited world.
#[test]
fn saving_a_map_changes_only_the_rows_of_every_shipped_scene() {
    for entry in std::fs::read_dir(common::scenes_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let scene = scene::parse(&text, &name).unwrap().scene;
        let rows = scene.rows().to_vec();
        assert_eq!(
            scene::with_rows(&text, &name, &rows).unwrap(),
            text,
            "{name}"
        );
        let mut map = Map::from_rows(&rows);
        let far = (map.width() as u32 - 1, map.height() as u32 - 1);
        map.paint(&[far], Tile::Lava).unwrap();
        for edited in [
            map.clone(),
            map.resized(map.width() + 1, map.height() + 2).unwrap(),
        ] {
            let edited = edited.rows();
            let saved = match scene::with_rows(&text, &name, &edited) {
                Ok(saved) => saved,
                // A schedule that replaces the whole map must keep its size.
                Err(e) if edited.len() != rows.len() && !scene.tasks.is_empty() => {
                    assert!(e.contains("size") || e.contains("outside"), "{name}: {e}");
                    continue;
                }
                Err(e) => panic!("{name}: {e}"),
            };
            let loaded = scene::parse(&saved, &name).unwrap().scene;
            assert_eq!(loaded.rows(), &edited[..], "{name}");
            assert_eq!(
                loaded.build_world().cells(),
                scene.build_world_on(&edited).cells()
            );
            // Outside the rows list, the text is the same.
            let (prefix, suffix) = common_ends(&text, &saved);
            let first = text.find(&format!("{:?}", rows[0])).unwrap();
            let last_row = format!("{:?}", rows[rows.len() - 1]);
            let last = text.rfind(&last_row).unwrap() + last_row.len();
            assert!(prefix >= first, "{name}: changed before the rows");
            assert!(
                text.len() - suffix <= last + 2,
                "{name}: changed after the rows"
            );
        }
    }
}

/// How many leading and trailing bytes two texts share.
fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let suffix = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (prefix, suffix.min(a.len() - prefix))
}

/// After a task switch the world differs from the scene's map: an edit paints what is shown (and
/// the same cells of the map a reset starts from), and undo puts back what was shown.
#[test]
fn an_edit_after_a_task_switch_paints_what_is_shown() {
    let mut experiment = Experiment::new(common::shipped("blocking_maze.ron"));
    experiment.step_n(1_200);
    assert_eq!(
        cell(&experiment, 0, 0, 3),
        Cell::Floor,
        "the new gap, on the left"
    );
    let block = experiment.apply(paint(Reach::All, 1, Tile::Wall, &[(0, 3)]));
    assert_eq!(
        block,
        Applied::Done,
        "the base map has a wall there already"
    );
    assert_eq!(cell(&experiment, 1, 0, 3), Cell::Wall);
    let view = experiment.arenas()[0].view(Detail::Bare);
    assert!(
        view.map_warning.is_some_and(|w| w.contains("reached")),
        "the wall row is closed: the goal is out of reach, and the arena says so"
    );
    experiment.apply(paint(Reach::All, 2, Tile::Floor, &[(4, 3)]));
    assert_eq!(
        cell(&experiment, 0, 4, 3),
        Cell::Floor,
        "a new gap in the middle"
    );
    assert!(
        experiment.arenas()[0]
            .view(Detail::Bare)
            .map_warning
            .is_none()
    );
    experiment.apply(Command::Undo);
    experiment.apply(Command::Undo);
    assert_eq!(
        cell(&experiment, 0, 0, 3),
        Cell::Floor,
        "undo shows the left gap again"
    );
    assert_eq!(cell(&experiment, 0, 4, 3), Cell::Wall);
}

/// Moves typed ahead in lockstep, then another command: the log replays the run exactly (one
/// lockstep step per move, however the steps are asked for).
#[test]
fn a_person_typing_ahead_replays_exactly() {
    let mut scene = common::shipped("dyna_maze.ron");
    scene.agents.push(AgentSpec {
        name: "you".into(),
        brain: BrainSpec::Human,
    });
    let mut live = Experiment::new(scene.clone());
    for action in [Action::Down, Action::Down, Action::Right] {
        live.apply(Command::Move { arena: 2, action });
    }
    live.step_n(1);
    live.apply(Command::SetHyperparameter {
        arena: 0,
        name: "epsilon".into(),
        value: 0.3,
    });
    live.run_to(10);
    assert_eq!(live.steps(), 3, "three moves, three steps");
    let replayed = Experiment::replay(scene, live.log(), live.steps());
    assert_eq!(replayed.steps(), live.steps());
    assert_eq!(replayed.fingerprint(), live.fingerprint());
}

/// A new size, a fork, then undo: every arena, the fork too, gets the old map back.
#[test]
fn undoing_a_new_size_after_a_fork_keeps_every_arena_one_size() {
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    experiment.apply(Command::Reshape(Map::empty_room(12, 8).rows()));
    experiment.apply(Command::Fork(0));
    experiment.apply(Command::Undo);
    for arena in experiment.arenas() {
        assert_eq!(arena.world().width(), 9, "{}", arena.name);
    }
    let outside = experiment.apply(Command::PlaceAgent {
        reach: Reach::All,
        x: 8,
        y: 7,
    });
    assert_ne!(
        outside,
        Applied::Done,
        "a cell outside the map moves nobody"
    );
}

/// A brain whose cost grows with the square of the map takes maps up to 32 x 32: a larger one is
/// refused, saying why, and the arenas keep their map; the editor's own limit (64 x 64) stays for
/// the others.
#[test]
fn a_map_too_large_for_a_brain_is_refused_saying_why() {
    for scene in ["continual_red_blue.ron", "meta_hidden_goal.ron"] {
        let mut experiment = Experiment::new(common::shipped(scene));
        let (width, height) = (
            experiment.arenas()[0].world().width(),
            experiment.arenas()[0].world().height(),
        );
        assert_eq!(
            experiment.apply(Command::Reshape(Map::empty_room(32, 32).rows())),
            Applied::Done,
            "{scene}: 32 x 32 fits"
        );
        experiment.apply(Command::Undo);
        let refused = experiment.apply(Command::Reshape(Map::empty_room(33, 32).rows()));
        assert!(
            matches!(refused, Applied::Refused(ref m) if m.contains("takes at most 1024") && m.contains("square of the map")),
            "{scene}: {refused:?}"
        );
        assert_eq!(experiment.arenas()[0].world().width(), width);
        assert_eq!(experiment.arenas()[0].world().height(), height);
    }
    let mut experiment = Experiment::new(common::shipped("dyna_maze.ron"));
    let large = experiment.apply(Command::Reshape(Map::empty_room(64, 64).rows()));
    assert_eq!(large, Applied::Done);
}
