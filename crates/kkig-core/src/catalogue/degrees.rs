//! The occupations a degree leads to: EMIL 3 has no SSYK codes, but an education info names the
//! degree it gives (`degrees`, e.g. "Sjuksköterskeexamen"), and the professional degrees of the
//! Higher Education Ordinance (högskoleförordningen, bilaga 2) each lead to one occupation.
//! Only the degrees of the region's shortage occupations (teachers, nurses, social workers) are
//! known here; any other degree leads to none of them.

use crate::codes::Ssyk;

fn ssyk(code: u16) -> Ssyk {
    Ssyk::parse(&code.to_string()).expect("a valid SSYK code in the table")
}

/// The SSYK 2012 unit groups the degree named in `text` leads to (none when it names none of
/// the region's shortage occupations), in table order without repeats. `text` is the degree's
/// Swedish name as a publisher writes it, with its specialisation if any ("Ämneslärarexamen
/// med inriktning mot arbete i gymnasieskolan").
pub fn occupations_of_degree(text: &str) -> Vec<Ssyk> {
    let t = text.to_lowercase();
    let has = |s: &str| t.contains(s);
    let mut codes: Vec<u16> = Vec::new();
    if has("specialistsjuksköterskeexamen") {
        if has("distriktssköterska") || has("distriktsköterska") {
            codes.push(2224);
        }
        if has("psykiatrisk") {
            codes.push(2225);
        }
        if has("vård av äldre") {
            codes.push(2227);
        }
    } else if has("sjuksköterskeexamen") {
        codes.push(2221);
    }
    if has("barnmorskeexamen") {
        codes.push(2222);
    }
    if has("socionomexamen") {
        codes.push(2661);
    }
    if has("förskollärarexamen") {
        codes.push(2343);
    }
    if has("grundlärarexamen") {
        codes.push(if has("fritidshem") { 2342 } else { 2341 });
    }
    if has("ämneslärarexamen") {
        let upper = has("7–9") || has("7-9") || has("årskurs 7");
        let gymnasium = has("gymnasie");
        if upper || !gymnasium {
            codes.push(2341);
        }
        if gymnasium || !upper {
            codes.push(2330);
        }
    }
    if has("yrkeslärarexamen") {
        codes.push(2320);
    }
    if has("speciallärarexamen") || has("specialpedagogexamen") {
        codes.push(2351);
    }
    let mut out: Vec<Ssyk> = Vec::new();
    for c in codes {
        let s = ssyk(c);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_professional_degree_leads_to_its_occupation() {
        let cases: &[(&str, &[u16])] = &[
            ("Sjuksköterskeexamen", &[2221]),
            ("sjuksköterskeexamen ", &[2221]),
            ("Barnmorskeexamen", &[2222]),
            (
                "Specialistsjuksköterskeexamen med inriktning mot distriktssköterska",
                &[2224],
            ),
            (
                "Specialistsjuksköterskeexamen med inriktning mot psykiatrisk vård",
                &[2225],
            ),
            (
                "Specialistsjuksköterskeexamen med inriktning mot vård av äldre",
                &[2227],
            ),
            // Specialties outside the region's shortage occupations.
            ("Specialistsjuksköterskeexamen med inriktning mot intensivvård", &[]),
            ("Socionomexamen", &[2661]),
            ("Förskollärarexamen", &[2343]),
            (
                "Grundlärarexamen med inriktning mot arbete i förskoleklass och årskurs 1–3",
                &[2341],
            ),
            ("Grundlärarexamen med inriktning mot arbete i fritidshem", &[2342]),
            ("Ämneslärarexamen med inriktning mot arbete i gymnasieskolan", &[2330]),
            ("Ämneslärarexamen med inriktning mot arbete i årskurs 7–9", &[2341]),
            ("Ämneslärarexamen", &[2341, 2330]),
            ("Yrkeslärarexamen", &[2320]),
            ("Speciallärarexamen", &[2351]),
            ("Specialpedagogexamen", &[2351]),
            ("Kandidatexamen i biologi", &[]),
            ("Civilingenjörsexamen", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = occupations_of_degree(text).iter().map(ToString::to_string).collect();
            let want: Vec<String> = want.iter().map(ToString::to_string).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
