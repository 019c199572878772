//! kkig-formats: reading and writing the files kkig exchanges with the world.
//!
//! Parsers turn bytes into `kkig-core` types or fail with an error that names the file, the row,
//! the column and what was expected. Writers produce the formats coordinators live in: CSV as
//! Swedish Excel writes it, XLSX and JSON. No database, no HTTP, no async.

pub mod error;
pub mod reference;
pub mod records;
pub mod table;

pub use error::FormatError;
pub use records::MunicipalityRecord;
pub use table::{Cell, Table};
