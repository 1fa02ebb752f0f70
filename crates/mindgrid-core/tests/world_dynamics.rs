//! Grid dynamics: moves, walls, goal and lava, the step limit, slip, observations and task changes.

use mindgrid_core::ArenaRng;
use mindgrid_core::world::{
    Action, Cell, Colour, EGO_CELL_KINDS, FULL_PLANES, GridWorld, Observation, Rules, TaskChange,
    Teacher, View,
};
use rand::SeedableRng;

fn rules() -> Rules {
    Rules {
        goal_reward: 1.0,
        lava_reward: -1.0,
        distractor_reward: -0.5,
        step_reward: -0.01,
        slip: 0.0,
        max_steps: 100,
        target: Some(Colour::Red),
        shuffle: false,
        random_target: false,
        lava_to_start: false,
        conditioning: None,
        reward_noise: 0.0,
        pool: None,
    }
}

fn world(rows: &[&str]) -> GridWorld {
    let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    GridWorld::from_rows(&rows, rules(), View::Full)
}

fn rng() -> ArenaRng {
    ArenaRng::seed_from_u64(1)
}

#[test]
fn moves_and_walls() {
    let mut w = world(&["S.#", "...", "..G"]);
    let mut rng = rng();
    assert_eq!(w.agent(), 0);
    let o = w.step(Action::Up, &mut rng);
    assert_eq!(w.agent(), 0, "the edge blocks");
    assert_eq!((o.reward, o.terminal, o.truncated), (-0.01, false, false));
    w.step(Action::Right, &mut rng);
    assert_eq!(w.agent(), 1);
    w.step(Action::Right, &mut rng);
    assert_eq!(w.agent(), 1, "the wall blocks");
    w.step(Action::Down, &mut rng);
    assert_eq!(w.xy(w.agent()), (1, 1));
    w.step(Action::Left, &mut rng);
    assert_eq!(w.xy(w.agent()), (0, 1));
    assert_eq!(w.steps(), 5);
}

#[test]
fn goal_and_lava_end_the_episode_with_their_reward() {
    let mut w = world(&["SG", "L."]);
    let mut rng = rng();
    let o = w.step(Action::Right, &mut rng);
    assert!(o.terminal && o.success);
    assert_eq!(o.reward, 1.0);
    w.reset();
    assert_eq!(w.agent(), w.start());
    let o = w.step(Action::Down, &mut rng);
    assert!(o.terminal && !o.success);
    assert_eq!(o.reward, -1.0);
}

#[test]
fn objects_pay_by_target_colour() {
    let mut w = world(&["Sr", "b."]);
    let mut rng = rng();
    let o = w.step(Action::Right, &mut rng);
    assert!(o.terminal && o.success && o.reward == 1.0);
    w.reset();
    let o = w.step(Action::Down, &mut rng);
    assert!(o.terminal && !o.success && o.reward == -0.5);
    w.apply(&TaskChange::Target(Some(Colour::Blue)));
    w.reset();
    assert!(w.step(Action::Down, &mut rng).success);
}

#[test]
fn step_limit_truncates() {
    let mut w = world(&["S..", "..G"]);
    w.rules.max_steps = 3;
    let mut rng = rng();
    assert!(!w.step(Action::Up, &mut rng).truncated);
    assert!(!w.step(Action::Up, &mut rng).truncated);
    let o = w.step(Action::Up, &mut rng);
    assert!(o.truncated && !o.terminal);
}

#[test]
fn slip_replaces_moves_at_the_given_rate() {
    let mut w = world(&["...", ".S.", "..G"]);
    w.rules.slip = 0.3;
    let mut rng = rng();
    let trials = 20_000;
    let mut slipped = 0;
    for _ in 0..trials {
        w.reset();
        let o = w.step(Action::Up, &mut rng);
        if o.executed != Action::Up {
            slipped += 1;
        }
    }
    // A slip picks any of the four moves, so 3/4 of slips change the move: 0.3 * 0.75 = 0.225.
    let rate = slipped as f64 / trials as f64;
    assert!((rate - 0.225).abs() < 0.015, "rate {rate}");
}

#[test]
fn full_observation_is_one_hot_planes() {
    let w = world(&["S#", "Gr"]);
    let mut features = Vec::new();
    let obs = Observation::of(&w);
    obs.write_features(&mut features);
    assert_eq!(features.len(), FULL_PLANES * 4);
    let plane = |p: usize| &features[p * 4..(p + 1) * 4];
    assert_eq!(plane(0), &[0.0, 1.0, 0.0, 0.0]); // wall
    assert_eq!(plane(1), &[0.0, 0.0, 1.0, 0.0]); // goal
    assert_eq!(plane(3), &[0.0, 0.0, 0.0, 1.0]); // red
    assert_eq!(plane(6), &[1.0, 0.0, 0.0, 0.0]); // agent
}

