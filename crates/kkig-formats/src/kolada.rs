//! Key figures from Kolada's API v3 as JSON (docs/forecast.md):
//! `{"count": …, "values": [{"kpi": "N00914", "municipality": "2506", "period": 2023,
//! "values": [{"gender": "T", "value": 12.3}, …]}, …], "next_url": …, "previous_url": …}`.
//! The retired v2 named the link `next_page`; both are read.
//!
//! Every inner value becomes one [`KoladaRow`]. Other keys (`count` and `status` of a value,
//! `previous_url`, …) are ignored; `count` and the next page's URL are kept so a caller can
//! follow the pages, and [`missing_pages`] tells whether a set of pages is the whole answer.

use kkig_core::Kommunkod;
use serde::Serialize;
use serde_json::Value;

use crate::error::FormatError;

/// Kolada's gender codes: `T` (total), `K` (kvinnor), `M` (män).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Total,
    Female,
    Male,
}

/// One key figure of a municipality, period and gender; `value` is `None` where Kolada has no
/// value (`null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KoladaRow {
    pub kpi: String,
    pub kommunkod: Kommunkod,
    pub period: i32,
    pub gender: Gender,
    pub value: Option<f64>,
}

/// One page of a Kolada response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KoladaPage {
    pub rows: Vec<KoladaRow>,
    /// The `count` Kolada reports, if any.
    pub count: Option<u64>,
    /// The URL of the next page, if any (`next_url`; `next_page` in v2).
    pub next_page: Option<String>,
}

/// Parse a Kolada JSON response. Errors name the file and the path, e.g.
/// `values[2].values[0].gender`.
pub fn parse_kolada(file: &str, bytes: &[u8]) -> Result<KoladaPage, FormatError> {
    let err = |column: &str, message: String| FormatError::new(file, None, Some(column), message);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        FormatError::new(
            file,
            Some(e.line() as u64),
            None,
            format!("not valid JSON (column {}): {e}", e.column()),
        )
    })?;
    let Value::Object(doc) = doc else {
        return Err(FormatError::new(
            file,
            None,
            None,
            "expected a Kolada response: an object with \"values\"",
        ));
    };
    let Some(Value::Array(items)) = doc.get("values") else {
        return Err(err("values", "missing or not an array".into()));
    };
    let count = match doc.get("count") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or_else(|| err("count", format!("expected a whole number ≥ 0, found {v}")))?,
        ),
    };
    let mut next_page = None;
    for key in ["next_url", "next_page"] {
        match doc.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(Value::String(s)) => {
                next_page.get_or_insert_with(|| s.trim().to_string());
            }
            Some(v) => return Err(err(key, format!("expected a URL or null, found {v}"))),
        }
    }
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("values[{i}]");
        let Value::Object(item) = item else {
            return Err(err(&at, format!("expected an object, found {item}")));
        };
        let field = |k: &str| item.get(k).ok_or_else(|| err(&format!("{at}.{k}"), "missing".into()));
        let kpi = match field("kpi")? {
            Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
            v => {
                return Err(err(
                    &format!("{at}.kpi"),
                    format!("expected a KPI id such as \"N00914\", found {v}"),
                ))
            }
        };
        let kommunkod = match field("municipality")? {
            Value::String(s) => Kommunkod::parse(s)
                .map_err(|e| err(&format!("{at}.municipality"), format!("not a municipality: {e}")))?,
            v => {
                return Err(err(
                    &format!("{at}.municipality"),
                    format!("expected a kommunkod such as \"2506\", found {v}"),
                ))
            }
        };
        let period = match field("period")? {
            Value::Number(n) => n.as_i64().and_then(|p| i32::try_from(p).ok()),
            Value::String(s) => s.trim().parse::<i32>().ok(),
            _ => None,
        }
        .filter(|p| (1900..=2200).contains(p))
        .ok_or_else(|| {
            err(
                &format!("{at}.period"),
                format!("expected a year such as 2023, found {}", item["period"]),
            )
        })?;
        let Value::Array(values) = field("values")? else {
            return Err(err(
                &format!("{at}.values"),
                "expected an array of {\"gender\", \"value\"}".into(),
            ));
        };
        for (j, v) in values.iter().enumerate() {
            let vat = format!("{at}.values[{j}]");
            let Value::Object(v) = v else {
                return Err(err(&vat, format!("expected an object, found {v}")));
            };
            let gender = match v.get("gender").and_then(Value::as_str).map(str::trim) {
                Some("T") => Gender::Total,
                Some("K") => Gender::Female,
                Some("M") => Gender::Male,
                _ => {
                    let found = v.get("gender").map_or("nothing".to_string(), Value::to_string);
                    return Err(err(
                        &format!("{vat}.gender"),
                        format!("expected \"T\", \"K\" or \"M\", found {found}"),
                    ));
                }
            };
            let value = match v.get("value") {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => match n.as_f64() {
                    Some(x) if x.is_finite() => Some(x),
                    _ => return Err(err(&format!("{vat}.value"), format!("{n} is not a finite number"))),
                },
                Some(other) => {
                    return Err(err(
                        &format!("{vat}.value"),
                        format!("expected a number or null, found {other}"),
                    ))
                }
            };
            rows.push(KoladaRow {
                kpi: kpi.clone(),
                kommunkod,
                period,
                gender,
                value,
            });
        }
    }
    Ok(KoladaPage { rows, count, next_page })
}

/// The number in a page URL's `page=` query parameter (`…?page=2&per_page=5000` → 2).
pub fn page_number(url: &str) -> Option<u32> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
}

/// Whether `pages` (each with its file name, in any order) are every page of one answer. `None`
/// when they are; otherwise what is missing, naming the page that points to it. Pages link
/// forward only, so a complete set of n pages has exactly one last page (no `next_url`) and
/// links to pages 2…n.
pub fn missing_pages(pages: &[(String, KoladaPage)]) -> Option<String> {
    let linked: Vec<(&str, &str)> = pages
        .iter()
        .filter_map(|(name, p)| p.next_page.as_deref().map(|u| (name.as_str(), u)))
        .collect();
    if linked.is_empty() {
        return None;
    }
    let n = pages.len() as u32;
    let numbers: Option<Vec<u32>> = linked.iter().map(|(_, u)| page_number(u)).collect();
    match numbers {
        Some(numbers) => {
            let mut missing = Vec::new();
            for (i, (name, url)) in linked.iter().enumerate() {
                if numbers[i] > n || numbers[i] < 2 {
                    missing.push(format!(
                        "{name} links to page {} ({url}), which was not given",
                        numbers[i]
                    ));
                }
            }
            if missing.is_empty() && linked.len() as u32 == n - 1 {
                let mut sorted = numbers.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted == (2..=n).collect::<Vec<_>>() {
                    return None;
                }
            }
            if missing.is_empty() {
                missing.push(format!(
                    "{} of the {n} files link to a next page, and their links ({}) are not pages 2…{n} of one answer",
                    linked.len(),
                    linked.iter().map(|(_, u)| *u).collect::<Vec<_>>().join(", ")
                ));
            }
            Some(missing.join("; "))
        }
        None if linked.len() as u32 == n - 1 => None,
        None => Some(format!(
            "{} links to a next page ({}), which was not given",
            linked[0].0, linked[0].1
        )),
    }
}
