//! `/prognos/kluster/{id}`: clusters of municipalities, their summed need per year, creating
//! and deleting them.

use super::*;

/// The cluster form: a name and municipalities (checkboxes, repeated `members`).
pub async fn create_cluster(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = signed_in(&chrome, me.clone())?;
    if !guard.allows(&user.principal(), &Target::ForecastCluster) {
        return Err(forbidden(chrome).into());
    }
    let mut name = String::new();
    let mut members = Vec::new();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => name = v,
            "members" => members.push(v),
            _ => {}
        }
    }
    let codes: Vec<Kommunkod> = members.iter().filter_map(|m| Kommunkod::parse(m).ok()).collect();
    let checked: BTreeSet<String> = members.iter().cloned().collect();
    let result = state
        .store
        .create_forecast_cluster(&name, &codes, &Actor::user(&user.id))
        .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/prognos/kluster/{}?lang={}", c.id, chrome.lang_code())).into_response()),
        Err(StoreError::Fields(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let key = if e.field == "name" {
                        "fc-error-cluster-name"
                    } else {
                        "fc-error-cluster-members"
                    };
                    (e.field.clone(), chrome.t(key))
                })
                .collect();
            region_response(
                &state,
                chrome,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                name,
                checked,
                errors,
            )
            .await
        }
        Err(StoreError::Conflict(_)) => {
            let errors = vec![("name".to_string(), chrome.t("fc-error-cluster-taken"))];
            region_response(
                &state,
                chrome,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                name,
                checked,
                errors,
            )
            .await
        }
        Err(e) => Err(unavailable(chrome, &e).into()),
    }
}

pub async fn delete_cluster(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
) -> PageResult {
    let user = signed_in(&chrome, me)?;
    if !guard.allows(&user.principal(), &Target::ForecastCluster) {
        return Err(forbidden(chrome).into());
    }
    if !state
        .store
        .delete_forecast_cluster(&id, &Actor::user(&user.id))
        .await
        .or_unavailable(&chrome)?
    {
        return Err(nf(&chrome).into());
    }
    Ok(Redirect::to(&format!("/prognos?lang={}", chrome.lang_code())).into_response())
}

pub struct YearRow {
    pub year: String,
    pub values: Vec<String>,
}

#[derive(Template)]
#[template(path = "forecast/cluster.html")]
pub struct ClusterPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub id: String,
    pub name: String,
    pub base_year: String,
    pub last_year: String,
    pub occupations: Vec<OccupationHead>,
    pub rows: Vec<RegionRow>,
    pub totals: Vec<String>,
    pub grand_total: String,
    /// Summed external need per year (rows) and occupation (columns).
    pub years: Vec<YearRow>,
    pub may_delete: bool,
}

/// A cluster, its grid and its summed forecasts per occupation (None: no such cluster).
pub(super) type ClusterData = Option<(ForecastCluster, Grid, Vec<Occupation>, Vec<(Ssyk, Forecast)>)>;

/// A cluster's sums, computed once per data version ([`crate::ui::public_cache`]).
pub(super) async fn cluster_data(state: &AppState, id: &str) -> Result<Arc<ClusterData>, StoreError> {
    state
        .public_value(&format!("forecast:cluster:{id}"), || cluster_sums(state, id))
        .await
}

pub(super) async fn cluster_sums(state: &AppState, id: &str) -> Result<ClusterData, StoreError> {
    let Some(cluster) = state.store.forecast_cluster(id).await? else {
        return Ok(None);
    };
    let region = region_data(state).await?;
    let members: BTreeSet<Kommunkod> = cluster.members.iter().copied().collect();
    let mine: Vec<Computed> = region
        .computed
        .iter()
        .filter(|c| members.contains(&c.input.municipality))
        .cloned()
        .collect();
    let g = grid(&region.municipalities, &mine, Some(&members));
    let sums = g
        .occupations
        .iter()
        .filter_map(|s| {
            let fs: Vec<Forecast> = mine
                .iter()
                .filter(|c| c.input.ssyk == *s)
                .map(|c| c.forecast.clone())
                .collect();
            Forecast::sum(&fs).map(|f| (*s, f))
        })
        .collect();
    Ok(Some((cluster, g, region.occupations.clone(), sums)))
}

pub(super) fn cluster_years_table(sums: &[(Ssyk, Forecast)], occupations: &[Occupation]) -> Table {
    let mut headers = vec!["år".to_string()];
    headers.extend(
        sums.iter()
            .map(|(s, _)| format!("{s} {} externt behov", name_of(occupations, *s))),
    );
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Table::new(&refs);
    if let Some((_, first)) = sums.first() {
        for (i, y) in first.years.iter().enumerate() {
            let mut row = vec![Cell::Int(i64::from(y.year))];
            row.extend(sums.iter().map(|(_, f)| {
                f.years
                    .get(i)
                    .map(|y| Cell::Decimal(y.external_need, 1))
                    .unwrap_or(Cell::Empty)
            }));
            t.push(row);
        }
    }
    t
}

pub async fn cluster_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(id): Path<String>,
) -> Response {
    let key = chrome.clone();
    public_page(&state, &key, cluster_response(&state, chrome, &me, &id)).await
}

pub(super) async fn cluster_response(state: &AppState, chrome: Chrome, me: &MaybeUser, id: &str) -> PageResult {
    let data = cluster_data(state, id).await.or_unavailable(&chrome)?;
    let Some((cluster, g, occupations, sums)) = data.as_ref() else {
        return Err(nf(&chrome).into());
    };
    let (occ, rows, totals, grand_total) = grid_view(&chrome, g, occupations);
    let lang = chrome.lang;
    let years = sums
        .first()
        .map(|(_, first)| {
            first
                .years
                .iter()
                .enumerate()
                .map(|(i, y)| YearRow {
                    year: y.year.to_string(),
                    values: sums
                        .iter()
                        .map(|(_, f)| f.years.get(i).map(|y| dec(lang, y.external_need)).unwrap_or_default())
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ClusterPage {
        demo: chrome.demo_seed.is_some(),
        id: cluster.id.clone(),
        name: cluster.name.clone(),
        base_year: g.base_year.to_string(),
        last_year: (g.base_year + HORIZON as i32).to_string(),
        occupations: occ,
        rows,
        totals,
        grand_total,
        years,
        may_delete: user_may(me, Action::Write, &Target::ForecastCluster),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn cluster_export(State(state): State<AppState>, Path((id, file)): Path<(String, String)>) -> Response {
    let data = match cluster_data(&state, &id).await {
        Ok(v) => v,
        Err(e) => return crate::http::error::ApiError::from(e).into_response(),
    };
    match data.as_ref() {
        Some((_, g, occupations, sums)) => {
            if file.starts_with("kluster-per-ar") {
                export_response(
                    &cluster_years_table(sums, occupations),
                    &file,
                    "kluster-per-ar",
                    "Per år",
                )
            } else {
                export_response(&grid_table(g, occupations), &file, "kluster", "Kluster")
            }
        }
        None => (StatusCode::NOT_FOUND, format!("no cluster {id}")).into_response(),
    }
}
