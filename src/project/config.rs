//! `schema.toml`: the project's name, its phases and its settings, validated when the
//! project loads (names against PostgreSQL's 63-byte limit, durations against its limits),
//! so nothing that can be checked before a run fails half-way through one.

use std::time::Duration;

use serde::Deserialize;

use super::LoadError;

/// The `[project]` table of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectInfo {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One `[[phases]]` entry: its folder is `migrations/<position>_<name>/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseInfo {
    pub name: String,
    pub description: String,
}

/// How strata serialises writers.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LockMode {
    /// A session-level advisory lock (default).
    #[default]
    Advisory,
    /// A row lock on a lock table, for poolers in transaction mode.
    Table,
}

/// The `[settings]` table of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// Schema of the history table.
    #[serde(default = "default_history_schema")]
    pub history_schema: String,
    /// Name of the history table.
    #[serde(default = "default_history_table")]
    pub history_table: String,
    /// How long to wait for strata's own lock (`60s`).
    #[serde(default = "default_lock_timeout", with = "duration_text")]
    pub lock_timeout: Duration,
    /// PostgreSQL `lock_timeout` while migrations run (`1s`; `0` = none).
    #[serde(default = "default_ddl_lock_timeout", with = "duration_text")]
    pub ddl_lock_timeout: Duration,
    /// How many times a migration that gave up on a lock is retried (`20`; `0` = never).
    #[serde(default = "default_ddl_lock_retries")]
    pub ddl_lock_retries: u32,
    /// The total time after which no retry starts (`5min`).
    #[serde(default = "default_ddl_lock_budget", with = "duration_text")]
    pub ddl_lock_budget: Duration,
    /// PostgreSQL `statement_timeout` while migrations run (`0` = none).
    #[serde(default, with = "duration_text")]
    pub statement_timeout: Duration,
    /// How writers are serialised.
    #[serde(default)]
    pub lock_mode: LockMode,
    /// What `apply` does with the lint of the migrations it is about to run.
    #[serde(default)]
    pub lint: super::lint_config::LintGate,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        ProjectSettings {
            history_schema: default_history_schema(),
            history_table: default_history_table(),
            lock_timeout: default_lock_timeout(),
            ddl_lock_timeout: default_ddl_lock_timeout(),
            ddl_lock_retries: default_ddl_lock_retries(),
            ddl_lock_budget: default_ddl_lock_budget(),
            statement_timeout: Duration::ZERO,
            lock_mode: LockMode::Advisory,
            lint: super::lint_config::LintGate::Warn,
        }
    }
}

fn default_history_schema() -> String {
    "public".into()
}
fn default_history_table() -> String {
    "schema_migrations".into()
}
fn default_lock_timeout() -> Duration {
    Duration::from_secs(60)
}
fn default_ddl_lock_timeout() -> Duration {
    Duration::from_secs(1)
}
fn default_ddl_lock_retries() -> u32 {
    20
}
fn default_ddl_lock_budget() -> Duration {
    Duration::from_secs(300)
}

/// Durations written as text (`60s`, `500ms`, `2min`, `0`).
mod duration_text {
    use serde::{Deserialize, Deserializer};
    use std::time::Duration;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        super::parse_duration(&text).map_err(serde::de::Error::custom)
    }
}

/// Name of the lock table that goes with a history table (`lock_mode = "table"`).
pub fn lock_table_name(history_table: &str) -> String {
    format!("{history_table}_lock")
}

/// The longest duration PostgreSQL takes for `lock_timeout` and `statement_timeout`
/// (a 32-bit count of milliseconds, about 24.8 days); strata's own waits use the same bound.
pub const MAX_DURATION: Duration = Duration::from_millis(i32::MAX as u64);

/// Parses a duration as `60s`, `500ms`, `2min`, `1h` or a bare number of seconds, within
/// what PostgreSQL accepts: whole milliseconds, at most [`MAX_DURATION`].
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    let duration = if t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u64>()
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .map(Duration::from_millis)
            .ok_or_else(|| format!("bad duration '{text}': too large"))?
    } else {
        humantime::parse_duration(t)
            .map_err(|e| format!("bad duration '{text}': {e} (use e.g. 60s, 500ms, 2min)"))?
    };
    if duration > MAX_DURATION {
        return Err(format!(
            "duration '{text}' is longer than PostgreSQL's limit of {} ms (about 24.8 days)",
            MAX_DURATION.as_millis()
        ));
    }
    if duration.subsec_nanos() % 1_000_000 != 0 {
        return Err(format!(
            "duration '{text}' is not a whole number of milliseconds (PostgreSQL's unit)"
        ));
    }
    Ok(duration)
}

