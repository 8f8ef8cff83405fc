//! The seed definition a project keeps in `seeds/seeds.toml`: profiles (which SQL files to
//! run, whether to generate rows, how counters are kept), and one `[[table]]` per generated
//! table with a generator per column. The generators themselves are Rust (`gen.rs`).

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;

/// `seeds/seeds.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSpec {
    /// The seed's clock: generated timestamps are placed before it, so data does not depend
    /// on when the seed runs (RFC 3339).
    pub base_time: String,
    /// Used when `--rng-seed` is not given.
    #[serde(default = "default_rng_seed")]
    pub default_rng_seed: u64,
    pub profiles: BTreeMap<String, ProfileSpec>,
    /// Tables emptied by `--reset` besides the generated ones (e.g. tables that triggers
    /// fill), in any order.
    #[serde(default)]
    pub reset_also: Vec<String>,
    #[serde(default, rename = "table")]
    pub tables: Vec<TableSpec>,
}

fn default_rng_seed() -> u64 {
    42
}

/// Which row count of a table a profile uses.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum RowCount {
    /// `rows` (the development sizes).
    #[default]
    Rows,
    /// `load_rows`, multiplied by `--scale`.
    LoadRows,
}

/// One profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    #[serde(default)]
    pub description: String,
    /// Profiles run first (e.g. `reference`).
    #[serde(default)]
    pub include: Vec<String>,
    /// SQL files run as they are; they must be idempotent.
    #[serde(default)]
    pub sql: Vec<String>,
    /// Generate the `[[table]]` rows.
    #[serde(default)]
    pub generate: bool,
    /// Which row count to use.
    #[serde(default)]
    pub count: RowCount,
    /// Keep user triggers enabled while rows go in (they then maintain counters row by
    /// row); when false, triggers are disabled for the load and `recompute` runs instead.
    #[serde(default = "yes")]
    pub triggers: bool,
    /// SQL run after the load when triggers were disabled: recomputes what they maintain.
    #[serde(default)]
    pub recompute: Vec<String>,
    /// SQL run at the end of the profile.
    #[serde(default)]
    pub after: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One generated table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// The table rows go into.
    pub name: String,
    /// Distinguishes two specs of the same table (e.g. likes and bookmarks).
    #[serde(default)]
    pub label: Option<String>,
    /// Rows in the `rows` count (development sizes).
    pub rows: u64,
    /// Rows at `--scale 1` of the load profile.
    #[serde(default)]
    pub load_rows: Option<u64>,
    /// Rows are unique edges between two tables (follows, likes, members).
    #[serde(default)]
    pub edges: Option<EdgeSpec>,
    /// Column → generator, in order (a generator may read columns before it).
    pub columns: IndexMap<String, Gen>,
}

impl SeedSpec {
    /// The smallest `--scale` at which every table with `load_rows` still gets at least its
    /// dev-profile `rows` (the smallest set the project defines as valid), and the table that
    /// sets it.
    pub fn min_load_scale(&self) -> Option<(f64, String)> {
        self.tables
            .iter()
            .filter_map(|t| {
                let load = t.load_rows.filter(|l| *l > 0)?;
                Some((t.rows as f64 / load as f64, t.name.clone()))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }

    /// Refuses a `--scale` below [`SeedSpec::min_load_scale`] when a profile of `chain`
    /// generates load-scale rows.
    pub fn check_scale(&self, chain: &[String], scale: f64) -> Result<(), super::SeedError> {
        let Some((min, table)) = self.min_load_scale() else {
            return Ok(());
        };
        let scaled = chain
            .iter()
            .filter_map(|p| self.profiles.get(p))
            .any(|p| p.generate && p.count == RowCount::LoadRows);
        if scaled && scale < min {
            return Err(super::SeedError::BadSpec(format!(
                "--scale {scale} is below this project's minimum of {min}: at a smaller scale {table} gets fewer rows than in the dev profile, the smallest set its seeds define as valid (e.g. a conversation needs two users); use --scale {min} or more, or --profile dev"
            )));
        }
        Ok(())
    }
}

impl TableSpec {
    pub fn display_name(&self) -> String {
        match &self.label {
            Some(l) => format!("{} ({l})", self.name),
            None => self.name.clone(),
        }
    }
}

/// Which rows a reference picks: ids `1..=n` of a generated table, a share of picks going
/// to the first `hot_fraction` of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub table: String,
    /// Fraction of the table's rows (the first ones) that are "hot".
    #[serde(default)]
    pub hot_fraction: f64,
    /// Share of picks that go to the hot rows.
    #[serde(default)]
    pub hot_share: f64,
}

/// Unique edges `from → to`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeSpec {
    pub from: Target,
    pub to: Target,
    /// No edge from a row to itself (same table only).
    #[serde(default)]
    pub no_self: bool,
    /// Fraction of the rows that belong to mutual pairs (a → b and b → a; same table only).
    #[serde(default)]
    pub mutual: f64,
}

/// One segment of rows (by position) and its generator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segment {
    pub fraction: f64,
    pub value: Gen,
}

