//! Grid worlds: cells, the legend that maps map characters to cells, dynamics and observations.

mod conditioning;
mod observe;
mod pool;
mod task;
mod teacher;

pub use conditioning::{
    Conditioning, MOST_REWARD, MOST_TRIAL_STEPS, Probe, Trial, reward_probability, reward_size,
};
pub use observe::{EGO_CELL_KINDS, FULL_PLANES, Observation, ego_kind};
pub use pool::{MOST_PROBES, MOST_STARTS, MOST_TRIALS, Pool, PoolState, PoolTrial, QUADRANTS};
pub use task::TaskChange;
pub use teacher::{BestMoves, Placements, Teacher};

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ArenaRng;

/// A coloured object's colour (`r`, `b`, `y` on a map).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Colour {
    /// `r` on a map.
    Red,
    /// `b` on a map.
    Blue,
    /// `y` on a map.
    Yellow,
}

impl Colour {
    /// Every colour, in legend order.
    pub const ALL: [Colour; 3] = [Colour::Red, Colour::Blue, Colour::Yellow];
}

/// What one cell of the grid holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cell {
    /// Walkable floor (`.`, and `S`, the start).
    Floor,
    /// Blocks movement (`#`).
    Wall,
    /// Ends the episode with the goal reward (`G`).
    Goal,
    /// Ends the episode with the lava reward (`L`).
    Lava,
    /// A coloured object: ends the episode; the target colour pays the goal reward.
    Object(Colour),
    /// A cue tile (`c`): walkable floor painted in the current target colour. An agent not given
    /// the cue as an input has to look at the tile to know which object to go to.
    Cue,
}

impl Cell {
    /// The legend: which cell a map character stands for, and whether it is the start.
    pub fn from_char(c: char) -> Option<(Cell, bool)> {
        Some(match c {
            '.' | ' ' => (Cell::Floor, false),
            'S' => (Cell::Floor, true),
            '#' => (Cell::Wall, false),
            'G' => (Cell::Goal, false),
            'L' => (Cell::Lava, false),
            'r' => (Cell::Object(Colour::Red), false),
            'b' => (Cell::Object(Colour::Blue), false),
            'y' => (Cell::Object(Colour::Yellow), false),
            'c' => (Cell::Cue, false),
            _ => return None,
        })
    }

    /// The map character of the cell (the start, floor under it, is written `S` by the map).
    pub fn symbol(self) -> char {
        match self {
            Cell::Floor => '.',
            Cell::Wall => '#',
            Cell::Goal => 'G',
            Cell::Lava => 'L',
            Cell::Object(Colour::Red) => 'r',
            Cell::Object(Colour::Blue) => 'b',
            Cell::Object(Colour::Yellow) => 'y',
            Cell::Cue => 'c',
        }
    }

    /// The characters the legend knows, for error messages.
    pub const LEGEND: &'static str = "'.' floor, '#' wall, 'S' start, 'G' goal, 'L' lava, 'r' 'b' 'y' coloured objects, 'c' cue tile";

    /// Whether entering this cell ends the episode.
    pub fn is_terminal(self) -> bool {
        matches!(self, Cell::Goal | Cell::Lava | Cell::Object(_))
    }
}

/// One of the four moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// North (towards row 0).
    Up,
    /// East.
    Right,
    /// South.
    Down,
    /// West.
    Left,
}

impl Action {
    /// The four moves, indexed as agents index their outputs.
    pub const ALL: [Action; 4] = [Action::Up, Action::Right, Action::Down, Action::Left];
    /// How many actions there are.
    pub const COUNT: usize = 4;

    /// The action's index in [`Action::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The action with index `i` (taken modulo 4).
    pub fn from_index(i: usize) -> Action {
        Action::ALL[i % 4]
    }

    /// Column and row offsets of the move.
    pub fn delta(self) -> (i32, i32) {
        match self {
            Action::Up => (0, -1),
            Action::Right => (1, 0),
            Action::Down => (0, 1),
            Action::Left => (-1, 0),
        }
    }
}

/// What the agent sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    /// The whole map, as one-hot planes.
    #[default]
    Full,
    /// A square window of side `2 * radius + 1` centred on the agent.
    Egocentric {
        /// Cells seen in each direction (1 to 7).
        radius: u32,
    },
}

