//! Queries for collations, text search objects, foreign data wrappers, servers and user
//! mappings, publications, event triggers, extended statistics, default privileges, and
//! the objects of kinds strata does not compare.

use super::{
    acl_list, comment_of, not_extension_member, object, options_json, property_list, qname,
    regproc, rows, Part, Scope, FIRST_USER_OID, USER_NS,
};

/// Option names of a user mapping that hold secrets: never read, only noticed.
const SECRET: &str = "'(password|secret|token|passfile|sslkey)'";

pub(super) fn queries(scope: &Scope<'_>, out: &mut Vec<(Part, String)>) {
    let mut parts: Vec<(&str, String)> = Vec::new();
    let locale = if scope.at_least(17) {
        "c.colllocale"
    } else if scope.at_least(15) {
        "c.colliculocale"
    } else {
        "c.collcollate"
    };
    let rules = if scope.at_least(16) {
        "c.collicurules"
    } else {
        "NULL::text"
    };
    parts.push((
        "collations",
        rows(&format!(
            "SELECT {name} AS name,
                    CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin' ELSE 'libc' END AS provider,
                    CASE WHEN c.collprovider = 'c' THEN c.collcollate END AS lc_collate,
                    CASE WHEN c.collprovider = 'c' THEN c.collctype END AS lc_ctype,
                    CASE WHEN c.collprovider <> 'c' THEN {locale} END AS locale,
                    {rules} AS rules, c.collisdeterministic AS deterministic,
                    {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace
             WHERE c.collprovider <> 'd' AND {USER_NS} AND {ext}",
            name = qname("n", "c.collname"),
            comment = comment_of("pg_collation", "c.oid", "0"),
            owner = scope.owner("c.collowner"),
            ext = not_extension_member("pg_collation", "c.oid"),
        )),
    ));

    let parser_options = property_list(&[
        ("START", "p.prsstart::pg_catalog.regproc".into()),
        ("GETTOKEN", "p.prstoken::pg_catalog.regproc".into()),
        ("END", "p.prsend::pg_catalog.regproc".into()),
        ("LEXTYPES", "p.prslextype::pg_catalog.regproc".into()),
        ("HEADLINE", regproc("p.prsheadline")),
    ]);
    let template_options = property_list(&[
        ("INIT", regproc("t.tmplinit")),
        ("LEXIZE", "t.tmpllexize::pg_catalog.regproc".into()),
    ]);
    parts.push((
        "text_search",
        format!(
            "pg_catalog.json_build_object(
               'parsers', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT {parser} AS name, {parser_options} AS options, {parser_comment} AS comment
                  FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace
                  WHERE {USER_NS} AND {parser_ext}) q),
               'templates', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT {template} AS name, {template_options} AS options, {template_comment} AS comment
                  FROM pg_catalog.pg_ts_template t JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace
                  WHERE {USER_NS} AND {template_ext}) q),
               'dictionaries', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT {dict} AS name,
                         (SELECT {tmpl} FROM pg_catalog.pg_ts_template tt
                            JOIN pg_catalog.pg_namespace tn ON tn.oid = tt.tmplnamespace WHERE tt.oid = d.dicttemplate) AS template,
                         d.dictinitoption AS options, {dict_comment} AS comment, {dict_owner} AS owner
                  FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace
                  WHERE {USER_NS} AND {dict_ext}) q),
               'configurations', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT {config} AS name,
                         (SELECT {prs} FROM pg_catalog.pg_ts_parser pp
                            JOIN pg_catalog.pg_namespace pn ON pn.oid = pp.prsnamespace WHERE pp.oid = c.cfgparser) AS parser,
                         (SELECT pg_catalog.json_object_agg(mt.alias, mt.dicts) FROM (
                            SELECT (SELECT tt.alias FROM pg_catalog.ts_token_type(c.cfgparser) tt
                                     WHERE tt.tokid = m.maptokentype) AS alias,
                                   pg_catalog.json_agg((SELECT {mdict} FROM pg_catalog.pg_ts_dict md
                                     JOIN pg_catalog.pg_namespace mn ON mn.oid = md.dictnamespace WHERE md.oid = m.mapdict)
                                     ORDER BY m.mapseqno) AS dicts
                            FROM pg_catalog.pg_ts_config_map m WHERE m.mapcfg = c.oid
                            GROUP BY m.maptokentype) mt) AS mappings,
                         {config_comment} AS comment, {config_owner} AS owner
                  FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace
                  WHERE {USER_NS} AND {config_ext}) q))",
            parser = qname("n", "p.prsname"),
            parser_comment = comment_of("pg_ts_parser", "p.oid", "0"),
            parser_ext = not_extension_member("pg_ts_parser", "p.oid"),
            template = qname("n", "t.tmplname"),
            template_comment = comment_of("pg_ts_template", "t.oid", "0"),
            template_ext = not_extension_member("pg_ts_template", "t.oid"),
            dict = qname("n", "d.dictname"),
            tmpl = qname("tn", "tt.tmplname"),
            dict_comment = comment_of("pg_ts_dict", "d.oid", "0"),
            dict_owner = scope.owner("d.dictowner"),
            dict_ext = not_extension_member("pg_ts_dict", "d.oid"),
            config = qname("n", "c.cfgname"),
            prs = qname("pn", "pp.prsname"),
            mdict = qname("mn", "md.dictname"),
            config_comment = comment_of("pg_ts_config", "c.oid", "0"),
            config_owner = scope.owner("c.cfgowner"),
            config_ext = not_extension_member("pg_ts_config", "c.oid"),
        ),
    ));

    parts.push((
        "foreign_data",
        format!(
            "pg_catalog.json_build_object(
               'wrappers', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT pg_catalog.quote_ident(w.fdwname) AS name, {handler} AS handler, {validator} AS validator,
                         {fdw_options} AS options, {fdw_comment} AS comment, {fdw_owner} AS owner, {fdw_acl} AS acl
                  FROM pg_catalog.pg_foreign_data_wrapper w WHERE {fdw_ext}) q),
               'servers', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT pg_catalog.quote_ident(s.srvname) AS name, pg_catalog.quote_ident(w.fdwname) AS wrapper,
                         s.srvtype AS type, s.srvversion AS version, {srv_options} AS options,
                         {srv_comment} AS comment, {srv_owner} AS owner, {srv_acl} AS acl
                  FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
                  WHERE {srv_ext}) q),
               'user_mappings', (SELECT pg_catalog.json_agg(q) FROM (
                  SELECT CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(u.usename) END AS role,
                         pg_catalog.quote_ident(u.srvname) AS server,
                         (SELECT pg_catalog.json_object_agg(pg_catalog.split_part(o, '=', 1),
                                 pg_catalog.substr(o, pg_catalog.strpos(o, '=') + 1))
                            FROM pg_catalog.unnest(u.umoptions) o
                           WHERE pg_catalog.split_part(o, '=', 1) !~* {SECRET}) AS options,
                         (SELECT pg_catalog.json_agg(pg_catalog.split_part(o, '=', 1))
                            FROM pg_catalog.unnest(u.umoptions) o
                           WHERE pg_catalog.split_part(o, '=', 1) ~* {SECRET}) AS secret_options
                  FROM pg_catalog.pg_user_mappings u) q))",
            handler = regproc("w.fdwhandler"),
            validator = regproc("w.fdwvalidator"),
            fdw_options = options_json("w.fdwoptions"),
            fdw_comment = comment_of("pg_foreign_data_wrapper", "w.oid", "0"),
            fdw_owner = scope.owner("w.fdwowner"),
            fdw_acl = scope.acl("w.fdwacl", 'F', "w.fdwowner"),
            fdw_ext = not_extension_member("pg_foreign_data_wrapper", "w.oid"),
            srv_options = options_json("s.srvoptions"),
            srv_comment = comment_of("pg_foreign_server", "s.oid", "0"),
            srv_owner = scope.owner("s.srvowner"),
            srv_acl = scope.acl("s.srvacl", 'S', "s.srvowner"),
            srv_ext = not_extension_member("pg_foreign_server", "s.oid"),
        ),
    ));

    let (columns_and_filter, schemas) = if scope.at_least(15) {
        (
            "coalesce(' (' || (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(pa.attname), ', ' ORDER BY pa.attnum)
                FROM pg_catalog.pg_attribute pa WHERE pa.attrelid = pr.prrelid
                 AND pa.attnum = ANY (pr.prattrs::pg_catalog.int2[])) || ')', '')
             || coalesce(' WHERE (' || pg_catalog.pg_get_expr(pr.prqual, pr.prrelid, true) || ')', '')",
            "(SELECT pg_catalog.json_agg(pg_catalog.quote_ident(sn.nspname))
                FROM pg_catalog.pg_publication_namespace ps JOIN pg_catalog.pg_namespace sn ON sn.oid = ps.pnnspid
               WHERE ps.pnpubid = p.oid)",
        )
    } else {
        ("''", "NULL::json")
    };
    parts.push((
        "publications",
        rows(&format!(
            "SELECT pg_catalog.quote_ident(p.pubname) AS name, p.puballtables AS all_tables,
                    pg_catalog.array_to_string(ARRAY[CASE WHEN p.pubinsert THEN 'insert' END,
                         CASE WHEN p.pubupdate THEN 'update' END, CASE WHEN p.pubdelete THEN 'delete' END,
                         CASE WHEN p.pubtruncate THEN 'truncate' END], ', ') AS publish,
                    p.pubviaroot AS via_root,
                    (SELECT pg_catalog.json_object_agg({table}, {columns_and_filter})
                       FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
                       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                      WHERE pr.prpubid = p.oid) AS tables,
                    {schemas} AS schemas,
                    {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_publication p",
            table = qname("n", "c.relname"),
            comment = comment_of("pg_publication", "p.oid", "0"),
            owner = scope.owner("p.pubowner"),
        )),
    ));

    parts.push((
        "event_triggers",
        rows(&format!(
            "SELECT pg_catalog.quote_ident(e.evtname) AS name, e.evtevent AS event,
                    pg_catalog.to_json(e.evttags) AS tags, e.evtfoid::pg_catalog.regproc::text AS function,
                    e.evtenabled AS enabled, {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_event_trigger e WHERE {ext}",
            comment = comment_of("pg_event_trigger", "e.oid", "0"),
            owner = scope.owner("e.evtowner"),
            ext = not_extension_member("pg_event_trigger", "e.oid"),
        )),
    ));

    parts.push((
        "statistics",
        rows(&format!(
            "SELECT {name} AS name, pg_catalog.pg_get_statisticsobjdef(s.oid) AS definition,
                    (SELECT {table} FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace tn ON tn.oid = c.relnamespace
                      WHERE c.oid = s.stxrelid) AS table,
                    CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget END AS target,
                    {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
             WHERE {USER_NS} AND {ext}",
            name = qname("n", "s.stxname"),
            table = qname("tn", "c.relname"),
            comment = comment_of("pg_statistic_ext", "s.oid", "0"),
            owner = scope.owner("s.stxowner"),
            ext = not_extension_member("pg_statistic_ext", "s.oid"),
        )),
    ));

    parts.push((
        "default_privileges",
        rows(&format!(
            "SELECT pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)) AS role,
                    (SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_namespace n
                      WHERE n.oid = d.defaclnamespace) AS schema,
                    CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                         WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END AS object_kind,
                    {acl} AS acl
             FROM pg_catalog.pg_default_acl d WHERE {privileges}",
            acl = acl_list("d.defaclacl"),
            privileges = scope.privileges,
        )),
    ));

    parts.push((
        "access_methods",
        rows(&format!(
            "SELECT pg_catalog.quote_ident(a.amname) AS name,
                    CASE a.amtype WHEN 'i' THEN 'index' ELSE 'table' END AS type,
                    a.amhandler::pg_catalog.regproc::text AS handler, {comment} AS comment
             FROM pg_catalog.pg_am a WHERE a.oid >= {FIRST_USER_OID} AND {ext}",
            comment = comment_of("pg_am", "a.oid", "0"),
            ext = not_extension_member("pg_am", "a.oid"),
        )),
    ));
    parts.push((
        "conversions",
        rows(&format!(
            "SELECT {name} AS name, pg_catalog.pg_encoding_to_char(c.conforencoding) AS source,
                    pg_catalog.pg_encoding_to_char(c.contoencoding) AS destination,
                    c.conproc::pg_catalog.regproc::text AS function, c.condefault AS default,
                    {comment} AS comment, {owner} AS owner
             FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace
             WHERE {USER_NS} AND {ext}",
            name = qname("n", "c.conname"),
            comment = comment_of("pg_conversion", "c.oid", "0"),
            owner = scope.owner("c.conowner"),
            ext = not_extension_member("pg_conversion", "c.oid"),
        )),
    ));
    // Grants on what extensions made, where they differ from the extension's own
    // (pg_init_privs, else the defaults).
    let member = |class: &str, oid: &str| {
        format!(
        "EXISTS (SELECT 1 FROM pg_catalog.pg_depend me WHERE me.classid = 'pg_catalog.{class}'::pg_catalog.regclass \
         AND me.objid = {oid} AND me.deptype = 'e')"
    )
    };
    parts.push((
        "extension_grants",
        if scope.privileges {
            rows(&format!(
                "SELECT x.target AS key, {acl} AS acl, {initial} AS initial,
                        pg_catalog.pg_get_userbyid(x.owner) AS owner
                 FROM (SELECT 'LANGUAGE ' || pg_catalog.quote_ident(l.lanname) AS target, l.lanacl AS acl, 'l' AS kind,
                              l.lanowner AS owner, 'pg_catalog.pg_language'::pg_catalog.regclass AS classid, l.oid
                         FROM pg_catalog.pg_language l WHERE l.lanacl IS NOT NULL AND {lang}
                       UNION ALL
                       SELECT 'FUNCTION ' || p.oid::pg_catalog.regprocedure::text, p.proacl, 'f', p.proowner,
                              'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid
                         FROM pg_catalog.pg_proc p WHERE p.proacl IS NOT NULL AND {proc}
                       UNION ALL
                       SELECT CASE WHEN c.relkind = 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END
                              || pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname),
                              c.relacl, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END, c.relowner,
                              'pg_catalog.pg_class'::pg_catalog.regclass, c.oid
                         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relacl IS NOT NULL AND {rel}
                       UNION ALL
                       SELECT 'TYPE ' || pg_catalog.format_type(t.oid, NULL), t.typacl, 'T', t.typowner,
                              'pg_catalog.pg_type'::pg_catalog.regclass, t.oid
                         FROM pg_catalog.pg_type t WHERE t.typacl IS NOT NULL AND {typ}
                       UNION ALL
                       SELECT 'FOREIGN DATA WRAPPER ' || pg_catalog.quote_ident(w.fdwname), w.fdwacl, 'F', w.fdwowner,
                              'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass, w.oid
                         FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL AND {fdw}) x
                 LEFT JOIN pg_catalog.pg_init_privs ip ON ip.classoid = x.classid AND ip.objoid = x.oid AND ip.objsubid = 0
                 WHERE x.acl IS DISTINCT FROM coalesce(ip.initprivs, pg_catalog.acldefault(x.kind::\"char\", x.owner))",
                acl = acl_list("x.acl"),
                initial = acl_list("coalesce(ip.initprivs, pg_catalog.acldefault(x.kind::\"char\", x.owner))"),
                lang = member("pg_language", "l.oid"),
                proc = member("pg_proc", "p.oid"),
                rel = member("pg_class", "c.oid"),
                typ = member("pg_type", "t.oid"),
                fdw = member("pg_foreign_data_wrapper", "w.oid"),
            ))
        } else {
            "'[]'::json".into()
        },
    ));
    parts.push((
        "not_compared",
        format!(
            "pg_catalog.json_build_object(
               'language', (SELECT pg_catalog.json_agg(pg_catalog.quote_ident(l.lanname)) FROM pg_catalog.pg_language l
                  WHERE l.oid >= {FIRST_USER_OID} AND {language_ext}),
               'transform', (SELECT pg_catalog.json_agg(pg_catalog.format_type(t.trftype, NULL) || ' language '
                  || (SELECT l.lanname FROM pg_catalog.pg_language l WHERE l.oid = t.trflang))
                  FROM pg_catalog.pg_transform t WHERE t.oid >= {FIRST_USER_OID} AND {transform_ext}),
               'large_object', (SELECT pg_catalog.json_agg(m.oid::text) FROM pg_catalog.pg_largeobject_metadata m),
               'security_label', (SELECT pg_catalog.json_agg(s.provider || ' ' || s.classoid::pg_catalog.regclass::text
                  || ' ' || s.objoid || '.' || s.objsubid) FROM pg_catalog.pg_seclabel s),
               'subscription', (SELECT pg_catalog.json_agg(pg_catalog.quote_ident(s.subname)) FROM pg_catalog.pg_subscription s
                  WHERE s.subdbid = (SELECT d.oid FROM pg_catalog.pg_database d
                                      WHERE d.datname = pg_catalog.current_database())),
               'shell_type', (SELECT pg_catalog.json_agg({shell}) FROM pg_catalog.pg_type t
                  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                  WHERE NOT t.typisdefined AND {USER_NS} AND {shell_ext}))",
            language_ext = not_extension_member("pg_language", "l.oid"),
            transform_ext = not_extension_member("pg_transform", "t.oid"),
            shell = qname("n", "t.typname"),
            shell_ext = not_extension_member("pg_type", "t.oid"),
        ),
    ));
    out.push((Part::Other, object(&parts)));
}
