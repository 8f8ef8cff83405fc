//! One round trip: `strata diff --privileges --from ACTUAL --to EXPECTED --sql` writes a
//! script (every difference it reports repaired by a statement that says so, every
//! statement repairing one), psql applies it with ON_ERROR_STOP, a second diff finds
//! nothing, and pg_dump of both sides is the same — except in tables the second diff names
//! as differing in what no statement can make, when the catalog confirms that is all (see
//! `residual`). A failure names the step and shows what differs; the script and
//! the outputs are kept under the target folder for a closer look.

use std::path::PathBuf;

use crate::cases::Case;
use crate::dump::Dump;
use crate::server::{self, Db};
use crate::support::Strata;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trip {
    /// empty → S
    Create,
    /// S → empty
    Drop,
    /// S → S′
    Modify,
}

impl Trip {
    pub fn name(self) -> &'static str {
        match self {
            Trip::Create => "create",
            Trip::Drop => "drop",
            Trip::Modify => "modify",
        }
    }
}

/// Why a round trip failed: the step and what was seen.
#[derive(Debug)]
pub struct Failure {
    pub step: &'static str,
    pub detail: String,
}

impl Failure {
    fn at(step: &'static str, detail: impl Into<String>) -> Failure {
        Failure {
            step,
            detail: detail.into(),
        }
    }

    /// A failure in building the case itself, not in strata: never excused by the list.
    pub fn is_setup(&self) -> bool {
        self.step == "setup"
    }
}

/// The dump of an empty database, made once.
fn empty_dump() -> Result<Option<Dump>, String> {
    static DUMP: std::sync::OnceLock<Result<Option<Dump>, String>> = std::sync::OnceLock::new();
    DUMP.get_or_init(|| {
        if !server::oracle_available() {
            return Ok(None);
        }
        let db = Db::new("empty", None)?;
        server::dump(&db).map(Some)
    })
    .clone()
}

/// Where the corpus writes what it found on this server version.
pub fn output_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("corpus")
        .join(format!("pg{}", server::server().major))
}

/// Where a failed round trip's script and outputs are written.
fn artifacts(case: &str, trip: Trip) -> PathBuf {
    output_dir().join(format!("{case}.{}", trip.name()))
}

fn head(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n… {} more lines", lines.len() - n));
    }
    out
}

pub fn run(case: &Case, trip: Trip) -> Result<(), Failure> {
    let setup = |e: String| Failure::at("setup", e);
    let built = case.built().map_err(setup)?;
    let empty = empty_dump().map_err(setup)?;
    let tag = format!("{}_{}", case.name, trip.name());
    let (actual, expected, expected_dump) = match trip {
        Trip::Create => (
            Db::new(&tag, None).map_err(setup)?,
            Db::new(&tag, Some(&built.s)).map_err(setup)?,
            built.s_dump.clone(),
        ),
        Trip::Drop => (
            Db::new(&tag, Some(&built.s)).map_err(setup)?,
            Db::new(&tag, None).map_err(setup)?,
            empty,
        ),
        Trip::Modify => {
            let (t, t_dump) = built
                .t
                .as_ref()
                .ok_or_else(|| setup("the case has no edits".into()))?;
            (
                Db::new(&tag, Some(&built.s)).map_err(setup)?,
                Db::new(&tag, Some(t)).map_err(setup)?,
                t_dump.clone(),
            )
        }
    };
    let dir = artifacts(&case.name, trip);
    let _ = std::fs::remove_dir_all(&dir);
    let result = steps(&actual, &expected, expected_dump.as_ref(), &dir);
    match &result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(f) => {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(
                dir.join("failure.txt"),
                format!("{}: {}\n", f.step, f.detail),
            );
        }
    }
    result.map_err(|mut f| {
        f.detail
            .push_str(&format!("\n(script and outputs: {})", dir.display()));
        f
    })
}

