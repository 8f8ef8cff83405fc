//! ALTER TABLE: the lock each action takes (the statement takes the strongest), whether it
//! scans or rewrites, and the findings of the actions that are dangerous on an existing
//! table.

use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::{SyntaxKind as K, SyntaxNode};

use super::analyze::{lock_raw, plain, FileCtx, RawTuple, StatementFacts};
use super::model::{LockMode, Model, Rewrite};
use super::objects::{read_check, references, type_advice};
use super::rules as r;
use super::syntax::{
    child, column_type, descendant, has_child, has_descendant, last_name, qualified,
    type_change_rewrites, type_child, volatile_call,
};

use LockMode::{
    AccessExclusiveLock as AE, ShareRowExclusiveLock as SRE, ShareUpdateExclusiveLock as SUE,
};

pub fn alter_table(
    model: &mut Model,
    mut file: FileCtx,
    alter: &ast::AlterTable,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let Some(table) = child(node, K::TABLE_RELATION_NAME).map(|n| qualified(&n)) else {
        return;
    };
    let existing = !file.created.contains(&table);
    let mut renames = false;
    for action in alter.actions() {
        let a = action.syntax().clone();
        use ast::AlterTableAction as A;
        match action {
            A::AddColumn(_) => add_column(model, &file, &table, existing, &a, facts, raws),
            A::DropColumn(_) => {
                facts.lock(&table, AE, existing);
                let col = descendant(&a, K::COLUMN_NAME_REF)
                    .map(|c| last_name(&c))
                    .unwrap_or_default();
                if existing {
                    raws.push(plain(
                        r::DROP_COLUMN,
                        &a,
                        format!(
                            "drops column {table}.{col}: code still reading or writing it fails"
                        ),
                    ));
                }
                if let Some(t) = model.tables.get_mut(&table) {
                    t.columns.remove(&col);
                }
            }
            A::AlterColumn(_) => alter_column(model, &table, existing, &a, facts, raws),
            A::AddConstraint(_) => add_constraint(model, &file, &table, existing, &a, facts, raws),
            A::ValidateConstraint(_) => {
                facts.lock(&table, SUE, existing).scan = true;
                let name = descendant(&a, K::CONSTRAINT_NAME_REF)
                    .map(|n| last_name(&n))
                    .unwrap_or_default();
                if let Some(c) = model
                    .tables
                    .get_mut(&table)
                    .and_then(|t| t.checks.get_mut(&name))
                {
                    c.validated = true;
                }
                if file.in_tx {
                    if let Some((mode, line)) = file.held.get(&table).filter(|(m, _)| *m >= SRE) {
                        raws.push(lock_raw(
                            r::VALIDATE_SAME_TRANSACTION,
                            &a,
                            format!(
                                "VALIDATE CONSTRAINT {name} runs while this transaction still holds {} on {table} (taken at line {line}): the scan blocks what that lock blocks",
                                mode.name()
                            ),
                            &table,
                            *mode,
                            false,
                        ));
                    }
                }
            }
            A::RenameColumn(_) => {
                renames = true;
                facts.lock(&table, AE, existing);
                let from = descendant(&a, K::COLUMN_NAME_REF)
                    .map(|c| last_name(&c))
                    .unwrap_or_default();
                let to = child(&a, K::COLUMN_NAME)
                    .map(|c| last_name(&c))
                    .unwrap_or_default();
                if existing {
                    raws.push(plain(
                        r::RENAME_COLUMN,
                        &a,
                        format!("renames {table}.{from} to {to}: code using the old name fails until it is deployed"),
                    ));
                }
                if let Some(t) = model.tables.get_mut(&table) {
                    if let Some(c) = t.columns.remove(&from) {
                        t.columns.insert(to, c);
                    }
                }
            }
            A::TableRenameTo(_) => {
                renames = true;
                facts.lock(&table, AE, existing);
                let schema = table.split('.').next().unwrap_or("public");
                let to = format!(
                    "{schema}.{}",
                    descendant(&a, K::TABLE_NAME)
                        .map(|n| last_name(&n))
                        .unwrap_or_default()
                );
                if existing {
                    raws.push(plain(
                        r::RENAME_TABLE,
                        &a,
                        format!("renames {table} to {to}: code using the old name fails until it is deployed"),
                    ));
                }
                moved(model, &mut file, &table, &to, existing);
            }
            A::RenameConstraint(_) => {
                renames = true;
                facts.lock(&table, AE, existing);
            }
            A::DetachPartition(_) => {
                let concurrently = has_descendant(&a, K::CONCURRENTLY_KW);
                if let Some(p) = child(&a, K::TABLE_NAME_REF) {
                    let part = qualified(&p);
                    let existing = !file.created.contains(&part);
                    facts.lock(&part, if concurrently { SUE } else { AE }, existing);
                }
                if concurrently {
                    facts.needs_no_transaction = true;
                    facts.lock(&table, SUE, existing);
                    if file.in_tx {
                        raws.push(plain(
                            r::CONCURRENTLY_IN_TRANSACTION,
                            &a,
                            "DETACH PARTITION CONCURRENTLY cannot run inside a transaction block"
                                .into(),
                        ));
                    }
                } else {
                    facts.lock(&table, AE, existing);
                    if existing {
                        raws.push(lock_raw(
                            r::DETACH_NOT_CONCURRENT,
                            &a,
                            format!("DETACH PARTITION takes AccessExclusiveLock on {table} (blocks reads and writes)"),
                            &table,
                            AE,
                            false,
                        ));
                    }
                }
            }
            A::SetSchema(_) => {
                facts.lock(&table, AE, existing);
                let name = table.split('.').nth(1).unwrap_or(&table).to_string();
                let schema = child(&a, K::SCHEMA_REF)
                    .map(|s| last_name(&s))
                    .unwrap_or_default();
                let to = format!("{schema}.{name}");
                moved(model, &mut file, &table, &to, existing);
            }
            A::AttachPartition(_) => {
                facts.lock(&table, SUE, existing);
                if let Some(p) = descendant(&a, K::PATH_REF) {
                    let part = qualified(&p);
                    let existing = !file.created.contains(&part);
                    facts.lock(&part, AE, existing).scan = true;
                }
            }
            A::SetLogged(_) | A::SetUnlogged(_) | A::SetTablespace(_) | A::SetAccessMethod(_) => {
                let f = facts.lock(&table, AE, existing);
                f.rewrite = Rewrite::Yes;
                f.scan = true;
                if existing {
                    raws.push(lock_raw(
                        r::TABLE_REWRITE,
                        &a,
                        format!(
                            "rewrites {table} under AccessExclusiveLock (blocks reads and writes)"
                        ),
                        &table,
                        AE,
                        true,
                    ));
                }
            }
            A::EnableTrigger(_)
            | A::DisableTrigger(_)
            | A::EnableAlwaysTrigger(_)
            | A::EnableReplicaTrigger(_) => {
                facts.lock(&table, SRE, existing);
            }
            A::SetOptions(_) | A::ResetOptions(_) | A::ClusterOn(_) | A::SetWithoutCluster(_) => {
                facts.lock(&table, SUE, existing);
            }
            _ => {
                facts.lock(&table, AE, existing);
            }
        }
    }
    let only_validates = alter
        .actions()
        .all(|a| matches!(a, ast::AlterTableAction::ValidateConstraint(_)));
    if existing && !renames && !only_validates {
        let count = file.alters.entry(table.clone()).or_insert(0);
        *count += 1;
        if *count == 2 {
            raws.push(plain(
                r::ALTER_TABLE_COMBINE,
                node,
                format!("second ALTER TABLE of {table} in this migration: one statement with both actions locks (and scans) once"),
            ));
        }
    }
}

