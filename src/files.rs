//! Where plan and data files come from: the disk, memory, or open buffers over the disk.
//!
//! Every file chitieu reads (a plan, the files it includes, observations, a unit registry) is
//! read through a [`Files`] resolver, so the same pipeline runs on the command line
//! ([`FileSystem`]), in a browser or a test ([`InMemory`]) and in an editor ([`Overlay`]: the
//! buffers the user has open, then the disk).
//!
//! ```
//! use chitieu::files::{Files, InMemory};
//! let mut files = InMemory::new();
//! files.insert("plans/p.yaml", "chitieu: 1\n");
//! assert_eq!(files.read("plans/./p.yaml".as_ref(), 100).unwrap(), b"chitieu: 1\n");
//! assert!(files.read("plans/q.yaml".as_ref(), 100).is_err());
//! ```

use crate::diag::{Common, Diagnostic};
use crate::source::{Location, SourceFile};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// There is no such file.
    #[error("no such file or directory")]
    NotFound,
    /// The path names a folder.
    #[error("is a folder, not a file")]
    Folder,
    /// The path names something that is not a regular file (a device, a pipe, a socket):
    /// reading it could block forever or never end.
    #[error("is not a regular file (a device, pipe or socket)")]
    NotRegular,
    /// The file is larger than the limit.
    #[error("{size} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Its size, or the bytes read before giving up.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading was refused.
    #[error("permission denied")]
    PermissionDenied,
    /// Any other failure, as the operating system described it.
    #[error("{0}")]
    Other(String),
}

impl FileError {
    /// The message in a language (the operating system's own words are kept for `Other`).
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang::{En, Vi};
        match (self, lang) {
            (_, En) => self.to_string(),
            (FileError::NotFound, Vi) => "không tìm thấy tệp hoặc thư mục".into(),
            (FileError::Folder, Vi) => "là một thư mục, không phải tệp".into(),
            (FileError::NotRegular, Vi) => {
                "không phải tệp thông thường (thiết bị, đường ống hoặc socket)".into()
            }
            (FileError::TooLarge { size, limit }, Vi) => {
                format!("{size} byte, vượt giới hạn {limit} byte")
            }
            (FileError::PermissionDenied, Vi) => "không có quyền đọc".into(),
            (FileError::Other(s), Vi) => s.clone(),
        }
    }

    /// A reason ending with one of these errors' English messages, in `lang` (how a
    /// diagnostic that kept the English reason is shown in Vietnamese).
    pub(crate) fn translate(reason: &str, lang: crate::lang::Lang) -> Option<String> {
        let known = [
            FileError::NotFound,
            FileError::Folder,
            FileError::NotRegular,
            FileError::PermissionDenied,
        ];
        known.iter().find_map(|e| {
            let prefix = reason.strip_suffix(e.to_string().as_str())?;
            Some(format!("{prefix}{}", e.message(lang)))
        })
    }

    fn from_io(e: &std::io::Error) -> FileError {
        match e.kind() {
            std::io::ErrorKind::NotFound => FileError::NotFound,
            std::io::ErrorKind::PermissionDenied => FileError::PermissionDenied,
            std::io::ErrorKind::IsADirectory => FileError::Folder,
            _ => FileError::Other(e.to_string()),
        }
    }
}

/// A source of files, by path.
///
/// Paths are as the user wrote them (relative paths relative to the working folder, or to the
/// including file for `include:`).
pub trait Files: Send + Sync {
    /// The bytes of a file, refusing files over `limit` bytes.
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError>;

    /// The identity of a file, to recognise the same file reached by two paths (include
    /// circles, files included twice). Fails when the file does not exist.
    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError>;

    /// A regular file of the disk opened for reading, with its size, so that a large data
    /// file can be read a piece at a time (see `Loader`); `None` when the resolver does not
    /// read it from the disk, or it cannot be opened (then [`read`](Files::read) says why).
    fn open(&self, _path: &Path) -> Option<(std::fs::File, u64)> {
        None
    }
}

/// Files from this size on are read in pieces in parallel (see [`read_in_pieces`]).
#[cfg(unix)]
const PIECES_FROM: usize = 16 << 20;

