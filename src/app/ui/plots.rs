//! Small plots shared by the mechanism panels and the learning curves: one frame for every plot
//! (no legend over the data, no y title over the ticks, sensible ranges for constant data), a
//! legend row above it, and named series over time with optional reference lines.

use std::hash::Hash;

use bevy_egui::egui::{self, Color32, Stroke, Ui, Vec2};
use egui_plot::{AxisHints, GridInput, GridMark, HLine, Line, Plot, PlotPoints, Points};

use super::palette;

/// Grid lines at least this many points apart: the faint fine grid `egui_plot` draws by default
/// costs frame time on a software renderer and says little from the back of a room; a low plot
/// still gets a labelled line besides 0.
pub const GRID_SPACING: std::ops::RangeInclusive<f32> = 22.0..=300.0;

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

/// One entry of a legend row: a name and how its line is drawn.
pub struct Key {
    /// The series' name.
    pub name: String,
    /// Its colour.
    pub colour: Color32,
    /// Drawn dashed (a person's own episodes, a reference).
    pub dashed: bool,
}

impl Key {
    /// A solid line's key.
    pub fn solid(name: impl Into<String>, colour: Color32) -> Self {
        Self {
            name: name.into(),
            colour,
            dashed: false,
        }
    }
}

/// The legend as a row of keys above the plot, wrapping when narrow: `egui_plot`'s own legend sits
/// in a corner of the plot, which is where the newest data is (the forgetting drop, the end of an
/// adaptation curve).
pub fn legend_row(ui: &mut Ui, keys: &[Key]) {
    const GLYPH: f32 = 18.0;
    const SIZE: f32 = 12.5;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 12.0;
        for key in keys {
            // One rect for the key and its name, so they wrap together. (A nested `horizontal`
            // would not: it starts where the row's cursor is and never moves to the next row.)
            let font = egui::FontId::proportional(SIZE);
            let width = GLYPH + 6.0 + super::charts::text_width(ui, &key.name, font.clone());
            let (rect, _) = ui.allocate_exact_size(Vec2::new(width, 16.0), egui::Sense::hover());
            let y = rect.center().y;
            let stroke = Stroke::new(2.5, key.colour);
            let painter = ui.painter();
            if key.dashed {
                for k in 0..3 {
                    let x = rect.left() + k as f32 * 7.0;
                    painter.line_segment([egui::pos2(x, y), egui::pos2(x + 4.0, y)], stroke);
                }
            } else {
                painter.line_segment(
                    [
                        egui::pos2(rect.left(), y),
                        egui::pos2(rect.left() + GLYPH, y),
                    ],
                    stroke,
                );
            }
            painter.text(
                egui::pos2(rect.left() + GLYPH + 6.0, y),
                egui::Align2::LEFT_CENTER,
                &key.name,
                font,
                palette::LABEL,
            );
        }
    });
}

/// The frame every plot in the window shares: no background, a coarse grid, no legend inside
/// (see [`legend_row`]); x from 0 in whole numbers (steps, episodes and iterations are counts: no
/// negative axis, no "0.5 episodes") with a little room after the last point so its marker shows
/// whole; y from 0, or 0 to 1 when every value is 0 (a flat line still has an axis to read it
/// against). `points` are every point to be drawn.
pub fn frame<'a>(
    id: impl Hash + std::fmt::Debug,
    x_label: &'a str,
    points: impl IntoIterator<Item = [f64; 2]>,
) -> Plot<'a> {
    let (mut last_x, mut flat_at_zero) = (0.0f64, true);
    for [x, y] in points {
        if x.is_finite() {
            last_x = last_x.max(x);
        }
        if y.is_finite() && y.abs() >= 1e-9 {
            flat_at_zero = false;
        }
    }
    let plot = Plot::new(id)
        // No filled background: see `palette::BACKGROUND`.
        .show_background(false)
        .grid_spacing(GRID_SPACING)
        .include_x(0.0)
        .include_x((last_x * 1.03).max(1.0))
        .include_y(0.0)
        .set_margin_fraction(Vec2::new(0.0, 0.08))
        // Grid lines at 1, 2 or 5 times a power of ten (`egui_plot`'s own are powers of ten only,
        // which leaves a low plot of 0 to 40 with no labelled line besides 0).
        .x_grid_spacer(|input| nice_marks(input, 1.6, Counts::Whole))
        .y_grid_spacer(|input| nice_marks(input, 1.0, Counts::Any))
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(x_label)
                .label_spacing(30.0..=42.0)
                .formatter(|mark, _| tick(mark)),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label_spacing(16.0..=24.0)
                .formatter(|mark, _| tick(mark)),
        ])
        .allow_scroll(false);
    if flat_at_zero {
        plot.include_y(1.0)
    } else {
        plot
    }
}

