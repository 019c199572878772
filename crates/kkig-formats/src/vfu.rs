//! The VFU registry's files: placement sites, supervisors, students and periods from CSV (as
//! Swedish Excel writes it) and XLSX; placement lists, the compensation basis and the registry
//! itself out as tables. The columns are documented in `docs/vfu.md`.
//!
//! Each row is read into the string input of `kkig_core::vfu::input` by column name and
//! validated there, so a form, the API and a file follow the same rules; a field error becomes
//! a [`FormatError`] naming the file, row and column. The whole file is checked (including
//! e-mails or ids given twice) before the caller writes anything.

use kkig_core::vfu::input::{format_requirements, FieldError, PeriodInput, SiteInput, StudentInput, SupervisorInput};
use kkig_core::vfu::views::CompensationRow;
use kkig_core::vfu::*;
use serde::de::DeserializeOwned;

use crate::decode::{self, Sheet};
use crate::error::FormatError;
use crate::table::{Cell, Table};

pub const SITE_COLUMNS: [&str; 8] = ["id", "municipality", "name", "kind", "address", "lat", "lon", "fields"];
pub const SUPERVISOR_COLUMNS: [&str; 15] = [
    "email",
    "name",
    "phone",
    "municipality",
    "site_id",
    "fields",
    "employment_percent",
    "training",
    "training_date",
    "training_university",
    "students_per_period",
    "unavailable_terms",
    "consent_contact",
    "invite",
    "invite_date",
];
pub const STUDENT_COLUMNS: [&str; 14] = [
    "period_id",
    "email",
    "name",
    "home_municipality",
    "home_lat",
    "home_lon",
    "field",
    "subjects",
    "wishes",
    "no_driving_licence",
    "needs_public_transport",
    "priority",
    "note",
    "registerutdrag",
];
pub const PERIOD_COLUMNS: [&str; 11] = [
    "id",
    "university",
    "programme",
    "course_code",
    "term",
    "start",
    "end",
    "field",
    "students",
    "requirements",
    "capacity_deadline",
];

/// Swedish column names coordinators use, and the column they mean.
const ALIASES: [(&str, &str); 22] = [
    ("e-post", "email"),
    ("epost", "email"),
    ("e-mail", "email"),
    ("namn", "name"),
    ("telefon", "phone"),
    ("kommun", "municipality"),
    ("kommunkod", "municipality"),
    ("adress", "address"),
    ("typ", "kind"),
    ("områden", "fields"),
    ("arbetsplats", "site_id"),
    ("tjänstgöringsgrad", "employment_percent"),
    ("sysselsättningsgrad", "employment_percent"),
    ("handledarutbildning", "training"),
    ("studenter per period", "students_per_period"),
    ("samtycke", "consent_contact"),
    ("hemkommun", "home_municipality"),
    ("period", "period_id"),
    ("önskemål", "wishes"),
    ("kurskod", "course_code"),
    ("lärosäte", "university"),
    ("termin", "term"),
];

const DATE_COLUMNS: [&str; 7] = [
    "training_date",
    "invite_date",
    "registerutdrag",
    "start",
    "end",
    "capacity_deadline",
    "date",
];

/// The valid items of a file with their rows, and every error.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRows<T> {
    pub items: Vec<(u64, T)>,
    pub errors: Vec<FormatError>,
}

impl<T> Default for ParsedRows<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            errors: Vec::new(),
        }
    }
}

impl<T> ParsedRows<T> {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The spreadsheet row of the item at `index` (for errors the store reports by item).
    pub fn row_of(&self, index: usize) -> Option<u64> {
        self.items.get(index).map(|(r, _)| *r)
    }

    pub fn values(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.items.iter().map(|(_, t)| t.clone()).collect()
    }
}

fn sheet(file: &str, bytes: &[u8]) -> Result<Sheet, FormatError> {
    if bytes.starts_with(b"PK\x03\x04") {
        decode::read_xlsx(file, bytes, &DATE_COLUMNS)
    } else {
        decode::read_csv(file, bytes)
    }
}

