//! Clips: the next frames of the window (or of one arena) exported as an animated GIF or a numbered
//! PNG sequence, encoded on a thread of their own so the window keeps drawing.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;

use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};

use super::capture::ArenaRects;
use super::notices::Notices;

/// Frames a clip from the window's button holds (every other rendered frame: about ten seconds
/// at this machine's frame rates).
pub const CLIP_FRAMES: u32 = 150;

/// One captured frame: width, height, RGBA pixels, and how long it stays on screen (1/100 s).
struct Frame {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
    delay: u16,
}

/// A clip being recorded.
#[derive(Resource)]
pub struct ClipPlan {
    path: PathBuf,
    /// Frames to capture.
    frames: u32,
    /// Capture every this many rendered frames.
    every: u32,
    /// Crop to this arena (its block on screen), if any.
    arena: Option<usize>,
    /// The rectangle of the window cropped to (physical pixels: x, y, width, height), once known.
    crop: Option<[u32; 4]>,
    /// Exit the app when the clip is written (the command line's `--clip`).
    exit_when_done: bool,
    rendered: u32,
    requested: u32,
    captured: u32,
    encoder: Option<(Sender<Frame>, JoinHandle<Result<(), String>>)>,
    progress: Option<indicatif::ProgressBar>,
}

impl ClipPlan {
    /// Records `frames` frames (one every `every` rendered frames) to `path`: a `.gif` file, or
    /// else a folder of `frame-0001.png`, ...; the command line's clips exit when done.
    pub fn new(
        path: PathBuf,
        frames: u32,
        every: u32,
        arena: Option<usize>,
        exit_when_done: bool,
    ) -> Self {
        let progress = exit_when_done.then(|| {
            let bar = indicatif::ProgressBar::new(u64::from(frames.max(1)));
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40.cyan/blue} {pos}/{len} frames  {elapsed}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Self {
            path,
            frames: frames.max(1),
            every: every.max(1),
            arena,
            crop: None,
            exit_when_done,
            rendered: 0,
            requested: 0,
            captured: 0,
            encoder: None,
            progress,
        }
    }

    /// Frames captured so far, of how many.
    pub fn progress(&self) -> (u32, u32) {
        (self.captured, self.frames)
    }
}

/// Records clips when a plan is in place.
pub fn plugin(app: &mut App) {
    app.add_systems(Update, request_frames);
}

fn request_frames(mut commands: Commands, plan: Option<ResMut<ClipPlan>>, rects: Res<ArenaRects>) {
    let Some(mut plan) = plan else { return };
    if let Some(arena) = plan.arena.filter(|_| plan.crop.is_none()) {
        // The arena's place is known once the window has laid it out.
        match rects.0.get(arena) {
            Some(rect) => plan.crop = Some(*rect),
            None => return,
        }
    }
    plan.rendered += 1;
    if plan.requested >= plan.frames || plan.rendered % plan.every != 0 {
        return;
    }
    plan.requested += 1;
    commands
        .spawn(Screenshot::primary_window())
        .observe(receive_frame);
}

/// A captured frame: cropped, halved when large, sent to the encoder; the last one finishes the
/// file and reports where it is.
fn receive_frame(
    captured: On<ScreenshotCaptured>,
    mut commands: Commands,
    plan: Option<ResMut<ClipPlan>>,
    mut notices: ResMut<Notices>,
    time: Res<Time<Real>>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(mut plan) = plan else { return };
    let Ok(image) = captured.image.clone().try_into_dynamic() else {
        return;
    };
    let rgba = image.to_rgba8();
    let (mut width, mut height) = rgba.dimensions();
    let mut pixels = rgba.into_raw();
    if let Some([x, y, w, h]) = plan.crop {
        (pixels, width, height) = crop(&pixels, width, height, [x, y, w, h]);
    }
    if width > 800 {
        (pixels, width, height) = halve(&pixels, width, height);
    }
    // The window is opaque: whatever alpha the capture carries means nothing in a GIF.
    for alpha in pixels.iter_mut().skip(3).step_by(4) {
        *alpha = u8::MAX;
    }
    // The first captures can come before anything is drawn: one colour everywhere. Such a frame
    // is not counted, and another is asked for.
    if pixels.chunks_exact(4).all(|p| p == &pixels[..4]) {
        plan.requested = plan.requested.saturating_sub(1);
        return;
    }
    // Even delays: every frame shows for the same time, `every` frames of a 30 fps window (frames
    // are captured as the window draws them, whose spacing varies with the load), so the clip
    // plays and loops smoothly.
    let delay = (100.0 * f64::from(plan.every) / 30.0)
        .round()
        .clamp(2.0, 100.0) as u16;
    if plan.encoder.is_none() {
        plan.encoder = Some(start_encoder(plan.path.clone(), width, height));
    }
    if let Some((to_encoder, _)) = &plan.encoder {
        let _ = to_encoder.send(Frame {
            width,
            height,
            rgba: pixels,
            delay,
        });
    }
    plan.captured += 1;
    if let Some(bar) = &plan.progress {
        bar.inc(1);
    }
    if plan.captured < plan.frames {
        return;
    }
    let outcome = match plan.encoder.take() {
        Some((to_encoder, thread)) => {
            drop(to_encoder);
            thread
                .join()
                .unwrap_or_else(|_| Err("the clip's encoder stopped".into()))
        }
        None => Err("no frame was captured".into()),
    };
    if let Some(bar) = plan.progress.take() {
        bar.finish_and_clear();
    }
    let message = match &outcome {
        Ok(()) => format!(
            "saved a clip of {} frames to {}",
            plan.frames,
            plan.path.display()
        ),
        Err(e) => format!("{}: {e}", plan.path.display()),
    };
    if plan.exit_when_done {
        match &outcome {
            Ok(()) => println!("{message}"),
            Err(_) => eprintln!("{message}"),
        }
        exit.write(if outcome.is_ok() {
            AppExit::Success
        } else {
            AppExit::error()
        });
    } else {
        notices.push(time.elapsed_secs_f64(), message, outcome.is_err());
    }
    commands.remove_resource::<ClipPlan>();
}

/// The encoder thread: a GIF (`.gif`) or numbered PNGs in a folder, frame by frame as they come.
fn start_encoder(
    path: PathBuf,
    width: u32,
    height: u32,
) -> (Sender<Frame>, JoinHandle<Result<(), String>>) {
    let (to_encoder, frames) = channel::<Frame>();
    let thread = std::thread::spawn(move || {
        let gif = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gif"));
        if gif {
            write_gif(&path, width, height, frames.iter())
        } else {
            std::fs::create_dir_all(&path).map_err(|e| format!("cannot make the folder: {e}"))?;
            for (n, frame) in frames.iter().enumerate() {
                write_png(&path.join(format!("frame-{:04}.png", n + 1)), &frame)?;
            }
            Ok(())
        }
    });
    (to_encoder, thread)
}

fn write_gif(
    path: &Path,
    width: u32,
    height: u32,
    frames: impl Iterator<Item = Frame>,
) -> Result<(), String> {
    let temporary = path.with_extension("gif.part");
    let file = std::fs::File::create(&temporary).map_err(|e| format!("cannot write: {e}"))?;
    let size = |n: u32| u16::try_from(n).map_err(|_| "the frame is too large for a GIF".to_owned());
    let mut encoder = gif::Encoder::new(
        std::io::BufWriter::new(file),
        size(width)?,
        size(height)?,
        &[],
    )
    .map_err(|e| format!("cannot write: {e}"))?;
    encoder
        .set_repeat(gif::Repeat::Infinite)
        .map_err(|e| format!("cannot write: {e}"))?;
    for mut frame in frames {
        if frame.width != width || frame.height != height {
            continue; // the window was resized meanwhile: a GIF keeps one size
        }
        let mut gif_frame = gif::Frame::from_rgba_speed(
            size(frame.width)?,
            size(frame.height)?,
            &mut frame.rgba,
            10,
        );
        gif_frame.delay = frame.delay;
        encoder
            .write_frame(&gif_frame)
            .map_err(|e| format!("cannot write: {e}"))?;
    }
    drop(encoder);
    std::fs::rename(&temporary, path).map_err(|e| format!("cannot write: {e}"))
}

fn write_png(path: &Path, frame: &Frame) -> Result<(), String> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), frame.width, frame.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&frame.rgba))
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// The `[x, y, w, h]` part of an RGBA image (clamped to it).
fn crop(pixels: &[u8], width: u32, height: u32, [x, y, w, h]: [u32; 4]) -> (Vec<u8>, u32, u32) {
    let x = x.min(width.saturating_sub(1));
    let y = y.min(height.saturating_sub(1));
    let w = w.clamp(1, width - x);
    let h = h.clamp(1, height - y);
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    for row in y..y + h {
        let start = ((row * width + x) * 4) as usize;
        out.extend_from_slice(&pixels[start..start + (w * 4) as usize]);
    }
    (out, w, h)
}

/// An RGBA image at half the size, each pixel the mean of four.
fn halve(pixels: &[u8], width: u32, height: u32) -> (Vec<u8>, u32, u32) {
    let (w, h) = ((width / 2).max(1), (height / 2).max(1));
    let mut out = vec![0u8; (w * h * 4) as usize];
    for y in 0..h {
        for x in 0..w {
            for c in 0..4 {
                let at = |dx: u32, dy: u32| {
                    let (sx, sy) = ((2 * x + dx).min(width - 1), (2 * y + dy).min(height - 1));
                    u32::from(pixels[((sy * width + sx) * 4 + c) as usize])
                };
                let mean = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4;
                out[((y * w + x) * 4 + c) as usize] = mean as u8;
            }
        }
    }
    (out, w, h)
}