/// PostgreSQL's limit on identifier length, in bytes (NAMEDATALEN - 1).
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// The whole of schema.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectConfig {
    pub project: ProjectInfo,
    #[serde(default)]
    pub phases: Vec<PhaseInfo>,
    #[serde(default)]
    pub settings: ProjectSettings,
    /// Declared invariants for `strata check` (kept as raw TOML here; the check engine
    /// reads them).
    #[serde(default)]
    pub invariants: Vec<toml::Table>,
    /// A file holding more invariants, relative to the project.
    #[serde(default)]
    pub invariants_file: Option<String>,
    /// `[lint]`: thresholds, estimate rates and project-wide allowances.
    #[serde(default)]
    pub lint: super::lint_config::LintConfig,
}

impl ProjectConfig {
    /// Parses and validates schema.toml text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<ProjectConfig, LoadError> {
        let bad = |message: String| LoadError::BadConfig {
            path: path.to_string(),
            message,
        };
        let config: ProjectConfig =
            toml::from_str(text).map_err(|e| bad(one_line(&e.to_string())))?;
        if config.project.name.trim().is_empty() {
            return Err(bad("project.name is empty".into()));
        }
        for (i, phase) in config.phases.iter().enumerate() {
            if phase.name.is_empty()
                || !phase
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(bad(format!(
                    "phases[{i}].name '{}' must be letters, digits, '_' or '-'",
                    phase.name
                )));
            }
            if config.phases[..i].iter().any(|p| p.name == phase.name) {
                return Err(bad(format!("phase '{}' is declared twice", phase.name)));
            }
        }
        let s = &config.settings;
        for (field, value) in [
            ("settings.history_schema", &s.history_schema),
            ("settings.history_table", &s.history_table),
        ] {
            if value.is_empty() || value.len() > MAX_IDENTIFIER_BYTES {
                return Err(bad(format!(
                    "{field} must be 1 to {MAX_IDENTIFIER_BYTES} bytes (PostgreSQL's limit on names), got {} bytes: '{value}'",
                    value.len()
                )));
            }
        }
        let lock_table = lock_table_name(&s.history_table);
        if s.lock_mode == LockMode::Table && lock_table.len() > MAX_IDENTIFIER_BYTES {
            return Err(bad(format!(
                "settings.history_table '{}' is too long for lock_mode = \"table\": its lock table '{lock_table}' would be {} bytes, over PostgreSQL's limit of {MAX_IDENTIFIER_BYTES} (PostgreSQL would shorten it and it could collide); use a history_table of at most {} bytes",
                s.history_table,
                lock_table.len(),
                MAX_IDENTIFIER_BYTES - (lock_table.len() - s.history_table.len())
            )));
        }
        Ok(config)
    }

    /// Folder name of the phase at 1-based `number`.
    pub fn phase_folder(&self, number: u32) -> Option<String> {
        let phase = self.phases.get((number as usize).checked_sub(1)?)?;
        Some(format!("{number}_{}", phase.name))
    }
}

/// Folds a multi-line parser message into one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed_config() {
        for (text, expected) in [
            ("[project]\nname = 1\n", "schema.toml"),
            ("[project]\nname = \"\"\n", "project.name is empty"),
            ("[project]\nname = \"x\"\nbogus = 1\n", "unknown field"),
            (
                "[project]\nname = \"x\"\n[settings]\nlock_timeout = \"soon\"\n",
                "bad duration",
            ),
            (
                "[project]\nname = \"x\"\n[[phases]]\nname = \"a b\"\ndescription = \"\"\n",
                "must be letters",
            ),
            ("[project\nname=", "schema.toml"),
            (
                "[project]\nname = \"x\"\n[settings]\nddl_lock_timeout = \"30d\"\n",
                "duration '30d' is longer than PostgreSQL's limit of 2147483647 ms",
            ),
            (
                "[project]\nname = \"x\"\n[settings]\nstatement_timeout = \"1500us\"\n",
                "not a whole number of milliseconds",
            ),
            (
                &format!("[project]\nname = \"x\"\n[settings]\nhistory_table = \"{}\"\n", "é".repeat(32)),
                "settings.history_table must be 1 to 63 bytes (PostgreSQL's limit on names), got 64 bytes",
            ),
            (
                &format!("[project]\nname = \"x\"\n[settings]\nhistory_table = \"{}\"\nlock_mode = \"table\"\n", "h".repeat(63)),
                "its lock table 'hhhh",
            ),
        ] {
            let err = ProjectConfig::parse(text, "schema.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "expected '{expected}' in '{err}'");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("60").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2min").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("fast").is_err());
        assert_eq!(
            parse_duration("24d").unwrap(),
            Duration::from_secs(24 * 86400)
        );
        assert!(parse_duration("25d").is_err());
        assert!(parse_duration("99999999999999999999").is_err());
        assert!(parse_duration("0").is_ok());
    }
}
