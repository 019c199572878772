//! How residents ask: the words people type for the programmes ("ssk", "lärarutbildning",
//! "forskollarare" without diacritics, "nurse" on the English page, "distans") turned into the
//! words the catalogue's titles use, and "distans" into the study-form filter. Applied to the
//! search text before it reaches the index, the same for the page and the API.

use super::StudyForm;

/// Everyday words and the catalogue's word for them (lower case; matched whole, after removing
/// diacritics from both, so "forskollarare" is "förskollärare").
const WORDS: [(&str, &str); 24] = [
    ("ssk", "sjuksköterska"),
    ("sjuksköterskeutbildning", "sjuksköterska"),
    ("sjuksköterskeprogram", "sjuksköterska"),
    ("sjukskoterska", "sjuksköterska"),
    ("nurse", "sjuksköterska"),
    ("nurses", "sjuksköterska"),
    ("nursing", "sjuksköterska"),
    ("midwife", "barnmorska"),
    ("socionomutbildning", "socionom"),
    ("socionomprogram", "socionom"),
    ("socialarbetare", "socionom"),
    ("social", "socionom"),
    ("lärarutbildning", "lärare"),
    ("lärarprogram", "lärare"),
    ("teacher", "lärare"),
    ("teachers", "lärare"),
    ("förskollärarutbildning", "förskollärare"),
    ("förskollärare", "förskollärare"),
    ("preschool", "förskollärare"),
    ("grundlärarutbildning", "grundlärare"),
    ("grundlärare", "grundlärare"),
    ("ämneslärarutbildning", "ämneslärare"),
    ("ämneslärare", "ämneslärare"),
    ("specialistsjuksköterska", "specialistsjuksköterska"),
];

/// Words that ask for distance study rather than for a word in the title.
const DISTANCE: [&str; 5] = ["distans", "distansutbildning", "distance", "online", "hemifrån"];

/// Lower case without diacritics (å, ä → a; ö → o; é → e; ü → u).
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            other => other,
        })
        .collect()
}

/// The search text with everyday words replaced by the catalogue's, and the study form when the
/// text asks for distance study (the word itself is then left out of the text). Words it does
/// not know stay as typed; "social work" becomes "socionom".
pub fn everyday_query(text: &str) -> (String, Option<StudyForm>) {
    let mut form = None;
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let f = fold(w.trim_matches(|c: char| !c.is_alphanumeric()));
        if DISTANCE.iter().any(|d| fold(d) == f) {
            form = Some(StudyForm::Distance);
        } else if f == "social" && words.get(i + 1).is_some_and(|n| fold(n).starts_with("work")) {
            out.push("socionom".into());
            i += 1;
        } else if let Some((_, to)) = WORDS.iter().find(|(from, _)| fold(from) == f) {
            out.push((*to).to_string());
        } else {
            out.push(w.to_string());
        }
        i += 1;
    }
    (out.join(" "), form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_become_the_catalogues() {
        let d = Some(StudyForm::Distance);
        let cases: &[(&str, &str, Option<StudyForm>)] = &[
            ("distans", "", d),
            ("förskollärare distans", "förskollärare", d),
            ("lärare distans", "lärare", d),
            ("socionom Distans", "socionom", d),
            ("sjuksköterskeutbildning", "sjuksköterska", None),
            ("socionomutbildning", "socionom", None),
            ("lärarutbildning", "lärare", None),
            ("forskollarare", "förskollärare", None),
            ("FORSKOLLARARE", "förskollärare", None),
            ("ssk", "sjuksköterska", None),
            ("SSK,", "sjuksköterska", None),
            ("nurse", "sjuksköterska", None),
            ("social work", "socionom", None),
            ("social worker online", "socionom", d),
            ("matematik", "matematik", None),
            ("Sjuksköterskeprogrammet", "Sjuksköterskeprogrammet", None),
            ("", "", None),
        ];
        for (text, want, form) in cases {
            assert_eq!(everyday_query(text), ((*want).to_string(), *form), "{text:?}");
        }
    }
}
