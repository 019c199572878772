//! The region's pages: start page, municipality pages, languages, sessions and security headers.

use crate::common::apps;

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
            html.contains(r#"<svg role="img" aria-labelledby="map-title map-desc""#),
            "{label}"
        );
        assert_eq!(
            html.matches("<circle cx=").count(),
            17 + 1,
            "{label}: 17 towns and the legend"
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