/// A table renamed or moved to another schema: the model follows it, and predictions keep
/// calling an existing one by the name it had when the migration began.
fn moved(model: &mut Model, file: &mut FileCtx, from: &str, to: &str, existing: bool) {
    if let Some(t) = model.tables.remove(from) {
        model.tables.insert(to.to_string(), t);
    }
    if existing {
        let original = file
            .aliases
            .get(from)
            .cloned()
            .unwrap_or_else(|| from.to_string());
        file.aliases.insert(to.to_string(), original);
    } else {
        file.created.insert(to.to_string());
    }
}

fn add_column(
    model: &mut Model,
    file: &FileCtx,
    table: &str,
    existing: bool,
    a: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let col = child(a, K::COLUMN_NAME)
        .map(|c| last_name(&c))
        .unwrap_or_default();
    let ty = type_child(a).map(|t| column_type(&t));
    let generated = a.children().find(|c| c.kind() == K::GENERATED_CONSTRAINT);
    let stored = generated
        .as_ref()
        .is_some_and(|g| has_descendant(g, K::STORED_KW));
    let identity = generated
        .as_ref()
        .is_some_and(|g| has_descendant(g, K::IDENTITY_KW));
    let serial = ty
        .as_ref()
        .is_some_and(|t| matches!(t.base.as_str(), "serial" | "bigserial" | "smallserial"));
    let default = a.children().find(|c| c.kind() == K::DEFAULT_CONSTRAINT);
    let volatile = default.as_ref().and_then(volatile_call);
    let pk = has_child(a, K::PRIMARY_KEY_CONSTRAINT);
    let unique = has_child(a, K::UNIQUE_CONSTRAINT);
    let not_null = has_child(a, K::NOT_NULL_CONSTRAINT) || pk;
    let f = facts.lock(table, AE, existing);
    let mut rewrite = false;
    if existing {
        let short = format!("{table}.{col}");
        if stored {
            rewrite = true;
            raws.push(lock_raw(r::GENERATED_STORED, a, format!("adds stored generated column {short}: every row is computed, rewriting {table} under AccessExclusiveLock"), table, AE, true));
        } else if identity || serial {
            rewrite = true;
            raws.push(lock_raw(r::SERIAL_COLUMN, a, format!("adds {} column {short}: a value for every row rewrites {table} under AccessExclusiveLock", if identity { "identity" } else { "serial" }), table, AE, true));
        } else if let Some(func) = &volatile {
            rewrite = true;
            raws.push(lock_raw(r::VOLATILE_DEFAULT, a, format!("adds {short} with default calling {func}() (volatile or not known to be stable): {table} is rewritten under AccessExclusiveLock"), table, AE, true));
        }
        if not_null && default.is_none() && !identity && !serial && !stored {
            raws.push(plain(r::NOT_NULL_NO_DEFAULT, a, format!("adds NOT NULL column {short} without a default: fails if {table} has rows, and inserts that do not set it fail")));
        }
        if pk {
            raws.push(lock_raw(r::PRIMARY_KEY_ADDED, a, format!("adds a primary key on {short}: its index is built under AccessExclusiveLock (blocks reads and writes)"), table, AE, rewrite));
        } else if unique {
            raws.push(lock_raw(r::UNIQUE_CONSTRAINT, a, format!("UNIQUE on new column {short} builds an index under AccessExclusiveLock (blocks reads and writes)"), table, AE, rewrite));
        }
        if a.children().any(|c| c.kind() == K::REFERENCES_CONSTRAINT) {
            raws.push(lock_raw(r::FOREIGN_KEY_VALIDATES, a, format!("adds {short} with REFERENCES: every row of {table} is checked while both tables are locked against writes"), table, AE, rewrite));
        }
        if a.children().any(|c| c.kind() == K::CHECK_CONSTRAINT) {
            raws.push(lock_raw(r::CHECK_VALIDATES, a, format!("adds {short} with a CHECK: every row of {table} is checked under AccessExclusiveLock"), table, AE, rewrite));
        }
    }
    if rewrite {
        f.rewrite = Rewrite::Yes;
        f.scan = true;
    }
    if pk
        || unique
        || a.children()
            .any(|c| matches!(c.kind(), K::REFERENCES_CONSTRAINT | K::CHECK_CONSTRAINT))
    {
        facts.lock(table, AE, existing).scan = true;
    }
    for fk in a
        .children()
        .filter(|c| c.kind() == K::REFERENCES_CONSTRAINT)
    {
        references(
            model,
            (file.created, file.source),
            table,
            &fk,
            vec![col.clone()],
            facts,
        );
    }
    if let Some(ty) = &ty {
        type_advice(&col, ty, pk || identity, a, raws);
    }
    let t = model.table_mut(table);
    if pk || unique {
        t.indexes.push(vec![col.clone()]);
    }
    t.columns.insert(
        col,
        super::model::Column {
            ty,
            not_null: not_null || identity,
        },
    );
}

