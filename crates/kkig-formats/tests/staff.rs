//! Staff age profiles (`kkig import staff`): the parser never panics, and every row it accepts
//! reads back as the numbers written, whatever the separators, encoding and decimal mark.

use kkig_formats::staff::parse_staff_ages;
use proptest::prelude::*;

const FILE: &str = "\u{feff}kommunkod;ssyk;ålder;antal\r\n2422;2343;25;2\r\n2422;2343;31;1,5\r\n2506;2221;64;3\r\n";

proptest! {
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..120) {
        let _ = parse_staff_ages("x.csv", &bytes);
        let _ = parse_staff_ages("x.csv", &FILE.as_bytes()[..cut.min(FILE.len())]);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend(&bytes);
        let _ = parse_staff_ages("x.xlsx", &zip);
    }

    #[test]
    fn rows_read_back(rows in proptest::collection::vec((15u32..=80, 0u32..10_000), 1..40), comma in any::<bool>()) {
        let mut text = String::from("kommunkod;ssyk;ålder;antal\n");
        let mut want = std::collections::BTreeMap::new();
        for (age, tenths) in &rows {
            let n = *tenths as f64 / 10.0;
            let written = if comma { format!("{n}").replace('.', ",") } else { format!("{n}") };
            text.push_str(&format!("2422;2661;{age};{written}\n"));
            *want.entry(*age).or_insert(0.0) += n;
        }
        let p = parse_staff_ages("p.csv", text.as_bytes()).unwrap();
        prop_assert_eq!(p.len(), 1);
        for (age, n) in &want {
            prop_assert!((p[0].staff_by_age[age] - n).abs() < 1e-9);
        }
    }
}
