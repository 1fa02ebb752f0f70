//! Model-Free Episodic Control (Blundell et al. 2016), with NEC's kernel read (Pritzel et al. 2017) as an option.
//!
//! ```text
//! key:     h = M x   (M: Gaussian random projection, key_dim x |x|)   or   h = x   (identity key)
//! act:     for each action a, from its own store:
//!            Q(h, a) = v                                  if h is stored exactly
//!                    = mean of the k nearest values       (MFEC read)
//!                    = sum_i w_i v_i, w_i ~ 1/(|h - h_i|^2 + delta)   (NEC kernel read)
//!                    = +infinity (optimistic)             while the store holds fewer than k entries
//!          a = epsilon-greedy over Q (ties at random)
//! learn:   at the episode's end, for t = T-1 down to 0:   R_t = r_t + gamma R_(t+1)
//!          store a_t:  Q(h_t) = max(Q(h_t), R_t) on an exact hit, else insert (least recently used evicted)
//! ```

use serde::{Deserialize, Serialize};

use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

use crate::ArenaRng;
use crate::brain::memory::{MemoryStore, Neighbour};
use crate::brain::{
    Agent, Brain, BrainSpec, Curve, Insight, Mechanism, Transition, ValueMap, choice,
    epsilon_greedy, hyperparameters,
};
use crate::world::{Action, Cell, GridWorld, Observation};

/// What the window says about episodic control.
pub const ABOUT: &str = "Episodic control remembers specific experiences: for each move, a store of \
    (situation, best return that followed). To act, it recalls the k stored situations most like the \
    present one and trusts the return they led to: Q(s,a) = mean of the k nearest values (or an exact \
    hit). At the end of each episode every visited situation is written with its discounted return, \
    keeping the maximum: Q = max(Q, R). One lucky episode is enough to repeat it: one-shot learning. \
    Brain analogue: the hippocampus, which stores episodes after a single exposure and replays them \
    to guide choices. Read: Blundell et al. 2016, Model-Free Episodic Control; Pritzel et al. 2017, \
    Neural Episodic Control; Lengyel & Dayan 2007.";

choice! {
    /// How a store is read when the key is not stored exactly.
    pub enum ReadMode {
        /// The mean of the k nearest values (Blundell et al. 2016).
        Mean => "mean of k (MFEC)",
        /// Weights 1/(d^2 + delta), normalised (Pritzel et al. 2017).
        Kernel => "kernel (NEC)",
    }
}

choice! {
    /// How observations become keys.
    pub enum KeyMode {
        /// The agent's (column, row): the state itself, for small grids, so neighbours are nearby cells.
        Position => "position",
        /// A Gaussian random projection of the observation to `key_dim` numbers (Blundell et al. 2016).
        Projection => "random projection",
        /// The observation's features themselves.
        Identity => "identity",
    }
}

hyperparameters! {
    /// Hyperparameters of episodic control, with where each default comes from.
    pub struct MfecParams {
        k: u32 = 11, [1.0, 50.0], Live,
            help: "How many similar memories are recalled per move when the situation is new.",
            source: "11 (Blundell et al. 2016)";
        /// Entries per action store before the least recently used is evicted. Blundell et al.:
        /// 1,000,000 per action (Atari); grids need far fewer.
        capacity: u32 = 10_000, [10.0, 1_000_000.0], Live,
            help: "Memories per move; when full, the least recently used is forgotten.",
            source: "1,000,000 per action (Blundell et al. 2016, Atari)";
        gamma: f32 = 0.95, [0.0, 1.0], Live,
            help: "Discount of the returns written into memory.",
            source: "0.95, calibrated for the Dyna maze";
        epsilon: f32 = 0.1, [0.0, 1.0], Live,
            help: "Probability of a random move instead of the best recalled one.",
            source: "0.005 (Blundell et al. 2016, Atari); 0.1 calibrated for the Dyna maze";
        read: ReadMode = ReadMode::Mean, [0.0, 1.0], Live,
            help: "Mean of the k nearest values (MFEC), or weights 1/(d^2 + delta) (NEC).",
            source: "mean (Blundell et al. 2016); kernel (Pritzel et al. 2017)";
        kernel_delta: f32 = 1e-3, [1e-6, 1.0], Live,
            help: "The kernel's delta: small values let the nearest memory dominate.",
            source: "1e-3 (Pritzel et al. 2017)";
        key_dim: u32 = 64, [1.0, 512.0], OnReset,
            help: "Length of a key (random projection only).",
            source: "64 (Blundell et al. 2016)";
        key: KeyMode = KeyMode::Position, [0.0, 2.0], OnReset,
            help: "A key is the agent's position (neighbours are nearby cells), a random projection of what it sees, or the observation itself.",
            source: "random projection (Blundell et al. 2016); the state itself on small grids";
        lesion: bool = false, [0.0, 1.0], Live,
            help: "Act without memory: recall is switched off (writing goes on), as if the hippocampus were silenced.",
            source: "off: recall on";
    }
}