fn alter_column(
    model: &mut Model,
    table: &str,
    existing: bool,
    a: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let col = child(a, K::COLUMN_NAME_REF)
        .map(|c| last_name(&c))
        .unwrap_or_default();
    let Some(option) = a.children().find(|c| c.kind() != K::COLUMN_NAME_REF) else {
        return;
    };
    match option.kind() {
        K::SET_NOT_NULL => {
            let proven = model
                .tables
                .get(table)
                .is_some_and(|t| t.proves_not_null(&col));
            let f = facts.lock(table, AE, existing);
            if !proven {
                f.scan = true;
            }
            if existing && !proven {
                raws.push(lock_raw(
                    r::SET_NOT_NULL,
                    a,
                    format!("SET NOT NULL on {table}.{col} scans every row under AccessExclusiveLock (no validated CHECK ({col} IS NOT NULL) precedes it)"),
                    table,
                    AE,
                    false,
                ));
            }
            model
                .table_mut(table)
                .columns
                .entry(col)
                .or_default()
                .not_null = true;
        }
        K::DROP_NOT_NULL => {
            facts.lock(table, AE, existing);
            if existing {
                raws.push(plain(
                    r::DROP_NOT_NULL,
                    a,
                    format!("drops NOT NULL on {table}.{col}: readers must now handle NULL"),
                ));
            }
            if let Some(c) = model.table_mut(table).columns.get_mut(&col) {
                c.not_null = false;
            }
        }
        K::SET_TYPE => {
            let new = type_child(&option).map(|t| column_type(&t));
            let using = has_child(&option, K::USING_EXPR);
            let old = model.column_type(table, &col).cloned();
            let rewrite = match (&old, &new) {
                _ if using => Rewrite::Yes,
                (Some(o), Some(n))
                    if (o.is("timestamp") && n.is("timestamptz"))
                        || (o.is("timestamptz") && n.is("timestamp")) =>
                {
                    Rewrite::Maybe
                }
                (Some(o), Some(n)) => {
                    if type_change_rewrites(o, n) {
                        Rewrite::Yes
                    } else {
                        Rewrite::No
                    }
                }
                _ => Rewrite::Maybe,
            };
            let f = facts.lock(table, AE, existing);
            f.rewrite = rewrite;
            f.scan = rewrite != Rewrite::No;
            if existing && rewrite != Rewrite::No {
                let from = old.as_ref().map(|o| o.display()).unwrap_or_else(|| {
                    "its current type (not defined in the migrations read)".into()
                });
                let to = new.as_ref().map(|n| n.display()).unwrap_or_default();
                raws.push(lock_raw(
                    r::COLUMN_TYPE_REWRITE,
                    a,
                    format!(
                        "changing {table}.{col} from {from} to {to}{} {} the table and its indexes under AccessExclusiveLock",
                        if using { " with USING" } else { "" },
                        if rewrite == Rewrite::Yes { "rewrites" } else { "may rewrite" }
                    ),
                    table,
                    AE,
                    rewrite == Rewrite::Yes,
                ));
            }
            if let Some(c) = model.table_mut(table).columns.get_mut(&col) {
                c.ty = new;
            }
        }
        K::SET_STATISTICS | K::SET_OPTIONS | K::RESET_OPTIONS => {
            facts.lock(table, SUE, existing);
        }
        _ => {
            facts.lock(table, AE, existing);
        }
    }
}

