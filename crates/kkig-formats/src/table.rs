//! A plain table and its writers: CSV as Swedish Excel writes it, and XLSX.
//!
//! Swedish Excel's "CSV (semikolonavgränsad)" uses `;` between fields, a comma as decimal
//! separator and CRLF line ends; we add a UTF-8 byte-order mark so Excel reads å, ä, ö right.
//!
//! Formula injection: a spreadsheet runs a CSV cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return as a formula, so a text cell that starts with one of them is written
//! with a leading apostrophe (OWASP's rule; [`guard_formula`]). Numbers are written as numbers.
//! kkig's own readers strip that apostrophe again ([`unguard_formula`]), so an export reads
//! back unchanged. In XLSX every text is a string cell, which is never run, so the text is
//! written as it is.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `s`, after any leading apostrophes, starts with a formula trigger.
fn starts_like_a_formula(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(FORMULA_TRIGGERS)
}

/// A text cell as written to CSV: with a leading `'` when it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return. A text that already starts with apostrophes before such a
/// character gets one more, so that [`unguard_formula`] gives every text back exactly.
pub fn guard_formula(s: &str) -> Cow<'_, str> {
    if starts_like_a_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell as read by kkig: the apostrophe [`guard_formula`] added is taken off again (only when
/// what follows it starts like a formula; any other apostrophe is the text's own).
pub fn unguard_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if starts_like_a_formula(rest) => rest,
        _ => s,
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A number shown with a fixed number of decimals.
    Decimal(f64, usize),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }
}

/// Headers and rows, the common shape of every export.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
    }

    /// CSV as Swedish Excel writes it: UTF-8 with BOM, `;`, decimal comma, CRLF.
    pub fn to_swedish_csv(&self) -> Vec<u8> {
        let mut out = Vec::from("\u{feff}".as_bytes());
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                .from_writer(&mut out);
            // Writing to a Vec cannot fail.
            let _ = w.write_record(self.headers.iter().map(|h| guard_formula(h).into_owned()));
            for row in &self.rows {
                let _ = w.write_record(row.iter().map(|c| match c {
                    Cell::Text(s) => guard_formula(s).into_owned(),
                    Cell::Int(i) => i.to_string(),
                    Cell::Decimal(x, d) => format!("{x:.d$}", d = *d).replace('.', ","),
                    Cell::Empty => String::new(),
                }));
            }
            let _ = w.flush();
        }
        out
    }

    /// An XLSX workbook with one sheet, a bold frozen header row and typed number cells. Text is
    /// always a string cell (`write_string`), never a formula; only a text that starts with
    /// apostrophes before a formula trigger gets one more, as in CSV, so that kkig's reader
    /// (which strips one) gives it back.
    pub fn to_xlsx(&self, sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        sheet.set_name(sheet_name)?;
        let bold = Format::new().set_bold();
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, xlsx_text(h), &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c, xlsx_text(s))?;
                    }
                    Cell::Int(i) => {
                        sheet.write_number(r, c, *i as f64)?;
                    }
                    Cell::Decimal(x, d) => {
                        let fmt = Format::new().set_num_format(format!("0.{}", "0".repeat(*d)));
                        sheet.write_number_with_format(r, c, *x, &fmt)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofit();
        wb.save_to_buffer()
    }
}

