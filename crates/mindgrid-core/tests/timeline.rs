//! Time travel: any past step restored from the timeline has the fingerprint the live run had at
//! that step; a command in the past branches the future; a small budget thins old history but
//! stays exact; a fork copies an arena with all it learned.

mod common;

use mindgrid_core::command::{Command, LoggedCommand};
use mindgrid_core::edit::{Reach, Tile};
use mindgrid_core::experiment::{Applied, Experiment};
use mindgrid_core::timeline::{MOST_POINTS, Timeline};

fn script() -> Vec<LoggedCommand> {
    let paint = |stroke, cells: &[(u32, u32)]| Command::Paint {
        reach: Reach::All,
        stroke,
        tile: Tile::Wall,
        cells: cells.to_vec(),
    };
    [
        (1_300, paint(1, &[(3, 4)])),
        (2_000, Command::ResetArena(1)),
        (2_000, paint(2, &[(3, 5)])),
        (4_100, Command::Undo),
        (
            5_500,
            Command::SetHyperparameter {
                arena: 0,
                name: "epsilon".into(),
                value: 0.25,
            },
        ),
    ]
    .into_iter()
    .map(|(step, command)| LoggedCommand { step, command })
    .collect()
}

/// Runs the script live in chunks of `chunk` steps to `end`, noting the timeline, and records the
/// fingerprint at every multiple of 250 steps.
fn live_run(budget: usize, end: u64) -> (Experiment, Timeline, Vec<(u64, u64)>) {
    live_run_keeping(budget, MOST_POINTS, end)
}

/// [`live_run`] with a timeline of at most `points` snapshots.
fn live_run_keeping(
    budget: usize,
    points: usize,
    end: u64,
) -> (Experiment, Timeline, Vec<(u64, u64)>) {
    let mut live = Experiment::new(common::shipped("episodic_dyna_maze.ron"));
    let mut timeline = Timeline::new(&live, budget)
        .keeping_at_most(points)
        .by_steps_only();
    let script = script();
    let mut prints = vec![(0, live.fingerprint())];
    while live.steps() < end {
        let now = live.steps();
        for logged in script.iter().filter(|l| l.step == now) {
            assert_eq!(live.apply(logged.command.clone()), Applied::Done);
            timeline.branch(&live);
        }
        live.step_n(250);
        timeline.note(&live);
        prints.push((live.steps(), live.fingerprint()));
    }
    (live, timeline, prints)
}

#[test]
fn any_past_step_is_restored_exactly() {
    let (_, timeline, prints) = live_run(256 << 20, 7_000);
    assert_eq!(timeline.view().frontier, 7_000);
    for &(step, print) in &prints {
        let past = timeline.seek(step).unwrap();
        assert_eq!(past.steps(), step);
        assert_eq!(past.fingerprint(), print, "step {step}");
    }
}

/// A timeline kept within `budget` bytes and `points` snapshots over 20,000 steps (41 snapshots
/// unthinned: the start and one every 500 steps): it was thinned, kept the start, and every step it reaches is exact.
fn thinned_and_exact(budget: usize, points: usize) {
    let (_, timeline, prints) = live_run_keeping(budget, points, 20_000);
    let view = timeline.view();
    assert!(view.bytes.0 <= view.bytes.1, "{:?}", view.bytes);
    assert!(
        view.snapshots < 41 && view.snapshots <= points,
        "{} snapshots",
        view.snapshots
    );
    assert_eq!(view.earliest, 0, "the start is always kept");
    for &(step, print) in prints.iter().step_by(5) {
        assert_eq!(
            timeline.seek(step).unwrap().fingerprint(),
            print,
            "step {step}"
        );
    }
}

#[test]
fn a_small_budget_thins_old_history_and_stays_exact() {
    thinned_and_exact(200_000, MOST_POINTS);
}

#[test]
fn few_snapshots_kept_thin_old_history_and_stay_exact() {
    thinned_and_exact(256 << 20, 8);
}

#[test]
fn a_command_in_the_past_branches_the_future() {
    let (live, mut timeline, _) = live_run(256 << 20, 7_000);
    let mut past = timeline.seek(3_000).unwrap();
    // Stepping on from the past replays the recorded future, commands included.
    while past.steps() < 7_000 {
        let next = timeline.next_command(&past).cloned();
        match next.filter(|c| c.step == past.steps()) {
            Some(logged) => {
                past.apply(logged.command);
            }
            None => {
                let until = timeline
                    .next_command(&past)
                    .map_or(7_000, |c| c.step.min(7_000));
                past.step_n(until - past.steps());
            }
        }
    }
    assert_eq!(
        past.fingerprint(),
        live.fingerprint(),
        "the same future again"
    );
    // A new command at step 3,000 is a branch: the recorded future after it is gone.
    let mut branch = timeline.seek(3_000).unwrap();
    branch.apply(Command::Amnesia(1));
    timeline.branch(&branch);
    assert_eq!(timeline.view().frontier, 3_000);
    assert!(timeline.next_command(&branch).is_none());
    assert!(timeline.view().marks.iter().all(|&m| m <= 3_000));
}

