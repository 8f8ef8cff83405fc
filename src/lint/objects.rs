//! The statements that define objects: CREATE TABLE (columns, keys, type preferences,
//! foreign keys), CREATE INDEX, DROP INDEX, REINDEX, ALTER TYPE (enum values).

use std::collections::BTreeSet;

use squawk_syntax::{SyntaxKind as K, SyntaxNode};

use super::analyze::{at, lock_raw, not_in_transaction, plain, File, RawTuple, StatementFacts};
use super::model::{Check, Column, LockMode, Model, PendingForeignKey};
use super::rules::{self as r, Rule};
use super::syntax::{
    child, column_type, descendant, has_child, has_descendant, ident, last_name, normalized,
    qualified, type_child, ColumnType,
};

pub(crate) fn create_table(
    model: &mut Model,
    file: &mut File,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let Some(name) = child(node, K::TABLE_NAME).map(|n| qualified(&n)) else {
        return;
    };
    if has_child(node, K::IF_NOT_EXISTS) && model.tables.contains_key(&name) {
        return;
    }
    file.created.insert(name.clone());
    if let Some(parent) = child(node, K::PARTITION_OF).and_then(|p| descendant(&p, K::PATH_REF)) {
        let parent = qualified(&parent);
        let existing = !file.created.contains(&parent);
        facts.lock(&parent, LockMode::AccessExclusiveLock, existing);
    }
    let mut table = super::model::Table {
        created_in: Some(file.source),
        ..Default::default()
    };
    let mut keys: BTreeSet<String> = BTreeSet::new();
    let mut typed: Vec<(String, ColumnType, SyntaxNode, bool)> = Vec::new();
    let Some(args) = child(node, K::TABLE_ARG_LIST) else {
        model.tables.insert(name, table);
        return;
    };
    for item in args.children() {
        match item.kind() {
            K::COLUMN => {
                let col = child(&item, K::COLUMN_NAME)
                    .map(|c| last_name(&c))
                    .unwrap_or_default();
                let ty = type_child(&item).map(|t| column_type(&t));
                let pk = has_child(&item, K::PRIMARY_KEY_CONSTRAINT);
                let identity = item.children().any(|c| {
                    c.kind() == K::GENERATED_CONSTRAINT && has_descendant(&c, K::IDENTITY_KW)
                });
                let not_null = pk || has_child(&item, K::NOT_NULL_CONSTRAINT) || identity;
                if pk || has_child(&item, K::UNIQUE_CONSTRAINT) {
                    table.indexes.push(vec![col.clone()]);
                }
                if pk || identity {
                    keys.insert(col.clone());
                }
                for fk in item
                    .children()
                    .filter(|c| c.kind() == K::REFERENCES_CONSTRAINT)
                {
                    references(
                        model,
                        (&file.created, file.source),
                        &name,
                        &fk,
                        vec![col.clone()],
                        facts,
                    );
                }
                if let Some(ty) = &ty {
                    typed.push((col.clone(), ty.clone(), item.clone(), identity));
                }
                table.columns.insert(col, Column { ty, not_null });
            }
            K::PRIMARY_KEY_CONSTRAINT | K::UNIQUE_CONSTRAINT => {
                let cols: Vec<String> = item
                    .descendants()
                    .filter(|d| d.kind() == K::COLUMN_NAME_REF)
                    .map(|d| last_name(&d))
                    .collect();
                if item.kind() == K::PRIMARY_KEY_CONSTRAINT {
                    for c in &cols {
                        keys.insert(c.clone());
                        table.columns.entry(c.clone()).or_default().not_null = true;
                    }
                }
                table.indexes.push(cols);
            }
            K::FOREIGN_KEY_CONSTRAINT => {
                let cols = child(&item, K::FOREIGN_KEY_COLUMN_LIST)
                    .map(|l| l.children().map(|c| last_name(&c)).collect())
                    .unwrap_or_default();
                references(
                    model,
                    (&file.created, file.source),
                    &name,
                    &item,
                    cols,
                    facts,
                );
            }
            K::CHECK_CONSTRAINT => {
                if let Some((cname, check)) = read_check(&item, true) {
                    table.checks.insert(cname, check);
                }
            }
            _ => {}
        }
    }
    for (col, ty, item, identity) in typed {
        let key = keys.contains(&col) || identity;
        type_advice(&col, &ty, key, &item, raws);
    }
    model.tables.insert(name, table);
}

/// A foreign key of `table` (a column's REFERENCES or a table constraint): the referenced
/// table is locked ShareRowExclusive, and the key waits for an index check.
pub(crate) fn references(
    model: &mut Model,
    (created, source): (&BTreeSet<String>, usize),
    table: &str,
    fk: &SyntaxNode,
    columns: Vec<String>,
    facts: &mut StatementFacts,
) {
    if let Some(target) = child(fk, K::TABLE_NAME_REF) {
        let target = qualified(&target);
        let existing = !created.contains(&target);
        facts.lock(&target, LockMode::ShareRowExclusiveLock, existing);
    }
    if !columns.is_empty() {
        model.foreign_keys.push(PendingForeignKey {
            source,
            statement: facts.index,
            offset: at(fk),
            table: table.to_string(),
            columns,
        });
    }
}

