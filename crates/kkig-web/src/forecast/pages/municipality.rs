//! `/prognos/kommun/{kod}/{ssyk}`: one municipality and occupation with its chart, flows,
//! scenarios, key figures and the input form.

use super::*;

pub struct FlowRow {
    pub year: String,
    pub demand: String,
    pub retirements: String,
    pub exits: String,
    pub remaining: String,
    pub need: String,
    pub local_supply: String,
    pub local_contribution: String,
    pub external_need: String,
    pub staff: String,
}

pub struct ScenarioColumn {
    pub label: String,
    pub need: String,
    pub local_contribution: String,
    pub external_need: String,
    pub final_staff: String,
}

pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub demand_points: String,
    pub remaining_points: String,
    pub bars: Vec<(String, String, String, String)>,
    pub y_ticks: Vec<(String, String)>,
    pub x_ticks: Vec<(String, String)>,
    pub plot_left: u32,
    pub plot_bottom: u32,
    pub plot_right: u32,
}

#[derive(Default, Clone)]
pub struct InputForm {
    pub base_year: String,
    pub staff: String,
    pub vacancies: String,
    pub completion_share: String,
    pub retirement_age: String,
    pub exit_rate: String,
    pub entry_age: String,
    pub retention: String,
}

#[derive(Template)]
#[template(path = "forecast/municipality.html")]
pub struct MunicipalityPage {
    pub chrome: Chrome,
    pub demo: bool,
    pub code: String,
    pub municipality: String,
    pub ssyk: String,
    pub occupation: String,
    pub has_input: bool,
    pub driver: String,
    pub driver_note: String,
    pub base_year: String,
    pub start_staff: String,
    pub vacancies: String,
    pub graduates_text: String,
    /// Kolada key figures of the municipality (total over genders): KPI, period, value.
    pub kolada: Vec<(String, String, String)>,
    pub total_need: String,
    pub total_external: String,
    pub chart: Chart,
    pub chart_desc: String,
    pub flows: Vec<FlowRow>,
    pub extra: String,
    /// Why the typed number of extra students was not used (the default 2 is shown instead).
    pub extra_error: Option<String>,
    pub scenarios: Vec<ScenarioColumn>,
    pub may_edit: bool,
    pub form: InputForm,
    pub errors: Vec<(String, String)>,
    pub saved: bool,
}

impl MunicipalityPage {
    pub fn error_for(&self, field: &str) -> Option<String> {
        self.errors.iter().find(|e| e.0 == field).map(|e| e.1.clone())
    }

    pub fn fields(&self) -> Vec<Field> {
        let f = &self.form;
        let spec: [(&'static str, &String, bool, &'static str); 8] = [
            ("staff", &f.staff, true, "text"),
            ("vacancies", &f.vacancies, false, "decimal"),
            ("completion_share", &f.completion_share, false, "decimal"),
            ("base_year", &f.base_year, false, "numeric"),
            ("retirement_age", &f.retirement_age, false, "numeric"),
            ("exit_rate", &f.exit_rate, false, "decimal"),
            ("entry_age", &f.entry_age, false, "numeric"),
            ("retention", &f.retention, false, "decimal"),
        ];
        spec.into_iter()
            .map(|(name, value, textarea, inputmode)| {
                let key = label_key(name);
                let kind = if textarea { "textarea" } else { "text" };
                let mut field = Field::new("", name, self.chrome.t(key), kind, value)
                    .hint(self.chrome.t(&format!("{key}-hint")))
                    .inputmode(inputmode);
                field.error = self.error_for(name);
                field
            })
            .collect()
    }
}

