//! Short messages for the user (a refused edit, a saved file), each shown for a few seconds over
//! the foot of the arenas.

use std::collections::VecDeque;

use bevy::prelude::*;

use super::sim::Sim;

/// The latest notices.
#[derive(Resource, Debug, Default)]
pub struct Notices {
    /// The latest notices with the time they came (seconds since start), newest last.
    pub recent: VecDeque<(f64, String, bool)>,
    /// The last notice of the simulation already shown.
    seen_notice: Option<u64>,
}

/// How long a notice stays, in seconds.
pub const NOTICE_SECONDS: f64 = 6.0;

impl Notices {
    /// Adds a notice (`error` ones are drawn in red).
    pub fn push(&mut self, now: f64, text: impl Into<String>, error: bool) {
        if self.recent.len() == 3 {
            self.recent.pop_front();
        }
        self.recent.push_back((now, text.into(), error));
    }

    /// The notices still showing at `now`.
    pub fn showing(&self, now: f64) -> impl Iterator<Item = &(f64, String, bool)> {
        self.recent
            .iter()
            .filter(move |(at, _, _)| now - at < NOTICE_SECONDS)
    }
}

/// Keeps the notices, and turns the simulation's into notices here.
pub fn plugin(app: &mut App) {
    app.init_resource::<Notices>()
        .add_systems(Update, note_refusals.in_set(super::order::AppSystems::Step));
}

/// Turns the simulation's latest notice (a refusal, a saved file) into a notice here, once.
fn note_refusals(sim: Option<Res<Sim>>, time: Res<Time<Real>>, mut notices: ResMut<Notices>) {
    let Some(sim) = sim else { return };
    if let Some((id, text, error)) = &sim.frame().notice
        && notices.seen_notice != Some(*id)
    {
        notices.seen_notice = Some(*id);
        notices.push(time.elapsed_secs_f64(), text.clone(), *error);
    }
}
