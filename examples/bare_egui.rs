//! A bare Bevy window with two egui windows and nothing else: the renderer's baseline frame rate,
//! to compare with mindgrid's (`cargo run --release --example bare_egui`; renders 60 frames, then
//! measures 600 and prints the frame rate) with Bevy's default camera. `mindgrid fps` measures both
//! in one run, and the bare window with mindgrid's camera too.

fn main() {
    let shot = std::env::temp_dir().join("bare_egui.png");
    mindgrid::app::bare::run_bare_window(shot, 600, 60, mindgrid::app::bare::BareCamera::Default);
}
