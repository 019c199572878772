//! Who may do what: roles with scope, and the one function that decides.
//!
//! Every handler asks [`Principal::may`] with the action and the target record; the rules are
//! in one place and tested as a table. Public pages and reference data need no principal.

use serde::{Deserialize, Serialize};

use crate::codes::Kommunkod;
use crate::ids::{PersonId, UserId};

/// The roles of kkig. Each role but `admin` and `regional` is limited to a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the installation: accounts, audit log, privacy requests.
    Admin,
    /// The collaboration's coordinators: read everything, edit shared records.
    Regional,
    /// A municipality's staff (scope: kommunkod): its sites, supervisors, needs, forecast inputs.
    Municipality,
    /// A university's VFU staff (scope: LTU, UmU, MIUN): its periods, students, allocation runs.
    University,
    /// An education provider (scope: provider id): sees pooled demand, answers with offers.
    Provider,
    /// A supervisor (handledare): their own students.
    Supervisor,
    /// A student: their own profile and placement.
    Student,
}

/// What the scope of a role names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    None,
    Municipality,
    University,
    Provider,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Self::Admin,
        Self::Regional,
        Self::Municipality,
        Self::University,
        Self::Provider,
        Self::Supervisor,
        Self::Student,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Regional => "regional",
            Self::Municipality => "municipality",
            Self::University => "university",
            Self::Provider => "provider",
            Self::Supervisor => "supervisor",
            Self::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Self::Municipality => ScopeKind::Municipality,
            Self::University => ScopeKind::University,
            Self::Provider => ScopeKind::Provider,
            _ => ScopeKind::None,
        }
    }
}

/// Why a role and scope do not fit together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("role {0} needs --scope {1}")]
    Missing(&'static str, &'static str),
    #[error("role {0} takes no scope (got {1:?})")]
    Unexpected(&'static str, String),
    #[error("scope {0:?} of role municipality is not a kommunkod: {1}")]
    Kommunkod(String, String),
    #[error("scope {0:?} of role university is not one of {1}")]
    University(String, String),
    #[error("scope of role provider must be a provider id of letters, digits, '-' or '_' (got {0:?})")]
    Provider(String),
}

/// Check and normalise the scope for a role. `universities` are the known university codes.
pub fn check_scope(role: Role, scope: Option<&str>, universities: &[&str]) -> Result<Option<String>, ScopeError> {
    let scope = scope.map(str::trim).filter(|s| !s.is_empty());
    match (role.scope_kind(), scope) {
        (ScopeKind::None, None) => Ok(None),
        (ScopeKind::None, Some(s)) => Err(ScopeError::Unexpected(role.as_str(), s.to_string())),
        (ScopeKind::Municipality, None) => Err(ScopeError::Missing(role.as_str(), "KOMMUNKOD")),
        (ScopeKind::University, None) => Err(ScopeError::Missing(role.as_str(), "UNIVERSITY (LTU, UmU, MIUN)")),
        (ScopeKind::Provider, None) => Err(ScopeError::Missing(role.as_str(), "PROVIDER-ID")),
        (ScopeKind::Municipality, Some(s)) => Kommunkod::parse(s)
            .map(|k| Some(k.to_string()))
            .map_err(|e| ScopeError::Kommunkod(s.to_string(), e.to_string())),
        (ScopeKind::University, Some(s)) => universities
            .iter()
            .find(|u| u.eq_ignore_ascii_case(s))
            .map(|u| Some(u.to_string()))
            .ok_or_else(|| ScopeError::University(s.to_string(), universities.join(", "))),
        (ScopeKind::Provider, Some(s)) => {
            if s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                Ok(Some(s.to_string()))
            } else {
                Err(ScopeError::Provider(s.to_string()))
            }
        }
    }
}

/// A signed-in user, as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: UserId,
    pub person_id: PersonId,
    pub role: Role,
    pub scope: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

