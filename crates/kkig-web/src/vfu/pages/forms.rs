//! The VFU pages' forms: errors put next to their fields ([`crate::ui::form::Field`]) in the page's
//! language, breadcrumbs, the one template that renders them (`vfu/form.html`), and a store's
//! answer to a write as a form's errors.

use super::*;

/// Put each error next to its field (the first per field), in the page's language with the
/// field's label; returns the summary, in the order of the fields.
pub(super) fn attach(chrome: &Chrome, fields: &mut [Field], errors: &[FieldError]) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in fields.iter_mut() {
        for e in errors.iter().filter(|e| e.field == f.name) {
            let text = error_text(chrome, &f.label, e);
            if out.iter().any(|p: &Problem| p.target == f.id() && p.text == text) {
                continue;
            }
            out.push(Problem {
                target: f.id(),
                text: text.clone(),
            });
            if f.error.is_none() {
                f.error = Some(text);
            }
        }
    }
    for e in errors.iter().filter(|e| !fields.iter().any(|f| f.name == e.field)) {
        out.push(Problem {
            target: String::new(),
            text: error_text(chrome, &e.field, e),
        });
    }
    out
}

pub struct Crumb {
    pub href: String,
    pub label: String,
}

pub(super) fn crumbs(list: &[(&str, String)]) -> Vec<Crumb> {
    list.iter()
        .map(|(h, l)| Crumb {
            href: h.to_string(),
            label: l.clone(),
        })
        .collect()
}

/// One term's answer of a site, with the action that deletes it.
pub struct HostingRow {
    pub cells: [String; 4],
    pub delete_action: String,
}

/// A site's hosting answers on its edit page, with the form to set one.
pub struct HostingSection {
    pub rows: Vec<HostingRow>,
    pub action: String,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
}

#[derive(Template)]
#[template(path = "vfu/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub title: String,
    pub crumbs: Vec<Crumb>,
    pub intro: String,
    pub notice: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub problems: Vec<Problem>,
    pub delete_action: String,
    pub hosting: Option<HostingSection>,
    /// The checkboxes of a `choice` field (a site's fields), shown in its place among `fields`.
    pub choice: Option<FieldChoice>,
}

impl FormPage {
    pub(super) fn new(chrome: Chrome, title: String, crumbs: Vec<Crumb>, action: String, fields: Vec<Field>) -> Self {
        let submit = chrome.t("vfu-save");
        Self {
            chrome,
            title,
            crumbs,
            intro: String::new(),
            notice: String::new(),
            action,
            submit,
            fields,
            problems: Vec::new(),
            delete_action: String::new(),
            hosting: None,
            choice: None,
        }
    }
    pub(super) fn errors(mut self, errors: &[FieldError]) -> Self {
        self.problems = attach(&self.chrome, &mut self.fields, errors);
        self
    }
    fn status(&self) -> StatusCode {
        if self.problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
    pub(super) fn respond(self) -> Response {
        let status = if self.hosting.as_ref().is_some_and(|h| !h.problems.is_empty()) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            self.status()
        };
        render(status, &self)
    }
}

/// The store's answer to a write: field errors go back to the form, anything else is a page.
pub(super) enum Saved<T> {
    Ok(T),
    Invalid(Vec<FieldError>),
}

pub(super) fn saved<T>(chrome: &Chrome, r: Result<T, StoreError>) -> PageResult<Saved<T>> {
    match r {
        Ok(v) => Ok(Saved::Ok(v)),
        Err(StoreError::Fields(e)) => Ok(Saved::Invalid(e)),
        Err(StoreError::Conflict(m)) | Err(StoreError::Invalid(m)) => Ok(Saved::Invalid(vec![FieldError::new("", m)])),
        Err(e) => Err(unavailable(chrome.clone(), &e).into()),
    }
}
