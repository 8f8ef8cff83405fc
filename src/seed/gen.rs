//! Row generators: turn a `[[table]]` spec into a stream of rows, deterministically from
//! the RNG seed (ChaCha8, one stream per table), in memory bounded by the columns later
//! tables look up (a `Vec<i64>` per looked-up column), never by the rows themselves.

use std::collections::{HashMap, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use super::fake_text::fake_text;
use super::spec::{EdgeSpec, Gen, TableSpec, Target};
use super::value::Value;

const MICROS_PER_DAY: f64 = 86_400_000_000.0;

/// Why a spec cannot generate.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("seeds.toml: table {table}: column {column}: {message}")]
    Column {
        table: String,
        column: String,
        message: String,
    },
    #[error("seeds.toml: table {table}: {message}")]
    Table { table: String, message: String },
}

/// State shared across tables: row counts and the columns later tables look up.
#[derive(Debug, Default)]
pub struct World {
    /// Seed's clock, microseconds since the Unix epoch.
    pub base_micros: i64,
    pub rng_seed: u64,
    /// Rows of each table (all its specs together).
    pub counts: FxHashMap<String, u64>,
    /// (table, column) → value by row (index = id - 1).
    pub retained: FxHashMap<(String, String), Vec<i64>>,
    /// Results of `query` generators, by SQL text.
    pub query_values: HashMap<String, Vec<Value>>,
}

impl World {
    fn count(&self, table: &str) -> Option<u64> {
        self.counts.get(table).copied()
    }
}

/// Which (table, column) values must be kept for lookups.
pub fn retained_columns(specs: &[TableSpec]) -> HashSet<(String, String)> {
    let mut keep = HashSet::new();
    for spec in specs {
        for (column, gen) in &spec.columns {
            collect_retained(&spec.name, column, gen, &mut keep);
        }
    }
    keep
}

fn collect_retained(table: &str, column: &str, gen: &Gen, keep: &mut HashSet<(String, String)>) {
    match gen {
        Gen::Lookup {
            table: t,
            column: c,
            ..
        } => {
            keep.insert((t.clone(), c.clone()));
        }
        Gen::Ref {
            inherit: Some(_), ..
        } => {
            keep.insert((table.to_string(), column.to_string()));
        }
        Gen::Maybe { value, .. } => collect_retained(table, column, value, keep),
        Gen::Segments { parts } => {
            for p in parts {
                collect_retained(table, column, &p.value, keep);
            }
        }
        Gen::Switch { cases, .. } => {
            for g in cases.values() {
                collect_retained(table, column, g, keep);
            }
        }
        _ => {}
    }
}

