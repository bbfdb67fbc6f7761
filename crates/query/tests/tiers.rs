//! Searches that do not silently miss, in the order asked for, and every hit at once:
//! 1. Tiers: after the reports with every word, the reports with at least half of the words
//!    follow, most words first; exactly those (checked word by word on Reuters); `strict`,
//!    `OR`, a single word and exclusions behave as before.
//! 2. Sort: newest or oldest first with undated reports last, by relevance within a day;
//!    `*` and filters alone default to newest; with tiers, the order holds within the first.
//! 3. Export: every hit, in the order of the pages, each read only when taken.
//! 4. Similar reports by name, as a server takes them, answer as by path.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use dateline_indexer::{Indexer, Options};
use dateline_query::{Hit, Index, Query, Sort};

fn index_of(root: &Path) -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[root.to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (dir, index)
}

fn file_names(hits: &[Hit]) -> Vec<String> {
    let name = |hit: &Hit| hit.attribution.path.file_name().unwrap().to_string_lossy().into_owned();
    hits.iter().map(name).collect()
}

fn export(index: &Index, query: Query) -> Vec<Hit> {
    index.export(&query).unwrap().map(Result::unwrap).collect()
}

/// Reports about one resignation, written as wires write them: one never says "resigns".
fn resignation_reports() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let reports = [
        (
            "a_resigns.txt",
            "Flynn resigns\nDate: 2017-02-14\n\nNational security adviser Michael Flynn resigned late on Monday.\n",
        ),
        (
            "b_quits.txt",
            "Flynn quits\nDate: 2017-02-13\n\nNational security adviser Michael Flynn quit after reports on his calls.\n",
        ),
        (
            "c_resigns_later.txt",
            "Adviser resigns\nDate: 2017-02-20\n\nA second security adviser to Flynn resigned, national media said.\n",
        ),
        ("d_adviser.txt", "New adviser named\nDate: 2017-02-20\n\nA security adviser was named.\n"),
        (
            "e_undated.txt",
            "Flynn resigns, undated note\n\nFlynn resigned as national security adviser.\n",
        ),
        ("f_other.txt", "Grain prices\nDate: 2017-02-14\n\nWheat rose.\n"),
    ];
    for (name, text) in reports {
        std::fs::write(corpus.path().join(name), text).unwrap();
    }
    corpus
}

#[test]
fn a_report_lacking_a_word_follows_those_with_every_word() {
    let corpus = resignation_reports();
    let (_dir, index) = index_of(corpus.path());
    let query = "Flynn resigns national security adviser";

    let results = index.search(&Query::new(query)).unwrap();
    let names = file_names(&results.hits);
    // Every word: a, c, e (by score). Then b, with four of the five words; d has two, fewer
    // than half, and f none.
    assert_eq!(sorted(&names[..3]), ["a_resigns.txt", "c_resigns_later.txt", "e_undated.txt"]);
    assert_eq!(names[3..], ["b_quits.txt"]);
    assert_eq!((results.total, results.matched_every_word), (4, 3));
    let tiers: Vec<bool> = results.hits.iter().map(|hit| hit.matches_every_word).collect();
    assert_eq!(tiers, [true, true, true, false]);
    let ranks: Vec<usize> = results.hits.iter().map(|hit| hit.rank).collect();
    assert_eq!(ranks, [1, 2, 3, 4]);

    // Strict: every word required, as before.
    let strict = index.search(&Query::new(query).strict(true)).unwrap();
    assert_eq!(file_names(&strict.hits), names[..3]);
    assert_eq!((strict.total, strict.matched_every_word), (3, 3));

    // A page filled by the first tier does not search the second; the page that reaches
    // the end of the first does, and pages go on into it.
    let first_page = index.search(&Query::new(query).limit(2)).unwrap();
    assert_eq!((first_page.total, first_page.matched_every_word), (3, 3));
    let last_page = index.search(&Query::new(query).limit(2).offset(2)).unwrap();
    assert_eq!(file_names(&last_page.hits), names[2..]);
    assert_eq!((last_page.total, last_page.hits[1].rank), (4, 4));

    // Exclusions still exclude; OR and a single word do not tier.
    let without = index.search(&Query::new(format!("{query} -quit"))).unwrap();
    assert_eq!(without.total, 3);
    let either = index.search(&Query::new("Flynn OR wheat")).unwrap();
    assert_eq!((either.total, either.matched_every_word), (5, 5));
    let one = index.search(&Query::new("resigns")).unwrap();
    assert_eq!((one.total, one.matched_every_word), (3, 3));
}

#[test]
fn dates_order_the_first_tier_with_undated_reports_last() {
    let corpus = resignation_reports();
    let (_dir, index) = index_of(corpus.path());
    let query = "Flynn resigns national security adviser";

    let newest = index.search(&Query::new(query).sort(Sort::Newest)).unwrap();
    assert_eq!(
        file_names(&newest.hits),
        ["c_resigns_later.txt", "a_resigns.txt", "e_undated.txt", "b_quits.txt"]
    );
    assert_eq!(newest.undated, 1);
    let oldest = index.search(&Query::new(query).sort(Sort::Oldest)).unwrap();
    assert_eq!(
        file_names(&oldest.hits),
        ["a_resigns.txt", "c_resigns_later.txt", "e_undated.txt", "b_quits.txt"]
    );

    // `*` lists the newest first; on one day, the better match first (c before d: equal
    // scores for `*`, so by path).
    let every = index.search(&Query::new("*")).unwrap();
    assert_eq!(Query::new("*").order(), Sort::Newest);
    assert_eq!(
        file_names(&every.hits),
        [
            "c_resigns_later.txt",
            "d_adviser.txt",
            "a_resigns.txt",
            "f_other.txt",
            "b_quits.txt",
            "e_undated.txt"
        ]
    );
    assert_eq!((every.undated, every.matched_every_word), (1, 6));
    let adviser = index.search(&Query::new("adviser").sort(Sort::Newest)).unwrap();
    let days: Vec<_> = adviser.hits.iter().map(|hit| hit.attribution.date).collect();
    let dated: Vec<_> = days.iter().flatten().collect();
    assert!(dated.windows(2).all(|pair| pair[0] >= pair[1]), "{days:?}");
    assert_eq!(days.last(), Some(&None));
    // Filters alone: newest first too.
    let since = index.search(&Query::new("").since("2017-02-14".parse().unwrap())).unwrap();
    assert_eq!(since.hits[0].attribution.date.unwrap().to_string(), "2017-02-20");
}

