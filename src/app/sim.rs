//! The simulation as the window sees it: a handle that sends messages to the stepping (on its own
//! thread in the window, or inline for headless tests) and holds the latest frame to draw.

use std::sync::Arc;
use std::time::Duration;

use bevy::prelude::*;

use super::sim_thread::{Failure, Priority, SimThread};
use crate::experiment::Experiment;
use crate::scene::Scene;
use crate::stepping::{Frame, PanelOf, Speed, Stepper, ToSim, Transport};

/// Where the stepping happens.
enum Driver {
    /// On its own thread (the window): frames never wait for steps.
    Thread(SimThread),
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

/// Wall-clock time the inline stepping may spend at "max" in one update.
const INLINE_BUDGET: Duration = Duration::from_millis(12);

impl Sim {
    /// `scene` stepping on its own thread at rung `speed` of the ladder, after `warmup` steps per
    /// arena, keeping only bounded summaries of episodes (the window's memory does not grow with
    /// the run).
    pub fn threaded(scene: Scene, warmup: u64, speed: usize) -> Self {
        Self::threaded_from(Experiment::with_records(scene, false), warmup, speed, None)
    }

    /// An existing experiment (a checkpoint) stepping on its own thread, keeping only bounded
    /// summaries from now on, with a timeline of `history` bytes (default 256 MiB).
    pub fn threaded_from(
        mut experiment: Experiment,
        warmup: u64,
        speed: usize,
        history: Option<usize>,
    ) -> Self {
        experiment.keep_only_summaries();
        let mut stepper = Stepper::from_experiment(experiment);
        if let Some(bytes) = history {
            stepper.receive(ToSim::Budget(bytes));
        }
        stepper.receive(ToSim::Transport(Transport::SetSpeed(speed)));
        // The warm-up is the thread's first work: the window opens at once and shows it go.
        stepper.receive(ToSim::WarmUp(warmup));
        // Insights follow from the thread: on a large map they would hold the window's opening.
        let frame = Arc::new(stepper.bare_frame());
        let priority = Priority::at(Speed::LADDER[speed.min(Speed::LADDER.len() - 1)]);
        Self {
            driver: Driver::Thread(SimThread::spawn(stepper, priority)),
            frame,
            speed,
            selected: 0,
            insight_panel: true,
            panel_sent: PanelOf::Every,
        }
    }

    /// Stops the stepping after the messages sent so far (the window is closing) and hands back
    /// the stepper; `None` when the simulation thread had stopped on an error. No update steps
    /// after this.
    pub fn finish(&mut self) -> Option<Stepper> {
        match std::mem::replace(&mut self.driver, Driver::Finished) {
            Driver::Thread(thread) => thread.stop(),
            Driver::Inline(stepper) => Some(*stepper),
            Driver::Finished => None,
        }
    }

    /// Whether the stepping goes on (false only if the simulation thread stopped on a bug).
    pub fn running(&self) -> bool {
        match &self.driver {
            Driver::Thread(thread) => thread.running(),
            Driver::Inline(_) | Driver::Finished => true,
        }
    }

    /// What stopped the simulation thread (a panic's message), once something did.
    pub fn failure(&self) -> Option<String> {
        match &self.driver {
            Driver::Thread(thread) => thread.failure().get().cloned(),
            Driver::Inline(_) | Driver::Finished => None,
        }
    }

    /// Where the simulation thread notes what stopped it (the window's exit code reads it after
    /// the window closes).
    pub fn failure_note(&self) -> Option<Failure> {
        match &self.driver {
            Driver::Thread(thread) => Some(thread.failure()),
            Driver::Inline(_) | Driver::Finished => None,
        }
    }

    /// `scene` stepped inside each update (headless tests), keeping every episode's record.
    pub fn inline(scene: Scene) -> Self {
        let stepper = Stepper::new(scene, true);
        Self {
            frame: Arc::new(stepper.frame()),
            driver: Driver::Inline(Box::new(stepper)),
            speed: Speed::DEFAULT,
            selected: 0,
            insight_panel: true,
            panel_sent: PanelOf::Every,
        }
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
            Driver::Thread(_) | Driver::Finished => None,
        }
    }

    /// Asks for rung `index` of [`Speed::LADDER`].
    pub fn set_speed(&mut self, index: usize) {
        self.speed = index.min(Speed::LADDER.len() - 1);
        self.send(ToSim::Transport(Transport::SetSpeed(self.speed)));
        // Into or out of "max": the stepping moves to a thread of the priority it now needs,
        // after it has taken every message sent so far.
        let priority = Priority::at(Speed::LADDER[self.speed]);
        if let Driver::Thread(thread) = &mut self.driver
            && thread.priority() != priority
        {
            thread.respawn(priority);
        }
    }

    /// Asks for a speed `by` rungs faster (negative: slower) than the last asked for.
    pub fn change_speed(&mut self, by: i32) {
        self.set_speed(Speed::rung_after(self.speed, by));
    }

    /// Sends a message to the stepping; it applies at the next step boundary.
    pub fn send(&mut self, message: ToSim) {
        match &mut self.driver {
            Driver::Thread(thread) => thread.send(message),
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
            Driver::Thread(thread) => thread.latest(),
            Driver::Inline(stepper) => {
                let budget = if stepper.speed() == Speed::Max {
                    INLINE_BUDGET
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
