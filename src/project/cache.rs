//! The checksum cache of `status`: per migration script, what loading it derived (the up
//! script's two checksums and its directives), keyed by the file's (device, inode, size,
//! mtime, ctime). A script whose stat matches its entry is not read, split or hashed; any
//! difference recomputes it. Entries younger than the moment the cache was written ("racy",
//! as git calls them) are never trusted. The cache is `<project>/.strata/cache/checksums`:
//! strata's own regular file (never a link), read bounded, written through a new file renamed
//! into place, and ignored and rebuilt when it is unreadable, corrupt, or of another format
//! or strata build. A project strata cannot write to simply works without it.
//!
//! The file is text, one line per script, so a thousand entries parse in well under a
//! millisecond: a header line naming the format, `build <strata build>`, `written <ns>`,
//! then per script its tab-separated relative path, device, inode, size, mtime and ctime
//! (ns), and for an up script its checksum, normalized checksum, `1`/`0` for
//! `no-transaction` and the comma-separated versions it squashes. A path holding a tab, a
//! line break or a backslash is not cached (it is read every time).

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Mutex;

/// The first line of the file; its number is raised whenever what an entry holds or means
/// changes (format 1 was JSON, in `checksums.json`).
const HEADER: &str = "strata checksum cache 2";
/// The folder inside the project's `.strata/`, and the file in it.
pub const CACHE_DIR: &str = "cache";
pub const FILE_NAME: &str = "checksums";
/// Largest cache file read (a million scripts fit).
const MAX_CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// How much older than the cache's writing a file's mtime and ctime must be for its entry to
/// be trusted: file system clocks tick coarsely (a few ms on Linux, 2 s on FAT), so a file
/// changed in the same tick as it was stat'ed keeps its timestamps.
const RACY_MARGIN_NS: i64 = 2_000_000_000;

/// What identifies one version of a file: any write changes the ctime (which no one can set
/// back), a replaced file changes the inode.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpFacts {
    pub checksum: String,
    pub checksum_normalized: String,
    pub no_transaction: bool,
    pub squashes: Vec<i64>,
}

/// One script that loaded without a problem: its key, and for an up script its facts (a
/// down script only needs to have passed the checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    key: Key,
    pub up: Option<UpFacts>,
}

#[derive(Debug, PartialEq, Eq)]
struct CacheFile {
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
            Some(f) if f.build == build => (
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
            build: self.build,
            written_ns: self.started_ns,
            entries,
        };
        let _ = write_file(&self.project, file.to_text().as_bytes());
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
    CacheFile::parse(std::str::from_utf8(&bytes).ok()?)
}

