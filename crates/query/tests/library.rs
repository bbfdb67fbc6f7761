//! The query crate as an embedder uses it:
//! 1. An open `Index` sees commits made after it was opened, once reloaded.
//! 2. One `Index` serves searches from several threads.
//! 3. Errors are typed: a missing index, a malformed query.
//! 4. Reports, facets and status: what a server built on the crate serves.

use std::path::Path;
use std::time::Duration;

use dateline_indexer::{Indexer, Options};
use dateline_query::{Cancel, Error, Index, Interval, MAX_MATCHES, Query};
use proptest::strategy::Strategy;

fn seeds() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    dateline_fixtures::copy_bundled_reports(corpus.path());
    corpus
}

/// An index of `roots`, built and closed, opened for searching.
fn index_of(roots: &[&Path]) -> (tempfile::TempDir, Index) {
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    let roots: Vec<_> = roots.iter().map(|root| root.to_path_buf()).collect();
    indexer.update(&roots, |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (dir, index)
}

/// The bundled reports indexed, with the indexer kept to commit more and the index open.
struct KeptOpen {
    // Fields drop in order: the index and its writer before their folders.
    index: Index,
    indexer: Indexer,
    corpus: tempfile::TempDir,
    _dir: tempfile::TempDir,
}

impl KeptOpen {
    fn new() -> KeptOpen {
        let corpus = seeds();
        let dir = tempfile::tempdir().unwrap();
        let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
        indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
        let index = Index::open(dir.path()).unwrap();
        KeptOpen { index, indexer, corpus, _dir: dir }
    }

    /// Indexes the corpus as it is now, and reloads the open index.
    fn update(&mut self) {
        self.indexer.update(&[self.corpus.path().to_path_buf()], |_| {}).unwrap();
        self.index.reload().unwrap();
    }
}

#[test]
fn an_open_index_sees_later_commits_after_reload() {
    let mut open = KeptOpen::new();
    let index = &open.index;
    assert_eq!(index.num_reports(), 5);
    assert_eq!(index.search(&Query::new("dockers")).unwrap().total, 0);

    std::fs::write(open.corpus.path().join("strike.txt"), "Dock strike\n\nDockers walked out.\n")
        .unwrap();
    open.update();
    let index = &open.index;
    assert_eq!(index.num_reports(), 6);
    let results = index.search(&Query::new("dockers")).unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].attribution.title, "Dock strike");
}

#[test]
fn an_open_index_sees_a_copy_group_grow_after_reload() {
    let mut open = KeptOpen::new();
    let query = Query::new("\"precursor chemicals\"").limit(1);
    let before = open.index.search(&query).unwrap();
    let first = &before.hits[0];
    assert_eq!(first.copies.count, 1);

    // The same text saved again: the open index remembers groups per commit, and must not
    // answer from the commit it searched before.
    let file = Path::new(&first.attribution.name).file_name().unwrap();
    let original = open.corpus.path().join(file);
    std::fs::copy(&original, open.corpus.path().join("saved-again.txt")).unwrap();
    open.update();
    let after = open.index.search(&query).unwrap();
    let copies = &after.hits[0].copies;
    assert_eq!(copies.count, 2, "{copies:?}");
    let [other] = copies.also_ran_in.as_slice() else { panic!("{copies:?}") };
    let other = Path::new(&other.name).file_name().unwrap();
    assert!(other == "saved-again.txt" || other == file, "{copies:?}");
}

#[test]
fn one_index_serves_many_threads() {
    let corpus = seeds();
    let (_dir, index) = index_of(&[corpus.path()]);
    let totals: Vec<usize> = std::thread::scope(|scope| {
        let workers: Vec<_> = ["fentanyl", "Daskal", "\"precursor chemicals\"", "-Taiwan"]
            .into_iter()
            .map(|text| {
                let index = &index;
                scope.spawn(move || index.search(&Query::new(text)).unwrap().total)
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().unwrap()).collect()
    });
    assert_eq!(totals, [5, 2, 3, 3]);
}

#[test]
fn errors_are_typed() {
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(Index::open(empty.path()), Err(Error::NotFound { .. })));

    let err = bundled_index().search(&Query::new("title:(talks")).unwrap_err();
    assert!(matches!(&err, Error::Query { query, .. } if query == "title:(talks"), "{err}");
    assert_eq!(err.to_string(), "invalid query `title:(talks`: `(` without a matching `)`");
}