fn stream_seed(rng_seed: u64, name: &str) -> u64 {
    let digest = Sha256::digest(format!("{rng_seed}:{name}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(bytes)
}

/// Generates the rows of one table spec.
pub struct TableGen<'a> {
    spec: &'a TableSpec,
    rng: ChaCha8Rng,
    pub rows: u64,
    /// Ids of this spec's rows start after `offset` (earlier specs of the same table).
    offset: u64,
    columns: Vec<(&'a str, &'a Gen)>,
    index: FxHashMap<&'a str, usize>,
    keep: Vec<Option<(String, String)>>,
    mix_state: FxHashMap<usize, Vec<u64>>,
    edges: Option<EdgeGen>,
    current_edge: (i64, i64),
}

impl<'a> TableGen<'a> {
    pub fn new(
        spec: &'a TableSpec,
        rows: u64,
        offset: u64,
        world: &World,
        keep: &HashSet<(String, String)>,
    ) -> Result<TableGen<'a>, GenError> {
        let columns: Vec<(&str, &Gen)> =
            spec.columns.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let index: FxHashMap<&str, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (*c, i))
            .collect();
        let table_err = |message: String| GenError::Table {
            table: spec.display_name(),
            message,
        };
        // Every column a generator reads must come before it.
        for (i, (column, gen)) in columns.iter().enumerate() {
            for read in gen.reads() {
                match index.get(read) {
                    Some(j) if *j < i => {}
                    _ => {
                        return Err(GenError::Column {
                            table: spec.display_name(),
                            column: column.to_string(),
                            message: format!(
                                "reads column '{read}', which must be listed before it"
                            ),
                        })
                    }
                }
            }
            check_refs(gen, world).map_err(|message| GenError::Column {
                table: spec.display_name(),
                column: column.to_string(),
                message,
            })?;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(stream_seed(world.rng_seed, &spec.display_name()));
        let edges = match &spec.edges {
            Some(e) => Some(EdgeGen::new(e, rows, world, &mut rng).map_err(table_err)?),
            None => None,
        };
        let keep = columns
            .iter()
            .map(|(c, _)| {
                let key = (spec.name.clone(), c.to_string());
                keep.contains(&key).then_some(key)
            })
            .collect();
        Ok(TableGen {
            spec,
            rng,
            rows,
            offset,
            columns,
            index,
            keep,
            mix_state: FxHashMap::default(),
            edges,
            current_edge: (0, 0),
        })
    }

    /// The columns written to the table: all but helper columns, whose names start with
    /// `_` (generated for other columns to read, never written).
    pub fn column_names(&self) -> Vec<&'a str> {
        self.columns
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| !c.starts_with('_'))
            .collect()
    }

    /// Positions of the written columns in a generated row.
    pub fn written(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|i| !self.columns[*i].0.starts_with('_'))
            .collect()
    }

    /// The next row (`i` counts from 0) into `values` (emptied first); false when an edge
    /// table ran out of distinct edges.
    pub fn row(
        &mut self,
        i: u64,
        world: &mut World,
        values: &mut Vec<Value>,
    ) -> Result<bool, GenError> {
        values.clear();
        if let Some(edges) = &mut self.edges {
            match edges.next(&mut self.rng) {
                Some(edge) => self.current_edge = edge,
                None => return Ok(false),
            }
        }
        for c in 0..self.columns.len() {
            let (column, gen) = self.columns[c];
            let v = self
                .value(gen, c, i, values, world)
                .map_err(|message| GenError::Column {
                    table: self.spec.display_name(),
                    column: column.to_string(),
                    message,
                })?;
            if let Some(key) = &self.keep[c] {
                let slot = match world.retained.get_mut(key) {
                    Some(slot) => slot,
                    None => world.retained.entry(key.clone()).or_default(),
                };
                let id = (self.offset + i) as usize;
                if slot.len() <= id {
                    slot.resize(id + 1, 0);
                }
                slot[id] = v.as_int().unwrap_or(0);
            }
            values.push(v);
        }
        Ok(true)
    }

    fn col<'v>(&self, name: &str, values: &'v [Value]) -> Result<&'v Value, String> {
        self.index
            .get(name)
            .and_then(|i| values.get(*i))
            .ok_or_else(|| format!("column '{name}' is not generated before this one"))
    }

    fn value(
        &mut self,
        gen: &Gen,
        c: usize,
        i: u64,
        values: &[Value],
        world: &World,
    ) -> Result<Value, String> {
        let rows = self.rows;
        Ok(match gen {
            Gen::RowId => Value::Int((self.offset + i + 1) as i64),
            Gen::Const { value } => Value::from_toml(value),
            Gen::Null => Value::Null,
            Gen::Int { min, max, log } => {
                if min > max {
                    return Err(format!("min {min} > max {max}"));
                }
                if *log && *min > 0 {
                    let (lo, hi) = ((*min as f64).ln(), (*max as f64).ln());
                    Value::Int((self.rng.random_range(lo..=hi)).exp().round() as i64)
                } else {
                    Value::Int(self.rng.random_range(*min..=*max))
                }
            }
            Gen::Bool { p } => Value::Bool(self.rng.random_bool(p.clamp(0.0, 1.0))),
            Gen::Fake {
                kind,
                unique,
                max_len,
            } => Value::Text(fake_text(
                &mut self.rng,
                kind,
                *unique,
                *max_len,
                self.offset + i + 1,
            )?),
            Gen::Bcrypt => {
                const ALPHABET: &[u8] =
                    b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
                let tail: String = (0..53)
                    .map(|_| ALPHABET[self.rng.random_range(0..ALPHABET.len())] as char)
                    .collect();
                Value::Text(format!("$2b$10${tail}"))
            }
            Gen::Uuid => {
                let mut b: [u8; 16] = self.rng.random();
                b[6] = (b[6] & 0x0f) | 0x40;
                b[8] = (b[8] & 0x3f) | 0x80;
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let mut text = String::with_capacity(36);
                for (k, x) in b.iter().enumerate() {
                    if matches!(k, 4 | 6 | 8 | 10) {
                        text.push('-');
                    }
                    text.push(HEX[usize::from(x >> 4)] as char);
                    text.push(HEX[usize::from(x & 0x0f)] as char);
                }
                Value::Text(text)
            }
            Gen::Mix {
                values: choices,
                weights,
            } => {
                if choices.len() != weights.len() || choices.is_empty() {
                    return Err("mix needs as many weights as values".into());
                }
                let total: u64 = weights.iter().sum();
                let assigned = self
                    .mix_state
                    .entry(c)
                    .or_insert_with(|| vec![0; weights.len()]);
                // Streaming largest remainder: exact proportions, evenly interleaved.
                let mut best = 0;
                let mut best_gap = f64::MIN;
                for (k, w) in weights.iter().enumerate() {
                    let target = (i + 1) as f64 * *w as f64 / total.max(1) as f64;
                    let gap = target - assigned[k] as f64;
                    if gap > best_gap {
                        best_gap = gap;
                        best = k;
                    }
                }
                assigned[best] += 1;
                Value::from_toml(&choices[best])
            }
            Gen::Choice {
                values: choices,
                weights,
            } => {
                if choices.is_empty() {
                    return Err("choice needs values".into());
                }
                let k = if weights.is_empty() {
                    self.rng.random_range(0..choices.len())
                } else {
                    let total: u64 = weights.iter().sum();
                    let mut x = self.rng.random_range(0..total.max(1));
                    let mut k = 0;
                    for (j, w) in weights.iter().enumerate() {
                        if x < *w {
                            k = j;
                            break;
                        }
                        x -= w;
                    }
                    k
                };
                Value::from_toml(&choices[k])
            }
            Gen::Segments { parts } => {
                let mut end = 0.0;
                let mut chosen = parts.last().map(|p| &p.value);
                for p in parts {
                    end += p.fraction;
                    if (i as f64) < (end * rows as f64).round() {
                        chosen = Some(&p.value);
                        break;
                    }
                }
                match chosen {
                    Some(g) => self.value(g, c, i, values, world)?,
                    None => Value::Null,
                }
            }
            Gen::Maybe { p, value } => {
                if self.rng.random_bool(p.clamp(0.0, 1.0)) {
                    Value::Null
                } else {
                    self.value(value, c, i, values, world)?
                }
            }
            Gen::Timestamp { days_ago } => {
                let (lo, hi) = (days_ago[0].min(days_ago[1]), days_ago[0].max(days_ago[1]));
                let days = if hi > lo {
                    self.rng.random_range(lo..hi)
                } else {
                    lo
                };
                Value::Time(world.base_micros - (days * MICROS_PER_DAY) as i64)
            }
            Gen::After { column, max_days } => match self.col(column, values)? {
                Value::Time(t) => {
                    let days = if *max_days > 0.0 {
                        self.rng.random_range(0.0..*max_days)
                    } else {
                        0.0
                    };
                    Value::Time((t + (days * MICROS_PER_DAY) as i64).min(world.base_micros))
                }
                Value::Null => Value::Null,
                other => return Err(format!("'{column}' is not a time: {other:?}")),
            },
            Gen::Copy { column } => self.col(column, values)?.clone(),
            Gen::Map { column, map } => {
                let key = self.col(column, values)?.text_cow();
                match map.get(&*key).or_else(|| map.get("_")) {
                    Some(v) => Value::from_toml(v),
                    None => return Err(format!("no entry for '{key}' (add one, or '_')")),
                }
            }
            Gen::Template { text, json } => {
                let out = self.template(text, i, values)?;
                if *json {
                    serde_json::from_str::<serde::de::IgnoredAny>(&out)
                        .map_err(|e| format!("template is not JSON ({e}): {out}"))?;
                }
                Value::Text(out)
            }
            Gen::Ref {
                table,
                hot_fraction,
                hot_share,
                inherit,
            } => {
                if let Some(parent_col) = inherit {
                    if let Value::Int(parent) = self.col(parent_col, values)? {
                        let column = self.columns[c].0;
                        let key = (self.spec.name.clone(), column.to_string());
                        if let Some(v) = world
                            .retained
                            .get(&key)
                            .and_then(|v| v.get((*parent - 1) as usize))
                        {
                            return Ok(Value::Int(*v));
                        }
                    }
                }
                let n = world
                    .count(table)
                    .ok_or_else(|| format!("no generated table '{table}'"))?;
                Value::Int(pick_skewed(&mut self.rng, n, *hot_fraction, *hot_share) as i64)
            }
            Gen::Parent { fraction } => {
                if i > 0 && self.rng.random_bool(fraction.clamp(0.0, 1.0)) {
                    Value::Int((self.offset + 1 + self.rng.random_range(0..i)) as i64)
                } else {
                    Value::Null
                }
            }
            Gen::Lookup { via, table, column } => match self.col(via, values)? {
                Value::Int(id) => {
                    let key = (table.clone(), column.clone());
                    let v = world
                        .retained
                        .get(&key)
                        .and_then(|v| v.get((*id - 1) as usize))
                        .ok_or_else(|| format!("{table}.{column} of row {id} is not known (is {table} generated before?)"))?;
                    Value::Int(*v)
                }
                _ => Value::Null,
            },
            Gen::RefArray { table, len } => {
                let n = world
                    .count(table)
                    .ok_or_else(|| format!("no generated table '{table}'"))?;
                let want = self
                    .rng
                    .random_range(len[0].min(len[1])..=len[0].max(len[1]))
                    .min(n as usize);
                let mut ids: Vec<i64> = Vec::with_capacity(want);
                while ids.len() < want {
                    let id = self.rng.random_range(1..=n) as i64;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Value::IntArray(ids)
            }
            Gen::Switch { column, cases } => {
                let key = self.col(column, values)?.text_cow();
                match cases.get(&*key).or_else(|| cases.get("_")) {
                    Some(g) => self.value(g, c, i, values, world)?,
                    None => return Err(format!("no case for '{key}' (add one, or '_')")),
                }
            }
            Gen::Query { sql } => {
                let options = world
                    .query_values
                    .get(sql)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| format!("query returned no rows: {sql}"))?;
                options[self.rng.random_range(0..options.len())].clone()
            }
            Gen::EdgeFrom => Value::Int(self.current_edge.0),
            Gen::EdgeTo => Value::Int(self.current_edge.1),
            // Known once the counted rows are generated (see copy.rs).
            Gen::Count { .. } => Value::Null,
        })
    }

    fn template(&mut self, text: &str, i: u64, values: &[Value]) -> Result<String, String> {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            // JSON braces pass through: a placeholder is {word...} with no space or quote.
            let end = after.find('}');
            let inner = end.map(|e| &after[..e]);
            let is_placeholder = inner.is_some_and(|s| {
                !s.is_empty()
                    && !s.contains(['"', ' ', '{', '\n', ','])
                    && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            });
            if !is_placeholder {
                out.push('{');
                rest = after;
                continue;
            }
            let inner = inner.unwrap_or_default();
            let (name, arg) = inner.split_once(':').unwrap_or((inner, ""));
            match name {
                "row" => out.push_str(&(self.offset + i + 1).to_string()),
                "color" => {
                    out.push_str(&format!("#{:06x}", self.rng.random_range(0..0x100_0000u32)))
                }
                "int" => {
                    let (a, b) = arg.split_once(':').ok_or("use {int:MIN:MAX}")?;
                    let (a, b): (i64, i64) = (
                        a.parse().map_err(|_| "bad {int}")?,
                        b.parse().map_err(|_| "bad {int}")?,
                    );
                    out.push_str(&self.rng.random_range(a..=b).to_string());
                }
                "fake" => {
                    out.push_str(&fake_text(&mut self.rng, arg, false, None, 0)?.replace('"', "'"))
                }
                "choice" => {
                    let options: Vec<&str> = arg.split('|').collect();
                    out.push_str(options[self.rng.random_range(0..options.len())]);
                }
                "col" => out.push_str(&self.col(arg, values)?.text_cow()),
                other => return Err(format!("unknown placeholder {{{other}}}")),
            }
            rest = &after[inner.len() + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

fn check_refs(gen: &Gen, world: &World) -> Result<(), String> {
    match gen {
        Gen::Ref { table, .. } | Gen::RefArray { table, .. } | Gen::Lookup { table, .. } => {
            if world.count(table).is_none() {
                return Err(format!(
                    "refers to table '{table}', which is not generated before this one"
                ));
            }
            Ok(())
        }
        Gen::Maybe { value, .. } => check_refs(value, world),
        Gen::Segments { parts } => parts.iter().try_for_each(|p| check_refs(&p.value, world)),
        Gen::Switch { cases, .. } => cases.values().try_for_each(|g| check_refs(g, world)),
        _ => Ok(()),
    }
}

/// An id in `1..=n`, a `hot_share` of picks going to the first `hot_fraction` of ids.
fn pick(rng: &mut ChaCha8Rng, n: u64, target: &Target) -> u64 {
    pick_skewed(rng, n, target.hot_fraction, target.hot_share)
}

fn pick_skewed(rng: &mut ChaCha8Rng, n: u64, hot_fraction: f64, hot_share: f64) -> u64 {
    if n == 0 {
        return 1;
    }
    let hot = ((n as f64 * hot_fraction).round() as u64).min(n);
    if hot > 0 && hot < n && rng.random_bool(hot_share.clamp(0.0, 1.0)) {
        1 + rng.random_range(0..hot)
    } else if hot > 0 && hot < n {
        1 + hot + rng.random_range(0..n - hot)
    } else {
        1 + rng.random_range(0..n)
    }
}

/// Unique edges, generated node by node: mutual pairs first, then distinct targets picked
/// with the hot/cold skew; memory is the mutual pairs plus one node's edges.
struct EdgeGen {
    to: Target,
    n_from: u64,
    n_to: u64,
    no_self: bool,
    partners: HashMap<u64, Vec<u64>>,
    remaining_rows: u64,
    node: u64,
    per_node: u64,
    extra: u64,
    queue: std::collections::VecDeque<(i64, i64)>,
}

impl EdgeGen {
    fn new(
        spec: &EdgeSpec,
        rows: u64,
        world: &World,
        rng: &mut ChaCha8Rng,
    ) -> Result<EdgeGen, String> {
        let n_from = world.count(&spec.from.table).ok_or_else(|| {
            format!(
                "edges from '{}', which is not generated before",
                spec.from.table
            )
        })?;
        let n_to = world.count(&spec.to.table).ok_or_else(|| {
            format!(
                "edges to '{}', which is not generated before",
                spec.to.table
            )
        })?;
        let same = spec.from.table == spec.to.table;
        let mut partners: HashMap<u64, Vec<u64>> = HashMap::new();
        let mut pairs_made = 0u64;
        if same && spec.mutual > 0.0 {
            let pairs = ((rows as f64 * spec.mutual) / 2.0).round() as u64;
            let mut seen: HashSet<(u64, u64)> = HashSet::new();
            let mut attempts = 0u64;
            while pairs_made < pairs && attempts < pairs * 50 + 100 {
                attempts += 1;
                let a = pick(rng, n_from, &spec.from);
                let b = pick(rng, n_to, &spec.to);
                if a == b {
                    continue;
                }
                let key = (a.min(b), a.max(b));
                if seen.insert(key) {
                    partners.entry(a).or_default().push(b);
                    partners.entry(b).or_default().push(a);
                    pairs_made += 1;
                }
            }
        }
        let remaining = rows.saturating_sub(pairs_made * 2);
        Ok(EdgeGen {
            to: spec.to.clone(),
            n_from,
            n_to,
            no_self: spec.no_self && same,
            partners,
            remaining_rows: rows,
            node: 0,
            per_node: remaining / n_from.max(1),
            extra: remaining % n_from.max(1),
            queue: Default::default(),
        })
    }

    fn next(&mut self, rng: &mut ChaCha8Rng) -> Option<(i64, i64)> {
        while self.queue.is_empty() {
            if self.remaining_rows == 0 || self.node >= self.n_from {
                return None;
            }
            self.node += 1;
            self.fill_node(rng);
        }
        self.remaining_rows -= 1;
        self.queue.pop_front()
    }

    fn fill_node(&mut self, rng: &mut ChaCha8Rng) {
        let a = self.node;
        let mut chosen = TargetSet::default();
        if let Some(ps) = self.partners.remove(&a) {
            for b in ps {
                if chosen.insert(b) {
                    self.queue.push_back((a as i64, b as i64));
                }
            }
        }
        // The remainder of the rows goes to the first nodes, one extra each.
        let want = self.per_node + u64::from(a <= self.extra);
        let available = self.n_to - u64::from(self.no_self && a <= self.n_to);
        let mut added = 0;
        while added < want && (chosen.len() as u64) < available {
            let mut b = pick(rng, self.n_to, &self.to);
            let mut tries = 0;
            while (chosen.contains(b) || (self.no_self && b == a)) && tries < 16 {
                b = pick(rng, self.n_to, &self.to);
                tries += 1;
            }
            if chosen.contains(b) || (self.no_self && b == a) {
                // Saturated hot set: walk to the next free target.
                let mut probe = b;
                loop {
                    probe = probe % self.n_to + 1;
                    if !(chosen.contains(probe) || self.no_self && probe == a) {
                        break;
                    }
                }
                b = probe;
            }
            chosen.insert(b);
            self.queue.push_back((a as i64, b as i64));
            added += 1;
        }
    }
}

/// The targets already chosen for one node: a short list (a node has a handful of edges),
/// a hash set once it grows.
#[derive(Default)]
struct TargetSet {
    list: Vec<u64>,
    set: Option<HashSet<u64>>,
}

impl TargetSet {
    const LIST_MAX: usize = 64;

    fn contains(&self, x: u64) -> bool {
        match &self.set {
            Some(set) => set.contains(&x),
            None => self.list.contains(&x),
        }
    }

    /// Adds `x`; false if it was there already.
    fn insert(&mut self, x: u64) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(x);
        }
        if self.list.contains(&x) {
            return false;
        }
        self.list.push(x);
        if self.list.len() > Self::LIST_MAX {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }

    fn len(&self) -> usize {
        self.set.as_ref().map_or(self.list.len(), HashSet::len)
    }
}
