//! The dependency query: every user object named as the model names it (`table
//! public.users`, `column public.users.email`, `constraint public.users.users_pkey`,
//! `default public.users.id`, `function public.f(x integer)`, `view public.v`) with its
//! catalog address (class, OID, sub-id), and the rows of `pg_depend` as bare addresses;
//! [`crate::introspect`] joins the two into the graph node → nodes. The join was done here
//! (the named objects joined four times to `pg_depend`) and took most of the query's time:
//! a hash map on the client does it in a few milliseconds. The answer is plain rows, each
//! tagged with its list (`n` node, `e` edge, `m` extension member, `c` constraint index):
//! turning its 40,000 rows into JSON was half the query's time on the server.
//!
//! `pg_depend` rows between two objects made by `initdb` (OIDs below 16,384) are left
//! out: no user object is at either end.
//!
//! What an object belongs to takes its place: a view's `_RETURN` rule is the view, a
//! table's row type and an array type are their table and element type, a multirange is
//! its range, an identity sequence is its column, the index behind a constraint is the
//! constraint, an operator class's members are the class, and whatever an extension owns
//! is the extension. Dependencies on schemas are left out (a name says its schema). The
//! last two are rows of their own (`c`, `m`) that the client puts in place of the node:
//! as correlated subqueries per index, or as a filter after the names were built, they
//! were most of the query's time at 1,000 tables.
//!
//! `rel` is inlined (`NOT MATERIALIZED`): each lookup of one relation by OID is then an index
//! scan of `pg_class`, where a materialized `rel` was scanned whole for every lookup, which
//! grew with the square of the schema (seconds at 1,000 tables).

use super::{function_key, qname, Scope, FIRST_USER_OID, USER_NS};

/// The node of relation `r` (from the `rel` CTE) as a whole.
const REL_NODE: &str = "CASE WHEN r.relkind IN ('r', 'p', 'f') THEN 'table ' WHEN r.relkind IN ('v', 'm') THEN 'view ' \
     ELSE 'type ' END || r.qn";

