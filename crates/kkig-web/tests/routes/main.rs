//! Route tests: every endpoint through the whole router (sessions, headers, fallbacks), on
//! SQLite and — when KKIG_TEST_DATABASE_URL is set — on PostgreSQL. One test binary, one
//! module per endpoint; JSON bodies and the OpenAPI document are insta snapshots.

mod common;

mod allocation;
mod allocation_pages;
mod api_municipalities;
mod api_other;
mod auth;
mod catalogue;
mod forecast;
mod guards;
mod health;
mod openapi;
mod pages;
mod public_cache;
mod scope_probe;
mod signin;
mod store_errors;
mod sync;
mod takeover;
mod vfu;
mod vfu_pages;
