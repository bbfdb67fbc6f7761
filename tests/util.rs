use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

/// The bundled reports, as committed in `index-data/`.
pub fn seeds_dir() -> PathBuf {
    dateline_fixtures::repository().join("index-data")
}

/// The names of the bundled reports, sorted.
pub fn seed_names() -> Vec<String> {
    dateline_fixtures::bundled_reports()
        .iter()
        .map(|path| path.file_name().unwrap().to_str().unwrap().to_string())
        .collect()
}

/// A folder laid out like a fresh clone: the bundled reports in `index-data/`, no index.
pub fn fresh_checkout() -> tempfile::TempDir {
    let checkout = tempfile::tempdir().unwrap();
    let bundled = checkout.path().join("index-data");
    std::fs::create_dir(&bundled).unwrap();
    dateline_fixtures::copy_bundled_reports(&bundled);
    checkout
}

/// A temporary folder with a corpus in `reports/` and an index in `index/`.
pub struct Corpus {
    pub dir: tempfile::TempDir,
}

impl Corpus {
    /// An empty corpus.
    pub fn empty() -> Corpus {
        let corpus = Corpus { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir(corpus.reports()).unwrap();
        corpus
    }

    /// A copy of the bundled reports.
    pub fn seeds() -> Corpus {
        let corpus = Corpus::empty();
        dateline_fixtures::copy_bundled_reports(&corpus.reports());
        corpus
    }

    /// A copy of the bundled reports, indexed.
    pub fn seeds_indexed() -> Corpus {
        let corpus = Corpus::seeds();
        corpus.index_cmd().assert().success();
        corpus
    }

    pub fn reports(&self) -> PathBuf {
        self.dir.path().join("reports")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.reports().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Writes `reprint.txt`: The Rio Times' bundled report run again a day later by another
    /// outlet (The Columbus Ledger) under its own headline. A copy: one more report of the
    /// story, not one more source.
    pub fn write_reprint(&self) -> PathBuf {
        let original =
            std::fs::read_to_string(self.reports().join("003_63e613daaea22d0e.txt")).unwrap();
        let body = original.split_once('\n').unwrap().1;
        self.write(
            "reprint.txt",
            format!(
                "China, US restart fentanyl talks\nDate: 2024-02-01\nSource: The Columbus Ledger\n\n{body}"
            ),
        )
    }

    /// `dateline index REPORTS --index INDEX`.
    pub fn index_cmd(&self) -> Command {
        let mut cmd = dateline();
        cmd.arg("index").arg(self.reports()).arg("--index").arg(self.index());
        cmd
    }

    /// `dateline search --index INDEX QUERY`.
    pub fn search_cmd(&self, query: &str) -> Command {
        let mut cmd = dateline();
        cmd.arg("search").arg("--index").arg(self.index()).arg(query);
        cmd
    }

    /// Runs a search with `--json --all-copies` (plus `extra` flags) and returns the parsed
    /// results: every report a hit, as the tests of anything but copies want.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> Value {
        let output =
            self.search_cmd(query).args(["--json", "--all-copies"]).args(extra).output().unwrap();
        assert!(output.status.code().unwrap() < 2, "{}", stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    }

    /// File names of the hits of a search, in rank order.
    pub fn hit_names(&self, query: &str, extra: &[&str]) -> Vec<String> {
        names(&self.search_json(query, extra))
    }
}

/// The `dateline` binary, with a clean environment for colour and index location.
pub fn dateline() -> Command {
    let mut cmd = Command::cargo_bin("dateline").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("DATELINE_INDEX")
        .env_remove("RUST_LOG")
        .env_remove("RUST_BACKTRACE");
    cmd
}

pub fn names(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let path = Path::new(hit["path"].as_str().unwrap());
            path.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Names of the bundled reports whose text satisfies `keep` (lower-cased text).
pub fn seeds_where(keep: impl Fn(&str) -> bool) -> Vec<String> {
    seed_names()
        .into_iter()
        .filter(|name| {
            keep(&std::fs::read_to_string(seeds_dir().join(name)).unwrap().to_lowercase())
        })
        .collect()
}

pub fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// The Reuters-21578 corpus, fetched once per cache by `../shared/corpus/get-reuters21578.sh`.
pub fn reuters() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpora/reuters21578");
        dateline_fixtures::fetch_corpus("get-reuters21578.sh", &dir).unwrap();
        dir
    })
}

/// About 30 real news web pages in ten languages, with the text and metadata newspaper4k's
/// tests expect, fetched once per cache by `../shared/corpus/get-news-html.sh`: the pages are
/// in `html/`, the reference in `txt/` and `metadata/`.
pub fn news_html() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpora/news-html");
        dateline_fixtures::fetch_corpus("get-news-html.sh", &dir).unwrap();
        dir
    })
}

/// The first `n` Reuters reports (by name), as paths.
pub fn reuters_files(n: usize) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(reuters())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    names.sort();
    names.truncate(n);
    names
}

/// Checks every passage of `results` against the report file: the bytes at its `offset`
/// and `length` are its text (decoded as the indexer reads files: UTF-8 with U+FFFD for bad
/// bytes, or Windows-1252), it starts on its `line` (`\n`, `\r\n` and a lone `\r` each end a
/// line), and its highlights are non-empty ranges on character boundaries. Returns how many
/// passages were checked.
pub fn assert_passages_point_at_the_file(results: &Value) -> usize {
    let mut checked = 0;
    for hit in results["hits"].as_array().unwrap() {
        let bytes = std::fs::read(hit["path"].as_str().unwrap()).unwrap();
        for passage in hit["passages"].as_array().unwrap() {
            let offset = passage["offset"].as_u64().unwrap() as usize;
            let length = passage["length"].as_u64().unwrap() as usize;
            let slice = &bytes[offset..offset + length];
            let text = passage["text"].as_str().unwrap();
            let lossy = String::from_utf8_lossy(slice);
            let latin1 = encoding_rs::WINDOWS_1252.decode_without_bom_handling(slice).0;
            assert!(lossy == text || latin1 == text, "{passage}: file has {lossy:?}");
            let line = 1 + count_line_breaks(&bytes[..offset]);
            assert_eq!(passage["line"].as_u64().unwrap(), line as u64, "{passage}");
            for range in passage["highlights"].as_array().unwrap() {
                let (start, end) = (
                    range["start"].as_u64().unwrap() as usize,
                    range["end"].as_u64().unwrap() as usize,
                );
                assert!(text.is_char_boundary(start) && text.is_char_boundary(end) && start < end);
            }
            checked += 1;
        }
    }
    checked
}

fn count_line_breaks(bytes: &[u8]) -> usize {
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// How `meta.json` records the current format in its (escaped) commit payload.
pub fn current_format() -> String {
    format!("\\\"format\\\":{}", dateline_indexer::FORMAT_VERSION)
}