/// A CHECK constraint's name and what it proves.
pub(crate) fn read_check(node: &SyntaxNode, validated: bool) -> Option<(String, Check)> {
    let name = descendant(node, K::CONSTRAINT_NAME)
        .map(|n| last_name(&n))
        .unwrap_or_else(|| format!("check_at_{}", at(node)));
    let not_valid = has_descendant(node, K::NOT_VALID);
    let expr = node
        .children()
        .find(|c| c.kind() == K::BIN_EXPR || c.kind() == K::POSTFIX_EXPR);
    let not_null_of = expr.and_then(|e| {
        let text = normalized(&e);
        let col = text.strip_suffix(" is not null")?;
        (!col.contains(' ')).then(|| ident(col))
    });
    Some((
        name,
        Check {
            not_null_of,
            validated: validated && !not_valid,
        },
    ))
}

/// Type preferences for a column being defined.
pub(crate) fn type_advice(
    col: &str,
    ty: &ColumnType,
    key: bool,
    node: &SyntaxNode,
    raws: &mut Vec<RawTuple>,
) {
    let shown = ty.display();
    let mut say = |rule: &'static Rule, text: String| raws.push(plain(rule, node, text));
    match ty.base.as_str() {
        "timestamp" => say(
            r::PREFER_TIMESTAMPTZ,
            format!("column {col} is {shown}: use timestamptz"),
        ),
        "varchar" if !ty.mods.is_empty() => say(
            r::PREFER_TEXT,
            format!(
                "column {col} is {shown}: use text (with a CHECK on its length if that is a rule)"
            ),
        ),
        "char" => say(
            r::PREFER_TEXT_OVER_CHAR,
            format!("column {col} is {shown}: use text"),
        ),
        "json" => say(r::PREFER_JSONB, format!("column {col} is json: use jsonb")),
        _ => {}
    }
    if matches!(ty.base.as_str(), "serial" | "bigserial" | "smallserial") && !ty.array {
        say(
            r::PREFER_IDENTITY,
            format!("column {col} is {shown}: use GENERATED ALWAYS AS IDENTITY"),
        );
    }
    if key
        && !ty.array
        && matches!(
            ty.base.as_str(),
            "integer" | "smallint" | "serial" | "smallserial"
        )
    {
        say(
            r::PREFER_BIGINT,
            format!("key column {col} is {shown}: use bigint"),
        );
    }
}

pub(crate) fn create_index(
    model: &mut Model,
    file: &mut File,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let Some(table) = child(node, K::TABLE_RELATION_NAME).map(|n| qualified(&n)) else {
        return;
    };
    let concurrently = has_child(node, K::CONCURRENTLY_KW);
    let unique = has_child(node, K::UNIQUE_KW);
    let existing = !file.created.contains(&table);
    let schema = table.split('.').next().unwrap_or("public").to_string();
    let name = child(node, K::INDEX).map(|n| format!("{schema}.{}", last_name(&n)));
    let columns: Vec<String> = child(node, K::PARTITION_ITEM_LIST)
        .map(|l| {
            l.children()
                .map(|item| match item.children().next() {
                    Some(first) if first.kind() == K::NAME_REF => last_name(&first),
                    _ => normalized(&item),
                })
                .collect()
        })
        .unwrap_or_default();
    let mode = if concurrently {
        LockMode::ShareUpdateExclusiveLock
    } else {
        LockMode::ShareLock
    };
    facts.lock(&table, mode, existing).scan = true;
    if concurrently {
        facts.needs_no_transaction = true;
        if file.in_tx {
            raws.push(plain(
                r::CONCURRENTLY_IN_TRANSACTION,
                node,
                "CREATE INDEX CONCURRENTLY cannot run inside a transaction block: mark the migration `-- strata:no-transaction`".into(),
            ));
        } else if !has_child(node, K::IF_NOT_EXISTS) {
            raws.push(plain(
                r::NOT_IDEMPOTENT,
                node,
                "CREATE INDEX CONCURRENTLY without IF NOT EXISTS: a re-run after a failure stops here".into(),
            ));
        }
    } else if existing {
        raws.push(lock_raw(
            r::INDEX_NOT_CONCURRENT,
            node,
            format!(
                "CREATE {}INDEX{} on {table} without CONCURRENTLY holds ShareLock (blocks writes) for the whole build",
                if unique { "UNIQUE " } else { "" },
                name.as_ref().map(|n| format!(" {}", n.split('.').nth(1).unwrap_or(n))).unwrap_or_default()
            ),
            &table,
            mode,
            false,
        ));
    }
    if !unique && columns.len() > 3 {
        raws.push(plain(
            r::INDEX_TOO_MANY_COLUMNS,
            node,
            format!("non-unique index on {} columns", columns.len()),
        ));
    }
    if let Some(name) = name {
        model.indexes.insert(name.clone(), table.clone());
        file.created_indexes.insert(name);
    }
    model.table_mut(&table).indexes.push(columns);
}

