//! Every layer's hand-written gradient agrees with central finite differences.

use mindgrid_core::ArenaRng;
use mindgrid_core::brain::nn::{self, Attention, Linear, Mlp};
use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};

const EPS: f32 = 1e-2;

fn random(rows: usize, cols: usize, rng: &mut ArenaRng) -> Array2<f32> {
    Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0..1.0))
}

/// Asserts analytic and numeric gradients agree (relative to the larger magnitude).
fn assert_close(analytic: f32, numeric: f32, what: &str) {
    let scale = analytic.abs().max(numeric.abs()).max(1e-2);
    assert!(
        (analytic - numeric).abs() / scale < 2e-2,
        "{what}: analytic {analytic} vs numeric {numeric}"
    );
}

/// d/dp of f at each element of `p`, by central differences.
fn numeric_grad(p: &mut [f32], mut f: impl FnMut(&[f32]) -> f32) -> Vec<f32> {
    (0..p.len())
        .map(|i| {
            let keep = p[i];
            p[i] = keep + EPS;
            let up = f(p);
            p[i] = keep - EPS;
            let down = f(p);
            p[i] = keep;
            (up - down) / (2.0 * EPS)
        })
        .collect()
}

#[test]
fn linear_layer() {
    let mut rng = ArenaRng::seed_from_u64(1);
    let mut layer = Linear::new(5, 3, &mut rng);
    let x = random(4, 5, &mut rng);
    let r = random(4, 3, &mut rng);
    let loss = |layer: &Linear, x: &Array2<f32>| (layer.forward(x.view()) * &r).sum();
    let dx = layer.backward(x.view(), r.view());
    let analytic_w = layer.gw.clone();
    let analytic_b = layer.gb.clone();
    let mut w = layer.w.as_slice().unwrap().to_vec();
    let numeric_w = numeric_grad(&mut w, |w| {
        let mut l = layer.clone();
        l.w.as_slice_mut().unwrap().copy_from_slice(w);
        loss(&l, &x)
    });
    for (a, n) in analytic_w.iter().zip(&numeric_w) {
        assert_close(*a, *n, "dW");
    }
    let mut b = layer.b.to_vec();
    let numeric_b = numeric_grad(&mut b, |b| {
        let mut l = layer.clone();
        l.b = Array1::from_vec(b.to_vec());
        loss(&l, &x)
    });
    for (a, n) in analytic_b.iter().zip(&numeric_b) {
        assert_close(*a, *n, "db");
    }
    let mut xs = x.as_slice().unwrap().to_vec();
    let numeric_x = numeric_grad(&mut xs, |xs| {
        loss(
            &layer,
            &Array2::from_shape_vec((4, 5), xs.to_vec()).unwrap(),
        )
    });
    for (a, n) in dx.iter().zip(&numeric_x) {
        assert_close(*a, *n, "dx");
    }
}

#[test]
fn activations_and_softmax() {
    let mut rng = ArenaRng::seed_from_u64(2);
    let x = random(3, 4, &mut rng).mapv(|v| if v.abs() < 0.05 { 0.3 } else { v });
    let r = random(3, 4, &mut rng);
    let mut xs = x.as_slice().unwrap().to_vec();
    let shape = |xs: &[f32]| Array2::from_shape_vec((3, 4), xs.to_vec()).unwrap();
    let relu_numeric = numeric_grad(&mut xs, |xs| (nn::relu(&shape(xs)) * &r).sum());
    for (a, n) in nn::relu_backward(&x, &r).iter().zip(&relu_numeric) {
        assert_close(*a, *n, "relu");
    }
    let y = nn::tanh(&x);
    let tanh_numeric = numeric_grad(&mut xs, |xs| (nn::tanh(&shape(xs)) * &r).sum());
    for (a, n) in nn::tanh_backward(&y, &r).iter().zip(&tanh_numeric) {
        assert_close(*a, *n, "tanh");
    }
    let v = x.row(0).to_owned();
    let g = r.row(0).to_owned();
    let s = nn::softmax(v.view());
    assert!((s.sum() - 1.0).abs() < 1e-6);
    let mut vs = v.to_vec();
    let softmax_numeric = numeric_grad(&mut vs, |vs| {
        nn::softmax(Array1::from_vec(vs.to_vec()).view()).dot(&g)
    });
    for (a, n) in nn::softmax_backward(s.view(), g.view())
        .iter()
        .zip(&softmax_numeric)
    {
        assert_close(*a, *n, "softmax");
    }
    let labels = [1usize, 3, 0];
    let (_, grad) = nn::cross_entropy(&x, &labels);
    let ce_numeric = numeric_grad(&mut xs, |xs| nn::cross_entropy(&shape(xs), &labels).0);
    for (a, n) in grad.iter().zip(&ce_numeric) {
        assert_close(*a, *n, "cross-entropy");
    }
}

