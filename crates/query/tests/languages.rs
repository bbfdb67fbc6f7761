//! Searching reports in many languages, on reports written here in German, Russian, French,
//! Chinese and English (a few sentences each, as detection needs):
//! 1. a word finds its inflections in its report's language, and accents fold both ways;
//! 2. the exact form ranks first (`Köln` above `Koln` for the query `Köln`);
//! 3. a Chinese word is found inside a run of characters, alone and in a quoted phrase,
//!    and marked on exactly its characters;
//! 4. each hit carries its report's language, declared or detected; `language` filters and
//!    the language facet count them.

use dateline_indexer::{Indexer, Options};
use dateline_query::{Facets, Index, Query, Results};

const GERMAN: &str = "Tarifstreit\n\n\
    Die Verhandlungen zwischen der Regierung und den Gewerkschaften wurden am Montag in \
    Berlin fortgesetzt. Beide Seiten zeigten sich nach den Gesprächen zuversichtlich, dass \
    eine Einigung noch in dieser Woche erreicht werden kann.\n";
const GERMAN_KOELN: &str = "Hochwasser in Köln\n\n\
    In Köln ist der Rhein am Wochenende stark gestiegen. Die Stadt hat die Uferstraßen \
    gesperrt und warnt die Anwohner vor weiteren Überschwemmungen in den nächsten Tagen.\n";
/// The same report, with the city written without its umlaut (as in a URL or a wire feed).
const GERMAN_KOLN: &str = "Hochwasser in Koln\n\n\
    In Koln ist der Rhein am Wochenende stark gestiegen. Die Stadt hat die Uferstraßen \
    gesperrt und warnt die Anwohner vor weiteren Überschwemmungen in den nächsten Tagen.\n";
const RUSSIAN: &str = "Переговоры продолжаются\n\n\
    Переговоры между правительством и профсоюзами продолжились в понедельник в Москве. \
    Обе стороны выразили надежду, что соглашение будет достигнуто уже на этой неделе.\n";
const FRENCH: &str = "Grève des cheminots\n\n\
    La grève des cheminots se poursuit pour la troisième journée consécutive. Les syndicats \
    réclament une hausse des salaires et de meilleures conditions de travail pour tous.\n";
const CHINESE: &str = "改革开放四十年\n\n\
    中国坚持改革开放，经济持续快速发展。政府表示将继续扩大对外开放，推动高质量发展，\
    让人民生活更加美好。\n";
const ENGLISH: &str = "Talks resume\n\n\
    Negotiations between the government and the unions resumed on Monday in London. Both \
    sides said after the meeting that they hoped to reach an agreement this week.\n";
/// Declares French in its front matter, though written in English: the declaration wins.
const DECLARED: &str = "---\ntitle: Declared\nlanguage: fr-FR\n---\n\
    The unions said the strike would go on. Negotiations with the rail operator stalled \
    again on Tuesday, and no new meeting date has been set by either side.\n";

fn corpus() -> (tempfile::TempDir, tempfile::TempDir, Index) {
    let reports = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("de.txt", GERMAN),
        ("de-koeln.txt", GERMAN_KOELN),
        ("de-koln.txt", GERMAN_KOLN),
        ("ru.txt", RUSSIAN),
        ("fr.txt", FRENCH),
        ("zh.txt", CHINESE),
        ("en.txt", ENGLISH),
        ("declared.md", DECLARED),
    ] {
        std::fs::write(reports.path().join(name), text).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut indexer = Indexer::open_or_create(dir.path(), Options::default()).unwrap();
    indexer.update(&[reports.path().to_path_buf()], |_| {}).unwrap();
    drop(indexer);
    let index = Index::open(dir.path()).unwrap();
    (reports, dir, index)
}

fn names(results: &Results) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|hit| hit.attribution.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn found(index: &Index, query: Query) -> Vec<String> {
    // de-koeln.txt and de-koln.txt are one text spelt two ways: copies, shown both here.
    let mut found = names(&index.search(&query.all_copies(true)).unwrap());
    found.sort();
    found
}