/// An index of the bundled reports, built once for all hostile-input tests of this file.
fn bundled_index() -> &'static Index {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, tempfile::TempDir, Index)> =
        std::sync::OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let corpus = seeds();
            let (dir, index) = index_of(&[corpus.path()]);
            (corpus, dir, index)
        })
        .2
}

/// A search either answers or says what is wrong with the query; anything else is a bug.
fn assert_answers_or_refuses(text: &str) {
    match bundled_index().search(&Query::new(text).passages(3)) {
        Ok(results) => {
            for hit in &results.hits {
                for passage in &hit.passages {
                    for range in &passage.highlights {
                        assert!(passage.text.get(range.clone()).is_some(), "{text:?}: {range:?}");
                    }
                }
            }
        }
        Err(Error::Query { reason, .. }) => assert!(!reason.is_empty() && !reason.contains('\n')),
        Err(other) => panic!("{text:?}: {other}"),
    }
}

#[test]
fn the_hostile_query_collection_is_answered_or_refused() {
    let collection = include_str!("hostile_queries.txt");
    let queries: Vec<&str> = collection.lines().filter(|line| !line.starts_with('#')).collect();
    assert!(queries.len() > 80);
    for query in queries {
        assert_answers_or_refuses(query);
    }
}

#[test]
fn huge_and_deep_queries_are_refused_quickly() {
    let many_words = "fentanyl ".repeat(5000);
    let err = bundled_index().search(&Query::new(many_words)).unwrap_err();
    assert!(err.to_string().contains("bytes long; the limit is"), "{err}");
    // The message echoes the start of the query, not all 45 KB of it.
    assert!(err.to_string().len() < 300, "{} bytes", err.to_string().len());
    let deep = format!("{}fentanyl{}", "(".repeat(1000), ")".repeat(1000));
    let err = bundled_index().search(&Query::new(deep)).unwrap_err();
    assert!(err.to_string().contains("nested more than 32 deep"), "{err}");
    let nested_ok = format!("{}fentanyl{}", "(".repeat(30), ")".repeat(30));
    assert_eq!(bundled_index().search(&Query::new(nested_ok)).unwrap().total, 5);
    let control = "fentanyl\u{0}\u{7}\r\n\t\u{1b}";
    assert_eq!(bundled_index().search(&Query::new(control)).unwrap().total, 5);
    assert_answers_or_refuses("fentanyl \u{1b}[31m");
}

#[test]
fn phrases_that_would_cost_too_much_are_refused_before_they_run() {
    // Before the limits, this took 2.3 GB and 12 s on the five bundled reports.
    let the12 = format!("\"{}\"~100", ["the"; 12].join(" "));
    let err = bundled_index().search(&Query::new(&the12)).unwrap_err();
    assert!(matches!(err, Error::Query { .. }), "{err}");
    assert!(err.to_string().contains("slop of ~100 is more than the limit of ~20"), "{err}");

    let long = format!("\"{}\"", ["fentanyl talks"; 20].join(" "));
    let err = bundled_index().search(&Query::new(long)).unwrap_err();
    assert!(err.to_string().contains("a phrase of 40 words is more than the limit of 32"), "{err}");
    // Negated and field-scoped phrases cost the same, so they are bounded the same.
    assert!(bundled_index().search(&Query::new("talks -\"the the the\"~50")).is_err());
    assert!(bundled_index().search(&Query::new("title:\"the the the\"~50")).is_err());

    // At the limits, phrases run.
    let the32 = format!("\"{}\"~20", ["the"; 32].join(" "));
    assert!(bundled_index().search(&Query::new(the32)).is_ok());
    assert!(bundled_index().search(&Query::new("\"fentanyl talks\"~20")).unwrap().total > 0);
    // A slop on one word means nothing and is not refused.
    assert!(bundled_index().search(&Query::new("fentanyl~100")).is_ok());
}

