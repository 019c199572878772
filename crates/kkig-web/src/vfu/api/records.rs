//! The records the VFU API returns (sites, hosting interest, supervisors, periods, students,
//! placements, training need, compensation, RACI, contacts), built from the core's types.

use super::*;

/// A placement site.
#[derive(Debug, Serialize, ToSchema)]
pub struct SiteRecord {
    #[schema(value_type = String)]
    pub id: SiteId,
    /// Kommunkod of the municipality that keeps the site.
    #[schema(example = "2422")]
    pub municipality: String,
    pub name: String,
    /// preschool, school, upper_secondary, care_home, home_care, health_centre, social_services.
    pub kind: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    /// The fields the site takes, each `FIELD` or `FIELD:subject,subject`.
    #[schema(example = json!(["teacher_f3:svenska,matematik", "teacher_4_6"]))]
    pub fields: Vec<String>,
}

pub(super) fn field_specs(list: &[FieldSpec]) -> Vec<String> {
    list.iter()
        .map(|f| FieldSpec::format_list(std::slice::from_ref(f)))
        .collect()
}

impl From<&PlacementSite> for SiteRecord {
    fn from(s: &PlacementSite) -> Self {
        Self {
            id: s.id.clone(),
            municipality: s.municipality.to_string(),
            name: s.name.clone(),
            kind: s.kind.as_str().into(),
            address: s.address.clone(),
            lat: s.position.lat,
            lon: s.position.lon,
            fields: field_specs(&s.fields),
        }
    }
}

/// A site's answer for one term.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingRecord {
    #[schema(value_type = String)]
    pub site_id: SiteId,
    #[schema(example = "HT2026")]
    pub term: String,
    /// yes, maybe or no.
    pub interest: String,
    pub capacity: u32,
    pub reason: String,
}

impl From<&kkig_core::vfu::HostingInterest> for HostingRecord {
    fn from(h: &kkig_core::vfu::HostingInterest) -> Self {
        Self {
            site_id: h.site_id.clone(),
            term: h.term.to_string(),
            interest: h.interest.as_str().into(),
            capacity: h.capacity,
            reason: h.reason.clone(),
        }
    }
}

/// A supervisor (handledare) with their training and invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupervisorRecord {
    #[schema(value_type = String)]
    pub id: SupervisorId,
    #[schema(value_type = String)]
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub municipality: String,
    #[schema(value_type = Option<String>)]
    pub site_id: Option<SiteId>,
    pub fields: Vec<String>,
    pub employment_percent: f64,
    /// none, introduction, course_started or completed.
    pub training: String,
    pub training_date: Option<String>,
    pub training_university: Option<String>,
    pub students_per_period: u32,
    pub unavailable_terms: Vec<String>,
    pub consent_contact: bool,
    /// not_invited, invited, enrolled or completed.
    pub invite: String,
    pub invite_date: Option<String>,
}

impl From<&Supervisor> for SupervisorRecord {
    fn from(s: &Supervisor) -> Self {
        Self {
            id: s.id.clone(),
            person_id: s.person_id.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            municipality: s.municipality.to_string(),
            site_id: s.site_id.clone(),
            fields: field_specs(&s.fields),
            employment_percent: s.employment_percent,
            training: s.training.level.as_str().into(),
            training_date: s.training.date.map(|d| d.to_string()),
            training_university: s.training.university.clone(),
            students_per_period: s.students_per_period,
            unavailable_terms: s.unavailable_terms.iter().map(|t| t.to_string()).collect(),
            consent_contact: s.consent_contact,
            invite: s.invite.as_str().into(),
            invite_date: s.invite_date.map(|d| d.to_string()),
        }
    }
}

/// A VFU period of a university course.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodRecord {
    #[schema(value_type = String)]
    pub id: PeriodId,
    #[schema(example = "LTU")]
    pub university: String,
    pub programme: String,
    pub course_code: String,
    pub term: String,
    #[schema(example = "2026-09-07")]
    pub start: String,
    pub end: String,
    pub field: String,
    /// Students expected on the period.
    pub students: u32,
    /// `code` or `code:max age in days`, e.g. `registerutdrag:365`.
    pub requirements: Vec<String>,
    pub capacity_deadline: String,
    /// Whole weeks the period covers.
    pub weeks: u32,
}

