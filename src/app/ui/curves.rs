//! The learning-curve panel: steps and return per episode for every agent, smoothed, with task switches marked.

use bevy_egui::egui::{self, Ui};
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints, Points, VLine};

use super::palette;
use crate::app::sim::Sim;
use crate::experiment::{EpisodeBucket, EpisodeCurve};

/// How the curves are drawn.
#[derive(Debug)]
pub struct CurveSettings {
    /// Episodes in the moving average.
    pub smoothing: usize,
}

impl Default for CurveSettings {
    fn default() -> Self {
        Self { smoothing: 10 }
    }
}

/// Trailing moving average of `metric` (a bucket's sum of it) over about `window` episodes, one
/// point per bucket of the bounded curve: the average is over whole buckets once buckets hold
/// several episodes, so the points stay at most [`EpisodeCurve::LIMIT`] however long the run.
pub fn smoothed(
    curve: &EpisodeCurve,
    window: usize,
    metric: impl Fn(&EpisodeBucket) -> f64,
) -> Vec<[f64; 2]> {
    let buckets = curve.buckets();
    let window = window.div_ceil(curve.width() as usize).max(1);
    let (mut sum, mut count) = (0.0, 0u32);
    let mut out = Vec::with_capacity(buckets.len());
    for (i, bucket) in buckets.iter().enumerate() {
        sum += metric(bucket);
        count += bucket.count;
        if i >= window {
            sum -= metric(&buckets[i - window]);
            count -= buckets[i - window].count;
        }
        out.push([bucket.centre(), sum / f64::from(count.max(1))]);
    }
    // A point every few pixels is all a plot this wide can show; fewer segments draw faster.
    let stride = out.len().div_ceil(MAX_PLOTTED);
    if stride > 1 {
        let last = out.last().copied();
        out = out.into_iter().step_by(stride).collect();
        out.extend(last.filter(|l| out.last() != Some(l)));
    }
    out
}

/// Most points drawn per curve.
pub const MAX_PLOTTED: usize = 128;

/// Draws the two plots side by side.
pub fn show(ui: &mut Ui, sim: &Sim, settings: &mut CurveSettings) {
    ui.horizontal(|ui| {
        ui.strong("Learning curves");
        ui.add(egui::Slider::new(&mut settings.smoothing, 1..=100).text("episodes averaged"))
            .on_hover_text("Each point is the mean over at least this many recent episodes (over long runs episodes are summed into buckets, and a point averages whole buckets)");
    });
    let arenas = &sim.snapshot().arenas;
    let width = (ui.available_width() - 12.0) / 2.0;
    let height = ui.available_height().max(80.0);
    let mut switches: Vec<f64> = arenas
        .iter()
        .flat_map(|a| a.switches.iter().map(|&e| f64::from(e) + 0.5))
        .collect();
    switches.sort_by(f64::total_cmp);
    switches.dedup();
    ui.horizontal(|ui| {
        for (title, id, metric) in [
            (
                "steps per episode",
                "steps",
                (|b: &EpisodeBucket| b.steps) as fn(&EpisodeBucket) -> f64,
            ),
            ("return per episode", "return", |b: &EpisodeBucket| {
                b.episode_return
            }),
        ] {
            ui.vertical(|ui| {
                Plot::new(id)
                    // No filled background: see `palette::BACKGROUND`.
                    .show_background(false)
                    .grid_spacing(super::plots::GRID_SPACING)
                    .width(width)
                    .height(height)
                    .legend(Legend::default())
                    .x_axis_label("episode")
                    .y_axis_label(title)
                    .include_y(0.0)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        for (i, arena) in arenas.iter().enumerate() {
                            let points = smoothed(&arena.curve, settings.smoothing, metric);
                            let colour = palette::agent_line(i);
                            if points.len() < 30 {
                                // A line needs two points; markers show the first episodes too.
                                plot.points(
                                    Points::new(
                                        arena.name.clone(),
                                        PlotPoints::from(points.clone()),
                                    )
                                    .color(colour)
                                    .radius(3.0),
                                );
                            }
                            plot.line(
                                Line::new(arena.name.clone(), PlotPoints::from(points))
                                    .color(colour)
                                    .width(2.0),
                            );
                            // The person's own episodes in an arena they took over.
                            if let Some(yours) = &arena.your_curve {
                                let name = format!("you (in {})", arena.name);
                                let points = smoothed(yours, settings.smoothing, metric);
                                plot.points(
                                    Points::new(name.clone(), PlotPoints::from(points.clone()))
                                        .color(palette::AGENT)
                                        .radius(4.0),
                                );
                                plot.line(
                                    Line::new(name, PlotPoints::from(points))
                                        .color(palette::AGENT)
                                        .style(LineStyle::dashed_loose())
                                        .width(2.0),
                                );
                            }
                        }
                        for &x in &switches {
                            plot.vline(
                                VLine::new("task switch", x).color(egui::Color32::from_gray(150)),
                            );
                        }
                    });
            });
        }
    });
}