pub(super) fn chart(f: &Forecast, lang: Lang) -> Chart {
    let (w, h) = (640u32, 300u32);
    let (left, right, top, bottom) = (56.0, 624.0, 16.0, 260.0);
    let max = f
        .years
        .iter()
        .flat_map(|y| [y.demand, y.staff, y.remaining, y.external_need])
        .fold(f.totals.start_demand, f64::max)
        .max(1.0);
    let step = nice_step(max / 4.0);
    let top_value = (max / step).ceil() * step;
    let n = f.years.len().max(1) as f64;
    let x = |i: usize| left + (right - left) * (i as f64 + 0.5) / n;
    let y = |v: f64| bottom - (bottom - top) * v / top_value;
    let pts = |get: &dyn Fn(&kkig_core::forecast::YearFlow) -> f64| {
        f.years
            .iter()
            .enumerate()
            .map(|(i, yf)| format!("{:.1},{:.1}", x(i), y(get(yf))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let bar_w = ((right - left) / n * 0.5).max(2.0);
    let bars = f
        .years
        .iter()
        .enumerate()
        .map(|(i, yf)| {
            let top_y = y(yf.external_need);
            (
                format!("{:.1}", x(i) - bar_w / 2.0),
                format!("{top_y:.1}"),
                format!("{bar_w:.1}"),
                format!("{:.1}", bottom - top_y),
            )
        })
        .collect();
    let mut y_ticks = Vec::new();
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        y_ticks.push((
            format!("{:.1}", y(v)),
            format_decimal(lang, v, if step < 1.0 { 1 } else { 0 }),
        ));
        v += step;
    }
    let x_ticks = f
        .years
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, yf)| (format!("{:.1}", x(i)), yf.year.to_string()))
        .collect();
    Chart {
        width: w,
        height: h,
        demand_points: pts(&|yf| yf.demand),
        remaining_points: pts(&|yf| yf.remaining),
        bars,
        y_ticks,
        x_ticks,
        plot_left: left as u32,
        plot_bottom: bottom as u32,
        plot_right: right as u32,
    }
}

pub(super) fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1e-9).log10().floor());
    let m = raw / p;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * p
}

pub(super) fn form_of(input: &ForecastInput, lang: Lang) -> InputForm {
    let num = |x: f64| {
        let s = if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x}")
        };
        if lang == Lang::Sv {
            s.replace('.', ",")
        } else {
            s
        }
    };
    InputForm {
        base_year: input.base_year.to_string(),
        staff: input
            .staff_by_age
            .iter()
            .map(|(a, n)| format!("{a};{}", num(*n)))
            .collect::<Vec<_>>()
            .join("\n"),
        vacancies: num(input.vacancies),
        completion_share: num(input.completion_share),
        retirement_age: input.retirement_age.to_string(),
        exit_rate: num(input.exit_rate),
        entry_age: input.entry_age.to_string(),
        retention: num(input.retention),
    }
}

#[derive(Deserialize, Default)]
pub struct ExtraQuery {
    pub extra: Option<String>,
    pub saved: Option<String>,
}

