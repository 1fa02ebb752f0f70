//! Lessons: a lecture in a RON file. Slides name a scene, a caption, steps to take (warm up, speed,
//! a hyperparameter, a pause), a prediction to ask the class, and claims the run must show, which
//! `mindgrid lesson verify` checks headless over several seeds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::experiment::{Experiment, MeanCurve, Seeds, mean_over_seeds};
use crate::limits::{MAX_CLAIMS, MAX_RUN_STEPS};
use crate::scene::{self, Diagnostic, Position, Scene, Severity, SourceMap};

/// Most slides in a lesson.
pub const MAX_SLIDES: usize = 64;
/// Most seeds a claim may ask for.
pub const MAX_SEEDS: u32 = 100;
/// Most episodes a claim may measure.
pub const MAX_CLAIM_EPISODES: u32 = 20_000;
/// Most steps a claim about a mechanism may train for.
pub const MAX_CLAIM_STEPS: u64 = 200_000;

/// A lesson file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Shown on every slide.
    pub title: String,
    /// In order.
    pub slides: Vec<Slide>,
}

/// One slide: a scene, a caption, and what to do with them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slide {
    /// The scene file, relative to the lesson file.
    pub scene: String,
    /// Short formatted text: `# heading`, `**bold**`, `- bullet` lines.
    #[serde(default)]
    pub caption: String,
    /// What happens when the slide opens, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// A question for the class before the run shows the answer.
    #[serde(default)]
    pub prediction: Option<Prediction>,
    /// What the run must show, checked by `mindgrid lesson verify` on the slide's scene as its
    /// file has it (the steps above are for the presentation, and do not change what is checked).
    #[serde(default)]
    pub claims: Vec<Claim>,
}

/// Something a slide does when it opens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// Every arena takes this many steps at once, before the slide shows.
    WarmUp(u64),
    /// The speed, in steps per second (the nearest setting at or below), or 0 for "max".
    Speed(u32),
    /// Show this arena's agent in the side panels.
    Select(usize),
    /// Set a hyperparameter of an arena's agent.
    Set {
        /// The arena, in scene order.
        arena: usize,
        /// The field, as in the scene file.
        name: String,
        /// The value.
        value: f64,
    },
    /// Pause when every arena has taken this many steps.
    PauseAt(u64),
    /// Pause when this arena next reaches the goal (the one the caption is about).
    PauseAtSuccess(usize),
    /// Start paused.
    Paused,
    /// Show only these panels (the caption replaces the agent panel in presenter mode).
    Panels(Vec<scene::Panel>),
    /// Apply a command when every arena has taken `step` steps: a map change (`Paint`), the next
    /// task (`NextTask(arena)`), a lesion (`SetHyperparameter`), ... as the scene's task schedule
    /// would, and logged like any command.
    At {
        /// The lockstep step.
        step: u64,
        /// The command, written as in a recording.
        command: Command,
    },
}

/// A question for the class, answered by the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prediction {
    /// The question.
    pub question: String,
    /// The choices shown.
    pub choices: Vec<String>,
    /// Which choice the run shows (0 is the first).
    pub answer: usize,
}

/// A measured claim: a measure of one agent, over seeds, bounded by a number or by another agent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// What the slide says, in words (shown by `verify`).
    pub says: String,
    /// The agent's name, as in the scene.
    pub agent: String,
    /// What is measured.
    pub measure: Measure,
    /// Seeds averaged (from the scene's seed on).
    #[serde(default = "default_seeds")]
    pub seeds: u32,
    /// The bound.
    pub bound: Bound,
}

fn default_seeds() -> u32 {
    10
}

