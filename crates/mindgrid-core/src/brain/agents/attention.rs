//! Soft spatial attention over an egocentric view (after Mott et al. 2019), feeding an advantage
//! actor-critic (A2C, Mnih et al. 2016) trained online with n-step returns and an entropy bonus.
//!
//! ```text
//! entities:  every cell i of the (2r+1)^2 window:  e_i = [one-hot kind (11), dx/r, dy/r]
//!            (floor, wall, goal, lava, three objects, outside, a cue tile in each of three colours)
//! heads h:   q_h = Wq_h cue + b_h                      (the cue: the target colour, one-hot)
//!            w_h = softmax_i( (Wk e_i) . q_h / (sqrt(dk) T) ),   read_h = sum_i w_h,i (Wv e_i)
//! policy:    z = relu(W1 [read_1 .. read_H, cue]),   pi = softmax(Wpi z),   V = wv z
//! learning:  every n steps (or at the episode's end):  R_t = r_t + gamma R_t+1  (R_n = V(s_n))
//!            loss = sum_t [ -log pi(a_t|s_t) (R_t - V_t)  + c (R_t - V_t)^2 / 2  - beta H(pi_t) ]
//!            backprop by hand through heads, attention, keys, values and queries;  Adam
//! lesion:    w_h,i = 1/N (uniform attention)
//! ```

use serde::{Deserialize, Serialize};

use ndarray::{Array1, Array2, Axis, concatenate, s};
use rand::SeedableRng;

use crate::ArenaRng;
use crate::brain::nn::{
    Adam, Attention, AttentionTrace, Linear, policy_gradient, relu, relu_backward, softmax,
};
use crate::brain::{
    Agent, Brain, BrainSpec, Curve, Insight, Mechanism, Transition, hyperparameters,
    n_step_advantages, sample_move,
};
use crate::world::{Action, Cell, Colour, EGO_CELL_KINDS, GridWorld, Observation, View, ego_kind};

/// What the window says about attention.
pub const ABOUT: &str = "The agent does not take in its whole view at once: each attention head \
    asks a question (a query, set by the cue: which colour is wanted), compares it with a key \
    computed from every cell it sees, and reads mostly from the cells whose keys match: \
    w_i = softmax(k_i . q / T), read = sum_i w_i v_i. A small actor-critic acts on what was read and \
    learns from reward (advantage actor-critic). The heatmap shows the weights w: where it looks. \
    Lesion makes attention uniform: the agent sees everything equally and can no longer pick out \
    the target. Brain analogue: selective attention as biased competition, where top-down signals \
    about the goal bias which objects win the competition for representation (Desimone & Duncan \
    1995). Read: Mott et al. 2019, Towards interpretable RL using attention augmented agents; \
    Zambaldi et al. 2018, Relational deep RL; Vaswani et al. 2017.";

