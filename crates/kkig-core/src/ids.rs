//! Typed ids of the VFU registry and the accounts: one newtype per kind of record, so that a
//! site id cannot be passed where a period id is expected.
//!
//! Each id is the text the store keeps (`demo-2463-001`, a UUID, `s-1`) and nothing more: no
//! check of its shape (that is the input validation's, `vfu::input`), serialised as the plain
//! string (`#[serde(transparent)]`), shown and debugged as the string, ordered and hashed as
//! the string, and borrowed as `str`, so that `map.get("s-1")` finds it in a `HashMap` or a
//! `BTreeMap` keyed by the id. Raw text a user typed (form fields, file cells) stays a
//! `String` until it is parsed into a record.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Defines an id newtype over `String` with its conversions and comparisons.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }

            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        /// The string's own `Debug` (`"s-1"`), so that messages and logs read as before.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.clone()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id! {
    /// A placement site (VFU-plats) of the registry.
    SiteId
}

id! {
    /// A VFU period of a university course.
    PeriodId
}

id! {
    /// A student on a VFU period (the record, not the person: one person may be a student on
    /// several periods).
    StudentId
}

id! {
    /// A placement of a student at a site.
    PlacementId
}

id! {
    /// A supervisor's record (handledare) kept by their municipality.
    SupervisorId
}

id! {
    /// A person: who a supervisor, a student, a contact or an account holder is (name and
    /// e-mail live with the person).
    PersonId
}

id! {
    /// A user account (sign-in), which belongs to one person.
    UserId
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

    use super::*;

    #[test]
    fn serde_is_the_plain_string() {
        let id = SiteId::new("demo-2463-001");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#""demo-2463-001""#);
        assert_eq!(serde_json::from_str::<SiteId>(&json).unwrap(), id);
        let ids: Vec<PeriodId> = serde_json::from_str(r#"["p-1","p-2"]"#).unwrap();
        assert_eq!(ids, vec![PeriodId::from("p-1"), PeriodId::from("p-2")]);
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Row {
            site_id: Option<SiteId>,
            user_id: UserId,
        }
        let row = Row {
            site_id: Some("s-1".into()),
            user_id: "u-1".into(),
        };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"{"site_id":"s-1","user_id":"u-1"}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        assert!(serde_json::from_str::<SiteId>("12").is_err());
    }

    #[test]
    fn shown_and_debugged_as_the_string() {
        let id = StudentId::new("st-1");
        assert_eq!(id.to_string(), "st-1");
        assert_eq!(format!("{id:?}"), format!("{:?}", "st-1"));
        assert_eq!(format!("{id:>6}|"), "  st-1|");
        assert_eq!(id.as_str(), "st-1");
        assert_eq!(AsRef::<str>::as_ref(&id), "st-1");
        assert_eq!(String::from(id.clone()), "st-1");
        assert_eq!(String::from(&id), "st-1");
        assert_eq!(id.clone().into_string(), "st-1");
        assert!(PlacementId::default().is_empty());
        assert_eq!(SupervisorId::from(String::from("h-1")), SupervisorId::new("h-1"));
        assert_eq!(PersonId::from(&String::from("x")), PersonId::new("x"));
    }

    #[test]
    fn compared_with_text() {
        let id = SiteId::new("s-1");
        assert!(id == "s-1");
        assert!(id == *"s-1");
        let text = String::from("s-1");
        assert!(id == text);
        assert!("s-1" == id);
        assert!(text == id);
        assert!(id != "s-2");
    }

    #[test]
    fn ordered_as_the_string() {
        let mut ids: Vec<PeriodId> = ["p-10", "p-2", "P-1", "p-1"].into_iter().map(PeriodId::from).collect();
        ids.sort();
        let sorted: Vec<&str> = ids.iter().map(PeriodId::as_str).collect();
        assert_eq!(sorted, ["P-1", "p-1", "p-10", "p-2"]);
        assert!(SiteId::new("a") < SiteId::new("b"));
    }

    #[test]
    fn looked_up_by_str() {
        let mut hash: HashMap<SiteId, u32> = HashMap::new();
        hash.insert(SiteId::new("demo-2463-001"), 3);
        assert_eq!(hash.get("demo-2463-001"), Some(&3));
        assert_eq!(hash.get("demo-2463-002"), None);
        let tree: BTreeMap<PeriodId, &str> = [(PeriodId::new("p-2"), "b"), (PeriodId::new("p-1"), "a")].into();
        assert_eq!(tree.get("p-1"), Some(&"a"));
        assert_eq!(tree.keys().next().map(PeriodId::as_str), Some("p-1"));
        let set: BTreeSet<UserId> = [UserId::new("u-1")].into();
        assert!(set.contains("u-1"));
        let set: HashSet<PersonId> = [PersonId::new("me")].into();
        assert!(set.contains("me"));
    }
}
