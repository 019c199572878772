//! Roles and responsibilities ("vem gör vad"): a matrix of VFU tasks × roles with R/A/C/I in
//! each cell, a default model per programme type, which each municipality may adapt.

use serde::{Deserialize, Serialize};

use super::field::ProgrammeType;
use crate::vocab::{FieldError, FieldProblem};

/// The roles of the matrix, in the order of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaciRole {
    MunicipalCoordinator,
    UnitResponsible,
    Manager,
    Supervisor,
    UniversityCoordinator,
    CourseLeader,
    Student,
}

impl RaciRole {
    pub const ALL: [RaciRole; 7] = [
        Self::MunicipalCoordinator,
        Self::UnitResponsible,
        Self::Manager,
        Self::Supervisor,
        Self::UniversityCoordinator,
        Self::CourseLeader,
        Self::Student,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MunicipalCoordinator => "municipal_coordinator",
            Self::UnitResponsible => "unit_responsible",
            Self::Manager => "manager",
            Self::Supervisor => "supervisor",
            Self::UniversityCoordinator => "university_coordinator",
            Self::CourseLeader => "course_leader",
            Self::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::MunicipalCoordinator => "Kommunal VFU-samordnare",
            Self::UnitResponsible => "VFU-ansvarig på enheten",
            Self::Manager => "Rektor/enhetschef",
            Self::Supervisor => "Handledare",
            Self::UniversityCoordinator => "Lärosätets VFU-samordnare",
            Self::CourseLeader => "Kursansvarig/examinator",
            Self::Student => "Student",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

/// The VFU tasks, in the order of the matrix rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaciTask {
    AnnouncePeriods,
    ConfirmCapacity,
    AppointSupervisors,
    SupervisorTraining,
    Allocate,
    PublishPlacements,
    CheckRequirements,
    IntroduceStudent,
    Supervise,
    ThreePartyMeeting,
    Assess,
    CompensationBasis,
    HandleProblems,
}

impl RaciTask {
    pub const ALL: [RaciTask; 13] = [
        Self::AnnouncePeriods,
        Self::ConfirmCapacity,
        Self::AppointSupervisors,
        Self::SupervisorTraining,
        Self::Allocate,
        Self::PublishPlacements,
        Self::CheckRequirements,
        Self::IntroduceStudent,
        Self::Supervise,
        Self::ThreePartyMeeting,
        Self::Assess,
        Self::CompensationBasis,
        Self::HandleProblems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AnnouncePeriods => "announce_periods",
            Self::ConfirmCapacity => "confirm_capacity",
            Self::AppointSupervisors => "appoint_supervisors",
            Self::SupervisorTraining => "supervisor_training",
            Self::Allocate => "allocate",
            Self::PublishPlacements => "publish_placements",
            Self::CheckRequirements => "check_requirements",
            Self::IntroduceStudent => "introduce_student",
            Self::Supervise => "supervise",
            Self::ThreePartyMeeting => "three_party_meeting",
            Self::Assess => "assess",
            Self::CompensationBasis => "compensation_basis",
            Self::HandleProblems => "handle_problems",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::AnnouncePeriods => "Meddela VFU-perioder och antal studenter",
            Self::ConfirmCapacity => "Bekräfta platser per termin",
            Self::AppointSupervisors => "Utse handledare",
            Self::SupervisorTraining => "Handledarutbildning: bjuda in och genomföra",
            Self::Allocate => "Fördela studenter till platser",
            Self::PublishPlacements => "Publicera placeringar",
            Self::CheckRequirements => "Kontrollera krav (t.ex. registerutdrag)",
            Self::IntroduceStudent => "Introducera studenten på enheten",
            Self::Supervise => "Handleda studenten",
            Self::ThreePartyMeeting => "Trepartssamtal",
            Self::Assess => "Bedöma och examinera",
            Self::CompensationBasis => "Underlag för ersättning",
            Self::HandleProblems => "Hantera avbrott och svårigheter",
        }
    }
}

/// One cell: any of R (responsible), A (accountable), C (consulted), I (informed), or empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RaciCell(u8);

impl RaciCell {
    const R: u8 = 1;
    const A: u8 = 2;
    const C: u8 = 4;
    const I: u8 = 8;

