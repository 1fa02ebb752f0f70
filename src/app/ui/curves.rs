//! The learning-curve panel: steps and return per episode for every agent, smoothed, with task switches marked.

use bevy_egui::egui::{self, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points, VLine};

use super::palette;
use crate::app::sim::Sim;
use crate::experiment::EpisodeRecord;

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

/// Most points drawn per curve; longer runs are thinned evenly (the average is over all episodes).
pub const MAX_PLOTTED: usize = 1500;

/// Trailing moving average of `metric` over `window` episodes, thinned to at most [`MAX_PLOTTED`] points.
pub fn smoothed(
    episodes: &[EpisodeRecord],
    window: usize,
    metric: impl Fn(&EpisodeRecord) -> f64,
) -> Vec<[f64; 2]> {
    let window = window.max(1);
    let mut sum = 0.0;
    let mut out = Vec::with_capacity(episodes.len());
    for (i, e) in episodes.iter().enumerate() {
        sum += metric(e);
        if i >= window {
            sum -= metric(&episodes[i - window]);
        }
        let n = (i + 1).min(window) as f64;
        out.push([f64::from(e.episode), sum / n]);
    }
    let stride = out.len().div_ceil(MAX_PLOTTED).max(1);
    if stride > 1 {
        let last = out.last().copied();
        out = out.into_iter().step_by(stride).collect();
        if let Some(last) = last.filter(|l| out.last() != Some(l)) {
            out.push(last);
        }
    }
    out
}

/// Draws the two plots side by side.
pub fn show(ui: &mut Ui, sim: &Sim, settings: &mut CurveSettings) {
    ui.horizontal(|ui| {
        ui.strong("Learning curves");
        ui.add(egui::Slider::new(&mut settings.smoothing, 1..=100).text("episodes averaged"))
            .on_hover_text("Each point is the mean over this many recent episodes");
    });
    let arenas = sim.experiment().arenas();
    let width = (ui.available_width() - 12.0) / 2.0;
    let height = ui.available_height().max(80.0);
    let mut switches: Vec<f64> = arenas
        .iter()
        .flat_map(|a| a.switches().iter().map(|&e| f64::from(e) + 0.5))
        .collect();
    switches.sort_by(f64::total_cmp);
    switches.dedup();
    ui.horizontal(|ui| {
        for (title, id, metric) in [
            (
                "steps per episode",
                "steps",
                (|e: &EpisodeRecord| f64::from(e.steps)) as fn(&EpisodeRecord) -> f64,
            ),
            ("return per episode", "return", |e: &EpisodeRecord| {
                e.episode_return
            }),
        ] {
            ui.vertical(|ui| {
                Plot::new(id)
                    .width(width)
                    .height(height)
                    .legend(Legend::default())
                    .x_axis_label("episode")
                    .y_axis_label(title)
                    .include_y(0.0)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        for (i, arena) in arenas.iter().enumerate() {
                            let points = smoothed(arena.episodes(), settings.smoothing, metric);
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