/// A measure of an agent, averaged over the claim's seeds: over episodes `first..=last` (1 is
/// the first episode), or of its mechanism after `after_steps` lockstep steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Measure {
    /// Mean steps per episode.
    MeanSteps {
        /// First episode counted.
        first: u32,
        /// Last episode counted.
        last: u32,
    },
    /// Mean return per episode.
    MeanReturn {
        /// First episode counted.
        first: u32,
        /// Last episode counted.
        last: u32,
    },
    /// Share of episodes that reached the goal.
    SuccessRate {
        /// First episode counted.
        first: u32,
        /// Last episode counted.
        last: u32,
    },
    /// A continual learner's accuracy on a task (the forgetting panel's last point).
    TaskAccuracy {
        /// The task's name, as the panel shows it (its cue colour: "red", "blue").
        task: String,
        /// Steps trained first.
        after_steps: u64,
    },
    /// A meta-learner's held-out accuracy from one start (the meta panel's last point).
    HeldOutAccuracy {
        /// "meta-learned", "pretrained" or "scratch".
        start: String,
        /// Steps trained first.
        after_steps: u64,
    },
    /// An attention agent's attention mass on the target (the panel's last point).
    AttentionOnTarget {
        /// Steps trained first.
        after_steps: u64,
    },
    /// An episodic controller's share of recalls that were aliased (some move's exact hit was a
    /// memory made in another cell), over every recall of the run.
    AliasedRecalls {
        /// Steps trained first.
        after_steps: u64,
    },
    /// The agent's TD error (the dopamine panel's) at a moment of the trial, averaged over the
    /// latest trials that had that moment ([`CLAIM_TRIALS`] at most).
    TdError {
        /// Which moment.
        at: Moment,
        /// Steps trained first.
        after_steps: u64,
    },
    /// A replaying agent's share of replay events in one direction among its forward and reverse
    /// events at one kind of rest, counted over the whole run (the replay panel's counts).
    ReplayShare {
        /// Where: at the start (before a run) or at the goal (after a reward).
        rest: ReplayRest,
        /// Which direction's share.
        direction: ReplayDirection,
        /// Steps trained first.
        after_steps: u64,
    },
    /// A replaying agent's replays made by the end of its first episode of at most `steps_at_most`
    /// steps (all its replays so far if it has none yet: fewer than it will need).
    ReplaysUntil {
        /// The episode length to reach.
        steps_at_most: u32,
        /// Steps trained first.
        after_steps: u64,
    },
    /// In a water maze, the mean share of time in a quadrant over trials `first..=last` (the
    /// water-maze panel's bars); NaN if those trials have not all been swum.
    QuadrantTime {
        /// The platform's quadrant, or the one it was in before it moved.
        quadrant: PoolQuadrant,
        /// First trial counted (1 is the first).
        first: u32,
        /// Last trial counted.
        last: u32,
        /// Steps trained first.
        after_steps: u64,
    },
}

/// Where a replay claim counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplayRest {
    /// Before an episode, at the start.
    Start,
    /// After a reward, at the goal.
    Goal,
}

/// Which direction a replay claim counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplayDirection {
    /// Forward events.
    Forward,
    /// Reverse events.
    Reverse,
}

/// Which quadrant of a water maze a claim measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoolQuadrant {
    /// The platform's (for a probe: where it was).
    Target,
    /// The one the platform was in before it last moved.
    Old,
}

/// Trials a TD-error claim averages over, the latest ones.
pub const CLAIM_TRIALS: usize = 20;

/// A moment of a conditioning trial, for a TD-error claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Moment {
    /// The cue's arrival.
    Cue,
    /// The reward, in trials where it came.
    Reward,
    /// The time the reward was due, in trials where it did not come.
    Omission,
}

impl Measure {
    /// The episodes measured, for measures of episodes.
    fn episodes(&self) -> Option<(u32, u32)> {
        match self {
            Measure::MeanSteps { first, last }
            | Measure::MeanReturn { first, last }
            | Measure::SuccessRate { first, last } => Some((*first, *last)),
            _ => None,
        }
    }

    /// Steps trained first, for measures of a mechanism.
    fn after_steps(&self) -> Option<u64> {
        match self {
            Measure::TaskAccuracy { after_steps, .. }
            | Measure::HeldOutAccuracy { after_steps, .. }
            | Measure::AttentionOnTarget { after_steps }
            | Measure::AliasedRecalls { after_steps }
            | Measure::TdError { after_steps, .. }
            | Measure::ReplayShare { after_steps, .. }
            | Measure::ReplaysUntil { after_steps, .. }
            | Measure::QuadrantTime { after_steps, .. } => Some(*after_steps),
            _ => None,
        }
    }

