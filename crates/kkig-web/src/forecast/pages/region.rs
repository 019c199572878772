//! `/prognos`: the regional table of need per municipality and occupation, and its exports.

use super::*;

pub struct NeedCell {
    pub href: String,
    pub value: String,
}

pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub cells: Vec<Option<NeedCell>>,
    pub total: String,
}

pub struct OccupationHead {
    pub ssyk: String,
    pub name: String,
}

pub struct ClusterLink {
    pub id: String,
    pub name: String,
    pub members: String,
}

pub struct Choice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "forecast/region.html")]
pub struct RegionPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub base_year: String,
    pub last_year: String,
    pub occupations: Vec<OccupationHead>,
    pub rows: Vec<RegionRow>,
    pub totals: Vec<String>,
    pub grand_total: String,
    pub clusters: Vec<ClusterLink>,
    pub may_create_cluster: bool,
    pub choices: Vec<Choice>,
    pub cluster_name: String,
    pub errors: Vec<(String, String)>,
}

impl RegionPage {
    pub fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.0 == field).map(|e| e.1.clone())
    }
}

/// The participants, each with the 10-year external need per occupation.
pub(super) struct Grid {
    pub(super) occupations: Vec<Ssyk>,
    pub(super) rows: Vec<(Municipality, Vec<Option<f64>>)>,
    pub(super) base_year: i32,
}

pub(super) fn grid(municipalities: &[Municipality], computed: &[Computed], only: Option<&BTreeSet<Kommunkod>>) -> Grid {
    let occupations = occupation_order(computed.iter().map(|c| c.input.ssyk));
    let rows = municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant || computed.iter().any(|c| c.input.municipality == m.code))
        .filter(|m| only.is_none_or(|o| o.contains(&m.code)))
        .map(|m| {
            let needs = occupations
                .iter()
                .map(|s| {
                    computed
                        .iter()
                        .find(|c| c.input.municipality == m.code && c.input.ssyk == *s)
                        .map(|c| c.forecast.totals.external_need)
                })
                .collect();
            (m.clone(), needs)
        })
        .collect();
    let base_year = computed
        .iter()
        .map(|c| c.input.base_year)
        .min()
        .unwrap_or(kkig_core::forecast::product::DEMO_BASE_YEAR);
    Grid {
        occupations,
        rows,
        base_year,
    }
}

pub(super) fn grid_table(g: &Grid, occupations: &[Occupation]) -> Table {
    let mut headers = vec!["kommunkod".to_string(), "kommun".to_string()];
    headers.extend(
        g.occupations
            .iter()
            .map(|s| format!("{s} {} externt behov", name_of(occupations, *s))),
    );
    headers.push("summa externt behov".into());
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&refs);
    for (m, needs) in &g.rows {
        let mut row = vec![Cell::text(m.code.to_string()), Cell::text(m.name.clone())];
        row.extend(
            needs
                .iter()
                .map(|n| n.map(|x| Cell::Decimal(x, 1)).unwrap_or(Cell::Empty)),
        );
        row.push(Cell::Decimal(needs.iter().flatten().sum(), 1));
        t.push(row);
    }
    t
}

pub(super) fn grid_view(
    chrome: &Chrome,
    g: &Grid,
    occupations: &[Occupation],
) -> (Vec<OccupationHead>, Vec<RegionRow>, Vec<String>, String) {
    let lang = chrome.lang;
    let heads = g
        .occupations
        .iter()
        .map(|s| OccupationHead {
            ssyk: s.to_string(),
            name: name_of(occupations, *s),
        })
        .collect();
    let rows = g
        .rows
        .iter()
        .map(|(m, needs)| RegionRow {
            code: m.code.to_string(),
            name: m.name.clone(),
            cells: needs
                .iter()
                .zip(&g.occupations)
                .map(|(n, s)| {
                    n.map(|x| NeedCell {
                        href: format!("/prognos/kommun/{}/{s}", m.code),
                        value: dec(lang, x),
                    })
                })
                .collect(),
            total: dec(lang, needs.iter().flatten().sum()),
        })
        .collect();
    let totals: Vec<String> = (0..g.occupations.len())
        .map(|i| dec(lang, g.rows.iter().filter_map(|r| r.1[i]).sum()))
        .collect();
    let grand = dec(lang, g.rows.iter().flat_map(|r| r.1.iter().flatten()).sum());
    (heads, rows, totals, grand)
}

/// The whole region's forecasts and what the regional views show with them.
pub struct Region {
    pub municipalities: Vec<Municipality>,
    pub occupations: Vec<Occupation>,
    pub computed: Vec<Computed>,
    pub clusters: Vec<ForecastCluster>,
}

/// The regional forecast, computed once per data version ([`crate::ui::public_cache`]).
pub(super) async fn region_data(state: &AppState) -> Result<Arc<Region>, StoreError> {
    state
        .public_value("forecast:region", || async {
            let store = state.store.as_ref();
            let data = store.forecast_data(None).await?;
            Ok(Region {
                municipalities: store.municipalities().await?,
                occupations: store.occupations().await?,
                computed: data.all(),
                clusters: store.forecast_clusters().await?,
            })
        })
        .await
}

pub(super) fn user_may(me: &MaybeUser, action: Action, target: &Target<'_>) -> bool {
    me.0.as_ref().is_some_and(|(u, _)| u.principal().may(action, target))
}

pub(super) async fn region_response(
    state: &AppState,
    chrome: Chrome,
    me: &MaybeUser,
    status: StatusCode,
    cluster_name: String,
    checked: BTreeSet<String>,
    errors: Vec<(String, String)>,
) -> PageResult {
    let region = region_data(state).await.or_unavailable(&chrome)?;
    let Region {
        municipalities,
        occupations,
        computed: _,
        clusters,
    } = region.as_ref();
    let g = grid(municipalities, &region.computed, None);
    let (occ, rows, totals, grand_total) = grid_view(&chrome, &g, occupations);
    let names: HashMap<Kommunkod, String> = municipalities.iter().map(|m| (m.code, m.name.clone())).collect();
    let page = RegionPage {
        demo: chrome.demo_seed.is_some(),
        base_year: g.base_year.to_string(),
        last_year: (g.base_year + HORIZON as i32).to_string(),
        occupations: occ,
        rows,
        totals,
        grand_total,
        clusters: clusters
            .iter()
            .map(|c| ClusterLink {
                id: c.id.clone(),
                name: c.name.clone(),
                members: c
                    .members
                    .iter()
                    .map(|m| names.get(m).cloned().unwrap_or_else(|| m.to_string()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        may_create_cluster: user_may(me, Action::Write, &Target::ForecastCluster),
        choices: g
            .rows
            .iter()
            .map(|(m, _)| Choice {
                code: m.code.to_string(),
                name: m.name.clone(),
                checked: checked.contains(&m.code.to_string()),
            })
            .collect(),
        cluster_name,
        errors,
        chrome,
    };
    Ok(render(status, &page))
}

pub async fn regional_page(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> Response {
    let key = chrome.clone();
    public_page(
        &state,
        &key,
        region_response(
            &state,
            chrome,
            &me,
            StatusCode::OK,
            String::new(),
            BTreeSet::new(),
            Vec::new(),
        ),
    )
    .await
}

pub async fn regional_export(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    match region_data(&state).await {
        Ok(r) => export_response(
            &grid_table(&grid(&r.municipalities, &r.computed, None), &r.occupations),
            &file,
            "prognos-regionen",
            "Prognos",
        ),
        Err(e) => crate::http::error::ApiError::from(e).into_response(),
    }
}
