//! Languages: how well the detector candidates name the language of real news text, how
//! fast, and the recall of Chinese word searches.
//!
//! Detection samples are the reference texts of newspaper4k's real pages (their file names
//! and metadata say the language: Arabic, Bengali, Burmese, Chinese, English, Hindi,
//! Japanese, Korean, Latvian, Nepali, Spanish, Thai) and English newswire (the first
//! Reuters-21578 reports, the Lee 2005 articles). Chinese recall: every word of two or more
//! Han characters that the segmenter finds in the Chinese pages' texts is searched for, and
//! the reports found are compared with the reports whose segmented text holds it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use dateline_query::{Index, Query};
use dateline_schema::words::words;

use crate::Setup;

/// How many English newswire reports of each corpus are detected.
const ENGLISH_SAMPLES: usize = 300;
/// Passes over the samples for the speed figure.
const SPEED_PASSES: usize = 5;

/// One detector's results.
pub struct Detector {
    pub name: &'static str,
    pub languages: usize,
    /// Samples named right, of [`Languages::samples`].
    pub correct: usize,
    /// Samples it declined to name (whatlang's own reliability test).
    pub undetermined: usize,
    /// Languages of the real pages it cannot name at all.
    pub unknown: Vec<String>,
    pub mb_per_s: f64,
}

/// The section's figures.
pub struct Languages {
    pub samples: usize,
    pub page_samples: usize,
    pub detectors: Vec<Detector>,
    /// Han words searched, reports that hold them (by segmentation), and found of those.
    pub chinese_words: usize,
    pub chinese_relevant: usize,
    pub chinese_found: usize,
    /// Hits that do not hold the word by segmentation.
    pub chinese_extra: usize,
}

/// `news_html` is the folder get-news-html.sh fills; `reuters` and `lee` the 1× corpora.
pub fn measure(setup: &Setup, news_html: &Path, reuters: &Path, lee: &Path) -> Result<Languages> {
    let mut samples: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(news_html.join("txt"))? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        if let Some(code) = page_language(news_html, &name) {
            samples.push((code, text));
        }
    }
    let page_samples = samples.len();
    for folder in [reuters, &lee.join("docs")] {
        let mut files: Vec<_> =
            std::fs::read_dir(folder)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
            if samples.len() >= page_samples + ENGLISH_SAMPLES * 2 {
                break;
            }
            samples.push(("en".into(), std::fs::read_to_string(path)?));
        }
    }
    let detectors = vec![
        detector("whatlang 0.18", whatlang::Lang::all().len(), &samples, |text| {
            let info = whatlang::detect(text)?;
            info.is_reliable().then(|| two_letters(info.lang().code()))?
        }),
        detector("whichlang 0.1", whichlang::LANGUAGES.len(), &samples, |text| {
            two_letters(whichlang::detect_language(text).three_letter_code())
        }),
        detector(
            "as indexed: whatlang, checked by whichlang",
            whatlang::Lang::all().len(),
            &samples,
            |text| dateline_indexer::detect_language("", text),
        ),
    ];
    let (chinese_words, chinese_relevant, chinese_found, chinese_extra) =
        chinese_recall(setup, news_html)?;
    Ok(Languages {
        samples: samples.len(),
        page_samples,
        detectors,
        chinese_words,
        chinese_relevant,
        chinese_found,
        chinese_extra,
    })
}

/// The language of page `name`: its file name's, or its metadata's, or English for the
/// English news sites whose metadata says nothing.
fn page_language(news_html: &Path, name: &str) -> Option<String> {
    let by_name = [
        ("arabic", "ar"),
        ("bengali", "bn"),
        ("burmese", "my"),
        ("chinese", "zh"),
        ("hindi", "hi"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("latvian", "lv"),
        ("nepali", "ne"),
        ("spanish", "es"),
        ("thai", "th"),
    ];
    if let Some((_, code)) = by_name.iter().find(|(prefix, _)| name.starts_with(prefix)) {
        return Some(code.to_string());
    }
    let metadata = std::fs::read_to_string(news_html.join(format!("metadata/{name}.json"))).ok();
    let declared = metadata
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|meta| meta["language"].as_str().map(str::to_string));
    Some(declared.unwrap_or_else(|| "en".into()))
}