fn add_constraint(
    model: &mut Model,
    file: &FileCtx,
    table: &str,
    existing: bool,
    a: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let Some(c) = a.children().next() else {
        return;
    };
    let not_valid = has_descendant(&c, K::NOT_VALID);
    let using_index = has_child(&c, K::USING_INDEX_NAME);
    let name = descendant(&c, K::CONSTRAINT_NAME)
        .map(|n| format!(" {}", last_name(&n)))
        .unwrap_or_default();
    let cols: Vec<String> = c
        .descendants()
        .filter(|d| d.kind() == K::COLUMN_NAME_REF)
        .map(|d| last_name(&d))
        .collect();
    match c.kind() {
        K::FOREIGN_KEY_CONSTRAINT => {
            let f = facts.lock(table, SRE, existing);
            f.scan = !not_valid;
            let fk_cols = child(&c, K::FOREIGN_KEY_COLUMN_LIST)
                .map(|l| l.children().map(|x| last_name(&x)).collect())
                .unwrap_or_default();
            references(
                model,
                (file.created, file.source),
                table,
                &c,
                fk_cols,
                facts,
            );
            if existing && !not_valid {
                raws.push(lock_raw(
                    r::FOREIGN_KEY_VALIDATES,
                    a,
                    format!("foreign key{name} on {table} without NOT VALID checks every row while {table} and the referenced table are locked against writes (ShareRowExclusiveLock)"),
                    table,
                    SRE,
                    false,
                ));
            }
        }
        K::CHECK_CONSTRAINT => {
            let f = facts.lock(table, AE, existing);
            f.scan = !not_valid;
            if existing && !not_valid {
                raws.push(lock_raw(
                    r::CHECK_VALIDATES,
                    a,
                    format!("CHECK{name} on {table} without NOT VALID scans every row under AccessExclusiveLock (blocks reads and writes)"),
                    table,
                    AE,
                    false,
                ));
            }
            if let Some((cname, check)) = read_check(&c, true) {
                model.table_mut(table).checks.insert(cname, check);
            }
        }
        K::UNIQUE_CONSTRAINT => {
            let f = facts.lock(table, AE, existing);
            if !using_index {
                f.scan = true;
                if existing {
                    raws.push(lock_raw(
                        r::UNIQUE_CONSTRAINT,
                        a,
                        format!("UNIQUE{name} on {table} ({}) builds its index under AccessExclusiveLock (blocks reads and writes)", cols.join(", ")),
                        table,
                        AE,
                        false,
                    ));
                }
                model.table_mut(table).indexes.push(cols);
            }
        }
        K::PRIMARY_KEY_CONSTRAINT => {
            let f = facts.lock(table, AE, existing);
            if using_index {
                let t = model.tables.get(table);
                let nullable: Vec<String> = t
                    .map(|t| {
                        t.columns
                            .iter()
                            .filter(|(_, c)| !c.not_null)
                            .map(|(n, _)| n.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                let unknown = t.is_none();
                if existing && (unknown || !nullable.is_empty()) {
                    f.scan = true;
                    raws.push(lock_raw(
                        r::PRIMARY_KEY_NULLABLE,
                        a,
                        format!(
                            "PRIMARY KEY USING INDEX on {table} sets NOT NULL on its columns, scanning the table under AccessExclusiveLock when one is nullable{}",
                            if unknown { " (the columns are not defined in the migrations read)".to_string() } else { String::new() }
                        ),
                        table,
                        AE,
                        false,
                    ));
                }
            } else {
                f.scan = true;
                if existing {
                    raws.push(lock_raw(
                        r::PRIMARY_KEY_ADDED,
                        a,
                        format!("ADD PRIMARY KEY on {table} ({}) builds its index under AccessExclusiveLock (blocks reads and writes)", cols.join(", ")),
                        table,
                        AE,
                        false,
                    ));
                }
                let t = model.table_mut(table);
                for col in &cols {
                    t.columns.entry(col.clone()).or_default().not_null = true;
                }
                t.indexes.push(cols);
            }
        }
        K::EXCLUDE_CONSTRAINT => {
            facts.lock(table, AE, existing).scan = true;
            if existing {
                raws.push(lock_raw(
                    r::EXCLUSION_CONSTRAINT,
                    a,
                    format!("EXCLUDE constraint{name} on {table} builds its index and checks every row under AccessExclusiveLock"),
                    table,
                    AE,
                    false,
                ));
            }
        }
        _ => {
            facts.lock(table, AE, existing);
        }
    }
}
