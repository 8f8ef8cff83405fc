//! The independent oracle: `pg_dump --schema-only` text (owners included) cut into its entries and
//! compared as a multiset, so that two dumps of the same schema are equal whatever order
//! pg_dump chose, and two dumps that differ in any statement are not.
//!
//! What is removed, and why it cannot hide a difference:
//! - the comment headers pg_dump writes before each entry (`-- Name: x; Type: T; …`): each
//!   becomes the entry's key, kept and compared;
//! - the preamble's comments, blank lines and the `\restrict`/`\unrestrict` lines (a random
//!   key per run); the preamble's statements are kept;
//! - the `SET default_tablespace` / `SET default_table_access_method` lines pg_dump writes
//!   only when the value changes from the previous entry: they are replaced by the value in
//!   force, written into every entry the setting applies to (tables, materialized views,
//!   indexes and index-backed constraints), so it is compared where it matters whatever the
//!   order;
//! - the order of storage parameters in a `WITH (name='value', …)` list (the order the
//!   reloptions array happens to have, which means nothing): they are sorted;
//! - the order of the GRANT and REVOKE statements of one object's privileges (the order of
//!   its ACL array, which means nothing): they are sorted, each keeping the role pg_dump
//!   made them as (`SET SESSION AUTHORIZATION`, the grantor).
//!
//! - the order of the members in an operator family's or class's `OPERATOR n …` /
//!   `FUNCTION n …` list (pg_dump reads them from pg_amop/pg_amproc ordered by strategy
//!   number and then by the operand types' OIDs, so two databases that created the same
//!   types in another order list members of equal strategy in another order; the issue's
//!   oracle is a sort-independent comparison): each run of member lines is sorted, every
//!   member kept with its strategy or support number, operator or function and types.
//!
//! Every other line of an entry, comment lines inside function bodies included, is kept
//! verbatim.

use std::collections::BTreeMap;

/// One object's text in a dump: its header key and its statements.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub key: String,
    pub body: String,
}

/// A dump cut into entries, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dump {
    pub entries: Vec<Entry>,
}

const TRACKED: [&str; 2] = ["default_tablespace", "default_table_access_method"];

/// `-- Name: x; Type: T; Schema: s; Owner: o` → the entry's type.
fn entry_type(header: &str) -> &str {
    header
        .split("; ")
        .find_map(|part| part.strip_prefix("Type: "))
        .unwrap_or("")
}

/// Which tracked settings apply to an entry of this type.
fn settings_for(kind: &str, body: &str) -> &'static [&'static str] {
    match kind {
        // pg_dump gives a partitioned table no access method (it sets none before it).
        "TABLE" if body.contains("\nPARTITION BY ") || body.contains(") PARTITION BY") => {
            &TRACKED[..1]
        }
        "TABLE" | "MATERIALIZED VIEW" => &TRACKED,
        "INDEX" | "CONSTRAINT" => &TRACKED[..1],
        _ => &[],
    }
}

fn is_header_start(lines: &[&str], i: usize) -> bool {
    lines[i] == "--"
        && lines.get(i + 1).is_some_and(|l| {
            l.starts_with("-- Name: ") || l.starts_with("-- PostgreSQL database dump complete")
        })
        && lines.get(i + 2) == Some(&"--")
}

/// `SET name = value;` on a line of its own, for a tracked setting.
fn tracked_set(line: &str) -> Option<(&'static str, String)> {
    let rest = line.strip_prefix("SET ")?;
    let (name, value) = rest.split_once(" = ")?;
    let name = TRACKED.iter().find(|t| **t == name)?;
    Some((name, value.trim_end_matches(';').to_string()))
}

/// `name='value'` (or `name=value`), one storage parameter as pg_dump writes it.
fn is_option(item: &str) -> bool {
    let Some((name, value)) = item.split_once('=') else {
        return false;
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    let value_ok = if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
    {
        !inner.replace("''", "").contains('\'')
    } else {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
    };
    name_ok && value_ok
}

/// The line with each `WITH (…)` list of storage parameters sorted by name.
fn sort_options(line: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = line.find("WITH (") else {
        return line.into();
    };
    let open = start + "WITH (".len();
    // The closing parenthesis, outside quotes.
    let mut quoted = false;
    let mut close = None;
    for (i, c) in line[open..].char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ')' if !quoted => {
                close = Some(open + i);
                break;
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return line.into();
    };
    let mut items: Vec<&str> = Vec::new();
    let mut quoted = false;
    let mut from = open;
    let inner = &line[open..close];
    for (i, c) in inner.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                items.push(line[from..open + i].trim());
                from = open + i + 1;
            }
            _ => {}
        }
    }
    items.push(line[from..close].trim());
    if !items.iter().all(|i| is_option(i)) {
        return line.into();
    }
    items.sort();
    format!(
        "{}{}{}",
        &line[..open],
        items.join(", "),
        sort_options(&line[close..])
    )
    .into()
}