    /// The brain kind a measure of a mechanism needs.
    fn kind(&self) -> Option<&'static str> {
        match self {
            Measure::TaskAccuracy { .. } => Some("Continual"),
            Measure::HeldOutAccuracy { .. } => Some("Reptile"),
            Measure::AttentionOnTarget { .. } => Some("Attention"),
            Measure::AliasedRecalls { .. } => Some("Mfec"),
            Measure::ReplayShare { .. } | Measure::ReplaysUntil { .. } => Some("PrioritisedReplay"),
            _ => None,
        }
    }

    /// The measure of a mechanism, read from an arena's insight (NaN when it has none yet).
    fn of_arena(&self, arena: &crate::experiment::Arena) -> f64 {
        let insight = arena.insight();
        let last = |points: &[(u64, f32)]| points.last().map_or(f64::NAN, |p| f64::from(p.1));
        match self {
            Measure::TaskAccuracy { task, .. } => insight
                .continual()
                .and_then(|c| c.tasks.iter().find(|t| &t.name == task))
                .map_or(f64::NAN, |t| last(&t.points)),
            Measure::HeldOutAccuracy { start, .. } => {
                let index = crate::brain::STARTS.iter().position(|s| s == start);
                insight
                    .meta()
                    .and_then(|m| m.progress.last().zip(index))
                    .map_or(f64::NAN, |((_, accuracy), i)| f64::from(accuracy[i]))
            }
            Measure::AttentionOnTarget { .. } => insight
                .attention()
                .map_or(f64::NAN, |a| last(&a.target_mass)),
            Measure::AliasedRecalls { .. } => insight
                .memory()
                .filter(|m| m.aliased.1 > 0)
                .map_or(f64::NAN, |m| m.aliased.0 as f64 / m.aliased.1 as f64),
            Measure::TdError { at, .. } => {
                use crate::dopamine::Event;
                let log = arena.dopamine();
                match at {
                    Moment::Cue => log.mean_at(Event::Cue, 0, CLAIM_TRIALS, |_| true),
                    Moment::Reward => log.mean_at(Event::Reward, 0, CLAIM_TRIALS, |t| t.rewarded),
                    Moment::Omission => {
                        log.mean_at(Event::Reward, 0, CLAIM_TRIALS, |t| !t.rewarded)
                    }
                }
            }
            Measure::ReplayShare {
                rest, direction, ..
            } => insight.replay().map_or(f64::NAN, |r| {
                let [forward, reverse] = match rest {
                    ReplayRest::Start => r.counts.start,
                    ReplayRest::Goal => r.counts.goal,
                };
                let mine = match direction {
                    ReplayDirection::Forward => forward,
                    ReplayDirection::Reverse => reverse,
                };
                f64::from(mine) / f64::from(forward + reverse)
            }),
            Measure::ReplaysUntil { steps_at_most, .. } => insight
                .replay()
                .map_or(f64::NAN, |r| r.replays_until(*steps_at_most) as f64),
            Measure::QuadrantTime {
                quadrant,
                first,
                last,
                ..
            } => arena.world().pool().map_or(f64::NAN, |pool| {
                let trials: Vec<f64> = pool
                    .trials
                    .iter()
                    .filter(|t| (*first..=*last).contains(&t.number))
                    .map(|t| match quadrant {
                        PoolQuadrant::Target => t.share(t.target),
                        PoolQuadrant::Old => t.old.map_or(f64::NAN, |q| t.share(q)),
                    })
                    .collect();
                if trials.len() as u32 == last - first + 1 {
                    trials.iter().sum::<f64>() / trials.len() as f64
                } else {
                    f64::NAN
                }
            }),
            _ => f64::NAN,
        }
    }

    /// The measure of one agent's mean curve (measures of episodes).
    pub fn of(&self, curve: &MeanCurve) -> f64 {
        let Some((first, last)) = self.episodes() else {
            return f64::NAN;
        };
        let series = match self {
            Measure::MeanSteps { .. } => &curve.steps,
            Measure::MeanReturn { .. } => &curve.returns,
            _ => &curve.success,
        };
        let range =
            &series[(first as usize - 1).min(series.len())..(last as usize).min(series.len())];
        range.iter().sum::<f64>() / range.len().max(1) as f64
    }

    fn words(&self) -> String {
        let what = match self {
            Measure::MeanSteps { .. } => "mean steps",
            Measure::MeanReturn { .. } => "mean return",
            Measure::SuccessRate { .. } => "success rate",
            Measure::TaskAccuracy { task, after_steps } => {
                return format!("accuracy on task {task:?} after {after_steps} steps");
            }
            Measure::HeldOutAccuracy { start, after_steps } => {
                return format!(
                    "held-out accuracy from the {start} start after {after_steps} steps"
                );
            }
            Measure::AttentionOnTarget { after_steps } => {
                return format!("attention on the target after {after_steps} steps");
            }
            Measure::AliasedRecalls { after_steps } => {
                return format!("share of recalls aliased over {after_steps} steps");
            }
            Measure::TdError { at, after_steps } => {
                let moment = match at {
                    Moment::Cue => "at the cue",
                    Moment::Reward => "at the reward",
                    Moment::Omission => "when an omitted reward was due",
                };
                return format!(
                    "TD error {moment} (latest {CLAIM_TRIALS} such trials) after {after_steps} steps"
                );
            }
            Measure::ReplayShare {
                rest,
                direction,
                after_steps,
            } => {
                let (rest, direction) = (
                    match rest {
                        ReplayRest::Start => "at the start",
                        ReplayRest::Goal => "at the goal",
                    },
                    match direction {
                        ReplayDirection::Forward => "forward",
                        ReplayDirection::Reverse => "reverse",
                    },
                );
                return format!(
                    "share of {direction} replay events {rest} over {after_steps} steps"
                );
            }
            Measure::ReplaysUntil {
                steps_at_most,
                after_steps,
            } => {
                return format!(
                    "replays until its first episode of at most {steps_at_most} steps (within {after_steps} steps)"
                );
            }
            Measure::QuadrantTime {
                quadrant,
                first,
                last,
                ..
            } => {
                let quadrant = match quadrant {
                    PoolQuadrant::Target => "the platform's quadrant",
                    PoolQuadrant::Old => "the platform's old quadrant",
                };
                return format!("share of time in {quadrant} in trials {first}-{last}");
            }
        };
        let (first, last) = self.episodes().unwrap_or((1, 1));
        if first == last {
            format!("{what} of episode {first}")
        } else {
            format!("{what} of episodes {first}-{last}")
        }
    }
}

