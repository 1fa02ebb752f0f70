//! The agents' insights, read once after stepping and shared by every panel and map overlay.

use bevy::prelude::*;

use super::sim::Sim;
use crate::brain::Insight;
use crate::experiment::Arena;

/// What every agent shows of itself, as of the simulation's last change.
#[derive(Resource, Debug, Default)]
pub struct Insights {
    /// One per arena, in scene order.
    pub arenas: Vec<Insight>,
    /// The [`Sim::version`] they were read at.
    version: Option<u64>,
}

impl Insights {
    /// Arena `index`'s insight (an empty one before the first read).
    pub fn of(&self, index: usize) -> &Insight {
        static EMPTY: std::sync::OnceLock<Insight> = std::sync::OnceLock::new();
        self.arenas
            .get(index)
            .unwrap_or_else(|| EMPTY.get_or_init(Insight::default))
    }
}

/// Reads the insights after the simulation stepped.
pub fn plugin(app: &mut App) {
    app.init_resource::<Insights>()
        .add_systems(Update, read_insights.in_set(super::AppSystems::Insight));
}

/// Asks every agent for its insight, once per change of the simulation (not every frame).
fn read_insights(sim: Option<Res<Sim>>, mut insights: ResMut<Insights>) {
    let Some(sim) = sim else {
        return;
    };
    if insights.version == Some(sim.version()) {
        return;
    }
    insights.arenas = sim
        .experiment()
        .arenas()
        .iter()
        .map(Arena::insight)
        .collect();
    insights.version = Some(sim.version());
}
