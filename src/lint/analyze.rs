//! The static analysis: reads each migration's statements in order against the [`Model`]
//! of what earlier statements made, predicts the locks and rewrites each statement causes
//! ([`StatementFacts`], what `--trace` checks) and raises raw findings (rule, place,
//! message); severities are decided later ([`super::grade`]).

use std::collections::{BTreeMap, BTreeSet};

use squawk_syntax::ast::{self, AstNode};
use squawk_syntax::{SourceFile, SyntaxKind as K, SyntaxNode};

use super::model::{LockFact, LockMode, Model, Rewrite};
use super::objects;
use super::rules::{self as r, Rule};
use super::syntax::{
    child, descendant, has_child, has_descendant, last_name, name_parts, normalized, qualified,
};
use super::SqlSource;

/// What the linter predicts for one statement.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementFacts {
    pub source: usize,
    /// 1-based position in its file.
    pub index: usize,
    /// Byte range in the file.
    pub start: usize,
    pub end: usize,
    pub locks: Vec<LockFact>,
    /// Cannot run inside a transaction block (CONCURRENTLY, VACUUM, ...).
    pub needs_no_transaction: bool,
}

impl StatementFacts {
    pub(crate) fn lock(&mut self, table: &str, mode: LockMode, existing: bool) -> &mut LockFact {
        let i = match self.locks.iter().position(|l| l.table == table) {
            Some(i) => i,
            None => {
                self.locks.push(LockFact {
                    table: table.to_string(),
                    mode,
                    existing,
                    rewrite: Rewrite::No,
                    scan: false,
                });
                self.locks.len() - 1
            }
        };
        let fact = &mut self.locks[i];
        fact.mode = fact.mode.max(mode);
        fact
    }
}

/// A finding before its severity is decided.
#[derive(Debug, Clone)]
pub struct Raw {
    pub rule: &'static Rule,
    pub source: usize,
    pub statement: usize,
    pub offset: usize,
    pub message: String,
    /// The existing table whose size decides a lock-class finding's severity.
    pub table: Option<String>,
    pub lock: Option<LockMode>,
    pub rewrite: bool,
}

/// What the project's settings already cover.
#[derive(Debug, Clone, Copy, Default)]
pub struct Covered {
    pub lock_timeout: bool,
    pub statement_timeout: bool,
}

/// Per-file state.
pub(crate) struct File<'a> {
    pub(crate) source: usize,
    pub(crate) src: &'a SqlSource,
    pub(crate) created: BTreeSet<String>,
    pub(crate) created_indexes: BTreeSet<String>,
    pub(crate) in_tx: bool,
    /// Strongest lock held in the current transaction per existing table, with the line
    /// of the statement that took it.
    pub(crate) held: BTreeMap<String, (LockMode, usize)>,
    pub(crate) alters: BTreeMap<String, usize>,
    pub(crate) new_enum_values: Vec<String>,
    pub(crate) lock_timeout: bool,
    pub(crate) statement_timeout: bool,
    pub(crate) said_lock_timeout: bool,
    pub(crate) said_statement_timeout: bool,
    pub(crate) said_held: bool,
    pub(crate) open_begin: Option<usize>,
    /// Existing tables renamed or moved by this migration: current name → name when the
    /// migration began (what predictions, like the trace, call them).
    pub(crate) aliases: BTreeMap<String, String>,
}

/// The analysis of every source.
pub struct Analysis {
    pub statements: Vec<StatementFacts>,
    pub raws: Vec<Raw>,
}

/// Analyses `sources` in order. Findings are kept for every source; the caller keeps those
/// of the sources it lints.
pub fn analyze(sources: &[SqlSource], covered: Covered) -> Analysis {
    let mut model = Model::default();
    let mut out = Analysis {
        statements: Vec::new(),
        raws: Vec::new(),
    };
    for (i, src) in sources.iter().enumerate() {
        analyze_file(&mut model, i, src, covered, &mut out);
    }
    // Foreign keys without an index, once every migration had its chance to add one.
    for fk in &model.foreign_keys {
        let indexed = model
            .tables
            .get(&fk.table)
            .is_some_and(|t| t.has_index_leading(&fk.columns));
        if !indexed {
            out.raws.push(Raw {
                rule: r::FK_WITHOUT_INDEX,
                source: fk.source,
                statement: fk.statement,
                offset: fk.offset,
                message: format!(
                    "no index on {} ({}) for its foreign key: deleting or updating a referenced row scans {}",
                    fk.table,
                    fk.columns.join(", "),
                    fk.table
                ),
                table: None,
                lock: None,
                rewrite: false,
            });
        }
    }
    out
}

