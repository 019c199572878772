//! The contact persons of a municipality's VFU.

use super::*;

/// A contact person as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ContactBody {
    /// A RACI role, e.g. municipal_coordinator.
    pub role: String,
    /// teacher, nursing or social_work; left out: every programme type.
    pub programme: Option<String>,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Work title or unit, e.g. "Rektor, Björkskolan".
    pub title: Option<String>,
}

impl ContactBody {
    fn contact(self, id: &str, municipality: Kommunkod) -> R<VfuContact> {
        let mut errors = Vec::new();
        let role = RaciRole::parse(&self.role);
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                format!(
                    "unknown role {:?}; expected one of {}",
                    self.role,
                    RaciRole::ALL.map(|r| r.as_str()).join(", ")
                ),
            ));
        }
        let programme = match empty_none(self.programme) {
            None => None,
            Some(p) => {
                let parsed = ProgrammeType::parse(&p);
                if parsed.is_none() {
                    errors.push(FieldError::new(
                        "programme",
                        format!("unknown programme {p:?}; expected teacher, nursing or social_work"),
                    ));
                }
                parsed
            }
        };
        let c = VfuContact {
            id: id.into(),
            person_id: PersonId::default(),
            municipality,
            role: role.unwrap_or(RaciRole::MunicipalCoordinator),
            programme,
            name: self.name.trim().into(),
            email: self.email.trim().into(),
            phone: self.phone.unwrap_or_default().trim().into(),
            title: self.title.unwrap_or_default().trim().into(),
        };
        errors.extend(kkig_core::vfu::raci::validate_contact(&c));
        if errors.is_empty() {
            Ok(c)
        } else {
            Err(invalid(errors))
        }
    }
}

/// The contact persons of a municipality per role, with their work e-mail and phone. Public,
/// like the municipality's "vem gör vad" page that shows them.
#[utoipa::path(get, path = "/api/v1/vfu/municipalities/{code}/contacts", tag = "vfu", params(("code" = String, Path, example = "2422")),
    responses((status = 200, body = [ContactRecord]), NotFound))]
pub async fn list_contacts(State(state): State<AppState>, Path(code): Path<String>) -> R<Json<Vec<ContactRecord>>> {
    let m = known_municipality(&state, &code).await?;
    let contacts = state.store.vfu_contacts(Some(m)).await?;
    Ok(Json(contacts.iter().map(contact_record).collect()))
}

/// Name a contact person for a role (the municipality's coordinators).
#[utoipa::path(post, path = "/api/v1/vfu/municipalities/{code}/contacts", tag = "vfu", security(("bearer" = [])),
    params(("code" = String, Path, example = "2422")), request_body = ContactBody,
    responses((status = 201, body = ContactRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn create_contact(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(code): Path<String>,
    b: Result<Json<ContactBody>, JsonRejection>,
) -> R<(StatusCode, Json<ContactRecord>)> {
    let m = known_municipality(&state, &code).await?;
    if !guard.allows(&u.principal(), &municipal(m)) {
        return Err(forbidden(format!("the contact persons of municipality {m}")));
    }
    let c = body(b)?.contact("", m)?;
    let saved = state.store.create_vfu_contact(&c, &actor(&u)).await?;
    Ok((StatusCode::CREATED, Json(contact_record(&saved))))
}

pub(super) async fn existing_contact(state: &AppState, u: &UserRecord, id: &str) -> R<VfuContact> {
    let found = state.store.vfu_contacts(None).await?.into_iter().find(|c| c.id == id);
    match found {
        Some(c) if may_municipal(&u.principal(), Action::Read, c.municipality) => Ok(c),
        _ => Err(not_found(format!("contact {id}"))),
    }
}

/// Replace a contact person.
#[utoipa::path(put, path = "/api/v1/vfu/contacts/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)), request_body = ContactBody,
    responses((status = 200, body = ContactRecord), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
pub async fn put_contact(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<String>,
    b: Result<Json<ContactBody>, JsonRejection>,
) -> R<Json<ContactRecord>> {
    let old = existing_contact(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "the contact persons of municipality {}",
            old.municipality
        )));
    }
    let mut c = body(b)?.contact(&id, old.municipality)?;
    c.person_id = old.person_id.clone();
    state.store.update_vfu_contact(&c, &actor(&u)).await?;
    let saved = existing_contact(&state, &u, &id).await?;
    Ok(Json(contact_record(&saved)))
}

/// Remove a contact person.
#[utoipa::path(delete, path = "/api/v1/vfu/contacts/{id}", tag = "vfu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
pub async fn delete_contact(
    State(state): State<AppState>,
    ApiUser(u): ApiUser,
    guard: Guard,
    Path(id): Path<String>,
) -> R<StatusCode> {
    let old = existing_contact(&state, &u, &id).await?;
    if !guard.allows(&u.principal(), &municipal(old.municipality)) {
        return Err(forbidden(format!(
            "the contact persons of municipality {}",
            old.municipality
        )));
    }
    state.store.delete_vfu_contact(&id, &actor(&u)).await.map_err(blocked)?;
    Ok(StatusCode::NO_CONTENT)
}