pub(super) fn query(scope: &Scope<'_>) -> String {
    let multirange = if scope.at_least(14) {
        "LEFT JOIN pg_catalog.pg_range mr ON mr.rngmultitypid = t.oid"
    } else {
        "LEFT JOIN (SELECT NULL::pg_catalog.oid AS rngtypid, NULL::pg_catalog.oid AS rngmultitypid) mr ON false"
    };
    let publication_schemas = if scope.at_least(15) {
        "UNION ALL
         SELECT 'pg_catalog.pg_publication_namespace'::pg_catalog.regclass::pg_catalog.oid, ps.oid, 0,
                'publication ' || pg_catalog.quote_ident(p.pubname)
           FROM pg_catalog.pg_publication_namespace ps JOIN pg_catalog.pg_publication p ON p.oid = ps.pnpubid"
    } else {
        ""
    };
    let class = |c: &str| format!("'pg_catalog.{c}'::pg_catalog.regclass::pg_catalog.oid");
    format!(
        "WITH rel AS NOT MATERIALIZED (
           SELECT c.oid, c.relkind, {rel_qn} AS qn
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER_NS} AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'i', 'I', 'c')
         ),
         obj(classid, objid, objsubid, node) AS (
           SELECT {pg_class}, r.oid, 0,
                  CASE WHEN r.relkind = 'S' THEN coalesce((SELECT 'column ' || tr.qn || '.' || pg_catalog.quote_ident(ta.attname)
                         FROM pg_catalog.pg_depend sd JOIN rel tr ON tr.oid = sd.refobjid
                         JOIN pg_catalog.pg_attribute ta ON ta.attrelid = sd.refobjid AND ta.attnum = sd.refobjsubid
                        WHERE sd.classid = {pg_class} AND sd.objid = r.oid AND sd.refclassid = {pg_class}
                          AND sd.deptype = 'i'), 'sequence ' || r.qn)
                       WHEN r.relkind IN ('i', 'I') THEN 'index ' || r.qn
                       ELSE {REL_NODE} END
             FROM rel r
           UNION ALL
           SELECT {pg_class}, a.attrelid, a.attnum, 'column ' || r.qn || '.' || pg_catalog.quote_ident(a.attname)
             FROM pg_catalog.pg_attribute a JOIN rel r ON r.oid = a.attrelid
            WHERE r.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
           UNION ALL
           SELECT {pg_type}, t.oid, 0,
                  CASE WHEN b.typtype = 'c' THEN CASE WHEN r.relkind IN ('r', 'p', 'f') THEN 'table '
                         WHEN r.relkind IN ('v', 'm') THEN 'view ' WHEN r.relkind IS NOT NULL THEN 'type ' END || r.qn
                       ELSE 'type ' || {base_qn} END
             FROM pg_catalog.pg_type t
             LEFT JOIN pg_catalog.pg_type e ON e.typarray = t.oid
             {multirange}
             JOIN pg_catalog.pg_type b ON b.oid = coalesce(mr.rngtypid, e.oid, t.oid)
             JOIN pg_catalog.pg_namespace bn ON bn.oid = b.typnamespace
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN rel r ON b.typtype = 'c' AND r.oid = b.typrelid
            WHERE {USER_NS}
           UNION ALL
           SELECT {pg_proc}, p.oid, 0, 'function ' || {proc_key}
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_constraint}, k.oid, 0,
                  CASE WHEN k.contypid <> 0 THEN 'type ' || {domain_qn}
                       ELSE 'constraint ' || r.qn || '.' || pg_catalog.quote_ident(k.conname) END
             FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
             LEFT JOIN pg_catalog.pg_type dt ON k.contypid <> 0 AND dt.oid = k.contypid
             LEFT JOIN pg_catalog.pg_namespace dn ON dn.oid = dt.typnamespace
             LEFT JOIN rel r ON k.contypid = 0 AND r.oid = k.conrelid
            WHERE {USER_NS}
           UNION ALL
           SELECT {pg_attrdef}, ad.oid, 0,
                  CASE WHEN r.relkind IN ('v', 'm') THEN 'view ' || r.qn
                       ELSE 'default ' || r.qn || '.' || pg_catalog.quote_ident(a.attname) END
             FROM pg_catalog.pg_attrdef ad JOIN rel r ON r.oid = ad.adrelid
             JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
           UNION ALL
           SELECT {pg_rewrite}, w.oid, 0,
                  CASE WHEN w.rulename = '_RETURN' THEN {REL_NODE}
                       ELSE 'rule ' || r.qn || '.' || pg_catalog.quote_ident(w.rulename) END
             FROM pg_catalog.pg_rewrite w JOIN rel r ON r.oid = w.ev_class
           UNION ALL
           SELECT {pg_trigger}, tg.oid, 0, 'trigger ' || r.qn || '.' || pg_catalog.quote_ident(tg.tgname)
             FROM pg_catalog.pg_trigger tg JOIN rel r ON r.oid = tg.tgrelid WHERE NOT tg.tgisinternal
           UNION ALL
           SELECT {pg_policy}, po.oid, 0, 'policy ' || r.qn || '.' || pg_catalog.quote_ident(po.polname)
             FROM pg_catalog.pg_policy po JOIN rel r ON r.oid = po.polrelid
           UNION ALL
           SELECT {pg_extension}, x.oid, 0, 'extension ' || pg_catalog.quote_ident(x.extname) FROM pg_catalog.pg_extension x
           UNION ALL
           SELECT {pg_collation}, co.oid, 0, 'collation ' || {coll_qn}
             FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_operator}, o.oid, 0, 'operator ' || o.oid::pg_catalog.regoperator::text
             FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_opclass}, oc.oid, 0, 'opclass ' || {opc_qn} || ' USING ' || pg_catalog.quote_ident(am.amname)
             FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
             JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod WHERE {USER_NS}
           UNION ALL
           SELECT {pg_opfamily}, f.oid, 0, 'opfamily ' || {opf_qn} || ' USING ' || pg_catalog.quote_ident(am.amname)
             FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
             JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod WHERE {USER_NS}
           UNION ALL
           SELECT m.classid, m.oid, 0,
                  coalesce((SELECT 'opclass ' || {member_opc_qn} || ' USING ' || pg_catalog.quote_ident(am.amname)
                              FROM pg_catalog.pg_depend md JOIN pg_catalog.pg_opclass mc ON mc.oid = md.refobjid
                              JOIN pg_catalog.pg_namespace mcn ON mcn.oid = mc.opcnamespace
                             WHERE md.classid = m.classid AND md.objid = m.oid AND md.refclassid = {pg_opclass}),
                           'opfamily ' || {opf_qn} || ' USING ' || pg_catalog.quote_ident(am.amname))
             FROM (SELECT {pg_amop} AS classid, ao.oid, ao.amopfamily AS family FROM pg_catalog.pg_amop ao
                   UNION ALL
                   SELECT {pg_amproc}, ap.oid, ap.amprocfamily FROM pg_catalog.pg_amproc ap) m
             JOIN pg_catalog.pg_opfamily f ON f.oid = m.family
             JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
             JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod WHERE {USER_NS}
           UNION ALL
           SELECT {pg_cast}, ca.oid, 0, 'cast (' || pg_catalog.format_type(ca.castsource, NULL) || ' AS '
                  || pg_catalog.format_type(ca.casttarget, NULL) || ')'
             FROM pg_catalog.pg_cast ca WHERE ca.oid >= {FIRST_USER_OID}
           UNION ALL
           SELECT {pg_ts_parser}, x.oid, 0, 'ts_parser ' || {prs_qn}
             FROM pg_catalog.pg_ts_parser x JOIN pg_catalog.pg_namespace n ON n.oid = x.prsnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_ts_template}, x.oid, 0, 'ts_template ' || {tmpl_qn}
             FROM pg_catalog.pg_ts_template x JOIN pg_catalog.pg_namespace n ON n.oid = x.tmplnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_ts_dict}, x.oid, 0, 'ts_dictionary ' || {dict_qn}
             FROM pg_catalog.pg_ts_dict x JOIN pg_catalog.pg_namespace n ON n.oid = x.dictnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_ts_config}, x.oid, 0, 'ts_configuration ' || {cfg_qn}
             FROM pg_catalog.pg_ts_config x JOIN pg_catalog.pg_namespace n ON n.oid = x.cfgnamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_foreign_data_wrapper}, w.oid, 0, 'foreign_data_wrapper ' || pg_catalog.quote_ident(w.fdwname)
             FROM pg_catalog.pg_foreign_data_wrapper w
           UNION ALL
           SELECT {pg_foreign_server}, s.oid, 0, 'server ' || pg_catalog.quote_ident(s.srvname)
             FROM pg_catalog.pg_foreign_server s
           UNION ALL
           SELECT {pg_user_mapping}, u.umid, 0, 'user_mapping '
                  || CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(u.usename) END
                  || ' ON ' || pg_catalog.quote_ident(u.srvname)
             FROM pg_catalog.pg_user_mappings u
           UNION ALL
           SELECT {pg_publication}, p.oid, 0, 'publication ' || pg_catalog.quote_ident(p.pubname)
             FROM pg_catalog.pg_publication p
           UNION ALL
           SELECT {pg_publication_rel}, pr.oid, 0, 'publication ' || pg_catalog.quote_ident(p.pubname)
             FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
           {publication_schemas}
           UNION ALL
           SELECT {pg_event_trigger}, et.oid, 0, 'event_trigger ' || pg_catalog.quote_ident(et.evtname)
             FROM pg_catalog.pg_event_trigger et
           UNION ALL
           SELECT {pg_am}, am.oid, 0, 'access_method ' || pg_catalog.quote_ident(am.amname)
             FROM pg_catalog.pg_am am WHERE am.oid >= {FIRST_USER_OID}
           UNION ALL
           SELECT {pg_conversion}, cv.oid, 0, 'conversion ' || {conv_qn}
             FROM pg_catalog.pg_conversion cv JOIN pg_catalog.pg_namespace n ON n.oid = cv.connamespace WHERE {USER_NS}
           UNION ALL
           SELECT {pg_statistic_ext}, st.oid, 0, 'statistics ' || {stx_qn}
             FROM pg_catalog.pg_statistic_ext st JOIN pg_catalog.pg_namespace n ON n.oid = st.stxnamespace WHERE {USER_NS}
         )
         SELECT 'n' AS list, o.classid, o.objid, o.objsubid, NULL::pg_catalog.oid AS refclassid,
                NULL::pg_catalog.oid AS refobjid, NULL::integer AS refobjsubid, o.node
           FROM obj o
         UNION ALL
         SELECT 'm', xd.classid, xd.objid, 0, NULL, NULL, NULL, 'extension ' || pg_catalog.quote_ident(x.extname)
           FROM pg_catalog.pg_depend xd JOIN pg_catalog.pg_extension x ON x.oid = xd.refobjid
          WHERE xd.objsubid = 0 AND xd.deptype = 'e'
         UNION ALL
         SELECT 'c', {pg_class}, k.conindid, 0, NULL, NULL, NULL,
                'constraint ' || {kr_qn} || '.' || pg_catalog.quote_ident(k.conname)
           FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_index ki ON ki.indexrelid = k.conindid
           JOIN pg_catalog.pg_class kc ON kc.oid = k.conrelid
           JOIN pg_catalog.pg_namespace n ON n.oid = kc.relnamespace
          WHERE k.contype IN ('p', 'u', 'x') AND ki.indrelid = k.conrelid AND {USER_NS}
         UNION ALL
         SELECT 'e', d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid, NULL
           FROM pg_catalog.pg_depend d
          WHERE d.deptype IN ('n', 'a', 'i', 'P', 'S') AND d.refclassid <> {pg_namespace}
            AND (d.objid >= {FIRST_USER_OID} OR d.refobjid >= {FIRST_USER_OID})
