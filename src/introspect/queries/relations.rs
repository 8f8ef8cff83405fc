//! Queries for schemas, extensions, sequences, tables (with their columns, constraints,
//! indexes, triggers, rules and policies) and views.

use super::{
    aggregate, comment_join, comment_of, not_extension_member, options_json, qname, Part, Scope,
    USER_NS,
};

/// The qualified name of the collation `oid`.
fn collation(oid: &str) -> String {
    format!(
        "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) \
         FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
         WHERE co.oid = {oid})"
    )
}

/// The tablespace of relation `c`, when not the database's default.
const TABLESPACE: &str =
    "(SELECT pg_catalog.quote_ident(ts.spcname) FROM pg_catalog.pg_tablespace ts \
     WHERE ts.oid = c.reltablespace)";

/// The access method of relation `c` when not `heap`.
const ACCESS_METHOD: &str = "(SELECT pg_catalog.quote_ident(am.amname) FROM pg_catalog.pg_am am \
     WHERE am.oid = c.relam AND am.amname <> 'heap')";

/// The clustered index of relation `c`.
fn cluster_on() -> String {
    format!(
        "(SELECT {} FROM pg_catalog.pg_index ci JOIN pg_catalog.pg_class cic ON cic.oid = ci.indexrelid
           JOIN pg_catalog.pg_namespace cin ON cin.oid = cic.relnamespace
          WHERE ci.indrelid = c.oid AND ci.indisclustered)",
        qname("cin", "cic.relname")
    )
}

