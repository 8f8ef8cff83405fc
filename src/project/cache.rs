//! The checksum cache of `status`: per migration script, what loading it derived (the up
//! script's two checksums and its directives), keyed by the file's (device, inode, size,
//! mtime, ctime). A script whose stat matches its entry is not read, split or hashed; any
//! difference recomputes it. Entries younger than the moment the cache was written ("racy",
//! as git calls them) are never trusted. The cache is `<project>/.strata/cache/checksums.json`:
//! strata's own regular file (never a link), read bounded, written through a new file renamed
//! into place, and ignored and rebuilt when it is unreadable, corrupt, or of another format
//! or strata build. A project strata cannot write to simply works without it.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Raised whenever what an entry holds or means changes.
const FORMAT: u32 = 1;
/// The folder inside the project's `.strata/`, and the file in it.
pub const CACHE_DIR: &str = "cache";
pub const FILE_NAME: &str = "checksums.json";
/// Largest cache file read (a million scripts fit).
const MAX_CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// How much older than the cache's writing a file's mtime and ctime must be for its entry to
/// be trusted: file system clocks tick coarsely (a few ms on Linux, 2 s on FAT), so a file
/// changed in the same tick as it was stat'ed keeps its timestamps.
const RACY_MARGIN_NS: i64 = 2_000_000_000;

/// What identifies one version of a file: any write changes the ctime (which no one can set
/// back), a replaced file changes the inode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i64,
    ctime_ns: i64,
}

impl Key {
    pub fn of(meta: &std::fs::Metadata) -> Key {
        Key {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            ctime_ns: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        }
    }

    /// True when the file last changed safely before `at_ns`.
    fn settled_before(&self, at_ns: i64) -> bool {
        self.mtime_ns.saturating_add(RACY_MARGIN_NS) <= at_ns
            && self.ctime_ns.saturating_add(RACY_MARGIN_NS) <= at_ns
    }
}

/// What the loader derives from an up script and `status` needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpFacts {
    pub checksum: String,
    pub checksum_normalized: String,
    pub no_transaction: bool,
    pub squashes: Vec<i64>,
}

/// One script that loaded without a problem: its key, and for an up script its facts (a
/// down script only needs to have passed the checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    key: Key,
    pub up: Option<UpFacts>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    build: String,
    written_ns: i64,
    entries: BTreeMap<String, Entry>,
}

/// The cache during one load: the entries read, the ones this load used or made.
#[derive(Debug)]
pub struct Cache {
    project: PathBuf,
    build: String,
    /// When this load started, before any file was stat'ed: the new cache's writing time.
    started_ns: i64,
    /// The entries read, each with whether this load used it (no allocation on a hit).
    old: BTreeMap<String, (Entry, AtomicBool)>,
    old_written_ns: i64,
    /// Keys of the scripts read in full this time (relative path → key at open).
    read_keys: Mutex<BTreeMap<String, Key>>,
    /// Entries of scripts read in full this time.
    added: Mutex<BTreeMap<String, Entry>>,
    /// True once a script was answered from the cache (and so not read).
    any_hit: AtomicBool,
}

fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos().min(i64::MAX as u128) as i64)
}

/// This strata build: its version and the executable's identity, so a rebuilt binary (whose
/// lexer or checksum may differ) starts a new cache.
fn build_id() -> String {
    let exe = std::fs::metadata("/proc/self/exe")
        .map(|m| Key::of(&m))
        .map(|k| format!("{}:{}:{}:{}", k.dev, k.ino, k.size, k.mtime_ns))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION"))
}

/// The euid of this process.
fn euid() -> u32 {
    // SAFETY: no preconditions.
    unsafe { libc::geteuid() }
}

impl Cache {
    /// The cache of the project at `dir` (empty when there is none or it cannot be used).
    pub fn open(dir: &Path) -> Cache {
        let started_ns = now_ns();
        let build = build_id();
        let (old, old_written_ns) = match read_file(dir) {
            Some(f) if f.format == FORMAT && f.build == build => (
                f.entries
                    .into_iter()
                    .map(|(rel, e)| (rel, (e, AtomicBool::new(false))))
                    .collect(),
                f.written_ns,
            ),
            _ => (BTreeMap::new(), 0),
        };
        Cache {
            project: dir.to_path_buf(),
            build,
            started_ns,
            old,
            old_written_ns,
            read_keys: Mutex::default(),
            added: Mutex::default(),
            any_hit: AtomicBool::new(false),
        }
    }