fn analyze_file(
    model: &mut Model,
    source: usize,
    src: &SqlSource,
    covered: Covered,
    out: &mut Analysis,
) {
    let parse = SourceFile::parse(&src.sql);
    let errors = parse.errors();
    let stop_at = errors.first().map(|e| usize::from(e.range().start()));
    if let Some(e) = errors.first() {
        out.raws.push(Raw {
            rule: r::SYNTAX_ERROR,
            source,
            statement: 0,
            offset: usize::from(e.range().start()),
            message: format!("does not parse: {}", e.message()),
            table: None,
            lock: None,
            rewrite: false,
        });
    }
    let mut file = File {
        source,
        src,
        created: BTreeSet::new(),
        created_indexes: BTreeSet::new(),
        in_tx: !src.no_transaction,
        held: BTreeMap::new(),
        alters: BTreeMap::new(),
        new_enum_values: Vec::new(),
        lock_timeout: covered.lock_timeout,
        statement_timeout: covered.statement_timeout,
        said_lock_timeout: false,
        said_statement_timeout: false,
        said_held: false,
        open_begin: None,
        aliases: BTreeMap::new(),
    };
    for (n, stmt) in parse.tree().stmts().enumerate() {
        let node = stmt.syntax().clone();
        let range = node.text_range();
        let start = usize::from(range.start());
        if stop_at.is_some_and(|s| s < usize::from(range.end())) {
            break;
        }
        let mut facts = StatementFacts {
            source,
            index: n + 1,
            start,
            end: usize::from(range.end()),
            locks: Vec::new(),
            needs_no_transaction: false,
        };
        let mut raws = Vec::new();
        statement(model, &mut file, &stmt, &node, &mut facts, &mut raws);
        for lock in &mut facts.locks {
            if let Some(original) = file.aliases.get(&lock.table) {
                lock.table = original.clone();
            }
        }
        after_statement(&mut file, &node, &facts, &mut raws);
        for (rule, offset, message, table, lock, rewrite) in raws {
            out.raws.push(Raw {
                rule,
                source,
                statement: n + 1,
                offset,
                message,
                table,
                lock,
                rewrite,
            });
        }
        out.statements.push(facts);
    }
    if let Some(offset) = file.open_begin {
        out.raws.push(Raw {
            rule: r::TRANSACTION_CONTROL,
            source,
            statement: 0,
            offset,
            message: "BEGIN is never closed by COMMIT: the work after it is rolled back when the session ends".into(),
            table: None,
            lock: None,
            rewrite: false,
        });
    }
}

pub(crate) type RawTuple = (
    &'static Rule,
    usize,
    String,
    Option<String>,
    Option<LockMode>,
    bool,
);

pub(crate) fn at(node: &SyntaxNode) -> usize {
    usize::from(node.text_range().start())
}

/// A lock-class finding on `table`.
pub(crate) fn lock_raw(
    rule: &'static Rule,
    node: &SyntaxNode,
    message: String,
    table: &str,
    mode: LockMode,
    rewrite: bool,
) -> RawTuple {
    (
        rule,
        at(node),
        message,
        Some(table.to_string()),
        Some(mode),
        rewrite,
    )
}

pub(crate) fn plain(rule: &'static Rule, node: &SyntaxNode, message: String) -> RawTuple {
    (rule, at(node), message, None, None, false)
}