hyperparameters! {
    /// Hyperparameters of the attention agent.
    pub struct AttentionParams {
        learning_rate: f32 = 3e-3, [1e-5, 0.05], Live,
            help: "Adam step size.",
            source: "1e-4 to 1e-3 on Atari (Mott et al. 2019); 3e-3 calibrated for the attention scenes";
        entropy: f32 = 0.01, [0.0, 0.5], Live,
            help: "Entropy bonus: keeps the policy from committing too early.",
            source: "0.01 (Mnih et al. 2016)";
        /// Softmax temperature T: high spreads attention, low sharpens it. Scaled dot-product attention
        /// uses 1; 0.3 here, because over 81 cells a sharper softmax lets the first useful differences
        /// between keys show in behaviour (measured: 1.0 attention mass on the target after 100k steps
        /// at 0.3, none at 1.0).
        temperature: f32 = 0.3, [0.05, 10.0], Live,
            help: "Softmax temperature of attention: low values make it sharper.",
            source: "1 in scaled dot-product attention (Vaswani et al. 2017); 0.3 calibrated for the attention scenes";
        heads: u32 = 1, [1.0, 4.0], OnReset,
            help: "Attention heads: each asks its own question of the view.",
            source: "1; Mott et al. 2019 use 4";
        gamma: f32 = 0.9, [0.0, 1.0], Live,
            help: "Discount.",
            source: "0.99 on Atari (Mnih et al. 2016); 0.9 calibrated for short grid episodes";
        n_steps: u32 = 5, [1.0, 50.0], Live,
            help: "Steps per update (n-step returns).",
            source: "5 (Mnih et al. 2016)";
        value_weight: f32 = 0.5, [0.0, 5.0], Live,
            help: "Weight of the critic's loss.",
            source: "0.5 (Mnih et al. 2016)";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "Uniform attention: every cell weighs the same.",
            source: "off: attention intact";
        freeze: bool = false, [0.0, 1.0], Live,
            help: "Stop learning; act with the current weights.",
            source: "off: the agent learns";
        /// 1: the target colour is an input that sets the queries; 0: no cue input, so the agent must
        /// find the cue in the world (a cue tile) by looking at it.
        cue_input: bool = true, [0.0, 1.0], OnReset,
            help: "Give the target colour as an input that sets the queries. Off: the agent must read a cue tile in the world.",
            source: "on: the target colour is an input, calibrated for the attention_target scene";
        key_dim: u32 = 8, [2.0, 64.0], OnReset,
            help: "Key and query size.",
            source: "8, calibrated for the attention scenes";
        value_dim: u32 = 8, [2.0, 64.0], OnReset,
            help: "Value size per head.",
            source: "8, calibrated for the attention scenes";
        hidden: u32 = 32, [4.0, 256.0], OnReset,
            help: "Hidden units of the actor-critic.",
            source: "32, calibrated for the attention scenes";
    }
}

/// What the attention panel shows.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct AttentionInsight {
    /// Side of the egocentric window.
    pub side: usize,
    /// Per head: the weight of every cell of the window, row-major.
    pub heads: Vec<Vec<f32>>,
    /// The map cell under each window cell (None outside the map), row-major.
    pub cells: Vec<Option<usize>>,
    /// (step, mean attention entropy in nats) over time.
    pub entropy: Vec<(u64, f32)>,
    /// (step, attention mass on the target object) over time (recent mean).
    pub target_mass: Vec<(u64, f32)>,
    /// Entropy of uniform attention over the window (the maximum).
    pub uniform_entropy: f32,
    /// Whether attention is lesioned (uniform).
    pub lesioned: bool,
}

/// The network: query, attention, actor-critic.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Network {
    query: Linear,
    attention: Attention,
    hidden: Linear,
    policy: Linear,
    value: Linear,
}

/// One step's forward pass, kept for backprop.
#[derive(Clone, Serialize, Deserialize)]
struct StepTrace {
    entities: Array2<f32>,
    cue: Array2<f32>,
    queries: Array2<f32>,
    attention: AttentionTrace,
    joint: Array2<f32>,
    pre: Array2<f32>,
    z: Array2<f32>,
    logits: Array1<f32>,
    pi: Array1<f32>,
    value: f32,
    action: usize,
    reward: f32,
}

pub(crate) fn cue_of(world: &GridWorld) -> Array2<f32> {
    let mut cue = Array2::zeros((1, 3));
    if let Some(c) = world.rules.target {
        cue[[0, Colour::ALL.iter().position(|&x| x == c).unwrap_or(0)]] = 1.0;
    }
    cue
}

/// How far around itself an attention agent (or its control) sees in `world`: the egocentric
/// radius, or with a full view the map's larger side less one (1 to 7).
pub(crate) fn view_radius(world: &GridWorld) -> usize {
    match world.view {
        View::Egocentric { radius } => radius as usize,
        View::Full => world
            .width()
            .max(world.height())
            .saturating_sub(1)
            .clamp(1, 7),
    }
}

/// The standard deviation the policy and value heads start with: small, so the first policy is
/// nearly uniform and the first values near zero (a common choice for actor-critic heads; its
/// control, the actor-critic, starts its heads the same way).
pub const HEAD_SCALE: f32 = 0.01;

/// The most steps a rollout holds before the update (`n_steps`' largest value).
pub(crate) const MOST_ROLLOUT: usize = 50;

