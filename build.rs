//! Embeds the default project (schema.toml, migrations/, seeds/) into the binary.
//!
//! Generates `$OUT_DIR/embedded_project.rs` with one `(relative path, bytes)` entry per
//! file, so the loader can treat the embedded project exactly like a directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let mut files = Vec::new();
    for item in [
        "schema.toml",
        "migrations",
        "seeds",
        "checks.toml",
        "schema.snapshot.json",
    ] {
        let path = root.join(item);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, &mut files);
        } else if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut code = String::from("/// Files of the embedded default project: (path relative to the project, contents).\npub static FILES: &[(&str, &[u8])] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&root).expect("under root");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            file.display().to_string()
        )
        .expect("write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("out dir")).join("embedded_project.rs");
    std::fs::write(out, code).expect("write embedded_project.rs");
}
