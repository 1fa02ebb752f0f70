//! How often the stepping computes each arena's insight, so that a dear one never holds up the
//! steps.

use std::time::Duration;
use web_time::Instant;

use super::{Frame, Stepper};
use crate::experiment::Detail;

/// How often the thread computes each arena's insight. Most cost well under a millisecond and
/// are fresh in every frame. A dear one (a network's value map over a 64 x 64 map takes about
/// 2 s) is computed again only after the thread has spent [`InsightPace::SHARE`] times its cost
/// on other work, so insights take at most a tenth of the thread's time; and a frame stops
/// computing insights once [`InsightPace::BUDGET`] went to them (the others show their last
/// insight, or none yet, and follow in the next frames), so the agents keep stepping and a
/// pause is answered within one insight's time. Paused, insights are refreshed at once after a
/// change (within the budget, frame after frame).
#[derive(Default)]
pub struct InsightPace {
    /// Per arena: when its insight is next due, the detail it was last computed with, and how
    /// far apart its fresh insights are.
    arenas: Vec<(Instant, Detail, Duration)>,
    /// The stepper's version the insights were last computed for (paused, a change makes every
    /// insight due).
    version: u64,
    /// Some insight in the last frame is not what is due: another frame is owed.
    owed: bool,
}

impl InsightPace {
    /// A pace with its first frame owed: the frame made before stepping began carries no insight,
    /// and they follow.
    pub fn new() -> Self {
        Self {
            owed: true,
            ..Self::default()
        }
    }

    /// Whether some insight in the last frame is not what is due, so another frame is owed.
    pub fn owed(&self) -> bool {
        self.owed
    }

    /// Of the thread's time, at most one part in this many goes to insights.
    const SHARE: u32 = 10;
    /// A frame stops computing insights once this much time has gone to them.
    const BUDGET: Duration = Duration::from_millis(30);
    /// Fresh insights further apart than this are said in the window.
    const SAID: Duration = Duration::from_millis(250);

    /// The frame to publish: each arena's insight fresh when due and within the budget, else
    /// `earlier`'s for the same agent on a map of the same size (else none yet).
    pub fn frame(&mut self, stepper: &Stepper, earlier: &Frame) -> Frame {
        let count = stepper.experiment().arenas().len();
        let now = Instant::now();
        if self.arenas.len() != count {
            self.arenas = vec![(now, Detail::Bare, Duration::ZERO); count];
        }
        // Paused, whatever changed is due now; playing, each insight at its own pace.
        let changed = stepper.version() != self.version;
        self.version = stepper.version();
        let mut spent = Duration::ZERO;
        let mut views = Vec::with_capacity(count);
        self.owed = false;
        for i in 0..count {
            let detail = stepper.detail(i);
            let (due, had, _) = self.arenas[i];
            let stale = had != detail || now >= due || (!stepper.playing() && changed);
            if stale && spent < Self::BUDGET {
                let started = Instant::now();
                views.push(stepper.view(i, detail));
                let cost = started.elapsed();
                spent += cost;
                let apart = cost * (Self::SHARE - 1);
                self.arenas[i] = (Instant::now() + apart, detail, apart + cost);
                continue;
            }
            if stale {
                self.owed = true;
                if !stepper.playing() {
                    // Paused, what is left is due in the next frame.
                    self.arenas[i].0 = now;
                }
            }
            let mut view = stepper.view(i, Detail::Bare);
            if let Some(before) = earlier.arenas.get(i).filter(|before| {
                before.name == view.name
                    && before.brain == view.brain
                    && before.world.width() == view.world.width()
                    && before.world.height() == view.world.height()
            }) {
                // The dopamine record goes with the insight: a panel that came and went from
                // frame to frame would throw its scroll position away.
                view.insight.clone_from(&before.insight);
                view.dopamine.clone_from(&before.dopamine);
            }
            views.push(view);
        }
        let mut frame = stepper.frame_of(views);
        frame.insights_every = self
            .arenas
            .iter()
            .map(|&(_, _, every)| every)
            .filter(|&every| every > Self::SAID)
            .max();
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stepping::{ToSim, Transport};

    /// Playing, an insight not yet due is the earlier frame's (the stepping goes on); paused,
    /// a change makes every insight fresh at once.
    #[test]
    fn insights_are_kept_until_due_while_playing_and_fresh_after_a_change_when_paused() {
        let scene = crate::scene::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenes/showcase.ron"),
        )
        .unwrap()
        .scene;
        let mut stepper = Stepper::new(scene, false);
        let mut pace = InsightPace::default();
        let first = pace.frame(&stepper, &stepper.bare_frame());
        assert!(first.arenas.iter().all(|a| a.insight.is_some()));
        // Every insight as if it were dear: not due for a minute.
        for arena in &mut pace.arenas {
            arena.0 = Instant::now() + Duration::from_secs(60);
            arena.2 = Duration::from_secs(60);
        }
        stepper.receive(ToSim::Transport(Transport::Play));
        stepper.advance(1.0, Duration::MAX);
        assert!(stepper.experiment().steps() > 0);
        let kept = pace.frame(&stepper, &first);
        // Compared as written: a value map's NaN (a wall) is not equal to itself.
        let insight = |frame: &Frame| format!("{:?}", frame.arenas[0].insight);
        assert_eq!(insight(&kept), insight(&first));
        assert_ne!(insight(&kept), insight(&stepper.frame()));
        assert_eq!(kept.insights_every, Some(Duration::from_secs(60)));
        // Paused, one step later: fresh.
        stepper.receive(ToSim::Transport(Transport::Step));
        stepper.advance(0.0, Duration::MAX);
        let fresh = pace.frame(&stepper, &kept);
        assert_eq!(insight(&fresh), insight(&stepper.frame()));
    }

    /// The dopamine panel's record is kept with the insight until it is due: it does not vanish
    /// on the frames between (the panel would jump, and its scroll position with it).
    #[test]
    fn the_dopamine_record_is_kept_with_the_insight() {
        let scene = crate::scene::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenes/dopamine.ron"),
        )
        .unwrap()
        .scene;
        let mut stepper = Stepper::new(scene, false);
        stepper.receive(ToSim::WarmUp(200));
        stepper.finish_work();
        let mut pace = InsightPace::default();
        let first = pace.frame(&stepper, &stepper.bare_frame());
        assert!(first.arenas[0].dopamine.is_some());
        for arena in &mut pace.arenas {
            arena.0 = Instant::now() + Duration::from_secs(60);
            arena.2 = Duration::from_secs(60);
        }
        stepper.receive(ToSim::Transport(Transport::Play));
        stepper.advance(1.0, Duration::MAX);
        let kept = pace.frame(&stepper, &first);
        // Compared as written: NaN (a step a trial did not have) is not equal to itself.
        let record = |frame: &Frame| format!("{:?}", frame.arenas[0].dopamine);
        assert_eq!(record(&kept), record(&first));
    }
}
