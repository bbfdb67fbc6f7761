//! The word splitter every text field starts from: [`WordTokenizer`].
//!
//! Runs of letters, digits and combining marks are words, as with tantivy's
//! `SimpleTokenizer` (whose speed and English behaviour it keeps: ASCII never reaches a
//! Unicode table), except that a run holding characters of a script written without spaces
//! (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) is cut into its words by ICU4X's
//! dictionary segmenter, whose dictionaries are compiled into the binary. Every token's
//! offsets are byte offsets into the text given, so highlights land on its characters.

use std::collections::VecDeque;
use std::str::CharIndices;
use std::sync::OnceLock;

use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup, Script};
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text into words; see the module's documentation.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The words of one text.
pub struct WordStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    /// Words of a segmented run not yet handed out, as byte ranges of `text`.
    pending: VecDeque<(usize, usize)>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            chars: text.char_indices(),
            pending: VecDeque::new(),
            token: &mut self.token,
        }
    }
}

impl WordStream<'_> {
    /// The end of the run that started at a word character, and whether it needs the
    /// segmenter.
    fn run_end(&mut self, first: char) -> (usize, bool) {
        let mut complex = is_complex(first);
        for (offset, c) in self.chars.by_ref() {
            if !is_word_char(c) {
                return (offset, complex);
            }
            complex = complex || is_complex(c);
        }
        (self.text.len(), complex)
    }

    fn emit(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.push_str(&self.text[from..to]);
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        loop {
            if let Some((from, to)) = self.pending.pop_front() {
                self.emit(from, to);
                return true;
            }
            let Some((start, c)) = self.chars.next() else { return false };
            if !is_word_char(c) {
                continue;
            }
            let (end, complex) = self.run_end(c);
            if !complex {
                self.emit(start, end);
                return true;
            }
            let run = &self.text[start..end];
            let mut breaks = segmenter().segment_str(run).iter_with_word_type();
            let mut last = match breaks.next() {
                Some((first, _)) => first,
                None => continue,
            };
            for (at, kind) in breaks {
                if kind.is_word_like() {
                    self.pending.push_back((start + last, start + at));
                }
                last = at;
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The byte ranges of `text`'s words, as the index's analyzers find them (before they
/// lower-case, stem or fold them).
pub fn words(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    let mut found = Vec::new();
    while stream.advance() {
        found.push(stream.token().offset_from..stream.token().offset_to);
    }
    found
}

/// A letter or digit, or a combining mark (a Thai tone mark or a Devanagari vowel sign is
/// part of its word, though not alphabetic to Rust).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        || GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// A character of a script written without spaces between words.
fn is_complex(c: char) -> bool {
    !c.is_ascii()
        && matches!(
            CodePointMapData::<Script>::new().get(c),
            Script::Han
                | Script::Hiragana
                | Script::Katakana
                | Script::Thai
                | Script::Lao
                | Script::Khmer
                | Script::Myanmar
        )
}

/// The dictionary segmenter, loaded once. Dictionary rather than LSTM for Thai and its
/// neighbours too: it is the faster of ICU4X's two models, and the one ICU4C uses.
pub fn segmenter() -> WordSegmenterBorrowed<'static> {
    static SEGMENTER: OnceLock<WordSegmenterBorrowed<'static>> = OnceLock::new();
    *SEGMENTER.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut found = Vec::new();
        while stream.advance() {
            let token = stream.token();
            assert_eq!(&text[token.offset_from..token.offset_to], token.text);
            found.push((&text[token.offset_from..token.offset_to], token.position));
        }
        found
    }

    #[test]
    fn latin_words_split_as_tantivy_does() {
        assert_eq!(
            words("Hello, happy tax-payer! Köln 2024"),
            [("Hello", 0), ("happy", 1), ("tax", 2), ("payer", 3), ("Köln", 4), ("2024", 5)]
        );
    }

    #[test]
    fn chinese_and_japanese_runs_are_cut_into_words() {
        let chinese: Vec<&str> = words("中国坚持改革开放。").into_iter().map(|w| w.0).collect();
        assert!(chinese.len() >= 3, "{chinese:?}");
        assert_eq!(chinese.concat(), "中国坚持改革开放");
        let japanese: Vec<&str> = words("東京都に住んでいます").into_iter().map(|w| w.0).collect();
        assert!(japanese.contains(&"東京"), "{japanese:?}");
    }

    #[test]
    fn thai_tone_marks_stay_inside_their_word() {
        // ่ (U+0E48) is a combining mark, not alphabetic.
        let thai: Vec<&str> = words("ประเทศไทยมีพื้นที่").into_iter().map(|w| w.0).collect();
        assert!(thai.len() >= 3, "{thai:?}");
        assert_eq!(thai.concat(), "ประเทศไทยมีพื้นที่");
    }

    #[test]
    fn positions_count_segmented_words() {
        let found = words("Beijing 北京大学 news");
        let positions: Vec<usize> = found.iter().map(|w| w.1).collect();
        assert_eq!(positions, (0..found.len()).collect::<Vec<_>>());
        assert_eq!(found.last().unwrap().0, "news");
    }
}
