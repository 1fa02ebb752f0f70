//! The left panel: the scene's title and explanation, the selected agent, and a control per
//! hyperparameter. Live ones apply at once; on-reset ones show as pending until the agent resets.

use bevy_egui::egui::{self, RichText, Ui};

use super::palette;

use super::shown::Shown;
use crate::app::command::{AppCommand, ViewCommand};
use crate::brain::{Apply, ParamKind, ParamSpec};
use crate::command::Command;

/// Draws the scene text and the selected agent's hyperparameters; changes become commands.
pub fn show(ui: &mut Ui, shown: &Shown, commands: &mut Vec<AppCommand>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        let (frame, file) = (shown.frame, shown.file);
        let scene = &frame.scene;
        ui.heading(&scene.title);
        if !scene.text.is_empty() {
            ui.label(RichText::new(scene.text.trim()).size(14.5));
        }
        for warning in &file.warnings {
            ui.colored_label(palette::NOTICE, format!("⚠ {}", warning.message))
                .on_hover_text(warning.to_string());
        }
        ui.add_space(8.0);
        ui.separator();
        ui.heading("Agent");
        let arenas = &frame.arenas;
        let mut selected = shown.selected.min(arenas.len().saturating_sub(1));
        egui::ComboBox::from_id_salt("agent picker")
            .selected_text(arenas.get(selected).map_or("", |a| a.name.as_str()))
            .width(200.0)
            .show_ui(ui, |ui| {
                for (i, arena) in arenas.iter().enumerate() {
                    ui.selectable_value(&mut selected, i, &arena.name);
                }
            })
            .response
            .on_hover_text("The agent the side panels show (or click its arena; Tab cycles)");
        if selected != shown.selected {
            commands.push(ViewCommand::Select(selected).into());
        }
        let Some(arena) = arenas.get(selected) else {
            return;
        };
        let requested = &arena.requested;
        let pending = &arena.pending;
        ui.label(RichText::new(format!("kind: {}", requested.kind())).strong());
        play_switches(ui, frame, selected, commands);
        ui.add_space(4.0);
        // Sliders give way to their names and values in a narrow panel (a projector's window).
        let names = parameters_name_width(ui, requested);
        ui.spacing_mut().slider_width = (ui.available_width() - names - 70.0).clamp(50.0, 150.0);
        let parameters = requested.hyperparameters();
        if parameters.is_empty() {
            ui.label("No hyperparameters: nothing to tune.");
        }
        for (spec, value) in parameters {
            let waiting = pending.contains(&spec.name);
            if let Some(value) = control(ui, spec, value, waiting) {
                commands.push(
                    Command::SetHyperparameter {
                        arena: selected,
                        name: spec.name.to_owned(),
                        value,
                    }
                    .into(),
                );
            }
        }
        ui.add_space(6.0);
        let reset = if pending.is_empty() {
            RichText::new("⟲ reset this agent")
        } else {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "⟲ {} wait for a reset of this agent.",
                        pending.join(", ")
                    ))
                    .color(palette::NOTICE),
                )
                .wrap(),
            );
            RichText::new("⟲ reset this agent").color(palette::NOTICE)
        };
        ui.horizontal(|ui| {
            if ui
                .button(reset)
                .on_hover_text("A fresh agent of this kind with the hyperparameters above; the others keep learning")
                .clicked()
            {
                commands.push(Command::ResetArena(selected).into());
            }
            let room = arenas.len() < crate::scene::MAX_AGENTS;
            if ui
                .add_enabled(room, egui::Button::new("fork"))
                .on_hover_text("A copy of this arena (its world, its agent with all it learned, its random streams) as a new arena beside it: change something in one and watch the two futures part")
                .on_disabled_hover_text("At most 8 arenas")
                .clicked()
            {
                commands.push(Command::Fork(selected).into());
            }
        });
    });
}

/// Decimals a real hyperparameter's slider shows.
const DECIMALS: usize = 3;

