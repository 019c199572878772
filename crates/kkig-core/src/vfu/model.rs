//! The entities of the VFU registry, as valid values (see `input` for parsing and validation).

use serde::{Deserialize, Serialize};

use super::field::{FieldSpec, VfuField};
use crate::codes::Kommunkod;
use crate::geo::Position;
use crate::ids::{PeriodId, PersonId, PlacementId, SiteId, StudentId, SupervisorId};
use crate::vocab::{Day, Term};

/// Whether a site wants students in a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    Yes,
    Maybe,
    /// Not this term (with a reason).
    No,
}

impl Interest {
    pub const ALL: [Interest; 3] = [Self::Yes, Self::Maybe, Self::No];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::Maybe => "maybe",
            Self::No => "no",
        }
    }

    /// `yes`/`maybe`/`no` or `ja`/`kanske`/`nej` (`inte denna termin`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "yes" | "ja" => Some(Self::Yes),
            "maybe" | "kanske" => Some(Self::Maybe),
            "no" | "nej" | "not this term" | "inte denna termin" => Some(Self::No),
            _ => None,
        }
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Yes => "Ja",
            Self::Maybe => "Kanske",
            Self::No => "Inte denna termin",
        }
    }
}

/// A site's answer for one term: whether it hosts, how many students, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostingInterest {
    pub site_id: SiteId,
    pub term: Term,
    pub interest: Interest,
    /// Students the site can take that term (0 when the answer is no).
    pub capacity: u32,
    pub reason: String,
}

/// How far a supervisor has come with supervisor training (handledarutbildning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingLevel {
    None,
    /// An introduction (a few hours, usually by the university).
    Introduction,
    /// The 7.5 hp course has started.
    CourseStarted,
    /// The 7.5 hp course is completed: a *trained* supervisor.
    Completed,
}

impl TrainingLevel {
    pub const ALL: [TrainingLevel; 4] = [Self::None, Self::Introduction, Self::CourseStarted, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Introduction => "introduction",
            Self::CourseStarted => "course_started",
            Self::Completed => "completed",
        }
    }

    /// The code, or the Swedish words (`ingen`, `introduktion`, `påbörjad`, `klar`/`genomförd`).
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|l| l.as_str() == t).or(match t.as_str() {
            "" | "ingen" => Some(Self::None),
            "introduktion" | "intro" => Some(Self::Introduction),
            "påbörjad" | "kurs påbörjad" | "started" => Some(Self::CourseStarted),
            "klar" | "genomförd" | "avklarad" | "done" => Some(Self::Completed),
            _ => None,
        })
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::None => "Ingen",
            Self::Introduction => "Introduktion",
            Self::CourseStarted => "Kurs 7,5 hp påbörjad",
            Self::Completed => "Kurs 7,5 hp genomförd",
        }
    }
}

/// A supervisor's training: the level, when it was reached, and at which university.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    pub level: TrainingLevel,
    pub date: Option<Day>,
    pub university: Option<String>,
}

impl Default for Training {
    fn default() -> Self {
        Self {
            level: TrainingLevel::None,
            date: None,
            university: None,
        }
    }
}

/// The municipality's invitation of a supervisor to training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteStatus {
    NotInvited,
    Invited,
    Enrolled,
    Completed,
}

impl InviteStatus {
    pub const ALL: [InviteStatus; 4] = [Self::NotInvited, Self::Invited, Self::Enrolled, Self::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotInvited => "not_invited",
            Self::Invited => "invited",
            Self::Enrolled => "enrolled",
            Self::Completed => "completed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|l| l.as_str() == t).or(match t.as_str() {
            "" => Some(Self::NotInvited),
            "inbjuden" => Some(Self::Invited),
            "anmäld" | "antagen" => Some(Self::Enrolled),
            "klar" | "genomförd" => Some(Self::Completed),
            _ => None,
        })
    }
}