pub(super) async fn municipality_context(
    state: &AppState,
    code: &str,
    ssyk: &str,
) -> Result<Option<(Municipality, Ssyk, String, Data)>, StoreError> {
    let (Ok(kod), Ok(parsed)) = (Kommunkod::parse(code), Ssyk::parse(ssyk)) else {
        return Ok(None);
    };
    // One address per page: no spaces or other spellings of the codes.
    if code != kod.to_string() || ssyk != parsed.to_string() {
        return Ok(None);
    }
    let ssyk = parsed;
    let Some(m) = state.store.municipality(kod).await? else {
        return Ok(None);
    };
    let occupations = state.store.occupations().await?;
    let Some(occ) = occupations.iter().find(|o| o.ssyk == ssyk) else {
        return Ok(None);
    };
    let data = state.store.forecast_data(Some(kod)).await?;
    Ok(Some((m, ssyk, occ.name.clone(), data)))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn municipality_view(
    chrome: Chrome,
    m: &Municipality,
    ssyk: Ssyk,
    occupation: String,
    data: &Data,
    extra: f64,
    may_edit: bool,
    form: Option<InputForm>,
    errors: Vec<(String, String)>,
    saved: bool,
) -> MunicipalityPage {
    let lang = chrome.lang;
    let stored = data
        .inputs
        .iter()
        .find(|i| i.municipality == m.code && i.ssyk == ssyk)
        .cloned();
    let has_input = stored.is_some();
    let input =
        stored.unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    let c = data.compute(&input);
    let f = &c.forecast;
    let flows = f
        .years
        .iter()
        .map(|y| FlowRow {
            year: y.year.to_string(),
            demand: dec(lang, y.demand),
            retirements: dec(lang, y.retirements),
            exits: dec(lang, y.exits),
            remaining: dec(lang, y.remaining),
            need: dec(lang, y.need),
            local_supply: dec(lang, y.local_supply),
            local_contribution: dec(lang, y.local_contribution),
            external_need: dec(lang, y.external_need),
            staff: dec(lang, y.staff),
        })
        .collect();
    let mut scenario_cols = vec![ScenarioColumn {
        label: chrome.t("fc-scenario-base"),
        need: dec(lang, f.totals.need),
        local_contribution: dec(lang, f.totals.local_contribution),
        external_need: dec(lang, f.totals.external_need),
        final_staff: dec(lang, f.totals.final_staff),
    }];
    for (key, s) in scenarios(extra, input.completion_share) {
        let Ok(sf) = forecast(&s.apply(&c.case)) else { continue };
        let label = match key {
            "extra" => chrome.t1(
                "fc-scenario-extra",
                "n",
                &format_decimal(lang, extra, if extra.fract() == 0.0 { 0 } else { 1 }),
            ),
            "retire67" => chrome.t("fc-scenario-retire67"),
            _ => chrome.t("fc-scenario-exit"),
        };
        scenario_cols.push(ScenarioColumn {
            label,
            need: dec(lang, sf.totals.need),
            local_contribution: dec(lang, sf.totals.local_contribution),
            external_need: dec(lang, sf.totals.external_need),
            final_staff: dec(lang, sf.totals.final_staff),
        });
    }
    let driver = match Driver::for_ssyk(ssyk) {
        Driver::Total => chrome.t("fc-driver-total"),
        Driver::Ages { from, to: Some(to) } => {
            chrome.t2("fc-driver-ages", "from", &from.to_string(), "to", &to.to_string())
        }
        Driver::Ages { from, to: None } => chrome.t1("fc-driver-older", "from", &from.to_string()),
    };
    let driver_note = match c.driver_source {
        DriverSource::Population => chrome.t("fc-driver-population"),
        DriverSource::PopulationHeld => chrome.t("fc-driver-held"),
        DriverSource::Flat => chrome.t("fc-driver-flat"),
    };
    let first = f.years.first();
    let last = f.years.last();
    let chart_desc = match (first, last) {
        (Some(a), Some(b)) => chrome.i18n_args(
            "fc-chart-desc",
            &[
                ("from", a.year.to_string()),
                ("to", b.year.to_string()),
                ("demand0", dec(lang, a.demand)),
                ("demand1", dec(lang, b.demand)),
                ("remaining1", dec(lang, b.remaining)),
                ("external", dec(lang, f.totals.external_need)),
            ],
        ),
        _ => String::new(),
    };
    MunicipalityPage {
        demo: chrome.demo_seed.is_some(),
        code: m.code.to_string(),
        municipality: m.name.clone(),
        ssyk: ssyk.to_string(),
        occupation,
        has_input,
        driver,
        driver_note,
        base_year: input.base_year.to_string(),
        start_staff: dec(lang, f.totals.start_staff),
        vacancies: dec(lang, input.vacancies),
        kolada: Vec::new(),
        graduates_text: chrome.i18n_args(
            "fc-graduates-explain",
            &[
                ("students", dec(lang, c.vfu_students)),
                ("share", format_decimal(lang, input.completion_share, 2)),
                ("graduates", dec(lang, c.graduates_per_year)),
                ("retention", format_decimal(lang, input.retention, 2)),
            ],
        ),
        total_need: dec(lang, f.totals.need),
        total_external: dec(lang, f.totals.external_need),
        chart: chart(f, lang),
        chart_desc,
        flows,
        extra: format_decimal(lang, extra, if extra.fract() == 0.0 { 0 } else { 1 }),
        extra_error: None,
        scenarios: scenario_cols,
        may_edit,
        form: form.unwrap_or_else(|| form_of(&input, lang)),
        errors,
        saved,
        chrome,
    }
}

/// The number of extra local VFU students a year (0…100, default 2); `Err` keeps what was typed.
pub(super) fn parse_extra(q: &ExtraQuery) -> Result<f64, String> {
    match q.extra.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(2.0),
        Some(s) => number(s)
            .filter(|x| (0.0..=100.0).contains(x))
            .ok_or_else(|| s.to_string()),
    }
}

pub async fn municipality_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path((code, ssyk)): Path<(String, String)>,
    Query(q): Query<ExtraQuery>,
) -> Response {
    let key = chrome.clone();
    public_page(
        &state,
        &key,
        municipality_response(&state, chrome, &me, &code, &ssyk, q),
    )
    .await
}

