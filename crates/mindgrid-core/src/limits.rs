//! The documented limits on every file and count mindgrid takes from outside, and the one bounded
//! reader every file goes through: a file from a stranger can never make mindgrid read without end.
//!
//! The README's "Limits" table lists the same numbers; each is enforced where the file or argument
//! is read.

use std::path::Path;

/// A kind of file mindgrid reads, with the most bytes it takes of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A scene (`.ron`).
    Scene,
    /// A lesson (`.ron`).
    Lesson,
    /// A recording (`.mgrec`): the scene's text and the command log.
    Recording,
    /// A checkpoint (`.ckpt`): a whole trained experiment.
    Checkpoint,
    /// The window's settings (`MINDGRID_CONFIG` or the user's config folder).
    Settings,
}

impl FileKind {
    /// The most bytes a file of this kind may hold.
    pub const fn most_bytes(self) -> u64 {
        match self {
            FileKind::Scene | FileKind::Lesson => 1 << 20,
            // A scene and a long session's command log (a few dozen bytes a command).
            FileKind::Recording => 64 << 20,
            // The largest experiment a snapshot may decode to, with the checkpoint's header.
            FileKind::Checkpoint => crate::snapshot::MOST_BYTES as u64 + 64,
            FileKind::Settings => 64 << 10,
        }
    }

    /// The kind in words, for messages.
    pub const fn noun(self) -> &'static str {
        match self {
            FileKind::Scene => "scene",
            FileKind::Lesson => "lesson",
            FileKind::Recording => "recording",
            FileKind::Checkpoint => "checkpoint",
            FileKind::Settings => "settings file",
        }
    }
}

/// Bytes in words: "1 MiB", "64 KiB", "2,048 bytes".
pub fn bytes_in_words(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads a whole file of `kind`, at most its limit: a regular file or a pipe (`<(…)`, standard
/// input by `/dev/stdin`), never a device, folder or socket. At most the limit plus one byte is
/// read, so an endless stream is refused as soon as it passes the limit. The message names the
/// file and says what was expected, without echoing any of its contents.
pub fn read_limited(path: &Path, kind: FileKind) -> Result<Vec<u8>, String> {
    let name = path.display();
    let noun = kind.noun();
    let most = kind.most_bytes();
    let bytes = crate::files::read_at_most(path, most).map_err(|failure| match failure {
        crate::files::ReadFailure::Io(e) => format!("{name}: cannot read the {noun}: {e}"),
        crate::files::ReadFailure::NotAFile(is) => {
            format!("{name}: cannot read the {noun}: it is {is}; expected a {noun} file")
        }
    })?;
    if bytes.len() as u64 > most {
        return Err(format!(
            "{name}: the {noun} is larger than {}, the most a {noun} may have; expected a {noun} file",
            bytes_in_words(most)
        ));
    }
    Ok(bytes)
}

/// [`read_limited`], as UTF-8 text.
pub fn read_text(path: &Path, kind: FileKind) -> Result<String, String> {
    let bytes = read_limited(path, kind)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: the {} is not UTF-8 text (byte {} is not); expected a {} file",
            path.display(),
            kind.noun(),
            e.utf8_error().valid_up_to() + 1,
            kind.noun()
        )
    })
}

/// Most episodes per arena a headless run (`run --episodes`, a recording's `Episodes`) may ask
/// for: every episode's record is kept for the CSV (32 bytes each, at most 8 arenas: 256 MB).
pub const MAX_RUN_EPISODES: u32 = 1_000_000;
/// Most lockstep steps a replay, a warm-up (`--warmup`, a lesson's `WarmUp`) or a benchmark may
/// ask for. A recording from the window refuses to save a longer session.
pub const MAX_RUN_STEPS: u64 = 10_000_000;
/// Most seeds one `run --seeds` may average (their outcomes are summed as they finish, so memory
/// does not grow with the count).
pub const MAX_RUN_SEEDS: u64 = 1_000_000;
/// Most threads a run may use.
pub const MAX_THREADS: usize = 256;
/// Most claims in one lesson (claims over the same runs share their training).
pub const MAX_CLAIMS: usize = 64;

/// Checks a count from the command line or a file: within `1..=most`, or a message naming it.
pub fn check_count<T: PartialOrd + From<u8> + std::fmt::Display + Copy>(
    name: &str,
    value: T,
    most: T,
) -> Result<T, String> {
    if value < T::from(1) || value > most {
        return Err(format!("{name} is {value}; expected 1 to {most}"));
    }
    Ok(value)
}

/// Text from a file made safe for a terminal: control characters (escape sequences, carriage
/// returns, bells) are written as `\u{…}` escapes, so a file cannot clear the screen or set the
/// title when its text is printed.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[2Jb\r\n"), "a\\u{1b}[2Jb\\r\\n");
        assert_eq!(printable("Épisode 3 — ok"), "Épisode 3 — ok");
    }

    #[test]
    fn counts_outside_their_range_are_refused() {
        assert!(check_count("--seeds", 0u64, 10).is_err());
        assert!(check_count("--seeds", 11u64, 10).is_err());
        assert_eq!(check_count("--seeds", 10u64, 10), Ok(10));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_without_reading() {
        let zero = read_limited(Path::new("/dev/zero"), FileKind::Scene).unwrap_err();
        assert!(zero.contains("device"), "{zero}");
        let folder = read_limited(Path::new("/"), FileKind::Scene).unwrap_err();
        assert!(folder.contains("folder"), "{folder}");
    }

    #[test]
    fn a_file_past_its_limit_is_refused() {
        let file = std::env::temp_dir().join(format!("mindgrid-limit-{}", std::process::id()));
        std::fs::write(
            &file,
            vec![b' '; (FileKind::Settings.most_bytes() + 1) as usize],
        )
        .unwrap();
        let refused = read_limited(&file, FileKind::Settings).unwrap_err();
        assert!(refused.contains("64 KiB"), "{refused}");
        std::fs::write(&file, b"ok").unwrap();
        assert_eq!(read_limited(&file, FileKind::Settings).unwrap(), b"ok");
        let _ = std::fs::remove_file(file);
    }
}
