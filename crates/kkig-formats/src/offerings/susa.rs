//! Susa-navet EMIL 3 JSON: education infos (`i.…`), events (`e.…`) and providers (`p.…`) as
//! Skolverket's Susa-navet API serves them (`/emil3/educationInfos`, `/educationEvents`,
//! `/educationProviders`), joined into one [`Offering`] per active event; deleted records and
//! cancelled events become [`Removal`]s.
//!
//! The accepted shapes, field by field and with their sources, are documented in
//! `docs/catalogue-import.md`. Errors name the record's 1-based index in its file as the row and
//! `"{id}: {field path}"` as the column, e.g. `e.umu.123: content.paceOfStudy.percentage`.

use std::collections::{BTreeSet, HashMap};

use kkig_core::catalogue::{Meetings, Offering, SchoolType, StudyForm, StudySite};
use kkig_core::vocab::{Day, Season, Term};
use kkig_core::Ssyk;
use serde_json::{Map, Value};

use super::{
    application_url as checked_url, check_credits, check_pace, cross_checks, language, school_type, ssyk, study_form,
};
use super::{ParsedOffering, ParsedOfferings, RecordKind as Kind, Removal, RemovalReason, Skipped};
use crate::decode;
use crate::error::FormatError;

/// Offerings from one Susa-navet file: an API list page (`{"educationEvents": [records], "page":
/// {…}}` and its siblings for infos and providers), a JSON array of records, or one record.
/// Events are joined to the infos and providers in the same file.
pub fn parse_susa(file: &str, bytes: &[u8]) -> ParsedOfferings {
    parse_susa_files(&[(file, bytes)])
}

/// Offerings from several Susa-navet files read as one, in the order given (the API pages
/// infos, events and providers separately; `updatedSince` pages follow the full pages): an event
/// may refer to an info or provider in any of the files, and a record in a later file replaces
/// the record with the same id in an earlier one. Within one file an id given twice is an error.
pub fn parse_susa_files(files: &[(&str, &[u8])]) -> ParsedOfferings {
    let mut out = ParsedOfferings::default();
    let mut pages: Vec<Vec<(Option<Kind>, Value)>> = Vec::with_capacity(files.len());
    for (file, bytes) in files {
        match read_records(file, bytes) {
            Ok(r) => pages.push(r),
            Err(e) => {
                out.errors.push(e);
                pages.push(Vec::new());
            }
        }
    }

    // Every record that names itself, then the last version of each id.
    let mut recs: Vec<Rec> = Vec::new();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for (f, records) in pages.iter().enumerate() {
        let file = files[f].0;
        for (i, (list, value)) in records.iter().enumerate() {
            let row = i as u64 + 1;
            let Some(rec) = record(file, f, row, *list, value, &mut out.errors) else {
                continue;
            };
            if let Some(&j) = latest.get(&rec.id) {
                if recs[j].file == f {
                    out.errors.push(FormatError::new(
                        file,
                        Some(row),
                        Some(&format!("{}: id", rec.id)),
                        format!("id {} appears twice (first as record {})", rec.id, recs[j].row),
                    ));
                    continue;
                }
            }
            latest.insert(rec.id.clone(), recs.len());
            recs.push(rec);
        }
    }

    // Valid records by id; `None` marks a record that had errors.
    let mut infos: HashMap<String, Option<Info>> = HashMap::new();
    let mut providers: HashMap<String, Option<String>> = HashMap::new();
    // Records removed or skipped, by id, with what happened to them ("removed (DELETED)").
    let mut left_out: HashMap<String, String> = HashMap::new();
    let mut events: Vec<Event> = Vec::new();
    for (n, rec) in recs.iter().enumerate() {
        if latest.get(&rec.id) != Some(&n) {
            continue; // replaced by a later file
        }
        let file = files[rec.file].0;
        let mut at = At {
            file,
            row: rec.row,
            id: &rec.id,
            base: rec.base,
            errors: &mut out.errors,
            failed: false,
        };
        let reason = match (&rec.status, rec.body) {
            (Some(status), _) => Some(RemovalReason::Status(status.clone())),
            (None, None) => Some(RemovalReason::NoContent),
            (None, Some(body)) if rec.kind == Kind::Event => match field(body, &["isCancelled"]) {
                Some((_, Value::Bool(true))) => Some(RemovalReason::Cancelled),
                None | Some((_, Value::Bool(false))) => None,
                Some((_, other)) => {
                    at.err(
                        "isCancelled",
                        format!("isCancelled must be true or false, got {}", kind_of(other)),
                    );
                    None
                }
            },
            _ => None,
        };
        if let Some(reason) = reason {
            left_out.insert(rec.id.clone(), format!("removed ({reason})"));
            out.removals.push(Removal {
                file: file.to_string(),
                row: rec.row,
                id: rec.id.clone(),
                kind: rec.kind,
                reason,
            });
            continue;
        }
        let Some(body) = rec.body else { continue };
        let mut skip = |id: &str, reason: String| {
            left_out.insert(id.to_string(), format!("skipped: {reason}"));
            out.skipped.push(Skipped {
                file: file.to_string(),
                row: rec.row,
                id: id.to_string(),
                reason,
            });
        };
        match rec.kind {
            Kind::Info => {
                let info = parse_info(&mut at, body);
                let ok = !at.failed;
                match &info.skip {
                    Some(reason) => skip(&rec.id, reason.clone()),
                    None => {
                        infos.insert(rec.id.clone(), ok.then_some(info));
                    }
                }
            }
            Kind::Provider => {
                let name = parse_provider(&mut at, body);
                let ok = !at.failed;
                providers.insert(rec.id.clone(), name.filter(|_| ok));
            }
            Kind::Event => events.push(parse_event(&mut at, body)),
        }
    }

    for ev in events {
        let mut at = At {
            file: &ev.file,
            row: ev.row,
            id: &ev.id,
            base: ev.base,
            errors: &mut out.errors,
            failed: !ev.valid,
        };
        if let (Some(reason), false) = (&ev.skip, at.failed) {
            out.skipped.push(Skipped {
                file: ev.file.clone(),
                row: ev.row,
                id: ev.id.clone(),
                reason: reason.clone(),
            });
            continue;
        }
        let mut skip = None;
        let info = ev.education.as_ref().and_then(|iid| match infos.get(iid) {
            Some(Some(info)) => Some(info),
            Some(None) => {
                at.err(
                    "education",
                    format!("education info {iid} of event {} has errors (see its record)", ev.id),
                );
                None
            }
            None => {
                match left_out.get(iid) {
                    Some(what) => skip = Some(format!("its education info {iid} is {what}")),
                    None => at.err(
                        "education",
                        format!(
                            "event {} refers to education info {iid}, which is not among the records read",
                            ev.id
                        ),
                    ),
                }
                None
            }
        });
        let provider = ev.provider.as_ref().and_then(|pid| match providers.get(pid) {
            Some(Some(name)) => Some((pid, name)),
            Some(None) => {
                at.err(
                    &ev.provider_path,
                    format!("provider {pid} of event {} has errors (see its record)", ev.id),
                );
                None
            }
            None => {
                match left_out.get(pid) {
                    Some(what) => skip = Some(format!("its provider {pid} is {what}")),
                    None => at.err(
                        &ev.provider_path,
                        format!(
                            "event {} refers to provider {pid}, which is not among the records read",
                            ev.id
                        ),
                    ),
                }
                None
            }
        });
        if let Some(reason) = skip {
            out.skipped.push(Skipped {
                file: ev.file.clone(),
                row: ev.row,
                id: ev.id.clone(),
                reason,
            });
            continue;
        }
        let (Some(info), Some((provider_id, provider_name))) = (info, provider) else {
            continue;
        };
        if at.failed {
            continue;
        }
        let o = Offering {
            id: ev.id.clone(),
            education_id: info.id.clone(),
            provider_id: provider_id.clone(),
            provider_name: provider_name.clone(),
            title: ev.title.clone().unwrap_or_else(|| info.title.clone()),
            code: info.code.clone(),
            school_type: info.school_type,
            level: info.level.clone(),
            credits: info.credits,
            credit_system: info.credit_system.clone(),
            pace_percent: ev.pace,
            start: ev.start.clone(),
            end: ev.end.clone(),
            language: ev.language.clone(),
            form: ev.form.unwrap_or(StudyForm::Campus),
            sites: ev.sites.iter().map(|(s, _)| s.clone()).collect(),
            meetings: ev.meetings.clone(),
            application_opens: ev.application_opens.clone(),
            application_closes: ev.application_closes.clone(),
            application_url: ev.application_url.clone(),
            occupations: info.occupations.clone(),
            eligibility: info.eligibility.clone(),
        };
        for (field, m) in cross_checks(&o) {
            let path = match field {
                "end" => "execution.end",
                "application_closes" => "application.last",
                _ => ev.meetings_path.as_str(),
            };
            at.err(path, m);
        }
        if at.failed {
            continue;
        }
        let mut municipalities: Vec<_> = ev
            .sites
            .iter()
            .map(|(s, p)| (s.municipality, column(&ev.id, ev.base, p)))
            .collect();
        if let (Some(place), Some(p)) = (&o.meetings.place, &ev.meeting_place_path) {
            municipalities.push((place.municipality, column(&ev.id, ev.base, p)));
        }
        out.offerings.push(ParsedOffering {
            offering: o,
            file: ev.file.clone(),
            row: ev.row,
            municipalities,
        });
        out.warnings.extend(ev.warnings);
    }
    // Report in file order, as a person reads the files.
    let order = |f: &str| files.iter().position(|(name, _)| *name == f);
    out.errors.sort_by_key(|e| (order(&e.file), e.row));
    out.removals.sort_by_key(|r| (order(&r.file), r.row));
    out.skipped.sort_by_key(|s| (order(&s.file), s.row));
    out.warnings.sort_by_key(|w| (order(&w.file), w.row));
    out
}

