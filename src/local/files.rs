//! Folders and files of the local database, made and opened without following links: the
//! server's OS user owns most of them and may replace any name with a link, so every name
//! below a folder strata checked is opened relative to that folder's descriptor with
//! `O_NOFOLLOW`, written through a new file renamed into place, and read with a bound.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Mode, OFlags};

use super::LocalError;

/// An OS user and group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub uid: u32,
    pub gid: u32,
}

impl Owner {
    fn ids(self) -> (rustix::fs::Uid, rustix::fs::Gid) {
        (
            rustix::fs::Uid::from_raw(self.uid),
            rustix::fs::Gid::from_raw(self.gid),
        )
    }
}

fn err(path: &Path, e: impl std::fmt::Display) -> LocalError {
    LocalError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// A folder opened without following a link at its last component.
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    pub path: PathBuf,
}

/// What [`ensure_dir`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Strata created the folder now.
    Created,
    /// It was there already (and passed the checks).
    Existing,
}

fn open_dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

fn refuse_link(path: &Path, e: rustix::io::Errno) -> LocalError {
    if e == rustix::io::Errno::LOOP || e == rustix::io::Errno::NOTDIR {
        LocalError::NotOurs {
            path: path.display().to_string(),
            reason: "is a link or not a folder; strata only uses a real folder it made".into(),
        }
    } else {
        err(path, std::io::Error::from(e))
    }
}

impl Dir {
    /// Opens `path`, refusing a link or anything but a folder at its last component.
    pub fn open(path: &Path) -> Result<Dir, LocalError> {
        let fd = rustix::fs::open(path, open_dir_flags(), Mode::empty())
            .map_err(|e| refuse_link(path, e))?;
        Ok(Dir {
            fd,
            path: path.to_path_buf(),
        })
    }

    /// Opens the folder `name` inside this one, refusing a link.
    pub fn sub(&self, name: &str) -> Result<Dir, LocalError> {
        let path = self.path.join(name);
        let fd = rustix::fs::openat(&self.fd, name, open_dir_flags(), Mode::empty())
            .map_err(|e| refuse_link(&path, e))?;
        Ok(Dir { fd, path })
    }

    /// The owner of this folder.
    pub fn owner_uid(&self) -> Result<u32, LocalError> {
        let st = rustix::fs::fstat(&self.fd).map_err(|e| err(&self.path, e))?;
        Ok(st.st_uid)
    }

    /// The permission bits of this folder.
    pub fn mode(&self) -> Result<u32, LocalError> {
        let st = rustix::fs::fstat(&self.fd).map_err(|e| err(&self.path, e))?;
        Ok(st.st_mode & 0o7777)
    }

    pub fn chmod(&self, mode: u32) -> Result<(), LocalError> {
        rustix::fs::fchmod(&self.fd, Mode::from_raw_mode(mode)).map_err(|e| err(&self.path, e))
    }

