//! The catalogue's search index and its parameters: kept in memory on each web node and rebuilt
//! when the store's catalogue version changes (checked at most every `CACHE_TTL`); the search
//! parameters of the page and the API, and the helpers both use.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use kkig_core::catalogue::{Offering, SchoolType, StudyForm, TravelTimes};
use kkig_core::region::{MunicipalityRole, OccupationArea};
use kkig_core::{Kommunkod, Position, Ssyk};
use kkig_search::{Catalogue, SearchQuery, Sort, StartTerm};
use kkig_store::{Store, StoreError};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

use crate::ui::overview::CACHE_TTL;

/// The search index and what it needs, for one catalogue version.
pub struct Loaded {
    pub version: i64,
    pub catalogue: Catalogue,
    pub travel: TravelTimes,
    pub areas: BTreeMap<Ssyk, OccupationArea>,
    /// The start terms offerings begin in (`HT2026`, …), in order, each with the last start
    /// date in it, for the term filter (a term whose every offering has started is not offered).
    pub start_terms: Vec<(String, String)>,
    /// Per offering (by ord): its API JSON, written the first time it is asked for. Offerings
    /// do not change while this catalogue lives, so neither does their JSON.
    record_json: Vec<OnceLock<Box<str>>>,
}

impl Loaded {
    pub fn new(
        version: i64,
        catalogue: Catalogue,
        travel: TravelTimes,
        areas: BTreeMap<Ssyk, OccupationArea>,
        start_terms: Vec<(String, String)>,
    ) -> Loaded {
        let record_json = (0..catalogue.len()).map(|_| OnceLock::new()).collect();
        Loaded {
            version,
            catalogue,
            travel,
            areas,
            start_terms,
            record_json,
        }
    }

    /// The API JSON object of the offering of `hit` (`OfferingRecord`).
    pub fn record_json(&self, hit: &kkig_search::Hit<'_>) -> Cow<'_, str> {
        // serde_json fails only on maps with non-string keys; a record has none.
        let write =
            || serde_json::to_string(&super::api::OfferingRecord::from(hit.offering)).expect("a record serialises");
        match self.record_json.get(hit.ord as usize) {
            Some(cell) => Cow::Borrowed(cell.get_or_init(|| write().into())),
            // Hits come from this catalogue, so this is not reached; were it, the JSON is
            // written and not kept.
            None => Cow::Owned(write()),
        }
    }
}

#[derive(Default)]
pub struct CatalogueCache {
    current: RwLock<Option<(Arc<Loaded>, Instant)>>,
    reloading: Mutex<()>,
}

impl CatalogueCache {
    /// The index for the store's current catalogue version (rebuilt when it changed).
    pub async fn get(&self, store: &Arc<dyn Store>) -> Result<Arc<Loaded>, StoreError> {
        if let Some((loaded, at)) = self.current.read().await.as_ref() {
            if at.elapsed() < CACHE_TTL {
                return Ok(loaded.clone());
            }
        }
        let _guard = self.reloading.lock().await;
        let previous = self.current.read().await.clone();
        if let Some((loaded, at)) = &previous {
            if at.elapsed() < CACHE_TTL {
                return Ok(loaded.clone());
            }
        }
        let version = store.catalogue_version().await?;
        if let Some((loaded, _)) = previous.filter(|(l, _)| l.version == version) {
            *self.current.write().await = Some((loaded.clone(), Instant::now()));
            return Ok(loaded);
        }
        let offerings = store.offerings().await?;
        let municipalities = store.municipalities().await?;
        let measured = store.travel_matrix().await?;
        let areas: BTreeMap<Ssyk, OccupationArea> = store
            .occupations()
            .await?
            .into_iter()
            .map(|o| (o.ssyk, o.area))
            .collect();
        let seats: BTreeMap<Kommunkod, Position> = municipalities.iter().map(|m| (m.code, m.position)).collect();
        let travel = TravelTimes {
            seats,
            measured: measured.into_iter().map(|(a, b, m)| ((a, b), m)).collect(),
            ..Default::default()
        };
        let areas_for_build = areas.clone();
        let catalogue = tokio::task::spawn_blocking(move || Catalogue::build(offerings, &areas_for_build))
            .await
            .map_err(|e| StoreError::Corrupt(format!("building the search index: {e}")))?
            .map_err(|e| StoreError::Corrupt(format!("building the search index: {e}")))?;
        let mut last_starts: BTreeMap<StartTerm, &str> = BTreeMap::new();
        for o in catalogue.iter() {
            if let Some(t) = StartTerm::of_date(&o.start) {
                let last = last_starts.entry(t).or_default();
                if o.start.as_str() > *last {
                    *last = o.start.as_str();
                }
            }
        }
        let start_terms = last_starts
            .into_iter()
            .map(|(t, last)| (t.to_string(), last.to_string()))
            .collect();
        let loaded = Arc::new(Loaded::new(version, catalogue, travel, areas, start_terms));
        *self.current.write().await = Some((loaded.clone(), Instant::now()));
        Ok(loaded)
    }
}

/// The parameters of a search, the same for the page and the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Free text in Swedish (stemmed, typo-tolerant).
    pub q: Option<String>,
    /// Home municipality (kommunkod): hits then carry the travel burden.
    pub home: Option<String>,
    /// `teacher`, `nurse` or `social_work`.
    pub area: Option<String>,
    /// `hs`, `yh`, `komvux` or `fhsk`.
    pub school_type: Option<String>,
    /// `leads` (programmes into a licensed occupation) or `requires` (further education for
    /// those already licensed or qualified).
    pub licence: Option<String>,
    /// `first_cycle` (grundnivå) or `second_cycle` (avancerad nivå).
    pub level: Option<String>,
    /// `full` (100 %), `part` (under 100 %) or a percentage.
    pub pace: Option<String>,
    /// `distance`, `campus` or `blended`.
    pub form: Option<String>,
    /// Maximum travel per term, in minutes (needs `home`).
    pub max_travel: Option<String>,
    /// Start term, e.g. `HT2026` or `VT2027`.
    pub term: Option<String>,
    /// `relevance` (default) or `travel` (needs `home`).
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<String>,
    /// Hits per page (1–1000, default 20).
    pub per_page: Option<String>,
}

