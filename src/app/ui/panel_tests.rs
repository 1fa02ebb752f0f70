//! Every mechanism panel drawn headless (`egui_kittest`) from a frame its scene published: its
//! heading, its numbers as the insight holds them and its controls are found in the rendered UI by
//! their accessible labels; redrawing sends nothing, and a click sends its one command.

use std::path::Path;

use bevy_egui::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::continual_panel::ImportanceTextures;
use super::insight_panel;
use super::shown::Shown;
use crate::app::command::AppCommand;
use crate::app::scene_file::SceneFile;
use crate::app::view::Overlays;
use crate::brain::Mechanism;
use crate::command::{Command, TrialControl};
use crate::experiment::ArenaView;
use crate::stepping::{Frame, Stepper, ToSim};

/// What the harness draws from, and what the panel wrote.
struct Drawn {
    frame: Frame,
    file: SceneFile,
    overlays: Overlays,
    selected: usize,
    textures: ImportanceTextures,
    commands: Vec<AppCommand>,
    /// The insight panel's width on each frame drawn (`in_insight_panel`).
    widths: Vec<f32>,
}

/// The frame of shipped scene `name` after `steps` steps, with the insight panel of the first
/// arena whose agent has the mechanism `pick` accepts.
fn drawn(name: &str, steps: u64, pick: fn(&Mechanism) -> bool) -> Drawn {
    drawn_where(name, steps, |arena| {
        arena
            .insight
            .as_ref()
            .and_then(|i| i.mechanism.as_ref())
            .is_some_and(pick)
    })
}

/// The frame of shipped scene `name` after `steps` steps, with the insight panel of the first
/// arena `pick` accepts.
fn drawn_where(name: &str, steps: u64, pick: impl Fn(&ArenaView) -> bool) -> Drawn {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes")
        .join(name);
    let loaded = crate::scene::load(&path).expect("a shipped scene");
    let mut stepper = Stepper::new(loaded.scene, false);
    stepper.receive(ToSim::WarmUp(steps));
    stepper.finish_work();
    let frame = stepper.frame();
    let selected = frame
        .arenas
        .iter()
        .position(pick)
        .expect("an arena with the mechanism");
    Drawn {
        frame,
        file: SceneFile::new(path, loaded.warnings, loaded.text),
        overlays: Overlays::default(),
        selected,
        textures: ImportanceTextures::default(),
        commands: Vec::new(),
        widths: Vec::new(),
    }
}

/// Draws the insight panel of `drawn` into `ui`, from its frame context.
fn draw(ui: &mut egui::Ui, drawn: &mut Drawn) {
    let Drawn {
        frame,
        file,
        overlays,
        selected,
        textures,
        commands,
        ..
    } = drawn;
    let shown = Shown {
        frame,
        selected: *selected,
        overlays,
        file,
        situation: Default::default(),
    };
    insight_panel::show(ui, &shown, textures, commands);
}

/// A 1280 x 800 harness drawing the insight panel in a right panel of the roomy stage's range
/// (260 to 480 points, 330 usual), as `draw_window` draws it, noting its width each frame.
fn in_insight_panel(drawn: Drawn) -> Harness<'static, Drawn> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(
            |ui, drawn: &mut Drawn| {
                let panel = egui::Panel::right("insight")
                    .resizable(true)
                    .default_size(330.0)
                    .size_range(260.0..=480.0)
                    .show(ui, |ui| draw(ui, drawn));
                drawn.widths.push(panel.response.rect.width());
            },
            drawn,
        )
}

/// Every width the insight panel was drawn at is its usual 330 points.
fn assert_usual_width(harness: &Harness<'static, Drawn>) {
    let widths = &harness.state().widths;
    assert!(!widths.is_empty());
    assert!(
        widths.iter().all(|&w| (w - 330.0).abs() < 1.0),
        "{widths:?}"
    );
}

/// A harness drawing the insight panel of `drawn`, run until it settles.
fn harness(drawn: Drawn) -> Harness<'static, Drawn> {
    let mut harness = Harness::builder()
        .with_size([420.0, 2400.0])
        .build_ui_state(draw, drawn);
    harness.run();
    harness
}

/// The mechanism view of the selected arena.
fn mechanism(drawn: &Drawn) -> &Mechanism {
    drawn.frame.arenas[drawn.selected]
        .insight
        .as_ref()
        .and_then(|i| i.mechanism.as_ref())
        .expect("a mechanism")
}

