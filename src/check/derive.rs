//! Checks derived from the live catalog model: every CHECK constraint and FOREIGN KEY
//! re-evaluated over all rows (which catches `NOT VALID` constraints and rows written while
//! triggers were disabled), NOT NULL columns, unique indexes, and indexes left invalid by a
//! failed `CREATE INDEX CONCURRENTLY`.

use super::{Check, KeyOrder, Severity, Source};
use crate::introspect::{CatalogModel, ConstraintKind, Table};
use crate::local::quote_ident;

/// The checks the catalog implies, in a stable order.
pub fn from_catalog(model: &CatalogModel) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, table) in &model.tables {
        if table.partition_key.is_some() {
            // A partitioned parent holds no rows of its own; its partitions are checked.
            continue;
        }
        let key = row_key(table);
        // What a partition or child inherits is its parent's, checked there.
        let not_null: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.not_null && c.generated.is_none() && !c.inherited)
            .map(|c| format!("{} IS NULL", quote_ident(&c.name)))
            .collect();
        if !not_null.is_empty() {
            checks.push(Check {
                name: format!("not_null:{name}"),
                source: Source::Catalog,
                severity: Severity::Error,
                description: format!("NOT NULL columns of {name} hold no NULL"),
                sql: format!("SELECT {key} FROM {name} t WHERE {}", not_null.join(" OR ")),
                fix: None,
                table: Some(name.clone()),
                filter: Some(not_null.join(" OR ")),
                merge_with: None,
            });
        }
        for (cname, c) in table.constraints.iter().filter(|(_, c)| !c.inherited) {
            match c.kind {
                ConstraintKind::Check => {
                    if let Some(expr) = check_expression(&c.definition) {
                        checks.push(Check {
                            name: format!("check:{name}.{cname}"),
                            source: Source::Catalog,
                            severity: Severity::Error,
                            description: format!("{}{}", c.definition, not_valid_note(c.validated)),
                            sql: format!("SELECT {key} FROM {name} t WHERE NOT ({expr})"),
                            fix: None,
                            table: Some(name.clone()),
                            filter: Some(format!("NOT ({expr})")),
                            merge_with: None,
                        });
                    }
                }
                ConstraintKind::PrimaryKey | ConstraintKind::Unique => {
                    let prefix = if c.kind == ConstraintKind::PrimaryKey {
                        "PRIMARY KEY "
                    } else {
                        "UNIQUE "
                    };
                    // `UNIQUE NULLS NOT DISTINCT (..)` counts NULLs as equal; plain UNIQUE does not.
                    let (rest, nulls_distinct) = match c.definition.strip_prefix(prefix) {
                        Some(r) => match r.strip_prefix("NULLS NOT DISTINCT ") {
                            Some(r2) => (Some(r2), false),
                            None => (Some(r), true),
                        },
                        None => (None, true),
                    };
                    if let Some(cols) = rest.and_then(parenthesised) {
                        let cols: Vec<String> = split_top_level(&cols);
                        checks.push(duplicates_check(
                            format!("unique:{name}.{cname}"),
                            name,
                            &cols,
                            None,
                            nulls_distinct,
                            &c.definition,
                        ));
                    }
                }
                ConstraintKind::ForeignKey => {
                    if let Some(fk) = ForeignKey::parse(&c.definition) {
                        let orphan = fk.orphan_condition(name);
                        let fix = match fk.on_delete.as_str() {
                            // What the schema itself does when the parent row goes.
                            "CASCADE" => Some(format!("DELETE FROM {name} t WHERE {orphan}")),
                            "SET NULL" => Some(format!(
                                "UPDATE {name} t SET {} WHERE {orphan}",
                                fk.columns
                                    .iter()
                                    .map(|c| format!("{c} = NULL"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                            _ => None,
                        };
                        checks.push(Check {
                            name: format!("fk:{name}.{cname}"),
                            source: Source::Catalog,
                            severity: Severity::Error,
                            description: format!("{}{}", c.definition, not_valid_note(c.validated)),
                            sql: format!("SELECT {key} FROM {name} t WHERE {orphan}"),
                            fix,
                            table: Some(name.clone()),
                            // An anti-join: its own plan, never a per-row subplan of a scan.
                            filter: None,
                            merge_with: leads_an_index(table, &fk.columns).then(|| KeyOrder {
                                referenced: fk.references.clone(),
                                count: format!("SELECT count(*) FROM {name} t WHERE {orphan}"),
                            }),
                        });
                    }
                }
                _ => {}
            }
        }
        for (iname, index) in table.indexes.iter().filter(|(_, i)| !i.inherited) {
            if !index.unique {
                continue;
            }
            if let Some(exprs) = index_expressions(&index.definition) {
                checks.push(duplicates_check(
                    format!("unique:{iname}"),
                    name,
                    &exprs,
                    index.predicate.as_deref(),
                    !index.definition.contains(" NULLS NOT DISTINCT"),
                    &index.definition,
                ));
            }
        }
    }
    // One check over all indexes: any left invalid by a failed CREATE INDEX CONCURRENTLY.
    let invalid: Vec<&String> = model
        .tables
        .values()
        .flat_map(|t| t.indexes.iter())
        .chain(model.views.values().flat_map(|v| v.indexes.iter()))
        .filter(|(_, i)| !i.valid)
        .map(|(n, _)| n)
        .collect();
    checks.push(Check {
        name: "indexes_valid".into(),
        source: Source::Catalog,
        severity: Severity::Error,
        description: "no index is left invalid (indisvalid = false) by a failed CREATE INDEX CONCURRENTLY".into(),
        sql: "SELECT i.indexrelid::regclass::text AS index, i.indrelid::regclass::text AS on_table \
              FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid \
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
              WHERE NOT i.indisvalid AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
            .into(),
        fix: (!invalid.is_empty()).then(|| {
            invalid
                .iter()
                // Concurrently, outside the fix transaction: writes to the table go on
                // while the index is rebuilt.
                .map(|n| format!("REINDEX INDEX CONCURRENTLY {n};"))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        table: None,
        filter: None,
        merge_with: None,
    });
    checks
}

/// Rows sharing a key that must be unique (NULLs distinct unless told otherwise).
fn duplicates_check(
    name: String,
    table: &str,
    keys: &[String],
    predicate: Option<&str>,
    nulls_distinct: bool,
    definition: &str,
) -> Check {
    let mut filters: Vec<String> = Vec::new();
    if let Some(p) = predicate {
        filters.push(format!("({p})"));
    }
    if nulls_distinct {
        filters.extend(keys.iter().map(|k| format!("({k}) IS NOT NULL")));
    }
    let filter = if filters.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", filters.join(" AND "))
    };
    Check {
        name,
        source: Source::Catalog,
        severity: Severity::Error,
        description: format!("no two rows share a key of {definition}"),
        sql: format!(
            "SELECT {list}, count(*) AS copies FROM {table} t{filter} GROUP BY {list} HAVING count(*) > 1",
            list = keys.join(", ")
        ),
        fix: None,
        table: Some(table.to_string()),
        filter: None,
        merge_with: None,
    }
}

fn not_valid_note(validated: bool) -> &'static str {
    if validated {
        ""
    } else {
        " (NOT VALID: PostgreSQL never checked the rows that were there before)"
    }
}

/// The columns that identify a row in samples: the primary key, else `ctid`.
fn row_key(table: &Table) -> String {
    table
        .constraints
        .values()
        .find(|c| c.kind == ConstraintKind::PrimaryKey && !c.inherited)
        .and_then(|c| parenthesised(c.definition.strip_prefix("PRIMARY KEY ")?))
        .map(|cols| {
            split_top_level(&cols)
                .iter()
                .map(|c| format!("t.{}", c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "t.ctid".into())
}

/// `CHECK ((a > 0)) NOT VALID` → `(a > 0)`. NO INHERIT is dropped too.
fn check_expression(definition: &str) -> Option<String> {
    let rest = definition.strip_prefix("CHECK ")?;
    parenthesised(rest)
}

/// The text inside the parenthesis `text` starts with (quotes respected).
fn parenthesised(text: &str) -> Option<String> {
    let text = text.trim_start();
    if !text.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, ch) in text.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(text[1..i].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits at commas outside parentheses and quotes.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for ch in text.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(ch);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

/// True when `columns` (in any order) are the leading keys of a valid, whole-table btree
/// index of `table`, so the table can be read in their order from the index alone.
fn leads_an_index(table: &Table, columns: &[String]) -> bool {
    let mut wanted: Vec<&str> = columns.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    table.indexes.values().any(|i| {
        i.valid
            && i.method == "btree"
            && i.predicate.is_none()
            && index_expressions(&i.definition).is_some_and(|keys| {
                let mut lead: Vec<&str> =
                    keys.iter().take(wanted.len()).map(String::as_str).collect();
                lead.sort_unstable();
                lead == wanted
            })
    })
}

/// The key expressions of a unique index (`CREATE UNIQUE INDEX n ON t USING btree (a, lower(b))`),
/// without ordering options; None when it cannot be read.
fn index_expressions(definition: &str) -> Option<Vec<String>> {
    let using = definition.find(" USING ")?;
    let after = &definition[using + 7..];
    let open = after.find('(')?;
    let inside = parenthesised(&after[open..])?;
    Some(
        split_top_level(&inside)
            .into_iter()
            .map(|e| {
                let mut e = e;
                // Ordering options follow the key: `x DESC NULLS LAST`.
                while let Some(stripped) = [" DESC", " ASC", " NULLS FIRST", " NULLS LAST"]
                    .iter()
                    .find_map(|suffix| e.strip_suffix(suffix))
                {
                    e = stripped.to_string();
                }
                e
            })
            .collect(),
    )
}

/// A foreign key as `pg_get_constraintdef` prints it.
#[derive(Debug, PartialEq)]
struct ForeignKey {
    columns: Vec<String>,
    references: String,
    ref_columns: Vec<String>,
    match_full: bool,
    on_delete: String,
}

impl ForeignKey {
    /// `FOREIGN KEY (a, b) REFERENCES s.t(x, y) MATCH FULL ON DELETE CASCADE NOT VALID`
    fn parse(definition: &str) -> Option<ForeignKey> {
        let rest = definition.strip_prefix("FOREIGN KEY ")?;
        let columns = split_top_level(&parenthesised(rest)?);
        let refs_at = rest.find(" REFERENCES ")? + " REFERENCES ".len();
        let refs = &rest[refs_at..];
        let open = refs.find('(')?;
        let references = refs[..open].trim().to_string();
        let ref_columns = split_top_level(&parenthesised(&refs[open..])?);
        let on_delete = refs
            .find("ON DELETE ")
            .map(|i| {
                let tail = &refs[i + "ON DELETE ".len()..];
                if tail.starts_with("SET NULL") {
                    "SET NULL".to_string()
                } else if tail.starts_with("SET DEFAULT") {
                    "SET DEFAULT".to_string()
                } else {
                    tail.split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string()
                }
            })
            .unwrap_or_else(|| "NO ACTION".into());
        Some(ForeignKey {
            columns,
            references,
            ref_columns,
            match_full: refs.contains("MATCH FULL"),
            on_delete,
        })
    }

    /// Rows of `t` whose key is set but has no parent (MATCH SIMPLE: any NULL column means
    /// no check; MATCH FULL: all NULL or none).
    fn orphan_condition(&self, _table: &str) -> String {
        let join: Vec<String> = self
            .columns
            .iter()
            .zip(&self.ref_columns)
            .map(|(c, r)| format!("p.{r} = t.{c}"))
            .collect();
        let all_set: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("t.{c} IS NOT NULL"))
            .collect();
        let missing = format!(
            "NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
            self.references,
            join.join(" AND ")
        );
        if self.match_full && self.columns.len() > 1 {
            let any_set: Vec<String> = self
                .columns
                .iter()
                .map(|c| format!("t.{c} IS NOT NULL"))
                .collect();
            format!(
                "(({}) AND {missing}) OR (({}) AND NOT ({}))",
                all_set.join(" AND "),
                any_set.join(" OR "),
                all_set.join(" AND ")
            )
        } else {
            format!("{} AND {missing}", all_set.join(" AND "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_check_expressions() {
        assert_eq!(
            check_expression("CHECK ((length((name)::text) > 0)) NOT VALID").as_deref(),
            Some("(length((name)::text) > 0)")
        );
        assert_eq!(
            check_expression("CHECK ((a = ')'::text))").as_deref(),
            Some("(a = ')'::text)")
        );
    }

    #[test]
    fn reads_foreign_keys() {
        let fk = ForeignKey::parse(
            "FOREIGN KEY (user_id, org) REFERENCES public.users(id, org) MATCH FULL ON DELETE SET NULL NOT VALID",
        )
        .unwrap();
        assert_eq!(fk.columns, vec!["user_id", "org"]);
        assert_eq!(fk.references, "public.users");
        assert_eq!(fk.ref_columns, vec!["id", "org"]);
        assert!(fk.match_full);
        assert_eq!(fk.on_delete, "SET NULL");
        let fk = ForeignKey::parse(
            "FOREIGN KEY (post_id) REFERENCES public.posts(id) ON DELETE CASCADE",
        )
        .unwrap();
        assert_eq!(fk.on_delete, "CASCADE");
        assert_eq!(
            fk.orphan_condition("public.t"),
            "t.post_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.posts p WHERE p.id = t.post_id)"
        );
        assert_eq!(
            ForeignKey::parse("FOREIGN KEY (a) REFERENCES public.b(c)")
                .unwrap()
                .on_delete,
            "NO ACTION"
        );
    }

    #[test]
    fn reads_index_keys() {
        assert_eq!(
            index_expressions("CREATE UNIQUE INDEX u ON public.t USING btree (user_id, lower((name)::text) DESC NULLS LAST) WHERE (deleted_at IS NULL)"),
            Some(vec!["user_id".to_string(), "lower((name)::text)".to_string()])
        );
    }
}
