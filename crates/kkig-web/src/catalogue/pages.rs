//! The catalogue's pages: the search page (`/utbildning`), exports, pathway pages, the regional
//! table.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use kkig_core::catalogue::{
    application_closed, has_started, pathway, reachable_counts, Offering, PathwayItem, Reach, SchoolType, StudyForm,
};
use kkig_core::region::OccupationArea;
use kkig_core::vfu::views::vfu_near_home;
use kkig_core::{Kommunkod, WebUrl};

use super::api::param_errors;
use super::index::{all_matching, nearest_centre, participants, Loaded, SearchParams};
use crate::http::error::ApiError;
use crate::ui::become_form::{pathway_links, BecomeForm};
use crate::ui::i18n::format_int;
use crate::ui::page::{not_found, render, unavailable, Chrome, OrUnavailable, PageResult};
use crate::ui::public_cache::public_page;
use crate::AppState;

/// Most offerings in one export.
const EXPORT_LIMIT: usize = 10_000;

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn options(current: &Option<String>, items: Vec<(String, String)>) -> Vec<SelectOption> {
    let cur = current.as_deref().unwrap_or("");
    items
        .into_iter()
        .map(|(value, label)| SelectOption {
            selected: value == cur,
            value,
            label,
        })
        .collect()
}

/// Each code with its text in the page's language (the text's key is `prefix` + code).
fn labelled<'a>(chrome: &Chrome, codes: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<(String, String)> {
    codes
        .map(|c| (c.to_string(), chrome.t(&format!("{prefix}{c}"))))
        .collect()
}

pub struct OfferingView {
    pub id: String,
    pub title: String,
    pub provider: String,
    pub school_type: String,
    pub form: String,
    pub credits: String,
    pub pace: String,
    pub period: String,
    pub sites: String,
    pub meetings: String,
    pub travel: Option<String>,
    pub closes: Option<String>,
    /// The application's last day has passed.
    pub closed: bool,
    /// The application link, only when the stored text is an http(s) address.
    pub url: Option<WebUrl>,
    /// The pathway pages from the home municipality of the occupations the offering leads to.
    pub pathways: Vec<(String, String)>,
    /// "grundnivå", "avancerad nivå", … as imported (may be empty).
    pub level: String,
    /// "Leder till legitimation" / "Kräver legitimation", for programmes of the shortage areas.
    pub licence: Option<String>,
}

/// What an offering's view needs besides the offering: today, and the home municipality with
/// the occupations' areas (for the pathway links).
struct ViewContext<'a> {
    today: String,
    home: Option<(Kommunkod, &'a str)>,
    areas: &'a std::collections::BTreeMap<kkig_core::Ssyk, OccupationArea>,
}

