//! Test support: one throwaway PostgreSQL server per test binary (made by strata's own
//! launcher), a database per test, throwaway projects, and a builder that runs the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use strata::local::{Cluster, ClusterOptions};

/// Role whose connections need a password (pg_hba asks scram for members of this group).
pub const PW_USER: &str = "pw_user";
pub const PW_PASSWORD: &str = "c0rrect-h0rse@b%ttery";

pub struct Server {
    pub cluster: Cluster,
    pub tcp_port: u16,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static ROOT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Folders kept for the whole test run (by fixtures built once), removed at exit.
static AT_EXIT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes `dir` when the test process exits (for a fixture that lives in a static).
pub fn remove_at_exit(dir: &Path) {
    if let Ok(mut list) = AT_EXIT.lock() {
        list.push(dir.to_path_buf());
    }
}

extern "C" fn stop_server() {
    if let Ok(list) = AT_EXIT.lock() {
        for dir in list.iter() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    if let Ok(guard) = ROOT.lock() {
        if let Some(root) = guard.as_ref() {
            if std::env::var_os("STRATA_KEEP_TEST_DB").is_none() {
                let _ = Cluster::at(root, ClusterOptions::default()).destroy();
            }
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Removes servers left by earlier test runs that were killed before they could clean up.
fn remove_stale() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("strata-it-")
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        // SAFETY: signal 0 only probes for the process.
        if unsafe { libc::kill(pid, 0) } != 0 {
            let _ = Cluster::at(entry.path(), ClusterOptions::default()).destroy();
        }
    }
}

/// The shared server, started on first use and stopped when the test process exits.
pub fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        remove_stale();
        let root = std::env::temp_dir().join(format!("strata-it-{}", std::process::id()));
        let tcp_port = free_port();
        let cluster = Cluster::at(
            &root,
            ClusterOptions {
                tcp_port: Some(tcp_port),
                hba_prefix: vec![
                    "local all +pw_group scram-sha-256".into(),
                    "host all +pw_group 127.0.0.1/32 scram-sha-256".into(),
                ],
                settings: vec![
                    ("fsync".into(), "off".into()),
                    ("synchronous_commit".into(), "off".into()),
                    ("full_page_writes".into(), "off".into()),
                    ("max_connections".into(), "300".into()),
                ],
            },
        );
        *ROOT.lock().expect("root lock") = Some(root.clone());
        // SAFETY: registering a plain extern "C" function with atexit.
        unsafe { libc::atexit(stop_server) };
        cluster.start().expect("start the test server");
        let mut admin = pg(&cluster.params("postgres").to_url());
        admin
            .batch_execute(&format!(
                "CREATE ROLE pw_group NOLOGIN;
                 CREATE ROLE {PW_USER} LOGIN PASSWORD '{PW_PASSWORD}' IN ROLE pw_group;"
            ))
            .expect("create roles");
        Server { cluster, tcp_port }
    })
}

pub fn pg(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect")
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database of its own for one test, dropped at the end unless STRATA_KEEP_TEST_DB is set.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub fn new(tag: &str) -> TestDb {
        let server = server();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!(
            "it_{}_{n}",
            tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let mut admin = pg(&server.cluster.params("postgres").to_url());
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop database");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        let url = server.cluster.params(&name).to_url();
        TestDb { name, url }
    }

    /// A database with the whole embedded VRSS project applied: a copy of a template made
    /// once per test binary (`CREATE DATABASE ... TEMPLATE`), so no test pays for the
    /// migrations again.
    pub fn vrss(tag: &str) -> TestDb {
        TestDb::from_template(tag, vrss_template())
    }

    /// A database copied from `template` (a database no session is connected to).
    pub fn from_template(tag: &str, template: &str) -> TestDb {
        let server = server();
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!(
            "it_{}_{n}",
            tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        let mut admin = pg(&server.cluster.params("postgres").to_url());
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop database");
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create database from template");
        let url = server.cluster.params(&name).to_url();
        TestDb { name, url }
    }

    pub fn client(&self) -> postgres::Client {
        pg(&self.url)
    }

    pub fn execute(&self, sql: &str) {
        self.client().batch_execute(sql).expect("sql");
    }

    /// First column of every row, as text.
    pub fn column(&self, sql: &str) -> Vec<String> {
        self.client()
            .simple_query(sql)
            .expect("query")
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => {
                    Some(r.get(0).unwrap_or("NULL").to_string())
                }
                _ => None,
            })
            .collect()
    }

    pub fn scalar(&self, sql: &str) -> String {
        self.column(sql).into_iter().next().expect("one row")
    }

    /// Every user object in the database (relations, types, functions, triggers,
    /// constraints, indexes, extensions, schemas), strata's history table left out: the
    /// catalog's own account of the schema.
    pub fn catalog(&self) -> Vec<String> {
        self.column(CATALOG_SQL)
    }

    /// User tables by name (history table excluded).
    pub fn tables(&self) -> Vec<String> {
        self.column(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema')
               AND n.nspname NOT LIKE 'pg_toast%' AND c.relname <> 'schema_migrations' ORDER BY 1",
        )
    }

    /// Versions recorded in the history table.
    pub fn recorded(&self) -> Vec<i64> {
        self.column("SELECT version FROM schema_migrations ORDER BY version")
            .into_iter()
            .map(|v| v.parse().expect("version"))
            .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::env::var_os("STRATA_KEEP_TEST_DB").is_some() || std::thread::panicking() {
            return;
        }
        if let Ok(mut admin) = postgres::Client::connect(
            &server().cluster.params("postgres").to_url(),
            postgres::NoTls,
        ) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// The template database with VRSS applied, built by `strata apply` on first use.
fn vrss_template() -> &'static str {
    static TEMPLATE: OnceLock<&'static str> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = "it_template_vrss";
        let server = server();
        let mut admin = pg(&server.cluster.params("postgres").to_url());
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop the template database");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the template database");
        let db = TestDb {
            name: name.into(),
            url: server.cluster.params(name).to_url(),
        };
        Strata::on(&db).args(["apply"]).run().success();
        // Kept for the whole run (other tests copy it); the server goes with the process.
        std::mem::forget(db);
        name
    })
}