impl From<&VfuPeriod> for PeriodRecord {
    fn from(p: &VfuPeriod) -> Self {
        Self {
            id: p.id.clone(),
            university: p.university.clone(),
            programme: p.programme.clone(),
            course_code: p.course_code.clone(),
            term: p.term.to_string(),
            start: p.start.to_string(),
            end: p.end.to_string(),
            field: p.field.code().into(),
            students: p.students,
            requirements: p
                .requirements
                .iter()
                .map(|r| kkig_core::vfu::input::format_requirements(std::slice::from_ref(r)))
                .collect(),
            capacity_deadline: p.capacity_deadline.to_string(),
            weeks: p.weeks(),
        }
    }
}

/// A student on a VFU period.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentRecord {
    #[schema(value_type = String)]
    pub id: StudentId,
    #[schema(value_type = String)]
    pub person_id: PersonId,
    #[schema(value_type = String)]
    pub period_id: PeriodId,
    pub name: String,
    pub email: String,
    pub home_municipality: String,
    pub home_lat: Option<f64>,
    pub home_lon: Option<f64>,
    pub field: String,
    pub subjects: Vec<String>,
    /// Up to three site ids or kommunkods, most wanted first.
    pub wishes: Vec<String>,
    pub no_driving_licence: bool,
    pub needs_public_transport: bool,
    /// medical, sole_caregiver or other.
    pub priority: Option<String>,
    pub note: String,
    /// The day the police record extract was issued.
    pub registerutdrag: Option<String>,
}

impl From<&VfuStudent> for StudentRecord {
    fn from(s: &VfuStudent) -> Self {
        Self {
            id: s.id.clone(),
            person_id: s.person_id.clone(),
            period_id: s.period_id.clone(),
            name: s.name.clone(),
            email: s.email.clone(),
            home_municipality: s.home_municipality.to_string(),
            home_lat: s.home_position.map(|p| p.lat),
            home_lon: s.home_position.map(|p| p.lon),
            field: s.field.code().into(),
            subjects: s.subjects.clone(),
            wishes: s.wishes.iter().map(|w| w.as_text()).collect(),
            no_driving_licence: s.needs.no_driving_licence,
            needs_public_transport: s.needs.needs_public_transport,
            priority: s.needs.priority.map(|p| p.as_str().to_string()),
            note: s.needs.note.clone(),
            registerutdrag: s
                .requirements
                .iter()
                .find(|r| r.code == "registerutdrag")
                .and_then(|r| r.issued)
                .map(|d| d.to_string()),
        }
    }
}

/// One step of a placement's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusStep {
    pub status: String,
    pub on: String,
}

/// A placement of a student at a site.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlacementRecord {
    #[schema(value_type = String)]
    pub id: PlacementId,
    #[schema(value_type = String)]
    pub student_id: StudentId,
    #[schema(value_type = String)]
    pub site_id: SiteId,
    #[schema(value_type = Option<String>)]
    pub supervisor_id: Option<SupervisorId>,
    /// requested, offered, confirmed, started, completed or withdrawn.
    pub status: String,
    pub history: Vec<StatusStep>,
    /// On the waiting list for a better placement (återbudskö).
    pub waiting_for_better: bool,
    pub note: String,
    /// The statuses the placement can go to next.
    pub next: Vec<String>,
}

impl From<&Placement> for PlacementRecord {
    fn from(p: &Placement) -> Self {
        Self {
            id: p.id.clone(),
            student_id: p.student_id.clone(),
            site_id: p.site_id.clone(),
            supervisor_id: p.supervisor_id.clone(),
            status: p.status.as_str().into(),
            history: p
                .history
                .iter()
                .map(|c| StatusStep {
                    status: c.status.as_str().into(),
                    on: c.on.to_string(),
                })
                .collect(),
            waiting_for_better: p.waiting_for_better,
            note: p.note.clone(),
            next: next_statuses(p.status).iter().map(|s| s.as_str().to_string()).collect(),
        }
    }
}

