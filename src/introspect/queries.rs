//! The catalog queries behind [`super::introspect`]: a fixed list, one per object kind,
//! each aggregating every object of that kind in every user schema into one JSON value.
//! They run with `search_path = ''`, so every name that `format_type`, `pg_get_expr` and
//! the `pg_get_*def` functions print comes out schema-qualified; every `pg_get_*def` is
//! called with `pretty = true`.

use crate::history::quote_literal;

/// What the queries leave out and what they collect.
pub(crate) struct Scope<'a> {
    /// Schema and name of strata's history table.
    pub history: (&'a str, &'a str),
    /// Collect owners and grants.
    pub privileges: bool,
}

/// Namespaces PostgreSQL owns.
const USER_NS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// `NOT EXISTS` an extension membership for the object `oid` of catalog `class`.
fn not_extension_member(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.{class}'::pg_catalog.regclass \
         AND e.objid = {oid} AND e.deptype = 'e')"
    )
}

/// `schema.name` quoted as PostgreSQL prints it.
fn qname(ns: &str, name: &str) -> String {
    format!("pg_catalog.quote_ident({ns}.nspname) || '.' || pg_catalog.quote_ident({name})")
}

fn comment_join(alias: &str, class: &str, oid: &str, subid: &str) -> String {
    format!(
        "LEFT JOIN pg_catalog.pg_description {alias} ON {alias}.objoid = {oid} \
         AND {alias}.classoid = 'pg_catalog.{class}'::pg_catalog.regclass AND {alias}.objsubid = {subid}"
    )
}

impl Scope<'_> {
    fn owner(&self, owner_col: &str) -> String {
        if self.privileges {
            format!("pg_catalog.pg_get_userbyid({owner_col})")
        } else {
            "NULL::text".into()
        }
    }

    /// Grants as sorted `aclitem` texts, the defaults spelled out when none were given.
    fn acl(&self, acl_col: &str, kind: char, owner_col: &str) -> String {
        if self.privileges {
            format!(
                "(SELECT pg_catalog.json_agg(a::text ORDER BY a::text) FROM pg_catalog.unnest(\
                 coalesce({acl_col}, pg_catalog.acldefault('{kind}', {owner_col}))) a)"
            )
        } else {
            "NULL::json".into()
        }
    }

    /// Leaves out strata's own tables: the history table and its lock table
    /// (`lock_mode = "table"`).
    fn not_history(&self, ns: &str, rel: &str) -> String {
        format!(
            "NOT ({ns}.nspname = {} AND {rel}.relname IN ({}, {}))",
            quote_literal(self.history.0),
            quote_literal(self.history.1),
            quote_literal(&crate::lock::lock_table_name(self.history.1))
        )
    }
}

/// The user functions the object `oid` of catalog `class` calls, as PostgreSQL recorded them
/// in `pg_depend`: a JSON array of keys `schema.name(identity arguments)`, or NULL. Derived
/// from the definition, so only the script's ordering reads it.
fn functions_used(class: &str, oid: &str) -> String {
    format!(
        "(SELECT pg_catalog.json_agg(DISTINCT {key}) FROM pg_catalog.pg_depend fd
           JOIN pg_catalog.pg_proc fp ON fp.oid = fd.refobjid
           JOIN pg_catalog.pg_namespace fpn ON fpn.oid = fp.pronamespace
          WHERE fd.classid = 'pg_catalog.{class}'::pg_catalog.regclass AND fd.objid = {oid}
            AND fd.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
            AND fpn.nspname NOT IN ('pg_catalog', 'information_schema'))",
        key = function_key("fpn", "fp"),
    )
}

/// `LEFT JOIN` of `fu.functions`, what [`functions_used`] gives for the objects `oid` of
/// catalog `class`, aggregated once for all of them (for the queries over many objects).
fn functions_join(class: &str, oid: &str) -> String {
    format!(
        "LEFT JOIN (SELECT fd.objid, pg_catalog.json_agg(DISTINCT {key}) AS functions
           FROM pg_catalog.pg_depend fd
           JOIN pg_catalog.pg_proc fp ON fp.oid = fd.refobjid
           JOIN pg_catalog.pg_namespace fpn ON fpn.oid = fp.pronamespace
          WHERE fd.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass
            AND fd.classid = 'pg_catalog.{class}'::pg_catalog.regclass
            AND fpn.nspname NOT IN ('pg_catalog', 'information_schema')
          GROUP BY fd.objid) fu ON fu.objid = {oid}",
        key = function_key("fpn", "fp"),
    )
}

