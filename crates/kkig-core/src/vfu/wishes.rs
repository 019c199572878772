//! The part of a student's record the student keeps themselves: their wishes (up to three sites
//! or municipalities) and needs, validated by the same rules as the coordinators' student form.

use serde::{Deserialize, Serialize};

use super::input::{StudentInput, VfuContext, VfuRefs};
use super::model::{VfuStudent, Wish};
use crate::vocab::{FieldError, FieldProblem};

impl StudentInput {
    /// The input that gives back `s` (the inverse of [`StudentInput::parse`], apart from ids and
    /// requirements other than the police record extract).
    pub fn from_student(s: &VfuStudent) -> Self {
        let flag = |b: bool| if b { "1".to_string() } else { String::new() };
        Self {
            period_id: s.period_id.to_string(),
            email: s.email.clone(),
            name: s.name.clone(),
            home_municipality: s.home_municipality.to_string(),
            home_lat: s.home_position.map(|p| format!("{:.5}", p.lat)).unwrap_or_default(),
            home_lon: s.home_position.map(|p| format!("{:.5}", p.lon)).unwrap_or_default(),
            field: s.field.code().into(),
            subjects: s.subjects.join(", "),
            wishes: s.wishes.iter().map(|w| w.as_text()).collect::<Vec<_>>().join("|"),
            no_driving_licence: flag(s.needs.no_driving_licence),
            needs_public_transport: flag(s.needs.needs_public_transport),
            priority: s.needs.priority.map(|p| p.as_str().to_string()).unwrap_or_default(),
            note: s.needs.note.clone(),
            registerutdrag: s
                .requirements
                .iter()
                .find(|r| r.code == "registerutdrag")
                .and_then(|r| r.issued)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        }
    }
}

/// The part of a student's record the student keeps themselves: up to three wishes, one per
/// field (`wish1`, `wish2`, `wish3`: a site id or a kommunkod, empty for none), and their needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WishesInput {
    pub wish1: String,
    pub wish2: String,
    pub wish3: String,
    pub no_driving_licence: String,
    pub needs_public_transport: String,
    pub priority: String,
    pub note: String,
}

impl WishesInput {
    /// The wishes and needs of `s` as the form shows them.
    pub fn of(s: &VfuStudent) -> Self {
        let i = StudentInput::from_student(s);
        let wish = |n: usize| s.wishes.get(n).map(|w| w.as_text()).unwrap_or_default();
        Self {
            wish1: wish(0),
            wish2: wish(1),
            wish3: wish(2),
            no_driving_licence: i.no_driving_licence,
            needs_public_transport: i.needs_public_transport,
            priority: i.priority,
            note: i.note,
        }
    }

    /// What [`WishesInput::apply`] to `s` looks up besides the reference tables: the period of
    /// `s` and the sites wished for (each wish whole, and as the student form reads the list).
    pub fn refs(&self, s: &VfuStudent) -> VfuRefs {
        let wishes = [&self.wish1, &self.wish2, &self.wish3].map(|w| w.trim());
        let mut refs = StudentInput {
            period_id: s.period_id.to_string(),
            wishes: wishes.join("|"),
            ..Default::default()
        }
        .refs();
        for w in wishes.into_iter().filter(|w| !w.is_empty()) {
            if let Wish::Site(id) = Wish::parse(w) {
                refs.sites.insert(id);
            }
        }
        refs
    }

    /// `s` with these wishes and needs and nothing else changed, validated by the same rules as
    /// the coordinators' student form ([`StudentInput::parse`]). A wish that repeats an earlier
    /// one or names no known site or municipality is reported on its own field (`wish2`, …).
    pub fn apply(&self, s: &VfuStudent, ctx: &VfuContext) -> Result<VfuStudent, Vec<FieldError>> {
        let mut own: Vec<FieldError> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for (field, raw) in [("wish1", &self.wish1), ("wish2", &self.wish2), ("wish3", &self.wish3)] {
            let t = raw.trim();
            if t.is_empty() {
                continue;
            }
            let w = Wish::parse(t);
            if texts.contains(&w.as_text()) {
                own.push(FieldError::of(
                    field,
                    FieldProblem::Twice {
                        noun: "wish".into(),
                        value: w.as_text(),
                    },
                ));
                continue;
            }
            match &w {
                Wish::Site(id) if !ctx.sites.contains_key(id) => {
                    own.push(FieldError::of(field, FieldProblem::WishNoSite { id: id.to_string() }))
                }
                Wish::Municipality(k) if !ctx.knows_municipality(*k) => own.push(FieldError::of(
                    field,
                    FieldProblem::UnknownKommunkod { code: k.to_string() },
                )),
                _ => {}
            }
            texts.push(w.as_text());
        }
        let mut input = StudentInput::from_student(s);
        input.wishes = [&self.wish1, &self.wish2, &self.wish3]
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("|");
        input.no_driving_licence = self.no_driving_licence.clone();
        input.needs_public_transport = self.needs_public_transport.clone();
        input.priority = self.priority.clone();
        input.note = self.note.clone();
        let parsed = input.parse(ctx);
        let mut errors = own;
        match parsed {
            Ok(p) if errors.is_empty() => {
                let mut out = s.clone();
                out.wishes = p.wishes;
                out.needs = p.needs;
                Ok(out)
            }
            Ok(_) => Err(errors),
            Err(e) => {
                let per_wish = !errors.is_empty();
                errors.extend(e.into_iter().filter(|x| !(per_wish && x.field == "wishes")));
                Err(errors)
            }
        }
    }
}
