//! Input as forms, the API and import files give it — every value a string, named as the file
//! column — and its validation into the valid entities of `model`. Validation collects every
//! problem as a [`FieldError`] naming the field, so a form can show them all at once and an
//! import can name the row and column.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::field::{check_subject_list, FieldSpec, VfuField};
use super::model::*;
use super::{PlacementSite, SiteKind};
use crate::codes::Kommunkod;
use crate::geo::Position;
use crate::ids::{PeriodId, SiteId};
use crate::vocab::{Day, Term};
pub use crate::vocab::{FieldError, FieldProblem};

/// What a period looks like to the validation of the students on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRef {
    pub university: String,
    pub field: VfuField,
    pub start: Day,
    pub end: Day,
}

/// The records an input may refer to. Built by the store — for one record's input only the
/// sites and periods it names ([`VfuRefs`], `Store::vfu_context_for`), for a whole list all of
/// them (`Store::vfu_context`) — or by tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VfuContext {
    /// Known municipalities with the position of their seat (the fallback for a site without
    /// coordinates).
    pub municipalities: BTreeMap<Kommunkod, Position>,
    pub universities: BTreeSet<String>,
    /// Site id → its municipality.
    pub sites: BTreeMap<SiteId, Kommunkod>,
    pub periods: BTreeMap<PeriodId, PeriodRef>,
}

impl VfuContext {
    pub fn knows_municipality(&self, k: Kommunkod) -> bool {
        self.municipalities.contains_key(&k)
    }

    /// This context with only the sites and periods `refs` names (the reference tables whole):
    /// what a store loads for `refs`.
    pub fn restricted_to(&self, refs: &VfuRefs) -> VfuContext {
        VfuContext {
            municipalities: self.municipalities.clone(),
            universities: self.universities.clone(),
            sites: self
                .sites
                .iter()
                .filter(|(id, _)| refs.sites.contains(*id))
                .map(|(id, m)| (id.clone(), *m))
                .collect(),
            periods: self
                .periods
                .iter()
                .filter(|(id, _)| refs.periods.contains(*id))
                .map(|(id, p)| (id.clone(), p.clone()))
                .collect(),
        }
    }
}

/// The sites and periods an input or a record names: all that its validation looks up in the
/// registry besides the reference tables (municipalities, universities). A context with just
/// these ([`VfuContext::restricted_to`], what a store loads for them) validates it exactly as
/// the whole registry does; an id that names nothing is simply not in either.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VfuRefs {
    pub sites: BTreeSet<SiteId>,
    pub periods: BTreeSet<PeriodId>,
}

impl VfuRefs {
    pub fn sites<S: Into<SiteId>>(ids: impl IntoIterator<Item = S>) -> Self {
        VfuRefs {
            sites: ids.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }

    pub fn periods<S: Into<PeriodId>>(ids: impl IntoIterator<Item = S>) -> Self {
        VfuRefs {
            periods: ids.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }

    /// The site each supervisor works at, if any.
    pub fn of_supervisors<'a>(items: impl IntoIterator<Item = &'a Supervisor>) -> Self {
        VfuRefs::sites(items.into_iter().filter_map(|s| s.site_id.as_ref()))
    }

    /// Each student's period and the sites they wish for.
    pub fn of_students<'a>(items: impl IntoIterator<Item = &'a VfuStudent>) -> Self {
        let mut refs = VfuRefs::default();
        for s in items {
            refs.periods.insert(s.period_id.clone());
            refs.sites.extend(site_wishes(&s.wishes));
        }
        refs
    }
}

/// The site ids among wishes.
fn site_wishes(wishes: &[Wish]) -> impl Iterator<Item = SiteId> + '_ {
    wishes.iter().filter_map(|w| match w {
        Wish::Site(id) => Some(id.clone()),
        Wish::Municipality(_) => None,
    })
}

/// The wishes of a `|`-separated list, as [`StudentInput::parse`] reads them.
fn wish_list(text: &str) -> Vec<Wish> {
    text.split('|')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(Wish::parse)
        .collect()
}

