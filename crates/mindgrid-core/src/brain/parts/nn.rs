//! A small neural-network kit on ndarray, with hand-written backprop: linear layers, activations,
//! softmax, soft attention over entities, and Adam. Reused by the attention, continual-learning and
//! meta-learning agents. Every layer's gradient is checked against finite differences in tests.
//!
//! Conventions: a batch is an `Array2` with one row per example. `forward` returns what `backward`
//! needs; `backward` *accumulates* parameter gradients (call `zero_grad` between updates) and returns
//! the gradient with respect to the layer's input.

use serde::{Deserialize, Serialize};

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, s};
use rand::Rng;

use super::restored::{all_finite, ensure};
use crate::ArenaRng;

/// A draw from N(0, 1) (Box-Muller), so initial weights depend only on the seed.
pub fn standard_normal(rng: &mut ArenaRng) -> f32 {
    let u1: f32 = rng.random::<f32>().max(f32::MIN_POSITIVE);
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

/// A fully connected layer y = x W^T + b.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Linear {
    /// Weights, `out x in`.
    pub w: Array2<f32>,
    /// Biases, `out`.
    pub b: Array1<f32>,
    /// Accumulated gradient of the weights.
    pub gw: Array2<f32>,
    /// Accumulated gradient of the biases.
    pub gb: Array1<f32>,
}

impl Linear {
    /// A layer with He-scaled Gaussian weights (std sqrt(2 / in)) and zero biases.
    pub fn new(inputs: usize, outputs: usize, rng: &mut ArenaRng) -> Self {
        Self::with_scale(inputs, outputs, (2.0 / inputs.max(1) as f32).sqrt(), rng)
    }

    /// A layer whose Gaussian weights have standard deviation `scale`.
    pub fn with_scale(inputs: usize, outputs: usize, scale: f32, rng: &mut ArenaRng) -> Self {
        Self {
            w: Array2::from_shape_simple_fn((outputs, inputs), || standard_normal(rng) * scale),
            b: Array1::zeros(outputs),
            gw: Array2::zeros((outputs, inputs)),
            gb: Array1::zeros(outputs),
        }
    }

    /// Whether a layer read from a snapshot maps `inputs` to `outputs` (weights, biases and their
    /// gradients of those shapes), every weight finite.
    pub fn check(&self, inputs: usize, outputs: usize) -> Result<(), String> {
        let shape = (outputs, inputs);
        ensure(
            self.w.dim() == shape
                && self.gw.dim() == shape
                && self.b.len() == outputs
                && self.gb.len() == outputs,
            || {
                format!(
                    "a layer is {:?} with {} biases; expected {shape:?} with {outputs}",
                    self.w.dim(),
                    self.b.len()
                )
            },
        )?;
        ensure(all_finite(self.w.iter().chain(&self.b)), || {
            "a weight is not a finite number".into()
        })
    }

    /// Inputs per example.
    pub fn inputs(&self) -> usize {
        self.w.ncols()
    }

    /// Outputs per example.
    pub fn outputs(&self) -> usize {
        self.w.nrows()
    }

    /// `x` is `batch x in`; returns `batch x out`.
    pub fn forward(&self, x: ArrayView2<f32>) -> Array2<f32> {
        x.dot(&self.w.t()) + &self.b
    }

    /// Accumulates dW += g^T x and db += sum g; returns dx = g W.
    pub fn backward(&mut self, x: ArrayView2<f32>, grad_out: ArrayView2<f32>) -> Array2<f32> {
        // dW += g^T x straight into the gradient, without a temporary the size of the weights.
        // matrixmultiply adds each block of 256 rows of the batch into dW as it goes, so this is
        // bit for bit a product then an add while the batch has at most 256 rows or dW starts at
        // zero (every use here: batches of at most 225 rows, or a zeroed gradient).
        general_mat_mul(1.0, &grad_out.t(), &x, 1.0, &mut self.gw);
        self.gb += &grad_out.sum_axis(Axis(0));
        grad_out.dot(&self.w)
    }

    /// Clears the accumulated gradients.
    pub fn zero_grad(&mut self) {
        self.gw.fill(0.0);
        self.gb.fill(0.0);
    }

    /// The weights and the biases, each with its gradient, to read.
    pub fn parameters(&self) -> [(&[f32], &[f32]); 2] {
        let contiguous = "parameters are built contiguous";
        [
            (
                self.w.as_slice().expect(contiguous),
                self.gw.as_slice().expect(contiguous),
            ),
            (
                self.b.as_slice().expect(contiguous),
                self.gb.as_slice().expect(contiguous),
            ),
        ]
    }

