//! Chart pieces the panels share: a viridis colour bar with its end labels, a small heatmap of
//! cells, and a table of bars, one per move.

use bevy_egui::egui::{
    self, Align2, CornerRadius, FontId, Pos2, Rect, Response, Sense, Stroke, StrokeKind, Ui, Vec2,
};

use super::palette;
use crate::world::Action;

/// Steps of the colour bar's gradient.
const BAR_STEPS: usize = 64;

/// A colour scale a bar shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gradient {
    /// Viridis, from 0 (left) to 1 (right): values, fields, counts.
    Viridis,
    /// Blue below zero, orange above ([`palette::diverging`]), from -1 to 1: signed errors.
    Diverging,
}

impl Gradient {
    /// The colour at `t` in [0, 1] along the bar.
    fn at(self, t: f32) -> egui::Color32 {
        match self {
            Gradient::Viridis => palette::viridis(t),
            Gradient::Diverging => palette::diverging(2.0 * t - 1.0),
        }
    }
}

/// A gradient as a texture, made once per window.
fn gradient_texture(ctx: &egui::Context, gradient: Gradient) -> egui::TextureId {
    let key = egui::Id::new(("colour bar", gradient));
    if let Some(texture) = ctx.data(|d| d.get_temp::<egui::TextureHandle>(key)) {
        return texture.id();
    }
    let colours = (0..BAR_STEPS)
        .map(|k| gradient.at((k as f32 + 0.5) / BAR_STEPS as f32))
        .collect();
    let image = egui::ColorImage::new([BAR_STEPS, 1], colours);
    let texture = ctx.load_texture("gradient", image, egui::TextureOptions::LINEAR);
    let id = texture.id();
    ctx.data_mut(|d| d.insert_temp(key, texture));
    id
}

/// `v` with `places` decimals, never "-0.00": a value that rounds to zero reads "0.00".
fn with_places(v: f32, places: usize) -> String {
    let text = format!("{v:.places$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| matches!(c, '0' | '.')) => rest.to_owned(),
        _ => text,
    }
}

/// A value with two decimals, never "-0.00".
pub fn two_places(v: f32) -> String {
    with_places(v, 2)
}

/// The end labels of a scale from `lo` to `hi` (lo < hi): two decimals, or as many more (up to
/// five) as it takes for the two ends not to read the same.
pub fn range_labels(lo: f32, hi: f32) -> (String, String) {
    (2..=5)
        .map(|places| (with_places(lo, places), with_places(hi, places)))
        .find(|(a, b)| a != b)
        .unwrap_or_else(|| (with_places(lo, 5), with_places(hi, 5)))
}

/// Paints a viridis colour bar into `bar`, from 0 (left) to 1 (right), with `low` written left of
/// it and `high` right of it.
pub fn colour_bar(ui: &Ui, bar: Rect, low: &str, high: &str) {
    gradient_bar(ui, bar, Gradient::Viridis, low, high);
}

/// [`colour_bar`] of any gradient.
fn gradient_bar(ui: &Ui, bar: Rect, gradient: Gradient, low: &str, high: &str) {
    let painter = ui.painter();
    painter.image(
        gradient_texture(ui.ctx(), gradient),
        bar,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        egui::Color32::WHITE,
    );
    painter.rect_stroke(
        bar,
        CornerRadius::ZERO,
        Stroke::new(1.0, palette::OUTLINE),
        StrokeKind::Outside,
    );
    let font = FontId::proportional(13.0);
    painter.text(
        Pos2::new(bar.left() - 4.0, bar.center().y),
        Align2::RIGHT_CENTER,
        low,
        font.clone(),
        palette::LABEL,
    );
    painter.text(
        Pos2::new(bar.right() + 4.0, bar.center().y),
        Align2::LEFT_CENTER,
        high,
        font,
        palette::LABEL,
    );
}

/// The width of `text` in `font`, in points, unwrapped.
pub fn text_width(ui: &Ui, text: &str, font: FontId) -> f32 {
    ui.ctx().fonts_mut(|fonts| {
        fonts
            .layout_no_wrap(text.to_owned(), font, palette::LABEL)
            .size()
            .x
    })
}

/// The width of a colour bar's end label, in points.
pub fn label_width(ui: &Ui, text: &str) -> f32 {
    text_width(ui, text, FontId::proportional(13.0))
}

/// A colour bar on its own line of the panel, `width` wide in all: `low` left of the bar, `high`
/// right of it (the bar takes what the labels leave, at most 160 points).
pub fn colour_bar_line(ui: &mut Ui, width: f32, low: &str, high: &str) {
    bar_line(ui, width, Gradient::Viridis, low, high);
}

/// A diverging bar (blue below zero, orange above) on its own line: `-extent` to `+extent`.
pub fn diverging_bar_line(ui: &mut Ui, width: f32, extent: f32) {
    let (low, high) = (
        format!("−{}", two_places(extent)),
        format!("+{}", two_places(extent)),
    );
    bar_line(ui, width, Gradient::Diverging, &low, &high);
}