/// Redrawn many times, the panel sent nothing; a click on `button` sends `expected` alone.
fn click_sends(mut harness: Harness<'static, Drawn>, button: &str, expected: Command) {
    assert_eq!(
        harness.state().commands,
        Vec::new(),
        "drawing sends nothing"
    );
    harness.get_by_label(button).click();
    harness.run();
    assert_eq!(harness.state().commands, vec![AppCommand::from(expected)]);
}

#[test]
fn the_memory_panel_shows_its_store_and_its_recall() {
    let drawn = drawn("episodic_aliasing.ron", 300, |m| {
        matches!(m, Mechanism::Memory(_))
    });
    let Mechanism::Memory(memory) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let arena = drawn.selected;
    let harness = harness(drawn);
    harness.get_by_label("Episodic memory");
    let total: usize = memory.sizes.iter().sum();
    assert!(total > 0);
    harness.get_by_label(&format!(
        "{total} memories · capacity {} per move · read: {}",
        memory.capacity, memory.read_mode
    ));
    let (aliased, recalls) = memory.aliased;
    assert!(recalls > 0);
    harness.get_by_label_contains(&format!("aliased recalls: {aliased} of {recalls}"));
    harness.get_by_label("lesion");
    click_sends(harness, "🗑 amnesia", Command::Amnesia(arena));
}

#[test]
fn the_planning_panel_shows_its_model_and_its_replays() {
    let drawn = drawn(
        "planning_dyna_maze.ron",
        300,
        |m| matches!(m, Mechanism::Planning(p) if !p.touched.is_empty()),
    );
    let Mechanism::Planning(planning) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let arena = drawn.selected;
    let harness = harness(drawn);
    harness.get_by_label("Imagination and planning");
    harness.get_by_label(&format!(
        "model error (recent): {:.1}%",
        100.0 * planning.model_error
    ));
    harness.get_by_label_contains(&format!(
        "{} cells updated by the replays",
        planning.touched.len()
    ));
    click_sends(
        harness,
        "lesion (no planning)",
        Command::SetHyperparameter {
            arena,
            name: "lesion".into(),
            value: 1.0,
        },
    );
}

#[test]
fn the_attention_panel_shows_each_head() {
    let drawn = drawn("attention_cue.ron", 50, |m| {
        matches!(m, Mechanism::Attention(_))
    });
    let Mechanism::Attention(attention) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let harness = harness(drawn);
    harness.get_by_label("Attention");
    assert!(!attention.heads.is_empty());
    for head in 1..=attention.heads.len() {
        let side = attention.side;
        harness.get_by_label(&format!(
            "head {head}: where it looks ({side} x {side} view, agent at the centre)"
        ));
    }
    assert_eq!(
        harness.state().commands,
        Vec::new(),
        "drawing sends nothing"
    );
}

#[test]
fn the_continual_panel_shows_its_consolidations_and_curves() {
    let drawn = drawn(
        "continual_red_blue.ron",
        50,
        |m| matches!(m, Mechanism::Continual(c) if c.lambda > 0.0),
    );
    let Mechanism::Continual(continual) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let arena = drawn.selected;
    let harness = harness(drawn);
    harness.get_by_label("Learning task after task");
    harness.get_by_label_contains(&format!("{} consolidated", continual.consolidations));
    harness.get_by_label("Accuracy on every task (forgetting curves)");
    click_sends(harness, "⏩ next task", Command::NextTask(arena));
}

#[test]
fn the_meta_panel_shows_its_training_and_its_goals() {
    let drawn = drawn("meta_hidden_goal.ron", 20, |m| {
        matches!(m, Mechanism::Meta(_))
    });
    let Mechanism::Meta(meta) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let arena = drawn.selected;
    let harness = harness(drawn);
    harness.get_by_label("Learning to learn");
    harness.get_by_label(&format!(
        "{} meta-iterations · {} training goals · {} held out",
        meta.iterations, meta.goals.0, meta.goals.1
    ));
    click_sends(harness, "🎲 new task", Command::NewTask(arena));
}

/// The help (H) lists every binding that works in the situation, by its keys and its line, under
/// the headings of the situations that hold, and no other heading.
#[test]
fn the_help_lists_every_binding_that_works_now() {
    use crate::app::keys::{BINDINGS, When};
    for (presenting, person) in [(false, false), (false, true), (true, false)] {
        let mut harness = Harness::builder()
            .with_size([900.0, 1400.0])
            .build_ui(move |ui| {
                let mut open = true;
                super::help::show(ui.ctx(), &mut open, presenting, person);
            });
        harness.run();
        for binding in BINDINGS {
            let found = |text: &str| harness.query_all_by_label(text).next().is_some();
            let holds = binding.when.holds(presenting, person);
            assert!(found(binding.label) || !holds, "{} missing", binding.label);
            assert!(found(binding.help) || !holds, "{} missing", binding.help);
        }
        for when in When::ALL {
            let listed = harness.query_by_label(when.heading()).is_some();
            assert_eq!(listed, when.holds(presenting, person), "{when:?}");
        }
    }
}

