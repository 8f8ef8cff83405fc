//! Lint settings of `schema.toml`: `[settings] lint = "deny" | "warn" | "off"` (what
//! `apply` does with findings) and the `[lint]` table (size thresholds, the rates used
//! for duration estimates, project-wide allowances with their reasons).

use serde::{Deserialize, Serialize};

/// What `apply` does with the static lint of the migrations it is about to run.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LintGate {
    /// Refuse to apply when a finding is an error.
    Deny,
    /// Print the findings on stderr and apply.
    #[default]
    Warn,
    /// Do not lint.
    Off,
}

/// A project-wide allowance: `rule` is accepted (in `files`, a glob over the path relative
/// to the project, or everywhere) for `reason`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigAllow {
    pub rule: String,
    pub reason: String,
    #[serde(default)]
    pub files: Option<String>,
}

/// The `[lint]` table.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LintConfig {
    /// A lock/rewrite/scan finding on a table at least this large is an error (`10MB`).
    #[serde(with = "size_text")]
    pub error_above_bytes: u64,
    /// ... or with at least this many rows.
    pub error_above_rows: u64,
    /// Rewrite rate for duration estimates, MB/s (measured on the scratch database by
    /// `--trace`; this value otherwise).
    pub rewrite_mb_per_s: f64,
    /// Scan (validation, index build) rate for estimates, MB/s.
    pub scan_mb_per_s: f64,
    /// Allowances for the whole project.
    pub allow: Vec<ConfigAllow>,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            error_above_bytes: 10 * 1024 * 1024,
            error_above_rows: 100_000,
            rewrite_mb_per_s: 100.0,
            scan_mb_per_s: 300.0,
            allow: Vec::new(),
        }
    }
}

mod size_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(n),
            Raw::Text(t) => super::parse_size(&t).map_err(serde::de::Error::custom),
        }
    }

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(*v)
    }
}

/// Parses `10MB`, `512 kB`, `2GB`, `1000` (bytes).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("bad size '{text}' (use e.g. 10MB, 512kB, 2GB)"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1024.0,
        "mb" => 1024.0 * 1024.0,
        "gb" => 1024.0 * 1024.0 * 1024.0,
        "tb" => 1024.0_f64.powi(4),
        other => {
            return Err(format!(
                "bad size unit '{other}' in '{text}' (B, kB, MB, GB, TB)"
            ))
        }
    };
    Ok((n * mult) as u64)
}

/// A byte count for people: `48 MB`, `3.2 GB`, `812 kB`.
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} GB", b / (1024.0 * 1024.0 * 1024.0))
    } else if b >= 1024.0 * 1024.0 {
        format!("{:.0} MB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.0} kB", b / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("10MB").unwrap(), 10 * 1024 * 1024);
        assert_eq!(parse_size("512 kB").unwrap(), 512 * 1024);
        assert_eq!(parse_size("100").unwrap(), 100);
        assert!(parse_size("ten").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }

    #[test]
    fn config_reads_from_toml() {
        let c: LintConfig = toml::from_str(
            "error_above_bytes = \"1GB\"\nerror_above_rows = 5\n[[allow]]\nrule = \"prefer-text\"\nreason = \"spec\"\n",
        )
        .unwrap();
        assert_eq!(c.error_above_bytes, 1024 * 1024 * 1024);
        assert_eq!(c.allow[0].rule, "prefer-text");
        assert!(toml::from_str::<LintConfig>("bogus = 1").is_err());
    }
}
