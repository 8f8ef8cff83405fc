//! Unit tests of the static analysis: each rule on small SQL, suppression, grading.

use super::*;

fn run(files: &[(&str, &str)]) -> LintReport {
    let sources: Vec<SqlSource> = files.iter().map(|(p, s)| SqlSource::text(p, s)).collect();
    lint(&sources, &LintOptions::default()).0
}

fn rules_of(report: &LintReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.rule).collect()
}

#[test]
fn index_on_existing_table_fires_and_on_new_table_does_not() {
    let r = run(&[
        ("a.sql", "CREATE TABLE t (id bigint PRIMARY KEY, a text);"),
        ("b.sql", "CREATE INDEX t_a ON t (a);"),
    ]);
    assert_eq!(rules_of(&r), vec!["index-not-concurrent"]);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    let r = run(&[(
        "a.sql",
        "CREATE TABLE t (id bigint PRIMARY KEY, a text);\nCREATE INDEX t_a ON t (a);",
    )]);
    assert!(rules_of(&r).is_empty(), "{:?}", r.findings);
}
