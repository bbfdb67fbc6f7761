//! Properties of `dateline index`:
//! 1. Incremental: a re-run reads only new and changed files, removes reports whose files
//!    are gone, and an unchanged corpus is left alone; the result equals a fresh rebuild.
//! 2. The index remembers its folders; naming other folders drops the old ones' reports.
//! 3. One writer at a time: a second run fails at once; `--watch` picks up new files and
//!    stops cleanly on Ctrl-C, leaving a committed index.

use std::time::{Duration, Instant};

use crate::util::*;
use serde_json::Value;

fn summary(corpus: &Corpus, extra: &[&str]) -> Value {
    let output = corpus.index_cmd().arg("--json").args(extra).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn counts(summary: &Value) -> [u64; 4] {
    ["added", "changed", "removed", "unchanged"].map(|key| summary[key].as_u64().unwrap())
}

/// What a reader sees for a set of queries: which reports match, with their metadata and
/// passages (scores left out: term statistics count deleted documents until a merge), and
/// which reports share a copy group or a story. The ids themselves are left out: an id is
/// given once and kept as reports come and go (the story of the removed 000 keeps its id in
/// the incremental index), while a rebuild names each group after its first report anew.
fn answers(corpus: &Corpus) -> Vec<Value> {
    let mut answers = ranked_answers(corpus);
    for (object, id) in [("copies", "group"), ("story", "id")] {
        let mut members: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        let hits = || answers.iter().flat_map(|hits| hits.as_array().unwrap());
        for hit in hits() {
            let key = hit[object][id].as_str().unwrap().to_string();
            members.entry(key).or_default().insert(hit["name"].as_str().unwrap().to_string());
        }
        for hits in &mut answers {
            for hit in hits.as_array_mut().unwrap() {
                let key = hit[object][id].as_str().unwrap().to_string();
                let names: Vec<&String> = members[&key].iter().collect();
                hit[object][id] = serde_json::json!(names);
            }
        }
    }
    answers
}

/// [`answers`] with the ids as given.
fn ranked_answers(corpus: &Corpus) -> Vec<Value> {
    let queries = [
        "fentanyl",
        "precursor chemicals",
        "Daskal",
        "\"working group\"",
        "-Taiwan",
        "Reuters",
        "strike",
    ];
    queries
        .iter()
        .map(|query| {
            let results = corpus.search_json(query, &["-n", "50"]);
            let mut hits: Vec<Value> = results["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|hit| {
                    let mut hit = hit.clone();
                    let object = hit.as_object_mut().unwrap();
                    object.remove("score");
                    object.remove("rank");
                    hit
                })
                .collect();
            hits.sort_by_key(|hit| hit["path"].as_str().unwrap().to_string());
            Value::Array(hits)
        })
        .collect()
}

#[test]
fn incremental_updates_equal_a_fresh_rebuild() {
    let corpus = Corpus::seeds();
    assert_eq!(counts(&summary(&corpus, &[])), [5, 0, 0, 0]);

    // Nothing changed: nothing read, nothing committed.
    let unchanged = summary(&corpus, &[]);
    assert_eq!(counts(&unchanged), [0, 0, 0, 5]);
    assert_eq!(unchanged["committed"], false);

    // Add one, change one, delete one.
    corpus.write("005_strike.txt", "Dock strike spreads\nDate: 2024-02-02\nSource: Reuters\n\nDockers in three ports joined the strike.\n");
    let changed = corpus.reports().join("001_a4db0f5c5cea3440.txt");
    let text = std::fs::read_to_string(&changed).unwrap().replace("Jen Daskal", "a deputy");
    std::fs::write(&changed, text).unwrap();
    std::fs::remove_file(corpus.reports().join("000_b8e9663bd08e168f.txt")).unwrap();
    assert_eq!(counts(&summary(&corpus, &[])), [1, 1, 1, 3]);

    let incremental = answers(&corpus);
    assert_eq!(corpus.hit_names("Daskal", &[]), ["003_63e613daaea22d0e.txt"]);
    assert_eq!(corpus.hit_names("strike", &["--publisher", "reuters"]), ["005_strike.txt"]);

    let rebuilt = summary(&corpus, &["--rebuild"]);
    assert_eq!(counts(&rebuilt), [5, 0, 0, 0]);
    assert_eq!(answers(&corpus), incremental);
}