    /// The weights and the biases, each with its gradient (for optimisers).
    pub fn tensors(&mut self) -> [(&mut [f32], &[f32]); 2] {
        let Linear { w, b, gw, gb } = self;
        [
            (
                w.as_slice_mut().expect("contiguous"),
                gw.as_slice().expect("contiguous"),
            ),
            (
                b.as_slice_mut().expect("contiguous"),
                gb.as_slice().expect("contiguous"),
            ),
        ]
    }
}

/// Rectified linear unit.
pub fn relu(x: &Array2<f32>) -> Array2<f32> {
    x.mapv(|v| v.max(0.0))
}

/// Gradient through the rectifier, given its input.
pub fn relu_backward(x: &Array2<f32>, grad_out: &Array2<f32>) -> Array2<f32> {
    let mut g = grad_out.clone();
    g.zip_mut_with(x, |g, &x| {
        if x <= 0.0 {
            *g = 0.0;
        }
    });
    g
}

/// Hyperbolic tangent.
pub fn tanh(x: &Array2<f32>) -> Array2<f32> {
    x.mapv(f32::tanh)
}

/// Gradient through tanh, given its output y: g (1 - y^2).
pub fn tanh_backward(y: &Array2<f32>, grad_out: &Array2<f32>) -> Array2<f32> {
    let mut g = grad_out.clone();
    g.zip_mut_with(y, |g, &y| *g *= 1.0 - y * y);
    g
}

/// Softmax of a vector (numerically stable).
pub fn softmax(x: ArrayView1<f32>) -> Array1<f32> {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e = x.mapv(|v| (v - max).exp());
    let sum = e.sum();
    e / sum
}

/// Gradient through a softmax with output `y`: y * (g - g.y).
pub fn softmax_backward(y: ArrayView1<f32>, grad_out: ArrayView1<f32>) -> Array1<f32> {
    let dot = y.dot(&grad_out);
    let mut g = grad_out.to_owned();
    g.zip_mut_with(&y, |g, &y| *g = y * (*g - dot));
    g
}

/// Row-wise softmax of a `batch x classes` matrix.
pub fn softmax_rows(x: &Array2<f32>) -> Array2<f32> {
    let mut out = x.clone();
    for mut row in out.rows_mut() {
        let s = softmax(row.view());
        row.assign(&s);
    }
    out
}

/// Mean cross-entropy of `logits` against integer `labels`, and its gradient with respect to the logits.
pub fn cross_entropy(logits: &Array2<f32>, labels: &[usize]) -> (f32, Array2<f32>) {
    let p = softmax_rows(logits);
    let n = labels.len().max(1) as f32;
    let mut loss = 0.0;
    let mut grad = p.clone();
    for (i, &label) in labels.iter().enumerate() {
        loss -= p[[i, label]].max(1e-12).ln();
        grad[[i, label]] -= 1.0;
    }
    (loss / n, grad / n)
}

/// The actor-critic policy loss of one step, `-log pi(action) * advantage - beta * H(pi)`, and its
/// gradient with respect to the logits: `(pi - onehot(action)) * advantage + beta * pi * (log pi + H)`.
pub fn policy_gradient(
    logits: ArrayView1<f32>,
    action: usize,
    advantage: f32,
    beta: f32,
) -> (f32, Array1<f32>) {
    let pi = softmax(logits);
    let entropy: f32 = -pi.iter().map(|&p| p * p.max(1e-12).ln()).sum::<f32>();
    let loss = -pi[action].max(1e-12).ln() * advantage - beta * entropy;
    let mut grad = pi.clone();
    for (a, g) in grad.iter_mut().enumerate() {
        let p = pi[a];
        let onehot = if a == action { 1.0 } else { 0.0 };
        *g = (p - onehot) * advantage + beta * p * (p.max(1e-12).ln() + entropy);
    }
    (loss, grad)
}

impl AttentionTrace {
    /// Whether a trace read from a snapshot is a read of `entities` by `heads` heads with keys of
    /// `key_dim` and values of `value_dim`, every number finite.
    pub fn check(
        &self,
        entities: usize,
        heads: usize,
        key_dim: usize,
        value_dim: usize,
    ) -> Result<(), String> {
        ensure(
            self.keys.dim() == (entities, key_dim)
                && self.values.dim() == (entities, value_dim)
                && self.weights.dim() == (entities, heads)
                && self.read.dim() == (heads, value_dim)
                && all_finite(
                    self.keys
                        .iter()
                        .chain(&self.values)
                        .chain(&self.weights)
                        .chain(&self.read),
                ),
            || "a remembered attention read has the wrong shape".into(),
        )
    }
}