/// The rewards and rules of a world; a task schedule may change them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// Reward for entering the goal (or the target object).
    pub goal_reward: f32,
    /// Reward for entering lava.
    pub lava_reward: f32,
    /// Reward for entering an object that is not the target colour.
    pub distractor_reward: f32,
    /// Reward for every other step.
    pub step_reward: f32,
    /// Probability that the move taken is replaced by a uniformly random one.
    pub slip: f32,
    /// Steps after which an episode is cut off.
    pub max_steps: u32,
    /// Which object colour counts as the goal, if any.
    pub target: Option<Colour>,
    /// At every reset, the start, goals and objects move to random free cells.
    pub shuffle: bool,
    /// At every reset, the target colour is drawn from the colours on the map.
    pub random_target: bool,
    /// Lava sends the agent back to the start (with its reward) instead of ending the episode,
    /// as the cliff does in Sutton & Barto's example 6.6.
    pub lava_to_start: bool,
    /// A Pavlovian protocol: the agent is carried along the track from the start, with a cue and
    /// a reward at their times ([`Conditioning`]); `None` in every other world.
    pub conditioning: Option<Conditioning>,
    /// The standard deviation of Gaussian noise on the goal's reward, drawn at each arrival (0:
    /// the same reward every time).
    pub reward_noise: f32,
    /// A water-maze protocol: starts by blocks, probe trials, time in each quadrant ([`Pool`]);
    /// `None` in every other world.
    pub pool: Option<Pool>,
}

/// What one step did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepOutcome {
    /// The move that really happened (differs from the chosen one after a slip).
    pub executed: Action,
    /// Reward received.
    pub reward: f32,
    /// The episode ended in a terminal cell.
    pub terminal: bool,
    /// The episode was cut off by the step limit.
    pub truncated: bool,
    /// The episode ended at the goal or the target object.
    pub success: bool,
}

/// A rectangular grid world with one agent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GridWorld {
    width: usize,
    height: usize,
    cells: Vec<Cell>,
    start: usize,
    agent: usize,
    steps: u32,
    /// Rewards and rules in force.
    pub rules: Rules,
    /// What the agent sees.
    pub view: View,
    /// The conditioning trial under way (worlds with a protocol).
    trial: Option<Trial>,
    /// The lecturer's change waiting for the next trial.
    next_probe: Option<Probe>,
    /// The water maze's trial and record (worlds with a pool).
    pool: Option<PoolState>,
}

impl GridWorld {
    /// A world from a map (rows of legend characters). The scene validator has already checked
    /// the map; here an unknown character is floor and a missing start is the first floor cell.
    pub fn from_rows(rows: &[String], rules: Rules, view: View) -> Self {
        let height = rows.len().max(1);
        let width = rows
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(1)
            .max(1);
        let mut cells = vec![Cell::Wall; width * height];
        let mut start = None;
        for (y, row) in rows.iter().enumerate() {
            for (x, c) in row.chars().enumerate() {
                let (cell, is_start) = Cell::from_char(c).unwrap_or((Cell::Floor, false));
                cells[y * width + x] = cell;
                if is_start && start.is_none() {
                    start = Some(y * width + x);
                }
            }
        }
        let start = start
            .or_else(|| cells.iter().position(|&c| c == Cell::Floor))
            .unwrap_or(0);
        Self {
            width,
            height,
            cells,
            start,
            agent: start,
            steps: 0,
            rules,
            view,
            trial: None,
            next_probe: None,
            pool: None,
        }
    }