/// The insight panel opens at its usual width even when its first frame carries no insight yet
/// (the thread's first frame is bare), and keeps it when the insight comes. Drawn in a panel of
/// the roomy stage's range (260 to 480 points, 330 usual), as `draw_window` draws it.
#[test]
fn the_insight_panel_opens_at_its_usual_width_before_the_first_insight() {
    let mut drawn = drawn("planning_dyna_maze.ron", 0, |m| {
        matches!(m, Mechanism::Planning(_))
    });
    let full = std::mem::replace(&mut drawn.frame, {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/planning_dyna_maze.ron");
        Stepper::new(crate::scene::load(&path).unwrap().scene, false).bare_frame()
    });
    assert!(drawn.frame.arenas[0].insight.is_none());
    let mut harness = in_insight_panel(drawn);
    harness.run();
    harness.get_by_label("working out what the agent knows…");
    harness.state_mut().frame = full;
    harness.run();
    harness.get_by_label("Imagination and planning");
    assert_usual_width(&harness);
}

/// Tab walking egui's focus onto a button leaves the keyboard to the app's keys (a focused button
/// would take Space as a click: "reload" wiped a run); a text field being typed in keeps it.
#[test]
fn only_a_text_field_takes_the_keyboard() {
    let mut harness = Harness::builder().with_size([400.0, 200.0]).build_ui_state(
        |ui, (text, value): &mut (String, f64)| {
            let _ = ui.button("reload");
            ui.text_edit_singleline(text);
            ui.add(egui::Slider::new(value, 0.0..=1.0).text("alpha"));
        },
        (String::new(), 0.5),
    );
    harness.run();
    harness.key_press(egui::Key::Tab);
    harness.run();
    assert!(
        harness.ctx.memory(|m| m.focused().is_some()),
        "Tab focused a widget"
    );
    harness.get_by_label("reload").focus();
    harness.run();
    assert!(!super::keyboard_is_for_text(&harness.ctx));
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .click();
    harness.run();
    assert!(super::keyboard_is_for_text(&harness.ctx));
    // A slider's number, clicked to be typed, is a text field too (the agent panel's sliders).
    harness.get_by_label("reload").focus();
    harness.run();
    harness
        .get_by_role(egui::accesskit::Role::SpinButton)
        .click();
    harness.run();
    assert!(
        super::keyboard_is_for_text(&harness.ctx),
        "typing a slider's number"
    );
}

/// The place-cells panel shows the electrode's field, the occupancy and eight eigenvectors with
/// their eigenvalues, and stays within the insight panel's usual width (its eigenvector maps
/// once pushed it past the window's edge).
#[test]
fn the_place_cells_panel_shows_fields_and_eigenvectors_within_its_width() {
    let drawn = drawn("successor_maze.ron", 3000, |m| {
        matches!(m, Mechanism::Successor(_))
    });
    let Mechanism::Successor(successor) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let mut harness = in_insight_panel(drawn);
    harness.run();
    harness.get_by_label("Place cells");
    let (x, y) = (successor.electrode % 9, successor.electrode / 9);
    harness.get_by_label(&format!("place field of column {x}, row {y}"));
    assert_eq!(successor.eigenvectors.len(), 8);
    for (k, (value, _)) in successor.eigenvectors.iter().enumerate() {
        harness.get_by_label(&format!("{}: λ {value:.2}", k + 1));
    }
    assert_usual_width(&harness);
    assert_eq!(
        harness.state().commands,
        Vec::new(),
        "drawing sends nothing"
    );
}

