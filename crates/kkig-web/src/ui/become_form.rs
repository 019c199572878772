//! "Vad vill du bli? Var bor du?": the resident's way to a pathway page, one small GET form
//! shown on the start page, the search page and the pathway pages (`templates/become_form.html`),
//! answered by `/utbildning/bli`; and the links to pathway pages ("Bli sjuksköterska från
//! Sorsele") that municipality pages, search hits and pathway pages show.

use kkig_core::region::{MunicipalityRole, OccupationArea};
use kkig_core::Kommunkod;

use crate::ui::overview::Overview;
use crate::ui::page::Chrome;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The form's choices: the occupations, and the home municipalities (the region's first, then
/// the rest of Sweden), with the current ones selected.
pub struct BecomeForm {
    pub areas: Vec<Choice>,
    pub region: Vec<Choice>,
    pub sweden: Vec<Choice>,
}

impl BecomeForm {
    pub fn new(chrome: &Chrome, overview: &Overview, area: Option<OccupationArea>, home: Option<Kommunkod>) -> Self {
        let areas = OccupationArea::ALL
            .iter()
            .map(|a| Choice {
                value: a.slug().to_string(),
                label: chrome.t(&format!("become-{}", a.slug())),
                selected: Some(*a) == area,
            })
            .collect();
        let choice = |m: &kkig_core::region::Municipality| Choice {
            value: m.code.to_string(),
            label: m.name.clone(),
            selected: Some(m.code) == home,
        };
        let mut region: Vec<Choice> = overview
            .sweden
            .iter()
            .filter(|m| m.role == MunicipalityRole::Participant)
            .map(choice)
            .collect();
        region.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.label, &b.label));
        let mut sweden: Vec<Choice> = overview
            .sweden
            .iter()
            .filter(|m| m.role != MunicipalityRole::Participant)
            .map(choice)
            .collect();
        sweden.sort_by(|a, b| kkig_core::text::swedish_cmp(&a.label, &b.label));
        Self { areas, region, sweden }
    }
}

/// The link to each pathway page of `areas` from `home`: (href, "Bli sjuksköterska från Sorsele").
pub fn pathway_links(
    chrome: &Chrome,
    areas: impl IntoIterator<Item = OccupationArea>,
    home: Kommunkod,
    home_name: &str,
) -> Vec<(String, String)> {
    areas
        .into_iter()
        .map(|a| {
            (
                format!("/utbildning/bli/{}/{home}", a.slug()),
                chrome.t2(
                    "pathway-link",
                    "occupation",
                    &chrome.t(&format!("become-{}", a.slug())),
                    "municipality",
                    home_name,
                ),
            )
        })
        .collect()
}