fn detector(
    name: &'static str,
    languages: usize,
    samples: &[(String, String)],
    detect: impl Fn(&str) -> Option<String>,
) -> Detector {
    let (mut correct, mut undetermined) = (0, 0);
    let mut named = BTreeSet::new();
    for (expected, text) in samples {
        match detect(text) {
            Some(found) if found == *expected => {
                correct += 1;
                named.insert(expected.clone());
            }
            Some(_) => {}
            None => undetermined += 1,
        }
    }
    // Languages of the samples it never named right.
    let unknown: BTreeSet<String> =
        samples.iter().map(|(code, _)| code.clone()).filter(|c| !named.contains(c)).collect();
    let bytes: usize = samples.iter().map(|(_, text)| text.len()).sum();
    let started = Instant::now();
    for _ in 0..SPEED_PASSES {
        for (_, text) in samples {
            std::hint::black_box(detect(text));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    Detector {
        name,
        languages,
        correct,
        undetermined,
        unknown: unknown.into_iter().collect(),
        mb_per_s: (bytes * SPEED_PASSES) as f64 / 1e6 / secs,
    }
}

/// ISO 639-3 → 639-1 for the codes the two detectors give (Mandarin as `cmn`).
fn two_letters(code: &str) -> Option<String> {
    let known = [
        ("ara", "ar"),
        ("ben", "bn"),
        ("cmn", "zh"),
        ("deu", "de"),
        ("eng", "en"),
        ("spa", "es"),
        ("fra", "fr"),
        ("hin", "hi"),
        ("ita", "it"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("lav", "lv"),
        ("mya", "my"),
        ("nep", "ne"),
        ("nld", "nl"),
        ("por", "pt"),
        ("rus", "ru"),
        ("swe", "sv"),
        ("tha", "th"),
        ("tur", "tr"),
        ("vie", "vi"),
    ];
    Some(known.iter().find(|(three, _)| *three == code).map_or(code, |(_, two)| two).to_string())
}

/// The Han words (two characters or more) of `text`, as the index's word splitter cuts it.
fn han_words(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for range in words(text) {
        let word = &text[range];
        let han = word.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        if han && word.chars().count() >= 2 {
            found.insert(word.to_string());
        }
    }
    found
}

/// Indexes the Chinese pages' texts and searches each of their words.
fn chinese_recall(setup: &Setup, news_html: &Path) -> Result<(usize, usize, usize, usize)> {
    let corpus = setup.work.join("chinese");
    std::fs::create_dir_all(&corpus)?;
    let mut holding: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(news_html.join("txt"))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if !name.starts_with("chinese") {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        std::fs::write(corpus.join(&name), &text)?;
        for word in han_words(&text) {
            holding.entry(word).or_default().insert(name.clone());
        }
    }
    let index_dir = setup.work.join("chinese-index");
    let mut indexer = dateline_indexer::Indexer::open_or_create(&index_dir, Default::default())?;
    indexer.update(std::slice::from_ref(&corpus), |_| {})?;
    drop(indexer);
    let index = Index::open(&index_dir)?;
    let (mut relevant, mut found, mut extra) = (0, 0, 0);
    for (word, files) in &holding {
        let results = index
            .search(&Query::new(word.clone()).limit(10).passages(0))
            .with_context(|| format!("searching {word}"))?;
        let hits: BTreeSet<String> = results
            .hits
            .iter()
            .map(|h| h.attribution.path.file_name().unwrap_or_default().to_string_lossy().into())
            .collect();
        relevant += files.len();
        found += files.intersection(&hits).count();
        extra += hits.difference(files).count();
    }
    Ok((holding.len(), relevant, found, extra))
}
