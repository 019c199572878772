//! Which addresses become links: worked examples and proptest.

use super::*;
use proptest::strategy::Strategy;

#[test]
fn accepted_and_normalised() {
    let cases = [
        ("https://www.antagning.se/", "https://www.antagning.se/"),
        ("http://umu.se", "http://umu.se"),
        (
            "  https://www.umu.se/utbildning/kurser/handledning-vfu/\u{a0}",
            "https://www.umu.se/utbildning/kurser/handledning-vfu/",
        ),
        ("HTTPS://Example.SE/Path?q=1#frag", "https://Example.SE/Path?q=1#frag"),
        ("HtTp://example.se:8080/a", "http://example.se:8080/a"),
        (
            "https://www.antagning.se/se/search?freeText=VASJP",
            "https://www.antagning.se/se/search?freeText=VASJP",
        ),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        ("https://[2001:db8::1]:443", "https://[2001:db8::1]:443"),
        ("https://10.0.0.1/", "https://10.0.0.1/"),
        ("https://högskolan.se/", "https://högskolan.se/"),
        ("https://a.se?x", "https://a.se?x"),
        ("https://a.se#x", "https://a.se#x"),
        ("https://fqdn.se./", "https://fqdn.se./"),
        ("https://a.se/%20space-encoded", "https://a.se/%20space-encoded"),
    ];
    for (input, want) in cases {
        let u = WebUrl::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(u.as_str(), want, "{input:?}");
        assert_eq!(u.to_string(), want, "{input:?}");
    }
}

/// Whether an error is the one expected.
type Expect = fn(&WebUrlError) -> bool;