// ---------------------------------------------------------------------------------------------
// Records

impl Kind {
    const ALL: [Kind; 3] = [Kind::Info, Kind::Event, Kind::Provider];

    /// The list of an API page that holds this kind.
    fn list_key(self) -> &'static str {
        match self {
            Kind::Info => "educationInfos",
            Kind::Event => "educationEvents",
            Kind::Provider => "educationProviders",
        }
    }

    /// Where the entity is in the earlier documented wrapper `content.educationEvent` etc.
    fn wrapped_base(self) -> &'static str {
        match self {
            Kind::Info => "content.educationInfo",
            Kind::Event => "content.educationEvent",
            Kind::Provider => "content.educationProvider",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Kind::Info => "i.",
            Kind::Event => "e.",
            Kind::Provider => "p.",
        }
    }
}

/// What one Susa-navet event refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLinks {
    pub id: String,
    /// Its education info (`education`).
    pub info: Option<String>,
    /// Its first provider (`providers[0]`).
    pub provider: Option<String>,
}

/// What Susa-navet records refer to, for one who fetches what an `updatedSince` page needs
/// besides itself: each active, not cancelled event with its info and provider, and the ids of
/// the active infos and providers (new or changed). Records that cannot be read are left out
/// here; [`parse_susa_files`] reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SusaLinks {
    pub events: Vec<EventLinks>,
    pub infos: BTreeSet<String>,
    pub providers: BTreeSet<String>,
}

