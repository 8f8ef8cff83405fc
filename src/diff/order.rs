//! The order of the script: one graph over its statements, sorted topologically. A
//! statement comes after those that create or change what it needs (`requires`, the
//! expected side's dependencies), before those that drop what it still uses (`uses`, the
//! live side's), a drop before the creation of the same name, and after what its generator
//! says (`after`). Among the statements free to go, those that can lose data wait as long
//! as they can, so that they stay grouped, followed by what depends on them; then by kind
//! (drops of dependents, then creations in the usual order, then privileges), then in the
//! order they were written. A cycle, which the generators avoid the way `pg_dump` does
//! (functions created with `check_function_bodies = false`, constraints and foreign keys
//! added after tables, defaults set apart when they need what needs their table), is broken
//! at the statement that would come first, and reported.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::script::Hazard;

/// One statement with what it needs, makes and removes.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub sql: String,
    pub hazard: Option<Hazard>,
    /// The differences (numbers in the change set) it repairs.
    pub differences: Vec<usize>,
    /// Order among statements free to go: smaller first.
    pub rank: u16,
    /// Nodes it creates or brings to their expected form.
    pub provides: Vec<String>,
    /// Nodes it drops.
    pub removes: Vec<String>,
    /// Nodes (expected side) that must exist first.
    pub requires: Vec<String>,
    /// Nodes (live side) that must not be dropped before it.
    pub uses: Vec<String>,
    /// Steps (their index) that must come first.
    pub after: Vec<usize>,
    /// After every other statement (default privileges: what the script creates must not
    /// get them).
    pub last: bool,
}

/// The steps in order, and the dependency cycles that had to be broken.
pub fn sort(steps: Vec<Step>) -> (Vec<Step>, Vec<String>) {
    let n = steps.len();
    let mut providers: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut removers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in steps.iter().enumerate() {
        for p in &s.provides {
            providers.entry(p).or_default().push(i);
        }
        for r in &s.removes {
            removers.entry(r).or_default().push(i);
        }
    }
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let edge = |a: usize, b: usize, succ: &mut Vec<Vec<usize>>| {
        if a != b {
            succ[a].push(b);
        }
    };
    for (i, s) in steps.iter().enumerate() {
        for r in &s.requires {
            for &p in providers.get(r.as_str()).into_iter().flatten() {
                edge(p, i, &mut succ);
            }
        }
        for u in &s.uses {
            for &d in removers.get(u.as_str()).into_iter().flatten() {
                edge(i, d, &mut succ);
            }
        }
        for &a in &s.after {
            if a < n {
                edge(a, i, &mut succ);
            }
        }
    }
    for (node, ds) in &removers {
        for &p in providers.get(node).into_iter().flatten() {
            for &d in ds {
                edge(d, p, &mut succ);
            }
        }
    }
    for s in succ.iter_mut() {
        s.sort_unstable();
        s.dedup();
    }
    // Statements after every other one.
    for i in 0..n {
        if !steps[i].last {
            continue;
        }
        for (j, s) in succ.iter_mut().enumerate() {
            if !steps[j].last {
                s.push(i);
            }
        }
    }

    // Class: 0 free of data loss, 1 can lose data, 2 waits for something that can.
    let mut class = vec![0u8; n];
    let mut stack: Vec<usize> = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if s.hazard.as_ref().is_some_and(Hazard::loses_data) {
            class[i] = 1;
            stack.push(i);
        }
    }
    while let Some(i) = stack.pop() {
        for &j in &succ[i] {
            if class[j] == 0 {
                class[j] = 2;
                stack.push(j);
            }
        }
    }

    let mut indegree = vec![0usize; n];
    for s in &succ {
        for &j in s {
            indegree[j] += 1;
        }
    }
    let key = |i: usize| Reverse((steps[i].last, class[i], steps[i].rank, i));
    let mut ready: BinaryHeap<Reverse<(bool, u8, u16, usize)>> =
        (0..n).filter(|&i| indegree[i] == 0).map(key).collect();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut cycles = Vec::new();
    while order.len() < n {
        let next = match ready.pop() {
            Some(Reverse((_, _, _, i))) if !done[i] => i,
            Some(_) => continue,
            None => {
                // A cycle: the first of the remaining statements goes now.
                let Some(i) = (0..n).filter(|&i| !done[i]).min_by_key(|&i| key(i).0) else {
                    break;
                };
                let members: Vec<&str> = (0..n)
                    .filter(|&j| !done[j] && indegree[j] > 0)
                    .take(6)
                    .map(|j| steps[j].sql.lines().next().unwrap_or_default())
                    .collect();
                cycles.push(format!(
                    "a dependency cycle among the script's statements ({}) was broken at: {}",
                    members.join("; "),
                    steps[i].sql.lines().next().unwrap_or_default()
                ));
                i
            }
        };
        done[next] = true;
        order.push(next);
        for &j in &succ[next] {
            indegree[j] = indegree[j].saturating_sub(1);
            if indegree[j] == 0 && !done[j] {
                ready.push(key(j));
            }
        }
    }
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    let sorted = order.into_iter().filter_map(|i| slots[i].take()).collect();
    (sorted, cycles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(sql: &str) -> Step {
        Step {
            sql: sql.into(),
            ..Step::default()
        }
    }

    #[test]
    fn creations_follow_what_they_need_and_drops_precede_what_they_use() {
        let mut view = step("CREATE VIEW v");
        view.requires = vec!["table t".into()];
        let mut table = step("CREATE TABLE t");
        table.provides = vec!["table t".into()];
        let mut drop_type = step("DROP TYPE old");
        drop_type.removes = vec!["type old".into()];
        let mut drop_column = step("ALTER TABLE u DROP COLUMN c");
        drop_column.uses = vec!["type old".into()];
        let (sorted, cycles) = sort(vec![view, drop_type, table, drop_column]);
        let sql: Vec<&str> = sorted.iter().map(|s| s.sql.as_str()).collect();
        assert!(cycles.is_empty());
        let at = |s: &str| sql.iter().position(|x| *x == s).unwrap();
        assert!(at("CREATE TABLE t") < at("CREATE VIEW v"));
        assert!(at("ALTER TABLE u DROP COLUMN c") < at("DROP TYPE old"));
    }

    #[test]
    fn data_loss_waits_and_what_needs_it_follows_it() {
        let mut loss = step("DROP TABLE t");
        loss.hazard = Some(Hazard::data_loss("drops t"));
        loss.removes = vec!["table t".into()];
        loss.rank = 1;
        let mut create = step("CREATE TABLE t");
        create.provides = vec!["table t".into()];
        let other = step("CREATE SCHEMA s");
        let (sorted, _) = sort(vec![loss, create, other]);
        let sql: Vec<&str> = sorted.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["CREATE SCHEMA s", "DROP TABLE t", "CREATE TABLE t"]);
    }

    #[test]
    fn a_cycle_is_broken_and_reported() {
        let mut a = step("A");
        a.provides = vec!["a".into()];
        a.requires = vec!["b".into()];
        let mut b = step("B");
        b.provides = vec!["b".into()];
        b.requires = vec!["a".into()];
        let (sorted, cycles) = sort(vec![a, b]);
        assert_eq!(sorted.len(), 2);
        assert_eq!(cycles.len(), 1, "{cycles:?}");
    }
}