/// One memory recalled for the current situation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecalledMemory {
    /// The map cell where it was made.
    pub cell: usize,
    /// Euclidean distance of its key to the present key.
    pub distance: f32,
    /// Its stored return.
    pub value: f32,
    /// Steps since it was last written.
    pub age: u64,
    /// Its weight in the read (1/k for the mean, the kernel's share for NEC, 1 for an exact hit).
    pub weight: f32,
}

/// What one action's store said about the current situation.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ActionRecall {
    /// The value read (infinite while the store is too small: optimistic).
    pub value: f32,
    /// The situation is stored exactly.
    pub exact: bool,
    /// The neighbours behind the value, nearest first.
    pub neighbours: Vec<RecalledMemory>,
}

/// The episodic memory's state, for the memory panel.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct MemoryInsight {
    /// Per action: the recalled memories and the value read.
    pub recall: Vec<ActionRecall>,
    /// Entries per action store.
    pub sizes: [usize; Action::COUNT],
    /// Capacity of each store.
    pub capacity: usize,
    /// Read mode label.
    pub read_mode: &'static str,
    /// What a key is.
    pub key: KeyMode,
    /// The cell the recall was made for.
    pub recalled_at: Option<usize>,
    /// Whether recall is switched off.
    pub lesioned: bool,
    /// (total steps, entries per action) at the end of each episode, kept to a bounded [`crate::brain::Curve`].
    pub size_history: Vec<(u64, [usize; Action::COUNT])>,
    /// Recalls so far, and how many of them were aliased: some move's exact hit was a memory
    /// made in another cell (two places with one key).
    pub aliased: (u64, u64),
}

/// The MFEC agent: one memory store per action.
#[derive(Clone, Serialize, Deserialize)]
pub struct Mfec {
    params: MfecParams,
    stores: Vec<MemoryStore>,
    projection: Option<Array2<f32>>,
    features: Vec<f32>,
    key: Vec<f32>,
    /// This episode so far: (key, action, reward, cell).
    episode: Vec<(Vec<f32>, Action, f32, usize)>,
    steps: u64,
    recall: Vec<ActionRecall>,
    /// The cell the recall (and the key) belong to; read right after learning, so the window
    /// shows the memories recalled where the agent stands, and acting reuses them.
    recalled_at: Option<usize>,
    neighbours: Vec<Neighbour>,
    size_history: Curve<[usize; Action::COUNT]>,
    episodes: u64,
    /// Recalls made, and those aliased (an exact hit made in another cell).
    recalls: u64,
    aliased_recalls: u64,
}

