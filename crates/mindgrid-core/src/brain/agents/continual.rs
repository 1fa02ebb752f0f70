//! Continual learning with Elastic Weight Consolidation (Kirkpatrick et al. 2017), Synaptic
//! Intelligence (Zenke, Poole & Ganguli 2017) and replay.
//!
//! The agent learns, by imitation, the shortest-path move to the target the cue names (a teacher
//! gives the answer for the cell it stands in), with a small network. Tasks are told apart by the
//! cue, which is an input unless `task_input` is off.
//!
//! ```text
//! each step:   loss = CE(net(x), teacher moves)  over a minibatch of this task's examples
//!                     (+ a `replay` share of stored examples from earlier tasks)
//!                   + sum over earlier tasks k:  lambda/2 sum_i W_k,i (theta_i - theta*_k,i)^2
//!              Adam step;  SI also adds  w_i += -g_i * delta theta_i  (g: the task loss's gradient)
//! at a switch: theta* = theta, and the importance W of the task that ends is
//!   EWC: F_i = E_x E_(y ~ p(y|x)) [ (d log p(y|x) / d theta_i)^2 ]  (diagonal Fisher under the model's
//!        own predictions, over stored examples of that task)
//!   SI:  Omega_i = max(w_i, 0) / ((theta_i - theta_start,i)^2 + xi),  then w = 0, theta_start = theta
//! ```

use serde::{Deserialize, Serialize};

use ndarray::Array2;
use rand::{Rng, SeedableRng};

use crate::ArenaRng;
use crate::brain::nn::{Adam, Mlp, softmax_rows};
use crate::brain::{
    Agent, Brain, BrainSpec, Curve, Insight, Mechanism, Transition, ValueMap, choice,
    confidence_map, epsilon_greedy, hyperparameters, shortest_move_accuracy,
};
use crate::world::{Action, Colour, GridWorld, Observation, Teacher};

/// What the window says about consolidation.
pub const ABOUT: &str = "A network that learns task A and then task B forgets A: the weights that \
    solved A are overwritten (catastrophic forgetting). Elastic Weight Consolidation protects what \
    mattered: at the switch it measures each weight's importance F (the Fisher information: how much \
    the output distribution depends on it) and from then on pays lambda/2 F (w - w_A)^2 for moving \
    it. Important weights stay put; unimportant ones learn B. Replay mixes stored examples of old \
    tasks into training instead. Synaptic Intelligence measures importance online instead: while a \
    task is learned each weight accumulates how much its own movement lowered the loss (a path \
    integral), so nothing is computed at the switch. Brain analogue: synaptic consolidation, where potentiated synapses \
    become harder to change (Yang, Pan & Gan 2009), and complementary learning systems, where the \
    hippocampus replays old experience to the neocortex (McClelland, McNaughton & O'Reilly 1995). \
    What this demonstration simplifies: the network learns by imitation (a teacher gives the \
    shortest-path move for each placement; no reward), and the task is an input (the cue names \
    the colour), so this is task-incremental learning, the easier setting for EWC. With the task \
    input off, the two tasks ask opposite moves of the same inputs: no method can keep both, and \
    consolidation can only trade A against B. \
    Read: Kirkpatrick et al. 2017, Overcoming catastrophic forgetting in neural networks; \
    Zenke, Poole & Ganguli 2017, Continual learning through synaptic intelligence.";

choice! {
    /// How the importance of each weight for a finished task is measured.
    pub enum Importance {
        /// The diagonal Fisher information at the switch (Kirkpatrick et al. 2017).
        Fisher => "Fisher at the switch (EWC)",
        /// The path integral of loss reduction while learning (Zenke et al. 2017).
        PathIntegral => "path integral while learning (SI)",
    }
}

