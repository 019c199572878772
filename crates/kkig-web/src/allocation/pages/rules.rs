//! The rules form of the allocation page: reading, validating and saving a university's rules.

use super::*;

/// An input of the rules form, labelled from the rule's name.
pub(super) fn rule_field(chrome: &Chrome, name: &'static str, kind: &'static str, value: String) -> Field {
    let label = chrome.t(&format!("alloc-rule-{}", name.replace('_', "-")));
    let hint = chrome.t(&format!("alloc-rule-{}-hint", name.replace('_', "-")));
    Field::new("f", name, label, kind, &value).hint(hint)
}

/// Put each error next to its field (the first per field) and into the summary.
pub(super) fn attach(fields: &mut [Field], errors: &[(String, String)]) -> Vec<Problem> {
    let mut out = Vec::new();
    for f in fields.iter_mut() {
        for (_, text) in errors.iter().filter(|(n, _)| n == f.name) {
            out.push(Problem {
                target: f.id(),
                text: text.clone(),
            });
            if f.error.is_none() {
                f.error = Some(text.clone());
            }
        }
    }
    for (n, text) in errors.iter().filter(|(n, _)| !fields.iter().any(|f| f.name == n)) {
        out.push(Problem {
            target: String::new(),
            text: format!("{n}: {text}"),
        });
    }
    out
}

pub(super) const RULE_NAMES: [&str; 9] = [
    "max_travel_minutes",
    "road_factor",
    "speed_kmh",
    "home_municipality_bonus",
    "preference_bonus_1",
    "preference_bonus_2",
    "preference_bonus_3",
    "move_penalty",
    "unplaced_penalty",
];

/// The rules form as posted: every value as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RulesForm {
    pub max_travel_minutes: String,
    pub road_factor: String,
    pub speed_kmh: String,
    pub home_municipality_bonus: String,
    pub preference_bonus_1: String,
    pub preference_bonus_2: String,
    pub preference_bonus_3: String,
    pub move_penalty: String,
    pub unplaced_penalty: String,
}

impl RulesForm {
    pub(super) fn of(chrome: &Chrome, r: &Rules) -> Self {
        let b = |k: usize| r.preference_bonus.get(k).copied().unwrap_or(0).to_string();
        Self {
            max_travel_minutes: r.max_travel_minutes.to_string(),
            road_factor: decimal(chrome, r.road_factor),
            speed_kmh: decimal(chrome, r.speed_kmh),
            home_municipality_bonus: r.home_municipality_bonus.to_string(),
            preference_bonus_1: b(0),
            preference_bonus_2: b(1),
            preference_bonus_3: b(2),
            move_penalty: r.move_penalty.to_string(),
            unplaced_penalty: r.unplaced_penalty.to_string(),
        }
    }

    fn value(&self, name: &str) -> &str {
        match name {
            "max_travel_minutes" => &self.max_travel_minutes,
            "road_factor" => &self.road_factor,
            "speed_kmh" => &self.speed_kmh,
            "home_municipality_bonus" => &self.home_municipality_bonus,
            "preference_bonus_1" => &self.preference_bonus_1,
            "preference_bonus_2" => &self.preference_bonus_2,
            "preference_bonus_3" => &self.preference_bonus_3,
            "move_penalty" => &self.move_penalty,
            _ => &self.unplaced_penalty,
        }
    }

    pub(super) fn fields(&self, chrome: &Chrome) -> Vec<Field> {
        RULE_NAMES
            .iter()
            .map(|n| rule_field(chrome, n, "text", self.value(n).to_string()))
            .collect()
    }

    /// The rules, or an error per bad field in the page's language. `old` gives the preference
    /// bonuses beyond the third (set through the API), which the form keeps.
    pub(super) fn parse(&self, chrome: &Chrome, old: &Rules) -> Result<Rules, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let label = |n: &str| chrome.t(&format!("alloc-rule-{}", n.replace('_', "-")));
        let mut int = |n: &'static str, min: i64, max: i64| -> i64 {
            let raw: String = self
                .value(n)
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == '−' { '-' } else { c })
                .collect();
            if raw.is_empty() {
                errors.push((n.to_string(), chrome.t1("alloc-error-required", "field", &label(n))));
                return 0;
            }
            match raw.parse::<i64>() {
                Ok(v) if (min..=max).contains(&v) => v,
                Ok(_) => {
                    errors.push((
                        n.to_string(),
                        chrome.i18n_args(
                            "alloc-error-int-range",
                            &[("field", label(n)), ("min", chrome.int(min)), ("max", chrome.int(max))],
                        ),
                    ));
                    0
                }
                Err(_) => {
                    errors.push((n.to_string(), chrome.t1("alloc-error-int", "field", &label(n))));
                    0
                }
            }
        };
        let max_travel_minutes = int("max_travel_minutes", 0, MAX_TRAVEL_LIMIT);
        let home_municipality_bonus = int("home_municipality_bonus", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b1 = int("preference_bonus_1", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b2 = int("preference_bonus_2", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let b3 = int("preference_bonus_3", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let move_penalty = int("move_penalty", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let unplaced_penalty = int("unplaced_penalty", -MAX_RULE_MAGNITUDE, MAX_RULE_MAGNITUDE);
        let mut dec = |n: &'static str, max: f64| -> f64 {
            let raw: String = self
                .value(n)
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == ',' { '.' } else { c })
                .collect();
            if raw.is_empty() {
                errors.push((n.to_string(), chrome.t1("alloc-error-required", "field", &label(n))));
                return 0.0;
            }
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v > 0.0 && v <= max => v,
                _ => {
                    errors.push((
                        n.to_string(),
                        chrome.i18n_args(
                            "alloc-error-decimal-range",
                            &[("field", label(n)), ("max", chrome.int(max as i64))],
                        ),
                    ));
                    0.0
                }
            }
        };
        let road_factor = dec("road_factor", 100.0);
        let speed_kmh = dec("speed_kmh", 10_000.0);
        if !errors.is_empty() {
            // In the order of the form.
            errors.sort_by_key(|(n, _)| RULE_NAMES.iter().position(|x| x == n));
            return Err(errors);
        }
        let mut preference_bonus = vec![b1, b2, b3];
        preference_bonus.extend(old.preference_bonus.iter().skip(3));
        Ok(Rules {
            max_travel_minutes,
            road_factor,
            speed_kmh,
            home_municipality_bonus,
            preference_bonus,
            move_penalty,
            unplaced_penalty,
        })
    }
}

pub(super) fn decimal(chrome: &Chrome, x: f64) -> String {
    let s = format!("{x}");
    if chrome.lang == crate::ui::i18n::Lang::Sv {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The store's field errors with the form's field names (`preference_bonus[0]` →
/// `preference_bonus_1`).
pub(super) fn store_field_errors(chrome: &Chrome, errors: &[FieldError]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| {
            let name = match e
                .field
                .strip_prefix("preference_bonus[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|k| k.parse::<usize>().ok())
            {
                Some(k) if k < 3 => format!("preference_bonus_{}", k + 1),
                _ => e.field.clone(),
            };
            let label = if RULE_NAMES.contains(&name.as_str()) {
                chrome.t(&format!("alloc-rule-{}", name.replace('_', "-")))
            } else {
                name.clone()
            };
            (name, format!("{label}: {}", e.message))
        })
        .collect()
}