/// A student on the waiting list for a freed seat at a site, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingRecord {
    #[schema(value_type = String)]
    pub student_id: StudentId,
    #[schema(value_type = String)]
    pub placement_id: PlacementId,
    /// Rank of this site among the student's wishes (0 = first wish).
    pub rank_of_freed: usize,
    pub rank_of_current: Option<usize>,
    pub priority: bool,
    pub since: String,
}

/// One field and term of a municipality's training need.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingNeedRowRecord {
    pub field: String,
    pub term: String,
    pub students_from_municipality: u32,
    pub not_yet_listed: u32,
    pub expected_demand: u32,
    pub trained_capacity: u32,
    pub trained_supervisors: u32,
    pub in_training_capacity: u32,
    pub gap: u32,
}

/// A supervisor who could be invited to training.
#[derive(Debug, Serialize, ToSchema)]
pub struct InviteCandidateRecord {
    #[schema(value_type = String)]
    pub supervisor_id: SupervisorId,
    pub name: String,
    #[schema(value_type = Option<String>)]
    pub site_id: Option<SiteId>,
    pub training: String,
    pub invite: String,
    pub fields_with_gap: Vec<String>,
    pub students_per_period: u32,
}

/// A municipality's training need: VFU demand against trained supervisors' capacity.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrainingNeedRecord {
    pub municipality: String,
    /// The municipality's share of places not yet listed (0–1).
    pub share: f64,
    pub rows: Vec<TrainingNeedRowRecord>,
    pub candidates: Vec<InviteCandidateRecord>,
}

/// Placements and student-weeks per municipality, university and term.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompensationRecord {
    pub municipality: String,
    pub university: String,
    pub term: String,
    pub placements: u32,
    pub student_weeks: u32,
}

/// One task of a RACI matrix with R/A/C/I per role.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RaciRowRecord {
    /// announce_periods, confirm_capacity, appoint_supervisors, supervisor_training, allocate,
    /// publish_placements, check_requirements, introduce_student, supervise, three_party_meeting,
    /// assess, compensation_basis, handle_problems.
    pub task: String,
    /// Role (municipal_coordinator, unit_responsible, manager, supervisor,
    /// university_coordinator, course_leader, student) → `A`, `R`, `A/R`, `C`, `I` or empty.
    #[schema(example = json!({"municipal_coordinator": "A", "unit_responsible": "R"}))]
    pub cells: BTreeMap<String, String>,
}

/// A municipality's roles-and-responsibilities matrix of one programme type.
#[derive(Debug, Serialize, ToSchema)]
pub struct RaciRecord {
    pub municipality: String,
    /// teacher, nursing or social_work.
    pub programme: String,
    /// True when the municipality has adapted the default model.
    pub adapted: bool,
    pub rows: Vec<RaciRowRecord>,
}

pub(super) fn raci_record(m: Kommunkod, model: &RaciModel, adapted: bool) -> RaciRecord {
    RaciRecord {
        municipality: m.to_string(),
        programme: model.programme.as_str().into(),
        adapted,
        rows: model
            .rows
            .iter()
            .map(|r| RaciRowRecord {
                task: r.task.as_str().into(),
                cells: RaciRole::ALL
                    .iter()
                    .map(|role| (role.as_str().to_string(), r.cell(*role).to_string()))
                    .collect(),
            })
            .collect(),
    }
}

/// A contact person for a role in a municipality. Public, e-mail and phone included: the
/// municipality names contact persons so that students, sites and universities can reach them
/// (the form says so before it is saved).
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactRecord {
    pub id: String,
    pub municipality: String,
    /// A RACI role, e.g. municipal_coordinator.
    pub role: String,
    /// teacher, nursing, social_work, or null for every programme type.
    pub programme: Option<String>,
    pub name: String,
    pub title: String,
    /// Work e-mail.
    pub email: String,
    /// Work phone; empty when none is given.
    pub phone: String,
}

pub(super) fn contact_record(c: &VfuContact) -> ContactRecord {
    ContactRecord {
        id: c.id.clone(),
        municipality: c.municipality.to_string(),
        role: c.role.as_str().into(),
        programme: c.programme.map(|p| p.as_str().to_string()),
        name: c.name.clone(),
        title: c.title.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
    }
}