/// What a claim's measure must be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Bound {
    /// Below this number.
    Below(f64),
    /// Above this number.
    Above(f64),
    /// Below the same measure of this agent.
    BelowAgent(String),
    /// Above the same measure of this agent.
    AboveAgent(String),
}

/// A lesson that parsed and validated, with its slides' scenes loaded.
#[derive(Clone, Debug)]
pub struct LoadedLesson {
    /// The lesson.
    pub lesson: Lesson,
    /// Each slide's scene file and scene, in slide order.
    pub scenes: Vec<(PathBuf, Scene)>,
    /// Each slide's scene text as it was read (what a recording of the slide holds).
    pub texts: Vec<String>,
}

/// Whether `text` is a lesson (its top level is `Lesson(`), not a scene.
pub fn is_lesson(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .is_some_and(|line| line.starts_with("Lesson"))
}

/// Reads and validates a lesson file: every slide's scene loads, every arena, field and agent
/// named exists, every claim's episodes and seeds are within the limits. Errors say
/// `file:line:column` and what was expected.
pub fn load(path: &Path) -> Result<LoadedLesson, Vec<Diagnostic>> {
    let text = crate::limits::read_text(path, crate::limits::FileKind::Lesson).map_err(|e| {
        let file = path.display().to_string();
        vec![Diagnostic {
            severity: Severity::Error,
            message: e
                .strip_prefix(&format!("{file}: "))
                .unwrap_or(&e)
                .to_owned(),
            file,
            position: Position { line: 1, column: 1 },
        }]
    })?;
    parse(&text, path)
}

