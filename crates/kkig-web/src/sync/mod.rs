//! Sync: the administrators' page on fetching data from its publishers (`kkig sync …` and the
//! schedule inside `kkig serve`): each source's last run and last success, and what a running
//! sync is doing, refreshed while one runs.

pub mod pages;

use crate::http::guard::{Routes, Surface};

/// The sync's pages.
pub fn page_routes() -> Routes {
    Routes::new(Surface::Page).get("/admin/synk", pages::status)
}
