//! Pages for administrators (users, audit log), the privacy page, and editing a shared record
//! (a learning centre's services) within the editor's scope.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use kkig_core::access::{Action, Target};
use kkig_core::ids::UserId;
use kkig_core::privacy::{hash_token, DEFAULT_RETENTION_MONTHS};
use kkig_core::LearningCentreServices;
use kkig_store::{Actor, AuditEntry, UserRecord};
use serde::Deserialize;

use crate::http::auth::{new_secret, MaybeUser};
use crate::http::clock::now;
use crate::http::guard::Guard;
use crate::ui::page::{forbidden, nf, render, Chrome, OrUnavailable, PageResult};
use crate::ui::page::{format_time, signed_in, signed_in_reading};
use crate::AppState;

/// The signed-in administrator, or the response for everyone else.
/// The signed-in administrator whom the write route's guard lets change accounts.
fn admin_writing(chrome: &Chrome, me: MaybeUser, guard: &Guard) -> PageResult<UserRecord> {
    let user = signed_in(chrome, me)?;
    if guard.allows(&user.principal(), &Target::Administration) {
        Ok(user)
    } else {
        Err(forbidden(chrome.clone()).into())
    }
}

fn admin(chrome: &Chrome, me: MaybeUser) -> PageResult<UserRecord> {
    Ok(signed_in_reading(chrome, me, &Target::Administration)?)
}

pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub scope: String,
    pub status: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "accounts/admin_users.html")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub users: Vec<UserRow>,
    pub link: Option<(String, String)>,
}

async fn users_page(state: &AppState, chrome: Chrome, link: Option<(String, String)>) -> PageResult {
    let users = state.store.users().await.or_unavailable(&chrome)?;
    let users = users
        .into_iter()
        .map(|u| UserRow {
            status: if u.disabled {
                chrome.t("user-disabled")
            } else if u.password_hash.is_none() {
                chrome.t("user-no-password")
            } else {
                chrome.t("user-active")
            },
            role: chrome.t(&format!("role-{}", u.role.as_str())),
            scope: u.scope.clone().unwrap_or_default(),
            disabled: u.disabled,
            id: String::from(u.id),
            email: u.email,
            name: u.name,
        })
        .collect();
    Ok(render(StatusCode::OK, &UsersPage { chrome, users, link }))
}

pub async fn users(State(state): State<AppState>, chrome: Chrome, me: MaybeUser) -> PageResult {
    admin(&chrome, me)?;
    users_page(&state, chrome, None).await
}

pub async fn set_disabled(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path((id, what)): Path<(UserId, String)>,
) -> PageResult {
    let me = admin_writing(&chrome, me, &guard)?;
    let disabled = match what.as_str() {
        "inaktivera" => true,
        "aktivera" => false,
        _ => return Err(nf(&chrome).into()),
    };
    if !state
        .store
        .set_user_disabled(&id, disabled, &Actor::user(&me.id))
        .await
        .or_unavailable(&chrome)?
    {
        return Err(nf(&chrome).into());
    }
    Ok(Redirect::to("/admin/anvandare").into_response())
}

/// How long a password link is valid.
pub const RESET_LINK_DAYS: i64 = 7;

/// Create a one-time link to choose a password; returns the path `/losenord/SECRET`.
pub async fn create_reset_path(
    state: &AppState,
    user_id: &UserId,
    actor: &Actor,
) -> Result<String, kkig_store::StoreError> {
    let secret = new_secret();
    state
        .store
        .create_password_reset(user_id, &hash_token(&secret), now() + RESET_LINK_DAYS * 86_400, actor)
        .await?;
    Ok(format!("/losenord/{secret}"))
}

pub async fn reset_link(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<UserId>,
) -> PageResult {
    let me = admin_writing(&chrome, me, &guard)?;
    let target = state
        .store
        .user_by_id(&id)
        .await
        .or_unavailable(&chrome)?
        .ok_or_else(|| nf(&chrome))?;
    let path = create_reset_path(&state, &target.id, &Actor::user(&me.id))
        .await
        .or_unavailable(&chrome)?;
    users_page(
        &state,
        chrome,
        Some((target.email, format!("{}{path}", state.config.base_url))),
    )
    .await
}

pub struct AuditRow {
    pub time: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub change: String,
}

#[derive(Template)]
#[template(path = "accounts/admin_audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub since: String,
    pub error: Option<String>,
    pub rows: Vec<AuditRow>,
}

#[derive(Deserialize, Default)]
pub struct SinceQuery {
    pub since: Option<String>,
}

/// `YYYY-MM-DD` as unix seconds at midnight UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let d = time::Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(d.midnight().assume_utc().unix_timestamp())
}

pub fn audit_rows(chrome: &Chrome, entries: Vec<AuditEntry>) -> Vec<AuditRow> {
    entries
        .into_iter()
        .rev()
        .map(|e| AuditRow {
            time: format_time(e.at),
            actor: e.actor,
            action: e.action,
            entity: format!("{} {}", e.entity, e.entity_id),
            change: if e.redacted {
                chrome.t("audit-redacted")
            } else {
                format!(
                    "{} → {}",
                    e.before.unwrap_or_else(|| "–".into()),
                    e.after.unwrap_or_else(|| "–".into())
                )
            },
        })
        .collect()
}