/// Bookkeeping every statement shares: held locks, timeouts, enum values used too early.
fn after_statement(
    file: &mut File,
    node: &SyntaxNode,
    facts: &StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    let kind = node.kind();
    let trivial = matches!(
        kind,
        K::SET
            | K::RESET
            | K::COMMENT_ON
            | K::BEGIN
            | K::COMMIT_TRANSACTION
            | K::ROLLBACK_TRANSACTION
            | K::SHOW
    );
    let line = crate::sql_split::line_col_at_byte(&file.src.sql, facts.start).0;
    // Locks held from an earlier statement of the transaction.
    if file.in_tx && !trivial && !file.said_held {
        if let Some((table, (mode, since))) = file
            .held
            .iter()
            .find(|(_, (m, _))| *m == LockMode::AccessExclusiveLock)
            .map(|(t, v)| (t.clone(), *v))
        {
            file.said_held = true;
            raws.push(lock_raw(
                r::LOCKS_HELD,
                node,
                format!(
                    "{table} has been locked ({}, since line {since}) for the rest of the transaction: this statement runs while that lock {}",
                    mode.name(),
                    mode.blocks()
                ),
                &table,
                mode,
                false,
            ));
        }
    }
    for lock in facts.locks.iter().filter(|l| l.existing) {
        if lock.mode >= LockMode::ShareLock {
            if !file.lock_timeout && !file.said_lock_timeout {
                file.said_lock_timeout = true;
                raws.push(plain(
                    r::MISSING_LOCK_TIMEOUT,
                    node,
                    format!(
                        "takes {} on {} with no lock_timeout (the project's ddl_lock_timeout is 0 and the migration sets none): if it waits, every query on {} queues behind it",
                        lock.mode.name(),
                        lock.table,
                        lock.table
                    ),
                ));
            }
            if (lock.scan || lock.rewrite != Rewrite::No)
                && !file.statement_timeout
                && !file.said_statement_timeout
            {
                file.said_statement_timeout = true;
                raws.push(plain(
                    r::MISSING_STATEMENT_TIMEOUT,
                    node,
                    format!(
                        "{} {} under {} with no statement_timeout (neither the project nor the migration sets one)",
                        if lock.rewrite != Rewrite::No { "rewrites" } else { "scans" },
                        lock.table,
                        lock.mode.name()
                    ),
                ));
            }
        }
        if file.in_tx {
            let entry = file
                .held
                .entry(lock.table.clone())
                .or_insert((lock.mode, line));
            if lock.mode > entry.0 {
                *entry = (lock.mode, line);
            }
        }
    }
    // A new enum value used before the transaction that added it commits.
    if file.in_tx && kind != K::ALTER_TYPE && !file.new_enum_values.is_empty() {
        for tok in node
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == K::STRING)
        {
            if file.new_enum_values.iter().any(|v| v == tok.text()) {
                raws.push(plain(
                    r::ENUM_VALUE_IN_TRANSACTION,
                    node,
                    format!(
                        "uses the enum value {} added earlier in this transaction: it cannot be used until that transaction commits",
                        tok.text()
                    ),
                ));
                break;
            }
        }
    }
    // Identifiers PostgreSQL would truncate.
    for n in node.descendants().filter(|n| {
        matches!(
            n.kind(),
            K::COLUMN_NAME | K::CONSTRAINT_NAME | K::PATH_SEGMENT
        )
    }) {
        for part in name_parts(&n) {
            if part.len() > 63 {
                raws.push(plain(
                    r::IDENTIFIER_TOO_LONG,
                    &n,
                    format!(
                        "identifier of {} bytes is truncated to 63: {}",
                        part.len(),
                        &part[..part.floor_char_boundary(63)]
                    ),
                ));
            }
        }
    }
}

