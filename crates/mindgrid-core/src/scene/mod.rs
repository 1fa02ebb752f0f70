//! Scene files: the RON schema, parsing with positions, and validation with `file:line:column` errors.

mod locate;
mod save;

pub use locate::{Position, SourceMap};
pub use save::{new_scene_text, with_rows, write_atomically};

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::brain::BrainSpec;
use crate::world::{Cell, Colour, GridWorld, Rules, TaskChange, View};

/// Most cells a map may have (a 64 x 64 grid).
pub const MAX_CELLS: usize = 4096;
/// Most steps an episode may last.
pub const MAX_EPISODE_STEPS: u32 = 100_000;
/// Most agents (arenas) in one scene.
pub const MAX_AGENTS: usize = 8;
/// Most task switches in a schedule.
pub const MAX_TASKS: usize = 64;
/// Largest egocentric view radius.
pub const MAX_VIEW_RADIUS: u32 = 7;
/// Largest scene file read, in bytes ([`crate::limits::FileKind::Scene`]).
pub const MAX_FILE_BYTES: usize = crate::limits::FileKind::Scene.most_bytes() as usize;

/// A scene: a world, the agents that learn in it, an optional task schedule, the panels to open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    /// Shown in the window's title and the scene panel.
    pub title: String,
    /// Seed of every random stream (each arena derives its own from it).
    #[serde(default)]
    pub seed: u64,
    /// What the scene demonstrates, shown in the scene panel.
    #[serde(default)]
    pub text: String,
    /// The world every arena gets a copy of.
    pub world: WorldSpec,
    /// One arena per agent, side by side.
    pub agents: Vec<AgentSpec>,
    /// Task switches, in order of `after_episodes`.
    #[serde(default)]
    pub tasks: Vec<TaskSpec>,
    /// Which panels the window opens (all by default).
    #[serde(default = "Panel::all")]
    pub panels: Vec<Panel>,
}

/// The world of a scene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorldSpec {
    /// A grid drawn as ASCII rows.
    Grid(GridSpec),
}

/// A grid world drawn as rows of legend characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// The map, one string per row: '.' floor, '#' wall, 'S' start, 'G' goal, 'L' lava, 'r' 'b' 'y' objects.
    pub rows: Vec<String>,
    /// Steps after which an episode is cut off (1 to 100,000).
    #[serde(default = "defaults::max_steps")]
    pub max_steps: u32,
    /// Reward for each ordinary step (a negative value is a step cost).
    #[serde(default)]
    pub step_reward: f32,
    /// Reward for reaching the goal (or the target object).
    #[serde(default = "defaults::goal_reward")]
    pub goal_reward: f32,
    /// Reward for stepping into lava (which ends the episode).
    #[serde(default = "defaults::lava_reward")]
    pub lava_reward: f32,
    /// Reward for touching an object that is not the target (which ends the episode).
    #[serde(default)]
    pub distractor_reward: f32,
    /// Probability in [0, 1] that a move is replaced by a random one.
    #[serde(default)]
    pub slip: f32,
    /// What the agents see.
    #[serde(default)]
    pub view: View,
    /// Which object colour counts as the goal.
    #[serde(default)]
    pub target: Option<Colour>,
    /// Each episode, move the start, goals and objects to random free cells.
    #[serde(default)]
    pub shuffle: bool,
    /// Each episode, draw the target colour from the objects on the map (the agent sees it as a cue).
    #[serde(default)]
    pub random_target: bool,
    /// Lava sends the agent back to the start instead of ending the episode (Sutton & Barto's
    /// cliff, example 6.6). Off by default: lava ends the episode.
    #[serde(default)]
    pub lava_to_start: bool,
    /// A Pavlovian protocol on a track: the agents are carried right from the start, a cue comes
    /// after a random wait and the reward a fixed delay later (the dopamine scenes).
    #[serde(default)]
    pub conditioning: Option<crate::world::Conditioning>,
    /// The standard deviation of Gaussian noise on the goal's reward at each arrival (0 to 10;
    /// 0: the same reward every time).
    #[serde(default)]
    pub reward_noise: f32,
    /// A water maze: the map is the pool and its goal the hidden platform; trials start from these
    /// cells in a random order per block, and probe trials take the platform away.
    #[serde(default)]
    pub pool: Option<crate::world::Pool>,
}

