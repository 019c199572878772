//! kkig-formats: reading and writing the files kkig exchanges with the world.
//!
//! Parsers turn bytes into `kkig-core` types or fail with an error that names the file, the row,
//! the column and what was expected. Writers produce the formats coordinators live in: CSV as
//! Swedish Excel writes it, XLSX and JSON. No database, no HTTP, no async.

pub mod borders;
mod decode;
pub mod error;
pub mod ical;
pub mod kolada;
pub mod offerings;
pub mod population;
pub mod records;
pub mod reference;
pub mod staff;
pub mod table;
pub mod travel;
pub mod vfu;

pub use error::FormatError;
pub use offerings::{
    offerings_table, offerings_table_from, parse_offerings, parse_offerings_csv, parse_offerings_files,
    parse_offerings_xlsx, parse_susa, parse_susa_files, susa_links, EventLinks, ParsedOffering, ParsedOfferings,
    RecordKind, Removal, RemovalReason, Skipped, SusaLinks,
};
pub use records::MunicipalityRecord;
pub use table::{Cell, Table};
pub use travel::{kommunkod_pairs, parse_travel_csv};