/// Read rows into the string input `I` by column name, validate each with `parse`.
fn read<I, T>(
    file: &str,
    bytes: &[u8],
    known: &[&str],
    required: &[&str],
    parse: impl Fn(&I) -> Result<T, Vec<FieldError>>,
) -> ParsedRows<T>
where
    I: DeserializeOwned,
{
    let mut out = ParsedRows::default();
    let mut sheet = match sheet(file, bytes) {
        Ok(s) => s,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    for h in sheet.headers.iter_mut() {
        if let Some((_, to)) = ALIASES.iter().find(|(from, _)| from == h) {
            *h = to.to_string();
        }
    }
    let cols = match decode::columns(file, &sheet.headers, required, Some(known)) {
        Ok(c) => c,
        Err(e) => {
            out.errors = e;
            return out;
        }
    };
    for r in sheet.rows {
        out.errors.extend(r.errors.iter().cloned());
        if let Some(i) = r
            .cells
            .iter()
            .enumerate()
            .position(|(i, c)| !c.is_empty() && sheet.headers.get(i).is_none_or(|h| h.is_empty()))
        {
            out.errors.push(FormatError::new(
                file,
                Some(r.row),
                None,
                format!("a value in column {}, which has no header", i + 1),
            ));
            continue;
        }
        if !r.errors.is_empty() {
            continue;
        }
        let mut map = serde_json::Map::new();
        for (name, &i) in &cols {
            map.insert(
                name.clone(),
                serde_json::Value::String(r.cells.get(i).cloned().unwrap_or_default()),
            );
        }
        let input: I = match serde_json::from_value(serde_json::Value::Object(map)) {
            Ok(i) => i,
            Err(e) => {
                out.errors
                    .push(FormatError::new(file, Some(r.row), None, e.to_string()));
                continue;
            }
        };
        match parse(&input) {
            Ok(t) => out.items.push((r.row, t)),
            Err(errors) => {
                for e in errors {
                    let column = if cols.contains_key(&e.field) {
                        Some(e.field.as_str())
                    } else {
                        None
                    };
                    let message = if column.is_some() {
                        e.message
                    } else {
                        format!("{}: {}", e.field, e.message)
                    };
                    out.errors.push(FormatError::new(file, Some(r.row), column, message));
                }
            }
        }
    }
    out
}

/// Items whose key was seen on an earlier row become errors in `column`.
fn reject_duplicates<T, K: Ord + Clone>(
    file: &str,
    p: &mut ParsedRows<T>,
    column: &str,
    what: &str,
    key: impl Fn(&T) -> Option<K>,
) {
    let mut first: std::collections::BTreeMap<K, u64> = std::collections::BTreeMap::new();
    let mut kept = Vec::with_capacity(p.items.len());
    for (row, t) in std::mem::take(&mut p.items) {
        match key(&t) {
            Some(k) => match first.get(&k) {
                Some(f) => p.errors.push(FormatError::new(
                    file,
                    Some(row),
                    Some(column),
                    format!("{what} appears twice (first on row {f})"),
                )),
                None => {
                    first.insert(k, row);
                    kept.push((row, t));
                }
            },
            None => kept.push((row, t)),
        }
    }
    p.items = kept;
    p.errors.sort_by_key(|e| e.row);
}

/// Placement sites (upserted by `id`; an empty id makes a new site).
pub fn parse_sites(file: &str, bytes: &[u8], ctx: &VfuContext) -> ParsedRows<PlacementSite> {
    let mut p = read(
        file,
        bytes,
        &SITE_COLUMNS,
        &["municipality", "name", "kind", "fields"],
        |i: &SiteInput| i.parse(ctx),
    );
    reject_duplicates(file, &mut p, "id", "this id", |s| {
        Some(s.id.clone()).filter(|i| !i.is_empty())
    });
    p
}

/// Supervisors (upserted by e-mail).
pub fn parse_supervisors(file: &str, bytes: &[u8], ctx: &VfuContext) -> ParsedRows<Supervisor> {
    let mut p = read(
        file,
        bytes,
        &SUPERVISOR_COLUMNS,
        &["email", "name", "fields"],
        |i: &SupervisorInput| i.parse(ctx),
    );
    reject_duplicates(file, &mut p, "email", "this e-mail", |s| Some(s.email.clone()));
    p
}

/// Students on periods (upserted by period and e-mail).
pub fn parse_students(file: &str, bytes: &[u8], ctx: &VfuContext) -> ParsedRows<VfuStudent> {
    let mut p = read(
        file,
        bytes,
        &STUDENT_COLUMNS,
        &["period_id", "email", "name", "home_municipality"],
        |i: &StudentInput| i.parse(ctx),
    );
    reject_duplicates(file, &mut p, "email", "this e-mail on this period", |s| {
        Some((s.period_id.clone(), s.email.clone()))
    });
    p
}

/// VFU periods (created or updated by `id`).
pub fn parse_periods(file: &str, bytes: &[u8], ctx: &VfuContext) -> ParsedRows<VfuPeriod> {
    let mut p = read(
        file,
        bytes,
        &PERIOD_COLUMNS,
        &["university", "programme", "course_code", "start", "end", "field"],
        |i: &PeriodInput| i.parse(ctx),
    );
    reject_duplicates(file, &mut p, "id", "this id", |s| {
        Some(s.id.clone()).filter(|i| !i.is_empty())
    });
    p
}

// ---------------------------------------------------------------------------------------------
// Out

fn opt_day(d: Option<Day>) -> Cell {
    d.map(|d| Cell::text(d.to_string())).unwrap_or(Cell::Empty)
}

fn yes_no(b: bool) -> Cell {
    Cell::text(if b { "ja" } else { "nej" })
}

fn percent(x: f64) -> Cell {
    if x.fract() == 0.0 {
        Cell::Int(x as i64)
    } else {
        Cell::Decimal(x, 1)
    }
}

/// Sites with [`SITE_COLUMNS`]; [`parse_sites`] reads it back unchanged.
pub fn sites_table(sites: &[PlacementSite]) -> Table {
    let mut t = Table::new(&SITE_COLUMNS);
    for s in sites {
        t.push(vec![
            Cell::text(&s.id),
            Cell::text(s.municipality.to_string()),
            Cell::text(&s.name),
            Cell::text(s.kind.as_str()),
            Cell::text(&s.address),
            Cell::Decimal(s.position.lat, 5),
            Cell::Decimal(s.position.lon, 5),
            Cell::text(FieldSpec::format_list(&s.fields)),
        ]);
    }
    t
}

/// Supervisors with [`SUPERVISOR_COLUMNS`]; [`parse_supervisors`] reads it back unchanged.
pub fn supervisors_table(supervisors: &[Supervisor]) -> Table {
    let mut t = Table::new(&SUPERVISOR_COLUMNS);
    for s in supervisors {
        t.push(vec![
            Cell::text(&s.email),
            Cell::text(&s.name),
            Cell::text(&s.phone),
            Cell::text(s.municipality.to_string()),
            Cell::text(s.site_id.clone().unwrap_or_default()),
            Cell::text(FieldSpec::format_list(&s.fields)),
            percent(s.employment_percent),
            Cell::text(s.training.level.as_str()),
            opt_day(s.training.date),
            Cell::text(s.training.university.clone().unwrap_or_default()),
            Cell::Int(i64::from(s.students_per_period)),
            Cell::text(
                s.unavailable_terms
                    .iter()
                    .map(Term::to_string)
                    .collect::<Vec<_>>()
                    .join("|"),
            ),
            yes_no(s.consent_contact),
            Cell::text(s.invite.as_str()),
            opt_day(s.invite_date),
        ]);
    }
    t
}

/// Students with [`STUDENT_COLUMNS`]; [`parse_students`] reads it back unchanged.
pub fn students_table(students: &[VfuStudent]) -> Table {
    let mut t = Table::new(&STUDENT_COLUMNS);
    for s in students {
        t.push(vec![
            Cell::text(&s.period_id),
            Cell::text(&s.email),
            Cell::text(&s.name),
            Cell::text(s.home_municipality.to_string()),
            s.home_position.map(|p| Cell::Decimal(p.lat, 5)).unwrap_or(Cell::Empty),
            s.home_position.map(|p| Cell::Decimal(p.lon, 5)).unwrap_or(Cell::Empty),
            Cell::text(s.field.code()),
            Cell::text(s.subjects.join(", ")),
            Cell::text(s.wishes.iter().map(Wish::as_text).collect::<Vec<_>>().join("|")),
            yes_no(s.needs.no_driving_licence),
            yes_no(s.needs.needs_public_transport),
            Cell::text(s.needs.priority.map(|p| p.as_str()).unwrap_or("")),
            Cell::text(&s.needs.note),
            opt_day(
                s.requirements
                    .iter()
                    .find(|r| r.code == "registerutdrag")
                    .and_then(|r| r.issued),
            ),
        ]);
    }
    t
}

/// Periods with [`PERIOD_COLUMNS`]; [`parse_periods`] reads it back unchanged.
pub fn periods_table(periods: &[VfuPeriod]) -> Table {
    let mut t = Table::new(&PERIOD_COLUMNS);
    for p in periods {
        t.push(vec![
            Cell::text(&p.id),
            Cell::text(&p.university),
            Cell::text(&p.programme),
            Cell::text(&p.course_code),
            Cell::text(p.term.to_string()),
            Cell::text(p.start.to_string()),
            Cell::text(p.end.to_string()),
            Cell::text(p.field.code()),
            Cell::Int(i64::from(p.students)),
            Cell::text(format_requirements(&p.requirements)),
            Cell::text(p.capacity_deadline.to_string()),
        ]);
    }
    t
}

/// Which placement list to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementAudience {
    /// For a site and its supervisors: who comes when, and their supervisor.
    Site,
    /// For a municipality's coordinator: every placement in the municipality with status.
    Municipality,
}