/// An ACL entry's statements in a fixed order, each tagged with the role it is run as.
fn sorted_acl<S: AsRef<str>>(lines: &[S]) -> String {
    let mut grantor: Option<String> = None;
    let mut out = Vec::new();
    for line in lines.iter().map(AsRef::as_ref) {
        if let Some(role) = line.strip_prefix("SET SESSION AUTHORIZATION ") {
            grantor = Some(role.trim_end_matches(';').to_string());
        } else if line == "RESET SESSION AUTHORIZATION;" {
            grantor = None;
        } else if !line.is_empty() {
            out.push(match &grantor {
                Some(g) => format!("{line} [as {g}]"),
                None => line.to_string(),
            });
        }
    }
    out.sort();
    out.join("\n")
}

/// An operator family's or class's body with each run of member lines (`    OPERATOR n …`,
/// `    FUNCTION n …`) sorted, the list punctuation (` ,` between members, `;` after the
/// last) kept out of the comparison of the members and put back after the run.
fn sorted_members<S: AsRef<str>>(lines: &[S]) -> String {
    let member = |l: &str| l.starts_with("    OPERATOR ") || l.starts_with("    FUNCTION ");
    let mut out: Vec<String> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut Vec<String>, end: &str| {
        run.sort();
        let n = run.len();
        for (k, m) in run.drain(..).enumerate() {
            out.push(if k + 1 == n {
                format!("{m}{end}")
            } else {
                format!("{m} ,")
            });
        }
    };
    for line in lines.iter().map(AsRef::as_ref) {
        if member(line) {
            let (item, end) = match line.strip_suffix(" ,") {
                Some(item) => (item, None),
                None => match line.strip_suffix(';') {
                    Some(item) => (item, Some(";")),
                    None => (line, Some("")),
                },
            };
            run.push(item.trim_end().to_string());
            if let Some(end) = end {
                flush(&mut run, &mut out, end);
            }
        } else {
            flush(&mut run, &mut out, "");
            out.push(line.to_string());
        }
    }
    flush(&mut run, &mut out, "");
    out.join("\n")
}

/// Cuts pg_dump's plain-text output into entries.
pub fn parse(text: &str) -> Dump {
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut state: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut preamble = Vec::new();
    let mut i = 0;
    while i < lines.len() && !is_header_start(&lines, i) {
        let line = lines[i];
        if let Some((name, value)) = tracked_set(line) {
            state.insert(name, value);
        } else if !(line.is_empty()
            || line.starts_with("--")
            || line.starts_with("\\restrict ")
            || line.starts_with("\\unrestrict "))
        {
            preamble.push(line);
        }
        i += 1;
    }
    entries.push(Entry {
        key: "(preamble)".into(),
        body: preamble.join("\n"),
    });
    while i < lines.len() {
        // lines[i..i+3] is a header.
        let header = lines[i + 1].trim_start_matches("-- ");
        if header.starts_with("PostgreSQL database dump complete") {
            let rest: Vec<&str> = lines[i + 3..]
                .iter()
                .copied()
                .filter(|l| !l.is_empty() && !l.starts_with("\\unrestrict "))
                .collect();
            if !rest.is_empty() {
                entries.push(Entry {
                    key: "(after the end)".into(),
                    body: rest.join("\n"),
                });
            }
            break;
        }
        i += 3;
        // pg_dump sets the tablespace and access method before an entry's header: the
        // values in force now are this entry's.
        let at_header = state.clone();
        let mut body = Vec::new();
        while i < lines.len() && !is_header_start(&lines, i) {
            match tracked_set(lines[i]) {
                Some((name, value)) => {
                    state.insert(name, value);
                }
                None => body.push(sort_options(lines[i])),
            }
            i += 1;
        }
        while body.first().is_some_and(|l| l.is_empty()) {
            body.remove(0);
        }
        while body.last().is_some_and(|l| l.is_empty()) {
            body.pop();
        }
        let body = match entry_type(header) {
            "ACL" => sorted_acl(&body),
            "OPERATOR FAMILY" | "OPERATOR CLASS" => sorted_members(&body),
            _ => body.join("\n"),
        };
        let mut settings = String::new();
        for name in settings_for(entry_type(header), &body) {
            let value = at_header.get(name).map(String::as_str).unwrap_or("(unset)");
            settings.push_str(&format!("[{name} = {value}]\n"));
        }
        entries.push(Entry {
            key: header.to_string(),
            body: format!("{settings}{body}"),
        });
    }
    entries.sort();
    Dump { entries }
}