#[test]
fn a_plain_run_rescans_the_recorded_folders_and_new_folders_replace_them() {
    let corpus = Corpus::seeds_indexed();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("grain.md"), "Grain prices\n\nWheat rose on Tuesday.\n")
        .unwrap();

    corpus.write("005_strike.txt", "Dock strike\n\nDockers walked out.\n");
    let plain = dateline().args(["index", "--index"]).arg(corpus.index()).output().unwrap();
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    assert!(
        stderr(&plain).contains("1 added, 0 changed, 0 removed, 5 unchanged"),
        "{}",
        stderr(&plain)
    );

    let switched = dateline()
        .args(["index", "--index"])
        .arg(corpus.index())
        .arg(other.path())
        .output()
        .unwrap();
    assert_eq!(switched.status.code(), Some(0));
    assert!(stderr(&switched).contains("is no longer listed"), "{}", stderr(&switched));
    assert!(stderr(&switched).contains("1 added, 0 changed, 6 removed"), "{}", stderr(&switched));
    assert_eq!(corpus.hit_names("wheat OR fentanyl", &[]), ["grain.md"]);
}

#[test]
fn a_missing_folder_or_a_file_is_a_clear_error() {
    let corpus = Corpus::empty();
    let output = dateline()
        .args(["index", "--index"])
        .arg(corpus.index())
        .arg(corpus.dir.path().join("nope"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot open the folder of reports"), "{}", stderr(&output));
    let file = corpus.write("a.txt", "x");
    let output =
        dateline().args(["index", "--index"]).arg(corpus.index()).arg(file).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a file, not a folder of reports"), "{}", stderr(&output));
}

#[test]
fn a_typo_in_a_folder_name_changes_nothing_and_says_so_first() {
    let corpus = Corpus::seeds_indexed();
    let typo = corpus.dir.path().join("reprots");
    let output =
        dateline().args(["index", "--index"]).arg(corpus.index()).arg(&typo).output().unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2));
    // Before, it first announced that the indexed folder would be dropped.
    assert!(!err.contains("no longer listed"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("reprots") && err.contains("check the name"), "{err}");
    assert_eq!(corpus.hit_names("fentanyl", &[]).len(), 5);

    // A new index is not created for a folder that is not there.
    let fresh = corpus.dir.path().join("new-index");
    let output = dateline().args(["index", "--index"]).arg(&fresh).arg(&typo).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!fresh.try_exists().unwrap(), "an empty index was left behind");
}

#[test]
fn a_plain_index_outside_the_repository_says_what_to_name() {
    let elsewhere = tempfile::tempdir().unwrap();
    let output = dateline().current_dir(elsewhere.path()).arg("index").output().unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("name them: dateline index"), "{err}");
    // Before, it made ./index-data/index, empty, and reported 0 added.
    assert!(!elsewhere.path().join("index-data").try_exists().unwrap());
}

