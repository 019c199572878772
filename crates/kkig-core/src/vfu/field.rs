//! The vocabulary of the VFU registry: fields (what a placement trains for), programme types,
//! terms and calendar days.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use super::problem::FieldProblem;

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

/// A calendar day, written `YYYY-MM-DD` everywhere (files, JSON, database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub Date);

impl Day {
    /// `2025-01-31`, `2025-01-31 00:00` (as Excel writes a date cell to CSV) or
    /// `2025-01-31T00:00:00…`; the time is ignored. Years 1900–2199.
    pub fn parse(s: &str) -> Result<Day, String> {
        Self::check(s).map_err(|p| p.english(""))
    }

    /// [`Day::parse`] with the problem as data.
    pub fn check(s: &str) -> Result<Day, FieldProblem> {
        let s = s.trim();
        let bad = || FieldProblem::BadDate { value: s.to_string() };
        let (date, time) = match s.find([' ', 'T']) {
            Some(i) => (&s[..i], Some(s[i + 1..].trim())),
            None => (s, None),
        };
        let b = date.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        if let Some(t) = time {
            let tb = t.as_bytes();
            if !(tb.len() >= 5 && tb[2] == b':' && tb[..2].iter().chain(&tb[3..5]).all(u8::is_ascii_digit)) {
                return Err(bad());
            }
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &date[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(bad());
        };
        if !(1900..=2199).contains(&y) {
            return Err(FieldProblem::YearOutOfRange {
                value: s.to_string(),
                year: y,
            });
        }
        let not_in_calendar = || FieldProblem::NotInCalendar { value: s.to_string() };
        let month = Month::try_from(m as u8).map_err(|_| not_in_calendar())?;
        Date::from_calendar_date(y as i32, month, d as u8)
            .map(Day)
            .map_err(|_| not_in_calendar())
    }

    pub fn ymd(y: i32, m: u8, d: u8) -> Day {
        Day(Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), d).unwrap_or(Date::MIN))
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0.checked_add(time::Duration::days(days)).unwrap_or(self.0))
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Day) -> i64 {
        (other.0 - self.0).whole_days()
    }

    pub fn term(self) -> Term {
        Term::of(self)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month() as u8,
            self.0.day()
        )
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Spring (VT, January–July) or autumn (HT, August–December).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Season {
    Spring,
    Autumn,
}

/// A term (termin): `VT2026` or `HT2026`. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term {
    pub year: i32,
    pub season: Season,
}

impl Term {
    pub fn spring(year: i32) -> Self {
        Self {
            year,
            season: Season::Spring,
        }
    }

    pub fn autumn(year: i32) -> Self {
        Self {
            year,
            season: Season::Autumn,
        }
    }

    /// The term a period starting on `day` belongs to: January–July spring, August–December autumn.
    pub fn of(day: Day) -> Self {
        let season = if (day.0.month() as u8) <= 7 {
            Season::Spring
        } else {
            Season::Autumn
        };
        Self {
            year: day.0.year(),
            season,
        }
    }

    /// `VT2026`, `VT 2026`, `vt26`, `HT-2026`, `2026VT` (case and separators ignored).
    pub fn parse(s: &str) -> Result<Term, String> {
        Self::check(s).map_err(|p| p.english(""))
    }

    /// [`Term::parse`] with the problem as data.
    pub fn check(s: &str) -> Result<Term, FieldProblem> {
        let t: String = s
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let bad = || FieldProblem::BadTerm { value: s.to_string() };
        let (season, digits) = if let Some(r) = t.strip_prefix("VT") {
            (Season::Spring, r)
        } else if let Some(r) = t.strip_prefix("HT") {
            (Season::Autumn, r)
        } else if let Some(r) = t.strip_suffix("VT") {
            (Season::Spring, r)
        } else if let Some(r) = t.strip_suffix("HT") {
            (Season::Autumn, r)
        } else {
            return Err(bad());
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = match digits.len() {
            2 => 2000 + digits.parse::<i32>().map_err(|_| bad())?,
            4 => digits.parse().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        if !(1900..=2199).contains(&year) {
            return Err(bad());
        }
        Ok(Term { year, season })
    }

    /// `VT 2026` / `HT 2026`.
    pub fn label_sv(self) -> String {
        format!(
            "{} {}",
            if self.season == Season::Spring { "VT" } else { "HT" },
            self.year
        )
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            if self.season == Season::Spring { "VT" } else { "HT" },
            self.year
        )
    }
}

impl Serialize for Term {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Term::parse(&s).map_err(serde::de::Error::custom)
    }
}