/// A supervisor (handledare). Name, e-mail and phone are the person's (stored with the person).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supervisor {
    pub id: SupervisorId,
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub municipality: Kommunkod,
    /// The placement site they work at, if registered.
    pub site_id: Option<SiteId>,
    pub fields: Vec<FieldSpec>,
    /// Employment as a percentage of full time, 1–100 (decimal comma in files: `87,5`).
    pub employment_percent: f64,
    pub training: Training,
    /// Students they can take in one period.
    pub students_per_period: u32,
    /// Terms they cannot take students (parental leave, other duties); available otherwise.
    pub unavailable_terms: Vec<Term>,
    /// Consent to be contacted about supervision and training.
    pub consent_contact: bool,
    pub invite: InviteStatus,
    pub invite_date: Option<Day>,
}

impl Supervisor {
    pub fn is_trained(&self) -> bool {
        self.training.level == TrainingLevel::Completed
    }

    pub fn available_in(&self, term: Term) -> bool {
        !self.unavailable_terms.contains(&term)
    }

    pub fn has_field(&self, field: VfuField) -> bool {
        self.fields.iter().any(|f| f.field == field)
    }
}

/// A requirement a student must meet before a period starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// Stable code, e.g. `registerutdrag`.
    pub code: String,
    pub label: String,
    /// The evidence may be at most this many days old at the start of the period.
    pub max_age_days: Option<u32>,
}

impl Requirement {
    /// The police record extract for school VFU: at most one year old at the start.
    pub fn registerutdrag() -> Self {
        Self {
            code: "registerutdrag".into(),
            label: "Utdrag ur belastningsregistret".into(),
            max_age_days: Some(365),
        }
    }

    /// The default requirements of a field: the police record extract for school VFU.
    pub fn defaults_for(field: VfuField) -> Vec<Requirement> {
        match field {
            VfuField::Teacher(_) => vec![Self::registerutdrag()],
            _ => Vec::new(),
        }
    }
}

/// A VFU period of a university course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VfuPeriod {
    pub id: PeriodId,
    /// University code: `LTU`, `UmU`, `MIUN`.
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub term: Term,
    pub start: Day,
    pub end: Day,
    pub field: VfuField,
    /// Students expected on the period.
    pub students: u32,
    pub requirements: Vec<Requirement>,
    /// The day by which sites must confirm their capacity.
    pub capacity_deadline: Day,
}

impl VfuPeriod {
    /// Whole weeks the period covers, counting its days inclusively and rounding up
    /// (`ceil((end − start + 1) / 7)`): Monday to Friday five weeks later is 5 weeks.
    pub fn weeks(&self) -> u32 {
        let days = self.start.days_until(self.end) + 1;
        ((days.max(0) + 6) / 7) as u32
    }
}

/// A wish for where to do VFU: a site, or any site in a municipality.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Wish {
    Site(SiteId),
    Municipality(Kommunkod),
}

impl Wish {
    /// A kommunkod (four digits) is a municipality; anything else is a site id.
    pub fn parse(s: &str) -> Wish {
        let t = s.trim();
        match Kommunkod::parse(t) {
            Ok(k) if t.len() == 4 => Wish::Municipality(k),
            _ => Wish::Site(SiteId::new(t)),
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            Wish::Site(id) => id.to_string(),
            Wish::Municipality(k) => k.to_string(),
        }
    }

    /// Whether a site (id, municipality) satisfies the wish.
    pub fn matches(&self, site_id: &SiteId, municipality: Kommunkod) -> bool {
        match self {
            Wish::Site(id) => id == site_id,
            Wish::Municipality(k) => *k == municipality,
        }
    }
}

/// Why a student should be placed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityReason {
    Medical,
    SoleCaregiver,
    Other,
}

impl PriorityReason {
    pub const ALL: [PriorityReason; 3] = [Self::Medical, Self::SoleCaregiver, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::SoleCaregiver => "sole_caregiver",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        Self::ALL.into_iter().find(|l| l.as_str() == t).or(match t.as_str() {
            "medicinska skäl" | "medicinsk" => Some(Self::Medical),
            "ensamstående vårdnadshavare" | "ensam vårdnadshavare" => Some(Self::SoleCaregiver),
            "annat" => Some(Self::Other),
            _ => None,
        })
    }
}

