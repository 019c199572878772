//! The workspace's tidy checks, run by `cargo test` (rust-analyzer's pattern): the code is
//! rustfmt-formatted, every source file opens with a `//!` line saying what it holds, and the
//! SQLite and PostgreSQL migrations define the same tables, columns (types mapped) and indexes.
//! `.ci/run` also runs `cargo fmt --check` and clippy with `-D warnings` directly.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn files_with_extension(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target" || n == "node_modules") {
                continue;
            }
            files_with_extension(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn the_workspace_is_formatted() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["fmt", "--all", "--check"])
        .current_dir(root())
        .output()
        .expect("run cargo fmt");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && (stderr.contains("not installed") || stderr.contains("no such command")) {
        // A toolchain without rustfmt (rustup's minimal profile); `.ci/run` checks it.
        eprintln!(
            "rustfmt is not installed here: formatting not checked ({})",
            stderr.trim()
        );
        return;
    }
    let diff: String = String::from_utf8_lossy(&out.stdout)
        .lines()
        .take(60)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        out.status.success(),
        "the code is not formatted; run `cargo fmt --all`:\n{diff}\n{stderr}"
    );
}

#[test]
fn every_source_file_opens_with_a_doc_line() {
    let mut files = Vec::new();
    files_with_extension(&root().join("crates"), "rs", &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|p| !std::fs::read_to_string(p).unwrap_or_default().starts_with("//!"))
        .map(|p| p.strip_prefix(root()).unwrap_or(p).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` line saying what they hold:\n{}",
        missing.join("\n")
    );
}

/// A schema as the migrations of one backend leave it: columns by table (with the kind of
/// value each holds), and the names of indexes with their table.
#[derive(Debug, Default, PartialEq)]
struct Schema {
    tables: BTreeMap<String, BTreeMap<String, &'static str>>,
    indexes: BTreeSet<(String, String)>,
}

/// The kind of value a column type holds, the same word for both backends' spellings.
fn kind(backend: &str, ty: &str, at: &str) -> &'static str {
    match (backend, ty.to_ascii_uppercase().as_str()) {
        (_, "TEXT") => "text",
        ("sqlite", "INTEGER" | "BIGINT") | ("postgres", "BIGINT" | "INTEGER" | "SMALLINT") => "integer",
        ("sqlite", "REAL") | ("postgres", "DOUBLE") => "float",
        ("sqlite", "BLOB") | ("postgres", "BYTEA") => "bytes",
        (b, t) => panic!("{at}: the column type {t} has no mapping for {b} in this check; add it"),
    }
}

/// The statements of a migration without comments, each trimmed.
fn statements(sql: &str) -> Vec<String> {
    let without_comments: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    without_comments
        .split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The parts of a column list separated by commas outside parentheses.
fn top_level_parts(body: &str) -> Vec<String> {
    let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
    for c in body.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn schema(backend: &str) -> Schema {
    let dir = root().join("crates/kkig-store/migrations").join(backend);
    let mut files = Vec::new();
    files_with_extension(&dir, "sql", &mut files);
    assert!(!files.is_empty(), "no migrations in {}", dir.display());
    let mut s = Schema::default();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for st in statements(&std::fs::read_to_string(&file).unwrap()) {
            let words: Vec<&str> = st.split(' ').collect();
            let upper: Vec<String> = words.iter().take(6).map(|w| w.to_ascii_uppercase()).collect();
            let up: Vec<&str> = upper.iter().map(String::as_str).collect();
            let at = format!("{backend}/{name}");
            match up.as_slice() {
                ["CREATE", "TABLE", ..] => {
                    let table = words[if up.get(2) == Some(&"IF") { 5 } else { 2 }]
                        .trim_end_matches('(')
                        .to_string();
                    let open = st
                        .find('(')
                        .unwrap_or_else(|| panic!("{at}: CREATE TABLE {table} without columns"));
                    let close = st.rfind(')').unwrap();
                    let mut columns = BTreeMap::new();
                    for part in top_level_parts(&st[open + 1..close]) {
                        let mut w = part.split(' ');
                        let (col, ty) = (w.next().unwrap(), w.next().unwrap_or(""));
                        if ["PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "CONSTRAINT"]
                            .contains(&col.to_ascii_uppercase().as_str())
                        {
                            continue;
                        }
                        columns.insert(col.to_string(), kind(backend, ty, &format!("{at}: {table}.{col}")));
                    }
                    s.tables.insert(table, columns);
                }
                ["ALTER", "TABLE", _, "ADD", "COLUMN", ..] => {
                    let (table, col, ty) = (words[2], words[5], words[6]);
                    let k = kind(backend, ty, &format!("{at}: {table}.{col}"));
                    s.tables
                        .get_mut(table)
                        .unwrap_or_else(|| panic!("{at}: ALTER TABLE {table} before it exists"))
                        .insert(col.to_string(), k);
                }
                ["ALTER", "TABLE", _, "DROP", "COLUMN", ..] => {
                    s.tables.get_mut(words[2]).map(|t| t.remove(words[5]));
                }
                ["ALTER", "TABLE", _, "RENAME", "TO", ..] => {
                    let (from, to) = (words[2], words[5]);
                    let columns = s
                        .tables
                        .remove(from)
                        .unwrap_or_else(|| panic!("{at}: ALTER TABLE {from} RENAME before it exists"));
                    s.tables.insert(to.to_string(), columns);
                    s.indexes = std::mem::take(&mut s.indexes)
                        .into_iter()
                        .map(|(i, t)| (i, if t == from { to.to_string() } else { t }))
                        .collect();
                }
                // constraints are not compared (their spelling differs between the backends)
                ["ALTER", "TABLE", _, "DROP", "CONSTRAINT", ..] | ["ALTER", "TABLE", _, "ADD", "CONSTRAINT", ..] => {}
                ["DROP", "TABLE", ..] => {
                    let table = words.last().unwrap();
                    s.tables.remove(*table);
                    s.indexes.retain(|(_, t)| t != table);
                }
                ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE", "INDEX", ..] => {
                    let on = words
                        .iter()
                        .position(|w| w.eq_ignore_ascii_case("ON"))
                        .unwrap_or_else(|| panic!("{at}: {st}"));
                    let name = words[on - 1];
                    let table = words[on + 1].split('(').next().unwrap();
                    s.indexes.insert((name.to_string(), table.to_string()));
                }
                ["DROP", "INDEX", ..] => {
                    let name = *words.last().unwrap();
                    s.indexes.retain(|(n, _)| n != name);
                }
                ["ALTER", ..] | ["CREATE", ..] | ["DROP", ..] => {
                    panic!("{at}: this check does not know the statement `{st}`; teach it")
                }
                _ => {} // data: INSERT, UPDATE, DELETE
            }
        }
    }
    s
}

#[test]
fn both_backends_migrations_define_the_same_schema() {
    let (sqlite, postgres) = (schema("sqlite"), schema("postgres"));
    assert!(sqlite.tables.len() > 20, "parsed only {} tables", sqlite.tables.len());
    let names = |backend: &str| -> BTreeSet<String> {
        let dir = root().join("crates/kkig-store/migrations").join(backend);
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect()
    };
    let (sqlite_files, postgres_files) = (names("sqlite"), names("postgres"));
    assert_eq!(
        sqlite_files, postgres_files,
        "each migration exists for both backends, with the same name"
    );
    for (table, columns) in &sqlite.tables {
        let Some(pg) = postgres.tables.get(table) else {
            panic!("table {table} is only in the SQLite migrations")
        };
        assert_eq!(
            columns, pg,
            "table {table}: columns and their kinds differ (left SQLite, right PostgreSQL)"
        );
    }
    for table in postgres.tables.keys() {
        assert!(
            sqlite.tables.contains_key(table),
            "table {table} is only in the PostgreSQL migrations"
        );
    }
    assert_eq!(
        sqlite.indexes, postgres.indexes,
        "indexes differ (left SQLite, right PostgreSQL)"
    );
}

#[test]
fn the_schema_check_sees_a_difference() {
    // The check itself: a column typed differently is a difference.
    let st = statements("CREATE TABLE t (a TEXT NOT NULL, b INTEGER CHECK (b IN (0, 1)), PRIMARY KEY (a));");
    assert_eq!(st.len(), 1);
    let parts = top_level_parts(&st[0][st[0].find('(').unwrap() + 1..st[0].rfind(')').unwrap()]);
    assert_eq!(
        parts,
        ["a TEXT NOT NULL", "b INTEGER CHECK (b IN (0, 1))", "PRIMARY KEY (a)"]
    );
    assert_ne!(kind("sqlite", "INTEGER", "t.b"), kind("postgres", "DOUBLE", "t.b"));
    assert_eq!(kind("sqlite", "REAL", "t.c"), kind("postgres", "DOUBLE", "t.c"));
}
