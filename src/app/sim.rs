//! The simulation as the window sees it: a handle that sends messages to the stepping (on its own
//! thread in the window, inside the frame under a time budget in the browser, or inline for
//! headless tests) and holds the latest frame to draw.

use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;

#[cfg(not(target_arch = "wasm32"))]
use super::sim_thread::{Failure, Priority, SimThread};
use crate::experiment::Experiment;
use crate::scene::Scene;
use crate::stepping::{Frame, InsightPace, PanelOf, Speed, Stepper, ToSim, Transport};

/// Where the stepping happens.
enum Driver {
    /// On its own thread (the window): frames never wait for steps.
    #[cfg(not(target_arch = "wasm32"))]
    Thread(SimThread),
    /// In the frame, for at most [`FRAME_BUDGET`] (the browser, which has no threads): a speed
    /// the agents cannot keep in that time shows as "behind", and insights follow at their pace.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    InFrame(Box<Stepper>, InsightPace),
    /// In the frame's own update, `elapsed` seconds at a time (headless tests, which need to know
    /// exactly how many steps an update takes).
    Inline(Box<Stepper>),
    /// Stopped because the window is closing ([`Sim::finish`]): the last frame stays.
    Finished,
}

/// The running simulation, seen from the window.
#[derive(Resource)]
pub struct Sim {
    driver: Driver,
    frame: Arc<Frame>,
    /// The speed last asked for (the frame shows it once the stepping took it).
    speed: usize,
    /// The arena whose agent the side panels show.
    pub selected: usize,
    /// Whether the window shows the insight panel (only the selected arena's frame then
    /// carries the panel's part of the insight; with the panel closed, none does).
    pub insight_panel: bool,
    /// What the stepping was last told about the panel.
    panel_sent: PanelOf,
}

/// Wall-clock time stepping inside an update may take: the inline stepping's at "max", the
/// browser's at any speed (insights come on top, at their own pace: see `InsightPace`).
pub const FRAME_BUDGET: Duration = Duration::from_millis(12);

/// `experiment` ready for the window: only bounded summaries kept from now on (the window's memory
/// does not grow with the run), a timeline of `history` bytes (default 256 MiB), at rung `speed`,
/// with `warmup` steps per arena as its first work.
fn prepared(
    mut experiment: Experiment,
    warmup: u64,
    speed: usize,
    history: Option<usize>,
) -> Stepper {
    experiment.keep_only_summaries();
    let mut stepper = Stepper::from_experiment(experiment);
    if let Some(bytes) = history {
        stepper.receive(ToSim::Budget(bytes));
    }
    stepper.receive(ToSim::Transport(Transport::SetSpeed(speed)));
    // The warm-up is the stepping's first work: the window opens at once and shows it go.
    stepper.receive(ToSim::WarmUp(warmup));
    stepper
}

impl Sim {
    /// The window's stepping of an existing experiment (a scene's, or a checkpoint's), keeping only
    /// bounded summaries from now on, with a timeline of `history` bytes (default 256 MiB), at rung
    /// `speed`, after `warmup` steps per arena: on its own thread on the desktop; in the browser,
    /// which has no threads, inside each frame for at most [`FRAME_BUDGET`].
    pub fn for_window(
        experiment: Experiment,
        warmup: u64,
        speed: usize,
        history: Option<usize>,
    ) -> Self {
        let stepper = prepared(experiment, warmup, speed, history);
        // Insights follow from the stepping: on a large map they would hold the window's opening.
        let frame = Arc::new(stepper.bare_frame());
        #[cfg(not(target_arch = "wasm32"))]
        let driver = {
            let priority = Priority::at(Speed::LADDER[speed.min(Speed::LADDER.len() - 1)]);
            Driver::Thread(SimThread::spawn(stepper, priority))
        };
        #[cfg(target_arch = "wasm32")]
        let driver = Driver::InFrame(Box::new(stepper), InsightPace::new());
        Self::driven(driver, frame, speed)
    }

    /// A handle on `driver`, showing `frame` until the first update.
    fn driven(driver: Driver, frame: Arc<Frame>, speed: usize) -> Self {
        Self {
            driver,
            frame,
            speed,
            selected: 0,
            insight_panel: true,
            panel_sent: PanelOf::Every,
        }
    }

