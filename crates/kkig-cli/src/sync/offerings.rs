//! `kkig sync offerings`: Susa-navet's EMIL 3 lists over HTTPS, stored as
//! `kkig import offerings --skip-invalid` stores files.
//!
//! The first sync (or `--full`) reads every page of the three lists. After a successful one, a
//! sync reads only what changed: the lists' `updatedSince` pages from a day before the last
//! success (the overlap makes up for clocks and time zones; what is unchanged is reported as
//! such), then what those pages need besides themselves, record by record:
//! - the events of a changed info or provider that the store holds and the pages do not (their
//!   offerings carry the info's title and the provider's name),
//! - the infos and providers of the changed events that the pages do not hold.
//!
//! A record the API no longer has (404) is left out; the events that needed it are reported as
//! invalid and keep their offering as it was. Deleted records and cancelled events on the
//! `updatedSince` pages remove their offerings.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use kkig_store::prelude::*;
use kkig_store::SqlStore;

use super::http::{check_url, client, get, get_record, Got};
use crate::progress::{Progress, Report};

/// Susa-navet's EMIL 3 API.
pub const SUSA_URL: &str = "https://api.skolverket.se/susa-navet/emil3";

/// The lists of the EMIL 3 API, in the order they are read (providers, infos, events).
const LISTS: [&str; 3] = ["educationProviders", "educationInfos", "educationEvents"];

/// How far before the last success an incremental sync asks from.
const OVERLAP_SECONDS: i64 = 24 * 60 * 60;

#[derive(Args, Clone)]
pub struct OfferingsSyncArgs {
    /// The API's base URL (its lists are `{url}/educationProviders`, `…/educationInfos`,
    /// `…/educationEvents`).
    #[arg(long, env = "KKIG_SUSA_URL", default_value = SUSA_URL)]
    pub url: String,
    /// The school types to fetch (C_SchoolType), repeatable.
    #[arg(long = "school-type", default_values_t = ["HS".to_string(), "YH".to_string()])]
    pub school_types: Vec<String>,
    /// Records per page (the API allows 1–2000).
    #[arg(long, default_value_t = PAGE_SIZE)]
    pub size: u32,
    /// Stop (and write nothing) when a list has more pages than this.
    #[arg(long, default_value_t = MAX_PAGES)]
    pub max_pages: u32,
    /// Seconds to wait for each answer.
    #[arg(long, default_value_t = TIMEOUT)]
    pub timeout: u64,
    /// Read the full lists even when an earlier sync succeeded.
    #[arg(long, conflicts_with = "since")]
    pub full: bool,
    /// Read what changed since this time (`2026-04-20` or `2026-04-20T11:39:21`) instead of
    /// since the last successful sync.
    #[arg(long)]
    pub since: Option<String>,
}

const PAGE_SIZE: u32 = 500;
const MAX_PAGES: u32 = 1000;
const TIMEOUT: u64 = 60;

/// As the command line's defaults give them (for the schedule inside `kkig serve`).
impl Default for OfferingsSyncArgs {
    fn default() -> Self {
        Self {
            url: SUSA_URL.into(),
            school_types: vec!["HS".into(), "YH".into()],
            size: PAGE_SIZE,
            max_pages: MAX_PAGES,
            timeout: TIMEOUT,
            full: false,
            since: None,
        }
    }
}

/// The files fetched, each named by what it is ("educationEvents page 0").
type Files = Vec<(String, Vec<u8>)>;

/// Fetch and store: everything, or what changed since `--since` or the last success.
pub async fn offerings(store: &SqlStore, args: &OfferingsSyncArgs, report: &Report) -> anyhow::Result<String> {
    let client = client(Duration::from_secs(args.timeout))?;
    let base = check_url(args.url.trim_end_matches('/'))?;
    let since = match (&args.since, args.full) {
        (Some(s), _) => Some(checked_since(s)?),
        (None, true) => None,
        (None, false) => last_success(store).await?.map(|t| updated_since(t - OVERLAP_SECONDS)),
    };
    let progress = Progress::new(base.as_str(), "pages").reporting(report);
    let fetched = match &since {
        None => fetch_lists(&client, &base, args, None, &progress).await,
        Some(since) => fetch_changes(store, &client, &base, args, since, &progress).await,
    };
    progress.finish();
    let files = fetched?;
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let parsed = kkig_formats::parse_susa_files(&refs);
    let name = match &since {
        None => base.to_string(),
        Some(s) => format!("{base} (changes since {s})"),
    };
    crate::store_offerings(store, &name, parsed, true).await
}

async fn last_success(store: &SqlStore) -> anyhow::Result<Option<i64>> {
    Ok(store
        .sync_runs()
        .await?
        .into_iter()
        .find(|r| r.source == super::Source::Offerings.as_str())
        .and_then(|r| r.last_ok_at))
}