fn statement(
    model: &mut Model,
    file: &mut File,
    stmt: &ast::Stmt,
    node: &SyntaxNode,
    facts: &mut StatementFacts,
    raws: &mut Vec<RawTuple>,
) {
    match stmt {
        ast::Stmt::CreateTable(_) => objects::create_table(model, file, node, facts, raws),
        ast::Stmt::CreateIndex(_) => objects::create_index(model, file, node, facts, raws),
        ast::Stmt::DropIndex(_) => objects::drop_index(model, file, node, facts, raws),
        ast::Stmt::Reindex(_) => objects::reindex(model, file, node, facts, raws),
        ast::Stmt::AlterTable(alter) => {
            super::alter::alter_table(model, file_ctx(file), alter, node, facts, raws)
        }
        ast::Stmt::DropTable(_) => {
            for t in node.children().filter(|c| c.kind() == K::TABLE_NAME_REF) {
                let table = qualified(&t);
                let existing = !file.created.contains(&table);
                facts.lock(&table, LockMode::AccessExclusiveLock, existing);
                if existing {
                    raws.push(plain(
                        r::DROP_TABLE,
                        node,
                        format!("drops {table}: code still using it fails and its data is gone"),
                    ));
                }
                model.tables.remove(&table);
            }
        }
        ast::Stmt::Truncate(_) => {
            let cascade = has_child(node, K::CASCADE);
            for t in node.descendants().filter(|c| c.kind() == K::TABLE_NAME_REF) {
                let table = qualified(&t);
                let existing = !file.created.contains(&table);
                // A new, empty relfilenode.
                facts
                    .lock(&table, LockMode::AccessExclusiveLock, existing)
                    .rewrite = Rewrite::Yes;
            }
            if cascade {
                raws.push(plain(
                    r::TRUNCATE_CASCADE,
                    node,
                    "TRUNCATE ... CASCADE also empties every table that refers to these, and theirs in turn".into(),
                ));
            }
        }
        ast::Stmt::Lock(_) => {
            let words = child(node, K::LOCK_MODE_CLAUSE)
                .map(|c| normalized(&c))
                .map(|t| {
                    t.trim_start_matches("in ")
                        .trim_end_matches(" mode")
                        .to_string()
                })
                .unwrap_or_else(|| "access exclusive".into());
            let mode =
                LockMode::from_lock_statement(&words).unwrap_or(LockMode::AccessExclusiveLock);
            let mut names = Vec::new();
            for t in node
                .descendants()
                .filter(|c| c.kind() == K::RELATION_NAME_REF)
            {
                let table = qualified(&t);
                let existing = !file.created.contains(&table);
                facts.lock(&table, mode, existing);
                names.push(table);
            }
            raws.push(plain(
                r::LOCK_TABLE,
                node,
                format!(
                    "LOCK TABLE {} IN {} MODE holds {} until the migration commits ({})",
                    names.join(", "),
                    words.to_uppercase(),
                    mode.name(),
                    mode.blocks()
                ),
            ));
        }
        ast::Stmt::Vacuum(_) => {
            let full = has_descendant(node, K::FULL_KW);
            facts.needs_no_transaction = true;
            let mode = if full {
                LockMode::AccessExclusiveLock
            } else {
                LockMode::ShareUpdateExclusiveLock
            };
            for t in node.descendants().filter(|c| c.kind() == K::TABLE_NAME_REF) {
                let table = qualified(&t);
                let existing = !file.created.contains(&table);
                let f = facts.lock(&table, mode, existing);
                if full {
                    f.rewrite = Rewrite::Yes;
                    f.scan = true;
                    if existing {
                        raws.push(lock_raw(
                        r::VACUUM_FULL,
                        node,
                        format!("VACUUM FULL rewrites {table} under AccessExclusiveLock (blocks reads and writes)"),
                        &table,
                        mode,
                        true,
                    ));
                    }
                }
            }
            not_in_transaction(file, node, "VACUUM", raws);
        }
        ast::Stmt::Cluster(_) => {
            for t in node.descendants().filter(|c| c.kind() == K::TABLE_NAME_REF) {
                let table = qualified(&t);
                let existing = !file.created.contains(&table);
                let f = facts.lock(&table, LockMode::AccessExclusiveLock, existing);
                f.rewrite = Rewrite::Yes;
                f.scan = true;
                if existing {
                    raws.push(lock_raw(
                    r::CLUSTER,
                    node,
                    format!("CLUSTER rewrites {table} under AccessExclusiveLock (blocks reads and writes)"),
                    &table,
                    LockMode::AccessExclusiveLock,
                    true,
                ));
                }
            }
        }
        ast::Stmt::Refresh(_) => {
            let concurrently = has_child(node, K::CONCURRENTLY_KW);
            if let Some(v) = descendant(node, K::VIEW_REF) {
                let view = qualified(&v);
                let existing = !file.created.contains(&view);
                let mode = if concurrently {
                    LockMode::ExclusiveLock
                } else {
                    LockMode::AccessExclusiveLock
                };
                let f = facts.lock(&view, mode, existing);
                f.scan = true;
                if !concurrently && existing {
                    f.rewrite = Rewrite::Yes;
                    raws.push(lock_raw(
                        r::REFRESH_NOT_CONCURRENT,
                        node,
                        format!("REFRESH MATERIALIZED VIEW {view} holds AccessExclusiveLock for the whole query: every read of it waits"),
                        &view,
                        mode,
                        true,
                    ));
                }
            }
        }
        ast::Stmt::CreateMaterializedView(_)
        | ast::Stmt::CreateView(_)
        | ast::Stmt::CreateTableAs(_)
        | ast::Stmt::CreateSequence(_) => {
            if let Some(path) = node
                .children()
                .find(|c| matches!(c.kind(), K::VIEW | K::TABLE_NAME | K::PATH))
            {
                file.created.insert(qualified(&path));
            }
        }
        ast::Stmt::AlterType(_) => objects::alter_type(file, node, raws),
        ast::Stmt::CreateType(_) if has_descendant(node, K::ENUM_TYPE) => {
            let name = child(node, K::TYPE_NAME)
                .map(|n| qualified(&n))
                .unwrap_or_default();
            raws.push(plain(
                r::CREATE_ENUM,
                node,
                format!("enum {name}: its values can never be removed or reordered in place"),
            ));
        }
        ast::Stmt::CreateDomain(_) if node.children().any(|c| c.kind() == K::CHECK_CONSTRAINT) => {
            raws.push(plain(
                r::DOMAIN_WITH_CONSTRAINT,
                node,
                "domain with a CHECK: changing it later re-checks every column that uses the domain".into(),
            ));
        }
        ast::Stmt::AlterDomain(_) => {
            if let Some(add) = child(node, K::ADD_CONSTRAINT) {
                if !has_descendant(&add, K::NOT_VALID)
                    && !has_descendant(&add, K::NOT_NULL_CONSTRAINT)
                {
                    raws.push(plain(
                        r::DOMAIN_CHECK_ADDED,
                        node,
                        "adds a constraint to a domain without NOT VALID: every column using it is checked while its table is locked against writes".into(),
                    ));
                } else if has_descendant(&add, K::NOT_NULL_CONSTRAINT) {
                    raws.push(plain(
                        r::DOMAIN_CHECK_ADDED,
                        node,
                        "SET NOT NULL on a domain checks every column using it while its table is locked against writes".into(),
                    ));
                }
            }
        }
        ast::Stmt::AlterSchema(_) if has_child(node, K::SCHEMA_RENAME_TO) => {
            raws.push(plain(
                r::RENAME_SCHEMA,
                node,
                "renames a schema: every query naming it fails until code is deployed".into(),
            ));
        }
        ast::Stmt::DropDatabase(_) => {
            raws.push(plain(
                r::DROP_DATABASE,
                node,
                "DROP DATABASE in a migration".into(),
            ));
            facts.needs_no_transaction = true;
            not_in_transaction(file, node, "DROP DATABASE", raws);
        }
        ast::Stmt::CreateDatabase(_)
        | ast::Stmt::CreateTablespace(_)
        | ast::Stmt::DropTablespace(_)
        | ast::Stmt::AlterSystem(_) => {
            facts.needs_no_transaction = true;
            let what = normalized(node)
                .split(' ')
                .take(2)
                .collect::<Vec<_>>()
                .join(" ")
                .to_uppercase();
            not_in_transaction(file, node, &what, raws);
        }
        ast::Stmt::Begin(_) => {
            if file.in_tx && !file.src.no_transaction || file.open_begin.is_some() {
                raws.push(plain(
                    r::TRANSACTION_CONTROL,
                    node,
                    "BEGIN inside a transaction: it does not start a new one, and the COMMIT that follows ends strata's transaction early".into(),
                ));
            } else {
                file.open_begin = Some(at(node));
                file.in_tx = true;
                file.held.clear();
            }
        }
        ast::Stmt::Commit(_) | ast::Stmt::Rollback(_) if file.open_begin.is_some() => {
            file.open_begin = None;
            file.in_tx = false;
            file.held.clear();
            file.new_enum_values.clear();
        }
        ast::Stmt::Set(_) => {
            let text = normalized(node);
            if text.contains("lock_timeout") {
                file.lock_timeout = !zero_setting(&text);
            }
            if text.contains("statement_timeout") {
                file.statement_timeout = !zero_setting(&text);
            }
        }
        ast::Stmt::Update(_) | ast::Stmt::Delete(_) => {
            if let Some(rel) = descendant(node, K::RELATION_NAME_REF) {
                let table = qualified(&rel);
                let existing = !file.created.contains(&table);
                let f = facts.lock(&table, LockMode::RowExclusiveLock, existing);
                let bounded = has_child(node, K::WHERE_CLAUSE);
                f.scan = !bounded;
                if existing {
                    raws.push(lock_raw(
                        r::BACKFILL,
                        node,
                        format!(
                            "{} {table}{} inside the migration: rows stay locked until it commits",
                            if matches!(stmt, ast::Stmt::Update(_)) {
                                "updates"
                            } else {
                                "deletes from"
                            },
                            if bounded { "" } else { " (every row)" }
                        ),
                        &table,
                        LockMode::RowExclusiveLock,
                        false,
                    ));
                }
            }
            duplicate_assignments(node, K::SET_SINGLE_COLUMN, raws);
        }
        ast::Stmt::Insert(_) => {
            if let Some(rel) = child(node, K::RELATION_NAME_REF) {
                let table = qualified(&rel);
                let existing = !file.created.contains(&table);
                facts.lock(&table, LockMode::RowExclusiveLock, existing);
            }
            if let Some(list) = child(node, K::COLUMN_TARGET_LIST) {
                duplicate_assignments(&list, K::COLUMN_TARGET, raws);
            }
        }
        ast::Stmt::CreateTrigger(_) => relation_lock(
            file,
            node,
            K::ON_TABLE,
            LockMode::ShareRowExclusiveLock,
            facts,
        ),
        ast::Stmt::DropTrigger(_)
        | ast::Stmt::CreatePolicy(_)
        | ast::Stmt::AlterPolicy(_)
        | ast::Stmt::DropPolicy(_) => relation_lock(
            file,
            node,
            K::ON_TABLE,
            LockMode::AccessExclusiveLock,
            facts,
        ),
        _ => {}
    }
}