/// What differs between two dumps: the entries only in one and only in the other, each
/// written out in full, at most `limit` lines; `None` when they are equal.
pub fn difference(actual: &Dump, expected: &Dump, limit: usize) -> Option<String> {
    let mut only_actual = Vec::new();
    let mut only_expected = Vec::new();
    let (mut a, mut e) = (0, 0);
    while a < actual.entries.len() || e < expected.entries.len() {
        match (actual.entries.get(a), expected.entries.get(e)) {
            (Some(x), Some(y)) if x == y => {
                a += 1;
                e += 1;
            }
            (Some(x), Some(y)) if x < y => {
                only_actual.push(x);
                a += 1;
            }
            (Some(_), Some(y)) => {
                only_expected.push(y);
                e += 1;
            }
            (Some(x), None) => {
                only_actual.push(x);
                a += 1;
            }
            (None, Some(y)) => {
                only_expected.push(y);
                e += 1;
            }
            (None, None) => unreachable!(),
        }
    }
    if only_actual.is_empty() && only_expected.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    // Entries with the same key on both sides first, side by side: the usual case.
    for x in &only_actual {
        if let Some(y) = only_expected.iter().find(|y| y.key == x.key) {
            out.push(format!("~ {} (migrated ≠ expected)", x.key));
            let (xb, yb) = (format!("{}\n", x.body), format!("{}\n", y.body));
            for d in similar::TextDiff::from_lines(&xb, &yb).iter_all_changes() {
                let sign = match d.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                out.push(format!("  {sign} {}", d.value().trim_end_matches('\n')));
            }
        }
    }
    for x in &only_actual {
        if !only_expected.iter().any(|y| y.key == x.key) {
            out.push(format!("- only in the migrated database: {}", x.key));
            out.extend(x.body.lines().map(|l| format!("    {l}")));
        }
    }
    for y in &only_expected {
        if !only_actual.iter().any(|x| x.key == y.key) {
            out.push(format!("+ only in the expected database: {}", y.key));
            out.extend(y.body.lines().map(|l| format!("    {l}")));
        }
    }
    let total = out.len();
    if total > limit {
        out.truncate(limit);
        out.push(format!("… {} more lines", total - limit));
    }
    Some(format!(
        "{} entries only in the migrated database, {} only in the expected one:\n{}",
        only_actual.len(),
        only_expected.len(),
        out.join("\n")
    ))
}

/// Checks of the parser on hand-written dump text (the checks against real pg_dump output
/// are in `oracle_checks`).
pub mod checks {
    use super::*;

    const HEAD: &str = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\n-- Dumped from database version 15.18\n\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n";
    const TAIL: &str = "\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n\n";

    fn entry(name: &str, kind: &str, body: &str) -> String {
        format!("--\n-- Name: {name}; Type: {kind}; Schema: public; Owner: -\n--\n\n{body}\n\n\n")
    }

    fn dump(entries: &[String]) -> Dump {
        parse(&format!("{HEAD}{}{TAIL}", entries.concat()))
    }

    fn check(cond: bool, what: &str) -> Result<(), String> {
        if cond {
            Ok(())
        } else {
            Err(what.to_string())
        }
    }

