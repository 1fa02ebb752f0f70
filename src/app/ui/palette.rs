//! Colours of the window: the map's legend and one perceptually uniform, colour-blind-safe colour map (viridis).

use bevy::prelude::Color;
use bevy_egui::egui::Color32;

use crate::world::{Cell, Colour};

/// The window's clear colour, which is also the panels' background: egui's dark panel grey.
/// The panels themselves are not filled, because on a software renderer every filled pixel costs
/// frame time and the clear is nearly free.
pub const BACKGROUND: Color = Color::srgb_u8(27, 27, 27);

/// The clear colour in high contrast: black, like the panels' own backgrounds there.
pub const BACKGROUND_HIGH_CONTRAST: Color = Color::BLACK;

/// Whether the window is in high contrast: the projector style sets white as the text colour of
/// everything then, and only then.
pub fn high_contrast(ui: &bevy_egui::egui::Ui) -> bool {
    ui.visuals().override_text_color == Some(Color32::WHITE)
}

/// Secondary text (a slide's lesson line, an arena's episode line): grey on the desk, white in
/// high contrast.
pub fn secondary(ui: &bevy_egui::egui::Ui, grey: u8) -> Color32 {
    if high_contrast(ui) {
        Color32::WHITE
    } else {
        Color32::from_gray(grey)
    }
}

/// Floor.
pub const FLOOR: Color32 = Color32::from_rgb(38, 42, 52);
/// Wall.
pub const WALL: Color32 = Color32::from_rgb(150, 154, 162);
/// Goal (also marked with a star, so it does not depend on colour alone).
pub const GOAL: Color32 = Color32::from_rgb(60, 200, 110);
/// Lava (also hatched).
pub const LAVA: Color32 = Color32::from_rgb(230, 90, 40);
/// The agent.
pub const AGENT: Color32 = Color32::from_rgb(255, 255, 255);
/// The selected arena's frame.
pub const SELECTED: Color32 = Color32::from_rgb(255, 200, 60);
/// The thin gaps between a map's cells.
pub const GRID: Color32 = Color32::from_rgb(24, 26, 32);
/// Labels drawn on the map and beside scales.
pub const LABEL: Color32 = Color32::from_gray(210);
/// Thin outlines around scales and heatmaps.
pub const OUTLINE: Color32 = Color32::from_gray(90);
/// The best move's bar and heading.
pub const BEST: Color32 = Color32::from_rgb(92, 200, 99);
/// The other moves' bars.
pub const BAR: Color32 = Color32::from_rgb(59, 81, 139);
/// Something waiting or worth a look: pending changes, warnings.
pub const NOTICE: Color32 = Color32::from_rgb(240, 200, 80);
/// A mechanism switched off (lesioned).
pub const LESIONED: Color32 = Color32::from_rgb(255, 140, 120);
/// Errors: text.
pub const ERROR: Color32 = Color32::from_rgb(255, 110, 100);
/// Errors: the banner behind them.
pub const ERROR_BANNER: Color32 = Color32::from_rgb(110, 24, 24);
/// Errors: the text on the banner.
pub const ERROR_TEXT: Color32 = Color32::from_rgb(255, 220, 210);

/// A coloured object's colour, from Okabe & Ito's colour-blind-safe set (vermillion, blue,
/// yellow). Their greys differ too (about 120, 90 and 210 of 255), and each colour has its own
/// shape on the map ([`object_shape`]), so the three stay apart in greyscale and for every kind of
/// colour blindness.
pub fn object(colour: Colour) -> Color32 {
    match colour {
        Colour::Red => Color32::from_rgb(213, 94, 0),
        Colour::Blue => Color32::from_rgb(0, 114, 178),
        Colour::Yellow => Color32::from_rgb(240, 228, 66),
    }
}

/// The shape an object of each colour is drawn as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Red.
    Disc,
    /// Blue.
    Square,
    /// Yellow.
    Triangle,
}

/// The shape of an object of `colour`: a second cue besides the colour.
pub fn object_shape(colour: Colour) -> Shape {
    match colour {
        Colour::Red => Shape::Disc,
        Colour::Blue => Shape::Square,
        Colour::Yellow => Shape::Triangle,
    }
}

/// The grey a colour turns into (ITU-R BT.601 luma), as a greyscale print or screen shows it.
pub fn grey(colour: Color32) -> f32 {
    0.299 * f32::from(colour.r()) + 0.587 * f32::from(colour.g()) + 0.114 * f32::from(colour.b())
}

/// The base colour of a cell.
pub fn cell(cell: Cell) -> Color32 {
    match cell {
        Cell::Floor => FLOOR,
        Cell::Wall => WALL,
        Cell::Goal => GOAL,
        Cell::Lava => LAVA,
        Cell::Object(_) | Cell::Cue => FLOOR,
    }
}

/// Viridis anchors, from matplotlib's table (0, 1/8, ..., 1).
const VIRIDIS: [[u8; 3]; 9] = [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
];

/// Viridis at `t` in [0, 1] (clamped), linearly interpolated between anchors.
pub fn viridis(t: f32) -> Color32 {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (VIRIDIS.len() - 1) as f32;
    let i = (scaled.floor() as usize).min(VIRIDIS.len() - 2);
    let f = scaled - i as f32;
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * f).round() as u8;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    Color32::from_rgb(mix(a[0], b[0]), mix(a[1], b[1]), mix(a[2], b[2]))
}

/// A diverging colour for `t` in [-1, 1] (clamped): blue below zero, orange above, the floor's
/// dark at zero (colour-blind safe: the two ends differ in lightness' direction and hue).
pub fn diverging(t: f32) -> Color32 {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let end: [u8; 3] = if t < 0.0 {
        [86, 160, 240]
    } else {
        [245, 160, 30]
    };
    let zero = [FLOOR.r(), FLOOR.g(), FLOOR.b()];
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t.abs()).round() as u8;
    Color32::from_rgb(
        mix(zero[0], end[0]),
        mix(zero[1], end[1]),
        mix(zero[2], end[2]),
    )
}

/// A distinct line colour for agent `i` in plots (Okabe-Ito, colour-blind safe).
pub fn agent_line(i: usize) -> Color32 {
    const OKABE_ITO: [[u8; 3]; 7] = [
        [230, 159, 0],
        [86, 180, 233],
        [0, 158, 115],
        [240, 228, 66],
        [0, 114, 178],
        [213, 94, 0],
        [204, 121, 167],
    ];
    let [r, g, b] = OKABE_ITO[i % OKABE_ITO.len()];
    Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three object colours stay apart in greyscale (and have three shapes besides).
    #[test]
    fn objects_differ_in_greyscale_and_in_shape() {
        let greys: Vec<f32> = Colour::ALL.iter().map(|&c| grey(object(c))).collect();
        for i in 0..3 {
            for j in i + 1..3 {
                assert!((greys[i] - greys[j]).abs() >= 25.0, "{greys:?}");
            }
            assert!(
                (greys[i] - grey(FLOOR)).abs() >= 40.0,
                "object {i} against the floor: {greys:?}"
            );
        }
        let shapes: std::collections::HashSet<_> = Colour::ALL
            .iter()
            .map(|&c| format!("{:?}", object_shape(c)))
            .collect();
        assert_eq!(shapes.len(), 3);
    }
}
