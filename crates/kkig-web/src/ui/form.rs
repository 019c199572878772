//! One input of a form as the pages render it ([`Field`]), with its choices ([`Opt`]) and the
//! entries of a form's error summary ([`Problem`]); the VFU, allocation and forecast pages
//! build their forms from these.

/// A choice of a `select`.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One input of a form; `name` is the input name and the core's field name.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    /// `text`, `email`, `number`, `date`, `select`, `checkbox`, `textarea` (or a page's own,
    /// such as the VFU site form's `choice`).
    pub kind: &'static str,
    pub value: String,
    pub hint: String,
    pub error: Option<String>,
    pub required: bool,
    pub options: Vec<Opt>,
    /// Prefix of the element ids, so that two forms on one page do not clash; empty: the id is
    /// the name.
    pub prefix: &'static str,
    /// The `inputmode` of a text input (e.g. `decimal`, `numeric`); empty: none chosen.
    pub inputmode: &'static str,
}

impl Field {
    pub fn new(prefix: &'static str, name: &'static str, label: String, kind: &'static str, value: &str) -> Self {
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
            inputmode: "",
        }
    }
    pub fn hint(mut self, hint: String) -> Self {
        self.hint = hint;
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn inputmode(mut self, inputmode: &'static str) -> Self {
        self.inputmode = inputmode;
        self
    }
    /// The choices of a `select` as (value, label); the one equal to the field's value is selected.
    pub fn options(mut self, opts: Vec<(String, String)>) -> Self {
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
        if self.prefix.is_empty() {
            self.name.to_string()
        } else {
            format!("{}-{}", self.prefix, self.name)
        }
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