/// `updatedSince` as the API takes it: `YYYY-MM-DDTHH:MM:SS` (UTC here).
fn updated_since(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `--since`: a date or a date and time as the API takes them.
fn checked_since(s: &str) -> anyhow::Result<String> {
    let s = s.trim();
    let date = time::macros::format_description!("[year]-[month]-[day]");
    let date_time = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    if time::Date::parse(s, &date).is_ok() || time::PrimitiveDateTime::parse(s, &date_time).is_ok() {
        Ok(s.to_string())
    } else {
        Err(super::http::input_error(format!(
            "--since {s:?}: expected a date such as 2026-04-20 or a time such as 2026-04-20T11:39:21"
        )))
    }
}

/// Every page of every list (`updatedSince` when given).
async fn fetch_lists(
    client: &reqwest::Client,
    base: &reqwest::Url,
    args: &OfferingsSyncArgs,
    since: Option<&str>,
    progress: &Progress,
) -> anyhow::Result<Files> {
    let mut files = Vec::new();
    for list in LISTS {
        let mut page = 0u32;
        loop {
            if page >= args.max_pages {
                anyhow::bail!("{list} has more than {} pages; nothing was imported", args.max_pages);
            }
            let mut url = reqwest::Url::parse(&format!("{}/{list}", base.as_str().trim_end_matches('/')))?;
            {
                let mut q = url.query_pairs_mut();
                for t in &args.school_types {
                    q.append_pair("schoolType", t);
                }
                if let Some(since) = since {
                    q.append_pair("updatedSince", since);
                }
                q.append_pair("page", &page.to_string())
                    .append_pair("size", &args.size.to_string());
            }
            let bytes = get(client, &url, progress)
                .await
                .with_context(|| format!("{list} page {page}; nothing was imported"))?;
            let doc: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| anyhow::anyhow!("{url}: not JSON ({e}); nothing was imported"))?;
            let total_pages = doc
                .get("page")
                .and_then(|p| p.get("totalPages"))
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(1);
            let records = doc.get(list).and_then(serde_json::Value::as_array).map_or(0, Vec::len);
            progress.step(
                1,
                &format!("{list} page {} of {}: {records} records", page + 1, total_pages.max(1)),
            );
            files.push((format!("{list} page {page}"), bytes));
            page += 1;
            if u64::from(page) >= total_pages {
                break;
            }
        }
    }
    Ok(files)
}

/// The `updatedSince` pages, preceded by the records they need besides themselves (so that the
/// pages, read last, have the last word on every record they hold).
async fn fetch_changes(
    store: &SqlStore,
    client: &reqwest::Client,
    base: &reqwest::Url,
    args: &OfferingsSyncArgs,
    since: &str,
    progress: &Progress,
) -> anyhow::Result<Files> {
    let changes = fetch_lists(client, base, args, Some(since), progress).await?;
    let refs: Vec<(&str, &[u8])> = changes.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let links = kkig_formats::susa_links(&refs);
    let mut needed = Files::new();

    // The stored offerings of changed infos and providers whose events the pages do not hold.
    let on_pages: BTreeSet<&str> = links.events.iter().map(|e| e.id.as_str()).collect();
    let stale: BTreeSet<String> = store
        .offerings()
        .await?
        .into_iter()
        .filter(|o| links.infos.contains(&o.education_id) || links.providers.contains(&o.provider_id))
        .filter(|o| !on_pages.contains(o.id.as_str()))
        .map(|o| o.id)
        .collect();
    let mut events = links.events.clone();
    let fetched = fetch_records(client, base, "educationEvents", &stale, progress).await?;
    let stale_refs: Vec<(&str, &[u8])> = fetched.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    events.extend(kkig_formats::susa_links(&stale_refs).events);
    needed.extend(fetched);

    // The infos and providers of those events that the pages do not hold.
    let infos: BTreeSet<String> = events
        .iter()
        .filter_map(|e| e.info.clone())
        .filter(|i| !links.infos.contains(i))
        .collect();
    let providers: BTreeSet<String> = events
        .iter()
        .filter_map(|e| e.provider.clone())
        .filter(|p| !links.providers.contains(p))
        .collect();
    needed.extend(fetch_records(client, base, "educationInfos", &infos, progress).await?);
    needed.extend(fetch_records(client, base, "educationProviders", &providers, progress).await?);
    needed.extend(changes);
    Ok(needed)
}

/// `{base}/{list}/{id}` for each id; one the API no longer has (404) is left out.
async fn fetch_records(
    client: &reqwest::Client,
    base: &reqwest::Url,
    list: &str,
    ids: &BTreeSet<String>,
    progress: &Progress,
) -> anyhow::Result<Files> {
    let mut files = Files::new();
    for (n, id) in ids.iter().enumerate() {
        let mut url = base.clone();
        url.path_segments_mut()
            .map_err(|()| anyhow::anyhow!("{base} cannot be a base URL"))?
            .pop_if_empty()
            .push(list)
            .push(id);
        match get_record(client, &url, progress)
            .await
            .with_context(|| format!("{list}/{id}; nothing was imported"))?
        {
            Got::Body(bytes) => files.push((format!("{list}/{id}"), bytes)),
            Got::NotFound => progress.note(&format!("{list}/{id}: not found at the publisher; left out")),
        }
        progress.step(1, &format!("{list}: record {} of {}", n + 1, ids.len()));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updated_since_is_the_apis_date_and_time() {
        assert_eq!(updated_since(0), "1970-01-01T00:00:00");
        assert_eq!(updated_since(1_776_643_161), "2026-04-19T23:59:21");
    }

    #[test]
    fn since_takes_a_date_or_a_date_and_time() {
        for ok in ["2026-04-20", "2026-04-20T11:39:21", " 2026-04-20 "] {
            assert!(checked_since(ok).is_ok(), "{ok}");
        }
        for bad in ["", "2026-13-01", "20.4.2026", "2026-04-20 11:39", "yesterday"] {
            let e = checked_since(bad).unwrap_err();
            assert!(e.downcast_ref::<crate::InputError>().is_some(), "{bad}: {e}");
        }
    }
}
