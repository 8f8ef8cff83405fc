//! Authentication of the local database: the random superuser password, the files that
//! hold it for its owner (`auth/password`, and `auth/pgpass` for psql and other libpq
//! tools), and the `pg_hba.conf` / `pg_ident.conf` strata writes — no `trust` line
//! anywhere, `scram-sha-256` for every role over the socket and 127.0.0.1, and `peer` for
//! the owner's own superuser connections over the socket (the socket folder is private to
//! the server's OS user, so only its owner — and root — reach it at all).

use rand::TryRngCore;

/// Folder (inside the cluster folder) holding the password files; owned by the OS user who
/// made the cluster, mode 0700.
pub const AUTH_DIR: &str = "auth";
/// The superuser's password alone, mode 0600.
pub const PASSWORD_FILE: &str = "password";
/// A libpq password file for the superuser (for `PGPASSFILE`), mode 0600.
pub const PGPASS_FILE: &str = "pgpass";
/// Present when strata converted a cluster that used `trust`: when it did.
pub const CONVERTED_FILE: &str = "converted-from-trust";
/// The pg_ident.conf map that lets the owner connect as the superuser with `peer`.
pub const IDENT_MAP: &str = "strata";

/// A new superuser password: 32 letters and digits (190 bits) from the OS's CSPRNG.
pub fn generate_password() -> Result<String, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(32);
    let mut buf = [0u8; 64];
    while out.len() < 32 {
        rand::rngs::OsRng
            .try_fill_bytes(&mut buf)
            .map_err(|e| format!("the OS random number generator failed: {e}"))?;
        // 248 = 4 × 62: bytes above it are dropped so every character is equally likely.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == 32 {
                break;
            }
            out.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
        }
    }
    Ok(out)
}

/// True for an OS user name pg_ident.conf can hold without quoting.
pub fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `pg_hba.conf`: the caller's extra lines first, then the superuser over the socket by
/// `peer` for the OS users in [`IDENT_MAP`] (when there are any), then `scram-sha-256`
/// for everyone over the socket and 127.0.0.1.
pub fn hba(prefix: &[String], superuser: &str, peer: bool) -> String {
    let mut text = String::from(
        "# Written by strata: the local database is private to the OS user who made it.\n\
         # No trust: scram-sha-256 everywhere, peer for its owner's superuser connections.\n",
    );
    for line in prefix {
        text.push_str(line);
        text.push('\n');
    }
    if peer {
        text.push_str(&format!("local all {superuser} peer map={IDENT_MAP}\n"));
    }
    text.push_str("local all all scram-sha-256\n");
    text.push_str("host all all 127.0.0.1/32 scram-sha-256\n");
    text
}

/// `pg_ident.conf`: each OS user in `os_users` may connect as `superuser`.
pub fn ident(os_users: &[String], superuser: &str) -> String {
    let mut text = String::from("# Written by strata.\n");
    let mut seen = Vec::new();
    for user in os_users {
        if !seen.contains(user) {
            text.push_str(&format!("{IDENT_MAP} {user} {superuser}\n"));
            seen.push(user.clone());
        }
    }
    text
}

/// A libpq password file for the superuser over the socket (`localhost` in libpq's
/// matching) and over 127.0.0.1, at `port` only.
pub fn pgpass(superuser: &str, password: &str, port: u16) -> String {
    let escape = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
    let (u, p) = (escape(superuser), escape(password));
    format!("localhost:{port}:*:{u}:{p}\n127.0.0.1:{port}:*:{u}:{p}\n")
}

/// The authentication method of a pg_hba.conf line (its last word before options), if
/// the line is not a comment.
fn method_of(line: &str) -> Option<(usize, &str)> {
    let body = line.split('#').next().unwrap_or("");
    let words: Vec<&str> = body.split_whitespace().collect();
    let kind = *words.first()?;
    // local DATABASE USER METHOD [OPTIONS]; host* DATABASE USER ADDRESS [MASK] METHOD ...
    let index = match kind {
        "local" => 3,
        "host" | "hostssl" | "hostnossl" | "hostgssenc" | "hostnogssenc" => {
            // An address with a separate mask takes one more word.
            if words
                .get(4)
                .is_some_and(|w| w.contains('.') && !w.contains('/'))
            {
                5
            } else {
                4
            }
        }
        _ => return None,
    };
    words.get(index).map(|w| (index, *w))
}

/// True when any pg_hba.conf line uses `trust`.
pub fn uses_trust(hba_text: &str) -> bool {
    hba_text
        .lines()
        .any(|l| method_of(l).is_some_and(|(_, m)| m == "trust"))
}

/// `pg_hba.conf` with every `trust` line turned into `scram-sha-256` (other lines kept),
/// and the owner's `peer` line first when `peer_line` is given.
pub fn without_trust(hba_text: &str, peer_line: Option<&str>) -> String {
    let mut out = String::from("# Converted by strata from trust authentication.\n");
    if let Some(line) = peer_line {
        out.push_str(line);
        out.push('\n');
    }
    for line in hba_text.lines() {
        match method_of(line) {
            Some((index, "trust")) => {
                let body = line.split('#').next().unwrap_or("");
                let mut words: Vec<&str> = body.split_whitespace().collect();
                words[index] = "scram-sha-256";
                out.push_str(&words.join(" "));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_random_letters_and_digits() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn hba_has_no_trust_and_trust_lines_are_converted() {
        let text = hba(&["local all +g scram-sha-256".into()], "postgres", true);
        assert!(!uses_trust(&text), "{text}");
        assert!(text.contains("local all postgres peer map=strata"));
        let old = "# written by strata\nlocal all +pw_group scram-sha-256\nlocal all all trust\nhost all all 127.0.0.1/32 trust\nhost all all 10.0.0.0 255.0.0.0 trust # old\n";
        assert!(uses_trust(old));
        let new = without_trust(old, Some("local all postgres peer map=strata"));
        assert!(!uses_trust(&new), "{new}");
        assert!(new.contains("local all +pw_group scram-sha-256"));
        assert!(new.contains("host all all 127.0.0.1/32 scram-sha-256"));
        assert!(new.contains("host all all 10.0.0.0 255.0.0.0 scram-sha-256"));
    }

    #[test]
    fn pgpass_escapes() {
        assert_eq!(
            pgpass("postgres", "a:b\\c", 5432),
            "localhost:5432:*:postgres:a\\:b\\\\c\n127.0.0.1:5432:*:postgres:a\\:b\\\\c\n"
        );
        assert!(plain_name("ci-user.1"));
        assert!(!plain_name("a b"));
    }
}
