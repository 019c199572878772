//! What every HTTP answer shares, whichever capability it belongs to: API errors, signing in
//! and the current user, sessions, static assets, the client's address, safe redirects, and
//! the route table with the access check each write declares.

pub mod assets;
pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod error;
pub mod guard;
pub mod layers;
pub mod openapi;
pub mod redirect;
pub mod session;