fn offering_view(chrome: &Chrome, o: &Offering, reach: Option<&Reach>, ctx: &ViewContext<'_>) -> OfferingView {
    let place = o
        .meeting_place()
        .map(|p| {
            if p.town.is_empty() {
                p.municipality.to_string()
            } else {
                p.town.clone()
            }
        })
        .unwrap_or_default();
    OfferingView {
        id: o.id.clone(),
        title: o.title.clone(),
        provider: o.provider_name.clone(),
        school_type: chrome.t(&format!("school-type-{}", o.school_type.as_str())),
        form: chrome.t(&format!("form-{}", o.form.as_str())),
        credits: format!(
            "{} {}",
            crate::ui::i18n::format_decimal(chrome.lang, o.credits, if o.credits.fract() == 0.0 { 0 } else { 1 }),
            o.credit_system
        ),
        pace: format!("{} %", o.pace_percent),
        period: format!("{} – {}", o.start, o.end),
        sites: o
            .sites
            .iter()
            .map(|s| {
                if s.town.is_empty() {
                    s.municipality.to_string()
                } else {
                    s.town.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        meetings: if o.meetings.per_term == 0 {
            chrome.t("offering-meetings-none")
        } else {
            chrome.message(
                "offering-meetings-value",
                &[
                    ("count", FluentValue::from(o.meetings.per_term)),
                    ("days", FluentValue::from(o.meetings.days_each)),
                    ("place", FluentValue::from(place)),
                ],
            )
        },
        travel: reach.map(|r| {
            if r.burden_minutes_per_term == 0 {
                chrome.t("offering-travel-none")
            } else {
                chrome.message(
                    "offering-travel-value",
                    &[("hours", FluentValue::from(hours(r.burden_minutes_per_term)))],
                )
            }
        }),
        closes: o.application_closes.clone().filter(|c| !c.is_empty()),
        closed: application_closed(o, &ctx.today),
        url: o.application_link(),
        level: o.level.clone(),
        licence: kkig_core::catalogue::Licence::of(o, ctx.areas)
            .map(|l| chrome.t(&format!("licence-tag-{}", l.as_str()))),
        pathways: match ctx.home {
            None => Vec::new(),
            Some((home, home_name)) => pathway_links(
                chrome,
                o.areas(ctx.areas)
                    .into_iter()
                    .filter(|a| kkig_core::catalogue::leads_to(o, *a, ctx.areas)),
                home,
                home_name,
            ),
        },
    }
}

#[derive(Template)]
#[template(path = "catalogue/catalogue.html")]
pub struct CataloguePage {
    pub chrome: Chrome,
    pub params: SearchParams,
    pub homes: Vec<SelectOption>,
    pub areas: Vec<SelectOption>,
    pub school_types: Vec<SelectOption>,
    pub licences: Vec<SelectOption>,
    pub levels: Vec<SelectOption>,
    pub paces: Vec<SelectOption>,
    pub forms: Vec<SelectOption>,
    pub travels: Vec<SelectOption>,
    pub terms: Vec<SelectOption>,
    pub sorts: Vec<SelectOption>,
    pub errors: Vec<String>,
    pub total: String,
    pub page_text: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub hits: Vec<OfferingView>,
    pub home_name: String,
    pub centre: Option<String>,
    pub export_query: String,
    pub searched: bool,
    pub become_form: BecomeForm,
    /// On zero hits for several words: the same search without the last word (text, query).
    pub suggestion: Option<(String, String)>,
}

/// "Nearest learning centre from X: NAME in TOWN, N min away." and what it offers.
fn centre_text(
    chrome: &Chrome,
    overview: &crate::ui::overview::Overview,
    loaded: &Loaded,
    home: Kommunkod,
    home_name: &str,
) -> Option<String> {
    let (c, minutes) = nearest_centre(&overview.learning_centres, home, &loaded.travel)?;
    // Minutes under an hour and a half; whole hours beyond ("hours" 0 selects minutes).
    let hours = if minutes < 90 { 0 } else { (minutes + 30) / 60 };
    let mut text = chrome.message(
        "nearest-centre",
        &[
            ("home", FluentValue::from(home_name.to_string())),
            ("name", FluentValue::from(c.centre.name.clone())),
            ("town", FluentValue::from(c.centre.town.clone())),
            ("minutes", FluentValue::from(minutes)),
            ("hours", FluentValue::from(hours)),
        ],
    );
    if let Some(s) = &c.services {
        let yes_no = |b: bool| chrome.t(if b { "yes" } else { "no" });
        let demo = if c.services_are_demo { " (demo)" } else { "" };
        text.push_str(&format!(
            " {}: {}, {}: {}, {}: {}, {}: {}{demo}.",
            chrome.t("service-study-places"),
            s.study_places,
            chrome.t("service-exam-sittings"),
            yes_no(s.exam_sittings),
            chrome.t("service-video-rooms"),
            s.video_rooms,
            chrome.t("service-study-guidance"),
            yes_no(s.study_guidance)
        ));
    }
    Some(text)
}

pub(super) fn known(state_overview: &crate::ui::overview::Overview) -> impl Fn(Kommunkod) -> bool + '_ {
    move |k| state_overview.in_sweden(k).is_some()
}

pub async fn page(State(state): State<AppState>, chrome: Chrome, Query(params): Query<SearchParams>) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, search_page(state.clone(), chrome, params)).await
}

