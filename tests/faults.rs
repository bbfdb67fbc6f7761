//! Faults, as SQLite and tantivy test them: by killing the process.
//! 1. `kill -9` at random moments of an index run: the index still opens and answers from
//!    its last commit, a stale lock does not block the next run, and the run after that
//!    ends with exactly the reports on disk (compared with a fresh build).
//! 2. Searches in another process during an index run see the old commit or the new one,
//!    never a mix, never an error.
//! 3. A damaged index (truncated or deleted segment file, garbage metadata, another
//!    format) gives a one-line error naming `--rebuild`, and `--rebuild` repairs it.
//! 4. A full disk fails the run with a clear message and leaves the last commit searchable.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::util::*;
use serde_json::Value;

/// A small, seedable pseudo-random sequence (xorshift), so a failing run can be replayed.
struct Random(u64);

impl Random {
    fn from_clock() -> Random {
        let seed =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
                as u64
                | 1;
        eprintln!("random seed: {seed}");
        Random(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn spawn_index(index: &Path, reports: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .arg("index")
        .arg(reports)
        .arg("--index")
        .arg(index)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// How many reports the index holds, as a search in another process sees it.
fn report_count(index: &Path) -> u64 {
    let output = dateline()
        .args(["search", "--json", "-n", "0", "--index"])
        .arg(index)
        .arg("*")
        .output()
        .unwrap();
    assert!(output.status.code().unwrap() < 2, "search failed: {}", stderr(&output));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    results["total"].as_u64().unwrap()
}

/// Every report the index holds, by path, with its title: what a reader could find.
fn contents(index: &Path) -> Vec<(String, String)> {
    let output = dateline()
        .args(["search", "--json", "--all-copies", "-n", "100000", "-p", "0", "--index"])
        .arg(index)
        .arg("*")
        .output()
        .unwrap();
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut all: Vec<(String, String)> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| {
            let name = Path::new(hit["path"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, hit["title"].as_str().unwrap().to_string())
        })
        .collect();
    all.sort();
    all
}

fn copy_all(files: &[PathBuf], into: &Path) {
    for file in files {
        std::fs::copy(file, into.join(file.file_name().unwrap())).unwrap();
    }
}

#[test]
fn kill_9_at_random_moments_loses_no_report() {
    let files = reuters_files(2500);
    let corpus = Corpus::empty();
    copy_all(&files[..500], &corpus.reports());
    corpus.index_cmd().assert().success();
    let base = report_count(&corpus.index());
    assert_eq!(base, 500);

    // How long a full run over the rest takes here, to aim the kills inside it.
    copy_all(&files[500..], &corpus.reports());
    let probe = tempfile::tempdir().unwrap();
    let started = Instant::now();
    assert!(spawn_index(&probe.path().join("index"), &corpus.reports()).wait().unwrap().success());
    let full_run_ms = started.elapsed().as_millis() as u64;

    let mut random = Random::from_clock();
    let mut seen = Vec::new();
    for round in 0..20 {
        // Change the corpus between kills too: delete one report, rewrite another.
        let victim = corpus
            .reports()
            .join(files[random.below(files.len() as u64) as usize].file_name().unwrap());
        let _ = std::fs::remove_file(&victim);
        let rewritten =
            corpus.reports().join(files[random.below(500) as usize].file_name().unwrap());
        if rewritten.is_file() {
            std::fs::write(&rewritten, format!("Rewritten in round {round}\n\nShares rose.\n"))
                .unwrap();
        }
        let mut child = spawn_index(&corpus.index(), &corpus.reports());
        std::thread::sleep(Duration::from_millis(random.below(full_run_ms + 50)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // The index opens and answers from a commit: a whole one, never a part.
        seen.push(report_count(&corpus.index()));
    }
    eprintln!("reports visible after each kill: {seen:?}");

    // The lock of a killed writer does not block the next run, which completes the work.
    corpus.index_cmd().assert().success();
    let fresh = Corpus::empty();
    copy_all(
        &std::fs::read_dir(corpus.reports())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect::<Vec<_>>(),
        &fresh.reports(),
    );
    fresh.index_cmd().assert().success();
    let (ours, theirs) = (contents(&corpus.index()), contents(&fresh.index()));
    let extra: Vec<_> = ours.iter().filter(|r| !theirs.contains(r)).collect();
    let missing: Vec<_> = theirs.iter().filter(|r| !ours.contains(r)).collect();
    assert!(
        extra.is_empty() && missing.is_empty() && ours.len() == theirs.len(),
        "the index differs from a fresh build: extra {extra:?}, missing {missing:?}, {} vs {} reports",
        ours.len(),
        theirs.len()
    );
}

#[test]
fn searches_during_an_index_run_see_a_whole_commit() {
    let files = reuters_files(3000);
    let corpus = Corpus::empty();
    copy_all(&files[..1000], &corpus.reports());
    corpus.index_cmd().assert().success();
    copy_all(&files[1000..], &corpus.reports());

    let mut writer = spawn_index(&corpus.index(), &corpus.reports());
    let mut during = Vec::new();
    while writer.try_wait().unwrap().is_none() {
        during.push(report_count(&corpus.index()));
    }
    assert!(writer.wait().unwrap().success());
    eprintln!("{} searches during the run saw: {:?}", during.len(), {
        let mut distinct = during.clone();
        distinct.dedup();
        distinct
    });
    assert!(
        during.iter().all(|&n| n == 1000 || n == 3000),
        "a search saw a partial commit: {during:?}"
    );
    // Readers reload within a moment of the commit; a new search sees it at once.
    assert_eq!(report_count(&corpus.index()), 3000);
}

/// Damages a fresh copy of an indexed corpus with `damage`, then checks the error and the
/// repair.
fn assert_damage_is_reported_and_repaired(what: &str, damage: impl Fn(&Path)) {
    let corpus = Corpus::seeds_indexed();
    damage(&corpus.index());
    let output = corpus.search_cmd("fentanyl").output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{what}: {}", stdout(&output));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{what}: {err}");
    assert!(err.contains("rebuild it with: dateline index --rebuild"), "{what}: {err}");
    let rebuilt = corpus.index_cmd().arg("--rebuild").output().unwrap();
    assert_eq!(rebuilt.status.code(), Some(0), "{what}: {}", stderr(&rebuilt));
    assert_eq!(corpus.hit_names("fentanyl", &[]).len(), 5, "{what}");
}

fn segment_file(index: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(index)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == extension))
        .unwrap()
}

#[test]
fn a_damaged_index_names_the_repair_and_rebuild_repairs_it() {
    assert_damage_is_reported_and_repaired("truncated store", |index| {
        let file = std::fs::File::options().write(true).open(segment_file(index, "store")).unwrap();
        file.set_len(40).unwrap();
    });
    assert_damage_is_reported_and_repaired("truncated terms", |index| {
        let path = segment_file(index, "term");
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::File::options().write(true).open(path).unwrap().set_len(len / 2).unwrap();
    });
    assert_damage_is_reported_and_repaired("flipped bits in postings", |index| {
        for entry in std::fs::read_dir(index).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "idx") {
                let mut bytes = std::fs::read(&path).unwrap();
                let half = bytes.len() / 2;
                bytes[..half].iter_mut().step_by(5).for_each(|b| *b ^= 0x5a);
                std::fs::write(&path, bytes).unwrap();
            }
        }
    });
    assert_damage_is_reported_and_repaired("deleted postings", |index| {
        std::fs::remove_file(segment_file(index, "idx")).unwrap();
    });
    assert_damage_is_reported_and_repaired("garbage metadata", |index| {
        std::fs::write(index.join("meta.json"), "\u{0}\u{1}garbage").unwrap();
    });
    assert_damage_is_reported_and_repaired("another format", |index| {
        let meta = std::fs::read_to_string(index.join("meta.json")).unwrap();
        std::fs::write(
            index.join("meta.json"),
            meta.replace(&current_format(), "\\\"format\\\":99"),
        )
        .unwrap();
    });
}

/// A tmpfs mounted for the test's lifetime; unmounted on drop.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .ok()?;
        status.success().then(|| SmallDisk(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_last_commit() {
    let corpus = Corpus::seeds();
    let mount_point = corpus.dir.path().join("small-disk");
    let Some(disk) = SmallDisk::mount(&mount_point, "600k") else {
        eprintln!("note: cannot mount a tmpfs here (not root?); the full-disk test did not run");
        return;
    };
    let index = disk.0.join("index");
    let run = |extra: &[&Path]| {
        dateline()
            .arg("index")
            .arg(corpus.reports())
            .arg("--index")
            .arg(&index)
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(run(&[]).status.code(), Some(0));
    copy_all(&reuters_files(3000), &corpus.reports());
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("the last commit is intact"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(report_count(&index), 5);
    assert_eq!(
        dateline()
            .args(["search", "--index"])
            .arg(&index)
            .arg("Daskal")
            .output()
            .unwrap()
            .status
            .code(),
        Some(0)
    );
    drop(disk);
}

#[test]
fn rebuilding_a_damaged_index_never_deletes_other_files() {
    let corpus = Corpus::seeds_indexed();
    let user_files = [
        "quarterly-report-notes-for-the-editors-2024.json",
        "research-database-export-2024-final.store",
    ];
    for name in user_files {
        std::fs::write(corpus.index().join(name), "the user's own work").unwrap();
    }
    std::fs::write(corpus.index().join("meta.json"), "{ not json").unwrap();
    let listing = || {
        let mut names: Vec<_> =
            std::fs::read_dir(corpus.index()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let before = listing();
    let output = corpus.index_cmd().arg("--rebuild").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("was not deleted"), "{err}");
    assert!(err.contains(&user_files.join(", ")), "{err}");
    assert!(err.contains("move those files elsewhere"), "{err}");
    assert_eq!(listing(), before, "nothing may be deleted");

    // Moved away, the rebuild deletes the damaged index and nothing else.
    let kept = corpus.dir.path().join("kept");
    std::fs::create_dir(&kept).unwrap();
    for name in user_files {
        std::fs::rename(corpus.index().join(name), kept.join(name)).unwrap();
    }
    corpus.index_cmd().arg("--rebuild").assert().success();
    assert_eq!(corpus.hit_names("fentanyl", &[]).len(), 5);
    for name in user_files {
        assert_eq!(std::fs::read_to_string(kept.join(name)).unwrap(), "the user's own work");
    }
}

/// An index on a read-only disk (a mounted archive, a read-only share) is searched like any
/// other. Before, opening it failed to create tantivy's lock file and advised `--rebuild`.
#[test]
fn an_index_on_a_read_only_disk_can_be_searched() {
    let corpus = Corpus::seeds();
    let mount_point = corpus.dir.path().join("archive");
    let Some(disk) = SmallDisk::mount(&mount_point, "8m") else {
        eprintln!("note: cannot mount a tmpfs here (not root?); the read-only test did not run");
        return;
    };
    let index = disk.0.join("index");
    let built = dateline().arg("index").arg(corpus.reports()).arg("--index").arg(&index).output();
    assert!(built.unwrap().status.success());
    let remounted = Command::new("mount").args(["-o", "remount,ro"]).arg(&disk.0).status();
    assert!(remounted.unwrap().success());
    assert!(std::fs::write(index.join("probe"), "x").is_err(), "the disk is still writable");

    let output = dateline()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("Daskal")
        .output()
        .unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(!err.contains("--rebuild"), "{err}");
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(results["total"].as_u64().unwrap() > 0);
    drop(disk);
}