/// A placement list (Swedish headers, as sites and coordinators read them). Only active
/// placements go to a site; the coordinator sees every status.
pub fn placements_table(lines: &[PlacementLine], audience: PlacementAudience) -> Table {
    match audience {
        PlacementAudience::Site => {
            let mut t = Table::new(&[
                "enhet",
                "student",
                "e-post",
                "program",
                "kurskod",
                "område",
                "start",
                "slut",
                "handledare",
                "status",
            ]);
            for l in lines.iter().filter(|l| l.status.is_active()) {
                t.push(vec![
                    Cell::text(&l.site_name),
                    Cell::text(&l.student_name),
                    Cell::text(&l.student_email),
                    Cell::text(&l.programme),
                    Cell::text(&l.course_code),
                    Cell::text(l.field.label_sv()),
                    Cell::text(l.start.to_string()),
                    Cell::text(l.end.to_string()),
                    Cell::text(l.supervisor_name.clone().unwrap_or_default()),
                    Cell::text(l.status.label_sv()),
                ]);
            }
            t
        }
        PlacementAudience::Municipality => {
            let mut t = Table::new(&[
                "placering",
                "enhet_id",
                "enhet",
                "kommunkod",
                "student",
                "e-post",
                "hemkommun",
                "lärosäte",
                "program",
                "kurskod",
                "område",
                "termin",
                "start",
                "slut",
                "veckor",
                "handledare",
                "handledare_e-post",
                "status",
                "återbudskö",
            ]);
            for l in lines {
                let weeks = ((l.start.days_until(l.end) + 1).max(0) + 6) / 7;
                t.push(vec![
                    Cell::text(&l.placement_id),
                    Cell::text(&l.site_id),
                    Cell::text(&l.site_name),
                    Cell::text(l.site_municipality.to_string()),
                    Cell::text(&l.student_name),
                    Cell::text(&l.student_email),
                    Cell::text(l.home_municipality.to_string()),
                    Cell::text(&l.university),
                    Cell::text(&l.programme),
                    Cell::text(&l.course_code),
                    Cell::text(l.field.code()),
                    Cell::text(l.start.term().to_string()),
                    Cell::text(l.start.to_string()),
                    Cell::text(l.end.to_string()),
                    Cell::Int(weeks),
                    Cell::text(l.supervisor_name.clone().unwrap_or_default()),
                    Cell::text(l.supervisor_email.clone().unwrap_or_default()),
                    Cell::text(l.status.as_str()),
                    yes_no(l.waiting_for_better),
                ]);
            }
            t
        }
    }
}

/// The compensation basis: placements and student-weeks per municipality, university and term.
pub fn compensation_table(rows: &[CompensationRow]) -> Table {
    let mut t = Table::new(&["kommunkod", "lärosäte", "termin", "placeringar", "studentveckor"]);
    for r in rows {
        t.push(vec![
            Cell::text(r.municipality.to_string()),
            Cell::text(&r.university),
            Cell::text(r.term.to_string()),
            Cell::Int(i64::from(r.placements)),
            Cell::Int(i64::from(r.student_weeks)),
        ]);
    }
    t
}

/// Map errors the store reports per item (0-based index into `parsed.items`) to the file's rows.
pub fn item_errors<T>(file: &str, parsed: &ParsedRows<T>, errors: &[(usize, FieldError)]) -> Vec<FormatError> {
    errors
        .iter()
        .map(|(i, e)| FormatError::new(file, parsed.row_of(*i), Some(&e.field), e.message.clone()))
        .collect()
}