/// What a soft-attention read needs for its backward pass.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AttentionTrace {
    /// Keys, `entities x key_dim`.
    pub keys: Array2<f32>,
    /// Values, `entities x value_dim`.
    pub values: Array2<f32>,
    /// Attention weights, `entities x heads` (each column sums to 1).
    pub weights: Array2<f32>,
    /// The read-out, `heads x value_dim`.
    pub read: Array2<f32>,
}

/// Soft spatial attention over entities (Mott et al. 2019, simplified): keys and values are linear
/// maps of the entities; each head's query scores every entity, a softmax over entities turns the
/// scores into weights, and the head reads the weighted sum of values.
///
/// ```text
/// K = E Wk^T,  V = E Wv^T,  S = K Q^T / (sqrt(dk) T),  A = softmax over entities (per head),  R = A^T V
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attention {
    /// Entity features to keys.
    pub key: Linear,
    /// Entity features to values.
    pub value: Linear,
    /// Softmax temperature T (1: plain scaled dot-product attention).
    pub temperature: f32,
}

impl Attention {
    /// Whether an attention layer read from a snapshot maps entities of `features` to keys of
    /// `key_dim` (at least 1) and values of `value_dim`, with a positive temperature.
    pub fn check(&self, features: usize, key_dim: usize, value_dim: usize) -> Result<(), String> {
        ensure(key_dim >= 1, || {
            "the attention has keys of no numbers".into()
        })?;
        self.key.check(features, key_dim)?;
        self.value.check(features, value_dim)?;
        ensure(
            self.temperature.is_finite() && self.temperature > 0.0,
            || "the attention temperature is not a positive number".into(),
        )
    }

    /// An attention layer from `features` per entity to keys of `key_dim` and values of `value_dim`.
    pub fn new(features: usize, key_dim: usize, value_dim: usize, rng: &mut ArenaRng) -> Self {
        Self {
            key: Linear::with_scale(features, key_dim, (1.0 / features as f32).sqrt(), rng),
            value: Linear::with_scale(features, value_dim, (1.0 / features as f32).sqrt(), rng),
            temperature: 1.0,
        }
    }

    fn scale(&self) -> f32 {
        1.0 / ((self.key.outputs() as f32).sqrt() * self.temperature.max(1e-3))
    }

    /// Reads `entities` (`n x features`) with `queries` (`heads x key_dim`). With `uniform`, the
    /// weights are 1/n for every entity (the lesion).
    pub fn forward(
        &self,
        entities: ArrayView2<f32>,
        queries: ArrayView2<f32>,
        uniform: bool,
    ) -> AttentionTrace {
        let keys = self.key.forward(entities);
        let values = self.value.forward(entities);
        let n = entities.nrows();
        let mut weights = Array2::from_elem((n, queries.nrows()), 1.0 / n as f32);
        if !uniform {
            let scores = keys.dot(&queries.t()) * self.scale();
            for (h, mut column) in weights.columns_mut().into_iter().enumerate() {
                column.assign(&softmax(scores.column(h)));
            }
        }
        let read = weights.t().dot(&values);
        AttentionTrace {
            keys,
            values,
            weights,
            read,
        }
    }

    /// Backward from d(read) (`heads x value_dim`); accumulates the key and value maps' gradients
    /// and returns d(queries) (`heads x key_dim`). The entities are inputs: no gradient for them.
    pub fn backward(
        &mut self,
        entities: ArrayView2<f32>,
        queries: ArrayView2<f32>,
        trace: &AttentionTrace,
        grad_read: ArrayView2<f32>,
        uniform: bool,
    ) -> Array2<f32> {
        // R = A^T V:  dV = A dR,  dA = V dR^T.
        let grad_values = trace.weights.dot(&grad_read);
        self.value.backward(entities, grad_values.view());
        if uniform {
            return Array2::zeros(queries.raw_dim());
        }
        let grad_weights = trace.values.dot(&grad_read.t());
        let mut grad_scores = Array2::zeros(grad_weights.raw_dim());
        for h in 0..queries.nrows() {
            let g = softmax_backward(trace.weights.column(h), grad_weights.column(h));
            grad_scores.slice_mut(s![.., h]).assign(&g);
        }
        let c = self.scale();
        // S = c K Q^T:  dK = c dS Q,  dQ = c dS^T K.
        let grad_keys = grad_scores.dot(&queries) * c;
        self.key.backward(entities, grad_keys.view());
        grad_scores.t().dot(&trace.keys) * c
    }