/// The links among the records of `files` (see [`SusaLinks`]).
pub fn susa_links(files: &[(&str, &[u8])]) -> SusaLinks {
    let mut links = SusaLinks::default();
    let mut ignored = Vec::new();
    let first = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Array(a) => a.first().and_then(Value::as_str).map(|s| s.trim().to_string()),
        _ => None,
    };
    for (f, (file, bytes)) in files.iter().enumerate() {
        let Ok(records) = read_records(file, bytes) else {
            continue;
        };
        for (i, (list, value)) in records.iter().enumerate() {
            let Some(rec) = record(file, f, i as u64 + 1, *list, value, &mut ignored) else {
                continue;
            };
            let (None, Some(body)) = (&rec.status, rec.body) else {
                continue;
            };
            match rec.kind {
                Kind::Event => {
                    if matches!(field(body, &["isCancelled"]), Some((_, Value::Bool(true)))) {
                        continue;
                    }
                    links.events.push(EventLinks {
                        id: rec.id,
                        info: field(body, &["education"]).and_then(|(_, v)| first(v)),
                        provider: field(body, &["providers", "provider"]).and_then(|(_, v)| first(v)),
                    });
                }
                Kind::Info => {
                    links.infos.insert(rec.id);
                }
                Kind::Provider => {
                    links.providers.insert(rec.id);
                }
            }
        }
    }
    links
}

/// One record of a file, with its identity settled.
struct Rec<'v> {
    /// Index of its file.
    file: usize,
    row: u64,
    id: String,
    kind: Kind,
    /// The status, when it is not `ACTIVE`.
    status: Option<String>,
    /// The entity; None for `"content": null`.
    body: Option<&'v Map<String, Value>>,
    /// The path of the entity's fields in the record: `content` (as the API serves it),
    /// `content.educationEvent` etc. (the earlier wrapper), or empty (a bare entity).
    base: &'static str,
}

const EXPECTED_FILE: &str = "expected a Susa-navet API page {\"educationEvents\" | \"educationInfos\" | \"educationProviders\": [records], \"page\": {…}}, a JSON array of records, or one record {\"id\", \"status\", \"content\"}";

/// The records of a file in file order, each with the kind its list names (`educationEvents`
/// etc.), if any. A file is an API page, a JSON array of records, one record, or an object whose
/// records are in `content`, `results`, `records`, `items`, `data` or `hits` (earlier shapes),
/// else in the first array field whose first item is an object with `content` or `id`.
fn read_records(file: &str, bytes: &[u8]) -> Result<Vec<(Option<Kind>, Value)>, FormatError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let what = e.to_string();
        let what = what.rsplit_once(" at line ").map_or(what.as_str(), |(w, _)| w);
        FormatError::new(
            file,
            Some(e.line() as u64),
            None,
            format!("malformed JSON at line {}, column {}: {what}", e.line(), e.column()),
        )
    })?;
    let fail = |m: String| Err(FormatError::new(file, Some(1), None, m));
    let mut page = match value {
        Value::Array(records) => return Ok(records.into_iter().map(|r| (None, r)).collect()),
        Value::Object(page) => page,
        other => return fail(format!("the file holds {}; {EXPECTED_FILE}", kind_of(&other))),
    };
    // The API's page: one list per kind (a file may hold all three).
    let mut records = Vec::new();
    let mut found = false;
    for kind in [Kind::Provider, Kind::Info, Kind::Event] {
        match page.remove(kind.list_key()) {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                found = true;
                records.extend(list.into_iter().map(|r| (Some(kind), r)));
            }
            Some(other) => {
                return fail(format!(
                    "{} must be an array of records, got {}",
                    kind.list_key(),
                    kind_of(&other)
                ))
            }
        }
    }
    if found {
        return Ok(records);
    }
    // One record, as `/educationEvents/{id}` answers: it names itself and holds no list.
    const KEYS: [&str; 6] = ["content", "results", "records", "items", "data", "hits"];
    let is_list = |v: Option<&Value>| v.is_some_and(Value::is_array);
    if (page.contains_key("id") || page.contains_key("identifier")) && !KEYS.iter().any(|k| is_list(page.get(*k))) {
        return Ok(vec![(None, Value::Object(page))]);
    }
    let key = KEYS
        .iter()
        .map(|k| k.to_string())
        .find(|k| is_list(page.get(k)))
        .or_else(|| {
            page.iter()
                .find(|(_, v)| {
                    v.as_array()
                        .and_then(|a| a.first())
                        .is_some_and(|r| r.get("content").is_some() || r.get("id").is_some())
                })
                .map(|(k, _)| k.clone())
        });
    match key.and_then(|k| page.remove(&k)) {
        Some(Value::Array(records)) => Ok(records.into_iter().map(|r| (None, r)).collect()),
        _ => fail(format!("no array of records found; {EXPECTED_FILE}")),
    }
}