impl Mfec {
    /// A fresh agent with empty stores; `seed` draws the random projection.
    pub fn new(params: MfecParams, world: &GridWorld, seed: u64) -> Self {
        let feature_len = Observation::of(world).feature_len();
        let key_dim = match params.key {
            KeyMode::Position => 2,
            KeyMode::Projection => params.key_dim.max(1) as usize,
            KeyMode::Identity => feature_len,
        };
        let projection = (params.key == KeyMode::Projection).then(|| {
            let mut rng = ArenaRng::seed_from_u64(seed);
            let scale = 1.0 / (key_dim as f32).sqrt();
            Array2::from_shape_simple_fn((key_dim, feature_len), || {
                crate::brain::nn::standard_normal(&mut rng) * scale
            })
        });
        Self {
            stores: (0..Action::COUNT)
                .map(|_| MemoryStore::new(key_dim, params.capacity as usize))
                .collect(),
            params,
            projection,
            features: Vec::new(),
            key: vec![0.0; key_dim],
            episode: Vec::new(),
            steps: 0,
            recall: Vec::new(),
            recalled_at: None,
            neighbours: Vec::new(),
            size_history: Curve::default(),
            episodes: 0,
            recalls: 0,
            aliased_recalls: 0,
        }
    }

    /// The key of what `observation` shows, into `self.key`.
    fn make_key(&mut self, observation: &Observation) {
        if self.params.key == KeyMode::Position {
            let (x, y) = observation.world().xy(observation.state);
            self.key.clear();
            self.key.extend([x as f32, y as f32]);
            return;
        }
        observation.write_features(&mut self.features);
        match &self.projection {
            Some(m) => {
                let x = Array1::from_vec(std::mem::take(&mut self.features));
                let h = m.dot(&x);
                self.key.clear();
                self.key.extend(h.iter());
                self.features = x.into_raw_vec_and_offset().0;
            }
            None => {
                self.key.clear();
                self.key.extend_from_slice(&self.features);
            }
        }
    }

    /// Reads every store for `self.key`, the key of `cell`; fills `self.recall` and counts the
    /// recall, aliased when some move's exact hit was made in another cell.
    fn read(&mut self, cell: usize) {
        self.read_stores();
        self.recalls = self.recalls.saturating_add(1);
        let aliased = self
            .recall
            .iter()
            .any(|r| r.exact && r.neighbours.first().is_some_and(|n| n.cell != cell));
        self.aliased_recalls = self.aliased_recalls.saturating_add(u64::from(aliased));
    }

    /// Reads every store for `self.key`; fills `self.recall`.
    fn read_stores(&mut self) {
        let k = self.params.k.max(1) as usize;
        self.recall.clear();
        for store in &mut self.stores {
            if let Some(slot) = store.find_exact(&self.key) {
                store.touch(slot);
                let record = *store.record(slot);
                self.recall.push(ActionRecall {
                    value: record.value,
                    exact: true,
                    neighbours: vec![RecalledMemory {
                        cell: record.cell,
                        distance: 0.0,
                        value: record.value,
                        age: self.steps.saturating_sub(record.written_at),
                        weight: 1.0,
                    }],
                });
                continue;
            }
            if store.len() < k {
                self.recall.push(ActionRecall {
                    value: f32::INFINITY,
                    exact: false,
                    neighbours: Vec::new(),
                });
                continue;
            }
            store.nearest(&self.key, k, &mut self.neighbours);
            let weights: Vec<f32> = if self.params.read == ReadMode::Kernel {
                let raw: Vec<f32> = self
                    .neighbours
                    .iter()
                    .map(|n| 1.0 / (n.distance2 + self.params.kernel_delta))
                    .collect();
                let total: f32 = raw.iter().sum();
                raw.iter().map(|w| w / total).collect()
            } else {
                vec![1.0 / self.neighbours.len() as f32; self.neighbours.len()]
            };
            let mut value = 0.0;
            let mut neighbours = Vec::with_capacity(self.neighbours.len());
            for (n, &weight) in self.neighbours.iter().zip(&weights) {
                store.touch(n.slot);
                let record = store.record(n.slot);
                value += weight * record.value;
                neighbours.push(RecalledMemory {
                    cell: record.cell,
                    distance: n.distance2.sqrt(),
                    value: record.value,
                    age: self.steps.saturating_sub(record.written_at),
                    weight,
                });
            }
            self.recall.push(ActionRecall {
                value,
                exact: false,
                neighbours,
            });
        }
    }

