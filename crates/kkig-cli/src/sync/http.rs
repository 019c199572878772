//! The HTTP side of `kkig sync`: one client for the publishers' APIs (rustls, a timeout, kkig's
//! user agent), only http(s) URLs, and retries with backoff on the answers a retry can change.

use std::time::Duration;

use anyhow::Context;

use crate::progress::Progress;
use crate::InputError;

/// Attempts per request (the first and two retries).
const ATTEMPTS: u32 = 3;
/// The wait before the first retry; doubled before each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

pub(super) fn input_error(msg: String) -> anyhow::Error {
    anyhow::Error::new(InputError(msg))
}

/// An HTTP client for the publishers' APIs: rustls, a timeout, kkig's user agent.
pub(super) fn client(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("kkig/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot create the HTTP client")
}

/// Only http(s) URLs are fetched; anything else is the caller's mistake (exit 2).
pub(super) fn check_url(url: &str) -> anyhow::Result<reqwest::Url> {
    let parsed = reqwest::Url::parse(url).map_err(|e| input_error(format!("{url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(input_error(format!("{url:?}: only http and https URLs are fetched")));
    }
    Ok(parsed)
}

/// What a GET answered: the body, or that the publisher does not have it (404).
pub(super) enum Got {
    Body(Vec<u8>),
    NotFound,
}

/// GET `url` (or POST `body` as JSON to it), retrying with backoff on a network error, a 429 or
/// a 5xx (the answers a retry can change); a 404 is [`Got::NotFound`], any other non-success
/// status fails at once.
async fn send(
    client: &reqwest::Client,
    url: &reqwest::Url,
    body: Option<&serde_json::Value>,
    progress: &Progress,
) -> anyhow::Result<Got> {
    let mut wait = FIRST_BACKOFF;
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        let request = match body {
            None => client.get(url.clone()),
            Some(b) => client
                .post(url.clone())
                .header("content-type", "application/json")
                .body(b.to_string()),
        };
        match request.send().await {
            Ok(res) if res.status().is_success() => {
                let bytes = res.bytes().await.with_context(|| format!("reading {url}"))?;
                return Ok(Got::Body(bytes.to_vec()));
            }
            Ok(res) if res.status() == reqwest::StatusCode::NOT_FOUND => return Ok(Got::NotFound),
            Ok(res) if res.status().as_u16() == 429 || res.status().is_server_error() => {
                last = format!("HTTP {}", res.status());
            }
            Ok(res) => anyhow::bail!("{url} answered HTTP {}", res.status()),
            Err(e) => last = e.to_string(),
        }
        if attempt < ATTEMPTS {
            progress.note(&format!("{url}: {last}; trying again in {} ms", wait.as_millis()));
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    anyhow::bail!("{url} failed {ATTEMPTS} times; the last time: {last}")
}

/// POST `body` as JSON to `url` (with the retries of [`send`]); a 404 is an error.
pub(super) async fn post(
    client: &reqwest::Client,
    url: &reqwest::Url,
    body: &serde_json::Value,
    progress: &Progress,
) -> anyhow::Result<Vec<u8>> {
    match send(client, url, Some(body), progress).await? {
        Got::Body(b) => Ok(b),
        Got::NotFound => anyhow::bail!("{url} answered HTTP 404 Not Found"),
    }
}

/// GET `url` (with the retries of [`send`]); a 404 is an error.
pub(super) async fn get(client: &reqwest::Client, url: &reqwest::Url, progress: &Progress) -> anyhow::Result<Vec<u8>> {
    match send(client, url, None, progress).await? {
        Got::Body(b) => Ok(b),
        Got::NotFound => anyhow::bail!("{url} answered HTTP 404 Not Found"),
    }
}

/// GET one record that may be gone (404 is [`Got::NotFound`]).
pub(super) async fn get_record(
    client: &reqwest::Client,
    url: &reqwest::Url,
    progress: &Progress,
) -> anyhow::Result<Got> {
    send(client, url, None, progress).await
}
