//! Replays the kept fuzz corpus (fuzz/corpus/<target>/*) through the same harnesses the
//! `cargo fuzz` targets run: a smoke pass that needs no fuzzer, run by `cargo test`.

fn replay(target: &str, harness: fn(&[u8])) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        harness(&std::fs::read(&path).unwrap());
        n += 1;
    }
    n
}

#[test]
fn the_loader_corpus_replays_without_panics() {
    assert!(replay("loader", strata::fuzzing::loader) >= 4);
}

#[test]
fn the_splitter_corpus_replays_without_panics() {
    assert!(replay("splitter", strata::fuzzing::splitter) >= 4);
}
