//! Realistic generated offerings for benchmarks and tests, the same for the same seed.
//!
//! Titles are Swedish programme and course names with their SSYK target occupations;
//! providers are universities, vocational (YH) providers, learning centres (komvux) and folk
//! high schools; towns are real municipalities with their SCB kommunkod and the approximate
//! position of the seat town (the first 23 as in `data/municipalities.csv`). Forms are about
//! 45 % distance, 25 % blended, 30 % campus. Nothing here is real catalogue data.

use std::collections::BTreeMap;

use kkig_core::catalogue::{Meetings, Offering, SchoolType, StudyForm, StudySite, TravelTimes};
use kkig_core::demo::DemoRng;
use kkig_core::region::OccupationArea;
use kkig_core::{Kommunkod, Position, Ssyk};

/// (kommunkod, seat town, latitude, longitude).
pub const TOWNS: &[(&str, &str, f64, f64)] = &[
    ("2482", "Skellefteå", 64.7507, 20.9528),
    ("2506", "Arjeplog", 66.0517, 17.8864),
    ("2505", "Arvidsjaur", 65.5922, 19.1800),
    ("2425", "Dorotea", 64.2611, 16.4072),
    ("2523", "Gällivare", 67.1339, 20.6528),
    ("2510", "Jokkmokk", 66.6069, 19.8229),
    ("2584", "Kiruna", 67.8558, 20.2253),
    ("2282", "Kramfors", 62.9306, 17.7761),
    ("2521", "Pajala", 67.2078, 23.3794),
    ("2481", "Lycksele", 64.5954, 18.6735),
    ("2417", "Norsjö", 64.9114, 19.4810),
    ("2283", "Sollefteå", 63.1667, 17.2667),
    ("2422", "Sorsele", 65.5333, 17.5333),
    ("2421", "Storuman", 65.0964, 17.1127),
    ("2313", "Strömsund", 63.8500, 15.5833),
    ("2462", "Vilhelmina", 64.6245, 16.6556),
    ("2463", "Åsele", 64.1614, 17.3500),
    ("2580", "Luleå", 65.5848, 22.1547),
    ("2480", "Umeå", 63.8258, 20.2630),
    ("2281", "Sundsvall", 62.3908, 17.3069),
    ("2380", "Östersund", 63.1792, 14.6357),
    ("2581", "Piteå", 65.3172, 21.4794),
    ("2284", "Örnsköldsvik", 63.2909, 18.7153),
    ("0180", "Stockholm", 59.3293, 18.0686),
    ("0380", "Uppsala", 59.8586, 17.6389),
    ("0580", "Linköping", 58.4108, 15.6214),
    ("0780", "Växjö", 56.8777, 14.8091),
    ("1280", "Malmö", 55.6050, 13.0038),
    ("1480", "Göteborg", 57.7089, 11.9746),
    ("1780", "Karlstad", 59.4022, 13.5115),
    ("1880", "Örebro", 59.2753, 15.2134),
    ("2080", "Falun", 60.6065, 15.6355),
    ("2180", "Gävle", 60.6749, 17.1413),
];

/// Universities: (provider id, name, campus town index in [`TOWNS`]).
const UNIVERSITIES: &[(&str, &str, usize)] = &[
    ("p.umu", "Umeå universitet", 18),
    ("p.ltu", "Luleå tekniska universitet", 17),
    ("p.miun", "Mittuniversitetet", 19),
    ("p.miun.ost", "Mittuniversitetet", 20),
    ("p.uu", "Uppsala universitet", 24),
    ("p.liu", "Linköpings universitet", 25),
    ("p.lnu", "Linnéuniversitetet", 26),
    ("p.mau", "Malmö universitet", 27),
    ("p.gu", "Göteborgs universitet", 28),
    ("p.kau", "Karlstads universitet", 29),
    ("p.oru", "Örebro universitet", 30),
    ("p.du", "Högskolan Dalarna", 31),
    ("p.hig", "Högskolan i Gävle", 32),
    ("p.su", "Stockholms universitet", 23),
];

const YH_PROVIDERS: &[(&str, &str, usize)] = &[
    ("p.yh.nb", "Yrkeshögskolan Norrbotten", 4),
    ("p.yh.vb", "Yrkeshögskolan Västerbotten", 0),
    ("p.yh.jh", "Vård- och omsorgscollege Jämtland", 20),
    ("p.yh.vn", "Yrkeshögskolan Västernorrland", 22),
    ("p.yh.lpl", "Lapplands lärcentra, yrkeshögskola", 4),
];