/// The lock a statement takes on the table named in its `ON table` part.
fn relation_lock(
    file: &File,
    node: &SyntaxNode,
    on: K,
    mode: LockMode,
    facts: &mut StatementFacts,
) {
    let target = child(node, on)
        .or_else(|| child(node, K::ON_RELATION))
        .and_then(|o| {
            o.descendants()
                .find(|d| matches!(d.kind(), K::PATH_REF | K::TABLE_NAME_REF))
        })
        .or_else(|| descendant(node, K::TABLE_NAME_REF));
    if let Some(t) = target {
        let table = qualified(&t);
        let existing = !file.created.contains(&table);
        facts.lock(&table, mode, existing);
    }
}

fn zero_setting(text: &str) -> bool {
    let value = text
        .trim_end_matches([';', ' '])
        .rsplit(['=', ' '])
        .next()
        .unwrap_or("")
        .trim_matches('\'');
    value == "0" || value == "default"
}

pub(crate) fn not_in_transaction(
    file: &File,
    node: &SyntaxNode,
    what: &str,
    raws: &mut Vec<RawTuple>,
) {
    if file.in_tx {
        raws.push(plain(
            r::NO_TRANSACTION_REQUIRED,
            node,
            format!("{what} cannot run inside a transaction block, and this migration runs in one"),
        ));
    }
}

