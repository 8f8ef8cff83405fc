//! Reading a project folder: only regular files (checked on the open file, after links are
//! followed, so a FIFO, device or socket is refused without blocking), every read bounded
//! to the size limit + 1 byte whatever the file's metadata says, and a UTF-8 byte order
//! mark at the start of a file removed before anything parses or checksums it.

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Largest migration, seed or configuration file strata reads.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Largest `schema.snapshot.json` strata reads.
pub const MAX_SNAPSHOT_BYTES: u64 = 256 * 1024 * 1024;

/// The UTF-8 encoding of U+FEFF.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a project file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Over the limit: `read` is the file's size (at least what was read).
    TooLarge { read: u64, limit: u64 },
    /// Not a regular file (after following links): what it is.
    NotRegular(&'static str),
    /// The OS refused.
    Io(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::TooLarge { read, limit } => {
                write!(f, "more than {limit} bytes (read {read})")
            }
            FileError::NotRegular(kind) => {
                write!(
                    f,
                    "is {kind}, not a regular file; strata reads only regular files"
                )
            }
            FileError::Io(message) => write!(f, "{message}"),
        }
    }
}

fn kind_of(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    }
}

/// Reads the regular file at `path` (links followed), at most `limit` bytes, without a
/// leading byte order mark. Opening never blocks (a FIFO is refused, not waited on).
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| {
            // A socket cannot be opened at all (ENXIO): say what it is.
            match std::fs::metadata(path) {
                Ok(meta) if !meta.file_type().is_file() => {
                    FileError::NotRegular(kind_of(meta.file_type()))
                }
                _ => FileError::Io(e.to_string()),
            }
        })?;
    let meta = file.metadata().map_err(|e| FileError::Io(e.to_string()))?;
    if !meta.file_type().is_file() {
        return Err(FileError::NotRegular(kind_of(meta.file_type())));
    }
    let mut bytes = Vec::with_capacity((meta.len().min(limit) + 1) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FileError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        // The size the file claims, when it is larger than what was read.
        return Err(FileError::TooLarge {
            read: meta.len().max(bytes.len() as u64),
            limit,
        });
    }
    Ok(strip_bom(bytes))
}

/// `f` applied to every item, in order, spread over a few threads when there are enough
/// items for it to pay (reading and checksumming a thousand migration files is mostly
/// system calls, which run in parallel).
pub fn parallel_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    const PER_THREAD: usize = 64;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4)
        .min(items.len() / PER_THREAD);
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut items = items.into_iter();
    loop {
        let part: Vec<T> = items.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        chunks.push(part);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// `bytes` without a UTF-8 byte order mark at the start.
pub fn strip_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    bytes
}

/// The byte offset of a byte order mark anywhere in `text` (after the start, which the
/// reader already removed).
pub fn inner_bom(text: &str) -> Option<usize> {
    text.find('\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_and_reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.sql");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert_eq!(
            read_regular(&fifo, 100),
            Err(FileError::NotRegular("a FIFO (named pipe)"))
        );
        let zero = dir.path().join("zero.sql");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert_eq!(
            read_regular(&zero, 100),
            Err(FileError::NotRegular("a character device"))
        );
        let big = dir.path().join("big.sql");
        std::fs::write(&big, vec![b'x'; 101]).unwrap();
        assert_eq!(
            read_regular(&big, 100),
            Err(FileError::TooLarge {
                read: 101,
                limit: 100
            })
        );
        let bom = dir.path().join("bom.sql");
        std::fs::write(&bom, b"\xEF\xBB\xBFSELECT 1;").unwrap();
        assert_eq!(read_regular(&bom, 100).unwrap(), b"SELECT 1;");
        assert_eq!(inner_bom("SELECT 1;\u{feff}"), Some(9));
    }
}