hyperparameters! {
    /// Hyperparameters of the continual learner.
    pub struct ContinualParams {
        lambda: f32 = 0.0, [0.0, 10_000.0], Live,
            help: "How strongly weights important to earlier tasks are held in place (EWC). 0: none.",
            source: "0: no consolidation; Kirkpatrick et al. 2017 tune it per task, and the red-then-blue scene sets a calibrated value";
        replay: f32 = 0.0, [0.0, 1.0], Live,
            help: "Share of every batch drawn from stored examples of earlier tasks.",
            source: "0: no replay; the red-then-blue scene sets a calibrated share";
        learning_rate: f32 = 1e-3, [1e-5, 0.1], Live,
            help: "Adam step size.",
            source: "1e-3 (Kingma & Ba 2015)";
        batch: u32 = 16, [1.0, 256.0], Live,
            help: "Examples per update.",
            source: "16, calibrated for the red-then-blue scene";
        epsilon: f32 = 0.2, [0.0, 1.0], Live,
            help: "Probability of a random move while acting (the network still learns from the teacher).",
            source: "0.2, calibrated for the red-then-blue scene";
        fisher_samples: u32 = 200, [10.0, 5000.0], Live,
            help: "Examples the importance (Fisher) is averaged over at a switch.",
            source: "200, calibrated for the red-then-blue scene";
        eval_every: u32 = 500, [50.0, 100_000.0], Live,
            help: "Steps between evaluations of every task seen (forgetting curves).",
            source: "500, calibrated for smooth forgetting curves";
        hidden: u32 = 64, [4.0, 512.0], OnReset,
            help: "Hidden units.",
            source: "64, calibrated for the red-then-blue scene";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "Consolidation off (as lambda 0), to watch forgetting return.",
            source: "off: consolidation as lambda sets it";
        importance: Importance = Importance::Fisher, [0.0, 1.0], OnReset,
            help: "How weights' importance is measured: the Fisher information when a task ends (EWC), or the path integral of loss reduction while it is learned (Synaptic Intelligence). lambda weighs it either way.",
            source: "Fisher (Kirkpatrick et al. 2017); path integral (Zenke, Poole & Ganguli 2017)";
        si_damping: f32 = 1e-3, [1e-6, 10.0], Live,
            help: "Synaptic Intelligence's xi: keeps a weight that barely moved from looking infinitely important.",
            source: "1e-3 (Zenke, Poole & Ganguli 2017)";
        task_input: bool = true, [0.0, 1.0], OnReset,
            help: "The cue (which colour is the goal) is an input. Off: the network is not told the task, the harder case in which the two tasks contradict each other.",
            source: "on: task-incremental learning, as Kirkpatrick et al. 2017";
    }
}

/// One labelled example: features and the teacher's distribution over moves.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Example {
    features: Vec<f32>,
    target: [f32; Action::COUNT],
}

/// A task the learner has met: its cue, its examples, its evaluation set and its curve.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Task {
    cue: Option<Colour>,
    examples: Vec<Example>,
    next_slot: usize,
    evaluation: Vec<(Vec<f32>, [bool; Action::COUNT])>,
    /// The worlds of the evaluation set, to score other tasks' perfect policies on this one.
    placements: Vec<GridWorld>,
    curve: Curve<f32>,
}

/// Consolidated knowledge of a finished task: importance and the weights it was learned with.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Consolidation {
    fisher: Vec<f32>,
    anchor: Vec<f32>,
}

/// One task's accuracy over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskCurve {
    /// The task's name (its cue).
    pub name: String,
    /// (step, accuracy on the task's own evaluation set).
    pub points: Vec<(u64, f32)>,
}

/// A weight matrix's importance, for the heatmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportanceMap {
    /// Which layer.
    pub name: String,
    /// Rows (output units).
    pub rows: usize,
    /// Columns (input units).
    pub cols: usize,
    /// Summed Fisher per weight, row-major, scaled to [0, 1].
    pub values: Vec<f32>,
    /// The largest raw value (the scale's top).
    pub max: f32,
}

/// What the continual learner shows.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ContinualInsight {
    /// Accuracy per task over time: the forgetting curves.
    pub tasks: Vec<TaskCurve>,
    /// (step, EWC penalty) over time.
    pub penalty: Vec<(u64, f32)>,
    /// Importance of every weight matrix (empty before the first switch).
    pub importance: Vec<ImportanceMap>,
    /// Consolidations so far (one per finished task).
    pub consolidations: usize,
    /// Increases whenever the importance changes (to refresh pictures).
    pub version: u64,
    /// EWC strength in force (0 when lesioned).
    pub lambda: f32,
    /// For each earlier task, the forgetting floor: the accuracy on it of a perfect policy for
    /// the current task (a network that switched to the new task entirely).
    pub floors: Vec<(String, f32)>,
    /// The importance is Synaptic Intelligence's path integral (otherwise the Fisher).
    pub path_integral: bool,
}

/// Examples kept per task.
const EXAMPLES_PER_TASK: usize = 4000;
/// Placements in each task's evaluation set.
const EVALUATION_SIZE: usize = 300;

