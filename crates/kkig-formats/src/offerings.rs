//! Education offerings in: Susa-navet EMIL 3 JSON ([`parse_susa`]) and CSV/XLSX with one row
//! per offering ([`parse_offerings_csv`], [`parse_offerings_xlsx`]); the shapes are documented in
//! `docs/catalogue-import.md`.
//!
//! Every parser validates every record and collects all the problems: the result holds the valid
//! offerings and the errors side by side, so the caller can refuse the whole file or write the
//! valid ones (`--skip-invalid`). Checking kommunkods against the municipalities kkig knows is
//! the caller's part ([`ParsedOfferings::reject_unknown_municipalities`]). Susa-navet pages also
//! say what is gone (deleted records, cancelled events): [`ParsedOfferings::removals`], for the
//! caller to apply.

mod susa;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use kkig_core::catalogue::{Meetings, Offering, Reach, SchoolType, StudyForm, StudySite};
use kkig_core::{Kommunkod, Ssyk, WebUrl};

use crate::decode::{self, Sheet};
use crate::error::FormatError;
use crate::table::{Cell, Table};

pub use susa::{parse_susa, parse_susa_files, susa_links, EventLinks, SusaLinks};

/// The CSV/XLSX columns, in the order kkig writes them.
pub const OFFERING_COLUMNS: [&str; 24] = [
    "id",
    "education_id",
    "provider_id",
    "provider_name",
    "title",
    "code",
    "school_type",
    "level",
    "credits",
    "credit_system",
    "pace_percent",
    "start",
    "end",
    "language",
    "form",
    "sites",
    "meetings_per_term",
    "meeting_days",
    "meeting_place",
    "application_opens",
    "application_closes",
    "application_url",
    "occupations",
    "eligibility",
];

/// Columns an export made for a home municipality adds after [`OFFERING_COLUMNS`]: the home,
/// the one-way minutes to the meeting place and the travel burden per term. They are derived,
/// so an import accepts them and reads nothing from them (an export can be imported again).
pub const TRAVEL_COLUMNS: [&str; 3] = ["home", "one_way_minutes", "travel_minutes_per_term"];

/// Columns a CSV/XLSX file must have; the others may be left out.
pub const REQUIRED_OFFERING_COLUMNS: [&str; 9] = [
    "id",
    "provider_id",
    "provider_name",
    "title",
    "school_type",
    "pace_percent",
    "start",
    "end",
    "form",
];

const DATE_COLUMNS: [&str; 4] = ["start", "end", "application_opens", "application_closes"];

/// A valid offering and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedOffering {
    pub offering: Offering,
    pub file: String,
    /// Spreadsheet row (header = 1), or the record's 1-based index in a JSON file.
    pub row: u64,
    /// Every kommunkod the offering uses, with the column (or JSON field path) it came from.
    pub municipalities: Vec<(Kommunkod, String)>,
}

/// A record left out on purpose, neither an error nor a removal: an education of a school type
/// the catalogue does not hold, an event without fixed dates, an event whose info or provider is
/// removed or left out in the same import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub row: u64,
    pub id: String,
    pub reason: String,
}

/// The three kinds of Susa-navet record (EMIL 3), told by the list they come in, the id's
/// prefix (`i.`, `e.`, `p.`) or the entity's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// An education info (`i.…`, *utbildning*): what is taught.
    Info,
    /// An education event (`e.…`, *utbildningstillfälle*): one start of it, one offering.
    Event,
    /// An education provider (`p.…`, *utbildningsanordnare*).
    Provider,
}

impl RecordKind {
    /// `educationInfo`, `educationEvent`, `educationProvider`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "educationInfo",
            Self::Event => "educationEvent",
            Self::Provider => "educationProvider",
        }
    }
}

/// Why a record is removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RemovalReason {
    /// The record's status is not `ACTIVE`: the status as given, e.g. `DELETED`.
    Status(String),
    /// The record came with `"content": null` and an `ACTIVE` status or none.
    NoContent,
    /// The event is cancelled (`"isCancelled": true`).
    Cancelled,
}