struct Template {
    title: &'static str,
    code: &'static str,
    school_type: SchoolType,
    level: &'static str,
    credits: f64,
    credit_system: &'static str,
    occupations: &'static [&'static str],
    terms: u32,
    eligibility: usize,
}

const ELIGIBILITY: &[&str] = &[
    "Grundläggande behörighet samt Matematik 2a/2b/2c, Naturkunskap 2 och Samhällskunskap 1b eller 1a1 och 1a2.",
    "Grundläggande behörighet samt Matematik 2a/2b/2c, Naturkunskap 2, Kemi 1 och Samhällskunskap 1b.",
    "Legitimerad sjuksköterska med kandidatexamen och minst ett års yrkeserfarenhet som sjuksköterska.",
    "Grundläggande behörighet samt Samhällskunskap 1b eller 1a1 och 1a2 och Matematik 2a/2b/2c.",
    "Lärarexamen eller motsvarande samt yrkeserfarenhet från skolan.",
    "Grundläggande behörighet.",
    "Kandidatexamen om 180 hp inom relevant huvudområde samt Engelska 6.",
    "Gymnasieexamen eller motsvarande kunskaper samt minst två års yrkeserfarenhet inom vård och omsorg.",
    "Avslutad grundskola eller motsvarande. Du ska vara minst 18 år.",
    "Grundläggande behörighet samt Matematik 4 och Fysik 2.",
    "Socionomexamen eller kandidatexamen i socialt arbete.",
];

macro_rules! t {
    ($title:expr, $code:expr, $st:ident, $level:expr, $credits:expr, $cs:expr, [$($occ:expr),*], $terms:expr, $elig:expr) => {
        Template { title: $title, code: $code, school_type: SchoolType::$st, level: $level, credits: $credits, credit_system: $cs, occupations: &[$($occ),*], terms: $terms, eligibility: $elig }
    };
}