/// A record's identity (id, kind, status) and entity, or None after recording why not.
fn record<'v>(
    file: &str,
    f: usize,
    row: u64,
    list: Option<Kind>,
    value: &'v Value,
    errors: &mut Vec<FormatError>,
) -> Option<Rec<'v>> {
    let top_id = value
        .get("id")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let label = top_id.map(str::to_string).unwrap_or_else(|| format!("record {row}"));
    let mut fail = |path: &str, m: String| {
        errors.push(FormatError::new(file, Some(row), Some(&format!("{label}: {path}")), m));
        None
    };
    let Value::Object(rec) = value else {
        return fail(
            "",
            format!(
                "a record must be an object {{\"id\", \"status\", \"content\"}}, got {}",
                kind_of(value)
            ),
        );
    };
    if let Some(id) = rec.get("id").filter(|v| !v.is_null() && !v.is_string()) {
        return fail("id", format!("id must be a string, got {}", kind_of(id)));
    }
    let status = match rec.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("active") => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(other) => {
            return fail(
                "status",
                format!("status must be a string such as \"ACTIVE\", got {}", kind_of(other)),
            )
        }
    };
    // The entity: `content` itself (the API), one of `content.educationEvent` etc. (the earlier
    // wrapper), or the record itself when it is a bare entity with an `identifier`.
    let (body, base, wrapped): (Option<&Map<String, Value>>, &'static str, Option<Kind>) = match rec.get("content") {
        None if rec.contains_key("identifier") && !rec.contains_key("status") => (Some(rec), "", None),
        None if status.is_some() => (None, "content", None),
        None => {
            return fail(
                "content",
                "content is missing; expected the record's entity (an education info, event or provider), or null for a removed record".into(),
            )
        }
        Some(Value::Null) => (None, "content", None),
        Some(Value::Object(content)) => {
            let kinds: Vec<Kind> = Kind::ALL
                .into_iter()
                .filter(|k| content.get(k.as_str()).is_some_and(|v| !v.is_null()))
                .collect();
            match kinds[..] {
                [] => (Some(content), "content", None),
                [kind] => match content.get(kind.as_str()) {
                    Some(Value::Object(b)) => (Some(b), kind.wrapped_base(), Some(kind)),
                    _ => return fail(kind.wrapped_base(), format!("{} must be an object", kind.wrapped_base())),
                },
                _ => {
                    return fail(
                        "content",
                        format!(
                            "content holds {} of educationInfo, educationEvent, educationProvider; expected the entity itself, or one of them",
                            kinds.len()
                        ),
                    )
                }
            }
        }
        Some(other) => {
            return fail(
                "content",
                format!(
                    "content must be the record's entity (an object) or null, got {}",
                    kind_of(other)
                ),
            )
        }
    };
    let identifier = body
        .and_then(|b| b.get("identifier"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let Some(id) = top_id.or(identifier).map(str::to_string) else {
        return fail(
            "id",
            "the record has no id; expected \"id\" or content.identifier".into(),
        );
    };
    let by_prefix = Kind::ALL.into_iter().find(|k| id.starts_with(k.prefix()));
    let by_place = match (list, wrapped) {
        (Some(l), Some(w)) if l != w => {
            return fail(
                "content",
                format!("the record is in the list {} but holds {}", l.list_key(), w.as_str()),
            )
        }
        (l, w) => l.or(w),
    };
    if let (Some(p), Some(k)) = (by_prefix, by_place) {
        if p != k {
            let place = match list {
                Some(l) => format!("is in the list {}", l.list_key()),
                None => format!("holds {}", k.as_str()),
            };
            return fail(
                "id",
                format!(
                    "id {id} has the prefix of {} records, but the record {place}",
                    p.as_str()
                ),
            );
        }
    }
    let Some(kind) = by_place.or(by_prefix).or_else(|| body.and_then(kind_by_fields)) else {
        return fail(
            "id",
            format!("cannot tell whether {id} is an education info, event or provider; expected an id starting i., e. or p., or a page's list educationInfos, educationEvents or educationProviders"),
        );
    };
    Some(Rec {
        file: f,
        row,
        id,
        kind,
        status,
        body,
        base,
    })
}

/// The kind an entity's own fields tell: an event refers to its education and providers, an
/// info has a title or a school type, a provider a name.
fn kind_by_fields(b: &Map<String, Value>) -> Option<Kind> {
    let has = |keys: &[&str]| keys.iter().any(|k| b.contains_key(*k));
    if has(&["education", "providers", "provider", "execution"]) {
        Some(Kind::Event)
    } else if has(&["title", "type", "typeOfSchool", "credits"]) {
        Some(Kind::Info)
    } else if has(&["name", "responsibleBody"]) {
        Some(Kind::Provider)
    } else {
        None
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The error column of a field: `"{id}: {base}.{path}"`, or `"{id}: {path}"` for a bare entity.
fn column(id: &str, base: &str, path: &str) -> String {
    if base.is_empty() {
        format!("{id}: {path}")
    } else {
        format!("{id}: {base}.{path}")
    }
}

// ---------------------------------------------------------------------------------------------
// Field access with error paths

/// Where errors of one record go: column `"{id}: {base}.{path}"` ([`column`]).
struct At<'a> {
    file: &'a str,
    row: u64,
    id: &'a str,
    base: &'static str,
    errors: &'a mut Vec<FormatError>,
    failed: bool,
}

impl At<'_> {
    fn err(&mut self, path: &str, message: impl Into<String>) {
        self.failed = true;
        let e = self.warning(path, message);
        self.errors.push(e);
    }

    /// A problem at `path` that does not make the record invalid.
    fn warning(&self, path: &str, message: impl Into<String>) -> FormatError {
        FormatError::new(
            self.file,
            Some(self.row),
            Some(&column(self.id, self.base, path)),
            message,
        )
    }

    /// An optional field (the first of `keys` present and not null) through `conv`.
    fn opt<T>(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        keys: &[&'static str],
        conv: impl FnOnce(&Value) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let (k, v) = field(obj, keys)?;
        conv(v).unwrap_or_else(|m| {
            self.err(&format!("{prefix}{k}"), m);
            None
        })
    }

    /// A required field; `what` names it in the message when it is missing.
    fn req<T>(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &str,
        keys: &[&'static str],
        what: &str,
        conv: impl FnOnce(&Value) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let path = format!("{prefix}{}", field(obj, keys).map_or(keys[0], |(k, _)| k));
        match field(obj, keys).map(|(_, v)| conv(v)) {
            Some(Ok(Some(x))) => Some(x),
            Some(Err(m)) => {
                self.err(&path, m);
                None
            }
            _ => {
                self.err(&path, format!("{what} is missing"));
                None
            }
        }
    }

    /// A nested object (an array's first item is taken), with its path prefix.
    fn obj<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        prefix: &str,
        keys: &[&'static str],
    ) -> Option<(String, &'v Map<String, Value>)> {
        let (k, v) = field(obj, keys)?;
        let (path, v) = match v {
            Value::Array(a) => (format!("{prefix}{k}[0]."), a.first().unwrap_or(&Value::Null)),
            v => (format!("{prefix}{k}."), v),
        };
        match v {
            Value::Object(o) => Some((path, o)),
            Value::Null => None,
            other => {
                self.err(
                    &format!("{prefix}{k}"),
                    format!("expected an object, got {}", kind_of(other)),
                );
                None
            }
        }
    }
}

/// The first of `keys` present in `obj` with a value other than null.
fn field<'v>(obj: &'v Map<String, Value>, keys: &[&'static str]) -> Option<(&'static str, &'v Value)> {
    keys.iter()
        .find_map(|k| obj.get(*k).filter(|v| !v.is_null()).map(|v| (*k, v)))
}

const TEXT: &str = "expected a text: a string or {\"strings\": [{\"lang\": \"swe\", \"value\": \"…\"}]}";

/// A text: EMIL 3's LangString `{"strings": [{"lang", "value"}]}` or LangUrl `{"urls": [{"lang",
/// "value"}]}`; the earlier `{"string"|"url": [{"lang", "content"}]}`, such a list itself, a plain
/// string, or an array of texts (the first is used). Swedish is preferred, then English, then
/// the first language given.
fn text(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Value::Object(o) => match field(o, &["strings", "urls", "string", "url"]) {
            Some((_, list)) => lang_strings(list),
            None => Err(TEXT.into()),
        },
        Value::Array(a) if !a.is_empty() && a.iter().all(|e| e.get("lang").is_some()) => lang_strings(v),
        Value::Array(a) => a.first().map_or(Ok(None), text),
        _ => Err(format!("{TEXT}, got {}", kind_of(v))),
    }
}

fn lang_strings(list: &Value) -> Result<Option<String>, String> {
    let items = match list {
        Value::Array(a) => a.as_slice(),
        Value::Object(_) => std::slice::from_ref(list),
        other => return Err(format!("{TEXT}; the list of strings is {}", kind_of(other))),
    };
    let mut found: Vec<(String, String)> = Vec::new();
    for item in items {
        let Value::Object(o) = item else {
            return Err(format!("{TEXT}; a string entry is {}", kind_of(item)));
        };
        let lang = o
            .get("lang")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        // EMIL 3.0.4 marks HTML in `value` with `"content": "HTML"`; earlier shapes kept the
        // text itself in `content`.
        let marker = o
            .get("content")
            .and_then(Value::as_str)
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| ["HTML", "TEXT", "PLAIN", "MARKDOWN"].contains(&c.as_str()));
        let keys: &[&'static str] = if marker.is_some() {
            &["value"]
        } else {
            &["value", "content"]
        };
        match field(o, keys) {
            Some((_, Value::String(s))) => {
                let s = if marker.as_deref() == Some("HTML") {
                    strip_html(s)
                } else {
                    s.trim().to_string()
                };
                if !s.is_empty() {
                    found.push((lang, s));
                }
            }
            None => {}
            Some((k, other)) => return Err(format!("{TEXT}; {k} is {}", kind_of(other))),
        }
    }
    let pick = ["swe", "sv", "eng", "en"]
        .iter()
        .find_map(|l| found.iter().position(|(lang, _)| lang == l))
        .or((!found.is_empty()).then_some(0));
    Ok(pick.map(|i| found.swap_remove(i).1))
}

/// The text of an HTML fragment: tags out (a line break for `<br>`, `</p>`, `</li>` and
/// `</div>`), the common entities decoded, white space collapsed within each line.
fn strip_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else {
            text.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = rest[i + 1..i + j].trim().to_ascii_lowercase();
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or("");
        if matches!(name, "br" | "p" | "li" | "div" | "ul" | "ol" | "tr") {
            text.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A coded value: `{"type", "code"}`, a plain string or number, or an array of them (the first).
fn code(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Object(o) => match o.get("code") {
            Some(c @ (Value::String(_) | Value::Number(_) | Value::Null)) => code(c),
            Some(other) => Err(format!("code must be a string, got {}", kind_of(other))),
            None => Err("expected a coded value {\"type\": …, \"code\": …}".into()),
        },
        Value::Array(a) => a.first().map_or(Ok(None), code),
        Value::Bool(_) => Err("expected a code (a string or {\"type\", \"code\"}), got a boolean".into()),
    }
}

/// All the codes of a list (or of a single value).
fn codes(v: &Value) -> Result<Option<Vec<String>>, String> {
    let items = match v {
        Value::Array(a) => a.as_slice(),
        v => std::slice::from_ref(v),
    };
    let mut out = Vec::new();
    for item in items {
        out.extend(code(item)?);
    }
    Ok(Some(out).filter(|v| !v.is_empty()))
}

/// A number: a JSON number, a decimal string (`"7,5"`), or an array of them (the first).
fn number(v: &Value) -> Result<Option<f64>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("{n} is not a number kkig can hold")),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => decode::parse_decimal(s).map(Some),
        Value::Array(a) => a.first().map_or(Ok(None), number),
        other => Err(format!("expected a number, got {}", kind_of(other))),
    }
}