/// `LEFT JOIN` of `tu.types`: the user enum, domain and composite types (element types of
/// arrays) the objects `oid` of catalog `class` depend on in `pg_depend` (their parameters
/// and result, the constants and casts of their expressions), aggregated once for all of them.
fn types_join(class: &str, oid: &str) -> String {
    format!(
        "LEFT JOIN (SELECT yd.objid, pg_catalog.json_agg(DISTINCT {key}) AS types
           FROM pg_catalog.pg_depend yd
           JOIN pg_catalog.pg_type yt ON yt.oid = yd.refobjid
           JOIN pg_catalog.pg_type ye ON ye.oid = CASE WHEN yt.typcategory = 'A' AND yt.typelem <> 0
                THEN yt.typelem ELSE yt.oid END
           JOIN pg_catalog.pg_namespace yn ON yn.oid = ye.typnamespace
          WHERE yd.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
            AND yd.classid = 'pg_catalog.{class}'::pg_catalog.regclass
            AND ye.typtype IN ('e', 'd', 'c')
            AND yn.nspname NOT IN ('pg_catalog', 'information_schema')
          GROUP BY yd.objid) tu ON tu.objid = {oid}",
        key = qname("yn", "ye.typname"),
    )
}

/// The columns of table `rel` the object `oid` of catalog `class` reads, as `pg_depend`
/// records them: a JSON array of quoted column names, or NULL.
fn columns_used(class: &str, oid: &str, rel: &str) -> String {
    format!(
        "(SELECT pg_catalog.json_agg(DISTINCT pg_catalog.quote_ident(ca.attname)) FROM pg_catalog.pg_depend cd
           JOIN pg_catalog.pg_attribute ca ON ca.attrelid = cd.refobjid AND ca.attnum = cd.refobjsubid
          WHERE cd.classid = 'pg_catalog.{class}'::pg_catalog.regclass AND cd.objid = {oid}
            AND cd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND cd.refobjid = {rel}
            AND cd.refobjsubid > 0)"
    )
}

/// `schema.name(identity arguments)`, the key of a function in the model.
fn function_key(ns: &str, proc: &str) -> String {
    format!(
        "{} || '(' || pg_catalog.pg_get_function_identity_arguments({proc}.oid) || ')'",
        qname(ns, &format!("{proc}.proname"))
    )
}

/// Wraps a row query so it returns one JSON array.
fn aggregate(sql: &str) -> String {
    format!("SELECT coalesce(pg_catalog.json_agg(q), '[]')::text FROM ({sql}) q")
}

