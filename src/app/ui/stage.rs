//! The stage layout: how much of the window each panel may take, so that the mazes keep at least
//! half of it at any zoom and window size (side panels and curves give way first), and the
//! arenas-only view (F, or a slide's `Panels([])`).

/// The share of the window the arenas may fill, at least, on a stage (presenting, or a window
/// smaller than [`ROOMY`]); panels give way before it shrinks.
pub const ARENA_SHARE: f32 = 0.5;

/// A window at least this many points wide and high has room for every panel at its usual size
/// (1280 x 800 at 100 % zoom): the layout is the desk's. Below it (a 1024 x 768 projector, or
/// any zoom above 100 %), and always when presenting, the stage's rules apply.
pub const ROOMY: (f32, f32) = (1200.0, 760.0);

/// What the window asks to show, in points (the window's size shrinks as the zoom grows).
#[derive(Clone, Copy, Debug)]
pub struct Ask {
    /// The window's width and height.
    pub size: (f32, f32),
    /// Height of the bars above and below the arenas (controls, edit bar, timeline, status).
    pub bars: f32,
    /// The left panel: the slide's caption in presenter mode, else the agent panel.
    pub left: bool,
    /// Presenter mode: the caption never gives way (it only narrows).
    pub presenter: bool,
    /// The insight panel.
    pub insight: bool,
    /// The curves.
    pub curves: bool,
    /// A slide named its panels (`Panels([...])`): those it named never give way (they only
    /// narrow), since its caption may speak of them.
    pub chosen_by_slide: bool,
}

/// What the layout gives: each panel shown with its width (or height) range, in points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// The left panel's width range.
    pub left: Option<(f32, f32)>,
    /// The insight panel's width range.
    pub insight: Option<(f32, f32)>,
    /// The curves' height range.
    pub curves: Option<(f32, f32)>,
    /// The panels that gave way for the arenas, in words (said in the status line).
    pub gave_way: Vec<&'static str>,
}

/// A panel's size range: its own, capped to `share` of the window's side (a narrow window or a
/// large zoom narrows it; the lower end follows so the range stays a range).
fn capped((least, most): (f32, f32), side: f32, share: f32) -> (f32, f32) {
    let cap = side * share;
    (least.min(cap), most.min(cap))
}

impl Stage {
    /// The layout for `ask`. In a roomy window ([`ROOMY`]), not presenting, every panel asked
    /// for at its usual size. Otherwise panels are capped to a share of the window, then, while
    /// the arenas would get less than [`ARENA_SHARE`] of it (with every panel at its widest), the
    /// curves, then the insight panel, then the agent panel give way. The caption in presenter
    /// mode stays (it only narrows).
    pub fn plan(ask: Ask) -> Self {
        let (width, height) = ask.size;
        if !ask.presenter && width >= ROOMY.0 && height >= ROOMY.1 {
            return Stage {
                left: ask.left.then_some((220.0, 420.0)),
                insight: ask.insight.then_some((260.0, 480.0)),
                curves: ask.curves.then_some((120.0, 400.0)),
                gave_way: Vec::new(),
            };
        }
        let left_range = if ask.presenter {
            (300.0, 720.0)
        } else {
            (220.0, 420.0)
        };
        let left_share = if ask.presenter { 0.28 } else { 0.22 };
        let mut stage = Stage {
            left: ask.left.then(|| capped(left_range, width, left_share)),
            insight: ask.insight.then(|| capped((260.0, 480.0), width, 0.25)),
            curves: ask.curves.then(|| capped((120.0, 260.0), height, 0.22)),
            gave_way: Vec::new(),
        };
        let arenas = |stage: &Stage| {
            let side = stage.left.map_or(0.0, |r| r.1) + stage.insight.map_or(0.0, |r| r.1);
            let below = ask.bars + stage.curves.map_or(0.0, |r| r.1);
            (width - side).max(0.0) * (height - below).max(0.0)
        };
        let enough = |stage: &Stage| arenas(stage) >= ARENA_SHARE * width * height;
        let may_go = !ask.chosen_by_slide;
        if !enough(&stage) && may_go && stage.curves.take().is_some() {
            stage.gave_way.push("curves");
        }
        if !enough(&stage) && may_go && stage.insight.take().is_some() {
            stage.gave_way.push("insight panel");
        }
        if !enough(&stage) && !ask.presenter && stage.left.take().is_some() {
            stage.gave_way.push("agent panel");
        }
        stage
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(width: f32, height: f32, zoom: f32, presenter: bool) -> Ask {
        Ask {
            size: (width / zoom, height / zoom),
            bars: 110.0,
            left: true,
            presenter,
            insight: true,
            curves: true,
            chosen_by_slide: false,
        }
    }

    /// The arenas' share with every shown panel at its widest.
    fn share(ask: Ask, stage: &Stage) -> f32 {
        let (w, h) = ask.size;
        let side = stage.left.map_or(0.0, |r| r.1) + stage.insight.map_or(0.0, |r| r.1);
        let below = ask.bars + stage.curves.map_or(0.0, |r| r.1);
        (w - side) * (h - below) / (w * h)
    }

    #[test]
    fn on_a_stage_the_arenas_keep_half_the_window_at_any_size_and_zoom() {
        for (w, h) in [(1280.0, 800.0), (1024.0, 768.0), (1920.0, 1080.0)] {
            for zoom in [1.0, 1.1, 1.2, 1.5] {
                for presenter in [false, true] {
                    let ask = ask(w, h, zoom, presenter);
                    if !presenter && ask.size.0 >= ROOMY.0 && ask.size.1 >= ROOMY.1 {
                        continue; // a desk, not a stage
                    }
                    let stage = Stage::plan(ask);
                    let got = share(ask, &stage);
                    assert!(got >= ARENA_SHARE, "{w} x {h} at {zoom}: {got} ({stage:?})");
                    assert!(stage.left.is_some(), "the caption or agent panel stays");
                }
            }
        }
    }

    #[test]
    fn a_roomy_window_keeps_every_panel_and_curves_go_first() {
        assert!(
            Stage::plan(ask(1920.0, 1080.0, 1.0, false))
                .gave_way
                .is_empty()
        );
        let desk = Stage::plan(ask(1280.0, 800.0, 1.0, false));
        assert!(desk.gave_way.is_empty() && desk.insight.is_some() && desk.curves.is_some());
        let small = Stage::plan(ask(1024.0, 768.0, 1.5, false));
        assert_eq!(small.gave_way.first(), Some(&"curves"), "{small:?}");
    }
}