/// Entities of the egocentric window and the map cell under each.
pub(crate) fn entities_of(
    world: &GridWorld,
    at: usize,
    radius: usize,
) -> (Array2<f32>, Vec<Option<usize>>) {
    let side = 2 * radius + 1;
    let mut entities = Array2::zeros((side * side, EGO_CELL_KINDS + 2));
    let mut cells = Vec::with_capacity(side * side);
    let (ax, ay) = world.xy(at);
    let r = radius as i32;
    for dy in -r..=r {
        for dx in -r..=r {
            let slot = ((dy + r) * side as i32 + (dx + r)) as usize;
            let (x, y) = (ax as i32 + dx, ay as i32 + dy);
            let cell = world.cell_at(x, y);
            let kind = ego_kind(cell, world.rules.target);
            entities[[slot, kind]] = 1.0;
            entities[[slot, EGO_CELL_KINDS]] = dx as f32 / r.max(1) as f32;
            entities[[slot, EGO_CELL_KINDS + 1]] = dy as f32 / r.max(1) as f32;
            cells.push(cell.map(|_| y as usize * world.width() + x as usize));
        }
    }
    (entities, cells)
}

impl StepTrace {
    /// Whether a step read from a snapshot fits a network of `heads` heads with keys of
    /// `key_dim`, values of `value_dim` and `hidden` units, seeing `entities` entities.
    fn check(
        &self,
        entities: usize,
        (heads, key_dim, value_dim, hidden): (usize, usize, usize, usize),
    ) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, ensure};
        self.attention.check(entities, heads, key_dim, value_dim)?;
        ensure(
            self.entities.dim() == (entities, EGO_CELL_KINDS + 2)
                && self.cue.dim() == (1, 3)
                && self.queries.dim() == (heads, key_dim)
                && self.joint.dim() == (1, heads * value_dim + 3)
                && self.pre.dim() == (1, hidden)
                && self.z.dim() == (1, hidden)
                && self.logits.len() == Action::COUNT
                && self.pi.len() == Action::COUNT
                && self.action < Action::COUNT
                && self.value.is_finite()
                && self.reward.is_finite()
                && all_finite(
                    self.entities
                        .iter()
                        .chain(&self.cue)
                        .chain(&self.queries)
                        .chain(&self.joint)
                        .chain(&self.pre)
                        .chain(&self.z)
                        .chain(&self.logits)
                        .chain(&self.pi),
                ),
            || "a remembered step does not fit the network".into(),
        )
    }
}

impl Network {
    fn new(params: &AttentionParams, rng: &mut ArenaRng) -> Self {
        let heads = params.heads.clamp(1, 4) as usize;
        let (dk, dv) = (
            params.key_dim.max(1) as usize,
            params.value_dim.max(1) as usize,
        );
        let mut attention = Attention::new(EGO_CELL_KINDS + 2, dk, dv, rng);
        attention.temperature = params.temperature;
        Self {
            query: {
                let mut query = Linear::with_scale(3, heads * dk, 1.0, rng);
                if !params.cue_input {
                    // Without a cue input the queries are the biases alone: random biases, or
                    // every head would start at exactly uniform attention.
                    query.b = Array1::from_shape_simple_fn(heads * dk, || {
                        crate::brain::nn::standard_normal(rng)
                    });
                }
                query
            },
            attention,
            hidden: Linear::new(heads * dv + 3, params.hidden.max(1) as usize, rng),
            policy: Linear::with_scale(
                params.hidden.max(1) as usize,
                Action::COUNT,
                HEAD_SCALE,
                rng,
            ),
            value: Linear::with_scale(params.hidden.max(1) as usize, 1, HEAD_SCALE, rng),
        }
    }

    fn heads(&self) -> usize {
        self.query.outputs() / self.attention.key.outputs()
    }

