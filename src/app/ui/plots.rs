//! Small plots shared by the mechanism panels: named series over time, one palette colour each,
//! with an optional reference line (such as uniform attention).

use std::hash::Hash;

use bevy_egui::egui::{Color32, Ui};
use egui_plot::{HLine, Legend, Line, Plot, PlotPoints, Points};

use super::palette;

/// Grid lines at least this many points apart: the faint fine grid `egui_plot` draws by default
/// costs frame time on a software renderer and says little from the back of a room.
pub const GRID_SPACING: std::ops::RangeInclusive<f32> = 28.0..=300.0;

/// How a series plot looks.
pub struct PlotStyle<'a> {
    /// The x axis label.
    pub x_label: &'a str,
    /// Height in points.
    pub height: f32,
    /// Always show the y range 0 to 1 (accuracies, attention mass).
    pub unit_range: bool,
    /// Mark every point (for short series).
    pub markers: bool,
    /// Labelled horizontal reference lines.
    pub references: &'a [(&'a str, f64)],
}

/// Draws `series` (name, points) as lines in the agents' palette, in order.
pub fn series_plot(
    ui: &mut Ui,
    id: impl Hash + std::fmt::Debug,
    style: &PlotStyle,
    series: Vec<(String, Vec<[f64; 2]>)>,
) {
    let mut plot = Plot::new(id)
        // No filled background: see `palette::BACKGROUND`.
        .show_background(false)
        .grid_spacing(GRID_SPACING)
        .height(style.height)
        .legend(Legend::default())
        .include_y(0.0)
        .x_axis_label(style.x_label)
        .allow_scroll(false);
    if style.unit_range {
        plot = plot.include_y(1.0);
    }
    plot.show(ui, |plot| {
        for (i, (name, points)) in series.into_iter().enumerate() {
            let colour = palette::agent_line(i);
            if style.markers {
                plot.points(
                    Points::new(name.clone(), PlotPoints::from(points.clone()))
                        .color(colour)
                        .radius(3.0),
                );
            }
            plot.line(
                Line::new(name, PlotPoints::from(points))
                    .color(colour)
                    .width(2.0),
            );
        }
        for (k, &(name, y)) in style.references.iter().enumerate() {
            let grey = 150 - 40 * k.min(2) as u8;
            plot.hline(HLine::new(name, y).color(Color32::from_gray(grey)));
        }
    });
}

/// (step, value) pairs as plot points.
pub fn over_steps(points: &[(u64, f32)]) -> Vec<[f64; 2]> {
    points
        .iter()
        .map(|&(s, v)| [s as f64, f64::from(v)])
        .collect()
}
