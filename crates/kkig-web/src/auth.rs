//! Signing in: password hashes (argon2id), secrets for tokens and links, the current user from
//! the session or a bearer token, and the CSRF check on state-changing requests.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kkig_core::privacy::hash_token;
use kkig_store::UserRecord;
use tower_sessions::Session;

use crate::AppState;

/// The session key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// An argon2id hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches the stored hash. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A random secret of 32 bytes as 64 hex digits (API tokens, password links).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The prefix of API tokens, so that leaked tokens are recognisable.
pub const TOKEN_PREFIX: &str = "kkig_";

/// How a request is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Session,
    Token,
}

/// The signed-in user of a request, if any: from `Authorization: Bearer` or the session.
#[derive(Clone)]
pub struct MaybeUser(pub Option<(UserRecord, Via)>);

fn bearer(parts: &Parts) -> Option<&str> {
    parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<MaybeUser>() {
            return Ok(cached.clone());
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let found = if let Some(token) = bearer(parts) {
            match state.store.user_for_token(&hash_token(token), now).await {
                Ok(u) => u.map(|u| (u, Via::Token)),
                Err(e) => return Err(crate::error::ApiError::from(e).into_response()),
            }
        } else if let Some(session) = parts.extensions.get::<Session>().cloned() {
            match session.get::<String>(USER_KEY).await.ok().flatten() {
                Some(id) => match state.store.user_by_id(&id).await {
                    Ok(u) => u.filter(|u| !u.disabled).map(|u| (u, Via::Session)),
                    Err(e) => return Err(crate::error::ApiError::from(e).into_response()),
                },
                None => None,
            }
        } else {
            None
        };
        let me = MaybeUser(found);
        parts.extensions.insert(me.clone());
        Ok(me)
    }
}

/// Refuse state-changing requests that a browser sent on behalf of another site.
///
/// Requests with a bearer token are not ambient (a browser never adds one by itself) and pass.
/// Others must come from this site: `Sec-Fetch-Site: same-origin` (or `none`, typed by the
/// user), or, from browsers without Fetch Metadata, an `Origin` whose host is this `Host`.
/// A request with neither is refused.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !changes_state || req.headers().contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    let h = req.headers();
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin_host = h
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(|o| o.split_once("://").map(|(_, rest)| rest).unwrap_or(o).to_string());
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let ok = match (site, origin_host, host) {
        (Some("same-origin") | Some("none"), _, _) => true,
        (Some(_), _, _) => false,
        (None, Some(origin), Some(host)) => origin == host,
        _ => false,
    };
    if ok {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
        if req.uri().path().starts_with("/api/") {
            return crate::error::ApiError {
                status: StatusCode::FORBIDDEN,
                message: "request refused: a state-changing request needs Authorization: Bearer TOKEN, or must come from kkig's own pages (Origin / Sec-Fetch-Site)".into(),
            }
            .into_response();
        }
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Förfrågan avvisades: den kom inte från kkig självt. / Request refused: it did not come from kkig itself (Origin / Sec-Fetch-Site).",
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip_and_salted() {
        let h1 = hash_password("korrekt häst batteri").unwrap();
        let h2 = hash_password("korrekt häst batteri").unwrap();
        assert!(h1.starts_with("$argon2id$"), "{h1}");
        assert_ne!(h1, h2, "salted");
        assert!(verify_password("korrekt häst batteri", &h1));
        assert!(!verify_password("korrekt hast batteri", &h1));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_random_hex() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
