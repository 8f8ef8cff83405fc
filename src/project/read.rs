//! Reading a project folder: only regular files (checked on the open file, after links are
//! followed, so a FIFO, device or socket is refused without blocking), every read bounded
//! to the size limit + 1 byte whatever the file's metadata says, and a UTF-8 byte order
//! mark at the start of a file removed before anything parses or checksums it.

use std::path::Path;

pub use crate::bounded::{read_regular, read_regular_stat, strip_bom, FileError, BOM};

use super::cache::Cache;
use super::{LoadError, ProjectFile};

/// Largest migration, seed or configuration file strata reads.
pub const MAX_FILE_BYTES: u64 = crate::bounded::MAX_NAMED_FILE_BYTES;
/// Largest `schema.snapshot.json` strata reads.
pub const MAX_SNAPSHOT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads schema.toml, migrations/ (two levels) and seeds/ of a project directory. Files
/// that cannot be read are kept with their error so the loader can name them.
pub(super) fn read_dir_files(
    dir: &Path,
    cache: Option<&Cache>,
) -> Result<Vec<ProjectFile>, LoadError> {
    let mut files = Vec::new();
    let root_err = |e: std::io::Error| LoadError::Unreadable {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    if !dir.is_dir() {
        return Err(LoadError::MissingConfig {
            path: dir.display().to_string(),
        });
    }
    for (name, limit) in [
        ("schema.toml", MAX_FILE_BYTES),
        ("schema.snapshot.json", MAX_SNAPSHOT_BYTES),
    ] {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_ok() {
            files.push(ProjectFile {
                rel: name.into(),
                contents: read_regular(&path, limit),
            });
        }
    }
    let mut found = Vec::new();
    let stat = cache.is_some();
    walk(dir, Path::new("migrations"), 0, stat, &mut found).map_err(root_err)?;
    walk(dir, Path::new("seeds"), 0, false, &mut found).map_err(root_err)?;
    // A script the cache answers is not read: only the others are spread over threads (a
    // thousand answered scripts are a thousand lookups, less than starting a thread).
    let answered = |(rel, path): &Found| match (cache, path) {
        (_, None) => true,
        (Some(cache), Some((_, Some(meta)))) => {
            rel.starts_with("migrations/") && cache.hit(rel, meta)
        }
        _ => false,
    };
    files.extend(parallel_map_unless(
        found,
        answered,
        |(rel, path), answered| ProjectFile {
            contents: match path {
                Some((path, _)) if !answered => read_script(cache, &rel, &path),
                _ => Ok(Vec::new()),
            },
            rel,
        },
    ));
    Ok(files)
}

/// A file or folder `walk` found: its path relative to the root, where to read it (a
/// folder has nothing to read), and for the checksum cache the stat of a regular file.
type Found = (
    String,
    Option<(std::path::PathBuf, Option<std::fs::Metadata>)>,
);

/// Lists a folder of the project (sorted, four levels at most). With `stat`, a regular file
/// is stat'ed relative to its open folder as it is listed (a short lookup, not the whole
/// path again); a link is not, so the reader follows it and reads its target in full.
fn walk(
    root: &Path,
    rel: &Path,
    depth: usize,
    stat: bool,
    out: &mut Vec<Found>,
) -> std::io::Result<()> {
    let abs = root.join(rel);
    if !abs.is_dir() {
        return Ok(());
    }
    // Each name taken once (not once per comparison); names in a folder are unique.
    let mut entries: Vec<_> = std::fs::read_dir(&abs)?
        .map(|e| e.map(|e| (e.file_name(), e)))
        .collect::<Result<_, _>>()?;
    entries.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    for (name, entry) in entries {
        let name = name.to_string_lossy();
        let child_rel = rel.join(&*name);
        let rel_text = child_rel.to_string_lossy().replace('\\', "/");
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            if depth < 3 {
                // Record the folder itself so an empty undeclared phase is still seen.
                out.push((format!("{rel_text}/"), None));
                walk(root, &child_rel, depth + 1, stat, out)?;
            }
            continue;
        }
        // For a regular file, the entry's metadata (not following links) is the file's.
        let meta = (stat && file_type.is_file())
            .then(|| entry.metadata().ok())
            .flatten();
        out.push((rel_text, Some((entry.path(), meta))));
    }
    Ok(())
}

/// Reads one file of the project the cache did not answer; with a cache, a migration
/// script's stat on the open file is noted for its new entry.
fn read_script(cache: Option<&Cache>, rel: &str, path: &Path) -> Result<Vec<u8>, FileError> {
    let Some(cache) = cache.filter(|_| rel.starts_with("migrations/")) else {
        return read_regular(path, MAX_FILE_BYTES);
    };
    let (bytes, meta) = read_regular_stat(path, MAX_FILE_BYTES)?;
    cache.note_read(rel, &meta);
    Ok(bytes)
}

/// `f` applied to every item, in order, told whether `cheap` held for it: the cheap items
/// in this thread, the others through [`parallel_map`].
pub fn parallel_map_unless<T: Send, R: Send>(
    items: Vec<T>,
    cheap: impl Fn(&T) -> bool,
    f: impl Fn(T, bool) -> R + Sync,
) -> Vec<R> {
    let mut out: Vec<Option<R>> = Vec::with_capacity(items.len());
    let mut heavy = Vec::new();
    for item in items {
        if cheap(&item) {
            out.push(Some(f(item, true)));
        } else {
            heavy.push((out.len(), item));
            out.push(None);
        }
    }
    for (index, result) in parallel_map(heavy, |(index, item)| (index, f(item, false))) {
        out[index] = Some(result);
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| unreachable!("every item was mapped")))
        .collect()
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
