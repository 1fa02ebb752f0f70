//! Meta-learning with Reptile (Nichol, Achiam & Schulman 2018): learn a starting point from which one
//! gradient step on a handful of examples solves a new task.
//!
//! Tasks: the goal hides in a different cell each time; the input is only where the agent stands,
//! so the goal must be learned from K labelled cells (the teacher's shortest-path move there).
//!
//! ```text
//! meta-training, repeated:   g = a training goal;   W = theta
//!                            k times:  W -= inner_lr * grad CE(W; K labelled cells of g)
//!                            theta += meta_step * (W - theta)
//! a new task (held-out g):   theta' = theta - inner_lr * grad CE(theta; K labelled cells of g)   (one step)
//!                            accuracy of theta' over every cell of g
//! compared with: "pretrained" (one network trained on all training goals at once) and "scratch"
//! (a random start), adapted the same way.
//! ```

use serde::{Deserialize, Serialize};

use ndarray::Array2;
use rand::{Rng, SeedableRng};

use crate::ArenaRng;
use crate::brain::nn::{Mlp, softmax_rows};
use crate::brain::{
    Agent, Brain, BrainSpec, Curve, Insight, Mechanism, Transition, ValueMap, confidence_map,
    epsilon_greedy, hyperparameters, shortest_move_accuracy,
};
use crate::world::{Action, Cell, GridWorld, Observation, Teacher};

/// What the window says about meta-learning.
pub const ABOUT: &str = "Learning to learn: instead of solving one task, Reptile looks for a starting \
    point from which a few examples and one gradient step solve any task of a family. It repeatedly \
    takes a task, adapts a copy of the network to it with a few gradient steps, and moves the \
    starting point a little towards the adapted weights: theta += epsilon (W - theta). Here each task \
    hides the goal in another cell; after meta-training, five labelled cells of a goal never seen \
    are enough. Compare a network pretrained on all goals at once, and one starting from scratch. \
    Brain analogue: prefrontal cortex as a meta-reinforcement learner, whose slow learning shapes a \
    fast learner (Wang et al. 2018); learning sets in monkeys (Harlow 1949). \
    Read: Nichol, Achiam & Schulman 2018 (Reptile); Finn, Abbeel & Levine 2017 (MAML).";

hyperparameters! {
    /// Hyperparameters of Reptile.
    pub struct ReptileParams {
        inner_steps: u32 = 5, [1.0, 50.0], Live,
            help: "Gradient steps on a task inside each meta-iteration (k).",
            source: "5-10 (Nichol et al. 2018)";
        inner_lr: f32 = 0.3, [0.001, 5.0], Live,
            help: "Step size of the inner and adaptation steps.",
            source: "0.3, calibrated for the hidden-goal scene";
        meta_step: f32 = 0.1, [0.0, 1.0], Live,
            help: "How far the starting point moves towards each adapted network (epsilon).",
            source: "1.0 annealed to 0 (Nichol et al. 2018); 0.1 here";
        shots: u32 = 5, [1.0, 24.0], Live,
            help: "Labelled cells given for a new task (K).",
            source: "5 (5-shot tasks, Nichol et al. 2018)";
        adapt_steps: u32 = 1, [0.0, 20.0], Live,
            help: "Gradient steps when adapting to a new task.",
            source: "1 (one gradient step), calibrated for the hidden-goal scene";
        meta_per_step: u32 = 1, [0.0, 100.0], Live,
            help: "Meta-iterations per real step (0 pauses meta-training).",
            source: "1, calibrated for the hidden-goal scene";
        epsilon: f32 = 0.05, [0.0, 1.0], Live,
            help: "Probability of a random move while acting.",
            source: "0.05, calibrated for the hidden-goal scene";
        eval_every: u32 = 250, [10.0, 100_000.0], Live,
            help: "Steps between evaluations on held-out goals.",
            source: "250, calibrated for the hidden-goal scene";
        held_out: f32 = 0.3, [0.05, 0.9], OnReset,
            help: "Share of goal cells never meta-trained on.",
            source: "0.3, calibrated for the hidden-goal scene";
        hidden: u32 = 32, [4.0, 512.0], OnReset,
            help: "Hidden units.",
            source: "32, calibrated for the hidden-goal scene";
    }
}

/// One goal's labelled cells: (cell, the teacher's shortest-path moves there).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct GoalTask {
    goal: usize,
    labels: Vec<(usize, [bool; Action::COUNT])>,
}

