//! Checks that share one scan: the catalog checks that read a single table with a row
//! condition (its NOT NULL columns, each CHECK constraint) are counted together in one pass
//! over the table (`count(*) FILTER (WHERE …)` per check) instead of one pass each. A check
//! whose count is not zero then runs alone for its count and samples, so what it reports is
//! exactly what running it alone reports; when the shared pass fails, each runs alone.

use std::collections::HashMap;
use std::time::Instant;

use tokio_postgres::{Client, SimpleQueryMessage};

use super::{run_one, run_retrying, Check, CheckResult, KeyOrder, Status, CHECK_SETTINGS};

/// The pool's units of work, in `order`: one check, or the checks of one table that can
/// share a scan (their first place in `order` is the unit's).
pub fn units(checks: &[Check], order: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut by_table: HashMap<&str, usize> = HashMap::new();
    for &i in order {
        let c = &checks[i];
        match (&c.table, &c.filter, &c.fix) {
            (Some(table), Some(_), None) => match by_table.get(table.as_str()) {
                Some(&u) => out[u].push(i),
                None => {
                    by_table.insert(table, out.len());
                    out.push(vec![i]);
                }
            },
            _ => out.push(vec![i]),
        }
    }
    out
}

/// Runs a unit: alone, or as one shared scan. Each check that the shared scan answers
/// reports the scan's time.
pub async fn run_unit(
    client: &Client,
    unit: Vec<(usize, Check)>,
    parallel_workers: usize,
) -> Vec<(usize, CheckResult)> {
    if unit.len() == 1 {
        let (i, check) = &unit[0];
        return vec![(*i, run_one(client, check, parallel_workers).await)];
    }
    let t0 = Instant::now();
    let counts = shared_counts(client, &unit, parallel_workers).await;
    let ms = t0.elapsed().as_millis() as u64;
    let mut out = Vec::with_capacity(unit.len());
    for (k, (i, check)) in unit.iter().enumerate() {
        match counts.as_ref().map(|c| c[k]) {
            Some(0) => out.push((*i, clean(check, ms))),
            // Violations (or no shared answer): alone, for the count and samples.
            _ => out.push((*i, run_one(client, check, parallel_workers).await)),
        }
    }
    out
}

/// The violations of each check of `unit` from one pass over their table, or None when the
/// pass failed (each check then runs alone and reports its own error).
async fn shared_counts(
    client: &Client,
    unit: &[(usize, Check)],
    parallel_workers: usize,
) -> Option<Vec<u64>> {
    let table = unit[0].1.table.as_deref()?;
    let counts: Vec<String> = unit
        .iter()
        .map(|(_, c)| {
            c.filter
                .as_deref()
                .map(|f| format!("count(*) FILTER (WHERE {f})"))
        })
        .collect::<Option<_>>()?;
    let sql = format!(
        "BEGIN READ ONLY;
         SET LOCAL max_parallel_workers_per_gather = {parallel_workers};
         {CHECK_SETTINGS}
         SELECT {} FROM {table} t;
         COMMIT;",
        counts.join(", ")
    );
    counts_row(client, &sql, unit.len()).await
}

/// The one row of `width` counts a counting batch returns, or None when it failed (rolled
/// back) or returned something else.
async fn counts_row(client: &Client, sql: &str, width: usize) -> Option<Vec<u64>> {
    match run_retrying(client, sql).await {
        Ok(messages) => messages.iter().find_map(|m| match m {
            SimpleQueryMessage::Row(row) if row.len() == width => (0..width)
                .map(|k| row.get(k).and_then(|v| v.parse().ok()))
                .collect(),
            _ => None,
        }),
        Err(_) => {
            let _ = client.batch_execute("ROLLBACK").await;
            None
        }
    }
}

pub(super) fn clean(check: &Check, ms: u64) -> CheckResult {
    CheckResult {
        name: check.name.clone(),
        source: check.source,
        severity: check.severity,
        status: Status::Ok,
        violations: 0,
        samples: Vec::new(),
        ms,
        fixed_rows: None,
        remaining: None,
        needs_person: false,
        error: None,
    }
}

/// The orphans of a foreign-key check counted in key order (hash joins off for this one
/// transaction; see [`Check::merge_with`]), or None when the count failed (the check then
/// runs as written). Measured at scale 1 (post_interactions → posts, 2 M rows against
/// 0.5 M): 0.28–0.42 s in key order against 0.77–1.4 s hashing the parent.
pub(super) async fn count_in_key_order(
    client: &Client,
    order: &KeyOrder,
    parallel_workers: usize,
) -> Option<u64> {
    let sql = format!(
        "BEGIN READ ONLY;
         SET LOCAL max_parallel_workers_per_gather = {parallel_workers};
         {CHECK_SETTINGS}
         SET LOCAL enable_hashjoin = off;
         {};
         COMMIT;",
        order.count
    );
    counts_row(client, &sql, 1).await.map(|c| c[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Severity, Source};

    fn check(name: &str, table: Option<&str>, filter: Option<&str>) -> Check {
        Check {
            name: name.into(),
            source: Source::Catalog,
            severity: Severity::Error,
            description: String::new(),
            sql: String::new(),
            fix: None,
            table: table.map(str::to_string),
            filter: filter.map(str::to_string),
            merge_with: None,
        }
    }

    #[test]
    fn the_row_conditions_of_one_table_share_a_unit_and_nothing_else_does() {
        let checks = vec![
            check("not_null:a", Some("a"), Some("x IS NULL")),
            check("fk:a.f", Some("a"), None),
            check("check:b.c", Some("b"), Some("NOT (y > 0)")),
            check("check:a.c", Some("a"), Some("NOT (z > 0)")),
            check("declared", None, None),
        ];
        let order = [1, 0, 2, 3, 4];
        assert_eq!(
            units(&checks, &order),
            vec![vec![1], vec![0, 3], vec![2], vec![4]]
        );
    }
}
