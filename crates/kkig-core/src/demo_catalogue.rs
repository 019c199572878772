//! Demo offerings: a believable catalogue for the region, generated and labelled demo.
//!
//! Programme and course names, credits and target occupations follow the real Swedish
//! programmes; providers are the three partner universities, two vocational (YH) providers and
//! the learning centres. Forms follow a realistic mix: most programmes reachable from the inland
//! are distance or blended with a few on-site meetings per term; some are campus-only.

use crate::catalogue::{Meetings, Offering, SchoolType, StudyForm, StudySite};
use crate::codes::{Kommunkod, Ssyk};
use crate::demo::DemoRng;
use crate::region::{MunicipalityRole, ReferenceData};

struct Template {
    title: &'static str,
    code: &'static str,
    school_type: SchoolType,
    level: &'static str,
    credits: f64,
    credit_system: &'static str,
    /// Providers that give it: university codes, or "YH" / "LC" for YH providers / learning centres.
    providers: &'static [&'static str],
    occupations: &'static [&'static str],
    terms_years: f64,
}

const T: &[Template] = &[
    Template {
        title: "Förskollärarprogrammet",
        code: "LFÖRP",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 210.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2343"],
        terms_years: 3.5,
    },
    Template {
        title: "Grundlärarprogrammet, inriktning förskoleklass och årskurs 1–3",
        code: "LGRF3",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 240.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2341"],
        terms_years: 4.0,
    },
    Template {
        title: "Grundlärarprogrammet, inriktning årskurs 4–6",
        code: "LGR46",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 240.0,
        credit_system: "hp",
        providers: &["UmU", "LTU"],
        occupations: &["2341"],
        terms_years: 4.0,
    },
    Template {
        title: "Grundlärarprogrammet, inriktning fritidshem",
        code: "LGRFT",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 180.0,
        credit_system: "hp",
        providers: &["MIUN", "UmU"],
        occupations: &["2342"],
        terms_years: 3.0,
    },
    Template {
        title: "Ämneslärarprogrammet, gymnasieskolan",
        code: "LÄMGY",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 300.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2330"],
        terms_years: 5.0,
    },
    Template {
        title: "Kompletterande pedagogisk utbildning (KPU)",
        code: "LKPU",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 90.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2330", "2341"],
        terms_years: 1.5,
    },
    Template {
        title: "Yrkeslärarprogrammet",
        code: "LYRK",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 90.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN"],
        occupations: &["2320"],
        terms_years: 1.5,
    },
    Template {
        title: "Speciallärarprogrammet",
        code: "LSPEC",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 90.0,
        credit_system: "hp",
        providers: &["UmU", "LTU"],
        occupations: &["2351"],
        terms_years: 3.0,
    },
    Template {
        title: "Sjuksköterskeprogrammet",
        code: "VSJUK",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 180.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2221"],
        terms_years: 3.0,
    },
    Template {
        title: "Specialistsjuksköterskeprogrammet, distriktssköterska",
        code: "VSPDS",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 75.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2224"],
        terms_years: 1.5,
    },
    Template {
        title: "Specialistsjuksköterskeprogrammet, psykiatrisk vård",
        code: "VSPPS",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 60.0,
        credit_system: "hp",
        providers: &["UmU", "LTU"],
        occupations: &["2225"],
        terms_years: 1.0,
    },
    Template {
        title: "Specialistsjuksköterskeprogrammet, vård av äldre",
        code: "VSPÄL",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 60.0,
        credit_system: "hp",
        providers: &["LTU", "MIUN"],
        occupations: &["2227"],
        terms_years: 1.0,
    },
    Template {
        title: "Barnmorskeprogrammet",
        code: "VBARN",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 90.0,
        credit_system: "hp",
        providers: &["UmU"],
        occupations: &["2222"],
        terms_years: 1.5,
    },
    Template {
        title: "Socionomprogrammet",
        code: "SSOCI",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 210.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN", "LTU"],
        occupations: &["2661", "2662"],
        terms_years: 3.5,
    },
    Template {
        title: "Handledning av studenter i verksamhetsförlagd utbildning",
        code: "PEHAN",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &[],
        terms_years: 0.5,
    },
    Template {
        title: "Specialpedagogik för lärare",
        code: "PESPE",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2351"],
        terms_years: 0.5,
    },
    Template {
        title: "Socialt arbete med äldre",
        code: "SOÄLD",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["MIUN", "UmU"],
        occupations: &["2663"],
        terms_years: 0.5,
    },
    Template {
        title: "Palliativ vård och omsorg",
        code: "VPALL",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["UmU", "LTU"],
        occupations: &["2221", "2227"],
        terms_years: 0.5,
    },
    Template {
        title: "Svenska som andraspråk för lärare",
        code: "LSVA",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 30.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN"],
        occupations: &["2341", "2330"],
        terms_years: 1.0,
    },
    Template {
        title: "Biståndshandläggare inom äldreomsorgen",
        code: "YHBIS",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 200.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &["2663"],
        terms_years: 2.0,
    },
    Template {
        title: "Specialistundersköterska inom äldreomsorg",
        code: "YHSPU",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 200.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &[],
        terms_years: 2.0,
    },
    Template {
        title: "Lärarassistent",
        code: "YHLAS",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 200.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &[],
        terms_years: 2.0,
    },
    Template {
        title: "Behandlingspedagog",
        code: "YHBEH",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 300.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &["2669"],
        terms_years: 3.0,
    },
    Template {
        title: "Vård- och omsorgsutbildning, undersköterska",
        code: "KVOU",
        school_type: SchoolType::Komvux,
        level: "gymnasial nivå",
        credits: 1500.0,
        credit_system: "gyp",
        providers: &["LC"],
        occupations: &[],
        terms_years: 1.5,
    },
    Template {
        title: "Barnskötare och elevassistent",
        code: "KBAS",
        school_type: SchoolType::Komvux,
        level: "gymnasial nivå",
        credits: 1300.0,
        credit_system: "gyp",
        providers: &["LC"],
        occupations: &[],
        terms_years: 1.5,
    },
    Template {
        title: "Lärande och utveckling i förskolan",
        code: "PELUF",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN", "LTU"],
        occupations: &["2343"],
        terms_years: 0.5,
    },
    Template {
        title: "Matematik för lärare i förskoleklass och årskurs 1–3",
        code: "MALF3",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["LTU", "UmU"],
        occupations: &["2341"],
        terms_years: 0.5,
    },
    Template {
        title: "Läs- och skrivutveckling",
        code: "PELÄS",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["UmU", "MIUN", "LTU"],
        occupations: &["2341", "2351"],
        terms_years: 0.5,
    },
    Template {
        title: "Vård vid demenssjukdom",
        code: "VDEMS",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["UmU", "MIUN"],
        occupations: &["2221", "2227"],
        terms_years: 0.5,
    },
    Template {
        title: "Omvårdnad vid diabetes",
        code: "VDIAB",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["LTU", "UmU"],
        occupations: &["2221", "2224"],
        terms_years: 0.5,
    },
    Template {
        title: "Barn och unga i utsatta situationer",
        code: "SOBAR",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN", "LTU"],
        occupations: &["2661", "2662"],
        terms_years: 0.5,
    },
    Template {
        title: "Missbruk och beroende",
        code: "SOMIS",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["MIUN", "UmU"],
        occupations: &["2661", "2669"],
        terms_years: 0.5,
    },
    Template {
        title: "Socialrätt",
        code: "SORÄT",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 15.0,
        credit_system: "hp",
        providers: &["UmU", "MIUN", "LTU"],
        occupations: &["2661", "2663"],
        terms_years: 0.5,
    },
    Template {
        title: "Mentorskap och handledning i skolan",
        code: "PEMEN",
        school_type: SchoolType::Hs,
        level: "avancerad nivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["LTU", "MIUN"],
        occupations: &["2341", "2330"],
        terms_years: 0.5,
    },
    Template {
        title: "Hälsa och ohälsa hos äldre",
        code: "VHÄLD",
        school_type: SchoolType::Hs,
        level: "grundnivå",
        credits: 7.5,
        credit_system: "hp",
        providers: &["UmU", "LTU", "MIUN"],
        occupations: &["2227"],
        terms_years: 0.5,
    },
    Template {
        title: "Socialpedagog",
        code: "YHSOP",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 400.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &["2669"],
        terms_years: 2.0,
    },
    Template {
        title: "Stödpedagog inom LSS",
        code: "YHSTÖ",
        school_type: SchoolType::Yh,
        level: "yrkeshögskola",
        credits: 200.0,
        credit_system: "yhp",
        providers: &["YH"],
        occupations: &[],
        terms_years: 1.5,
    },
    Template {
        title: "Svenska för vård och omsorg",
        code: "KSVO",
        school_type: SchoolType::Komvux,
        level: "gymnasial nivå",
        credits: 200.0,
        credit_system: "gyp",
        providers: &["LC"],
        occupations: &[],
        terms_years: 0.5,
    },
];

