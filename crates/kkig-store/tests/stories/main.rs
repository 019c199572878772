//! The store's stories: what each capability does with the database, in one test binary, run
//! on every backend available (SQLite always; PostgreSQL when KKIG_TEST_DATABASE_URL is set).
//! One module per capability, named as in every crate; `.ci/run` runs this whole binary on
//! PostgreSQL, so a new capability's story needs only its `mod` line here.

use kkig_core::Kommunkod;
use kkig_store::prelude::*;
use kkig_store::SqlStore;

mod accounts;
mod allocation;
mod catalogue;
mod db;
mod forecast;
mod region;
mod sync;
mod vfu;

pub fn code(s: &str) -> Kommunkod {
    Kommunkod::parse(s).unwrap()
}

/// Audit rows of one entity and action so far.
pub async fn audit_count(s: &SqlStore, entity: &str, action: &str) -> usize {
    s.audit_since(0, i64::MAX)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.entity == entity && e.action == action)
        .count()
}