    fn forward(&self, entities: Array2<f32>, cue: Array2<f32>, uniform: bool) -> StepTrace {
        let dk = self.attention.key.outputs();
        let queries = self
            .query
            .forward(cue.view())
            .into_shape_with_order((self.heads(), dk))
            .expect("heads x dk");
        let attention = self
            .attention
            .forward(entities.view(), queries.view(), uniform);
        let flat_read = attention
            .read
            .clone()
            .into_shape_with_order((1, attention.read.len()))
            .expect("one row");
        let joint = concatenate(Axis(1), &[flat_read.view(), cue.view()]).expect("same rows");
        let pre = self.hidden.forward(joint.view());
        let z = relu(&pre);
        let logits = self.policy.forward(z.view()).row(0).to_owned();
        let pi = softmax(logits.view());
        let value = self.value.forward(z.view())[[0, 0]];
        StepTrace {
            entities,
            cue,
            queries,
            attention,
            joint,
            pre,
            z,
            logits,
            pi,
            value,
            action: 0,
            reward: 0.0,
        }
    }

    /// Backprop of one step given d(logits) and d(value); accumulates every gradient.
    fn backward(
        &mut self,
        t: &StepTrace,
        grad_logits: &Array2<f32>,
        grad_value: f32,
        uniform: bool,
    ) {
        let mut dz = self.policy.backward(t.z.view(), grad_logits.view());
        dz += &self
            .value
            .backward(t.z.view(), Array2::from_elem((1, 1), grad_value).view());
        let dpre = relu_backward(&t.pre, &dz);
        let djoint = self.hidden.backward(t.joint.view(), dpre.view());
        let read_len = t.attention.read.len();
        let dread = djoint
            .slice(s![.., ..read_len])
            .to_owned()
            .into_shape_with_order(t.attention.read.raw_dim())
            .expect("heads x dv");
        let dq = self.attention.backward(
            t.entities.view(),
            t.queries.view(),
            &t.attention,
            dread.view(),
            uniform,
        );
        let dq = dq
            .into_shape_with_order((1, t.queries.len()))
            .expect("one row");
        self.query.backward(t.cue.view(), dq.view());
    }

    fn zero_grad(&mut self) {
        self.query.zero_grad();
        self.attention.zero_grad();
        self.hidden.zero_grad();
        self.policy.zero_grad();
        self.value.zero_grad();
    }

    fn tensors(&mut self) -> Vec<(&mut [f32], &[f32])> {
        [
            &mut self.query,
            &mut self.attention.key,
            &mut self.attention.value,
            &mut self.hidden,
            &mut self.policy,
            &mut self.value,
        ]
        .into_iter()
        .flat_map(Linear::tensors)
        .collect()
    }
}

/// The attention agent.
#[derive(Clone, Serialize, Deserialize)]
pub struct AttentionAgent {
    params: AttentionParams,
    network: Network,
    adam: Adam,
    radius: usize,
    rollout: Vec<StepTrace>,
    last: Option<(Vec<Vec<f32>>, Vec<Option<usize>>)>,
    steps: u64,
    entropy: Curve<f32>,
    target_mass: Curve<f32>,
    mass_sum: (f32, u32),
    entropy_sum: (f32, u32),
    /// The forward pass `learn` made on the state it was handed (its inputs and the lesion), for
    /// its TD error; the next `act` reuses it when they are the same and no update moved the
    /// weights since (not kept by snapshots: recomputing it gives the same numbers).
    #[serde(skip)]
    ahead: Option<(Array2<f32>, Array2<f32>, bool, StepTrace)>,
    /// The critic's TD error at the latest step.
    #[serde(skip)]
    delta: f32,
}

impl AttentionAgent {
    /// A fresh agent for `world`; `seed` draws its weights.
    pub fn new(params: AttentionParams, world: &GridWorld, seed: u64) -> Self {
        let mut rng = ArenaRng::seed_from_u64(seed);
        let radius = view_radius(world);
        Self {
            network: Network::new(&params, &mut rng),
            adam: Adam::new(params.learning_rate),
            params,
            radius,
            rollout: Vec::new(),
            last: None,
            steps: 0,
            entropy: Curve::default(),
            target_mass: Curve::default(),
            mass_sum: (0.0, 0),
            entropy_sum: (0.0, 0),
            ahead: None,
            delta: 0.0,
        }
    }

