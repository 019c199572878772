//! Text analysis: how offering texts are indexed and how a query text becomes query words.
//!
//! Index and query go through the same chain: split on anything that is not a letter or digit
//! (`char::is_alphanumeric`, so å, ä, ö are letters), drop tokens longer than
//! [`MAX_TOKEN_BYTES`], lower-case (Unicode), Snowball Swedish stemmer. There is **no ASCII
//! folding**: "har" and "här" are different terms.

use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream};

/// The name the Swedish analyzer is registered under in the index.
pub(crate) const SWEDISH: &str = "kkig_sv";

/// Longer tokens are dropped (in bytes; "specialistsjuksköterskeprogrammet" is 35).
pub const MAX_TOKEN_BYTES: usize = 80;

/// Query words from this many characters on are matched with edit distance 1 as well.
pub const FUZZY_MIN_CHARS: usize = 5;

/// Only the first this many distinct query words are used.
pub const MAX_QUERY_WORDS: usize = 16;

/// Compound-part matching is tried with parts of at least this many characters.
pub const COMPOUND_MIN_CHARS: usize = 5;

/// Swedish function words. In a query that also has other words they are optional (they only
/// nudge the score); a query of nothing but these words requires them like any other word.
/// Deliberately short, and without words that are also content words ("har", "här").
pub const STOP_WORDS: &[&str] = &[
    "av", "de", "den", "det", "du", "efter", "eller", "en", "ett", "från", "för", "i", "inom", "med", "mot", "och",
    "om", "på", "samt", "som", "till", "under", "vid", "är", "att",
];

/// The analyzer used for indexing and for stemming query words.
pub(crate) fn swedish_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Swedish))
        .build()
}

/// The same chain without the stemmer: the words as the user typed them, lower-cased.
fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The Swedish stem of one lower-cased word (as indexed).
pub fn stem(word: &str) -> String {
    tokens(&mut swedish_analyzer(), word)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// One word of a query, analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// Lower-cased, as typed.
    pub word: String,
    /// Snowball Swedish stem: the indexed form.
    pub stem: String,
    /// Edit distance 1 is allowed (the word has at least [`FUZZY_MIN_CHARS`] characters).
    pub fuzzy: bool,
    /// A Swedish function word ([`STOP_WORDS`]).
    pub stop: bool,
    /// Forms that may appear inside a compound in a title: the stem and, for a word ending in
    /// a vowel, the word without it ("lärare" → "lärar" as in "lärarutbildning",
    /// "sjuksköterska" → "sjukskötersk" as in "sjuksköterskeprogrammet"). Only forms of at
    /// least [`COMPOUND_MIN_CHARS`] characters.
    pub compound_forms: Vec<String>,
}

/// Split a query text into analysed words: at most [`MAX_QUERY_WORDS`], one per distinct stem,
/// in the order typed.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    let mut stemmer = swedish_analyzer();
    let mut out: Vec<QueryWord> = Vec::new();
    for word in tokens(&mut word_analyzer(), text) {
        let Some(stem) = tokens(&mut stemmer, &word).into_iter().next() else {
            continue;
        };
        if out.iter().any(|w| w.stem == stem) {
            continue;
        }
        let chars = word.chars().count();
        let mut compound_forms = Vec::new();
        let mut add = |f: &str| {
            if f.chars().count() >= COMPOUND_MIN_CHARS && !compound_forms.iter().any(|c: &String| c == f) {
                compound_forms.push(f.to_string());
            }
        };
        add(&stem);
        if let Some(last) = word.chars().last() {
            if matches!(last, 'a' | 'e' | 'o') {
                add(&word[..word.len() - last.len_utf8()]);
            }
        }
        out.push(QueryWord {
            stop: STOP_WORDS.contains(&word.as_str()),
            fuzzy: chars >= FUZZY_MIN_CHARS,
            word,
            stem,
            compound_forms,
        });
        if out.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_stemmed_and_deduplicated() {
        let w = query_words("Sjuksköterskor, sjuksköterska i UMEÅ!");
        let stems: Vec<_> = w.iter().map(|w| w.stem.as_str()).collect();
        assert_eq!(stems, ["sjukskötersk", "i", "umeå"]);
        assert!(w[0].fuzzy && !w[1].fuzzy && !w[2].fuzzy);
        assert!(w[1].stop && !w[0].stop);
        assert_eq!(w[0].compound_forms, ["sjukskötersk"]);
    }

    #[test]
    fn compound_forms() {
        let w = query_words("lärare socionom kurs");
        // "lärare" stems to "lär" (too short for compounds); without its final vowel: "lärar".
        assert_eq!(w[0].stem, "lär");
        assert_eq!(w[0].compound_forms, ["lärar"]);
        assert_eq!(w[1].compound_forms, ["socionom"]);
        assert!(w[2].compound_forms.is_empty());
    }

    #[test]
    fn at_most_sixteen_words_and_nothing_from_punctuation() {
        let many: String = (0..40).map(|i| format!("ord{i} ")).collect();
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
        assert!(query_words(" ,.;!– ").is_empty());
    }
}
