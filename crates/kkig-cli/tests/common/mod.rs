//! What the CLI test binaries share: running `kkig` on a database and reading what it said.

use std::process::{Command, Output};

/// `kkig --database-url DB ARGS…` with logging at `warn`, ignoring any KKIG_DATABASE_URL, to
/// run or to spawn.
pub fn command(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kkig"));
    c.env_remove("KKIG_DATABASE_URL")
        .env("KKIG_LOG", "warn")
        .arg("--database-url")
        .arg(db)
        .args(args);
    c
}

/// Run [`command`] to its end.
pub fn kkig(db: &str, args: &[&str]) -> Output {
    command(db, args).output().unwrap()
}

/// Standard output followed by standard error, as text.
pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
