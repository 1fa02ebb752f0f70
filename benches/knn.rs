//! Exact kNN benchmark of the episodic memory store (`cargo bench --bench knn`): one query at a time,
//! one thread, k = 11, the sizes faiss `IndexFlatL2` was measured at (0.09 ms at 1e4 x 32, 1.0 ms at
//! 1e5 x 32, 1.1 ms at 1e5 x 64).

use std::hint::black_box;
use std::time::Instant;

use mindgrid::ArenaRng;
use mindgrid::brain::memory::{MemoryRecord, MemoryStore};
use rand::{Rng, SeedableRng};

fn main() {
    let mut rng = ArenaRng::seed_from_u64(42);
    for (entries, dim) in [(10_000usize, 32usize), (100_000, 32), (100_000, 64)] {
        let mut store = MemoryStore::new(dim, entries);
        let mut key = vec![0.0f32; dim];
        for i in 0..entries {
            key.iter_mut().for_each(|v| *v = rng.random::<f32>());
            store.insert(
                &key,
                MemoryRecord {
                    value: 0.0,
                    cell: i,
                    written_at: 0,
                },
            );
        }
        let queries: Vec<Vec<f32>> = (0..200)
            .map(|_| (0..dim).map(|_| rng.random::<f32>()).collect())
            .collect();
        let mut found = Vec::with_capacity(11);
        for q in queries.iter().take(20) {
            store.nearest(q, 11, &mut found);
        }
        let started = Instant::now();
        for q in &queries {
            store.nearest(black_box(q), 11, &mut found);
            black_box(&found);
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64;
        println!("exact kNN  {entries:>7} x {dim:<3} k=11: {ms:.3} ms per query");
    }
}
