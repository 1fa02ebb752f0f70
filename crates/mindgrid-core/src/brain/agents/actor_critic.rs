//! An advantage actor-critic on the flattened egocentric view (Mnih et al. 2016): the attention
//! agent's fair control, with the same learner and budget and no attention.
//!
//! ```text
//! input:     every cell i of the (2r+1)^2 window, e_i = [one-hot kind (11), dx/r, dy/r], flattened,
//!            and the cue (the target colour, one-hot) when it is given
//! network:   z = relu(W1 x),   [logits, V] = W2 z,   pi = softmax(logits)
//! learning:  every n steps (or at the episode's end):  R_t = r_t + gamma R_t+1  (R_n = V(s_n))
//!            loss = sum_t [ -log pi(a_t|s_t) (R_t - V_t) + c (R_t - V_t)^2 / 2 - beta H(pi_t) ];  Adam
//! ```

use serde::{Deserialize, Serialize};

use ndarray::{Array1, Array2, Axis, concatenate, s};
use rand::SeedableRng;

use super::attention::{MOST_ROLLOUT, cue_of, entities_of, view_radius};
use crate::ArenaRng;
use crate::brain::nn::{Adam, Mlp, MlpTrace, policy_gradient, softmax};
use crate::brain::{
    Agent, Brain, BrainSpec, Insight, Transition, hyperparameters, n_step_advantages, sample_move,
};
use crate::world::{Action, EGO_CELL_KINDS, GridWorld, Observation};

/// What the window says about the actor-critic.
pub const ABOUT: &str = "The attention agent's control: the same actor-critic learner, with the same \
    hidden units, step size and n-step returns, but it takes in its whole view at once, every cell \
    flattened into one input, with no attention to choose what to read. If attention helps, this \
    agent learns slower or less; if it does as well, the attention was not needed for this task. \
    Read: Mnih et al. 2016, Asynchronous methods for deep reinforcement learning.";

hyperparameters! {
    /// Hyperparameters of the actor-critic: the attention agent's where they mean the same.
    pub struct ActorCriticParams {
        learning_rate: f32 = 3e-3, [1e-5, 0.05], Live,
            help: "Adam step size.",
            source: "3e-3, as the attention agent; attention_target.ron sets the best of its own sweep";
        entropy: f32 = 0.01, [0.0, 0.5], Live,
            help: "Entropy bonus: keeps the policy from committing too early.",
            source: "0.01 (Mnih et al. 2016)";
        gamma: f32 = 0.9, [0.0, 1.0], Live,
            help: "Discount.",
            source: "0.9, as the attention agent";
        n_steps: u32 = 5, [1.0, 50.0], Live,
            help: "Steps per update (n-step returns).",
            source: "5 (Mnih et al. 2016)";
        value_weight: f32 = 0.5, [0.0, 5.0], Live,
            help: "Weight of the critic's loss.",
            source: "0.5 (Mnih et al. 2016)";
        freeze: bool = false, [0.0, 1.0], Live,
            help: "Stop learning; act with the current weights.",
            source: "off: the agent learns";
        cue_input: bool = true, [0.0, 1.0], OnReset,
            help: "Give the target colour as an input. Off: the agent must read a cue tile in the world.",
            source: "on, as the attention agent in attention_target";
        hidden: u32 = 32, [1.0, 256.0], OnReset,
            help: "Hidden units. Each takes the whole flattened view: 1 unit is about the attention agent's whole parameter count.",
            source: "32, as the attention agent; attention_target.ron sets the best of its own sweep";
    }
}

/// The standard deviation the policy and value heads start with: the attention agent's.
const HEAD_SCALE: f32 = super::attention::HEAD_SCALE;

/// One step remembered for the update.
#[derive(Clone, Serialize, Deserialize)]
struct StepTrace {
    trace: MlpTrace,
    logits: Array1<f32>,
    value: f32,
    action: usize,
    reward: f32,
}