/// A task's name in the panel: "go to red".
fn task_name(cue: Option<Colour>) -> String {
    cue.map_or("goal".to_owned(), |c| format!("go to {c:?}").to_lowercase())
}

fn cue_features(cue: Option<Colour>) -> [f32; 3] {
    let mut f = [0.0; 3];
    if let Some(c) = cue {
        f[Colour::ALL.iter().position(|&x| x == c).unwrap_or(0)] = 1.0;
    }
    f
}

/// The network's input: the full map planes plus the cue (zeros when the task is not an input).
fn features_of(observation: &Observation, task_input: bool, out: &mut Vec<f32>) {
    observation.write_features(out);
    out.extend(cue_features(observation.cue().filter(|_| task_input)));
}

/// The continual learner.
#[derive(Clone, Serialize, Deserialize)]
pub struct Continual {
    params: ContinualParams,
    net: Mlp,
    adam: Adam,
    rng: ArenaRng,
    tasks: Vec<Task>,
    current: usize,
    consolidations: Vec<Consolidation>,
    importance_total: Vec<f32>,
    penalty: Curve<f32>,
    features: Vec<f32>,
    pending: Option<Example>,
    steps: u64,
    version: u64,
    last_policy: [f32; Action::COUNT],
    /// SI: each weight's running contribution to lowering the loss during the current task.
    path: Vec<f32>,
    /// SI: the weights when the current task began.
    task_start: Vec<f32>,
    /// Each earlier task's forgetting floor under the current task (computed at each switch).
    floors: Vec<(String, f32)>,
}

impl Continual {
    /// A fresh learner for `world`; `seed` draws its weights and evaluation sets.
    pub fn new(params: ContinualParams, world: &GridWorld, seed: u64) -> Self {
        let mut rng = ArenaRng::seed_from_u64(seed);
        let inputs = Observation::of(world).feature_len() + 3;
        let net = Mlp::new(
            &[inputs, params.hidden.max(1) as usize, Action::COUNT],
            &mut rng,
        );
        Self {
            adam: Adam::new(params.learning_rate),
            importance_total: vec![0.0; net.parameter_count()],
            path: vec![0.0; net.parameter_count()],
            task_start: net.flat(),
            floors: Vec::new(),
            net,
            params,
            rng,
            tasks: Vec::new(),
            current: 0,
            consolidations: Vec::new(),
            penalty: Curve::default(),
            features: Vec::new(),
            pending: None,
            steps: 0,
            version: 0,
            last_policy: [0.25; Action::COUNT],
        }
    }

    /// The task with this cue, created (with its evaluation set) on first sight.
    fn task_for(&mut self, teacher: Teacher) -> usize {
        let cue = teacher.cue();
        if let Some(i) = self.tasks.iter().position(|t| t.cue == cue) {
            return i;
        }
        let mut placements = teacher.placements();
        let mut evaluation = Vec::with_capacity(EVALUATION_SIZE);
        let mut worlds = Vec::with_capacity(EVALUATION_SIZE);
        let mut features = Vec::new();
        let mut guard = 0;
        while evaluation.len() < EVALUATION_SIZE && guard < EVALUATION_SIZE * 10 {
            guard += 1;
            let (placement, best) = placements.draw(&mut self.rng);
            if best.iter().any(|&b| b) {
                features_of(
                    &Observation::of(placement),
                    self.params.task_input,
                    &mut features,
                );
                evaluation.push((features.clone(), best));
                worlds.push(placement.clone());
            }
        }
        self.tasks.push(Task {
            cue,
            examples: Vec::new(),
            next_slot: 0,
            evaluation,
            placements: worlds,
            curve: Curve::default(),
        });
        self.tasks.len() - 1
    }

    /// Accuracy on task `t`'s evaluation set: the share of placements where the network's
    /// preferred move is a shortest-path move.
    fn accuracy(&self, t: usize) -> f32 {
        let set = &self.tasks[t].evaluation;
        if set.is_empty() {
            return 0.0;
        }
        let inputs = Array2::from_shape_fn((set.len(), set[0].0.len()), |(i, j)| set[i].0[j]);
        let output = self.net.forward(inputs.view()).output;
        let best: Vec<[bool; Action::COUNT]> = set.iter().map(|(_, best)| *best).collect();
        shortest_move_accuracy(&output, &best)
    }

