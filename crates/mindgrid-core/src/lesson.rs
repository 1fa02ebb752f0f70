//! Lessons: a lecture in a RON file. Slides name a scene, a caption, steps to take (warm up, speed,
//! a hyperparameter, a pause), a prediction to ask the class, and claims the run must show, which
//! `mindgrid lesson verify` checks headless over several seeds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::experiment::{MeanCurve, mean_over_seeds};
use crate::scene::{self, Diagnostic, Position, Scene, Severity, SourceMap};

/// Most slides in a lesson.
pub const MAX_SLIDES: usize = 64;
/// Most seeds a claim may ask for.
pub const MAX_SEEDS: u32 = 100;
/// Most episodes a claim may measure.
pub const MAX_CLAIM_EPISODES: u32 = 2_000;

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
    /// What the run must show, checked by `mindgrid lesson verify`.
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
    /// Pause when any arena first reaches the goal.
    PauseAtSuccess,
    /// Start paused.
    Paused,
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

/// A measure of an agent over episodes `first..=last` (1 is the first episode), averaged over
/// the claim's seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
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
}

impl Measure {
    fn episodes(self) -> (u32, u32) {
        match self {
            Measure::MeanSteps { first, last }
            | Measure::MeanReturn { first, last }
            | Measure::SuccessRate { first, last } => (first, last),
        }
    }

    /// The measure of one agent's mean curve.
    pub fn of(self, curve: &MeanCurve) -> f64 {
        let (first, last) = self.episodes();
        let series = match self {
            Measure::MeanSteps { .. } => &curve.steps,
            Measure::MeanReturn { .. } => &curve.returns,
            Measure::SuccessRate { .. } => &curve.success,
        };
        let range =
            &series[(first as usize - 1).min(series.len())..(last as usize).min(series.len())];
        range.iter().sum::<f64>() / range.len().max(1) as f64
    }

    fn words(self) -> String {
        let (first, last) = self.episodes();
        let what = match self {
            Measure::MeanSteps { .. } => "mean steps",
            Measure::MeanReturn { .. } => "mean return",
            Measure::SuccessRate { .. } => "success rate",
        };
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
    let file = path.display().to_string();
    let error = |position: Position, message: String| Diagnostic {
        severity: Severity::Error,
        file: file.clone(),
        position,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![error(
            Position { line: 1, column: 1 },
            format!("cannot read the lesson: {e}"),
        )]
    })?;
    let lesson: Lesson = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(&text)
        .map_err(|e| {
            vec![error(
                Position {
                    line: e.span.start.line.max(1),
                    column: e.span.start.col.max(1),
                },
                e.code.to_string(),
            )]
        })?;
    let map = SourceMap::scan(&text);
    let at = |path: &str| map.locate(path);
    let mut errors = Vec::new();
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
    for (s, slide) in lesson.slides.iter().enumerate() {
        let scene_path = folder.join(&slide.scene);
        let scene = match scene::load(&scene_path) {
            Ok(loaded) => loaded.scene,
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
        Ok(LoadedLesson { lesson, scenes })
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
    for (k, step) in slide.steps.iter().enumerate() {
        let place = at(&format!("slides.{s}.steps.{k}"));
        match step {
            Step::Select(arena) | Step::Set { arena, .. } if *arena >= arenas => {
                errors.push(error(
                    place,
                    format!(
                        "arena {arena} does not exist: the scene has {arenas} (0 to {})",
                        arenas - 1
                    ),
                ));
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
        let (first, last) = claim.measure.episodes();
        if first == 0 || last < first || last > MAX_CLAIM_EPISODES {
            errors.push(error(
                at(&format!("{path}.measure")),
                format!("episodes {first} to {last}; expected 1 <= first <= last <= {MAX_CLAIM_EPISODES}"),
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
    for (s, (slide, (_, scene))) in loaded.lesson.slides.iter().zip(&loaded.scenes).enumerate() {
        for claim in &slide.claims {
            let (_, last) = claim.measure.episodes();
            let seeds = scene.seed..scene.seed + u64::from(claim.seeds);
            let curves = mean_over_seeds(scene, seeds, last, threads, &|_| {});
            let value = |name: &str| {
                curves
                    .iter()
                    .find(|c| c.agent == name)
                    .map(|c| claim.measure.of(c))
                    .unwrap_or(f64::NAN)
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

/// The commands a slide's `Set` steps make, for the experiment.
pub fn settings(slide: &Slide) -> Vec<Command> {
    slide
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::Set { arena, name, value } => Some(Command::SetHyperparameter {
                arena: *arena,
                name: name.clone(),
                value: *value,
            }),
            _ => None,
        })
        .collect()
}