    /// Clears the accumulated gradients.
    pub fn zero_grad(&mut self) {
        self.key.zero_grad();
        self.value.zero_grad();
    }
}

/// Adam (Kingma & Ba 2015) over a fixed list of parameter tensors, addressed as flat slices.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Adam {
    /// Step size. Kingma & Ba: 1e-3.
    pub learning_rate: f32,
    /// First-moment decay. Kingma & Ba: 0.9.
    pub beta1: f32,
    /// Second-moment decay. Kingma & Ba: 0.999.
    pub beta2: f32,
    /// Kingma & Ba: 1e-8.
    pub epsilon: f32,
    step: i32,
    first: Vec<Vec<f32>>,
    second: Vec<Vec<f32>>,
}

impl Adam {
    /// Adam with Kingma & Ba's defaults and the given step size.
    pub fn new(learning_rate: f32) -> Self {
        Self {
            learning_rate,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            step: 0,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// Whether an optimiser read from a snapshot fits a network whose tensors have `lengths` (in
    /// the order they are stepped): moments for every tensor or none yet, of their lengths,
    /// finite (second moments not negative), and constants within their ranges.
    pub fn check(&self, lengths: &[usize]) -> Result<(), String> {
        ensure(
            all_finite([&self.learning_rate, &self.beta1, &self.beta2, &self.epsilon])
                && (0.0..1.0).contains(&self.beta1)
                && (0.0..1.0).contains(&self.beta2)
                && self.epsilon > 0.0,
            || "the optimiser's constants are damaged".into(),
        )?;
        ensure(
            self.step >= 0 && self.first.is_empty() == (self.step == 0),
            || format!("the optimiser is at step {}", self.step),
        )?;
        ensure(
            self.first.len() == self.second.len()
                && (self.first.is_empty() || self.first.len() == lengths.len()),
            || "the optimiser has moments for another network".into(),
        )?;
        for ((m, v), &n) in self.first.iter().zip(&self.second).zip(lengths) {
            ensure(
                m.len() == n
                    && v.len() == n
                    && all_finite(m.iter().chain(v))
                    && v.iter().all(|&x| x >= 0.0),
                || "the optimiser's moments do not fit the network".into(),
            )?;
        }
        Ok(())
    }

    /// One update of every (parameters, gradient) pair, in a fixed order across calls.
    pub fn step(&mut self, tensors: Vec<(&mut [f32], &[f32])>) {
        self.step = self.step.saturating_add(1);
        let (b1, b2) = (self.beta1, self.beta2);
        let correction1 = 1.0 - b1.powi(self.step);
        let correction2 = 1.0 - b2.powi(self.step);
        for (i, (params, grads)) in tensors.into_iter().enumerate() {
            if self.first.len() <= i {
                self.first.push(vec![0.0; params.len()]);
                self.second.push(vec![0.0; params.len()]);
            }
            assert!(
                params.len() == grads.len() && self.first[i].len() == params.len(),
                "Adam: tensor {i} changed shape"
            );
            // Zipped rather than indexed: without bounds checks the loop vectorises, and each
            // element still gets exactly the same operations in the same order.
            let moments = self.first[i].iter_mut().zip(self.second[i].iter_mut());
            for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(moments) {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + (1.0 - b2) * g * g;
                let m_hat = *m / correction1;
                let v_hat = *v / correction2;
                *p -= self.learning_rate * m_hat / (v_hat.sqrt() + self.epsilon);
            }
        }
    }
}

/// A multilayer perceptron with rectified hidden layers and a linear output.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Mlp {
    /// The layers, input first.
    pub layers: Vec<Linear>,
}

/// The activations an `Mlp` forward pass keeps for backward.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MlpTrace {
    /// The input of each layer (the first is the network's input).
    pub inputs: Vec<Array2<f32>>,
    /// Pre-activations of each hidden layer.
    pub pre: Vec<Array2<f32>>,
    /// The network's output.
    pub output: Array2<f32>,
}

impl MlpTrace {
    /// Whether a trace read from a snapshot is a forward pass of `rows` examples through layers
    /// of `sizes`, every number finite.
    pub fn check(&self, sizes: &[usize], rows: usize) -> Result<(), String> {
        let layers = sizes.len().saturating_sub(1);
        ensure(
            layers >= 1
                && self.inputs.len() == layers
                && self.pre.len() == layers - 1
                && self
                    .inputs
                    .iter()
                    .zip(sizes)
                    .all(|(x, &w)| x.dim() == (rows, w))
                && self
                    .pre
                    .iter()
                    .zip(&sizes[1..])
                    .all(|(z, &w)| z.dim() == (rows, w))
                && self.output.dim() == (rows, sizes[layers])
                && all_finite(
                    self.inputs
                        .iter()
                        .flatten()
                        .chain(self.pre.iter().flatten())
                        .chain(&self.output),
                ),
            || "a remembered forward pass has the wrong shape".into(),
        )
    }
}

