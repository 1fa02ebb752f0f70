//! The web build: the same window in a browser tab. The page's URL chooses what opens
//! (`?scene=NAME`, `?lesson=NAME&slide=N`, or `?run=NAME&episodes=N` for a headless run that
//! prints its CSV's hash); the shipped scenes and lessons live in the browser's folder in memory;
//! a scene or recording comes from the computer by the file picker or by dropping it on the page;
//! what the app saves leaves as a download. The stepping runs inside each frame ([`Sim`]'s
//! browser driver), since the page has no threads; `app::run_page` plugs the window together.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::egui;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;

use super::command::{AppCommand, FileCommand};
use super::notices::Notices;
use super::scene_file::SceneFile;
use super::sim::Sim;
use crate::experiment::Experiment;
use crate::stepping::ToSim;

/// The scene opened when the URL names none: the same as the desktop app's.
const DEFAULT_SCENE: &str = "scenes/showcase.ron";
/// Where files opened from the computer are kept in the browser's folder (a lesson there finds
/// the shipped scenes as `../scenes/NAME.ron`, as it would beside them on disk).
const OPENED: &str = "opened";

thread_local! {
    /// Files the student chose or dropped, read and waiting for the next frame: name, text.
    static ARRIVED: RefCell<Vec<(String, Result<String, String>)>> = const { RefCell::new(Vec::new()) };
}

/// Starts the page: puts the shipped files in the browser's folder and reads the URL. A headless
/// run is done here; for the window, what it should open is handed back (`app::run_page` opens
/// it).
pub fn start() -> Option<Opening> {
    crate::files::in_browser(|folder| {
        for (path, text) in crate::shipped::SHIPPED {
            folder.put(Path::new(path), text.as_bytes().to_vec());
        }
    });
    let asked = Asked::from_url();
    if let Some(name) = &asked.run {
        run_headless(name, asked.episodes, asked.seed);
        return None;
    }
    listen_for_dropped_files();
    asked.opening()
}

/// What the page's URL asks for.
#[derive(Debug, Default)]
struct Asked {
    scene: Option<String>,
    lesson: Option<String>,
    slide: usize,
    run: Option<String>,
    episodes: u32,
    seed: Option<u64>,
}

/// What the window opens on: a scene (the one asked for, or the default), and a lesson to present.
pub struct Opening {
    /// The scene's path in the browser's folder.
    pub path: PathBuf,
    /// The scene, loaded.
    pub loaded: crate::scene::LoadedScene,
    /// The lesson asked for, from its slide.
    pub presenter: Option<super::lesson::Presenter>,
    /// What the URL asked for that did not open, for a notice.
    pub problem: Option<String>,
}

impl Asked {
    fn from_url() -> Self {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return Self::default();
        };
        let number = |key: &str| params.get(key).and_then(|v| v.trim().parse::<u64>().ok());
        Self {
            scene: params.get("scene"),
            lesson: params.get("lesson"),
            slide: number("slide").map_or(0, |n| n.saturating_sub(1) as usize),
            run: params.get("run"),
            episodes: number("episodes").map_or(100, |n| {
                n.clamp(1, u64::from(crate::limits::MAX_RUN_EPISODES)) as u32
            }),
            seed: number("seed"),
        }
    }
}

impl Asked {
    /// The scene and lesson the window opens on; a name that does not load is said in the
    /// console (an error) and the default scene opens.
    fn opening(&self) -> Option<Opening> {
        let mut problem = None;
        let mut failed = |errors: Vec<crate::scene::Diagnostic>| {
            for e in &errors {
                console(&e.to_string(), true);
            }
            problem = errors.first().map(ToString::to_string);
        };
        let presenter = self.lesson.as_deref().and_then(|name| {
            crate::lesson::load(&shipped_path("lessons", name))
                .map(|lesson| super::lesson::Presenter::new(lesson, self.slide))
                .map_err(&mut failed)
                .ok()
        });
        let path = match (&presenter, &self.scene) {
            (Some(presenter), _) => presenter.lesson.scenes[presenter.slide].0.clone(),
            (None, Some(name)) => shipped_path("scenes", name),
            (None, None) => PathBuf::from(DEFAULT_SCENE),
        };
        let (path, loaded) = match crate::scene::load(&path) {
            Ok(loaded) => (path, loaded),
            Err(errors) => {
                failed(errors);
                let path = PathBuf::from(DEFAULT_SCENE);
                (path.clone(), crate::scene::load(&path).ok()?)
            }
        };
        Some(Opening {
            path,
            loaded,
            presenter,
            problem: problem.map(|p| format!("{p}; opened {DEFAULT_SCENE} instead")),
        })
    }
}

