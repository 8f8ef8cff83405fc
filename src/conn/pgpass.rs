//! libpq's password file (`~/.pgpass` or `PGPASSFILE`): `host:port:database:user:password`
//! lines with `*` wildcards and `\` escapes, ignored (as libpq does) when group or others
//! may read it.

use std::path::Path;

/// Looks the password up for one host. `host` is the name libpq matches: `localhost` for a
/// Unix socket.
pub fn lookup(file: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(file).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        crate::notices::warn(format!(
            "password file {} has group or world access; permissions should be u=rw (0600) or less",
            file.display()
        ));
        return None;
    }
    let bytes = crate::bounded::read_regular(file, crate::bounded::MAX_NAMED_FILE_BYTES).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let port = port.to_string();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_line(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if matches(&fields[0], host)
            && matches(&fields[1], &port)
            && matches(&fields[2], dbname)
            && matches(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("non-empty").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("non-empty").push(c),
        }
    }
    fields
}
