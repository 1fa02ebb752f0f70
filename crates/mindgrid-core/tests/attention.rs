//! The attention agent learns to look at the cued target among distractors, beats a random agent
//! and the same actor-critic without attention (at the control's best setting; over three seeds
//! it is a claim of the attention lesson), and loses a clear margin when its attention is
//! lesioned.

mod common;

use mindgrid_core::experiment::{Arena, Experiment};

fn success_rate(arena: &Arena, last: usize) -> f32 {
    let episodes = arena.episodes();
    let recent = &episodes[episodes.len().saturating_sub(last)..];
    recent.iter().filter(|e| e.success).count() as f32 / recent.len().max(1) as f32
}

#[test]
fn attention_finds_the_target_and_the_lesion_costs_success() {
    let scene = common::shipped("attention_target.ron");
    let mut experiment = Experiment::new(scene);
    // This seed fixes its attention within 150k steps (some take longer).
    experiment.step_n(150_000);
    let arenas = experiment.arenas();
    let (learned, lesioned, random) = (&arenas[0], &arenas[1], &arenas[2]);
    let insight = learned.insight();
    let attention = insight.attention().expect("the attention panel's data");
    let side = attention.side;
    let mass = attention
        .target_mass
        .last()
        .map(|(_, m)| *m)
        .expect("attention mass is tracked");
    let uniform = 1.0 / (side * side) as f32;
    let rates = [
        success_rate(learned, 300),
        success_rate(lesioned, 300),
        success_rate(random, 300),
    ];
    eprintln!(
        "attention on the target {mass:.2} (uniform {uniform:.3}); success: attention {:.2}, lesioned {:.2}, random {:.2}",
        rates[0], rates[1], rates[2]
    );
    assert!(
        mass >= 0.8,
        "attention mass on the target {mass} (uniform {uniform})"
    );
    assert!(
        rates[0] >= rates[2] + 0.3,
        "attention {} vs random {}",
        rates[0],
        rates[2]
    );
    assert!(
        rates[0] >= rates[1] + 0.25,
        "the lesion costs success: {} vs {}",
        rates[0],
        rates[1]
    );
    // The fair control: the same actor-critic and budget on the flattened view, no attention, at
    // the best setting of its own sweep (the scene's comment has the table; none learns).
    let control = success_rate(&arenas[3], 300);
    eprintln!("the actor-critic without attention: {control:.2}");
    assert!(
        rates[0] >= control + 0.3,
        "attention {} vs the actor-critic without it {control}",
        rates[0]
    );
    let last = attention
        .entropy
        .last()
        .map(|(_, e)| *e)
        .expect("entropy is tracked");
    assert!(
        last < 0.5 * attention.uniform_entropy,
        "attention is focused: entropy {last} of {}",
        attention.uniform_entropy
    );
    assert_eq!(attention.heads.len(), 1);
    assert_eq!(attention.heads[0].len(), side * side);
}

#[test]
fn without_a_cue_input_three_heads_learn_to_read_the_cue_tile() {
    let mut scene = common::shipped("attention_cue.ron");
    // The attention agent and its lesioned twin (the control is checked in attention_target).
    scene.agents.truncate(2);
    let mut experiment = Experiment::new(scene);
    experiment.step_n(100_000);
    let arenas = experiment.arenas();
    let (heads, lesioned) = (success_rate(&arenas[0], 300), success_rate(&arenas[1], 300));
    let insight = arenas[0].insight();
    let attention = insight.attention().expect("the attention panel's data");
    // The sharpest head: the largest weight any head gives one cell.
    let peak = attention
        .heads
        .iter()
        .flatten()
        .copied()
        .fold(0.0f32, f32::max);
    eprintln!(
        "cue in the world: 3 heads {heads:.2}, lesioned {lesioned:.2}; sharpest head's peak weight {peak:.2}"
    );
    assert!(
        heads >= 0.75,
        "reading the cue tile, the agent finds the right object: {heads}"
    );
    assert!(
        heads >= lesioned + 0.3,
        "the lesion costs success: {heads} vs {lesioned}"
    );
    assert!(peak >= 0.8, "a head fixes on one cell: {peak}");
}