pub const CATALOG_SQL: &str = r#"
WITH user_ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%'
    AND nspname NOT LIKE 'pg_temp%'
)
SELECT item FROM (
  SELECT 'schema ' || nspname AS item FROM user_ns WHERE nspname <> 'public'
  UNION ALL
  SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension WHERE extname <> 'plpgsql'
  UNION ALL
  SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relname NOT LIKE 'schema_migrations%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN user_ns n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m','f')
    AND c.relname <> 'schema_migrations'
  UNION ALL
  SELECT 'constraint ' || n.nspname || '.' || conrelid::regclass::text || '.' || conname || ' ' || pg_get_constraintdef(co.oid)
  FROM pg_constraint co JOIN user_ns n ON n.oid = co.connamespace
  WHERE conrelid::regclass::text NOT LIKE '%schema_migrations%'
  UNION ALL
  SELECT 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN user_ns n ON n.oid = c.relnamespace
  WHERE c.relname NOT LIKE 'schema_migrations%'
  UNION ALL
  SELECT 'trigger ' || pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN user_ns n ON n.oid = c.relnamespace
  WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc)
  FROM pg_proc p JOIN user_ns n ON n.oid = p.pronamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text
         || coalesce(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
  FROM pg_type t JOIN user_ns n ON n.oid = t.typnamespace
  WHERE t.typtype IN ('e','d','c') AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  UNION ALL
  SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || md5(pg_get_viewdef(c.oid))
  FROM pg_class c JOIN user_ns n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m')
  UNION ALL
  SELECT 'comment ' || d.classoid::regclass::text || ' ' || d.objoid::regclass::text || ' ' || d.objsubid || ' ' || md5(d.description)
  FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
  JOIN user_ns n ON n.oid = c.relnamespace WHERE c.relname <> 'schema_migrations'
) items ORDER BY item
"#;

/// A project written to a temporary folder.
pub struct TempProject {
    pub dir: tempfile::TempDir,
    phases: Vec<String>,
    settings: String,
}

impl TempProject {
    /// A project with phases `one`, `two`, `three`.
    pub fn new() -> TempProject {
        TempProject::with_phases(&["one", "two", "three"])
    }

