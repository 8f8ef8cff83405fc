//! Columns: how they are written, added (with their defaults, identity, statistics
//! targets, storage, compression, options, comments and grants), dropped (DATA LOSS),
//! added again (a generated column whose expression needs what is created again),
//! converted to another type (DATA LOSS unless a plain widening) or to their type created
//! again, and altered field by field.

use super::privileges::{grants, grants_as};
use super::tables::options_sql;
use super::types::old_name;
use super::{comment_sql, options_change, options_list, rank, Ctx, Out};
use crate::diff::describe::in_lists;
use crate::diff::order::Step;
use crate::diff::plan::{node, Action};
use crate::introspect::{Column, Table, TypeKind};

/// True when changing a column from `from` to `to` keeps every value as it is.
pub fn is_widening(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    fn split(t: &str) -> (&str, Vec<i64>) {
        const SIZED: [&str; 5] = [
            "character varying",
            "character",
            "numeric",
            "bit varying",
            "bit",
        ];
        match t.find('(') {
            Some(i) if t.ends_with(')') && SIZED.contains(&&t[..i]) => {
                let args = t[i + 1..t.len() - 1]
                    .split(',')
                    .filter_map(|a| a.trim().parse().ok())
                    .collect();
                (&t[..i], args)
            }
            _ => (t, Vec::new()),
        }
    }
    let (fb, fa) = split(from);
    let (tb, ta) = split(to);
    let ints = ["smallint", "integer", "bigint"];
    let rank = |b: &str| ints.iter().position(|i| *i == b);
    match (fb, tb) {
        (f, t) if rank(f).is_some() && rank(t).is_some() => rank(f) <= rank(t),
        (f, "numeric") if rank(f).is_some() => {
            ta.is_empty()
                || ta.first().copied().unwrap_or(0) - ta.get(1).copied().unwrap_or(0) >= 19
        }
        ("real", "double precision") => true,
        ("character varying", "character varying") => {
            ta.is_empty() || (!fa.is_empty() && ta[0] >= fa[0])
        }
        ("character varying" | "text", "text") => true,
        ("numeric", "numeric") => match (fa.as_slice(), ta.as_slice()) {
            (_, []) => true,
            ([p1, s1], [p2, s2]) => s2 >= s1 && p2 - s2 >= p1 - s1,
            ([p1], [p2, s2]) => p2 - s2 >= *p1,
            ([p1], [p2]) => p2 >= p1,
            _ => false,
        },
        ("bit varying", "bit varying") => ta.is_empty() || (!fa.is_empty() && ta[0] >= fa[0]),
        _ => false,
    }
}

/// ` (SEQUENCE NAME s START WITH .. NO CYCLE)` after `AS IDENTITY`, when the model has
/// the options.
fn identity_options_sql(c: &Column) -> String {
    let name = c
        .identity_sequence
        .as_ref()
        .map(|s| format!("SEQUENCE NAME {s} "))
        .unwrap_or_default();
    c.identity_options
        .as_ref()
        .map(|o| format!(" ({name}{})", o.sql()))
        .unwrap_or_default()
}

