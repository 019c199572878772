//! What every HTML page shares: the language, the layout's texts, the demo notice, and the
//! rendering of templates and error pages.

use std::sync::Arc;

use askama::Template;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fluent_bundle::FluentValue;
use kkig_store::UserRecord;
use serde::Deserialize;
use tower_sessions::Session;

use crate::http::auth::MaybeUser;
use crate::ui::i18n::{format_int, I18n, Lang};
use crate::AppState;

const LANG_KEY: &str = "lang";

/// The layout's view of a request: language, current path, and whether demo data is shown.
#[derive(Clone)]
pub struct Chrome {
    pub lang: Lang,
    i18n: Arc<I18n>,
    /// The request path, for the language switch and error messages.
    pub path: String,
    /// The query string without `lang`, for the language switch.
    pub query: String,
    /// Seed of the demo world when the database holds one: every page then says so.
    pub demo_seed: Option<u64>,
    /// The signed-in user, for the header.
    pub user: Option<ChromeUser>,
}

#[derive(Clone)]
pub struct ChromeUser {
    pub name: String,
    pub is_admin: bool,
}

impl Chrome {
    /// A translated text.
    pub fn t(&self, key: &str) -> String {
        self.i18n.message(self.lang, key, &[])
    }

    /// A translated text with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.i18n
            .message(self.lang, key, &[(name, FluentValue::from(value.to_string()))])
    }

    /// A translated text with two arguments.
    pub fn t2(&self, key: &str, n1: &str, v1: &str, n2: &str, v2: &str) -> String {
        self.i18n.message(
            self.lang,
            key,
            &[
                (n1, FluentValue::from(v1.to_string())),
                (n2, FluentValue::from(v2.to_string())),
            ],
        )
    }

    /// A translated text with any number of arguments.
    pub fn i18n_args(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = args.iter().map(|(k, v)| (*k, FluentValue::from(v.clone()))).collect();
        self.i18n.message(self.lang, key, &args)
    }

    /// A translated text with typed arguments (numbers select plural forms).
    pub fn message(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.i18n.message(self.lang, key, args)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn other_lang_code(&self) -> &'static str {
        self.lang.other().code()
    }

    /// The current page (with its query, e.g. a search) in the other language.
    pub fn switch_href(&self) -> String {
        if self.query.is_empty() {
            format!("{}?lang={}", self.path, self.lang.other().code())
        } else {
            format!("{}?{}&lang={}", self.path, self.query, self.lang.other().code())
        }
    }

    /// The request path for people: percent-decoded.
    pub fn display_path(&self) -> String {
        let bytes = self.path.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    pub fn int(&self, n: i64) -> String {
        format_int(self.lang, n)
    }

    pub fn demo_seed_text(&self) -> String {
        self.demo_seed.map(|s| s.to_string()).unwrap_or_default()
    }

    pub fn is_current(&self, href: &str) -> bool {
        self.path == href
    }
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let asked = Query::<LangQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.lang)
            .and_then(|l| Lang::parse(&l));
        let lang = match asked {
            Some(lang) => {
                // Remember the choice for the following pages; a failing session store only
                // costs the memory of the choice, never the page.
                if let Err(e) = session.insert(LANG_KEY, lang).await {
                    tracing::warn!(error = %e, "could not store language in session");
                }
                lang
            }
            None => session.get::<Lang>(LANG_KEY).await.ok().flatten().unwrap_or_default(),
        };
        let demo_seed = state.overview().await.ok().and_then(|o| o.demo_seed);
        let user = MaybeUser::from_request_parts(parts, state)
            .await?
            .0
            .map(|(u, _)| ChromeUser {
                name: u.name.clone(),
                is_admin: u.role == kkig_core::access::Role::Admin,
            });
        let query = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .collect::<Vec<_>>()
            .join("&");
        Ok(Chrome {
            lang,
            i18n: state.i18n.clone(),
            path: parts.uri.path().to_string(),
            query,
            demo_seed,
            user,
        })
    }
}

/// A public page that is the same for every visitor, rendered from `template` and kept per
/// data version for anonymous visitors ([`crate::ui::public_cache::public_page`]).
pub async fn render_public<T: Template>(
    state: &crate::AppState,
    chrome: &Chrome,
    template: impl FnOnce() -> T,
) -> Response {
    crate::ui::public_cache::public_page(state, chrome, async move { render(StatusCode::OK, &template()) }).await
}