    pub fn with_phases(phases: &[&str]) -> TempProject {
        let project = TempProject {
            dir: tempfile::tempdir().expect("tempdir"),
            phases: phases.iter().map(|p| p.to_string()).collect(),
            settings: String::new(),
        };
        project.write_config();
        project
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn settings(mut self, toml: &str) -> TempProject {
        self.settings = toml.to_string();
        self.write_config();
        self
    }

    fn write_config(&self) {
        let mut text = String::from("[project]\nname = \"it\"\ndescription = \"test project\"\n");
        for p in &self.phases {
            text.push_str(&format!(
                "\n[[phases]]\nname = \"{p}\"\ndescription = \"phase {p}\"\n"
            ));
        }
        if !self.settings.is_empty() {
            text.push_str("\n[settings]\n");
            text.push_str(&self.settings);
        }
        self.write("schema.toml", &text);
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn phase_folder(&self, phase: u32) -> String {
        format!("{phase}_{}", self.phases[phase as usize - 1])
    }

    /// Adds migration `version`_`name` to `phase` (1-based).
    pub fn migration(
        self,
        phase: u32,
        version: i64,
        name: &str,
        up: &str,
        down: &str,
    ) -> TempProject {
        let folder = self.phase_folder(phase);
        self.write(&format!("migrations/{folder}/{version}_{name}.up.sql"), up);
        self.write(
            &format!("migrations/{folder}/{version}_{name}.down.sql"),
            down,
        );
        self
    }

    pub fn up_path(&self, phase: u32, version: i64, name: &str) -> PathBuf {
        self.path().join(format!(
            "migrations/{}/{version}_{name}.up.sql",
            self.phase_folder(phase)
        ))
    }
}

/// A small three-phase project: tables a (1), b (2) and c with a view (3), an enum, a
/// function and a trigger, so every kind of object comes and goes.
pub fn sample_project() -> TempProject {
    TempProject::new()
        .migration(
            1,
            1,
            "create_a",
            "-- table a\nCREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TABLE a (\n  id bigserial PRIMARY KEY,\n  feeling mood NOT NULL DEFAULT 'happy',\n  updated_at timestamptz\n);\n",
            "DROP TABLE a;\nDROP TYPE mood;\n",
        )
        .migration(
            1,
            2,
            "a_trigger",
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND;\n$$;\nCREATE TRIGGER a_touch BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION touch();\n",
            "DROP TRIGGER a_touch ON a;\nDROP FUNCTION touch();\n",
        )
        .migration(
            2,
            10,
            "create_b",
            "CREATE TABLE b (id int PRIMARY KEY, a_id bigint REFERENCES a(id) ON DELETE CASCADE, name varchar(32) CHECK (length(name) > 0));\nCREATE INDEX b_a_id_idx ON b (a_id);\n",
            "DROP TABLE b;\n",
        )
        .migration(
            3,
            20,
            "create_c",
            "CREATE TABLE c (id int PRIMARY KEY, note text);\nCOMMENT ON TABLE c IS 'notes';\n",
            "DROP TABLE c;\n",
        )
        .migration(
            3,
            21,
            "c_view",
            "CREATE VIEW c_notes AS SELECT id, note FROM c WHERE note IS NOT NULL;\n",
            "DROP VIEW c_notes;\n",
        )
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn success(&self) -> &Run {
        self.assert_code(0)
    }

    /// Exit 1 with exactly one `error:` line on stderr containing `needle`.
    pub fn one_line_error(&self, needle: &str) -> &Run {
        self.assert_code(1);
        let errors: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(errors.len(), 1, "one error line expected:\n{}", self.stderr);
        assert_eq!(
            self.stderr.trim_end().lines().last(),
            Some(errors[0]),
            "the error is the last line:\n{}",
            self.stderr
        );
        assert!(
            errors[0].contains(needle),
            "'{needle}' not in: {}",
            errors[0]
        );
        self
    }

    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "'{needle}' not in stdout:\n{}",
            self.stdout
        );
        self
    }

    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "'{needle}' not in stderr:\n{}",
            self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", self.stdout))
    }
}

/// Builds one run of the `strata` binary.
pub struct Strata {
    args: Vec<String>,
    env: BTreeMap<String, String>,
    project: Option<PathBuf>,
}

impl Strata {
    /// A run against `db` (DATABASE_URL set, PG* cleared).
    pub fn on(db: &TestDb) -> Strata {
        let mut s = Strata::bare();
        s.env.insert("DATABASE_URL".into(), db.url.clone());
        s
    }

    /// A run with no database configured.
    pub fn bare() -> Strata {
        Strata {
            args: Vec::new(),
            env: BTreeMap::new(),
            project: None,
        }
    }

    pub fn project(mut self, p: &TempProject) -> Strata {
        self.project = Some(p.path().to_path_buf());
        self
    }