/// A text for an XLSX string cell: as it is, unless it starts with an apostrophe that kkig's
/// reader would strip (see [`guard_formula`]).
fn xlsx_text(s: &str) -> Cow<'_, str> {
    if s.starts_with('\'') {
        guard_formula(s)
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["code", "name", "lat", "population"]);
        t.push(vec![
            Cell::text("2463"),
            Cell::text("Åsele; kommun"),
            Cell::Decimal(64.1614, 4),
            Cell::Int(2718),
        ]);
        t
    }

    #[test]
    fn swedish_csv_has_bom_semicolons_decimal_comma_and_crlf() {
        let bytes = sample().to_swedish_csv();
        let s = String::from_utf8(bytes).unwrap();
        assert_eq!(
            s,
            "\u{feff}code;name;lat;population\r\n2463;\"Åsele; kommun\";64,1614;2718\r\n"
        );
    }

    /// One data row written as Swedish CSV, without the header and the line end.
    fn csv_row(cells: Vec<Cell>) -> String {
        let mut t = Table::new(&vec!["h"; cells.len()]);
        t.push(cells);
        let s = String::from_utf8(t.to_swedish_csv()).unwrap();
        s.split_once("\r\n")
            .unwrap()
            .1
            .strip_suffix("\r\n")
            .unwrap()
            .to_string()
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_as_a_formula_gets_an_apostrophe() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            // (text, as written in the CSV)
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("=1+1", "'=1+1"),
            ("+46 70 123 45 67", "'+46 70 123 45 67"),
            ("-", "'-"),
            ("-5 kr", "'-5 kr"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "\"'\rcmd\""),
            // An apostrophe before a trigger gets one more, so that reading strips just one.
            ("'=1+1", "''=1+1"),
            ("''-", "'''-"),
            // Everything else is written as it is.
            ("'quoted", "'quoted"),
            ("Åsele", "Åsele"),
            ("a=b", "a=b"),
            ("2026-09-07", "2026-09-07"),
            (" =1", " =1"),
        ];
        for (text, written) in cases {
            assert_eq!(csv_row(vec![Cell::text(*text)]), *written, "{text:?}");
        }
        // Numbers are numbers: a negative number is not escaped.
        assert_eq!(
            csv_row(vec![Cell::Int(-5), Cell::Decimal(-1.25, 2), Cell::Int(7)]),
            "-5;-1,25;7"
        );
    }

    #[test]
    fn kkigs_readers_strip_the_apostrophe_again() {
        let mut t = Table::new(&["id", "text"]);
        for s in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "-5 kr",
            "-",
            "@x",
            "'=x",
            "'quoted",
            "+46",
        ] {
            t.push(vec![Cell::text("r"), Cell::text(s)]);
        }
        let csv = crate::decode::read_csv("t.csv", &t.to_swedish_csv()).unwrap();
        let xlsx = crate::decode::read_xlsx("t.xlsx", &t.to_xlsx("T").unwrap(), &[]).unwrap();
        for sheet in [csv, xlsx] {
            let got: Vec<&str> = sheet.rows.iter().map(|r| r.cells[1].as_str()).collect();
            assert_eq!(
                got,
                [
                    "=HYPERLINK(\"http://x\",\"y\")",
                    "-5 kr",
                    "-",
                    "@x",
                    "'=x",
                    "'quoted",
                    "+46"
                ]
            );
        }
    }

    #[test]
    fn xlsx_text_is_a_string_cell_never_a_formula() {
        use calamine::{Data, Reader, Xlsx};
        let mut t = Table::new(&["name", "n"]);
        t.push(vec![Cell::text("=HYPERLINK(\"http://x\",\"y\")"), Cell::Int(-5)]);
        t.push(vec![Cell::text("-5 kr"), Cell::Decimal(-1.5, 1)]);
        let bytes = t.to_xlsx("T").unwrap();
        let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("T").unwrap();
        // The original text, as a string cell; numbers as numbers.
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("=HYPERLINK(\"http://x\",\"y\")".into()))
        );
        assert_eq!(range.get_value((1, 1)), Some(&Data::Float(-5.0)));
        assert_eq!(range.get_value((2, 0)), Some(&Data::String("-5 kr".into())));
        assert_eq!(range.get_value((2, 1)), Some(&Data::Float(-1.5)));
        let formulas = wb.worksheet_formula("T").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula: {formulas:?}"
        );
    }

    proptest::proptest! {
        /// The reader's strip undoes the writer's guard for every text.
        #[test]
        fn unguard_undoes_guard(s in proptest::prelude::any::<String>(), pre in "[='+@\t-]{0,3}") {
            let s = format!("{pre}{s}");
            let guarded = guard_formula(&s);
            proptest::prop_assert_eq!(unguard_formula(&guarded), s.as_str());
            proptest::prop_assert!(!guarded.starts_with(FORMULA_TRIGGERS));
        }

        /// Any row of text cells reads back through kkig's readers as written (trimmed, as
        /// the readers trim every cell), from CSV and from XLSX.
        #[test]
        fn text_rows_round_trip_through_kkigs_readers(
            cells in proptest::collection::vec("[=+\\-@'\t\r\n ;\",a-zåäö0-9]{0,8}", 1..6),
        ) {
            let headers: Vec<String> = (0..=cells.len()).map(|i| format!("c{i}")).collect();
            let mut t = Table::new(&headers.iter().map(String::as_str).collect::<Vec<_>>());
            // A first cell that is never empty, so that the row is never left out as blank.
            t.push(std::iter::once(Cell::text("r")).chain(cells.iter().map(|c| Cell::text(c.as_str()))).collect());
            let want: Vec<String> = std::iter::once("r").chain(cells.iter().map(|c| c.trim())).map(String::from).collect();
            let csv = crate::decode::read_csv("t.csv", &t.to_swedish_csv()).unwrap();
            proptest::prop_assert_eq!(&csv.rows[0].cells, &want);
            let xlsx = crate::decode::read_xlsx("t.xlsx", &t.to_xlsx("T").unwrap(), &[]).unwrap();
            let mut got = xlsx.rows[0].cells.clone();
            got.resize(want.len(), String::new());
            proptest::prop_assert_eq!(&got, &want);
        }
    }

    #[test]
    fn xlsx_is_a_zip_with_a_sheet() {
        let bytes = sample().to_xlsx("Kommuner").unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