#[test]
fn searching_an_empty_index_says_it_is_empty() {
    let corpus = Corpus::empty();
    corpus.index_cmd().assert().success();
    let output = corpus.search_cmd("fentanyl").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("holds no reports; add some with: dateline index"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_damaged_index_says_how_to_recover_and_rebuild_recovers() {
    let corpus = Corpus::seeds_indexed();
    std::fs::write(corpus.index().join("meta.json"), "{ not json").unwrap();
    let output = corpus.search_cmd("fentanyl").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("dateline index --rebuild"), "{}", stderr(&output));
    assert_eq!(stderr(&output).lines().count(), 1);
    corpus.index_cmd().arg("--rebuild").assert().success();
    assert_eq!(corpus.hit_names("fentanyl", &[]).len(), 5);
}

/// Waits for `cond`, polling; fails the test after `secs`.
fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn watch_holds_the_lock_indexes_new_files_and_stops_cleanly() {
    let corpus = Corpus::seeds();
    let log = corpus.dir.path().join("watch.log");
    let mut watcher = std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .arg("index")
        .arg(corpus.reports())
        .arg("--index")
        .arg(corpus.index())
        .arg("--watch")
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    wait_for(60, "the watcher to start", || read_log().contains("watching for changes"));

    // A second writer fails at once, with a message that says what to do.
    let second = corpus.index_cmd().output().unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(stderr(&second).contains("being written by another process"), "{}", stderr(&second));
    assert!(stderr(&second).contains("wait for the other `dateline index` to finish"));
    // Searches work while the writer runs.
    assert_eq!(corpus.hit_names("Daskal", &[]).len(), 2);

    corpus.write("005_strike.txt", "Dock strike\n\nDockers walked out over fentanyl screening.\n");
    wait_for(30, "the new report to be searchable", || {
        corpus.hit_names("dockers", &[]) == ["005_strike.txt"]
    });
    // A folder of reports moved in whole (the watcher names the folder alone), and a report
    // renamed away: each run visits what was named, and finds what lies below it.
    let incoming = corpus.dir.path().join("incoming");
    std::fs::create_dir(&incoming).unwrap();
    std::fs::write(
        incoming.join("tanker.txt"),
        "Tanker seized

The crew was released.
",
    )
    .unwrap();
    std::fs::rename(&incoming, corpus.reports().join("incoming")).unwrap();
    std::fs::rename(corpus.reports().join("005_strike.txt"), corpus.dir.path().join("old.txt"))
        .unwrap();
    wait_for(30, "the moved folder and the renamed report to be seen", || {
        corpus.hit_names("tanker", &[]) == ["tanker.txt"]
            && corpus.hit_names("dockers", &[]).is_empty()
    });

    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &watcher.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let status = watcher.wait().unwrap();
    assert!(status.success(), "{status:?}: {}", read_log());
    assert!(read_log().contains("stopped; the index is committed"));
    // The lock is released: a new run goes through.
    corpus.index_cmd().assert().success();
}

#[test]
fn rebuild_keeps_the_recorded_folders() {
    let corpus = Corpus::seeds_indexed();
    let output = dateline()
        .args(["index", "--rebuild", "--json", "--index"])
        .arg(corpus.index())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(counts(&summary), [5, 0, 0, 0]);
    assert!(summary["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn a_file_reached_twice_is_one_report() {
    let corpus = Corpus::seeds();
    let nested = corpus.reports().join("nested");
    std::fs::create_dir(&nested).unwrap();
    std::fs::write(nested.join("strike.txt"), "Dock strike\n\nDockers walked out.\n").unwrap();
    std::os::unix::fs::symlink(nested.join("strike.txt"), corpus.reports().join("strike-link.txt"))
        .unwrap();
    // The nested folder is also named on its own: its files must not count twice.
    let run = || {
        let output = dateline()
            .args(["index", "--json", "--index"])
            .arg(corpus.index())
            .arg(corpus.reports())
            .arg(&nested)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    assert_eq!(counts(&run()), [6, 0, 0, 0]);
    assert_eq!(corpus.hit_names("dockers", &[]).len(), 1);
    let again = run();
    assert_eq!((counts(&again), again["committed"].as_bool()), ([0, 0, 0, 6], Some(false)));
}

#[test]
fn the_index_needs_a_folder_of_its_own_and_a_file_is_not_one() {
    let corpus = Corpus::seeds();
    // The folder of reports as the index: refused, nothing written into it.
    for extra in [&[][..], &["--rebuild"]] {
        let output = dateline()
            .arg("index")
            .arg(corpus.reports())
            .arg("--index")
            .arg(corpus.reports())
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("holds no index but other files (000_b8e9663bd08e168f.txt"), "{err}");
        assert!(
            err.contains("choose a new or empty folder for the index with --index DIR"),
            "{err}"
        );
    }
    assert!(!corpus.reports().join("meta.json").try_exists().unwrap());

    // A file as the index: said so, and no hint that leads back to the same error.
    let file = corpus.write("000_b8e9663bd08e168f.txt", "Port strike\n\nDockers walked out.\n");
    for args in [&["index", "--rebuild"][..], &["index"], &["search", "fentanyl"]] {
        let mut cmd = dateline();
        cmd.args(args).arg("--index").arg(&file);
        if args[0] == "index" {
            cmd.arg(corpus.reports());
        }
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains("is a file, not a folder"), "{args:?}: {err}");
        assert!(!err.contains("--rebuild"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }

    // A file further up the path: named as what is in the way, never as `os error 20`,
    // and a search is not told to rebuild an index that cannot be there.
    let below = file.join("index");
    for args in [&["index"][..], &["search", "fentanyl"]] {
        let mut cmd = dateline();
        cmd.args(args).arg("--index").arg(&below);
        if args[0] == "index" {
            cmd.arg(corpus.reports());
        }
        let output = cmd.output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(
            err.contains("000_b8e9663bd08e168f.txt is a file, not a folder"),
            "{args:?}: {err}"
        );
        assert!(err.contains("choose another folder for the index with --index DIR"), "{err}");
        assert!(!err.contains("os error") && !err.contains("--rebuild"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// A place no folder can be made (a virtual file system) is named as such, not as the OS's
/// `No such file or directory`.
#[test]
fn an_index_folder_that_cannot_be_made_says_where_and_what_to_do() {
    let corpus = Corpus::seeds();
    let output = dateline()
        .args(["index", "--index", "/proc/dateline-index"])
        .arg(corpus.reports())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains(
            "cannot make the index folder /proc/dateline-index: /proc does not accept new folders"
        ),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn watch_rescans_only_for_changes_to_reports() {
    let corpus = Corpus::seeds();
    // Nested folders: each run's walk opens them, which once set off a re-scan after every
    // run, forever.
    std::fs::create_dir_all(corpus.reports().join("2024/01")).unwrap();
    corpus.write("2024/01/port.txt", "Port strike\n\nDockers walked out.\n");
    let log = corpus.dir.path().join("watch.log");
    let out = corpus.dir.path().join("watch.json");
    let mut watcher = std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .arg("index")
        .arg(corpus.reports())
        .arg("--index")
        .arg(corpus.index())
        .args(["--watch", "--json"])
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    // One JSON summary per run: the first, then one per re-scan.
    let runs = || std::fs::read_to_string(&out).unwrap_or_default().lines().count();
    wait_for(60, "the watcher to start", || read_log().contains("watching for changes"));
    assert_eq!(runs(), 1);

    // Not reports: a PDF written in steps, an editor's hidden swap file, a hidden folder.
    let pdf = corpus.reports().join("scan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut file = std::fs::OpenOptions::new().append(true).open(&pdf).unwrap();
    std::io::Write::write_all(&mut file, &[b'x'; 100_000]).unwrap();
    drop(file);
    corpus.write(".005_strike.txt.swp", "swap");
    std::fs::create_dir(corpus.reports().join(".cache")).unwrap();
    corpus.write(".cache/notes.txt", "Cached\n\nNot walked.\n");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(runs(), 1, "re-scans for changes that hold no report: {}", read_log());

    // A report, deep in the tree: one run, which visits it alone (none of the six others is
    // counted as unchanged: the folders are not walked again).
    corpus.write("2024/01/005_strike.txt", "Dock strike\n\nDockers walked out.\n");
    wait_for(30, "the new report to be indexed", || runs() == 2);
    std::thread::sleep(Duration::from_secs(2));
    let summaries = std::fs::read_to_string(&out).unwrap();
    let last: Value = serde_json::from_str(summaries.lines().last().unwrap()).unwrap();
    assert_eq!(counts(&last), [1, 0, 0, 0], "{summaries}");
    assert_eq!(runs(), 2, "{summaries}");

    std::process::Command::new("kill").args(["-INT", &watcher.id().to_string()]).status().unwrap();
    assert!(watcher.wait().unwrap().success(), "{}", read_log());
}