/// Collects field errors while parsing.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, field: &str, problem: FieldProblem) {
        self.errors.push(FieldError::of(field, problem));
    }

    fn required(&mut self, field: &str, value: &str, max_chars: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.fail(field, FieldProblem::Required);
        } else if v.chars().count() > max_chars {
            self.fail(field, FieldProblem::TooLong { max: max_chars });
        }
        v.to_string()
    }

    fn optional_text(&mut self, field: &str, value: &str, max_chars: usize) -> String {
        let v = value.trim();
        if v.chars().count() > max_chars {
            self.fail(field, FieldProblem::TooLong { max: max_chars });
        }
        v.to_string()
    }

    fn parse<T>(
        &mut self,
        field: &str,
        value: &str,
        fallback: T,
        f: impl FnOnce(&str) -> Result<T, FieldProblem>,
    ) -> T {
        f(value.trim()).unwrap_or_else(|p| {
            self.fail(field, p);
            fallback
        })
    }

    fn kommunkod(&mut self, field: &str, value: &str, ctx: &VfuContext) -> Option<Kommunkod> {
        let v = value.trim();
        if v.is_empty() {
            self.fail(field, FieldProblem::RequiredKommunkod);
            return None;
        }
        // Excel drops the leading zero of codes like 0114 in number cells.
        let t = if v.len() == 3 && v.bytes().all(|b| b.is_ascii_digit()) {
            format!("0{v}")
        } else {
            v.to_string()
        };
        match Kommunkod::parse(&t) {
            Err(e) => {
                self.fail(field, kommunkod_problem(e));
                None
            }
            Ok(k) if !ctx.knows_municipality(k) => {
                self.fail(field, FieldProblem::UnknownKommunkod { code: k.to_string() });
                None
            }
            Ok(k) => Some(k),
        }
    }

    fn done<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// What is wrong with a kommunkod that did not parse.
fn kommunkod_problem(e: crate::codes::CodeError) -> FieldProblem {
    use crate::codes::CodeError;
    // Kommunkod::parse never gives an SSYK error.
    match e {
        CodeError::KommunkodFormat(value) | CodeError::SsykFormat(value) => FieldProblem::BadKommunkod { value },
        CodeError::KommunkodCounty(value, county) => FieldProblem::UnknownCounty {
            value,
            county: format!("{county:02}"),
        },
    }
}

/// A decimal number with a comma or a point (`87,5`, `87.5`); spaces are ignored.
pub fn parse_decimal(s: &str) -> Result<f64, String> {
    decimal(s).map_err(|p| p.english(""))
}

fn decimal(s: &str) -> Result<f64, FieldProblem> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect::<String>()
        .replace(',', ".");
    let digits = t.strip_prefix('-').unwrap_or(&t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(FieldProblem::NotANumber { value: s.to_string() });
    }
    t.parse::<f64>()
        .map_err(|_| FieldProblem::NotANumber { value: s.to_string() })
}

/// A whole number (`4`, or `4,0` as Excel may write it), which may be negative here so that
/// the caller can say "below zero" rather than "not a number".
fn parse_whole(s: &str) -> Result<i64, FieldProblem> {
    let x = decimal(s)?;
    if x.fract() != 0.0 || x.abs() > 1e12 {
        return Err(FieldProblem::NotAWholeNumber { value: s.to_string() });
    }
    Ok(x as i64)
}

fn count(s: &str, max: i64) -> Result<u32, FieldProblem> {
    let n = parse_whole(s)?;
    if n < 0 {
        return Err(FieldProblem::BelowZero { value: n });
    }
    if n > max {
        return Err(FieldProblem::MoreThan { value: n, max });
    }
    Ok(n as u32)
}

/// Yes/no as people write it: `ja`/`nej`, `yes`/`no`, `1`/`0`, `x`, `true`/`false`; empty is no.
pub fn parse_flag(s: &str) -> Result<bool, String> {
    flag(s).map_err(|p| p.english(""))
}

fn flag(s: &str) -> Result<bool, FieldProblem> {
    match s.trim().to_lowercase().as_str() {
        "" | "0" | "nej" | "no" | "n" | "false" | "falskt" => Ok(false),
        "1" | "ja" | "yes" | "j" | "y" | "x" | "true" | "sant" => Ok(true),
        _ => Err(FieldProblem::NotAFlag { value: s.to_string() }),
    }
}

/// An e-mail address, trimmed and in lower case; checked for shape only.
pub fn parse_email(s: &str) -> Result<String, String> {
    email(s).map_err(|p| p.english(""))
}

/// [`parse_email`] with the problem as data.
pub fn email(s: &str) -> Result<String, FieldProblem> {
    let bad = || FieldProblem::BadEmail { value: s.to_string() };
    let e = s.trim().to_lowercase();
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, ';' | ',' | '<' | '>'))
        && e.len() <= 254;
    if ok {
        Ok(e)
    } else {
        Err(bad())
    }
}

fn optional_day(s: &str) -> Result<Option<Day>, FieldProblem> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        Day::check(s).map(Some)
    }
}

/// A required day: `Required` when empty.
fn required_day(s: &str) -> Result<Option<Day>, FieldProblem> {
    if s.is_empty() {
        Err(FieldProblem::Required)
    } else {
        Day::check(s).map(Some)
    }
}

/// A required e-mail address: `Required` when empty.
fn required_email(s: &str) -> Result<String, FieldProblem> {
    if s.is_empty() {
        Err(FieldProblem::Required)
    } else {
        email(s)
    }
}

