//! A measured travel-time matrix: CSV `from;to;minutes` (see `docs/catalogue-import.md`).
//!
//! `from` and `to` are kommunkods or study-site ids; `minutes` is the one-way travel time, a
//! whole number of zero or more. kkig uses a measured value wherever one exists and the travel
//! model of DESIGN.md elsewhere.

use std::collections::HashMap;

use kkig_core::Kommunkod;

use crate::decode;
use crate::error::FormatError;

/// The rows of a travel matrix as `(from, to, minutes)`, in file order; or every problem found.
///
/// Same encodings and separators as the offerings CSV. Columns other than `from`, `to` and
/// `minutes` (e.g. names) are ignored. A pair given twice is an error.
pub fn parse_travel_csv(file: &str, bytes: &[u8]) -> Result<Vec<(String, String, i64)>, Vec<FormatError>> {
    let sheet = decode::read_csv(file, bytes).map_err(|e| vec![e])?;
    let cols = decode::columns(file, &sheet.headers, &["from", "to", "minutes"], None)?;
    let mut out = Vec::with_capacity(sheet.rows.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for r in &sheet.rows {
        let get = |c: &str| r.cells.get(cols[c]).map(String::as_str).unwrap_or("");
        let mut err = |c: &str, m: String| errors.push(FormatError::new(file, Some(r.row), Some(c), m));
        let (from, to, minutes) = (get("from"), get("to"), get("minutes"));
        let mut ok = true;
        for (c, v) in [("from", from), ("to", to)] {
            if v.is_empty() {
                err(c, format!("{c} is missing; expected a kommunkod or a site id"));
                ok = false;
            }
        }
        let minutes = match minutes.parse::<i64>() {
            Ok(m) if m >= 0 => Some(m),
            _ if minutes.is_empty() => {
                err("minutes", "minutes is missing".into());
                None
            }
            _ => {
                err(
                    "minutes",
                    format!("minutes {minutes:?} is not a whole number of zero or more"),
                );
                None
            }
        };
        let (Some(minutes), true) = (minutes, ok) else { continue };
        match seen.get(&(from.to_string(), to.to_string())) {
            Some(first) => err(
                "to",
                format!("the pair {from} → {to} appears twice (first on row {first})"),
            ),
            None => {
                seen.insert((from.to_string(), to.to_string()), r.row);
                out.push((from.to_string(), to.to_string(), minutes));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The rows whose `from` and `to` are both kommunkods (three digits read as Excel wrote a
/// leading-zero code, `114` → `0114`); rows between site ids are left out.
pub fn kommunkod_pairs(rows: &[(String, String, i64)]) -> Vec<(Kommunkod, Kommunkod, i64)> {
    rows.iter()
        .filter_map(|(a, b, m)| Some((decode::cell_kommunkod(a).ok()?, decode::cell_kommunkod(b).ok()?, *m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolon_and_comma_files_in_both_encodings() {
        let rows = parse_travel_csv(
            "t.csv",
            b"\xEF\xBB\xBFfrom;to;minutes\r\n2422;2480;240\r\n2422;lc-sorsele;5\r\n",
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ("2422".into(), "2480".into(), 240),
                ("2422".into(), "lc-sorsele".into(), 5)
            ]
        );
        let rows = parse_travel_csv("t.csv", b"From,To,Minutes,note\n2481,2480,150,E12 via V\xE4nn\xE4s\n").unwrap();
        assert_eq!(rows, vec![("2481".into(), "2480".into(), 150)]);
        let k = kommunkod_pairs(
            &parse_travel_csv("t.csv", b"from;to;minutes\n2422;2480;240\n2422;lc-1;5\n114;180;30\n").unwrap(),
        );
        assert_eq!(
            k.iter().map(|(a, b, m)| format!("{a}-{b}-{m}")).collect::<Vec<_>>(),
            ["2422-2480-240", "0114-0180-30"]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_row_and_column() {
        let csv =
            "from;to;minutes\n2422;2480;-5\n;2480;10\n2422;2481;ten\n2422;2481;12,5\n2422;2480;4\n2422;2480;240\n";
        let errors = parse_travel_csv("t.csv", csv.as_bytes()).unwrap_err();
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.row.unwrap(), e.column.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (2, "minutes".into()),
                (3, "from".into()),
                (4, "minutes".into()),
                (5, "minutes".into()),
                (7, "to".into())
            ]
        );
        assert!(errors[0].message.contains("\"-5\""), "{}", errors[0]);
        assert!(
            errors[4].message.contains("appears twice (first on row 6)"),
            "{}",
            errors[4]
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let errors = parse_travel_csv("t.csv", b"from;till;minuter\n2422;2480;240\n").unwrap_err();
        let cols: Vec<_> = errors.iter().filter_map(|e| e.column.as_deref()).collect();
        assert_eq!(cols, ["to", "minutes"]);
        assert!(parse_travel_csv("t.csv", b"").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = parse_travel_csv("t.csv", &bytes);
        }

        #[test]
        fn never_panics_on_csv_like_text(s in "(from|to|minutes|[0-9]{1,5}|-1|x|;|,|\"|\r?\n){0,40}") {
            if let Ok(rows) = parse_travel_csv("t.csv", s.as_bytes()) {
                let _ = kommunkod_pairs(&rows);
            }
        }
    }
}
