//! What an agent read from a snapshot must satisfy, in small pieces the agents' `check`s compose:
//! a damaged or hostile checkpoint is refused here instead of panicking later.

/// The largest counter (steps, episodes, updates) a restored agent may hold: beyond any real run
/// (centuries at 30 million steps a second), and far enough from `u64::MAX` that counting on can
/// never overflow.
pub const COUNTER_MAX: u64 = 1 << 62;

/// `Ok` when `holds`, else the reason `why` gives.
pub fn ensure(holds: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if holds { Ok(()) } else { Err(why()) }
}

/// Whether every number is finite (neither NaN nor infinite).
pub fn all_finite<'a>(values: impl IntoIterator<Item = &'a f32>) -> bool {
    values.into_iter().all(|v| v.is_finite())
}

/// Whether `p` is a probability (NaN is not).
pub fn probability(p: f32) -> bool {
    (0.0..=1.0).contains(&p)
}

/// Whether every counter is at most [`COUNTER_MAX`].
pub fn counters(values: &[u64]) -> bool {
    values.iter().all(|&c| c <= COUNTER_MAX)
}