    /// The forgetting floor of task `t` under task `now`: on `t`'s evaluation placements, the
    /// chance that a move on a shortest path for `now` (ties drawn evenly) is one for `t` too.
    fn floor(&self, t: usize, now: usize) -> f32 {
        let cue = self.tasks[now].cue;
        let (mut sum, mut counted) = (0.0, 0);
        for (world, (_, best)) in self.tasks[t]
            .placements
            .iter()
            .zip(&self.tasks[t].evaluation)
        {
            let mut other = world.clone();
            other.rules.target = cue;
            let theirs = Teacher::of(&other).best_moves(other.agent());
            let n = theirs.iter().filter(|&&b| b).count();
            if n > 0 {
                let shared = (0..Action::COUNT).filter(|&a| theirs[a] && best[a]).count();
                sum += shared as f32 / n as f32;
                counted += 1;
            }
        }
        sum / counted.max(1) as f32
    }

    fn lambda(&self) -> f32 {
        if self.params.lesion {
            0.0
        } else {
            self.params.lambda
        }
    }

    /// The EWC penalty and its gradient, summed over consolidated tasks.
    fn penalty(&self, params: &[f32]) -> (f32, Vec<f32>) {
        let lambda = self.lambda();
        let mut grad = vec![0.0; params.len()];
        let mut total = 0.0;
        if lambda == 0.0 {
            return (0.0, grad);
        }
        for c in &self.consolidations {
            for i in 0..params.len() {
                let d = params[i] - c.anchor[i];
                total += 0.5 * lambda * c.fisher[i] * d * d;
                grad[i] += lambda * c.fisher[i] * d;
            }
        }
        (total, grad)
    }

    /// The diagonal Fisher of task `t` under the model's own predictions.
    fn fisher(&mut self, t: usize) -> Vec<f32> {
        let n = (self.params.fisher_samples as usize).min(self.tasks[t].examples.len());
        let mut fisher = vec![0.0; self.net.parameter_count()];
        if n == 0 {
            return fisher;
        }
        let chosen: Vec<usize> = (0..n)
            .map(|_| self.rng.random_range(0..self.tasks[t].examples.len()))
            .collect();
        for &i in &chosen {
            let x = Array2::from_shape_vec(
                (1, self.tasks[t].examples[i].features.len()),
                self.tasks[t].examples[i].features.clone(),
            )
            .expect("one row");
            let trace = self.net.forward(x.view());
            let p = softmax_rows(&trace.output);
            for y in 0..Action::COUNT {
                // d log p(y|x) / d logits = onehot(y) - p
                let mut g = -p.clone();
                g[[0, y]] += 1.0;
                self.net.zero_grad();
                self.net.backward(&trace, &g);
                let weight = p[[0, y]];
                for (f, g) in fisher.iter_mut().zip(self.net.flat_grad()) {
                    *f += weight * g * g;
                }
            }
        }
        self.net.zero_grad();
        fisher.iter_mut().for_each(|f| *f /= n as f32);
        fisher
    }

    /// Synaptic Intelligence's importance of the task that ends, `Omega_i = max(w_i, 0) /
    /// ((delta theta_i)^2 + xi)`; the path integral starts again from here.
    fn path_importance(&mut self) -> Vec<f32> {
        let theta = self.net.flat();
        let xi = self.params.si_damping;
        let omega = self
            .path
            .iter()
            .zip(theta.iter().zip(&self.task_start))
            .map(|(w, (now, start))| w.max(0.0) / ((now - start).powi(2) + xi))
            .collect();
        self.path.iter_mut().for_each(|w| *w = 0.0);
        self.task_start = theta;
        omega
    }

    /// Consolidates the task that ends and moves to task `next`.
    fn switch_to(&mut self, next: usize) {
        let old = self.current;
        if !self.tasks[old].examples.is_empty() {
            let fisher = match self.params.importance {
                Importance::Fisher => self.fisher(old),
                Importance::PathIntegral => self.path_importance(),
            };
            for (total, f) in self.importance_total.iter_mut().zip(&fisher) {
                *total += f;
            }
            self.consolidations.push(Consolidation {
                fisher,
                anchor: self.net.flat(),
            });
            self.version += 1;
        }
        self.current = next;
        self.floors = (0..self.tasks.len())
            .filter(|&t| t != next)
            .map(|t| (task_name(self.tasks[t].cue), self.floor(t, next)))
            .collect();
    }