#[test]
fn actor_critic_policy_loss() {
    let mut rng = ArenaRng::seed_from_u64(6);
    for (action, advantage, beta) in [(0usize, 0.7f32, 0.01f32), (2, -1.3, 0.1), (3, 0.0, 0.5)] {
        let logits: Vec<f32> = (0..4).map(|_| rng.random_range(-2.0..2.0)).collect();
        let (_, analytic) = nn::policy_gradient(
            Array1::from_vec(logits.clone()).view(),
            action,
            advantage,
            beta,
        );
        let mut l = logits.clone();
        let numeric = numeric_grad(&mut l, |l| {
            nn::policy_gradient(Array1::from_vec(l.to_vec()).view(), action, advantage, beta).0
        });
        for (a, n) in analytic.iter().zip(&numeric) {
            assert_close(*a, *n, "policy loss");
        }
    }
}

#[test]
fn soft_attention() {
    let mut rng = ArenaRng::seed_from_u64(3);
    let mut attention = Attention::new(6, 4, 5, &mut rng);
    attention.temperature = 0.7;
    let entities = random(9, 6, &mut rng);
    let queries = random(2, 4, &mut rng);
    let r = random(2, 5, &mut rng);
    let loss = |a: &Attention, q: &Array2<f32>| {
        (a.forward(entities.view(), q.view(), false).read * &r).sum()
    };
    let trace = attention.forward(entities.view(), queries.view(), false);
    for h in 0..2 {
        assert!(
            (trace.weights.column(h).sum() - 1.0).abs() < 1e-5,
            "weights sum to 1"
        );
    }
    let dq = attention.backward(entities.view(), queries.view(), &trace, r.view(), false);
    let mut qs = queries.as_slice().unwrap().to_vec();
    let numeric_q = numeric_grad(&mut qs, |qs| {
        loss(
            &attention,
            &Array2::from_shape_vec((2, 4), qs.to_vec()).unwrap(),
        )
    });
    for (a, n) in dq.iter().zip(&numeric_q) {
        assert_close(*a, *n, "dQ");
    }
    let analytic_k = attention.key.gw.clone();
    let mut wk = attention.key.w.as_slice().unwrap().to_vec();
    let numeric_k = numeric_grad(&mut wk, |wk| {
        let mut a = attention.clone();
        a.key.w.as_slice_mut().unwrap().copy_from_slice(wk);
        loss(&a, &queries)
    });
    for (a, n) in analytic_k.iter().zip(&numeric_k) {
        assert_close(*a, *n, "dWk");
    }
    let analytic_v = attention.value.gw.clone();
    let mut wv = attention.value.w.as_slice().unwrap().to_vec();
    let numeric_v = numeric_grad(&mut wv, |wv| {
        let mut a = attention.clone();
        a.value.w.as_slice_mut().unwrap().copy_from_slice(wv);
        loss(&a, &queries)
    });
    for (a, n) in analytic_v.iter().zip(&numeric_v) {
        assert_close(*a, *n, "dWv");
    }
    // The lesion: uniform weights, no gradient to the queries or the keys (the read no longer
    // depends on them), and the values' gradient is the uniform read's.
    let uniform = attention.forward(entities.view(), queries.view(), true);
    assert!(
        uniform
            .weights
            .iter()
            .all(|&w| (w - 1.0 / 9.0).abs() < 1e-6)
    );
    let mut lesioned = attention.clone();
    lesioned.zero_grad();
    let dq = lesioned.backward(entities.view(), queries.view(), &uniform, r.view(), true);
    assert!(dq.iter().all(|&g| g == 0.0), "no gradient to the queries");
    assert!(
        lesioned.key.gw.iter().all(|&g| g == 0.0),
        "no gradient to the keys"
    );
    let lesioned_loss = |a: &Attention, q: &Array2<f32>| {
        (a.forward(entities.view(), q.view(), true).read * &r).sum()
    };
    let mut qs = queries.as_slice().unwrap().to_vec();
    let numeric_q = numeric_grad(&mut qs, |qs| {
        lesioned_loss(
            &lesioned,
            &Array2::from_shape_vec((2, 4), qs.to_vec()).unwrap(),
        )
    });
    assert!(
        numeric_q.iter().all(|n| n.abs() < 1e-3),
        "and indeed the read does not change with them"
    );
    let mut wv = lesioned.value.w.as_slice().unwrap().to_vec();
    let numeric_v = numeric_grad(&mut wv, |wv| {
        let mut a = lesioned.clone();
        a.value.w.as_slice_mut().unwrap().copy_from_slice(wv);
        lesioned_loss(&a, &queries)
    });
    for (a, n) in lesioned.value.gw.iter().zip(&numeric_v) {
        assert_close(*a, *n, "dWv under the lesion");
    }
}

