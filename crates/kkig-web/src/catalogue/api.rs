//! The catalogue's JSON API: search (`GET /api/v1/offerings`), one offering, and how many
//! programmes each participating municipality reaches (`GET /api/v1/reachability`).

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kkig_core::catalogue::Offering;
use kkig_core::WebUrl;
use serde::Serialize;
use utoipa::ToSchema;

use super::index::{Loaded, ParamError, SearchParams};
use super::pages::{known, parse_days, regional_rows, DaysParam};
use crate::http::error::ApiError;
use crate::http::openapi::{BadRequest, NotFound};
use crate::AppState;

/// One offering in the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferingHit<'a> {
    #[serde(flatten)]
    #[schema(inline)]
    pub offering: OfferingRecord<'a>,
    /// Relevance score (0 without text or when sorted by travel).
    pub score: f32,
    /// One-way minutes from `home` to the meeting place (when `home` is given).
    pub one_way_minutes: Option<i64>,
    /// On-site meetings per term × round trip, minutes (when `home` is given).
    pub travel_minutes_per_term: Option<i64>,
}

// Borrows from the catalogue: a page of hits is written without copying the offerings.
/// An offering as the API shows it (Susa-navet's event + education info + provider).
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferingRecord<'a> {
    pub id: &'a str,
    pub education_id: &'a str,
    pub provider_id: &'a str,
    pub provider_name: &'a str,
    pub title: &'a str,
    pub code: &'a str,
    /// hs, yh, komvux or fhsk.
    pub school_type: &'static str,
    pub level: &'a str,
    pub credits: f64,
    pub credit_system: &'a str,
    pub pace_percent: u32,
    pub start: &'a str,
    pub end: &'a str,
    pub language: &'a str,
    /// distance, campus or blended.
    pub form: &'static str,
    /// Study sites as `kommunkod:town`.
    pub sites: Vec<String>,
    pub meetings_per_term: u32,
    pub meeting_days: u32,
    /// Where meetings are held, `kommunkod:town`.
    pub meeting_place: Option<String>,
    pub application_opens: Option<&'a str>,
    pub application_closes: Option<&'a str>,
    /// Where to apply: an http(s) address, or null (also when the stored text is not one).
    #[schema(value_type = Option<String>)]
    pub application_url: Option<WebUrl>,
    /// SSYK 2012 codes.
    pub occupations: Vec<String>,
    pub eligibility: &'a str,
}

impl<'a> From<&'a Offering> for OfferingRecord<'a> {
    fn from(o: &'a Offering) -> Self {
        let site = |s: &kkig_core::catalogue::StudySite| format!("{}:{}", s.municipality, s.town);
        OfferingRecord {
            id: &o.id,
            education_id: &o.education_id,
            provider_id: &o.provider_id,
            provider_name: &o.provider_name,
            title: &o.title,
            code: &o.code,
            school_type: o.school_type.as_str(),
            level: &o.level,
            credits: o.credits,
            credit_system: &o.credit_system,
            pace_percent: o.pace_percent,
            start: &o.start,
            end: &o.end,
            language: &o.language,
            form: o.form.as_str(),
            sites: o.sites.iter().map(site).collect(),
            meetings_per_term: o.meetings.per_term,
            meeting_days: o.meetings.days_each,
            meeting_place: o.meeting_place().map(site),
            application_opens: o.application_opens.as_deref(),
            application_closes: o.application_closes.as_deref(),
            application_url: o.application_link(),
            occupations: o.occupations.iter().map(|s| s.to_string()).collect(),
            eligibility: &o.eligibility,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferingPage<'a> {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
    pub hits: Vec<OfferingHit<'a>>,
}

pub(super) fn param_errors(errs: Vec<ParamError>) -> ApiError {
    ApiError::bad_request(
        errs.iter()
            .map(|e| format!("{}: {}", e.param, e.message))
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Search the catalogue: the same parameters and semantics as the page `/utbildning`.
#[utoipa::path(get, path = "/api/v1/offerings", tag = "catalogue", params(SearchParams),
    responses((status = 200, body = OfferingPage), (status = 400, description = "A parameter is wrong; the message names it", body = crate::http::error::ErrorBody)))]
pub async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, ApiError> {
    let overview = state.overview().await?;
    let loaded = state.catalogue().await?;
    let q = params.to_query(known(&overview)).map_err(param_errors)?;
    let r = loaded.catalogue.search(&q, &loaded.travel).map_err(|e| {
        if e.is_bad_query() {
            ApiError::bad_request(e.to_string())
        } else {
            tracing::error!(error = %e, "search failed");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "search failed")
        }
    })?;
    Ok(([(header::CONTENT_TYPE, "application/json")], page_json(&loaded, &r)).into_response())
}

