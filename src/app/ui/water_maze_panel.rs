//! The water-maze panel, as the field shows a water maze (Morris 1981): escape latency per trial,
//! the latest probe trial's time in each quadrant against chance, and the trials after the
//! platform moved.

use bevy_egui::egui::{
    self, Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, Vec2,
};

use super::palette;
use super::plots::{self, PlotStyle};
use crate::world::{PoolState, PoolTrial, QUADRANTS};

/// Trials after the platform moved that the panel lists.
const LISTED_AFTER_MOVE: usize = 4;

/// Draws the water-maze panel for arena `arena`'s pool.
pub fn show(ui: &mut Ui, arena: usize, pool: &PoolState, max_steps: u32) {
    ui.label(
        RichText::new(
            "Each trial starts at an edge of the pool; the platform is hidden. Latency is the \
             steps to find it (a trial is cut off at the limit). A probe trial takes the \
             platform away: where the agent searches shows what it learned.",
        )
        .italics(),
    );
    let swum: Vec<&PoolTrial> = pool.trials.iter().filter(|t| !t.probe).collect();
    if swum.is_empty() {
        ui.label(format!(
            "trial {} under way: no trial finished yet",
            pool.trial
        ));
        return;
    }
    let series = |moved: bool| -> Vec<[f64; 2]> {
        swum.iter()
            .filter(|t| t.old.is_some() == moved)
            .map(|t| [f64::from(t.number), f64::from(t.steps)])
            .collect()
    };
    let mut lines = vec![("platform in its first place".to_owned(), series(false))];
    let after = series(true);
    if !after.is_empty() {
        lines.push(("after it moved".to_owned(), after));
    }
    ui.label(RichText::new("Escape latency per trial (steps)").strong());
    plots::series_plot(
        ui,
        ("latency", arena),
        &PlotStyle {
            x_label: "trial",
            height: 130.0,
            unit_range: false,
            markers: swum.len() <= 60,
            references: &[("time limit", f64::from(max_steps))],
        },
        lines,
    );
    if let Some(probe) = pool.trials.iter().rev().find(|t| t.probe) {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "Probe trial {}: time in each quadrant",
                probe.number
            ))
            .strong(),
        );
        quadrant_bars(ui, probe);
    }
    let moved: Vec<&&PoolTrial> = swum
        .iter()
        .filter(|t| t.old.is_some())
        .take(LISTED_AFTER_MOVE)
        .collect();
    if !moved.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("After the platform moved").strong())
            .on_hover_text("Time in the quadrant the platform used to be in; by chance a quarter. Foster, Dayan & Morris's actor-critic keeps swimming there: its values point to the old place.");
        egui::Grid::new(("after the move", arena))
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label("trial");
                ui.label("in the old quadrant");
                ui.label("latency");
                ui.end_row();
                for t in moved {
                    let old = t.old.unwrap_or(0);
                    ui.label(t.number.to_string());
                    ui.label(
                        RichText::new(format!(
                            "{:.0}% ({})",
                            100.0 * t.share(old),
                            QUADRANTS[usize::from(old)]
                        ))
                        .monospace(),
                    );
                    let latency = if t.found {
                        t.steps.to_string()
                    } else {
                        format!("{} (cut off)", t.steps)
                    };
                    ui.label(RichText::new(latency).monospace());
                    ui.end_row();
                }
            });
    }
}

/// A probe's four quadrants as bars of their share of the time, the platform's quadrant lit, the
/// chance level (a quarter) as a dashed line.
fn quadrant_bars(ui: &mut Ui, probe: &PoolTrial) {
    const ROW: f32 = 22.0;
    let width = ui.available_width().min(280.0);
    let (rect, response) =
        ui.allocate_exact_size(Vec2::new(width, ROW * 4.0 + 16.0), Sense::hover());
    let painter = ui.painter();
    let label_width = 110.0;
    let bars = Rect::from_min_max(
        Pos2::new(rect.left() + label_width, rect.top()),
        Pos2::new(rect.right() - 44.0, rect.top() + ROW * 4.0),
    );
    for q in 0..4u8 {
        let share = probe.share(q) as f32;
        let top = rect.top() + ROW * f32::from(q);
        let target = q == probe.target;
        let name = if target {
            format!("{} (platform)", QUADRANTS[usize::from(q)])
        } else if probe.old == Some(q) {
            format!("{} (old place)", QUADRANTS[usize::from(q)])
        } else {
            QUADRANTS[usize::from(q)].to_owned()
        };
        painter.text(
            Pos2::new(rect.left(), top + ROW / 2.0),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(13.0),
            palette::LABEL,
        );
        let colour = if target {
            palette::GOAL
        } else {
            Color32::from_gray(130)
        };
        let bar = Rect::from_min_size(
            Pos2::new(bars.left(), top + 3.0),
            Vec2::new(bars.width() * share.clamp(0.0, 1.0), ROW - 6.0),
        );
        painter.rect_filled(bar, 2.0, colour);
        painter.text(
            Pos2::new(bars.right() + 6.0, top + ROW / 2.0),
            Align2::LEFT_CENTER,
            format!("{:.0}%", 100.0 * share),
            FontId::monospace(13.0),
            palette::LABEL,
        );
    }
    let chance = bars.left() + bars.width() * 0.25;
    painter.add(egui::Shape::dashed_line(
        &[
            Pos2::new(chance, bars.top()),
            Pos2::new(chance, bars.bottom()),
        ],
        Stroke::new(1.5, Color32::from_gray(200)),
        4.0,
        3.0,
    ));
    painter.text(
        Pos2::new(chance, bars.bottom() + 2.0),
        Align2::CENTER_TOP,
        "chance",
        FontId::proportional(12.0),
        palette::LABEL,
    );
    response.on_hover_text(format!(
        "Share of the probe's {} steps in each quadrant. A quarter each would be chance.",
        probe.quadrant_steps.iter().sum::<u32>()
    ));
}