#[test]
fn a_prefix_finds_words_that_start_with_it_as_written() {
    let index = bundled_index();
    // Before, `fent*` found none of the five reports: the prefix met stemmed words.
    let results = index.search(&Query::new("fent*").passages(1)).unwrap();
    assert_eq!(results.total, 5);
    let passage = &results.hits[0].passages[0];
    let marked: Vec<&str> = passage.highlights.iter().map(|r| &passage.text[r.clone()]).collect();
    assert!(marked.iter().all(|word| word.to_lowercase().starts_with("fent")), "{marked:?}");
    let daskal = index.search(&Query::new("Daskal")).unwrap().total;
    assert_eq!(index.search(&Query::new("Daska*")).unwrap().total, daskal);
    // The whole word counts too, where stemming shortened what the index holds.
    let whole = index.search(&Query::new("discussions")).unwrap().total;
    assert!(whole > 0);
    assert_eq!(index.search(&Query::new("discussions*")).unwrap().total, whole);
    let in_titles = index.search(&Query::new("title:fentanyl")).unwrap().total;
    assert_eq!(index.search(&Query::new("title:fent*")).unwrap().total, in_titles);
}

#[test]
fn words_that_carry_no_meaning_are_not_marked_alone() {
    let index = bundled_index();
    let marked = |query: &str| -> Vec<String> {
        let results = index.search(&Query::new(query).passages(3)).unwrap();
        assert!(results.total > 0, "{query}");
        results
            .hits
            .iter()
            .flat_map(|hit| &hit.passages)
            .flat_map(|p| p.highlights.iter().map(|r| p.text[r.clone()].to_lowercase()))
            .collect()
    };
    // Before, "of" and "the" were marked all over every passage.
    let words = marked("flow of fentanyl OR the");
    assert!(words.iter().any(|w| w == "fentanyl"), "{words:?}");
    assert!(!words.iter().any(|w| w == "of" || w == "the"), "{words:?}");
    // Inside a phrase they are part of what matched; alone in a query they are all there is.
    assert!(marked("\"flow of fentanyl\"").iter().any(|w| w == "flow of fentanyl"));
    assert!(marked("the").iter().all(|w| w == "the"));
}

#[test]
fn typographic_quotes_are_phrase_quotes() {
    let index = bundled_index();
    let straight = index.search(&Query::new("\"fentanyl talks\"")).unwrap();
    let loose = index.search(&Query::new("fentanyl talks")).unwrap();
    assert!(straight.total < loose.total, "the phrase is narrower than its words");
    for quoted in ["“fentanyl talks”", "„fentanyl talks“", "«fentanyl talks»", "「fentanyl talks」"]
    {
        let results = index.search(&Query::new(quoted)).unwrap();
        assert_eq!(results.total, straight.total, "{quoted}");
    }
    assert!(index.search(&Query::new("“fentanyl talks")).is_err());
}

#[test]
fn a_search_past_its_budget_or_cancelled_says_so_instead_of_answering_partly() {
    let index = bundled_index();
    let err = index.search(&Query::new("fentanyl").time_budget(Duration::ZERO)).unwrap_err();
    assert!(matches!(err, Error::TimedOut { .. }), "{err}");
    assert!(err.to_string().contains("time budget of 0 s"), "{err}");
    let err = index.facets(&Query::new("fentanyl").time_budget(Duration::ZERO), None).unwrap_err();
    assert!(matches!(err, Error::TimedOut { .. }), "{err}");

    let cancel = Cancel::new();
    let query = Query::new("fentanyl").cancel_with(cancel.clone());
    assert_eq!(index.search(&query).unwrap().total, 5);
    cancel.cancel();
    assert!(matches!(index.search(&query), Err(Error::Cancelled)));
    assert!(matches!(index.facets(&query, None), Err(Error::Cancelled)));
}