/// What a request wants to read or change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Accounts, the audit log, privacy requests.
    Administration,
    /// A shared record that belongs to one municipality (learning-centre services, sites, …).
    MunicipalityRecord { municipality: Kommunkod },
    /// A record of one university (VFU periods, allocation runs, …).
    UniversityRecord { university: &'a str },
    /// A person's data, with the municipality the person belongs to, if any.
    Person {
        person_id: &'a PersonId,
        municipality: Option<Kommunkod>,
    },
    /// A supervisor's VFU record (personal data) kept by their municipality.
    Supervisor {
        person_id: &'a PersonId,
        municipality: Kommunkod,
    },
    /// A student on a VFU period of a university (personal data), with their home municipality.
    VfuStudent {
        person_id: &'a PersonId,
        university: &'a str,
        home_municipality: Kommunkod,
    },
    /// Only the wishes (up to three sites or municipalities) and needs (driving licence, public
    /// transport, priority reason, note) of a student's record: the part the student keeps.
    VfuStudentWishes {
        person_id: &'a PersonId,
        university: &'a str,
        home_municipality: Kommunkod,
    },
    /// A placement of a university's student at a site in a municipality.
    Placement {
        student_person_id: &'a PersonId,
        university: &'a str,
        site_municipality: Kommunkod,
    },
    /// A municipality's VFU records that are not a student's: its placement sites and their
    /// hosting answers, its adaptation of the RACI matrix, its contact persons, and the views
    /// over them (training need, compensation basis).
    VfuMunicipal { municipality: Kommunkod },
    /// A municipality's forecast inputs (staff age profiles, vacancies, completion share). The
    /// forecast is public to read; the municipality keeps its inputs; the collaboration reads.
    ForecastInput { municipality: Kommunkod },
    /// The named groups of municipalities (clusters) the forecast is summed over: public to
    /// read, kept by the collaboration.
    ForecastCluster,
}

/// The kind of a [`Target`], without its record: what a write route declares it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    Administration,
    MunicipalityRecord,
    UniversityRecord,
    Person,
    Supervisor,
    VfuStudent,
    VfuStudentWishes,
    Placement,
    VfuMunicipal,
    ForecastInput,
    ForecastCluster,
}

impl Target<'_> {
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::Administration => TargetKind::Administration,
            Target::MunicipalityRecord { .. } => TargetKind::MunicipalityRecord,
            Target::UniversityRecord { .. } => TargetKind::UniversityRecord,
            Target::Person { .. } => TargetKind::Person,
            Target::Supervisor { .. } => TargetKind::Supervisor,
            Target::VfuStudent { .. } => TargetKind::VfuStudent,
            Target::VfuStudentWishes { .. } => TargetKind::VfuStudentWishes,
            Target::Placement { .. } => TargetKind::Placement,
            Target::VfuMunicipal { .. } => TargetKind::VfuMunicipal,
            Target::ForecastInput { .. } => TargetKind::ForecastInput,
            Target::ForecastCluster => TargetKind::ForecastCluster,
        }
    }
}

impl Principal {
    fn scoped_to(&self, value: &str) -> bool {
        self.scope.as_deref() == Some(value)
    }

