//! The shared vocabulary of input, used by every capability (VFU, forecast, allocation, and the
//! store and the web layer with them): what is wrong with one field ([`FieldProblem`], as data,
//! with its English message) and the error naming the field ([`FieldError`]), and calendar
//! [`Day`]s and [`Term`]s as files, forms and the API write them.

mod calendar;
mod problem;

pub use calendar::{Day, Season, Term};
pub use problem::FieldProblem;

use serde::{Deserialize, Serialize};

/// One problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field (and file column) name, e.g. `employment_percent`.
    pub field: String,
    /// In English, for the API, the CLI and import reports.
    pub message: String,
    /// The problem as data, for pages in other languages; `Other` for a message made
    /// elsewhere (and after a round trip through JSON, which carries only the message).
    #[serde(skip)]
    pub problem: FieldProblem,
}

impl FieldError {
    /// An error with a message made elsewhere (shown as it is on every page).
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
            problem: FieldProblem::Other,
        }
    }

    /// An error from its problem; the English message is made from it.
    pub fn of(field: &str, problem: FieldProblem) -> Self {
        Self {
            field: field.to_string(),
            message: problem.english(field),
            problem,
        }
    }

    /// The same error under another field name (the English message stays as it was).
    pub fn renamed(self, field: String) -> Self {
        Self { field, ..self }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
