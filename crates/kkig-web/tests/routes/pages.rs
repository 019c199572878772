//! The region's pages: start page, municipality pages, languages, sessions and security headers.

use crate::common::{apps, map_section};

fn text(html: &str) -> String {
    // Normalise the no-break spaces of Swedish numbers for simple assertions.
    html.replace('\u{a0}', " ")
}

#[tokio::test]
async fn start_page_shows_the_region_as_table_and_map() {
    for app in apps(true).await {
        let label = app.db.label;
        let res = app.get("/").await;
        assert_eq!(res.status, 200, "{label}");
        assert_eq!(res.headers["content-type"], "text/html; charset=utf-8", "{label}");
        let html = text(&res.body);
        assert!(html.starts_with("<!doctype html>\n<html lang=\"sv\">"), "{label}");
        assert!(html.contains("<h1>Kommunerna i samverkan</h1>"), "{label}");
        assert!(html.contains(r##"<a class="skip-link" href="#main">"##), "{label}");
        assert!(html.contains(r#"<main id="main""#), "{label}");
        assert!(
            html.contains(r#"<svg role="img" aria-labelledby="map-title" aria-describedby="map-desc""#),
            "{label}"
        );
        // The table: 17 rows, one per participant, with population.
        let tbody = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
        assert_eq!(tbody.matches("<tr>").count(), 17, "{label}");
        assert!(tbody.contains(r#"<a href="/kommun/2422">Sorsele</a>"#), "{label}");
        assert!(tbody.contains(">2 387<"), "{label}");
        assert!(html.contains("218 268"), "{label}: total population of the 17");
        assert!(
            html.contains(r#"class="demo-notice""#) && html.contains("Demodata"),
            "{label}"
        );
        assert!(html.contains("VFU-platser (demo)"), "{label}");
        app.finish().await;
    }
}

/// The start page's map is drawn from the municipal borders: the region's 23 municipalities
/// shaded by role (17 participants, 6 campus towns' municipalities), their neighbours grey, 15
/// seat towns and 8 campus towns marked and labelled without collisions (none left to the
/// list), a legend, and a link to the table; it scales (a viewBox, width 100%, no height).
#[tokio::test]
async fn start_page_map_is_drawn_from_the_borders() {
    for app in apps(true).await {
        let label = app.db.label;
        let html = app.get("/").await.body;
        let map = map_section(&html);
        let svg = &map[map.find("<svg").unwrap()..map.find("<title").unwrap()];
        assert!(
            svg.contains(r#"viewBox="0 0 400 "#) && svg.contains(r#" width="100%""#) && !svg.contains("height="),
            "{label}: {svg}"
        );
        let areas =
            &map[map.find(r#"<g class="map-areas">"#).unwrap()..map.find(r#"<g class="map-leaders">"#).unwrap()];
        assert_eq!(areas.matches("<path ").count(), 23, "{label}");
        assert_eq!(
            areas.matches(r##"fill="#7dbca6""##).count(),
            17,
            "{label}: participants"
        );
        assert!(areas.contains("<title>Pajala: Deltagande kommun</title>"), "{label}");
        let others = &map[map.find(r#"<g class="map-others""#).unwrap()..map.find(r#"<g class="map-areas">"#).unwrap()];
        assert!(others.matches("<path ").count() >= 20, "{label}: grey neighbours");
        assert_eq!(
            map.matches(r#"<circle class="map-seat""#).count(),
            15 + 1,
            "{label}: seats and legend"
        );
        assert_eq!(
            map.matches(r#"<rect class="map-campus""#).count(),
            8 + 1,
            "{label}: campus towns and legend"
        );
        let labels = &map[map.find(r#"<g class="map-labels""#).unwrap()..map.find("</svg>").unwrap()];
        assert_eq!(labels.matches("<text ").count(), 23, "{label}: every town labelled");
        for town in ["Pajala", "Gällivare", "Lycksele", "Norsjö"] {
            assert!(labels.contains(&format!(">{town}</text>")), "{label}: {town}");
        }
        assert!(
            !map.contains("Namn som inte får plats"),
            "{label}: no label left to the list"
        );
        assert!(
            map.contains(r##"<a href="#municipalities">Samma uppgifter som tabell.</a>"##),
            "{label}"
        );
        insta::assert_snapshot!("start_page_map", map);
        let en = map_section(&app.get("/?lang=en").await.body);
        assert!(
            en.contains("<title id=\"map-title\">Map of the participating") && en.contains("</svg> Seat town</li>"),
            "{label}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn without_demo_there_is_no_demo_notice() {
    for app in apps(false).await {
        let html = app.get("/").await.body;
        assert!(!html.contains("demo-notice"), "{}", app.db.label);
        assert!(!html.contains("VFU-platser (demo)"), "{}", app.db.label);
        app.finish().await;
    }
}

#[tokio::test]
async fn municipality_page_in_both_languages() {
    for app in apps(true).await {
        let label = app.db.label;
        let sv = app.get("/kommun/2422").await;
        assert_eq!(sv.status, 200, "{label}");
        let html = text(&sv.body);
        assert!(html.contains("<h1>Sorsele</h1>"), "{label}");
        assert!(html.contains("2 387 (31 december 2023)"), "{label}");
        assert!(html.contains("Lärcentrum Sorsele"), "{label}");
        assert!(html.contains("Tjänster (demo)"), "{label}");
        // Travel time to Umeå by the travel model: 229.956 km × 1.3 / 70 × 60 = 256.2 → 256 min.
        assert!(
            html.contains(
                "<th scope=\"row\">Umeå</th><td>UmU</td><td class=\"num\">230 km</td><td class=\"num\">256 min</td>"
            ),
            "{label}"
        );

        let en = app.get("/kommun/2422?lang=en").await;
        let html = text(&en.body);
        assert!(html.contains("<html lang=\"en\">"), "{label}");
        assert!(html.contains("2,387 (31 December 2023)"), "{label}");
        assert!(html.contains("Services (demo)"), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn language_choice_is_kept_in_the_database_session_across_nodes() {
    for app in apps(false).await {
        let label = app.db.label;
        let first = app.get("/?lang=en").await;
        assert!(
            first.body.contains("The municipalities in the collaboration"),
            "{label}"
        );
        let cookie = first.session_cookie().expect("a session cookie");
        let set_cookie = first.headers["set-cookie"].to_str().unwrap();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{label}: {set_cookie}"
        );

        // The same node and another node on the same database both remember English.
        let again = app.get_with_cookie("/kommun/2482", &cookie).await;
        assert!(again.body.contains("<html lang=\"en\">"), "{label}");
        let other = app.request(&app.another_node(), "/", Some(&cookie)).await;
        assert!(
            other.body.contains("The municipalities in the collaboration"),
            "{label}: sessions are shared"
        );

        // Switching back.
        let back = app.get_with_cookie("/?lang=sv", &cookie).await;
        assert!(back.body.contains("<html lang=\"sv\">"), "{label}");
        let after = app.get_with_cookie("/", &cookie).await;
        assert!(after.body.contains("Kommunerna i samverkan"), "{label}");
        app.finish().await;
    }
}

#[tokio::test]
async fn unknown_municipalities_and_paths_are_404_pages() {
    for app in apps(false).await {
        let label = app.db.label;
        for (uri, want) in [
            ("/kommun/9999", "9999 är ingen kommun i kkig"),
            ("/kommun/abc", "abc är ingen kommun i kkig"),
            ("/kommun/0180", "0180 är ingen kommun i kkig"),
            ("/kommun/9999?lang=en", "9999 is not a municipality in kkig"),
            ("/no/such/page", "Vi hittar ingen sida på /no/such/page"),
        ] {
            let res = app.get(uri).await;
            assert_eq!(res.status, 404, "{label} {uri}");
            assert!(
                res.headers["content-type"].to_str().unwrap().starts_with("text/html"),
                "{label} {uri}"
            );
            assert!(res.body.contains(want), "{label} {uri}: {}", res.body);
            assert!(res.body.contains("<h1>"), "{label} {uri}");
        }
        // Markup in the path is escaped, never echoed raw.
        let res = app.get("/kommun/%3Cscript%3E").await;
        assert_eq!(res.status, 404, "{label}");
        assert!(
            !res.body.contains("<script>") && res.body.contains("&#60;script&#62;"),
            "{label}: {}",
            res.body
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn security_headers_and_static_assets() {
    let apps = apps(false).await;
    let app = &apps[0];
    for uri in ["/", "/api/v1/municipalities", "/static/kkig.css"] {
        let res = app.get(uri).await;
        let csp = res.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{uri}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{uri}");
        assert!(res.headers.contains_key("referrer-policy"), "{uri}");
    }
    let htmx = app.get("/static/htmx.min.js").await;
    assert_eq!(htmx.status, 200);
    assert!(htmx.body.contains("version:\"2."), "htmx 2.x is vendored");
    assert_eq!(app.get("/static/nope.js").await.status, 404);
    // The icon every page names.
    let icon = app.get("/static/favicon.svg").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");
    assert!(app
        .get("/")
        .await
        .body
        .contains(r#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#));
    // No inline scripts or styles anywhere in the pages (the CSP would block them).
    let html = app.get("/").await.body;
    assert!(!html.contains("<script>") && !html.contains("<style") && !html.contains(" style="));
    for app in apps {
        app.finish().await;
    }
}

#[tokio::test]
async fn cookies_are_secure_when_served_over_tls() {
    use std::sync::Arc;
    let apps = apps(false).await;
    let app = &apps[0];
    let config = kkig_web::WebConfig {
        secure_cookies: true,
        ..Default::default()
    };
    let tls = kkig_web::app(kkig_web::AppState::new(Arc::new(app.db.store.clone()), config).unwrap());
    let res = app.request(&tls, "/?lang=en", None).await;
    let cookie = res.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");
    let plain = app.get("/?lang=en").await;
    assert!(
        !plain.headers["set-cookie"].to_str().unwrap().contains("Secure"),
        "without TLS no Secure flag"
    );
    for app in apps {
        app.finish().await;
    }
}
