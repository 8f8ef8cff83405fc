//! Grants: `aclitem` texts read, compared grantee by grantee, and turned into `REVOKE` /
//! `GRANT` (with `GRANT OPTION` where the expected side has it). A new object starts with
//! the grants PostgreSQL gives one (`acldefault`: its owner's, and PUBLIC's `EXECUTE` on
//! functions and `USAGE` on types) and those the live database's default privileges may
//! add; the script revokes what the expected side does not have.

pub use crate::introspect::AclDefaults;
use crate::introspect::CatalogModel;

/// One parsed `aclitem`: `grantee=privileges/grantor` (empty grantee: PUBLIC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AclItem {
    pub grantee: String,
    /// Privilege letters, each with whether it carries the grant option.
    pub privileges: Vec<(char, bool)>,
    pub grantor: String,
}

/// Reads an identifier as `aclitem` prints it (quoted when needed) from the start of `s`;
/// returns it unquoted and the rest.
fn read_name(s: &str) -> (String, &str) {
    if let Some(rest) = s.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, c)| *c) == Some('"') {
                    chars.next();
                    name.push('"');
                } else {
                    return (name, &rest[i + 1..]);
                }
            } else {
                name.push(c);
            }
        }
        (name, "")
    } else {
        let end = s.find(['=', '/']).unwrap_or(s.len());
        (s[..end].to_string(), &s[end..])
    }
}

pub(crate) fn parse(item: &str) -> Option<AclItem> {
    let (grantee, rest) = read_name(item);
    let rest = rest.strip_prefix('=')?;
    let (privs, grantor) = rest.split_once('/').unwrap_or((rest, ""));
    let mut privileges = Vec::new();
    let mut chars = privs.chars().peekable();
    while let Some(c) = chars.next() {
        let option = chars.peek() == Some(&'*');
        if option {
            chars.next();
        }
        privileges.push((c, option));
    }
    let (grantor, _) = read_name(grantor);
    Some(AclItem {
        grantee,
        privileges,
        grantor,
    })
}

fn privilege_name(c: char) -> Option<&'static str> {
    Some(match c {
        'r' => "SELECT",
        'a' => "INSERT",
        'w' => "UPDATE",
        'd' => "DELETE",
        'D' => "TRUNCATE",
        'x' => "REFERENCES",
        't' => "TRIGGER",
        'X' => "EXECUTE",
        'U' => "USAGE",
        'C' => "CREATE",
        'c' => "CONNECT",
        'T' => "TEMPORARY",
        'm' => "MAINTAIN",
        's' => "SET",
        'A' => "ALTER SYSTEM",
        _ => return None,
    })
}

fn grantee_sql(grantee: &str) -> String {
    if grantee.is_empty() {
        "PUBLIC".into()
    } else {
        super::ident(grantee)
    }
}

/// The items of an ACL as a sorted list, for comparing without regard to order.
pub(crate) fn sorted(acl: &[String]) -> Vec<String> {
    let mut v = acl.to_vec();
    v.sort();
    v
}

/// `REVOKE` / `GRANT` statements turning the grants `live` into `expected` on `on`
/// (`TABLE public.t`), for column `column` when given; grants given by another role than
/// the owner are given (and taken back) as that role.
pub(crate) fn grants(
    on: &str,
    column: Option<&str>,
    expected: &[String],
    live: &[String],
) -> Vec<String> {
    grants_as(on, column, expected, live, None)
}

/// Like [`grants`], knowing the owner: the grants are given in the expected order, so that
/// the object ends with exactly the expected list. From the first item that differs on,
/// the live items are taken back (last first: a grant given with another's grant option
/// goes before that option) and the expected ones given in order.
pub(crate) fn grants_as(
    on: &str,
    column: Option<&str>,
    expected: &[String],
    live: &[String],
    owner: Option<&str>,
) -> Vec<String> {
    if sorted(expected) == sorted(live) {
        return Vec::new();
    }
    let e: Vec<AclItem> = expected.iter().filter_map(|i| parse(i)).collect();
    let l: Vec<AclItem> = live.iter().filter_map(|i| parse(i)).collect();
    let prefix = e.iter().zip(&l).take_while(|(a, b)| a == b).count();
    let col = column.map(|c| format!(" ({c})")).unwrap_or_default();
    let as_grantor = |item: &AclItem, sql: String| -> String {
        match owner {
            Some(o) if !item.grantor.is_empty() && item.grantor != o => {
                format!(
                    "SET ROLE {}; {sql}; RESET ROLE",
                    super::ident(&item.grantor)
                )
            }
            _ => sql,
        }
    };
    let mut out: Vec<String> = Vec::new();
    for item in l[prefix..].iter().rev() {
        let sql = as_grantor(
            item,
            format!(
                "REVOKE ALL{col} ON {on} FROM {}",
                grantee_sql(&item.grantee)
            ),
        );
        if !out.contains(&sql) {
            out.push(sql);
        }
    }
    for item in &e[prefix..] {
        for option in [false, true] {
            let names: Vec<String> = item
                .privileges
                .iter()
                .filter(|(_, o)| *o == option)
                .filter_map(|(c, _)| privilege_name(*c))
                .map(|n| format!("{n}{col}"))
                .collect();
            if !names.is_empty() {
                out.push(as_grantor(
                    item,
                    format!(
                        "GRANT {} ON {on} TO {}{}",
                        names.join(", "),
                        grantee_sql(&item.grantee),
                        if option { " WITH GRANT OPTION" } else { "" }
                    ),
                ));
            }
        }
    }
    out
}

