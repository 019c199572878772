//! Pages of signing in and of one's own account: login, logout, password links, API tokens.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use kkig_core::privacy::hash_token;
use kkig_store::{Actor, SignInStart, TokenRecord, UserRecord};
use serde::Deserialize;
use tower_sessions::Session;

use crate::http::auth::{
    hash_password, new_secret, verify_password, MaybeUser, MIN_PASSWORD_LEN, TOKEN_PREFIX, USER_KEY,
};
use crate::http::clock::now;
use crate::http::redirect::{home_for, safe_next, see_other};
use crate::ui::page::{format_time, nf, not_found, render, signed_in, unavailable, Chrome, OrUnavailable, PageResult};
use crate::AppState;

/// The client's address (for sign-in throttling): the connection's, or the forwarded one
/// behind a trusted proxy (`crate::http::client_addr::client_ip`).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let client = crate::http::client_addr::client_ip(peer, &parts.headers, &state.config.trusted_proxies);
        Ok(ClientAddr(client.map_or_else(|| "unknown".into(), |ip| ip.to_string())))
    }
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub klart: Option<String>,
}

/// `next` if it is a path on this site (see [`safe_next`]), else empty.
fn next_path(next: Option<&str>) -> String {
    next.and_then(safe_next).unwrap_or_default().to_string()
}

pub async fn login_form(chrome: Chrome, Query(q): Query<LoginQuery>) -> Response {
    let notice = q.klart.is_some().then(|| chrome.t("login-password-set"));
    let next = next_path(q.next.as_deref());
    render(
        StatusCode::OK,
        &LoginPage {
            chrome,
            email: String::new(),
            next,
            error: None,
            notice,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    pub next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    chrome: Chrome,
    session: Session,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let email = form.email.trim().to_lowercase();
    let next = next_path(form.next.as_deref());
    // Check the limits and count this attempt as a failure, in one transaction (an attempt
    // that turns out right is taken back below): parallel attempts cannot all pass.
    let attempt = match state
        .store
        .begin_sign_in(&email, &addr, now())
        .await
        .or_unavailable(&chrome)?
    {
        SignInStart::Refused { retry_after } => return Ok(throttled(chrome, email, next, retry_after)),
        SignInStart::Check(attempt) => attempt,
    };
    let user = state.store.user_by_email(&email).await.or_unavailable(&chrome)?;
    let valid = match &user {
        Some(u) if !u.disabled => u
            .password_hash
            .as_deref()
            .is_some_and(|h| verify_password(&form.password, h)),
        _ => {
            // Spend the same time as a real check, so that timing does not reveal accounts.
            let _ = verify_password(&form.password, &DUMMY_HASH);
            false
        }
    };
    let Some(user) = user.filter(|_| valid) else {
        // The failure is recorded already. From an address over its own limit a wrong password
        // is answered "too many attempts" (a right one still signs in, see above).
        if let Some(retry_after) = attempt.address_limited {
            return Ok(throttled(chrome, email, next, retry_after));
        }
        let error = Some(chrome.t("login-failed"));
        return Ok(render(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                chrome,
                email,
                next,
                error,
                notice: None,
            },
        ));
    };
    state.store.sign_in_succeeded(&attempt).await.or_unavailable(&chrome)?;
    // A new session id at login: an id planted before login is worthless after it.
    if session.cycle_id().await.is_err() || session.insert(USER_KEY, &user.id).await.is_err() {
        return Err(unavailable(chrome, &"session store failed").into());
    }
    tracing::info!(user = %user.id, "signed in");
    // Only a path on this site is followed; without one, the role's home page.
    Ok(if next.is_empty() {
        see_other(&home_for(user.role, user.scope.as_deref()))
    } else {
        see_other(&next)
    })
}

/// 429 with `Retry-After` and the login form saying when to try again.
fn throttled(chrome: Chrome, email: String, next: String, retry_after: i64) -> Response {
    let minutes = ((retry_after + 59) / 60).to_string();
    let error = Some(chrome.t1("login-throttled", "minutes", &minutes));
    let mut res = render(
        StatusCode::TOO_MANY_REQUESTS,
        &LoginPage {
            chrome,
            email,
            next,
            error,
            notice: None,
        },
    );
    if let Ok(v) = retry_after.to_string().parse() {
        res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
    }
    res
}

/// A real argon2id hash of a random password, for refusals that take as long as real checks.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&new_secret()).unwrap_or_default());

pub async fn logout(session: Session) -> Response {
    let _ = session.flush().await;
    Redirect::to("/").into_response()
}

pub struct TokenView {
    pub id: String,
    pub name: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub status: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    pub user: UserRecord,
    pub role: String,
    pub tokens: Vec<TokenView>,
    pub new_token: Option<String>,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub form_name: String,
    pub form_days: String,
}

fn token_views(chrome: &Chrome, tokens: Vec<TokenRecord>) -> Vec<TokenView> {
    let t = now();
    tokens
        .into_iter()
        .map(|k| {
            let (status, active) = if k.revoked_at.is_some() {
                (chrome.t("token-revoked"), false)
            } else if k.expires_at <= t {
                (chrome.t("token-expired"), false)
            } else {
                (chrome.t("token-active"), true)
            };
            TokenView {
                id: k.id,
                name: k.name,
                created: format_time(k.created_at),
                expires: format_time(k.expires_at),
                last_used: k.last_used_at.map(format_time).unwrap_or_else(|| chrome.t("never")),
                status,
                active,
            }
        })
        .collect()
}

async fn account_page(
    state: &AppState,
    chrome: Chrome,
    user: UserRecord,
    status: StatusCode,
    extra: AccountExtra,
) -> PageResult {
    let tokens = token_views(&chrome, state.store.api_tokens(&user.id).await.or_unavailable(&chrome)?);
    let role = chrome.t(&format!("role-{}", user.role.as_str()));
    Ok(render(
        status,
        &AccountPage {
            role,
            tokens,
            new_token: extra.new_token,
            errors: extra.errors,
            notice: extra.notice,
            form_name: extra.form_name,
            form_days: extra.form_days.unwrap_or_else(|| "90".into()),
            user,
            chrome,
        },
    ))
}

#[derive(Default)]
struct AccountExtra {
    new_token: Option<String>,
    errors: Vec<String>,
    notice: Option<String>,
    form_name: String,
    form_days: Option<String>,
}

pub async fn account(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> PageResult {
    let user = signed_in(&chrome, me)?;
    account_page(&state, chrome, user, StatusCode::OK, AccountExtra::default()).await
}

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub days: String,
}

/// Check a token request; the errors are worded for the form.
pub fn check_token_form(chrome: &Chrome, name: &str, days: &str) -> Result<(String, i64), Vec<String>> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(chrome.t("error-token-name"));
    }
    let days = days.trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d));
    if days.is_none() {
        errors.push(chrome.t("error-token-days"));
    }
    match (errors.is_empty(), days) {
        (true, Some(d)) => Ok((name.to_string(), d)),
        _ => Err(errors),
    }
}

