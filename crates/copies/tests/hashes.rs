//! Shingle hashes are part of the index format: every index stores its reports' sketch keys
//! (`copy_band`), and a report added later must find them. These tests pin the hashes to the
//! first way they were made, a `String` per lower-cased word fed to a streaming hasher, kept
//! here as the reference, on real news text in many languages and on all of Reuters-21578.

use std::path::{Path, PathBuf};

use dateline_copies::{Settings, Shingles};
use xxhash_rust::xxh3::Xxh3;

const S: Settings = Settings::DEFAULT;

/// The shingle hashes and word count as the first indexes were built with them.
fn reference(text: &str, settings: &Settings) -> (Vec<u64>, usize) {
    let words: Vec<String> = dateline_schema::words::words(text)
        .into_iter()
        .map(|range| text[range].to_lowercase())
        .collect();
    let hash = |words: &[String]| {
        let mut hasher = Xxh3::new();
        for word in words {
            hasher.update(word.as_bytes());
            hasher.update(&[0]);
        }
        hasher.digest()
    };
    let size = settings.shingle.max(1);
    let mut hashes: Vec<u64> = if words.len() < size {
        words.is_empty().then(Vec::new).unwrap_or_else(|| vec![hash(&words)])
    } else {
        words.windows(size).map(hash).collect()
    };
    hashes.sort_unstable();
    hashes.dedup();
    (hashes, words.len())
}

fn assert_same(text: &str, settings: &Settings, what: &str) {
    let shingles = Shingles::of(text, settings);
    let (hashes, words) = reference(text, settings);
    assert_eq!(shingles.hashes(), hashes.as_slice(), "{what}");
    assert_eq!(shingles.words(), words, "{what}");
}

fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths.into_iter().map(|path| (path.clone(), std::fs::read_to_string(&path).unwrap())).collect()
}

fn corpus(script: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpora").join(name);
    dateline_fixtures::fetch_corpus(script, &dir).unwrap();
    dir
}

#[test]
fn the_bundled_reports_hash_as_they_always_did() {
    for path in dateline_fixtures::bundled_reports() {
        let text = std::fs::read_to_string(&path).unwrap();
        for shingle in [1, 3, 4, 5] {
            let settings = Settings { shingle, ..S };
            assert_same(&text, &settings, &path.display().to_string());
        }
    }
}

/// Arabic, Bengali, Burmese, Chinese, Hindi, Japanese, Korean, Latvian, Nepali, Spanish and
/// Thai pages, among English ones: words the segmenter cuts, and letters that lower-case
/// outside ASCII.
#[test]
fn news_pages_in_ten_languages_hash_as_they_always_did() {
    let pages = texts(&corpus("get-news-html.sh", "news-html").join("txt"));
    assert!(pages.len() >= 20, "{}", pages.len());
    let non_ascii = pages.iter().filter(|(_, text)| !text.is_ascii()).count();
    assert!(non_ascii >= 10, "{non_ascii}");
    for (path, text) in &pages {
        assert_same(text, &S, &path.display().to_string());
    }
}

/// Letters whose lower case depends on the word (a Greek final sigma) or is longer than the
/// letter (the Turkish dotted capital I), in capitals and mixed with ASCII.
#[test]
fn letters_that_lower_case_by_their_place_hash_as_they_always_did() {
    let text = "ΟΔΥΣΣΕΥΣ ΚΑΙ ΠΗΝΕΛΟΠΗ στην ΑΘΗΝΑ. İSTANBUL'DA İKİ BAKAN, the U.S. TALKS, \
                Straße STRASSE ǅemal ﬁnal Σ ΣΣ";
    for shingle in [1, 2, 4] {
        assert_same(text, &Settings { shingle, ..S }, text);
    }
    // Short texts: fewer words than a shingle, one word, none.
    for short in ["ΟΔΟΣ ΚΑΙ", "ΟΔΟΣ", "", "  ,.  "] {
        assert_same(short, &S, short);
    }
}

#[test]
fn every_reuters_report_hashes_as_it_always_did() {
    let reports = texts(&corpus("get-reuters21578.sh", "reuters21578"));
    assert!(reports.len() > 20_000, "{}", reports.len());
    for (path, text) in &reports {
        assert_same(text, &S, &path.display().to_string());
    }
}