    fn uniform(&self) -> bool {
        self.params.lesion
    }

    /// The cue input: the target colour, or nothing when the agent must read a cue tile.
    fn cue(&self, world: &GridWorld) -> Array2<f32> {
        if self.params.cue_input {
            cue_of(world)
        } else {
            Array2::zeros((1, 3))
        }
    }

    /// A2C update over the rollout, bootstrapping from `bootstrap` (0 at a terminal).
    fn update(&mut self, bootstrap: f32) {
        self.ahead = None;
        if self.rollout.is_empty() || self.params.freeze {
            self.rollout.clear();
            return;
        }
        let uniform = self.uniform();
        let n = self.rollout.len() as f32;
        self.network.zero_grad();
        let rollout = std::mem::take(&mut self.rollout);
        let steps: Vec<(f32, f32)> = rollout.iter().map(|t| (t.reward, t.value)).collect();
        let advantages = n_step_advantages(&steps, bootstrap, self.params.gamma);
        for (t, &advantage) in rollout.iter().zip(&advantages).rev() {
            let (_, g) = policy_gradient(t.logits.view(), t.action, advantage, self.params.entropy);
            let grad = (g / n).insert_axis(Axis(0));
            let grad_value = -self.params.value_weight * advantage / n;
            self.network.backward(t, &grad, grad_value, uniform);
        }
        self.adam.learning_rate = self.params.learning_rate;
        self.adam.step(self.network.tensors());
    }

    fn record_attention(&mut self, trace: &StepTrace, cells: &[Option<usize>], world: &GridWorld) {
        let weights = &trace.attention.weights;
        let heads = weights.ncols();
        let mut entropy = 0.0;
        let mut mass = 0.0;
        let target = world.rules.target.map(Cell::Object);
        for h in 0..heads {
            let column = weights.column(h);
            entropy += -column.iter().map(|&w| w * w.max(1e-12).ln()).sum::<f32>() / heads as f32;
            mass += column
                .iter()
                .zip(cells)
                .filter(|(_, c)| c.is_some_and(|c| Some(world.cell(c)) == target))
                .map(|(w, _)| *w)
                .sum::<f32>()
                / heads as f32;
        }
        self.entropy_sum.0 += entropy;
        self.entropy_sum.1 += 1;
        if target.is_some() && world.cells().iter().any(|&c| Some(c) == target) {
            self.mass_sum.0 += mass;
            self.mass_sum.1 += 1;
        }
        if self.steps.is_multiple_of(200) && self.entropy_sum.1 > 0 {
            self.entropy
                .push(self.steps, self.entropy_sum.0 / self.entropy_sum.1 as f32);
            if self.mass_sum.1 > 0 {
                self.target_mass
                    .push(self.steps, self.mass_sum.0 / self.mass_sum.1 as f32);
            }
            self.entropy_sum = (0.0, 0);
            self.mass_sum = (0.0, 0);
        }
        self.last = Some((
            (0..heads).map(|h| weights.column(h).to_vec()).collect(),
            cells.to_vec(),
        ));
    }

    /// Mean attention mass on the target object since the last recorded point.
    pub fn recent_target_mass(&self) -> Option<f32> {
        self.target_mass.last().map(|(_, m)| *m)
    }
}

impl Brain for AttentionAgent {
    type Params = AttentionParams;
    const SUMMARY: &'static str =
        "soft spatial attention + advantage actor-critic (Mott et al. 2019; Mnih et al. 2016)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &AttentionParams, world: &GridWorld, seed: u64) -> Self {
        Self::new(params.clone(), world, seed)
    }

    fn title(_params: &AttentionParams) -> &'static str {
        "attention"
    }
}