fn duplicate_assignments(node: &SyntaxNode, item: K, raws: &mut Vec<RawTuple>) {
    let mut seen = BTreeSet::new();
    for n in node.descendants().filter(|n| n.kind() == item) {
        if let Some(col) = descendant(&n, K::COLUMN_NAME_REF) {
            let name = last_name(&col);
            if !seen.insert(name.clone()) {
                raws.push(plain(
                    r::DUPLICATE_ASSIGNMENT,
                    &n,
                    format!("column {name} is assigned twice: the statement fails"),
                ));
            }
        }
    }
}

/// The narrow view of a file the ALTER TABLE analysis needs.
pub struct FileCtx<'a> {
    pub created: &'a mut BTreeSet<String>,
    pub in_tx: bool,
    pub no_transaction: bool,
    pub held: &'a BTreeMap<String, (LockMode, usize)>,
    pub alters: &'a mut BTreeMap<String, usize>,
    pub aliases: &'a mut BTreeMap<String, String>,
    pub source: usize,
}

fn file_ctx<'a>(file: &'a mut File) -> FileCtx<'a> {
    FileCtx {
        created: &mut file.created,
        in_tx: file.in_tx,
        no_transaction: file.src.no_transaction,
        held: &file.held,
        alters: &mut file.alters,
        aliases: &mut file.aliases,
        source: file.source,
    }
}