    /// Order of entries and the restrict key do not matter.
    pub fn order_and_restrict_key_are_ignored() -> Result<(), String> {
        let t = entry("t", "TABLE", "CREATE TABLE public.t (\n    id integer\n);");
        let f = entry(
            "f()",
            "FUNCTION",
            "CREATE FUNCTION public.f() RETURNS int\n    LANGUAGE sql\n    AS $$ select 1 $$;",
        );
        let a = dump(&[t.clone(), f.clone()]);
        let b = parse(&format!(
            "{}{}{}",
            HEAD.replace("abc123", "zzz"),
            [f, t].concat(),
            TAIL.replace("abc123", "zzz")
        ));
        check(
            difference(&a, &b, 50).is_none(),
            "reordered dumps compare equal",
        )
    }

    /// A column moved from one table to another is a difference, though every line is the
    /// same: entries, not lines, are compared.
    pub fn lines_stay_with_their_entry() -> Result<(), String> {
        let a = dump(&[
            entry(
                "a",
                "TABLE",
                "CREATE TABLE public.a (\n    id integer,\n    x text\n);",
            ),
            entry("b", "TABLE", "CREATE TABLE public.b (\n    id integer\n);"),
        ]);
        let b = dump(&[
            entry("a", "TABLE", "CREATE TABLE public.a (\n    id integer\n);"),
            entry(
                "b",
                "TABLE",
                "CREATE TABLE public.b (\n    id integer,\n    x text\n);",
            ),
        ]);
        check(
            difference(&a, &b, 50).is_some(),
            "a moved column is a difference",
        )
    }

    /// A comment line inside a function body is part of the body.
    pub fn comment_lines_in_bodies_are_kept() -> Result<(), String> {
        let body = |c: &str| {
            format!("CREATE FUNCTION public.f() RETURNS int\n    LANGUAGE plpgsql\n    AS $$\nbegin\n-- {c}\nreturn 1;\nend $$;")
        };
        let a = dump(&[entry("f()", "FUNCTION", &body("one"))]);
        let b = dump(&[entry("f()", "FUNCTION", &body("two"))]);
        check(
            difference(&a, &b, 50).is_some(),
            "a changed comment in a body is a difference",
        )
    }

    /// The access method set before one table and inherited by the next is compared for
    /// both, wherever the SET line happens to be written.
    pub fn table_access_method_follows_the_table() -> Result<(), String> {
        // pg_dump writes the SET before the header of the entry it is for.
        let t = |n: &str, set: Option<&str>| {
            let set = set
                .map(|am| format!("SET default_table_access_method = {am};\n\n"))
                .unwrap_or_default();
            format!(
                "{set}{}",
                entry(
                    n,
                    "TABLE",
                    &format!("CREATE TABLE public.{n} (\n    id integer\n);")
                )
            )
        };
        // t1 heap, t2 heap2 in one dump; both heap2 in the other.
        let a = dump(&[t("t1", Some("heap")), t("t2", Some("heap2"))]);
        let b = dump(&[t("t1", Some("heap2")), t("t2", None)]);
        check(
            difference(&a, &b, 50).is_some(),
            "an access method is compared",
        )?;
        // The same access methods, the SETs written at other entries: equal.
        let c = dump(&[t("t2", Some("heap2")), t("t1", Some("heap"))]);
        check(
            difference(&a, &c, 50).is_none(),
            "SET placement does not matter",
        )?;
        // A SET in the preamble counts for the first entry.
        let d = parse(&format!(
            "{}SET default_table_access_method = heap;\n\n{}{}{TAIL}",
            HEAD,
            t("t1", None),
            t("t2", Some("heap2"))
        ));
        check(
            difference(&a, &d, 50).is_none(),
            "a SET before the first entry counts",
        )
    }

    /// Text after the end marker, other than the restrict key, is kept.
    pub fn nothing_after_the_end_is_dropped() -> Result<(), String> {
        let t = entry("t", "TABLE", "CREATE TABLE public.t (\n    id integer\n);");
        let a = dump(std::slice::from_ref(&t));
        let b = parse(&format!("{HEAD}{t}{TAIL}GRANT ALL ON public.t TO x;\n"));
        check(
            difference(&a, &b, 50).is_some(),
            "trailing statements are compared",
        )
    }

