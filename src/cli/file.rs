//! Output files written whole or not at all: through a temporary file in the same folder,
//! synced, then renamed into place. The bytes are written by a thread of their own, in large
//! chunks, while the command goes on computing the rest of them.
//!
//! Whole chunks are written with direct I/O where the system has it (Linux): straight from
//! the chunk to the device, without the kernel's copy into the page cache, and already on the
//! device when the final `fsync` comes. A national history (271 MB) written through the page
//! cache left a serial `fsync` of 0.14 s after its last byte (2 ms now), and its copy competed
//! with the evaluation for the cores.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::report::Output;

/// How many bytes the writing thread writes at a time.
const CHUNK: usize = 4 << 20;

/// The alignment direct I/O asks of memory, file offsets and lengths: the page size, a
/// multiple of the logical block size of common devices.
const ALIGN: usize = 4096;

/// Chunks in use at most: one being filled, one being written, one waiting to be.
const CHUNKS: usize = 3;

/// Writes a file through a temporary file in the same folder and a rename, so that a reader
/// never sees half a file: `path` holds the old content or the whole new one, and the new one
/// is on the disk (synced) before it is renamed into place. The new file keeps the old one's
/// permissions.
///
/// `write` gets a writer that needs no buffering of its own: what it is given is copied into
/// large chunks, written by another thread as they fill up, and the last one when `write`
/// returns. Its `flush` writes nothing. It is also an [`Output`]: text can be formatted
/// straight into its chunks, without that copy.
pub(crate) fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut Chunked) -> io::Result<()>,
) -> io::Result<()> {
    stage(path, write)?.commit()
}

/// A hidden path beside `path`, in the same folder (so that a rename onto `path` is atomic),
/// named after it, this process and `what` (`tmp`, `old`): the temporary files of atomic writes.
pub(crate) fn sibling(path: &Path, what: &str) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.chitieu-{}.{what}", std::process::id()))
}

/// Writes the temporary file of [`write_atomic`] and leaves it to be synced and renamed into
/// place by [`Staged::commit`]: returns once `write` has given every byte, while the last
/// chunks are still being written, so that what waits on the device (those writes, the sync,
/// the rename) can overlap with other work, such as freeing the memory the output was
/// computed from.
pub(crate) fn stage(
    path: &Path,
    write: impl FnOnce(&mut Chunked) -> io::Result<()>,
) -> io::Result<Staged> {
    let tmp = sibling(path, "tmp");
    let file = File::create(&tmp)?;
    // From here on, dropping `staged` (an error included) removes the temporary file.
    let mut staged = Staged {
        file,
        tmp,
        path: path.to_path_buf(),
        writing: Writing::default(),
        done: false,
    };
    let direct = staged.tmp.clone();
    staged.writing = write_chunked(
        staged.file.try_clone()?,
        move || open_direct(&direct),
        write,
    )?;
    Ok(staged)
}

/// A temporary file whose bytes were all given, maybe not all written yet, not synced nor
/// renamed into place. Dropped without [`Staged::commit`] (or when that fails), it is removed.
pub(crate) struct Staged {
    file: File,
    tmp: PathBuf,
    path: PathBuf,
    /// The thread writing the last chunks.
    writing: Writing,
    done: bool,
}