fn count(v: &Value) -> Result<Option<u32>, String> {
    match number(v)? {
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => Ok(Some(x as u32)),
        Some(x) => Err(format!("{x} is not a whole number of zero or more")),
        None => Ok(None),
    }
}

fn date(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => decode::parse_date(s).map(Some),
        other => Err(format!("expected a date string YYYY-MM-DD, got {}", kind_of(other))),
    }
}

// ---------------------------------------------------------------------------------------------
// The three kinds

#[derive(Debug)]
struct Info {
    id: String,
    code: String,
    title: String,
    school_type: SchoolType,
    level: String,
    credits: f64,
    credit_system: String,
    occupations: Vec<Ssyk>,
    eligibility: String,
    /// Why the info (and so its events) is left out: a school type the catalogue does not hold.
    skip: Option<String>,
}

/// EMIL 3's school type (`type`, code list `C_SchoolType`), or an earlier spelling: Ok(Ok) for
/// the four the catalogue holds, Ok(Err(reason)) for another school type of the code list.
fn emil_school_type(code: &str) -> Result<Result<SchoolType, String>, String> {
    const NOT_HELD: [(&str, &str); 15] = [
        ("AU", "annan undervisning"),
        ("AUB", "arbetsmarknadsutbildning"),
        ("FKLASS", "förskoleklass"),
        ("FTH", "fritidshem"),
        ("GR", "grundskola"),
        ("GRAN", "anpassad grundskola"),
        ("GY", "gymnasieskola"),
        ("GYAN", "anpassad gymnasieskola"),
        ("KKU", "konst- och kulturutbildning"),
        ("KU", "kulturskola"),
        ("NY", "nationell yrkesutbildning"),
        ("OPPFTH", "öppen fritidsverksamhet"),
        ("SAM", "sameskola"),
        ("SP", "specialskola"),
        ("STF", "studieförbund"),
    ];
    let c = code.trim().to_ascii_uppercase();
    match c.as_str() {
        "HS" => return Ok(Ok(SchoolType::Hs)),
        "YH" => return Ok(Ok(SchoolType::Yh)),
        "FHS" => return Ok(Ok(SchoolType::Fhsk)),
        "VUX" | "VUXGR" | "VUXGRAN" | "VUXGY" | "VUXGYAN" | "VUXSFI" => return Ok(Ok(SchoolType::Komvux)),
        _ => {}
    }
    if let Some((c, name)) = NOT_HELD.iter().find(|(k, _)| *k == c) {
        return Ok(Err(format!(
            "school type {c} ({name}) is not one the catalogue holds (HS, YH, VUX…, FHS)"
        )));
    }
    school_type(code)
        .map(Ok)
        .map_err(|_| format!("unknown school type {code:?}; expected a C_SchoolType code such as HS, YH, VUXGY or FHS"))
}

