//! Before and while the window opens: a missing display or graphics adapter is one clear line and
//! exit code 2, not a panic with a backtrace.

/// Exit code when the window cannot open for want of a display or a graphics adapter.
pub const NO_GRAPHICS: u8 = 2;

/// What to do instead, said after every graphics error.
const ADVICE: &str = "run it under an X server (for example `xvfb-run -a mindgrid ...`), install \
    a Vulkan driver (your GPU's, or Mesa's software one: `apt install mesa-vulkan-drivers`), or use \
    `mindgrid run SCENE` to run headless";

/// Checks that an X display is named (the window is built for X11; `XWayland` provides one under
/// Wayland).
pub fn check_display() -> Result<(), String> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        // Other platforms have no DISPLAY; the renderer reports what is missing.
        return Ok(());
    }
    match std::env::var_os("DISPLAY") {
        Some(display) if !display.is_empty() => Ok(()),
        _ => Err(format!(
            "mindgrid: no display: DISPLAY is not set, so the window cannot open; {ADVICE}"
        )),
    }
}

/// Turns the renderer's and the windowing system's start-up panics (no usable graphics adapter,
/// a display that cannot be opened) into one line on standard error and exit code
/// [`NO_GRAPHICS`]; any other panic is reported as usual.
pub fn exit_cleanly_without_graphics() {
    let usual = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        let what = if message.contains("Unable to find a GPU") {
            Some("no usable graphics adapter (no Vulkan driver answered)".to_owned())
        } else if message.contains("Failed to build event loop") || message.contains("XOpenDisplay")
        {
            Some(format!(
                "the display {:?} cannot be opened",
                std::env::var("DISPLAY").unwrap_or_default()
            ))
        } else {
            None
        };
        match what {
            Some(what) => {
                eprintln!("mindgrid: {what}; {ADVICE}");
                std::process::exit(i32::from(NO_GRAPHICS));
            }
            None => usual(info),
        }
    }));
}
