//! Queries for types, functions, procedures, aggregates, operators, operator families and
//! classes, and casts.

use super::{
    aggregate, comment_join, comment_of, function_key, not_extension_member, object, property_list,
    qname, regproc, rows, Part, Scope, FIRST_USER_OID, USER_NS,
};

/// Not made by PostgreSQL along with another object (a range type's constructors, a
/// multirange's casts): those come and go with it.
fn not_internal(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend di WHERE di.classid = 'pg_catalog.{class}'::pg_catalog.regclass \
         AND di.objid = {oid} AND di.deptype = 'i')"
    )
}

/// `OPERATOR(schema.op)` of the operator `oid` (0 gives NULL).
fn operator_ref(oid: &str) -> String {
    format!(
        "(SELECT 'OPERATOR(' || pg_catalog.quote_ident(orn.nspname) || '.' || oro.oprname || ')'
            FROM pg_catalog.pg_operator oro JOIN pg_catalog.pg_namespace orn ON orn.oid = oro.oprnamespace
           WHERE oro.oid = {oid})"
    )
}

/// The members of operator family or class `oid` (of catalog `class`) that `pg_depend`
/// ties to it, as the `OPERATOR ..` / `FUNCTION ..` items of their `CREATE` statements, in
/// the order they were made.
fn members(class: &str, oid: &str) -> String {
    format!(
        "(SELECT pg_catalog.json_agg(mm.m ORDER BY mm.k, mm.o) FROM (
            SELECT 1 AS k, ao.amopstrategy AS num, ao.oid AS o, 'OPERATOR ' || ao.amopstrategy || ' ' || ao.amopopr::pg_catalog.regoperator::text
                   || CASE WHEN ao.amoppurpose = 'o' THEN ' FOR ORDER BY ' || (SELECT {sortfamily}
                        FROM pg_catalog.pg_opfamily sf JOIN pg_catalog.pg_namespace sfn ON sfn.oid = sf.opfnamespace
                        WHERE sf.oid = ao.amopsortfamily) ELSE '' END AS m
              FROM pg_catalog.pg_amop ao JOIN pg_catalog.pg_depend dd
                ON dd.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND dd.objid = ao.oid
               AND dd.refclassid = 'pg_catalog.{class}'::pg_catalog.regclass AND dd.refobjid = {oid}
            UNION ALL
            SELECT 2, ap.amprocnum, ap.oid, 'FUNCTION ' || ap.amprocnum || ' (' || pg_catalog.format_type(ap.amproclefttype, NULL) || ', '
                   || pg_catalog.format_type(ap.amprocrighttype, NULL) || ') ' || ap.amproc::pg_catalog.regprocedure::text
              FROM pg_catalog.pg_amproc ap JOIN pg_catalog.pg_depend dd
                ON dd.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND dd.objid = ap.oid
               AND dd.refclassid = 'pg_catalog.{class}'::pg_catalog.regclass AND dd.refobjid = {oid}) mm)",
        sortfamily = qname("sfn", "sf.opfname"),
    )
}

