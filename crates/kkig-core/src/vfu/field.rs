//! The vocabulary of the VFU registry: fields (what a placement trains for) and programme types.
//! Days and terms, shared with other capabilities, are in [`crate::vocab`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vocab::FieldProblem;

use crate::region::OccupationArea;

/// The school stage a teacher student trains for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TeacherLevel {
    /// Förskola (preschool teacher).
    Forskola,
    /// Förskoleklass och årskurs 1–3.
    F3,
    /// Årskurs 4–6.
    Ar46,
    /// Årskurs 7–9.
    Ar79,
    /// Gymnasieskola (upper secondary).
    Gymnasium,
}

/// What a placement trains for: the stable codes are used in files, the API and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VfuField {
    Teacher(TeacherLevel),
    Nurse,
    SocialWork,
}

impl VfuField {
    pub const ALL: [VfuField; 7] = [
        Self::Teacher(TeacherLevel::Forskola),
        Self::Teacher(TeacherLevel::F3),
        Self::Teacher(TeacherLevel::Ar46),
        Self::Teacher(TeacherLevel::Ar79),
        Self::Teacher(TeacherLevel::Gymnasium),
        Self::Nurse,
        Self::SocialWork,
    ];

    /// The stable snake_case code: `teacher_forskola`, `teacher_f3`, `teacher_4_6`,
    /// `teacher_7_9`, `teacher_gymnasium`, `nurse`, `social_work`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Teacher(TeacherLevel::Forskola) => "teacher_forskola",
            Self::Teacher(TeacherLevel::F3) => "teacher_f3",
            Self::Teacher(TeacherLevel::Ar46) => "teacher_4_6",
            Self::Teacher(TeacherLevel::Ar79) => "teacher_7_9",
            Self::Teacher(TeacherLevel::Gymnasium) => "teacher_gymnasium",
            Self::Nurse => "nurse",
            Self::SocialWork => "social_work",
        }
    }

    /// The Swedish label for pages.
    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Teacher(TeacherLevel::Forskola) => "Förskollärare",
            Self::Teacher(TeacherLevel::F3) => "Lärare F–3",
            Self::Teacher(TeacherLevel::Ar46) => "Lärare 4–6",
            Self::Teacher(TeacherLevel::Ar79) => "Ämneslärare 7–9",
            Self::Teacher(TeacherLevel::Gymnasium) => "Ämneslärare gymnasiet",
            Self::Nurse => "Sjuksköterska",
            Self::SocialWork => "Socionom",
        }
    }

    /// A field from its code, or from the Swedish words coordinators write (`förskola`, `F-3`,
    /// `4-6`, `7-9`, `gymnasium`, `sjuksköterska`, `socionom`); case and spaces are ignored.
    pub fn parse(s: &str) -> Option<Self> {
        let t: String = s.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.replace(['–', '—'], "-");
        if let Some(f) = Self::ALL.into_iter().find(|f| f.code() == t) {
            return Some(f);
        }
        Some(match t.as_str() {
            "förskola" | "forskola" | "förskollärare" | "teacher_preschool" => Self::Teacher(TeacherLevel::Forskola),
            "f-3" | "f3" | "lärare_f-3" | "lärare_f3" => Self::Teacher(TeacherLevel::F3),
            "4-6" | "lärare_4-6" | "teacher_4-6" => Self::Teacher(TeacherLevel::Ar46),
            "7-9" | "lärare_7-9" | "teacher_7-9" => Self::Teacher(TeacherLevel::Ar79),
            "gymnasium" | "gymnasiet" | "gy" => Self::Teacher(TeacherLevel::Gymnasium),
            "sjuksköterska" | "sjukskoterska" | "omvårdnad" => Self::Nurse,
            "socionom" | "socialtarbete" | "socialt_arbete" => Self::SocialWork,
            _ => return None,
        })
    }

    pub fn programme(self) -> ProgrammeType {
        match self {
            Self::Teacher(_) => ProgrammeType::Teacher,
            Self::Nurse => ProgrammeType::Nursing,
            Self::SocialWork => ProgrammeType::SocialWork,
        }
    }

    pub fn area(self) -> OccupationArea {
        match self {
            Self::Teacher(_) => OccupationArea::Teacher,
            Self::Nurse => OccupationArea::Nurse,
            Self::SocialWork => OccupationArea::SocialWork,
        }
    }

    /// Every code, for messages: "teacher_forskola, teacher_f3, …".
    pub fn codes() -> String {
        Self::ALL.iter().map(|f| f.code()).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for VfuField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for VfuField {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for VfuField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown field {s:?}; expected one of {}", Self::codes())))
    }
}

