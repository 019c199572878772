//! The `kkig` binary as users run it: exit codes, one-line errors, exports, demo loading.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn kkig() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kkig"));
    c.env_remove("KKIG_DATABASE_URL")
        .env("KKIG_LOG", "warn")
        .env_remove("RUST_BACKTRACE");
    c
}

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("kkig.db").display())
}

fn run(args: &[&str], db: &str) -> Output {
    kkig().arg("--database-url").arg(db).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An error is one line starting with "error: ", with no panic or backtrace.
fn assert_one_line_error(o: &Output, want: &str) {
    assert!(!o.status.success(), "should fail: {}", stderr(o));
    let err = stderr(o);
    let lines: Vec<_> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected:\n{err}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(want), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
}

#[test]
fn help_explains_every_command() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["demo", "--help"],
        &["export", "municipalities", "--help"],
    ] {
        let o = kkig().args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("Usage: kkig"), "{args:?}: {out}");
    }
    let o = kkig().args(["serve", "--help"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    for flag in ["--addr", "--database-url", "--demo"] {
        assert!(out.contains(flag), "serve --help lacks {flag}");
    }
}

#[test]
fn migrate_then_demo_is_idempotent_and_export_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    assert!(run(&["migrate"], &db).status.success());
    assert!(run(&["migrate"], &db).status.success(), "migrate twice");
    let o = run(&["demo"], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["demo"], &db);
    assert!(o.status.success(), "demo twice is a no-op: {}", stderr(&o));
    let o = run(&["demo", "--seed", "7"], &db);
    assert_one_line_error(&o, "already holds the demo world of seed 2025");

    let json = run(&["export", "municipalities", "--format", "json"], &db);
    assert!(json.status.success(), "{}", stderr(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 23);
    assert_eq!(v[0]["code"], "2506");

    let csv_path = dir.path().join("kommuner.csv");
    let o = run(
        &[
            "export",
            "municipalities",
            "--format",
            "csv",
            "--output",
            csv_path.to_str().unwrap(),
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read(&csv_path).unwrap();
    assert!(csv.starts_with("\u{feff}code;name;county_code".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains("2422;Sorsele;24;Västerbottens län;Sorsele;65,5333;17,5333;2387;2023;participant\r\n"),
        "{text}"
    );

    let xlsx_path = dir.path().join("kommuner.xlsx");
    let o = run(
        &[
            "export",
            "municipalities",
            "--format",
            "xlsx",
            "-o",
            xlsx_path.to_str().unwrap(),
        ],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&std::fs::read(&xlsx_path).unwrap()[..2], b"PK");

    let o = run(&["export", "municipalities", "--format", "pdf"], &db);
    assert_eq!(o.status.code(), Some(2), "clap rejects unknown formats with exit 2");
}

#[test]
fn bad_database_urls_fail_with_one_clear_line() {
    let o = kkig()
        .args(["--database-url", "mysql://root@localhost/x", "migrate"])
        .output()
        .unwrap();
    assert_one_line_error(&o, "unsupported database URL \"mysql://root@localhost/x\"");

    let o = kkig()
        .args(["--database-url", "sqlite:///no/such/dir/kkig.db", "migrate"])
        .output()
        .unwrap();
    assert_one_line_error(&o, "cannot open database sqlite:///no/such/dir/kkig.db");

    // Unreachable PostgreSQL (nothing listens on port 1).
    let o = kkig()
        .args(["--database-url", "postgres://kkig@127.0.0.1:1/kkig", "migrate"])
        .output()
        .unwrap();
    assert_one_line_error(&o, "cannot open database postgres://kkig@127.0.0.1:1/kkig");

    // The environment variable works like the flag.
    let o = kkig()
        .env("KKIG_DATABASE_URL", "mysql://x")
        .arg("migrate")
        .output()
        .unwrap();
    assert_one_line_error(&o, "unsupported database URL \"mysql://x\"");
}

#[cfg(unix)]
#[test]
fn read_only_database_file_fails_with_one_clear_line() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    assert!(run(&["migrate"], &db).status.success());
    // A database from an older kkig with a pending migration cannot be written: simulate by a
    // read-only directory and file (root ignores permissions, so open read-only instead).
    let path = dir.path().join("kkig.db");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let ro = format!("sqlite://{}?mode=ro", path.display());
    let o = run(&["demo"], &ro);
    assert_one_line_error(&o, "readonly");
}

struct Server {
    child: std::process::Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(addr: &str, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

fn start(db: &str, port: u16, extra: &[&str]) -> Server {
    let addr = format!("127.0.0.1:{port}");
    let child = kkig()
        .args(["--database-url", db, "serve", "--addr", &addr])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let server = Server { child, addr };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http_get(&server.addr, "/health").is_some_and(|r| r.starts_with("HTTP/1.1 200")) {
            return server;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("server on {} did not become healthy", server.addr);
}

#[test]
fn serve_demo_answers_and_port_in_use_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let port = free_port();
    let server = start(&db, port, &["--demo"]);
    let res = http_get(&server.addr, "/api/v1/municipalities/2422").unwrap();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.contains("\"population\":2387"), "{res}");

    // A second server on the same port: one line, non-zero exit.
    let o = run(&["serve", "--addr", &server.addr], &db);
    assert_one_line_error(&o, &format!("cannot listen on {}", server.addr));
}

#[test]
fn trusted_proxies_are_networks_or_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let o = kkig()
        .args(["--database-url", &db, "serve", "--trusted-proxy", "10.0.0.0/33"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "a usage error: {}", stderr(&o));
    assert!(
        stderr(&o).contains("\"10.0.0.0/33\": the prefix length must be a number from 0 to 32"),
        "{}",
        stderr(&o)
    );
    let o = kkig()
        .args(["--database-url", &db, "serve"])
        .env("KKIG_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"proxy.example\" is not an IP address or network"),
        "{}",
        stderr(&o)
    );
    // Good ones serve, from the flag (repeated) and from the variable.
    let o = kkig().args(["serve", "--help"]).output().unwrap();
    assert!(
        stdout(&o).contains("--trusted-proxy <CIDR>") && stdout(&o).contains("KKIG_TRUSTED_PROXIES"),
        "{}",
        stdout(&o)
    );
    let server = start(
        &db,
        free_port(),
        &["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1"],
    );
    assert!(http_get(&server.addr, "/health").unwrap().starts_with("HTTP/1.1 200"));
}

#[cfg(unix)]
#[test]
fn sigterm_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let mut server = start(&db, free_port(), &[]);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
}

/// Two processes on one SQLite file: both start, both load (one loads, one finds it loaded),
/// and the file stays intact.
#[test]
fn two_processes_on_one_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    assert!(run(&["migrate"], &db).status.success());
    let spawn = || {
        kkig()
            .args(["--database-url", &db, "demo"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    let a_srv = start(&db, free_port(), &[]);
    let b_srv = start(&db, free_port(), &[]);
    for s in [&a_srv, &b_srv] {
        let res = http_get(&s.addr, "/").unwrap();
        assert!(
            res.starts_with("HTTP/1.1 200") && res.contains("Demodata"),
            "{}",
            &res[..200.min(res.len())]
        );
    }
    let _: PathBuf = dir.path().join("kkig.db");
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn user_audit_and_privacy_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let run_b = |args: &[&str]| {
        kkig()
            .args(["--database-url", &db, "--base-url", "https://kkig.example.se/"])
            .args(args)
            .output()
            .unwrap()
    };

    let o = run_b(&[
        "user",
        "add",
        "--email",
        "Admin@Region.se",
        "--name",
        "Ada Admin",
        "--role",
        "admin",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("created admin@region.se (admin)"), "{out}");
    assert!(out.contains("https://kkig.example.se/losenord/"), "{out}");
    let secret = out.trim_end().rsplit('/').next().unwrap();
    assert_eq!(secret.len(), 64, "{out}");

    assert_one_line_error(
        &run_b(&[
            "user",
            "add",
            "--email",
            "admin@region.se",
            "--name",
            "X",
            "--role",
            "admin",
        ]),
        "already exists",
    );
    assert_one_line_error(
        &run_b(&["user", "add", "--email", "a@b.se", "--name", "X", "--role", "boss"]),
        "unknown role \"boss\"",
    );
    assert_one_line_error(
        &run_b(&[
            "user",
            "add",
            "--email",
            "a@b.se",
            "--name",
            "X",
            "--role",
            "municipality",
        ]),
        "role municipality needs --scope KOMMUNKOD",
    );
    assert_one_line_error(
        &run_b(&[
            "user",
            "add",
            "--email",
            "a@b.se",
            "--name",
            "X",
            "--role",
            "municipality",
            "--scope",
            "9999",
        ]),
        "not a kommunkod",
    );
    assert_one_line_error(
        &run_b(&[
            "user",
            "add",
            "--email",
            "not-an-email",
            "--name",
            "X",
            "--role",
            "regional",
        ]),
        "is not an e-mail address",
    );
    let o = run_b(&[
        "user",
        "add",
        "--email",
        "kim@sorsele.se",
        "--name",
        "Kim Kommun",
        "--role",
        "municipality",
        "--scope",
        "2422",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));

    let list = stdout(&run_b(&["user", "list"]));
    assert!(
        list.contains("admin@region.se") && list.contains("no password yet"),
        "{list}"
    );
    let kim_line = list.lines().find(|l| l.starts_with("kim@sorsele.se")).unwrap();
    let kim_person = kim_line
        .split_whitespace()
        .find(|w| w.starts_with("p-"))
        .unwrap()
        .to_string();

    let o = run_b(&["user", "reset-link", "KIM@sorsele.se"]);
    assert!(
        o.status.success() && stdout(&o).starts_with("https://kkig.example.se/losenord/"),
        "{}",
        stdout(&o)
    );
    assert_one_line_error(
        &run_b(&["user", "reset-link", "nobody@x.se"]),
        "no account with e-mail nobody@x.se",
    );
    let o = run_b(&["user", "disable", "kim@sorsele.se"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&run_b(&["user", "list"]))
        .lines()
        .any(|l| l.starts_with("kim@sorsele.se") && l.contains("disabled")));

    let audit = stdout(&run_b(&["audit", "--since", "2000-01-01"]))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        audit.contains("cli create person") && audit.contains("cli create user"),
        "{audit}"
    );
    assert_one_line_error(
        &run_b(&["audit", "--since", "yesterday"]),
        "--since \"yesterday\" is not a date YYYY-MM-DD",
    );
    let json_lines = stdout(&run_b(&["audit", "--since", "2000-01-01", "--json"]));
    for line in json_lines.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["action"].is_string());
    }

    // Export: everything on the person, as JSON; then erase: gone everywhere.
    let o = run_b(&["privacy", "export", "--person", &kim_person]);
    assert!(o.status.success(), "{}", stderr(&o));
    let export: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(export["person"]["name"], "Kim Kommun");
    assert_eq!(export["accounts"][0]["scope"], "2422");
    let o = run_b(&["privacy", "erase", "--person", &kim_person]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_one_line_error(
        &run_b(&["privacy", "export", "--person", &kim_person]),
        &format!("no person {kim_person}"),
    );
    let audit = stdout(&run_b(&["audit", "--since", "2000-01-01"]));
    assert!(
        !audit.contains("Kim Kommun") && !audit.contains("kim@sorsele.se"),
        "{audit}"
    );
    assert!(audit.contains("erase"), "{audit}");

    let o = run_b(&["privacy", "retention"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("0 student(s) due for erasure (24 months); dry run"),
        "{}",
        stdout(&o)
    );
    let o = run_b(&["privacy", "retention", "--apply", "--months", "6"]);
    assert!(stdout(&o).contains("erased 0 student(s)"), "{}", stdout(&o));
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../kkig-formats/tests/fixtures")
        .join(name)
}

#[test]
fn import_offerings_is_idempotent_and_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let csv = fixture("offerings-sv-excel.csv");
    // Susa-navet EMIL 3 list pages as the API serves them, and an updatedSince page after them.
    let susa: Vec<String> = [
        "susa-emil3-providers.json",
        "susa-emil3-infos.json",
        "susa-emil3-events.json",
    ]
    .iter()
    .map(|f| fixture(f).display().to_string())
    .collect();
    let updated = fixture("susa-emil3-events-updated.json").display().to_string();

    // A file with one bad row: exit 2, the row is named, nothing is written.
    let good = std::fs::read_to_string(&csv).unwrap();
    let bad_path = dir.path().join("bad.csv");
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[1] = lines[1].replace(";2026-09-07;", ";2027-09-07;"); // start after end
    std::fs::write(&bad_path, lines.join("\r\n")).unwrap();
    let o = run(&["import", "offerings", bad_path.to_str().unwrap()], &db);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("rejected: ") && err.contains("row 2"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");

    // The good file: everything is new (so the bad import wrote nothing) ...
    let o = run(&["import", "offerings", csv.to_str().unwrap()], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(" created, 0 updated, 0 unchanged, 0 removed, 0 rejected"),
        "{out}"
    );
    assert!(!out.contains(": 0 created"), "{out}");
    // ... and importing it twice changes nothing.
    let o = run(&["import", "offerings", csv.to_str().unwrap()], &db);
    assert!(stdout(&o).contains(": 0 created, 0 updated, "), "{}", stdout(&o));

    // --skip-invalid writes the valid rows and reports the rest.
    let o = run(
        &["import", "offerings", "--skip-invalid", bad_path.to_str().unwrap()],
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 rejected"), "{}", stdout(&o));

    // Susa-navet JSON, twice: the three pages of a full import join into seven offerings.
    let pages: Vec<&str> = susa.iter().map(String::as_str).collect();
    let o = run(&[&["import", "offerings"][..], &pages].concat(), &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(": 7 created, 0 updated, 0 unchanged, 0 removed, 0 rejected"),
        "{}",
        stdout(&o)
    );
    let o = run(&[&["import", "offerings"][..], &pages].concat(), &db);
    assert!(
        stdout(&o).contains(": 0 created, 0 updated, 7 unchanged"),
        "{}",
        stdout(&o)
    );
    // The updatedSince page read after them: the changed event is updated, the cancelled and
    // the deleted event are removed (and so no longer searchable).
    let o = run(
        &[&["import", "offerings"][..], &pages, &[updated.as_str()]].concat(),
        &db,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(": 0 created, 1 updated, 4 unchanged, 2 removed, 0 rejected"),
        "{}",
        stdout(&o)
    );
    // Alone, its changed event cannot be joined: nothing is written.
    let o = run(&["import", "offerings", updated.as_str()], &db);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("which is not among the records read"),
        "{}",
        stderr(&o)
    );

    // Malformed JSON and a missing file: exit 2.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"content\": [").unwrap();
    assert_eq!(
        run(&["import", "offerings", broken.to_str().unwrap()], &db)
            .status
            .code(),
        Some(2)
    );
    let o = run(&["import", "offerings", "/no/such/file.csv"], &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /no/such/file.csv"), "{}", stderr(&o));
}

#[test]
fn import_offerings_warns_of_urls_that_are_not_http_and_imports_the_offering() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let good = std::fs::read_to_string(fixture("offerings-sv-excel.csv")).unwrap();
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(';').collect();
    let col = header
        .iter()
        .position(|h| *h == "application_url")
        .expect("an application_url column");
    let mut cells: Vec<String> = lines[1].split(';').map(String::from).collect();
    cells[col] = "javascript:alert(1)".into();
    lines[1] = cells.join(";");
    let path = dir.path().join("links.csv");
    std::fs::write(&path, lines.join("\r\n")).unwrap();
    let o = run(&["import", "offerings", path.to_str().unwrap()], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let want = format!(
        "warning: {}, row 2, column application_url: application URL \"javascript:alert(1)\" is not stored",
        path.display()
    );
    assert!(err.contains(&want), "{err}");
    let out = stdout(&o);
    assert!(
        out.contains(" created, 0 updated, 0 unchanged, 0 removed, 0 rejected, 1 warning"),
        "{out}"
    );
}

#[test]
fn import_travel_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let db = db_url(dir.path());
    let path = dir.path().join("restider.csv");
    std::fs::write(&path, "\u{feff}from;to;minutes\r\n2422;2480;240\r\n2422;2481;95\r\n").unwrap();
    let o = run(&["import", "travel", path.to_str().unwrap()], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 measured travel times"), "{}", stdout(&o));
    // any of Sweden's municipalities, e.g. Stockholm; 2499 is none
    std::fs::write(&path, "from;to;minutes\r\n2422;0180;600\r\n").unwrap();
    let o = run(&["import", "travel", path.to_str().unwrap()], &db);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(&path, "from;to;minutes\r\n2422;2499;240\r\n").unwrap();
    let o = run(&["import", "travel", path.to_str().unwrap()], &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("kommunkod 2499 not known"), "{}", stderr(&o));
    std::fs::write(&path, "from;to;minutes\r\n2422;2480;-5\r\n").unwrap();
    let o = run(&["import", "travel", path.to_str().unwrap()], &db);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("row 2"), "{}", stderr(&o));
}
