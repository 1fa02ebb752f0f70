//! The meta-learning panel: held-out accuracy over meta-training for the three starts, a "new task"
//! button, and the adaptation curves of the latest new task, side by side.

use bevy_egui::egui::{RichText, Ui};

use super::plots::{PlotStyle, series_plot};
use crate::app::command::AppCommand;
use crate::brain::{MetaInsight, STARTS};
use crate::command::Command;
use crate::world::GridWorld;

/// Draws the panel for arena `arena`; "new task" becomes a command.
pub fn show(
    ui: &mut Ui,
    arena: usize,
    world: &GridWorld,
    meta: &MetaInsight,
    commands: &mut Vec<AppCommand>,
) {
    ui.label(RichText::new("Learning to learn").strong().size(17.0));
    ui.label(format!(
        "{} meta-iterations · {} training goals · {} held out",
        meta.iterations, meta.goals.0, meta.goals.1
    ));
    if ui
        .button("🎲 new task")
        .on_hover_text(format!("Hide the goal in a held-out cell, show {} labelled cells, and let three copies adapt: meta-learned, pretrained on all goals, from scratch", meta.shots))
        .clicked()
    {
        commands.push(Command::NewTask(arena).into());
    }
    // Accuracy is scored on the cells the adaptation did not see; the floors: a random preference,
    // and the best policy that ignores where the goal is.
    let floors = [
        ("chance", f64::from(meta.floors[0])),
        ("best without the goal", f64::from(meta.floors[1])),
    ];
    ui.label(
        RichText::new(format!("Accuracy: the share of cells, other than the {} labelled ones, where the preferred move is a shortest-path move.", meta.shots))
            .italics(),
    );
    if let Some((goal, shots, curves)) = &meta.probe {
        let (x, y) = world.xy(*goal);
        let shots: Vec<String> = shots
            .iter()
            .map(|&c| format!("({}, {})", c % world.width(), c / world.width()))
            .collect();
        // The probe's goal is a held-out one, drawn at random: not the goal the map shows.
        ui.label(format!(
            "New task: a held-out goal at column {x}, row {y} (not the star on the map, which is this episode's goal); labelled cells {}",
            shots.join(" ")
        ));
        ui.label(RichText::new("Accuracy after each adaptation step").strong());
        let series = curves
            .iter()
            .map(|c| {
                let points = c
                    .accuracy
                    .iter()
                    .enumerate()
                    .map(|(k, &a)| [k as f64, f64::from(a)])
                    .collect();
                (c.start.to_owned(), points)
            })
            .collect();
        let steps_label = format!("gradient steps on the {} examples", meta.shots);
        let style = PlotStyle {
            x_label: &steps_label,
            height: 150.0,
            unit_range: true,
            markers: true,
            references: &floors,
        };
        series_plot(ui, ("adaptation", arena), &style, series);
    }
    let after = match meta.adapt_steps {
        0 => "without adapting".to_owned(),
        1 => "after one step".to_owned(),
        n => format!("after {n} steps"),
    };
    ui.label(RichText::new(format!("Held-out accuracy {after}, over meta-training")).strong());
    let series = STARTS
        .iter()
        .enumerate()
        .map(|(i, start)| {
            let points = meta
                .progress
                .iter()
                .map(|(it, s)| [*it as f64, f64::from(s[i])])
                .collect();
            ((*start).to_owned(), points)
        })
        .collect();
    let style = PlotStyle {
        x_label: "meta-iterations",
        height: 150.0,
        unit_range: true,
        markers: false,
        references: &floors,
    };
    series_plot(ui, ("meta progress", arena), &style, series);
}
