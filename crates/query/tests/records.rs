//! Reports of files that hold many (JSON Lines, JSON arrays, CSV) as an embedder sees them:
//! 1. A record's report is named by its file and its place; `Index::report` and
//!    `Query::similar_to` take that name.
//! 2. A file of many named alone, or a file of a kind not read, is a typed error saying so.
//! 3. Its lines and passages sit on the file's lines, a JSON string's escapes mapped back.

use dateline_indexer::{Indexer, Options};
use dateline_query::{Error, Index, Query};

#[test]
fn records_are_named_reported_and_refused_as_files_of_many() {
    let corpus = tempfile::tempdir().unwrap();
    let dump = "{\"title\": \"Port strike\", \"text\": \"Dockers \\\"walked\\\" out.\\nTugs idled.\"}\n\
                {\"title\": \"Grain\", \"text\": \"Ships sailed from Odesa.\"}\n";
    std::fs::write(corpus.path().join("dump.jsonl"), dump).unwrap();
    std::fs::write(corpus.path().join("scan.pdf"), "%PDF").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    let summary = indexer.update(&[corpus.path().to_path_buf()], |_| {}).unwrap();
    assert_eq!((summary.added, summary.records, summary.not_read.len()), (1, 2, 1));
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();

    let hit = index.search(&Query::new("tugs")).unwrap().hits[0].clone();
    let folder = corpus.path().file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(hit.attribution.name, format!("{folder}/dump.jsonl:1"));
    let report = index.report(&hit.attribution.name, Some(&Query::new("tugs"))).unwrap();
    let lines: Vec<_> = report.lines.iter().map(|l| (l.line, l.text.as_str())).collect();
    assert_eq!(lines, [(1, "Dockers \"walked\" out."), (1, "Tugs idled.")]);
    // `Tugs` follows the `\n` escape: 2 bytes of file for 1 of text; `"` took 2 bytes twice.
    let tugs = &report.lines[1];
    assert_eq!(&dump[tugs.offset as usize..][..tugs.length as usize], "Tugs idled.");
    assert_eq!(tugs.highlights, vec![std::ops::Range { start: 0, end: 4 }]);

    let similar = index.search(&Query::similar_to(corpus.path().join("dump.jsonl:2")));
    assert!(similar.is_ok(), "{similar:?}");
    match index.report(&format!("{folder}/dump.jsonl"), None) {
        Err(err @ Error::ManyReports { .. }) => {
            assert!(err.to_string().contains("name one, e.g. "), "{err}");
        }
        other => panic!("{other:?}"),
    }
    match index.report(&format!("{folder}/scan.pdf"), None) {
        Err(err @ Error::NotRead { .. }) => assert!(err.to_string().contains(".pdf"), "{err}"),
        other => panic!("{other:?}"),
    }
    let missing = index.report(&format!("{folder}/dump.jsonl:7"), None);
    assert!(matches!(missing, Err(Error::NotIndexed { .. })), "{missing:?}");
}
