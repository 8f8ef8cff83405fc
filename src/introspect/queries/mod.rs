//! The catalog queries behind [`super::introspect`]: a fixed list, one per object kind,
//! each aggregating every object of that kind in every user schema into one JSON array of
//! rows shaped like the model's structs. They run with `search_path = ''`, so every name
//! that `format_type`, `regproc`, `pg_get_expr` and the `pg_get_*def` functions print comes
//! out schema-qualified; every `pg_get_*def` is called with `pretty = true`. Columns that
//! only some PostgreSQL versions have are read according to the server's version.

mod graph;
mod other;
mod relations;
mod routines;

use crate::history::quote_literal;

/// What the queries leave out and what they collect.
pub(crate) struct Scope<'a> {
    /// Schema and name of strata's history table.
    pub history: (&'a str, &'a str),
    /// Collect owners and grants.
    pub privileges: bool,
    /// `server_version_num` of the server.
    pub version: u32,
}

/// Namespaces PostgreSQL owns.
pub(crate) const USER_NS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// The first object id PostgreSQL hands out to objects made after `initdb`.
pub(crate) const FIRST_USER_OID: u32 = 16384;

/// `NOT EXISTS` an extension membership for the object `oid` of catalog `class`.
pub(crate) fn not_extension_member(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xe WHERE xe.classid = 'pg_catalog.{class}'::pg_catalog.regclass \
         AND xe.objid = {oid} AND xe.deptype = 'e')"
    )
}

/// `schema.name` quoted as PostgreSQL prints it.
pub(crate) fn qname(ns: &str, name: &str) -> String {
    format!("pg_catalog.quote_ident({ns}.nspname) || '.' || pg_catalog.quote_ident({name})")
}

/// The comment of object `oid` of catalog `class` (sub-object `subid`).
pub(crate) fn comment_of(class: &str, oid: &str, subid: &str) -> String {
    format!(
        "(SELECT cd.description FROM pg_catalog.pg_description cd WHERE cd.objoid = {oid} \
         AND cd.classoid = 'pg_catalog.{class}'::pg_catalog.regclass AND cd.objsubid = {subid})"
    )
}

/// `LEFT JOIN` of the comment of object `oid` of catalog `class` as `{alias}.description`.
pub(crate) fn comment_join(alias: &str, class: &str, oid: &str, subid: &str) -> String {
    format!(
        "LEFT JOIN pg_catalog.pg_description {alias} ON {alias}.objoid = {oid} \
         AND {alias}.classoid = 'pg_catalog.{class}'::pg_catalog.regclass AND {alias}.objsubid = {subid}"
    )
}

/// A `text[]` of `key=value` options as a JSON object. The subquery runs only where there
/// are options (most rows have none; run for each of 8,000 columns it was a fifth of the
/// columns query).
pub(crate) fn options_json(col: &str) -> String {
    format!(
        "CASE WHEN {col} IS NOT NULL THEN (SELECT pg_catalog.json_object_agg(pg_catalog.split_part(o, '=', 1), \
         pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1)) FROM pg_catalog.unnest({col}) o) END"
    )
}

/// `aclitem` texts of an `aclitem[]` that may be NULL, in the catalog's order.
pub(crate) fn acl_list(col: &str) -> String {
    format!(
        "CASE WHEN {col} IS NOT NULL THEN (SELECT pg_catalog.json_agg(a::text ORDER BY o) \
         FROM pg_catalog.unnest({col}) WITH ORDINALITY x(a, o)) END"
    )
}

/// `[key, value]` pairs, in order, of those whose value is not NULL: the options of a
/// `CREATE TYPE`, `CREATE AGGREGATE` or `CREATE OPERATOR`. `pairs` are `(key, SQL value)`.
pub(crate) fn property_list(pairs: &[(&str, String)]) -> String {
    let rows: Vec<String> = pairs
        .iter()
        .enumerate()
        .map(|(i, (k, v))| format!("({i}, '{k}', ({v})::text)"))
        .collect();
    format!(
        "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(p.k, p.v) ORDER BY p.i) \
         FROM (VALUES {}) p(i, k, v) WHERE p.v IS NOT NULL)",
        rows.join(", ")
    )
}

/// `regproc` of a function column that may be 0, as text (NULL for 0).
pub(crate) fn regproc(col: &str) -> String {
    format!("CASE WHEN {col} <> 0 THEN {col}::pg_catalog.regproc::text END")
}