const TEMPLATES: &[Template] = &[
    t!(
        "Förskollärarprogrammet",
        "LFÖRP",
        Hs,
        "grundnivå",
        210.0,
        "hp",
        ["2343"],
        7,
        3
    ),
    t!(
        "Grundlärarprogrammet, inriktning förskoleklass och årskurs 1–3",
        "LGRF3",
        Hs,
        "grundnivå",
        240.0,
        "hp",
        ["2341"],
        8,
        3
    ),
    t!(
        "Grundlärarprogrammet, inriktning årskurs 4–6",
        "LGR46",
        Hs,
        "grundnivå",
        240.0,
        "hp",
        ["2341"],
        8,
        3
    ),
    t!(
        "Grundlärarprogrammet, inriktning fritidshem",
        "LGRFT",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2342"],
        6,
        3
    ),
    t!(
        "Ämneslärarprogrammet, gymnasieskolan",
        "LÄMGY",
        Hs,
        "avancerad nivå",
        300.0,
        "hp",
        ["2330"],
        10,
        3
    ),
    t!(
        "Kompletterande pedagogisk utbildning (KPU)",
        "LKPU",
        Hs,
        "avancerad nivå",
        90.0,
        "hp",
        ["2330", "2341"],
        3,
        6
    ),
    t!(
        "Yrkeslärarprogrammet",
        "LYRK",
        Hs,
        "grundnivå",
        90.0,
        "hp",
        ["2320"],
        3,
        5
    ),
    t!(
        "Speciallärarprogrammet",
        "LSPEC",
        Hs,
        "avancerad nivå",
        90.0,
        "hp",
        ["2351"],
        6,
        4
    ),
    t!(
        "Specialpedagogik för lärare",
        "PESPE",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2351"],
        1,
        4
    ),
    t!(
        "Matematik för lärare i förskoleklass och årskurs 1–3",
        "MALF3",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2341"],
        1,
        4
    ),
    t!(
        "Svenska som andraspråk för lärare",
        "LSVA",
        Hs,
        "grundnivå",
        30.0,
        "hp",
        ["2341", "2330"],
        2,
        4
    ),
    t!(
        "Läs- och skrivutveckling",
        "PELÄS",
        Hs,
        "grundnivå",
        7.5,
        "hp",
        ["2341", "2351"],
        1,
        4
    ),
    t!(
        "Sjuksköterskeprogrammet",
        "VSJUK",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2221"],
        6,
        1
    ),
    t!(
        "Specialistsjuksköterskeprogrammet, distriktssköterska",
        "VSPDS",
        Hs,
        "avancerad nivå",
        75.0,
        "hp",
        ["2224"],
        3,
        2
    ),
    t!(
        "Specialistsjuksköterskeprogrammet, psykiatrisk vård",
        "VSPPS",
        Hs,
        "avancerad nivå",
        60.0,
        "hp",
        ["2225"],
        2,
        2
    ),
    t!(
        "Specialistsjuksköterskeprogrammet, vård av äldre",
        "VSPÄL",
        Hs,
        "avancerad nivå",
        60.0,
        "hp",
        ["2227"],
        2,
        2
    ),
    t!(
        "Specialistsjuksköterskeprogrammet, intensivvård",
        "VSPIV",
        Hs,
        "avancerad nivå",
        60.0,
        "hp",
        ["2228"],
        2,
        2
    ),
    t!(
        "Barnmorskeprogrammet",
        "VBARN",
        Hs,
        "avancerad nivå",
        90.0,
        "hp",
        ["2222"],
        3,
        2
    ),
    t!(
        "Röntgensjuksköterskeprogrammet",
        "VRÖNT",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2235"],
        6,
        1
    ),
    t!(
        "Palliativ vård och omsorg",
        "VPALL",
        Hs,
        "grundnivå",
        7.5,
        "hp",
        ["2221", "2227"],
        1,
        5
    ),
    t!(
        "Vård vid demenssjukdom",
        "VDEMS",
        Hs,
        "grundnivå",
        7.5,
        "hp",
        ["2221", "2227"],
        1,
        5
    ),
    t!(
        "Omvårdnad vid diabetes",
        "VDIAB",
        Hs,
        "avancerad nivå",
        7.5,
        "hp",
        ["2221", "2224"],
        1,
        2
    ),
    t!(
        "Socionomprogrammet",
        "SSOCI",
        Hs,
        "grundnivå",
        210.0,
        "hp",
        ["2661", "2662"],
        7,
        3
    ),
    t!(
        "Socialt arbete med äldre",
        "SOÄLD",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2663"],
        1,
        5
    ),
    t!(
        "Barn och unga i utsatta situationer",
        "SOBAR",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2661", "2662"],
        1,
        5
    ),
    t!(
        "Missbruk och beroende",
        "SOMIS",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2661", "2669"],
        1,
        5
    ),
    t!(
        "Socialrätt",
        "SORÄT",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        ["2661", "2663"],
        1,
        5
    ),
    t!(
        "Kvalificerad handläggning inom socialtjänsten",
        "SOKVA",
        Hs,
        "avancerad nivå",
        30.0,
        "hp",
        ["2661"],
        2,
        10
    ),
    t!(
        "Handledning av studenter i verksamhetsförlagd utbildning",
        "PEHAN",
        Hs,
        "avancerad nivå",
        7.5,
        "hp",
        [],
        1,
        6
    ),
    t!(
        "Civilingenjör, datateknik",
        "TCDAT",
        Hs,
        "avancerad nivå",
        300.0,
        "hp",
        ["2512"],
        10,
        9
    ),
    t!(
        "Ekonomprogrammet",
        "EKONP",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2411"],
        6,
        3
    ),
    t!(
        "Systemvetenskapliga programmet",
        "SYSVP",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2511"],
        6,
        5
    ),
    t!(
        "Arbetsterapeutprogrammet",
        "VARBT",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2282"],
        6,
        0
    ),
    t!(
        "Fysioterapeutprogrammet",
        "VFYSI",
        Hs,
        "grundnivå",
        180.0,
        "hp",
        ["2281"],
        6,
        1
    ),
    t!(
        "Psykologprogrammet",
        "PSYKP",
        Hs,
        "avancerad nivå",
        300.0,
        "hp",
        [],
        10,
        3
    ),
    t!("Matematik, grundkurs", "MAGRU", Hs, "grundnivå", 7.5, "hp", [], 1, 9),
    t!("Programmering i Python", "DVPYT", Hs, "grundnivå", 7.5, "hp", [], 1, 5),
    t!(
        "Hållbar utveckling i glesbygd",
        "GEHÅL",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        [],
        1,
        5
    ),
    t!(
        "Nordsamiska, nybörjarkurs",
        "SANYB",
        Hs,
        "grundnivå",
        15.0,
        "hp",
        [],
        1,
        5
    ),
    t!("Projektledning", "FÖPRO", Hs, "grundnivå", 7.5, "hp", [], 1, 5),
    t!(
        "Biståndshandläggare inom äldreomsorgen",
        "YHBIS",
        Yh,
        "yrkeshögskola",
        200.0,
        "yhp",
        ["2663"],
        4,
        7
    ),
    t!(
        "Specialistundersköterska inom äldreomsorg",
        "YHSPU",
        Yh,
        "yrkeshögskola",
        200.0,
        "yhp",
        [],
        4,
        7
    ),
    t!("Lärarassistent", "YHLAS", Yh, "yrkeshögskola", 200.0, "yhp", [], 4, 5),
    t!(
        "Behandlingspedagog",
        "YHBEH",
        Yh,
        "yrkeshögskola",
        300.0,
        "yhp",
        ["2669"],
        6,
        5
    ),
    t!(
        "Drifttekniker inom gruvindustrin",
        "YHDRI",
        Yh,
        "yrkeshögskola",
        400.0,
        "yhp",
        [],
        4,
        5
    ),
    t!(
        "Vård- och omsorgsutbildning, undersköterska",
        "KVOU",
        Komvux,
        "gymnasial nivå",
        1500.0,
        "gyp",
        [],
        3,
        8
    ),
    t!(
        "Barnskötare och elevassistent",
        "KBAS",
        Komvux,
        "gymnasial nivå",
        1300.0,
        "gyp",
        [],
        3,
        8
    ),
    t!(
        "Svenska för invandrare",
        "KSFI",
        Komvux,
        "grundläggande nivå",
        0.0,
        "gyp",
        [],
        2,
        8
    ),
    t!("Allmän kurs", "FHALL", Fhsk, "folkhögskola", 0.0, "veckor", [], 2, 8),
    t!(
        "Fritidsledarutbildning",
        "FHFRI",
        Fhsk,
        "folkhögskola",
        0.0,
        "veckor",
        [],
        4,
        8
    ),
];

