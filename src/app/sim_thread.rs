//! The simulation thread: the experiment's [`Stepper`] runs there beside the window, takes its
//! messages between steps and publishes frames into a mailbox, so drawing never waits for stepping
//! and stepping never waits for drawing. No Bevy here; the stepping itself is the core's.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::stepping::{Frame, InsightPace, Speed, Stepper, ToSim};

/// The shortest wait between rounds below "max": steps come in batches this far apart.
const BATCH: Duration = Duration::from_millis(2);
/// The longest wait between looks at the inbox.
const IDLE: Duration = Duration::from_millis(50);
/// How long one round of stepping may take before the thread reads its messages again.
const ROUND: Duration = Duration::from_millis(4);
/// While stepping fast, a frame goes out once the window has taken the previous one, and at
/// least this long after it: about once a frame, never more often than frames are drawn.
const PUBLISH_EVERY: Duration = Duration::from_millis(10);
/// The longest a fast run goes without publishing even when the window has not taken the last
/// frame (a window that stopped drawing a while, then comes back).
const PUBLISH_AT_LEAST: Duration = Duration::from_millis(250);

/// The simulation thread, seen from the window: send it messages, read its latest frame.
pub struct SimThread {
    to_sim: Sender<ToSim>,
    latest: Arc<Mailbox>,
    thread: Option<JoinHandle<Option<Stepper>>>,
    priority: Priority,
    failure: Failure,
}

/// What stopped the simulation thread, once something did (a panic in an agent or the stepping):
/// the window shows it, keeps drawing the last frame, and exits non-zero when closed.
pub type Failure = Arc<OnceLock<String>>;

/// Who goes first when the simulation thread and drawing want the same core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    /// Drawing: at a set speed the thread runs below the window's threads, so a speed the agents
    /// cannot keep shows as "behind" instead of slowing the frames.
    DrawingFirst,
    /// Neither: at "max" the user asked for steps, and the thread keeps the window's priority.
    Even,
}

impl Priority {
    /// The priority for stepping at `speed`.
    pub fn at(speed: Speed) -> Self {
        match speed {
            Speed::Max => Priority::Even,
            Speed::PerSecond(_) => Priority::DrawingFirst,
        }
    }
}

/// The latest frame, and whether the window has taken it: a frame (with its insights) is
/// made for a window frame that draws it, not for one that is skipped. Both sit under one lock, so
/// "taken" always speaks of the frame beside it.
struct Mailbox(Mutex<(Arc<Frame>, bool)>);

impl Mailbox {
    fn new(frame: Frame) -> Self {
        Self(Mutex::new((Arc::new(frame), false)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (Arc<Frame>, bool)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts a new frame in; the old one is freed outside the lock.
    fn publish(&self, frame: Arc<Frame>) {
        let old = std::mem::replace(&mut *self.lock(), (frame, false));
        drop(old);
    }

    /// The latest frame, not marking it taken.
    fn peek(&self) -> Arc<Frame> {
        Arc::clone(&self.lock().0)
    }

    /// The latest frame, marked as taken.
    fn take(&self) -> Arc<Frame> {
        let mut latest = self.lock();
        latest.1 = true;
        Arc::clone(&latest.0)
    }

    /// Whether the window has taken the latest frame.
    fn taken(&self) -> bool {
        self.lock().1
    }
}

impl SimThread {
    /// Starts `stepper` on its own thread with `priority`. (A thread may lower its own priority
    /// but, without privileges, not raise it again: a change to "max" starts a new thread.)
    pub fn spawn(stepper: Stepper, priority: Priority) -> Self {
        // Without insights: the window opens at once, and the thread computes them at its pace.
        let latest = Arc::new(Mailbox::new(stepper.bare_frame()));
        Self::spawn_into(stepper, priority, latest, Failure::default())
    }

    /// Starts `stepper` on its own thread, publishing into `latest`; a panic is noted in
    /// `failure`.
    fn spawn_into(
        stepper: Stepper,
        priority: Priority,
        latest: Arc<Mailbox>,
        failure: Failure,
    ) -> Self {
        let (to_sim, inbox) = channel();
        let published = Arc::clone(&latest);
        let noted = Arc::clone(&failure);
        let thread = std::thread::Builder::new()
            .name("simulation".into())
            .spawn(move || {
                // Where lowering is not allowed the thread simply keeps the normal priority.
                if priority == Priority::DrawingFirst {
                    let _ = thread_priority::set_current_thread_priority(
                        thread_priority::ThreadPriority::Min,
                    );
                }
                noting_failure(&noted, || run(stepper, &inbox, &published))
            })
            .expect("the simulation thread starts");
        Self {
            to_sim,
            latest,
            thread: Some(thread),
            priority,
            failure,
        }
    }

    /// What stopped the thread, once something did; shared with any thread that replaces it.
    pub fn failure(&self) -> Failure {
        Arc::clone(&self.failure)
    }

    /// Moves the stepping to a new thread with `priority`, after the old one has taken every
    /// message sent so far (a thread that stopped on a bug stays stopped).
    pub fn respawn(&mut self, priority: Priority) {
        if let Some(stepper) = self.hang_up() {
            // The new thread publishes into the same mailbox: the window keeps drawing the latest
            // frame meanwhile, and no second one is made here.
            *self = Self::spawn_into(
                stepper,
                priority,
                Arc::clone(&self.latest),
                Arc::clone(&self.failure),
            );
        }
    }

    /// The priority the thread was started with.
    pub fn priority(&self) -> Priority {
        self.priority
    }

    /// Sends a message; it applies at the next step boundary. (A thread that stopped, which only
    /// a bug can make it do, drops the message; [`SimThread::running`] says so.)
    pub fn send(&self, message: ToSim) {
        let _ = self.to_sim.send(message);
    }

    /// Whether the thread still runs (false only after a panic in an agent or the stepping).
    pub fn running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// The latest frame published.
    pub fn latest(&self) -> Arc<Frame> {
        self.latest.take()
    }

    /// Stops the thread after the messages sent so far and hands back the stepper.
    pub fn stop(mut self) -> Option<Stepper> {
        self.hang_up()
    }

    fn hang_up(&mut self) -> Option<Stepper> {
        // Closing the channel ends the thread's loop once it has read what was sent.
        let (closed, _) = channel();
        self.to_sim = closed;
        self.thread
            .take()
            .and_then(|thread| thread.join().ok().flatten())
    }
}

impl Drop for SimThread {
    fn drop(&mut self) {
        self.hang_up();
    }
}

/// Runs `body`; a panic in it (already printed by the panic hook) is noted in `failure` with its
/// message, for the window, instead of ending the program.
fn noting_failure<T>(failure: &Failure, body: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body))
        .map_err(|payload| {
            let said = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned());
            let _ = failure.set(said);
        })
        .ok()
}

