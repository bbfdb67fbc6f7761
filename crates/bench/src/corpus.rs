//! The corpora: fetched once by ../shared/corpus/*.sh into the cache, replicated to scale,
//! and their sizes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Setup;

/// One corpus the run indexes.
pub struct Corpus {
    /// "1×", "10×": the name in the tables and in index folder names.
    pub label: String,
    pub dir: PathBuf,
    pub files: usize,
    pub bytes: u64,
}

/// Reuters at 1× and at the run's scale (the same 300 reports twice on a smoke run).
pub struct Corpora {
    pub small: Corpus,
    pub large: Corpus,
    pub scale: usize,
    pub smoke: bool,
}

impl Corpora {
    /// The corpora the indexing section builds: 1×, and the large one unless smoke.
    pub fn built(&self) -> Vec<&Corpus> {
        if self.smoke { vec![&self.small] } else { vec![&self.small, &self.large] }
    }
}

/// Fetches Reuters and replicates it: `scale` copies, or 300 reports once for `smoke`.
pub fn prepare(setup: &Setup, scale: usize, smoke: bool) -> Result<Corpora> {
    let reuters = fetch(setup, "get-reuters21578.sh", "reuters21578")?;
    let (small, large, scale) = if smoke {
        let smoke = setup.cache.join("smoke");
        replicate(&reuters, &smoke, 1, 300)?;
        (smoke.clone(), smoke, 1)
    } else {
        let large = setup.cache.join(format!("reuters-x{scale}"));
        replicate(&reuters, &large, scale, usize::MAX)?;
        (reuters, large, scale)
    };
    Ok(Corpora {
        small: Corpus::measure("1×".into(), small)?,
        large: Corpus::measure(format!("{scale}×"), large)?,
        scale,
        smoke,
    })
}

impl Corpus {
    fn measure(label: String, dir: PathBuf) -> Result<Corpus> {
        let files = report_files(&dir)?;
        let bytes = files.iter().map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0)).sum();
        Ok(Corpus { label, dir, files: files.len(), bytes })
    }
}

/// Fetches a corpus with its script into the cache, once.
pub fn fetch(setup: &Setup, script: &str, name: &str) -> Result<PathBuf> {
    let dir = setup.cache.join(name);
    if !dir.join(".complete").is_file() {
        eprintln!("fetching {name} with ../shared/corpus/{script}");
    }
    dateline_fixtures::fetch_corpus(script, &dir).map_err(anyhow::Error::msg)?;
    Ok(dir)
}

/// Copies the first `limit` reports of `from` into `copies` folders under `to`, once.
pub fn replicate(from: &Path, to: &Path, copies: usize, limit: usize) -> Result<()> {
    if to.join(".complete").is_file() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(to);
    let files = report_files(from)?;
    for copy in 1..=copies {
        let folder = to.join(format!("copy-{copy}"));
        std::fs::create_dir_all(&folder)?;
        for file in files.iter().take(limit) {
            std::fs::copy(file, folder.join(file.file_name().context("file name")?))?;
        }
    }
    std::fs::write(to.join(".complete"), "")?;
    Ok(())
}

/// The reports (`.txt` files) under `dir`, sorted.
pub fn report_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Bytes under `dir` (0 if there is none).
pub fn dir_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            total += if entry.file_type()?.is_dir() {
                dir_size(&entry.path())?
            } else {
                entry.metadata()?.len()
            };
        }
    }
    Ok(total)
}