fn template_failed(e: askama::Error) -> Response {
    tracing::error!(error = %e, "template failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!doctype html><html lang=\"sv\"><title>Fel</title><h1>Något gick fel / Something went wrong</h1></html>"
                .to_string(),
        ),
    )
        .into_response()
}

/// Render a template as a page with `status`; a failing template becomes the error page.
pub fn render<T: Template>(status: StatusCode, template: &T) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => template_failed(e),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub time: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub title: String,
    pub message: String,
}

/// 403 with a readable page.
pub fn forbidden(chrome: Chrome) -> Response {
    let (title, message) = (chrome.t("forbidden-title"), chrome.t("forbidden-text"));
    render(StatusCode::FORBIDDEN, &MessagePage { chrome, title, message })
}

/// The signed-in user, or the response that sends the visitor to the login page.
pub fn signed_in(chrome: &Chrome, me: MaybeUser) -> Result<UserRecord, Response> {
    me.0.map(|(u, _)| u).ok_or_else(|| login_redirect(chrome))
}

/// The signed-in user who may read `target` (e.g. the administration's pages); the login page
/// for a visitor, 403 for anyone else.
pub fn signed_in_reading(
    chrome: &Chrome,
    me: MaybeUser,
    target: &kkig_core::access::Target,
) -> Result<UserRecord, Response> {
    let user = signed_in(chrome, me)?;
    if user.principal().may(kkig_core::access::Action::Read, target) {
        Ok(user)
    } else {
        Err(forbidden(chrome.clone()))
    }
}

/// A date and time for people, in UTC.
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// Send a visitor who is not signed in to the login page, and back here afterwards.
pub fn login_redirect(chrome: &Chrome) -> Response {
    let next = form_urlencoded_path(&chrome.path);
    axum::response::Redirect::to(&format!("/logga-in?next={next}")).into_response()
}

fn form_urlencoded_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The 404 page with a specific message.
pub fn not_found(chrome: Chrome, message: String) -> Response {
    let title = chrome.t("not-found-title");
    render(StatusCode::NOT_FOUND, &MessagePage { chrome, title, message })
}

/// Any other path: the 404 page.
pub async fn fallback(chrome: Chrome) -> Response {
    let msg = chrome.t1("not-found-text", "path", &chrome.display_path());
    not_found(chrome, msg)
}

/// The page shown when the database fails: 503, a readable message, the time to report.
pub fn unavailable(chrome: Chrome, error: &dyn std::fmt::Display) -> Response {
    let time = time::OffsetDateTime::now_utc();
    let time = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        time.year(),
        time.month() as u8,
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    );
    tracing::error!(error = %error, at = %time, "page failed");
    render(StatusCode::SERVICE_UNAVAILABLE, &ErrorPage { chrome, time })
}

/// What a page handler answers: the page, or an error page made on the way (`?`).
pub type PageResult<T = Response> = Result<T, PageError>;

/// A page that ends a handler early (the login redirect, a 403, 404 or 503 page), answered as
/// it is.
#[derive(Debug)]
pub struct PageError(Response);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0
    }
}

/// A step that answers `Result<T, Response>` (e.g. [`signed_in`]) ends the handler with its
/// response through `?`.
impl From<Response> for PageError {
    fn from(response: Response) -> Self {
        Self(response)
    }
}

/// The value of a store call (or of anything else the page needs from the data), or the
/// "database unavailable" page: `state.store.sites().await.or_unavailable(&chrome)?`.
pub trait OrUnavailable<T> {
    fn or_unavailable(self, chrome: &Chrome) -> PageResult<T>;
}

impl<T, E: std::fmt::Display> OrUnavailable<T> for Result<T, E> {
    fn or_unavailable(self, chrome: &Chrome) -> PageResult<T> {
        self.map_err(|e| PageError(unavailable(chrome.clone(), &e)))
    }
}

/// The 404 page for the requested path.
pub(crate) fn nf(chrome: &Chrome) -> Response {
    not_found(
        chrome.clone(),
        chrome.t1("not-found-text", "path", &chrome.display_path()),
    )
}
