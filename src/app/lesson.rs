//! Presenter mode: a lesson's slides one after another, each opening its scene and taking its
//! steps; the slides' commands (a clicker's keys are in the key table: Page Down / Page Up, Space,
//! arrows move between slides, B blanks the screen, Esc asks before leaving).

use bevy::prelude::*;

use super::command::{AppCommand, SlideCommand};
use super::scene_file::{self, SceneFile};
use super::sim::Sim;
use crate::lesson::{LoadedLesson, Step, schedule};
use crate::scene::Panel;
use crate::stepping::{Speed, ToSim, Transport};

/// The lesson being presented.
#[derive(Resource)]
pub struct Presenter {
    /// The lesson with its slides' scenes.
    pub lesson: LoadedLesson,
    /// The slide shown (0 is the first).
    pub slide: usize,
    /// The screen is blanked (B).
    pub blank: bool,
    /// The class's pick among the prediction's choices.
    pub chosen: Option<usize>,
    /// The prediction's answer is shown.
    pub revealed: bool,
    /// Planned pauses counted when the slide opened: one more reveals the answer.
    pauses_at_open: u64,
    /// The slide still has to be opened (its scene loaded, its steps sent).
    pending: bool,
    /// The panels the slide shows, if it chooses them.
    pub panels: Option<Vec<Panel>>,
    /// Esc was pressed once: a second Esc leaves, any other key stays.
    pub leaving: bool,
}

impl Presenter {
    /// Presents `lesson` from slide `first`.
    pub fn new(lesson: LoadedLesson, first: usize) -> Self {
        let slide = first.min(lesson.lesson.slides.len().saturating_sub(1));
        Self {
            lesson,
            slide,
            blank: false,
            chosen: None,
            revealed: false,
            pauses_at_open: 0,
            pending: true,
            panels: None,
            leaving: false,
        }
    }

    /// Slides in the lesson.
    pub fn slides(&self) -> usize {
        self.lesson.lesson.slides.len()
    }

    fn go(&mut self, slide: usize) {
        let slide = slide.min(self.slides().saturating_sub(1));
        if slide != self.slide {
            self.slide = slide;
            self.pending = true;
        }
    }
}

/// The presenter's keys and slide changes (only when a lesson is presented).
pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (follow_commands, open_slide, reveal_on_pause)
            .chain()
            .in_set(super::order::AppSystems::Present),
    );
}

/// Carries out the slides' commands (after the executor, which leaves them to presenter mode).
fn follow_commands(
    mut messages: MessageReader<AppCommand>,
    presenter: Option<ResMut<Presenter>>,
    mut sim: Option<ResMut<Sim>>,
    mut exit: MessageWriter<AppExit>,
    mut commands: Commands,
) {
    let Some(mut presenter) = presenter else {
        messages.clear();
        return;
    };
    for message in messages.read() {
        let AppCommand::Slide(slide) = message else {
            continue; // the executor's
        };
        match slide {
            SlideCommand::Next => {
                let next = presenter.slide + 1;
                presenter.go(next);
            }
            SlideCommand::Previous => {
                let previous = presenter.slide.saturating_sub(1);
                presenter.go(previous);
            }
            SlideCommand::GoTo(slide) => presenter.go(*slide),
            SlideCommand::ToggleBlank => presenter.blank = !presenter.blank,
            SlideCommand::Choose(choice) => presenter.chosen = Some(*choice),
            SlideCommand::RevealAnswer => {
                presenter.revealed = true;
                if let Some(sim) = sim.as_deref_mut() {
                    sim.transport(Transport::Play);
                }
            }
            // A stray Esc in front of a class must not end the lecture: the first asks, the
            // second leaves.
            // The desktop's presenter mode is its own window; the browser's tab stays, on the
            // slide's scene.
            SlideCommand::Leave if presenter.leaving && super::window::IN_BROWSER => {
                commands.remove_resource::<Presenter>();
            }
            SlideCommand::Leave if presenter.leaving => {
                exit.write(AppExit::Success);
            }
            SlideCommand::Leave => presenter.leaving = true,
            SlideCommand::Stay => presenter.leaving = false,
        }
    }
}

/// Opens a slide: its scene (a fresh run), then its steps in order.
fn open_slide(
    presenter: Option<ResMut<Presenter>>,
    mut sim: Option<ResMut<Sim>>,
    mut file: Option<ResMut<SceneFile>>,
) {
    let (Some(mut presenter), Some(sim), Some(file)) =
        (presenter, sim.as_deref_mut(), file.as_deref_mut())
    else {
        return;
    };
    if !std::mem::take(&mut presenter.pending) {
        return;
    }
    let index = presenter.slide;
    let Some((path, _)) = presenter.lesson.scenes.get(index) else {
        return;
    };
    file.path = path.clone();
    scene_file::reload(file, sim);
    presenter.chosen = None;
    presenter.revealed = false;
    presenter.pauses_at_open = sim.frame().planned_pauses;
    let slide = presenter.lesson.lesson.slides[index].clone();
    presenter.panels = None;
    sim.transport(Transport::Play);
    sim.send(ToSim::Schedule(schedule(&slide)));
    for step in &slide.steps {
        match step {
            Step::WarmUp(steps) => sim.send(ToSim::WarmUp(*steps)),
            Step::Speed(rate) => sim.set_speed(rung(*rate)),
            Step::Select(arena) => sim.selected = *arena,
            Step::PauseAt(step) => sim.send(ToSim::PauseAt(*step)),
            Step::PauseAtSuccess(arena) => sim.send(ToSim::PauseAtSuccess(*arena)),
            Step::Paused => sim.transport(Transport::Pause),
            Step::Panels(panels) => presenter.panels = Some(panels.clone()),
            Step::Set { .. } | Step::At { .. } => {}
        }
    }
    // A slide that asks the class first keeps its secret: it opens paused (its warm-ups still
    // run) until the presenter plays or reveals the answer.
    if slide.prediction.is_some() {
        sim.transport(Transport::Pause);
    }
}

/// The rung of the speed ladder for a lesson's `Speed(rate)`: the nearest at or below (0: max).
fn rung(rate: u32) -> usize {
    match rate {
        0 => Speed::LADDER.len() - 1,
        rate => Speed::at_most(rate),
    }
}

/// A planned pause (the run reached the step or the success the slide waits for) reveals the
/// prediction's answer: the run has shown it.
fn reveal_on_pause(presenter: Option<ResMut<Presenter>>, sim: Option<Res<Sim>>) {
    let (Some(mut presenter), Some(sim)) = (presenter, sim) else {
        return;
    };
    if !presenter.pending && sim.frame().planned_pauses > presenter.pauses_at_open {
        presenter.revealed = true;
    }
}
