//! Keyboard shortcuts: Space play/pause, Right single step, +/- speed, R reset, H help, F12 screenshot.

use bevy::prelude::*;

use super::sim::Sim;

/// What the keys toggle outside the simulation.
#[derive(Resource, Debug, Default)]
pub struct KeyRequests {
    /// The help overlay is open.
    pub help_open: bool,
    /// A screenshot was asked for (F12).
    pub screenshot: bool,
}

/// The keys and what they do, for the help overlay and the README.
pub const KEY_HELP: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("Right", "one step (pauses)"),
    ("+ / -", "faster / slower"),
    ("R", "reset every agent"),
    ("V", "value overlay on / off"),
    ("T", "trail on / off"),
    ("Tab", "select the next arena"),
    ("F12", "save a screenshot (mindgrid-N.png)"),
    ("H", "this help"),
];

/// Reads the keyboard each frame.
pub fn plugin(app: &mut App) {
    app.init_resource::<KeyRequests>()
        .init_resource::<Overlays>()
        .add_systems(Update, handle_keys.in_set(super::AppSystems::Input));
}

/// Which map overlays are drawn.
#[derive(Resource, Debug)]
pub struct Overlays {
    /// Value colours and greedy-action arrows of the selected agent's insight.
    pub values: bool,
    /// The fading trail of recent moves.
    pub trail: bool,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            values: true,
            trail: true,
        }
    }
}

fn handle_keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    sim: Option<ResMut<Sim>>,
    mut requests: ResMut<KeyRequests>,
    mut overlays: ResMut<Overlays>,
) {
    let (Some(keys), Some(mut sim)) = (keys, sim) else {
        return;
    };
    if keys.just_pressed(KeyCode::Space) {
        sim.playing = !sim.playing;
    }
    if keys.just_pressed(KeyCode::ArrowRight) {
        sim.queue_step();
    }
    if keys.any_just_pressed([KeyCode::Equal, KeyCode::NumpadAdd]) {
        sim.change_speed(1);
    }
    if keys.any_just_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]) {
        sim.change_speed(-1);
    }
    if keys.just_pressed(KeyCode::KeyR) {
        sim.experiment.reset_all();
    }
    if keys.just_pressed(KeyCode::Tab) {
        let arenas = sim.experiment.arenas().len().max(1);
        sim.selected = (sim.selected + 1) % arenas;
    }
    if keys.just_pressed(KeyCode::KeyV) {
        overlays.values = !overlays.values;
    }
    if keys.just_pressed(KeyCode::KeyT) {
        overlays.trail = !overlays.trail;
    }
    if keys.just_pressed(KeyCode::KeyH) {
        requests.help_open = !requests.help_open;
    }
    if keys.just_pressed(KeyCode::F12) {
        requests.screenshot = true;
    }
}