#[test]
fn words_find_their_inflections_and_accents_fold() {
    let (_reports, _dir, index) = corpus();
    assert_eq!(found(&index, Query::new("Verhandlung")), ["de.txt"]);
    assert_eq!(found(&index, Query::new("переговор")), ["ru.txt"]);
    assert_eq!(found(&index, Query::new("greve")), ["fr.txt"]);
    assert_eq!(found(&index, Query::new("Koln")), ["de-koeln.txt", "de-koln.txt"]);
    // Scoped to a part, a word is analysed the same way.
    assert_eq!(found(&index, Query::new("title:grève")), ["fr.txt"]);
    // English keeps its stemming: "negotiation" finds "Negotiations".
    assert_eq!(found(&index, Query::new("negotiation")), ["declared.md", "en.txt"]);
}

/// Two reports alike but for the spelling: each spelling finds both, its own first.
#[test]
fn the_exact_form_ranks_first() {
    let (_reports, _dir, index) = corpus();
    assert_eq!(
        names(&index.search(&Query::new("Köln").all_copies(true)).unwrap()),
        ["de-koeln.txt", "de-koln.txt"]
    );
    assert_eq!(
        names(&index.search(&Query::new("Koln").all_copies(true)).unwrap()),
        ["de-koln.txt", "de-koeln.txt"]
    );
}

#[test]
fn chinese_words_are_found_inside_runs_and_marked_exactly() {
    let (_reports, _dir, index) = corpus();
    for query in ["改革开放", "\"改革开放\"", "经济", "对外开放"] {
        let results = index.search(&Query::new(query)).unwrap();
        assert_eq!(names(&results), ["zh.txt"], "{query}");
        let word = query.trim_matches('"');
        let passage = &results.hits[0].passages[0];
        assert!(!passage.highlights.is_empty(), "{query}: {passage:?}");
        for range in &passage.highlights {
            assert_eq!(&passage.text[range.clone()], word, "{query}");
        }
        // The passage's bytes are the file's, so the marks are on the file's characters.
        let file = std::fs::read(&results.hits[0].attribution.path).unwrap();
        let at = passage.offset as usize;
        assert_eq!(&file[at..at + passage.text.len()], passage.text.as_bytes());
    }
    // A word is not found where its characters only stand side by side across words.
    assert_eq!(index.search(&Query::new("开放四")).unwrap().total, 0);
}

#[test]
fn hits_carry_their_language_and_filters_and_facets_use_it() {
    let (_reports, _dir, index) = corpus();
    let results = index.search(&Query::new("*").limit(20).all_copies(true)).unwrap();
    let mut languages: Vec<(String, Option<String>)> = results
        .hits
        .iter()
        .map(|hit| {
            let name = hit.attribution.path.file_name().unwrap().to_string_lossy().into_owned();
            (name, hit.attribution.language.clone())
        })
        .collect();
    languages.sort();
    let expected = [
        ("de-koeln.txt", "de"),
        ("de-koln.txt", "de"),
        ("de.txt", "de"),
        ("declared.md", "fr"),
        ("en.txt", "en"),
        ("fr.txt", "fr"),
        ("ru.txt", "ru"),
        ("zh.txt", "zh"),
    ]
    .map(|(name, code)| (name.to_string(), Some(code.to_string())));
    assert_eq!(languages, expected);

    assert_eq!(
        found(&index, Query::new("*").language("de").language("ru").limit(20)),
        ["de-koeln.txt", "de-koln.txt", "de.txt", "ru.txt"]
    );
    assert_eq!(found(&index, Query::new("strike").language("fr")), ["declared.md"]);

    let facets: Facets = index.facets(&Query::new("*"), None).unwrap();
    let counted: Vec<(String, u64)> =
        facets.languages.iter().map(|l| (l.name.clone(), l.count)).collect();
    let expected = [("de", 3), ("fr", 2), ("en", 1), ("ru", 1), ("zh", 1)];
    assert_eq!(counted, expected.map(|(name, count)| (name.to_string(), count)));
    assert_eq!(facets.no_language, 0);
}