/// The queries, in the order [`super::introspect`] reads their results.
pub(crate) fn all(scope: &Scope<'_>) -> Vec<String> {
    let rel_name = qname("n", "c.relname");
    let rule = "(SELECT r.oid FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN')";
    let not_history = scope.not_history("n", "c");
    let collation = |oid: &str| {
        format!(
            "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) \
             FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
             WHERE co.oid = {oid})"
        )
    };
    vec![
        // Server.
        "SELECT pg_catalog.json_build_object('server_version', pg_catalog.current_setting('server_version_num'))::text"
            .to_string(),
        // Schemas.
        aggregate(&format!(
            "SELECT pg_catalog.quote_ident(n.nspname) AS name, {owner} AS owner, {acl} AS acl, d.description AS comment
             FROM pg_catalog.pg_namespace n {comment}
             WHERE {USER_NS} AND {ext}",
            owner = scope.owner("n.nspowner"),
            acl = scope.acl("n.nspacl", 'n', "n.nspowner"),
            comment = comment_join("d", "pg_namespace", "n.oid", "0"),
            ext = not_extension_member("pg_namespace", "n.oid"),
        )),
        // Extensions.
        aggregate(
            "SELECT pg_catalog.quote_ident(x.extname) AS name, x.extversion AS version,
                    pg_catalog.quote_ident(n.nspname) AS schema
             FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace",
        ),
        // Enum, domain and composite types.
        aggregate(&format!(
            "SELECT {name} AS name, t.typtype AS kind,
                    CASE WHEN t.typtype = 'e' THEN (SELECT pg_catalog.json_agg(l.enumlabel ORDER BY l.enumsortorder)
                         FROM pg_catalog.pg_enum l WHERE l.enumtypid = t.oid) END AS labels,
                    CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
                    t.typnotnull AS not_null,
                    pg_catalog.pg_get_expr(t.typdefaultbin, 0, true) AS default,
                    CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <>
                         (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)
                         THEN {coll} END AS collation,
                    CASE WHEN t.typtype = 'd' THEN (SELECT pg_catalog.json_object_agg(pg_catalog.quote_ident(k.conname),
                         pg_catalog.pg_get_constraintdef(k.oid, true)) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid) END AS checks,
                    CASE WHEN t.typtype = 'c' THEN (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
                         pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                         FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS attributes,
                    d.description AS comment, {owner} AS owner
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace {comment}
             WHERE {USER_NS} AND {ext}
               AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND
                    (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c'))",
            name = qname("n", "t.typname"),
            coll = collation("t.typcollation"),
            owner = scope.owner("t.typowner"),
            comment = comment_join("d", "pg_type", "t.oid", "0"),
            ext = not_extension_member("pg_type", "t.oid"),
        )),
        // Sequences (identity sequences are part of their column).
        aggregate(&format!(
            "SELECT {rel_name} AS name, pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
                    s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min, s.seqmax AS max,
                    s.seqcache AS cache, s.seqcycle AS cycle,
                    (SELECT pg_catalog.json_build_array({owned_table}, pg_catalog.quote_ident(a.attname))
                       FROM pg_catalog.pg_depend o JOIN pg_catalog.pg_class oc ON oc.oid = o.refobjid
                       JOIN pg_catalog.pg_namespace onn ON onn.oid = oc.relnamespace
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = oc.oid AND a.attnum = o.refobjsubid
                      WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.objid = c.oid
                        AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.deptype = 'a') AS owned_by,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE {USER_NS} AND {ext}
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                               AND i.objid = c.oid AND i.deptype = 'i')",
            owned_table = qname("onn", "oc.relname"),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 's', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Tables.
        aggregate(&format!(
            "SELECT {rel_name} AS name, c.relpersistence AS persistence,
                    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
                    CASE WHEN c.relispartition THEN (SELECT {parent} FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                         WHERE i.inhrelid = c.oid) END AS parent,
                    CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid, true) END AS partition_bound,
                    CASE WHEN NOT c.relispartition THEN (SELECT pg_catalog.json_agg({parent} ORDER BY i.inhseqno)
                         FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                         WHERE i.inhrelid = c.oid) END AS inherits,
                    (SELECT pg_catalog.json_object_agg(pg_catalog.split_part(o, '=', 1),
                            pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1))
                       FROM pg_catalog.unnest(c.reloptions) o) AS options,
                    c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE c.relkind IN ('r', 'p') AND {USER_NS} AND {ext} AND {not_history}",
            parent = qname("pn", "pc.relname"),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 'r', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Columns of tables (a partition's columns are its parent's, an inheritance child's
        // inherited columns are its parents').
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(a.attname) AS name,
                    pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                    CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END AS default,
                    CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
                    CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END AS generated,
                    CASE WHEN a.attidentity <> '' THEN (SELECT pg_catalog.json_build_object('start', s.seqstart,
                         'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache,
                         'cycle', s.seqcycle)
                         FROM pg_catalog.pg_depend sd JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid
                        WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i') END AS identity_options,
                    CASE WHEN a.attcollation <> t.typcollation THEN {coll} END AS collation,
                    d.description AS comment, fu.functions, tu.types,
                    CASE WHEN a.attgenerated = 's' THEN {reads} END AS reads
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             {comment} {functions} {types}
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND a.attinhcount = 0 AND {USER_NS} AND {ext} AND {not_history}
             ORDER BY c.oid, a.attnum",
            coll = collation("a.attcollation"),
            comment = comment_join("d", "pg_class", "c.oid", "a.attnum"),
            functions = functions_join("pg_attrdef", "ad.oid"),
            types = types_join("pg_attrdef", "ad.oid"),
            reads = columns_used("pg_attrdef", "ad.oid", "c.oid"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Table constraints (not those a partition or an inheritance child inherits).
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(k.conname) AS name, k.contype AS kind,
                    pg_catalog.pg_get_constraintdef(k.oid, true) AS definition, k.convalidated AS validated,
                    CASE WHEN k.contype = 'f' THEN (SELECT {ref} FROM pg_catalog.pg_class fc
                         JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = k.confrelid) END AS references,
                    d.description AS comment, fu.functions, tu.types
             FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment} {functions} {types}
             WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conparentid = 0 AND k.conislocal
               AND k.coninhcount = 0
               AND c.relkind IN ('r', 'p') AND {USER_NS} AND {ext} AND {not_history}",
            ref = qname("fn", "fc.relname"),
            comment = comment_join("d", "pg_constraint", "k.oid", "0"),
            functions = functions_join("pg_constraint", "k.oid"),
            types = types_join("pg_constraint", "k.oid"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Indexes of tables and materialized views, except those behind a constraint and
        // those a partition inherits.
        aggregate(&format!(
            "SELECT {index_name} AS name, {rel_name} AS table, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS definition,
                    i.indisunique AS unique, am.amname AS method,
                    pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate, i.indisvalid AS valid,
                    d.description AS comment, fu.functions, tu.types
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_namespace inn ON inn.oid = ic.relnamespace
             JOIN pg_catalog.pg_am am ON am.oid = ic.relam {comment} {functions} {types}
             WHERE c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
                               AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
               AND {USER_NS} AND {ext} AND {not_history}",
            index_name = qname("inn", "ic.relname"),
            comment = comment_join("d", "pg_class", "ic.oid", "0"),
            functions = functions_join("pg_class", "i.indexrelid"),
            types = types_join("pg_class", "i.indexrelid"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Triggers (not internal ones, not those a partition inherits).
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(t.tgname) AS name,
                    pg_catalog.pg_get_triggerdef(t.oid, true) AS definition, t.tgenabled AS enabled,
                    d.description AS comment, fu.functions, tu.types, {columns} AS columns
             FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment} {functions} {types}
             WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {USER_NS} AND {ext} AND {not_history}",
            comment = comment_join("d", "pg_trigger", "t.oid", "0"),
            functions = functions_join("pg_trigger", "t.oid"),
            types = types_join("pg_trigger", "t.oid"),
            columns = columns_used("pg_trigger", "t.oid", "t.tgrelid"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Functions and procedures.
        aggregate(&format!(
            "SELECT {name} || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS name,
                    p.prokind AS kind, l.lanname AS language, p.provolatile AS volatility,
                    p.prosecdef AS security_definer, pg_catalog.pg_get_function_result(p.oid) AS returns,
                    p.oid::pg_catalog.regprocedure::text AS signature,
                    p.prosrc AS body, pg_catalog.pg_get_functiondef(p.oid) AS definition,
                    d.description AS comment, {owner} AS owner, {acl} AS acl, tu.types
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang {comment} {types}
             WHERE p.prokind IN ('f', 'p') AND {USER_NS} AND {ext}",
            name = qname("n", "p.proname"),
            owner = scope.owner("p.proowner"),
            acl = scope.acl("p.proacl", 'f', "p.proowner"),
            comment = comment_join("d", "pg_proc", "p.oid", "0"),
            types = types_join("pg_proc", "p.oid"),
            ext = not_extension_member("pg_proc", "p.oid"),
        )),
        // Views and materialized views, with the relations they read, the functions they
        // call and the user types they use (those of the columns they read included).
        aggregate(&format!(
            "SELECT {rel_name} AS name, c.relkind = 'm' AS materialized,
                    pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
                    (SELECT pg_catalog.json_agg(DISTINCT {dep})
                       FROM pg_catalog.pg_rewrite r
                       JOIN pg_catalog.pg_depend dp ON dp.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND dp.objid = r.oid
                       JOIN pg_catalog.pg_class rc ON rc.oid = dp.refobjid
                       JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
                      WHERE r.ev_class = c.oid AND dp.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND dp.refobjid <> c.oid) AS depends_on,
                    {functions} AS functions,
                    (SELECT pg_catalog.json_agg(DISTINCT {type_name})
                       FROM pg_catalog.pg_depend td
                       LEFT JOIN pg_catalog.pg_attribute ta ON td.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                            AND ta.attrelid = td.refobjid AND ta.attnum = td.refobjsubid AND td.refobjsubid > 0
                       JOIN pg_catalog.pg_type rt ON rt.oid = CASE WHEN td.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass
                            THEN td.refobjid ELSE ta.atttypid END
                       JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN rt.typcategory = 'A' AND rt.typelem <> 0
                            THEN rt.typelem ELSE rt.oid END
                       JOIN pg_catalog.pg_namespace tn ON tn.oid = et.typnamespace
                      WHERE ((td.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND td.objid = {rule})
                             OR (td.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND td.objid = c.oid))
                        AND td.refclassid IN ('pg_catalog.pg_type'::pg_catalog.regclass, 'pg_catalog.pg_class'::pg_catalog.regclass)
                        AND et.typtype IN ('e', 'd', 'c')
                        AND tn.nspname NOT IN ('pg_catalog', 'information_schema')) AS types,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE c.relkind IN ('v', 'm') AND {USER_NS} AND {ext}",
            dep = qname("rn", "rc.relname"),
            functions = functions_used("pg_rewrite", rule),
            type_name = qname("tn", "et.typname"),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 'r', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
            ext = not_extension_member("pg_class", "c.oid"),
        )),
        // Row-level security policies.
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(pol.polname) AS name,
                    pol.polpermissive AS permissive, pol.polcmd AS command,
                    (SELECT pg_catalog.json_agg(CASE WHEN r = 0 THEN 'public'
                            ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END)
                       FROM pg_catalog.unnest(pol.polroles) r) AS roles,
                    pg_catalog.pg_get_expr(pol.polqual, pol.polrelid, true) AS using,
                    pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid, true) AS with_check,
                    fu.functions, tu.types, {columns} AS columns
             FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {functions} {types}
             WHERE {USER_NS} AND {ext} AND {not_history}",
            ext = not_extension_member("pg_class", "c.oid"),
            functions = functions_join("pg_policy", "pol.oid"),
            types = types_join("pg_policy", "pol.oid"),
            columns = columns_used("pg_policy", "pol.oid", "pol.polrelid"),
        )),
    ]
}