impl RemovalReason {
    /// `DELETED` (the status as given), `no content` or `cancelled`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Status(s) => s,
            Self::NoContent => "no content",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for RemovalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record that says something is gone: a Susa-navet record with a status other than `ACTIVE`
/// or `"content": null`, or a cancelled event. Not an error; the caller removes what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub file: String,
    /// The record's 1-based index in its file.
    pub row: u64,
    /// The id of the record: an event's id is an offering's id; an info's id is the
    /// `education_id`, a provider's id the `provider_id`, of the offerings that refer to it.
    pub id: String,
    pub kind: RecordKind,
    pub reason: RemovalReason,
}

impl Removal {
    /// Whether `o` goes with this removal: the offering of a removed event, or every offering of
    /// a removed info or provider.
    pub fn applies_to(&self, o: &Offering) -> bool {
        match self.kind {
            RecordKind::Event => o.id == self.id,
            RecordKind::Info => o.education_id == self.id,
            RecordKind::Provider => o.provider_id == self.id,
        }
    }
}

/// What a file held: the valid offerings, the errors, the removals, the records skipped on
/// purpose, and the warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedOfferings {
    pub offerings: Vec<ParsedOffering>,
    pub errors: Vec<FormatError>,
    /// What the files say is gone (Susa-navet only; CSV and XLSX have none), in file order. An
    /// offering the same import yields is never removed by it: a removal and an offering of the
    /// same record cannot both come out of one import.
    pub removals: Vec<Removal>,
    pub skipped: Vec<Skipped>,
    /// Values left out of an offering that is still imported, each naming file, row and field:
    /// an application URL that is not an absolute http(s) address.
    pub warnings: Vec<FormatError>,
}

impl ParsedOfferings {
    /// True when nothing was invalid (removals and skipped records do not count).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The removal that applies to `o` ([`Removal::applies_to`]), if any.
    pub fn removal_of(&self, o: &Offering) -> Option<&Removal> {
        self.removals.iter().find(|r| r.applies_to(o))
    }

    /// The kommunkods used by the valid offerings (study sites and meeting places).
    pub fn kommunkods(&self) -> BTreeSet<Kommunkod> {
        self.offerings
            .iter()
            .flat_map(|p| p.municipalities.iter().map(|(k, _)| *k))
            .collect()
    }

    /// Move every offering that uses a kommunkod `is_known` rejects to the errors, naming the
    /// file, row and column of each unknown code.
    pub fn reject_unknown_municipalities(&mut self, is_known: impl Fn(Kommunkod) -> bool) {
        let mut kept = Vec::with_capacity(self.offerings.len());
        for p in std::mem::take(&mut self.offerings) {
            let unknown: Vec<_> = p.municipalities.iter().filter(|(k, _)| !is_known(*k)).collect();
            if unknown.is_empty() {
                kept.push(p);
                continue;
            }
            for (k, column) in unknown {
                self.errors.push(FormatError::new(
                    &p.file,
                    Some(p.row),
                    Some(column),
                    format!(
                        "kommunkod {k} is not a municipality kkig knows (offering {})",
                        p.offering.id
                    ),
                ));
            }
        }
        self.offerings = kept;
    }

    /// Just the offerings.
    pub fn into_offerings(self) -> Vec<Offering> {
        self.offerings.into_iter().map(|p| p.offering).collect()
    }
}

/// Read an offerings file of any supported kind, told apart by its content: an XLSX workbook
/// (a zip), Susa-navet JSON (starts with `{` or `[`), else CSV.
pub fn parse_offerings(file: &str, bytes: &[u8]) -> ParsedOfferings {
    if bytes.starts_with(b"PK\x03\x04") {
        return parse_offerings_xlsx(file, bytes);
    }
    if is_json(bytes) {
        parse_susa(file, bytes)
    } else {
        parse_offerings_csv(file, bytes)
    }
}

