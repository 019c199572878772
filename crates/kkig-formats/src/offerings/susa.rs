//! Susa-navet EMIL 3 JSON: education infos (`i.…`), events (`e.…`) and providers (`p.…`) as the
//! Susa-navet API returns them, joined into one [`Offering`] per active event.
//!
//! The accepted shape, with every alias, is documented in `docs/catalogue-import.md`. Errors
//! name the record's 1-based index in its file as the row and `"{id}: {field path}"` as the
//! column, e.g. `e.umu.123: content.educationEvent.paceOfStudyPercentage`.

use std::collections::HashMap;

use kkig_core::catalogue::{Meetings, Offering, SchoolType, StudyForm, StudySite};
use kkig_core::Ssyk;
use serde_json::{Map, Value};

use super::{
    application_url as checked_url, check_credits, check_pace, cross_checks, language, school_type, ssyk, study_form,
};
use super::{ParsedOffering, ParsedOfferings, Skipped};
use crate::decode;
use crate::error::FormatError;

/// Offerings from one Susa-navet file: an API page (`{"content": [records], …}`) or a JSON
/// array of records. Events are joined to the infos and providers in the same file.
pub fn parse_susa(file: &str, bytes: &[u8]) -> ParsedOfferings {
    parse_susa_files(&[(file, bytes)])
}

/// Offerings from several Susa-navet files read as one (the API pages infos, events and
/// providers separately): an event may refer to an info or provider in any of the files.
pub fn parse_susa_files(files: &[(&str, &[u8])]) -> ParsedOfferings {
    let mut out = ParsedOfferings::default();
    let mut seen: HashMap<String, (String, u64)> = HashMap::new();
    // Valid records by id; `None` marks a record that had errors.
    let mut infos: HashMap<String, Option<Info>> = HashMap::new();
    let mut providers: HashMap<String, Option<String>> = HashMap::new();
    // Records skipped on purpose, by id, with the reason.
    let mut inactive: HashMap<String, String> = HashMap::new();
    let mut events: Vec<Event> = Vec::new();

    for (file, bytes) in files {
        let records = match read_records(file, bytes) {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(e);
                continue;
            }
        };
        for (i, value) in records.iter().enumerate() {
            let row = i as u64 + 1;
            let Some((kind, id, body)) = record(file, row, value, &mut out.errors) else {
                continue;
            };
            if let Some((f, r)) = seen.get(&id) {
                let where_ = if f == file {
                    format!("record {r}")
                } else {
                    format!("record {r} of {f}")
                };
                out.errors.push(FormatError::new(
                    file,
                    Some(row),
                    Some(&format!("{id}: id")),
                    format!("id {id} appears twice (first as {where_})"),
                ));
                continue;
            }
            seen.insert(id.clone(), (file.to_string(), row));
            let status = match value.get("status") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("active") => None,
                Some(Value::String(s)) => Some(format!("status is {s:?}, not active")),
                Some(other) => {
                    out.errors.push(FormatError::new(
                        file,
                        Some(row),
                        Some(&format!("{id}: status")),
                        format!("status must be a string such as \"active\", got {}", kind_of(other)),
                    ));
                    continue;
                }
            };
            let cancelled = kind == Kind::Event && body.get("isCancelled") == Some(&Value::Bool(true));
            if let Some(reason) = status.or(cancelled.then(|| "the event is cancelled (isCancelled)".to_string())) {
                out.skipped.push(Skipped {
                    file: file.to_string(),
                    row,
                    id: id.clone(),
                    reason: reason.clone(),
                });
                inactive.insert(id, reason);
                continue;
            }
            let mut at = At {
                file,
                row,
                id: &id,
                base: kind.base(),
                errors: &mut out.errors,
                failed: false,
            };
            match kind {
                Kind::Info => {
                    let info = parse_info(&mut at, body);
                    let ok = !at.failed;
                    infos.insert(id.clone(), ok.then_some(info));
                }
                Kind::Provider => {
                    let name = parse_provider(&mut at, body);
                    let ok = !at.failed;
                    providers.insert(id.clone(), name.filter(|_| ok));
                }
                Kind::Event => events.push(parse_event(&mut at, body)),
            }
        }
    }

    for ev in events {
        let mut at = At {
            file: &ev.file,
            row: ev.row,
            id: &ev.id,
            base: Kind::Event.base(),
            errors: &mut out.errors,
            failed: !ev.valid,
        };
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
                match inactive.get(iid) {
                    Some(reason) => skip = Some(format!("its education info {iid} is skipped: {reason}")),
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
                match inactive.get(pid) {
                    Some(reason) => skip = Some(format!("its provider {pid} is skipped: {reason}")),
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
            form: ev.form,
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
            .map(|(s, p)| (s.municipality, format!("{}: {}.{p}", ev.id, Kind::Event.base())))
            .collect();
        if let (Some(place), Some(p)) = (&o.meetings.place, &ev.meeting_place_path) {
            municipalities.push((place.municipality, format!("{}: {}.{p}", ev.id, Kind::Event.base())));
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
    out.skipped.sort_by_key(|s| (order(&s.file), s.row));
    out.warnings.sort_by_key(|w| (order(&w.file), w.row));
    out
}

// ---------------------------------------------------------------------------------------------
// Records

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Info,
    Event,
    Provider,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Info, Kind::Event, Kind::Provider];
    fn key(self) -> &'static str {
        match self {
            Kind::Info => "educationInfo",
            Kind::Event => "educationEvent",
            Kind::Provider => "educationProvider",
        }
    }
    fn base(self) -> &'static str {
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

/// The records of a file: a JSON array, or an object (an API page) whose records are in
/// `content`, `results`, `records`, `items`, `data` or `hits`, else in the first array field
/// whose first item is an object with `content` or `id`.
fn read_records(file: &str, bytes: &[u8]) -> Result<Vec<Value>, FormatError> {
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
    let expected = "expected a JSON array of Susa-navet records, or an API page {\"content\": [records], …}";
    match value {
        Value::Array(records) => Ok(records),
        Value::Object(mut page) => {
            const KEYS: [&str; 6] = ["content", "results", "records", "items", "data", "hits"];
            let key = KEYS
                .iter()
                .map(|k| k.to_string())
                .find(|k| page.get(k).is_some_and(Value::is_array))
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
                Some(Value::Array(records)) => Ok(records),
                _ => Err(FormatError::new(
                    file,
                    Some(1),
                    None,
                    format!("no array of records found; {expected}"),
                )),
            }
        }
        other => Err(FormatError::new(
            file,
            Some(1),
            None,
            format!("the file holds {}; {expected}", kind_of(&other)),
        )),
    }
}

