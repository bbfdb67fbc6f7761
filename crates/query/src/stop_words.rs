//! Words that say nothing about a story: not marked alone in passages when the query has
//! words that do, and left out of "similar" queries.

/// English function words; stemmed forms, as the index holds them.
const FUNCTION_WORDS: [&str; 52] = [
    "a", "about", "after", "all", "also", "an", "and", "ani", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "for", "from", "had", "has", "have", "he", "her", "his", "i",
    "if", "in", "into", "is", "it", "its", "not", "of", "on", "or", "she", "so", "than", "that",
    "the", "their", "there", "they", "this", "to", "was", "we", "were", "which", "will", "with",
];

/// Words so common in news that they tell no story from another, beside the function words.
const NEWS_WORDS: [&str; 7] = ["last", "more", "mr", "new", "one", "said", "say"];

/// Whether `word` (an index term: lower-cased, stemmed) is a function word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word)
}

/// Whether `word` says nothing about which story a report tells: a function word, or one
/// that nearly every news report uses.
pub(crate) fn is_story_neutral(word: &str) -> bool {
    is_stop_word(word) || NEWS_WORDS.contains(&word)
}
