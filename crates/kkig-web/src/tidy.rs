//! Tidy checks of the crate's layout, run by `cargo test` (rust-analyzer's tidy pattern): every
//! `.rs` file starts with a `//!` line saying what it holds, and no capability's module uses
//! another capability's: what two capabilities share lives in `http/` or `ui/`.

use std::path::{Path, PathBuf};

/// The folders of `src/` that hold one capability each.
const CAPABILITIES: [&str; 6] = ["region", "catalogue", "accounts", "vfu", "allocation", "forecast"];

/// What any capability may name under `crate::` besides itself.
const SHARED: [&str; 3] = ["http", "ui", "AppState"];

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The names a file reaches under `crate::`: `crate::a::b` gives `a`, `crate::{a, b::c}` gives
/// `a` and `b`. Comments are left out (doc links may name anything).
fn crate_roots(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let before = rest[..i].chars().last();
            rest = &rest[i + "crate::".len()..];
            // `$crate::` in macros and e.g. `kkig_crate::` are not this crate's paths.
            if before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                // A group may span lines; its first line is enough for the names that start there.
                let group = group.split('}').next().unwrap_or("");
                for part in group.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push((n + 1, name));
                    }
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.push((n + 1, name));
            }
        }
    }
    out
}

#[test]
fn every_rust_file_starts_with_a_doc_line() {
    let dir = crate_dir();
    let mut missing = Vec::new();
    for sub in ["src", "tests"] {
        for path in rust_files(&dir.join(sub)) {
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.starts_with("//!") {
                missing.push(path.strip_prefix(&dir).unwrap().display().to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "start each file with a `//!` line saying what it holds:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_capability_uses_another_capabilitys_module() {
    let src = crate_dir().join("src");
    let mut offenders = Vec::new();
    for cap in CAPABILITIES {
        for path in rust_files(&src.join(cap)) {
            let text = std::fs::read_to_string(&path).unwrap();
            for (line, name) in crate_roots(&text) {
                if name != cap && !SHARED.contains(&name.as_str()) {
                    offenders.push(format!(
                        "{}:{line}: crate::{name}",
                        path.strip_prefix(&src).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a capability uses only itself, crate::http, crate::ui and crate::AppState; move what two \
         capabilities share to http/ or ui/:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_checks_see_paths_and_groups() {
    let text = "use crate::vfu::api::R;\nuse crate::{http::auth, AppState};\n// crate::forecast in a comment\nlet x = $crate::ui::page::f();";
    let names: Vec<String> = crate_roots(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["vfu", "http", "AppState"]);
    // Every capability folder exists, so a renamed one cannot silently escape the check.
    for cap in CAPABILITIES {
        assert!(crate_dir().join("src").join(cap).is_dir(), "src/{cap}");
    }
}
