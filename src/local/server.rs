//! The PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`): where they are, which
//! major version they are, which OS user runs them, and how they are started — directly,
//! never through a shell strata builds, with an environment holding only what PostgreSQL
//! needs.

use std::ffi::{CString, OsStr};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::files::Owner;
use super::LocalError;

/// The oldest and newest PostgreSQL major versions the launcher supports.
pub const SUPPORTED_MAJORS: std::ops::RangeInclusive<u32> = 13..=18;

/// Where the PostgreSQL server binaries are.
#[derive(Debug, Clone)]
pub struct ServerBinaries {
    pub bin_dir: PathBuf,
}

fn has_tools(dir: &Path) -> bool {
    dir.join("initdb").is_file() && dir.join("pg_ctl").is_file()
}

impl ServerBinaries {
    /// Finds `initdb` and `pg_ctl`: in `STRATA_PG_BINDIR` when set (to pick a version),
    /// else on PATH, else the newest `/usr/lib/postgresql/*/bin`.
    pub fn find() -> Result<ServerBinaries, LocalError> {
        if let Some(dir) = std::env::var_os("STRATA_PG_BINDIR").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            if has_tools(&dir) {
                return Ok(ServerBinaries { bin_dir: dir });
            }
            return Err(LocalError::BinariesMissing);
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                if has_tools(&dir) {
                    return Ok(ServerBinaries { bin_dir: dir });
                }
            }
        }
        let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                let bin = e.path().join("bin");
                has_tools(&bin).then_some((version, bin))
            })
            .collect();
        candidates.sort();
        candidates
            .pop()
            .map(|(_, bin_dir)| ServerBinaries { bin_dir })
            .ok_or(LocalError::BinariesMissing)
    }

    pub fn tool(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }

    /// The major version of these binaries, from `initdb --version`; refused outside
    /// [`SUPPORTED_MAJORS`].
    pub fn major_version(&self) -> Result<u32, LocalError> {
        let output = Command::new(self.tool("initdb"))
            .arg("--version")
            .env_clear()
            .stdin(Stdio::null())
            .output()
            .map_err(|e| LocalError::Io {
                path: self.tool("initdb").display().to_string(),
                message: e.to_string(),
            })?;
        let text = String::from_utf8_lossy(&output.stdout);
        let major = parse_major(&text).ok_or_else(|| LocalError::Tool {
            tool: "initdb --version".into(),
            message: format!("cannot tell the version from '{}'", text.trim()),
        })?;
        if !SUPPORTED_MAJORS.contains(&major) {
            return Err(LocalError::UnsupportedVersion {
                major,
                dir: self.bin_dir.display().to_string(),
            });
        }
        Ok(major)
    }
}

/// `initdb (PostgreSQL) 13.23` → 13 (a distribution's suffix after the version is allowed).
fn parse_major(text: &str) -> Option<u32> {
    let mut words = text.split_whitespace();
    words.find(|w| *w == "(PostgreSQL)")?;
    words
        .next()?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// Who runs the server and who runs strata.
#[derive(Debug, Clone, Copy)]
pub struct RunAs {
    /// The server's OS user: ourselves, or `postgres` when we are root.
    pub server: Owner,
    /// The OS user running strata.
    pub invoker: Owner,
    /// True when the server runs as another user than strata (root → postgres).
    pub switch: bool,
}

impl RunAs {
    /// Who runs strata and the server (looked up once per process).
    pub fn detect() -> Result<RunAs, LocalError> {
        static DETECTED: std::sync::OnceLock<Option<RunAs>> = std::sync::OnceLock::new();
        DETECTED
            .get_or_init(|| RunAs::look_up().ok())
            .ok_or(LocalError::NoPostgresUser)
    }

    fn look_up() -> Result<RunAs, LocalError> {
        // SAFETY: getuid/getgid have no preconditions.
        let invoker = unsafe {
            Owner {
                uid: libc::getuid(),
                gid: libc::getgid(),
            }
        };
        if invoker.uid != 0 {
            return Ok(RunAs {
                server: invoker,
                invoker,
                switch: false,
            });
        }
        let name = CString::new("postgres").expect("no NUL");
        // SAFETY: getpwnam returns a pointer to static storage or NULL; we read it at once.
        let pw = unsafe { libc::getpwnam(name.as_ptr()) };
        if pw.is_null() {
            return Err(LocalError::NoPostgresUser);
        }
        // SAFETY: pw is non-null and points to a valid passwd record.
        let server = unsafe {
            Owner {
                uid: (*pw).pw_uid,
                gid: (*pw).pw_gid,
            }
        };
        Ok(RunAs {
            server,
            invoker,
            switch: true,
        })
    }
}

/// A server program with a clean environment: `PATH`, `TZ` (when set), a UTF-8 locale,
/// `PGDATA` and (for the `postgres` user) `HOME` — nothing else of the caller's, so no
/// `PGPASSWORD`, `DATABASE_URL` or other secret reaches the server's environment.
pub fn command(
    bins: &ServerBinaries,
    tool: &str,
    cwd: &Path,
    data_dir: &Path,
    who: RunAs,
) -> Command {
    let mut cmd = Command::new(bins.tool(tool));
    cmd.current_dir(cwd)
        .stdin(Stdio::null())
        .env_clear()
        .env("PATH", clean_path())
        .env("LC_ALL", "C.UTF-8")
        .env("PGDATA", data_dir);
    if let Some(tz) = std::env::var_os("TZ").filter(|v| !v.is_empty()) {
        cmd.env("TZ", tz);
    }
    if who.switch {
        cmd.uid(who.server.uid)
            .gid(who.server.gid)
            // std drops root's supplementary groups when it switches the user.
            .env("HOME", cwd);
    }
    cmd
}

/// The caller's PATH without relative entries (a server must not run programs from
/// whatever folder it happens to be in), or the usual system folders.
fn clean_path() -> std::ffi::OsString {
    let entries: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .filter(|d| d.is_absolute())
                .collect()
        })
        .unwrap_or_default();
    if entries.is_empty() {
        return OsStr::new("/usr/local/bin:/usr/bin:/bin").to_os_string();
    }
    std::env::join_paths(entries).unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(parse_major("initdb (PostgreSQL) 13.23\n"), Some(13));
        assert_eq!(parse_major("initdb (PostgreSQL) 18beta1"), Some(18));
        assert_eq!(
            parse_major("initdb (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)"),
            Some(15)
        );
        assert_eq!(parse_major("garbage"), None);
    }
}
