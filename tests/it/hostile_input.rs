//! Hostile files and parameters: special files as migrations, byte order marks, passwords
//! that break URLs, a full stdout.

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::support::*;

/// Runs `cmd`, returning its result, wall time and peak resident memory (KiB, from
/// `wait4`: the kernel's account, not strata's). The child is reaped by `wait4` itself.
#[allow(clippy::zombie_processes)]
fn run_measured(mut cmd: std::process::Command) -> (Run, Duration, i64) {
    let t0 = Instant::now();
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let mut stdout = child.stdout.unwrap();
    let mut stderr = child.stderr.unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
        s
    });
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, status and usage point to valid memory.
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = t0.elapsed();
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    (
        Run {
            code,
            stdout: out_thread.join().unwrap(),
            stderr: err,
        },
        elapsed,
        usage.ru_maxrss,
    )
}

#[test]
fn special_files_as_migrations_and_seeds_are_refused_at_load_at_once() {
    let db = TestDb::new("special_files");
    let fifo = |path: &std::path::Path| {
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    };
    type Make = Box<dyn Fn(&std::path::Path)>;
    let cases: Vec<(&str, Make, &str)> = vec![
        ("migrations/1_one/2_fifo.up.sql", Box::new(fifo), "FIFO"),
        (
            "migrations/1_one/2_zero.up.sql",
            Box::new(|p: &std::path::Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
            "character device",
        ),
        (
            "migrations/1_one/2_sock.up.sql",
            Box::new(|p: &std::path::Path| {
                std::mem::forget(std::os::unix::net::UnixListener::bind(p).unwrap())
            }),
            "socket",
        ),
        ("seeds/data.sql", Box::new(fifo), "FIFO"),
        (
            "schema.snapshot.json",
            Box::new(|p: &std::path::Path| std::os::unix::fs::symlink("/dev/zero", p).unwrap()),
            "character device",
        ),
    ];
    for (i, (rel, make, kind)) in cases.iter().enumerate() {
        let project = TempProject::new().migration(1, 1, "ok", "SELECT 1;", "SELECT 1;");
        let path = project.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        make(&path);
        if rel.ends_with(".up.sql") {
            project.write(&rel.replace(".up.", ".down."), "SELECT 1;");
        }
        let (run, elapsed, max_rss_kib) =
            run_measured(Strata::on(&db).project(&project).args(["status"]).command());
        run.one_line_error(rel.rsplit('/').next().unwrap())
            .stderr_has(kind)
            .stderr_has("not a regular file");
        assert!(elapsed < Duration::from_secs(1), "case {i}: {elapsed:?}");
        assert!(
            max_rss_kib < 100 * 1024,
            "case {i}: peak RSS {max_rss_kib} KiB"
        );
    }
    // Nothing reached the database.
    assert!(db
        .column("SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations'")
        .is_empty());
}

#[test]
fn a_leading_byte_order_mark_is_ignored_everywhere_and_one_in_the_middle_refused_at_load() {
    let db = TestDb::new("bom");
    let project = TempProject::new();
    let bom = |text: &str| format!("\u{feff}{text}");
    let schema = std::fs::read_to_string(project.path().join("schema.toml")).unwrap();
    project.write("schema.toml", &bom(&schema));
    let up1 = "CREATE TABLE bom_t (id int);\n";
    let up2 = "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY bom_t_id ON bom_t (id);\n";
    let folder = project.phase_folder(1);
    project.write(&format!("migrations/{folder}/1_table.up.sql"), &bom(up1));
    project.write(
        &format!("migrations/{folder}/1_table.down.sql"),
        &bom("DROP TABLE bom_t;"),
    );
    project.write(&format!("migrations/{folder}/2_index.up.sql"), &bom(up2));
    project.write(
        &format!("migrations/{folder}/2_index.down.sql"),
        &bom("-- strata:no-transaction\nDROP INDEX CONCURRENTLY bom_t_id;\n"),
    );
    Strata::on(&db)
        .project(&project)
        .args(["apply"])
        .run()
        .success()
        .stdout_has("2 applied");
    // The index was built CONCURRENTLY (outside a transaction: the directive was honoured)
    // and is valid; the checksums are those of the files without the mark.
    assert_eq!(
        db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = 'bom_t_id'::regclass"),
        "t"
    );
    let sha = |text: &str| {
        Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(
        db.column("SELECT checksum FROM schema_migrations ORDER BY version"),
        vec![sha(up1), sha(up2)]
    );
    // Removing the marks changes nothing.
    project.write(&format!("migrations/{folder}/1_table.up.sql"), up1);
    Strata::on(&db)
        .project(&project)
        .args(["status"])
        .run()
        .success()
        .stdout_has("2 applied, 0 pending, 0 modified");

    // A mark in the middle of a file: refused at load, before the first migration of the
    // run executes.
    let fresh = TestDb::new("bom_mid");
    let mid = TempProject::new()
        .migration(
            1,
            1,
            "first",
            "CREATE TABLE first_t (id int);",
            "DROP TABLE first_t;",
        )
        .migration(
            1,
            2,
            "second",
            "CREATE TABLE second_t (id int);\n\u{feff}CREATE TABLE third_t (id int);\n",
            "DROP TABLE second_t;",
        );
    Strata::on(&fresh)
        .project(&mid)
        .args(["apply"])
        .run()
        .one_line_error(
            "2_second.up.sql:2:1: a byte order mark (U+FEFF) in the middle of the file",
        );
    assert!(fresh.tables().is_empty());
    assert!(fresh
        .column("SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations'")
        .is_empty());
}

#[test]
fn passwords_that_break_urls_never_appear_in_any_output() {
    for password in [
        "Hunter2/TopSecret",
        "Hunter2?TopSecret",
        "Hunter2#TopSecret",
        "Hunter2@TopSecret",
        "Hunter2%TopSecret",
        "Hunter2%C3TopSecret",
        "Hunter2:Top/Secret",
    ] {
        for url in [
            format!("postgres://app:{password}@127.0.0.1:1/db?connect_timeout=2"),
            format!("postgres://app:{password}@127.0.0.1:notaport/db"),
            format!("postgres://app:{password}@127.0.0.1:1/db?sslmode=bogus"),
            format!("postgres://app:{password}@127.0.0.1:1/db?frobnicate"),
            format!("postgres://app:{password}@127.0.0.1:1,[::1/db"),
            format!("host=127.0.0.1 port=1 password={password} dbname=db frobnicate"),
            format!("host=127.0.0.1 port=1 password={password} Top=Secret"),
        ] {
            let project = sample_project();
            let run = Strata::bare()
                .project(&project)
                .env("DATABASE_URL", &url)
                .args(["--json", "status"])
                .run();
            assert_ne!(run.code, 0, "{url}");
            for fragment in ["Hunter2", "TopSecret", "Secret"] {
                assert!(
                    !run.stdout.contains(fragment) && !run.stderr.contains(fragment),
                    "{url}:\n{}\n{}",
                    run.stdout,
                    run.stderr
                );
            }
            // The JSON error is there, and names the part at fault.
            assert!(
                run.json()["error"]["message"].is_string(),
                "{url}: {}",
                run.stdout
            );
        }
    }
}

#[test]
fn a_full_stdout_is_a_one_line_error_not_a_panic() {
    let db = TestDb::new("dev_full");
    let project = sample_project();
    for args in [&["--json", "status"][..], &["status"]] {
        let mut cmd = Strata::on(&db)
            .project(&project)
            .args(args.iter().copied())
            .command();
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = cmd.stdout(full).stderr(Stdio::piped()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.trim_end().lines().collect::<Vec<_>>(),
            vec!["error: cannot write the result to stdout: No space left on device (os error 28)"],
            "{args:?}"
        );
    }
    // A reader that goes away early is not an error.
    let mut child = Strata::on(&db)
        .project(&project)
        .args(["status"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
