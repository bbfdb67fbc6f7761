use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

/// The bundled reports, as committed in `index-data/`.
pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("index-data")
}

/// The names of the bundled reports.
pub fn seed_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

/// A folder laid out like a fresh clone: the bundled reports in `index-data/`, no index.
pub fn fresh_checkout() -> tempfile::TempDir {
    let checkout = tempfile::tempdir().unwrap();
    let bundled = checkout.path().join("index-data");
    std::fs::create_dir(&bundled).unwrap();
    for name in seed_names() {
        std::fs::copy(seeds_dir().join(&name), bundled.join(&name)).unwrap();
    }
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
        for name in seed_names() {
            std::fs::copy(seeds_dir().join(&name), corpus.reports().join(&name)).unwrap();
        }
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

    /// Runs a search with `--json` (plus `extra` flags) and returns the parsed results.
    pub fn search_json(&self, query: &str, extra: &[&str]) -> Value {
        let output = self.search_cmd(query).arg("--json").args(extra).output().unwrap();
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
        if !dir.join("MANIFEST.tsv").is_file() {
            let script =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/get-reuters21578.sh");
            let status =
                std::process::Command::new("bash").arg(&script).arg(&dir).status().unwrap();
            assert!(
                status.success(),
                "fetching Reuters-21578 with {} failed (needs npm and python3)",
                script.display()
            );
        }
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
