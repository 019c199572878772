//! Problems in input files, located by file, row, column and field.

use std::fmt;

/// A problem in an input file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The file (or embedded resource) name.
    pub file: String,
    /// 1-based line/row number, counting the header row as 1.
    pub row: Option<u64>,
    /// Column name (or field path) when known.
    pub column: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
}

impl FormatError {
    pub fn new(file: &str, row: Option<u64>, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_string(),
            row,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FormatError {}