fn is_json(bytes: &[u8]) -> bool {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    matches!(body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'['))
}

/// Read several offerings files as one import: Susa-navet pages are joined (events may refer
/// to infos and providers in other pages); other files are read one by one and merged.
pub fn parse_offerings_files(files: &[(&str, &[u8])]) -> ParsedOfferings {
    if files.len() > 1 && files.iter().all(|(_, b)| is_json(b)) {
        return parse_susa_files(files);
    }
    let mut all = ParsedOfferings::default();
    for (name, bytes) in files {
        let p = parse_offerings(name, bytes);
        all.offerings.extend(p.offerings);
        all.errors.extend(p.errors);
        all.removals.extend(p.removals);
        all.skipped.extend(p.skipped);
        all.warnings.extend(p.warnings);
    }
    all
}

/// Offerings from CSV as Swedish Excel writes it (see `docs/catalogue-import.md`).
pub fn parse_offerings_csv(file: &str, bytes: &[u8]) -> ParsedOfferings {
    match decode::read_csv(file, bytes) {
        Ok(sheet) => from_sheet(file, sheet),
        Err(e) => ParsedOfferings {
            errors: vec![e],
            ..Default::default()
        },
    }
}

/// Offerings from the first sheet of an XLSX workbook, same columns as the CSV.
pub fn parse_offerings_xlsx(file: &str, bytes: &[u8]) -> ParsedOfferings {
    match decode::read_xlsx(file, bytes, &DATE_COLUMNS) {
        Ok(sheet) => from_sheet(file, sheet),
        Err(e) => ParsedOfferings {
            errors: vec![e],
            ..Default::default()
        },
    }
}

/// Offerings as a table with [`OFFERING_COLUMNS`], which the CSV/XLSX parsers read back
/// unchanged (`Table::to_swedish_csv`, `Table::to_xlsx`).
pub fn offerings_table(offerings: &[Offering]) -> Table {
    let mut t = Table::new(&OFFERING_COLUMNS);
    let site = |s: &StudySite| {
        if s.town.is_empty() {
            s.municipality.to_string()
        } else {
            format!("{}:{}", s.municipality, s.town)
        }
    };
    let opt = |s: &Option<String>| Cell::text(s.clone().unwrap_or_default());
    for o in offerings {
        t.push(vec![
            Cell::text(&o.id),
            Cell::text(&o.education_id),
            Cell::text(&o.provider_id),
            Cell::text(&o.provider_name),
            Cell::text(&o.title),
            Cell::text(&o.code),
            Cell::text(o.school_type.as_str()),
            Cell::text(&o.level),
            decimal_cell(o.credits),
            Cell::text(&o.credit_system),
            Cell::Int(i64::from(o.pace_percent)),
            Cell::text(&o.start),
            Cell::text(&o.end),
            Cell::text(&o.language),
            Cell::text(o.form.as_str()),
            Cell::text(o.sites.iter().map(site).collect::<Vec<_>>().join("|")),
            Cell::Int(i64::from(o.meetings.per_term)),
            Cell::Int(i64::from(o.meetings.days_each)),
            Cell::text(o.meetings.place.as_ref().map(site).unwrap_or_default()),
            opt(&o.application_opens),
            opt(&o.application_closes),
            opt(&o.application_url),
            Cell::text(o.occupations.iter().map(Ssyk::to_string).collect::<Vec<_>>().join("|")),
            Cell::text(&o.eligibility),
        ]);
    }
    t
}