/// A column generator.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "gen", rename_all = "snake_case", deny_unknown_fields)]
pub enum Gen {
    /// The row's number in its table, from 1 (ids).
    RowId,
    /// A constant.
    Const {
        value: toml::Value,
    },
    /// NULL.
    Null,
    /// A uniform integer in `[min, max]`; `log` makes it log-uniform (file sizes).
    Int {
        min: i64,
        max: i64,
        #[serde(default)]
        log: bool,
    },
    /// True with probability `p`.
    Bool {
        p: f64,
    },
    /// Fake text of a kind (name, first_name, last_name, username, email, sentence,
    /// paragraph, paragraphs, words, word, city, url, company); `unique` appends the row
    /// number.
    Fake {
        kind: String,
        #[serde(default)]
        unique: bool,
        #[serde(default)]
        max_len: Option<usize>,
    },
    /// A bcrypt-shaped password hash.
    Bcrypt,
    /// A random UUID (from the seeded generator).
    Uuid,
    /// Values in exact proportions of `weights`, spread over the rows deterministically.
    Mix {
        values: Vec<toml::Value>,
        weights: Vec<u64>,
    },
    /// A value picked at random (weighted when `weights` is given).
    Choice {
        values: Vec<toml::Value>,
        #[serde(default)]
        weights: Vec<u64>,
    },
    /// Rows by position: the first `fraction` of rows use the first generator, and so on.
    Segments {
        parts: Vec<Segment>,
    },
    /// NULL with probability `p`, else `value`.
    Maybe {
        p: f64,
        value: Box<Gen>,
    },
    /// A time `days_ago` (range) before the seed's clock.
    Timestamp {
        days_ago: [f64; 2],
    },
    /// A time after another time column of the row, by up to `max_days`.
    After {
        column: String,
        max_days: f64,
    },
    /// The value of another column of the row.
    Copy {
        column: String,
    },
    /// Looks another column's value up in `map` (`_` is the default).
    Map {
        column: String,
        map: BTreeMap<String, toml::Value>,
    },
    /// A generator chosen by another column's value (`_` is the default case).
    Switch {
        column: String,
        cases: BTreeMap<String, Gen>,
    },
    /// A value picked at random from the first column of a query run once before
    /// generating (ids of reference data the seed did not generate).
    Query {
        sql: String,
    },
    /// Text with placeholders: {row}, {color}, {int:A:B}, {fake:KIND}, {choice:a|b|c},
    /// {col:NAME}; `json` checks that the result is JSON.
    Template {
        text: String,
        #[serde(default)]
        json: bool,
    },
    /// The id of a row of a generated table (see [`Target`]); `inherit` copies this
    /// column from the row's parent instead when it has one (see `parent`).
    Ref {
        table: String,
        #[serde(default)]
        hot_fraction: f64,
        #[serde(default)]
        hot_share: f64,
        #[serde(default)]
        inherit: Option<String>,
    },
    /// The id of an earlier row of the same table with probability `fraction`, else NULL
    /// (nested replies).
    Parent {
        fraction: f64,
    },
    /// A column of the row another column points at (`via` holds an id of `table`).
    Lookup {
        via: String,
        table: String,
        column: String,
    },
    /// Distinct ids of a generated table, `len` of them.
    RefArray {
        table: String,
        len: [usize; 2],
    },
    /// The `from` / `to` side of an edge table's row.
    EdgeFrom,
    EdgeTo,
    /// How many rows of `table` (every spec of it, generated before or after this one) hold
    /// this row's id in `column`, counting only those whose columns have the `where`
    /// values: a counter the application's triggers keep (likes of a post, replies of a
    /// comment). Computed in a bulk load (triggers off), where the table is then written
    /// once the rows it counts exist; with triggers on the column keeps its default and
    /// the triggers count. No other column can read it.
    Count {
        table: String,
        column: String,
        #[serde(default, rename = "where")]
        filter: BTreeMap<String, toml::Value>,
    },
}

impl Gen {
    /// Columns of the same row this generator reads.
    pub fn reads(&self) -> Vec<&str> {
        match self {
            Gen::After { column, .. } | Gen::Copy { column } | Gen::Map { column, .. } => {
                vec![column.as_str()]
            }
            Gen::Switch { column, cases } => std::iter::once(column.as_str())
                .chain(cases.values().flat_map(|g| g.reads()))
                .collect(),
            Gen::Lookup { via, .. } => vec![via.as_str()],
            Gen::Ref {
                inherit: Some(_), ..
            } => vec![],
            Gen::Maybe { value, .. } => value.reads(),
            Gen::Segments { parts } => parts.iter().flat_map(|p| p.value.reads()).collect(),
            Gen::Template { text, .. } => text
                .split("{col:")
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect(),
            _ => vec![],
        }
    }
}

impl Gen {
    /// Queries this generator needs run before generating.
    pub fn queries(&self) -> Vec<&str> {
        match self {
            Gen::Query { sql } => vec![sql.as_str()],
            Gen::Maybe { value, .. } => value.queries(),
            Gen::Segments { parts } => parts.iter().flat_map(|p| p.value.queries()).collect(),
            Gen::Switch { cases, .. } => cases.values().flat_map(|g| g.queries()).collect(),
            _ => vec![],
        }
    }
}