mod defaults {
    pub fn max_steps() -> u32 {
        500
    }
    pub fn goal_reward() -> f32 {
        1.0
    }
    pub fn lava_reward() -> f32 {
        -1.0
    }
}

/// One agent: its label and its brain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentSpec {
    /// Label of its arena.
    pub name: String,
    /// Kind and hyperparameters.
    pub brain: BrainSpec,
}

/// A task switch: once the task before it is in force and an arena has completed
/// `after_episodes` episodes (or taken `after_steps` steps), apply `changes` to its world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// Label of the task that starts here.
    #[serde(default)]
    pub name: String,
    /// Episodes completed before the switch (at an episode boundary).
    #[serde(default)]
    pub after_episodes: Option<u32>,
    /// Steps taken before the switch (it may happen mid-episode, as in Sutton & Barto's blocking maze).
    #[serde(default)]
    pub after_steps: Option<u64>,
    /// What changes.
    pub changes: Vec<TaskChange>,
}

/// A panel of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    /// Scene text, agent hyperparameter sliders.
    Agent,
    /// What the selected agent thinks (values, facts).
    Insight,
    /// Learning curves.
    Curves,
}

impl Panel {
    /// Every panel.
    pub fn all() -> Vec<Panel> {
        vec![Panel::Agent, Panel::Insight, Panel::Curves]
    }
}

impl Scene {
    /// A world built from the scene's map and rules (before any task switch).
    pub fn build_world(&self) -> GridWorld {
        let WorldSpec::Grid(grid) = &self.world;
        self.build_world_on(&grid.rows)
    }

    /// The scene's map rows.
    pub fn rows(&self) -> &[String] {
        let WorldSpec::Grid(grid) = &self.world;
        &grid.rows
    }

    /// A world with the scene's rules on another map (an edited one).
    pub fn build_world_on(&self, rows: &[String]) -> GridWorld {
        let WorldSpec::Grid(grid) = &self.world;
        GridWorld::from_rows(
            rows,
            Rules {
                goal_reward: grid.goal_reward,
                lava_reward: grid.lava_reward,
                distractor_reward: grid.distractor_reward,
                step_reward: grid.step_reward,
                slip: grid.slip,
                max_steps: grid.max_steps,
                target: grid.target,
                shuffle: grid.shuffle,
                random_target: grid.random_target,
                lava_to_start: grid.lava_to_start,
                conditioning: grid.conditioning.clone(),
                reward_noise: grid.reward_noise,
                pool: grid.pool.clone(),
            },
            grid.view,
        )
    }

    /// The label of task `index` (0 is the scene's starting task).
    pub fn task_name(&self, index: usize) -> String {
        match index {
            0 => "A".to_owned(),
            i => match self.tasks.get(i - 1) {
                Some(t) if !t.name.is_empty() => t.name.clone(),
                _ => ((b'A' + (i.min(25)) as u8) as char).to_string(),
            },
        }
    }
}

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The scene cannot be used.
    Error,
    /// The scene runs, but probably not as meant.
    Warning,
}

/// One finding about a scene file, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given.
    pub file: String,
    /// Where in the file.
    pub position: Position,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {severity}: {}",
            crate::limits::printable(&self.file),
            self.position.line,
            self.position.column,
            crate::limits::printable(&self.message)
        )
    }
}

/// A scene that parsed and validated, with any warnings.
#[derive(Clone, Debug)]
pub struct LoadedScene {
    /// The scene.
    pub scene: Scene,
    /// Findings that do not stop it running.
    pub warnings: Vec<Diagnostic>,
    /// The text it was parsed from, read once: what a recording of its run stores.
    pub text: String,
}

/// Reads, parses and validates a scene file.
pub fn load(path: &Path) -> Result<LoadedScene, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let bytes = crate::limits::read_limited(path, crate::limits::FileKind::Scene).map_err(|e| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: file.clone(),
            position: Position { line: 1, column: 1 },
            // The reader's message names the file already; the diagnostic names it once.
            message: e
                .strip_prefix(&format!("{file}: "))
                .unwrap_or(&e)
                .to_owned(),
        }]
    })?;
    parse_bytes(&bytes, &file)
}