/// A parameter that did not parse: which one and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub param: &'static str,
    /// In English, for the API.
    pub message: String,
    /// The page's message: a Fluent id taking `$value` (what was given).
    pub key: &'static str,
    pub value: String,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl SearchParams {
    /// The search these parameters ask for, or every parameter that is wrong.
    pub fn to_query(&self, known: impl Fn(Kommunkod) -> bool) -> Result<SearchQuery, Vec<ParamError>> {
        let mut errors = Vec::new();
        let mut err = |param: &'static str, key: &'static str, value: &str, message: String| {
            errors.push(ParamError {
                param,
                message,
                key,
                value: value.to_string(),
            })
        };
        // The words residents use ("ssk", "lärarutbildning", "distans") as the catalogue's.
        let asked = nonempty(&self.q)
            .map(kkig_core::catalogue::everyday_query)
            .unwrap_or_default();
        let mut q = SearchQuery {
            text: Some(asked.text).filter(|t| !t.trim().is_empty()),
            ..Default::default()
        };
        // The form and pace filters, when given, win over the words.
        if nonempty(&self.form).is_none() {
            q.form = asked.form;
        }
        if let (None, Some((lo, hi))) = (nonempty(&self.pace), asked.pace) {
            (q.min_pace, q.max_pace) = (Some(lo), Some(hi));
        }
        if let Some(h) = nonempty(&self.home) {
            match Kommunkod::parse(h) {
                Ok(k) if known(k) => q.home = Some(k),
                Ok(k) => err(
                    "home",
                    "search-bad-home-unknown",
                    h,
                    format!("kommunkod {k} is not a municipality kkig knows"),
                ),
                Err(e) => err("home", "search-bad-home", h, e.to_string()),
            }
        }
        if let Some(a) = nonempty(&self.area) {
            match OccupationArea::parse(a) {
                Some(a) => q.area = Some(a),
                None => err(
                    "area",
                    "search-bad-choice",
                    a,
                    format!("{a:?} is not one of teacher, nurse, social_work"),
                ),
            }
        }
        if let Some(t) = nonempty(&self.school_type) {
            match SchoolType::parse(t) {
                Some(t) => q.school_type = Some(t),
                None => err(
                    "school_type",
                    "search-bad-choice",
                    t,
                    format!("{t:?} is not one of hs, yh, komvux, fhsk"),
                ),
            }
        }
        if let Some(l) = nonempty(&self.licence) {
            match kkig_core::catalogue::Licence::parse(l) {
                Some(l) => q.licence = Some(l),
                None => err(
                    "licence",
                    "search-bad-choice",
                    l,
                    format!("{l:?} is not one of leads, requires"),
                ),
            }
        }
        if let Some(l) = nonempty(&self.level) {
            match kkig_core::catalogue::Level::parse(l) {
                Some(l) => q.level = Some(l),
                None => err(
                    "level",
                    "search-bad-choice",
                    l,
                    format!("{l:?} is not one of first_cycle, second_cycle"),
                ),
            }
        }
        if let Some(p) = nonempty(&self.pace) {
            match p {
                "full" => (q.min_pace, q.max_pace) = (Some(100), Some(100)),
                "part" => q.max_pace = Some(99),
                n => match n.parse::<u32>() {
                    Ok(n) if (1..=100).contains(&n) => (q.min_pace, q.max_pace) = (Some(n), Some(n)),
                    _ => err(
                        "pace",
                        "search-bad-pace",
                        n,
                        format!("{n:?} is not full, part or a percentage 1–100"),
                    ),
                },
            }
        }
        if let Some(f) = nonempty(&self.form) {
            match StudyForm::parse(f) {
                Some(f) => q.form = Some(f),
                None => err(
                    "form",
                    "search-bad-choice",
                    f,
                    format!("{f:?} is not one of distance, campus, blended"),
                ),
            }
        }
        if let Some(m) = nonempty(&self.max_travel) {
            match m.parse::<i64>() {
                Ok(m) if m >= 0 => q.max_travel_minutes_per_term = Some(m),
                _ => err(
                    "max_travel",
                    "search-bad-minutes",
                    m,
                    format!("{m:?} is not a number of minutes (0 or more)"),
                ),
            }
            if nonempty(&self.home).is_none() {
                err(
                    "max_travel",
                    "search-needs-home",
                    m,
                    "a travel limit needs a home municipality (home)".into(),
                );
            }
        }
        if let Some(t) = nonempty(&self.term) {
            match StartTerm::parse(t) {
                Some(t) => q.start_term = Some(t),
                None => err(
                    "term",
                    "search-bad-term",
                    t,
                    format!("{t:?} is not a term like HT2026 or VT2027"),
                ),
            }
        }
        match nonempty(&self.sort) {
            None | Some("relevance") => {}
            Some("travel") => {
                q.sort = Sort::Travel;
                if nonempty(&self.home).is_none() {
                    err(
                        "sort",
                        "search-needs-home",
                        "travel",
                        "sorting by travel needs a home municipality (home)".into(),
                    );
                }
            }
            Some(s) => err(
                "sort",
                "search-bad-choice",
                s,
                format!("{s:?} is not relevance or travel"),
            ),
        }
        if let Some(p) = nonempty(&self.page) {
            match p.parse::<usize>() {
                Ok(p) if p >= 1 => q.page = p,
                _ => err(
                    "page",
                    "search-bad-page",
                    p,
                    format!("{p:?} is not a page number (1 or more)"),
                ),
            }
        }
        if let Some(p) = nonempty(&self.per_page) {
            match p.parse::<usize>() {
                Ok(p) if (1..=kkig_search::MAX_PER_PAGE).contains(&p) => q.per_page = p,
                _ => err(
                    "per_page",
                    "search-bad-per-page",
                    p,
                    format!("{p:?} is not between 1 and {}", kkig_search::MAX_PER_PAGE),
                ),
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
    }

    /// The query string of these parameters with `page` replaced (for pagination links).
    pub fn query_string(&self, page: Option<usize>) -> String {
        let mut parts = Vec::new();
        let fields: [(&str, &Option<String>); 11] = [
            ("q", &self.q),
            ("home", &self.home),
            ("area", &self.area),
            ("school_type", &self.school_type),
            ("licence", &self.licence),
            ("level", &self.level),
            ("pace", &self.pace),
            ("form", &self.form),
            ("max_travel", &self.max_travel),
            ("term", &self.term),
            ("sort", &self.sort),
        ];
        for (k, v) in fields {
            if let Some(v) = nonempty(v) {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if let Some(p) = page {
            parts.push(format!("page={p}"));
        }
        parts.join("&")
    }
}

/// Percent-encoding for query values.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The nearest learning centre to a home municipality, with its one-way minutes.
pub fn nearest_centre<'a>(
    centres: &'a [kkig_store::LearningCentreEntry],
    home: Kommunkod,
    travel: &TravelTimes,
) -> Option<(&'a kkig_store::LearningCentreEntry, i64)> {
    centres
        .iter()
        .filter_map(|c| travel.minutes(home, c.centre.municipality).map(|m| (c, m)))
        .min_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.centre.id.cmp(&b.0.centre.id)))
}

/// The participating municipalities (for the regional table).
pub fn participants(overview: &crate::ui::overview::Overview) -> Vec<Kommunkod> {
    overview
        .municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .map(|m| m.code)
        .collect()
}

/// Every offering matching a query, for exports (at most `limit`).
pub fn all_matching<'a>(
    loaded: &'a Loaded,
    query: &SearchQuery,
    limit: usize,
) -> Result<Vec<&'a Offering>, kkig_search::SearchError> {
    let mut q = query.clone();
    q.page = 1;
    q.per_page = kkig_search::MAX_PER_PAGE;
    let mut out = Vec::new();
    loop {
        let r = loaded.catalogue.search(&q, &loaded.travel)?;
        let (n, pages) = (r.hits.len(), r.pages());
        out.extend(r.hits.into_iter().map(|h| h.offering));
        if n < q.per_page || out.len() >= limit || q.page >= pages {
            break;
        }
        q.page += 1;
    }
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_parse_and_name_every_error() {
        let known = |k: Kommunkod| k.to_string() != "0180";
        let ok = SearchParams {
            q: Some("sjuksköterska".into()),
            home: Some("2422".into()),
            pace: Some("part".into()),
            max_travel: Some("600".into()),
            term: Some("ht2026".into()),
            sort: Some("travel".into()),
            ..Default::default()
        };
        let q = ok.to_query(known).unwrap();
        assert_eq!(
            (q.max_pace, q.max_travel_minutes_per_term, q.sort),
            (Some(99), Some(600), Sort::Travel)
        );
        assert_eq!(q.start_term.unwrap().to_string(), "HT2026");

        let bad = SearchParams {
            home: Some("0180".into()),
            area: Some("doctor".into()),
            pace: Some("150".into()),
            form: Some("online".into()),
            page: Some("0".into()),
            ..Default::default()
        };
        let errs = bad.to_query(known).unwrap_err();
        let params: Vec<_> = errs.iter().map(|e| e.param).collect();
        assert_eq!(params, ["home", "area", "pace", "form", "page"]);
        let travel_without_home = SearchParams {
            max_travel: Some("60".into()),
            ..Default::default()
        };
        assert_eq!(travel_without_home.to_query(known).unwrap_err()[0].param, "max_travel");
    }

    #[test]
    fn query_strings_round_trip() {
        let p = SearchParams {
            q: Some("lärare åk 4".into()),
            home: Some("2422".into()),
            ..Default::default()
        };
        assert_eq!(p.query_string(Some(3)), "q=l%C3%A4rare+%C3%A5k+4&home=2422&page=3");
    }
}