pub(super) async fn municipality_response(
    state: &AppState,
    chrome: Chrome,
    me: &MaybeUser,
    code: &str,
    ssyk: &str,
    q: ExtraQuery,
) -> PageResult {
    let (m, ssyk, occupation, data) = municipality_context(state, code, ssyk)
        .await
        .or_unavailable(&chrome)?
        .ok_or_else(|| nf(&chrome))?;
    let may_edit = user_may(me, Action::Write, &Target::ForecastInput { municipality: m.code });
    let saved = q.saved.is_some();
    let kolada = state.store.kolada_values(m.code).await.or_unavailable(&chrome)?;
    let lang = chrome.lang;
    let extra = parse_extra(&q);
    let error = extra
        .as_ref()
        .err()
        .map(|_| chrome.t1("fc-error-extra", "field", &chrome.t("fc-scenario-extra-label")));
    let mut page = municipality_view(
        chrome,
        &m,
        ssyk,
        occupation,
        &data,
        extra.clone().unwrap_or(2.0),
        may_edit,
        None,
        Vec::new(),
        saved,
    );
    if let Err(typed) = extra {
        page.extra = typed;
        page.extra_error = error;
    }
    page.kolada = kolada
        .into_iter()
        .filter(|k| k.gender == "T")
        .map(|k| {
            (
                k.kpi,
                k.period.to_string(),
                k.value
                    .map(|v| format_decimal(lang, v, 1))
                    .unwrap_or_else(|| "–".into()),
            )
        })
        .collect();
    Ok(render(StatusCode::OK, &page))
}

pub async fn municipality_export(
    State(state): State<AppState>,
    Path((code, ssyk, file)): Path<(String, String, String)>,
) -> Response {
    let (m, ssyk, _, data) = match municipality_context(&state, &code, &ssyk).await {
        Ok(Some(v)) => v,
        Ok(None) => return (StatusCode::NOT_FOUND, "no such municipality or occupation").into_response(),
        Err(e) => return crate::http::error::ApiError::from(e).into_response(),
    };
    let input = data
        .inputs
        .iter()
        .find(|i| i.ssyk == ssyk)
        .cloned()
        .unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    let stem = format!("prognos-{}-{}", m.code, ssyk);
    export_response(&flows_table(&data.compute(&input).forecast), &file, &stem, "Prognos")
}

#[derive(Deserialize, Default)]
pub struct InputFormBody {
    #[serde(default)]
    pub base_year: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub vacancies: String,
    #[serde(default)]
    pub completion_share: String,
    #[serde(default)]
    pub retirement_age: String,
    #[serde(default)]
    pub exit_rate: String,
    #[serde(default)]
    pub entry_age: String,
    #[serde(default)]
    pub retention: String,
}

/// The field's label key, for error messages that name the field.
pub(super) fn label_key(field: &str) -> &'static str {
    match field {
        "base_year" => "fc-field-base-year",
        "vacancies" => "fc-field-vacancies",
        "completion_share" => "fc-field-completion-share",
        "retirement_age" => "fc-field-retirement-age",
        "exit_rate" => "fc-field-exit-rate",
        "entry_age" => "fc-field-entry-age",
        "retention" => "fc-field-retention",
        _ => "fc-field-staff",
    }
}

pub(super) fn number(s: &str) -> Option<f64> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace(',', ".")
        .replace('−', "-");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Parse the form into an input; errors per field in the page's language.