    /// True when `name` exists in this folder (a link counts, and is not followed).
    pub fn exists(&self, name: &str) -> bool {
        rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW).is_ok()
    }

    /// Opens the regular file `name` for reading: a link, FIFO, device or folder is
    /// refused, and opening never blocks.
    pub fn open_file(&self, name: &str) -> Result<Option<File>, LocalError> {
        let path = self.path.join(name);
        let fd = match rustix::fs::openat(
            &self.fd,
            name,
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT) => return Ok(None),
            Err(rustix::io::Errno::LOOP) => {
                return Err(LocalError::NotOurs {
                    path: path.display().to_string(),
                    reason:
                        "is a link; strata does not follow links in the local database's folder"
                            .into(),
                })
            }
            Err(e) => return Err(err(&path, std::io::Error::from(e))),
        };
        let file = File::from(fd);
        let meta = file.metadata().map_err(|e| err(&path, e))?;
        if !meta.file_type().is_file() {
            return Err(LocalError::NotOurs {
                path: path.display().to_string(),
                reason: "is not a regular file".into(),
            });
        }
        Ok(Some(file))
    }

    /// Reads the regular file `name` (at most `limit` bytes; more is an error). `None` when
    /// it does not exist.
    pub fn read(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, LocalError> {
        let Some(file) = self.open_file(name)? else {
            return Ok(None);
        };
        let path = self.path.join(name);
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| err(&path, e))?;
        if bytes.len() as u64 > limit {
            return Err(err(&path, format!("larger than {limit} bytes")));
        }
        Ok(Some(bytes))
    }

    /// Reads the last `tail` bytes of the regular file `name` (empty when missing).
    pub fn read_tail(&self, name: &str, tail: u64) -> Vec<u8> {
        use std::io::{Seek, SeekFrom};
        let Ok(Some(mut file)) = self.open_file(name) else {
            return Vec::new();
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = file.seek(SeekFrom::Start(len.saturating_sub(tail)));
        let mut bytes = Vec::new();
        let _ = file.take(tail).read_to_end(&mut bytes);
        bytes
    }

    /// Reads a file that must be private to `owner`: owned by it, no access for group or
    /// others.
    pub fn read_private(
        &self,
        name: &str,
        owner_uid: u32,
        limit: u64,
    ) -> Result<Option<Vec<u8>>, LocalError> {
        let Some(file) = self.open_file(name)? else {
            return Ok(None);
        };
        let path = self.path.join(name);
        let meta = file.metadata().map_err(|e| err(&path, e))?;
        if meta.uid() != owner_uid || meta.mode() & 0o077 != 0 {
            return Err(LocalError::NotOurs {
                path: path.display().to_string(),
                reason: format!(
                    "must be owned by uid {owner_uid} and readable by nobody else (mode 0600); it is owned by uid {} with mode {:04o}",
                    meta.uid(),
                    meta.mode() & 0o7777
                ),
            });
        }
        let mut bytes = Vec::new();
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| err(&path, e))?;
        if bytes.len() as u64 > limit {
            return Err(err(&path, format!("larger than {limit} bytes")));
        }
        Ok(Some(bytes))
    }

    /// Writes `name` as a new file (mode `mode`, owned by `owner` when given) renamed over
    /// whatever had the name: a link there is replaced, never followed.
    pub fn write(
        &self,
        name: &str,
        contents: &[u8],
        mode: u32,
        owner: Option<Owner>,
    ) -> Result<(), LocalError> {
        let path = self.path.join(name);
        let temp = format!(".{name}.strata-new");
        let _ = rustix::fs::unlinkat(&self.fd, temp.as_str(), AtFlags::empty());
        let fd = rustix::fs::openat(
            &self.fd,
            temp.as_str(),
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::from_raw_mode(mode),
        )
        .map_err(|e| err(&path, std::io::Error::from(e)))?;
        let result = (|| {
            if let Some(o) = owner {
                let (uid, gid) = o.ids();
                rustix::fs::fchown(&fd, Some(uid), Some(gid)).map_err(|e| err(&path, e))?;
            }
            rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode)).map_err(|e| err(&path, e))?;
            let mut file = File::from(fd);
            file.write_all(contents).map_err(|e| err(&path, e))?;
            file.sync_all().map_err(|e| err(&path, e))?;
            rustix::fs::renameat(&self.fd, temp.as_str(), &self.fd, name).map_err(|e| err(&path, e))
        })();
        if result.is_err() {
            let _ = rustix::fs::unlinkat(&self.fd, temp.as_str(), AtFlags::empty());
        }
        result
    }

    /// Opens `name` for appending (created with `mode` and `owner` when missing), refusing
    /// a link or anything but a regular file.
    pub fn append(&self, name: &str, mode: u32, owner: Option<Owner>) -> Result<File, LocalError> {
        let path = self.path.join(name);
        let flags = OFlags::WRONLY | OFlags::APPEND | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(
            &self.fd,
            name,
            flags | OFlags::CREATE | OFlags::EXCL,
            Mode::from_raw_mode(mode),
        ) {
            Ok(fd) => {
                if let Some(o) = owner {
                    let (uid, gid) = o.ids();
                    rustix::fs::fchown(&fd, Some(uid), Some(gid)).map_err(|e| err(&path, e))?;
                }
                fd
            }
            Err(rustix::io::Errno::EXIST) => {
                rustix::fs::openat(&self.fd, name, flags | OFlags::NONBLOCK, Mode::empty())
                    .map_err(|e| refuse_link(&path, e))?
            }
            Err(e) => return Err(err(&path, std::io::Error::from(e))),
        };
        let file = File::from(fd);
        let meta = file.metadata().map_err(|e| err(&path, e))?;
        if !meta.file_type().is_file() {
            return Err(LocalError::NotOurs {
                path: path.display().to_string(),
                reason: "is not a regular file".into(),
            });
        }
        Ok(file)
    }

    /// Removes the file `name` (not following a link); missing is fine.
    pub fn remove(&self, name: &str) {
        let _ = rustix::fs::unlinkat(&self.fd, name, AtFlags::empty());
    }

    /// Gives this folder to `owner` (only for folders strata has just created).
    pub fn chown(&self, owner: Owner) -> Result<(), LocalError> {
        let (uid, gid) = owner.ids();
        rustix::fs::fchown(&self.fd, Some(uid), Some(gid)).map_err(|e| err(&self.path, e))
    }
}

