//! The VFU pages' forms: fields with their errors, breadcrumbs, and the one template that renders
//! them (`vfu/form.html`); a store's answer to a write as a form's errors.

use super::*;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One input of a form; `name` is the input name and the core's field name.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// `text`, `email`, `number`, `date`, `select`, `checkbox`, `textarea`.
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub error: Option<String>,
    pub required: bool,
    pub options: Vec<Opt>,
    /// Prefix of the element ids, so that two forms on one page do not clash.
    pub prefix: &'static str,
}

impl Field {
    pub(super) fn new(
        prefix: &'static str,
        name: &'static str,
        label: String,
        kind: &'static str,
        value: &str,
    ) -> Self {
        Self {
            name,
            label,
            kind,
            value: value.to_string(),
            hint: String::new(),
            error: None,
            required: false,
            options: Vec::new(),
            prefix,
        }
    }
    pub(super) fn hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }
    pub(super) fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub(super) fn options(mut self, opts: Vec<(String, String)>) -> Self {
        let v = self.value.clone();
        self.options = opts
            .into_iter()
            .map(|(value, label)| Opt {
                selected: value == v,
                value,
                label,
            })
            .collect();
        self
    }
    pub fn id(&self) -> String {
        format!("{}-{}", self.prefix, self.name)
    }
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id()));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id()));
        }
        ids.join(" ")
    }
    pub fn checked(&self) -> bool {
        matches!(self.value.trim(), "1" | "ja" | "yes" | "true" | "on" | "x")
    }
}

/// A message of the error summary: the id of the field it links to (empty: none) and the text.
pub struct Problem {
    pub target: String,
    pub text: String,
}

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

pub(super) fn saved<T>(chrome: &Chrome, r: Result<T, StoreError>) -> Result<Saved<T>, Response> {
    match r {
        Ok(v) => Ok(Saved::Ok(v)),
        Err(StoreError::Fields(e)) => Ok(Saved::Invalid(e)),
        Err(StoreError::Conflict(m)) | Err(StoreError::Invalid(m)) => Ok(Saved::Invalid(vec![FieldError::new("", m)])),
        Err(e) => Err(unavailable(chrome.clone(), &e)),
    }
}