/// A large file read in pieces of at least 8 MB, each by its own task at its own offset: the
/// kernel's copy of a 100 MB data file takes a few tens of milliseconds of one core. `None`
/// (read it as a whole instead) for a small file, or when the file is no longer `len` bytes.
#[cfg(unix)]
fn read_in_pieces(file: &std::fs::File, len: usize) -> Option<Vec<u8>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    if len < PIECES_FROM {
        return None;
    }
    let mut bytes = vec![0u8; len];
    let piece = len
        .div_ceil(rayon::current_num_threads().max(1))
        .max(8 << 20);
    let read = bytes
        .par_chunks_mut(piece)
        .enumerate()
        .all(|(i, chunk)| file.read_exact_at(chunk, (i * piece) as u64).is_ok());
    // Nothing past the end: the file did not grow since its size was taken.
    (read && matches!(file.read_at(&mut [0u8], len as u64), Ok(0))).then_some(bytes)
}

#[cfg(not(unix))]
fn read_in_pieces(_: &std::fs::File, _: usize) -> Option<Vec<u8>> {
    None
}

/// The disk. Reads are bounded: only regular files are read (a device such as `/dev/zero` or a
/// named pipe is refused before it is opened), and never more than the limit.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileSystem;

impl Files for FileSystem {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        let meta = std::fs::metadata(path).map_err(|e| FileError::from_io(&e))?;
        if meta.is_dir() {
            return Err(FileError::Folder);
        }
        if !meta.is_file() {
            return Err(FileError::NotRegular);
        }
        if meta.len() > limit {
            return Err(FileError::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        let file = std::fs::File::open(path).map_err(|e| FileError::from_io(&e))?;
        if let Some(bytes) = usize::try_from(meta.len())
            .ok()
            .and_then(|len| read_in_pieces(&file, len))
        {
            return Ok(bytes);
        }
        // The file may grow between the size check and the read: read one byte past the limit
        // at most, to tell.
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| FileError::from_io(&e))?;
        let read = bytes.len() as u64;
        if read > limit {
            return Err(FileError::TooLarge { size: read, limit });
        }
        Ok(bytes)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        path.canonicalize().map_err(|e| FileError::from_io(&e))
    }

    fn open(&self, path: &Path) -> Option<(std::fs::File, u64)> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        Some((std::fs::File::open(path).ok()?, meta.len()))
    }
}

/// Files held in memory (a browser page, a language server's buffers, tests), by normalised
/// path: `a/./b/../c.yaml` is `a/c.yaml`.
#[derive(Clone, Debug, Default)]
pub struct InMemory {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl InMemory {
    /// No files.
    pub fn new() -> InMemory {
        InMemory::default()
    }

    /// Adds or replaces a file.
    pub fn insert(&mut self, path: impl AsRef<Path>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(normalise(path.as_ref()), bytes.into());
    }

    /// Removes a file; returns whether it was there.
    pub fn remove(&mut self, path: impl AsRef<Path>) -> bool {
        self.files.remove(&normalise(path.as_ref())).is_some()
    }

    /// Whether a file is there.
    pub fn contains(&self, path: impl AsRef<Path>) -> bool {
        self.files.contains_key(&normalise(path.as_ref()))
    }

    /// The paths held, normalised, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(PathBuf::as_path)
    }
}

impl Files for InMemory {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        let bytes = self
            .files
            .get(&normalise(path))
            .ok_or(FileError::NotFound)?;
        let size = bytes.len() as u64;
        if size > limit {
            return Err(FileError::TooLarge { size, limit });
        }
        Ok(bytes.clone())
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        let path = normalise(path);
        if self.files.contains_key(&path) {
            Ok(path)
        } else {
            Err(FileError::NotFound)
        }
    }
}

/// Files in memory over another resolver: the memory's version of a file wins (an editor's
/// unsaved buffer over the file on disk).
#[derive(Clone, Debug, Default)]
pub struct Overlay<B: Files = FileSystem> {
    /// The files that win.
    pub top: InMemory,
    /// Where other files are read.
    pub base: B,
}

impl<B: Files> Overlay<B> {
    /// `top` over `base`.
    pub fn new(top: InMemory, base: B) -> Overlay<B> {
        Overlay { top, base }
    }
}

impl<B: Files> Files for Overlay<B> {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        if self.top.contains(path) {
            self.top.read(path, limit)
        } else {
            self.base.read(path, limit)
        }
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        if self.top.contains(path) {
            // The buffer's path made absolute the way the disk would, so that a buffer and the
            // disk agree on what is the same file.
            Ok(self.base.canonical(path).unwrap_or_else(|_| absolute(path)))
        } else {
            self.base.canonical(path)
        }
    }

    fn open(&self, path: &Path) -> Option<(std::fs::File, u64)> {
        if self.top.contains(path) {
            None
        } else {
            self.base.open(path)
        }
    }
}