    /// The entry for the script `rel`, when the file's stat (`meta`, links followed as the
    /// reader follows them) matches it and it is not racy.
    pub fn hit(&self, rel: &str, meta: &std::fs::Metadata) -> bool {
        let key = Key::of(meta);
        let Some((entry, used)) = self.old.get(rel) else {
            return false;
        };
        if !meta.file_type().is_file()
            || entry.up.is_some() != rel.ends_with(".up.sql")
            || entry.key != key
            || !key.settled_before(self.old_written_ns)
        {
            return false;
        }
        used.store(true, Relaxed);
        self.any_hit.store(true, Relaxed);
        true
    }

    /// True when some script was not read (its facts came from the cache).
    pub fn any_hit(&self) -> bool {
        self.any_hit.load(Relaxed)
    }

    /// The entry a [`Cache::hit`] found for `rel` in this load.
    pub fn cached(&self, rel: &str) -> Option<&Entry> {
        let (entry, used) = self.old.get(rel)?;
        if !used.load(Relaxed) || lock(&self.read_keys).contains_key(rel) {
            return None;
        }
        Some(entry)
    }

    /// The file `rel` was read in full; `meta` is its stat taken on the open file before it
    /// was read (a change during the read gives it a newer key).
    pub fn note_read(&self, rel: &str, meta: &std::fs::Metadata) {
        lock(&self.read_keys).insert(rel.to_string(), Key::of(meta));
    }

    /// The script `rel`, read in full, loaded without a problem.
    pub fn loaded(&self, rel: &str, up: Option<UpFacts>) {
        let Some(key) = lock(&self.read_keys).get(rel).cloned() else {
            return;
        };
        if key.settled_before(self.started_ns) {
            lock(&self.added).insert(rel.to_string(), Entry { key, up });
        }
    }

    /// After a load that succeeded: writes the cache when it changed. A failure (a
    /// read-only project, a `.strata/` of another user) leaves the project without a cache.
    pub fn save(self) {
        let added = self.added.into_inner().unwrap_or_else(|e| e.into_inner());
        if added.is_empty() && self.old.values().all(|(_, used)| used.load(Relaxed)) {
            return;
        }
        // The entries this load used (a file gone or changed loses its entry), and the new.
        let mut entries: BTreeMap<String, Entry> = self
            .old
            .into_iter()
            .filter(|(_, (_, used))| used.load(Relaxed))
            .map(|(rel, (entry, _))| (rel, entry))
            .collect();
        entries.extend(added);
        let file = CacheFile {
            format: FORMAT,
            build: self.build,
            written_ns: self.started_ns,
            entries,
        };
        let Ok(bytes) = serde_json::to_vec(&file) else {
            return;
        };
        let _ = write_file(&self.project, &bytes);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The cache file, when it is strata's own regular file (this user's, not a link), within
/// the bound, and parses.
fn read_file(dir: &Path) -> Option<CacheFile> {
    use crate::local::files::Dir;
    let cache_dir = Dir::open(&dir.join(".strata")).ok()?.sub(CACHE_DIR).ok()?;
    if cache_dir.owner_uid().ok()? != euid() {
        return None;
    }
    let file = cache_dir.open_file(FILE_NAME).ok()??;
    if file.metadata().ok()?.uid() != euid() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_CACHE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_CACHE_BYTES {
        return None;
    }
    serde_json::from_slice(&bytes).ok()
}

/// Writes the cache: `.strata/` made as the local database makes it (the server's user's,
/// mode 0700) when missing, `cache/` inside it this user's; the file replaced by rename.
fn write_file(dir: &Path, bytes: &[u8]) -> Result<(), crate::local::LocalError> {
    use crate::local::files::ensure_dir;
    let who = crate::local::RunAs::detect()?;
    let (root, _) = ensure_dir(&dir.join(".strata"), who.server, 0o700)?;
    let (cache_dir, _) = ensure_dir(&root.path.join(CACHE_DIR), who.invoker, 0o700)?;
    cache_dir.write(FILE_NAME, bytes, 0o600, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racy_entries_are_not_trusted() {
        let key = Key {
            dev: 1,
            ino: 2,
            size: 3,
            mtime_ns: 10 * 1_000_000_000,
            ctime_ns: 10 * 1_000_000_000,
        };
        assert!(!key.settled_before(10 * 1_000_000_000));
        assert!(!key.settled_before(11 * 1_000_000_000));
        assert!(key.settled_before(12 * 1_000_000_000));
        let newer_ctime = Key {
            ctime_ns: 11 * 1_000_000_000,
            ..key
        };
        assert!(!newer_ctime.settled_before(12 * 1_000_000_000));
    }
}