",
        rel_qn = qname("n", "c.relname"),
        base_qn = qname("bn", "b.typname"),
        proc_key = function_key("n", "p"),
        domain_qn = qname("dn", "dt.typname"),
        kr_qn = qname("n", "kc.relname"),
        coll_qn = qname("n", "co.collname"),
        opc_qn = qname("n", "oc.opcname"),
        opf_qn = qname("n", "f.opfname"),
        member_opc_qn = qname("mcn", "mc.opcname"),
        prs_qn = qname("n", "x.prsname"),
        tmpl_qn = qname("n", "x.tmplname"),
        dict_qn = qname("n", "x.dictname"),
        cfg_qn = qname("n", "x.cfgname"),
        stx_qn = qname("n", "st.stxname"),
        conv_qn = qname("n", "cv.conname"),
        pg_am = class("pg_am"),
        pg_conversion = class("pg_conversion"),
        pg_class = class("pg_class"),
        pg_type = class("pg_type"),
        pg_proc = class("pg_proc"),
        pg_constraint = class("pg_constraint"),
        pg_attrdef = class("pg_attrdef"),
        pg_rewrite = class("pg_rewrite"),
        pg_trigger = class("pg_trigger"),
        pg_policy = class("pg_policy"),
        pg_extension = class("pg_extension"),
        pg_collation = class("pg_collation"),
        pg_operator = class("pg_operator"),
        pg_opclass = class("pg_opclass"),
        pg_opfamily = class("pg_opfamily"),
        pg_amop = class("pg_amop"),
        pg_amproc = class("pg_amproc"),
        pg_cast = class("pg_cast"),
        pg_ts_parser = class("pg_ts_parser"),
        pg_ts_template = class("pg_ts_template"),
        pg_ts_dict = class("pg_ts_dict"),
        pg_ts_config = class("pg_ts_config"),
        pg_foreign_data_wrapper = class("pg_foreign_data_wrapper"),
        pg_foreign_server = class("pg_foreign_server"),
        pg_user_mapping = class("pg_user_mapping"),
        pg_publication = class("pg_publication"),
        pg_publication_rel = class("pg_publication_rel"),
        pg_event_trigger = class("pg_event_trigger"),
        pg_statistic_ext = class("pg_statistic_ext"),
        pg_namespace = class("pg_namespace"),
    )
}
