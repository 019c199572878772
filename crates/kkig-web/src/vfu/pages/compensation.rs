//! A municipality's compensation basis, as a page, CSV and XLSX.

use super::*;

/// A term (`HT2026`) or a year (`2026`) to show; `None` for every term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TermFilter {
    Term(Term),
    Year(i32),
}

impl TermFilter {
    fn parse(s: &str) -> Option<TermFilter> {
        let t = s.trim();
        if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().ok().map(TermFilter::Year);
        }
        Term::parse(t).ok().map(TermFilter::Term)
    }
    fn value(self) -> String {
        match self {
            Self::Term(t) => t.to_string(),
            Self::Year(y) => y.to_string(),
        }
    }
    fn keeps(self, t: Term) -> bool {
        match self {
            Self::Term(x) => x == t,
            Self::Year(y) => t.year == y,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CompensationQuery {
    pub termin: Option<String>,
}

pub struct CompensationRowView {
    pub university: String,
    pub term: String,
    pub placements: u32,
    pub weeks: String,
    pub placement_weeks: u32,
}

#[derive(Template)]
#[template(path = "vfu/compensation.html")]
pub struct CompensationPage {
    pub chrome: Chrome,
    pub code: String,
    pub name: String,
    pub filter: Vec<Opt>,
    pub filter_label: String,
    pub rows: Vec<CompensationRowView>,
    pub total_placements: u32,
    pub total_weeks: u32,
    pub csv_href: String,
    pub xlsx_href: String,
}

/// The municipality's compensation basis with the reader's scope of the API: the municipality,
/// regional coordinators and the universities read it.
pub(super) async fn compensation_rows(
    state: &AppState,
    chrome: &Chrome,
    me: MaybeUser,
    kod: &str,
    q: &CompensationQuery,
) -> PageResult<(
    Kommunkod,
    String,
    Vec<kkig_core::vfu::views::CompensationRow>,
    Vec<Term>,
    Option<TermFilter>,
)> {
    let user = signed_in(chrome, me)?;
    let code = Kommunkod::parse(kod).map_err(|_| nf(chrome))?;
    let m = state
        .store
        .municipality(code)
        .await
        .or_unavailable(chrome)?
        .ok_or_else(|| nf(chrome))?;
    if !user
        .principal()
        .may(Action::Read, &Target::VfuMunicipal { municipality: code })
    {
        return Err(forbidden(chrome.clone()).into());
    }
    let all = state
        .store
        .compensation_basis(Some(code))
        .await
        .or_unavailable(chrome)?;
    let mut terms: Vec<Term> = all.iter().map(|r| r.term).collect();
    terms.sort();
    terms.dedup();
    let filter = q.termin.as_deref().and_then(TermFilter::parse);
    let rows = all
        .into_iter()
        .filter(|r| filter.is_none_or(|f| f.keeps(r.term)))
        .collect();
    Ok((code, m.name, rows, terms, filter))
}

pub(super) fn compensation_query(filter: Option<TermFilter>) -> String {
    filter.map(|f| format!("?termin={}", f.value())).unwrap_or_default()
}

pub(super) async fn compensation_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> PageResult {
    let (code, name, rows, terms, filter) = compensation_rows(&state, &chrome, me, &kod, &q).await?;
    let unis: BTreeMap<String, String> = state
        .store
        .universities()
        .await
        .or_unavailable(&chrome)?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut years: Vec<i32> = terms.iter().map(|t| t.year).collect();
    years.dedup();
    let mut choices = vec![(String::new(), chrome.t("vfu-comp-all-terms"))];
    for y in years.iter().rev() {
        choices.push((y.to_string(), chrome.t1("vfu-comp-year", "year", &y.to_string())));
        for t in terms.iter().rev().filter(|t| t.year == *y) {
            choices.push((t.to_string(), l_term(&chrome, *t)));
        }
    }
    // A filter for a term without placements is still offered, so that the choice is kept.
    if let Some(f) = filter {
        if !choices.iter().any(|(v, _)| *v == f.value()) {
            let label = match f {
                TermFilter::Term(t) => l_term(&chrome, t),
                TermFilter::Year(y) => chrome.t1("vfu-comp-year", "year", &y.to_string()),
            };
            choices.push((f.value(), label));
        }
    }
    let selected = filter.map(|f| f.value()).unwrap_or_default();
    let filter_label = choices
        .iter()
        .find(|(v, _)| *v == selected)
        .map(|(_, l)| l.clone())
        .unwrap_or_default();
    let filter_opts = choices
        .into_iter()
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect();
    let views: Vec<CompensationRowView> = rows
        .iter()
        .map(|r| CompensationRowView {
            university: unis
                .get(&r.university)
                .map(|n| format!("{n} ({})", r.university))
                .unwrap_or_else(|| r.university.clone()),
            term: l_term(&chrome, r.term),
            placements: r.placements,
            weeks: if r.placements == 0 {
                "–".into()
            } else {
                crate::ui::i18n::format_decimal(chrome.lang, f64::from(r.student_weeks) / f64::from(r.placements), 1)
            },
            placement_weeks: r.student_weeks,
        })
        .collect();
    let base = format!("/vfu/kommun/{code}/ersattning");
    let query = compensation_query(filter);
    let page = CompensationPage {
        code: code.to_string(),
        name,
        filter: filter_opts,
        filter_label,
        total_placements: rows.iter().map(|r| r.placements).sum(),
        total_weeks: rows.iter().map(|r| r.student_weeks).sum(),
        rows: views,
        csv_href: format!("{base}.csv{query}"),
        xlsx_href: format!("{base}.xlsx{query}"),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

pub(super) async fn compensation_download(
    state: AppState,
    chrome: Chrome,
    me: MaybeUser,
    kod: String,
    q: CompensationQuery,
    xlsx: bool,
) -> PageResult {
    let (code, _, rows, _, filter) = compensation_rows(&state, &chrome, me, &kod, &q).await?;
    let suffix = filter.map(|f| format!("-{}", f.value())).unwrap_or_default();
    let table = kkig_formats::vfu::compensation_table(&rows);
    Ok(crate::vfu::api::download_sheet(
        table,
        xlsx,
        &format!("ersattningsunderlag-{code}{suffix}"),
        "Ersättningsunderlag",
    )
    .into_response())
}

pub(super) async fn compensation_csv(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> PageResult {
    compensation_download(state, chrome, me, kod, q, false).await
}

pub(super) async fn compensation_xlsx(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
    Query(q): Query<CompensationQuery>,
) -> PageResult {
    compensation_download(state, chrome, me, kod, q, true).await
}
