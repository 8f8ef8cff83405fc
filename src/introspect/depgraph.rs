//! The dependency graph from the dependency query's two lists: the user objects by catalog
//! address (class, OID, sub-id) with their model names, and `pg_depend`'s rows as address
//! pairs. Each end of a row is named by its exact address when it is a sub-object (a
//! column) that has a name, else by its whole object; rows with an end that is no user
//! object, and rows from an object to itself (a column to its table), are left out. An
//! object an extension owns is named as the extension.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

/// A catalog address: class OID, object OID, sub-object id.
type Address = (u32, u32, i32);

/// `pg_class`'s OID: the class of relations in a catalog address.
const PG_CLASS: u32 = 1259;

/// The dependency query's result.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct GraphRows {
    /// `[classid, objid, objsubid, node]`; the node is null where the object is no user
    /// object (a constraint of a table left out, say).
    nodes: Vec<(u32, u32, i32, Option<String>)>,
    /// `[classid, objid, extension node]`: objects an extension owns, named by it.
    #[serde(default)]
    members: Vec<(u32, u32, String)>,
    /// `[index OID, constraint node]`: an index behind a constraint is the constraint.
    #[serde(default)]
    constraint_indexes: Vec<(u32, String)>,
    /// `[classid, objid, objsubid, refclassid, refobjid, refobjsubid]`.
    edges: Vec<(u32, u32, i32, u32, u32, i32)>,
}

/// The dependency query's rows, each tagged with its list (see the query).
pub(crate) fn from_rows(rows: &[tokio_postgres::SimpleQueryRow]) -> Result<GraphRows, String> {
    fn num<T: std::str::FromStr>(
        row: &tokio_postgres::SimpleQueryRow,
        i: usize,
    ) -> Result<T, String> {
        let text = row
            .try_get(i)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("column {} is NULL", i + 1))?;
        text.parse().map_err(|_| format!("not a number: {text}"))
    }
    let mut out = GraphRows::default();
    for row in rows {
        let node = || -> Result<Option<String>, String> {
            Ok(row
                .try_get(7)
                .map_err(|e| e.to_string())?
                .map(str::to_string))
        };
        match row.try_get(0).map_err(|e| e.to_string())? {
            Some("n") => out
                .nodes
                .push((num(row, 1)?, num(row, 2)?, num(row, 3)?, node()?)),
            Some("e") => out.edges.push((
                num(row, 1)?,
                num(row, 2)?,
                num(row, 3)?,
                num(row, 4)?,
                num(row, 5)?,
                num(row, 6)?,
            )),
            Some("m") => out.members.push((
                num(row, 1)?,
                num(row, 2)?,
                node()?.ok_or("an extension member without a name")?,
            )),
            Some("c") => out.constraint_indexes.push((
                num(row, 2)?,
                node()?.ok_or("a constraint index without a name")?,
            )),
            other => return Err(format!("a row of no list: {other:?}")),
        }
    }
    Ok(out)
}

/// node → the nodes it depends on.
pub(crate) fn graph(rows: GraphRows) -> BTreeMap<String, BTreeSet<String>> {
    let members: HashMap<(u32, u32), String> = rows
        .members
        .into_iter()
        .map(|(class, oid, node)| ((class, oid), node))
        .chain(
            rows.constraint_indexes
                .into_iter()
                .map(|(oid, node)| ((PG_CLASS, oid), node)),
        )
        .fold(HashMap::new(), |mut m, (k, v)| {
            // An extension's ownership comes first, then the constraint.
            m.entry(k).or_insert(v);
            m
        });
    let mut names: HashMap<Address, Vec<String>> = HashMap::with_capacity(rows.nodes.len());
    for (class, oid, sub, node) in rows.nodes {
        // What an extension owns is the extension, an index behind a constraint is the
        // constraint (done here, not in SQL: see the dependency query).
        if let Some(node) = members.get(&(class, oid)).cloned().or(node) {
            names.entry((class, oid, sub)).or_default().push(node);
        }
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
                          [1259, 200, 0, "view public.v"], [2606, 300, 0, "constraint public.a.a_pkey"],
                          [1255, 400, 0, "function public.f()"], [2606, 500, 0, null],
                          [1259, 700, 0, "index public.a_key"]],
                "members": [[1255, 400, "extension hstore"], [1247, 600, "extension hstore"]],
                "constraint_indexes": [[700, "constraint public.a.a_key"]],
                "edges": [[2618, 1, 0, 1259, 100, 1], [1259, 200, 0, 1259, 100, 1],
                          [1259, 200, 0, 1259, 100, 7], [2606, 300, 0, 1259, 100, 1],
                          [1259, 100, 1, 1259, 100, 0], [1259, 200, 0, 1247, 23, 0],
                          [1259, 200, 0, 1255, 400, 0], [2606, 500, 0, 1259, 100, 1],
                          [1259, 700, 0, 1259, 100, 1]]}"#,
        )
        .unwrap();
        let g = graph(rows);
        let want: BTreeMap<String, BTreeSet<String>> = [
            (
                "view public.v",
                vec!["column public.a.id", "extension hstore", "table public.a"],
            ),
            ("constraint public.a.a_pkey", vec!["column public.a.id"]),
            ("constraint public.a.a_key", vec!["column public.a.id"]),
            ("column public.a.id", vec!["table public.a"]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
        assert_eq!(g, want);
    }
}