    pub fn project_dir(mut self, p: &Path) -> Strata {
        self.project = Some(p.to_path_buf());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, args: I) -> Strata {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    pub fn env(mut self, k: &str, v: &str) -> Strata {
        self.env.insert(k.into(), v.into());
        self
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_strata"));
        for var in [
            "DATABASE_URL",
            "PGHOST",
            "PGHOSTADDR",
            "PGPORT",
            "PGUSER",
            "PGPASSWORD",
            "PGDATABASE",
            "PGSSLMODE",
            "STRATA_PROJECT",
            "NO_COLOR",
            "PGPASSFILE",
            "STRATA_SHADOW_URL",
            "COLUMNS",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(&self.env);
        if let Some(p) = &self.project {
            cmd.arg("--project").arg(p);
        }
        cmd.args(&self.args);
        cmd
    }

    pub fn run(self) -> Run {
        let mut cmd = self.command();
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn strata");
        // Standard input is a pipe closed at once: never a terminal, as in CI.
        drop(child.stdin.take());
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("wait");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// Starts `n` runs of `args` at once against `db` and asserts each succeeds.
pub fn run_concurrently(db: &TestDb, project: &TempProject, n: usize, args: &[&str]) {
    let children: Vec<_> = (0..n)
        .map(|_| {
            Strata::on(db)
                .project(project)
                .args(args.iter().copied())
                .command()
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn strata")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Waits (up to 20 s) until another session of `db` runs a query containing `needle`;
/// returns its pid.
pub fn wait_for_query(db: &TestDb, needle: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let pids = db.column(&format!(
            "SELECT pid FROM pg_stat_activity WHERE datname = '{}' AND pid <> pg_backend_pid() AND query LIKE '%{}%'",
            db.name,
            needle.replace('\'', "''")
        ));
        if let Some(pid) = pids.into_iter().next() {
            return pid;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no session ran '{needle}'"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// True when the tests run as root (they can then make OS users and run servers as
/// `postgres`). Tests that need it skip themselves otherwise — except in CI, which runs as
/// root and must not skip them.
pub fn running_as_root(test: &str) -> bool {
    // SAFETY: no preconditions.
    if unsafe { libc::getuid() } == 0 {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
        "{test} needs root (CI runs the tests as root)"
    );
    eprintln!("{test}: skipped (needs root to make OS users)");
    false
}

/// An OS user made for one test with `useradd`, removed with `userdel` when dropped.
pub struct OsUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl OsUser {
    pub fn create(tag: &str) -> OsUser {
        let name = format!("st_{tag}_{}", std::process::id());
        let _ = Command::new("userdel").arg(&name).output();
        let out = Command::new("useradd")
            .args([
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
            ])
            .arg(&name)
            .output()
            .expect("run useradd");
        assert!(
            out.status.success(),
            "useradd {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let c = std::ffi::CString::new(name.clone()).unwrap();
        // SAFETY: getpwnam returns static storage or NULL; read at once.
        let (uid, gid) = unsafe {
            let pw = libc::getpwnam(c.as_ptr());
            assert!(!pw.is_null(), "{name} exists");
            ((*pw).pw_uid, (*pw).pw_gid)
        };
        OsUser { name, uid, gid }
    }

    /// `program` run as this user, with an environment of its own.
    pub fn command(&self, program: &str) -> Command {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new(program);
        cmd.uid(self.uid)
            .gid(self.gid)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", "/nonexistent")
            .env("PGPASSFILE", "/dev/null")
            .current_dir("/")
            .stdin(Stdio::null());
        cmd
    }
}

impl Drop for OsUser {
    fn drop(&mut self) {
        let _ = Command::new("userdel").arg(&self.name).output();
    }
}

/// The uid and gid of the OS user the servers run as (`postgres` when root).
pub fn server_ids() -> (u32, u32) {
    let name = std::ffi::CString::new("postgres").unwrap();
    // SAFETY: getpwnam returns static storage or NULL; read at once; getuid/getgid have no
    // preconditions.
    unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() || libc::getuid() != 0 {
            return (libc::getuid(), libc::getgid());
        }
        ((*pw).pw_uid, (*pw).pw_gid)
    }
}

/// A folder other users may traverse (so the `postgres` user reaches a cluster in it).
pub fn open_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

/// `psql` with `conninfo`, `-X -w` (no psqlrc, never a prompt): its exit status and output.
pub fn psql(conninfo: &str, sql: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new("psql");
    cmd.args(["-X", "-w", "-A", "-t", "-c", sql, conninfo]);
    for var in [
        "PGPASSWORD",
        "PGPASSFILE",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().expect("run psql");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `pg_dump --schema-only` of `db` (strata's history table left out), parsed by the corpus
/// harness's normaliser (`tests/corpus/dump.rs`): an oracle that is not strata.
pub fn schema_dump(db: &TestDb) -> crate::dump::Dump {
    let bindir = Path::new("/usr/lib/postgresql/15/bin");
    let program = if bindir.join("pg_dump").exists() {
        bindir.join("pg_dump")
    } else {
        "pg_dump".into()
    };
    let out = Command::new(program)
        .args([
            "--schema-only",
            "--exclude-table=public.schema_migrations",
            "-d",
            &db.url,
        ])
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    crate::dump::parse(&String::from_utf8_lossy(&out.stdout))
}