/// A record's kind, id and body (`content.educationInfo` etc.), or None after recording why not.
fn record<'v>(
    file: &str,
    row: u64,
    value: &'v Value,
    errors: &mut Vec<FormatError>,
) -> Option<(Kind, String, &'v Map<String, Value>)> {
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
    let Some(Value::Object(content)) = rec.get("content") else {
        return fail("content", "content is missing or not an object; expected {\"educationInfo\" | \"educationEvent\" | \"educationProvider\": {…}}".into());
    };
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| content.get(k.key()).is_some_and(|v| !v.is_null()))
        .collect();
    let [kind] = kinds[..] else {
        return fail(
            "content",
            format!(
                "content must hold exactly one of educationInfo, educationEvent, educationProvider; found {}",
                kinds.len()
            ),
        );
    };
    let Some(Value::Object(body)) = content.get(kind.key()) else {
        return fail(kind.base(), format!("{} must be an object", kind.base()));
    };
    let identifier = body
        .get("identifier")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let Some(id) = top_id.or(identifier).map(str::to_string) else {
        return fail(
            "id",
            format!("the record has no id; expected \"id\" or {}.identifier", kind.base()),
        );
    };
    if let Some(other) = Kind::ALL.into_iter().find(|k| *k != kind && id.starts_with(k.prefix())) {
        return fail(
            "id",
            format!(
                "id {id} has the prefix of {} records, but the record holds {}",
                other.key(),
                kind.key()
            ),
        );
    }
    Some((kind, id, body))
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

// ---------------------------------------------------------------------------------------------
// Field access with error paths

/// Where errors of one record go: column `"{id}: {base}.{path}"`.
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
        let column = format!("{}: {}.{path}", self.id, self.base);
        FormatError::new(self.file, Some(self.row), Some(&column), message)
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