/// The property of the one walk: every difference the report lists has a statement that
/// says it repairs it, and every statement names a difference it repairs.
fn one_walk(report: &serde_json::Value) -> Result<(), String> {
    let differences = report["differences"].as_array().map_or(0, Vec::len);
    let statements = report["statements"].as_array().cloned().unwrap_or_default();
    let mut covered = vec![false; differences];
    for s in &statements {
        let ids = s["differences"].as_array().cloned().unwrap_or_default();
        if ids.is_empty() {
            return Err(format!(
                "a statement repairs no difference: {}",
                s["sql"].as_str().unwrap_or_default()
            ));
        }
        for id in ids {
            let i = id.as_u64().unwrap_or(u64::MAX) as usize;
            if i >= differences {
                return Err(format!("a statement names difference {i} of {differences}"));
            }
            covered[i] = true;
        }
    }
    match covered.iter().position(|c| !c) {
        Some(i) => Err(format!(
            "difference {i} has no statement: {}",
            report["differences"][i]
        )),
        None => Ok(()),
    }
}

fn steps(
    actual: &Db,
    expected: &Db,
    expected_dump: Option<&Dump>,
    dir: &std::path::Path,
) -> Result<(), Failure> {
    let diff = |extra: &[&str]| {
        Strata::bare()
            .args([
                "diff",
                "--privileges",
                "--from",
                &actual.url,
                "--to",
                &expected.url,
            ])
            .args(extra)
            .run()
    };
    let oracle =
        |when: &str| -> Result<Option<String>, Failure> {
            let Some(expected_dump) = expected_dump else {
                return Ok(None);
            };
            let got = server::dump(actual).map_err(|e| Failure::at("oracle", e))?;
            Ok(crate::dump::difference(&got, expected_dump, 60)
                .map(|d| format!("pg_dump {when}: {d}")))
        };

    let script = diff(&["--sql", "--json"]);
    std::fs::create_dir_all(dir).ok();
    let report: Option<serde_json::Value> = serde_json::from_str(&script.stdout).ok();
    let sql = report
        .as_ref()
        .and_then(|r| r["sql"].as_str())
        .unwrap_or_default()
        .to_string();
    let _ = std::fs::write(dir.join("script.sql"), &sql);
    if let Some(report) = &report {
        one_walk(report).map_err(|e| Failure::at("statements", e))?;
    }
    match script.code {
        2 => {}
        0 => {
            let mut detail = "strata diff reported no differences".to_string();
            if let Some(d) = oracle("says the databases differ")? {
                detail.push_str(&format!(", but {d}"));
            }
            return Err(Failure::at("diff", detail));
        }
        code => {
            return Err(Failure::at(
                "diff",
                format!(
                    "strata diff --sql exited {code}:\n{}",
                    head(&script.stderr, 20)
                ),
            ))
        }
    }
    server::psql_file(actual, &dir.join("script.sql")).map_err(|e| Failure::at("apply", e))?;
    let again = diff(&["--json"]);
    let _ = std::fs::write(dir.join("second-diff.json"), &again.stdout);
    if again.code != 0 {
        let mut detail = format!(
            "the second strata diff exited {}:\n{}{}",
            again.code,
            head(&again.stdout, 30),
            head(&again.stderr, 10)
        );
        if let Some(d) = oracle("also differs")? {
            detail.push_str(&format!("\n{}", head(&d, 30)));
        }
        return Err(Failure::at("second diff", detail));
    }
    let Some(d) = oracle("of the migrated and the expected database differs")? else {
        return Ok(());
    };
    // What strata reported it cannot script may differ — confirmed in the catalog to be
    // only that — and nothing else may.
    let reported = serde_json::from_str(&again.stdout)
        .map(|r| crate::residual::tables(&r))
        .unwrap_or_default();
    if reported.is_empty() {
        return Err(Failure::at("oracle", d));
    }
    crate::residual::confirm(actual, expected, &reported)
        .map_err(|e| Failure::at("oracle", format!("{e}\n{d}")))?;
    let (Some(expected_dump), Ok(got)) = (expected_dump, server::dump(actual)) else {
        return Err(Failure::at("oracle", d));
    };
    match crate::dump::difference(
        &crate::residual::without(&got, &reported),
        &crate::residual::without(expected_dump, &reported),
        60,
    ) {
        None => Ok(()),
        Some(rest) => Err(Failure::at(
            "oracle",
            format!(
                "pg_dump differs beyond the tables strata reported as not scriptable ({}): {rest}",
                reported.join(", ")
            ),
        )),
    }
}