/// Parses and validates scene bytes; `file` names them in diagnostics.
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<LoadedScene, Vec<Diagnostic>> {
    let error = |position: Position, message: String| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            position,
            message,
        }]
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(error(
            Position { line: 1, column: 1 },
            format!(
                "the file has {} bytes; a scene may have at most {MAX_FILE_BYTES}",
                bytes.len()
            ),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() + 1;
            let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(error(
                Position { line, column },
                "the file is not valid UTF-8 text; expected a RON scene".to_owned(),
            ))
        }
    }
}

/// Parses and validates scene text; `file` names it in diagnostics.
pub fn parse(text: &str, file: &str) -> Result<LoadedScene, Vec<Diagnostic>> {
    if let Some((line, column)) = not_starting_with(text, &["Scene", "("]) {
        // Whatever file this is, its words are not echoed: a scene path may point anywhere.
        return Err(vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            position: Position { line, column },
            message: "this is not a mindgrid scene; expected `Scene(` (after any comments)".into(),
        }]);
    }
    let options = ron::Options::default().with_default_extension(
        ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES
            | ron::extensions::Extensions::IMPLICIT_SOME,
    );
    let scene: Scene = options.from_str(text).map_err(|e| {
        vec![Diagnostic {
            severity: Severity::Error,
            file: file.to_owned(),
            position: Position {
                line: e.span.start.line.max(1),
                column: e.span.start.col.max(1),
            },
            message: explain_ron_error(&e.code),
        }]
    })?;
    let map = SourceMap::scan(text);
    let findings = validate(&scene);
    let (errors, warnings): (Vec<_>, Vec<_>) = findings
        .into_iter()
        .map(|f| f.place(&map, file))
        .partition(|d| d.severity == Severity::Error);
    if errors.is_empty() {
        Ok(LoadedScene {
            scene,
            warnings,
            text: text.to_owned(),
        })
    } else {
        Err(errors)
    }
}

/// Where the first thing after comments and blank space starts (line, column), when it starts
/// with none of `openings`: the file is not the kind of RON file expected. `None` when it does, or
/// when there is nothing but comments (RON's own error says so).
pub(crate) fn not_starting_with(text: &str, openings: &[&str]) -> Option<(usize, usize)> {
    let mut rest = text;
    let mut skipped = 0;
    loop {
        let trimmed = rest.trim_start();
        skipped += rest.len() - trimmed.len();
        rest = trimmed;
        if let Some(comment) = rest.strip_prefix("//") {
            let end = comment.find('\n').map_or(comment.len(), |n| n + 1);
            skipped += 2 + end;
            rest = &comment[end..];
        } else if let Some(comment) = rest.strip_prefix("/*") {
            let end = comment.find("*/").map_or(comment.len(), |n| n + 2);
            skipped += 2 + end;
            rest = &comment[end..];
        } else {
            break;
        }
    }
    if rest.is_empty() || openings.iter().any(|o| rest.starts_with(o)) {
        return None;
    }
    let before = &text[..skipped];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// RON's message, with a hint where RON's own wording leaves the reader guessing.
fn explain_ron_error(code: &ron::Error) -> String {
    let message = code.to_string();
    match code {
        ron::Error::MissingStructField { .. } => format!("{message}; add it"),
        _ => message,
    }
}

/// A validation finding before it is placed in the file.
struct Finding {
    severity: Severity,
    /// Dotted path of the offending value, e.g. `agents.0.brain.epsilon`.
    path: String,
    /// Extra columns from the start of that value (for a character inside a map row).
    offset: usize,
    message: String,
}

impl Finding {
    fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            offset: 0,
            message: message.into(),
        }
    }

    fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, message)
        }
    }

    fn place(self, map: &SourceMap, file: &str) -> Diagnostic {
        let mut position = map.locate(&self.path);
        position.column += self.offset;
        Diagnostic {
            severity: self.severity,
            file: file.to_owned(),
            position,
            message: self.message,
        }
    }
}