async fn search_page(state: AppState, chrome: Chrome, params: SearchParams) -> PageResult {
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let loaded = state.catalogue().await.or_unavailable(&chrome)?;
    let query = params.to_query(known(&overview));
    let (status, errors, result) = match &query {
        Ok(q) => match loaded.catalogue.search(q, &loaded.travel) {
            Ok(r) => (StatusCode::OK, Vec::new(), Some(r)),
            Err(e) if e.is_bad_query() => (StatusCode::BAD_REQUEST, vec![e.to_string()], None),
            Err(e) => return Err(unavailable(chrome, &e).into()),
        },
        Err(errs) => (
            StatusCode::BAD_REQUEST,
            errs.iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        chrome.t(param_label(e.param)),
                        chrome.t1(e.key, "value", &e.value)
                    )
                })
                .collect(),
            None,
        ),
    };
    let home = query.as_ref().ok().and_then(|q| q.home);
    let home_name = home
        .and_then(|h| overview.in_sweden(h))
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let centre = home.and_then(|h| centre_text(&chrome, &overview, &loaded, h, &home_name));
    let any = chrome.t("search-any");
    let with_any = |mut v: Vec<(String, String)>| {
        v.insert(0, (String::new(), any.clone()));
        v
    };
    let homes = options(
        &params.home,
        with_any(
            overview
                .sweden
                .iter()
                .map(|m| (m.code.to_string(), m.name.clone()))
                .collect(),
        ),
    );
    let areas = options(
        &params.area,
        with_any(labelled(
            &chrome,
            OccupationArea::ALL.iter().map(|a| a.as_str()),
            "area-",
        )),
    );
    let school_types = options(
        &params.school_type,
        with_any(labelled(
            &chrome,
            SchoolType::ALL.iter().map(|t| t.as_str()),
            "school-type-",
        )),
    );
    let licences = options(
        &params.licence,
        with_any(labelled(
            &chrome,
            kkig_core::catalogue::Licence::ALL.iter().map(|l| l.as_str()),
            "licence-",
        )),
    );
    let levels = options(
        &params.level,
        with_any(labelled(
            &chrome,
            kkig_core::catalogue::Level::ALL.iter().map(|l| l.as_str()),
            "level-",
        )),
    );
    let paces = options(
        &params.pace,
        with_any(vec![
            ("full".into(), chrome.t("search-pace-full")),
            ("part".into(), chrome.t("search-pace-part")),
        ]),
    );
    let forms = options(
        &params.form,
        with_any(labelled(&chrome, StudyForm::ALL.iter().map(|f| f.as_str()), "form-")),
    );
    let today = crate::http::clock::today().to_string();
    let mut travel_items = vec![
        (String::new(), chrome.t("travel-limit-none")),
        ("0".into(), chrome.t("travel-zero")),
    ];
    for hours in [4, 8, 16, 24, 40] {
        travel_items.push((
            (hours * 60).to_string(),
            chrome.t1("travel-limit", "hours", &hours.to_string()),
        ));
    }
    let travels = options(&params.max_travel, travel_items);
    let terms = options(
        &params.term,
        with_any(
            loaded
                .start_terms
                .iter()
                .filter(|(t, last)| last.as_str() >= today.as_str() || params.term.as_deref() == Some(t.as_str()))
                .map(|(t, _)| (t.clone(), t.clone()))
                .collect(),
        ),
    );
    let sorts = options(
        &params.sort,
        vec![
            ("relevance".into(), chrome.t("search-sort-relevance")),
            ("travel".into(), chrome.t("search-sort-travel")),
        ],
    );
    let ctx = ViewContext {
        today,
        home: home.map(|h| (h, home_name.as_str())),
        areas: &loaded.areas,
    };
    let (total, page_text, prev, next, hits) = match &result {
        Some(r) => (
            chrome.t1("search-count", "count", &format_int(chrome.lang, r.total as i64)),
            chrome.i18n_args(
                "search-page",
                &[("page", r.page.to_string()), ("pages", r.pages().to_string())],
            ),
            (r.page > 1).then(|| params.query_string(Some(r.page - 1))),
            (r.page < r.pages()).then(|| params.query_string(Some(r.page + 1))),
            r.hits
                .iter()
                .map(|h| offering_view(&chrome, h.offering, h.reach.as_ref(), &ctx))
                .collect(),
        ),
        None => (String::new(), String::new(), None, None, Vec::new()),
    };
    let export_query = params.query_string(None);
    let searched = result.is_some();
    let suggestion = match (&result, params.q.as_deref().map(str::split_whitespace)) {
        (Some(r), Some(words)) if r.total == 0 => {
            let words: Vec<&str> = words.collect();
            (words.len() >= 2).then(|| {
                let shorter = words[..words.len() - 1].join(" ");
                let mut p = params.clone();
                p.q = Some(shorter.clone());
                (shorter, p.query_string(None))
            })
        }
        _ => None,
    };
    let become_form = BecomeForm::new(
        &chrome,
        &overview,
        params.area.as_deref().and_then(OccupationArea::parse),
        home,
    );
    Ok(render(
        status,
        &CataloguePage {
            chrome,
            homes,
            areas,
            school_types,
            licences,
            levels,
            paces,
            forms,
            travels,
            terms,
            sorts,
            errors,
            total,
            page_text,
            prev,
            next,
            hits,
            home_name,
            centre,
            export_query,
            searched,
            become_form,
            suggestion,
            params,
        },
    ))
}