/// Generated offerings with what a catalogue and a search need beside them.
#[derive(Debug, Clone)]
pub struct Generated {
    pub offerings: Vec<Offering>,
    /// SSYK → area for every code in the shortage ranges (nurses 2221–2239, teachers
    /// 2330–2351, social work 2661–2669).
    pub occupation_areas: BTreeMap<Ssyk, OccupationArea>,
    /// The seat positions of [`TOWNS`], with the default travel model.
    pub travel: TravelTimes,
}

fn kommun(i: usize) -> Kommunkod {
    Kommunkod::parse(TOWNS[i].0).expect("generator kommunkod")
}

fn site(i: usize) -> StudySite {
    StudySite {
        municipality: kommun(i),
        town: TOWNS[i].1.to_string(),
    }
}

/// The shortage-occupation areas by SSYK code.
pub fn occupation_areas() -> BTreeMap<Ssyk, OccupationArea> {
    let mut m = BTreeMap::new();
    for (lo, hi, area) in [
        (2221, 2239, OccupationArea::Nurse),
        (2330, 2351, OccupationArea::Teacher),
        (2661, 2669, OccupationArea::SocialWork),
    ] {
        for c in lo..=hi {
            m.insert(Ssyk::parse(&c.to_string()).expect("ssyk"), area);
        }
    }
    m
}

/// Travel times between the generator's towns (seat positions, default model).
pub fn travel_times() -> TravelTimes {
    let seats = TOWNS
        .iter()
        .enumerate()
        .map(|(i, &(_, _, lat, lon))| (kommun(i), Position::new(lat, lon).expect("position")))
        .collect();
    TravelTimes {
        seats,
        ..Default::default()
    }
}