/// What a student needs from a placement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub no_driving_licence: bool,
    pub needs_public_transport: bool,
    pub priority: Option<PriorityReason>,
    /// Free text for the coordinator (kept minimal: no diagnoses).
    pub note: String,
}

/// A student's evidence for one requirement: the day it was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementStatus {
    pub code: String,
    pub issued: Option<Day>,
}

/// Whether a requirement is met for a period that starts on `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementCheck {
    Met,
    Missing,
    /// The evidence is older than allowed at the start of the period.
    TooOld,
}

/// Check a student's evidence against a requirement for a period starting on `start`.
pub fn check_requirement(req: &Requirement, evidence: &[RequirementStatus], start: Day) -> RequirementCheck {
    let Some(issued) = evidence.iter().find(|e| e.code == req.code).and_then(|e| e.issued) else {
        return RequirementCheck::Missing;
    };
    match req.max_age_days {
        Some(max) if issued.days_until(start) > i64::from(max) => RequirementCheck::TooOld,
        _ => RequirementCheck::Met,
    }
}

/// A student on a VFU period. Name, e-mail and home municipality are the person's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VfuStudent {
    pub id: StudentId,
    pub person_id: PersonId,
    pub period_id: PeriodId,
    pub name: String,
    pub email: String,
    pub home_municipality: Kommunkod,
    pub home_position: Option<Position>,
    pub field: VfuField,
    pub subjects: Vec<String>,
    /// Up to three wishes, first is most wanted.
    pub wishes: Vec<Wish>,
    pub needs: Needs,
    pub requirements: Vec<RequirementStatus>,
}

/// Where a placement is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementStatus {
    Requested,
    Offered,
    Confirmed,
    Started,
    Completed,
    Withdrawn,
}

impl PlacementStatus {
    pub const ALL: [PlacementStatus; 6] = [
        Self::Requested,
        Self::Offered,
        Self::Confirmed,
        Self::Started,
        Self::Completed,
        Self::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Offered => "offered",
            Self::Confirmed => "confirmed",
            Self::Started => "started",
            Self::Completed => "completed",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s.trim())
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Requested => "Begärd",
            Self::Offered => "Erbjuden",
            Self::Confirmed => "Bekräftad",
            Self::Started => "Påbörjad",
            Self::Completed => "Genomförd",
            Self::Withdrawn => "Återtagen",
        }
    }

    /// Whether the placement still holds a seat (not completed or withdrawn).
    pub fn is_active(self) -> bool {
        !matches!(self, Self::Completed | Self::Withdrawn)
    }

    /// Whether it counts as a placement for compensation: confirmed, started or completed.
    pub fn counts_for_compensation(self) -> bool {
        matches!(self, Self::Confirmed | Self::Started | Self::Completed)
    }
}

/// One step of a placement's history: the status it reached and the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: PlacementStatus,
    pub on: Day,
}

/// A student's placement at a site for their period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub id: PlacementId,
    pub student_id: StudentId,
    pub site_id: SiteId,
    pub supervisor_id: Option<SupervisorId>,
    pub status: PlacementStatus,
    /// Every status reached, with its day, oldest first.
    pub history: Vec<StatusChange>,
    /// On the waiting list (återbudskö): keeps this placement while waiting for a better one.
    pub waiting_for_better: bool,
    pub note: String,
}

impl Placement {
    /// The day a status was reached, if it was.
    pub fn date_of(&self, status: PlacementStatus) -> Option<Day> {
        self.history.iter().rev().find(|c| c.status == status).map(|c| c.on)
    }
}

/// A placement with the names around it: one line of the lists sent to sites (for the
/// supervisors) and to municipalities (for the coordinators).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacementLine {
    pub placement_id: PlacementId,
    pub status: PlacementStatus,
    pub waiting_for_better: bool,
    pub site_id: SiteId,
    pub site_name: String,
    pub site_municipality: Kommunkod,
    pub student_name: String,
    pub student_email: String,
    pub home_municipality: Kommunkod,
    pub period_id: PeriodId,
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub field: VfuField,
    pub start: Day,
    pub end: Day,
    pub supervisor_name: Option<String>,
    pub supervisor_email: Option<String>,
}
