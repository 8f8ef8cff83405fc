//! Bounded reads of regular files only: the file is checked on the open descriptor, after
//! links are followed, so a FIFO, device or socket is refused without blocking; every read
//! stops at the limit + 1 byte whatever the file's metadata says; a UTF-8 byte order mark
//! at the start is removed. Used for every file strata reads that a user names or a
//! project holds (migrations, configuration, password and certificate files, snapshots).

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// Largest file a user names that strata reads whole (a password file, a project file).
pub const MAX_NAMED_FILE_BYTES: u64 = 16 * 1024 * 1024;

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
    read_regular_stat(path, limit).map(|(bytes, _)| bytes)
}

/// As [`read_regular`], with the file's metadata as it was when opened (before the read).
pub fn read_regular_stat(
    path: &Path,
    limit: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), FileError> {
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
    Ok((strip_bom(bytes), meta))
}

/// `bytes` without a UTF-8 byte order mark at the start.
pub fn strip_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    bytes
}