const TERMS: [(&str, &str, &str); 4] = [
    ("HT2026", "2026-08-31", "2026-04-15"),
    ("VT2027", "2027-01-18", "2026-10-15"),
    ("HT2027", "2027-08-30", "2027-04-15"),
    ("VT2028", "2028-01-17", "2027-10-15"),
];

const YH_PROVIDERS: [(&str, &str, &str); 2] = [
    ("p.demo-yh-lappland", "Lapplands yrkeshögskola (demo)", "2481"),
    ("p.demo-yh-norrlandsinland", "Inlandets yrkeshögskola (demo)", "2462"),
];

/// A code as an ASCII id part: å, ä → a, ö → o, lower case.
fn ascii_code(code: &str) -> String {
    code.to_lowercase().replace(['å', 'ä'], "a").replace('ö', "o")
}

/// Add `months` (whole years and halves) to an ISO date's year for the end date, approximately
/// (end dates fall in June or January like real terms).
fn end_date(start: &str, years: f64) -> String {
    let y: i32 = start[..4].parse().unwrap_or(2026);
    let autumn = &start[5..7] >= "07";
    let halves = (years * 2.0).round() as i32;
    let end_half = if autumn { 1 } else { 0 } + halves; // count halves from January of y
    let end_year = y + (end_half - 1).div_euclid(2);
    if (end_half - 1).rem_euclid(2) == 0 {
        format!("{end_year}-06-07")
    } else {
        format!("{}-01-16", end_year + 1)
    }
}