    /// Forgets every memory.
    pub fn wipe(&mut self) {
        for store in &mut self.stores {
            store.clear();
        }
        self.recall.clear();
    }

    /// Entries per action store.
    pub fn sizes(&self) -> [usize; Action::COUNT] {
        let mut sizes = [0; Action::COUNT];
        for (size, store) in sizes.iter_mut().zip(&self.stores) {
            *size = store.len();
        }
        sizes
    }
}

impl Brain for Mfec {
    type Params = MfecParams;
    const SUMMARY: &'static str =
        "episodic control (Blundell et al. 2016; NEC read, Pritzel et al. 2017)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &MfecParams, world: &GridWorld, seed: u64) -> Self {
        Self::new(params.clone(), world, seed)
    }

    fn title(_params: &MfecParams) -> &'static str {
        "episodic control (MFEC)"
    }

    fn conflicts(params: &MfecParams) -> Vec<(&'static str, String)> {
        if params.capacity < params.k {
            vec![(
                "capacity",
                format!(
                    "capacity {} is smaller than k {}: a store never holds k memories, so every \
                     value stays optimistic (+inf) for ever; expected capacity of at least k",
                    params.capacity, params.k
                ),
            )]
        } else {
            Vec::new()
        }
    }

    fn constrain(params: &mut MfecParams, changed: &str) {
        if changed == "capacity" {
            params.k = params.k.min(params.capacity);
        } else {
            params.capacity = params.capacity.max(params.k);
        }
    }
}