/// The form label of a search parameter, for error messages on the page.
fn param_label(param: &str) -> &'static str {
    match param {
        "q" => "search-q",
        "home" => "search-home",
        "area" => "search-area",
        "school_type" => "search-school-type",
        "licence" => "search-licence",
        "level" => "search-level",
        "pace" => "search-pace",
        "form" => "search-form",
        "max_travel" => "search-max-travel",
        "term" => "search-term",
        "sort" => "search-sort",
        _ => "search-page-label",
    }
}

async fn matching(
    state: &AppState,
    params: &SearchParams,
) -> Result<(std::sync::Arc<Loaded>, kkig_search::SearchQuery), ApiError> {
    let overview = state.overview().await?;
    let loaded = state.catalogue().await?;
    let q = params.to_query(known(&overview)).map_err(param_errors)?;
    Ok((loaded, q))
}

/// Search results as CSV (Swedish Excel), XLSX or iCalendar (application deadlines).
pub async fn export(
    State(state): State<AppState>,
    Path(format): Path<String>,
    Query(params): Query<SearchParams>,
) -> Response {
    let (loaded, q) = match matching(&state, &params).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let items = match all_matching(&loaded, &q, EXPORT_LIMIT) {
        Ok(v) => v,
        Err(e) => return ApiError::bad_request(e.to_string()).into_response(),
    };
    let owned: Vec<Offering> = items.into_iter().cloned().collect();
    // With a home municipality the table ends with the travel from there (derived columns an
    // import ignores).
    let table = || match q.home {
        Some(home) => {
            let reaches: Vec<Option<Reach>> = owned
                .iter()
                .map(|o| kkig_core::catalogue::reach(o, home, &loaded.travel))
                .collect();
            kkig_formats::offerings_table_from(&owned, home, &reaches)
        }
        None => kkig_formats::offerings_table(&owned),
    };
    match format.as_str() {
        "utbildningar.csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"utbildningar.csv\""),
            ],
            table().to_swedish_csv(),
        )
            .into_response(),
        "utbildningar.xlsx" => match table().to_xlsx("Utbildningar") {
            Ok(bytes) => (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"utbildningar.xlsx\"",
                    ),
                ],
                bytes,
            )
                .into_response(),
            Err(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        },
        "ansokningsdatum.ics" => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "inline; filename=\"ansokningsdatum.ics\""),
            ],
            kkig_formats::ical::application_deadlines(
                &owned,
                &format!("{}/utbildning?{}", state.config.base_url, params.query_string(None)),
            ),
        )
            .into_response(),
        _ => ApiError::not_found(format!(
            "no export {format:?}: use utbildningar.csv, utbildningar.xlsx or ansokningsdatum.ics"
        ))
        .into_response(),
    }
}

/// One programme on a pathway page, as a card.
pub struct PathwayCard {
    pub title: String,
    /// The application or provider's page, only when the stored text is an http(s) address.
    pub url: Option<WebUrl>,
    pub provider: String,
    pub facts: String,
    pub travel: String,
    pub apply: String,
    pub closed: bool,
    /// Requires a licence or professional degree in the occupation.
    pub further: bool,
    pub eligibility: String,
    /// Travel minutes per term ("" when unknown) and days away per term, for machines
    /// (`data-` attributes).
    pub minutes: String,
    pub days: u32,
}

#[derive(Template)]
#[template(path = "catalogue/pathway.html")]
pub struct PathwayPage {
    pub chrome: Chrome,
    pub title: String,
    pub intro: String,
    /// Programmes leading into the occupation.
    pub entry: Vec<PathwayCard>,
    /// Further education for those already licensed.
    pub further: Vec<PathwayCard>,
    pub centre: Option<String>,
    pub vfu: String,
    /// The municipality's recruitment need for the occupation from the forecast, and a link to it.
    pub need: Option<(String, String)>,
    pub code: String,
    pub name: String,
    pub links: Vec<(String, String)>,
    pub become_form: BecomeForm,
}

