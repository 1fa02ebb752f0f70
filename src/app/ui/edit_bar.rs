//! The edit bar, under the controls in edit mode: the palette, which arenas an edit reaches, undo
//! and redo, the map's size, a new map, and saving.

use bevy_egui::egui::{self, Color32, CornerRadius, Rect, RichText, Sense, Stroke, Ui, Vec2};

use super::shown::Shown;
use super::{arenas, palette};
use crate::app::command::{AppCommand, FileCommand};
use crate::app::edit::Editing;
use crate::app::keys::hint;
use crate::command::Command;
use crate::edit::{MAX_SIDE, MIN_SIDE, Map, Tile};

/// Draws the edit bar; what the user picks changes `editing`, what changes the world becomes
/// commands.
pub fn show(ui: &mut Ui, shown: &Shown, editing: &mut Editing, commands: &mut Vec<AppCommand>) {
    let frame = shown.frame;
    let Some(arena) = shown.selected_arena() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("✏ edit").strong().color(palette::SELECTED))
            .on_hover_text("Left button paints, right button erases to floor, drag the agent to move it. Agents keep what they learned and meet the changed world. E leaves edit mode.");
        for tile in Tile::PALETTE {
            if swatch(ui, tile, editing.tile == tile)
                .on_hover_text(format!("paint {}", tile.label()))
                .clicked()
            {
                editing.tile = tile;
            }
        }
        ui.separator();
        ui.radio_value(&mut editing.all_arenas, true, "all arenas")
            .on_hover_text("Edits change every arena's map: the comparison stays fair");
        ui.radio_value(&mut editing.all_arenas, false, "this arena")
            .on_hover_text("Edits change only the arena painted on");
        ui.separator();
        let (undo, redo) = frame.undo_redo;
        if ui.add_enabled(undo, egui::Button::new("undo")).on_hover_text(hint("Take back the last stroke", Command::Undo, shown.situation)).clicked() {
            commands.push(Command::Undo.into());
        }
        if ui.add_enabled(redo, egui::Button::new("redo")).on_hover_text(hint("Do it again", Command::Redo, shown.situation)).clicked() {
            commands.push(Command::Redo.into());
        }
        ui.separator();
        let map = &arena.map;
        ui.menu_button(format!("map {} x {} …", map.width(), map.height()), |ui| {
            map_size_menu(ui, map, editing, commands);
        })
        .response
        .on_hover_text("Resize the map or start a new one. A new size gives every arena the new map and fresh agents (their states are the cells); undo brings the old map back");
        ui.separator();
        if ui.button("💾 save").on_hover_text(hint("Write this arena's map into the scene file: only the map's rows change", FileCommand::Save, shown.situation)).clicked() {
            commands.push(FileCommand::Save.into());
        }
        if ui.button("save as…").on_hover_text(hint("Write the scene with this map to a new file", FileCommand::AskSaveAs, shown.situation)).clicked() {
            commands.push(FileCommand::AskSaveAs.into());
        }
    });
    if let Some(path) = editing.save_as.as_mut() {
        let mut submit = false;
        let mut cancel = false;
        ui.horizontal(|ui| {
            ui.label("save as");
            let field = ui.add(egui::TextEdit::singleline(path).desired_width(360.0));
            submit = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            submit |= ui.button("save").clicked();
            cancel = ui.button("cancel").clicked();
        });
        if submit {
            commands.push(FileCommand::SaveAs(path.trim().into()).into());
        }
        if cancel {
            editing.save_as = None;
        }
    }
}

/// Resizing by a row or column, and a new empty room.
fn map_size_menu(ui: &mut Ui, map: &Map, editing: &mut Editing, commands: &mut Vec<AppCommand>) {
    ui.horizontal(|ui| {
        for (label, tip, dw, dh) in [
            ("−col", "one column fewer", -1, 0),
            ("+col", "one column more", 1, 0),
            ("−row", "one row fewer", 0, -1),
            ("+row", "one row more", 0, 1),
        ] {
            let width = map.width().saturating_add_signed(dw);
            let height = map.height().saturating_add_signed(dh);
            let allowed =
                (MIN_SIDE..=MAX_SIDE).contains(&width) && (MIN_SIDE..=MAX_SIDE).contains(&height);
            if ui
                .add_enabled(allowed, egui::Button::new(label))
                .on_hover_text(tip)
                .clicked()
                && let Ok(resized) = map.resized(width, height)
            {
                commands.push(Command::Reshape(resized.rows()).into());
            }
        }
    });
    ui.separator();
    ui.horizontal(|ui| {
        let (w, h) = &mut editing.new_size;
        ui.add(
            egui::DragValue::new(w)
                .range(MIN_SIDE..=MAX_SIDE)
                .suffix(" cols"),
        );
        ui.add(
            egui::DragValue::new(h)
                .range(MIN_SIDE..=MAX_SIDE)
                .suffix(" rows"),
        );
        if ui
            .button("new map")
            .on_hover_text("An empty walled room of this size, start top left, goal bottom right")
            .clicked()
        {
            let (w, h) = editing.new_size;
            commands.push(Command::Reshape(Map::empty_room(w, h).rows()).into());
            ui.close();
        }
    });
}

/// A palette button: the tile drawn as on the map, framed when chosen.
fn swatch(ui: &mut Ui, tile: Tile, chosen: bool) -> egui::Response {
    let size = Vec2::splat(30.0);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let painter = ui.painter();
    let cell = tile.cell();
    let inner = rect.shrink(3.0);
    painter.rect_filled(inner, CornerRadius::same(2), palette::cell(cell));
    arenas::draw_mark(painter, inner, cell, None);
    if tile == Tile::Start {
        painter.text(
            inner.center(),
            egui::Align2::CENTER_CENTER,
            "S",
            egui::FontId::proportional(16.0),
            Color32::from_gray(220),
        );
    }
    let frame = if chosen {
        Stroke::new(3.0, palette::SELECTED)
    } else if response.hovered() {
        Stroke::new(1.5, Color32::from_gray(200))
    } else {
        Stroke::new(1.0, palette::OUTLINE)
    };
    painter.rect_stroke(
        Rect::from_center_size(rect.center(), size - Vec2::splat(1.0)),
        CornerRadius::same(3),
        frame,
        egui::StrokeKind::Inside,
    );
    response
}