/// A column as `CREATE TABLE` and `ADD COLUMN` write it; `default` says whether its
/// default goes with it.
pub(crate) fn column_definition(c: &Column, default: bool) -> String {
    let mut s = format!("{} {}", c.name, c.data_type);
    if !c.options.is_empty() {
        s.push_str(&format!(" OPTIONS ({})", options_list(&c.options)));
    }
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            in_lists(g),
            if c.generated_virtual {
                "VIRTUAL"
            } else {
                "STORED"
            }
        ));
    }
    if let Some(i) = &c.identity {
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY{}",
            i.to_uppercase(),
            identity_options_sql(c)
        ));
    }
    if let (Some(d), true) = (&c.default, default) {
        s.push_str(&format!(" DEFAULT {}", in_lists(d)));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// Statistics target, storage, compression, attribute options, comment and grants of a
/// column just created or added (`live`: none) or changed.
pub(crate) fn column_extras(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    c: &Column,
    live: Option<(&Column, Option<usize>)>,
    why: &[usize],
    after: Option<usize>,
) {
    let cn = node("column", &format!("{table}.{}", c.name));
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {}", c.name);
    let empty = Column::default();
    let (l, change) = live.map_or((&empty, None), |(l, ch)| (l, ch));
    let field_why = |f: &str| {
        if live.is_some() {
            cx.field(change, f)
        } else {
            why.to_vec()
        }
    };
    let add = |out: &mut Out, r: u16, sql: String, field: &str| {
        let s = Step::new(r, sql, &field_why(field)).require(cn.clone());
        out.add(match after {
            Some(a) => s.after(a),
            None => s,
        });
    };
    let changed = |f: &str| live.is_none() || cx.has(change, f);
    if c.statistics != l.statistics && changed("statistics") {
        add(
            out,
            rank::COLUMN,
            format!("{prefix} SET STATISTICS {}", c.statistics.unwrap_or(-1)),
            "statistics",
        );
    }
    if c.storage != l.storage && changed("storage") {
        add(
            out,
            rank::COLUMN,
            format!(
                "{prefix} SET STORAGE {}",
                c.storage
                    .as_deref()
                    .or(l.type_storage.as_deref())
                    .unwrap_or("extended")
                    .to_uppercase()
            ),
            "storage",
        );
    }
    if c.compression != l.compression && changed("compression") {
        add(
            out,
            rank::COLUMN,
            format!(
                "{prefix} SET COMPRESSION {}",
                c.compression.as_deref().unwrap_or("default")
            ),
            "compression",
        );
    }
    if c.set_options != l.set_options && changed("set_options") {
        for sql in options_sql("TABLE", table, &c.set_options, &l.set_options) {
            let sql = sql.replacen(&format!("ALTER TABLE {table} "), &format!("{prefix} "), 1);
            add(out, rank::COLUMN, sql, "set_options");
        }
    }
    if live.is_some() && cx.has(change, "options") {
        if let Some(o) = options_change(&c.options, &l.options) {
            add(
                out,
                rank::COLUMN,
                format!("ALTER FOREIGN TABLE {table} ALTER COLUMN {} {o}", c.name),
                "options",
            );
        }
    }
    if c.comment != l.comment && changed("comment") {
        add(
            out,
            rank::COMMENT,
            comment_sql(&format!("COLUMN {table}.{}", c.name), c.comment.as_ref()),
            "comment",
        );
    }
    if cx.privileges && changed("grants") && c.acl != l.acl {
        let owner = cx.e.tables.get(table).and_then(|t| t.owner.as_deref());
        let (ea, la) = (
            c.acl.as_deref().unwrap_or_default(),
            l.acl.as_deref().unwrap_or_default(),
        );
        for sql in grants_as(&format!("TABLE {table}"), Some(&c.name), ea, la, owner) {
            add(out, rank::PRIVILEGES, sql, "grants");
        }
    }
}

/// One column of a table in both models.
pub(crate) fn column(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    e: &Table,
    l: &Table,
    col: &str,
    after: Option<usize>,
) {
    let cn = node("column", &format!("{table}.{col}"));
    let dn = node("default", &format!("{table}.{col}"));
    let (ec, lc) = (e.column(col), l.column(col));
    let with_after = |s: Step| match after {
        Some(a) => s.after(a),
        None => s,
    };
    let default_recreated = cx.plan.recreated(&dn);
    let Some(w) = cx.work(&cn) else {
        if default_recreated {
            if let (Some(ec), Some(lc)) = (ec, lc) {
                redefault(
                    cx,
                    out,
                    table,
                    ec,
                    lc,
                    &cx.plan.causes(&dn),
                    None,
                    with_after,
                );
            }
        }
        return;
    };
    let add = |out: &mut Out, c: &Column, why: &[usize], after_drop: Option<usize>| {
        let mut requires = cx.edeps(&cn);
        let mut provides = vec![cn.clone()];
        provides.extend(c.identity_sequence.iter().map(|s| format!("rel {s}")));
        if c.default.is_some() || c.generated.is_some() {
            requires.extend(cx.edeps(&dn));
            provides.push(dn.clone());
        }
        requires.retain(|r| !provides.contains(r));
        let mut s = with_after(
            Step::new(
                rank::COLUMN,
                format!(
                    "ALTER TABLE {table} ADD COLUMN {}",
                    column_definition(c, true)
                ),
                why,
            )
            .provide_all(provides)
            .require_all(requires)
            .require(node("table", table)),
        );
        if let Some(d) = after_drop {
            s = s.after(d);
        }
        let i = out.add(s);
        column_extras(cx, out, table, c, None, why, Some(i));
    };
    let drop = |out: &mut Out, c: &Column, why: &[usize], loss: bool| -> usize {
        let mut uses = cx.ldeps(&cn);
        uses.extend(cx.ldeps(&dn));
        uses.retain(|u| *u != cn && *u != dn && *u != node("table", table));
        let mut s = with_after(
            Step::new(
                if loss {
                    rank::DROP_LATE
                } else {
                    rank::DROP_DEFAULT
                },
                format!("ALTER TABLE {table} DROP COLUMN {}", c.name),
                why,
            )
            .remove(cn.clone())
            .remove(dn.clone())
            .provide(format!("gone {cn}"))
            .uses_all(uses),
        );
        if loss {
            s = s.loss(format!("drops column {table}.{} and its values", c.name));
        }
        out.add(s)
    };
    match (w.action, ec, lc) {
        (Action::Create, Some(c), _) => add(out, c, &w.causes, None),
        (Action::Drop, _, Some(c)) => {
            drop(out, c, &w.causes, true);
        }
        (Action::Recreate, Some(c), Some(lc)) => {
            // A generated column: its values are computed again.
            let d = drop(out, lc, &w.causes, lc.generated.is_none());
            add(out, c, &w.causes, Some(d));
        }
        (Action::Convert, Some(c), Some(lc)) => {
            convert(cx, out, table, c, lc, &w.causes, with_after)
        }
        (_, Some(c), Some(lc)) => alter_column(
            cx,
            out,
            table,
            c,
            lc,
            w.change,
            default_recreated,
            with_after,
        ),
        _ => {}
    }
}

/// Drops a default (or generation expression) that calls what is created again, and sets
/// it again after.
#[allow(clippy::too_many_arguments)]
fn redefault(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    ec: &Column,
    lc: &Column,
    why: &[usize],
    field: Option<Vec<usize>>,
    with_after: impl Fn(Step) -> Step,
) {
    let dn = node("default", &format!("{table}.{}", ec.name));
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {}", ec.name);
    if lc.default.is_some() {
        out.add(with_after(
            Step::new(rank::DROP_DEFAULT, format!("{prefix} DROP DEFAULT"), why)
                .remove(dn.clone())
                .uses_all(cx.ldeps(&dn)),
        ));
    }
    if let Some(d) = &ec.default {
        let mut why = why.to_vec();
        why.extend(field.unwrap_or_default());
        out.add(with_after(
            Step::new(
                rank::COLUMN_DEFAULT,
                format!("{prefix} SET DEFAULT {}", in_lists(d)),
                &why,
            )
            .provide(dn.clone())
            .require_all(cx.edeps(&dn)),
        ));
    }
}

/// A column of a type created again, converted through its text form (a domain to a domain
/// over a kept type, by a cast): its default dropped before and set again after.
fn convert(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    c: &Column,
    lc: &Column,
    why: &[usize],
    with_after: impl Fn(Step) -> Step,
) {
    let cn = node("column", &format!("{table}.{}", c.name));
    let dn = node("default", &format!("{table}.{}", c.name));
    let array = c.data_type.ends_with("[]");
    let ty = c.data_type.trim_end_matches("[]");
    let tn = node("type", ty);
    let depth = cx.plan.type_depth.get(&tn).copied().unwrap_or(0);
    let (et, lt) = (cx.e.types.get(ty), cx.l.types.get(ty));
    let domain =
        |t: Option<&crate::introspect::TypeDef>| t.is_some_and(|t| t.kind == TypeKind::Domain);
    let via_text = !(domain(et) && domain(lt)) || depth > 0;
    let reason = match (et, lt) {
        (Some(e), Some(l)) => super::types::recreate_reason(cx, ty, e, l),
        _ => format!(
            "converts {table}.{} to type {ty}: values that do not convert make this fail",
            c.name
        ),
    };
    let old = node("type", &old_name(ty).0);
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {}", c.name);
    let mut prev = None;
    let mut chain = |out: &mut Out, s: Step| {
        let s = with_after(match prev {
            Some(p) => s.after(p),
            None => s,
        });
        prev = Some(out.add(s));
    };
    if lc.default.is_some() {
        chain(
            out,
            Step::new(rank::COLUMN, format!("{prefix} DROP DEFAULT"), why)
                .remove(dn.clone())
                .loss(reason.clone()),
        );
    }
    let cast = match (via_text, array) {
        (true, true) => format!("{}::text[]::{ty}[]", c.name),
        (true, false) => format!("{}::text::{ty}", c.name),
        (false, true) => format!("{}::{ty}[]", c.name),
        (false, false) => format!("{}::{ty}", c.name),
    };
    chain(
        out,
        Step::new(
            rank::COLUMN,
            format!("{prefix} TYPE {} USING {cast}", c.data_type),
            why,
        )
        .provide(cn.clone())
        .remove(cn.clone())
        .require(tn)
        .uses_all([old])
        .loss(reason.clone()),
    );
    if let Some(d) = &c.default {
        chain(
            out,
            Step::new(
                rank::COLUMN,
                format!("{prefix} SET DEFAULT {}", in_lists(d)),
                why,
            )
            .provide(dn.clone())
            .require_all(cx.edeps(&dn))
            .loss(reason),
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn alter_column(
    cx: &Ctx<'_>,
    out: &mut Out,
    table: &str,
    e: &Column,
    l: &Column,
    change: Option<usize>,
    default_recreated: bool,
    with_after: impl Fn(Step) -> Step + Copy,
) {
    let col = &e.name;
    let cn = node("column", &format!("{table}.{col}"));
    let dn = node("default", &format!("{table}.{col}"));
    let prefix = format!("ALTER TABLE {table} ALTER COLUMN {col}");
    let step = |rank: u16, sql: String, field: &str| {
        with_after(
            Step::new(rank, sql, &cx.field(change, field))
                .provide(cn.clone())
                .require(node("table", table)),
        )
    };
    let mut last = None;
    if cx.has(change, "type") || cx.has(change, "collation") {
        let why: Vec<usize> = ["type", "collation"]
            .iter()
            .flat_map(|f| cx.field(change, f))
            .collect();
        let collate = e
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {c}"))
            .unwrap_or_default();
        let mut s = with_after(
            Step::new(
                rank::COLUMN,
                format!(
                    "{prefix} TYPE {}{collate} USING {col}::{}",
                    e.data_type, e.data_type
                ),
                &why,
            )
            .provide(cn.clone())
            .remove(cn.clone())
            .require_all(cx.edeps(&cn))
            .uses_all(
                cx.ldeps(&cn)
                    .into_iter()
                    .filter(|d| !d.starts_with("table ")),
            ),
        );
        if !is_widening(&l.data_type, &e.data_type) {
            s = s.loss(format!(
                "changes {table}.{col} from {} to {}: values may be cut or fail to convert",
                l.data_type, e.data_type
            ));
        }
        last = Some(out.add(s));
    }
    if cx.has(change, "identity") {
        // Becoming an identity column drops the default it had: that repairs it too.
        let mut why = cx.field(change, "identity");
        if e.identity.is_some() {
            why.extend(cx.field(change, "default"));
        }
        let step = |rank: u16, sql: String, _field: &str| {
            with_after(
                Step::new(rank, sql, &why)
                    .provide(cn.clone())
                    .require(node("table", table)),
            )
        };
        match (&e.identity, &l.identity) {
            (Some(i), None) => {
                if l.default.is_some() {
                    out.add(
                        step(rank::COLUMN, format!("{prefix} DROP DEFAULT"), "identity")
                            .remove(dn.clone()),
                    );
                }
                out.add(
                    step(
                        rank::COLUMN,
                        format!(
                            "{prefix} ADD GENERATED {} AS IDENTITY{}",
                            i.to_uppercase(),
                            identity_options_sql(e)
                        ),
                        "identity",
                    )
                    .provide_all(e.identity_sequence.iter().map(|s| format!("rel {s}"))),
                );
            }
            // Early: the identity sequence may have the name of a sequence to create.
            (None, Some(_)) => {
                out.add(
                    step(
                        rank::DROP_IDENTITY,
                        format!("{prefix} DROP IDENTITY IF EXISTS"),
                        "identity",
                    )
                    .remove_all(l.identity_sequence.iter().map(|s| format!("rel {s}"))),
                );
            }
            (Some(i), Some(_)) => {
                out.add(step(
                    rank::COLUMN,
                    format!("{prefix} SET GENERATED {}", i.to_uppercase()),
                    "identity",
                ));
            }
            (None, None) => {}
        }
    }
    if let (true, Some(o)) = (cx.has(change, "identity_options"), &e.identity_options) {
        out.add(step(rank::COLUMN, format!(
            "{prefix} SET START WITH {} SET INCREMENT BY {} SET MINVALUE {} SET MAXVALUE {} SET CACHE {} SET {}",
            o.start, o.increment, o.min, o.max, o.cache, if o.cycle { "CYCLE" } else { "NO CYCLE" }
        ), "identity_options"));
    }
    if default_recreated {
        let field = cx
            .has(change, "default")
            .then(|| cx.field(change, "default"));
        redefault(
            cx,
            out,
            table,
            e,
            l,
            &cx.plan.causes(&dn),
            field,
            with_after,
        );
    } else if cx.has(change, "default") && e.identity.is_none() {
        let sql = match &e.default {
            Some(d) => format!("{prefix} SET DEFAULT {}", in_lists(d)),
            None => format!("{prefix} DROP DEFAULT"),
        };
        let mut s = with_after(
            Step::new(rank::COLUMN_DEFAULT, sql, &cx.field(change, "default"))
                .provide(dn.clone())
                .require_all(cx.edeps(&dn))
                .uses_all(cx.ldeps(&dn).into_iter().filter(|d| *d != cn)),
        );
        if let Some(t) = last {
            s = s.after(t);
        }
        out.add(s);
    }
    if cx.has(change, "not_null") && e.identity.is_none() {
        let mut s = step(
            rank::COLUMN_DEFAULT,
            format!(
                "{prefix} {} NOT NULL",
                if e.not_null { "SET" } else { "DROP" }
            ),
            "not_null",
        );
        if let Some(t) = last {
            s = s.after(t);
        }
        out.add(s);
    }
    if let (true, Some(seq), Some(old)) = (
        cx.has(change, "identity_sequence"),
        &e.identity_sequence,
        &l.identity_sequence,
    ) {
        out.add(
            step(
                rank::COLUMN,
                format!(
                    "ALTER SEQUENCE {old} RENAME TO {}",
                    seq.rsplit('.').next().unwrap_or(seq)
                ),
                "identity_sequence",
            )
            .remove(format!("rel {old}"))
            .provide(format!("rel {seq}")),
        );
    }
    if cx.has(change, "sequence_grants") {
        if let (Some(acl), Some(seq)) = (&e.sequence_acl, &e.identity_sequence) {
            for sql in grants(
                &format!("SEQUENCE {seq}"),
                None,
                acl,
                l.sequence_acl.as_deref().unwrap_or_default(),
            ) {
                out.add(step(rank::PRIVILEGES, sql, "sequence_grants"));
            }
        }
    }
    column_extras(cx, out, table, e, Some((l, change)), &[], last);
}
