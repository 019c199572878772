//! Input values of the VFU API: [`Flex`], a field that takes a JSON string, number, boolean,
//! null or list, kept as the text the core validation reads.

use super::*;

/// A value of an input field: a JSON string, number, boolean or null, or a list of them.
/// Kept as the text the core validation reads (lists joined with `|`, or `,` for subjects).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flex {
    text: String,
    list: Option<Vec<String>>,
}

impl Flex {
    pub(super) fn joined(&self, sep: &str) -> String {
        self.list
            .as_ref()
            .map(|l| l.join(sep))
            .unwrap_or_else(|| self.text.clone())
    }
}

pub(super) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

impl<'de> Deserialize<'de> for Flex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        if let Value::Array(items) = &v {
            let list = items
                .iter()
                .map(scalar)
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| D::Error::custom("expected a list of strings"))?;
            return Ok(Flex {
                text: list.join("|"),
                list: Some(list),
            });
        }
        scalar(&v)
            .map(|text| Flex { text, list: None })
            .ok_or_else(|| D::Error::custom("expected a string, a number, true/false or a list of strings"))
    }
}

pub(super) fn text(f: &Option<Flex>) -> String {
    f.as_ref().map(|f| f.joined("|")).unwrap_or_default()
}

pub(super) fn subjects_text(f: &Option<Flex>) -> String {
    f.as_ref().map(|f| f.joined(",")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flex_takes_strings_numbers_booleans_and_lists() {
        let v: BTreeMap<String, Flex> = serde_json::from_str(
            r#"{"a": "x", "b": 87.5, "c": true, "d": null, "e": ["svenska", "matte"], "f": 2422}"#,
        )
        .unwrap();
        assert_eq!(v["a"].joined("|"), "x");
        assert_eq!(v["b"].joined("|"), "87.5");
        assert_eq!(v["c"].joined("|"), "true");
        assert_eq!(v["d"].joined("|"), "");
        assert_eq!(v["e"].joined("|"), "svenska|matte");
        assert_eq!(v["e"].joined(","), "svenska,matte");
        assert_eq!(v["f"].joined("|"), "2422");
        assert!(serde_json::from_str::<Flex>(r#"{"x": 1}"#).is_err());
        assert!(serde_json::from_str::<Flex>(r#"[{"x": 1}]"#).is_err());
    }
}