/// The dopamine panel of the conditioning scene: its numbers as the frame holds them, the raster
/// aligned to the cue, a switch to the reward that sends nothing, and the omission button's one
/// command; within the panel's usual width.
#[test]
fn the_dopamine_panel_shows_the_raster_and_sends_its_controls() {
    let drawn = drawn_where("dopamine.ron", 1500, |a| a.dopamine.is_some());
    let dopamine = drawn.frame.arenas[drawn.selected]
        .dopamine
        .clone()
        .expect("a dopamine view");
    assert!(dopamine.cue.is_some() && dopamine.reward.is_some());
    let mut harness = in_insight_panel(drawn);
    harness.run();
    harness.get_by_label("Dopamine: the TD error δ");
    harness.get_by_label(&format!(
        "δ at the latest step: {}   ·   trials: {}",
        super::charts::two_places(dopamine.latest.expect("a step")),
        dopamine.trials
    ));
    harness.get_by_label("Raster: trials down, steps across, aligned to the cue");
    harness.get_by_label("Mean δ: early trials against late ones");
    assert_usual_width(&harness);
    harness.get_by_label("the reward").click();
    harness.run();
    harness.get_by_label("Raster: trials down, steps across, aligned to the reward");
    click_sends(
        harness,
        "Omit next reward",
        Command::Trial(TrialControl::OmitNextReward),
    );
}

/// A maze has no cue: aligned to it, the raster is left out with a note, not a panic.
#[test]
fn a_dopamine_raster_without_its_event_says_so() {
    let drawn = drawn_where("cliff_walk.ron", 2000, |a| a.dopamine.is_some());
    assert!(
        drawn.frame.arenas[drawn.selected]
            .dopamine
            .as_ref()
            .unwrap()
            .cue
            .is_none()
    );
    let mut harness = harness(drawn);
    harness.get_by_label("Raster: trials down, steps across, aligned to the reward");
    harness.get_by_label("the cue").click();
    harness.run();
    harness.get_by_label_contains("No trial had a cue here");
    assert!(
        harness
            .query_by_label_contains("aligned to the cue")
            .is_none()
    );
    assert_eq!(harness.state().commands, Vec::new());
}

/// The replay panel shows its counts as the insight holds them, the latest rest and its
/// sequences, the gain and need maps, within the panel's usual width; its lesion sends one command.
#[test]
fn the_replay_panel_shows_its_counts_and_its_latest_rest() {
    let drawn = drawn(
        "replay.ron",
        3000,
        |m| matches!(m, Mechanism::Replay(r) if r.last_rest.is_some()),
    );
    let Mechanism::Replay(replay) = mechanism(&drawn).clone() else {
        unreachable!()
    };
    let mut harness = in_insight_panel(drawn);
    harness.run();
    harness.get_by_label("Replay at rest");
    harness.get_by_label("at the start (before a run)");
    for count in replay.counts.start.iter().chain(&replay.counts.goal) {
        assert!(harness.get_all_by_label(&count.to_string()).count() > 0);
    }
    harness.get_by_label(&format!("{} replays in all", replay.replays));
    let rest = replay.last_rest.as_ref().expect("a rest");
    harness.get_by_label(&format!(
        "Latest rest: {}, after step {}: {} replays",
        match rest.at {
            crate::brain::RestAt::Start => "at the start",
            crate::brain::RestAt::Goal => "at the goal",
            crate::brain::RestAt::Step => "between steps",
        },
        rest.step,
        rest.replays
    ));
    harness.get_by_label("Need when the rest began");
    assert_usual_width(&harness);
    click_sends(
        harness,
        "lesion (no replay)",
        Command::SetHyperparameter {
            arena: 0,
            name: "lesion".into(),
            value: 1.0,
        },
    );
}

/// The water-maze panel of a trained pool: the latency plot, the probe's quadrants with the
/// platform's share as the record holds it, and the trials after the move, within the usual width.
#[test]
fn the_water_maze_panel_shows_latency_the_probe_and_the_move() {
    let drawn = drawn_where("water_maze.ron", 4000, |a| {
        a.world.pool().is_some_and(|p| p.trials.len() > 45)
    });
    let pool = drawn.frame.arenas[drawn.selected]
        .world
        .pool()
        .expect("a pool")
        .clone();
    let probe = pool.trials.iter().find(|t| t.probe).expect("a probe");
    let mut harness = in_insight_panel(drawn);
    harness.run();
    harness.get_by_label("The water maze");
    harness.get_by_label("Escape latency per trial (steps)");
    harness.get_by_label(&format!(
        "Probe trial {}: time in each quadrant",
        probe.number
    ));
    harness.get_by_label("After the platform moved");
    let first_after = pool
        .trials
        .iter()
        .find(|t| t.old.is_some())
        .expect("a move");
    let old = first_after.old.expect("moved");
    harness.get_by_label(&format!(
        "{:.0}% ({})",
        100.0 * first_after.share(old),
        crate::world::QUADRANTS[usize::from(old)]
    ));
    assert_usual_width(&harness);
    assert_eq!(
        harness.state().commands,
        Vec::new(),
        "drawing sends nothing"
    );
}