/// [`load`] on a lesson's text already read from `path` (its slides' scenes are read relative to
/// it).
pub fn parse(text: &str, path: &Path) -> Result<LoadedLesson, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let error = |position: Position, message: String| Diagnostic {
        severity: Severity::Error,
        file: file.clone(),
        position,
        message,
    };
    if let Some((line, column)) = scene::not_starting_with(text, &["Lesson", "("]) {
        return Err(vec![error(
            Position { line, column },
            "this is not a mindgrid lesson; expected `Lesson(` (after any comments)".into(),
        )]);
    }
    let lesson: Lesson = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| {
            vec![error(
                Position {
                    line: e.span.start.line.max(1),
                    column: e.span.start.col.max(1),
                },
                e.code.to_string(),
            )]
        })?;
    let map = SourceMap::scan(text);
    let at = |path: &str| map.locate(path);
    let mut errors = Vec::new();
    let claims: usize = lesson.slides.iter().map(|s| s.claims.len()).sum();
    if claims > MAX_CLAIMS {
        errors.push(error(
            at("slides"),
            format!("the lesson has {claims} claims; expected at most {MAX_CLAIMS}"),
        ));
    }
    if lesson.slides.is_empty() || lesson.slides.len() > MAX_SLIDES {
        errors.push(error(
            at("slides"),
            format!(
                "the lesson has {} slides; expected 1 to {MAX_SLIDES}",
                lesson.slides.len()
            ),
        ));
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut scenes = Vec::new();
    let mut texts = Vec::new();
    for (s, slide) in lesson.slides.iter().enumerate() {
        let scene_path = crate::files::tidy(&folder.join(&slide.scene));
        let scene = match scene::load(&scene_path) {
            Ok(loaded) => {
                texts.push(loaded.text);
                loaded.scene
            }
            Err(found) => {
                errors.push(error(
                    at(&format!("slides.{s}.scene")),
                    format!(
                        "slide {} names the scene {:?}, which does not load: {}",
                        s + 1,
                        slide.scene,
                        found[0]
                    ),
                ));
                continue;
            }
        };
        check_slide(&scene, slide, s, &at, &error, &mut errors);
        scenes.push((scene_path, scene));
    }
    if errors.is_empty() {
        Ok(LoadedLesson {
            lesson,
            scenes,
            texts,
        })
    } else {
        Err(errors)
    }
}