/// One report of `lines` lines, each a sentence with `the` twice, indexed.
fn index_of_one_huge_report(lines: usize) -> (tempfile::TempDir, tempfile::TempDir, Index) {
    let corpus = tempfile::tempdir().unwrap();
    let body = "The talks went on and the talks went on.\n".repeat(lines);
    std::fs::write(corpus.path().join("huge.txt"), format!("Huge\n\n{body}")).unwrap();
    let (dir, index) = index_of(&[corpus.path()]);
    (corpus, dir, index)
}

#[test]
fn a_hit_on_a_huge_report_marks_only_the_first_matches() {
    let (_corpus, _dir, index) = index_of_one_huge_report(200_000);
    let hit = &index.search(&Query::new("the").passages(3)).unwrap().hits[0];
    assert_eq!(hit.passages.len(), 3);
    assert_eq!(hit.passages[0].line, 3);
    let report = index.report(&hit.attribution.name, Some(&Query::new("the"))).unwrap();
    let marked: usize = report.lines.iter().map(|line| line.highlights.len()).sum();
    assert_eq!(marked, MAX_MATCHES);
    assert_eq!(report.lines.len(), 200_000);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Phrases of common and repeated words, with any slop and wildcards, either run well
    /// within their time budget or are refused before they run.
    #[test]
    fn costly_query_shapes_are_bounded(
        phrases in proptest::collection::vec(
            (
                proptest::collection::vec(
                    proptest::sample::select(vec!["the", "the", "the", "of", "and", "to", "China", "talks", "fent"]),
                    1..40,
                ),
                proptest::option::of(0u32..300),
                proptest::bool::ANY,
                proptest::bool::ANY,
            ),
            1..4,
        )
    ) {
        let text = phrases
            .iter()
            .map(|(words, slop, prefix, negated)| {
                let mut phrase = format!("\"{}\"", words.join(" "));
                if *prefix { phrase.push('*') } else if let Some(slop) = slop { phrase.push_str(&format!("~{slop}")) }
                if *negated { format!("-{phrase}") } else { phrase }
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        let query = Query::new(&text).time_budget(Duration::from_secs(5));
        match bundled_index().search(&query) {
            Ok(_) | Err(Error::Query { .. }) => {}
            Err(other) => panic!("{text}: {other}"),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Random strings built from the characters the grammar gives meaning to, and words
    /// that occur in the reports.
    #[test]
    fn any_query_is_answered_or_refused(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(vec![
                    "fentanyl", "Daskal", "precursor", "chemicals", "China", "OR", "AND", "NOT",
                    "title:", "body:", "publisher:", "date:", "nope:", "2024-01-31", "TO", "*",
                ]).prop_map(str::to_string),
                "[\"()\\[\\]{}:^~*+\\-!\\\\ '/]{1,3}",
                "\\PC{1,4}",
            ],
            0..12,
        )
    ) {
        assert_answers_or_refuses(&parts.join(" "));
        assert_answers_or_refuses(&parts.concat());
    }
}

#[test]
fn a_report_holds_each_passage_on_the_line_and_at_the_offset_its_hit_gave() {
    let index = bundled_index();
    let query = Query::new("fentanyl China").passages(3);
    let results = index.search(&query).unwrap();
    assert!(results.hits.len() >= 3);
    for hit in &results.hits {
        let folder = index.folders()[0].clone();
        let base = folder.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            hit.attribution.name,
            format!("{base}/{}", hit.attribution.path.file_name().unwrap().to_str().unwrap())
        );
        let report = index.report(&hit.attribution.name, Some(&query)).unwrap();
        assert_eq!(
            (&report.attribution.path, &report.attribution.title),
            (&hit.attribution.path, &hit.attribution.title)
        );
        let file = std::fs::read(&hit.attribution.path).unwrap();
        for line in &report.lines {
            let span = line.offset as usize..(line.offset + line.length) as usize;
            assert_eq!(&file[span], line.text.as_bytes(), "{}:{}", hit.attribution.name, line.line);
        }
        for passage in &hit.passages {
            let line = report.lines.iter().find(|l| l.line == passage.line).unwrap();
            let within = (passage.offset - line.offset) as usize;
            let first_line_of_passage = passage.text.lines().next().unwrap();
            assert!(line.text[within..].starts_with(first_line_of_passage), "{passage:?}");
        }
        let marked: Vec<String> = report
            .lines
            .iter()
            .flat_map(|l| l.highlights.iter().map(|r| l.text[r.clone()].to_lowercase()))
            .collect();
        assert!(marked.iter().any(|word| word.starts_with("fentanyl")), "{marked:?}");
        assert!(marked.iter().all(|word| word.starts_with("fentanyl") || word == "china"));
    }
}

#[test]
fn a_decoded_report_places_its_lines_in_the_file_bytes() {
    let corpus = tempfile::tempdir().unwrap();
    // Windows-1252: "café" and a curly quote, one byte each in the file.
    let file = b"Caf\xe9 owners protest\n\nThe caf\xe9 said \x93no\x94 to the levy.\nIt closed.\n";
    std::fs::write(corpus.path().join("cafe.txt"), file).unwrap();
    let (_dir, index) = index_of(&[corpus.path()]);
    let name = index.search(&Query::new("levy")).unwrap().hits[0].attribution.name.clone();
    let report = index.report(&name, Some(&Query::new("levy"))).unwrap();
    assert_eq!(report.attribution.title, "Café owners protest");
    let lines: Vec<_> = report.lines.iter().map(|l| (l.line, l.offset, l.length)).collect();
    assert_eq!(lines, [(3, 21, 31), (4, 53, 10)]);
    assert_eq!(report.lines[0].text, "The café said “no” to the levy.");
    let line = &report.lines[0];
    assert_eq!(line.highlights.iter().map(|r| &line.text[r.clone()]).collect::<Vec<_>>(), ["levy"]);
}

#[test]
fn only_plain_names_of_indexed_reports_are_served() {
    let index = bundled_index();
    let hit = index.search(&Query::new("Daskal")).unwrap().hits[0].clone();
    assert!(index.report(&hit.attribution.name, None).is_ok());
    let absolute = hit.attribution.path.to_str().unwrap().to_string();
    let (folder, file) = hit.attribution.name.split_once('/').unwrap();
    for name in [
        absolute.as_str(),
        &format!("{folder}/../{folder}/{file}"),
        &format!("{folder}/./{file}"),
        &format!("{folder}//{file}"),
        &format!("{folder}/{file}/"),
        &format!("{folder}/missing.txt"),
        folder,
        "",
        "..",
        "../../etc/passwd",
    ] {
        let err = index.report(name, None).unwrap_err();
        assert!(matches!(err, Error::NotIndexed { .. }), "{name:?}: {err}");
    }
    let err = index.report(&hit.attribution.name, Some(&Query::new("\"talks"))).unwrap_err();
    assert!(matches!(err, Error::Query { .. }), "{err}");
}

#[test]
fn facets_count_the_filtered_results_by_publisher_and_over_time() {
    let corpus = tempfile::tempdir().unwrap();
    let reports = [
        ("a.txt", "Port strike\nDate: 2024-01-30\nSource: Lloyd's List\n\nDockers strike."),
        ("b.txt", "Strike spreads\nDate: 2024-02-02\nSource: Lloyd's List\n\nThe strike spreads."),
        ("c.txt", "Strike talks\nDate: 2024-02-02\nSource: The Rio Times\n\nStrike talks began."),
        ("d.txt", "Strike ends\nDate: 2024-03-15\n\nThe strike ended."),
        ("e.txt", "Strike memo\nSource: The Rio Times\n\nAn undated strike memo."),
        ("f.txt", "Grain prices\nDate: 2024-02-02\nSource: The Rio Times\n\nWheat rose."),
    ];
    for (name, text) in reports {
        std::fs::write(corpus.path().join(name), text).unwrap();
    }
    let (_dir, index) = index_of(&[corpus.path()]);

    let facets = index.facets(&Query::new("strike"), None).unwrap();
    assert_eq!(facets.total, 5);
    let publishers: Vec<_> = facets.publishers.iter().map(|p| (p.name.as_str(), p.count)).collect();
    assert_eq!(publishers, [("Lloyd's List", 2), ("The Rio Times", 2)]);
    assert_eq!((facets.other_publishers, facets.no_publisher, facets.undated), (0, 1, 1));
    // 2024-01-30 to 2024-03-15 is 45 days: counted by day, empty days included.
    assert_eq!(facets.timeline.interval, Interval::Day);
    assert_eq!(facets.timeline.buckets.len(), 46);
    let nonzero: Vec<_> = facets
        .timeline
        .buckets
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.start.to_string(), b.count))
        .collect();
    assert_eq!(
        nonzero,
        [("2024-01-30".into(), 1), ("2024-02-02".into(), 2), ("2024-03-15".into(), 1)]
    );

    let weekly = index.facets(&Query::new("strike"), Some(Interval::Week)).unwrap();
    let counts: Vec<_> = weekly.timeline.buckets.iter().map(|b| b.count).collect();
    assert_eq!(counts, [3, 0, 0, 0, 0, 0, 1]); // weeks from Monday 2024-01-29 to 2024-03-11

    let filtered = Query::new("strike").publisher("rio times").since("2024-01-31".parse().unwrap());
    let facets = index.facets(&filtered, None).unwrap();
    assert_eq!(facets.total, 1);
    // The publishers not chosen stay listed, counted with the other filters only: after
    // 2024-01-31, Lloyd's List has one strike report, and d.txt names no publisher.
    let publishers: Vec<_> = facets.publishers.iter().map(|p| (p.name.as_str(), p.count)).collect();
    assert_eq!(publishers, [("Lloyd's List", 1), ("The Rio Times", 1)]);
    assert_eq!(facets.no_publisher, 1);
    let both = filtered.publisher("Lloyd's List");
    assert_eq!(index.facets(&both, None).unwrap().total, 2);
    assert_eq!(index.search(&both).unwrap().total, 2);
    assert!(index.facets(&Query::new("strike)"), None).is_err());
}

