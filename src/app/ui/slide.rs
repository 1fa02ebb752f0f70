//! Presenter mode's slide panel: the lesson's title and place, the caption large enough for the
//! back row, and the prediction with its choices and (once the run shows it) its answer.

use bevy_egui::egui::{self, Color32, FontId, RichText, TextFormat, Ui};
use egui::text::LayoutJob;

use super::palette;
use crate::app::command::{AppCommand, SlideCommand};
use crate::app::keys;
use crate::app::lesson::Presenter;

/// Caption text size, in points: readable from the back of a lecture room on a projector.
const CAPTION: f32 = 24.0;

/// The smallest caption size a slide shrinks to before it scrolls.
const SMALLEST_CAPTION: f32 = 14.0;

/// The largest caption size (at most [`CAPTION`]) at which the slide's caption and prediction fit
/// the panel's height, so that a large zoom or a small window neither cuts the question off nor
/// hides it below a scroll.
fn fitting_size(ui: &Ui, slide: &crate::lesson::Slide, height: f32) -> f32 {
    let width = ui.available_width();
    let needed = |size: f32| {
        let mut text = slide.caption.clone();
        if let Some(prediction) = &slide.prediction {
            // The question, and the choices on about two rows at 0.85 of the size.
            text.push_str(&format!("\n❓ {}\n", prediction.question));
            text.push_str(&prediction.choices.join("   "));
        }
        let lines: f32 = text
            .lines()
            .map(|line| {
                let galley = ui.painter().layout(
                    line.to_owned(),
                    FontId::proportional(size * 1.15),
                    Color32::WHITE,
                    width,
                );
                galley.size().y
            })
            .sum();
        // The place line above, a button row, and spacing.
        lines + 70.0
    };
    let mut size = CAPTION;
    while size > SMALLEST_CAPTION && needed(size) > height {
        size -= 1.0;
    }
    size
}

/// Draws the slide panel in `height` points (the caption shrinks to fit it, down to
/// [`SMALLEST_CAPTION`]); what the presenter clicks becomes commands.
pub fn show(ui: &mut Ui, presenter: &Presenter, height: f32, commands: &mut Vec<AppCommand>) {
    let slide = &presenter.lesson.lesson.slides[presenter.slide];
    let size = fitting_size(ui, slide, height);
    ui.label(
        RichText::new(format!(
            "{} · slide {} of {}",
            presenter.lesson.lesson.title,
            presenter.slide + 1,
            presenter.slides()
        ))
        .size(17.0)
        .color(palette::secondary(ui, 170)),
    )
    .on_hover_text(keys::summary(keys::When::Presenting));
    if presenter.leaving {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new("Leave presenter mode? Esc again leaves; any other key stays.")
                    .size(size * 0.85)
                    .color(palette::NOTICE)
                    .strong(),
            );
            if ui.button(RichText::new("stay").size(size * 0.7)).clicked() {
                commands.push(SlideCommand::Stay.into());
            }
        });
    }
    caption(ui, &slide.caption, size);
    if let Some(prediction) = &slide.prediction {
        ui.add_space(6.0);
        ui.label(
            RichText::new(format!("❓ {}", prediction.question))
                .size(size)
                .strong(),
        );
        ui.horizontal_wrapped(|ui| {
            for (i, choice) in prediction.choices.iter().enumerate() {
                let right = presenter.revealed && i == prediction.answer;
                let picked = presenter.chosen == Some(i);
                let text = RichText::new(choice).size(size * 0.85);
                let text = match (right, picked) {
                    (true, _) => text.color(palette::BEST).strong(),
                    (false, true) => text.color(palette::SELECTED),
                    _ => text,
                };
                if ui.selectable_label(picked, text).clicked() {
                    commands.push(SlideCommand::Choose(i).into());
                }
            }
            if presenter.revealed {
                ui.label(
                    RichText::new(format!("✔ {}", prediction.choices[prediction.answer]))
                        .size(size * 0.85)
                        .color(palette::BEST)
                        .strong(),
                );
            } else if ui
                .button(RichText::new("reveal").size(size * 0.7))
                .on_hover_text("Show the answer and play the run that shows it")
                .clicked()
            {
                commands.push(SlideCommand::RevealAnswer.into());
            }
        });
    }
}

/// Short formatted text: `# ` starts a heading line, `- ` a bullet, `**` toggles bold.
pub fn caption(ui: &mut Ui, text: &str, size: f32) {
    for line in text.trim().lines() {
        let line = line.trim();
        if line.is_empty() {
            ui.add_space(size * 0.3);
            continue;
        }
        let (body, scale, bullet) = if let Some(heading) = line.strip_prefix("# ") {
            (heading, 1.3, false)
        } else if let Some(item) = line.strip_prefix("- ") {
            (item, 1.0, true)
        } else {
            (line, 1.0, false)
        };
        let heading = scale > 1.0;
        let mut job = LayoutJob::default();
        if bullet {
            job.append("•  ", 0.0, format(size, false, false));
        }
        for (k, part) in body.split("**").enumerate() {
            job.append(
                part,
                0.0,
                format(size * scale, k % 2 == 1 || heading, heading),
            );
        }
        job.wrap.max_width = ui.available_width();
        ui.label(job);
    }
}

fn format(size: f32, bold: bool, heading: bool) -> TextFormat {
    let colour = if heading {
        palette::SELECTED
    } else if bold {
        Color32::WHITE
    } else {
        Color32::from_gray(225)
    };
    TextFormat {
        font_id: FontId::proportional(size),
        color: colour,
        // egui's default fonts have no bold face: bold text is white against the grey body.
        underline: egui::Stroke::NONE,
        ..Default::default()
    }
}
