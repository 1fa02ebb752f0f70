//! The episodic memory store: exact kNN equals a naive reference, LRU eviction order, the capacity bound, the max rule.

use mindgrid_core::brain::memory::{MemoryRecord, MemoryStore, squared_distance};
use proptest::prelude::*;

fn record(value: f32) -> MemoryRecord {
    MemoryRecord {
        value,
        cell: 0,
        written_at: 0,
    }
}

/// Every (slot, distance) sorted by distance then slot: the reference answer.
fn naive(store: &MemoryStore, query: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut all: Vec<(usize, f32)> = (0..store.len())
        .map(|s| (s, squared_distance(query, store.key(s))))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all.truncate(k);
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn nearest_equals_naive_reference(
        dim in 1..40usize,
        keys in prop::collection::vec(prop::collection::vec(-3.0f32..3.0, 40), 1..300),
        query in prop::collection::vec(-3.0f32..3.0, 40),
        k in 1..20usize,
    ) {
        let mut store = MemoryStore::new(dim, 1000);
        for key in &keys {
            if store.find_exact(&key[..dim]).is_none() {
                store.insert(&key[..dim], record(0.0));
            }
        }
        let mut found = Vec::new();
        store.nearest(&query[..dim], k, &mut found);
        let expected = naive(&store, &query[..dim], k);
        let got: Vec<(usize, f32)> = found.iter().map(|n| (n.slot, n.distance2)).collect();
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn nearest_with_duplicated_distances_keeps_slot_order() {
    let mut store = MemoryStore::new(1, 10);
    for x in [1.0, -1.0, 2.0, -2.0, 0.5] {
        store.insert(&[x], record(x));
    }
    let mut found = Vec::new();
    store.nearest(&[0.0], 3, &mut found);
    let slots: Vec<usize> = found.iter().map(|n| n.slot).collect();
    assert_eq!(slots, vec![4, 0, 1]);
}

#[test]
fn least_recently_used_is_evicted_first() {
    let mut store = MemoryStore::new(1, 3);
    let a = store.insert(&[1.0], record(1.0));
    store.insert(&[2.0], record(2.0));
    store.insert(&[3.0], record(3.0));
    store.touch(a); // a is now the most recently used; 2 is the oldest
    store.insert(&[4.0], record(4.0));
    assert!(
        store.find_exact(&[2.0]).is_none(),
        "the least recently used went"
    );
    assert!(store.find_exact(&[1.0]).is_some());
    let order: Vec<f32> = store
        .recency_order()
        .iter()
        .map(|&s| store.key(s)[0])
        .collect();
    assert_eq!(order, vec![3.0, 1.0, 4.0]);
    // A write to an existing key refreshes it.
    store.write_max(&[3.0], 0.0, 0, 5);
    store.insert(&[5.0], record(5.0));
    assert!(store.find_exact(&[1.0]).is_none());
    assert!(store.find_exact(&[3.0]).is_some());
}

#[test]
fn capacity_bound_holds_after_many_writes() {
    let mut store = MemoryStore::new(4, 100);
    let mut x = 0.37f32;
    for i in 0..20_000 {
        x = (x * 3.9 * (1.0 - x)).clamp(0.001, 0.999);
        let key = [x, (i % 7) as f32, (i % 13) as f32, 1.0];
        store.write_max(&key, x, i, i as u64);
        assert!(store.len() <= 100);
    }
    assert_eq!(store.len(), 100);
    assert_eq!(store.recency_order().len(), 100);
    for slot in 0..store.len() {
        assert_eq!(
            store.find_exact(store.key(slot)),
            Some(slot),
            "the exact index matches every slot"
        );
    }
}

#[test]
fn write_keeps_the_maximum_return() {
    let mut store = MemoryStore::new(2, 10);
    let slot = store.write_max(&[1.0, 2.0], 0.5, 3, 1);
    store.write_max(&[1.0, 2.0], 0.2, 4, 2);
    assert_eq!(
        store.record(slot).value,
        0.5,
        "a lower return does not overwrite"
    );
    store.write_max(&[1.0, 2.0], 0.9, 5, 3);
    assert_eq!(store.record(slot).value, 0.9);
    assert_eq!(store.record(slot).written_at, 3);
    assert_eq!(store.len(), 1);
}

#[test]
fn shrinking_keeps_the_most_recent() {
    let mut store = MemoryStore::new(1, 10);
    for x in 0..10 {
        store.insert(&[x as f32], record(x as f32));
    }
    store.set_capacity(3);
    assert_eq!(store.len(), 3);
    let kept: Vec<f32> = store
        .recency_order()
        .iter()
        .map(|&s| store.key(s)[0])
        .collect();
    assert_eq!(kept, vec![7.0, 8.0, 9.0]);
    store.clear();
    assert!(store.is_empty());
}