/// The items of `acl` with role `old` replaced by `new` (what `ALTER .. OWNER TO` does).
pub(crate) fn rename_role(acl: &[String], old: &str, new: &str) -> Vec<String> {
    acl.iter()
        .map(|i| match parse(i) {
            Some(item) => {
                let swap = |n: &str| {
                    if n == old {
                        new.to_string()
                    } else {
                        n.to_string()
                    }
                };
                write(&AclItem {
                    grantee: swap(&item.grantee),
                    grantor: swap(&item.grantor),
                    privileges: item.privileges,
                })
            }
            None => i.clone(),
        })
        .collect()
}

/// An item as `aclitem` prints it.
fn write(item: &AclItem) -> String {
    let privs: String = item
        .privileges
        .iter()
        .map(|(c, o)| if *o { format!("{c}*") } else { c.to_string() })
        .collect();
    format!(
        "{}={privs}/{}",
        quote_acl_name(&item.grantee),
        quote_acl_name(&item.grantor)
    )
}

impl AclDefaults {
    /// The grants a new object of `kind` owned by `owner` has on the live server: its
    /// `acldefault`, and every grant the live database's default privileges hand out for
    /// that kind (revoking a grant that is not there does no harm).
    pub(crate) fn baseline(
        &self,
        kind: char,
        owner: Option<&str>,
        live: &CatalogModel,
    ) -> Vec<String> {
        let mut items: Vec<String> = Vec::new();
        if let (Some(template), Some(owner)) = (self.templates.get(&kind.to_string()), owner) {
            for item in template.iter().filter_map(|i| parse(i)) {
                let swap = |n: &str| {
                    if n == self.bootstrap {
                        owner.to_string()
                    } else {
                        n.to_string()
                    }
                };
                let privs: String = item
                    .privileges
                    .iter()
                    .map(|(c, o)| if *o { format!("{c}*") } else { c.to_string() })
                    .collect();
                items.push(format!(
                    "{}={privs}/{}",
                    quote_acl_name(&swap(&item.grantee)),
                    quote_acl_name(&swap(&item.grantor))
                ));
            }
        }
        let objects = match kind {
            'r' => "TABLES",
            's' => "SEQUENCES",
            'f' => "FUNCTIONS",
            'T' => "TYPES",
            'n' => "SCHEMAS",
            _ => "",
        };
        // What default privileges hand out is given by the new object's owner.
        for d in live
            .default_privileges
            .values()
            .filter(|d| d.object_kind == objects)
        {
            for item in d.acl.iter().filter_map(|i| parse(i)) {
                let item = AclItem {
                    grantor: owner.unwrap_or(&item.grantor).to_string(),
                    ..item
                };
                items.push(write(&item));
            }
        }
        items
    }
}

/// A name as `aclitem` prints it.
fn quote_acl_name(name: &str) -> String {
    if name.is_empty() || name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_items_are_read_with_quotes_and_grant_options() {
        let item = parse("\"a=b\"=r*w/\"own er\"").unwrap();
        assert_eq!(item.grantee, "a=b");
        assert_eq!(item.privileges, vec![('r', true), ('w', false)]);
        assert_eq!(item.grantor, "own er");
        assert_eq!(parse("=X/alice").unwrap().grantee, "");
    }

    #[test]
    fn grants_revoke_what_differs_and_grant_the_rest() {
        let sql = grants(
            "FUNCTION public.f()",
            None,
            &["alice=X/alice".into()],
            &["=X/alice".into(), "alice=X/alice".into()],
        );
        assert_eq!(
            sql,
            [
                "REVOKE ALL ON FUNCTION public.f() FROM alice",
                "REVOKE ALL ON FUNCTION public.f() FROM PUBLIC",
                "GRANT EXECUTE ON FUNCTION public.f() TO alice"
            ]
        );
        let sql = grants("TABLE public.t", Some("c"), &["bob=r*w/alice".into()], &[]);
        assert_eq!(
            sql,
            [
                "GRANT UPDATE (c) ON TABLE public.t TO bob",
                "GRANT SELECT (c) ON TABLE public.t TO bob WITH GRANT OPTION"
            ]
        );
        // In order, as the role that gave them; the same grants in another order are the same.
        let sql = grants_as(
            "TABLE t",
            None,
            &["o=r/o".into(), "b=r*/o".into(), "c=r/b".into()],
            &["o=r/o".into(), "c=r/b".into()],
            Some("o"),
        );
        assert_eq!(
            sql,
            [
                "SET ROLE b; REVOKE ALL ON TABLE t FROM c; RESET ROLE",
                "GRANT SELECT ON TABLE t TO b WITH GRANT OPTION",
                "SET ROLE b; GRANT SELECT ON TABLE t TO c; RESET ROLE"
            ]
        );
        assert!(grants(
            "TABLE t",
            None,
            &["a=r/o".into(), "b=r/o".into()],
            &["b=r/o".into(), "a=r/o".into()]
        )
        .is_empty());
    }

    #[test]
    fn a_new_objects_grants_are_the_servers_defaults_for_its_owner() {
        let d = AclDefaults {
            bootstrap: "postgres".into(),
            templates: [(
                "f".to_string(),
                vec!["=X/postgres".to_string(), "postgres=X/postgres".to_string()],
            )]
            .into(),
        };
        assert_eq!(
            d.baseline('f', Some("app"), &CatalogModel::default()),
            ["=X/app", "app=X/app"]
        );
    }
}