    /// Whether a world read from a snapshot is one a scene could make: sides of
    /// [`crate::edit::MIN_SIDE`] to [`crate::edit::MAX_SIDE`] within [`crate::scene::MAX_CELLS`]
    /// cells, the start and the agent on the map and off the walls, finite rewards, a slip
    /// probability, a step limit and a view radius within the scene limits.
    pub fn check(&self) -> Result<(), String> {
        use crate::edit::{MAX_SIDE, MIN_SIDE};
        use crate::scene::{MAX_CELLS, MAX_EPISODE_STEPS, MAX_VIEW_RADIUS};
        let (w, h) = (self.width, self.height);
        if !(MIN_SIDE..=MAX_SIDE).contains(&w)
            || !(MIN_SIDE..=MAX_SIDE).contains(&h)
            || w * h > MAX_CELLS
        {
            return Err(format!(
                "the map is {w} x {h}; expected sides of {MIN_SIDE} to {MAX_SIDE} and at most {MAX_CELLS} cells"
            ));
        }
        if self.cells.len() != w * h {
            return Err(format!(
                "the map has {} cells for {w} x {h}",
                self.cells.len()
            ));
        }
        for (what, cell) in [("the start", self.start), ("the agent", self.agent)] {
            if cell >= self.cells.len() {
                return Err(format!(
                    "{what} is at cell {cell}, outside the {w} x {h} map"
                ));
            }
            if self.cells[cell] == Cell::Wall {
                let (x, y) = self.xy(cell);
                return Err(format!("{what} is on a wall at ({x}, {y})"));
            }
        }
        let rules = &self.rules;
        let rewards = [
            rules.goal_reward,
            rules.lava_reward,
            rules.distractor_reward,
            rules.step_reward,
        ];
        if !rewards.iter().all(|r| r.is_finite()) {
            return Err(format!("a reward is not a finite number: {rewards:?}"));
        }
        if !(0.0..=1.0).contains(&rules.slip) {
            return Err(format!("the slip is {}; expected 0 to 1", rules.slip));
        }
        if !(1..=MAX_EPISODE_STEPS).contains(&rules.max_steps) || self.steps > rules.max_steps {
            return Err(format!(
                "the episode is at step {} of {}; expected a limit of 1 to {MAX_EPISODE_STEPS}",
                self.steps, rules.max_steps
            ));
        }
        if let Some(protocol) = &rules.conditioning {
            if let Some((field, error)) = protocol.errors().into_iter().next() {
                return Err(format!("its conditioning {field} is wrong: {error}"));
            }
            if let Some(trial) = &self.trial
                && (trial.ends_at > rules.max_steps
                    || trial.reward_at > trial.ends_at
                    || trial.cue_at > trial.reward_at)
            {
                return Err(format!("its conditioning trial is damaged: {trial:?}"));
            }
        }
        if let View::Egocentric { radius } = self.view
            && !(1..=MAX_VIEW_RADIUS).contains(&radius)
        {
            return Err(format!(
                "the view radius is {radius}; expected 1 to {MAX_VIEW_RADIUS}"
            ));
        }
        if !(0.0..=MOST_REWARD).contains(&rules.reward_noise) {
            return Err(format!(
                "the reward noise is {}; expected 0 to {MOST_REWARD}",
                rules.reward_noise
            ));
        }
        if let Some(protocol) = &rules.pool {
            if let Some((field, error)) = protocol.errors(rules.max_steps).into_iter().next() {
                return Err(format!("its pool {field} is wrong: {error}"));
            }
            if protocol
                .starts
                .iter()
                .any(|&(x, y)| x as usize >= w || y as usize >= h)
            {
                return Err(format!("a start of its pool is off the {w} x {h} map"));
            }
            if let Some(pool) = &self.pool {
                pool.check(self.cell_count(), protocol.starts.len())?;
            }
        }
        Ok(())
    }

    /// Columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Number of cells, which is also the number of tabular states.
    pub fn cell_count(&self) -> usize {
        self.cells.len()
    }

    /// The cell at index `i` (row-major).
    pub fn cell(&self, i: usize) -> Cell {
        self.cells[i]
    }

    /// The floor cells, in row-major order.
    pub fn floor_cells(&self) -> Vec<usize> {
        (0..self.cell_count())
            .filter(|&i| self.cell(i) == Cell::Floor)
            .collect()
    }