pub(crate) fn drop_index(
    model: &mut Model,
    file: &mut File,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let concurrently = has_child(node, K::CONCURRENTLY_KW);
    if concurrently {
        facts.needs_no_transaction = true;
        if file.in_tx {
            raws.push(plain(
                r::CONCURRENTLY_IN_TRANSACTION,
                node,
                "DROP INDEX CONCURRENTLY cannot run inside a transaction block: mark the migration `-- strata:no-transaction`".into(),
            ));
        } else if !has_child(node, K::IF_EXISTS) {
            raws.push(plain(
                r::NOT_IDEMPOTENT,
                node,
                "DROP INDEX CONCURRENTLY without IF EXISTS: a re-run after a failure stops here"
                    .into(),
            ));
        }
    }
    for ix in node.children().filter(|c| c.kind() == K::INDEX_REF) {
        let name = qualified(&ix);
        let table = model.indexes.remove(&name);
        let existing = !file.created_indexes.contains(&name);
        let mode = if concurrently {
            LockMode::ShareUpdateExclusiveLock
        } else {
            LockMode::AccessExclusiveLock
        };
        if let Some(table) = &table {
            let table_existing = existing && !file.created.contains(table);
            facts.lock(table, mode, table_existing);
        }
        if !concurrently && existing {
            let on = table.clone().unwrap_or_else(|| name.clone());
            raws.push(lock_raw(
                r::DROP_INDEX_NOT_CONCURRENT,
                node,
                format!(
                    "DROP INDEX {name} without CONCURRENTLY takes AccessExclusiveLock on {} (blocks reads and writes)",
                    table.as_deref().unwrap_or("its table")
                ),
                &on,
                mode,
                false,
            ));
        }
    }
}

pub(crate) fn reindex(
    model: &mut Model,
    file: &mut File,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let concurrently = has_descendant(node, K::CONCURRENTLY_KW);
    let target = node
        .children()
        .find(|c| matches!(c.kind(), K::REINDEX_TARGET_TABLE | K::REINDEX_TARGET_INDEX));
    if target.is_none() {
        facts.needs_no_transaction = true;
        not_in_transaction(file, node, "REINDEX SCHEMA/DATABASE/SYSTEM", raws);
    }
    let table = target.as_ref().and_then(|t| {
        if let Some(tn) = descendant(t, K::TABLE_NAME_REF) {
            Some(qualified(&tn))
        } else {
            descendant(t, K::INDEX_REF).and_then(|i| model.indexes.get(&qualified(&i)).cloned())
        }
    });
    let mode = if concurrently {
        LockMode::ShareUpdateExclusiveLock
    } else {
        LockMode::ShareLock
    };
    if let Some(table) = &table {
        let existing = !file.created.contains(table);
        facts.lock(table, mode, existing).scan = true;
    }
    if concurrently {
        facts.needs_no_transaction = true;
        if file.in_tx {
            raws.push(plain(
                r::CONCURRENTLY_IN_TRANSACTION,
                node,
                "REINDEX CONCURRENTLY cannot run inside a transaction block".into(),
            ));
        }
    } else if let Some(table) = table.filter(|t| !file.created.contains(t)) {
        raws.push(lock_raw(
            r::REINDEX_NOT_CONCURRENT,
            node,
            format!("REINDEX without CONCURRENTLY holds ShareLock on {table} (blocks writes) and AccessExclusiveLock on the indexes it rebuilds"),
            &table,
            mode,
            false,
        ));
    }
}

pub(crate) fn alter_type(file: &mut File, node: &SyntaxNode, raws: &mut Vec<RawTuple>) {
    if let Some(add) = child(node, K::ADD_VALUE) {
        let label = add
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .find(|t| t.kind() == K::STRING)
            .map(|t| t.text().to_string())
            .unwrap_or_default();
        if !has_child(&add, K::BEFORE_VALUE) && !has_child(&add, K::AFTER_VALUE) {
            raws.push(plain(
                r::ENUM_VALUE_POSITION,
                &add,
                format!("ADD VALUE {label} without BEFORE/AFTER puts it last in the sort order"),
            ));
        }
        if file.in_tx && !label.is_empty() {
            file.new_enum_values.push(label);
        }
    }
    if has_child(node, K::RENAME_VALUE) {
        raws.push(plain(
            r::RENAME_ENUM_VALUE,
            node,
            "renames an enum value: code writing the old label fails".into(),
        ));
    }
}
