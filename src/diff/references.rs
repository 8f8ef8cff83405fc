//! Cluster-wide objects the expected schema names — roles (owners, grantees, policies,
//! default privileges, user mappings) and tablespaces — are referenced, never created: the
//! ones the live server lacks are reported, since statements naming them would fail.

use std::collections::BTreeSet;

use super::gen::parse_acl;
use crate::introspect::CatalogModel;

/// Warnings for the roles and tablespaces `expected` names that the live server lacks.
/// Owners and grants count only when they are compared (`privileges`).
pub fn missing(
    expected: &CatalogModel,
    roles: &BTreeSet<String>,
    tablespaces: &BTreeSet<String>,
    privileges: bool,
) -> Vec<String> {
    let mut named: BTreeSet<String> = BTreeSet::new();
    let unquote = |r: &str| crate::introspect::unquote(r);
    for t in expected.tables.values() {
        for p in t.policies.values() {
            named.extend(
                p.roles
                    .iter()
                    .filter(|r| *r != "public")
                    .map(|r| unquote(r)),
            );
        }
    }
    for u in expected.user_mappings.values() {
        if u.role != "PUBLIC" {
            named.insert(unquote(&u.role));
        }
    }
    if privileges {
        let m = expected;
        let owners = m
            .schemas
            .values()
            .map(|x| &x.owner)
            .chain(m.types.values().map(|x| &x.owner))
            .chain(m.collations.values().map(|x| &x.owner))
            .chain(m.sequences.values().map(|x| &x.owner))
            .chain(m.tables.values().map(|x| &x.owner))
            .chain(m.views.values().map(|x| &x.owner))
            .chain(m.functions.values().map(|x| &x.owner))
            .chain(m.aggregates.values().map(|x| &x.owner))
            .chain(m.operators.values().map(|x| &x.owner))
            .chain(m.operator_families.values().map(|x| &x.owner))
            .chain(m.operator_classes.values().map(|x| &x.owner))
            .chain(m.text_search_dictionaries.values().map(|x| &x.owner))
            .chain(m.text_search_configurations.values().map(|x| &x.owner))
            .chain(m.foreign_data_wrappers.values().map(|x| &x.owner))
            .chain(m.foreign_servers.values().map(|x| &x.owner))
            .chain(m.publications.values().map(|x| &x.owner))
            .chain(m.event_triggers.values().map(|x| &x.owner))
            .chain(m.statistics.values().map(|x| &x.owner));
        named.extend(owners.flatten().cloned());
        let acls = m
            .schemas
            .values()
            .map(|x| &x.acl)
            .chain(m.types.values().map(|x| &x.acl))
            .chain(m.sequences.values().map(|x| &x.acl))
            .chain(m.tables.values().map(|x| &x.acl))
            .chain(
                m.tables
                    .values()
                    .flat_map(|t| t.columns.iter().map(|c| &c.acl)),
            )
            .chain(m.views.values().map(|x| &x.acl))
            .chain(m.functions.values().map(|x| &x.acl))
            .chain(m.aggregates.values().map(|x| &x.acl))
            .chain(m.foreign_data_wrappers.values().map(|x| &x.acl))
            .chain(m.foreign_servers.values().map(|x| &x.acl));
        for item in acls
            .flatten()
            .flatten()
            .chain(m.default_privileges.values().flat_map(|d| d.acl.iter()))
        {
            if let Some(a) = parse_acl(item) {
                named.insert(a.grantee);
                named.insert(a.grantor);
            }
        }
        named.extend(m.default_privileges.values().map(|d| unquote(&d.role)));
    }
    named.remove("");
    let mut out: Vec<String> = named
        .iter()
        .filter(|r| !roles.contains(*r))
        .map(|r| {
            format!(
                "role {r} does not exist on the live server: roles are cluster-wide and strata does not create them; statements naming it fail until it is created"
            )
        })
        .collect();
    let mut spaces: BTreeSet<String> = BTreeSet::new();
    for t in expected.tables.values() {
        spaces.extend(t.tablespace.iter().map(|s| unquote(s)));
        for i in t.indexes.values() {
            if let Some(rest) = i.definition.split(" TABLESPACE ").nth(1) {
                spaces.insert(unquote(rest.split_whitespace().next().unwrap_or_default()));
            }
        }
    }
    spaces.extend(
        expected
            .views
            .values()
            .filter_map(|v| v.tablespace.as_deref())
            .map(unquote),
    );
    out.extend(spaces.iter().filter(|s| !tablespaces.contains(*s)).map(|s| {
        format!(
            "tablespace {s} does not exist on the live server: tablespaces are cluster-wide and strata does not create them; statements naming it fail until it is created"
        )
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::introspect::{Policy, Table};

    #[test]
    fn roles_and_tablespaces_the_live_server_lacks_are_named() {
        let mut m = CatalogModel::default();
        let mut t = Table {
            tablespace: Some("fast".into()),
            owner: Some("app".into()),
            acl: Some(vec!["app=arwdDxt/app".into(), "\"Odd Role\"=r/app".into()]),
            ..Table::default()
        };
        t.policies.insert(
            "p".into(),
            Policy {
                permissive: true,
                command: "*".into(),
                roles: vec!["reader".into(), "public".into()],
                using: None,
                with_check: None,
                comment: None,
            },
        );
        m.tables.insert("public.t".into(), t);
        let roles: BTreeSet<String> = ["app".to_string()].into();
        let spaces: BTreeSet<String> = BTreeSet::new();
        let all = missing(&m, &roles, &spaces, true);
        let named = |what: &str| all.iter().any(|w| w.starts_with(what));
        assert!(named("role reader does not exist"), "{all:#?}");
        assert!(named("role Odd Role does not exist"), "{all:#?}");
        assert!(named("tablespace fast does not exist"), "{all:#?}");
        assert!(!named("role app "), "{all:#?}");
        // Owners and grants count only when compared.
        let without = missing(&m, &roles, &spaces, false);
        assert!(
            without.iter().all(|w| !w.contains("Odd Role")),
            "{without:#?}"
        );
    }
}