    /// All cells, row-major.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The cell at column `x`, row `y`, or `None` outside the map.
    pub fn cell_at(&self, x: i32, y: i32) -> Option<Cell> {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            None
        } else {
            Some(self.cells[y as usize * self.width + x as usize])
        }
    }

    /// The agent's cell index.
    pub fn agent(&self) -> usize {
        self.agent
    }

    /// The start cell index.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Steps taken in the current episode.
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// Column and row of cell index `i`.
    pub fn xy(&self, i: usize) -> (usize, usize) {
        (i % self.width, i / self.width)
    }

    /// Puts the agent back on the start cell for a new episode.
    pub fn reset(&mut self) {
        self.agent = self.start;
        self.steps = 0;
    }

    /// Starts a new episode: shuffles the start, goals and objects and draws the target colour
    /// when the rules ask for it, then puts the agent on the start.
    pub fn reset_with(&mut self, rng: &mut ArenaRng) {
        if self.rules.shuffle {
            let mut items = Vec::new();
            let mut free = Vec::new();
            for i in 0..self.cells.len() {
                match self.cells[i] {
                    Cell::Goal | Cell::Object(_) | Cell::Cue => {
                        items.push(self.cells[i]);
                        self.cells[i] = Cell::Floor;
                        free.push(i);
                    }
                    Cell::Floor => free.push(i),
                    Cell::Wall | Cell::Lava => {}
                }
            }
            // A partial Fisher-Yates shuffle picks distinct cells for the items and the start.
            let picks = (items.len() + 1).min(free.len());
            for k in 0..picks {
                let j = rng.random_range(k..free.len());
                free.swap(k, j);
            }
            for (item, &cell) in items.iter().zip(&free) {
                self.cells[cell] = *item;
            }
            if let Some(&start) = free.get(items.len()) {
                self.start = start;
            }
        }
        if self.rules.random_target {
            let present: Vec<Colour> = Colour::ALL
                .into_iter()
                .filter(|c| self.cells.contains(&Cell::Object(*c)))
                .collect();
            if !present.is_empty() {
                self.rules.target = Some(present[rng.random_range(0..present.len())]);
            }
        }
        self.start_pool_trial(rng);
        self.reset();
        self.start_trial(rng);
    }

    /// Whether entering `cell` succeeds (the goal, or an object of the target colour).
    pub fn is_goal(&self, cell: Cell) -> bool {
        match cell {
            Cell::Goal => true,
            Cell::Object(colour) => Some(colour) == self.rules.target,
            _ => false,
        }
    }

    /// Moves from the goal (or target) to every cell, never passing through walls or other
    /// terminal cells; `usize::MAX` where no goal can be reached.
    pub fn distances_to_goal(&self) -> Vec<usize> {
        let mut distance = vec![usize::MAX; self.cells.len()];
        let mut queue = std::collections::VecDeque::new();
        for (i, &cell) in self.cells.iter().enumerate() {
            if self.is_goal(cell) {
                distance[i] = 0;
                queue.push_back(i);
            }
        }
        while let Some(cell) = queue.pop_front() {
            for action in Action::ALL {
                // Moves are reversible on a grid: a neighbour that can step here is one step further.
                let next = self.neighbour(cell, action);
                if next != cell
                    && distance[next] == usize::MAX
                    && !self.cells[next].is_terminal()
                    && self.cells[next] != Cell::Wall
                {
                    distance[next] = distance[cell] + 1;
                    queue.push_back(next);
                }
            }
        }
        distance
    }

    /// The moves from `from` that lie on a shortest path to the goal: the teacher's answer, given
    /// to agents only through [`Teacher`].
    pub(crate) fn optimal_moves(&self, from: usize, distances: &[usize]) -> [bool; Action::COUNT] {
        let mut best = [false; Action::COUNT];
        let here = distances[from];
        if here == usize::MAX || here == 0 {
            return best;
        }
        for action in Action::ALL {
            let next = self.neighbour(from, action);
            best[action.index()] = distances[next] == here - 1;
        }
        best
    }

    /// Where `action` leads from cell `from`, ignoring slip (walls and edges block).
    pub fn neighbour(&self, from: usize, action: Action) -> usize {
        let (x, y) = self.xy(from);
        let (dx, dy) = action.delta();
        let (nx, ny) = (x as i32 + dx, y as i32 + dy);
        match self.cell_at(nx, ny) {
            None | Some(Cell::Wall) => from,
            Some(_) => ny as usize * self.width + nx as usize,
        }
    }

    /// Moves the agent: with probability `slip` the move is replaced by a random one.
    pub fn step(&mut self, action: Action, rng: &mut ArenaRng) -> StepOutcome {
        if let (Some(trial), Some(protocol)) = (self.trial, self.rules.conditioning.clone()) {
            let (reward, over, rewarded) = self.trial_step(trial, &protocol);
            return StepOutcome {
                executed: Action::Right,
                reward,
                terminal: over,
                truncated: !over && self.steps >= self.rules.max_steps,
                success: over && rewarded,
            };
        }
        let executed = if self.rules.slip > 0.0 && rng.random::<f32>() < self.rules.slip {
            Action::from_index(rng.random_range(0..Action::COUNT))
        } else {
            action
        };
        self.agent = self.neighbour(self.agent, executed);
        self.steps += 1;
        let (reward, terminal, success) = match self.cells[self.agent] {
            Cell::Goal => (self.goal_reward(rng), true, true),
            Cell::Lava if self.rules.lava_to_start => {
                self.agent = self.start;
                (self.rules.lava_reward, false, false)
            }
            Cell::Lava => (self.rules.lava_reward, true, false),
            Cell::Object(colour) if Some(colour) == self.rules.target => {
                (self.rules.goal_reward, true, true)
            }
            Cell::Object(_) => (self.rules.distractor_reward, true, false),
            Cell::Floor | Cell::Wall | Cell::Cue => (self.rules.step_reward, false, false),
        };
        let probe_over = self.rules.pool.is_some() && self.pool_step(success);
        StepOutcome {
            executed,
            reward,
            terminal,
            truncated: !terminal && (self.steps >= self.rules.max_steps || probe_over),
            success,
        }
    }

    /// The goal's reward, with its noise when the rules ask for it (a Gaussian by Box-Muller; no
    /// draw without noise, so noiseless worlds keep their random streams).
    fn goal_reward(&self, rng: &mut ArenaRng) -> f32 {
        let sd = self.rules.reward_noise;
        if sd <= 0.0 {
            return self.rules.goal_reward;
        }
        let u1: f32 = 1.0 - rng.random::<f32>();
        let u2: f32 = rng.random();
        let normal = (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos();
        self.rules.goal_reward + sd * normal
    }

    /// The shortest number of moves from the start to a goal (or target), ignoring slip;
    /// `None` when no goal can be reached without crossing walls or ending on lava.
    pub fn shortest_path_to_goal(&self) -> Option<usize> {
        let is_goal = |cell: Cell| self.is_goal(cell);
        let mut distance = vec![usize::MAX; self.cells.len()];
        let mut queue = std::collections::VecDeque::from([self.start]);
        distance[self.start] = 0;
        while let Some(cell) = queue.pop_front() {
            if is_goal(self.cells[cell]) {
                return Some(distance[cell]);
            }
            if self.cells[cell].is_terminal() && cell != self.start {
                continue;
            }
            for action in Action::ALL {
                let next = self.neighbour(cell, action);
                if distance[next] == usize::MAX {
                    distance[next] = distance[cell] + 1;
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// Whether the map has any goal cell or a target object.
    pub fn has_goal(&self) -> bool {
        self.cells.iter().any(|&c| self.is_goal(c))
            || (self.rules.random_target && self.cells.iter().any(|c| matches!(c, Cell::Object(_))))
    }

    /// Replaces the cell at index `i`.
    pub fn set_cell(&mut self, i: usize, cell: Cell) {
        if i < self.cells.len() {
            self.cells[i] = cell;
        }
    }

    /// Moves the start (the agent moves there at the next reset).
    pub fn set_start(&mut self, i: usize) {
        if i < self.cells.len() {
            self.start = i;
        }
    }

    /// Puts the agent on cell `i` mid-episode (an edit or a drag in the window).
    pub fn set_agent(&mut self, i: usize) {
        if i < self.cells.len() {
            self.agent = i;
        }
    }

    /// Why agents here cannot succeed, if they cannot: no goal, or no goal reachable from the start
    /// (`None` when the target is drawn each episode, since any object may be it).
    pub fn goal_warning(&self) -> Option<&'static str> {
        if self.rules.random_target || self.rules.conditioning.is_some() {
            None
        } else if !self.has_goal() {
            Some(
                "the map has no goal ('G', or an object of the target colour): agents cannot succeed",
            )
        } else if self.shortest_path_to_goal().is_none() {
            Some("no goal can be reached from the start without crossing walls or lava")
        } else {
            None
        }
    }
}