/// The thread's loop: messages, steps, frames, until the window hangs up; then the stepper.
fn run(mut stepper: Stepper, inbox: &Receiver<ToSim>, latest: &Mailbox) -> Stepper {
    let mut last_round = Instant::now();
    let mut last_publish = Instant::now();
    let mut published_version = stepper.version();
    // The first frame (made before the thread started) carries no insight: they follow.
    let mut insights = InsightPace::new();
    loop {
        // Wait for a message until the next step is due (at least a couple of milliseconds, so
        // fast speeds step in small batches instead of spinning a core); at "max" only look.
        let wait = match (stepper.playing(), stepper.speed()) {
            (false, _) => IDLE,
            (true, Speed::PerSecond(_)) => match stepper.until_next_step() {
                // Steps are owed already: take them without waiting.
                Duration::ZERO => Duration::ZERO,
                due => due.clamp(BATCH, IDLE),
            },
            (true, Speed::Max) => Duration::ZERO,
        };
        // During long work the thread only looks, so a stop or a new scene is answered within
        // a round, however long the work.
        let wait = if stepper.busy() { Duration::ZERO } else { wait };
        let answered = match inbox.recv_timeout(wait) {
            Ok(message) => {
                stepper.receive(message);
                for message in inbox.try_iter() {
                    stepper.receive(message);
                }
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return stepper,
        };
        let now = Instant::now();
        let elapsed = now.duration_since(last_round).as_secs_f64();
        last_round = now;
        let taken = stepper.round(elapsed, ROUND);
        // What the window asked for shows at once; slow speeds publish every step, fast ones
        // once per frame drawn.
        let slow = matches!(stepper.speed(), Speed::PerSecond(rate) if rate <= 30);
        let since = last_publish.elapsed();
        let frame_due = since >= PUBLISH_EVERY && latest.taken();
        let due = answered || (slow && taken > 0) || frame_due || since >= PUBLISH_AT_LEAST;
        if due && (stepper.version() != published_version || insights.owed()) {
            latest.publish(Arc::new(insights.frame(&stepper, &latest.peek())));
            published_version = stepper.version();
            last_publish = Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_noted_with_its_message_and_a_clean_run_notes_nothing() {
        let failure = Failure::default();
        assert_eq!(noting_failure(&failure, || 7), Some(7));
        assert!(failure.get().is_none());
        let index = 9;
        let stopped: Option<()> =
            noting_failure(&failure, || panic!("index {index} out of bounds"));
        assert!(stopped.is_none());
        assert_eq!(
            failure.get().map(String::as_str),
            Some("index 9 out of bounds")
        );
    }
}
