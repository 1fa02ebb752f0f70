//! The meta-learning panel: held-out accuracy over meta-training for the three starts, a "new task"
//! button, and the adaptation curves of the latest new task, side by side.

use bevy_egui::egui::{RichText, Ui};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use super::palette;
use crate::brain::{MetaInsight, STARTS};
use crate::world::GridWorld;

/// What the panel asks the experiment to do.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MetaRequests {
    /// Draw a held-out goal and adapt the three starts to it.
    pub new_task: bool,
}

/// Draws the panel for arena `arena`.
pub fn show(ui: &mut Ui, arena: usize, world: &GridWorld, meta: &MetaInsight) -> MetaRequests {
    let mut requests = MetaRequests::default();
    ui.label(RichText::new("Learning to learn").strong().size(17.0));
    ui.label(format!(
        "{} meta-iterations · {} training goals · {} held out",
        meta.iterations, meta.goals.0, meta.goals.1
    ));
    if ui
        .button("🎲 new task")
        .on_hover_text("Hide the goal in a held-out cell, show five labelled cells, and let three copies adapt: meta-learned, pretrained on all goals, from scratch")
        .clicked()
    {
        requests.new_task = true;
    }
    if let Some((goal, shots, curves)) = &meta.probe {
        let (x, y) = world.xy(*goal);
        let shots: Vec<String> = shots
            .iter()
            .map(|&c| format!("({}, {})", c % world.width(), c / world.width()))
            .collect();
        ui.label(format!(
            "New goal at column {x}, row {y}; labelled cells {}",
            shots.join(" ")
        ));
        ui.label(RichText::new("Accuracy after each adaptation step").strong());
        Plot::new(("adaptation", arena))
            .height(150.0)
            .legend(Legend::default())
            .include_y(0.0)
            .include_y(1.0)
            .x_axis_label("gradient steps on the 5 examples")
            .allow_scroll(false)
            .show(ui, |plot| {
                for (i, curve) in curves.iter().enumerate() {
                    let points: Vec<[f64; 2]> = curve
                        .accuracy
                        .iter()
                        .enumerate()
                        .map(|(k, &a)| [k as f64, f64::from(a)])
                        .collect();
                    plot.line(
                        Line::new(curve.start, PlotPoints::from(points.clone()))
                            .color(palette::agent_line(i))
                            .width(2.0),
                    );
                    plot.points(
                        Points::new(curve.start, PlotPoints::from(points))
                            .color(palette::agent_line(i))
                            .radius(3.0),
                    );
                }
            });
    }
    ui.label(RichText::new("Held-out accuracy after one step, over meta-training").strong());
    Plot::new(("meta progress", arena))
        .height(150.0)
        .legend(Legend::default())
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label("meta-iterations")
        .allow_scroll(false)
        .show(ui, |plot| {
            for (i, start) in STARTS.iter().enumerate() {
                let points: Vec<[f64; 2]> = meta
                    .progress
                    .iter()
                    .map(|(it, s)| [*it as f64, f64::from(s[i])])
                    .collect();
                plot.line(
                    Line::new(*start, PlotPoints::from(points))
                        .color(palette::agent_line(i))
                        .width(2.0),
                );
            }
        });
    requests
}
