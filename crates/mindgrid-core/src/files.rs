//! Where mindgrid's files live: on the desktop, the disk; in the browser, which has no disk, a
//! folder in memory holding the shipped scenes and lessons, the files the student opened, and what
//! the app wrote (each write also leaves as a download). Scenes, lessons, checkpoints, recordings
//! and saves are read and written through here, so they work the same way on both (the desktop's
//! own settings file, clips and hot reload's file times use the disk directly).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A folder of files in memory: the browser's stand-in for the disk. Paths are kept tidy
/// (`lessons/../scenes/a.ron` is `scenes/a.ron`), so a lesson finds its scenes as on disk.
#[derive(Debug, Default)]
pub struct MemoryFolder {
    files: BTreeMap<PathBuf, Vec<u8>>,
    /// Files written since [`MemoryFolder::take_written`] last took them, in order.
    written: Vec<PathBuf>,
}

impl MemoryFolder {
    /// Puts a file in (a shipped one, or one the student opened); not counted as written.
    pub fn put(&mut self, path: &Path, bytes: Vec<u8>) {
        self.files.insert(tidy(path), bytes);
    }

    /// Writes a file, as the app's saves do: it is kept and counted as written.
    pub fn write(&mut self, path: &Path, bytes: Vec<u8>) {
        let path = tidy(path);
        self.written.retain(|p| p != &path);
        self.written.push(path.clone());
        self.files.insert(path, bytes);
    }

    /// A file's bytes.
    pub fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(&tidy(path)).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no such file in the browser's folder",
            )
        })
    }

    /// Whether a file is there.
    pub fn exists(&self, path: &Path) -> bool {
        self.files.contains_key(&tidy(path))
    }

    /// The files directly in `folder`.
    pub fn list(&self, folder: &Path) -> Vec<PathBuf> {
        let folder = tidy(folder);
        self.files
            .keys()
            .filter(|p| p.parent().unwrap_or(Path::new("")) == folder)
            .cloned()
            .collect()
    }

    /// The files written since the last call, with their bytes, oldest first.
    pub fn take_written(&mut self) -> Vec<(PathBuf, Vec<u8>)> {
        std::mem::take(&mut self.written)
            .into_iter()
            .filter_map(|path| self.files.get(&path).cloned().map(|bytes| (path, bytes)))
            .collect()
    }
}

/// `a/./b/../c` as `a/c`, without touching any disk (a `..` with nothing to undo stays).
pub fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::sync::{Mutex, MutexGuard};

    use super::MemoryFolder;

    /// The browser's one folder (the page is single-threaded; the lock only satisfies `static`).
    static FOLDER: Mutex<Option<MemoryFolder>> = Mutex::new(None);

    /// Runs `body` on the folder.
    pub fn with<T>(body: impl FnOnce(&mut MemoryFolder) -> T) -> T {
        let mut folder: MutexGuard<'_, Option<MemoryFolder>> =
            FOLDER.lock().unwrap_or_else(|e| e.into_inner());
        body(folder.get_or_insert_with(MemoryFolder::default))
    }
}

/// The browser's folder in memory (only in the web build), for the app to fill and empty.
#[cfg(target_arch = "wasm32")]
pub fn in_browser<T>(body: impl FnOnce(&mut MemoryFolder) -> T) -> T {
    browser::with(body)
}

/// Opens a file for reading at most `most + 1` bytes. On disk it must be a regular file or a pipe
/// (a device, folder or socket is refused with what it is).
pub(crate) fn read_at_most(path: &Path, most: u64) -> Result<Vec<u8>, ReadFailure> {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = most;
        browser::with(|folder| folder.read(path)).map_err(ReadFailure::Io)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Read as _;
        let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
        let what = file.metadata().map_err(ReadFailure::Io)?.file_type();
        #[cfg(unix)]
        let pipe = std::os::unix::fs::FileTypeExt::is_fifo(&what);
        #[cfg(not(unix))]
        let pipe = false;
        if !(what.is_file() || pipe) {
            return Err(ReadFailure::NotAFile(if what.is_dir() {
                "a folder"
            } else {
                "a device or socket, not a file"
            }));
        }
        let mut bytes = Vec::new();
        file.take(most + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadFailure::Io)?;
        Ok(bytes)
    }
}

/// Why a read failed.
#[derive(Debug)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) enum ReadFailure {
    /// The system's error (missing, not allowed, ...).
    Io(io::Error),
    /// It is not a file: what it is.
    NotAFile(&'static str),
}

/// Writes `bytes` to `path` so that a crash never leaves half a file: on disk a temporary file
/// beside it, flushed, then renamed over it; in the browser, into its folder and out as a
/// download.
pub fn write_atomically(path: &Path, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    #[cfg(target_arch = "wasm32")]
    {
        browser::with(|folder| folder.write(path, bytes.as_ref().to_vec()));
        Ok(())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Write as _;
        let name = path
            .file_name()
            .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
        let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(bytes.as_ref())?;
            file.sync_all()?;
            std::fs::rename(&temporary, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }
}

/// Whether a file (or, on disk, anything) is at `path`.
pub fn exists(path: &Path) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        browser::with(|folder| folder.exists(path))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        path.exists()
    }
}

/// The entries directly in `folder` (none when it cannot be read).
pub fn list(folder: &Path) -> Vec<PathBuf> {
    #[cfg(target_arch = "wasm32")]
    {
        browser::with(|memory| memory.list(folder))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::fs::read_dir(folder)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_folder_reads_lists_and_hands_out_what_was_written() {
        let mut folder = MemoryFolder::default();
        folder.put(Path::new("scenes/a.ron"), b"A".to_vec());
        folder.put(Path::new("scenes/b.ron"), b"B".to_vec());
        folder.put(Path::new("lessons/l.ron"), b"L".to_vec());
        assert_eq!(
            folder.read(Path::new("lessons/../scenes/./b.ron")).unwrap(),
            b"B"
        );
        assert!(folder.read(Path::new("scenes/c.ron")).is_err());
        assert_eq!(
            folder.list(Path::new("scenes")),
            vec![PathBuf::from("scenes/a.ron"), PathBuf::from("scenes/b.ron")]
        );
        assert!(
            folder.take_written().is_empty(),
            "shipped files are not downloads"
        );
        folder.write(Path::new("scenes/a-edited.ron"), b"A2".to_vec());
        folder.write(Path::new("scenes/a.ron"), b"A3".to_vec());
        folder.write(Path::new("scenes/a-edited.ron"), b"A4".to_vec());
        assert!(folder.exists(Path::new("scenes/a-edited.ron")));
        assert_eq!(
            folder.take_written(),
            vec![
                (PathBuf::from("scenes/a.ron"), b"A3".to_vec()),
                (PathBuf::from("scenes/a-edited.ron"), b"A4".to_vec()),
            ]
        );
        assert!(folder.take_written().is_empty());
    }
}