/// Accuracy after each adaptation step, for one starting point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdaptationCurve {
    /// "meta-learned", "pretrained" or "scratch".
    pub start: String,
    /// Accuracy after 0, 1, 2, ... gradient steps.
    pub accuracy: Vec<f32>,
}

/// What the meta-learner shows.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct MetaInsight {
    /// Meta-iterations done.
    pub iterations: u64,
    /// (meta-iterations, held-out accuracy after adaptation) for meta-learned, pretrained, scratch.
    pub progress: Vec<(u64, [f32; 3])>,
    /// The latest "new task" comparison: its goal cell, labelled cells, and the three curves.
    pub probe: Option<(usize, Vec<usize>, Vec<AdaptationCurve>)>,
    /// Training and held-out goal counts.
    pub goals: (usize, usize),
    /// Reference levels on held-out goals: chance, and the best policy that ignores the goal.
    pub floors: [f32; 2],
    /// Labelled cells shown for a new goal (K, the `shots` slider).
    pub shots: u32,
    /// Gradient steps taken on them before the held-out score (the `adapt_steps` slider).
    pub adapt_steps: u32,
}

/// The three starting points' names, in insight order.
pub const STARTS: [&str; 3] = ["meta-learned", "pretrained", "scratch"];

/// The Reptile meta-learner, with a pretrained and a scratch network to compare against.
#[derive(Clone, Serialize, Deserialize)]
pub struct Reptile {
    params: ReptileParams,
    meta: Mlp,
    pretrained: Mlp,
    scratch: Mlp,
    train: Vec<GoalTask>,
    held_out: Vec<GoalTask>,
    cells: usize,
    rng: ArenaRng,
    iterations: u64,
    steps: u64,
    progress: Curve<[f32; 3]>,
    probe: Option<(usize, Vec<usize>, Vec<AdaptationCurve>)>,
    /// The network adapted to the current episode's goal, and the goal it was adapted to.
    adapted: Option<(usize, Mlp)>,
    last_policy: [f32; Action::COUNT],
}

fn one_hot_rows(cells: &[usize], width: usize) -> Array2<f32> {
    let mut x = Array2::zeros((cells.len(), width));
    for (i, &c) in cells.iter().enumerate() {
        x[[i, c]] = 1.0;
    }
    x
}

/// Soft targets (uniform over the shortest-path moves) for a batch.
fn targets(labels: &[[bool; Action::COUNT]]) -> Array2<f32> {
    let mut t = Array2::zeros((labels.len(), Action::COUNT));
    for (i, best) in labels.iter().enumerate() {
        let n = best.iter().filter(|&&b| b).count().max(1) as f32;
        for a in 0..Action::COUNT {
            if best[a] {
                t[[i, a]] = 1.0 / n;
            }
        }
    }
    t
}

/// One plain gradient step of cross-entropy on (cells, labels).
fn sgd_step(
    net: &mut Mlp,
    cells: &[usize],
    labels: &[[bool; Action::COUNT]],
    width: usize,
    lr: f32,
) {
    if cells.is_empty() {
        return;
    }
    let x = one_hot_rows(cells, width);
    let trace = net.forward(x.view());
    let grad = (softmax_rows(&trace.output) - targets(labels)) / cells.len() as f32;
    net.zero_grad();
    net.backward(&trace, &grad);
    net.sgd_step(lr);
}

/// Share of a goal's cells where the network's preferred move is a shortest-path move.
fn accuracy(net: &Mlp, task: &GoalTask, width: usize, support: &[usize]) -> f32 {
    // The labelled cells the network adapted on are not scored: a start that only memorised its
    // five examples must not look as if it had found the goal.
    let (cells, best): (Vec<usize>, Vec<[bool; Action::COUNT]>) = task
        .labels
        .iter()
        .filter(|(c, _)| !support.contains(c))
        .copied()
        .unzip();
    let output = net.forward(one_hot_rows(&cells, width).view()).output;
    shortest_move_accuracy(&output, &best)
}