    /// Storage parameters in another order are the same; another value is not.
    pub fn storage_parameter_order_is_ignored() -> Result<(), String> {
        let t = |with: &str| {
            entry(
                "t",
                "TABLE",
                &format!("CREATE TABLE public.t (\n    id integer\n)\nWITH ({with});"),
            )
        };
        let a = dump(&[t("fillfactor='90', autovacuum_enabled='false'")]);
        let b = dump(&[t("autovacuum_enabled='false', fillfactor='90'")]);
        let c = dump(&[t("autovacuum_enabled='false', fillfactor='80'")]);
        check(
            difference(&a, &b, 50).is_none(),
            "reordered options compare equal",
        )?;
        check(
            difference(&a, &c, 50).is_some(),
            "another option value is a difference",
        )?;
        check(
            sort_options("CREATE VIEW v WITH (security_barrier='true', check_option='local') AS")
                == "CREATE VIEW v WITH (check_option='local', security_barrier='true') AS",
            "options sorted within the line",
        )?;
        check(
            sort_options("WITH (b='x,y', a='1')") == "WITH (a='1', b='x,y')",
            "commas inside quotes stay in their value",
        )?;
        check(
            sort_options("SELECT x FROM t WITH (ORDER BY y, z)")
                == "SELECT x FROM t WITH (ORDER BY y, z)",
            "text that is not an option list is left alone",
        )
    }

    /// The GRANTs of one object in another order are the same; one made by another grantor
    /// is not.
    pub fn grant_order_is_ignored_grantor_is_not() -> Result<(), String> {
        let acl = |body: &str| entry("TABLE t", "ACL", body);
        let a = dump(&[acl(
            "GRANT SELECT ON TABLE public.t TO a;\nGRANT INSERT ON TABLE public.t TO b;",
        )]);
        let b = dump(&[acl(
            "GRANT INSERT ON TABLE public.t TO b;\nGRANT SELECT ON TABLE public.t TO a;",
        )]);
        let c = dump(&[acl("GRANT INSERT ON TABLE public.t TO b;\nSET SESSION AUTHORIZATION b;\nGRANT SELECT ON TABLE public.t TO a;\nRESET SESSION AUTHORIZATION;")]);
        check(
            difference(&a, &b, 50).is_none(),
            "reordered grants compare equal",
        )?;
        check(
            difference(&a, &c, 50).is_some(),
            "a grant by another grantor is a difference",
        )
    }

    pub fn operator_family_member_order_is_ignored_members_are_not() -> Result<(), String> {
        let family = |body: &str| entry("isn_ops", "OPERATOR FAMILY", body);
        let head = "CREATE OPERATOR FAMILY public.f USING btree;\nALTER OPERATOR FAMILY public.f USING btree ADD\n";
        let a = dump(&[family(&format!("{head}    OPERATOR 1 public.<(public.a,public.b) ,\n    OPERATOR 1 public.<(public.b,public.a) ,\n    FUNCTION 1 (public.a, public.b) public.cmp(public.a,public.b);"))]);
        let b = dump(&[family(&format!("{head}    OPERATOR 1 public.<(public.b,public.a) ,\n    FUNCTION 1 (public.a, public.b) public.cmp(public.a,public.b) ,\n    OPERATOR 1 public.<(public.a,public.b);"))]);
        let c = dump(&[family(&format!("{head}    OPERATOR 2 public.<(public.b,public.a) ,\n    FUNCTION 1 (public.a, public.b) public.cmp(public.a,public.b) ,\n    OPERATOR 1 public.<(public.a,public.b);"))]);
        check(
            difference(&a, &b, 50).is_none(),
            "the same members in another order compare equal",
        )?;
        check(
            difference(&a, &c, 50).is_some(),
            "another strategy number is a difference",
        )
    }

    pub type Check = fn() -> Result<(), String>;

    pub const ALL: [(&str, Check); 8] = [
        (
            "operator_family_member_order_is_ignored_members_are_not",
            operator_family_member_order_is_ignored_members_are_not,
        ),
        (
            "grant_order_is_ignored_grantor_is_not",
            grant_order_is_ignored_grantor_is_not,
        ),
        (
            "storage_parameter_order_is_ignored",
            storage_parameter_order_is_ignored,
        ),
        (
            "order_and_restrict_key_are_ignored",
            order_and_restrict_key_are_ignored,
        ),
        ("lines_stay_with_their_entry", lines_stay_with_their_entry),
        (
            "comment_lines_in_bodies_are_kept",
            comment_lines_in_bodies_are_kept,
        ),
        (
            "table_access_method_follows_the_table",
            table_access_method_follows_the_table,
        ),
        (
            "nothing_after_the_end_is_dropped",
            nothing_after_the_end_is_dropped,
        ),
    ];
}
