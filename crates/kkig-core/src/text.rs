//! Swedish text ordering.

use std::cmp::Ordering;

/// Collation weight of a character in Swedish alphabetical order: a–z as usual, then å, ä, ö
/// (and the usual variants ü = y, é = e, æ = ä, ø = ö); case is ignored at this level.
fn weight(c: char) -> (u32, u32) {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let w = match lower {
        'å' => 'z' as u32 + 1,
        'ä' | 'æ' => 'z' as u32 + 2,
        'ö' | 'ø' => 'z' as u32 + 3,
        'é' | 'è' => 'e' as u32,
        'ü' => 'y' as u32,
        other => other as u32,
    };
    (w, c.is_uppercase() as u32)
}

/// Compare two strings in Swedish alphabetical order ("Åsele" after "Vilhelmina"),
/// case-insensitively first, then upper case after lower case, then by code point.
pub fn swedish_cmp(a: &str, b: &str) -> Ordering {
    let primary = a.chars().map(|c| weight(c).0).cmp(b.chars().map(|c| weight(c).0));
    primary
        .then_with(|| a.chars().map(|c| weight(c).1).cmp(b.chars().map(|c| weight(c).1)))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_order() {
        let mut v = vec![
            "Örnsköldsvik",
            "Åsele",
            "Arjeplog",
            "Älvsbyn",
            "Vilhelmina",
            "arvidsjaur",
            "Östersund",
            "Storuman",
        ];
        v.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(
            v,
            [
                "Arjeplog",
                "arvidsjaur",
                "Storuman",
                "Vilhelmina",
                "Åsele",
                "Älvsbyn",
                "Örnsköldsvik",
                "Östersund"
            ]
        );
    }

    #[test]
    fn total_order_on_case_variants() {
        assert_eq!(swedish_cmp("åsele", "Åsele"), Ordering::Less);
        assert_eq!(swedish_cmp("Åsele", "Åsele"), Ordering::Equal);
    }
}