#[test]
fn mlp_end_to_end() {
    let mut rng = ArenaRng::seed_from_u64(4);
    let mut mlp = Mlp::new(&[6, 8, 7, 3], &mut rng);
    let x = random(5, 6, &mut rng);
    let labels = [0usize, 2, 1, 1, 0];
    let trace = mlp.forward(x.view());
    let (_, grad) = nn::cross_entropy(&trace.output, &labels);
    mlp.zero_grad();
    mlp.backward(&trace, &grad);
    let analytic = mlp.flat_grad();
    let mut params = mlp.flat();
    let numeric = numeric_grad(&mut params, |p| {
        let mut m = mlp.clone();
        m.set_flat(p);
        nn::cross_entropy(&m.forward(x.view()).output, &labels).0
    });
    for (a, n) in analytic.iter().zip(&numeric) {
        assert_close(*a, *n, "mlp");
    }
}

#[test]
fn adam_descends() {
    let mut rng = ArenaRng::seed_from_u64(5);
    let mut mlp = Mlp::new(&[2, 16, 2], &mut rng);
    let x = random(64, 2, &mut rng);
    let labels: Vec<usize> = x
        .rows()
        .into_iter()
        .map(|r| usize::from(r[0] * r[1] > 0.0))
        .collect();
    let mut adam = nn::Adam::new(0.01);
    let first = nn::cross_entropy(&mlp.forward(x.view()).output, &labels).0;
    for _ in 0..300 {
        let trace = mlp.forward(x.view());
        let (_, grad) = nn::cross_entropy(&trace.output, &labels);
        mlp.zero_grad();
        mlp.backward(&trace, &grad);
        adam.step(mlp.tensors());
    }
    let last = nn::cross_entropy(&mlp.forward(x.view()).output, &labels).0;
    assert!(last < first * 0.3, "XOR-like loss {first} -> {last}");
}

/// Adam's bias correction is what makes its first steps the step size: after one step on any
/// gradient the parameter moves by about `learning_rate` against it. Without the correction the
/// first step would be about 3.2 times as large (0.1 / sqrt(0.001)).
#[test]
fn adam_corrects_the_bias_of_its_first_steps() {
    for gradient in [1e-3f32, 0.5, -20.0] {
        let mut adam = nn::Adam::new(0.1);
        let mut parameter = [1.0f32];
        adam.step(vec![(&mut parameter[..], &[gradient][..])]);
        let moved = 1.0 - parameter[0];
        assert!(
            (moved - 0.1 * gradient.signum()).abs() < 1e-3,
            "gradient {gradient}: moved {moved}, expected 0.1 against the gradient"
        );
        // A second step with the same gradient moves as far again.
        adam.step(vec![(&mut parameter[..], &[gradient][..])]);
        let second = 1.0 - moved - parameter[0];
        assert!(
            (second - 0.1 * gradient.signum()).abs() < 1e-3,
            "second step {second}"
        );
    }
}