    /// `A/R`, `AR`, `R,A`, `c`, `` (empty); any other character is an error.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut v = 0;
        for ch in s.chars() {
            v |= match ch.to_ascii_uppercase() {
                'R' => Self::R,
                'A' => Self::A,
                'C' => Self::C,
                'I' => Self::I,
                '/' | ',' | ' ' | '-' => 0,
                _ => return Err(format!("{s:?} is not R, A, C, I or a combination such as A/R")),
            };
        }
        Ok(Self(v))
    }

    pub fn is_accountable(self) -> bool {
        self.0 & Self::A != 0
    }

    pub fn is_responsible(self) -> bool {
        self.0 & Self::R != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl std::fmt::Display for RaciCell {
    /// `A/R`, `C`, `` (letters in the order A, R, C, I).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let letters: Vec<&str> = [(Self::A, "A"), (Self::R, "R"), (Self::C, "C"), (Self::I, "I")]
            .into_iter()
            .filter(|(b, _)| self.0 & b != 0)
            .map(|(_, l)| l)
            .collect();
        f.write_str(&letters.join("/"))
    }
}

impl Serialize for RaciCell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for RaciCell {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One row: a task and its cell per role (in the order of [`RaciRole::ALL`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciRow {
    pub task: RaciTask,
    pub cells: [RaciCell; 7],
}

impl RaciRow {
    pub fn cell(&self, role: RaciRole) -> RaciCell {
        self.cells[role.index()]
    }
}

/// The matrix of one programme type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaciModel {
    pub programme: ProgrammeType,
    pub rows: Vec<RaciRow>,
}

// Columns: kommunal samordnare, VFU-ansvarig enhet, rektor/enhetschef, handledare,
// lärosätets samordnare, kursansvarig/examinator, student.
const TEACHER: [(RaciTask, [&str; 7]); 13] = [
    (RaciTask::AnnouncePeriods, ["I", "I", "I", "", "A/R", "C", "I"]),
    (RaciTask::ConfirmCapacity, ["A", "R", "C", "C", "I", "", ""]),
    (RaciTask::AppointSupervisors, ["I", "R", "A", "C", "I", "", ""]),
    (RaciTask::SupervisorTraining, ["A", "C", "C", "R", "R", "", ""]),
    (RaciTask::Allocate, ["C", "I", "", "", "A/R", "I", "I"]),
    (RaciTask::PublishPlacements, ["I", "I", "", "I", "A/R", "", "I"]),
    (RaciTask::CheckRequirements, ["", "R", "A", "", "I", "", "R"]),
    (RaciTask::IntroduceStudent, ["", "A", "I", "R", "", "", "I"]),
    (RaciTask::Supervise, ["", "A", "", "R", "", "I", "I"]),
    (RaciTask::ThreePartyMeeting, ["", "I", "", "R", "I", "A", "R"]),
    (RaciTask::Assess, ["", "", "", "C", "", "A/R", "I"]),
    (RaciTask::CompensationBasis, ["R", "C", "I", "", "A", "", ""]),
    (RaciTask::HandleProblems, ["I", "C", "I", "R", "C", "A", "C"]),
];

const NURSING: [(RaciTask, [&str; 7]); 13] = [
    (RaciTask::AnnouncePeriods, ["I", "I", "I", "", "A/R", "C", "I"]),
    (RaciTask::ConfirmCapacity, ["A", "R", "C", "I", "I", "", ""]),
    (RaciTask::AppointSupervisors, ["I", "R", "A", "C", "I", "", ""]),
    (RaciTask::SupervisorTraining, ["A", "C", "C", "R", "R", "", ""]),
    (RaciTask::Allocate, ["C", "I", "", "", "A/R", "I", "I"]),
    (RaciTask::PublishPlacements, ["I", "I", "", "I", "A/R", "", "I"]),
    (RaciTask::CheckRequirements, ["", "R", "A", "", "C", "", "R"]),
    (RaciTask::IntroduceStudent, ["", "A/R", "I", "R", "", "", "I"]),
    (RaciTask::Supervise, ["", "A", "", "R", "", "C", "I"]),
    (RaciTask::ThreePartyMeeting, ["", "I", "", "R", "I", "A", "R"]),
    (RaciTask::Assess, ["", "", "", "C", "", "A/R", "I"]),
    (RaciTask::CompensationBasis, ["R", "C", "I", "", "A", "", ""]),
    (RaciTask::HandleProblems, ["I", "C", "I", "R", "C", "A", "C"]),
];

const SOCIAL_WORK: [(RaciTask, [&str; 7]); 13] = [
    (RaciTask::AnnouncePeriods, ["I", "I", "I", "", "A/R", "C", "I"]),
    (RaciTask::ConfirmCapacity, ["A", "C", "R", "C", "I", "", ""]),
    (RaciTask::AppointSupervisors, ["I", "C", "A/R", "C", "I", "", ""]),
    (RaciTask::SupervisorTraining, ["A", "", "C", "R", "R", "", ""]),
    (RaciTask::Allocate, ["C", "I", "I", "", "A/R", "C", "I"]),
    (RaciTask::PublishPlacements, ["I", "I", "I", "I", "A/R", "", "I"]),
    (RaciTask::CheckRequirements, ["", "R", "A", "", "I", "", "R"]),
    (RaciTask::IntroduceStudent, ["", "R", "A", "R", "", "", "I"]),
    (RaciTask::Supervise, ["", "", "A", "R", "", "C", "I"]),
    (RaciTask::ThreePartyMeeting, ["", "", "I", "R", "I", "A", "R"]),
    (RaciTask::Assess, ["", "", "", "C", "", "A/R", "I"]),
    (RaciTask::CompensationBasis, ["R", "", "C", "", "A", "", ""]),
    (RaciTask::HandleProblems, ["I", "C", "C", "R", "C", "A", "C"]),
];

impl RaciModel {
    /// The default model of a programme type.
    pub fn default_for(programme: ProgrammeType) -> Self {
        let table = match programme {
            ProgrammeType::Teacher => &TEACHER,
            ProgrammeType::Nursing => &NURSING,
            ProgrammeType::SocialWork => &SOCIAL_WORK,
        };
        let rows = table
            .iter()
            .map(|(task, cells)| RaciRow {
                task: *task,
                cells: cells.map(|c| RaciCell::parse(c).unwrap_or_default()),
            })
            .collect();
        Self { programme, rows }
    }

    /// Every task exactly once, each with exactly one A and at least one R. The field of an
    /// error is `task.CODE`.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for task in RaciTask::ALL {
            let rows: Vec<&RaciRow> = self.rows.iter().filter(|r| r.task == task).collect();
            let field = format!("task.{}", task.as_str());
            match rows.as_slice() {
                [] => errors.push(FieldError::of(
                    &field,
                    FieldProblem::TaskMissing {
                        task: task.as_str().into(),
                    },
                )),
                [row] => {
                    let a = row.cells.iter().filter(|c| c.is_accountable()).count();
                    if a != 1 {
                        errors.push(FieldError::of(
                            &field,
                            FieldProblem::TaskAccountable {
                                task: task.as_str().into(),
                                count: a,
                            },
                        ));
                    }
                    if !row.cells.iter().any(|c| c.is_responsible() || c.is_accountable()) {
                        errors.push(FieldError::of(
                            &field,
                            FieldProblem::TaskNoResponsible {
                                task: task.as_str().into(),
                            },
                        ));
                    }
                }
                _ => errors.push(FieldError::of(
                    &field,
                    FieldProblem::TaskTwice {
                        task: task.as_str().into(),
                    },
                )),
            }
        }
        errors
    }