#[test]
fn refused_with_the_reason() {
    use WebUrlError as E;
    let cases: &[(&str, Expect)] = &[
        ("", |e| matches!(e, E::Empty)),
        ("   ", |e| matches!(e, E::Empty)),
        ("javascript:alert(1)", |e| matches!(e, E::Scheme { .. })),
        (" JaVaScRiPt:alert(1)", |e| matches!(e, E::Scheme { .. })),
        ("data:text/html,<script>alert(1)</script>", |e| {
            matches!(e, E::Scheme { .. })
        }),
        ("vbscript:msgbox", |e| matches!(e, E::Scheme { .. })),
        ("file:///etc/passwd", |e| matches!(e, E::Scheme { .. })),
        ("ftp://example.se/", |e| matches!(e, E::Scheme { .. })),
        ("mailto:a@b.se", |e| matches!(e, E::Scheme { .. })),
        ("www.antagning.se", |e| matches!(e, E::NotAbsolute)),
        ("/utbildning", |e| matches!(e, E::NotAbsolute)),
        ("//evil.example/", |e| matches!(e, E::NotAbsolute)),
        ("https:evil.example", |e| matches!(e, E::NoHost)),
        ("https:/evil.example", |e| matches!(e, E::NoHost)),
        ("https:\\\\evil.example", |e| matches!(e, E::NoHost)),
        ("https://", |e| matches!(e, E::NoHost)),
        ("https:///path", |e| matches!(e, E::NoHost)),
        ("https://:443/", |e| matches!(e, E::NoHost)),
        ("https://a.se\\@evil.example/", |e| matches!(e, E::Host(_))),
        ("https://user:pw@example.se/", |e| matches!(e, E::Host(_))),
        ("https://exa mple.se/", |e| matches!(e, E::Whitespace)),
        ("https://example.se/a b", |e| matches!(e, E::Whitespace)),
        ("https://example.se/a\u{a0}b", |e| matches!(e, E::Whitespace)),
        ("java\tscript:alert(1)", |e| matches!(e, E::Control)),
        ("https://example.se/\u{0}", |e| matches!(e, E::Control)),
        ("https://example.se/\u{7f}", |e| matches!(e, E::Control)),
        ("https://example.se/\u{85}", |e| matches!(e, E::Control)),
        ("https://ex\nample.se/", |e| matches!(e, E::Control)),
        ("https://example.se/\n", |e| matches!(e, E::Control)),
        ("\thttps://example.se/", |e| matches!(e, E::Control)),
        ("https://example.se:99999/", |e| matches!(e, E::Port(_))),
        ("https://example.se:/", |e| matches!(e, E::Port(_))),
        ("https://example.se:8a/", |e| matches!(e, E::Port(_))),
        ("https://exa<mple.se/", |e| matches!(e, E::Host(_))),
        ("https://a..se/", |e| matches!(e, E::Host(_))),
        ("https://[::1/", |e| matches!(e, E::Host(_))),
        ("https://[]/", |e| matches!(e, E::Host(_))),
        ("https://[fe80::1%25eth0]/", |e| matches!(e, E::Host(_))),
    ];
    for (input, is_expected) in cases {
        let e = WebUrl::parse(input).expect_err(input);
        assert!(is_expected(&e), "{input:?}: {e:?}");
        // The message names the value (or says it is empty).
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn serde_is_the_text_and_deserialising_checks() {
    let u = WebUrl::parse("https://umu.se/").unwrap();
    assert_eq!(serde_json::to_string(&u).unwrap(), "\"https://umu.se/\"");
    let back: WebUrl = serde_json::from_str("\"https://umu.se/\"").unwrap();
    assert_eq!(back, u);
    assert!(serde_json::from_str::<WebUrl>("\"javascript:alert(1)\"").is_err());
    assert_eq!(WebUrl::parse_opt(Some(" https://umu.se/ ")), Some(u));
    assert_eq!(WebUrl::parse_opt(Some("data:,x")), None);
    assert_eq!(WebUrl::parse_opt(None), None);
}

fn mixed_case(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// No string that starts (after trimming and in any case) with a script, data or file
    /// scheme is ever accepted, whatever follows it.
    #[test]
    fn dangerous_schemes_are_never_accepted(
        scheme in proptest::sample::select(vec!["javascript:", "data:", "vbscript:", "file:"]),
        mask in proptest::prelude::any::<u64>(),
        before in "[ \t\r\n\u{a0}\u{3000}]{0,3}",
        rest in proptest::prelude::any::<String>(),
    ) {
        let s = format!("{before}{}{rest}", mixed_case(scheme, mask));
        proptest::prop_assert!(WebUrl::parse(&s).is_err(), "{:?}", s);
    }

    /// No string with a control character anywhere is ever accepted.
    #[test]
    fn control_characters_are_never_accepted(
        head in "(https?://)?[a-z.]{0,8}",
        control in proptest::prelude::any::<char>().prop_filter("a control character", |c| c.is_control()),
        tail in proptest::prelude::any::<String>(),
    ) {
        let s = format!("{head}{control}{tail}");
        proptest::prop_assert!(WebUrl::parse(&s).is_err(), "{:?}", s);
    }

    /// Whatever is accepted is an http(s) link with a host and no whitespace or control
    /// character, and parses again to itself.
    #[test]
    fn what_is_accepted_is_a_web_link(s in "(?i:https?)://[a-z0-9.:@\\[\\]-]{0,12}[/?#]?[ -~]{0,12}", any in proptest::prelude::any::<String>()) {
        for input in [s.as_str(), any.as_str()] {
            if let Ok(u) = WebUrl::parse(input) {
                let t = u.as_str();
                proptest::prop_assert!(t.starts_with("http://") || t.starts_with("https://"), "{:?}", t);
                proptest::prop_assert!(!t.chars().any(|c| c.is_control() || c.is_whitespace()), "{:?}", t);
                let host = t.split_once("://").unwrap().1;
                proptest::prop_assert!(!host.is_empty() && !matches!(host.as_bytes()[0], b'/' | b'?' | b'#' | b':'), "{:?}", t);
                let again = WebUrl::parse(t);
                proptest::prop_assert_eq!(again, Ok(u.clone()));
            }
        }
    }
}
