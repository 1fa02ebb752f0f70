//! An episodic memory store: contiguous keys, exact k-nearest-neighbour search, O(1) least-recently-used eviction.
//!
//! Reusable by any agent that remembers (key, value) pairs. Keys live in one contiguous `Vec<f32>`
//! (slot-major), so a search is one linear pass the compiler vectorises; recency is a doubly linked
//! list threaded through the slots, so a touch or an eviction never scans the store.

use serde::{Deserialize, Serialize};

use std::collections::HashMap;

/// Most entries one store may hold (a scene's capacity is validated against it).
pub const MAX_CAPACITY: usize = 1_000_000;
/// Largest key dimension.
pub const MAX_KEY_DIM: usize = 4096;

const NONE: u32 = u32::MAX;

/// One neighbour found by a search.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// The slot holding it.
    pub slot: usize,
    /// Squared Euclidean distance to the query.
    pub distance2: f32,
}

/// What a memory remembers besides its key.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryRecord {
    /// Its value (for episodic control: the best discounted return seen after it).
    pub value: f32,
    /// The map cell where it was made.
    pub cell: usize,
    /// The step count at which it was last written.
    pub written_at: u64,
}

/// A fixed-capacity store of (key, record) pairs with LRU eviction.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "StoredMemory")]
pub struct MemoryStore {
    dim: usize,
    capacity: usize,
    keys: Vec<f32>,
    records: Vec<MemoryRecord>,
    /// Towards the more recently used neighbour in the recency list.
    newer: Vec<u32>,
    /// Towards the less recently used neighbour.
    older: Vec<u32>,
    newest: u32,
    oldest: u32,
    /// Exact key (as bits) to slot, for exact hits. Not saved: rebuilt from the keys on restore
    /// (a hash map's order would make two snapshots of one store differ).
    #[serde(skip)]
    exact: HashMap<Vec<u32>, u32>,
}

/// A saved [`MemoryStore`]: its fields but the exact-hit index.
#[derive(Deserialize)]
struct StoredMemory {
    dim: usize,
    capacity: usize,
    keys: Vec<f32>,
    records: Vec<MemoryRecord>,
    newer: Vec<u32>,
    older: Vec<u32>,
    newest: u32,
    oldest: u32,
}

impl From<StoredMemory> for MemoryStore {
    fn from(saved: StoredMemory) -> Self {
        let mut store = Self {
            dim: saved.dim.max(1),
            capacity: saved.capacity,
            keys: saved.keys,
            records: saved.records,
            newer: saved.newer,
            older: saved.older,
            newest: saved.newest,
            oldest: saved.oldest,
            exact: HashMap::new(),
        };
        // A damaged snapshot could hold fewer keys than records: index only whole keys.
        let slots = (store.keys.len() / store.dim).min(store.records.len());
        store.exact = (0..slots)
            .map(|slot| (Self::exact_key(store.key(slot)), slot as u32))
            .collect();
        store
    }
}

impl MemoryStore {
    /// An empty store of keys with `dim` components, holding at most `capacity` entries.
    pub fn new(dim: usize, capacity: usize) -> Self {
        let capacity = capacity.clamp(1, MAX_CAPACITY);
        Self {
            dim: dim.max(1),
            capacity,
            keys: Vec::new(),
            records: Vec::new(),
            newer: Vec::new(),
            older: Vec::new(),
            newest: NONE,
            oldest: NONE,
            exact: HashMap::new(),
        }
    }

