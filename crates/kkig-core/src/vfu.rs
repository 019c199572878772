//! The VFU registry (work placements): placement sites with the fields they take and their
//! hosting interest per term, supervisors and their training, VFU periods, students on them,
//! placements with their lifecycle, roles and responsibilities, and the views over them
//! (training need, compensation basis). Described for users in `docs/vfu.md`.
//!
//! - `field`: the vocabulary — [`VfuField`], [`FieldSpec`], [`ProgrammeType`] (days, terms and
//!   field errors are the shared [`crate::vocab`], re-exported here);
//! - `model`: the valid entities;
//! - `input`: string input (forms, API, file rows) and its validation into [`FieldError`]s;
//! - `lifecycle`: the placement state machine, the timeline, the waiting list;
//! - `raci`: the roles-and-responsibilities matrix and its defaults;
//! - `views`: training need and compensation basis, pure functions;
//! - `demo`: the VFU part of the demo world;
//! - `wishes`: the wishes and needs a student changes themselves ([`wishes::WishesInput`]);
//! - `identity`: when a record may take the person who already has its e-mail, and when an
//!   account may be given to a person the registry has.

pub mod demo;
pub mod field;
pub mod identity;
pub mod input;
pub mod lifecycle;
pub mod model;
pub mod raci;
#[cfg(test)]
mod tests;
pub mod views;
pub mod wishes;

use serde::{Deserialize, Serialize};

use crate::codes::Kommunkod;
use crate::geo::Position;
use crate::ids::SiteId;
use crate::region::OccupationArea;

pub use crate::vocab::{Day, FieldError, FieldProblem, Season, Term};
pub use field::{FieldSpec, ProgrammeType, TeacherLevel, VfuField};
pub use input::{VfuContext, VfuRefs};
pub use model::*;

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

    /// The code, or the Swedish words coordinators write (`förskola`, `skola`, `grundskola`,
    /// `gymnasium`, `särskilt boende`, `hemtjänst`, `vårdcentral`/`hälsocentral`, `socialtjänst`).
    pub fn parse_any(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase();
        Self::parse(&t).or(match t.as_str() {
            "förskola" => Some(Self::Preschool),
            "skola" | "grundskola" => Some(Self::School),
            "gymnasium" | "gymnasieskola" => Some(Self::UpperSecondary),
            "särskilt boende" | "äldreboende" | "vårdavdelning" | "care_unit" => Some(Self::CareHome),
            "hemtjänst" | "hemsjukvård" => Some(Self::HomeCare),
            "vårdcentral" | "hälsocentral" => Some(Self::HealthCentre),
            "socialtjänst" | "individ- och familjeomsorg" | "ifo" => Some(Self::SocialServices),
            _ => None,
        })
    }

    pub fn codes() -> String {
        Self::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Self::Preschool => "Förskola",
            Self::School => "Grundskola",
            Self::UpperSecondary => "Gymnasieskola",
            Self::CareHome => "Särskilt boende",
            Self::HomeCare => "Hemtjänst/hemsjukvård",
            Self::HealthCentre => "Hälsocentral",
            Self::SocialServices => "Socialtjänst",
        }
    }

    /// The fields a site of this kind usually takes (the demo and a new site's default).
    pub fn default_fields(self) -> Vec<VfuField> {
        use TeacherLevel::*;
        match self {
            Self::Preschool => vec![VfuField::Teacher(Forskola)],
            Self::School => vec![VfuField::Teacher(F3), VfuField::Teacher(Ar46), VfuField::Teacher(Ar79)],
            Self::UpperSecondary => vec![VfuField::Teacher(Gymnasium)],
            Self::CareHome | Self::HomeCare | Self::HealthCentre => vec![VfuField::Nurse],
            Self::SocialServices => vec![VfuField::SocialWork],
        }
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
    pub id: SiteId,
    pub municipality: Kommunkod,
    pub name: String,
    pub kind: SiteKind,
    /// Street address, e.g. "Skolgatan 3, 924 32 Sorsele" (may be empty).
    #[serde(default)]
    pub address: String,
    pub position: Position,
    /// The fields the site can take, with subjects, ward/care types or areas.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
}