fn date(year: i64, month: i64, day: i64) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// `n` offerings, the same for the same `seed`.
pub fn generate(n: usize, seed: u64) -> Generated {
    let mut rng = DemoRng::new(seed);
    let mut offerings = Vec::with_capacity(n);
    for i in 0..n {
        let t = rng.pick(TEMPLATES);
        let (provider_id, provider_name, campus) = match t.school_type {
            SchoolType::Hs => {
                // Most offerings come from the three partner universities.
                let u = if rng.unit() < 0.6 {
                    rng.range(0, 3) as usize
                } else {
                    rng.range(4, UNIVERSITIES.len() as i64 - 1) as usize
                };
                let (id, name, town) = UNIVERSITIES[u];
                (id.to_string(), name.to_string(), town)
            }
            SchoolType::Yh => {
                let (id, name, town) = *rng.pick(YH_PROVIDERS);
                (id.to_string(), name.to_string(), town)
            }
            SchoolType::Komvux => {
                let town = rng.range(0, 22) as usize;
                (
                    format!("p.lc.{}", TOWNS[town].0),
                    format!("Lärcentrum {}", TOWNS[town].1),
                    town,
                )
            }
            SchoolType::Fhsk => {
                let town = rng.range(0, 22) as usize;
                (
                    format!("p.fhsk.{}", TOWNS[town].0),
                    format!("{} folkhögskola", TOWNS[town].1),
                    town,
                )
            }
        };
        let roll = rng.unit();
        let form = if roll < 0.45 {
            StudyForm::Distance
        } else if roll < 0.70 {
            StudyForm::Blended
        } else {
            StudyForm::Campus
        };
        let (sites, meetings) = match form {
            StudyForm::Campus => (
                vec![site(campus)],
                Meetings {
                    per_term: 60,
                    days_each: 1,
                    place: None,
                },
            ),
            StudyForm::Distance => {
                let k = rng.range(0, 2) as usize;
                let sites: Vec<StudySite> = (0..k).map(|_| site(rng.range(0, 22) as usize)).collect();
                let per_term = rng.range(0, 3) as u32;
                let place = if per_term == 0 && sites.is_empty() && rng.unit() < 0.5 {
                    None
                } else {
                    Some(site(campus))
                };
                (
                    sites,
                    Meetings {
                        per_term,
                        days_each: rng.range(1, 3) as u32,
                        place,
                    },
                )
            }
            StudyForm::Blended => {
                let k = rng.range(1, 3) as usize;
                let sites: Vec<StudySite> = (0..k).map(|_| site(rng.range(0, 22) as usize)).collect();
                let place = if rng.unit() < 0.5 { Some(site(campus)) } else { None };
                (
                    sites,
                    Meetings {
                        per_term: rng.range(2, 6) as u32,
                        days_each: rng.range(2, 4) as u32,
                        place,
                    },
                )
            }
        };
        let year = rng.range(2025, 2027);
        let autumn = rng.unit() < 0.65;
        let (start, opens, closes) = if autumn {
            let late = rng.unit() < 0.2;
            let start = if late {
                date(year, 11, rng.range(1, 10))
            } else {
                date(year, 8, rng.range(25, 31))
            };
            (start, date(year, 3, 15), date(year, 4, 15))
        } else {
            let late = rng.unit() < 0.2;
            let start = if late {
                date(year, 3, rng.range(20, 27))
            } else {
                date(year, 1, rng.range(15, 22))
            };
            (start, date(year - 1, 9, 15), date(year - 1, 10, 15))
        };
        // The last term: `terms` half-years on.
        let last = (year * 2 + i64::from(autumn)) + i64::from(t.terms) - 1;
        let end = if last % 2 == 1 {
            date(last / 2 + 1, 1, 17)
        } else {
            date(last / 2, 6, 7)
        };
        let pace_percent = match t.school_type {
            SchoolType::Hs if t.terms <= 2 => *rng.pick(&[100, 50, 50, 25, 25]),
            SchoolType::Hs => *rng.pick(&[100, 100, 100, 75, 50]),
            _ => *rng.pick(&[100, 100, 50]),
        };
        let mut title = t.title.to_string();
        if form == StudyForm::Distance && rng.unit() < 0.3 {
            title.push_str(", distans");
        }
        offerings.push(Offering {
            id: format!("e.gen.{seed}.{i:07}"),
            education_id: format!("i.gen.{}.{}", t.code, provider_id),
            provider_id,
            provider_name,
            title,
            code: format!("{}{:02}", t.code, rng.range(1, 40)),
            school_type: t.school_type,
            level: t.level.to_string(),
            credits: t.credits,
            credit_system: t.credit_system.to_string(),
            pace_percent,
            start,
            end,
            language: "swe".to_string(),
            form,
            sites,
            meetings,
            application_opens: Some(opens),
            application_closes: Some(closes),
            application_url: None,
            occupations: t.occupations.iter().map(|s| Ssyk::parse(s).expect("ssyk")).collect(),
            eligibility: ELIGIBILITY[t.eligibility].to_string(),
        });
    }
    Generated {
        offerings,
        occupation_areas: occupation_areas(),
        travel: travel_times(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let a = generate(500, 7);
        let b = generate(500, 7);
        assert_eq!(a.offerings, b.offerings);
        assert_ne!(a.offerings, generate(500, 8).offerings);
        for o in &a.offerings {
            assert!(o.start < o.end, "{} {} {}", o.id, o.start, o.end);
            for s in &o.sites {
                assert!(a.travel.seats.contains_key(&s.municipality));
            }
        }
        let distance = a.offerings.iter().filter(|o| o.form == StudyForm::Distance).count();
        assert!((150..300).contains(&distance), "{distance}");
    }
}