/// Draws `series` (name, points) as lines in the agents' palette, in order, under a legend row
/// when there is more than one line to tell apart.
pub fn series_plot(
    ui: &mut Ui,
    id: impl Hash + std::fmt::Debug,
    style: &PlotStyle,
    series: Vec<(String, Vec<[f64; 2]>)>,
) {
    let mut keys: Vec<Key> = series
        .iter()
        .enumerate()
        .map(|(i, (name, _))| Key::solid(name.clone(), palette::agent_line(i)))
        .collect();
    keys.extend(
        style
            .references
            .iter()
            .enumerate()
            .map(|(k, &(name, _))| Key {
                name: name.to_owned(),
                colour: reference_grey(k),
                dashed: true,
            }),
    );
    if keys.len() > 1 {
        legend_row(ui, &keys);
    }
    let points = series
        .iter()
        .flat_map(|(_, points)| points.iter().copied())
        .chain(style.references.iter().map(|&(_, y)| [0.0, y]));
    let mut plot = frame(id, style.x_label, points.collect::<Vec<_>>()).height(style.height);
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
            plot.hline(
                HLine::new(name, y)
                    .color(reference_grey(k))
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
        }
    });
}

/// What an axis counts.
#[derive(Clone, Copy, PartialEq)]
enum Counts {
    /// Whole numbers from 0: marks at least 1 apart, none below 0.
    Whole,
    /// Any value.
    Any,
}

/// Grid marks `1`, `2` or `5` times a power of ten apart, the smallest such step at least `wider`
/// times the plot's least grid spacing.
fn nice_marks(input: GridInput, wider: f64, counts: Counts) -> Vec<GridMark> {
    let mut least = input.base_step_size * wider;
    if counts == Counts::Whole {
        least = least.max(1.0);
    }
    let (lo, hi) = input.bounds;
    if !(least.is_finite() && least > 0.0 && lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    let magnitude = 10f64.powf(least.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= least)
        .unwrap_or(10.0 * magnitude);
    let (mut first, last) = ((lo / step).ceil(), (hi / step).floor());
    if counts == Counts::Whole {
        first = first.max(0.0);
    }
    if last - first > 1000.0 {
        return Vec::new();
    }
    (first as i64..=last as i64)
        .map(|k| GridMark {
            value: k as f64 * step,
            step_size: step,
        })
        .collect()
}

/// A tick's label, short: thousands as "k" and millions as "M", with only the decimals its grid
/// step needs, and never "-0".
fn tick(mark: GridMark) -> String {
    let decimals = |step: f64| (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    let v = mark.value;
    let (scaled, suffix, step) = if v.abs() >= 1e6 && mark.step_size >= 1e5 {
        (v / 1e6, "M", mark.step_size / 1e6)
    } else if v.abs() >= 1e3 && mark.step_size >= 100.0 {
        (v / 1e3, "k", mark.step_size / 1e3)
    } else {
        (v, "", mark.step_size)
    };
    let text = format!("{scaled:.*}{suffix}", decimals(step));
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| matches!(c, '0' | '.')) => rest.to_owned(),
        _ => text,
    }
}

/// The grey of the `k`th reference line: lighter first.
fn reference_grey(k: usize) -> Color32 {
    Color32::from_gray(150 - 40 * k.min(2) as u8)
}

/// (step, value) pairs as plot points.
pub fn over_steps(points: &[(u64, f32)]) -> Vec<[f64; 2]> {
    points
        .iter()
        .map(|&(s, v)| [s as f64, f64::from(v)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(value: f64, step_size: f64) -> String {
        tick(GridMark { value, step_size })
    }

    #[test]
    fn tick_labels_are_short_and_never_negative_zero() {
        assert_eq!(label(2000.0, 1000.0), "2k");
        assert_eq!(label(2500.0, 500.0), "2.5k");
        assert_eq!(label(3_000_000.0, 1_000_000.0), "3M");
        assert_eq!(label(0.5, 0.1), "0.5");
        assert_eq!(label(-0.0, 0.1), "0.0");
        assert_eq!(label(120.0, 10.0), "120");
        assert_eq!(label(0.0, 1000.0), "0");
    }

    /// The marks' values over `bounds`, at least `base_step_size` apart.
    fn marks(bounds: (f64, f64), base_step_size: f64, counts: Counts) -> Vec<f64> {
        let input = GridInput {
            bounds,
            base_step_size,
        };
        nice_marks(input, 1.0, counts)
            .iter()
            .map(|m| m.value)
            .collect()
    }

    #[test]
    fn grid_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(
            marks((0.0, 40.0), 7.0, Counts::Any),
            [0.0, 10.0, 20.0, 30.0, 40.0]
        );
        assert_eq!(marks((0.0, 1.0), 0.15, Counts::Any)[1], 0.2);
        // Counts: whole steps, none below zero.
        assert_eq!(marks((-0.2, 1.03), 0.05, Counts::Whole), [0.0, 1.0]);
    }
}