/// [`colour_bar_line`] of any gradient.
fn bar_line(ui: &mut Ui, width: f32, gradient: Gradient, low: &str, high: &str) {
    let (left, right) = (label_width(ui, low) + 8.0, label_width(ui, high) + 8.0);
    let (line, _) = ui.allocate_exact_size(Vec2::new(width, 18.0), Sense::hover());
    let length = (width - left - right).clamp(40.0, 160.0);
    let bar = Rect::from_min_size(
        line.min + Vec2::new(left, 3.0),
        Vec2::new(length, line.height() - 6.0),
    );
    gradient_bar(ui, bar, gradient, low, high);
}

/// A texture of `size` = [columns, rows] pixels showing `colours` (row-major), kept in the egui
/// context under `key` and uploaded again only when a colour changes: one quad to draw instead of
/// a rectangle per cell.
pub fn pixel_texture(
    ctx: &egui::Context,
    key: impl std::hash::Hash + std::fmt::Debug,
    size: [usize; 2],
    colours: Vec<egui::Color32>,
) -> egui::TextureId {
    #[derive(Clone)]
    struct Cached {
        size: [usize; 2],
        colours: Vec<egui::Color32>,
        texture: egui::TextureHandle,
    }
    let key = egui::Id::new(("pixel texture", key));
    let options = egui::TextureOptions::NEAREST;
    let mut cached = ctx.data(|d| d.get_temp::<Cached>(key));
    match &mut cached {
        Some(c) if c.size == size && c.colours == colours => return c.texture.id(),
        Some(c) => {
            c.texture
                .set(egui::ColorImage::new(size, colours.clone()), options);
            c.size = size;
            c.colours = colours;
        }
        None => {
            let image = egui::ColorImage::new(size, colours.clone());
            cached = Some(Cached {
                size,
                colours,
                texture: ctx.load_texture("pixels", image, options),
            });
        }
    }
    let cached = cached.expect("set above");
    let id = cached.texture.id();
    ctx.data_mut(|d| d.insert_temp(key, cached));
    id
}

/// A heatmap of `columns` x `rows` cells, each `cell` points wide, coloured by `fill(index)`
/// (row-major), drawn as one texture kept under `key`. Returns its rectangle and its response,
/// for hover text and overlays.
pub fn heatmap(
    ui: &mut Ui,
    key: impl std::hash::Hash + std::fmt::Debug,
    (columns, rows): (usize, usize),
    cell: f32,
    fill: impl Fn(usize) -> egui::Color32,
) -> (Rect, Response) {
    let size = Vec2::new(cell * columns as f32, cell * rows as f32);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let colours = (0..columns * rows).map(fill).collect();
    let texture = pixel_texture(ui.ctx(), key, [columns, rows], colours);
    ui.painter().image(
        texture,
        rect,
        Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
        egui::Color32::WHITE,
    );
    (rect, response)
}

/// The (column, row) of the heatmap cell under `pointer`.
pub fn heatmap_cell(
    rect: Rect,
    cell: f32,
    (columns, rows): (usize, usize),
    pointer: Pos2,
) -> (usize, usize) {
    let x = ((pointer.x - rect.left()) / cell) as usize;
    let y = ((pointer.y - rect.top()) / cell) as usize;
    (x.min(columns - 1), y.min(rows - 1))
}

/// A table of one bar per move: the move (marked if `taken`), a bar from the smallest value (or
/// 0) to the largest, the best in green, and the number; `None` shows `missing` instead.
pub fn move_bars(
    ui: &mut Ui,
    id: &str,
    values: [Option<f32>; Action::COUNT],
    taken: Option<Action>,
    missing: &str,
) {
    let known = values.iter().flatten().copied();
    let best = known.clone().fold(f32::NEG_INFINITY, f32::max);
    let lo = known.fold(f32::INFINITY, f32::min).min(0.0);
    // Differences below a thousandth are noise on these scales: equal values give equal bars.
    let span = (best - lo).max(1e-3);
    egui::Grid::new(id).num_columns(3).show(ui, |ui| {
        for action in Action::ALL {
            let mark = if taken == Some(action) { " ◀" } else { "" };
            ui.label(format!("{action:?}{mark}"));
            match values[action.index()] {
                Some(v) => {
                    let fill = if v == best {
                        palette::BEST
                    } else {
                        palette::BAR
                    };
                    ui.add(
                        egui::ProgressBar::new((v - lo) / span)
                            .desired_width(110.0)
                            .fill(fill),
                    );
                    ui.monospace(format!("{v:+.3}"));
                }
                None => {
                    ui.label(missing);
                    ui.label("");
                }
            }
            ui.end_row();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_ends_never_read_the_same_or_negative_zero() {
        assert_eq!(range_labels(0.1, 0.9), ("0.10".into(), "0.90".into()));
        assert_eq!(
            range_labels(-0.001, 0.004),
            ("-0.001".into(), "0.004".into())
        );
        assert_eq!(range_labels(-0.0001, 0.5), ("0.00".into(), "0.50".into()));
        assert_eq!(two_places(-0.0001), "0.00");
    }
}