    /// Whether a store read from a snapshot holds keys of `dim` numbers, at most its capacity of
    /// entries with a key, a record and two recency links each, every link in range and the
    /// recency list one unbroken chain through every entry, no key twice, finite numbers, and
    /// cells on a map of `cells`.
    pub fn check(&self, dim: usize, cells: usize) -> Result<(), String> {
        use super::restored::{all_finite, ensure};
        let n = self.records.len();
        ensure(self.dim == dim, || {
            format!(
                "a memory holds keys of {} numbers; expected {dim}",
                self.dim
            )
        })?;
        ensure(
            (1..=MAX_CAPACITY).contains(&self.capacity) && n <= self.capacity,
            || format!("a memory holds {n} entries with capacity {}", self.capacity),
        )?;
        ensure(
            self.keys.len() == n * self.dim && self.newer.len() == n && self.older.len() == n,
            || "a memory's keys, records and links differ in number".into(),
        )?;
        ensure(
            all_finite(&self.keys)
                && self
                    .records
                    .iter()
                    .all(|r| r.value.is_finite() && r.cell < cells),
            || "a memory holds a number that is not finite, or a cell off the map".into(),
        )?;
        ensure(self.exact.len() == n, || {
            "two memories hold the same key".into()
        })?;
        if n == 0 {
            return ensure(self.newest == NONE && self.oldest == NONE, || {
                "an empty memory has a recency list".into()
            });
        }
        let broken = || "a memory's recency list is broken".to_owned();
        let mut seen = vec![false; n];
        let (mut slot, mut previous) = (self.oldest, NONE);
        for _ in 0..n {
            let s = slot as usize;
            ensure(
                slot != NONE && s < n && !seen[s] && self.older[s] == previous,
                broken,
            )?;
            seen[s] = true;
            previous = slot;
            slot = self.newer[s];
        }
        ensure(slot == NONE && previous == self.newest, broken)
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Most entries it may hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Key dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The key in `slot`.
    pub fn key(&self, slot: usize) -> &[f32] {
        &self.keys[slot * self.dim..(slot + 1) * self.dim]
    }

    /// The record in `slot`.
    pub fn record(&self, slot: usize) -> &MemoryRecord {
        &self.records[slot]
    }

    /// Forgets everything (amnesia).
    pub fn clear(&mut self) {
        *self = Self::new(self.dim, self.capacity);
    }

    /// Changes the capacity; shrinking evicts the least recently used entries.
    pub fn set_capacity(&mut self, capacity: usize) {
        let capacity = capacity.clamp(1, MAX_CAPACITY);
        if capacity >= self.len() {
            self.capacity = capacity;
            return;
        }
        // Rebuild with the `capacity` most recent entries, oldest first so recency order is kept.
        let mut order = Vec::with_capacity(self.len());
        let mut slot = self.newest;
        while slot != NONE && order.len() < capacity {
            order.push(slot as usize);
            slot = self.older[slot as usize];
        }
        let mut fresh = Self::new(self.dim, capacity);
        for &slot in order.iter().rev() {
            fresh.insert(self.key(slot), self.records[slot]);
        }
        *self = fresh;
    }

    fn exact_key(key: &[f32]) -> Vec<u32> {
        key.iter().map(|v| v.to_bits()).collect()
    }

    /// The slot holding exactly `key`, if any.
    pub fn find_exact(&self, key: &[f32]) -> Option<usize> {
        self.exact.get(&Self::exact_key(key)).map(|&s| s as usize)
    }

    fn unlink(&mut self, slot: u32) {
        let (newer, older) = (self.newer[slot as usize], self.older[slot as usize]);
        match newer {
            NONE => self.newest = older,
            n => self.older[n as usize] = older,
        }
        match older {
            NONE => self.oldest = newer,
            o => self.newer[o as usize] = newer,
        }
    }

    fn push_newest(&mut self, slot: u32) {
        self.newer[slot as usize] = NONE;
        self.older[slot as usize] = self.newest;
        if self.newest != NONE {
            self.newer[self.newest as usize] = slot;
        }
        self.newest = slot;
        if self.oldest == NONE {
            self.oldest = slot;
        }
    }

    /// Marks `slot` as just used (a read or a write keeps a memory alive).
    pub fn touch(&mut self, slot: usize) {
        let slot = slot as u32;
        if self.newest != slot {
            self.unlink(slot);
            self.push_newest(slot);
        }
    }

    /// Slots from least to most recently used.
    pub fn recency_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.len());
        let mut slot = self.oldest;
        while slot != NONE {
            order.push(slot as usize);
            slot = self.newer[slot as usize];
        }
        order
    }

    /// Stores a new entry (the caller has checked there is no exact hit), evicting the least
    /// recently used one when full. Returns its slot.
    pub fn insert(&mut self, key: &[f32], record: MemoryRecord) -> usize {
        debug_assert_eq!(key.len(), self.dim);
        let slot = if self.len() < self.capacity {
            let slot = self.records.len();
            self.keys.extend_from_slice(&key[..self.dim]);
            self.records.push(record);
            self.newer.push(NONE);
            self.older.push(NONE);
            slot as u32
        } else {
            let slot = self.oldest;
            self.unlink(slot);
            let old = Self::exact_key(self.key(slot as usize));
            self.exact.remove(&old);
            let s = slot as usize;
            self.keys[s * self.dim..(s + 1) * self.dim].copy_from_slice(&key[..self.dim]);
            self.records[s] = record;
            slot
        };
        self.exact.insert(Self::exact_key(key), slot);
        self.push_newest(slot);
        slot as usize
    }

    /// Writes `value` under `key`: on an exact hit the value becomes the larger of the two
    /// (episodic control's max rule), otherwise a new entry is inserted. Returns its slot.
    pub fn write_max(&mut self, key: &[f32], value: f32, cell: usize, now: u64) -> usize {
        match self.find_exact(key) {
            Some(slot) => {
                let record = &mut self.records[slot];
                record.value = record.value.max(value);
                record.cell = cell;
                record.written_at = now;
                self.touch(slot);
                slot
            }
            None => self.insert(
                key,
                MemoryRecord {
                    value,
                    cell,
                    written_at: now,
                },
            ),
        }
    }

    /// The `k` nearest keys to `query` by Euclidean distance, nearest first (ties by slot).
    /// Exact: every key is compared. `out` is reused to avoid allocation.
    ///
    /// On x86-64 processors with AVX2 the same code runs compiled for AVX2 (twice as wide as the
    /// baseline SSE2). The arithmetic is the same operations in the same order, so the results are
    /// bit for bit the same either way.
    pub fn nearest(&self, query: &[f32], k: usize, out: &mut Vec<Neighbour>) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            #[allow(unsafe_code)]
            // SAFETY: `nearest_avx2` only requires AVX2, which was detected on this CPU just above.
            unsafe {
                return self.nearest_avx2(query, k, out);
            }
        }
        self.nearest_portable(query, k, out);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn nearest_avx2(&self, query: &[f32], k: usize, out: &mut Vec<Neighbour>) {
        self.nearest_portable(query, k, out);
    }

    #[inline(always)]
    fn nearest_portable(&self, query: &[f32], k: usize, out: &mut Vec<Neighbour>) {
        out.clear();
        if k == 0 || self.is_empty() {
            return;
        }
        let k = k.min(self.len());
        // `out` holds the best k so far, sorted ascending; `worst` is its last distance.
        let mut worst = f32::INFINITY;
        for (slot, key) in self.keys.chunks_exact(self.dim).enumerate() {
            let d = squared_distance(query, key);
            if out.len() < k || d < worst {
                let at = out.partition_point(|n| n.distance2 <= d);
                if out.len() == k {
                    out.pop();
                }
                out.insert(at, Neighbour { slot, distance2: d });
                worst = out.last().map_or(f32::INFINITY, |n| n.distance2);
                if out.len() < k {
                    worst = f32::INFINITY;
                }
            }
        }
    }
}

/// Squared Euclidean distance, written in 8 independent lanes so it vectorises.
#[inline(always)]
pub fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let (a_rest, b_rest) = (a_chunks.remainder(), b_chunks.remainder());
    for (x, y) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            let d = x[i] - y[i];
            lanes[i] += d * d;
        }
    }
    let mut sum: f32 = lanes.iter().sum();
    for (x, y) in a_rest.iter().zip(b_rest) {
        let d = x - y;
        sum += d * d;
    }
    sum
}
