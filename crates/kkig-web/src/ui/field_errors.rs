//! Field errors of kkig-core on the pages, in the page's language: "Label: what is wrong".
//!
//! Core describes each problem as data ([`FieldProblem`]); its English message is for the API
//! and the CLI. The pages render the problem from the catalogue instead (`err-KEY` in
//! `locales/errors/*.ftl`) with the field's label as `$field`. Codes among the arguments
//! (fields, site kinds, tasks, statuses) are shown by their names in the page's language.

use fluent_bundle::FluentValue;
use kkig_core::vfu::{FieldError, FieldProblem};

use crate::ui::page::Chrome;

/// The catalogue key of a problem (`Other` has none).
pub fn message_key(p: &FieldProblem) -> String {
    format!("err-{}", p.key())
}

/// The text of `e` for the field labelled `label` (empty: an error of the whole form). A
/// message core did not describe as data (`Other`) is shown as it is, after the label.
pub fn error_text(chrome: &Chrome, label: &str, e: &FieldError) -> String {
    match &e.problem {
        FieldProblem::Other if label.is_empty() => e.message.clone(),
        FieldProblem::Other => format!("{label}: {}", e.message),
        p => {
            let mut args: Vec<(&str, FluentValue<'_>)> = localized_args(chrome, p)
                .into_iter()
                .map(|(k, v)| (k, value(k, v)))
                .collect();
            args.push(("field", FluentValue::from(label.to_string())));
            chrome.message(&message_key(p), &args)
        }
    }
}

/// An argument for the catalogue: counts as numbers, so that a message can choose the plural
/// form; everything else as text.
fn value(name: &str, v: String) -> FluentValue<'static> {
    match (name, v.parse::<i64>()) {
        ("count", Ok(n)) => FluentValue::from(n),
        _ => FluentValue::from(v),
    }
}

/// The problem's arguments with codes replaced by their names on the pages.
fn localized_args(chrome: &Chrome, p: &FieldProblem) -> Vec<(&'static str, String)> {
    let name = |prefix: &str, code: &str| chrome.t(&format!("{prefix}-{code}"));
    let mut args = p.args();
    for (k, v) in args.iter_mut() {
        let renamed = match (p, *k) {
            (FieldProblem::WrongArea { .. }, "kind") => name("vfu-kind", v),
            (
                FieldProblem::WrongArea { .. }
                | FieldProblem::NotPeriodField { .. }
                | FieldProblem::SiteLacksField { .. },
                "given" | "period_field",
            ) => name("vfu-field", v),
            (FieldProblem::Twice { noun, .. }, "value") if noun == "field" => name("vfu-field", v),
            (FieldProblem::RequiredWith { .. } | FieldProblem::RequiredWhen { .. }, "other") => name("vfu-col", v),
            (FieldProblem::RequiredWhen { other, .. }, "value") if other == "training" || other == "invite" => {
                name(&format!("vfu-{other}"), v)
            }
            (FieldProblem::TransitionNotAllowed { .. }, "from" | "to") if v != "new" => name("vfu-status", v),
            (FieldProblem::TransitionNotAllowed { .. }, "allowed") => {
                let names: Vec<String> = v
                    .split(", ")
                    .filter(|s| kkig_core::vfu::PlacementStatus::parse(s).is_some())
                    .map(|s| name("vfu-status", s))
                    .collect();
                if names.is_empty() {
                    chrome.t("err-nothing")
                } else {
                    names.join(", ")
                }
            }
            (FieldProblem::BeforeLastStep { .. }, "last") => name("vfu-status", v),
            (FieldProblem::NoSiteFields { .. } | FieldProblem::NoSupervisorFields { .. }, "codes") => v
                .split(", ")
                .map(|c| {
                    if kkig_core::vfu::VfuField::parse(c).is_some() {
                        name("vfu-field", c)
                    } else {
                        c.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            (FieldProblem::Unknown { .. }, "expected") => v.strip_prefix("one of ").unwrap_or(v).to_string(),
            (
                FieldProblem::TaskMissing { .. }
                | FieldProblem::TaskAccountable { .. }
                | FieldProblem::TaskNoResponsible { .. }
                | FieldProblem::TaskTwice { .. },
                "task",
            ) => name("vfu-task", v),
            _ => continue,
        };
        *v = renamed;
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::{I18n, Lang};

    /// Every problem core can report has a message in Swedish and in English, and each message
    /// uses the label and fills in every argument it names.
    #[test]
    fn every_problem_has_a_swedish_and_an_english_message() {
        let i18n = I18n::load().unwrap();
        let examples = FieldProblem::examples();
        assert!(examples.len() > 50, "{}", examples.len());
        for lang in [Lang::Sv, Lang::En] {
            let keys = I18n::keys(lang);
            for p in &examples {
                let key = message_key(p);
                assert!(keys.contains(&key), "{key} is missing in {}", lang.code());
                let mut args: Vec<(&str, FluentValue<'_>)> =
                    p.args().into_iter().map(|(k, v)| (k, value(k, v))).collect();
                args.push(("field", FluentValue::from("ETIKETT")));
                let text = i18n.message(lang, &key, &args);
                assert!(
                    text.starts_with("ETIKETT"),
                    "{key} ({}) names the field first: {text}",
                    lang.code()
                );
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{key} ({}) has an argument core does not give: {text}",
                    lang.code()
                );
            }
        }
        // The catalogues have no err- message that no problem uses (but the shared ones).
        for lang in [Lang::Sv, Lang::En] {
            for key in I18n::keys(lang).into_iter().filter(|k| k.starts_with("err-")) {
                assert!(
                    key == "err-nothing" || examples.iter().any(|p| message_key(p) == key),
                    "{key} ({}) is not used",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn counts_choose_the_plural_form() {
        let i18n = I18n::load().unwrap();
        let text = |lang, n: i64| {
            let p = FieldProblem::SiteHasPlacements {
                id: "s-1".into(),
                count: n,
            };
            let mut args: Vec<(&str, FluentValue<'_>)> = p.args().into_iter().map(|(k, v)| (k, value(k, v))).collect();
            args.push(("field", FluentValue::from("Id")));
            i18n.message(lang, &message_key(&p), &args)
        };
        assert_eq!(
            text(Lang::Sv, 1),
            "Id: VFU-platsen s-1 har en placering; återta eller flytta den först."
        );
        assert_eq!(
            text(Lang::Sv, 3),
            "Id: VFU-platsen s-1 har 3 placeringar; återta eller flytta dem först."
        );
        assert_eq!(
            text(Lang::En, 1),
            "Id: the placement site s-1 has one placement; withdraw or move it first."
        );
    }
}