impl CacheFile {
    /// The file's text (see the module's documentation).
    fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut text = String::with_capacity(64 + self.entries.len() * 200);
        let _ = write!(
            text,
            "{HEADER}\nbuild {}\nwritten {}\n",
            self.build, self.written_ns
        );
        for (rel, Entry { key, up }) in &self.entries {
            if rel.contains(['\t', '\n', '\r', '\\']) {
                continue;
            }
            let Key {
                dev,
                ino,
                size,
                mtime_ns,
                ctime_ns,
            } = key;
            let _ = write!(text, "{rel}\t{dev}\t{ino}\t{size}\t{mtime_ns}\t{ctime_ns}");
            if let Some(up) = up {
                let squashes: Vec<String> = up.squashes.iter().map(i64::to_string).collect();
                let _ = write!(
                    text,
                    "\t{}\t{}\t{}\t{}",
                    up.checksum,
                    up.checksum_normalized,
                    u8::from(up.no_transaction),
                    squashes.join(",")
                );
            }
            text.push('\n');
        }
        text
    }

    /// The file read back; `None` when anything in it is not as [`CacheFile::to_text`]
    /// writes it (another format, a truncated or edited file).
    fn parse(text: &str) -> Option<CacheFile> {
        let mut lines = text.strip_suffix('\n')?.split('\n');
        if lines.next()? != HEADER {
            return None;
        }
        let build = lines.next()?.strip_prefix("build ")?.to_string();
        let written_ns = lines.next()?.strip_prefix("written ")?.parse().ok()?;
        let mut entries = BTreeMap::new();
        for line in lines {
            let mut fields = line.split('\t');
            let mut next = || fields.next();
            let rel = next()?;
            let key = Key {
                dev: next()?.parse().ok()?,
                ino: next()?.parse().ok()?,
                size: next()?.parse().ok()?,
                mtime_ns: next()?.parse().ok()?,
                ctime_ns: next()?.parse().ok()?,
            };
            let up = match next() {
                None => None,
                Some(checksum) => {
                    let checksum_normalized = next()?;
                    let no_transaction = match next()? {
                        "1" => true,
                        "0" => false,
                        _ => return None,
                    };
                    let squashes = match next()? {
                        "" => Vec::new(),
                        list => list
                            .split(',')
                            .map(|v| v.parse().ok())
                            .collect::<Option<_>>()?,
                    };
                    let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
                    if !hex(checksum) || !hex(checksum_normalized) || next().is_some() {
                        return None;
                    }
                    Some(UpFacts {
                        checksum: checksum.to_string(),
                        checksum_normalized: checksum_normalized.to_string(),
                        no_transaction,
                        squashes,
                    })
                }
            };
            if rel.is_empty() || rel.contains('\r') || rel.contains('\\') {
                return None;
            }
            if entries.insert(rel.to_string(), Entry { key, up }).is_some() {
                return None;
            }
        }
        Some(CacheFile {
            build,
            written_ns,
            entries,
        })
    }
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

    fn sample() -> CacheFile {
        let key = |ino| Key {
            dev: 2049,
            ino,
            size: 74,
            mtime_ns: 1_764_000_000_123_456_789,
            ctime_ns: -5,
        };
        let up = |squashes: Vec<i64>, no_transaction| UpFacts {
            checksum: "a".repeat(64),
            checksum_normalized: "0123456789abcdef".repeat(4),
            no_transaction,
            squashes,
        };
        let mut entries = BTreeMap::new();
        entries.insert(
            "migrations/1_a/1_x.up.sql".to_string(),
            Entry {
                key: key(1),
                up: Some(up(vec![], false)),
            },
        );
        entries.insert(
            "migrations/1_a/1_x.down.sql".to_string(),
            Entry {
                key: key(2),
                up: None,
            },
        );
        entries.insert(
            "migrations/1_a/9_squash.up.sql".to_string(),
            Entry {
                key: key(3),
                up: Some(up(vec![1, 2, -3], true)),
            },
        );
        CacheFile {
            build: "0.1.0 2049:77:22070504:1764882000000000000".into(),
            written_ns: 1_764_882_000_000_000_000,
            entries,
        }
    }

    #[test]
    fn the_file_reads_back_as_written() {
        let file = sample();
        let text = file.to_text();
        assert_eq!(text.lines().count(), 3 + 3);
        assert_eq!(CacheFile::parse(&text), Some(file));
        let empty = CacheFile {
            entries: BTreeMap::new(),
            ..sample()
        };
        assert_eq!(CacheFile::parse(&empty.to_text()), Some(empty));
    }

    #[test]
    fn a_file_not_exactly_as_written_is_not_trusted() {
        let text = sample().to_text();
        let sum = "a".repeat(64);
        let broken = [
            String::new(),
            text.replace("cache 2", "cache 1"),
            text.replace("cache 2", "cache 3"),
            text.trim_end().to_string(),
            text[..text.len() / 2].to_string(),
            text.replace("\tfalse", "\tmaybe").replace("\t0\t", "\tx\t"),
            text.replace(&sum, &sum[..63]),
            text.replace(&sum, &"g".repeat(64)),
            text.replace("1,2,-3", "1,,3"),
            text.replace("written ", "written x"),
            text.replace("\t2049\t", "\t-2049\t"),
            format!("{text}{}", text.lines().last().unwrap()),
            format!("{text}extra\n"),
            format!("{text}\n"),
            text.replace("\n", "\r\n"),
            text.replace("build ", "built "),
        ];
        for (i, bad) in broken.iter().enumerate() {
            assert_eq!(CacheFile::parse(bad), None, "variant {i}: {bad:?}");
        }
    }

    #[test]
    fn a_path_that_would_break_a_line_is_not_written() {
        let mut file = sample();
        for rel in [
            "migrations/1_a/2_t\tab.up.sql",
            "migrations/1_a/2_n\nl.up.sql",
            "m\\x",
        ] {
            file.entries.insert(
                rel.to_string(),
                Entry {
                    key: file.entries.values().next().unwrap().key.clone(),
                    up: None,
                },
            );
        }
        assert_eq!(CacheFile::parse(&file.to_text()), Some(sample()));
    }
}
