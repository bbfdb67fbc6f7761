//! Indexing, whole process, cold index: Dateline, the floor and SQLite FTS5 build an index
//! of each corpus.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::Setup;
use crate::corpus::{Corpora, Corpus, dir_size};
use crate::measure::{Timed, fts5_script, timed};

/// The builds of every corpus, smallest first.
pub struct Indexing {
    pub corpora: Vec<Builds>,
}

/// One corpus, built by each tool.
pub struct Builds {
    pub label: String,
    pub files: usize,
    pub bytes: u64,
    pub dateline: Build,
    pub floor: Build,
    /// None when python3's sqlite3 has no FTS5.
    pub fts5: Option<Build>,
}

/// One tool's build.
pub struct Build {
    pub run: Timed,
    pub index_bytes: u64,
}

impl Indexing {
    /// The largest corpus's builds: the ones the targets judge.
    pub fn largest(&self) -> Result<&Builds> {
        self.corpora.last().context("no indexing run")
    }
}

/// Dateline's index of `corpus`, where the later sections read it.
pub fn index_dir(setup: &Setup, corpus: &Corpus) -> PathBuf {
    setup.work.join(format!("dateline-{}", corpus.label))
}

/// The floor's index of `corpus`.
pub fn floor_dir(setup: &Setup, corpus: &Corpus) -> PathBuf {
    setup.work.join(format!("floor-{}", corpus.label))
}

/// SQLite FTS5's database of `corpus`.
pub fn fts5_db(setup: &Setup, corpus: &Corpus) -> PathBuf {
    setup.work.join(format!("fts5-{}.db", corpus.label))
}

pub fn measure(setup: &Setup, corpora: &Corpora) -> Result<Indexing> {
    let mut builds = Vec::new();
    for corpus in corpora.built() {
        let index = index_dir(setup, corpus);
        let run = timed(
            Command::new(&setup.dateline)
                .arg("index")
                .arg(&corpus.dir)
                .arg("--index")
                .arg(&index)
                .arg("-q"),
        )?;
        let dateline = Build { run, index_bytes: dir_size(&index)? };

        let index = floor_dir(setup, corpus);
        let run =
            timed(Command::new(&setup.bench).arg("floor-index").arg(&corpus.dir).arg(&index))?;
        let floor = Build { run, index_bytes: dir_size(&index)? };

        let db = fts5_db(setup, corpus);
        let fts5 = timed(
            Command::new("python3").arg(fts5_script()).arg("index").arg(&db).arg(&corpus.dir),
        )
        .ok()
        .map(|run| Build {
            run,
            index_bytes: std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0),
        });

        builds.push(Builds {
            label: corpus.label.clone(),
            files: corpus.files,
            bytes: corpus.bytes,
            dateline,
            floor,
            fts5,
        });
    }
    Ok(Indexing { corpora: builds })
}