/// Create a token for `user`; returns the secret, shown once.
pub async fn issue_token(
    state: &AppState,
    user: &UserRecord,
    name: &str,
    days: i64,
) -> Result<String, kkig_store::StoreError> {
    let secret = format!("{TOKEN_PREFIX}{}", new_secret());
    let id = format!("t-{}", &new_secret()[..16]);
    state
        .store
        .create_api_token(
            &user.id,
            &id,
            name,
            &hash_token(&secret),
            now() + days * 86_400,
            &Actor::user(&user.id),
        )
        .await?;
    Ok(secret)
}

pub async fn create_token(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Form(form): Form<TokenForm>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    match check_token_form(&chrome, &form.name, &form.days) {
        Err(errors) => {
            let extra = AccountExtra {
                errors,
                form_name: form.name,
                form_days: Some(form.days),
                ..Default::default()
            };
            account_page(&state, chrome, user, StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Ok((name, days)) => {
            let secret = issue_token(&state, &user, &name, days).await.or_unavailable(&chrome)?;
            let extra = AccountExtra {
                new_token: Some(secret),
                ..Default::default()
            };
            account_page(&state, chrome, user, StatusCode::CREATED, extra).await
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(id): Path<String>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    let revoked = state
        .store
        .revoke_api_token(&user.id, &id, now(), &Actor::user(&user.id))
        .await
        .or_unavailable(&chrome)?;
    // Not this user's token (or already revoked): nothing to say about other users' tokens.
    if !revoked {
        return Err(nf(&chrome).into());
    }
    let extra = AccountExtra {
        notice: Some(chrome.t("token-revoked-done")),
        ..Default::default()
    };
    account_page(&state, chrome, user, StatusCode::OK, extra).await
}

#[derive(Template)]
#[template(path = "accounts/set_password.html")]
pub struct SetPasswordPage {
    pub chrome: Chrome,
    pub email: String,
    pub errors: Vec<String>,
}

pub async fn set_password_form(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(secret): Path<String>,
) -> PageResult {
    let Some(u) = state
        .store
        .password_reset_user(&hash_token(&secret), now())
        .await
        .or_unavailable(&chrome)?
    else {
        let msg = chrome.t("set-password-invalid");
        return Err(not_found(chrome, msg).into());
    };
    Ok(render(
        StatusCode::OK,
        &SetPasswordPage {
            chrome,
            email: u.email,
            errors: Vec::new(),
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct SetPasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub repeat: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(secret): Path<String>,
    Form(form): Form<SetPasswordForm>,
) -> PageResult {
    let hash = hash_token(&secret);
    let Some(user) = state
        .store
        .password_reset_user(&hash, now())
        .await
        .or_unavailable(&chrome)?
    else {
        let msg = chrome.t("set-password-invalid");
        return Err(not_found(chrome, msg).into());
    };
    let mut errors = Vec::new();
    if form.password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(chrome.t("error-password-short"));
    }
    if form.password != form.repeat {
        errors.push(chrome.t("error-password-mismatch"));
    }
    if !errors.is_empty() {
        return Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetPasswordPage {
                chrome,
                email: user.email,
                errors,
            },
        ));
    }
    let Ok(password_hash) = hash_password(&form.password) else {
        return Err(unavailable(chrome, &"password hashing failed").into());
    };
    if !state
        .store
        .use_password_reset(&hash, &password_hash, now())
        .await
        .or_unavailable(&chrome)?
    {
        let msg = chrome.t("set-password-invalid");
        return Err(not_found(chrome, msg).into());
    }
    Ok(Redirect::to("/logga-in?klart=1").into_response())
}