/// The level of `educationLevels` (or the earlier `educationLevel`): UHR's `UH_EducationLevel`
/// (`G…` grundnivå, `A…` avancerad nivå), else ISCED 2011 (`C_EducationLevel`), else an
/// earlier code (`grund`, `avancerad`, `forskar`), else the first code as given.
fn level(v: &Value) -> Result<Option<String>, String> {
    let items = v.as_array().map_or(std::slice::from_ref(v), Vec::as_slice);
    let mut levels: Vec<(String, String)> = Vec::new();
    for item in items {
        let kind = item
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        if let Some(c) = code(item)? {
            levels.push((kind, c));
        }
    }
    let uh = levels.iter().find_map(|(t, c)| {
        (t == "uh_educationlevel")
            .then(|| match c.chars().next().map(|c| c.to_ascii_uppercase()) {
                Some('G') => Some("grundnivå"),
                Some('A') => Some("avancerad nivå"),
                _ => None,
            })
            .flatten()
    });
    let isced = levels.iter().find_map(|(_, c)| match c.to_ascii_uppercase().as_str() {
        "ISCED_1" | "ISCED_2" => Some("grundläggande nivå"),
        "ISCED_3" => Some("gymnasial nivå"),
        "ISCED_4" => Some("eftergymnasial nivå"),
        "ISCED_5" => Some("kort eftergymnasial nivå"),
        "ISCED_6" => Some("grundnivå"),
        "ISCED_7" => Some("avancerad nivå"),
        "ISCED_8" => Some("forskarnivå"),
        _ => None,
    });
    let earlier = levels.first().map(|(_, l)| match l.to_lowercase().as_str() {
        "grund" | "grundnivå" => "grundnivå".to_string(),
        "avancerad" | "avancerad nivå" => "avancerad nivå".to_string(),
        "forskar" | "forskarnivå" => "forskarnivå".to_string(),
        _ => l.clone(),
    });
    Ok(uh.or(isced).map(str::to_string).or(earlier))
}

