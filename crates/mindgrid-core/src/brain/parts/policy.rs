//! Policy helpers shared by the agents: epsilon-greedy, argmax with random ties, imitation
//! accuracy, and the confidence map of a policy network.

use crate::ArenaRng;
use crate::brain::ValueMap;
use crate::world::Action;

/// The map a policy network shows: in each cell, the probability of its preferred move (its
/// confidence) and that move. `probabilities` has one row of move probabilities per entry of
/// `cells`, which names the cell each row belongs to; other cells have no estimate.
pub fn confidence_map(
    probabilities: &ndarray::Array2<f32>,
    cells: impl IntoIterator<Item = usize>,
    cell_count: usize,
) -> ValueMap {
    let mut map = ValueMap {
        value: vec![f32::NAN; cell_count],
        greedy: vec![None; cell_count],
        meaning: "probability of the preferred move",
    };
    for (row, cell) in probabilities.rows().into_iter().zip(cells) {
        let (best, confidence) = row
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        map.value[cell] = confidence;
        map.greedy[cell] = Some(Action::from_index(best));
    }
    map
}

/// The share of rows of `output` (one row of move scores per example) whose best-scoring move is
/// one of that example's shortest-path moves: the "accuracy" of the imitation learners.
pub fn shortest_move_accuracy(
    output: &ndarray::Array2<f32>,
    best: &[[bool; Action::COUNT]],
) -> f32 {
    let correct = output
        .rows()
        .into_iter()
        .zip(best)
        .filter(|(row, best)| {
            let choice = row
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(i, _)| i);
            best[choice]
        })
        .count();
    correct as f32 / best.len().max(1) as f32
}

/// Epsilon-greedy: with probability `epsilon` a uniformly random move, otherwise the move with
/// the largest value (ties broken at random).
pub fn epsilon_greedy(values: &[f32], epsilon: f32, rng: &mut ArenaRng) -> Action {
    use rand::Rng;
    if rng.random::<f32>() < epsilon {
        Action::from_index(rng.random_range(0..Action::COUNT))
    } else {
        Action::from_index(argmax_random_tie(values, rng))
    }
}

/// Picks the index of the largest value, breaking ties uniformly at random.
pub fn argmax_random_tie(values: &[f32], rng: &mut ArenaRng) -> usize {
    use rand::Rng;
    let best = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let ties = values.iter().filter(|&&v| v == best).count();
    if ties <= 1 {
        return values.iter().position(|&v| v == best).unwrap_or(0);
    }
    let mut pick = rng.random_range(0..ties);
    for (i, &v) in values.iter().enumerate() {
        if v == best {
            if pick == 0 {
                return i;
            }
            pick -= 1;
        }
    }
    0
}

/// The softmax policy over four move values: `exp(beta v_a) / sum_b exp(beta v_b)` (computed
/// from the largest value down, so a large `beta` cannot overflow).
pub fn softmax_moves(values: &[f32; Action::COUNT], beta: f32) -> [f32; Action::COUNT] {
    let top = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights = values.map(|v| (beta * (v - top)).exp());
    let sum: f32 = weights.iter().sum();
    weights.map(|w| w / sum)
}

/// Draws a move from the policy `pi` (probabilities in move order): one uniform draw against the
/// running sum, the last move if rounding leaves the sum short of the draw.
pub fn sample_move(pi: &[f32], rng: &mut ArenaRng) -> usize {
    use rand::Rng;
    let draw: f32 = rng.random();
    let mut cumulative = 0.0;
    for (a, &p) in pi.iter().enumerate() {
        cumulative += p;
        if draw < cumulative {
            return a;
        }
    }
    Action::COUNT - 1
}

/// The advantages of an n-step rollout, oldest first: walking back from `bootstrap` (the critic's
/// value after the last step, 0 at a terminal), `R_t = r_t + gamma R_t+1` and `A_t = R_t - V_t`.
/// `steps` holds each step's (reward, value).
pub fn n_step_advantages(steps: &[(f32, f32)], bootstrap: f32, gamma: f32) -> Vec<f32> {
    let mut ret = bootstrap;
    let mut advantages = vec![0.0; steps.len()];
    for (advantage, &(reward, value)) in advantages.iter_mut().zip(steps).rev() {
        ret = reward + gamma * ret;
        *advantage = ret - value;
    }
    advantages
}
