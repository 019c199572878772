//! A plain table and its writers: CSV as Swedish Excel writes it, and XLSX.
//!
//! Swedish Excel's "CSV (semikolonavgränsad)" uses `;` between fields, a comma as decimal
//! separator and CRLF line ends; we add a UTF-8 byte-order mark so Excel reads å, ä, ö right.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

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
        Self { headers: headers.iter().map(|h| h.to_string()).collect(), rows: Vec::new() }
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
            let _ = w.write_record(&self.headers);
            for row in &self.rows {
                let _ = w.write_record(row.iter().map(|c| match c {
                    Cell::Text(s) => s.clone(),
                    Cell::Int(i) => i.to_string(),
                    Cell::Decimal(x, d) => format!("{x:.d$}", d = *d).replace('.', ","),
                    Cell::Empty => String::new(),
                }));
            }
            let _ = w.flush();
        }
        out
    }

    /// An XLSX workbook with one sheet, a bold frozen header row and typed number cells.
    pub fn to_xlsx(&self, sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        sheet.set_name(sheet_name)?;
        let bold = Format::new().set_bold();
        for (c, h) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new(&["code", "name", "lat", "population"]);
        t.push(vec![Cell::text("2463"), Cell::text("Åsele; kommun"), Cell::Decimal(64.1614, 4), Cell::Int(2718)]);
        t
    }

    #[test]
    fn swedish_csv_has_bom_semicolons_decimal_comma_and_crlf() {
        let bytes = sample().to_swedish_csv();
        let s = String::from_utf8(bytes).unwrap();
        assert_eq!(s, "\u{feff}code;name;lat;population\r\n2463;\"Åsele; kommun\";64,1614;2718\r\n");
    }

    #[test]
    fn xlsx_is_a_zip_with_a_sheet() {
        let bytes = sample().to_xlsx("Kommuner").unwrap();
        assert_eq!(&bytes[..2], b"PK");
        assert!(bytes.len() > 1000);
    }
}
