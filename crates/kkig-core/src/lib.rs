//! kkig-core: the domain of kkig, with no I/O, no async, no database and no HTTP.
//!
//! Everything here is deterministic: the same input gives the same output. Types that carry
//! an invariant (a kommunkod, an SSYK code, a position) can only be built through `parse`/`new`,
//! so code that holds one never has to check it again.

pub mod access;
pub mod allocation;
pub mod catalogue;
pub mod codes;
pub mod demo;
pub mod demo_catalogue;
pub mod forecast;
pub mod geo;
pub mod ids;
pub mod map;
pub mod privacy;
pub mod region;
pub mod solve;
pub mod text;
pub mod vfu;
pub mod vocab;
pub mod web_url;

pub use codes::{CodeError, Kommunkod, Ssyk};
pub use geo::{Position, TravelModel};
pub use ids::{PeriodId, PersonId, PlacementId, SiteId, StudentId, SupervisorId, UserId};
pub use region::{
    Campus, LearningCentre, LearningCentreServices, Municipality, MunicipalityRole, Occupation, OccupationArea,
    ReferenceData, University,
};
pub use web_url::{WebUrl, WebUrlError};