/// `value` as its slider draws it: clamped to the range and rounded as egui's slider rounds (to
/// whole numbers, or to [`DECIMALS`] decimals). A redraw turns the value read into this, which is
/// not a change.
fn as_drawn(spec: &ParamSpec, value: f64) -> f64 {
    let value = value.clamp(spec.min, spec.max);
    if spec.kind.is_whole() {
        let stepped = spec.min + (value - spec.min).round();
        egui::emath::round_to_decimals(stepped, 0)
    } else {
        egui::emath::round_to_decimals(value, DECIMALS)
    }
}

/// One hyperparameter's control; returns the new value only when the user operated it and it
/// differs from what the control drew (never because a value was redrawn, rounded or clamped, so
/// that a redraw after a seek cannot change the past). `waiting`: the value shown is requested but
/// waits for a reset.
fn control(ui: &mut Ui, spec: &ParamSpec, value: f64, waiting: bool) -> Option<f64> {
    let when = match spec.apply {
        Apply::Live => "Applies at once, keeping what the agent learned.",
        Apply::OnReset => "Applies when the agent is reset (it fixes the agent's shape).",
    };
    let tip = format!(
        "{}\n{when}\nRange {} to {}. Default: {}.",
        spec.help, spec.min, spec.max, spec.source
    );
    let mut v = value;
    let operated = ui.horizontal(|ui| {
        if waiting {
            // The mark sits before the control, so the panel does not widen when it appears.
            ui.label(RichText::new("⟲").strong().color(palette::NOTICE))
                .on_hover_text("Applies on reset: the running agent still uses the value it was built with; reset it to apply this one.");
        }
        match spec.kind {
            ParamKind::Switch => {
                let mut on = v != 0.0;
                let clicked = ui.checkbox(&mut on, spec.name).on_hover_text(&tip).changed();
                v = f64::from(u8::from(on));
                clicked
            }
            ParamKind::Choice(labels) => {
                let mut index = v as usize;
                let before = index;
                egui::ComboBox::from_id_salt(spec.name)
                    .selected_text(labels.get(index).copied().unwrap_or("?"))
                    .show_ui(ui, |ui| {
                        for (i, label) in labels.iter().enumerate() {
                            ui.selectable_value(&mut index, i, *label);
                        }
                    })
                    .response
                    .on_hover_text(&tip);
                ui.label(spec.name);
                v = index as f64;
                index != before
            }
            ParamKind::Real | ParamKind::Integer => {
                let slider = egui::Slider::new(&mut v, spec.min..=spec.max)
                    .text(spec.name)
                    .clamping(egui::SliderClamping::Always);
                let slider = if spec.kind.is_whole() {
                    slider.integer()
                } else {
                    slider.max_decimals(DECIMALS)
                };
                ui.add(slider).on_hover_text(&tip).changed()
            }
        }
    })
    .inner;
    (operated && v != as_drawn(spec, value)).then_some(v)
}

/// The width of the longest hyperparameter name, in points.
fn parameters_name_width(ui: &Ui, brain: &crate::brain::BrainSpec) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    brain
        .hyperparameters()
        .iter()
        .map(|(spec, _)| super::charts::text_width(ui, spec.name, font.clone()))
        .fold(0.0, f32::max)
}