/// Reference levels for the held-out accuracy: a uniformly random preference (chance), and the
/// best single policy that ignores where the goal is (per cell, the move that is a shortest-path
/// move for the most goals).
fn floors(tasks: &[GoalTask], cells: usize) -> [f32; 2] {
    let mut chance = 0.0;
    let mut votes = vec![[0u32; Action::COUNT]; cells];
    let mut labelled: f32 = 0.0;
    for task in tasks {
        for (cell, best) in &task.labels {
            chance += best.iter().filter(|&&b| b).count() as f32 / Action::COUNT as f32;
            for (vote, &b) in votes[*cell].iter_mut().zip(best) {
                *vote += u32::from(b);
            }
            labelled += 1.0;
        }
    }
    let agnostic: u32 = votes
        .iter()
        .map(|v| v.iter().copied().max().unwrap_or(0))
        .sum();
    [
        chance / labelled.max(1.0),
        agnostic as f32 / labelled.max(1.0),
    ]
}

impl Reptile {
    /// A fresh meta-learner; goals are the floor cells of `world`'s map, split into training and
    /// held-out goals by `seed`.
    pub fn new(params: ReptileParams, world: &GridWorld, seed: u64) -> Self {
        let mut rng = ArenaRng::seed_from_u64(seed);
        let cells = world.cell_count();
        let sizes = [cells, params.hidden.max(1) as usize, Action::COUNT];
        let meta = Mlp::new(&sizes, &mut rng);
        let pretrained = meta.clone();
        let scratch = meta.clone();
        let mut goals: Vec<GoalTask> = (0..cells)
            .filter(|&c| matches!(world.cell(c), Cell::Floor | Cell::Goal))
            .map(|goal| Self::goal_task(Teacher::of(world), goal))
            .filter(|t| !t.labels.is_empty())
            .collect();
        for i in (1..goals.len()).rev() {
            let j = rng.random_range(0..=i);
            goals.swap(i, j);
        }
        let held = ((goals.len() as f32 * params.held_out).round() as usize)
            .clamp(1, goals.len().saturating_sub(1).max(1));
        let held_out = goals.split_off(goals.len() - held.min(goals.len()));
        Self {
            params,
            meta,
            pretrained,
            scratch,
            train: goals,
            held_out,
            cells,
            rng,
            iterations: 0,
            steps: 0,
            progress: Curve::default(),
            probe: None,
            adapted: None,
            last_policy: [0.25; Action::COUNT],
        }
    }

    /// The labelled cells of the task whose goal is `goal`, as the teacher gives them.
    fn goal_task(teacher: Teacher, goal: usize) -> GoalTask {
        GoalTask {
            goal,
            labels: teacher.lesson_towards(goal),
        }
    }

    /// K labelled cells of `task`, drawn without replacement.
    fn shots(&mut self, task: &GoalTask) -> (Vec<usize>, Vec<[bool; Action::COUNT]>) {
        let mut order: Vec<usize> = (0..task.labels.len()).collect();
        let k = (self.params.shots as usize).min(order.len());
        for i in 0..k {
            let j = self.rng.random_range(i..order.len());
            order.swap(i, j);
        }
        order[..k].iter().map(|&i| task.labels[i]).unzip()
    }

    /// One Reptile meta-iteration, and one joint-training step of the pretrained network.
    pub fn meta_iteration(&mut self) {
        if self.train.is_empty() {
            return;
        }
        let task = self.train[self.rng.random_range(0..self.train.len())].clone();
        let mut adapted = self.meta.clone();
        for _ in 0..self.params.inner_steps {
            let (cells, labels) = self.shots(&task);
            sgd_step(
                &mut adapted,
                &cells,
                &labels,
                self.cells,
                self.params.inner_lr,
            );
        }
        let theta = self.meta.flat();
        let w = adapted.flat();
        let moved: Vec<f32> = theta
            .iter()
            .zip(&w)
            .map(|(t, w)| t + self.params.meta_step * (w - t))
            .collect();
        self.meta.set_flat(&moved);
        // The pretrained baseline sees as many labelled examples, from all training goals at once.
        let mut cells = Vec::new();
        let mut labels = Vec::new();
        for _ in 0..self.params.inner_steps {
            let other = self.train[self.rng.random_range(0..self.train.len())].clone();
            let (c, l) = self.shots(&other);
            cells.extend(c);
            labels.extend(l);
        }
        sgd_step(
            &mut self.pretrained,
            &cells,
            &labels,
            self.cells,
            self.params.inner_lr,
        );
        self.iterations += 1;
    }