/// A code of `parse`, or `Unknown` naming `noun` and what was `expected`.
fn code<T>(
    s: &str,
    noun: &str,
    expected: impl FnOnce() -> String,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, FieldProblem> {
    parse(s).ok_or_else(|| FieldProblem::Unknown {
        noun: noun.into(),
        value: s.to_string(),
        expected: expected(),
    })
}

/// A university outside the context's list.
fn unknown_university(u: &str, ctx: &VfuContext) -> FieldProblem {
    FieldProblem::Unknown {
        noun: "university".into(),
        value: u.to_string(),
        expected: format!(
            "one of {}",
            ctx.universities.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

fn terms(s: &str) -> Result<Vec<Term>, FieldProblem> {
    let mut out: Vec<Term> = Vec::new();
    for p in s.split(['|', ',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let t = Term::check(p)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out.sort();
    Ok(out)
}

fn position(c: &mut Check, lat: &str, lon: &str) -> Option<Position> {
    match (lat.trim().is_empty(), lon.trim().is_empty()) {
        (true, true) => None,
        (false, true) => {
            c.fail("lon", FieldProblem::RequiredWith { other: "lat".into() });
            None
        }
        (true, false) => {
            c.fail("lat", FieldProblem::RequiredWith { other: "lon".into() });
            None
        }
        (false, false) => {
            let la = c.parse("lat", lat, None, |s| decimal(s).map(Some));
            let lo = c.parse("lon", lon, None, |s| decimal(s).map(Some));
            let (la, lo) = (la?, lo?);
            match Position::new(la, lo) {
                Ok(p) => Some(p),
                Err(e) => {
                    let field = if matches!(e, crate::geo::PositionError::Latitude(_)) {
                        "lat"
                    } else {
                        "lon"
                    };
                    c.fail(field, e.into());
                    None
                }
            }
        }
    }
}

fn id_shape(c: &mut Check, field: &str, id: &str) {
    if !id.is_empty()
        && (id.chars().count() > 80
            || id
                .chars()
                .any(|ch| ch.is_whitespace() || ch.is_control() || matches!(ch, '|' | ';' | '/' | '?' | '#')))
    {
        c.fail(field, FieldProblem::BadId { value: id.to_string() });
    }
}

// ---------------------------------------------------------------------------------------------
// Placement sites

/// A placement site as a form or a file row gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteInput {
    /// Empty for a new site: the store gives it an id.
    pub id: String,
    pub municipality: String,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    /// `teacher_f3:svenska,matematik|teacher_4_6`.
    pub fields: String,
}

impl SiteInput {
    /// What [`SiteInput::parse`] looks up besides the reference tables: nothing.
    pub fn refs(&self) -> VfuRefs {
        VfuRefs::default()
    }

    pub fn parse(&self, ctx: &VfuContext) -> Result<PlacementSite, Vec<FieldError>> {
        let mut c = Check::default();
        let id = self.id.trim().to_string();
        id_shape(&mut c, "id", &id);
        let municipality = c.kommunkod("municipality", &self.municipality, ctx);
        let name = c.required("name", &self.name, 200);
        let kind = c.parse("kind", &self.kind, SiteKind::School, |s| {
            code(
                s,
                "kind",
                || format!("one of {}", SiteKind::codes()),
                SiteKind::parse_any,
            )
        });
        let address = c.optional_text("address", &self.address, 300);
        let pos = position(&mut c, &self.lat, &self.lon);
        let fields = c.parse("fields", &self.fields, Vec::new(), FieldSpec::check_list);
        let Some(municipality) = municipality else {
            return Err(c.errors);
        };
        let position = pos.or_else(|| ctx.municipalities.get(&municipality).copied());
        let site = PlacementSite {
            id: SiteId::new(id),
            municipality,
            name,
            kind,
            address,
            position: position.unwrap_or(Position { lat: 0.0, lon: 0.0 }),
            fields,
        };
        c.errors.extend(validate_site(&site, ctx));
        c.done(site)
    }
}

/// Rules of a site that hold however it was made (form, file, API, code).
pub fn validate_site(site: &PlacementSite, ctx: &VfuContext) -> Vec<FieldError> {
    let mut c = Check::default();
    id_shape(&mut c, "id", site.id.as_str());
    if !ctx.knows_municipality(site.municipality) {
        c.fail(
            "municipality",
            FieldProblem::UnknownKommunkod {
                code: site.municipality.to_string(),
            },
        );
    }
    if site.name.trim().is_empty() {
        c.fail("name", FieldProblem::Required);
    }
    if site.fields.is_empty() {
        c.fail(
            "fields",
            FieldProblem::NoSiteFields {
                codes: VfuField::codes(),
            },
        );
    }
    for f in &site.fields {
        if f.field.area() != site.kind.area() {
            c.fail(
                "fields",
                FieldProblem::WrongArea {
                    kind: site.kind.as_str().into(),
                    given: f.field.to_string(),
                    area: f.field.area().as_str().into(),
                },
            );
        }
    }
    let mut seen = BTreeSet::new();
    for f in &site.fields {
        if !seen.insert(f.field) {
            c.fail(
                "fields",
                FieldProblem::Twice {
                    noun: "field".into(),
                    value: f.field.to_string(),
                },
            );
        }
    }
    c.errors
}

/// A site's answer for a term, as a form or file gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HostingInput {
    pub site_id: String,
    pub term: String,
    pub interest: String,
    pub capacity: String,
    pub reason: String,
}

impl HostingInput {
    /// What [`HostingInput::parse`] looks up besides the reference tables: the site.
    pub fn refs(&self) -> VfuRefs {
        VfuRefs::sites([self.site_id.trim()].into_iter().filter(|id| !id.is_empty()))
    }

    pub fn parse(&self, ctx: &VfuContext) -> Result<HostingInterest, Vec<FieldError>> {
        let mut c = Check::default();
        let site_id = c.required("site_id", &self.site_id, 80);
        let term = c.parse("term", &self.term, Term::spring(2000), Term::check);
        let interest = c.parse("interest", &self.interest, Interest::Maybe, |s| {
            code(
                s,
                "interest",
                || "yes, maybe or no (ja, kanske, nej)".into(),
                Interest::parse,
            )
        });
        let capacity = c.parse("capacity", &self.capacity, 0, |s| {
            if s.is_empty() {
                Ok(0)
            } else {
                count(s, 50)
            }
        });
        let reason = c.optional_text("reason", &self.reason, 500);
        let h = HostingInterest {
            site_id: SiteId::new(site_id),
            term,
            interest,
            capacity,
            reason,
        };
        if c.errors.is_empty() {
            c.errors.extend(validate_hosting(&h, ctx));
        }
        c.done(h)
    }
}

pub fn validate_hosting(h: &HostingInterest, ctx: &VfuContext) -> Vec<FieldError> {
    let mut c = Check::default();
    if !ctx.sites.contains_key(&h.site_id) {
        c.fail(
            "site_id",
            FieldProblem::NoSite {
                id: h.site_id.to_string(),
            },
        );
    }
    match h.interest {
        Interest::No if h.reason.trim().is_empty() => c.fail("reason", FieldProblem::ReasonWhenNo),
        Interest::No if h.capacity > 0 => c.fail("capacity", FieldProblem::CapacityZeroWhenNo),
        Interest::Yes if h.capacity == 0 => c.fail("capacity", FieldProblem::CapacityAtLeastOne),
        _ => {}
    }
    if h.capacity > 50 {
        c.fail(
            "capacity",
            FieldProblem::MoreThan {
                value: h.capacity.into(),
                max: 50,
            },
        );
    }
    c.errors
}

// ---------------------------------------------------------------------------------------------
// Supervisors

/// A supervisor as a form or a file row gives it. Imports match supervisors by e-mail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisorInput {
    pub email: String,
    pub name: String,
    pub phone: String,
    /// May be left empty when `site_id` is given: the site's municipality.
    pub municipality: String,
    pub site_id: String,
    pub fields: String,
    pub employment_percent: String,
    pub training: String,
    pub training_date: String,
    pub training_university: String,
    pub students_per_period: String,
    pub unavailable_terms: String,
    pub consent_contact: String,
    pub invite: String,
    pub invite_date: String,
}

impl SupervisorInput {
    /// What [`SupervisorInput::parse`] looks up besides the reference tables: the site.
    pub fn refs(&self) -> VfuRefs {
        VfuRefs::sites([self.site_id.trim()].into_iter().filter(|id| !id.is_empty()))
    }

    /// A valid supervisor with empty `id` and `person_id` (the store fills them).
    pub fn parse(&self, ctx: &VfuContext) -> Result<Supervisor, Vec<FieldError>> {
        let mut c = Check::default();
        let email = c.parse("email", &self.email, String::new(), required_email);
        let name = c.required("name", &self.name, 200);
        let phone = c.optional_text("phone", &self.phone, 40);
        let site_id = Some(self.site_id.trim()).filter(|s| !s.is_empty()).map(SiteId::new);
        let site_municipality = site_id.as_ref().and_then(|s| ctx.sites.get(s).copied());
        let municipality = if self.municipality.trim().is_empty() && site_id.is_some() {
            if site_municipality.is_none() {
                c.fail(
                    "site_id",
                    FieldProblem::NoSite {
                        id: self.site_id.trim().to_string(),
                    },
                );
            }
            site_municipality
        } else {
            c.kommunkod("municipality", &self.municipality, ctx)
        };
        let fields = c.parse("fields", &self.fields, Vec::new(), FieldSpec::check_list);
        let employment_percent = c.parse("employment_percent", &self.employment_percent, 100.0, |s| {
            if s.is_empty() {
                Ok(100.0)
            } else {
                decimal(s.trim_end_matches('%').trim())
            }
        });
        let level = c.parse("training", &self.training, TrainingLevel::None, |s| {
            code(
                s,
                "training",
                || "none, introduction, course_started or completed".into(),
                TrainingLevel::parse,
            )
        });
        let date = c.parse("training_date", &self.training_date, None, optional_day);
        let university = Some(self.training_university.trim().to_string()).filter(|s| !s.is_empty());
        let students_per_period = c.parse("students_per_period", &self.students_per_period, 1, |s| {
            if s.is_empty() {
                Ok(1)
            } else {
                count(s, 10)
            }
        });
        let unavailable_terms = c.parse("unavailable_terms", &self.unavailable_terms, Vec::new(), terms);
        let consent_contact = c.parse("consent_contact", &self.consent_contact, false, flag);
        let invite = c.parse("invite", &self.invite, InviteStatus::NotInvited, |s| {
            code(
                s,
                "invite",
                || "not_invited, invited, enrolled or completed".into(),
                InviteStatus::parse,
            )
        });
        let invite_date = c.parse("invite_date", &self.invite_date, None, optional_day);
        let Some(municipality) = municipality else {
            return Err(c.errors);
        };
        let s = Supervisor {
            id: Default::default(),
            person_id: Default::default(),
            name,
            email,
            phone,
            municipality,
            site_id,
            fields,
            employment_percent,
            training: Training {
                level,
                date,
                university,
            },
            students_per_period,
            unavailable_terms,
            consent_contact,
            invite,
            invite_date,
        };
        if c.errors.is_empty() {
            c.errors.extend(validate_supervisor(&s, ctx));
        }
        c.done(s)
    }
}

pub fn validate_supervisor(s: &Supervisor, ctx: &VfuContext) -> Vec<FieldError> {
    let mut c = Check::default();
    if s.name.trim().is_empty() {
        c.fail("name", FieldProblem::Required);
    }
    if let Err(p) = email(&s.email) {
        c.fail("email", p);
    }
    if !ctx.knows_municipality(s.municipality) {
        c.fail(
            "municipality",
            FieldProblem::UnknownKommunkod {
                code: s.municipality.to_string(),
            },
        );
    }
    if let Some(site) = &s.site_id {
        match ctx.sites.get(site) {
            None => c.fail("site_id", FieldProblem::NoSite { id: site.to_string() }),
            Some(m) if *m != s.municipality => c.fail(
                "site_id",
                FieldProblem::SiteElsewhere {
                    site: site.to_string(),
                    in_municipality: m.to_string(),
                    not_in: s.municipality.to_string(),
                },
            ),
            _ => {}
        }
    }
    if s.fields.is_empty() {
        c.fail(
            "fields",
            FieldProblem::NoSupervisorFields {
                codes: VfuField::codes(),
            },
        );
    }
    if !(s.employment_percent.is_finite() && s.employment_percent > 0.0 && s.employment_percent <= 100.0) {
        c.fail(
            "employment_percent",
            FieldProblem::EmploymentPercent {
                value: s.employment_percent.to_string(),
            },
        );
    }
    if matches!(
        s.training.level,
        TrainingLevel::CourseStarted | TrainingLevel::Completed
    ) && s.training.date.is_none()
    {
        c.fail(
            "training_date",
            FieldProblem::RequiredWhen {
                other: "training".into(),
                value: s.training.level.as_str().into(),
            },
        );
    }
    if s.training.level == TrainingLevel::Completed && s.training.university.is_none() {
        c.fail(
            "training_university",
            FieldProblem::RequiredWhen {
                other: "training".into(),
                value: "completed".into(),
            },
        );
    }
    if let Some(u) = &s.training.university {
        if !ctx.universities.contains(u) {
            c.fail("training_university", unknown_university(u, ctx));
        }
    }
    if s.students_per_period > 10 {
        c.fail(
            "students_per_period",
            FieldProblem::MoreThan {
                value: s.students_per_period.into(),
                max: 10,
            },
        );
    }
    if s.invite != InviteStatus::NotInvited && s.invite_date.is_none() {
        c.fail(
            "invite_date",
            FieldProblem::RequiredWhen {
                other: "invite".into(),
                value: s.invite.as_str().into(),
            },
        );
    }
    c.errors
}

// ---------------------------------------------------------------------------------------------
// Periods

/// A VFU period as a form or a file row gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodInput {
    pub id: String,
    pub university: String,
    pub programme: String,
    pub course_code: String,
    /// Empty: the term of the start date.
    pub term: String,
    pub start: String,
    pub end: String,
    pub field: String,
    pub students: String,
    /// `registerutdrag|vaccination:180`; empty: the field's defaults; `-`: none.
    pub requirements: String,
    /// Empty: 12 weeks before the start.
    pub capacity_deadline: String,
}

/// Requirements written `registerutdrag|hepatit_b:365` (code, optionally `:max age in days`).
pub fn parse_requirements(s: &str, field: VfuField) -> Result<Vec<Requirement>, String> {
    requirements(s, field).map_err(|p| p.english("requirements"))
}

fn requirements(s: &str, field: VfuField) -> Result<Vec<Requirement>, FieldProblem> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Requirement::defaults_for(field));
    }
    if t == "-" || t.eq_ignore_ascii_case("none") || t.eq_ignore_ascii_case("inga") {
        return Ok(Vec::new());
    }
    let mut out: Vec<Requirement> = Vec::new();
    for p in t.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, days) = p.split_once(':').unwrap_or((p, ""));
        let code = code.trim().to_lowercase();
        if code.is_empty() || code.len() > 40 || !code.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return Err(FieldProblem::BadRequirement { value: p.to_string() });
        }
        let max_age_days = if days.trim().is_empty() {
            (code == "registerutdrag").then_some(365)
        } else {
            Some(count(days, 3650)?)
        };
        let label = if code == "registerutdrag" {
            Requirement::registerutdrag().label
        } else {
            code.clone()
        };
        if out.iter().any(|r| r.code == code) {
            return Err(FieldProblem::Twice {
                noun: "requirement".into(),
                value: code,
            });
        }
        out.push(Requirement {
            code,
            label,
            max_age_days,
        });
    }
    Ok(out)
}

