//! Accounts: signing in and out, one's own account and API tokens, password links, the
//! administrators' pages (users, audit log), the privacy page, editing a learning centre's
//! services, and the authenticated part of the JSON API (`me`, persons, tokens, audit).

pub mod account;
pub mod api;
pub mod manage;

use utoipa::OpenApi;

use crate::http::guard::{Op, Routes, Surface};

/// The accounts' API routes, relative to `/api` (merged into the API router).
pub fn api_routes() -> Routes {
    Routes::new(Surface::Api)
        .get("/v1/me", api::me)
        .get("/v1/me/tokens", api::tokens)
        .delete("/v1/me/tokens/{id}", Op::TokenRevoke, api::revoke_token)
        .get("/v1/persons/{id}", api::person)
        .put(
            "/v1/learning-centres/{id}/services",
            Op::LearningCentreServices,
            api::put_services,
        )
        .get("/v1/audit", api::audit)
}

/// The accounts' part of the OpenAPI document: the documented API routes of
/// [`api_routes`] and their schemas (merged into the document by [`crate::api_doc`]).
#[derive(OpenApi)]
#[openapi(
    paths(api::me, api::tokens, api::revoke_token, api::person, api::put_services, api::audit),
    components(schemas(api::Me, api::ServicesInput, kkig_store::AuditEntry, kkig_store::TokenRecord))
)]
pub struct ApiDoc;

/// The accounts' pages.
pub fn page_routes() -> Routes {
    Routes::new(Surface::Page)
        .get("/integritet", manage::privacy)
        .get("/logga-in", account::login_form)
        .post("/logga-in", Op::SignIn, account::login)
        .post("/logga-ut", Op::SignOut, account::logout)
        .get("/konto", account::account)
        .post("/konto/nycklar", Op::TokenCreate, account::create_token)
        .post("/konto/nycklar/{id}/aterkalla", Op::TokenRevoke, account::revoke_token)
        .get("/losenord/{secret}", account::set_password_form)
        .post("/losenord/{secret}", Op::SetPassword, account::set_password)
        .get("/admin/anvandare", manage::users)
        .post(
            "/admin/anvandare/{id}/losenordslank",
            Op::AccountPasswordLink,
            manage::reset_link,
        )
        .post("/admin/anvandare/{id}/{what}", Op::AccountDisable, manage::set_disabled)
        .get("/admin/logg", manage::audit)
        .get("/larcentrum/{id}/andra", manage::lc_edit_form)
        .post("/larcentrum/{id}/andra", Op::LearningCentreServices, manage::lc_edit)
}