    pub fn row(&self, task: RaciTask) -> Option<&RaciRow> {
        self.rows.iter().find(|r| r.task == task)
    }

    /// The cells that differ from the default model, as (task, role, cell).
    pub fn changes_from_default(&self) -> Vec<(RaciTask, RaciRole, RaciCell)> {
        let d = Self::default_for(self.programme);
        let mut out = Vec::new();
        for row in &self.rows {
            for role in RaciRole::ALL {
                let base = d.row(row.task).map(|r| r.cell(role)).unwrap_or_default();
                if row.cell(role) != base {
                    out.push((row.task, role, row.cell(role)));
                }
            }
        }
        out
    }

    /// Set one cell.
    pub fn set(&mut self, task: RaciTask, role: RaciRole, cell: RaciCell) {
        if let Some(r) = self.rows.iter_mut().find(|r| r.task == task) {
            r.cells[role.index()] = cell;
        }
    }
}

/// A named contact person for a role in a municipality (shown on the public page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VfuContact {
    pub id: String,
    pub person_id: crate::ids::PersonId,
    pub municipality: crate::codes::Kommunkod,
    pub role: RaciRole,
    /// None: every programme type.
    pub programme: Option<ProgrammeType>,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Work title or unit, e.g. "Rektor, Björkskolan".
    pub title: String,
}

/// The rules of a contact that hold however it was made.
pub fn validate_contact(c: &VfuContact) -> Vec<FieldError> {
    let mut e = Vec::new();
    if c.name.trim().is_empty() {
        e.push(FieldError::of("name", FieldProblem::Required));
    }
    if let Err(p) = super::input::email(&c.email) {
        e.push(FieldError::of("email", p));
    }
    if c.phone.chars().count() > 40 {
        e.push(FieldError::of("phone", FieldProblem::TooLong { max: 40 }));
    }
    if c.title.chars().count() > 200 {
        e.push(FieldError::of("title", FieldProblem::TooLong { max: 200 }));
    }
    e
}
