//! Signing in: password hashes (argon2id), secrets for tokens and links, the current user from
//! the session or a bearer token, and the CSRF check on state-changing requests.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kkig_core::ids::UserId;
use kkig_core::privacy::hash_token;
use kkig_store::{Actor, UserRecord};
use tower_sessions::Session;

use crate::AppState;

/// The session key holding the signed-in user's id.
pub const USER_KEY: &str = "user_id";

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 12;

/// An argon2id hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
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
///
/// A request that carries a bearer token is authenticated by that token alone, never by the
/// session cookie: an invalid or expired token makes it anonymous. Any other `Authorization`
/// scheme (a proxy's `Basic` credentials, say) is ignored here, and the session counts.
#[derive(Clone)]
pub struct MaybeUser(pub Option<(UserRecord, Via)>);

/// The token of an `Authorization: Bearer TOKEN` header (the scheme name in any case), or
/// None when the header is missing or names another scheme.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim_start();
    let (scheme, token) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The enabled user of a live API token.
async fn token_user(state: &AppState, token: &str) -> Result<Option<UserRecord>, Response> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    state
        .store
        .user_for_token(&hash_token(token), now)
        .await
        .map_err(|e| crate::http::error::ApiError::from(e).into_response())
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(cached) = parts.extensions.get::<MaybeUser>() {
            return Ok(cached.clone());
        }
        let found = if let Some(token) = bearer_token(&parts.headers) {
            token_user(state, token).await?.map(|u| (u, Via::Token))
        } else if let Some(session) = parts.extensions.get::<Session>().cloned() {
            match session.get::<UserId>(USER_KEY).await.ok().flatten() {
                Some(id) => match state.store.user_by_id(&id).await {
                    Ok(u) => u.filter(|u| !u.disabled).map(|u| (u, Via::Session)),
                    Err(e) => return Err(crate::http::error::ApiError::from(e).into_response()),
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

/// The signed-in user of an API request; without a session or a valid bearer token the
/// request is answered 401 in JSON before the handler runs.
pub struct ApiUser(pub UserRecord);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeUser(me) = MaybeUser::from_request_parts(parts, state).await?;
        me.map(|(u, _)| ApiUser(u))
            .ok_or_else(|| crate::http::error::unauthorized().into_response())
    }
}

/// The user as the actor of an audited write.
pub fn actor(u: &UserRecord) -> Actor {
    Actor::user(&u.id)
}

/// Refuse state-changing requests that a browser sent on behalf of another site.
///
/// Only a request authenticated by a valid bearer token passes unchecked (a browser never
/// adds one by itself); the guard resolves the token and leaves the [`MaybeUser`] in the
/// request for the handler. A request with an invalid or expired bearer token is refused with
/// 401 (it is authenticated by that token alone, never by a cookie it may also carry). Every
/// other state-changing request — anonymous, with a session cookie, or with another
/// `Authorization` scheme (which a browser may well add by itself, e.g. a proxy's Basic
/// credentials) — must come from this site: `Sec-Fetch-Site: same-origin` (or `none`, typed by
/// the user), or, from browsers without Fetch Metadata, an `Origin` whose host is this `Host`.
/// A request with neither is refused with 403.
pub async fn csrf_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !changes_state {
        return next.run(req).await;
    }
    if let Some(token) = bearer_token(req.headers()) {
        return match token_user(&state, token).await {
            Err(res) => res,
            Ok(Some(user)) => {
                req.extensions_mut().insert(MaybeUser(Some((user, Via::Token))));
                next.run(req).await
            }
            Ok(None) => invalid_token(req.uri().path()),
        };
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
            return crate::http::error::ApiError::new(StatusCode::FORBIDDEN, "request refused: a state-changing request needs a valid API token (Authorization: Bearer TOKEN), or must come from kkig's own pages (Origin / Sec-Fetch-Site)")
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

/// 401 for a state-changing request whose bearer token is unknown, expired or revoked.
fn invalid_token(path: &str) -> Response {
    let message = "the API token (Authorization: Bearer) is unknown, expired or revoked";
    if path.starts_with("/api/") {
        return crate::http::error::ApiError::new(StatusCode::UNAUTHORIZED, message).into_response();
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "API-nyckeln (Authorization: Bearer) är okänd, har gått ut eller återkallats. / The API token (Authorization: Bearer) is unknown, expired or revoked.",
    )
        .into_response()
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
    fn bearer_tokens_by_scheme_name_in_any_case() {
        let cases: [(Option<&str>, Option<&str>); 10] = [
            (Some("Bearer kkig_abc"), Some("kkig_abc")),
            (Some("bearer kkig_abc"), Some("kkig_abc")),
            (Some("BEARER   kkig_abc  "), Some("kkig_abc")),
            (Some("Bearer\tkkig_abc"), Some("kkig_abc")),
            // A bearer header without a token is a (worthless) token, not a cookie request.
            (Some("Bearer"), Some("")),
            (Some("Basic dXNlcjpwYXNz"), None),
            (Some("Digest username=\"x\""), None),
            (Some("Bearerkkig_abc"), None),
            (Some(""), None),
            (None, None),
        ];
        for (value, want) in cases {
            let mut headers = axum::http::HeaderMap::new();
            if let Some(v) = value {
                headers.insert(header::AUTHORIZATION, v.parse().unwrap());
            }
            assert_eq!(bearer_token(&headers), want, "{value:?}");
        }
    }

    #[test]
    fn secrets_are_random_hex() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