impl<F: Files + ?Sized> Files for &F {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        (**self).read(path, limit)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        (**self).canonical(path)
    }

    fn open(&self, path: &Path) -> Option<(std::fs::File, u64)> {
        (**self).open(path)
    }
}

impl<F: Files + ?Sized> Files for Box<F> {
    fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
        (**self).read(path, limit)
    }

    fn canonical(&self, path: &Path) -> Result<PathBuf, FileError> {
        (**self).canonical(path)
    }

    fn open(&self, path: &Path) -> Option<(std::fs::File, u64)> {
        (**self).open(path)
    }
}

fn absolute(path: &Path) -> PathBuf {
    normalise(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// A path with `.` dropped and `x/..` folded, without asking any file system.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Reads a UTF-8 text file from the disk (a leading byte-order mark is dropped).
///
/// Errors are diagnostics: an unreadable path, a file over `limit` bytes, a device or pipe, or
/// bytes that are not UTF-8 (located at the first bad byte).
pub fn read_file(path: &Path, limit: u64) -> Result<Arc<SourceFile>, Diagnostic> {
    read_with(&FileSystem, path, limit)
}

/// Reads a UTF-8 text file through a resolver, as [`read_file`] does from the disk.
pub fn read_with(
    files: &dyn Files,
    path: &Path,
    limit: u64,
) -> Result<Arc<SourceFile>, Diagnostic> {
    let bytes = read_bytes(files, path, limit)?;
    source_from_bytes(path.display().to_string(), bytes)
}

/// Reads a file's bytes through a resolver; a failure is a diagnostic naming the file.
pub fn read_bytes(files: &dyn Files, path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let shown = path.display().to_string();
    files.read(path, limit).map_err(|e| match e {
        FileError::TooLarge { size, limit } => {
            Diagnostic::in_file(Common::FileTooLarge { size, limit }, shown)
        }
        e => Diagnostic::in_file(
            Common::Io {
                reason: e.to_string(),
            },
            shown,
        ),
    })
}

/// Wraps bytes read from somewhere as a source file, refusing text that is not UTF-8.
pub fn source_from_bytes(path: String, mut bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Lossy decoding keeps every valid byte before the first bad one in place.
            let file = SourceFile::new(path, shown);
            Err(Diagnostic::error(
                Common::NotUtf8,
                Location::new(&file, at, at + '\u{FFFD}'.len_utf8()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(
            normalise("a/./b/../c.yaml".as_ref()),
            PathBuf::from("a/c.yaml")
        );
        assert_eq!(normalise("../x/../y".as_ref()), PathBuf::from("../y"));
        assert_eq!(normalise("/../a".as_ref()), PathBuf::from("/a"));
    }

    #[test]
    fn memory_refuses_files_over_the_limit() {
        let mut m = InMemory::new();
        m.insert("a", vec![0u8; 10]);
        assert_eq!(
            m.read("a".as_ref(), 9),
            Err(FileError::TooLarge { size: 10, limit: 9 })
        );
        assert_eq!(m.read("a".as_ref(), 10).map(|b| b.len()), Ok(10));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_before_they_are_read() {
        assert_eq!(
            FileSystem.read("/dev/zero".as_ref(), 1 << 20),
            Err(FileError::NotRegular)
        );
        assert_eq!(
            FileSystem.read("/".as_ref(), 1 << 20),
            Err(FileError::Folder)
        );
        assert_eq!(
            FileSystem.read("/no/such/file".as_ref(), 1),
            Err(FileError::NotFound)
        );
    }

    #[test]
    fn reasons_are_put_into_vietnamese() {
        use crate::lang::Lang;
        assert_eq!(
            crate::lang::io_reason("x.yaml: no such file or directory", Lang::Vi),
            "x.yaml: không tìm thấy tệp hoặc thư mục"
        );
        assert_eq!(
            crate::lang::io_reason("no such file or directory", Lang::En),
            "no such file or directory"
        );
    }

    #[test]
    fn the_overlay_prefers_memory() {
        let mut top = InMemory::new();
        top.insert("Cargo.toml", "in memory");
        let o = Overlay::new(top, FileSystem);
        assert_eq!(
            o.read("Cargo.toml".as_ref(), 100).as_deref(),
            Ok(&b"in memory"[..])
        );
        assert!(o.read("README.md".as_ref(), 1 << 20).is_ok());
    }
}