#[test]
fn egocentric_window_sees_walls_and_outside() {
    let rows: Vec<String> = ["S#", ".G"].iter().map(|r| r.to_string()).collect();
    let w = GridWorld::from_rows(&rows, rules(), View::Egocentric { radius: 1 });
    let mut features = Vec::new();
    Observation::of(&w).write_features(&mut features);
    assert_eq!(features.len(), 9 * EGO_CELL_KINDS);
    let kind = |slot: usize| {
        features[slot * EGO_CELL_KINDS..(slot + 1) * EGO_CELL_KINDS]
            .iter()
            .position(|&v| v == 1.0)
            .unwrap()
    };
    assert_eq!(kind(0), 7, "above-left is outside");
    assert_eq!(kind(4), 0, "the agent stands on floor");
    assert_eq!(kind(5), 1, "a wall to the right");
    assert_eq!(kind(8), 2, "the goal below-right");
    assert_eq!(
        features.iter().sum::<f32>(),
        9.0,
        "exactly one kind per cell"
    );
}

#[test]
fn task_changes_edit_the_world() {
    let mut w = world(&["S..", "..G"]);
    w.apply(&TaskChange::MoveGoal { x: 2, y: 0 });
    assert_eq!(w.cell(2), Cell::Goal);
    assert_eq!(w.cell(5), Cell::Floor);
    w.apply(&TaskChange::AddWalls(vec![(1, 0), (1, 1)]));
    assert_eq!(w.shortest_path_to_goal(), None);
    w.apply(&TaskChange::RemoveWalls(vec![(1, 1)]));
    assert_eq!(w.shortest_path_to_goal(), Some(4));
    w.apply(&TaskChange::StepReward(-1.0));
    w.apply(&TaskChange::Rows(vec!["..S".into(), "G..".into()]));
    assert_eq!(w.start(), 2);
    assert_eq!(w.cell(3), Cell::Goal);
    assert_eq!(w.rules.step_reward, -1.0);
}

#[test]
fn shortest_path_matches_the_dyna_maze() {
    let w = world(&[
        ".......#G",
        "..#....#.",
        "S.#....#.",
        "..#......",
        ".....#...",
        ".........",
    ]);
    assert_eq!(w.shortest_path_to_goal(), Some(14));
}

#[test]
fn shuffle_moves_items_to_distinct_free_cells_and_draws_targets() {
    let mut w = world(&["S.#..", ".r.b.", "..L.G"]);
    w.rules.shuffle = true;
    w.rules.random_target = true;
    let mut rng = rng();
    let mut starts = std::collections::HashSet::new();
    let mut targets = std::collections::HashSet::new();
    for _ in 0..200 {
        w.reset_with(&mut rng);
        let count = |c: Cell| w.cells().iter().filter(|&&x| x == c).count();
        assert_eq!(count(Cell::Object(Colour::Red)), 1);
        assert_eq!(count(Cell::Object(Colour::Blue)), 1);
        assert_eq!(count(Cell::Goal), 1);
        assert_eq!(w.cell(2), Cell::Wall, "walls stay");
        assert_eq!(w.cell(12), Cell::Lava, "lava stays");
        assert_eq!(
            w.cell(w.agent()),
            Cell::Floor,
            "the agent starts on free floor"
        );
        starts.insert(w.agent());
        targets.insert(w.rules.target);
    }
    assert!(starts.len() > 5, "the start moves: {starts:?}");
    assert_eq!(targets.len(), 2, "both colours are drawn as targets");
}

#[test]
fn teacher_knows_the_shortest_moves() {
    let w = world(&["S..", ".#.", "..r"]);
    assert_eq!(w.distances_to_goal()[0], 4);
    let teacher = Teacher::of(&w);
    assert_eq!(
        teacher.best_moves(0),
        [false, true, true, false],
        "right or down"
    );
    assert_eq!(
        teacher.best_moves(5),
        [false, false, true, false],
        "down into the target"
    );
    assert_eq!(
        teacher.best_moves(8),
        [false; 4],
        "at the goal: nothing to do"
    );
}

#[test]
fn lava_can_send_the_agent_back_to_the_start() {
    let mut rng = ArenaRng::seed_from_u64(1);
    let mut ends = world(&["S.", "LG"]);
    let outcome = ends.step(Action::Down, &mut rng);
    assert!(outcome.terminal, "by default lava ends the episode");
    let mut cliff = world(&["S.", "LG"]);
    cliff.rules.lava_to_start = true;
    let outcome = cliff.step(Action::Down, &mut rng);
    assert!(!outcome.terminal, "the cliff's lava does not end it");
    assert_eq!(outcome.reward, -1.0, "but costs the lava reward");
    assert_eq!(
        cliff.agent(),
        cliff.start(),
        "and sends the agent back to the start"
    );
}