/// [`offerings_table`] with the [`TRAVEL_COLUMNS`] from `home`: `reaches[i]` is how the i-th
/// offering is reached (`kkig_core::catalogue::reach`; empty cells when it cannot be told).
pub fn offerings_table_from(offerings: &[Offering], home: Kommunkod, reaches: &[Option<Reach>]) -> Table {
    let base = offerings_table(offerings);
    let mut headers: Vec<&str> = OFFERING_COLUMNS.to_vec();
    headers.extend(TRAVEL_COLUMNS);
    let mut t = Table::new(&headers);
    for (mut row, reach) in base
        .rows
        .into_iter()
        .zip(reaches.iter().chain(std::iter::repeat(&None)))
    {
        row.push(Cell::text(home.to_string()));
        match reach {
            Some(r) => row.extend([Cell::Int(r.one_way_minutes), Cell::Int(r.burden_minutes_per_term)]),
            None => row.extend([Cell::text(""), Cell::text("")]),
        }
        t.push(row);
    }
    t
}

/// A number with as few decimals as it needs (at most three).
fn decimal_cell(x: f64) -> Cell {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return Cell::Int(x as i64);
    }
    let d = (1..=3).find(|d| {
        let s = 10f64.powi(*d);
        ((x * s).round() / s - x).abs() < 1e-9
    });
    Cell::Decimal(x, d.unwrap_or(3) as usize)
}

// ---------------------------------------------------------------------------------------------
// Field rules shared by the JSON and the CSV/XLSX readers. Each returns a message naming the
// offending value and what was expected; the reader adds file, row and column.

/// `hs`, `yh`, `komvux`, `fhsk`, or the Susa-navet organisation form they stand for.
pub(crate) fn school_type(s: &str) -> Result<SchoolType, String> {
    let l = s.trim().to_lowercase();
    SchoolType::parse(&l)
        .or(match l.as_str() {
            "högskoleutbildning" | "högskola" => Some(SchoolType::Hs),
            "yrkeshögskoleutbildning" | "yrkeshögskola" | "kvalificerad yrkesutbildning" => Some(SchoolType::Yh),
            "vuxenutbildning" | "kommunal vuxenutbildning" => Some(SchoolType::Komvux),
            "folkhögskola" | "folkhögskoleutbildning" => Some(SchoolType::Fhsk),
            _ => None,
        })
        .ok_or_else(|| format!("unknown school type {s:?}; expected hs, yh, komvux or fhsk"))
}

/// `distance`, `campus`, `blended`, or their Swedish names (`distans`, `blandad`; EMIL's
/// `normal` is campus).
pub(crate) fn study_form(s: &str) -> Result<StudyForm, String> {
    let l = s.trim().to_lowercase();
    StudyForm::parse(&l)
        .or(match l.as_str() {
            "distans" => Some(StudyForm::Distance),
            "normal" | "platsbunden" => Some(StudyForm::Campus),
            "blandad" => Some(StudyForm::Blended),
            _ => None,
        })
        .ok_or_else(|| format!("unknown form {s:?}; expected distance, campus or blended"))
}

pub(crate) fn check_credits(x: f64) -> Result<f64, String> {
    if !x.is_finite() || x < 0.0 {
        return Err(format!("credits {x} must be a finite number of zero or more"));
    }
    Ok(x)
}

pub(crate) fn check_pace(x: f64) -> Result<u32, String> {
    if !(1.0..=100.0).contains(&x) {
        return Err(format!(
            "pace {x} % is outside 1–100; expected a whole percentage, e.g. 50 or 100"
        ));
    }
    if x.fract() != 0.0 {
        return Err(format!("pace {x} % is not a whole percentage; expected e.g. 50 or 100"));
    }
    Ok(x as u32)
}

/// An ISO 639 language code, two or three letters, stored lower-case; empty means Swedish.
pub(crate) fn language(s: &str) -> Result<String, String> {
    let l = s.trim().to_ascii_lowercase();
    if l.is_empty() {
        return Ok("swe".into());
    }
    if !(2..=3).contains(&l.len()) || !l.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(format!(
            "language {s:?} is not an ISO 639 code; expected e.g. swe or eng"
        ));
    }
    Ok(l)
}

