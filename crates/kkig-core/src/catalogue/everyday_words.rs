//! How residents ask: the words people type for the programmes ("ssk", "lärarutbildning",
//! "forskollarare" without diacritics, "nurse" on the English page) turned into the words the
//! catalogue's titles use, and the words for how one studies ("distans", "på campus",
//! "halvfart", "deltid") into the study-form and pace filters. Applied to the search text before
//! it reaches the index, the same for the page and the API.

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

/// Words that ask for a study form rather than for a word in the title.
const FORMS: [(&str, StudyForm); 7] = [
    ("distans", StudyForm::Distance),
    ("distansutbildning", StudyForm::Distance),
    ("distance", StudyForm::Distance),
    ("online", StudyForm::Distance),
    ("hemifrån", StudyForm::Distance),
    ("campus", StudyForm::Campus),
    ("campusutbildning", StudyForm::Campus),
];

/// Words that ask for a pace (percent of full time, inclusive bounds).
const PACES: [(&str, (u32, u32)); 6] = [
    ("halvfart", (50, 50)),
    ("deltid", (1, 99)),
    ("part-time", (1, 99)),
    ("heltid", (100, 100)),
    ("helfart", (100, 100)),
    ("full-time", (100, 100)),
];

/// What a search text asks for: the text in the catalogue's words, and the study form and pace
/// its words asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EverydayQuery {
    pub text: String,
    pub form: Option<StudyForm>,
    /// Percent of full time, inclusive bounds.
    pub pace: Option<(u32, u32)>,
}

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

/// The search text with everyday words replaced by the catalogue's, and the study form and
/// pace its words ask for (those words, and a "på" before them, are then left out of the text).
/// Words it does not know stay as typed; "social work" becomes "socionom".
pub fn everyday_query(text: &str) -> EverydayQuery {
    let mut q = EverydayQuery::default();
    let mut out: Vec<String> = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let clean = |w: &str| fold(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'));
    let asks = |f: &str| FORMS.iter().any(|(w, _)| fold(w) == f) || PACES.iter().any(|(w, _)| fold(w) == f);
    let mut i = 0;
    while i < words.len() {
        let f = clean(words[i]);
        if let Some((_, form)) = FORMS.iter().find(|(w, _)| fold(w) == f) {
            q.form = Some(*form);
        } else if let Some((_, pace)) = PACES.iter().find(|(w, _)| fold(w) == f) {
            q.pace = Some(*pace);
        } else if f == "pa" && words.get(i + 1).is_some_and(|n| asks(&clean(n))) {
            // "på distans", "på halvfart": the "på" goes with the word after it.
        } else if f == "social" && words.get(i + 1).is_some_and(|n| fold(n).starts_with("work")) {
            out.push("socionom".into());
            i += 1;
        } else if let Some((_, to)) = WORDS.iter().find(|(from, _)| fold(from) == f) {
            out.push((*to).to_string());
        } else {
            out.push(words[i].to_string());
        }
        i += 1;
    }
    q.text = out.join(" ");
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everyday_words_become_the_catalogues() {
        let d = Some(StudyForm::Distance);
        let cases: &[(&str, &str, Option<StudyForm>)] = &[
            ("på distans", "", d),
            ("sjuksköterska på campus", "sjuksköterska", Some(StudyForm::Campus)),
            ("på", "på", None),
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
            let q = everyday_query(text);
            assert_eq!((q.text.as_str(), q.form), (*want, *form), "{text:?}");
        }
        // (text, the text searched, the pace asked for)
        type PaceCase = (&'static str, &'static str, Option<(u32, u32)>);
        let paces: &[PaceCase] = &[
            ("lärare halvfart", "lärare", Some((50, 50))),
            ("socionom på deltid", "socionom", Some((1, 99))),
            ("ssk heltid distans", "sjuksköterska", Some((100, 100))),
            ("lärare", "lärare", None),
        ];
        for (text, want, pace) in paces {
            let q = everyday_query(text);
            assert_eq!((q.text.as_str(), q.pace), (*want, *pace), "{text:?}");
        }
    }
}
