//! The learning-curve panel: steps and return per episode for every agent, smoothed, with task switches marked.

use bevy_egui::egui::{self, Ui};
use egui_plot::{Line, LineStyle, PlotPoints, Points, VLine};

use super::palette;
use super::plots::{Key, frame, legend_row};
use super::shown::Shown;
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

/// Draws the two plots side by side under one legend row (the agents, a person's own episodes,
/// task switches), each titled above its plot rather than along its ticks.
pub fn show(ui: &mut Ui, shown: &Shown, settings: &mut CurveSettings) {
    let arenas = &shown.frame.arenas;
    let mut switches: Vec<f64> = arenas
        .iter()
        .flat_map(|a| a.switches.iter().map(|&e| f64::from(e) + 0.5))
        .collect();
    switches.sort_by(f64::total_cmp);
    switches.dedup();
    let mut keys: Vec<Key> = Vec::new();
    for (i, arena) in arenas.iter().enumerate() {
        keys.push(Key::solid(arena.name.clone(), palette::agent_line(i)));
        if arena.your_curve.is_some() {
            keys.push(Key {
                name: format!("you (in {})", arena.name),
                colour: palette::AGENT,
                dashed: true,
            });
        }
    }
    if !switches.is_empty() {
        keys.push(Key::solid("task switch", SWITCH_GREY));
    }
    // One row for the title, the smoothing and the legend: the plots keep the panel's height.
    ui.horizontal_wrapped(|ui| {
        ui.strong("Learning curves");
        ui.add(egui::Slider::new(&mut settings.smoothing, 1..=100).text("episodes averaged"))
            .on_hover_text("Each point is the mean over at least this many recent episodes (over long runs episodes are summed into buckets, and a point averages whole buckets)");
        ui.add_space(12.0);
        legend_row(ui, &keys);
    });
    let width = (ui.available_width() - 12.0) / 2.0;
    // Measured here: inside `horizontal` the height available is one row's. The plots take what
    // the panel leaves less their titles and a margin (a panel grows to contents that overflow
    // it, frame after frame), and the panel is then filled whole (it shrinks to contents that
    // fall short of it).
    let titles_and_margin = 28.0;
    let height = (ui.available_height() - titles_and_margin).max(80.0);
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
                ui.label(egui::RichText::new(title).size(13.0).color(palette::LABEL));
                let lines: Vec<(usize, String, Vec<[f64; 2]>, bool)> = arenas
                    .iter()
                    .enumerate()
                    .flat_map(|(i, arena)| {
                        let agent = (
                            i,
                            arena.name.clone(),
                            smoothed(&arena.curve, settings.smoothing, metric),
                            false,
                        );
                        // The person's own episodes in an arena they took over.
                        let yours = arena.your_curve.as_ref().map(|yours| {
                            (
                                i,
                                format!("you (in {})", arena.name),
                                smoothed(yours, settings.smoothing, metric),
                                true,
                            )
                        });
                        std::iter::once(agent).chain(yours)
                    })
                    .collect();
                let drawn: Vec<[f64; 2]> = lines
                    .iter()
                    .flat_map(|(_, _, points, _)| points.iter().copied())
                    .collect();
                frame(id, "episode", drawn)
                    .width(width)
                    .height(height)
                    .show(ui, |plot| {
                        for (i, name, points, yours) in lines {
                            let colour = if yours {
                                palette::AGENT
                            } else {
                                palette::agent_line(i)
                            };
                            if yours || points.len() < 30 {
                                // A line needs two points; markers show the first episodes too.
                                plot.points(
                                    Points::new(name.clone(), PlotPoints::from(points.clone()))
                                        .color(colour)
                                        .radius(if yours { 4.0 } else { 3.0 }),
                                );
                            }
                            let line = Line::new(name, PlotPoints::from(points))
                                .color(colour)
                                .width(2.0);
                            plot.line(if yours {
                                line.style(LineStyle::dashed_loose())
                            } else {
                                line
                            });
                        }
                        for &x in &switches {
                            plot.vline(VLine::new("task switch", x).color(SWITCH_GREY));
                        }
                    });
            });
        }
    });
    ui.expand_to_include_rect(ui.max_rect());
}

/// The colour of a task switch's line.
const SWITCH_GREY: egui::Color32 = egui::Color32::from_gray(150);
