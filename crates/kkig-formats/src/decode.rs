//! Input as coordinators' tools write it: text encodings, the CSV dialect of Swedish Excel,
//! dates, decimal commas and kommunkod cells that Excel stripped of their leading zero.

use kkig_core::{CodeError, Kommunkod};

use crate::error::FormatError;
use crate::table::unguard_formula;

/// Bytes to text: a UTF-8 byte-order mark is dropped; valid UTF-8 is read as UTF-8, anything
/// else as Windows-1252 (what Swedish Excel writes for "CSV (semikolonavgränsad)").
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            "the file is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8 or CSV (semikolonavgränsad)".into(),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    })
}

/// One Windows-1252 byte as a character. 0x80–0x9F hold typographic characters; the five
/// bytes the code page leaves undefined map to the C1 control of the same value (as WHATWG does).
fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// A sheet read from CSV or XLSX: trimmed, lower-cased headers and the data rows with their
/// spreadsheet row numbers (the header row is row 1). Cells are trimmed; rows whose cells are
/// all empty are left out.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug)]
pub(crate) struct SheetRow {
    pub row: u64,
    pub cells: Vec<String>,
    /// Problems found while reading the cells (e.g. an Excel error value); the row is invalid.
    pub errors: Vec<FormatError>,
}

/// Read CSV as Swedish Excel writes it: `;` between fields (`,` when the header row has no
/// `;`), any of the encodings of [`decode_text`], a header row. The apostrophe kkig's CSV writer
/// puts before a text that starts like a formula is taken off (`table::unguard_formula`).
pub(crate) fn read_csv(file: &str, bytes: &[u8]) -> Result<Sheet, FormatError> {
    let text = decode_text(bytes).map_err(|m| FormatError::new(file, None, None, m))?;
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains(';') { b';' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    for (i, rec) in rdr.records().enumerate() {
        let row = i as u64 + 1;
        let rec = rec.map_err(|e| FormatError::new(file, Some(row), None, e.to_string()))?;
        // The apostrophe kkig's writer puts before a formula-like text comes off first.
        let cells: Vec<String> = rec.iter().map(|c| unguard_formula(c).trim().to_string()).collect();
        if row == 1 {
            sheet.headers = cells.iter().map(|h| h.to_lowercase()).collect();
        } else if cells.iter().any(|c| !c.is_empty()) {
            sheet.rows.push(SheetRow {
                row,
                cells,
                errors: Vec::new(),
            });
        }
    }
    if sheet.headers.iter().all(|h| h.is_empty()) {
        return Err(FormatError::new(
            file,
            Some(1),
            None,
            "the file is empty; expected a header row",
        ));
    }
    Ok(sheet)
}

/// Read the first sheet of an XLSX workbook: the first non-empty row is the header row. Numbers
/// are written without a trailing `.0`; date cells, and number cells in `date_columns`, become
/// `YYYY-MM-DD`; an Excel error value (`#N/A`, …) makes its row invalid.
pub(crate) fn read_xlsx(file: &str, bytes: &[u8], date_columns: &[&str]) -> Result<Sheet, FormatError> {
    use calamine::{Data, Reader, Xlsx};
    let fail = |m: String| FormatError::new(file, None, None, m);
    // calamine 0.32 can panic on a damaged workbook (an overflow on a malformed cell
    // reference); a damaged file is bad input, not a crash.
    let read = std::panic::catch_unwind(|| {
        let mut wb =
            Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a readable XLSX workbook: {e}"))?;
        wb.worksheet_range_at(0)
            .ok_or_else(|| "the workbook has no sheet".to_string())?
            .map_err(|e| format!("the first sheet cannot be read: {e}"))
    });
    let range = match read {
        Ok(r) => r.map_err(fail)?,
        Err(_) => return Err(fail("the workbook is damaged and cannot be read".into())),
    };
    let Some((first_row, _)) = range.start() else {
        return Err(FormatError::new(
            file,
            Some(1),
            None,
            "the first sheet is empty; expected a header row",
        ));
    };
    let mut sheet = Sheet::default();
    for (i, cells) in range.rows().enumerate() {
        let row = u64::from(first_row) + i as u64 + 1;
        let mut errors = Vec::new();
        let mut out = Vec::with_capacity(cells.len());
        for (c, cell) in cells.iter().enumerate() {
            let header = sheet.headers.get(c).map(String::as_str).unwrap_or("");
            let is_date = date_columns.contains(&header);
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => unguard_formula(s).trim().to_string(),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
                Data::Bool(b) => b.to_string(),
                Data::Int(n) if is_date => excel_serial_date(*n as f64).unwrap_or_else(|| n.to_string()),
                Data::Int(n) => n.to_string(),
                Data::Float(x) if is_date => excel_serial_date(*x).unwrap_or_else(|| number_text(*x)),
                Data::Float(x) => number_text(*x),
                // calamine knows the workbook's date system (1900 or 1904).
                Data::DateTime(dt) if dt.is_datetime() && (1.0..2_958_466.0).contains(&dt.as_f64()) => {
                    let (y, m, d, ..) = dt.to_ymd_hms_milli();
                    format!("{y:04}-{m:02}-{d:02}")
                }
                Data::DateTime(dt) => number_text(dt.as_f64()),
                Data::Error(e) => {
                    let col = (!header.is_empty()).then_some(header);
                    errors.push(FormatError::new(
                        file,
                        Some(row),
                        col,
                        format!("the cell holds the Excel error {e}"),
                    ));
                    String::new()
                }
            };
            out.push(text);
        }
        if i == 0 {
            sheet.headers = out.iter().map(|h| h.to_lowercase()).collect();
        } else if out.iter().any(|c| !c.is_empty()) || !errors.is_empty() {
            sheet.rows.push(SheetRow {
                row,
                cells: out,
                errors,
            });
        }
    }
    Ok(sheet)
}