    fn store(&mut self, example: Example) {
        let task = &mut self.tasks[self.current];
        if task.examples.len() < EXAMPLES_PER_TASK {
            task.examples.push(example);
        } else {
            task.examples[task.next_slot] = example;
            task.next_slot = (task.next_slot + 1) % EXAMPLES_PER_TASK;
        }
    }

    /// One minibatch update: this task's examples, a replayed share of earlier ones, and EWC.
    fn train(&mut self) {
        let batch = self.params.batch.max(1) as usize;
        let earlier: Vec<usize> = (0..self.tasks.len())
            .filter(|&t| t != self.current && !self.tasks[t].examples.is_empty())
            .collect();
        let mut rows = Vec::with_capacity(batch);
        for _ in 0..batch {
            let t = if !earlier.is_empty() && self.rng.random::<f32>() < self.params.replay {
                earlier[self.rng.random_range(0..earlier.len())]
            } else {
                self.current
            };
            let examples = &self.tasks[t].examples;
            if !examples.is_empty() {
                rows.push(examples[self.rng.random_range(0..examples.len())].clone());
            }
        }
        if rows.is_empty() {
            return;
        }
        let width = rows[0].features.len();
        let x = Array2::from_shape_fn((rows.len(), width), |(i, j)| rows[i].features[j]);
        let trace = self.net.forward(x.view());
        let p = softmax_rows(&trace.output);
        let mut grad = p;
        for (i, row) in rows.iter().enumerate() {
            for a in 0..Action::COUNT {
                grad[[i, a]] = (grad[[i, a]] - row.target[a]) / rows.len() as f32;
            }
        }
        self.net.zero_grad();
        self.net.backward(&trace, &grad);
        // SI's path integral needs the task loss's own gradient and the step the optimiser takes.
        let si = self.params.importance == Importance::PathIntegral;
        let before = si.then(|| (self.net.flat_grad(), self.net.flat()));
        if !self.consolidations.is_empty() && self.lambda() > 0.0 {
            let (penalty, penalty_grad) = self.penalty(&self.net.flat());
            self.add_flat_grad(&penalty_grad);
            if self.steps.is_multiple_of(50) {
                self.penalty.push(self.steps, penalty);
            }
        }
        self.adam.learning_rate = self.params.learning_rate;
        self.adam.step(self.net.tensors());
        if let Some((gradient, theta)) = before {
            for ((w, g), (now, then)) in self
                .path
                .iter_mut()
                .zip(gradient)
                .zip(self.net.flat().into_iter().zip(theta))
            {
                *w -= g * (now - then);
            }
        }
    }

    fn add_flat_grad(&mut self, extra: &[f32]) {
        let mut k = 0;
        for layer in &mut self.net.layers {
            for g in layer.gw.iter_mut().chain(layer.gb.iter_mut()) {
                *g += extra[k];
                k += 1;
            }
        }
    }

    /// The value map: the network's confidence in its preferred move from each floor cell, for
    /// this task. Every floor cell is one row of a single forward pass.
    fn value_map(&self, world: &GridWorld) -> ValueMap {
        let mut copy = world.clone();
        let floor = world.floor_cells();
        let (mut features, mut rows) = (Vec::new(), Vec::new());
        for &i in &floor {
            copy.set_start(i);
            copy.reset();
            features_of(
                &Observation::of(&copy),
                self.params.task_input,
                &mut features,
            );
            rows.extend_from_slice(&features);
        }
        match Array2::from_shape_vec((floor.len(), features.len()), rows) {
            Ok(x) if !floor.is_empty() => {
                let p = softmax_rows(&self.net.forward(x.view()).output);
                confidence_map(&p, floor, world.cell_count())
            }
            _ => confidence_map(&Array2::zeros((0, Action::COUNT)), [], world.cell_count()),
        }
    }

    /// Accuracy on every task seen, now.
    pub fn accuracies(&self) -> Vec<(Option<Colour>, f32)> {
        (0..self.tasks.len())
            .map(|t| (self.tasks[t].cue, self.accuracy(t)))
            .collect()
    }
}