/// The file form of requirements, the inverse of [`parse_requirements`] (`-` for none).
pub fn format_requirements(reqs: &[Requirement]) -> String {
    if reqs.is_empty() {
        return "-".into();
    }
    reqs.iter()
        .map(|r| match r.max_age_days {
            Some(d) => format!("{}:{d}", r.code),
            None => r.code.clone(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

impl PeriodInput {
    /// What [`PeriodInput::parse`] looks up besides the reference tables: nothing.
    pub fn refs(&self) -> VfuRefs {
        VfuRefs::default()
    }

    pub fn parse(&self, ctx: &VfuContext) -> Result<VfuPeriod, Vec<FieldError>> {
        let mut c = Check::default();
        let id = self.id.trim().to_string();
        id_shape(&mut c, "id", &id);
        let university = c.required("university", &self.university, 20);
        let university = ctx
            .universities
            .iter()
            .find(|u| u.eq_ignore_ascii_case(&university))
            .cloned()
            .unwrap_or(university);
        let programme = c.required("programme", &self.programme, 200);
        let course_code = c.required("course_code", &self.course_code, 20).to_uppercase();
        let start = c.parse("start", &self.start, None, required_day);
        let end = c.parse("end", &self.end, None, required_day);
        let term = c.parse("term", &self.term, None, |s| {
            if s.is_empty() {
                Ok(None)
            } else {
                Term::check(s).map(Some)
            }
        });
        let field = c.parse("field", &self.field, None, |s| {
            code(s, "field", || format!("one of {}", VfuField::codes()), VfuField::parse).map(Some)
        });
        let students = c.parse("students", &self.students, 0, |s| {
            if s.is_empty() {
                Ok(0)
            } else {
                count(s, 2000)
            }
        });
        let deadline = c.parse("capacity_deadline", &self.capacity_deadline, None, optional_day);
        let (Some(start), Some(end), Some(field)) = (start, end, field) else {
            return Err(c.errors);
        };
        let requirements = c.parse("requirements", &self.requirements, Vec::new(), |s| {
            requirements(s, field)
        });
        let p = VfuPeriod {
            id: PeriodId::new(id),
            university,
            programme,
            course_code,
            term: term.unwrap_or(Term::of(start)),
            start,
            end,
            field,
            students,
            requirements,
            capacity_deadline: deadline.unwrap_or(super::lifecycle::Timeline::default_capacity_deadline(start)),
        };
        if c.errors.is_empty() {
            c.errors.extend(validate_period(&p, ctx));
        }
        c.done(p)
    }
}

pub fn validate_period(p: &VfuPeriod, ctx: &VfuContext) -> Vec<FieldError> {
    let mut c = Check::default();
    id_shape(&mut c, "id", p.id.as_str());
    if !ctx.universities.contains(&p.university) {
        c.fail("university", unknown_university(&p.university, ctx));
    }
    if p.programme.trim().is_empty() {
        c.fail("programme", FieldProblem::Required);
    }
    if p.course_code.is_empty() || !p.course_code.chars().all(|ch| ch.is_ascii_alphanumeric()) {
        c.fail(
            "course_code",
            FieldProblem::BadCourseCode {
                value: p.course_code.clone(),
            },
        );
    }
    if p.end < p.start {
        c.fail(
            "end",
            FieldProblem::EndBeforeStart {
                end: p.end.to_string(),
                start: p.start.to_string(),
            },
        );
    } else if p.start.days_until(p.end) > 366 {
        c.fail(
            "end",
            FieldProblem::LongerThanYear {
                start: p.start.to_string(),
                end: p.end.to_string(),
            },
        );
    }
    if p.term != Term::of(p.start) {
        c.fail(
            "term",
            FieldProblem::TermMismatch {
                term: p.term.to_string(),
                start: p.start.to_string(),
                start_term: Term::of(p.start).to_string(),
            },
        );
    }
    if p.capacity_deadline > p.start {
        c.fail(
            "capacity_deadline",
            FieldProblem::DeadlineAfterStart {
                deadline: p.capacity_deadline.to_string(),
                start: p.start.to_string(),
            },
        );
    }
    c.errors
}

// ---------------------------------------------------------------------------------------------
// Students

/// A student on a period as a form or file row gives it. Imports match students by e-mail
/// within the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StudentInput {
    pub period_id: String,
    pub email: String,
    pub name: String,
    pub home_municipality: String,
    pub home_lat: String,
    pub home_lon: String,
    /// Empty: the period's field.
    pub field: String,
    pub subjects: String,
    /// Up to three site ids or kommunkods, `|`-separated, most wanted first.
    pub wishes: String,
    pub no_driving_licence: String,
    pub needs_public_transport: String,
    pub priority: String,
    pub note: String,
    /// The day the police record extract was issued.
    pub registerutdrag: String,
}

impl StudentInput {
    /// What [`StudentInput::parse`] looks up besides the reference tables: the period and the
    /// sites wished for.
    pub fn refs(&self) -> VfuRefs {
        VfuRefs {
            sites: site_wishes(&wish_list(&self.wishes)).collect(),
            periods: [self.period_id.trim()]
                .into_iter()
                .filter(|id| !id.is_empty())
                .map(PeriodId::new)
                .collect(),
        }
    }

    /// A valid student with empty `id` and `person_id` (the store fills them).
    pub fn parse(&self, ctx: &VfuContext) -> Result<VfuStudent, Vec<FieldError>> {
        let mut c = Check::default();
        let period_id = c.required("period_id", &self.period_id, 80);
        let period = ctx.periods.get(period_id.as_str());
        if period.is_none() && !period_id.is_empty() {
            c.fail("period_id", FieldProblem::NoPeriod { id: period_id.clone() });
        }
        let email = c.parse("email", &self.email, String::new(), required_email);
        let name = c.required("name", &self.name, 200);
        let home = c.kommunkod("home_municipality", &self.home_municipality, ctx);
        let home_position = {
            let mut pc = Check::default();
            let p = position(&mut pc, &self.home_lat, &self.home_lon);
            for e in pc.errors {
                let field = format!("home_{}", e.field);
                c.errors.push(e.renamed(field));
            }
            p
        };
        let field = c.parse("field", &self.field, None, |s| {
            if s.is_empty() {
                Ok(period.map(|p| p.field))
            } else {
                code(s, "field", || format!("one of {}", VfuField::codes()), VfuField::parse).map(Some)
            }
        });
        let subjects = c.parse("subjects", &self.subjects, Vec::new(), check_subject_list);
        let wishes = wish_list(&self.wishes);
        let no_driving_licence = c.parse("no_driving_licence", &self.no_driving_licence, false, flag);
        let needs_public_transport = c.parse("needs_public_transport", &self.needs_public_transport, false, flag);
        let priority = c.parse("priority", &self.priority, None, |s| {
            if s.is_empty() {
                Ok(None)
            } else {
                code(
                    s,
                    "priority",
                    || "medical, sole_caregiver or other".into(),
                    PriorityReason::parse,
                )
                .map(Some)
            }
        });
        let note = c.optional_text("note", &self.note, 500);
        let registerutdrag = c.parse("registerutdrag", &self.registerutdrag, None, optional_day);
        let (Some(home), Some(field)) = (home, field) else {
            return Err(c.errors);
        };
        let s = VfuStudent {
            id: Default::default(),
            person_id: Default::default(),
            period_id: PeriodId::new(period_id),
            name,
            email,
            home_municipality: home,
            home_position,
            field,
            subjects,
            wishes,
            needs: Needs {
                no_driving_licence,
                needs_public_transport,
                priority,
                note,
            },
            requirements: registerutdrag
                .map(|d| {
                    vec![RequirementStatus {
                        code: "registerutdrag".into(),
                        issued: Some(d),
                    }]
                })
                .unwrap_or_default(),
        };
        if c.errors.is_empty() {
            c.errors.extend(validate_student(&s, ctx));
        }
        c.done(s)
    }
}

pub fn validate_student(s: &VfuStudent, ctx: &VfuContext) -> Vec<FieldError> {
    let mut c = Check::default();
    if s.name.trim().is_empty() {
        c.fail("name", FieldProblem::Required);
    }
    if let Err(p) = email(&s.email) {
        c.fail("email", p);
    }
    match ctx.periods.get(&s.period_id) {
        None => c.fail(
            "period_id",
            FieldProblem::NoPeriod {
                id: s.period_id.to_string(),
            },
        ),
        Some(p) if p.field != s.field => c.fail(
            "field",
            FieldProblem::NotPeriodField {
                given: s.field.to_string(),
                period_field: p.field.to_string(),
            },
        ),
        _ => {}
    }
    if !ctx.knows_municipality(s.home_municipality) {
        c.fail(
            "home_municipality",
            FieldProblem::UnknownKommunkod {
                code: s.home_municipality.to_string(),
            },
        );
    }
    if s.wishes.len() > 3 {
        c.fail("wishes", FieldProblem::TooManyWishes { count: s.wishes.len() });
    }
    let mut seen = BTreeSet::new();
    for w in &s.wishes {
        if !seen.insert(w.as_text()) {
            c.fail(
                "wishes",
                FieldProblem::Twice {
                    noun: "wish".into(),
                    value: w.as_text(),
                },
            );
        }
        match w {
            Wish::Site(id) if !ctx.sites.contains_key(id) => {
                c.fail("wishes", FieldProblem::WishNoSite { id: id.to_string() })
            }
            Wish::Municipality(k) if !ctx.knows_municipality(*k) => {
                c.fail("wishes", FieldProblem::UnknownKommunkod { code: k.to_string() })
            }
            _ => {}
        }
    }
    c.errors
}

/// Rows whose key was already seen, as (index, index of first occurrence): for duplicate
/// e-mails within an import.
pub fn duplicates<K: Ord + Clone>(keys: impl IntoIterator<Item = K>) -> Vec<(usize, usize)> {
    let mut first: BTreeMap<K, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, k) in keys.into_iter().enumerate() {
        match first.get(&k) {
            Some(&f) => out.push((i, f)),
            None => {
                first.insert(k, i);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Placements and contacts

/// A new placement as a form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementInput {
    pub student_id: String,
    pub site_id: String,
    pub supervisor_id: String,
    /// `requested` (empty) or `offered`.
    pub status: String,
    /// The day of the first status.
    pub on: String,
    pub note: String,
}

impl PlacementInput {
    /// A new placement with an empty id (the store gives it one). Whether the student, site
    /// and supervisor exist and fit together is the store's check.
    pub fn parse(&self) -> Result<Placement, Vec<FieldError>> {
        let mut c = Check::default();
        let student_id = c.required("student_id", &self.student_id, 80);
        let site_id = c.required("site_id", &self.site_id, 80);
        let status = c.parse("status", &self.status, PlacementStatus::Requested, |s| match s {
            "" => Ok(PlacementStatus::Requested),
            s => match PlacementStatus::parse(s) {
                Some(st @ (PlacementStatus::Requested | PlacementStatus::Offered)) => Ok(st),
                _ => Err(FieldProblem::NewPlacementStatus { value: s.to_string() }),
            },
        });
        let on = c.parse("on", &self.on, None, required_day);
        let note = c.optional_text("note", &self.note, 500);
        let Some(on) = on else { return Err(c.errors) };
        let mut p = match Placement::start(Default::default(), student_id.into(), site_id.into(), status, on) {
            Ok(p) => p,
            Err(e) => {
                c.fail("status", e.into());
                return Err(c.errors);
            }
        };
        p.supervisor_id = Some(self.supervisor_id.trim())
            .filter(|s| !s.is_empty())
            .map(Into::into);
        p.note = note;
        c.done(p)
    }
}

/// A contact person as a form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub municipality: String,
    /// A role code of `raci::RaciRole`, e.g. `municipal_coordinator`.
    pub role: String,
    /// Empty: every programme type; else `teacher`, `nursing` or `social_work`.
    pub programme: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
}

impl ContactInput {
    pub fn parse(&self, ctx: &VfuContext) -> Result<super::raci::VfuContact, Vec<FieldError>> {
        use super::raci::RaciRole;
        let mut c = Check::default();
        let municipality = c.kommunkod("municipality", &self.municipality, ctx);
        let role = c.parse("role", &self.role, RaciRole::MunicipalCoordinator, |s| {
            code(
                s,
                "role",
                || format!("one of {}", RaciRole::ALL.map(|r| r.as_str()).join(", ")),
                RaciRole::parse,
            )
        });
        let programme = c.parse("programme", &self.programme, None, |s| {
            if s.is_empty() {
                Ok(None)
            } else {
                code(
                    s,
                    "programme",
                    || "teacher, nursing or social_work".into(),
                    super::field::ProgrammeType::parse,
                )
                .map(Some)
            }
        });
        let email = c.parse("email", &self.email, String::new(), required_email);
        let name = c.required("name", &self.name, 200);
        let phone = c.optional_text("phone", &self.phone, 40);
        let title = c.optional_text("title", &self.title, 200);
        let Some(municipality) = municipality else {
            return Err(c.errors);
        };
        let contact = super::raci::VfuContact {
            id: String::new(),
            person_id: Default::default(),
            municipality,
            role,
            programme,
            name,
            email,
            phone,
            title,
        };
        c.done(contact)
    }
}

/// Each requirement of a period with the student's status for it.
pub fn requirement_report(period: &VfuPeriod, student: &VfuStudent) -> Vec<(Requirement, RequirementCheck)> {
    period
        .requirements
        .iter()
        .map(|r| (r.clone(), check_requirement(r, &student.requirements, period.start)))
        .collect()
}