#[test]
fn a_fork_copies_an_arena_and_its_future() {
    let mut experiment = Experiment::new(common::shipped("episodic_dyna_maze.ron"));
    experiment.step_n(1_500);
    let mfec = 0;
    assert_eq!(experiment.apply(Command::Fork(mfec)), Applied::Done);
    let fork = experiment.arenas().len() - 1;
    assert_eq!(
        experiment.arenas()[fork].name,
        format!("{} (fork)", experiment.arenas()[mfec].name)
    );
    assert_eq!(experiment.scene().agents.len(), experiment.arenas().len());
    experiment.step_n(1_500);
    let (a, b) = (&experiment.arenas()[mfec], &experiment.arenas()[fork]);
    assert_eq!(
        a.episodes(),
        b.episodes(),
        "same past, same streams: the same future"
    );
    while experiment.arenas().len() < 8 {
        experiment.apply(Command::Fork(0));
    }
    assert!(matches!(
        experiment.apply(Command::Fork(0)),
        Applied::Refused(_)
    ));
}

/// What must match between a seek and the live run: the fingerprint, who plays each arena, how
/// many arenas there are and the map's size.
fn state_of(experiment: &Experiment) -> (u64, Vec<bool>, usize) {
    (
        experiment.fingerprint(),
        experiment.arenas().iter().map(|a| a.is_human()).collect(),
        experiment.arenas()[0].world().cell_count(),
    )
}

/// The reproduction: a note after stepping that took no steps (every arena waiting for
/// the person's move) must not take a snapshot holding that step's commands.
#[test]
fn a_note_after_no_steps_keeps_the_state_before_the_commands() {
    let mut live = Experiment::new(common::shipped("episodic_dyna_maze.ron"));
    live.step_n(20_000);
    let mut timeline = Timeline::new(&live, 256 << 20).by_steps_only();
    // No note here: the clock skipped this snapshot, as it does when the stepping was quick.
    live.step_n(500);
    let before = state_of(&live);
    assert_eq!(
        live.apply(Command::YouPlay { arena: 0, on: true }),
        Applied::Done
    );
    timeline.branch(&live);
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert_eq!(live.step_n(1), 0, "every arena waits for the person");
    timeline.note(&live);
    assert_eq!(state_of(&timeline.seek(20_500).unwrap()), before);
}

/// Commands a random session can send, with the arena count it assumes at most.
fn random_command(pick: u8, arg: u8) -> Command {
    let arena = usize::from(arg % 2);
    let cell = (u32::from(arg % 5) + 1, u32::from(arg / 5 % 4) + 1);
    match pick % 11 {
        0 => Command::YouPlay { arena, on: true },
        1 => Command::YouPlay { arena, on: false },
        2 => Command::Move {
            arena,
            action: mindgrid_core::world::Action::from_index(usize::from(arg % 4)),
        },
        3 => Command::WaitForHuman(arg.is_multiple_of(2)),
        4 => Command::Reshape(
            mindgrid_core::edit::Map::empty_room(
                6 + usize::from(arg % 5),
                5 + usize::from(arg % 3),
            )
            .rows(),
        ),
        5 => Command::Fork(arena),
        6 => Command::Undo,
        7 => Command::Redo,
        8 => Command::Paint {
            reach: Reach::All,
            stroke: u64::from(arg),
            tile: Tile::Wall,
            cells: vec![cell],
        },
        9 => Command::SetHyperparameter {
            arena,
            name: "epsilon".into(),
            value: f64::from(arg) / 255.0,
        },
        _ => Command::ResetArena(arena),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Seeking is exact: for random sessions (a person's turns, waits, resizes, forks, undo and
    /// redo, paint, sliders, resets, with stepping that may take no steps between them), a seek to
    /// any step the live run passed gives the state it had there before that step's commands.
    #[test]
    fn a_seek_is_the_live_state_before_that_steps_commands(
        session in proptest::collection::vec(
            (0u64..400, 0u8..=255, 0u8..=255, 0u8..3, proptest::bool::ANY),
            1..24,
        ),
    ) {
        let mut live = Experiment::new(common::shipped("dyna_maze.ron"));
        let mut timeline = Timeline::new(&live, 256 << 20).by_steps_only();
        let mut seen: Vec<(u64, (u64, Vec<bool>, usize))> = vec![(0, state_of(&live))];
        for (steps, pick, arg, commands, clock_allows) in session {
            // Steps in pieces, noting after each as the window does (a piece may take none), or
            // not (the clock had a snapshot wait).
            for piece in [steps / 2, steps - steps / 2] {
                live.step_n(piece);
                if clock_allows {
                    timeline.note(&live);
                }
                if seen.last().is_none_or(|(s, _)| *s != live.steps()) {
                    seen.push((live.steps(), state_of(&live)));
                }
            }
            for k in 0..commands {
                let command = random_command(pick.wrapping_add(k), arg.wrapping_mul(k + 1));
                if live.apply(command) == Applied::Done {
                    timeline.branch(&live);
                }
                timeline.note(&live);
            }
        }
        // The window notes after every stepping, so the live edge is where the run is.
        timeline.note(&live);
        for (step, state) in seen {
            let past = timeline.seek(step).unwrap();
            proptest::prop_assert_eq!(past.steps(), step);
            proptest::prop_assert_eq!(state_of(&past), state, "step {}", step);
        }
    }
}