/// The Reuters-21578 corpus, fetched once per cache by `../shared/corpus/get-reuters21578.sh`.
fn reuters_sample(n: usize) -> tempfile::TempDir {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpora/reuters21578");
    dateline_fixtures::fetch_corpus("get-reuters21578.sh", &dir).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    let corpus = tempfile::tempdir().unwrap();
    for path in files.into_iter().take(n) {
        std::fs::copy(&path, corpus.path().join(path.file_name().unwrap())).unwrap();
    }
    corpus
}

#[test]
fn on_reuters_the_second_tier_is_exactly_the_reports_with_most_of_the_words() {
    let corpus = reuters_sample(2000);
    let (_dir, index) = index_of(corpus.path());
    for query in ["crude oil prices cut", "trade deficit japan", "wheat exports soviet union"] {
        let words: Vec<&str> = query.split(' ').collect();
        // Which words each report holds, one word at a time.
        let mut coverage: HashMap<PathBuf, usize> = HashMap::new();
        for word in &words {
            for hit in export(&index, Query::new(*word)) {
                *coverage.entry(hit.attribution.path).or_default() += 1;
            }
        }
        let at_least = words.len().div_ceil(2);
        let tiered = index.export(&Query::new(query)).unwrap();
        let every_word = tiered.matched_every_word();
        let hits: Vec<Hit> = tiered.map(Result::unwrap).collect();
        let expected: HashSet<&PathBuf> =
            coverage.iter().filter(|(_, n)| **n >= at_least).map(|(path, _)| path).collect();
        let found: HashSet<&PathBuf> = hits.iter().map(|hit| &hit.attribution.path).collect();
        assert_eq!(found, expected, "{query}");
        assert!(
            every_word > 0 && every_word < hits.len(),
            "{query}: {every_word} of {}",
            hits.len()
        );
        let words_of = |hit: &Hit| coverage[&hit.attribution.path];
        assert!(
            hits[..every_word]
                .iter()
                .all(|hit| hit.matches_every_word && words_of(hit) == words.len())
        );
        let second: Vec<usize> = hits[every_word..].iter().map(words_of).collect();
        assert!(second.windows(2).all(|pair| pair[0] >= pair[1]), "{query}: {second:?}");
        assert!(hits[every_word..].iter().all(|hit| !hit.matches_every_word));

        // Strict gives the first tier, in the same order.
        let strict = export(&index, Query::new(query).strict(true));
        assert_eq!(file_names(&strict), file_names(&hits[..every_word]), "{query}");
    }
}

#[test]
fn an_export_is_every_hit_in_the_order_of_the_pages() {
    let corpus = reuters_sample(1000);
    let (_dir, index) = index_of(corpus.path());
    for (query, sort) in
        [("oil", Sort::Relevance), ("*", Sort::Newest), ("bank rates", Sort::Oldest)]
    {
        let exported = index.export(&Query::new(query).sort(sort)).unwrap();
        let total = exported.total();
        let hits: Vec<Hit> = exported.map(Result::unwrap).collect();
        assert_eq!(hits.len(), total, "{query}");
        let mut paged = Vec::new();
        for offset in (0..total.min(300)).step_by(100) {
            let page =
                Query::new(query).sort(sort).limit(100).offset(offset).passages(1).all_copies(true);
            paged.extend(index.search(&page).unwrap().hits);
        }
        assert_eq!(file_names(&hits[..paged.len()]), file_names(&paged), "{query}");
        let ranks: Vec<usize> = hits.iter().map(|hit| hit.rank).collect();
        assert_eq!(ranks, (1..=total).collect::<Vec<_>>());
        assert!(hits.iter().all(|hit| hit.passages.len() <= 1));
    }
    assert_eq!(export(&index, Query::new("*")).len(), index.num_reports() as usize);
}

#[test]
fn similar_reports_by_name_answer_as_by_path() {
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    let (_dir, index) = index_of(corpus.path());
    let path = corpus.path().join("003_63e613daaea22d0e.txt");
    let by_path = index.search(&Query::similar_to(&path)).unwrap();
    let every = export(&index, Query::new("*"));
    let this = every.iter().find(|hit| hit.attribution.path == path.canonicalize().unwrap());
    let name = this.unwrap().attribution.name.clone();
    assert!(name.ends_with("/003_63e613daaea22d0e.txt"), "{name}");
    let by_name = index.search(&Query::similar_to_named(&name)).unwrap();
    assert_eq!(file_names(&by_name.hits), file_names(&by_path.hits));
    assert!(!by_name.hits.is_empty());
    // Only names of indexed reports: never a path on disk.
    let outside = path.to_string_lossy().into_owned();
    assert!(index.search(&Query::similar_to_named(outside)).is_err());
    assert!(index.search(&Query::similar_to_named("../etc/passwd")).is_err());
}

fn sorted(names: &[String]) -> Vec<String> {
    let mut names = names.to_vec();
    names.sort();
    names
}