impl Agent for AttentionAgent {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let world = observation.world();
        let (entities, cells) = entities_of(world, observation.state, self.radius);
        let (cue, uniform) = (self.cue(world), self.uniform());
        let mut trace = match self.ahead.take() {
            Some((seen, seen_cue, seen_uniform, trace))
                if seen == entities && seen_cue == cue && seen_uniform == uniform =>
            {
                trace
            }
            _ => self.network.forward(entities, cue, uniform),
        };
        self.record_attention(&trace, &cells, world);
        let action = sample_move(trace.pi.as_slice().expect("contiguous"), rng);
        trace.action = action;
        self.rollout.push(trace);
        Action::from_index(action)
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        let value = self.rollout.last().map_or(0.0, |step| step.value);
        if let Some(last) = self.rollout.last_mut() {
            last.reward = t.reward;
        }
        // The critic's one-step TD error, delta = r + gamma V(s') - V(s): the dopamine panel's.
        let ahead = (!t.terminal).then(|| {
            let world = t.next.world();
            let (entities, _) = entities_of(world, t.next.state, self.radius);
            let (cue, uniform) = (self.cue(world), self.uniform());
            let trace = self.network.forward(entities.clone(), cue.clone(), uniform);
            (entities, cue, uniform, trace)
        });
        let next_value = ahead.as_ref().map_or(0.0, |(.., trace)| trace.value);
        self.delta = t.reward + self.params.gamma * next_value - value;
        if t.terminal {
            self.update(0.0);
        } else if t.truncated || self.rollout.len() >= self.params.n_steps.max(1) as usize {
            self.update(next_value);
        } else {
            self.ahead = ahead;
        }
    }

    fn td_error(&self) -> Option<f32> {
        Some(self.delta)
    }

    /// An episode ended or was cut off (a person took the arena over): the unfinished n-step
    /// rollout is dropped, so the next update holds one episode's rewards only. (At a natural
    /// end `learn` has already spent it.)
    fn end_episode(&mut self, _rng: &mut ArenaRng) {
        self.rollout.clear();
        self.ahead = None;
    }

    fn insight(&self, _world: &GridWorld) -> Insight {
        let side = 2 * self.radius + 1;
        let (heads, cells) = self.last.clone().unwrap_or_default();
        let policy = self.rollout.last().map(|t| {
            let mut p = [0.0; Action::COUNT];
            for (a, v) in p.iter_mut().enumerate() {
                *v = t.pi[a];
            }
            p
        });
        let mut facts = vec![("heads".to_owned(), self.network.heads().to_string())];
        if let Some(mass) = self.recent_target_mass() {
            facts.push((
                "attention on target".to_owned(),
                format!("{mass:.2} (uniform {:.3})", 1.0 / (side * side) as f32),
            ));
        }
        Insight {
            action_values: policy,
            action_caption: "Move probabilities here",
            facts,
            mechanism: Some(Mechanism::Attention(AttentionInsight {
                side,
                heads,
                cells,
                entropy: self.entropy.points(),
                target_mass: self.target_mass.points(),
                uniform_entropy: ((side * side) as f32).ln(),
                lesioned: self.uniform(),
            })),
            ..Insight::default()
        }
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, counters, ensure};
        const FEATURES: usize = EGO_CELL_KINDS + 2;
        let p = &self.params;
        let (h, dk, dv, hid) = (
            p.heads.clamp(1, 4) as usize,
            p.key_dim.max(1) as usize,
            p.value_dim.max(1) as usize,
            p.hidden.max(1) as usize,
        );
        ensure(self.radius == view_radius(world), || {
            format!(
                "it looks {} cells around, and the world shows {}",
                self.radius,
                view_radius(world)
            )
        })?;
        let net = &self.network;
        net.query.check(3, h * dk)?;
        net.attention.check(FEATURES, dk, dv)?;
        net.hidden.check(h * dv + 3, hid)?;
        net.policy.check(hid, Action::COUNT)?;
        net.value.check(hid, 1)?;
        self.adam.check(&[
            3 * h * dk,
            h * dk,
            FEATURES * dk,
            dk,
            FEATURES * dv,
            dv,
            (h * dv + 3) * hid,
            hid,
            Action::COUNT * hid,
            Action::COUNT,
            hid,
            1,
        ])?;
        let n = (2 * self.radius + 1).pow(2);
        ensure(self.rollout.len() <= MOST_ROLLOUT, || {
            "its rollout is longer than any n_steps".into()
        })?;
        for step in &self.rollout {
            step.check(n, (h, dk, dv, hid))?;
        }
        if let Some((heads, seen)) = &self.last {
            ensure(
                heads.len() == h
                    && heads.iter().all(|w| w.len() == n && all_finite(w))
                    && seen.len() == n
                    && seen.iter().flatten().all(|&c| c < world.cell_count()),
                || "its last attention map does not fit its view".into(),
            )?;
        }
        ensure(
            counters(&[self.steps])
                && self.entropy_sum.1 <= 200
                && self.mass_sum.1 <= self.entropy_sum.1
                && self.entropy_sum.0.is_finite()
                && self.mass_sum.0.is_finite(),
            || "its running sums are damaged".into(),
        )?;
        self.entropy.check(|e| e.is_finite())?;
        self.target_mass.check(|m| m.is_finite())
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Attention(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Attention(params) = spec {
            self.params = params.clone();
            self.network.attention.temperature = self.params.temperature;
            // The temperature changes the forward pass: a pass made before is not this one's.
            self.ahead = None;
        }
    }
}

