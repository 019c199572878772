//! The region's reference entities: municipalities, universities and their campuses,
//! learning centres and the shortage occupations.

use serde::{Deserialize, Serialize};

use crate::codes::{Kommunkod, Ssyk};
use crate::geo::Position;

/// Why a municipality is in kkig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MunicipalityRole {
    /// One of the 17 municipalities of the collaboration.
    Participant,
    /// A university campus town outside the collaboration.
    Campus,
    /// Any other of Sweden's 290 municipalities: valid wherever a municipality is entered
    /// (a student's home, an employer, a placement site, travel), not shown on the region's pages.
    Other,
}

impl MunicipalityRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Participant => "participant",
            Self::Campus => "campus",
            Self::Other => "other",
        }
    }

    /// Whether the region's pages show the municipality (participants and campus towns).
    pub fn in_region(self) -> bool {
        !matches!(self, Self::Other)
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "participant" => Some(Self::Participant),
            "campus" => Some(Self::Campus),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

/// A municipality with its seat town and population (SCB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    pub code: Kommunkod,
    pub name: String,
    pub county_code: String,
    pub county_name: String,
    /// The seat town (centralort).
    pub seat: String,
    /// Position of the seat town, WGS84.
    pub position: Position,
    /// Population on 31 December of `population_year`.
    pub population: i64,
    pub population_year: i32,
    pub role: MunicipalityRole,
}

/// A university campus in a town.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campus {
    pub town: String,
    pub municipality: Kommunkod,
}

/// A partner university (lärosäte).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct University {
    /// Short name used as the key: `LTU`, `UmU`, `MIUN`.
    pub code: String,
    pub name: String,
    pub campuses: Vec<Campus>,
}

/// A municipal learning centre (lärcentrum).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningCentre {
    pub id: String,
    pub municipality: Kommunkod,
    pub name: String,
    pub town: String,
    pub position: Position,
    /// Where the position comes from, e.g. "seat town (centralort)".
    pub position_source: String,
}

/// The shortage-occupation areas in focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OccupationArea {
    Teacher,
    Nurse,
    SocialWork,
}

impl OccupationArea {
    pub const ALL: [OccupationArea; 3] = [Self::Teacher, Self::Nurse, Self::SocialWork];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teacher => "teacher",
            Self::Nurse => "nurse",
            Self::SocialWork => "social_work",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The occupation a resident becomes, as the pathway pages' addresses name it
    /// (`/utbildning/bli/sjukskoterska/2422`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Nurse => "sjukskoterska",
            Self::Teacher => "larare",
            Self::SocialWork => "socionom",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

/// An SSYK 2012 occupation in one of the shortage areas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Occupation {
    pub ssyk: Ssyk,
    pub name: String,
    pub area: OccupationArea,
}

/// All reference facts kkig is seeded with.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReferenceData {
    pub municipalities: Vec<Municipality>,
    pub universities: Vec<University>,
    pub learning_centres: Vec<LearningCentre>,
    pub occupations: Vec<Occupation>,
}

/// What a learning centre offers students (study places, exam sittings, video rooms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningCentreServices {
    pub learning_centre_id: String,
    /// Desks or rooms where students can study.
    pub study_places: i64,
    /// Whether university exams can be sat at the centre (tentamensskrivning).
    pub exam_sittings: bool,
    /// Rooms with video equipment for seminars.
    pub video_rooms: i64,
    /// Whether the centre offers study and career guidance (studie- och yrkesvägledning).
    pub study_guidance: bool,
}
