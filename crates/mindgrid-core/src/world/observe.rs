//! Observations: the state index for tabular agents, one-hot planes of the full map, or an egocentric window.

use super::{Cell, Colour, GridWorld, Teacher, View};

/// Planes of a full observation: wall, goal, lava, red, blue, yellow, agent.
pub const FULL_PLANES: usize = 7;
/// One-hot kinds per cell of an egocentric window: floor, wall, goal, lava, red, blue, yellow,
/// outside, and a cue tile showing red, blue or yellow (floor while there is no target).
pub const EGO_CELL_KINDS: usize = 11;

/// What an agent is given each step: the tabular state and a read-only look at the world,
/// through which it builds the feature vector its view allows.
#[derive(Clone, Copy)]
pub struct Observation<'a> {
    /// The agent's cell index: the state for tabular agents.
    pub state: usize,
    world: &'a GridWorld,
}

/// The one-hot index of a cell in an egocentric window (`None`: outside the map); a cue tile's
/// index says which target colour it shows.
pub fn ego_kind(cell: Option<Cell>, target: Option<Colour>) -> usize {
    match cell {
        Some(Cell::Cue) => match target {
            Some(Colour::Red) => 8,
            Some(Colour::Blue) => 9,
            Some(Colour::Yellow) => 10,
            None => 0,
        },
        Some(Cell::Floor) => 0,
        Some(Cell::Wall) => 1,
        Some(Cell::Goal) => 2,
        Some(Cell::Lava) => 3,
        Some(Cell::Object(Colour::Red)) => 4,
        Some(Cell::Object(Colour::Blue)) => 5,
        Some(Cell::Object(Colour::Yellow)) => 6,
        None => 7,
    }
}

impl<'a> Observation<'a> {
    /// The observation of `world` as it is now.
    pub fn of(world: &'a GridWorld) -> Self {
        Self {
            state: world.agent(),
            world,
        }
    }

    /// The world being observed (its map is public knowledge to the window, not to agents:
    /// agents should read it only through [`Observation::write_features`]).
    pub fn world(&self) -> &'a GridWorld {
        self.world
    }

    /// The teacher of the imitation learners for the world as it is now: the explicit channel
    /// through which they are told the shortest-path moves (other agents never ask it).
    pub fn teacher(&self) -> Teacher<'a> {
        Teacher::of(self.world)
    }

    /// The colour the task names, given to agents as a cue input.
    pub fn cue(&self) -> Option<Colour> {
        self.world.rules.target
    }

    /// Whether the conditioning cue is on now (it comes for one step; [`GridWorld::cue_on`]).
    pub fn cue_on(&self) -> bool {
        self.world.cue_on()
    }

    /// Length of the feature vector for the world's view.
    pub fn feature_len(&self) -> usize {
        match self.world.view {
            View::Full => FULL_PLANES * self.world.cell_count(),
            View::Egocentric { radius } => {
                let side = 2 * radius as usize + 1;
                side * side * EGO_CELL_KINDS
            }
        }
    }

    /// Writes the feature vector (one-hot planes, or the egocentric window) into `out`.
    pub fn write_features(&self, out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.feature_len(), 0.0);
        let world = self.world;
        match world.view {
            View::Full => {
                let n = world.cell_count();
                for (i, &cell) in world.cells().iter().enumerate() {
                    let plane = match cell {
                        // Full-view agents get the cue as an input; cue tiles have no plane.
                        Cell::Floor | Cell::Cue => None,
                        Cell::Wall => Some(0),
                        Cell::Goal => Some(1),
                        Cell::Lava => Some(2),
                        Cell::Object(Colour::Red) => Some(3),
                        Cell::Object(Colour::Blue) => Some(4),
                        Cell::Object(Colour::Yellow) => Some(5),
                    };
                    if let Some(plane) = plane {
                        out[plane * n + i] = 1.0;
                    }
                }
                out[6 * n + self.state] = 1.0;
            }
            View::Egocentric { radius } => {
                let r = radius as i32;
                let (ax, ay) = world.xy(self.state);
                let side = 2 * r + 1;
                for dy in -r..=r {
                    for dx in -r..=r {
                        let slot = ((dy + r) * side + (dx + r)) as usize;
                        let kind = ego_kind(
                            world.cell_at(ax as i32 + dx, ay as i32 + dy),
                            world.rules.target,
                        );
                        out[slot * EGO_CELL_KINDS + kind] = 1.0;
                    }
                }
            }
        }
    }
}