/// `NAME`, `NAME.ron` or `folder/NAME.ron` as a shipped file's path in `folder`.
fn shipped_path(folder: &str, name: &str) -> PathBuf {
    let name = name.trim().trim_start_matches(&format!("{folder}/"));
    let name = name.strip_suffix(".ron").unwrap_or(name);
    PathBuf::from(format!("{folder}/{name}.ron"))
}

/// Says a line in the browser's console (an error as an error, which the browser test catches).
fn console(line: &str, error: bool) {
    if error {
        web_sys::console::error_1(&JsValue::from_str(line));
    } else {
        web_sys::console::log_1(&JsValue::from_str(line));
    }
}

/// FNV-1a, 64 bits: the CSV's fingerprint, printed here and computed the same way from the
/// desktop's `mindgrid run` by the browser test.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `?run=NAME`: the scene headless for `episodes` episodes, as `mindgrid run` does, and its
/// CSV's hash and size in the console and on the page.
fn run_headless(name: &str, episodes: u32, seed: Option<u64>) {
    let path = shipped_path("scenes", name);
    let line = match crate::scene::load(&path) {
        Ok(mut loaded) => {
            if let Some(seed) = seed {
                loaded.scene.seed = seed;
            }
            let mut experiment = Experiment::new(loaded.scene);
            experiment.run_episodes(episodes, |_| {});
            let csv = experiment.metrics_csv();
            format!(
                "mindgrid-run {} episodes={episodes} csv-fnv1a64={:016x} csv-bytes={}",
                path.display(),
                fnv1a64(csv.as_bytes()),
                csv.len()
            )
        }
        Err(errors) => {
            let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
            console(&said.join("\n"), true);
            return;
        }
    };
    console(&line, false);
    if let Some(body) = web_sys::window().and_then(|w| w.document()?.body()) {
        body.set_inner_text(&line);
    }
}

/// The page's own systems: files arriving and leaving, the tab's title, the first frame's time,
/// and leaving a lesson.
pub fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        open_arrived_files.in_set(super::order::AppSystems::Input),
    )
    .add_systems(Last, (download_written_files, follow_title, count_frames));
}

/// Opens the file picker; the chosen file is read and opened at the next frame.
pub fn browse() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(input) = document
        .create_element("input")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    input.set_type("file");
    input.set_accept(".ron,.mgrec");
    let chosen = input.clone();
    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Some(file) = chosen.files().and_then(|files| files.get(0)) {
            read_arrived(file);
        }
    });
    input.set_onchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    input.click();
}

/// Lets a file dropped anywhere on the page open as if chosen in the picker.
fn listen_for_dropped_files() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // Without this the browser opens a dropped file itself, leaving the page.
    let over = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
    });
    let drop = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        event.prevent_default();
        let file = event
            .dyn_ref::<web_sys::DragEvent>()
            .and_then(web_sys::DragEvent::data_transfer)
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            read_arrived(file);
        }
    });
    let _ = document.add_event_listener_with_callback("dragover", over.as_ref().unchecked_ref());
    let _ = document.add_event_listener_with_callback("drop", drop.as_ref().unchecked_ref());
    over.forget();
    drop.forget();
}

/// Reads a chosen or dropped file (at most a recording's size limit) and queues it for the next
/// frame.
fn read_arrived(file: web_sys::File) {
    let name = file.name();
    let most = crate::limits::FileKind::Recording.most_bytes();
    if file.size() > most as f64 {
        let said = format!(
            "{name}: larger than {}, more than any scene or recording may have",
            crate::limits::bytes_in_words(most)
        );
        ARRIVED.with(|queue| queue.borrow_mut().push((name, Err(said))));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| format!("{name}: the browser could not read it as text"));
        ARRIVED.with(|queue| queue.borrow_mut().push((name, text)));
    });
}