/// "You play": the person takes the arena's place (its agent waits aside), and whether the other
/// arenas wait for their moves.
fn play_switches(
    ui: &mut Ui,
    frame: &crate::stepping::Frame,
    selected: usize,
    commands: &mut Vec<AppCommand>,
) {
    let Some(arena) = frame.arenas.get(selected) else {
        return;
    };
    let by_scene = arena.human && !arena.you_play;
    let mut playing = arena.human;
    let switch = ui
        .add_enabled(!by_scene, egui::Checkbox::new(&mut playing, "🎮 you play this arena"))
        .on_hover_text(format!("Take the agent's place: move with {} while this arena is selected. The agent waits aside and takes over again, with what it learned, when you stop. Your episodes appear in the curves as \"you\".", crate::app::keys::move_keys()))
        .on_disabled_hover_text("The scene makes a person this arena's agent");
    if switch.changed() {
        commands.push(
            Command::YouPlay {
                arena: selected,
                on: playing,
            }
            .into(),
        );
    }
    if frame.arenas.iter().any(|a| a.human) {
        let mut wait = frame.waits_for_human;
        if ui
            .checkbox(&mut wait, "the other arenas wait for your move")
            .on_hover_text("On: one step of every arena per move (a fair race). Off: the agents run at the chosen speed while you play.")
            .changed()
        {
            commands.push(Command::WaitForHuman(wait).into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::{BrainSpec, ParamKind};

    /// Q-learning's declared hyperparameters with `value` for each, as the panel reads them.
    fn specs() -> Vec<(&'static ParamSpec, f64)> {
        BrainSpec::defaults()
            .into_iter()
            .find(|b| b.kind() == "QLearning")
            .map(|b| b.hyperparameters())
            .unwrap_or_default()
    }

    /// Draws every control once with the values given, in a bare egui context (no window), with
    /// `input` for the frame; what the controls returned.
    fn frame(
        ctx: &egui::Context,
        values: &[(&'static ParamSpec, f64)],
        input: egui::RawInput,
    ) -> Vec<Option<f64>> {
        let mut changes = Vec::new();
        let mut output = ctx.run_ui(input, |ui| {
            for &(spec, value) in values {
                changes.push(control(ui, spec, value, false));
            }
        });
        // Nothing draws here: the font atlas egui would upload is let go.
        output.textures_delta.clear();
        changes
    }

    fn screen() -> egui::RawInput {
        egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(600.0, 600.0),
            )),
            ..Default::default()
        }
    }

    /// A thousand frames without input, with values read back from f32 (0.05 reads as
    /// 0.0500000007, which the slider rounds) and the values changing under the controls as a seek
    /// or another scene changes them: no control returns a change.
    #[test]
    fn redrawing_rounding_and_new_values_are_not_changes() {
        let ctx = egui::Context::default();
        let specs = specs();
        assert!(specs.iter().any(|(s, _)| s.kind == ParamKind::Real));
        for k in 0..1_000 {
            let values: Vec<(&'static ParamSpec, f64)> = specs
                .iter()
                .map(|&(spec, value)| {
                    let read = if k % 100 < 50 {
                        value
                    } else {
                        (spec.min + (spec.max - spec.min) * 0.37).min(spec.max)
                    };
                    (spec, f64::from(read as f32))
                })
                .collect();
            let changes = frame(&ctx, &values, screen());
            assert!(
                changes.iter().all(Option::is_none),
                "frame {k}: {changes:?} for {values:?}"
            );
        }
    }

    /// A drag on a slider is a change, with the value dragged to.
    #[test]
    fn dragging_a_slider_is_a_change() {
        let ctx = egui::Context::default();
        // One real slider alone, at the top left of the screen.
        let values: Vec<(&'static ParamSpec, f64)> = specs()
            .into_iter()
            .filter(|(s, _)| s.kind == ParamKind::Real)
            .take(1)
            .collect();
        frame(&ctx, &values, screen());
        let y = ctx.global_style().spacing.interact_size.y / 2.0;
        let press = |pressed: bool, x: f32| egui::Event::PointerButton {
            pos: egui::pos2(x, y),
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        };
        let mut input = screen();
        input.events = vec![
            egui::Event::PointerMoved(egui::pos2(20.0, y)),
            press(true, 20.0),
        ];
        let mut seen = frame(&ctx, &values, input);
        for x in [40.0, 60.0, 80.0] {
            let mut input = screen();
            input.events = vec![egui::Event::PointerMoved(egui::pos2(x, y))];
            seen.extend(frame(&ctx, &values, input));
        }
        let mut input = screen();
        input.events = vec![press(false, 80.0)];
        seen.extend(frame(&ctx, &values, input));
        assert!(seen.iter().any(Option::is_some), "the drag changed nothing");
    }
}