    /// Accuracy after adapting each starting point with `steps` gradient steps on K shots of
    /// `task`: one curve per start, from 0 to `steps` steps.
    fn adaptation_curves(
        &mut self,
        task: &GoalTask,
        steps: u32,
    ) -> (Vec<usize>, Vec<AdaptationCurve>) {
        let (cells, labels) = self.shots(task);
        let starts = [
            self.meta.clone(),
            self.pretrained.clone(),
            self.scratch.clone(),
        ];
        let curves = starts
            .into_iter()
            .zip(STARTS)
            .map(|(mut net, start)| {
                let mut accuracy_after = vec![accuracy(&net, task, self.cells, &cells)];
                for _ in 0..steps {
                    sgd_step(&mut net, &cells, &labels, self.cells, self.params.inner_lr);
                    accuracy_after.push(accuracy(&net, task, self.cells, &cells));
                }
                AdaptationCurve {
                    start: start.to_owned(),
                    accuracy: accuracy_after,
                }
            })
            .collect();
        (cells, curves)
    }

    /// Mean held-out accuracy after `adapt_steps` steps on K shots, for meta-learned, pretrained
    /// and scratch starts (averaged over every held-out goal and `draws` draws of the shots).
    pub fn evaluate(&mut self, draws: usize) -> [f32; 3] {
        let mut total = [0.0f32; 3];
        let mut n = 0.0f32;
        let steps = self.params.adapt_steps;
        for task in self.held_out.clone() {
            for _ in 0..draws {
                let (_, curves) = self.adaptation_curves(&task, steps);
                for (t, curve) in total.iter_mut().zip(&curves) {
                    *t += curve.accuracy[steps as usize];
                }
                n += 1.0;
            }
        }
        total.map(|t| t / n.max(1.0))
    }

    /// Meta-iterations done.
    pub fn iterations(&self) -> u64 {
        self.iterations
    }

    /// A network adapted from the meta-learned start to the goal `goal` with K shots.
    fn adapt_to(&mut self, goal: usize, teacher: Teacher) -> Mlp {
        let task = Self::goal_task(teacher, goal);
        let (cells, labels) = self.shots(&task);
        let mut net = self.meta.clone();
        for _ in 0..self.params.adapt_steps {
            sgd_step(&mut net, &cells, &labels, self.cells, self.params.inner_lr);
        }
        net
    }
}

impl Brain for Reptile {
    type Params = ReptileParams;
    const SUMMARY: &'static str =
        "meta-learning (Nichol et al. 2018) against pretrained and scratch starts";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &ReptileParams, world: &GridWorld, seed: u64) -> Self {
        Self::new(params.clone(), world, seed)
    }

    fn title(_params: &ReptileParams) -> &'static str {
        "meta-learning (Reptile)"
    }

    /// One task per floor cell, each labelling every cell: memory and start-up grow with the
    /// square of the map (measured: 32 x 32, 0.12 s an agent; 64 x 64, 2 s and about 200 MB).
    const MOST_CELLS: Option<(usize, &'static str)> = Some((
        1024,
        "it keeps a task per floor cell labelling every cell, so its memory and start-up grow with the square of the map (for example 32 x 32)",
    ));
}

impl Reptile {
    /// The adapted network's confidence in its preferred move from each floor cell, one forward
    /// pass for all of them.
    fn value_map(&self, world: &GridWorld) -> ValueMap {
        let net = self.adapted.as_ref().map_or(&self.meta, |(_, net)| net);
        let floor = world.floor_cells();
        let p = softmax_rows(&net.forward(one_hot_rows(&floor, self.cells).view()).output);
        confidence_map(&p, floor, world.cell_count())
    }
}