/// The actor-critic agent.
#[derive(Clone, Serialize, Deserialize)]
pub struct ActorCritic {
    params: ActorCriticParams,
    network: Mlp,
    adam: Adam,
    radius: usize,
    rollout: Vec<StepTrace>,
    last_policy: [f32; Action::COUNT],
    steps: u64,
    /// The forward pass `learn` made on the state it was handed, for its TD error; the next
    /// `act` reuses it when the input is the same and no update moved the weights since (not
    /// kept by snapshots: recomputing it gives the same numbers).
    #[serde(skip)]
    ahead: Option<(Array2<f32>, MlpTrace)>,
    /// The critic's TD error at the latest step.
    #[serde(skip)]
    delta: f32,
}

impl ActorCritic {
    /// A fresh agent for `world` (its egocentric radius), weights drawn from `seed`.
    pub fn new(params: ActorCriticParams, world: &GridWorld, seed: u64) -> Self {
        let mut rng = ArenaRng::seed_from_u64(seed);
        let radius = view_radius(world);
        let (entities, _) = entities_of(world, world.start(), radius);
        let inputs = entities.len() + 3;
        let mut network = Mlp::new(
            &[inputs, params.hidden.max(1) as usize, Action::COUNT + 1],
            &mut rng,
        );
        // The policy and value heads start as the attention agent's do, at standard deviation
        // HEAD_SCALE: a near-uniform first policy, not He's (which starts this agent with
        // preferences the attention agent does not have). The same draws, scaled.
        let head = network.layers.last_mut().expect("two layers");
        let he = (2.0 / head.inputs().max(1) as f32).sqrt();
        head.w.mapv_inplace(|w| w * HEAD_SCALE / he);
        Self {
            adam: Adam::new(params.learning_rate),
            params,
            network,
            radius,
            rollout: Vec::new(),
            last_policy: [0.25; Action::COUNT],
            steps: 0,
            ahead: None,
            delta: 0.0,
        }
    }

    /// The network's input for the agent at `at`: the flattened window, then the cue.
    fn input(&self, world: &GridWorld, at: usize) -> Array2<f32> {
        let (entities, _) = entities_of(world, at, self.radius);
        let len = entities.len();
        let flat = entities.into_shape_with_order((1, len)).expect("one row");
        let cue = if self.params.cue_input {
            cue_of(world)
        } else {
            Array2::zeros((1, 3))
        };
        concatenate(Axis(1), &[flat.view(), cue.view()]).expect("one row")
    }

    fn update(&mut self, bootstrap: f32) {
        self.ahead = None;
        if self.rollout.is_empty() || self.params.freeze {
            self.rollout.clear();
            return;
        }
        let n = self.rollout.len() as f32;
        self.network.zero_grad();
        let rollout = std::mem::take(&mut self.rollout);
        let steps: Vec<(f32, f32)> = rollout.iter().map(|t| (t.reward, t.value)).collect();
        let advantages = n_step_advantages(&steps, bootstrap, self.params.gamma);
        for (t, &advantage) in rollout.iter().zip(&advantages).rev() {
            let (_, g) = policy_gradient(t.logits.view(), t.action, advantage, self.params.entropy);
            let mut grad = Array2::zeros((1, Action::COUNT + 1));
            grad.slice_mut(s![0, ..Action::COUNT]).assign(&(g / n));
            grad[[0, Action::COUNT]] = -self.params.value_weight * advantage / n;
            self.network.backward(&t.trace, &grad);
        }
        self.adam.learning_rate = self.params.learning_rate;
        self.adam.step(self.network.tensors());
    }
}

impl Brain for ActorCritic {
    type Params = ActorCriticParams;
    const SUMMARY: &'static str =
        "advantage actor-critic on the flattened egocentric view, no attention (Mnih et al. 2016)";
    const ABOUT: &'static str = ABOUT;

    fn build(params: &ActorCriticParams, world: &GridWorld, seed: u64) -> Self {
        Self::new(params.clone(), world, seed)
    }

