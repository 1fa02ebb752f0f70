//! The place-cells panel's cost (`cargo bench --bench successor`): the SR agent's whole insight in
//! the 20 x 20 room of `scenes/place_cells.ron` (324 open cells), of which the 8 leading
//! eigenvectors of the symmetric state SR (faer's self-adjoint eigendecomposition) are the dear
//! part. The panel's budget is a frame: 16 ms. Measured on the project's 2-core machine, dev
//! profile (dependencies optimised): 16.2 ms (nalgebra's `SymmetricEigen`: 84.9 ms).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use mindgrid::experiment::{Detail, Experiment};

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/place_cells.ron");
    let scene = mindgrid::scene::load(&path)
        .expect("the shipped scene")
        .scene;
    let mut experiment = Experiment::new(scene);
    experiment.step_n(20_000);
    let arena = &experiment.arenas()[0];
    for (detail, what) in [
        (Detail::Map, "value map only"),
        (Detail::Full, "whole insight (fields, eigenvectors)"),
    ] {
        black_box(arena.view(detail));
        let started = Instant::now();
        let calls = 20;
        for _ in 0..calls {
            black_box(arena.view(detail));
        }
        let ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(calls);
        println!("successor representation, 20 x 20 room, {what}: {ms:.2} ms");
    }
}
