//! The catalogue through the router: search API semantics on the demo catalogue, the pages,
//! exports, and errors. On SQLite and PostgreSQL.

use crate::common::apps;
use kkig_store::prelude::*;

fn titles(v: &serde_json::Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn search_api_semantics() {
    for app in apps(true).await {
        let label = app.db.label;
        let all = app.get("/api/v1/offerings?per_page=1").await.json();
        let total = all["total"].as_u64().unwrap();
        assert!(total >= 300, "{label}: {total}");

        // Swedish stemming: the plural finds the singular.
        let plural = app
            .get("/api/v1/offerings?q=sjuksk%C3%B6terskor&per_page=100")
            .await
            .json();
        assert!(plural["total"].as_u64().unwrap() > 0, "{label}");
        assert!(
            titles(&plural)
                .iter()
                .all(|t| t.to_lowercase().contains("sjukskötersk")),
            "{label}: {:?}",
            titles(&plural)
        );
        // Typo tolerance: one edit in a long word.
        let typo = app
            .get("/api/v1/offerings?q=socinomprogrammet&per_page=100")
            .await
            .json();
        assert!(
            titles(&typo).iter().any(|t| t == "Socionomprogrammet"),
            "{label}: {:?}",
            titles(&typo)
        );
        // One edit inside a compound: ö → o, and a dropped letter.
        for (typo, want) in [
            ("sjukskoterska", "Sjuksköterskeprogrammet"),
            ("barnmoska", "Barnmorskeprogrammet"),
        ] {
            let r = app
                .get(&format!("/api/v1/offerings?q={typo}&per_page=200"))
                .await
                .json();
            assert!(titles(&r).iter().any(|t| t == want), "{label} {typo}: {:?}", titles(&r));
        }

        // Travel from Sorsele: hits carry it, the limit holds, sorting by travel is ascending.
        let sorted = app
            .get("/api/v1/offerings?home=2422&sort=travel&max_travel=600&per_page=200")
            .await
            .json();
        let burdens: Vec<i64> = sorted["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["travel_minutes_per_term"].as_i64().unwrap())
            .collect();
        assert!(!burdens.is_empty(), "{label}");
        assert!(burdens.windows(2).all(|w| w[0] <= w[1]), "{label}: {burdens:?}");
        assert!(burdens.iter().all(|b| *b <= 600), "{label}");

        // Filters combine.
        let f = app
            .get("/api/v1/offerings?area=nurse&form=distance&school_type=hs&pace=full&term=HT2026&per_page=200")
            .await
            .json();
        for h in f["hits"].as_array().unwrap() {
            assert_eq!(
                (
                    h["form"].as_str(),
                    h["school_type"].as_str(),
                    h["pace_percent"].as_u64()
                ),
                (Some("distance"), Some("hs"), Some(100)),
                "{label}"
            );
            assert!(h["start"].as_str().unwrap().starts_with("2026-"), "{label}");
            assert!(
                h["occupations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o.as_str().unwrap().starts_with("22")),
                "{label}"
            );
        }

        // Pagination is consistent: pages do not overlap and add up.
        let p1 = app
            .get("/api/v1/offerings?q=l%C3%A4rare&per_page=5&page=1")
            .await
            .json();
        let p2 = app
            .get("/api/v1/offerings?q=l%C3%A4rare&per_page=5&page=2")
            .await
            .json();
        let ids = |v: &serde_json::Value| {
            v["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert!(ids(&p1).iter().all(|i| !ids(&p2).contains(i)), "{label}");
        assert_eq!(p1["total"], p2["total"], "{label}");

        // One offering by id, and 404 for another.
        let id = ids(&p1)[0].clone();
        assert_eq!(
            app.get(&format!("/api/v1/offerings/{id}")).await.json()["id"],
            id,
            "{label}"
        );
        assert_eq!(app.get("/api/v1/offerings/e.nope").await.status, 404, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    for app in apps(true).await {
        let label = app.db.label;
        for (uri, want) in [
            ("/api/v1/offerings?home=9999", "home:"),
            (
                "/api/v1/offerings?home=2499",
                "home: kommunkod 2499 is not a municipality kkig knows",
            ),
            (
                "/api/v1/offerings?max_travel=60",
                "max_travel: a travel limit needs a home municipality",
            ),
            (
                "/api/v1/offerings?sort=travel",
                "sort: sorting by travel needs a home municipality",
            ),
            ("/api/v1/offerings?form=online", "form:"),
            ("/api/v1/offerings?page=0", "page:"),
            ("/api/v1/offerings?per_page=5000", "per_page:"),
            ("/api/v1/offerings?term=HT26", "term:"),
            ("/api/v1/reachability?days=x", "days:"),
        ] {
            let res = app.get(uri).await;
            assert_eq!(res.status, 400, "{label} {uri}");
            assert!(
                res.json()["error"].as_str().unwrap().contains(want),
                "{label} {uri}: {}",
                res.body
            );
        }
        let page = app.get("/utbildning?home=9999").await;
        assert_eq!(page.status, 400, "{label}");
        assert!(page.body.contains("role=\"alert\""), "{label}");
        // The page speaks Swedish: the field's label and a Swedish message.
        assert!(
            page.body
                .contains("Hemkommun: ”9999” är ingen giltig kommunkod (fyra siffror, till exempel 2422)."),
            "{label}: {}",
            page.body
        );
        let page = app.get("/utbildning?home=2499").await;
        assert!(
            page.body
                .contains("Hemkommun: Kommunkod 2499 finns inte bland kommunerna i kkig."),
            "{label}"
        );
        let page = app.get("/utbildning?form=online&page=0").await;
        assert_eq!(page.status, 400, "{label}");
        assert!(
            page.body
                .contains("Studieform: ”online” är inget av alternativen. Välj i listan."),
            "{label}"
        );
        assert!(
            page.body.contains("Sida: ”0” är inget sidnummer (1 eller högre)."),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn pages_exports_pathways_and_regional_table() {
    for app in apps(true).await {
        let label = app.db.label;
        let page = app.get("/utbildning?q=sjuksk%C3%B6terska&home=2422&sort=travel").await;
        assert_eq!(page.status, 200, "{label}");
        let html = page.body.replace('\u{a0}', " ");
        assert!(html.contains("<h1>Hitta utbildning</h1>"), "{label}");
        assert!(
            html.contains(
                "Närmaste lärcentrum från Sorsele: Lärcentrum Sorsele i Sorsele, i din kommun. Studieplatser: "
            ),
            "{label}"
        );
        assert!(
            html.contains("Studie- och yrkesvägledning: "),
            "{label}: the centre's services"
        );
        assert!(html.contains("Resor per termin från Sorsele"), "{label}");
        assert!(
            html.contains("hx-get=\"/utbildning\""),
            "{label}: live update with htmx"
        );
        assert!(
            html.contains("href=\"/utbildning?q=sjuksk%C3%B6terska&#38;home=2422&#38;sort=travel&#38;lang=en\""),
            "{label}: the language switch keeps the search"
        );
        assert!(!html.contains(" 1 dagar "), "{label}: plural forms");

        let csv = app
            .get("/utbildning/export/utbildningar.csv?q=sjuksk%C3%B6terska")
            .await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8", "{label}");
        assert!(csv.body.starts_with("\u{feff}id;education_id;"), "{label}");
        let api_total = app.get("/api/v1/offerings?q=sjuksk%C3%B6terska").await.json()["total"]
            .as_u64()
            .unwrap();
        assert_eq!(
            csv.body.trim_end().lines().count() as u64,
            api_total + 1,
            "{label}: every hit, not one page"
        );
        let csv = app
            .get("/utbildning/export/utbildningar.csv?q=sjuksk%C3%B6terska&home=2422&sort=travel")
            .await;
        let mut lines = csv.body.trim_end().lines();
        assert!(
            lines
                .next()
                .unwrap()
                .ends_with(";eligibility;home;one_way_minutes;travel_minutes_per_term"),
            "{label}: travel columns with a home"
        );
        let first = lines.next().unwrap();
        assert!(first.contains(";2422;"), "{label}: {first}");
        let xlsx = app.get("/utbildning/export/utbildningar.xlsx?form=distance").await;
        assert_eq!(xlsx.status, 200, "{label}");
        let ics = app.get("/utbildning/export/ansokningsdatum.ics?area=nurse").await;
        assert!(
            ics.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar"),
            "{label}"
        );
        assert!(
            ics.body.contains("BEGIN:VEVENT") && ics.body.contains("Sista ansökningsdag"),
            "{label}"
        );
        assert_eq!(app.get("/utbildning/export/x.pdf").await.status, 404, "{label}");

        let p = app.get("/utbildning/bli/sjukskoterska/2422").await;
        assert_eq!(p.status, 200, "{label}");
        assert!(p.body.contains("<h1>Bli sjuksköterska från Sorsele</h1>"), "{label}");
        assert!(p.body.contains("Sjuksköterskeprogrammet"), "{label}");
        // VFU at home from the registry (the demo's sites and supervisors), labelled as demo.
        assert!(
            p.body.contains("I Sorsele tar ")
                && p.body.contains("med utbildad handledare")
                && p.body.contains("(Demodata.)"),
            "{label}: VFU at home"
        );
        assert!(
            p.body.contains(">Andra yrken från Sorsele</h2>")
                && !p.body.contains("/utbildning/bli/sjukskoterska/2422\""),
            "{label}"
        );
        let en = app.get("/utbildning/bli/larare/2521?lang=en").await;
        assert!(en.body.contains("<h1>Become a teacher from Pajala</h1>"), "{label}");
        assert_eq!(app.get("/utbildning/bli/lakare/2422").await.status, 404, "{label}");
        assert_eq!(app.get("/utbildning/bli/larare/2499").await.status, 404, "{label}");
        // from anywhere in Sweden, e.g. Boden outside the region
        let boden = app.get("/utbildning/bli/larare/2582").await;
        assert_eq!(boden.status, 200, "{label}");
        assert!(boden.body.contains("<h1>Bli lärare från Boden</h1>"), "{label}");

        let r = app.get("/utbildning/regionen?days=4").await;
        assert_eq!(r.status, 200, "{label}");
        let tbody = &r.body[r.body.find("<tbody>").unwrap()..r.body.find("</tbody>").unwrap()];
        assert_eq!(tbody.matches("<tr>").count(), 17, "{label}");
        let api = app.get("/api/v1/reachability?days=0").await.json();
        let wide = app.get("/api/v1/reachability?days=100").await.json();
        for (a, b) in api.as_array().unwrap().iter().zip(wide.as_array().unwrap()) {
            assert!(
                a["nurse"].as_u64() <= b["nurse"].as_u64(),
                "{label}: more days, more reachable"
            );
        }
        assert_eq!(app.get("/utbildning/regionen?days=x").await.status, 400, "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn an_import_is_seen_by_the_index() {
    use kkig_store::Actor;
    for app in apps(true).await {
        let label = app.db.label;
        let before = app.get("/api/v1/offerings?q=vinterkurs").await.json()["total"]
            .as_u64()
            .unwrap();
        assert_eq!(before, 0, "{label}");
        let mut o = app.db.store.offerings().await.unwrap().into_iter().next().unwrap();
        o.id = "e.test.vinter".into();
        o.title = "Vinterkurs i samisk kultur".into();
        app.db.store.upsert_offerings(&[o], &Actor::cli()).await.unwrap();
        // The index notices the new catalogue version after at most CACHE_TTL.
        tokio::time::sleep(kkig_web::CACHE_TTL + std::time::Duration::from_millis(100)).await;
        let after = app.get("/api/v1/offerings?q=vinterkurs").await.json();
        assert_eq!(after["total"], 1, "{label}");
        app.finish().await;
    }
}

/// Every `href="…"` value in a page, HTML entities for `&`, `:` and quotes undone.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').unwrap_or(rest.len())]
                .replace("&#38;", "&")
                .replace("&#58;", ":")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Offerings stored with `javascript:`, `data:` and ` JaVaScRiPt:` application URLs (as old
/// data or a store written by another tool might hold them) and one with an https URL.
async fn offerings_with_links(app: &crate::common::TestApp) {
    use kkig_core::catalogue::SchoolType;
    use kkig_store::Actor;
    let all = app.db.store.offerings().await.unwrap();
    // A nurse programme, so that the offerings are on the pathway page too.
    let nurse = all
        .into_iter()
        .find(|o| {
            o.school_type == SchoolType::Hs
                && o.credits >= 60.0
                && o.occupations.iter().any(|s| s.to_string() == "2221")
        })
        .expect("a nurse programme in the demo");
    let links = [
        ("e.link.js", "javascript:alert(1)"),
        ("e.link.data", "data:text/html,<script>alert(1)</script>"),
        ("e.link.mixed", " JaVaScRiPt:alert(document.cookie)"),
        ("e.link.https", "https://www.example.se/ansok/zyxlank"),
    ];
    let made: Vec<_> = links
        .iter()
        .map(|(id, url)| {
            let mut o = nurse.clone();
            o.id = id.to_string();
            o.title = format!("Sjuksköterskeprogrammet zyxlank {id}");
            // Not started, applications open: on the pathway page with an application link.
            o.start = "2099-08-31".into();
            o.end = "2102-06-10".into();
            o.application_closes = Some("2099-04-15".into());
            o.application_url = Some(url.to_string());
            o
        })
        .collect();
    app.db.store.upsert_offerings(&made, &Actor::cli()).await.unwrap();
}

#[tokio::test]
async fn only_http_links_from_data_become_links() {
    for app in apps(true).await {
        let label = app.db.label;
        offerings_with_links(&app).await;
        let bad = |h: &str| {
            let h = h.trim().to_lowercase();
            h.starts_with("javascript:") || h.starts_with("data:") || h.contains("alert(")
        };
        let search = app.get("/utbildning?q=zyxlank").await;
        assert_eq!(search.status, 200, "{label}");
        for e in ["e.link.js", "e.link.data", "e.link.mixed", "e.link.https"] {
            assert!(search.body.contains(&format!("zyxlank {e}")), "{label}: {e} is a hit");
        }
        let pathway = app.get("/utbildning/bli/sjukskoterska/2422").await;
        assert_eq!(pathway.status, 200, "{label}");
        assert!(pathway.body.contains("zyxlank e.link.js"), "{label}");
        for (page, res) in [("/utbildning", &search), ("pathway", &pathway)] {
            let links = hrefs(&res.body);
            assert!(!links.iter().any(|h| bad(h)), "{label} {page}: {links:?}");
            assert!(
                links.iter().any(|h| h == "https://www.example.se/ansok/zyxlank"),
                "{label} {page}: the https link stays"
            );
            assert!(
                !res.body.to_lowercase().contains("javascript:"),
                "{label} {page}: not even as text"
            );
        }

        // The API gives the checked link or null.
        let api = app.get("/api/v1/offerings?q=zyxlank&per_page=10").await.json();
        let urls: Vec<(String, serde_json::Value)> = api["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["id"].as_str().unwrap().to_string(), h["application_url"].clone()))
            .collect();
        assert_eq!(urls.len(), 4, "{label}: {urls:?}");
        for (id, url) in &urls {
            let want = if id == "e.link.https" {
                serde_json::json!("https://www.example.se/ansok/zyxlank")
            } else {
                serde_json::Value::Null
            };
            assert_eq!(url, &want, "{label} {id}");
        }
        let one = app.get("/api/v1/offerings/e.link.mixed").await.json();
        assert_eq!(one["application_url"], serde_json::Value::Null, "{label}");
        // The calendar feed carries no such URL either.
        let ics = app.get("/utbildning/export/ansokningsdatum.ics?q=zyxlank").await;
        assert!(
            !ics.body.to_lowercase().contains("javascript:") && !ics.body.contains("data:text"),
            "{label}: {}",
            ics.body
        );
        assert!(
            ics.body.contains("URL:https://www.example.se/ansok/zyxlank"),
            "{label}: {}",
            ics.body
        );
        app.finish().await;
    }
}

/// An offering title typed like a formula is written to utbildningar.csv with a leading
/// apostrophe, and to utbildningar.xlsx as a string cell; the CSV imports back unchanged.
#[tokio::test]
async fn offering_exports_do_not_carry_formulas() {
    use kkig_store::Actor;
    const TITLE: &str = "=HYPERLINK(\"http://x\",\"zyxformel\")";
    for app in apps(true).await {
        let label = app.db.label;
        let mut o = app.db.store.offerings().await.unwrap().into_iter().next().unwrap();
        o.id = "e.test.formula".into();
        o.title = TITLE.into();
        o.eligibility = "-5 kr, @team +1".into();
        app.db
            .store
            .upsert_offerings(&[o.clone()], &Actor::cli())
            .await
            .unwrap();

        let csv = app.get("/utbildning/export/utbildningar.csv?q=zyxformel").await;
        assert_eq!(csv.status, 200, "{label}");
        assert!(
            csv.body
                .contains(";\"'=HYPERLINK(\"\"http://x\"\",\"\"zyxformel\"\")\";"),
            "{label}: {}",
            csv.body
        );
        assert!(csv.body.contains(";'-5 kr, @team +1\r\n"), "{label}: {}", csv.body);
        // kkig reads its own export back unchanged.
        let again = kkig_formats::parse_offerings("utbildningar.csv", &csv.bytes);
        assert!(again.is_valid(), "{label}: {:?}", again.errors);
        assert_eq!(again.into_offerings(), vec![o], "{label}");

        let xlsx = app.get("/utbildning/export/utbildningar.xlsx?q=zyxformel").await;
        assert_eq!(xlsx.status, 200, "{label}");
        let (cells, has_formula) = crate::common::xlsx_cells(&xlsx.bytes);
        assert!(!has_formula, "{label}: no cell is a formula");
        assert!(
            cells.iter().any(|(_, _, v)| *v == calamine::Data::String(TITLE.into())),
            "{label}: {cells:?}"
        );
        app.finish().await;
    }
}

/// The part of `html` from `from` to `to` (both must be there).
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("{from:?} missing"));
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[tokio::test]
async fn a_resident_reaches_the_pathway_in_three_steps() {
    for app in apps(true).await {
        let label = app.db.label;
        // 1. The start page, the search page and a municipality page ask "Vad vill du bli?".
        for page in ["/", "/utbildning", "/utbildning/bli"] {
            let res = app.get(page).await;
            assert_eq!(res.status, 200, "{label} {page}");
            assert!(
                res.body
                    .contains(r#"<form method="get" action="/utbildning/bli" class="become-form""#)
                    && res.body.contains(r#"<option value="2582">Boden</option>"#),
                "{label} {page}: the form, with all of Sweden"
            );
        }
        let sorsele = app.get("/kommun/2422").await;
        for slug in ["larare", "sjukskoterska", "socionom"] {
            assert!(
                sorsele.body.contains(&format!(r#"href="/utbildning/bli/{slug}/2422""#)),
                "{label}: {slug}"
            );
        }
        assert!(
            app.get("/utbildning")
                .await
                .body
                .contains(r#"href="/utbildning/regionen""#),
            "{label}"
        );
        // 2. The form's answer leads to the pathway page.
        let go = app.get("/utbildning/bli?yrke=sjukskoterska&hemkommun=2422").await;
        assert_eq!(go.status, 303, "{label}");
        assert_eq!(go.headers["location"], "/utbildning/bli/sjukskoterska/2422", "{label}");
        // What is missing or wrong is named, and what was chosen stays chosen.
        let half = app.get("/utbildning/bli?yrke=sjukskoterska&hemkommun=").await;
        assert_eq!(half.status, 400, "{label}");
        assert!(
            half.body
                .contains(r##"<a href="#become-home">Välj kommunen du bor i.</a>"##),
            "{label}"
        );
        assert!(
            half.body.contains(r#"<option value="sjukskoterska" selected>"#),
            "{label}"
        );
        let bad = app.get("/utbildning/bli?yrke=lakare&hemkommun=9999&lang=en").await;
        assert_eq!(bad.status, 400, "{label}");
        assert!(
            bad.body.contains("Choose what you want to become.")
                && bad.body.contains("Choose the municipality you live in."),
            "{label}"
        );
        // Search results from a home link to the pathway of what they lead to.
        let hits = app.get("/utbildning?q=sjuksk%C3%B6terska&home=2422").await;
        assert!(
            hits.body
                .contains(r#"<a href="/utbildning/bli/sjukskoterska/2422">Bli sjuksköterska från Sorsele</a>"#),
            "{label}"
        );

        // 3. The pathway: the way in first, further education for the licensed after it, marked.
        let p = app.get("/utbildning/bli/sjukskoterska/2422").await;
        let entry = between(&p.body, r#"<h2 id="entry-heading">"#, r#"<h2 id="further-heading">"#);
        let further = between(&p.body, r#"<h2 id="further-heading">"#, r#"<h2 id="centre-heading">"#);
        assert!(
            entry.contains("Sjuksköterskeprogrammet") && !entry.contains("Barnmorskeprogrammet"),
            "{label}"
        );
        assert!(
            further.contains("Barnmorskeprogrammet") && further.contains("Kräver legitimation eller yrkesexamen"),
            "{label}"
        );
        assert!(!further.contains(">Sjuksköterskeprogrammet<"), "{label}");
        // The municipality's own need, from the forecast, linked to it.
        assert!(
            p.body.contains("Enligt prognosen behöver Sorsele rekrytera")
                && p.body.contains(r#"href="/prognos/kommun/2422/"#),
            "{label}"
        );
        // Travel in hours and days, not minutes.
        assert!(!entry.contains(" min"), "{label}: {entry}");
        assert!(
            entry.contains("timmars resor") || entry.contains("Inga resor"),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_closed_application_is_marked_closed() {
    use kkig_store::Actor;
    for app in apps(true).await {
        let label = app.db.label;
        let mut o = app
            .db
            .store
            .offerings()
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.occupations.iter().any(|s| s.to_string() == "2221") && o.credits >= 60.0)
            .unwrap();
        o.id = "e.closed".into();
        o.title = "Sjuksköterskeprogrammet qwclosed".into();
        // Not started yet (what has started is not on the pathway), but closed for applications.
        o.start = "2099-08-31".into();
        o.end = "2102-06-10".into();
        o.application_closes = Some("2001-04-15".into());
        o.application_url = Some("https://www.example.se/qwclosed".into());
        app.db.store.upsert_offerings(&[o], &Actor::cli()).await.unwrap();
        let search = app.get("/utbildning?q=qwclosed").await;
        let hit = between(&search.body, r#"data-id="e.closed""#, "</li>");
        assert!(
            hit.contains("Stängd") && hit.contains("stängde 2001-04-15"),
            "{label}: {hit}"
        );
        assert!(
            !hit.contains("Till ansökan") && hit.contains("Läs mer"),
            "{label}: {hit}"
        );
        let p = app.get("/utbildning/bli/sjukskoterska/2422").await;
        let card = between(&p.body, "qwclosed", "</li>");
        assert!(card.contains("Ansökan stängde 2001-04-15"), "{label}: {card}");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_words_residents_use_find_programmes() {
    for app in apps(true).await {
        let label = app.db.label;
        for q in [
            "distans",
            "förskollärare distans",
            "lärare distans",
            "socionom distans",
            "sjuksköterskeutbildning",
            "socionomutbildning",
            "lärarutbildning",
            "forskollarare",
            "ssk",
            "nurse",
        ] {
            let uri = format!("/api/v1/offerings?home=2422&q={}", crate::common::enc(q));
            let res = app.get(&uri).await;
            assert_eq!(res.status, 200, "{label} {q}");
            assert!(
                res.json()["total"].as_u64().unwrap() > 0,
                "{label}: {q:?} finds nothing"
            );
        }
        // "distans" is the study form, not a word of the title.
        let d = app.get("/api/v1/offerings?q=distans&per_page=100").await.json();
        assert!(
            d["hits"].as_array().unwrap().iter().all(|h| h["form"] == "distance"),
            "{label}: {d}"
        );
        // "halvfart" is the pace, "på campus" the form.
        let half = app
            .get("/api/v1/offerings?q=l%C3%A4rare+halvfart&per_page=100")
            .await
            .json();
        assert!(half["total"].as_u64().unwrap() > 0, "{label}: {half}");
        assert!(
            half["hits"].as_array().unwrap().iter().all(|h| h["pace_percent"] == 50),
            "{label}: {half}"
        );
        let campus = app
            .get("/api/v1/offerings?q=sjuksk%C3%B6terska+p%C3%A5+campus&per_page=100")
            .await
            .json();
        assert!(campus["total"].as_u64().unwrap() > 0, "{label}");
        assert!(
            campus["hits"].as_array().unwrap().iter().all(|h| h["form"] == "campus"),
            "{label}: {campus}"
        );
        // Several words and nothing found: the same search without the last word is offered.
        let two = app.get("/utbildning?q=sjuksk%C3%B6terska+qqxyzzy").await;
        assert!(
            two.body
                .contains(r#"Sök i stället på <a href="/utbildning?q=sjuksk%C3%B6terska">sjuksköterska</a>"#),
            "{label}"
        );
        // Nothing found: a hint, no exports of nothing, no "Sida 1 av 1".
        let none = app.get("/utbildning?q=qqxyzzy").await;
        assert_eq!(none.status, 200, "{label}");
        assert!(none.body.contains("Prova färre eller andra ord"), "{label}");
        assert!(!none.body.contains("/utbildning/export/"), "{label}");
        assert!(!none.body.contains("Sida 1 av 1"), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn level_and_licence_filter_the_search() {
    for app in apps(true).await {
        let label = app.db.label;
        let total = |uri: &str| {
            let uri = uri.to_string();
            let app = &app;
            async move {
                let res = app.get(&uri).await;
                assert_eq!(res.status, 200, "{uri}: {}", res.body);
                res.json()["total"].as_u64().unwrap()
            }
        };
        let nurse = total("/api/v1/offerings?area=nurse").await;
        let leads = total("/api/v1/offerings?area=nurse&licence=leads").await;
        let requires = total("/api/v1/offerings?area=nurse&licence=requires").await;
        assert!(leads > 0 && requires > 0, "{label}: {leads} {requires}");
        assert!(leads + requires <= nurse, "{label}");
        let midwives = app
            .get("/api/v1/offerings?q=barnmorskeprogrammet&licence=leads")
            .await
            .json();
        assert_eq!(
            midwives["total"], 0,
            "{label}: a midwives' programme is further education"
        );
        let second = total("/api/v1/offerings?level=second_cycle").await;
        let first = total("/api/v1/offerings?level=first_cycle").await;
        assert!(first > 0 && second > 0, "{label}");
        let bad = app.get("/api/v1/offerings?level=grundniva&licence=x").await;
        assert_eq!(bad.status, 400, "{label}");
        assert!(
            bad.body.contains("level") && bad.body.contains("licence"),
            "{label}: {}",
            bad.body
        );
        // On the page: the filters, and a mark on each programme of the shortage areas.
        let page = app.get("/utbildning?q=barnmorskeprogrammet").await;
        assert!(page.body.contains(r#"<select id="licence" name="licence">"#), "{label}");
        assert!(
            page.body
                .contains(r#"<strong class="tag">Kräver legitimation eller yrkesexamen</strong>"#),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_nearest_learning_centre_is_said_in_minutes_or_hours() {
    // Boden (outside the region) to the nearest of the region's learning centres: hours away.
    let app = apps(false).await.remove(0);
    let boden = app.get("/utbildning/bli/larare/2582").await;
    let centre = between(&boden.body, r#"<p class="centre">"#, "</p>");
    assert!(centre.contains("timm") && !centre.contains(" min "), "{centre}");
    let en = app.get("/utbildning/bli/larare/2582?lang=en").await;
    let centre = between(&en.body, r#"<p class="centre">"#, "</p>");
    assert!(centre.contains("hour") && centre.contains("away"), "{centre}");
    app.finish().await;
}