    /// `scene` stepping on its own thread at rung `speed` of the ladder, after `warmup` steps per
    /// arena, keeping only bounded summaries of episodes (the window's memory does not grow with
    /// the run).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn threaded(scene: Scene, warmup: u64, speed: usize) -> Self {
        Self::for_window(Experiment::with_records(scene, false), warmup, speed, None)
    }

    /// Stops the stepping after the messages sent so far (the window is closing) and hands back
    /// the stepper; `None` when the simulation thread had stopped on an error. No update steps
    /// after this.
    pub fn finish(&mut self) -> Option<Stepper> {
        match std::mem::replace(&mut self.driver, Driver::Finished) {
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(thread) => thread.stop(),
            Driver::Inline(stepper) | Driver::InFrame(stepper, _) => Some(*stepper),
            Driver::Finished => None,
        }
    }

    /// Whether the stepping goes on (false only if the simulation thread stopped on a bug).
    pub fn running(&self) -> bool {
        match &self.driver {
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(thread) => thread.running(),
            Driver::Inline(_) | Driver::InFrame(..) | Driver::Finished => true,
        }
    }

    /// What stopped the simulation thread (a panic's message), once something did.
    pub fn failure(&self) -> Option<String> {
        match &self.driver {
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(thread) => thread.failure().get().cloned(),
            Driver::Inline(_) | Driver::InFrame(..) | Driver::Finished => None,
        }
    }

    /// Where the simulation thread notes what stopped it (the window's exit code reads it after
    /// the window closes).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn failure_note(&self) -> Option<Failure> {
        match &self.driver {
            Driver::Thread(thread) => Some(thread.failure()),
            Driver::Inline(_) | Driver::InFrame(..) | Driver::Finished => None,
        }
    }

    /// `scene` stepped inside each update (headless tests), keeping every episode's record.
    pub fn inline(scene: Scene) -> Self {
        let stepper = Stepper::new(scene, true);
        let frame = Arc::new(stepper.frame());
        Self::driven(Driver::Inline(Box::new(stepper)), frame, Speed::DEFAULT)
    }

    /// What the window draws: the latest state published.
    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    /// Whether the selected arena is played by a person (its arrows are moves, not single steps).
    pub fn person_selected(&self) -> bool {
        self.frame
            .arenas
            .get(self.selected)
            .is_some_and(|a| a.human)
    }

    /// Runs a recording's commands on the scene it holds (already running, from its start) and
    /// pauses at its end, ready to scrub. A headless run's recording counts episodes, which are
    /// not lockstep: the window shows its scene only.
    pub fn run_recording(&mut self, recording: crate::recording::Recording) {
        let steps = match recording.until {
            crate::recording::Until::Steps(steps) => steps,
            crate::recording::Until::Episodes(_) => 0,
        };
        self.send(ToSim::Recording {
            log: recording.log,
            steps,
        });
    }

    /// Carries out a transport control. A change of speed goes through [`Sim::set_speed`], which
    /// moves the stepping to a thread of the priority the speed needs.
    pub fn transport(&mut self, transport: Transport) {
        match transport {
            Transport::SetSpeed(index) => self.set_speed(index),
            Transport::ChangeSpeed(by) => self.change_speed(by),
            Transport::Play
            | Transport::Pause
            | Transport::TogglePlay
            | Transport::Step
            | Transport::StepBack
            | Transport::Seek(_)
            | Transport::SeekLive => self.send(ToSim::Transport(transport)),
        }
    }

    /// The inline stepper, when stepping happens in the update (tests read the experiment there).
    pub fn inline_stepper(&self) -> Option<&Stepper> {
        match &self.driver {
            Driver::Inline(stepper) => Some(stepper),
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(_) => None,
            Driver::InFrame(..) | Driver::Finished => None,
        }
    }

    /// Asks for rung `index` of [`Speed::LADDER`].
    pub fn set_speed(&mut self, index: usize) {
        self.speed = index.min(Speed::LADDER.len() - 1);
        self.send(ToSim::Transport(Transport::SetSpeed(self.speed)));
        // Into or out of "max": the stepping moves to a thread of the priority it now needs,
        // after it has taken every message sent so far.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let priority = Priority::at(Speed::LADDER[self.speed]);
            if let Driver::Thread(thread) = &mut self.driver
                && thread.priority() != priority
            {
                thread.respawn(priority);
            }
        }
    }

    /// Asks for a speed `by` rungs faster (negative: slower) than the last asked for.
    pub fn change_speed(&mut self, by: i32) {
        self.set_speed(Speed::rung_after(self.speed, by));
    }

    /// Sends a message to the stepping; it applies at the next step boundary.
    pub fn send(&mut self, message: ToSim) {
        match &mut self.driver {
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(thread) => thread.send(message),
            // The browser's stepping takes it at the next frame's step boundary, as the thread
            // does between steps.
            Driver::InFrame(stepper, _) => stepper.receive(message),
            Driver::Inline(stepper) => {
                stepper.receive(message);
                stepper.finish_work();
            }
            Driver::Finished => {}
        }
    }

    /// Shows arena `index` in the side panels.
    pub fn select(&mut self, index: usize) {
        self.selected = index.min(self.frame.arenas.len().saturating_sub(1));
    }

    /// Tells the stepping whose insight panel is shown, when that changed.
    fn show_panel(&mut self) {
        let panel = if self.insight_panel {
            PanelOf::Arena(self.selected)
        } else {
            PanelOf::None
        };
        if panel != self.panel_sent {
            self.panel_sent = panel;
            self.send(ToSim::ShowPanel(panel));
        }
    }

    /// Steps inline for `elapsed` seconds, or takes the thread's latest frame.
    fn update(&mut self, elapsed: f64) {
        self.show_panel();
        let frame = match &mut self.driver {
            #[cfg(not(target_arch = "wasm32"))]
            Driver::Thread(thread) => thread.latest(),
            Driver::InFrame(stepper, insights) => {
                stepper.round(elapsed, FRAME_BUDGET);
                if stepper.version() == self.frame.version && !insights.owed() {
                    return;
                }
                Arc::new(insights.frame(stepper, &self.frame))
            }
            Driver::Inline(stepper) => {
                let budget = if stepper.speed() == Speed::Max {
                    FRAME_BUDGET
                } else {
                    Duration::MAX
                };
                stepper.advance(elapsed, budget);
                if stepper.version() == self.frame.version {
                    return;
                }
                Arc::new(stepper.frame())
            }
            Driver::Finished => return,
        };
        self.frame = frame;
        self.selected = self.selected.min(self.frame.arenas.len().saturating_sub(1));
        // A scene with fewer arenas moved the selection: the panel follows it now.
        self.show_panel();
    }
}

/// Each frame: step inline, or take the thread's latest published frame.
pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        advance_simulation.in_set(super::order::AppSystems::Step),
    );
}

fn advance_simulation(time: Res<Time>, sim: Option<ResMut<Sim>>) {
    if let Some(mut sim) = sim {
        sim.update(time.delta_secs_f64());
    }
}