/// A number as a person would type it: `180`, `7.5`.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

/// Column positions by header name, checking that the required columns are there, that no
/// column appears twice and (when `known` is given) that every column is one of them.
pub(crate) fn columns(
    file: &str,
    headers: &[String],
    required: &[&str],
    known: Option<&[&str]>,
) -> Result<std::collections::HashMap<String, usize>, Vec<FormatError>> {
    let mut errors = Vec::new();
    let mut map = std::collections::HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(known) = known {
            if !known.contains(&h.as_str()) {
                errors.push(FormatError::new(
                    file,
                    Some(1),
                    Some(h),
                    format!("unknown column {h:?}; the columns are: {}", known.join(", ")),
                ));
                continue;
            }
        }
        if map.insert(h.clone(), i).is_some() {
            errors.push(FormatError::new(
                file,
                Some(1),
                Some(h),
                format!("column {h:?} appears twice"),
            ));
        }
    }
    for r in required {
        if !map.contains_key(*r) {
            errors.push(FormatError::new(
                file,
                Some(1),
                Some(r),
                format!("required column {r:?} is missing"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

/// A date as ISO `YYYY-MM-DD`. Accepts `2025-01-31`, `2025-01-31 00:00` and
/// `2025-01-31T00:00:00…` (the time is ignored); the date must exist and lie in 1900–2199.
pub(crate) fn parse_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not a date; expected YYYY-MM-DD, e.g. 2025-01-31");
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &date[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(bad());
    };
    if let Some(t) = time {
        let tb = t.as_bytes();
        let hhmm = tb.len() >= 5 && tb[2] == b':' && tb[..2].iter().chain(&tb[3..5]).all(u8::is_ascii_digit);
        if !hhmm {
            return Err(bad());
        }
    }
    if !(1900..=2199).contains(&y) {
        return Err(format!("{s:?}: year {y} is outside 1900–2199"));
    }
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(format!("{s:?} is not a date in the calendar"));
    }
    Ok(date.to_string())
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if matches!((y % 4, y % 100, y % 400), (0, 1.., _) | (_, _, 0)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An Excel date serial (1900 date system, days since 1899-12-30) as `YYYY-MM-DD`.
pub(crate) fn excel_serial_date(serial: f64) -> Option<String> {
    // 61 = 1900-03-01, the first day after Excel's phantom 1900-02-29; 2958465 = 9999-12-31.
    if !serial.is_finite() || !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 - 25_569; // days since 1970-01-01
    let (y, m, d) = civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A decimal number written with a comma or a point (`7,5`, `7.5`, `180`); spaces (thousands
/// separators) are ignored. Exponents, `inf` and `NaN` are not numbers here.
pub(crate) fn parse_decimal(s: &str) -> Result<f64, String> {
    let t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let t = t.replace(',', ".");
    let digits = t.strip_prefix('-').unwrap_or(&t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty() || !frac.is_empty();
    if !ok || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} is not a number; expected e.g. 7,5 or 180"));
    }
    t.parse::<f64>().map_err(|_| format!("{s:?} is not a number"))
}

/// A whole non-negative number (`4`; `4,0` and `4.0` as Excel may write them are accepted).
pub(crate) fn parse_count(s: &str) -> Result<u32, String> {
    let x = parse_decimal(s)?;
    if x < 0.0 || x.fract() != 0.0 || x > f64::from(u32::MAX) {
        return Err(format!("{s:?} is not a whole number of zero or more"));
    }
    Ok(x as u32)
}

/// A kommunkod from a cell; three digits are read with the leading zero Excel drops from
/// number cells (`114` → `0114`).
pub(crate) fn cell_kommunkod(s: &str) -> Result<Kommunkod, CodeError> {
    let t = s.trim();
    if t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        return Kommunkod::parse(&format!("0{t}"));
    }
    Kommunkod::parse(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFid;titel\r\n").unwrap(), "id;titel\r\n");
        assert_eq!(decode_text("Åsele".as_bytes()).unwrap(), "Åsele");
        // Windows-1252: Å=C5, ä=E4, ö=F6, €=80, –=96.
        assert_eq!(decode_text(b"\xC5sele \xE4 \xF6 \x80 \x96").unwrap(), "Åsele ä ö € –");
        assert!(decode_text(b"\xFF\xFEi\0d\0").unwrap_err().contains("UTF-16"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2025-01-31").unwrap(), "2025-01-31");
        assert_eq!(parse_date(" 2025-01-31 00:00 ").unwrap(), "2025-01-31");
        assert_eq!(parse_date("2025-01-31T08:30:00+01:00").unwrap(), "2025-01-31");
        assert_eq!(parse_date("2024-02-29").unwrap(), "2024-02-29");
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-31",
            "31/01/2025",
            "",
            "2025-01-31 noon",
            "0025-01-01",
            "２０２５-01-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_serial_date(45_688.0).as_deref(), Some("2025-01-31"));
        assert_eq!(excel_serial_date(45_688.75).as_deref(), Some("2025-01-31"));
        assert_eq!(excel_serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_serial_date(2_958_465.0).as_deref(), Some("9999-12-31"));
        assert_eq!(excel_serial_date(-1.0), None);
        assert_eq!(excel_serial_date(f64::NAN), None);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_decimal("7,5").unwrap(), 7.5);
        assert_eq!(parse_decimal("7.5").unwrap(), 7.5);
        assert_eq!(parse_decimal("1 000").unwrap(), 1000.0);
        assert_eq!(parse_decimal("-2").unwrap(), -2.0);
        assert_eq!(parse_decimal(",5").unwrap(), 0.5);
        for bad in ["", "-", ",", "inf", "NaN", "1e3", "7,5,1", "x"] {
            assert!(parse_decimal(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_count("4,0").unwrap(), 4);
        assert!(parse_count("-1").is_err());
        assert!(parse_count("1,5").is_err());
    }

    #[test]
    fn kommunkod_cells() {
        assert_eq!(cell_kommunkod("114").unwrap().to_string(), "0114");
        assert_eq!(cell_kommunkod("2480").unwrap().to_string(), "2480");
        assert!(cell_kommunkod("214").is_err());
        assert!(cell_kommunkod("24").is_err());
    }
}
