//! Throughput benchmark: environment + agent steps per second on the shipped scenes (`cargo bench`).

use std::path::Path;

use mindgrid::experiment::measure_throughput;

fn main() {
    let scenes = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes");
    for name in ["four_rooms.ron", "empty_room.ron", "dyna_maze.ron"] {
        let scene = mindgrid::scene::load(&scenes.join(name))
            .expect("shipped scenes load")
            .scene;
        for (agent, rate) in measure_throughput(scene, 5_000_000) {
            println!("{name:<16} {agent:<20} {rate:>14.0} steps/s");
        }
    }
}
