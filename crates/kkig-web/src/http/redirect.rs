//! Where a response may send the browser: `next` after login only as a path on this site,
//! each role's home page, and a 303 that never panics on what it is given.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kkig_core::access::Role;

/// `next` when it is a path on this site, or None when it could lead anywhere else.
///
/// Accepted only when, both as given and with its `%XX` escapes decoded, it starts with
/// exactly one `/`, holds no `//` and no backslash anywhere, and no control character at all
/// (C0, DEL, C1, Unicode format controls, line separators); unescaped whitespace is refused
/// too. Browsers drop tabs and newlines from URLs and read `\` as `/`, so `/<TAB>/evil.example`
/// or `/\evil.example` would leave the site, and a newline cannot go into a header at all.
pub fn safe_next(next: &str) -> Option<&str> {
    let same_site =
        |s: &str| s.starts_with('/') && !s.contains("//") && !s.contains('\\') && !s.chars().any(is_control);
    let ok = same_site(next) && !next.chars().any(char::is_whitespace) && same_site(&percent_decode(next));
    ok.then_some(next)
}

/// A control character of any kind: C0, DEL and C1 (`char::is_control`), the Unicode format
/// controls (category Cf: bidirectional overrides, zero-width characters, the BOM, …) and the
/// line and paragraph separators.
pub fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// `%XX` escapes decoded (invalid UTF-8 replaced); anything else kept as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page a user lands on after signing in without (a safe) `next`.
pub fn home_for(role: Role, scope: Option<&str>) -> String {
    // A scope is a kommunkod or a university code; anything else would not make a path.
    let scope = scope.filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    match (role, scope) {
        (Role::Municipality, Some(s)) => format!("/vfu/kommun/{s}"),
        (Role::University, Some(s)) => format!("/vfu/larosate/{s}"),
        (Role::Student | Role::Supervisor, _) => "/vfu/min".into(),
        (Role::Admin, _) => "/admin/anvandare".into(),
        (Role::Regional, _) => "/vfu".into(),
        (Role::Provider | Role::Municipality | Role::University, _) => "/konto".into(),
    }
}

/// `303 See Other` to `location`. Unlike `axum::response::Redirect::to` it never panics:
/// control bytes (which cannot stand in a header, or which browsers drop from URLs) are sent
/// percent-encoded; every other byte is kept.
pub fn see_other(location: &str) -> Response {
    let mut bytes = Vec::with_capacity(location.len());
    for b in location.bytes() {
        if b < 0x20 || b == 0x7f {
            bytes.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            bytes.push(b);
        }
    }
    let value = HeaderValue::from_bytes(&bytes).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_followed_only_as_a_path_on_this_site() {
        let refused = [
            "",
            "konto",
            "/\t/evil.example",
            "\t/konto",
            "/kon\rto",
            "/konto\n",
            "/\r\nSet-Cookie: a=b",
            "//evil.example",
            "///evil.example",
            "/konto//x",
            "/\\evil.example",
            "\\evil.example",
            "/konto\\x",
            "http://evil.example",
            "https://evil.example/konto",
            "javascript:alert(1)",
            " /konto",
            "/konto x",
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%7F",
            "/%C2%85",
            "/\u{7f}",
            "/\u{85}/evil.example",
            "/\u{9b}",
            "/\u{200B}/evil.example",
            "/\u{202E}elpmaxe.live",
            "/\u{2066}x",
            "/\u{FEFF}",
            "/\u{2028}",
            "/\u{E0041}",
            "/%E2%80%AE",
        ];
        for next in refused {
            assert_eq!(safe_next(next), None, "{next:?}");
        }
        let accepted = [
            "/",
            "/konto",
            "/vfu/min?lang=en",
            "/utbildning?q=sjuksk%C3%B6terska&ort=2422",
            "/utbildning?q=v%C3%A5rd+och+omsorg",
            "/kommun/2422#karta",
            "/kommun/%C3%85sele",
            "/prognos/kommun/2422/2221?saved=1&lang=sv",
            "/vfu/kommun/2422/platser/s-1?sparad=1#intresse",
            "/%",
            "/100%25",
            "/Åsele",
        ];
        for next in accepted {
            assert_eq!(safe_next(next), Some(next), "{next:?}");
        }
    }

    #[test]
    fn each_role_has_a_home() {
        let cases = [
            (Role::Municipality, Some("2422"), "/vfu/kommun/2422"),
            (Role::University, Some("LTU"), "/vfu/larosate/LTU"),
            (Role::Student, None, "/vfu/min"),
            (Role::Supervisor, None, "/vfu/min"),
            (Role::Admin, None, "/admin/anvandare"),
            (Role::Regional, None, "/vfu"),
            (Role::Provider, Some("yh-norr"), "/konto"),
            // A scope that would not make a path: the account page.
            (Role::Municipality, None, "/konto"),
            (Role::University, Some("../x"), "/konto"),
            (Role::Municipality, Some("24 22"), "/konto"),
        ];
        for (role, scope, want) in cases {
            assert_eq!(home_for(role, scope), want, "{role:?} {scope:?}");
        }
    }

    #[test]
    fn see_other_never_panics() {
        let cases = [
            ("/konto", "/konto"),
            ("/vfu/x\n/evil", "/vfu/x%0A/evil"),
            ("/a\tb\r\u{7f}", "/a%09b%0D%7F"),
            ("/kommun/Åsele", "/kommun/Åsele"),
        ];
        for (to, want) in cases {
            let res = see_other(to);
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert_eq!(res.headers()[header::LOCATION].as_bytes(), want.as_bytes(), "{to:?}");
        }
    }
}
