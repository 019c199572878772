//! Swedish first, English second: Fluent bundles and locale-aware number formatting.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

/// The languages of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sv" => Some(Self::Sv),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language, for the language switch.
    pub fn other(self) -> Self {
        match self {
            Self::Sv => Self::En,
            Self::En => Self::Sv,
        }
    }
}

/// One Fluent file per language in each folder of `locales/`: `common` (the page chrome and
/// words every page uses), one folder per capability with the same name as its module
/// (`region`, `catalogue`, `accounts`, `vfu`, `allocation`, `forecast`), and `errors` (the
/// field errors of `ui::field_errors`). A key is defined in exactly one folder (Fluent refuses
/// a second definition when the bundle is built).
macro_rules! locale_folders {
    ($($folder:literal),* $(,)?) => {
        [$(($folder, [
            include_str!(concat!("../../locales/", $folder, "/sv.ftl")),
            include_str!(concat!("../../locales/", $folder, "/en.ftl")),
        ])),*]
    };
}
const FOLDERS: [(&str, [&str; 2]); 9] = locale_folders!(
    "common",
    "region",
    "catalogue",
    "accounts",
    "vfu",
    "allocation",
    "forecast",
    "sync",
    "errors"
);

/// The index of `lang`'s file in each folder of [`FOLDERS`].
fn file_index(lang: Lang) -> usize {
    match lang {
        Lang::Sv => 0,
        Lang::En => 1,
    }
}

/// `lang`'s Fluent sources: (folder, text).
fn sources(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    FOLDERS
        .iter()
        .map(move |(folder, files)| (*folder, files[file_index(lang)]))
}

/// The keys one Fluent source defines.
fn keys_of(src: &str) -> impl Iterator<Item = String> + '_ {
    src.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" ="))
        .filter_map(|l| l.split(" =").next().map(str::to_string))
}

/// The message catalogues of every language.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

impl I18n {
    /// Load the embedded catalogues. They are part of the binary, so an error is a build bug:
    /// tests parse them, and this reports the first problem rather than panicking.
    pub fn load() -> Result<Self, String> {
        let mut bundles = HashMap::new();
        for lang in [Lang::Sv, Lang::En] {
            let id: LanguageIdentifier = match lang {
                Lang::Sv => langid!("sv-SE"),
                Lang::En => langid!("en-GB"),
            };
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: the pages are plain text.
            bundle.set_use_isolating(false);
            for (folder, src) in sources(lang) {
                let file = format!("locales/{folder}/{}.ftl", lang.code());
                let res = FluentResource::try_new(src.to_string()).map_err(|(_, errs)| format!("{file}: {errs:?}"))?;
                bundle.add_resource(res).map_err(|errs| format!("{file}: {errs:?}"))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Self { bundles })
    }

    /// The message `key` in `lang`, with `args` filled in. A missing key shows as the key
    /// itself (and a test makes sure none is missing).
    pub fn message(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = self.bundles.get(&lang) else {
            return key.to_string();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, if args.is_empty() { None } else { Some(&fargs) }, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, lang = lang.code(), ?errors, "translation error");
        }
        out.into_owned()
    }

    /// The keys of a language's catalogue (for the completeness test).
    pub fn keys(lang: Lang) -> Vec<String> {
        sources(lang).flat_map(|(_, src)| keys_of(src)).collect()
    }
}

/// An integer with the language's thousands separator: `76 542` (no-break space) in Swedish,
/// `76,542` in English.
pub fn format_int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Sv => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal number with `decimals` places: decimal comma in Swedish, point in English.
pub fn format_decimal(lang: Lang, x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    match lang {
        Lang::Sv => s.replace('.', ",").replace('-', "−"),
        Lang::En => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_load_and_have_the_same_keys() {
        I18n::load().unwrap();
        let mut sv = I18n::keys(Lang::Sv);
        let mut en = I18n::keys(Lang::En);
        sv.sort();
        en.sort();
        assert!(sv.len() > 40, "{sv:?}");
        assert_eq!(sv, en, "sv.ftl and en.ftl must define the same keys");
    }

    #[test]
    fn each_folder_defines_the_same_keys_in_both_languages() {
        for (folder, [sv, en]) in FOLDERS {
            let mut sv: Vec<String> = keys_of(sv).collect();
            let mut en: Vec<String> = keys_of(en).collect();
            sv.sort();
            en.sort();
            assert!(!sv.is_empty(), "locales/{folder} is empty");
            assert_eq!(sv, en, "locales/{folder}/sv.ftl and en.ftl must define the same keys");
        }
    }

    #[test]
    fn messages_with_arguments() {
        let i = I18n::load().unwrap();
        let args = [("minutes", FluentValue::from(42))];
        assert_eq!(i.message(Lang::Sv, "minutes", &args), "42 min");
        assert_eq!(i.message(Lang::En, "nav-start", &[]), "Home");
        assert_eq!(i.message(Lang::Sv, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn numbers() {
        let cases = [
            (0, "0", "0"),
            (999, "999", "999"),
            (2387, "2\u{a0}387", "2,387"),
            (133091, "133\u{a0}091", "133,091"),
            (1234567, "1\u{a0}234\u{a0}567", "1,234,567"),
            (-1500, "−1\u{a0}500", "−1,500"),
        ];
        for (n, sv, en) in cases {
            assert_eq!(format_int(Lang::Sv, n), sv);
            assert_eq!(format_int(Lang::En, n), en);
        }
        assert_eq!(format_decimal(Lang::Sv, 65.5333, 2), "65,53");
        assert_eq!(format_decimal(Lang::En, 65.5333, 2), "65.53");
    }
}