impl Scope<'_> {
    pub(crate) fn owner(&self, owner_col: &str) -> String {
        if self.privileges {
            format!("pg_catalog.pg_get_userbyid({owner_col})")
        } else {
            "NULL::text".into()
        }
    }

    /// Grants as `aclitem` texts in the catalog's order (the order they were given), the
    /// defaults spelled out when none were given.
    pub(crate) fn acl(&self, acl_col: &str, kind: char, owner_col: &str) -> String {
        if self.privileges {
            format!(
                "(SELECT pg_catalog.json_agg(a::text ORDER BY o) FROM pg_catalog.unnest(\
                 coalesce({acl_col}, pg_catalog.acldefault('{kind}', {owner_col}))) WITH ORDINALITY x(a, o))"
            )
        } else {
            "NULL::json".into()
        }
    }

    /// Grants that are only there when given (columns): NULL when none.
    pub(crate) fn acl_if_any(&self, acl_col: &str) -> String {
        if self.privileges {
            acl_list(acl_col)
        } else {
            "NULL::json".into()
        }
    }

    /// Leaves out strata's own tables: the history table and its lock table
    /// (`lock_mode = "table"`), recognised by schema, name and strata's columns. Any other
    /// table of that name is compared like any table.
    pub(crate) fn not_history(&self, rel_oid: &str) -> String {
        let (schema, table) = self.history;
        let lock = crate::lock::lock_table_name(table);
        format!(
            "{rel_oid} NOT IN (SELECT hc.oid FROM pg_catalog.pg_class hc
               JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace
              WHERE hn.nspname = {schema} AND (
                (hc.relname = {table} AND (SELECT count(*) FROM pg_catalog.pg_attribute ha
                   WHERE ha.attrelid = hc.oid AND NOT ha.attisdropped AND ha.attname IN
                   ('version', 'name', 'phase', 'checksum', 'applied_at', 'applied_by')) = 6)
                OR (hc.relname = {lock} AND (SELECT count(*) FROM pg_catalog.pg_attribute ha
                   WHERE ha.attrelid = hc.oid AND NOT ha.attisdropped AND ha.attname IN
                   ('id', 'holder', 'pid', 'expires_at')) = 4)))",
            schema = quote_literal(schema),
            table = quote_literal(table),
            lock = quote_literal(&lock),
        )
    }

    /// True on PostgreSQL `major` or later.
    pub(crate) fn at_least(&self, major: u32) -> bool {
        self.version >= major * 10000
    }
}

/// Wraps a row query so it returns one JSON array.
pub(crate) fn aggregate(sql: &str) -> String {
    format!("SELECT coalesce(pg_catalog.json_agg(q), '[]')::text FROM ({sql}) q")
}

/// A row query as a JSON array expression.
pub(crate) fn rows(sql: &str) -> String {
    format!("(SELECT coalesce(pg_catalog.json_agg(q), '[]') FROM ({sql}) q)")
}

/// One query returning a JSON object of the named JSON expressions: kinds with few
/// objects share a query.
pub(crate) fn object(members: &[(&str, String)]) -> String {
    let fields: Vec<String> = members.iter().map(|(k, v)| format!("'{k}', {v}")).collect();
    format!(
        "SELECT pg_catalog.json_build_object({})::text",
        fields.join(",\n")
    )
}

/// `schema.name(identity arguments)`, the key of a function in the model.
pub(crate) fn function_key(ns: &str, proc: &str) -> String {
    format!(
        "{} || '(' || pg_catalog.pg_get_function_identity_arguments({proc}.oid) || ')'",
        qname(ns, &format!("{proc}.proname"))
    )
}

/// One catalog query and what its result fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Schemas,
    Extensions,
    Types,
    Sequences,
    Tables,
    Columns,
    Constraints,
    Indexes,
    Triggers,
    Rules,
    Policies,
    Functions,
    /// Aggregates, operators, operator families and classes, casts.
    Operators,
    /// Collations, text search, foreign data, publications, event triggers, statistics,
    /// default privileges, and the kinds not compared.
    Other,
    Views,
    Depends,
}

impl Part {
    /// True for a query answering plain rows, not one JSON text (see `introspect::rows`).
    pub(crate) fn returns_rows(self) -> bool {
        matches!(self, Part::Columns | Part::Depends)
    }
}

/// The queries, in the order [`super::introspect`] reads their results.
pub(crate) fn all(scope: &Scope<'_>) -> Vec<(Part, String)> {
    let mut out = Vec::new();
    relations::queries(scope, &mut out);
    routines::queries(scope, &mut out);
    other::queries(scope, &mut out);
    out.push((Part::Depends, graph::query(scope)));
    out
}

/// The first round trip: the server's version and the cluster-wide names a script may
/// refer to (roles, tablespaces).
pub(crate) const SERVER: &str = "SELECT pg_catalog.json_build_object(
    'server_version', pg_catalog.current_setting('server_version_num'),
    'roles', (SELECT pg_catalog.json_agg(r.rolname) FROM pg_catalog.pg_roles r),
    'tablespaces', (SELECT pg_catalog.json_agg(t.spcname) FROM pg_catalog.pg_tablespace t),
    'acl_defaults', pg_catalog.json_build_object(
        'bootstrap', (SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.oid = 10),
        'templates', (SELECT pg_catalog.json_object_agg(k, (SELECT pg_catalog.json_agg(a::text)
                        FROM pg_catalog.unnest(pg_catalog.acldefault(k::\"char\", 10)) a))
                      FROM pg_catalog.unnest(ARRAY['r', 's', 'f', 'T', 'n', 'F', 'S']) k)))::text";