impl Mlp {
    /// Whether a network read from a snapshot has layers of `sizes` (such as `[77, 64, 4]`).
    pub fn check(&self, sizes: &[usize]) -> Result<(), String> {
        ensure(
            sizes.len() >= 2 && self.layers.len() == sizes.len() - 1,
            || {
                format!(
                    "a network has {} layers; expected {}",
                    self.layers.len(),
                    sizes.len().saturating_sub(1)
                )
            },
        )?;
        self.layers
            .iter()
            .zip(sizes.windows(2))
            .try_for_each(|(layer, io)| layer.check(io[0], io[1]))
    }

    /// The lengths of its tensors in the order [`Mlp::tensors`] gives them (weights, then biases,
    /// layer by layer).
    pub fn tensor_lengths(&self) -> Vec<usize> {
        self.layers
            .iter()
            .flat_map(|l| [l.w.len(), l.b.len()])
            .collect()
    }

    /// A network with these layer sizes, e.g. `[77, 64, 4]`.
    pub fn new(sizes: &[usize], rng: &mut ArenaRng) -> Self {
        Self {
            layers: sizes
                .windows(2)
                .map(|w| Linear::new(w[0], w[1], rng))
                .collect(),
        }
    }

    /// The output for a batch.
    pub fn forward(&self, x: ArrayView2<f32>) -> MlpTrace {
        let mut inputs = vec![x.to_owned()];
        let mut pre = Vec::new();
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            let z = layer.forward(inputs[i].view());
            if i == last {
                return MlpTrace {
                    inputs,
                    pre,
                    output: z,
                };
            }
            inputs.push(relu(&z));
            pre.push(z);
        }
        unreachable!("an Mlp has at least one layer")
    }

    /// Accumulates every layer's gradient from d(output); returns d(input).
    pub fn backward(&mut self, trace: &MlpTrace, grad_output: &Array2<f32>) -> Array2<f32> {
        let mut grad = grad_output.clone();
        for i in (0..self.layers.len()).rev() {
            grad = self.layers[i].backward(trace.inputs[i].view(), grad.view());
            if i > 0 {
                grad = relu_backward(&trace.pre[i - 1], &grad);
            }
        }
        grad
    }

    /// Clears the accumulated gradients.
    pub fn zero_grad(&mut self) {
        self.layers.iter_mut().for_each(Linear::zero_grad);
    }

    /// Every parameter tensor with its gradient, in a fixed order (for optimisers).
    pub fn tensors(&mut self) -> Vec<(&mut [f32], &[f32])> {
        self.layers.iter_mut().flat_map(Linear::tensors).collect()
    }

    /// All parameters as one flat vector (weights then bias, layer by layer).
    pub fn flat(&self) -> Vec<f32> {
        self.concatenate(|layer| Linear::parameters(layer).map(|(values, _)| values))
    }

    /// All accumulated gradients as one flat vector, in the order of [`Mlp::flat`].
    pub fn flat_grad(&self) -> Vec<f32> {
        self.concatenate(|layer| Linear::parameters(layer).map(|(_, gradients)| gradients))
    }

    /// One flat vector of two slices of every layer, in layer order.
    fn concatenate<'a>(&'a self, parts: impl Fn(&'a Linear) -> [&'a [f32]; 2]) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.parameter_count());
        for layer in &self.layers {
            for part in parts(layer) {
                out.extend_from_slice(part);
            }
        }
        out
    }

    /// Sets every parameter from a flat vector in the order of [`Mlp::flat`].
    pub fn set_flat(&mut self, values: &[f32]) {
        let mut k = 0;
        for layer in &mut self.layers {
            for v in layer.w.iter_mut().chain(layer.b.iter_mut()) {
                *v = values[k];
                k += 1;
            }
        }
    }

    /// Plain gradient descent on the accumulated gradients.
    pub fn sgd_step(&mut self, learning_rate: f32) {
        for layer in &mut self.layers {
            layer.w.scaled_add(-learning_rate, &layer.gw);
            layer.b.scaled_add(-learning_rate, &layer.gb);
        }
    }

    /// Number of parameters.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }
}