    /// The one rule book. Anything not allowed here is refused.
    pub fn may(&self, action: Action, target: &Target<'_>) -> bool {
        use Action::*;
        use Role::*;
        match (*target, self.role) {
            (_, Admin) => true,
            (Target::Administration, _) => false,

            (Target::MunicipalityRecord { .. }, Regional) => true,
            (Target::MunicipalityRecord { municipality }, Municipality) => self.scoped_to(&municipality.to_string()),
            (Target::MunicipalityRecord { .. }, _) => false,

            (Target::UniversityRecord { .. }, Regional) => action == Read,
            (Target::UniversityRecord { university }, University) => self.scoped_to(university),
            (Target::UniversityRecord { .. }, _) => false,

            (Target::Person { person_id, .. }, _) if *person_id == self.person_id => true,
            (Target::Person { .. }, Regional) => action == Read,
            (
                Target::Person {
                    municipality: Some(m), ..
                },
                Municipality,
            ) => action == Read && self.scoped_to(&m.to_string()),
            (Target::Person { .. }, _) => false,

            // The municipality keeps its supervisors; universities read them (three-party
            // meetings, allocation); a supervisor reads and corrects their own record.
            (Target::Supervisor { person_id, .. }, _) if *person_id == self.person_id => true,
            (Target::Supervisor { .. }, Regional | University) => action == Read,
            (Target::Supervisor { municipality, .. }, Municipality) => self.scoped_to(&municipality.to_string()),
            (Target::Supervisor { .. }, _) => false,

            // The university keeps its students; the home municipality reads them (its future
            // recruits, its training need); a student reads their own record and changes only
            // its wishes and needs (`VfuStudentWishes`), never its name, period or requirements.
            (Target::VfuStudent { person_id, .. }, _) if *person_id == self.person_id => action == Read,
            (Target::VfuStudent { .. }, Regional) => action == Read,
            (Target::VfuStudent { university, .. }, University) => self.scoped_to(university),
            (Target::VfuStudent { home_municipality, .. }, Municipality) => {
                action == Read && self.scoped_to(&home_municipality.to_string())
            }
            (Target::VfuStudent { .. }, _) => false,
            (Target::VfuStudentWishes { person_id, .. }, _) if *person_id == self.person_id => true,
            (Target::VfuStudentWishes { .. }, Regional) => action == Read,
            (Target::VfuStudentWishes { university, .. }, University) => self.scoped_to(university),
            (Target::VfuStudentWishes { home_municipality, .. }, Municipality) => {
                action == Read && self.scoped_to(&home_municipality.to_string())
            }
            (Target::VfuStudentWishes { .. }, _) => false,

            // The university offers placements; the site's municipality confirms them; the
            // student reads their own.
            (Target::Placement { student_person_id, .. }, _) if *student_person_id == self.person_id => action == Read,
            (Target::Placement { .. }, Regional) => action == Read,
            (Target::Placement { university, .. }, University) => self.scoped_to(university),
            (Target::Placement { site_municipality, .. }, Municipality) => {
                self.scoped_to(&site_municipality.to_string())
            }
            (Target::Placement { .. }, _) => false,

            // The municipality keeps its sites, RACI and contacts; the collaboration and the
            // universities (which place students there) read them.
            (Target::VfuMunicipal { .. }, Regional | University) => action == Read,
            (Target::VfuMunicipal { municipality }, Municipality) => self.scoped_to(&municipality.to_string()),
            (Target::VfuMunicipal { .. }, _) => false,

            // Forecasts are public: anyone reads the inputs; the municipality edits its own.
            (Target::ForecastInput { .. }, _) if action == Read => true,
            (Target::ForecastInput { municipality }, Municipality) => self.scoped_to(&municipality.to_string()),
            (Target::ForecastInput { .. }, _) => false,

            // Clusters are the collaboration's: regional coordinators keep them.
            (Target::ForecastCluster, _) if action == Read => true,
            (Target::ForecastCluster, Regional) => true,
            (Target::ForecastCluster, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, scope: Option<&str>) -> Principal {
        Principal {
            user_id: "u1".into(),
            person_id: "me".into(),
            role,
            scope: scope.map(String::from),
        }
    }

    #[test]
    fn the_rule_book_as_a_table() {
        let (me, other) = (PersonId::new("me"), PersonId::new("other"));
        let sorsele = Kommunkod::parse("2422").unwrap();
        let pajala = Kommunkod::parse("2521").unwrap();
        let admin = who(Role::Admin, None);
        let regional = who(Role::Regional, None);
        let m_sorsele = who(Role::Municipality, Some("2422"));
        let ltu = who(Role::University, Some("LTU"));
        let provider = who(Role::Provider, Some("yh-1"));
        let supervisor = who(Role::Supervisor, None);
        let student = who(Role::Student, None);
        let all = [&admin, &regional, &m_sorsele, &ltu, &provider, &supervisor, &student];

        use Action::*;
        let cases: Vec<(Target, Action, [bool; 7])> = vec![
            //                                                             adm   reg   mun   uni   prov  sup   stud
            (
                Target::Administration,
                Read,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Administration,
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::MunicipalityRecord { municipality: sorsele },
                Read,
                [true, true, true, false, false, false, false],
            ),
            (
                Target::MunicipalityRecord { municipality: sorsele },
                Write,
                [true, true, true, false, false, false, false],
            ),
            (
                Target::MunicipalityRecord { municipality: pajala },
                Read,
                [true, true, false, false, false, false, false],
            ),
            (
                Target::MunicipalityRecord { municipality: pajala },
                Write,
                [true, true, false, false, false, false, false],
            ),
            (
                Target::UniversityRecord { university: "LTU" },
                Read,
                [true, true, false, true, false, false, false],
            ),
            (
                Target::UniversityRecord { university: "LTU" },
                Write,
                [true, false, false, true, false, false, false],
            ),
            (
                Target::UniversityRecord { university: "UmU" },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Person {
                    person_id: &me,
                    municipality: None,
                },
                Read,
                [true; 7],
            ),
            (
                Target::Person {
                    person_id: &me,
                    municipality: None,
                },
                Write,
                [true; 7],
            ),
            (
                Target::Person {
                    person_id: &other,
                    municipality: Some(sorsele),
                },
                Read,
                [true, true, true, false, false, false, false],
            ),
            (
                Target::Person {
                    person_id: &other,
                    municipality: Some(sorsele),
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Person {
                    person_id: &other,
                    municipality: Some(pajala),
                },
                Read,
                [true, true, false, false, false, false, false],
            ),
            (
                Target::Person {
                    person_id: &other,
                    municipality: None,
                },
                Read,
                [true, true, false, false, false, false, false],
            ),
            // VFU: supervisors of Sorsele, students of LTU from Sorsele, placements in Sorsele.
            (
                Target::Supervisor {
                    person_id: &other,
                    municipality: sorsele,
                },
                Read,
                [true, true, true, true, false, false, false],
            ),
            (
                Target::Supervisor {
                    person_id: &other,
                    municipality: sorsele,
                },
                Write,
                [true, false, true, false, false, false, false],
            ),
            (
                Target::Supervisor {
                    person_id: &other,
                    municipality: pajala,
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Supervisor {
                    person_id: &me,
                    municipality: pajala,
                },
                Write,
                [true; 7],
            ),
            (
                Target::VfuStudent {
                    person_id: &other,
                    university: "LTU",
                    home_municipality: sorsele,
                },
                Read,
                [true, true, true, true, false, false, false],
            ),
            (
                Target::VfuStudent {
                    person_id: &other,
                    university: "LTU",
                    home_municipality: sorsele,
                },
                Write,
                [true, false, false, true, false, false, false],
            ),
            (
                Target::VfuStudent {
                    person_id: &other,
                    university: "UmU",
                    home_municipality: pajala,
                },
                Read,
                [true, true, false, false, false, false, false],
            ),
            (
                Target::VfuStudent {
                    person_id: &me,
                    university: "UmU",
                    home_municipality: pajala,
                },
                Read,
                [true; 7],
            ),
            // A student changes only the wishes and needs of their own record.
            (
                Target::VfuStudent {
                    person_id: &me,
                    university: "UmU",
                    home_municipality: pajala,
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::VfuStudentWishes {
                    person_id: &me,
                    university: "UmU",
                    home_municipality: pajala,
                },
                Write,
                [true; 7],
            ),
            (
                Target::VfuStudentWishes {
                    person_id: &other,
                    university: "LTU",
                    home_municipality: sorsele,
                },
                Read,
                [true, true, true, true, false, false, false],
            ),
            (
                Target::VfuStudentWishes {
                    person_id: &other,
                    university: "LTU",
                    home_municipality: sorsele,
                },
                Write,
                [true, false, false, true, false, false, false],
            ),
            (
                Target::VfuStudentWishes {
                    person_id: &other,
                    university: "UmU",
                    home_municipality: pajala,
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Placement {
                    student_person_id: &other,
                    university: "LTU",
                    site_municipality: sorsele,
                },
                Read,
                [true, true, true, true, false, false, false],
            ),
            (
                Target::Placement {
                    student_person_id: &other,
                    university: "LTU",
                    site_municipality: sorsele,
                },
                Write,
                [true, false, true, true, false, false, false],
            ),
            (
                Target::Placement {
                    student_person_id: &other,
                    university: "UmU",
                    site_municipality: pajala,
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (
                Target::Placement {
                    student_person_id: &me,
                    university: "UmU",
                    site_municipality: pajala,
                },
                Read,
                [true; 7],
            ),
            (
                Target::Placement {
                    student_person_id: &me,
                    university: "UmU",
                    site_municipality: pajala,
                },
                Write,
                [true, false, false, false, false, false, false],
            ),
            // VFU records of a municipality: sites, hosting, RACI, contacts, views.
            (
                Target::VfuMunicipal { municipality: sorsele },
                Read,
                [true, true, true, true, false, false, false],
            ),
            (
                Target::VfuMunicipal { municipality: sorsele },
                Write,
                [true, false, true, false, false, false, false],
            ),
            (
                Target::VfuMunicipal { municipality: pajala },
                Read,
                [true, true, false, true, false, false, false],
            ),
            (
                Target::VfuMunicipal { municipality: pajala },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (Target::ForecastInput { municipality: sorsele }, Read, [true; 7]),
            (
                Target::ForecastInput { municipality: sorsele },
                Write,
                [true, false, true, false, false, false, false],
            ),
            (
                Target::ForecastInput { municipality: pajala },
                Write,
                [true, false, false, false, false, false, false],
            ),
            (Target::ForecastCluster, Read, [true; 7]),
            (
                Target::ForecastCluster,
                Write,
                [true, true, false, false, false, false, false],
            ),
        ];
        for (target, action, expected) in cases {
            for (p, want) in all.iter().zip(expected) {
                assert_eq!(p.may(action, &target), want, "{:?} {action:?} {target:?}", p.role);
            }
        }
    }

    #[test]
    fn scopes_are_checked_per_role() {
        let unis = ["LTU", "UmU", "MIUN"];
        assert_eq!(check_scope(Role::Admin, None, &unis), Ok(None));
        assert_eq!(
            check_scope(Role::Municipality, Some(" 2422 "), &unis),
            Ok(Some("2422".into()))
        );
        assert_eq!(
            check_scope(Role::University, Some("umu"), &unis),
            Ok(Some("UmU".into()))
        );
        assert_eq!(
            check_scope(Role::Provider, Some("yh-norr_1"), &unis),
            Ok(Some("yh-norr_1".into()))
        );
        assert!(matches!(
            check_scope(Role::Admin, Some("2422"), &unis),
            Err(ScopeError::Unexpected(..))
        ));
        assert!(matches!(
            check_scope(Role::Municipality, None, &unis),
            Err(ScopeError::Missing(..))
        ));
        assert!(matches!(
            check_scope(Role::Municipality, Some("9999"), &unis),
            Err(ScopeError::Kommunkod(..))
        ));
        assert!(matches!(
            check_scope(Role::University, Some("KTH"), &unis),
            Err(ScopeError::University(..))
        ));
        assert!(matches!(
            check_scope(Role::Provider, Some("a b"), &unis),
            Err(ScopeError::Provider(..))
        ));
        let e = check_scope(Role::University, None, &unis).unwrap_err().to_string();
        assert_eq!(e, "role university needs --scope UNIVERSITY (LTU, UmU, MIUN)");
    }
}