/// Generate the demo catalogue: every template, per term, per provider (a subset of terms for
/// longer programmes), with study sites and meetings by form.
pub fn generate(rng: &mut DemoRng, reference: &ReferenceData) -> Vec<Offering> {
    let town_of = |code: Kommunkod| {
        reference
            .municipalities
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.seat.clone())
            .unwrap_or_default()
    };
    let site = |code: &str| {
        let k = Kommunkod::parse(code).ok()?;
        Some(StudySite {
            municipality: k,
            town: town_of(k),
        })
    };
    let participants: Vec<Kommunkod> = reference
        .municipalities
        .iter()
        .filter(|m| m.role == MunicipalityRole::Participant)
        .map(|m| m.code)
        .collect();
    let mut out = Vec::new();
    for (term_index, (term, start, closes)) in TERMS.iter().enumerate() {
        for (ti, t) in T.iter().enumerate() {
            // Long programmes start once a year (autumn), courses every term.
            if t.terms_years >= 2.0 && term.starts_with("VT") && t.school_type == SchoolType::Hs {
                continue;
            }
            let mut provider_list: Vec<(String, String, Vec<StudySite>)> = Vec::new();
            for p in t.providers {
                match *p {
                    "YH" => {
                        let (id, name, home) = YH_PROVIDERS[(ti + term_index) % YH_PROVIDERS.len()];
                        provider_list.push((id.into(), name.into(), site(home).into_iter().collect()));
                    }
                    "LC" => {
                        // Three learning centres a term give the komvux courses locally.
                        for j in 0..3 {
                            let code = participants[(ti * 3 + term_index * 5 + j * 7) % participants.len()];
                            let name = format!("Lärcentrum {} (demo)", town_of(code));
                            provider_list.push((
                                format!("p.demo-lc-{code}"),
                                name,
                                vec![StudySite {
                                    municipality: code,
                                    town: town_of(code),
                                }],
                            ));
                        }
                    }
                    uni => {
                        if let Some(u) = reference.universities.iter().find(|u| u.code == uni) {
                            let campuses = u
                                .campuses
                                .iter()
                                .map(|c| StudySite {
                                    municipality: c.municipality,
                                    town: c.town.clone(),
                                })
                                .collect();
                            provider_list.push((format!("p.{}", uni.to_lowercase()), u.name.clone(), campuses));
                        }
                    }
                }
            }
            for (pi, (provider_id, provider_name, campuses)) in provider_list.into_iter().enumerate() {
                let x = rng.unit();
                let form = if t.school_type == SchoolType::Komvux {
                    if x < 0.5 {
                        StudyForm::Distance
                    } else {
                        StudyForm::Blended
                    }
                } else if x < 0.55 {
                    StudyForm::Distance
                } else if x < 0.80 {
                    StudyForm::Blended
                } else {
                    StudyForm::Campus
                };
                let main_campus = campuses.first().cloned();
                let mut sites: Vec<StudySite> = match form {
                    StudyForm::Campus => main_campus.clone().into_iter().collect(),
                    _ => campuses.clone(),
                };
                // Distance and blended programmes often have local groups at learning centres.
                if form != StudyForm::Campus && t.school_type == SchoolType::Hs && rng.unit() < 0.4 {
                    for _ in 0..rng.range(1, 3) {
                        let code = *rng.pick(&participants);
                        let s = StudySite {
                            municipality: code,
                            town: town_of(code),
                        };
                        if !sites.contains(&s) {
                            sites.push(s);
                        }
                    }
                }
                let meetings = match form {
                    StudyForm::Distance => Meetings {
                        per_term: rng.range(0, 3) as u32,
                        days_each: rng.range(1, 3) as u32,
                        place: main_campus.clone(),
                    },
                    StudyForm::Blended => Meetings {
                        per_term: rng.range(3, 6) as u32,
                        days_each: rng.range(2, 4) as u32,
                        place: main_campus.clone(),
                    },
                    // On campus every week counts: about three days a week for twenty weeks.
                    StudyForm::Campus => Meetings {
                        per_term: 60,
                        days_each: 1,
                        place: main_campus.clone(),
                    },
                };
                let pace = if t.credits <= 15.0 && t.credit_system == "hp" {
                    [25, 50][rng.range(0, 1) as usize]
                } else if rng.unit() < 0.15 {
                    50
                } else {
                    100
                };
                let years = if pace == 50 { t.terms_years * 2.0 } else { t.terms_years };
                let id = format!("e.demo.{}.{}.{}", ascii_code(t.code), term.to_lowercase(), pi + 1);
                out.push(Offering {
                    education_id: format!("i.demo.{}.{}", provider_id.trim_start_matches("p."), ascii_code(t.code)),
                    id,
                    provider_id,
                    provider_name,
                    title: t.title.to_string(),
                    code: t.code.to_string(),
                    school_type: t.school_type,
                    level: t.level.to_string(),
                    credits: t.credits,
                    credit_system: t.credit_system.to_string(),
                    pace_percent: pace,
                    start: start.to_string(),
                    end: end_date(start, years),
                    language: "swe".into(),
                    form,
                    sites,
                    meetings,
                    application_opens: Some(format!(
                        "{}-{}",
                        &closes[..4],
                        if &closes[5..7] == "04" { "03-15" } else { "09-15" }
                    )),
                    application_closes: Some(closes.to_string()),
                    application_url: Some("https://www.antagning.se/".into()),
                    occupations: t.occupations.iter().filter_map(|s| Ssyk::parse(s).ok()).collect(),
                    eligibility: if t.school_type == SchoolType::Hs {
                        "Grundläggande behörighet samt områdesbehörighet enligt programmets krav.".into()
                    } else {
                        "Gymnasieexamen eller motsvarande kunskaper.".into()
                    },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_dates_follow_terms() {
        assert_eq!(end_date("2026-08-31", 3.0), "2029-06-07");
        assert_eq!(end_date("2026-08-31", 0.5), "2027-01-16");
        assert_eq!(end_date("2027-01-18", 0.5), "2027-06-07");
        assert_eq!(end_date("2027-01-18", 1.5), "2028-06-07");
        assert_eq!(end_date("2026-08-31", 3.5), "2030-01-16");
    }
}