/// Checks a map's rows: not empty, rectangular, known characters, one start, size limit.
fn check_rows(rows: &[String], path: &str, need_start: bool, findings: &mut Vec<Finding>) {
    if rows.is_empty() {
        findings.push(Finding::error(
            path,
            "the map has no rows; expected at least one row of legend characters",
        ));
        return;
    }
    let width = rows[0].chars().count();
    let cells = width.saturating_mul(rows.len());
    if width == 0 {
        findings.push(Finding::error(
            format!("{path}.0"),
            "the first row is empty; expected legend characters",
        ));
    }
    if cells > MAX_CELLS {
        findings.push(Finding::error(
            path,
            format!(
                "the map has {cells} cells; at most {MAX_CELLS} are allowed (for example 64 x 64)"
            ),
        ));
        return;
    }
    let mut starts = 0;
    for (y, row) in rows.iter().enumerate() {
        let row_path = format!("{path}.{y}");
        let len = row.chars().count();
        if len != width {
            findings.push(Finding::error(
                &row_path,
                format!("row {y} has {len} characters but row 0 has {width}; every row must have the same length"),
            ));
        }
        for (x, c) in row.chars().enumerate() {
            match Cell::from_char(c) {
                Some((_, true)) => starts += 1,
                Some(_) => {}
                None => findings.push(Finding {
                    offset: x + 1,
                    ..Finding::error(
                        &row_path,
                        format!("unknown map character {c:?} at column {x} of row {y}; expected one of {}", Cell::LEGEND),
                    )
                }),
            }
        }
    }
    if need_start && starts == 0 {
        findings.push(Finding::error(
            path,
            "the map has no start; mark one cell with 'S'",
        ));
    }
    if starts > 1 {
        findings.push(Finding::error(
            path,
            format!("the map has {starts} starts; expected exactly one 'S'"),
        ));
    }
}

fn check_probability(value: f32, path: &str, what: &str, findings: &mut Vec<Finding>) {
    if !(0.0..=1.0).contains(&value) {
        findings.push(Finding::error(
            path,
            format!("{what} is {value}; expected a probability in [0, 1]"),
        ));
    }
}

fn check_finite(value: f32, path: &str, what: &str, findings: &mut Vec<Finding>) {
    if !value.is_finite() {
        findings.push(Finding::error(
            path,
            format!("{what} is {value}; expected a finite number"),
        ));
    }
}

/// Everything serde cannot check: sizes, ranges, map shape, task schedule, reachability.
fn validate(scene: &Scene) -> Vec<Finding> {
    let mut findings = Vec::new();
    let WorldSpec::Grid(grid) = &scene.world;
    check_rows(&grid.rows, "world.rows", true, &mut findings);
    if grid.max_steps == 0 || grid.max_steps > MAX_EPISODE_STEPS {
        findings.push(Finding::error(
            "world.max_steps",
            format!(
                "max_steps is {}; expected 1 to {MAX_EPISODE_STEPS}",
                grid.max_steps
            ),
        ));
    }
    check_probability(grid.slip, "world.slip", "slip", &mut findings);
    for (value, name) in [
        (grid.step_reward, "step_reward"),
        (grid.goal_reward, "goal_reward"),
        (grid.lava_reward, "lava_reward"),
        (grid.distractor_reward, "distractor_reward"),
    ] {
        check_finite(value, &format!("world.{name}"), name, &mut findings);
    }
    if let View::Egocentric { radius } = grid.view
        && !(1..=MAX_VIEW_RADIUS).contains(&radius)
    {
        findings.push(Finding::error(
            "world.view.radius",
            format!("the view radius is {radius}; expected 1 to {MAX_VIEW_RADIUS}"),
        ));
    }
    if scene.agents.is_empty() {
        findings.push(Finding::error(
            "agents",
            "the scene has no agents; expected at least one",
        ));
    }
    if scene.agents.len() > MAX_AGENTS {
        findings.push(Finding::error(
            "agents",
            format!(
                "the scene has {} agents; at most {MAX_AGENTS} fit side by side",
                scene.agents.len()
            ),
        ));
    }
    for (i, agent) in scene.agents.iter().enumerate() {
        if agent.name.trim().is_empty() {
            findings.push(Finding::error(
                format!("agents.{i}.name"),
                "the agent's name is empty; expected a label",
            ));
        }
        for (field, message) in brain_errors(&agent.brain) {
            findings.push(Finding::error(format!("agents.{i}.brain.{field}"), message));
        }
        let cells = grid.rows.len() * grid.rows.first().map_or(0, |r| r.chars().count());
        let first_of_kind = scene.agents[..i]
            .iter()
            .all(|a| a.brain.kind() != agent.brain.kind());
        if let Some((most, why)) = agent.brain.most_cells()
            && cells > most
            && first_of_kind
        {
            findings.push(Finding::error(
                "world.rows",
                format!(
                    "the map has {cells} cells; {} ({}) takes at most {most}: {why}",
                    agent.name,
                    agent.brain.kind()
                ),
            ));
        }
    }
    validate_tasks(scene, grid, &mut findings);
    if let Some(protocol) = &grid.conditioning {
        validate_conditioning(scene, grid, protocol, &mut findings);
    }
    if !(0.0..=crate::world::MOST_REWARD).contains(&grid.reward_noise) {
        findings.push(Finding::error(
            "world.reward_noise",
            format!(
                "the reward noise is {}; expected a standard deviation from 0 to {}",
                grid.reward_noise,
                crate::world::MOST_REWARD
            ),
        ));
    }
    if let Some(protocol) = &grid.pool {
        validate_pool(scene, grid, protocol, &mut findings);
    }
    let has_errors = findings.iter().any(|f| f.severity == Severity::Error);
    if !has_errors && let Some(warning) = scene.build_world().goal_warning() {
        findings.push(Finding::warning("world.rows", warning));
    }
    findings
}

