//! The dependency graph from the dependency query's two lists: the user objects by catalog
//! address (class, OID, sub-id) with their model names, and `pg_depend`'s rows as address
//! pairs. Each end of a row is named by its exact address when it is a sub-object (a
//! column) that has a name, else by its whole object; rows with an end that is no user
//! object, and rows from an object to itself (a column to its table), are left out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

/// A catalog address: class OID, object OID, sub-object id.
type Address = (u32, u32, i32);

/// The dependency query's result.
#[derive(Debug, Deserialize)]
pub(crate) struct GraphRows {
    /// `[classid, objid, objsubid, node]`.
    nodes: Vec<(u32, u32, i32, String)>,
    /// `[classid, objid, objsubid, refclassid, refobjid, refobjsubid]`.
    edges: Vec<(u32, u32, i32, u32, u32, i32)>,
}

/// node → the nodes it depends on.
pub(crate) fn graph(rows: GraphRows) -> BTreeMap<String, BTreeSet<String>> {
    let mut names: HashMap<Address, Vec<String>> = HashMap::with_capacity(rows.nodes.len());
    for (class, oid, sub, node) in rows.nodes {
        names.entry((class, oid, sub)).or_default().push(node);
    }
    let name = |class: u32, oid: u32, sub: i32| -> &[String] {
        let exact = if sub != 0 {
            names.get(&(class, oid, sub))
        } else {
            None
        };
        exact
            .or_else(|| names.get(&(class, oid, 0)))
            .map_or(&[], Vec::as_slice)
    };
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (class, oid, sub, ref_class, ref_oid, ref_sub) in rows.edges {
        let deps = name(ref_class, ref_oid, ref_sub);
        if deps.is_empty() {
            continue;
        }
        for node in name(class, oid, sub) {
            for dep in deps {
                if node != dep {
                    out.entry(node.clone()).or_default().insert(dep.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_named_by_sub_object_then_whole_object_and_self_edges_dropped() {
        let rows: GraphRows = serde_json::from_str(
            r#"{"nodes": [[1259, 100, 0, "table public.a"], [1259, 100, 1, "column public.a.id"],
                          [1259, 200, 0, "view public.v"], [2606, 300, 0, "constraint public.a.a_pkey"]],
                "edges": [[2618, 1, 0, 1259, 100, 1], [1259, 200, 0, 1259, 100, 1],
                          [1259, 200, 0, 1259, 100, 7], [2606, 300, 0, 1259, 100, 1],
                          [1259, 100, 1, 1259, 100, 0], [1259, 200, 0, 1247, 23, 0]]}"#,
        )
        .unwrap();
        let g = graph(rows);
        let want: BTreeMap<String, BTreeSet<String>> = [
            (
                "view public.v",
                vec!["column public.a.id", "table public.a"],
            ),
            ("constraint public.a.a_pkey", vec!["column public.a.id"]),
            ("column public.a.id", vec!["table public.a"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(g, want);
    }
}