impl Agent for Mfec {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        if self.params.lesion {
            self.make_key(observation);
            self.recall.clear();
            self.recalled_at = None;
            return Action::from_index(rng.random_range(0..Action::COUNT));
        }
        if self.recalled_at != Some(observation.state) {
            self.make_key(observation);
            self.read(observation.state);
            self.recalled_at = Some(observation.state);
        }
        let values: Vec<f32> = self.recall.iter().map(|r| r.value).collect();
        epsilon_greedy(&values, self.params.epsilon, rng)
    }

    fn learn(&mut self, t: &Transition, _rng: &mut ArenaRng) {
        self.steps += 1;
        self.episode
            .push((self.key.clone(), t.action, t.reward, t.state));
        if t.terminal || t.truncated || self.params.lesion {
            // The episode's memories are written at its end: the next recall waits for them.
            self.recalled_at = None;
        } else {
            // Recall now, where the agent stands (nothing is written before its next move).
            self.make_key(&t.next);
            self.read(t.next.state);
            self.recalled_at = Some(t.next.state);
        }
    }

    fn end_episode(&mut self, _rng: &mut ArenaRng) {
        let gamma = self.params.gamma;
        let mut ret = 0.0f32;
        for (key, action, reward, cell) in self.episode.drain(..).rev() {
            ret = reward + gamma * ret;
            self.stores[action.index()].write_max(&key, ret, cell, self.steps);
        }
        self.episodes += 1;
        let sizes = self.sizes();
        self.size_history.push(self.steps, sizes);
    }

    fn insight(&self, world: &GridWorld) -> Insight {
        // The value map: the best remembered return of any move made from each cell.
        let mut value = vec![f32::NAN; world.cell_count()];
        for store in &self.stores {
            for slot in 0..store.len() {
                let record = store.record(slot);
                if let Some(v) = value.get_mut(record.cell) {
                    *v = if v.is_nan() {
                        record.value
                    } else {
                        v.max(record.value)
                    };
                }
            }
        }
        for (i, v) in value.iter_mut().enumerate() {
            if world.cell(i) == Cell::Wall || world.cell(i).is_terminal() {
                *v = f32::NAN;
            }
        }
        // Values "here" only when the recall was made here: after an episode's end, a retune or
        // a drag, the last recall belongs to another cell.
        let here = self.recalled_at == Some(world.agent());
        let action_values = (here && self.recall.len() == Action::COUNT).then(|| {
            let mut q = [0.0; Action::COUNT];
            for (q, r) in q.iter_mut().zip(&self.recall) {
                *q = r.value;
            }
            q
        });
        let sizes = self.sizes();
        Insight {
            values: Some(ValueMap {
                greedy: vec![None; value.len()],
                value,
                meaning: "best remembered return of a move from here",
            }),
            action_values,
            action_caption: "Values read from memory",
            facts: vec![
                (
                    "memories".into(),
                    format!("{} (4 stores)", sizes.iter().sum::<usize>()),
                ),
                (
                    "key".into(),
                    format!("{} numbers, {}", self.key.len(), self.params.key.label()),
                ),
            ],
            mechanism: Some(Mechanism::Memory(MemoryInsight {
                recall: self.recall.clone(),
                sizes,
                capacity: self.params.capacity as usize,
                read_mode: self.params.read.label(),
                key: self.params.key,
                recalled_at: self.recalled_at,
                lesioned: self.params.lesion,
                size_history: self.size_history.points(),
                aliased: (self.aliased_recalls, self.recalls),
            })),
        }
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::memory::MAX_CAPACITY;
        use crate::brain::parts::restored::{all_finite, counters, ensure, probability};
        let cells = world.cell_count();
        let feature_len = Observation::of(world).feature_len();
        let dim = match self.params.key {
            KeyMode::Position => 2,
            KeyMode::Projection => self.params.key_dim.max(1) as usize,
            KeyMode::Identity => feature_len,
        };
        ensure(self.stores.len() == Action::COUNT, || {
            format!(
                "it has {} memory stores; expected one per move",
                self.stores.len()
            )
        })?;
        for store in &self.stores {
            store.check(dim, cells)?;
        }
        ensure(
            match &self.projection {
                Some(m) => {
                    self.params.key == KeyMode::Projection
                        && m.dim() == (dim, feature_len)
                        && all_finite(m)
                }
                None => self.params.key != KeyMode::Projection,
            },
            || "its random projection does not fit the view".into(),
        )?;
        ensure(self.key.len() == dim && all_finite(&self.key), || {
            "its present key is damaged".into()
        })?;
        ensure(
            self.episode.len() <= world.rules.max_steps as usize
                && self.episode.iter().all(|(key, _, reward, cell)| {
                    key.len() == dim && all_finite(key) && reward.is_finite() && *cell < cells
                }),
            || "its episode under way is damaged".into(),
        )?;
        ensure(
            (self.recall.is_empty() || self.recall.len() == Action::COUNT)
                && self.recall.iter().all(|r| {
                    // An infinite value is the optimistic read of a store still too small.
                    (r.value.is_finite() || r.value == f32::INFINITY)
                        && r.neighbours.len() <= MAX_CAPACITY
                        && r.neighbours.iter().all(|m| {
                            m.cell < cells
                                && m.distance.is_finite()
                                && m.distance >= 0.0
                                && m.value.is_finite()
                                && probability(m.weight)
                        })
                }),
            || "its recall is damaged".into(),
        )?;
        ensure(
            self.recalled_at.is_none_or(|c| c < cells)
                && counters(&[self.steps, self.episodes, self.recalls])
                && self.aliased_recalls <= self.recalls,
            || "its counters are damaged".into(),
        )?;
        self.size_history
            .check(|sizes| sizes.iter().all(|&n| n <= MAX_CAPACITY))
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::Mfec(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::Mfec(params) = spec {
            // k, the read or the kernel may have changed: recall again before the next move.
            self.recalled_at = None;
            self.params = params.clone();
            for store in &mut self.stores {
                store.set_capacity(params.capacity as usize);
            }
        }
    }

    fn amnesia(&mut self) {
        self.wipe();
        self.recalled_at = None;
    }
}