/// Makes sure `path` is a real folder (not a link) with mode `mode`: created now and given
/// to `owner`, or already there and owned by `owner` (its mode is then tightened to
/// `mode`). Anything else — a link, a file, a folder of another user — is refused and left
/// untouched. Missing parents are created with the default mode.
pub fn ensure_dir(path: &Path, owner: Owner, mode: u32) -> Result<(Dir, Made), LocalError> {
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() && !parent.is_dir() {
            std::fs::create_dir_all(parent).map_err(|e| err(parent, e))?;
        }
    }
    let made = match rustix::fs::mkdir(path, Mode::from_raw_mode(mode)) {
        Ok(()) => Made::Created,
        Err(rustix::io::Errno::EXIST) => Made::Existing,
        Err(e) => return Err(err(path, std::io::Error::from(e))),
    };
    let dir = Dir::open(path)?;
    match made {
        Made::Created => {
            dir.chown(owner)?;
            dir.chmod(mode)?;
        }
        Made::Existing => {
            let uid = dir.owner_uid()?;
            if uid != owner.uid {
                return Err(LocalError::NotOurs {
                    path: path.display().to_string(),
                    reason: format!(
                        "belongs to uid {uid}, not to uid {} who runs the local database; strata did not make it and leaves it alone (remove it or choose another project folder)",
                        owner.uid
                    ),
                });
            }
            if dir.mode()? != mode {
                dir.chmod(mode)?;
            }
        }
    }
    Ok((dir, made))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn me() -> Owner {
        // SAFETY: no preconditions.
        unsafe {
            Owner {
                uid: libc::getuid(),
                gid: libc::getgid(),
            }
        }
    }

    #[test]
    fn a_link_is_refused_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        std::fs::create_dir(&target).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o751)).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = ensure_dir(&link, me(), 0o700).unwrap_err().to_string();
        assert!(e.contains("is a link"), "{e}");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o751);
    }

    #[test]
    fn writes_replace_a_link_instead_of_following_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, made) = ensure_dir(&tmp.path().join("d"), me(), 0o700).unwrap();
        assert_eq!(made, Made::Created);
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path.join("conf")).unwrap();
        dir.write("conf", b"new", 0o600, None).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(
            std::fs::read_to_string(dir.path.join("conf")).unwrap(),
            "new"
        );
        // Reading through a link is refused too.
        std::os::unix::fs::symlink(&victim, dir.path.join("other")).unwrap();
        assert!(dir.read("other", 100).is_err());
        assert_eq!(dir.read("missing", 100).unwrap(), None);
        assert!(dir.read("conf", 2).is_err(), "bounded");
    }
}