pub(super) fn queries(scope: &Scope<'_>, out: &mut Vec<(Part, String)>) {
    let rel_name = qname("n", "c.relname");
    let not_history = scope.not_history("c.oid");
    let rel_ext = not_extension_member("pg_class", "c.oid");

    out.push((
        Part::Schemas,
        aggregate(&format!(
            "SELECT pg_catalog.quote_ident(n.nspname) AS name, {owner} AS owner, {acl} AS acl, d.description AS comment
             FROM pg_catalog.pg_namespace n {comment}
             WHERE {USER_NS} AND {ext}",
            owner = scope.owner("n.nspowner"),
            acl = scope.acl("n.nspacl", 'n', "n.nspowner"),
            comment = comment_join("d", "pg_namespace", "n.oid", "0"),
            ext = not_extension_member("pg_namespace", "n.oid"),
        )),
    ));

    out.push((
        Part::Extensions,
        aggregate(&format!(
            "SELECT pg_catalog.quote_ident(x.extname) AS name, x.extversion AS version,
                    pg_catalog.quote_ident(n.nspname) AS schema, {comment} AS comment
             FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace",
            comment = comment_of("pg_extension", "x.oid", "0"),
        )),
    ));

    // Sequences (identity sequences are part of their column).
    out.push((
        Part::Sequences,
        aggregate(&format!(
            "SELECT {rel_name} AS name, pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
                    s.seqstart AS start, s.seqincrement AS increment, s.seqmin AS min, s.seqmax AS max,
                    s.seqcache AS cache, s.seqcycle AS cycle, c.relpersistence = 'u' AS unlogged,
                    (SELECT pg_catalog.json_build_array({owned_table}, pg_catalog.quote_ident(a.attname))
                       FROM pg_catalog.pg_depend o JOIN pg_catalog.pg_class oc ON oc.oid = o.refobjid
                       JOIN pg_catalog.pg_namespace onn ON onn.oid = oc.relnamespace
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = oc.oid AND a.attnum = o.refobjsubid
                      WHERE o.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.objid = c.oid
                        AND o.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND o.deptype = 'a') AS owned_by,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE {USER_NS} AND {rel_ext}
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                               AND i.objid = c.oid AND i.deptype = 'i')",
            owned_table = qname("onn", "oc.relname"),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 's', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
        )),
    ));

    // Tables, partitioned tables and foreign tables.
    out.push((
        Part::Tables,
        aggregate(&format!(
            "SELECT {rel_name} AS name, c.relpersistence = 'u' AS unlogged,
                    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
                    CASE WHEN c.relispartition THEN (SELECT {parent} FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                         WHERE i.inhrelid = c.oid) END AS parent,
                    CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid, true) END AS partition_bound,
                    CASE WHEN NOT c.relispartition THEN (SELECT pg_catalog.json_agg({parent} ORDER BY i.inhseqno)
                         FROM pg_catalog.pg_inherits i
                         JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                         WHERE i.inhrelid = c.oid) END AS inherits,
                    (SELECT pg_catalog.json_object_agg(o.k, o.v) FROM (
                        SELECT pg_catalog.split_part(x, '=', 1) AS k, pg_catalog.substr(x, pg_catalog.strpos(x, '=') + 1) AS v
                          FROM pg_catalog.unnest(c.reloptions) x
                        UNION ALL
                        SELECT 'toast.' || pg_catalog.split_part(x, '=', 1), pg_catalog.substr(x, pg_catalog.strpos(x, '=') + 1)
                          FROM pg_catalog.pg_class tc, pg_catalog.unnest(tc.reloptions) x
                         WHERE tc.oid = c.reltoastrelid) o) AS options,
                    CASE WHEN c.relkind = 'r' THEN {ACCESS_METHOD} END AS access_method,
                    {TABLESPACE} AS tablespace,
                    CASE WHEN c.relkind NOT IN ('r', 'p') THEN NULL WHEN c.relreplident = 'n' THEN 'nothing'
                         WHEN c.relreplident = 'f' THEN 'full'
                         WHEN c.relreplident = 'i' THEN (SELECT 'index ' || pg_catalog.quote_ident(ric.relname)
                              FROM pg_catalog.pg_index ri JOIN pg_catalog.pg_class ric ON ric.oid = ri.indexrelid
                              WHERE ri.indrelid = c.oid AND ri.indisreplident) END AS replica_identity,
                    {cluster_on} AS cluster_on,
                    (SELECT pg_catalog.json_build_object('server', pg_catalog.quote_ident(fs.srvname),
                            'options', {ftoptions})
                       FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver
                      WHERE ft.ftrelid = c.oid) AS foreign,
                    CASE WHEN c.reloftype <> 0 THEN pg_catalog.format_type(c.reloftype, NULL) END AS of_type,
                    c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE c.relkind IN ('r', 'p', 'f') AND {USER_NS} AND {rel_ext} AND {not_history}",
            parent = qname("pn", "pc.relname"),
            cluster_on = cluster_on(),
            ftoptions = options_json("ft.ftoptions"),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 'r', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
        )),
    ));

    // Views and materialized views.
    out.push((
        Part::Views,
        aggregate(&format!(
            "SELECT {rel_name} AS name, c.relkind = 'm' AS materialized,
                    pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
                    {options} AS options, {TABLESPACE} AS tablespace,
                    CASE WHEN c.relkind = 'm' THEN {ACCESS_METHOD} END AS access_method,
                    (SELECT pg_catalog.json_object_agg(pg_catalog.quote_ident(va.attname), pg_catalog.json_build_object(
                            'default', pg_catalog.pg_get_expr(vd.adbin, vd.adrelid, true),
                            'comment', vc.description, 'acl', {column_acl},
                            'statistics', CASE WHEN va.attstattarget >= 0 THEN va.attstattarget END))
                       FROM pg_catalog.pg_attribute va
                       LEFT JOIN pg_catalog.pg_attrdef vd ON vd.adrelid = va.attrelid AND vd.adnum = va.attnum
                       {column_comment}
                      WHERE va.attrelid = c.oid AND va.attnum > 0 AND NOT va.attisdropped
                        AND (vd.oid IS NOT NULL OR vc.description IS NOT NULL OR {has_acl} OR va.attstattarget >= 0)) AS columns,
                    {cluster_on} AS cluster_on,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE c.relkind IN ('v', 'm') AND {USER_NS} AND {rel_ext}",
            options = options_json("c.reloptions"),
            column_acl = scope.acl_if_any("va.attacl"),
            has_acl = if scope.privileges {
                "va.attacl IS NOT NULL"
            } else {
                "false"
            },
            column_comment = comment_join("vc", "pg_class", "c.oid", "va.attnum"),
            cluster_on = cluster_on(),
            owner = scope.owner("c.relowner"),
            acl = scope.acl("c.relacl", 'r', "c.relowner"),
            comment = comment_join("d", "pg_class", "c.oid", "0"),
        )),
    ));

    // Columns of tables; those a partition or an inheritance child inherits are marked.
    let compression = if scope.at_least(14) {
        "CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END"
    } else {
        "NULL::text"
    };
    let sequence_acl = if scope.privileges {
        format!(
            "CASE WHEN a.attidentity <> '' THEN (SELECT {acl}
               FROM pg_catalog.pg_depend sd JOIN pg_catalog.pg_class sc ON sc.oid = sd.objid
              WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i') END",
            acl = scope.acl("sc.relacl", 's', "sc.relowner")
        )
    } else {
        "NULL::json".into()
    };
    // Plain rows, not one JSON array: turning 8,000 rows of 22 columns into JSON was half
    // of this query's time on the server (see super::super::rows).
    out.push((
        Part::Columns,
        (format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(a.attname) AS name,
                    pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
                    CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END AS default,
                    CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
                    CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END AS generated,
                    a.attgenerated = 'v' AS generated_virtual,
                    CASE WHEN a.attidentity <> '' THEN (SELECT pg_catalog.json_build_object('start', s.seqstart,
                         'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache,
                         'cycle', s.seqcycle)
                         FROM pg_catalog.pg_depend sd JOIN pg_catalog.pg_sequence s ON s.seqrelid = sd.objid
                        WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i') END AS identity_options,
                    {sequence_acl} AS sequence_acl,
                    CASE WHEN a.attidentity <> '' THEN (SELECT {seq_name}
                         FROM pg_catalog.pg_depend sd JOIN pg_catalog.pg_class sc ON sc.oid = sd.objid
                         JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
                        WHERE sd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND sd.refobjid = c.oid AND sd.refobjsubid = a.attnum AND sd.deptype = 'i') END AS identity_sequence,
                    CASE WHEN a.attcollation <> t.typcollation THEN {coll} END AS collation,
                    CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics,
                    CASE WHEN a.attstorage <> t.typstorage THEN CASE a.attstorage WHEN 'p' THEN 'plain'
                         WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' WHEN 'x' THEN 'extended' END END AS storage,
                    CASE WHEN a.attstorage <> t.typstorage THEN CASE t.typstorage WHEN 'p' THEN 'plain'
                         WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' WHEN 'x' THEN 'extended' END END AS type_storage,
                    {compression} AS compression,
                    {fdw_options} AS options, {set_options} AS set_options,
                    d.description AS comment, {column_acl} AS acl, a.attinhcount > 0 AS inherited,
                    a.attinhcount > 0 AND a.attislocal AS also_local
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
             {comment}
             WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f')
               AND {USER_NS} AND {rel_ext} AND {not_history}
             ORDER BY c.oid, a.attnum",
            coll = collation("a.attcollation"),
            seq_name = qname("sn", "sc.relname"),
            fdw_options = options_json("a.attfdwoptions"),
            set_options = options_json("a.attoptions"),
            column_acl = scope.acl_if_any("a.attacl"),
            comment = comment_join("d", "pg_class", "c.oid", "a.attnum"),
        )),
    ));

    // Table constraints; those a partition or an inheritance child inherits are marked.
    out.push((
        Part::Constraints,
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(k.conname) AS name,
                    CASE k.contype WHEN 'p' THEN 'primary_key' WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check'
                         WHEN 'x' THEN 'exclusion' ELSE 'foreign_key' END AS kind,
                    pg_catalog.pg_get_constraintdef(k.oid, true) AS definition, k.convalidated AS validated,
                    CASE WHEN k.contype = 'f' THEN (SELECT {ref} FROM pg_catalog.pg_class fc
                         JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = k.confrelid) END AS references,
                    d.description AS comment,
                    NOT (k.conparentid = 0 AND k.conislocal AND k.coninhcount = 0) AS inherited,
                    k.coninhcount > 0 AND k.conislocal AS also_local
             FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')
               AND c.relkind IN ('r', 'p', 'f') AND {USER_NS} AND {rel_ext} AND {not_history}",
            ref = qname("fn", "fc.relname"),
            comment = comment_join("d", "pg_constraint", "k.oid", "0"),
        )),
    ));

    // Indexes of tables and materialized views, except those behind a constraint; a
    // partition's indexes attached to its parent's are marked.
    out.push((
        Part::Indexes,
        aggregate(&format!(
            "SELECT {index_name} AS name, {rel_name} AS table, pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) AS definition,
                    i.indisunique AS unique, am.amname AS method,
                    pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate, i.indisvalid AS valid,
                    (SELECT pg_catalog.json_object_agg(ia.attnum::text, ia.attstattarget)
                       FROM pg_catalog.pg_attribute ia WHERE ia.attrelid = i.indexrelid AND ia.attstattarget >= 0) AS statistics,
                    d.description AS comment, ic.relispartition AS inherited
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_namespace inn ON inn.oid = ic.relnamespace
             JOIN pg_catalog.pg_am am ON am.oid = ic.relam {comment}
             WHERE c.relkind IN ('r', 'p', 'm')
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid
                               AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
               AND {USER_NS} AND {rel_ext} AND {not_history}",
            index_name = qname("inn", "ic.relname"),
            comment = comment_join("d", "pg_class", "ic.oid", "0"),
        )),
    ));

    // Triggers of tables and views (not internal ones); those cloned from a parent's are
    // marked.
    out.push((
        Part::Triggers,
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(t.tgname) AS name,
                    pg_catalog.pg_get_triggerdef(t.oid, true) AS definition, t.tgenabled AS enabled,
                    d.description AS comment, t.tgparentid <> 0 AS inherited
             FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE NOT t.tgisinternal AND {USER_NS} AND {rel_ext} AND {not_history}",
            comment = comment_join("d", "pg_trigger", "t.oid", "0"),
        )),
    ));

    // Rules (not the `_RETURN` rule that makes a view).
    out.push((
        Part::Rules,
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(r.rulename) AS name,
                    pg_catalog.pg_get_ruledef(r.oid, true) AS definition, r.ev_enabled AS enabled,
                    d.description AS comment
             FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE r.rulename <> '_RETURN' AND {USER_NS} AND {rel_ext} AND {not_history}",
            comment = comment_join("d", "pg_rewrite", "r.oid", "0"),
        )),
    ));

    // Row-level security policies.
    out.push((
        Part::Policies,
        aggregate(&format!(
            "SELECT {rel_name} AS table, pg_catalog.quote_ident(pol.polname) AS name,
                    pol.polpermissive AS permissive, pol.polcmd AS command,
                    (SELECT pg_catalog.json_agg(CASE WHEN r = 0 THEN 'public'
                            ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END)
                       FROM pg_catalog.unnest(pol.polroles) r) AS roles,
                    pg_catalog.pg_get_expr(pol.polqual, pol.polrelid, true) AS using,
                    pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid, true) AS with_check,
                    d.description AS comment
             FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace {comment}
             WHERE {USER_NS} AND {rel_ext} AND {not_history}",
            comment = comment_join("d", "pg_policy", "pol.oid", "0"),
        )),
    ));
}