/// A field with its specialisation: subjects for teachers (`matematik`, `svenska`), ward or
/// care type for nurses (`medicin`, `hemsjukvård`), area for social work (`barn och unga`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FieldSpec {
    pub field: VfuField,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
}

impl FieldSpec {
    pub fn new(field: VfuField) -> Self {
        Self {
            field,
            subjects: Vec::new(),
        }
    }

    pub fn with(field: VfuField, subjects: &[&str]) -> Self {
        Self {
            field,
            subjects: subjects.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Parse `teacher_f3:svenska,matematik|nurse:medicin|social_work` (the file form).
    pub fn parse_list(s: &str) -> Result<Vec<FieldSpec>, String> {
        Self::check_list(s).map_err(|p| p.english("fields"))
    }

    /// [`FieldSpec::parse_list`] with the problem as data.
    pub fn check_list(s: &str) -> Result<Vec<FieldSpec>, FieldProblem> {
        let mut out: Vec<FieldSpec> = Vec::new();
        for part in s.split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, subjects) = part.split_once(':').unwrap_or((part, ""));
            let field = VfuField::parse(code).ok_or_else(|| FieldProblem::Unknown {
                noun: "field".into(),
                value: code.trim().to_string(),
                expected: format!("one of {}", VfuField::codes()),
            })?;
            if out.iter().any(|f| f.field == field) {
                return Err(FieldProblem::Twice {
                    noun: "field".into(),
                    value: field.to_string(),
                });
            }
            let subjects = check_subject_list(subjects)?;
            out.push(FieldSpec { field, subjects });
        }
        Ok(out)
    }

    /// The file form of a list, the inverse of [`FieldSpec::parse_list`].
    pub fn format_list(list: &[FieldSpec]) -> String {
        list.iter()
            .map(|f| {
                if f.subjects.is_empty() {
                    f.field.code().to_string()
                } else {
                    format!("{}:{}", f.field, f.subjects.join(","))
                }
            })
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// Subjects written `svenska, matematik` (or with `;`/`|` inside a cell): trimmed, lower case,
/// each at most 60 characters, no duplicates.
pub fn subject_list(s: &str) -> Result<Vec<String>, String> {
    check_subject_list(s).map_err(|p| p.english("subjects"))
}

/// [`subject_list`] with the problem as data.
pub fn check_subject_list(s: &str) -> Result<Vec<String>, FieldProblem> {
    let mut out: Vec<String> = Vec::new();
    for p in s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let p = p.to_lowercase();
        if p.chars().count() > 60 {
            return Err(FieldProblem::SubjectTooLong { value: p });
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    Ok(out)
}

/// The kinds of programme with VFU; each has its default roles-and-responsibilities model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeType {
    Teacher,
    Nursing,
    SocialWork,
}

impl ProgrammeType {
    pub const ALL: [ProgrammeType; 3] = [Self::Teacher, Self::Nursing, Self::SocialWork];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teacher => "teacher",
            Self::Nursing => "nursing",
            Self::SocialWork => "social_work",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Teacher => "Lärarutbildning",
            Self::Nursing => "Sjuksköterskeutbildning",
            Self::SocialWork => "Socionomutbildning",
        }
    }
}