pub async fn pathway_page(
    State(state): State<AppState>,
    chrome: Chrome,
    Path((slug, code)): Path<(String, String)>,
) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, pathway_response(state.clone(), chrome, slug, code)).await
}

/// Hours of travel for people: whole hours, at least one.
fn hours(minutes: i64) -> i64 {
    ((minutes + 30) / 60).max(1)
}

fn pathway_card(chrome: &Chrome, item: &PathwayItem<'_>, home_name: &str, today: &str) -> PathwayCard {
    let o = item.offering;
    let place = o.meeting_place().map(|p| {
        if p.town.is_empty() {
            p.municipality.to_string()
        } else {
            p.town.clone()
        }
    });
    let travel = match (&place, &item.reach) {
        (None, _) => chrome.t("pathway-travel-none"),
        (Some(place), Some(r)) if r.burden_minutes_per_term == 0 => {
            chrome.t2("pathway-travel-home", "place", place, "home", home_name)
        }
        (Some(place), Some(r)) => chrome.message(
            "pathway-travel",
            &[
                ("meetings", FluentValue::from(o.meetings.per_term)),
                ("place", FluentValue::from(place.clone())),
                ("hours", FluentValue::from(hours(r.burden_minutes_per_term))),
                ("days", FluentValue::from(item.travel_days)),
            ],
        ),
        (Some(place), None) => chrome.t1("pathway-travel-unknown", "place", place),
    };
    let closed = application_closed(o, today);
    let apply = match o.application_closes.as_deref().filter(|c| !c.is_empty()) {
        None => chrome.t1("pathway-apply-unknown", "provider", &o.provider_name),
        Some(date) if closed => chrome.t2("pathway-apply-closed", "date", date, "provider", &o.provider_name),
        Some(date) => chrome.t1("pathway-apply-open", "date", date),
    };
    let credits = crate::ui::i18n::format_decimal(chrome.lang, o.credits, if o.credits.fract() == 0.0 { 0 } else { 1 });
    let mut facts = vec![
        chrome.t(&format!("form-{}", o.form.as_str())),
        format!("{credits} {}", o.credit_system),
        format!("{} %", o.pace_percent),
        chrome.t1("pathway-start", "date", &o.start),
    ];
    if !o.level.is_empty() {
        facts.insert(0, o.level.clone());
    }
    PathwayCard {
        title: o.title.clone(),
        url: o.application_link(),
        provider: format!(
            "{} ({})",
            o.provider_name,
            chrome.t(&format!("school-type-{}", o.school_type.as_str()))
        ),
        facts: facts.join(" · "),
        travel,
        apply,
        closed,
        further: item.further,
        eligibility: o.eligibility.clone(),
        minutes: item
            .reach
            .as_ref()
            .map(|r| r.burden_minutes_per_term.to_string())
            .unwrap_or_default(),
        days: item.travel_days,
    }
}

/// "Sorsele needs to recruit about 12 nurses by 2035", from the forecast of the municipality's
/// occupations in the area (None when it has none), with the link to the first one's forecast.
async fn need_text(
    state: &AppState,
    chrome: &Chrome,
    loaded: &Loaded,
    area: OccupationArea,
    home: Kommunkod,
    home_name: &str,
) -> Result<Option<(String, String)>, kkig_store::StoreError> {
    // Kept per data version: signed-in visitors get the page computed, not kept.
    let data = state
        .public_value(&format!("catalogue-forecast-data-{home}"), || {
            state.store.forecast_data(Some(home))
        })
        .await?;
    let of_area: Vec<_> = data
        .inputs
        .iter()
        .filter(|i| loaded.areas.get(&i.ssyk) == Some(&area))
        .collect();
    let Some(first) = of_area.first() else {
        return Ok(None);
    };
    let need: f64 = of_area.iter().map(|i| data.compute(i).forecast.totals.need).sum();
    let year = of_area
        .iter()
        .map(|i| i.base_year + kkig_core::forecast::product::HORIZON as i32)
        .max()
        .unwrap_or(first.base_year);
    let mut text = chrome.message(
        &format!("pathway-need-{}", area.slug()),
        &[
            ("municipality", FluentValue::from(home_name.to_string())),
            ("count", FluentValue::from(need.round() as i64)),
            ("year", FluentValue::from(i64::from(year))),
        ],
    );
    if chrome.demo_seed.is_some() {
        text.push(' ');
        text.push_str(&chrome.t("pathway-vfu-demo"));
    }
    Ok(Some((text, format!("/prognos/kommun/{home}/{}", first.ssyk))))
}