/// What is wrong with a brain's hyperparameters, as (field, message): a value outside its
/// declared range or not finite, a fraction where a whole number is expected, a combination that
/// cannot work. The scene validator and the snapshot check both ask this.
pub fn brain_errors(brain: &BrainSpec) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    for (spec, value) in brain.hyperparameters() {
        // A real is stored as an f32: a value at the end of its range reads back as the f32
        // nearest that end, which must pass too.
        let (min, max) = if spec.kind.is_whole() {
            (spec.min, spec.max)
        } else {
            (
                f64::from(spec.min as f32).min(spec.min),
                f64::from(spec.max as f32).max(spec.max),
            )
        };
        if !value.is_finite() || value < min || value > max {
            errors.push((
                spec.name,
                format!(
                    "{} of {} is {value}; expected {} to {}",
                    spec.name,
                    brain.kind(),
                    spec.min,
                    spec.max
                ),
            ));
        } else if spec.kind.is_whole() && value.fract() != 0.0 {
            errors.push((
                spec.name,
                format!("{} is {value}; expected a whole number", spec.name),
            ));
        }
    }
    errors.extend(brain.conflicts());
    errors
}

/// What is wrong with a scene built in memory (an edited map, say), as messages without positions;
/// empty when it would pass `mindgrid check`.
pub fn errors_of(scene: &Scene) -> Vec<String> {
    validate(scene)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message)
        .collect()
}

/// Whether any agent of the scene is a person ([`BrainSpec::Human`]), as `(index, name)`.
pub fn human_agents(scene: &Scene) -> Vec<(usize, &str)> {
    scene
        .agents
        .iter()
        .enumerate()
        .filter(|(_, a)| a.brain == BrainSpec::Human)
        .map(|(i, a)| (i, a.name.as_str()))
        .collect()
}

/// A protocol's own ranges, an episode long enough for its longest trial, and a track long
/// enough to the right of the start to carry the agent through it.
fn validate_conditioning(
    scene: &Scene,
    grid: &GridSpec,
    protocol: &crate::world::Conditioning,
    findings: &mut Vec<Finding>,
) {
    let errors = protocol.errors();
    let bad = !errors.is_empty();
    for (field, message) in errors {
        findings.push(Finding::error(
            format!("world.conditioning.{field}"),
            message,
        ));
    }
    let longest = protocol.longest_trial();
    if !bad && grid.max_steps < longest {
        findings.push(Finding::error(
            "world.max_steps",
            format!(
                "max_steps is {}, but a conditioning trial may last {longest} steps (the longest wait, the delay and the steps after); expected at least {longest}",
                grid.max_steps
            ),
        ));
    }
    let has_map_errors = findings.iter().any(|f| f.path.starts_with("world.rows"));
    if !bad && !has_map_errors {
        let world = scene.build_world();
        let end = world.track_cell(longest);
        let (x0, y0) = world.xy(world.start());
        let (x1, _) = world.xy(end);
        if x1 - x0 < longest as usize {
            findings.push(Finding::error(
                "world.rows",
                format!(
                    "the track runs {} cells to the right of the start (row {y0}); a conditioning trial carries the agent {longest}: expected that many floor cells after 'S'",
                    x1 - x0
                ),
            ));
        }
    }
}