#[test]
fn status_and_names_follow_commits_that_add_folders() {
    let first = seeds();
    let (dir, index) = index_of(&[first.path()]);
    let before = index.status().unwrap();
    assert_eq!(before.reports, 5);
    assert_eq!(before.folders, [first.path().canonicalize().unwrap()]);
    let committed = before.last_commit.expect("the indexer records commit times");
    let age = jiff::Timestamp::now().duration_since(committed);
    assert!(age.as_secs() < 600, "{committed}");

    let second = tempfile::tempdir().unwrap();
    std::fs::write(second.path().join("strike.txt"), "Dock strike\n\nDockers walked out.\n")
        .unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[first.path().to_path_buf(), second.path().to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    index.reload().unwrap();
    // The new folder is learned from the commit, without reopening.
    let hit = index.search(&Query::new("dockers")).unwrap().hits[0].clone();
    let base = second.path().canonicalize().unwrap();
    assert_eq!(
        hit.attribution.name,
        format!("{}/strike.txt", base.file_name().unwrap().to_str().unwrap())
    );
    assert_eq!(
        index.report(&hit.attribution.name, None).unwrap().lines[0].text,
        "Dockers walked out."
    );
    assert_eq!(index.status().unwrap().reports, 6);
}

#[test]
fn reports_in_folders_of_the_same_name_keep_distinct_names() {
    let top = tempfile::tempdir().unwrap();
    let (a, b) = (top.path().join("a/news"), top.path().join("b/news"));
    for (folder, story) in
        [(&a, "Okapi sighted\n\nAn okapi in Ituri."), (&b, "Okapi count\n\nOkapi census.")]
    {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("same.txt"), story).unwrap();
    }
    let (_dir, index) = index_of(&[&a, &b]);
    let hits = index.search(&Query::new("okapi")).unwrap().hits;
    let mut names: Vec<_> = hits.iter().map(|hit| hit.attribution.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["a/news/same.txt", "b/news/same.txt"]);
    for hit in &hits {
        assert_eq!(
            index.report(&hit.attribution.name, None).unwrap().attribution.title,
            hit.attribution.title
        );
    }
    assert!(index.report("news/same.txt", None).is_err());
}
