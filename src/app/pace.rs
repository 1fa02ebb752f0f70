//! On a software renderer at "max", the window draws at most 30 frames a second, so the stepping
//! keeps a core of its own; everywhere else it draws as often as the display allows.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;

use super::sim::Sim;
use super::window::software_renderer;
use crate::stepping::Speed;

/// The shortest frame at "max" on a software renderer: 30 frames a second. On two cores, with
/// Mesa's lavapipe drawing 47 frames a second, the window stepped the Dyna maze at 78 % of the
/// rate `mindgrid bench` measures; at 30 it steps at 94 %.
const FRAME_AT_MAX: Duration = Duration::from_millis(33);

/// Paces the window's frames at the end of each update.
pub fn plugin(app: &mut App) {
    app.add_systems(Last, pace_frames);
}

/// At "max" on a software renderer, waits out the rest of [`FRAME_AT_MAX`] since the last frame
/// began. The previous frame is drawn meanwhile (Bevy renders it on its own thread), and input
/// is read as soon as the wait ends, so a click is answered within a frame as always.
fn pace_frames(
    adapter: Option<Res<RenderAdapterInfo>>,
    sim: Option<Res<Sim>>,
    mut last: Local<Option<Instant>>,
) {
    let capped = adapter.is_some_and(|adapter| software_renderer(&adapter))
        && sim.is_some_and(|sim| {
            let frame = sim.frame();
            frame.playing && frame.speed() == Speed::Max
        });
    if capped && let Some(began) = *last {
        let rest = FRAME_AT_MAX.saturating_sub(began.elapsed());
        if !rest.is_zero() {
            std::thread::sleep(rest);
        }
    }
    *last = Some(Instant::now());
}