/// A pool's own numbers, and its starts and platform on the map.
fn validate_pool(
    scene: &Scene,
    grid: &GridSpec,
    protocol: &crate::world::Pool,
    findings: &mut Vec<Finding>,
) {
    for (field, message) in protocol.errors(grid.max_steps) {
        findings.push(Finding::error(format!("world.pool.{field}"), message));
    }
    if grid.conditioning.is_some() {
        findings.push(Finding::error(
            "world.pool",
            "a world is a pool or a conditioning track, not both; expected one of them",
        ));
    }
    let has_map_errors = findings.iter().any(|f| f.path.starts_with("world.rows"));
    if !has_map_errors {
        for (field, message) in protocol.map_errors(&scene.build_world()) {
            findings.push(Finding::error(format!("world.pool.{field}"), message));
        }
    }
}

fn validate_tasks(scene: &Scene, grid: &GridSpec, findings: &mut Vec<Finding>) {
    if scene.tasks.len() > MAX_TASKS {
        findings.push(Finding::error(
            "tasks",
            format!(
                "the schedule has {} tasks; at most {MAX_TASKS}",
                scene.tasks.len()
            ),
        ));
    }
    let width = grid.rows.first().map_or(0, |r| r.chars().count()) as u32;
    let height = grid.rows.len() as u32;
    let (mut previous_episodes, mut previous_steps) = (0, 0);
    for (t, task) in scene.tasks.iter().enumerate() {
        let path = format!("tasks.{t}");
        match (task.after_episodes, task.after_steps) {
            (Some(_), Some(_)) | (None, None) => findings.push(Finding::error(
                &path,
                "a task switches either after_episodes or after_steps; give exactly one",
            )),
            (Some(episodes), None) => {
                if episodes < previous_episodes {
                    findings.push(Finding::error(
                        format!("{path}.after_episodes"),
                        format!("after_episodes is {episodes} but an earlier task switches at {previous_episodes}; expected tasks in order"),
                    ));
                }
                previous_episodes = episodes;
            }
            (None, Some(steps)) => {
                if steps < previous_steps {
                    findings.push(Finding::error(
                        format!("{path}.after_steps"),
                        format!("after_steps is {steps} but an earlier task switches at {previous_steps}; expected tasks in order"),
                    ));
                }
                previous_steps = steps;
            }
        }
        for (c, change) in task.changes.iter().enumerate() {
            let path = format!("{path}.changes.{c}");
            let inside = |x: u32, y: u32| x < width && y < height;
            match change {
                TaskChange::Rows(rows) => {
                    check_rows(rows, &path, false, findings);
                    if rows.len() as u32 != height
                        || rows.first().map_or(0, |r| r.chars().count()) as u32 != width
                    {
                        findings.push(Finding::error(&path, format!("the new map must keep the size of the first one ({width} x {height})")));
                    }
                }
                TaskChange::MoveGoal { x, y } if !inside(*x, *y) => findings.push(Finding::error(
                    &path,
                    format!("({x}, {y}) is outside the {width} x {height} map"),
                )),
                TaskChange::AddWalls(cells) | TaskChange::RemoveWalls(cells) => {
                    for &(x, y) in cells {
                        if !inside(x, y) {
                            findings.push(Finding::error(
                                &path,
                                format!("({x}, {y}) is outside the {width} x {height} map"),
                            ));
                        }
                    }
                }
                TaskChange::Slip(p) => check_probability(*p, &path, "slip", findings),
                TaskChange::GoalReward(r)
                | TaskChange::LavaReward(r)
                | TaskChange::StepReward(r) => check_finite(*r, &path, "the reward", findings),
                _ => {}
            }
        }
    }
}
