//! Whether an experiment read from a snapshot is one this build could have made.

use super::Experiment;
use super::edits::Edit;
use crate::world::Cell;

impl Experiment {
    /// Whether an experiment read from a snapshot is one this build could have made, checked as
    /// a scene is before it replaces anything: the scene passes `check`, every arena's world, map,
    /// trail, episodes and agent are consistent with one another (cells on the map, agents off the
    /// walls, arrays of the shapes the brain declares, finite numbers), and the edit history names
    /// only arenas and cells that exist. A snapshot that passes steps, draws and undoes without a
    /// panic (a property test feeds damaged snapshots through it).
    pub fn check(&self) -> Result<(), String> {
        if let Some(error) = crate::scene::errors_of(&self.scene).into_iter().next() {
            return Err(format!("its scene is not valid: {error}"));
        }
        if self.arenas.len() != self.scene.agents.len() {
            return Err(format!(
                "it has {} arenas for the scene's {} agents",
                self.arenas.len(),
                self.scene.agents.len()
            ));
        }
        let size = self
            .arenas
            .first()
            .map(|a| (a.world.width(), a.world.height()));
        for (i, arena) in self.arenas.iter().enumerate() {
            arena.check(&self.scene, size).map_err(|e| {
                format!("arena {i} ({}): {e}", crate::limits::printable(&arena.name))
            })?;
        }
        let cells = size.map_or(0, |(w, h)| w * h);
        for edit in self.history.iter().chain(&self.undone) {
            let fits = match edit {
                Edit::Paint { arenas, .. } => arenas.iter().all(|(i, painted)| {
                    *i < self.arenas.len()
                        && painted.live.iter().chain(&painted.base).all(|c| {
                            c.cell < cells
                                && Cell::from_char(c.after).is_some()
                                && Cell::from_char(c.before).is_some()
                        })
                }),
                Edit::Reshape { before, after } => {
                    before.len() <= crate::scene::MAX_AGENTS
                        && before.iter().chain([after]).all(|m| m.check().is_ok())
                }
            };
            if !fits {
                return Err("its edit history names an arena or a cell that does not exist".into());
            }
        }
        if self.log.iter().any(|l| l.step > self.steps) {
            return Err("its command log has commands after its last step".into());
        }
        Ok(())
    }

    /// Recomputes what a snapshot does not store.
    pub(crate) fn after_restore(&mut self) {
        for arena in &mut self.arenas {
            arena.map_warning = arena.world.goal_warning();
        }
    }
}
