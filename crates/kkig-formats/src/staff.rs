//! Staff age profiles as an HR system exports them: one row per municipality, occupation and
//! age with a headcount, in Swedish Excel CSV (`;`, UTF-8 with BOM or Windows-1252, decimal
//! comma) or XLSX. Columns (any order, case-insensitive): `kommunkod` (or `kommun`), `ssyk`
//! (or `yrke`), `ålder` (or `alder`, `age`), `antal` (or `count`). Headcounts may be
//! fractional (full-time equivalents). An age twice for the same municipality and occupation
//! is summed.

use std::collections::BTreeMap;

use kkig_core::{Kommunkod, Ssyk};

use crate::decode::{self, Sheet};
use crate::error::FormatError;

/// One municipality's staff of one occupation by age, from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffProfile {
    pub kommunkod: Kommunkod,
    pub ssyk: Ssyk,
    pub staff_by_age: BTreeMap<u32, f64>,
}

const COLUMNS: [(&str, &[&str]); 4] = [
    ("kommunkod", &["kommunkod", "kommun", "municipality"]),
    ("ssyk", &["ssyk", "yrke", "occupation"]),
    ("ålder", &["ålder", "alder", "age"]),
    ("antal", &["antal", "count", "headcount"]),
];

/// Read a staff file. Every bad row is reported (file, row, column, what was expected); with
/// any error there is no result, so an import writes nothing.
pub fn parse_staff_ages(file: &str, bytes: &[u8]) -> Result<Vec<StaffProfile>, Vec<FormatError>> {
    let sheet: Sheet = if bytes.starts_with(b"PK\x03\x04") {
        decode::read_xlsx(file, bytes, &[])
    } else {
        decode::read_csv(file, bytes)
    }
    .map_err(|e| vec![e])?;
    let mut at = [usize::MAX; 4];
    let mut errors = Vec::new();
    for (i, (name, aliases)) in COLUMNS.iter().enumerate() {
        match sheet.headers.iter().position(|h| aliases.contains(&h.as_str())) {
            Some(p) => at[i] = p,
            None => errors.push(FormatError::new(
                file,
                Some(1),
                Some(name),
                format!(
                    "required column {name:?} is missing (also accepted: {})",
                    aliases.join(", ")
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out: BTreeMap<(Kommunkod, Ssyk), BTreeMap<u32, f64>> = BTreeMap::new();
    for r in &sheet.rows {
        let cell = |i: usize| r.cells.get(at[i]).map(String::as_str).unwrap_or("");
        let mut bad = |col: &str, msg: String| errors.push(FormatError::new(file, Some(r.row), Some(col), msg));
        let k = decode::cell_kommunkod(cell(0))
            .map_err(|e| bad("kommunkod", e.to_string()))
            .ok();
        let s = Ssyk::parse(cell(1)).map_err(|e| bad("ssyk", e.to_string())).ok();
        let age = match decode::parse_count(cell(2)) {
            Ok(a) if (15..=80).contains(&a) => Some(a),
            Ok(a) => {
                bad("ålder", format!("age {a} is outside 15…80"));
                None
            }
            Err(e) => {
                bad("ålder", e);
                None
            }
        };
        let n = match decode::parse_decimal(cell(3)) {
            Ok(n) if n >= 0.0 && n.is_finite() => Some(n),
            Ok(n) => {
                bad("antal", format!("{n} is negative; expected a headcount ≥ 0"));
                None
            }
            Err(e) => {
                bad("antal", e);
                None
            }
        };
        if let (Some(k), Some(s), Some(age), Some(n)) = (k, s, age, n) {
            *out.entry((k, s)).or_default().entry(age).or_default() += n;
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(out
        .into_iter()
        .map(|((kommunkod, ssyk), staff_by_age)| StaffProfile {
            kommunkod,
            ssyk,
            staff_by_age,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_excel_csv_with_bom_and_windows_1252() {
        let csv = "\u{feff}kommunkod;ssyk;ålder;antal\r\n2422;2343;25;2\r\n2422;2343;31;1,5\r\n2422;2343;31;1\r\n2506;2221;64;3\r\n";
        let p = parse_staff_ages("a.csv", csv.as_bytes()).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].kommunkod.to_string(), "2422");
        assert_eq!(p[0].staff_by_age, BTreeMap::from([(25, 2.0), (31, 2.5)]));
        let cp: Vec<u8> = "Kommun;Yrke;Ålder;Antal\n2422;2343;40;1\n"
            .chars()
            .map(|c| c as u32 as u8)
            .collect();
        assert_eq!(
            parse_staff_ages("b.csv", &cp).unwrap()[0].staff_by_age,
            BTreeMap::from([(40, 1.0)])
        );
    }

    #[test]
    fn xlsx_as_excel_saves_it() {
        use crate::table::{Cell, Table};
        let mut t = Table::new(&["Kommunkod", "SSYK", "Ålder", "Antal"]);
        t.push(vec![
            Cell::Int(2422),
            Cell::Int(2661),
            Cell::Int(41),
            Cell::Decimal(1.5, 1),
        ]);
        t.push(vec![Cell::Int(114), Cell::text("2661"), Cell::Int(58), Cell::Int(2)]);
        let bytes = t.to_xlsx("Personal").unwrap();
        let p = parse_staff_ages("personal.xlsx", &bytes).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].kommunkod.to_string(),
            "0114",
            "the leading zero Excel drops is put back"
        );
        assert_eq!(p[0].staff_by_age, BTreeMap::from([(58, 2.0)]));
        assert_eq!(p[1].staff_by_age, BTreeMap::from([(41, 1.5)]));
    }

    #[test]
    fn errors_name_row_and_column() {
        let csv = "kommunkod;ssyk;ålder;antal\n9999;2343;25;2\n2422;23;12;x\n";
        let e: Vec<String> = parse_staff_ages("a.csv", csv.as_bytes())
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e[0].starts_with("a.csv, row 2, column kommunkod"), "{e:?}");
        assert!(e[1].starts_with("a.csv, row 3, column ssyk"), "{e:?}");
        assert!(
            e[2].starts_with("a.csv, row 3, column ålder: age 12 is outside"),
            "{e:?}"
        );
        assert!(e[3].starts_with("a.csv, row 3, column antal"), "{e:?}");
        let e = parse_staff_ages("a.csv", b"kommun;antal\n").unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn never_panics_on_garbage() {
        for bytes in [
            &b""[..],
            b"PK\x03\x04junk",
            b";;;\n;;;",
            b"\xff\xfe",
            b"kommunkod;ssyk;alder;antal\n;;;",
        ] {
            let _ = parse_staff_ages("x", bytes);
        }
    }
}