impl Staged {
    /// Waits for the last chunks to be written, syncs the file, gives it the permissions of
    /// the file it replaces, and renames it into place.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        self.writing.wait()?;
        self.file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(&self.path) {
            std::fs::set_permissions(&self.tmp, meta.permissions())?;
        }
        std::fs::rename(&self.tmp, &self.path)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            // No write may land after the removal.
            let _ = self.writing.wait();
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The thread writing an output's chunks: its result, and the chunks it hands back. Both the
/// thread's end and the chunks' release unmap memory, which waits for any other unmapping in
/// the process (the data a command frees meanwhile: 20-50 ms for a national workload's), so
/// neither is waited for before the result: the thread is joined and the chunks freed only
/// when this is dropped.
#[derive(Debug, Default)]
struct Writing {
    thread: Option<std::thread::JoinHandle<()>>,
    result: Option<Receiver<io::Result<()>>>,
    spent: Option<Receiver<Chunk>>,
}

impl Writing {
    /// Waits until the thread has written everything: its error, if it had one (once).
    fn wait(&mut self) -> io::Result<()> {
        match self.result.take() {
            Some(result) => result
                .recv()
                .unwrap_or_else(|_| Err(io::Error::other("the writing thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A second handle on `path` that writes past the page cache, where the system has one.
#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_: &Path) -> Option<File> {
    None
}

/// Runs `write` with a [`Chunked`] writer while a thread writes its chunks to `file` from its
/// start: whole chunks through the handle `direct` opens (the first time one is full), if it
/// does, the rest through `file`. Returns the thread, still writing the last chunks, once
/// `write` is done; or the first error, the writing thread's before `write`'s (which then only
/// says that the thread stopped).
fn write_chunked(
    file: File,
    direct: impl FnOnce() -> Option<File> + Send + 'static,
    write: impl FnOnce(&mut Chunked) -> io::Result<()>,
) -> io::Result<Writing> {
    let (full_tx, full_rx) = sync_channel::<Chunk>(CHUNKS);
    let (free_tx, free_rx) = sync_channel::<Chunk>(CHUNKS);
    let (result_tx, result_rx) = sync_channel(1);
    let thread = std::thread::Builder::new()
        .name("chitieu-write".into())
        .spawn(move || {
            let _ = result_tx.send(write_chunks(&file, direct, &full_rx, &free_tx));
        })?;
    let mut writing = Writing {
        thread: Some(thread),
        result: Some(result_rx),
        spent: None,
    };
    let mut chunked = Chunked {
        chunk: None,
        made: 0,
        full: full_tx,
        free: free_rx,
    };
    let written = write(&mut chunked).and_then(|()| chunked.finish());
    // Closing the channel of full chunks lets the writer end even when `write` failed; the
    // chunks handed back are kept (see [`Writing`]).
    let Chunked { full, free, .. } = chunked;
    drop(full);
    writing.spent = Some(free);
    match written {
        Ok(()) => Ok(writing),
        Err(e) => Err(writing.wait().err().unwrap_or(e)),
    }
}

/// A chunk of output: its bytes start at an aligned address inside `buf` (after `start`
/// bytes of padding) and run to the vector's end. A full chunk has `CHUNK` bytes; a chunk
/// being filled may go past that by what was formatted into its spare room (at least
/// [`SPARE`] bytes past `CHUNK`), which then starts the next chunk.
struct Chunk {
    buf: Vec<u8>,
    start: usize,
}

/// The room past a chunk's `CHUNK` bytes, for text formatted into it (see [`Output`]): a
/// series of a national history takes 7 kB; more room asked for makes a larger chunk.
const SPARE: usize = 64 << 10;

impl Chunk {
    /// An empty chunk with room for `CHUNK` bytes and `spare` more.
    fn new(spare: usize) -> Chunk {
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + ALIGN + spare.max(SPARE));
        // Always below ALIGN for bytes; a misaligned chunk would only make direct I/O refuse it.
        let start = buf.as_ptr().align_offset(ALIGN).min(ALIGN);
        buf.resize(start, 0);
        Chunk { buf, start }
    }

    fn bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    fn is_full(&self) -> bool {
        self.len() == CHUNK
    }

    fn clear(&mut self) {
        self.buf.truncate(self.start);
    }

    /// Whether `room` more bytes fit without moving the vector.
    fn fits(&self, room: usize) -> bool {
        self.buf.capacity() - self.buf.len() >= room
    }
}

/// The writing end: bytes are copied, or formatted, into chunks, and each full chunk is
/// passed to the writing thread, which hands it back once written.
pub(crate) struct Chunked {
    /// The chunk being filled.
    chunk: Option<Chunk>,
    /// How many chunks were allocated (at most [`CHUNKS`]).
    made: usize,
    full: SyncSender<Chunk>,
    free: Receiver<Chunk>,
}

fn stopped() -> io::Error {
    io::Error::other("the output's writing thread stopped")
}

impl Chunked {
    /// An empty chunk with `spare` bytes of room past `CHUNK`: one handed back, a new one
    /// while fewer than [`CHUNKS`] exist, or else the next one handed back (replaced by a
    /// larger one when it has too little room).
    fn empty(&mut self, spare: usize) -> io::Result<Chunk> {
        let mut chunk = match self.free.try_recv() {
            Ok(c) => c,
            Err(_) if self.made < CHUNKS => {
                self.made += 1;
                Chunk::new(spare)
            }
            Err(_) => self.free.recv().map_err(|_| stopped())?,
        };
        chunk.clear();
        if !chunk.fits(CHUNK + spare) {
            chunk = Chunk::new(spare);
        }
        Ok(chunk)
    }

    /// The chunk being filled, with room for `room` more bytes and fewer than `CHUNK` bytes:
    /// once a chunk holds `CHUNK` bytes or more, its first `CHUNK` are passed to the writing
    /// thread and the rest start the next chunk.
    fn filling(&mut self, room: usize) -> io::Result<&mut Chunk> {
        let mut chunk = match self.chunk.take() {
            Some(c) => c,
            None => self.empty(room)?,
        };
        while chunk.len() >= CHUNK {
            let rest = chunk.bytes().get(CHUNK..).unwrap_or_default();
            let mut next = self.empty(room)?;
            if !next.fits(rest.len() + room) {
                next = Chunk::new(rest.len() + room);
            }
            next.buf.extend_from_slice(rest);
            chunk.buf.truncate(chunk.start + CHUNK);
            self.full.send(chunk).map_err(|_| stopped())?;
            chunk = next;
        }
        if !chunk.fits(room) {
            // More than any chunk's spare room: a larger chunk, aligned as well.
            let mut larger = Chunk::new(chunk.len() + room);
            larger.buf.extend_from_slice(chunk.bytes());
            chunk = larger;
        }
        Ok(self.chunk.insert(chunk))
    }

    /// Passes the last chunks to the writing thread.
    fn finish(&mut self) -> io::Result<()> {
        if self.chunk.as_ref().is_some_and(|c| c.len() > CHUNK) {
            self.filling(0)?;
        }
        match self.chunk.take() {
            Some(c) => self.full.send(c).map_err(|_| stopped()),
            None => Ok(()),
        }
    }
}

impl Write for Chunked {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        let chunk = self.filling(0)?;
        // Fewer than CHUNK bytes in the chunk: these fit in it.
        let n = CHUNK.saturating_sub(chunk.len()).min(data.len());
        chunk
            .buf
            .extend_from_slice(data.get(..n).unwrap_or_default());
        if chunk.is_full()
            && let Some(full) = self.chunk.take()
        {
            self.full.send(full).map_err(|_| stopped())?;
        }
        Ok(n)
    }

    /// The chunks are written as they fill up, and the last one when the writing ends.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Text is formatted straight into the chunk being filled: no copy on the way to the file
/// but that of what goes past a chunk's end, a series at most.
impl Output for Chunked {
    fn room(&mut self, room: usize) -> io::Result<&mut Vec<u8>> {
        Ok(&mut self.filling(room)?.buf)
    }

    /// The last chunks are passed on when the writing ends.
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The writing thread: writes the chunks it receives one after the other from the start of
/// `file`, and hands each back. A whole chunk goes through the direct handle while that one
/// writes; when it refuses one (a file system without direct I/O for it, a device with larger
/// blocks), that chunk and the rest go through `file`, where any real error (a full disk) is
/// seen again and returned.
fn write_chunks(
    file: &File,
    direct: impl FnOnce() -> Option<File>,
    full: &Receiver<Chunk>,
    free: &SyncSender<Chunk>,
) -> io::Result<()> {
    let mut direct = Some(direct);
    let mut handle: Option<File> = None;
    let mut offset = 0;
    for chunk in full {
        if chunk.is_full()
            && let Some(open) = direct.take()
        {
            handle = open();
        }
        let sent = chunk.is_full()
            && handle
                .as_ref()
                .is_some_and(|d| write_at(d, chunk.bytes(), offset).is_ok());
        if !sent {
            if chunk.is_full() {
                handle = None;
            }
            write_at(file, chunk.bytes(), offset)?;
        }
        offset += chunk.bytes().len() as u64;
        // A closed channel only means that nothing more will be written.
        let _ = free.send(chunk);
    }
    Ok(())
}

fn write_at(mut file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 7 % 251) as u8).collect()
    }

    /// Writes `data` in pieces of `piece` bytes through `write_atomic`.
    fn write_pieces(path: &Path, data: &[u8], piece: usize) -> io::Result<()> {
        write_atomic(path, |w| {
            for p in data.chunks(piece) {
                w.write_all(p)?;
            }
            w.flush()
        })
    }

    #[test]
    fn files_of_any_size_are_written_whole() {
        let dir = tempfile_dir("sizes");
        for n in [
            0,
            1,
            ALIGN - 1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            // More chunks than exist: they are handed back and filled again.
            3 * CHUNK + 12_345,
        ] {
            let path = dir.join(format!("out-{n}"));
            let data = bytes(n);
            write_pieces(&path, &data, 1_000_003).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), data, "{n} bytes");
        }
        // Nothing left behind but the files.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 7);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn text_formatted_into_the_chunks_is_written_in_order() {
        // Pieces appended to the lent buffers (past a chunk's end, the rest carried to the
        // next one), some larger than a chunk's spare room, some more than a whole chunk,
        // between plain writes: the file is every byte in order.
        let dir = tempfile_dir("lent");
        let path = dir.join("out");
        let data = bytes(9 * CHUNK + 4_321);
        let sizes = [7_000, SPARE + 1, 3, CHUNK + 5, 0, 150_000, 1];
        let file = File::create(&path).unwrap();
        let direct = path.clone();
        write_chunked(
            file,
            move || open_direct(&direct),
            |w| {
                let mut rest = data.as_slice();
                for (i, size) in sizes.iter().cycle().enumerate() {
                    if rest.is_empty() {
                        break;
                    }
                    let (piece, after) = rest.split_at((*size).min(rest.len()));
                    rest = after;
                    if i % 3 == 2 {
                        w.write_all(piece)?;
                        continue;
                    }
                    let buf = w.room(piece.len())?;
                    let (at, capacity) = (buf.as_ptr(), buf.capacity());
                    buf.extend_from_slice(piece);
                    // The room asked for was there: the buffer did not move.
                    assert_eq!((buf.as_ptr(), buf.capacity()), (at, capacity));
                }
                Ok(())
            },
        )
        .and_then(|mut writing| writing.wait())
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn chunks_are_aligned_however_large() {
        for spare in [0, SPARE, 3 * CHUNK + 1] {
            let c = Chunk::new(spare);
            assert_eq!(c.bytes().as_ptr().align_offset(ALIGN), 0);
            assert!(c.fits(CHUNK + spare));
        }
    }

    #[test]
    fn chunks_refused_by_direct_io_are_written_through_the_file() {
        // A direct handle that cannot write (opened read-only) refuses the first whole chunk:
        // it and every other chunk are written through the file.
        let dir = tempfile_dir("refused");
        let path = dir.join("out");
        let data = bytes(5 * CHUNK + 77);
        let file = File::create(&path).unwrap();
        let direct = path.clone();
        write_chunked(
            file,
            move || File::open(direct).ok(),
            |w| w.write_all(&data),
        )
        .and_then(|mut writing| writing.wait())
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile_dir("failed");
        let path = dir.join("out");
        std::fs::write(&path, b"old").unwrap();
        let data = bytes(2 * CHUNK + 5);
        let err = write_atomic(&path, |w| {
            w.write_all(&data)?;
            Err(io::Error::other("stopped midway"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stopped midway");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_staged_file_is_in_place_only_once_committed() {
        let dir = tempfile_dir("staged");
        let path = dir.join("out");
        std::fs::write(&path, b"old").unwrap();
        let data = bytes(CHUNK + 3);
        let mut staged = stage(&path, |w| w.write_all(&data)).unwrap();
        // Written in full beside the old file, which is still there.
        staged.writing.wait().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read(&staged.tmp).unwrap(), data);
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        // Dropped without a commit: the temporary file goes, the old file stays.
        let staged = stage(&path, |w| w.write_all(b"new")).unwrap();
        drop(staged);
        assert_eq!(std::fs::read(&path).unwrap(), data);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_writing_threads_error_is_the_one_returned() {
        // A file opened read-only: the thread's first write fails, and that is the error
        // returned, not the producer's "stopped".
        let dir = tempfile_dir("readonly");
        let path = dir.join("out");
        std::fs::write(&path, b"").unwrap();
        let file = File::open(&path).unwrap();
        let data = bytes(4 * CHUNK);
        let err = write_chunked(file, || None, |w| w.write_all(&data)).unwrap_err();
        assert_ne!(err.to_string(), stopped().to_string());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_error_writing_the_last_chunks_is_seen_when_they_are_waited_for() {
        // Bytes all given before the (read-only) file refuses them: the writing goes on after
        // `write_chunked` returns, and waiting for it (as `Staged::commit` does first) gives
        // the thread's error; the old file stays.
        let dir = tempfile_dir("late");
        let path = dir.join("out");
        std::fs::write(&path, b"old").unwrap();
        let file = File::open(&path).unwrap();
        let mut writing = write_chunked(file, || None, |w| w.write_all(b"new")).unwrap();
        assert!(writing.wait().is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "chitieu-file-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
