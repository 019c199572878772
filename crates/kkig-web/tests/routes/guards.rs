//! The route list itself: every write route declares the op it performs, every op is
//! performed by a route, and an op's page and API routes ask the rule book the same question.
//! The table below is a snapshot, so a new write route shows up in review with its check.

use std::collections::BTreeMap;

use kkig_web::guard::Check;
use kkig_web::{route_table, Op, Surface};

#[test]
fn every_write_route_declares_its_op_and_every_op_has_a_route() {
    let table = route_table();
    assert!(table.len() > 100, "the table lists every route ({} found)", table.len());
    for r in &table {
        match r.method {
            "GET" => assert!(
                r.op.is_none(),
                "GET {} declares op {:?}: reads change nothing",
                r.path,
                r.op
            ),
            _ => assert!(
                r.op.is_some(),
                "{} {} changes state but declares no op",
                r.method,
                r.path
            ),
        }
    }
    for op in Op::ALL {
        assert!(
            table.iter().any(|r| r.op == Some(op)),
            "{op:?} is an op no route performs"
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    for r in &table {
        assert!(
            seen.insert((r.method, r.path.clone())),
            "{} {} is registered twice",
            r.method,
            r.path
        );
    }
}

/// Each op with its one check, and the page and API routes that perform it. A page route and
/// an API route that do the same thing declare the same op, so they cannot disagree; an op
/// done on one surface only is listed so that a missing page (or API route) is visible.
#[test]
fn ops_with_their_check_and_routes() {
    let mut by_op: BTreeMap<Op, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for r in route_table() {
        let Some(op) = r.op else { continue };
        let entry = by_op.entry(op).or_default();
        let line = format!("{} {}", r.method, r.path);
        match r.surface {
            Surface::Page => entry.0.push(line),
            Surface::Api => entry.1.push(line),
        }
    }
    let mut out = String::new();
    for (op, (pages, api)) in &by_op {
        let check = match op.check() {
            Check::Open => "open (a password or secret link, or one's own session)".to_string(),
            Check::OwnAccount => "own account".to_string(),
            Check::Write(kind) => format!("Principal::may(Write, {kind:?})"),
        };
        out.push_str(&format!("{op:?}: {check}\n"));
        for p in pages {
            out.push_str(&format!("  page {p}\n"));
        }
        for a in api {
            out.push_str(&format!("  api  {a}\n"));
        }
    }
    insta::assert_snapshot!(out);
}

/// Routes come only from `guard::Routes`: no file of kkig-web registers a route of its own,
/// so no write can be added without declaring its op.
#[test]
fn routes_are_registered_only_through_the_guarded_builder() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for entry in walk(&src) {
        if entry.ends_with("guard.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains(".route(") || code.contains("axum::routing") || code.contains(".route_service(") {
                offenders.push(format!("{}:{}: {}", entry.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "register routes with guard::Routes (get/post/put/delete with an Op):\n{}",
        offenders.join("\n")
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