fn parse_info(at: &mut At, b: &Map<String, Value>) -> Info {
    let mut info = Info {
        id: at.id.to_string(),
        code: String::new(),
        title: String::new(),
        school_type: SchoolType::Hs,
        level: String::new(),
        credits: 0.0,
        credit_system: String::new(),
        occupations: Vec::new(),
        eligibility: String::new(),
        skip: None,
    };
    // The school type first: an education the catalogue does not hold is not read further.
    match field(b, &["type", "typeOfSchool", "form"]) {
        Some((k, _)) => match at.req(b, "", &[k], "the school type", |v| {
            code(v)?.map(|s| emil_school_type(&s)).transpose()
        }) {
            Some(Ok(t)) => info.school_type = t,
            Some(Err(reason)) => {
                info.skip = Some(reason);
                return info;
            }
            None => {}
        },
        None => at.err(
            "type",
            "the school type is missing; expected type {\"type\": \"C_SchoolType\", \"code\": \"HS\" | \"YH\" | \"VUXGY\" | \"FHS\" | …}",
        ),
    }
    info.code = at.opt(b, "", &["code"], code).unwrap_or_default();
    info.title = at.req(b, "", &["title"], "the title", text).unwrap_or_default();
    info.level = at
        .opt(b, "", &["educationLevels", "educationLevel"], level)
        .unwrap_or_default();
    let (credits, credit_system) = match field(b, &["credits"]) {
        Some((_, Value::Object(c))) => {
            let x = at.opt(c, "credits.", &["credits", "exact", "value"], |v| {
                number(v)?.map(check_credits).transpose()
            });
            let system = at.opt(c, "credits.", &["system"], code);
            (x, system)
        }
        Some(_) => (
            at.opt(b, "", &["credits"], |v| number(v)?.map(check_credits).transpose()),
            None,
        ),
        None => (None, None),
    };
    info.credits = credits.unwrap_or(0.0);
    // C_Credits `yh` (yrkeshögskolepoäng) is kkig's `yhp`.
    info.credit_system = match credit_system.unwrap_or_default().to_lowercase().as_str() {
        "yh" => "yhp".to_string(),
        other => other.to_string(),
    };
    let mut occupations: Vec<Ssyk> = Vec::new();
    let mut add = |at: &mut At, path: String, c: &str| match ssyk(c) {
        Ok(s) if !occupations.contains(&s) => occupations.push(s),
        Ok(_) => {}
        Err(m) => at.err(&path, m),
    };
    if let Some((k, v)) = field(b, &["occupations", "occupation"]) {
        let items = v.as_array().map_or(std::slice::from_ref(v), Vec::as_slice);
        for (i, item) in items.iter().enumerate() {
            match code(item) {
                Ok(Some(c)) => add(at, format!("{k}[{i}]"), &c),
                Ok(None) => {}
                Err(m) => at.err(&format!("{k}[{i}]"), m),
            }
        }
    }
    for key in ["subjects", "subject"] {
        let Some(Value::Array(subjects)) = b.get(key) else {
            continue;
        };
        for (i, s) in subjects.iter().enumerate() {
            let is_ssyk = s
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.to_lowercase().contains("ssyk"));
            if let (true, Some(c)) = (is_ssyk, s.get("code")) {
                match code(c) {
                    Ok(Some(c)) => add(at, format!("{key}[{i}].code"), &c),
                    Ok(None) => {}
                    Err(m) => at.err(&format!("{key}[{i}].code"), m),
                }
            }
        }
    }
    // EMIL 3 has no SSYK codes: without kkig's extension, the professional degree the info
    // gives names its occupation.
    if occupations.is_empty() {
        if let Some(degree) = at.opt(b, "", &["degrees", "degree"], text) {
            occupations = kkig_core::catalogue::occupations_of_degree(&degree);
        }
    }
    info.occupations = occupations;
    info.eligibility = match field(b, &["eligibility"]) {
        Some((_, Value::Object(e))) if e.contains_key("eligibilityDescription") => {
            at.opt(e, "eligibility.", &["eligibilityDescription"], text)
        }
        _ => at.opt(b, "", &["eligibility"], text),
    }
    .unwrap_or_default();
    info
}

fn parse_provider(at: &mut At, b: &Map<String, Value>) -> Option<String> {
    if field(b, &["name"]).is_none() {
        if let Some((p, body)) = at.obj(b, "", &["responsibleBody"]) {
            return at.req(body, &p, &["name"], "the provider's name", text);
        }
    }
    at.req(b, "", &["name"], "the provider's name", text)
}

#[derive(Debug)]
struct Event {
    id: String,
    file: String,
    row: u64,
    base: &'static str,
    valid: bool,
    /// Why the event is left out: its dates are not fixed (`execution.condition` 0, 2 or 3).
    skip: Option<String>,
    education: Option<String>,
    /// The provider used (the first listed) and the path it was read from.
    provider: Option<String>,
    provider_path: String,
    title: Option<String>,
    start: String,
    end: String,
    pace: u32,
    language: String,
    form: Option<StudyForm>,
    sites: Vec<(StudySite, String)>,
    meetings: Meetings,
    meetings_path: String,
    meeting_place_path: Option<String>,
    application_opens: Option<String>,
    application_closes: Option<String>,
    application_url: Option<String>,
    /// Values left out (an application URL that is not http(s)).
    warnings: Vec<FormatError>,
}

/// The number of terms (spring, autumn) from `start` to `end`, both counted; at least 1.
fn terms(start: &str, end: &str) -> Option<u32> {
    let (a, b) = (Term::of(Day::parse(start).ok()?), Term::of(Day::parse(end).ok()?));
    let index = |t: Term| i64::from(t.year) * 2 + i64::from(t.season == Season::Autumn);
    u32::try_from(index(b) - index(a) + 1).ok().map(|n| n.max(1))
}