/// "In Sorsele 4 placement sites take nursing students, 2 of them with a trained supervisor; …"
async fn vfu_text(
    state: &AppState,
    chrome: &Chrome,
    loaded: &Loaded,
    area: OccupationArea,
    home: Kommunkod,
    home_name: &str,
) -> Result<String, kkig_store::StoreError> {
    // The registry's sites and supervisors, read once per data version for every pathway page.
    let registry = state
        .public_value("catalogue-vfu-registry", || async {
            Ok((
                state.store.placement_sites(None).await?,
                state.store.supervisors(None).await?,
            ))
        })
        .await?;
    let (sites, supervisors) = (&registry.0, &registry.1);
    let max = kkig_core::allocation::Rules::default().max_travel_minutes;
    let near = vfu_near_home(sites, supervisors, home, area, max, |m| loaded.travel.minutes(home, m));
    let field = chrome.t(&format!("pathway-vfu-field-{}", area.slug()));
    let mut text = if near.within_reach == 0 {
        chrome.i18n_args(
            "pathway-vfu-none",
            &[
                ("field", field),
                ("home", home_name.to_string()),
                ("minutes", max.to_string()),
            ],
        )
    } else {
        chrome.message(
            "pathway-vfu-counts",
            &[
                ("home", FluentValue::from(home_name.to_string())),
                ("field", FluentValue::from(field)),
                ("at_home", FluentValue::from(near.at_home as i64)),
                ("trained", FluentValue::from(near.at_home_trained as i64)),
                ("minutes", FluentValue::from(max)),
                ("near", FluentValue::from(near.within_reach as i64)),
                ("near_trained", FluentValue::from(near.within_reach_trained as i64)),
            ],
        )
    };
    if chrome.demo_seed.is_some() {
        text.push(' ');
        text.push_str(&chrome.t("pathway-vfu-demo"));
    }
    Ok(text)
}

async fn pathway_response(state: AppState, chrome: Chrome, slug: String, code: String) -> PageResult {
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let loaded = state.catalogue().await.or_unavailable(&chrome)?;
    let (Some(area), Ok(kod)) = (OccupationArea::from_slug(&slug), Kommunkod::parse(&code)) else {
        return Err(not_found(
            chrome.clone(),
            chrome.t1("not-found-text", "path", &chrome.display_path()),
        )
        .into());
    };
    let Some(m) = overview.in_sweden(kod) else {
        let msg = chrome.t1("not-found-municipality", "code", &code);
        return Err(not_found(chrome, msg).into());
    };
    let today = crate::http::clock::today().to_string();
    // What has started can no longer be joined.
    let open = loaded.catalogue.iter().filter(|o| !has_started(o, &today));
    let items = pathway(open, area, kod, &loaded.areas, &loaded.travel);
    let occupation = chrome.t(&format!("pathway-occupation-{slug}"));
    let title = chrome.i18n_args(
        "pathway-title",
        &[("occupation", occupation), ("municipality", m.name.clone())],
    );
    let intro = chrome.t1("pathway-intro", "municipality", &m.name);
    let (further, entry): (Vec<_>, Vec<_>) = items.iter().partition(|i| i.further);
    let cards = |v: Vec<&PathwayItem<'_>>| {
        v.into_iter()
            .map(|i| pathway_card(&chrome, i, &m.name, &today))
            .collect()
    };
    let (entry, further) = (cards(entry), cards(further));
    let centre = centre_text(&chrome, &overview, &loaded, kod, &m.name);
    let vfu = vfu_text(&state, &chrome, &loaded, area, kod, &m.name)
        .await
        .or_unavailable(&chrome)?;
    let need = need_text(&state, &chrome, &loaded, area, kod, &m.name)
        .await
        .or_unavailable(&chrome)?;
    let links = pathway_links(
        &chrome,
        OccupationArea::ALL.into_iter().filter(|a| *a != area),
        kod,
        &m.name,
    );
    let become_form = BecomeForm::new(&chrome, &overview, Some(area), Some(kod));
    Ok(render(
        StatusCode::OK,
        &PathwayPage {
            chrome,
            title,
            intro,
            entry,
            further,
            centre,
            vfu,
            need,
            code: kod.to_string(),
            name: m.name.clone(),
            links,
            become_form,
        },
    ))
}