pub fn parse_form(
    chrome: &Chrome,
    base: &ForecastInput,
    body: &InputFormBody,
) -> Result<ForecastInput, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut input = base.clone();
    let label = |f: &str| chrome.t(label_key(f));
    let msg = |f: &str, key: &str| (f.to_string(), chrome.t1(key, "field", &label(f)));
    match body.base_year.trim().parse::<i32>() {
        Ok(y) if (1900..=2200).contains(&y) => input.base_year = y,
        _ => errors.push(msg("base_year", "fc-error-year")),
    }
    for (f, slot, key) in [
        ("vacancies", &mut input.vacancies as &mut f64, "fc-error-count"),
        ("completion_share", &mut input.completion_share, "fc-error-share"),
        ("exit_rate", &mut input.exit_rate, "fc-error-share"),
        ("retention", &mut input.retention, "fc-error-share"),
    ] {
        let v = match f {
            "vacancies" => &body.vacancies,
            "completion_share" => &body.completion_share,
            "exit_rate" => &body.exit_rate,
            _ => &body.retention,
        };
        let ok = number(v).filter(|x| {
            if key == "fc-error-share" {
                (0.0..=1.0).contains(x)
            } else {
                *x >= 0.0
            }
        });
        match ok {
            Some(x) => *slot = x,
            None => errors.push(msg(f, key)),
        }
    }
    for (f, v) in [("retirement_age", &body.retirement_age), ("entry_age", &body.entry_age)] {
        match v.trim().parse::<u32>() {
            Ok(a) if (15..=80).contains(&a) => {
                if f == "retirement_age" {
                    input.retirement_age = a
                } else {
                    input.entry_age = a
                }
            }
            _ => errors.push(msg(f, "fc-error-age")),
        }
    }
    let mut staff = BTreeMap::new();
    for (i, line) in body.staff.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split([';', ':', '\t', ' ']).filter(|p| !p.is_empty());
        let (age, n) = (parts.next(), parts.next());
        let parsed = match (
            age.and_then(|a| a.parse::<u32>().ok()),
            n.and_then(number),
            parts.next(),
        ) {
            (Some(a), Some(n), None) if (15..=80).contains(&a) && n >= 0.0 => Some((a, n)),
            _ => None,
        };
        match parsed {
            Some((a, n)) => *staff.entry(a).or_insert(0.0) += n,
            None => {
                errors.push((
                    "staff".into(),
                    chrome.t2(
                        "fc-error-staff-line",
                        "field",
                        &label("staff"),
                        "line",
                        &(i + 1).to_string(),
                    ),
                ));
                break;
            }
        }
    }
    input.staff_by_age = staff;
    if errors.is_empty() {
        // The core rules again (the same checks the store makes).
        if let Err(es) = input.validate() {
            errors.extend(es.into_iter().map(|e: FieldError| {
                let f = if e.field.starts_with("staff_by_age") {
                    "staff".to_string()
                } else {
                    e.field.clone()
                };
                let text = crate::ui::field_errors::error_text(chrome, &label(&f), &e);
                (f, text)
            }));
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// The signed-in user whom the write route's guard lets change the municipality's inputs.
pub(super) fn editor(chrome: &Chrome, me: MaybeUser, guard: &Guard, kod: Kommunkod) -> PageResult<UserRecord> {
    let user = signed_in(chrome, me)?;
    if !guard.allows(&user.principal(), &Target::ForecastInput { municipality: kod }) {
        return Err(forbidden(chrome.clone()).into());
    }
    Ok(user)
}

pub async fn save_input(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((code, ssyk)): Path<(String, String)>,
    Form(body): Form<InputFormBody>,
) -> PageResult {
    let (m, ssyk, occupation, data) = municipality_context(&state, &code, &ssyk)
        .await
        .or_unavailable(&chrome)?
        .ok_or_else(|| nf(&chrome))?;
    let user = editor(&chrome, me, &guard, m.code)?;
    let base = data
        .inputs
        .iter()
        .find(|i| i.ssyk == ssyk)
        .cloned()
        .unwrap_or_else(|| ForecastInput::new(m.code, ssyk, kkig_core::forecast::product::DEMO_BASE_YEAR));
    match parse_form(&chrome, &base, &body) {
        Ok(input) => {
            state
                .store
                .save_forecast_input(&input, &Actor::user(&user.id))
                .await
                .or_unavailable(&chrome)?;
            Ok(Redirect::to(&format!(
                "/prognos/kommun/{}/{ssyk}?saved=1&lang={}#inmatning",
                m.code,
                chrome.lang_code()
            ))
            .into_response())
        }
        Err(errors) => {
            let form = InputForm {
                base_year: body.base_year,
                staff: body.staff,
                vacancies: body.vacancies,
                completion_share: body.completion_share,
                retirement_age: body.retirement_age,
                exit_rate: body.exit_rate,
                entry_age: body.entry_age,
                retention: body.retention,
            };
            let page = municipality_view(
                chrome,
                &m,
                ssyk,
                occupation,
                &data,
                2.0,
                true,
                Some(form),
                errors,
                false,
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}