    fn title(_params: &ActorCriticParams) -> &'static str {
        "an actor-critic without attention"
    }
}

impl Agent for ActorCritic {
    fn act(&mut self, observation: &Observation, rng: &mut ArenaRng) -> Action {
        let input = self.input(observation.world(), observation.state);
        let trace = match self.ahead.take() {
            Some((seen, trace)) if seen == input => trace,
            _ => self.network.forward(input.view()),
        };
        let logits = trace.output.slice(s![0, ..Action::COUNT]).to_owned();
        let value = trace.output[[0, Action::COUNT]];
        let pi = softmax(logits.view());
        for (p, &q) in self.last_policy.iter_mut().zip(pi.iter()) {
            *p = q;
        }
        let action = sample_move(pi.as_slice().expect("contiguous"), rng);
        self.rollout.push(StepTrace {
            trace,
            logits,
            value,
            action,
            reward: 0.0,
        });
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
            let input = self.input(t.next.world(), t.next.state);
            let trace = self.network.forward(input.view());
            (input, trace)
        });
        let next_value = ahead
            .as_ref()
            .map_or(0.0, |(_, trace)| trace.output[[0, Action::COUNT]]);
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
        Insight {
            action_values: Some(self.last_policy),
            action_caption: "Policy at the last move (probability of each move)",
            facts: vec![
                ("inputs".into(), self.network.layers[0].inputs().to_string()),
                ("steps".into(), self.steps.to_string()),
            ],
            ..Insight::default()
        }
    }

    fn check(&self, world: &GridWorld) -> Result<(), String> {
        use crate::brain::parts::restored::{all_finite, counters, ensure, probability};
        ensure(self.radius == view_radius(world), || {
            "its view radius is not the world's".into()
        })?;
        let sizes = [
            (2 * self.radius + 1).pow(2) * (EGO_CELL_KINDS + 2) + 3,
            self.params.hidden.max(1) as usize,
            Action::COUNT + 1,
        ];
        self.network.check(&sizes)?;
        self.adam.check(&self.network.tensor_lengths())?;
        ensure(self.rollout.len() <= MOST_ROLLOUT, || {
            "its rollout is longer than any n_steps".into()
        })?;
        for step in &self.rollout {
            step.trace.check(&sizes, 1)?;
            ensure(
                step.logits.len() == Action::COUNT
                    && all_finite(&step.logits)
                    && step.action < Action::COUNT
                    && step.value.is_finite()
                    && step.reward.is_finite(),
                || "a remembered step is damaged".into(),
            )?;
        }
        ensure(
            self.last_policy.iter().all(|&p| probability(p)) && counters(&[self.steps]),
            || "its policy or counters are damaged".into(),
        )
    }

    fn spec(&self) -> BrainSpec {
        BrainSpec::ActorCritic(self.params.clone())
    }

    fn retune(&mut self, spec: &BrainSpec) {
        if let BrainSpec::ActorCritic(params) = spec {
            self.params = params.clone();
            self.ahead = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heads start as the attention agent's: the first policy is nearly uniform (He-started
    /// heads gave it preferences of 0.1 to 0.5 before it had learned anything).
    #[test]
    fn the_first_policy_is_nearly_uniform() {
        for seed in 0..5 {
            let mut world = crate::brain::room_world();
            let mut agent = ActorCritic::new(Default::default(), &world, seed);
            crate::brain::steps_mid_episode(&mut agent, &mut world, 1);
            assert!(
                agent.last_policy.iter().all(|p| (p - 0.25).abs() < 0.02),
                "seed {seed}: {:?}",
                agent.last_policy
            );
        }
    }

    /// A takeover ("you play") mid-rollout leaves no rollout behind.
    #[test]
    fn a_cut_off_episode_leaves_no_rollout_behind() {
        crate::brain::assert_a_cut_off_episode_leaves_nothing(
            |world| ActorCritic::new(Default::default(), world, 2),
            |agent| agent.rollout.len(),
        );
    }
}