impl Brain for Continual {
    type Params = ContinualParams;
    const SUMMARY: &'static str = "a network learning task after task: EWC (Kirkpatrick et al. 2017), Synaptic Intelligence (Zenke et al. 2017), replay";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &ContinualParams, world: &GridWorld, seed: u64) -> Self {
        Self::new(params.clone(), world, seed)
    }

    /// The network reads the whole map, and its value map runs it from every cell: the cost
    /// grows with the square of the map (measured per agent: 32 x 32, 15 ms a step and 0.15 s a
    /// panel; 64 x 64, 66 ms and 1.8 s).
    const MOST_CELLS: Option<(usize, &'static str)> = Some((
        1024,
        "its network reads the whole map and its value map runs it from every cell, so its cost grows with the square of the map (for example 32 x 32)",
    ));

    fn title(params: &ContinualParams) -> &'static str {
        match (params.lambda > 0.0, params.importance) {
            (true, Importance::Fisher) => "consolidation (EWC)",
            (true, Importance::PathIntegral) => "consolidation (Synaptic Intelligence)",
            (false, _) => "a continual learner",
        }
    }
}

impl Agent for Continual {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let teacher = observation.teacher();
        let task = self.task_for(teacher);
        if task != self.current {
            self.switch_to(task);
        }
        features_of(observation, self.params.task_input, &mut self.features);
        let best = teacher.best_moves(observation.state);
        let total = best.iter().filter(|&&b| b).count();
        let mut target = [0.0; Action::COUNT];
        if total > 0 {
            for a in 0..Action::COUNT {
                if best[a] {
                    target[a] = 1.0 / total as f32;
                }
            }
            self.pending = Some(Example {
                features: self.features.clone(),
                target,
            });
        }
        let x = Array2::from_shape_vec((1, self.features.len()), self.features.clone())
            .expect("one row");
        let logits = self.net.forward(x.view()).output;
        let p = softmax_rows(&logits);
        for a in 0..Action::COUNT {
            self.last_policy[a] = p[[0, a]];
        }
        epsilon_greedy(&self.last_policy, self.params.epsilon, rng)
    }

    fn learn(&mut self, _t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        if let Some(example) = self.pending.take() {
            self.store(example);
        }
        self.train();
        if self
            .steps
            .is_multiple_of(u64::from(self.params.eval_every.max(1)))
        {
            for t in 0..self.tasks.len() {
                let accuracy = self.accuracy(t);
                self.tasks[t].curve.push(self.steps, accuracy);
            }
        }
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        let mut importance = Vec::new();
        if !self.consolidations.is_empty() {
            let mut k = 0;
            for (l, layer) in self.net.layers.iter().enumerate() {
                let (rows, cols) = layer.w.dim();
                let values = &self.importance_total[k..k + rows * cols];
                let max = values.iter().copied().fold(0.0, f32::max).max(1e-12);
                importance.push(ImportanceMap {
                    name: format!("layer {} weights ({rows} x {cols})", l + 1),
                    rows,
                    cols,
                    values: values.iter().map(|v| (v / max).sqrt()).collect(),
                    max,
                });
                k += rows * cols + layer.b.len();
            }
        }
        let tasks = self
            .tasks
            .iter()
            .map(|t| TaskCurve {
                name: task_name(t.cue),
                points: t.curve.points(),
            })
            .collect();
        let values = self.value_map(world);
        let current = self.accuracies();
        Insight {
            values: Some(values),
            action_values: Some(self.last_policy),
            action_caption: "Move probabilities here",
            facts: current
                .iter()
                .map(|(cue, acc)| {
                    (
                        format!(
                            "accuracy, go to {}",
                            cue.map_or("goal".to_owned(), |c| format!("{c:?}").to_lowercase())
                        ),
                        format!("{acc:.2}"),
                    )
                })
                .chain(std::iter::once((
                    "parameters".to_owned(),
                    self.net.parameter_count().to_string(),
                )))
                .collect(),
            mechanism: Some(Mechanism::Continual(ContinualInsight {
                tasks,
                penalty: self.penalty.points(),
                importance,
                consolidations: self.consolidations.len(),
                version: self.version,
                lambda: self.lambda(),
                floors: self.floors.clone(),
                path_integral: self.params.importance == Importance::PathIntegral,
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
        use crate::brain::parts::restored::{all_finite, counters, ensure, probability};
        let inputs = Observation::of(world).feature_len() + 3;
        self.net
            .check(&[inputs, self.params.hidden.max(1) as usize, Action::COUNT])?;
        self.adam.check(&self.net.tensor_lengths())?;
        let weights = self.net.parameter_count();
        let example_fits = |e: &Example| {
            e.features.len() == inputs && all_finite(&e.features) && all_finite(&e.target)
        };
        // One task per cue: none, or one of the colours.
        ensure(
            self.tasks.len() <= Colour::ALL.len() + 1
                && (self.current < self.tasks.len()
                    || (self.tasks.is_empty() && self.current == 0))
                && self
                    .tasks
                    .iter()
                    .enumerate()
                    .all(|(i, t)| self.tasks[..i].iter().all(|u| u.cue != t.cue)),
            || "its tasks are damaged".into(),
        )?;
        for task in &self.tasks {
            ensure(
                task.examples.len() <= EXAMPLES_PER_TASK
                    && task.examples.iter().all(example_fits)
                    && task.next_slot < EXAMPLES_PER_TASK
                    && (task.examples.len() == EXAMPLES_PER_TASK || task.next_slot == 0)
                    && task.evaluation.len() <= EVALUATION_SIZE
                    && task.placements.len() == task.evaluation.len()
                    && task
                        .evaluation
                        .iter()
                        .all(|(f, _)| f.len() == inputs && all_finite(f)),
                || "a task's examples do not fit the network".into(),
            )?;
            for placement in &task.placements {
                placement.check()?;
                ensure(
                    (placement.width(), placement.height()) == (world.width(), world.height()),
                    || "a task's evaluation holds another map".into(),
                )?;
            }
            task.curve.check(|a| probability(*a))?;
        }
        ensure(
            self.consolidations.iter().all(|c| {
                c.fisher.len() == weights
                    && c.anchor.len() == weights
                    && all_finite(c.fisher.iter().chain(&c.anchor))
                    && c.fisher.iter().all(|&f| f >= 0.0)
            }) && self.importance_total.len() == weights
                && all_finite(&self.importance_total)
                && self.path.len() == weights
                && self.task_start.len() == weights
                && all_finite(self.path.iter().chain(&self.task_start)),
            || "its consolidated weights do not fit the network".into(),
        )?;
        ensure(
            self.pending.as_ref().is_none_or(example_fits)
                && self.last_policy.iter().all(|&p| probability(p))
                && self.floors.iter().all(|(_, f)| probability(*f))
                && counters(&[self.steps, self.version]),
            || "its state is damaged".into(),
        )?;
        self.penalty.check(|v| v.is_finite() && *v >= 0.0)
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Continual(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Continual(params) = spec {
            self.params = params.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    //! The EWC penalty's gradient against finite differences, with two consolidated tasks.

    use super::*;
    use crate::world::{GridWorld, Rules, View};

    #[test]
    fn ewc_penalty_gradient_matches_finite_differences() {
        let rows = vec!["S..".to_owned(), "..G".to_owned()];
        let rules = Rules {
            goal_reward: 1.0,
            lava_reward: -1.0,
            distractor_reward: 0.0,
            step_reward: 0.0,
            slip: 0.0,
            max_steps: 50,
            target: None,
            shuffle: false,
            random_target: false,
            lava_to_start: false,
            conditioning: None,
            reward_noise: 0.0,
            pool: None,
        };
        let world = GridWorld::from_rows(&rows, rules, View::Full);
        let params = ContinualParams {
            lambda: 40.0,
            hidden: 4,
            ..ContinualParams::default()
        };
        let mut learner = Continual::new(params, &world, 7);
        let mut rng = ArenaRng::seed_from_u64(8);
        let count = learner.net.parameter_count();
        for _ in 0..2 {
            learner.consolidations.push(Consolidation {
                fisher: (0..count).map(|_| rng.random::<f32>()).collect(),
                anchor: (0..count).map(|_| rng.random::<f32>() - 0.5).collect(),
            });
        }
        let theta: Vec<f32> = (0..count).map(|_| rng.random::<f32>() - 0.5).collect();
        let (_, analytic) = learner.penalty(&theta);
        let h = 1e-2;
        for k in (0..count).step_by((count / 20).max(1)) {
            let at = |delta: f32| {
                let mut shifted = theta.clone();
                shifted[k] += delta;
                learner.penalty(&shifted).0
            };
            let numeric = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (analytic[k] - numeric).abs() <= 1e-2 + 0.01 * numeric.abs(),
                "parameter {k}: analytic {}, numeric {numeric}",
                analytic[k]
            );
        }
        // The lesion switches consolidation off: no penalty, no gradient.
        learner.params.lesion = true;
        let (total, grad) = learner.penalty(&theta);
        assert_eq!(total, 0.0);
        assert!(grad.iter().all(|&g| g == 0.0));
    }
}