/// Every arena, hyperparameter, agent and episode range a slide names must exist.
fn check_slide(
    scene: &Scene,
    slide: &Slide,
    s: usize,
    at: &dyn Fn(&str) -> Position,
    error: &dyn Fn(Position, String) -> Diagnostic,
    errors: &mut Vec<Diagnostic>,
) {
    let arenas = scene.agents.len();
    let mut warmed = 0u64;
    for (k, step) in slide.steps.iter().enumerate() {
        let place = at(&format!("slides.{s}.steps.{k}"));
        if let Step::WarmUp(steps) = step {
            warmed = warmed.saturating_add(*steps);
            if warmed > MAX_RUN_STEPS {
                errors.push(error(
                    place,
                    format!(
                        "the slide's warm-ups add up to {warmed} steps; expected at most {MAX_RUN_STEPS}"
                    ),
                ));
                continue;
            }
        }
        if let Step::At { step, .. } | Step::PauseAt(step) = step
            && *step > MAX_RUN_STEPS
        {
            errors.push(error(
                place,
                format!("step {step} is beyond {MAX_RUN_STEPS}, the most a slide may run to"),
            ));
            continue;
        }
        match step {
            Step::Select(arena) | Step::Set { arena, .. } | Step::PauseAtSuccess(arena)
                if *arena >= arenas =>
            {
                errors.push(error(
                    place,
                    format!(
                        "arena {arena} does not exist: the scene has {arenas} (0 to {})",
                        arenas - 1
                    ),
                ));
            }
            Step::At { command, .. } => {
                if let Some(arena) = arena_named(command).filter(|&a| a >= arenas) {
                    errors.push(error(
                        place,
                        format!(
                            "the command names arena {arena}, but the scene has {arenas} (0 to {})",
                            arenas - 1
                        ),
                    ));
                }
                let (width, height) = scene.rows().first().map_or((0, 0), |row| {
                    (row.chars().count() as u32, scene.rows().len() as u32)
                });
                let cells: Vec<(u32, u32)> = match command {
                    Command::Paint { cells, .. } => cells.clone(),
                    Command::PlaceAgent { x, y, .. } => vec![(*x, *y)],
                    _ => Vec::new(),
                };
                if let Some((x, y)) = cells.into_iter().find(|&(x, y)| x >= width || y >= height) {
                    errors.push(error(
                        place,
                        format!("({x}, {y}) is outside the {width} x {height} map"),
                    ));
                }
            }
            Step::Set { arena, name, .. } => {
                let brain = &scene.agents[*arena].brain;
                if !brain
                    .hyperparameters()
                    .iter()
                    .any(|(spec, _)| spec.name == name)
                {
                    let known: Vec<&str> = brain
                        .hyperparameters()
                        .iter()
                        .map(|(spec, _)| spec.name)
                        .collect();
                    errors.push(error(
                        place,
                        format!(
                            "{} has no hyperparameter {name:?}; expected one of {known:?}",
                            brain.kind()
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    if let Some(prediction) = &slide.prediction
        && prediction.answer >= prediction.choices.len()
    {
        errors.push(error(
            at(&format!("slides.{s}.prediction.answer")),
            format!(
                "the answer is choice {} but there are {} choices (0 is the first)",
                prediction.answer,
                prediction.choices.len()
            ),
        ));
    }
    let names: Vec<&str> = scene.agents.iter().map(|a| a.name.as_str()).collect();
    for (c, claim) in slide.claims.iter().enumerate() {
        let path = format!("slides.{s}.claims.{c}");
        let mut named = vec![(claim.agent.as_str(), format!("{path}.agent"))];
        if let Bound::BelowAgent(other) | Bound::AboveAgent(other) = &claim.bound {
            named.push((other.as_str(), format!("{path}.bound")));
        }
        for (name, place) in named {
            if !names.contains(&name) {
                errors.push(error(
                    at(&place),
                    format!("the scene has no agent {name:?}; expected one of {names:?}"),
                ));
            }
        }
        if let Some((first, last)) = claim.measure.episodes()
            && (first == 0 || last < first || last > MAX_CLAIM_EPISODES)
        {
            errors.push(error(
                at(&format!("{path}.measure")),
                format!("episodes {first} to {last}; expected 1 <= first <= last <= {MAX_CLAIM_EPISODES}"),
            ));
        }
        if matches!(claim.measure, Measure::QuadrantTime { .. }) && {
            let scene::WorldSpec::Grid(grid) = &scene.world;
            grid.pool.is_none()
        } {
            errors.push(error(
                at(&format!("{path}.measure")),
                "the slide's scene has no pool; a quadrant time needs a water maze (world.pool)"
                    .into(),
            ));
        }
        if let Measure::QuadrantTime { first, last, .. } = &claim.measure
            && (*first == 0 || last < first || *last > MAX_CLAIM_EPISODES)
        {
            errors.push(error(
                at(&format!("{path}.measure")),
                format!(
                    "trials {first} to {last}; expected 1 <= first <= last <= {MAX_CLAIM_EPISODES}"
                ),
            ));
        }
        if let Some(steps) = claim.measure.after_steps()
            && steps > MAX_CLAIM_STEPS
        {
            errors.push(error(
                at(&format!("{path}.measure")),
                format!("{steps} steps; a claim may train at most {MAX_CLAIM_STEPS}"),
            ));
        }
        if let Some(kind) = claim.measure.kind() {
            for agent in scene.agents.iter().filter(|a| {
                a.name == claim.agent
                    || matches!(&claim.bound, Bound::BelowAgent(o) | Bound::AboveAgent(o) if *o == a.name)
            }) {
                if agent.brain.kind() != kind {
                    errors.push(error(
                        at(&format!("{path}.measure")),
                        format!("{:?} is a {} agent; this measure needs a {kind} agent", agent.name, agent.brain.kind()),
                    ));
                }
            }
        }
        if let Bound::Below(limit) | Bound::Above(limit) = &claim.bound
            && !limit.is_finite()
        {
            errors.push(error(
                at(&format!("{path}.bound")),
                format!(
                    "the bound is {limit}, which no measure can meet; expected a finite number"
                ),
            ));
        }
        if claim.seeds == 0 || claim.seeds > MAX_SEEDS {
            errors.push(error(
                at(&format!("{path}.seeds")),
                format!("{} seeds; expected 1 to {MAX_SEEDS}", claim.seeds),
            ));
        }
        if !scene::human_agents(scene).is_empty() {
            errors.push(error(
                at(&path),
                "a claim needs a scene that runs headless; this one has a person among its agents"
                    .into(),
            ));
        }
    }
}

/// The arena a command names, if it names one.
fn arena_named(command: &Command) -> Option<usize> {
    match command {
        Command::SetHyperparameter { arena, .. }
        | Command::YouPlay { arena, .. }
        | Command::Move { arena, .. } => Some(*arena),
        Command::ResetArena(arena)
        | Command::Amnesia(arena)
        | Command::NextTask(arena)
        | Command::NewTask(arena)
        | Command::Fork(arena) => Some(*arena),
        Command::Paint { reach, .. } | Command::PlaceAgent { reach, .. } => match reach {
            crate::edit::Reach::Arena(arena) => Some(*arena),
            crate::edit::Reach::All => None,
        },
        Command::ResetAll
        | Command::Reshape(_)
        | Command::Undo
        | Command::Redo
        | Command::WaitForHuman(_)
        | Command::Trial(_) => None,
    }
}

/// A claim checked: what was measured and whether it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The slide (1 is the first) and the claim's words.
    pub slide: usize,
    /// What the slide says.
    pub says: String,
    /// The measure, in words, with the numbers.
    pub measured: String,
    /// Whether the claim holds.
    pub holds: bool,
}

/// Runs every claim of a loaded lesson headless on up to `threads` threads (seeds in parallel:
/// the same numbers on any number).
pub fn verify(loaded: &LoadedLesson, threads: usize) -> Vec<Verdict> {
    let mut verdicts = Vec::new();
    // Claims about one scene over as many seeds share their training: those measuring episodes
    // share one run to the furthest episode any of them needs (an arena's first episodes are the
    // same however many follow), those measuring a mechanism one run per number of steps.
    let key = |s: usize, claim: &Claim| (loaded.scenes[s].0.clone(), claim.seeds);
    let mut furthest: Vec<((PathBuf, u32), u32)> = Vec::new();
    for (s, slide) in loaded.lesson.slides.iter().enumerate() {
        for claim in &slide.claims {
            if let Some((_, last)) = claim.measure.episodes() {
                match furthest.iter_mut().find(|(k, _)| *k == key(s, claim)) {
                    Some((_, most)) => *most = (*most).max(last),
                    None => furthest.push((key(s, claim), last)),
                }
            }
        }
    }
    let mut curves: Vec<((PathBuf, u32), Vec<MeanCurve>)> = Vec::new();
    let mut runs: Vec<((PathBuf, u64, u32), Vec<Experiment>)> = Vec::new();
    for (s, (slide, (path, scene))) in loaded.lesson.slides.iter().zip(&loaded.scenes).enumerate() {
        for claim in &slide.claims {
            // A claim has 1 to MAX_SEEDS seeds (checked on load); none would measure nothing.
            let Some(seeds) = Seeds::new(scene.seed, u64::from(claim.seeds)) else {
                continue;
            };
            let values: Vec<(String, f64)> =
                match (claim.measure.episodes(), claim.measure.after_steps()) {
                    (Some(_), _) => {
                        let key = key(s, claim);
                        let at = match curves.iter().position(|(k, _)| *k == key) {
                            Some(at) => at,
                            None => {
                                let last = furthest
                                    .iter()
                                    .find(|(k, _)| *k == key)
                                    .map_or(1, |(_, last)| *last);
                                let means = mean_over_seeds(scene, seeds, last, threads, &|_| {});
                                curves.push((key, means));
                                curves.len() - 1
                            }
                        };
                        curves[at]
                            .1
                            .iter()
                            .map(|c| (c.agent.clone(), claim.measure.of(c)))
                            .collect()
                    }
                    (None, Some(steps)) => {
                        let key = (path.clone(), steps, claim.seeds);
                        let at = match runs.iter().position(|(k, _)| *k == key) {
                            Some(at) => at,
                            None => {
                                runs.push((key, trained(scene, seeds, steps, threads)));
                                runs.len() - 1
                            }
                        };
                        mechanism_means(scene, &runs[at].1, &claim.measure)
                    }
                    (None, None) => Vec::new(),
                };
            let value = |name: &str| {
                values
                    .iter()
                    .find(|(agent, _)| agent == name)
                    .map_or(f64::NAN, |(_, v)| *v)
            };
            let mine = value(&claim.agent);
            let (holds, against) = match &claim.bound {
                Bound::Below(limit) => (mine < *limit, format!("below {limit}")),
                Bound::Above(limit) => (mine > *limit, format!("above {limit}")),
                Bound::BelowAgent(other) => {
                    let theirs = value(other);
                    (mine < theirs, format!("below {other}'s {theirs:.3}"))
                }
                Bound::AboveAgent(other) => {
                    let theirs = value(other);
                    (mine > theirs, format!("above {other}'s {theirs:.3}"))
                }
            };
            verdicts.push(Verdict {
                slide: s + 1,
                says: claim.says.clone(),
                measured: format!(
                    "{}'s {} over {} seeds: {mine:.3}, expected {against}",
                    claim.agent,
                    claim.measure.words(),
                    claim.seeds
                ),
                holds,
            });
        }
    }
    verdicts
}

/// `scene` trained `steps` lockstep steps once per seed, on up to `threads` threads (in seed
/// order: the same experiments on any number).
fn trained(scene: &Scene, seeds: Seeds, steps: u64, threads: usize) -> Vec<Experiment> {
    let seeds: Vec<u64> = seeds.iter().collect();
    crate::experiment::for_each_seed(scene, &seeds, threads, |mut experiment| {
        experiment.step_n(steps);
        experiment
    })
}

/// Each agent's measure of its mechanism in `runs`, averaged over them.
fn mechanism_means(scene: &Scene, runs: &[Experiment], measure: &Measure) -> Vec<(String, f64)> {
    scene
        .agents
        .iter()
        .enumerate()
        .map(|(i, agent)| {
            let sum: f64 = runs
                .iter()
                .map(|run| measure.of_arena(&run.arenas()[i]))
                .sum();
            (agent.name.clone(), sum / runs.len().max(1) as f64)
        })
        .collect()
}

/// The commands a slide's steps schedule, in step order: a `Set` at the step the warm-ups before
/// it reach (so steps happen in the order written), an `At` at its step.
pub fn schedule(slide: &Slide) -> Vec<crate::command::LoggedCommand> {
    let mut warmed = 0u64;
    let mut log: Vec<crate::command::LoggedCommand> = slide
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::WarmUp(steps) => {
                warmed = warmed.saturating_add(*steps);
                None
            }
            Step::Set { arena, name, value } => Some(crate::command::LoggedCommand {
                step: warmed,
                command: Command::SetHyperparameter {
                    arena: *arena,
                    name: name.clone(),
                    value: *value,
                },
            }),
            Step::At { step, command } => Some(crate::command::LoggedCommand {
                step: *step,
                command: command.clone(),
            }),
            _ => None,
        })
        .collect();
    log.sort_by_key(|logged| logged.step);
    log
}