pub(super) fn queries(scope: &Scope<'_>, out: &mut Vec<(Part, String)>) {
    let range_properties = property_list(&[
        ("SUBTYPE", "pg_catalog.format_type(r.rngsubtype, NULL)".into()),
        (
            "SUBTYPE_OPCLASS",
            format!(
                "(SELECT {} FROM pg_catalog.pg_opclass ro JOIN pg_catalog.pg_namespace ron ON ron.oid = ro.opcnamespace
                  WHERE ro.oid = r.rngsubopc AND NOT ro.opcdefault)",
                qname("ron", "ro.opcname")
            ),
        ),
        (
            "COLLATION",
            "(SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
               WHERE co.oid = r.rngcollation AND r.rngcollation <> (SELECT st.typcollation FROM pg_catalog.pg_type st
                     WHERE st.oid = r.rngsubtype))"
                .into(),
        ),
        ("CANONICAL", regproc("r.rngcanonical")),
        ("SUBTYPE_DIFF", regproc("r.rngsubdiff")),
        (
            "MULTIRANGE_TYPE_NAME",
            if scope.at_least(14) {
                "pg_catalog.format_type(r.rngmultitypid, NULL)".into()
            } else {
                "NULL".into()
            },
        ),
    ]);
    let base_properties = property_list(&[
        ("INPUT", "t.typinput::pg_catalog.regproc".into()),
        ("OUTPUT", "t.typoutput::pg_catalog.regproc".into()),
        ("RECEIVE", regproc("t.typreceive")),
        ("SEND", regproc("t.typsend")),
        ("TYPMOD_IN", regproc("t.typmodin")),
        ("TYPMOD_OUT", regproc("t.typmodout")),
        ("ANALYZE", regproc("t.typanalyze")),
        (
            "SUBSCRIPT",
            if scope.at_least(14) {
                regproc("t.typsubscript")
            } else {
                "NULL".into()
            },
        ),
        (
            "INTERNALLENGTH",
            "CASE WHEN t.typlen = -1 THEN 'VARIABLE' ELSE t.typlen::text END".into(),
        ),
        ("PASSEDBYVALUE", "CASE WHEN t.typbyval THEN '' END".into()),
        (
            "ALIGNMENT",
            "CASE t.typalign WHEN 'c' THEN 'char' WHEN 's' THEN 'int2' WHEN 'i' THEN 'int4' ELSE 'double' END".into(),
        ),
        (
            "STORAGE",
            "CASE t.typstorage WHEN 'p' THEN 'plain' WHEN 'e' THEN 'external' WHEN 'm' THEN 'main' ELSE 'extended' END".into(),
        ),
        (
            "CATEGORY",
            "CASE WHEN t.typcategory <> 'U' THEN pg_catalog.quote_literal(t.typcategory::text) END".into(),
        ),
        ("PREFERRED", "CASE WHEN t.typispreferred THEN 'true' END".into()),
        ("DEFAULT", "pg_catalog.quote_literal(t.typdefault)".into()),
        (
            "ELEMENT",
            "CASE WHEN t.typelem <> 0 THEN pg_catalog.format_type(t.typelem, NULL) END".into(),
        ),
        (
            "DELIMITER",
            "CASE WHEN t.typdelim <> ',' THEN pg_catalog.quote_literal(t.typdelim::text) END".into(),
        ),
        ("COLLATABLE", "CASE WHEN t.typcollation <> 0 THEN 'true' END".into()),
    ]);
    // Enum, domain, composite, range and base types (not array types, not shells).
    out.push((
        Part::Types,
        aggregate(&format!(
            "SELECT {name} AS name,
                    CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite'
                         WHEN 'r' THEN 'range' ELSE 'base' END AS kind,
                    CASE WHEN t.typtype = 'e' THEN (SELECT pg_catalog.json_agg(l.enumlabel ORDER BY l.enumsortorder)
                         FROM pg_catalog.pg_enum l WHERE l.enumtypid = t.oid) END AS labels,
                    CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
                    t.typnotnull AS not_null,
                    CASE WHEN t.typtype = 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0, true) END AS default,
                    CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <>
                         (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)
                         THEN (SELECT pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                               FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                               WHERE co.oid = t.typcollation) END AS collation,
                    CASE WHEN t.typtype = 'd' THEN (SELECT pg_catalog.json_object_agg(pg_catalog.quote_ident(k.conname),
                         pg_catalog.pg_get_constraintdef(k.oid, true)) FROM pg_catalog.pg_constraint k
                         WHERE k.contypid = t.oid AND k.contype = 'c') END AS checks,
                    CASE WHEN t.typtype = 'd' THEN (SELECT pg_catalog.json_object_agg(pg_catalog.quote_ident(k.conname),
                         kd.description) FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_description kd
                         ON kd.objoid = k.oid AND kd.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass
                         WHERE k.contypid = t.oid) END AS check_comments,
                    CASE WHEN t.typtype = 'c' THEN (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
                         pg_catalog.quote_ident(a.attname), pg_catalog.format_type(a.atttypid, a.atttypmod)
                         || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || (SELECT
                              pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname)
                              FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                              WHERE co.oid = a.attcollation) ELSE '' END) ORDER BY a.attnum)
                         FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                         WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS attributes,
                    CASE WHEN t.typtype = 'c' THEN (SELECT pg_catalog.json_object_agg(pg_catalog.quote_ident(a.attname),
                         ad.description) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_description ad
                         ON ad.objoid = t.typrelid AND ad.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
                         AND ad.objsubid = a.attnum WHERE a.attrelid = t.typrelid) END AS attribute_comments,
                    CASE WHEN t.typtype = 'r' THEN (SELECT {range_properties} FROM pg_catalog.pg_range r
                         WHERE r.rngtypid = t.oid)
                         WHEN t.typtype = 'b' THEN {base_properties} END AS properties,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace {comment}
             WHERE {USER_NS} AND {ext} AND t.typisdefined
               AND (t.typtype IN ('e', 'd', 'r')
                    OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c')
                    OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)))",
            name = qname("n", "t.typname"),
            owner = scope.owner("t.typowner"),
            acl = scope.acl("t.typacl", 'T', "t.typowner"),
            comment = comment_join("d", "pg_type", "t.oid", "0"),
            ext = not_extension_member("pg_type", "t.oid"),
        )),
    ));

    // Functions and procedures (window functions included).
    out.push((
        Part::Functions,
        aggregate(&format!(
            "SELECT {key} AS name,
                    CASE WHEN p.prokind = 'p' THEN 'procedure' ELSE 'function' END AS kind,
                    l.lanname AS language,
                    CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
                    p.prosecdef AS security_definer, pg_catalog.pg_get_function_result(p.oid) AS returns,
                    p.oid::pg_catalog.regprocedure::text AS signature,
                    p.prosrc AS body, pg_catalog.pg_get_functiondef(p.oid) AS definition,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang {comment}
             WHERE p.prokind IN ('f', 'p', 'w') AND {USER_NS} AND {ext} AND {internal}",
            key = function_key("n", "p"),
            owner = scope.owner("p.proowner"),
            acl = scope.acl("p.proacl", 'f', "p.proowner"),
            comment = comment_join("d", "pg_proc", "p.oid", "0"),
            ext = not_extension_member("pg_proc", "p.oid"),
            internal = not_internal("pg_proc", "p.oid"),
        )),
    ));

    let mut ops: Vec<(&str, String)> = Vec::new();
    let modify = |col: &str, default: &str| {
        format!(
            "CASE WHEN {col} <> {default} THEN CASE {col} WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END"
        )
    };
    let aggregate_options = property_list(&[
        ("SFUNC", "a.aggtransfn::pg_catalog.regproc".into()),
        (
            "STYPE",
            "pg_catalog.format_type(a.aggtranstype, NULL)".into(),
        ),
        ("SSPACE", "NULLIF(a.aggtransspace, 0)".into()),
        ("FINALFUNC", regproc("a.aggfinalfn")),
        (
            "FINALFUNC_EXTRA",
            "CASE WHEN a.aggfinalextra THEN '' END".into(),
        ),
        (
            "FINALFUNC_MODIFY",
            modify(
                "a.aggfinalmodify",
                "CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END",
            ),
        ),
        ("COMBINEFUNC", regproc("a.aggcombinefn")),
        ("SERIALFUNC", regproc("a.aggserialfn")),
        ("DESERIALFUNC", regproc("a.aggdeserialfn")),
        ("INITCOND", "pg_catalog.quote_literal(a.agginitval)".into()),
        ("MSFUNC", regproc("a.aggmtransfn")),
        ("MINVFUNC", regproc("a.aggminvtransfn")),
        (
            "MSTYPE",
            "CASE WHEN a.aggmtranstype <> 0 THEN pg_catalog.format_type(a.aggmtranstype, NULL) END"
                .into(),
        ),
        ("MSSPACE", "NULLIF(a.aggmtransspace, 0)".into()),
        ("MFINALFUNC", regproc("a.aggmfinalfn")),
        (
            "MFINALFUNC_EXTRA",
            "CASE WHEN a.aggmfinalextra THEN '' END".into(),
        ),
        (
            "MFINALFUNC_MODIFY",
            format!(
                "CASE WHEN a.aggmtransfn <> 0 THEN {} END",
                modify(
                    "a.aggmfinalmodify",
                    "CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END"
                )
            ),
        ),
        (
            "MINITCOND",
            "pg_catalog.quote_literal(a.aggminitval)".into(),
        ),
        ("SORTOP", operator_ref("a.aggsortop")),
        (
            "HYPOTHETICAL",
            "CASE WHEN a.aggkind = 'h' THEN '' END".into(),
        ),
        (
            "PARALLEL",
            "CASE p.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' END".into(),
        ),
    ]);
    ops.push((
        "aggregates",
        rows(&format!(
            "SELECT {key} AS name,
                    CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_arguments(p.oid) END AS arguments,
                    CASE a.aggkind WHEN 'o' THEN 'ordered-set' WHEN 'h' THEN 'hypothetical' ELSE 'normal' END AS kind,
                    {aggregate_options} AS options,
                    p.oid::pg_catalog.regprocedure::text AS signature,
                    d.description AS comment, {owner} AS owner, {acl} AS acl
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace {comment}
             WHERE p.prokind = 'a' AND {USER_NS} AND {ext}",
            key = function_key("n", "p"),
            owner = scope.owner("p.proowner"),
            acl = scope.acl("p.proacl", 'f', "p.proowner"),
            comment = comment_join("d", "pg_proc", "p.oid", "0"),
            ext = not_extension_member("pg_proc", "p.oid"),
        )),
    ));

    let operator_options = property_list(&[
        ("FUNCTION", "o.oprcode::pg_catalog.regproc".into()),
        (
            "LEFTARG",
            "CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END".into(),
        ),
        (
            "RIGHTARG",
            "CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END".into(),
        ),
        ("COMMUTATOR", operator_ref("o.oprcom")),
        ("NEGATOR", operator_ref("o.oprnegate")),
        ("RESTRICT", regproc("o.oprrest")),
        ("JOIN", regproc("o.oprjoin")),
        ("HASHES", "CASE WHEN o.oprcanhash THEN '' END".into()),
        ("MERGES", "CASE WHEN o.oprcanmerge THEN '' END".into()),
    ]);
    ops.push((
        "operators",
        rows(&format!(
            "SELECT o.oid::pg_catalog.regoperator::text AS key,
                    pg_catalog.quote_ident(n.nspname) || '.' || o.oprname AS name,
                    {operator_options} AS options,
                    d.description AS comment, {owner} AS owner
             FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace {comment}
             WHERE o.oprcode <> 0 AND {USER_NS} AND {ext}",
            owner = scope.owner("o.oprowner"),
            comment = comment_join("d", "pg_operator", "o.oid", "0"),
            ext = not_extension_member("pg_operator", "o.oid"),
        )),
    ));

    // Operator families, but not those an operator class made for itself and nothing else
    // uses (the class's `CREATE` makes them).
    ops.push((
        "operator_families",
        rows(&format!(
            "SELECT {name} || ' USING ' || pg_catalog.quote_ident(am.amname) AS key,
                    {name} AS name, am.amname AS method, {members} AS members,
                    {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
             JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
             WHERE {USER_NS} AND {ext}
               AND NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_opclass oc WHERE oc.opcfamily = f.oid
                                  AND oc.opcname = f.opfname AND oc.opcnamespace = f.opfnamespace)
                        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend fd WHERE fd.refobjid = f.oid
                                  AND fd.refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass
                                  AND fd.classid IN ('pg_catalog.pg_amop'::pg_catalog.regclass,
                                                     'pg_catalog.pg_amproc'::pg_catalog.regclass))
                        AND {comment} IS NULL)",
            name = qname("n", "f.opfname"),
            members = members("pg_opfamily", "f.oid"),
            comment = comment_of("pg_opfamily", "f.oid", "0"),
            owner = scope.owner("f.opfowner"),
            ext = not_extension_member("pg_opfamily", "f.oid"),
        )),
    ));

    ops.push((
        "operator_classes",
        rows(&format!(
            "SELECT {name} || ' USING ' || pg_catalog.quote_ident(am.amname) AS key,
                    {name} AS name, am.amname AS method, pg_catalog.format_type(c.opcintype, NULL) AS type,
                    c.opcdefault AS default,
                    CASE WHEN f.opfname <> c.opcname OR f.opfnamespace <> c.opcnamespace
                         THEN {family} || ' USING ' || pg_catalog.quote_ident(am.amname) END AS family,
                    CASE WHEN c.opckeytype <> 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END AS storage,
                    {members} AS members, d.description AS comment, {owner} AS owner
             FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
             JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
             JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily
             JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace {comment}
             WHERE {USER_NS} AND {ext}",
            name = qname("n", "c.opcname"),
            family = qname("fn", "f.opfname"),
            members = members("pg_opclass", "c.oid"),
            owner = scope.owner("c.opcowner"),
            comment = comment_join("d", "pg_opclass", "c.oid", "0"),
            ext = not_extension_member("pg_opclass", "c.oid"),
        )),
    ));

    ops.push((
        "casts",
        rows(&format!(
            "SELECT '(' || pg_catalog.format_type(c.castsource, NULL) || ' AS '
                        || pg_catalog.format_type(c.casttarget, NULL) || ')' AS name,
                    pg_catalog.format_type(c.castsource, NULL) AS source,
                    pg_catalog.format_type(c.casttarget, NULL) AS target,
                    CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::pg_catalog.regprocedure::text
                         WHEN 'b' THEN 'WITHOUT FUNCTION' ELSE 'WITH INOUT' END AS method,
                    CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' ELSE 'implicit' END AS context,
                    d.description AS comment
             FROM pg_catalog.pg_cast c {comment}
             WHERE c.oid >= {FIRST_USER_OID} AND {ext} AND {internal}",
            comment = comment_join("d", "pg_cast", "c.oid", "0"),
            ext = not_extension_member("pg_cast", "c.oid"),
            internal = not_internal("pg_cast", "c.oid"),
        )),
    ));
    out.push((Part::Operators, object(&ops)));
}