/// The `OfferingPage` JSON of a result, from each offering's kept JSON (`Loaded::record_json`)
/// and the hit's own fields: the same bytes serde writes for `OfferingPage` (tested).
pub(crate) fn page_json(loaded: &Loaded, r: &kkig_search::SearchResult<'_>) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(128 + r.hits.len() * 1024);
    let _ = write!(
        out,
        r#"{{"total":{},"page":{},"per_page":{},"pages":{},"hits":["#,
        r.total,
        r.page,
        r.per_page,
        r.pages()
    );
    let opt = |v: Option<i64>| v.map_or_else(|| "null".to_string(), |v| v.to_string());
    for (i, h) in r.hits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let record = loaded.record_json(h);
        // The record's fields, then the hit's (serde's flatten puts them in this order).
        out.push_str(record.strip_suffix('}').unwrap_or(&record));
        let score = serde_json::to_string(&h.score).unwrap_or_else(|_| "null".into());
        let _ = write!(
            out,
            r#","score":{score},"one_way_minutes":{},"travel_minutes_per_term":{}}}"#,
            opt(h.reach.as_ref().map(|r| r.one_way_minutes)),
            opt(h.reach.as_ref().map(|r| r.burden_minutes_per_term))
        );
    }
    out.push_str("]}");
    out
}

/// One offering by id.
#[utoipa::path(get, path = "/api/v1/offerings/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "Offering (event) id")),
    responses((status = 200, body = OfferingRecord), NotFound))]
pub async fn api_offering(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let loaded = state.catalogue().await?;
    loaded
        .catalogue
        .get(&id)
        .map(|o| Json(OfferingRecord::from(o)).into_response())
        .ok_or_else(|| ApiError::not_found(format!("no offering {id}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReachabilityRow {
    pub code: String,
    pub name: String,
    pub teacher: usize,
    pub nurse: usize,
    pub social_work: usize,
}

/// Per participating municipality: programmes leading to each shortage occupation that can be
/// taken with at most `days` travel days per term.
#[utoipa::path(get, path = "/api/v1/reachability", tag = "catalogue", params(DaysParam),
    responses((status = 200, body = [ReachabilityRow]), BadRequest))]
pub async fn api_reachability(
    State(state): State<AppState>,
    Query(p): Query<DaysParam>,
) -> Result<Json<Vec<ReachabilityRow>>, ApiError> {
    let days = parse_days(&p).map_err(ApiError::bad_request)?;
    let overview = state.overview().await?;
    let loaded = state.catalogue().await?;
    Ok(Json(
        regional_rows(&overview, &loaded, days)
            .into_iter()
            .map(|r| ReachabilityRow {
                code: r.code,
                name: r.name,
                teacher: r.teacher,
                nurse: r.nurse,
                social_work: r.social_work,
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kkig_core::Kommunkod;
    use kkig_search::{generate, Catalogue, SearchQuery, Sort};

    /// What serde writes for the page: the reference for `page_json`.
    fn serde_page(r: &kkig_search::SearchResult<'_>) -> String {
        serde_json::to_string(&OfferingPage {
            total: r.total,
            page: r.page,
            per_page: r.per_page,
            pages: r.pages(),
            hits: r
                .hits
                .iter()
                .map(|h| OfferingHit {
                    offering: OfferingRecord::from(h.offering),
                    score: h.score,
                    one_way_minutes: h.reach.as_ref().map(|r| r.one_way_minutes),
                    travel_minutes_per_term: h.reach.as_ref().map(|r| r.burden_minutes_per_term),
                })
                .collect(),
        })
        .unwrap()
    }

    #[test]
    fn page_json_is_what_serde_writes() {
        let g = generate::generate(400, 11);
        let catalogue = Catalogue::build(g.offerings.clone(), &g.occupation_areas).unwrap();
        let loaded = Loaded::new(1, catalogue, g.travel.clone(), g.occupation_areas.clone(), Vec::new());
        let home = Some(Kommunkod::parse(generate::TOWNS[0].0).unwrap());
        let queries = [
            SearchQuery::default(),
            SearchQuery::text("sjuksköterska"),
            SearchQuery {
                home,
                ..SearchQuery::text("lärare distans")
            },
            SearchQuery {
                home,
                sort: Sort::Travel,
                per_page: 50,
                ..Default::default()
            },
            SearchQuery {
                text: Some("nothing-matches-this".into()),
                ..Default::default()
            },
        ];
        for q in queries {
            let r = loaded.catalogue.search(&q, &loaded.travel).unwrap();
            // Twice: the first writes each record, the second uses the kept ones.
            for _ in 0..2 {
                let got = page_json(&loaded, &r);
                assert_eq!(got, serde_page(&r), "{q:?}");
                serde_json::from_str::<serde_json::Value>(&got).unwrap();
            }
        }
    }
}