#[derive(Debug, serde::Deserialize)]
pub struct BecomeQuery {
    pub yrke: Option<String>,
    pub hemkommun: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue/become.html")]
pub struct BecomePage {
    pub chrome: Chrome,
    pub errors: Vec<(String, String)>,
    pub become_form: BecomeForm,
}

/// `/utbildning/bli?yrke=sjukskoterska&hemkommun=2422`: to the pathway page; without both, the
/// form (with what is missing named).
pub async fn become_page(State(state): State<AppState>, chrome: Chrome, Query(q): Query<BecomeQuery>) -> PageResult {
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    let (yrke, hem) = (given(&q.yrke), given(&q.hemkommun));
    let area = yrke.as_deref().and_then(OccupationArea::from_slug);
    let home = hem
        .as_deref()
        .and_then(|h| Kommunkod::parse(h).ok())
        .filter(|k| overview.in_sweden(*k).is_some());
    if let (Some(area), Some(home)) = (area, home) {
        return Ok(Redirect::to(&format!("/utbildning/bli/{}/{home}", area.slug())).into_response());
    }
    let mut errors = Vec::new();
    if yrke.is_some() || hem.is_some() {
        if area.is_none() {
            errors.push(("become-area".to_string(), chrome.t("become-missing-area")));
        }
        if home.is_none() {
            errors.push(("become-home".to_string(), chrome.t("become-missing-home")));
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let become_form = BecomeForm::new(&chrome, &overview, area, home);
    Ok(render(
        status,
        &BecomePage {
            chrome,
            errors,
            become_form,
        },
    ))
}

pub struct RegionalRow {
    pub code: String,
    pub name: String,
    pub teacher: usize,
    pub nurse: usize,
    pub social_work: usize,
}

#[derive(Template)]
#[template(path = "catalogue/regional.html")]
pub struct RegionalPage {
    pub chrome: Chrome,
    pub days: String,
    pub intro: String,
    pub rows: Vec<RegionalRow>,
    pub error: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct DaysParam {
    /// Most travel days per term (on-site days away from home), default 4.
    pub days: Option<String>,
}

pub(super) fn parse_days(p: &DaysParam) -> Result<u32, String> {
    match p.days.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(4),
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 200)
            .ok_or_else(|| format!("days: {d:?} is not a number of days 0–200")),
    }
}

pub(super) fn regional_rows(overview: &crate::ui::overview::Overview, loaded: &Loaded, days: u32) -> Vec<RegionalRow> {
    let today = crate::http::clock::today().to_string();
    let open = loaded.catalogue.iter().filter(|o| !has_started(o, &today));
    reachable_counts(open, &participants(overview), &loaded.areas, days)
        .into_iter()
        .map(|(code, counts)| RegionalRow {
            code: code.to_string(),
            name: overview.municipality(code).map(|m| m.name.clone()).unwrap_or_default(),
            teacher: counts[&OccupationArea::Teacher],
            nurse: counts[&OccupationArea::Nurse],
            social_work: counts[&OccupationArea::SocialWork],
        })
        .collect()
}

pub async fn regional_page(State(state): State<AppState>, chrome: Chrome, Query(p): Query<DaysParam>) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, regional_response(state.clone(), chrome, p)).await
}

async fn regional_response(state: AppState, chrome: Chrome, p: DaysParam) -> PageResult {
    let overview = state.overview().await.or_unavailable(&chrome)?;
    let loaded = state.catalogue().await.or_unavailable(&chrome)?;
    let (days, error, status) = match parse_days(&p) {
        Ok(d) => (d, None, StatusCode::OK),
        Err(e) => (4, Some(e), StatusCode::BAD_REQUEST),
    };
    let rows = regional_rows(&overview, &loaded, days);
    let intro = chrome.t1("regional-intro", "days", &days.to_string());
    Ok(render(
        status,
        &RegionalPage {
            chrome,
            days: days.to_string(),
            intro,
            rows,
            error,
        },
    ))
}