/// An application URL: kept when it is an absolute http(s) address (scheme in lower case),
/// else Err with the warning's message; empty is None.
pub(crate) fn application_url(s: &str) -> Result<Option<String>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match WebUrl::parse(s) {
        Ok(u) => Ok(Some(u.as_str().to_string())),
        Err(e) => Err(format!(
            "application URL {t:?} is not stored: {e}; the offering is imported without it"
        )),
    }
}

pub(crate) fn ssyk(s: &str) -> Result<Ssyk, String> {
    Ssyk::parse(s).map_err(|e| e.to_string())
}

/// Checks across fields, as (field, message); the field is named as in the CSV columns.
pub(crate) fn cross_checks(o: &Offering) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if o.end < o.start {
        v.push(("end", format!("end {} is before start {}", o.end, o.start)));
    }
    if let (Some(a), Some(b)) = (&o.application_opens, &o.application_closes) {
        if b < a {
            v.push((
                "application_closes",
                format!("application closes {b}, before it opens {a}"),
            ));
        }
    }
    if o.meetings.per_term > 0 && o.meeting_place().is_none() {
        v.push((
            "meetings_per_term",
            format!(
                "{} on-site meetings per term but no meeting place and no study site to hold them at",
                o.meetings.per_term
            ),
        ));
    }
    v
}

// ---------------------------------------------------------------------------------------------
// CSV and XLSX: one row per offering.

fn from_sheet(file: &str, sheet: Sheet) -> ParsedOfferings {
    let mut out = ParsedOfferings::default();
    let known: Vec<&str> = OFFERING_COLUMNS.iter().chain(&TRAVEL_COLUMNS).copied().collect();
    let cols = match decode::columns(file, &sheet.headers, &REQUIRED_OFFERING_COLUMNS, Some(&known)) {
        Ok(c) => c,
        Err(e) => {
            out.errors = e;
            return out;
        }
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    for r in sheet.rows {
        let mut row = RowReader {
            file,
            row: r.row,
            cells: &r.cells,
            cols: &cols,
            errors: r.errors,
            warnings: Vec::new(),
        };
        let headless = |i: usize| sheet.headers.get(i).is_none_or(|h| h.is_empty());
        if let Some(i) = r
            .cells
            .iter()
            .enumerate()
            .position(|(i, c)| !c.is_empty() && headless(i))
        {
            row.errors.push(FormatError::new(
                file,
                Some(r.row),
                None,
                format!("a value in column {}, which has no header", i + 1),
            ));
        }
        if let Some(o) = row.offering(&mut seen) {
            let mut municipalities: Vec<_> = o.sites.iter().map(|s| (s.municipality, "sites".to_string())).collect();
            if let Some(p) = &o.meetings.place {
                municipalities.push((p.municipality, "meeting_place".into()));
            }
            out.offerings.push(ParsedOffering {
                offering: o,
                file: file.into(),
                row: r.row,
                municipalities,
            });
            out.warnings.append(&mut row.warnings);
        }
        out.errors.append(&mut row.errors);
    }
    out
}

struct RowReader<'a> {
    file: &'a str,
    row: u64,
    cells: &'a [String],
    cols: &'a HashMap<String, usize>,
    errors: Vec<FormatError>,
    /// Values left out of a row that is still imported.
    warnings: Vec<FormatError>,
}

