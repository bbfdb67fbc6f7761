//! Languages: which are stemmed, which text fields a report's words go into, and the
//! analyzers of those fields, registered on every [`tantivy::Index`] by [`register`].
//!
//! Each report's headline and body are indexed twice: in the *exact* fields (`title`,
//! `body`: lower-cased words, neither folded nor stemmed, stored, without positions) and in
//! the fields of its language (`title_de`, `body_de`: lower-cased, stemmed for that language, then folded to
//! ASCII, so `Verhandlungen` and `Verhandlung`, `Köln` and `Koln` meet). Languages tantivy
//! has no stemmer for go into the *folded* pair (`title_folded`, `body_folded`). Reports whose
//! language is undetermined (mostly short ones: detection needs a few sentences) go into the
//! English pair: a query is stemmed exactly as they are, so English stemming loses nothing
//! that folding alone would find, and short English reports keep their stemming. A query searches the language fields the index holds,
//! and the exact fields with a low weight, so the exact form ranks first.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer,
};

use crate::words::WordTokenizer;

/// Languages tantivy has a stemmer for, by ISO 639-1 code.
pub const STEMMED: [(&str, Language); 18] = [
    ("ar", Language::Arabic),
    ("da", Language::Danish),
    ("de", Language::German),
    ("el", Language::Greek),
    ("en", Language::English),
    ("es", Language::Spanish),
    ("fi", Language::Finnish),
    ("fr", Language::French),
    ("hu", Language::Hungarian),
    ("it", Language::Italian),
    ("nl", Language::Dutch),
    ("no", Language::Norwegian),
    ("pt", Language::Portuguese),
    ("ro", Language::Romanian),
    ("ru", Language::Russian),
    ("sv", Language::Swedish),
    ("ta", Language::Tamil),
    ("tr", Language::Turkish),
];

/// How many language slots there are: one per stemmed language, and the folded one.
pub const SLOTS: usize = STEMMED.len() + 1;

/// The slot of the folded fields, for every language without a stemmer.
pub const FOLDED_SLOT: usize = STEMMED.len();

/// Longest word indexed, in bytes (tantivy's own limit for its built-in analyzers). A word
/// longer than this is a URL, a hash or a mistake; Chinese and Japanese are cut into words
/// first, so their text is not lost to it.
pub const MAX_WORD_BYTES: usize = 40;

/// The tokenizer of the exact fields (`title`, `body`): lower-cased words.
pub const EXACT_TOKENIZER: &str = "dateline_exact";

/// The slot of `language` (an ISO 639-1 code, or `None` when undetermined: English, see
/// the module's documentation). Norwegian Bokmål and Nynorsk use the Norwegian stemmer.
pub fn slot(language: Option<&str>) -> usize {
    let code = match language {
        Some("nb" | "nn") => "no",
        Some(code) => code,
        None => "en",
    };
    STEMMED.iter().position(|(known, _)| *known == code).unwrap_or(FOLDED_SLOT)
}

/// The suffix of a slot's field and tokenizer names: the language code, or `folded`.
pub fn slot_suffix(slot: usize) -> &'static str {
    STEMMED.get(slot).map_or("folded", |(code, _)| code)
}

/// The name of a slot's tokenizer.
pub fn tokenizer_name(slot: usize) -> String {
    format!("dateline_{}", slot_suffix(slot))
}

/// The analyzer of a slot's fields: lower-case, stem (for a stemmed language), fold.
/// Stemming comes before folding because the stemmers know their language's accents.
pub fn analyzer(slot: usize) -> TextAnalyzer {
    let words = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser);
    match STEMMED.get(slot) {
        Some((_, language)) => {
            words.filter(Stemmer::new(*language)).filter(AsciiFoldingFilter).build()
        }
        None => words.filter(AsciiFoldingFilter).build(),
    }
}

/// The analyzer of the exact fields: lower-cased words.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Registers Dateline's analyzers on `index`. Both the writer and every reader must call
/// it before using the index: the schema names them, and tantivy knows only its own.
pub fn register(index: &tantivy::Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(EXACT_TOKENIZER, exact_analyzer());
    for slot in 0..SLOTS {
        tokenizers.register(&tokenizer_name(slot), analyzer(slot));
    }
    tokenizers.register(crate::pairs::PAIRS_TOKENIZER, crate::pairs::PairTokenizer::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzed(slot: usize, text: &str) -> Vec<String> {
        let mut analyzer = analyzer(slot);
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        while stream.advance() {
            words.push(stream.token().text.clone());
        }
        words
    }

    #[test]
    fn inflections_meet_in_their_language() {
        let de = slot(Some("de"));
        assert_eq!(analyzed(de, "Verhandlungen"), analyzed(de, "Verhandlung"));
        let ru = slot(Some("ru"));
        assert_eq!(analyzed(ru, "переговоры"), analyzed(ru, "переговор"));
        let fr = slot(Some("fr"));
        assert_eq!(analyzed(fr, "Grève"), analyzed(fr, "greve"));
    }

    #[test]
    fn accents_fold_in_every_slot() {
        for slot in [slot(Some("de")), slot(None), slot(Some("zh")), slot(Some("fr"))] {
            assert_eq!(analyzed(slot, "Köln"), analyzed(slot, "Koln"), "slot {slot}");
        }
    }

    #[test]
    fn slots_of_codes() {
        assert_eq!(slot_suffix(slot(Some("en"))), "en");
        assert_eq!(slot_suffix(slot(Some("nb"))), "no");
        assert_eq!(slot(Some("ja")), FOLDED_SLOT);
        assert_eq!(slot_suffix(slot(None)), "en");
    }
}