impl Agent for Reptile {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        // The goal is hidden from the network; the teacher says where it is only through the
        // K labelled cells it shows for it.
        let teacher = observation.teacher();
        if let Some(goal) = teacher.goal()
            && self.adapted.as_ref().is_none_or(|(g, _)| *g != goal)
        {
            let net = self.adapt_to(goal, teacher);
            self.adapted = Some((goal, net));
        }
        let net = self.adapted.as_ref().map_or(&self.meta, |(_, net)| net);
        let x = one_hot_rows(&[observation.state], self.cells);
        let p = softmax_rows(&net.forward(x.view()).output);
        for a in 0..Action::COUNT {
            self.last_policy[a] = p[[0, a]];
        }
        epsilon_greedy(&self.last_policy, self.params.epsilon, rng)
    }

    fn learn(&mut self, _t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        for _ in 0..self.params.meta_per_step {
            self.meta_iteration();
        }
        if self.params.meta_per_step > 0
            && self
                .steps
                .is_multiple_of(u64::from(self.params.eval_every.max(1)))
        {
            let scores = self.evaluate(2);
            self.progress.push(self.iterations, scores);
            if self.probe.is_none() {
                // Show one comparison from the start, so the panel is never empty.
                self.try_new_task();
            }
        }
    }

    fn end_episode(&mut self, _rng: &mut ArenaRng) {
        // The next episode's goal gets a fresh adaptation from the (further meta-trained) start.
        self.adapted = None;
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let values = self.value_map(world);
        let latest = self.progress.last().map(|(_, s)| *s);
        let mut facts = vec![("meta-iterations".to_owned(), self.iterations.to_string())];
        // The arena's own episode adapts to whatever goal the room has drawn: say whether meta-
        // training has seen it (only the "new task" comparison is sure to use a held-out goal).
        if let Some(goal) = crate::world::Teacher::of(world).goal() {
            let (x, y) = world.xy(goal);
            let seen = if self.held_out.iter().any(|t| t.goal == goal) {
                "held out (never meta-trained on)"
            } else {
                "one meta-training has seen"
            };
            facts.push((
                "this episode's goal".to_owned(),
                format!("column {x}, row {y}: {seen}"),
            ));
        }
        if let Some(s) = latest {
            facts.push((
                "held-out accuracy".to_owned(),
                format!(
                    "meta {:.2} · pretrained {:.2} · scratch {:.2}",
                    s[0], s[1], s[2]
                ),
            ));
        }
        Insight {
            values: Some(values),
            action_values: Some(self.last_policy),
            action_caption: "Move probabilities here (adapted)",
            facts,
            mechanism: Some(Mechanism::Meta(MetaInsight {
                iterations: self.iterations,
                progress: self.progress.points(),
                probe: self.probe.clone(),
                shots: self.params.shots,
                adapt_steps: self.params.adapt_steps,
                goals: (self.train.len(), self.held_out.len()),
                floors: floors(&self.held_out, self.cells),
            })),
        }
    }

    fn map_insight(&self, world: &GridWorld) -> Insight {
        Insight {
            values: Some(self.value_map(world)),
            ..Insight::default()
        }
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{counters, ensure, probability};
        let cells = world.cell_count();
        ensure(self.cells == cells, || {
            format!("it was built for {} cells; the map has {cells}", self.cells)
        })?;
        let sizes = [cells, self.params.hidden.max(1) as usize, Action::COUNT];
        for net in [&self.meta, &self.pretrained, &self.scratch] {
            net.check(&sizes)?;
        }
        if let Some((goal, net)) = &self.adapted {
            ensure(*goal < cells, || "its adapted goal is off the map".into())?;
            net.check(&sizes)?;
        }
        let on_map = |t: &GoalTask| {
            t.goal < cells
                && !t.labels.is_empty()
                && t.labels.len() <= cells
                && t.labels.iter().all(|(c, _)| *c < cells)
        };
        ensure(
            self.train.len() + self.held_out.len() <= cells
                && self.train.iter().chain(&self.held_out).all(on_map),
            || "its goal tasks leave the map".into(),
        )?;
        ensure(
            self.probe.as_ref().is_none_or(|(goal, shots, curves)| {
                *goal < cells
                    && shots.len() <= cells
                    && shots.iter().all(|&c| c < cells)
                    && curves.len() == STARTS.len()
                    && curves.iter().all(|c| {
                        c.accuracy.len() <= 64 && c.accuracy.iter().all(|&a| probability(a))
                    })
            }) && self.last_policy.iter().all(|&p| probability(p))
                && counters(&[self.iterations, self.steps]),
            || "its state is damaged".into(),
        )?;
        self.progress.check(|s| s.iter().all(|&a| probability(a)))
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Reptile(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Reptile(params) = spec {
            self.params = params.clone();
        }
    }

    fn try_new_task(&mut self) {
        if self.held_out.is_empty() {
            return;
        }
        let task = self.held_out[self.rng.random_range(0..self.held_out.len())].clone();
        let (cells, curves) = self.adaptation_curves(&task, 10);
        self.probe = Some((task.goal, cells, curves));
    }
}
