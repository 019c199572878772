//! A municipality's training need: expected students against trained supervisors.

use super::*;

pub struct NeedRow {
    pub field: String,
    pub term: String,
    pub own: u32,
    pub open: u32,
    pub demand: u32,
    pub capacity: u32,
    pub trained: u32,
    pub in_training: u32,
    pub gap: u32,
}

pub struct CandidateRow {
    pub id: String,
    pub name: String,
    pub training: String,
    pub invite: String,
    pub fields: String,
    pub students: u32,
    pub invitable: bool,
}

#[derive(Template)]
#[template(path = "vfu/need.html")]
pub struct NeedPage {
    pub chrome: Chrome,
    /// The user may change what the page shows (else it is read only).
    pub writable: bool,
    pub code: String,
    pub name: String,
    pub share: String,
    pub rows: Vec<NeedRow>,
    pub candidates: Vec<CandidateRow>,
}

pub(super) async fn need_page(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(kod): Path<String>,
) -> PageResult {
    let m = muni(&state, &chrome, me, &kod, Ask::May(Action::Read)).await?;
    let need = state.store.training_need(m.code).await.or_unavailable(&chrome)?;
    let rows = need
        .rows
        .iter()
        .map(|r| NeedRow {
            field: l_field(&chrome, r.field),
            term: l_term(&chrome, r.term),
            own: r.students_from_municipality,
            open: r.not_yet_listed,
            demand: r.expected_demand,
            capacity: r.trained_capacity,
            trained: r.trained_supervisors,
            in_training: r.in_training_capacity,
            gap: r.gap,
        })
        .collect();
    let candidates = need
        .candidates
        .iter()
        .map(|c| CandidateRow {
            id: c.supervisor_id.to_string(),
            name: c.name.clone(),
            training: l_training(&chrome, c.training),
            invite: l_invite(&chrome, c.invite),
            fields: c
                .fields_with_gap
                .iter()
                .map(|f| l_field(&chrome, *f))
                .collect::<Vec<_>>()
                .join(", "),
            students: c.students_per_period,
            invitable: c.invite == InviteStatus::NotInvited,
        })
        .collect();
    let share = crate::ui::i18n::format_decimal(chrome.lang, need.share * 100.0, 1);
    Ok(render(
        StatusCode::OK,
        &NeedPage {
            chrome,
            writable: m.writable(),
            code: m.code.to_string(),
            name: m.name,
            share,
            rows,
            candidates,
        },
    ))
}