#[cfg(test)]
mod tests {
    //! The composed backward pass (policy and value losses through the actor-critic, the
    //! attention read, keys, values and queries) against finite differences.

    use rand::Rng;

    use super::*;

    /// A takeover ("you play") mid-rollout leaves no rollout behind.
    #[test]
    fn a_cut_off_episode_leaves_no_rollout_behind() {
        crate::brain::assert_a_cut_off_episode_leaves_nothing(
            |world| AttentionAgent::new(Default::default(), world, 2),
            |agent| agent.rollout.len(),
        );
    }

    /// The loss one step's update descends: the policy term with the advantage held fixed, plus
    /// the weighted squared error of the value.
    fn loss(
        net: &Network,
        (entities, cue): (&Array2<f32>, &Array2<f32>),
        (action, ret, advantage): (usize, f32, f32),
        params: &AttentionParams,
    ) -> f32 {
        let t = net.forward(entities.clone(), cue.clone(), false);
        let (policy, _) = policy_gradient(t.logits.view(), action, advantage, params.entropy);
        policy + params.value_weight * (ret - t.value).powi(2) / 2.0
    }

    #[test]
    fn composed_backward_matches_finite_differences() {
        let params = AttentionParams {
            heads: 2,
            key_dim: 4,
            value_dim: 4,
            hidden: 8,
            entropy: 0.05,
            ..AttentionParams::default()
        };
        let mut rng = ArenaRng::seed_from_u64(3);
        let mut net = Network::new(&params, &mut rng);
        let entities =
            Array2::from_shape_fn((9, EGO_CELL_KINDS + 2), |_| rng.random::<f32>() - 0.5);
        let cue = Array2::from_shape_fn((1, 3), |(_, j)| if j == 1 { 1.0 } else { 0.0 });
        let (action, ret) = (2, 0.7);
        let t = net.forward(entities.clone(), cue.clone(), false);
        let advantage = ret - t.value;
        let (_, grad) = policy_gradient(t.logits.view(), action, advantage, params.entropy);
        net.zero_grad();
        net.backward(
            &t,
            &grad.insert_axis(Axis(0)),
            -params.value_weight * advantage,
            false,
        );
        let analytic: Vec<Vec<f32>> = net.tensors().into_iter().map(|(_, g)| g.to_vec()).collect();
        let h = 1e-2;
        let mut checked = 0;
        for (tensor, grads) in analytic.iter().enumerate() {
            for k in (0..grads.len()).step_by((grads.len() / 6).max(1)) {
                let mut at = |delta: f32| {
                    net.tensors()[tensor].0[k] += delta;
                    let value = loss(&net, (&entities, &cue), (action, ret, advantage), &params);
                    net.tensors()[tensor].0[k] -= delta;
                    value
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                let a = grads[k];
                assert!(
                    (a - numeric).abs() <= 2e-3 + 0.05 * a.abs().max(numeric.abs()),
                    "tensor {tensor}, parameter {k}: analytic {a}, numeric {numeric}"
                );
                checked += 1;
            }
        }
        assert!(checked > 30, "{checked} parameters checked");
    }
}