impl RowReader<'_> {
    /// The trimmed cell, empty when the column is absent.
    fn get(&self, col: &str) -> &str {
        self.cols
            .get(col)
            .and_then(|&i| self.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn err(&mut self, col: &str, message: String) {
        self.errors
            .push(FormatError::new(self.file, Some(self.row), Some(col), message));
    }

    fn required(&mut self, col: &str) -> String {
        let v = self.get(col).to_string();
        if v.is_empty() {
            self.err(col, format!("{col} is missing"));
        }
        v
    }

    /// The cell through `f`; on an error, the error is recorded and `fallback` returned.
    fn parse<T>(&mut self, col: &str, fallback: T, f: impl FnOnce(&str) -> Result<T, String>) -> T {
        let v = self.get(col).to_string();
        f(&v).unwrap_or_else(|m| {
            self.err(col, m);
            fallback
        })
    }

    fn optional<T>(&mut self, col: &str, f: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        self.parse(col, None, |s| if s.is_empty() { Ok(None) } else { f(s).map(Some) })
    }

    fn offering(&mut self, seen: &mut HashMap<String, u64>) -> Option<Offering> {
        let id = self.required("id");
        if let Some(first) = seen.get(&id) {
            self.err("id", format!("id {id:?} appears twice (first on row {first})"));
        } else if !id.is_empty() {
            seen.insert(id.clone(), self.row);
        }
        let education_id = match self.get("education_id") {
            "" => id.clone(),
            e => e.to_string(),
        };
        let required_date = |s: &str| {
            if s.is_empty() {
                Err("date is missing".to_string())
            } else {
                decode::parse_date(s)
            }
        };
        let o = Offering {
            education_id,
            provider_id: self.required("provider_id"),
            provider_name: self.required("provider_name"),
            title: self.required("title"),
            code: self.get("code").to_string(),
            school_type: self.parse("school_type", SchoolType::Hs, school_type),
            level: self.get("level").to_string(),
            credits: self.parse("credits", 0.0, |s| {
                if s.is_empty() {
                    Ok(0.0)
                } else {
                    decode::parse_decimal(s).and_then(check_credits)
                }
            }),
            credit_system: self.get("credit_system").to_lowercase(),
            pace_percent: self.parse("pace_percent", 100, |s| {
                let t = s.trim_end_matches('%').trim();
                if t.is_empty() {
                    Err("pace_percent is missing".into())
                } else {
                    decode::parse_decimal(t).and_then(check_pace)
                }
            }),
            start: self.parse("start", String::new(), required_date),
            end: self.parse("end", String::new(), required_date),
            language: self.parse("language", String::new(), language),
            form: self.parse("form", StudyForm::Campus, study_form),
            sites: self.parse("sites", Vec::new(), |s| {
                s.split('|')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(site)
                    .collect()
            }),
            meetings: Meetings {
                per_term: self.parse("meetings_per_term", 0, |s| {
                    if s.is_empty() {
                        Ok(0)
                    } else {
                        decode::parse_count(s)
                    }
                }),
                days_each: self.parse("meeting_days", 0, |s| {
                    if s.is_empty() {
                        Ok(0)
                    } else {
                        decode::parse_count(s)
                    }
                }),
                place: self.optional("meeting_place", site),
            },
            application_opens: self.optional("application_opens", decode::parse_date),
            application_closes: self.optional("application_closes", decode::parse_date),
            application_url: application_url(self.get("application_url")).unwrap_or_else(|m| {
                self.warnings
                    .push(FormatError::new(self.file, Some(self.row), Some("application_url"), m));
                None
            }),
            occupations: self.parse("occupations", Vec::new(), |s| {
                let mut v: Vec<Ssyk> = Vec::new();
                for p in s.split(['|', ',']).map(str::trim).filter(|p| !p.is_empty()) {
                    let code = ssyk(p)?;
                    if !v.contains(&code) {
                        v.push(code);
                    }
                }
                Ok(v)
            }),
            eligibility: self.get("eligibility").to_string(),
            id,
        };
        if !self.errors.is_empty() {
            return None;
        }
        for (col, m) in cross_checks(&o) {
            self.err(col, m);
        }
        self.errors.is_empty().then_some(o)
    }
}

/// A study site written `2480:Umeå`, or just the kommunkod `2480`.
fn site(s: &str) -> Result<StudySite, String> {
    let (code, town) = s.split_once(':').unwrap_or((s, ""));
    let municipality = decode::cell_kommunkod(code).map_err(|e| e.to_string())?;
    Ok(StudySite {
        municipality,
        town: town.trim().to_string(),
    })
}

#[cfg(test)]
mod tests;