fn parse_event(at: &mut At, b: &Map<String, Value>) -> Event {
    let mut ev = Event {
        id: at.id.to_string(),
        file: at.file.to_string(),
        row: at.row,
        base: at.base,
        valid: true,
        skip: None,
        education: None,
        provider: None,
        provider_path: String::new(),
        title: None,
        start: String::new(),
        end: String::new(),
        pace: 100,
        language: String::new(),
        form: None,
        sites: Vec::new(),
        meetings: Meetings {
            per_term: 0,
            days_each: 0,
            place: None,
        },
        meetings_path: String::new(),
        meeting_place_path: None,
        application_opens: None,
        application_closes: None,
        application_url: None,
        warnings: Vec::new(),
    };
    // The dates first: an event whose dates are not fixed is not read further.
    if field(b, &["execution"]).is_none() {
        at.err("execution", "execution {\"start\", \"end\"} is missing");
    } else if let Some((p, exec)) = at.obj(b, "", &["execution"]) {
        let condition = at.opt(exec, &p, &["condition"], code);
        let missing = field(exec, &["start"]).is_none() || field(exec, &["end"]).is_none();
        if let (true, Some(c @ ("0" | "2" | "3"))) = (missing, condition.as_deref()) {
            let what = match c {
                "0" => "the education is established but not planned",
                "2" => "start and end are set by the student",
                _ => "start and end are set by the provider later",
            };
            ev.skip = Some(format!("no start and end dates: execution condition {c} ({what})"));
            ev.valid = !at.failed;
            return ev;
        }
        ev.start = at.req(exec, &p, &["start"], "the start date", date).unwrap_or_default();
        ev.end = at.req(exec, &p, &["end"], "the end date", date).unwrap_or_default();
    }
    ev.education = at.req(b, "", &["education"], "the education info id (i.…) of the event", code);
    ev.provider_path = field(b, &["providers", "provider"])
        .map_or("providers", |(k, _)| k)
        .to_string();
    if field(b, &["providers", "provider"]).is_some_and(|(_, v)| v.is_array()) {
        ev.provider_path.push_str("[0]");
    }
    ev.provider = at
        .req(
            b,
            "",
            &["providers", "provider"],
            "the provider id (p.…) of the event",
            codes,
        )
        .map(|v| v[0].clone());
    ev.title = at.opt(b, "", &["title"], text);
    let pace = |v: &Value| number(v)?.map(check_pace).transpose();
    let pace = if field(b, &["paceOfStudy"]).is_some() {
        at.obj(b, "", &["paceOfStudy"])
            .and_then(|(p, o)| at.req(o, &p, &["percentage"], "the pace of study (percent)", pace))
    } else if field(b, &["paceOfStudyPercentage"]).is_some() {
        at.req(b, "", &["paceOfStudyPercentage"], "the pace of study", pace)
    } else {
        at.err(
            "paceOfStudy",
            "the pace of study is missing; expected paceOfStudy {\"percentage\": 1–100}",
        );
        None
    };
    ev.pace = pace.unwrap_or(100);
    ev.language = at
        .opt(
            b,
            "",
            &["languageOfInstructions", "languageOfInstruction", "language"],
            |v| code(v)?.map(|s| language(&s)).transpose(),
        )
        .unwrap_or_else(|| "swe".into());
    ev.form = if field(b, &["formOfStudy"]).is_some() {
        at.req(b, "", &["formOfStudy"], "the form of study", |v| {
            code(v)?.map(|s| study_form(&s)).transpose()
        })
    } else {
        match field(b, &["distance"]) {
            None | Some((_, Value::Bool(false))) => Some(StudyForm::Campus),
            Some((_, Value::Bool(true) | Value::Object(_))) => Some(StudyForm::Distance),
            Some((_, other)) => {
                at.err(
                    "distance",
                    format!("distance must be an object (or true or false), got {}", kind_of(other)),
                );
                None
            }
        }
    };
    if let Some((k, v)) = field(b, &["locations", "location"]) {
        let items = v.as_array().map_or(std::slice::from_ref(v), Vec::as_slice);
        for (i, item) in items.iter().enumerate() {
            ev.sites.extend(location(at, item, &format!("{k}[{i}].")));
        }
    }
    ev.meetings_path = "onSiteMeetings.perTerm".to_string();
    if let Some((p, m)) = at.obj(b, "", &["onSiteMeetings"]) {
        ev.meetings.per_term = at
            .req(m, &p, &["perTerm"], "the number of meetings per term", count)
            .unwrap_or(0);
        ev.meetings.days_each = at.opt(m, &p, &["daysEach"], count).unwrap_or(1);
        if let Some((_, place)) = field(m, &["location"]) {
            if let Some((site, code_path)) = location(at, place, &format!("{p}location.")) {
                ev.meetings.place = Some(site);
                ev.meeting_place_path = Some(code_path);
            }
        }
    } else if let Some(Value::Object(d)) = b.get("distance") {
        if field(d, &["noOfMandatorySessions"]).is_some() {
            // EMIL 3 counts the mandatory sessions of the whole event: spread over its terms.
            ev.meetings_path = "distance.noOfMandatorySessions".into();
            let total = at.opt(d, "distance.", &["noOfMandatorySessions"], count).unwrap_or(0);
            let terms = terms(&ev.start, &ev.end).unwrap_or(1);
            ev.meetings.per_term = total.div_ceil(terms);
        } else {
            ev.meetings_path = "distance.mandatory".into();
            ev.meetings.per_term = at.opt(d, "distance.", &["mandatory"], count).unwrap_or(0);
        }
        ev.meetings.days_each = u32::from(ev.meetings.per_term > 0);
    }
    let mut warnings = Vec::new();
    // Only an http(s) address is kept; another is a warning, and the next place is tried.
    let mut link = |at: &At, path: String, url: Option<String>| {
        checked_url(url.as_deref().unwrap_or("")).unwrap_or_else(|m| {
            warnings.push(at.warning(&path, m));
            None
        })
    };
    if let Some((p, app)) = at.obj(b, "", &["application"]) {
        ev.application_opens = at.opt(app, &p, &["first"], date);
        ev.application_closes = at.opt(app, &p, &["last"], date);
        let url = at.opt(app, &p, &["url"], text);
        ev.application_url = link(at, format!("{p}url"), url);
    }
    if ev.application_url.is_none() {
        let url = at.opt(b, "", &["url"], text);
        ev.application_url = link(at, "url".into(), url);
    }
    ev.warnings = warnings;
    ev.valid = !at.failed;
    ev
}

/// A location (EMIL 3's Address) `{"town", "areaCode"}`: the study site and the path of its
/// code. The town is `town`, else the text of `studyLocation`; `municipalityCode` is accepted
/// for `areaCode`.
fn location(at: &mut At, v: &Value, path: &str) -> Option<(StudySite, String)> {
    let Value::Object(o) = v else {
        at.err(
            path.trim_end_matches('.'),
            format!(
                "a location must be an object {{\"town\", \"areaCode\"}}, got {}",
                kind_of(v)
            ),
        );
        return None;
    };
    let town = at.opt(o, path, &["town", "studyLocation"], text).unwrap_or_default();
    let code_path = format!(
        "{path}{}",
        field(o, &["areaCode", "municipalityCode"]).map_or("areaCode", |(k, _)| k)
    );
    let municipality = at.req(
        o,
        path,
        &["areaCode", "municipalityCode"],
        "the kommunkod (areaCode) of the location",
        |v| {
            code(v)?
                .map(|c| decode::cell_kommunkod(&c).map_err(|e| e.to_string()))
                .transpose()
        },
    )?;
    Some((StudySite { municipality, town }, code_path))
}
