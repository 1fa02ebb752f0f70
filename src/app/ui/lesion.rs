//! The lesion switch the mechanism panels share: off, the mechanism works; on, it is cut out, to
//! see what it did.

use bevy_egui::egui::Ui;

use crate::app::command::AppCommand;
use crate::command::Command;

/// A mechanism's lesion checkbox: a change becomes the command that sets arena `arena`'s `lesion`.
pub fn lesion_switch(
    ui: &mut Ui,
    arena: usize,
    lesioned: bool,
    label: &str,
    tip: &str,
    commands: &mut Vec<AppCommand>,
) {
    let mut on = lesioned;
    if ui.checkbox(&mut on, label).on_hover_text(tip).changed() {
        commands.push(
            Command::SetHyperparameter {
                arena,
                name: "lesion".into(),
                value: f64::from(u8::from(on)),
            }
            .into(),
        );
    }
}