/// A text: a string, `{"strings"|"string"|"url": [{"lang", "value"|"content"}]}`, such a list
/// itself, or an array of texts (the first is used). Swedish is preferred, then English, then
/// the first language given.
fn text(v: &Value) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Value::Object(o) => match field(o, &["strings", "string", "url"]) {
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
    let mut found: Vec<(String, &str)> = Vec::new();
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
        match field(o, &["value", "content"]) {
            Some((_, Value::String(s))) if !s.trim().is_empty() => found.push((lang, s.trim())),
            Some((_, Value::String(_))) | None => {}
            Some((k, other)) => return Err(format!("{TEXT}; {k} is {}", kind_of(other))),
        }
    }
    let pick = ["swe", "sv", "eng", "en"]
        .iter()
        .find_map(|l| found.iter().find(|(lang, _)| lang == l))
        .or(found.first());
    Ok(pick.map(|(_, s)| s.to_string()))
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
}

fn parse_info(at: &mut At, b: &Map<String, Value>) -> Info {
    let code_ = at.opt(b, "", &["code"], code).unwrap_or_default();
    let title = at.req(b, "", &["title"], "the title", text).unwrap_or_default();
    let school = if field(b, &["typeOfSchool"]).is_some() {
        at.req(b, "", &["typeOfSchool"], "the school type", |v| {
            code(v)?.map(|s| school_type(&s)).transpose()
        })
    } else if field(b, &["form"]).is_some() {
        at.req(b, "", &["form"], "the school type", |v| {
            code(v)?.map(|s| school_type(&s)).transpose()
        })
    } else {
        at.err("typeOfSchool", "the school type is missing; expected typeOfSchool {\"code\": \"hs\" | \"yh\" | \"komvux\" | \"fhsk\"} or form {\"code\": \"högskoleutbildning\" | …}");
        None
    };
    let level = at
        .opt(b, "", &["educationLevel"], code)
        .map(|l| match l.to_lowercase().as_str() {
            "grund" | "grundnivå" => "grundnivå".to_string(),
            "avancerad" | "avancerad nivå" => "avancerad nivå".to_string(),
            "forskar" | "forskarnivå" => "forskarnivå".to_string(),
            _ => l,
        });
    let (credits, credit_system) = match field(b, &["credits"]) {
        Some((_, Value::Object(c))) => {
            let x = at.opt(c, "credits.", &["exact", "credits", "value"], |v| {
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
    if let Some(Value::Array(subjects)) = b.get("subject") {
        for (i, s) in subjects.iter().enumerate() {
            let is_ssyk = s
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.to_lowercase().contains("ssyk"));
            if let (true, Some(c)) = (is_ssyk, s.get("code")) {
                match code(c) {
                    Ok(Some(c)) => add(at, format!("subject[{i}].code"), &c),
                    Ok(None) => {}
                    Err(m) => at.err(&format!("subject[{i}].code"), m),
                }
            }
        }
    }
    let eligibility = match field(b, &["eligibility"]) {
        Some((_, Value::Object(e))) if e.contains_key("eligibilityDescription") => {
            at.opt(e, "eligibility.", &["eligibilityDescription"], text)
        }
        _ => at.opt(b, "", &["eligibility"], text),
    };
    Info {
        id: at.id.to_string(),
        code: code_,
        title,
        school_type: school.unwrap_or(SchoolType::Hs),
        level: level.unwrap_or_default(),
        credits: credits.unwrap_or(0.0),
        credit_system: credit_system.unwrap_or_default().to_lowercase(),
        occupations,
        eligibility: eligibility.unwrap_or_default(),
    }
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
    valid: bool,
    education: Option<String>,
    /// The provider used (the first listed) and the path it was read from.
    provider: Option<String>,
    provider_path: String,
    title: Option<String>,
    start: String,
    end: String,
    pace: u32,
    language: String,
    form: StudyForm,
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

fn parse_event(at: &mut At, b: &Map<String, Value>) -> Event {
    let education = at.req(b, "", &["education"], "the education info id (i.…) of the event", code);
    let mut provider_path = field(b, &["provider", "providers"])
        .map_or("provider", |(k, _)| k)
        .to_string();
    if field(b, &["provider", "providers"]).is_some_and(|(_, v)| v.is_array()) {
        provider_path.push_str("[0]");
    }
    let provider = at
        .req(
            b,
            "",
            &["provider", "providers"],
            "the provider id (p.…) of the event",
            codes,
        )
        .map(|v| v[0].clone());
    let title = at.opt(b, "", &["title"], text);
    let (mut start, mut end) = (String::new(), String::new());
    if field(b, &["execution"]).is_none() {
        at.err("execution", "execution {\"start\", \"end\"} is missing");
    } else if let Some((p, exec)) = at.obj(b, "", &["execution"]) {
        start = at.req(exec, &p, &["start"], "the start date", date).unwrap_or_default();
        end = at.req(exec, &p, &["end"], "the end date", date).unwrap_or_default();
    }
    let pace = |v: &Value| number(v)?.map(check_pace).transpose();
    let pace = if field(b, &["paceOfStudyPercentage"]).is_some() {
        at.req(b, "", &["paceOfStudyPercentage"], "the pace of study", pace)
    } else if field(b, &["paceOfStudy"]).is_some() {
        at.obj(b, "", &["paceOfStudy"])
            .and_then(|(p, o)| at.req(o, &p, &["percentage"], "the pace of study", pace))
    } else {
        at.err("paceOfStudyPercentage", "the pace of study (percent) is missing");
        None
    };
    let language = at
        .opt(b, "", &["languageOfInstruction", "language"], |v| {
            code(v)?.map(|s| language(&s)).transpose()
        })
        .unwrap_or_else(|| "swe".into());
    let form = if field(b, &["formOfStudy"]).is_some() {
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
                    format!("distance must be true, false or an object, got {}", kind_of(other)),
                );
                None
            }
        }
    };
    let mut sites = Vec::new();
    if let Some((k, v)) = field(b, &["locations", "location"]) {
        let items = v.as_array().map_or(std::slice::from_ref(v), Vec::as_slice);
        for (i, item) in items.iter().enumerate() {
            sites.extend(location(at, item, &format!("{k}[{i}].")));
        }
    }
    let mut meetings = Meetings {
        per_term: 0,
        days_each: 0,
        place: None,
    };
    let mut meetings_path = "onSiteMeetings.perTerm".to_string();
    let mut meeting_place_path = None;
    if let Some((p, m)) = at.obj(b, "", &["onSiteMeetings"]) {
        meetings.per_term = at
            .req(m, &p, &["perTerm"], "the number of meetings per term", count)
            .unwrap_or(0);
        meetings.days_each = at.opt(m, &p, &["daysEach"], count).unwrap_or(1);
        if let Some((_, place)) = field(m, &["location"]) {
            if let Some((site, code_path)) = location(at, place, &format!("{p}location.")) {
                meetings.place = Some(site);
                meeting_place_path = Some(code_path);
            }
        }
    } else if let Some(Value::Object(d)) = b.get("distance") {
        meetings_path = "distance.mandatory".into();
        meetings.per_term = at.opt(d, "distance.", &["mandatory"], count).unwrap_or(0);
        meetings.days_each = u32::from(meetings.per_term > 0);
    }
    let (mut application_opens, mut application_closes, mut application_url) = (None, None, None);
    let mut warnings = Vec::new();
    // Only an http(s) address is kept; another is a warning, and the next place is tried.
    let mut link = |at: &At, path: String, url: Option<String>| {
        checked_url(url.as_deref().unwrap_or("")).unwrap_or_else(|m| {
            warnings.push(at.warning(&path, m));
            None
        })
    };
    if let Some((p, app)) = at.obj(b, "", &["application"]) {
        application_opens = at.opt(app, &p, &["first"], date);
        application_closes = at.opt(app, &p, &["last"], date);
        let url = at.opt(app, &p, &["url"], text);
        application_url = link(at, format!("{p}url"), url);
    }
    if application_url.is_none() {
        let url = at.opt(b, "", &["url"], text);
        application_url = link(at, "url".into(), url);
    }
    Event {
        id: at.id.to_string(),
        file: at.file.to_string(),
        row: at.row,
        valid: !at.failed,
        education,
        provider,
        provider_path,
        title,
        start,
        end,
        pace: pace.unwrap_or(100),
        language,
        form: form.unwrap_or(StudyForm::Campus),
        sites,
        meetings,
        meetings_path,
        meeting_place_path,
        application_opens,
        application_closes,
        application_url,
        warnings,
    }
}

/// A location `{"town", "areaCode" | "municipalityCode"}`: the study site and the path of its code.
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
    let town = at.opt(o, path, &["town"], text).unwrap_or_default();
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