pub async fn audit(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Query(q): Query<SinceQuery>,
) -> PageResult {
    admin(&chrome, me)?;
    let default_since = time::OffsetDateTime::now_utc().date() - time::Duration::days(30);
    let since_text = q
        .since
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| default_since.to_string());
    let (since, error, status) = match parse_date(&since_text) {
        Some(t) => (t, None, StatusCode::OK),
        None => (0, Some(chrome.t("error-date")), StatusCode::BAD_REQUEST),
    };
    let entries = if error.is_none() {
        state.store.audit_since(since, 500).await.or_unavailable(&chrome)?
    } else {
        Vec::new()
    };
    let rows = audit_rows(&chrome, entries);
    Ok(render(
        status,
        &AuditPage {
            chrome,
            since: since_text,
            error,
            rows,
        },
    ))
}

#[derive(Template)]
#[template(path = "accounts/privacy.html")]
pub struct PrivacyPage {
    pub chrome: Chrome,
    pub months: u32,
}

pub async fn privacy(State(state): State<AppState>, chrome: Chrome) -> Response {
    let months = state.config.retention_months.unwrap_or(DEFAULT_RETENTION_MONTHS);
    render(StatusCode::OK, &PrivacyPage { chrome, months })
}

#[derive(Template)]
#[template(path = "accounts/lc_edit.html")]
pub struct LcEditPage {
    pub chrome: Chrome,
    pub id: String,
    pub name: String,
    pub municipality: String,
    pub study_places: String,
    pub video_rooms: String,
    pub exam_sittings: bool,
    pub study_guidance: bool,
    pub errors: Vec<String>,
    pub saved: bool,
}

/// Find a learning centre and check that the user may change it (with the write route's
/// guard when saving, the same rule when showing the form).
async fn editable_centre(
    state: &AppState,
    chrome: &Chrome,
    me: MaybeUser,
    id: &str,
    guard: Option<&Guard>,
) -> PageResult<(UserRecord, kkig_store::LearningCentreEntry)> {
    let user = signed_in(chrome, me)?;
    let centres = state.store.learning_centres().await.or_unavailable(chrome)?;
    let Some(entry) = centres.into_iter().find(|c| c.centre.id == id) else {
        return Err(nf(chrome).into());
    };
    let target = Target::MunicipalityRecord {
        municipality: entry.centre.municipality,
    };
    let allowed = match guard {
        Some(g) => g.allows(&user.principal(), &target),
        None => user.principal().may(Action::Write, &target),
    };
    if !allowed {
        return Err(forbidden(chrome.clone()).into());
    }
    Ok((user, entry))
}

pub async fn lc_edit_form(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    Path(id): Path<String>,
) -> PageResult {
    let (_, entry) = editable_centre(&state, &chrome, me, &id, None).await?;
    let s = entry.services.clone();
    Ok(render(
        StatusCode::OK,
        &LcEditPage {
            id: entry.centre.id,
            name: entry.centre.name,
            municipality: entry.centre.municipality.to_string(),
            study_places: s.as_ref().map(|s| s.study_places.to_string()).unwrap_or_default(),
            video_rooms: s.as_ref().map(|s| s.video_rooms.to_string()).unwrap_or_default(),
            exam_sittings: s.as_ref().is_some_and(|s| s.exam_sittings),
            study_guidance: s.as_ref().is_some_and(|s| s.study_guidance),
            errors: Vec::new(),
            saved: false,
            chrome,
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct LcForm {
    #[serde(default)]
    pub study_places: String,
    #[serde(default)]
    pub video_rooms: String,
    pub exam_sittings: Option<String>,
    pub study_guidance: Option<String>,
}

fn count(chrome: &Chrome, field_key: &str, value: &str, errors: &mut Vec<String>) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(n) if (0..=10_000).contains(&n) => n,
        _ => {
            errors.push(chrome.t1("error-count", "field", &chrome.t(field_key)));
            0
        }
    }
}

pub async fn lc_edit(
    State(state): State<AppState>,
    chrome: Chrome,
    me: MaybeUser,
    guard: Guard,
    Path(id): Path<String>,
    Form(form): Form<LcForm>,
) -> PageResult {
    let (user, entry) = editable_centre(&state, &chrome, me, &id, Some(&guard)).await?;
    let mut errors = Vec::new();
    let study_places = count(&chrome, "service-study-places", &form.study_places, &mut errors);
    let video_rooms = count(&chrome, "service-video-rooms", &form.video_rooms, &mut errors);
    let services = LearningCentreServices {
        learning_centre_id: entry.centre.id.clone(),
        study_places,
        exam_sittings: form.exam_sittings.is_some(),
        video_rooms,
        study_guidance: form.study_guidance.is_some(),
    };
    let saved = errors.is_empty();
    if saved {
        state
            .store
            .update_learning_centre_services(&services, &Actor::user(&user.id))
            .await
            .or_unavailable(&chrome)?;
        state.recheck_data_version();
    }
    let status = if saved {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &LcEditPage {
            id: entry.centre.id,
            name: entry.centre.name,
            municipality: entry.centre.municipality.to_string(),
            study_places: form.study_places,
            video_rooms: form.video_rooms,
            exam_sittings: services.exam_sittings,
            study_guidance: services.study_guidance,
            errors,
            saved,
            chrome,
        },
    ))
}