/// Opens what arrived: a scene (or a lesson, presented) by its extension `.ron`, a recording by
/// `.mgrec`; anything else, or a file that does not load, is a notice and the run goes on.
fn open_arrived_files(
    mut writer: MessageWriter<AppCommand>,
    mut notices: ResMut<Notices>,
    mut sim: ResMut<Sim>,
    mut file: ResMut<SceneFile>,
    time: Res<Time<Real>>,
) {
    let arrived = ARRIVED.with(|queue| std::mem::take(&mut *queue.borrow_mut()));
    let now = time.elapsed_secs_f64();
    for (name, text) in arrived {
        let text = match text {
            Ok(text) => text,
            Err(said) => {
                notices.push(now, said, true);
                continue;
            }
        };
        let path = Path::new(OPENED).join(Path::new(&name).file_name().unwrap_or_default());
        crate::files::in_browser(|folder| folder.put(&path, text.clone().into_bytes()));
        match path.extension().and_then(|e| e.to_str()) {
            Some("ron") if crate::lesson::is_lesson(&text) => {
                writer.write(FileCommand::Present(path).into());
            }
            Some("ron") => {
                writer.write(FileCommand::OpenScene(path).into());
            }
            Some("mgrec") => {
                let display = path.display().to_string();
                let opened = crate::recording::Recording::from_text(&text, &display)
                    .and_then(|recording| Ok((recording.scene(&display)?, recording)));
                match opened {
                    Ok((scene, recording)) => {
                        sim.send(ToSim::Replace(Box::new(scene)));
                        let scene_text = recording.scene.clone();
                        sim.run_recording(recording);
                        sim.select(0);
                        *file = SceneFile::of_recording(path, scene_text);
                    }
                    Err(e) => notices.push(now, e, true),
                }
            }
            _ => notices.push(
                now,
                format!("{name}: expected a scene or lesson (.ron) or a recording (.mgrec)"),
                true,
            ),
        }
    }
}

/// Hands each file the app wrote (a saved scene, checkpoint, recording) to the browser as a
/// download, and says so. A scene stays readable in the browser's folder (it may be the open
/// one); a checkpoint's or recording's bytes are freed, its name kept so the next gets a new one.
fn download_written_files(mut notices: ResMut<Notices>, time: Res<Time<Real>>) {
    let written = crate::files::in_browser(|folder| folder.take_written());
    for (path, bytes) in written {
        let name = path
            .file_name()
            .map_or_else(|| "mindgrid".into(), |n| n.to_string_lossy().into_owned());
        let now = time.elapsed_secs_f64();
        match download(&name, &bytes) {
            Ok(()) => notices.push(
                now,
                format!("downloaded {name} (see the browser's downloads)"),
                false,
            ),
            Err(e) => notices.push(
                now,
                format!("{name}: the browser refused the download: {e:?}"),
                true,
            ),
        }
        if path.extension().is_none_or(|e| e != "ron") {
            crate::files::in_browser(|folder| folder.put(&path, Vec::new()));
        }
    }
}

/// Offers `bytes` as a file called `name` to download.
fn download(name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Freed a minute later: some browsers read the file after the click has returned.
    let free = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    web_sys::window()
        .ok_or("no window")?
        .set_timeout_with_callback_and_timeout_and_arguments_0(free.unchecked_ref(), 60_000)?;
    Ok(())
}

/// The tab's title names the open scene (the browser test looks for it there).
fn follow_title(sim: Res<Sim>, mut shown: Local<String>) {
    let title = super::window::title(&sim.frame().scene.title);
    if *shown != title
        && let Some(document) = web_sys::window().and_then(|w| w.document())
    {
        document.set_title(&title);
        *shown = title;
    }
}

/// Counts frames into `window.mindgrid_frames`, and notes the page's time at the second frame
/// (the first one drawn and shown) as `window.mindgrid_first_frame_ms`: what the browser test
/// reads.
fn count_frames(mut frames: Local<u32>) {
    *frames += 1;
    let Some(window) = web_sys::window() else {
        return;
    };
    let set = |key: &str, value: f64| {
        let _ = js_sys::Reflect::set(&window, &JsValue::from_str(key), &JsValue::from_f64(value));
    };
    set("mindgrid_frames", f64::from(*frames));
    if *frames == 2
        && let Some(now) = window.performance().map(|p| p.now())
    {
        set("mindgrid_first_frame_ms", now);
        console(
            &format!("mindgrid: first frame shown at {now:.0} ms"),
            false,
        );
    }
}

/// The shipped lessons in the scene picker: each is presented in place (Esc twice leaves it, on
/// its slide's scene).
pub fn lesson_links(ui: &mut egui::Ui, commands: &mut Vec<AppCommand>) {
    ui.separator();
    ui.label(egui::RichText::new("lessons (presenter mode)").weak());
    for (path, _) in crate::shipped::SHIPPED {
        let Some(name) = path
            .strip_prefix("lessons/")
            .and_then(|n| n.strip_suffix(".ron"))
        else {
            continue;
        };
        if ui.selectable_label(false, name).clicked() {
            commands.push(FileCommand::Present(PathBuf::from(path)).into());
        }
    }
}
