//! A report's terms: its words (lower-cased, stop words and numbers left out) and its names
//! (capitalised phrases, a proxy for named entities), each with how often it occurs.

/// Terms and how often each occurs. foldhash, not the standard SipHash, which showed in a
/// build's profile; foldhash's per-map seed still keeps a report from choosing words that
/// collide.
pub type TermCounts = foldhash::HashMap<String, u32>;

/// The words and names of one report, with their counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Terms {
    /// Lower-cased words, as the index's exact `body` field holds them.
    pub words: TermCounts,
    /// Capitalised phrases, lower-cased, their words joined by one space.
    pub names: TermCounts,
    /// The headline's words, as `words` counts them (they are in `words` too): a headline
    /// names the event in a few words, where a body also tells its background.
    pub title: TermCounts,
}

/// The terms of a report's headline and body.
pub fn terms(title: &str, body: &str) -> Terms {
    let mut terms = Terms::default();
    // One buffer for every word's lower case, and a new key only for a word not yet counted:
    // a `String` per word was most of what making terms cost.
    let mut lower = String::new();
    for (part, text) in [title, body].into_iter().enumerate() {
        // A headline or body set in capitals (wire flashes) names nothing by its case.
        let cased = !mostly_upper(text);
        let mut phrase: Vec<&str> = Vec::new();
        for (word, ends_sentence) in split(text) {
            lower_case(word, &mut lower);
            if keeps(&lower) {
                if part == 0 {
                    count(&mut terms.title, &lower);
                }
                count(&mut terms.words, &lower);
            }
            if cased {
                let capitalised = word.chars().next().is_some_and(char::is_uppercase);
                // A capitalised stop word opening a sentence ("The", "In") is no name; inside a
                // phrase ("Bank of Japan") a short word joins it only between capitals.
                let opens = capitalised && !(is_stop_word(&lower) && phrase.is_empty());
                let joins = !phrase.is_empty() && (lower == "of" || lower == "and");
                if opens || joins {
                    phrase.push(word);
                } else {
                    flush(&mut phrase, &mut terms.names);
                }
            }
            if ends_sentence {
                flush(&mut phrase, &mut terms.names);
            }
        }
        flush(&mut phrase, &mut terms.names);
    }
    terms
}

/// Puts `word` lower-cased into `into`, as `str::to_lowercase` does.
fn lower_case(word: &str, into: &mut String) {
    into.clear();
    if word.is_ascii() {
        into.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        // Not char by char: a Greek final sigma lower-cases by its place in the word.
        into.push_str(&word.to_lowercase());
    }
}

fn count(counts: &mut TermCounts, word: &str) {
    match counts.get_mut(word) {
        Some(count) => *count += 1,
        None => {
            counts.insert(word.to_string(), 1);
        }
    }
}

/// Counts the phrase gathered so far as a name, then starts afresh.
fn flush(phrase: &mut Vec<&str>, names: &mut TermCounts) {
    let mut lower = String::new();
    while let Some(last) = phrase.last() {
        lower_case(last, &mut lower);
        if lower != "of" && lower != "and" {
            break;
        }
        phrase.pop();
    }
    if !phrase.is_empty() {
        let mut name = String::new();
        for (i, word) in phrase.iter().enumerate() {
            if i > 0 {
                name.push(' ');
            }
            lower_case(word, &mut lower);
            name.push_str(&lower);
        }
        if name.chars().count() > 1 {
            *names.entry(name).or_default() += 1;
        }
    }
    phrase.clear();
}

/// The words of `text`, each with whether a sentence ends after it.
fn split(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        rest = &rest[start..];
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '\'')).unwrap_or(rest.len());
        let word = rest[..end].trim_end_matches('\'');
        rest = &rest[end..];
        let gap_end = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        let ends = rest[..gap_end].contains(['.', '!', '?', '\n', ':', '"']);
        Some((word.strip_suffix("'s").unwrap_or(word), ends))
    })
}

fn mostly_upper(text: &str) -> bool {
    let (upper, lower) = text.chars().fold((0usize, 0usize), |(u, l), c| {
        (u + usize::from(c.is_uppercase()), l + usize::from(c.is_lowercase()))
    });
    upper > lower
}

/// Whether a lower-cased word says something: not a stop word, not a number, two letters or more.
fn keeps(word: &str) -> bool {
    word.chars().count() > 2 && !word.chars().any(|c| c.is_ascii_digit()) && !is_stop_word(word)
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// English function words, and the reporting verbs every report carries; sorted, for a
/// binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had",
    "has", "have", "he", "her", "his", "if", "in", "into", "is", "it", "its", "last", "more",
    "most", "mr", "new", "no", "not", "of", "on", "one", "or", "other", "our", "over", "reuter",
    "said", "says", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "to", "told", "two", "under", "up", "was", "we", "were",
    "what", "when", "which", "while", "who", "will", "with", "would", "year", "you",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_so_that_each_is_found() {
        assert!(STOP_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(STOP_WORDS.iter().all(|word| is_stop_word(word)));
        assert!(!is_stop_word("ecuador") && !is_stop_word(""));
    }

    #[test]
    fn names_are_capitalised_phrases_and_words_are_lower_cased() {
        let t = terms(
            "ECUADOR SUSPENDS OIL EXPORTS",
            "The Bank of Japan said Ecuador's crude exports stopped. In Quito, 300 died.",
        );
        assert_eq!(t.names.get("bank of japan"), Some(&1));
        assert_eq!(t.names.get("ecuador"), Some(&1));
        assert_eq!(t.names.get("quito"), Some(&1));
        // The headline in capitals gives words, no names; "The" and "In" open sentences.
        assert!(!t.names.contains_key("ecuador suspends oil exports"));
        assert!(!t.names.keys().any(|n| n.starts_with("the") || n.starts_with("in ")));
        assert_eq!(t.words.get("ecuador"), Some(&2));
        assert_eq!(t.title.get("ecuador"), Some(&1));
        assert!(t.title.contains_key("exports") && !t.title.contains_key("quito"));
        assert!(!t.words.contains_key("300") && !t.words.contains_key("the"));
    }
}
