//! VFU (work placement) entities. The foundation holds placement sites; the VFU registry
//! extends them with fields, supervisors, periods and students.

use serde::{Deserialize, Serialize};

use crate::codes::Kommunkod;
use crate::geo::Position;
use crate::region::OccupationArea;

/// What kind of workplace a placement site (VFU-plats) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    Preschool,
    School,
    UpperSecondary,
    CareHome,
    HomeCare,
    HealthCentre,
    SocialServices,
}

impl SiteKind {
    pub const ALL: [SiteKind; 7] = [
        Self::Preschool,
        Self::School,
        Self::UpperSecondary,
        Self::CareHome,
        Self::HomeCare,
        Self::HealthCentre,
        Self::SocialServices,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preschool => "preschool",
            Self::School => "school",
            Self::UpperSecondary => "upper_secondary",
            Self::CareHome => "care_home",
            Self::HomeCare => "home_care",
            Self::HealthCentre => "health_centre",
            Self::SocialServices => "social_services",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The occupation area whose students this kind of site takes.
    pub fn area(self) -> OccupationArea {
        match self {
            Self::Preschool | Self::School | Self::UpperSecondary => OccupationArea::Teacher,
            Self::CareHome | Self::HomeCare | Self::HealthCentre => OccupationArea::Nurse,
            Self::SocialServices => OccupationArea::SocialWork,
        }
    }
}

/// A workplace that can host VFU students.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacementSite {
    pub id: String,
    pub municipality: Kommunkod,
    pub name: String,
    pub kind: SiteKind,
    pub position: Position,
}
