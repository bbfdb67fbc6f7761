//! Whatever is in the folder, `dateline index` indexes the rest of the corpus, reports each
//! bad file on one line (path, reason, what to do) and never panics:
//! 1. Binary, empty, too large and single-huge-line files are skipped with their reason.
//! 2. Latin-1/Windows-1252 and invalid UTF-8 are decoded and indexed with a warning, and
//!    their passages still point at the right bytes of the file.
//! 3. A byte-order mark, CRLF and lone-CR line endings keep line numbers and offsets right.
//! 4. Odd names (spaces, newlines, not UTF-8) and odd files (dangling symlinks, symlink
//!    loops, unreadable files) are handled.
//! 5. A file that disappears or changes while the run is under way is not lost.

use std::path::Path;

use crate::util::*;
use serde_json::Value;

#[test]
fn bad_files_are_skipped_with_a_reason_and_the_rest_is_indexed() {
    let corpus = Corpus::seeds();
    corpus.write("empty.txt", "");
    corpus.write("blank.txt", "  \n\t\n");
    corpus.write("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    corpus.write("huge.txt", "fentanyl ".repeat(2000));
    corpus.write("one-line.txt", "x".repeat(3000));
    let output = corpus
        .index_cmd()
        .args(["--max-file-size", "10000", "--max-line-length", "2000"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    for expected in [
        "empty.txt: skipped: empty file; nothing to index",
        "blank.txt: skipped: empty file; nothing to index",
        "scan.txt: skipped: binary file (NUL byte at offset 8); not a text report",
        "huge.txt: skipped: file of 18000 bytes is over the 10000-byte limit; raise --max-file-size",
        "one-line.txt: skipped: line 1 is 3000 bytes long, over the 2000-byte limit",
    ] {
        assert!(
            err.lines().any(|line| line.starts_with("dateline: ") && line.contains(expected)),
            "{expected}\n{err}"
        );
    }
    assert!(
        err.contains("5 added, 0 changed, 0 removed, 0 unchanged, 5 skipped (2 empty, 1 binary, 1 line too long, 1 too large)"),
        "{err}"
    );
    assert_eq!(corpus.hit_names("Daskal", &[]).len(), 2);

    // --json lists every skipped file with its reason.
    let json = corpus
        .index_cmd()
        .args(["--json", "--rebuild", "--max-file-size", "10000", "--max-line-length", "2000"])
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&json.stdout).unwrap();
    let kinds: Vec<&str> = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        sorted(kinds.iter().map(|k| k.to_string()).collect()),
        ["binary", "empty", "empty", "line_too_long", "too_large"]
    );
}

#[test]
fn latin1_and_broken_utf8_are_decoded_and_offsets_still_point_into_the_file() {
    let corpus = Corpus::empty();
    corpus.write("latin1.txt", b"Caf\xe9 talks\r\n\r\nThe caf\xe9 owners in S\xe3o Paulo met about fentanyl. \x93We agree,\x94 they said.\r\n");
    corpus.write(
        "broken.txt",
        b"Talks resume\n\nBeijing\xe2\x80\x99s envoy met \xff owners of caf\xe9s about fentanyl.\n",
    );
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("latin1.txt: not UTF-8; read as Windows-1252 (Latin-1)"), "{err}");
    assert!(err.contains("broken.txt: not valid UTF-8 ("), "{err}");
    assert!(err.contains("2 added"), "{err}");

    let results = corpus.search_json("owners fentanyl", &["--passages", "3"]);
    assert_eq!(sorted(names(&results)), ["broken.txt", "latin1.txt"]);
    assert!(assert_passages_point_at_the_file(&results) >= 2);
    let latin = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with("latin1.txt"))
        .unwrap();
    assert_eq!(latin["title"], "Café talks");
    assert_eq!(latin["passages"][0]["text"], "The café owners in São Paulo met about fentanyl.");
    assert_eq!(latin["passages"][0]["line"], 3);
    // A word with an accent is found by its accented form.
    assert_eq!(corpus.hit_names("\"São Paulo\"", &[]), ["latin1.txt"]);
}

#[test]
fn byte_order_marks_and_every_line_ending_keep_lines_and_offsets_right() {
    let corpus = Corpus::empty();
    let seed = std::fs::read_to_string(seeds_dir().join("003_63e613daaea22d0e.txt")).unwrap();
    corpus.write("bom.txt", format!("\u{feff}Talks resume\n\n{seed}"));
    corpus.write("crlf.txt", format!("Talks resume\r\n\r\n{}", seed.replace('\n', "\r\n")));
    corpus.write("cr.txt", format!("Talks resume\r\r{}", seed.replace('\n', "\r")));
    corpus.index_cmd().assert().success();
    let results =
        corpus.search_json("\"precursor chemicals\" OR Daskal OR shipments", &["--passages", "3"]);
    assert_eq!(sorted(names(&results)), ["bom.txt", "cr.txt", "crlf.txt"]);
    assert!(assert_passages_point_at_the_file(&results) >= 9);
    for hit in results["hits"].as_array().unwrap() {
        // The headline is found in all three, so the header was read despite the endings.
        assert_eq!(hit["title"], "Talks resume", "{}", hit["path"]);
        let lines: Vec<u64> = hit["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["line"].as_u64().unwrap())
            .collect();
        assert!(lines.contains(&27), "{lines:?}");
    }
}

#[test]
fn odd_names_and_odd_files() {
    let corpus = Corpus::seeds();
    corpus.write("with space.txt", "Dock strike\n\nDockers walked out.\n");
    corpus.write("with\nnewline.txt", "Port strike\n\nDockers stayed out.\n");
    std::os::unix::fs::symlink(
        corpus.reports().join("missing.txt"),
        corpus.reports().join("dangling.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(corpus.reports(), corpus.reports().join("loop")).unwrap();
    use std::os::unix::ffi::OsStrExt;
    let bad_name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(corpus.reports().join(bad_name), "Cafe\n\nOwners met.\n").unwrap();

    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.lines().any(|l| l.contains("dangling.txt: skipped: unreadable:")), "{err}");
    assert!(err.lines().any(|l| l.contains("loop: skipped: unreadable: symlink loop")), "{err}");
    assert!(
        err.lines().any(
            |l| l.contains("caf\u{fffd}.txt: skipped: file name is not valid UTF-8; rename it")
        ),
        "{err}"
    );
    // Every message is one line, even for a name with a newline in it.
    assert!(err.lines().all(|l| l.starts_with("dateline: ")), "{err}");
    assert_eq!(
        sorted(corpus.hit_names("dockers", &[])),
        sorted(vec!["with space.txt".into(), "with\nnewline.txt".into()])
    );
    assert_eq!(corpus.hit_names("Daskal", &[]).len(), 2);
}

#[test]
fn unreadable_files_are_skipped_when_permissions_apply() {
    let corpus = Corpus::seeds();
    let locked = corpus.write("locked.txt", "Secret\n\nNobody may read this.\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!(
            "note: running as a user that can read mode-000 files (root); only checking that the run succeeds"
        );
        corpus.index_cmd().assert().success();
        return;
    }
    let output = corpus.index_cmd().output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("locked.txt: skipped: unreadable: Permission denied"),
        "{}",
        stderr(&output)
    );
    assert_eq!(corpus.hit_names("fentanyl", &[]).len(), 5);
}

#[test]
fn files_that_vanish_or_change_during_a_run_are_not_lost() {
    // The library's progress callback runs after the walk and before any file is read:
    // the moment to pull files from under the indexer.
    let corpus = Corpus::seeds();
    let vanishing = corpus.write("vanishing.txt", "Dock strike\n\nDockers walked out.\n");
    let changing = corpus.write("changing.txt", "Grain prices\n\nWheat rose.\n");
    let mut indexer =
        dateline_indexer::Indexer::open_or_create(corpus.index(), Default::default()).unwrap();
    let summary = indexer
        .update(&[corpus.reports()], |event| {
            if let dateline_indexer::Event::Scanned { .. } = event {
                std::fs::remove_file(&vanishing).unwrap();
                std::fs::write(&changing, "Grain prices fall\n\nWheat fell sharply today.\n")
                    .unwrap();
                let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
                std::fs::File::options()
                    .write(true)
                    .open(&changing)
                    .unwrap()
                    .set_modified(later)
                    .unwrap();
            }
        })
        .unwrap();
    assert_eq!(summary.added, 6);
    assert_eq!(summary.skipped.len(), 1);
    assert!(summary.skipped[0].path.ends_with("vanishing.txt"));
    drop(indexer);
    // What was read is what is searchable, and the next run notices the change it raced.
    assert_eq!(corpus.hit_names("fell", &[]), ["changing.txt"]);
    // The next run sees the newer modification time, reads the file again, and finds by its
    // hash that the index already holds this content.
    let output = corpus.index_cmd().arg("--json").output().unwrap();
    let next: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (next["changed"].as_u64(), next["unchanged"].as_u64()),
        (Some(0), Some(6)),
        "{next}"
    );
    assert_eq!(corpus.hit_names("fell", &[]), ["changing.txt"]);
    assert!(!Path::new(&vanishing).try_exists().unwrap());
}

/// A run that must finish: a walk without end or a blocked read fails the test, not hangs it.
const BOUNDED: std::time::Duration = std::time::Duration::from_secs(120);

#[test]
fn symlinks_out_of_the_folders_are_skipped_and_reported_unless_followed() {
    let corpus = Corpus::seeds();
    let outside = corpus.dir.path().join("outside");
    std::fs::create_dir_all(outside.join("etc")).unwrap();
    std::fs::write(outside.join("passwd"), "Accounts\n\nzorblax:x:0:0:zorblax:/root:/bin/bash\n")
        .unwrap();
    std::fs::write(outside.join("etc/hosts.txt"), "Hosts\n\n127.0.0.1 localhost quahog\n").unwrap();
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, corpus.reports().join(name)).unwrap()
    };
    link(&outside.join("passwd"), "passwd.txt");
    link(&outside.join("etc"), "etclink");
    link(Path::new("/proc/version"), "version.txt");
    link(Path::new("/sys"), "sys");
    // Inside: followed as before.
    link(&corpus.reports().join("000_b8e9663bd08e168f.txt"), "again.txt");

    let output = corpus.index_cmd().timeout(BOUNDED).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    for name in ["passwd.txt", "etclink", "version.txt", "sys"] {
        assert!(
            err.lines().any(|line| line.contains(&format!("/{name}: skipped: symlink to "))
                && line.contains(", outside the folders being indexed; pass --follow-outside")),
            "{name}: {err}"
        );
    }
    assert!(
        err.contains("5 added, 0 changed, 0 removed, 0 unchanged, 4 skipped (4 outside)"),
        "{err}"
    );
    assert!(corpus.hit_names("zorblax OR quahog", &[]).is_empty());

    // Asked to follow: what the links lead to is indexed, but never a kernel file system.
    let output =
        corpus.index_cmd().args(["--follow-outside", "--json"]).timeout(BOUNDED).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["added"], 2, "{summary}");
    let skipped = summary["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{summary}");
    assert!(
        skipped.iter().all(|s| s["reason"]["kind"] == "special"
            && s["reason"]["what"].as_str().unwrap().contains("a kernel file system")),
        "{summary}"
    );
    assert_eq!(sorted(corpus.hit_names("zorblax OR quahog", &[])), ["hosts.txt", "passwd.txt"]);

    // Not asked again: those reports go.
    let output = corpus.index_cmd().timeout(BOUNDED).output().unwrap();
    assert!(
        stderr(&output).contains("0 added, 0 changed, 2 removed, 5 unchanged"),
        "{}",
        stderr(&output)
    );
    assert!(corpus.hit_names("zorblax OR quahog", &[]).is_empty());
}

#[test]
fn special_files_named_like_reports_are_reported_and_never_opened() {
    let corpus = Corpus::seeds();
    let fifo = corpus.reports().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/null", corpus.reports().join("null.txt")).unwrap();
    std::os::unix::fs::symlink(&fifo, corpus.reports().join("pipe-link.md")).unwrap();
    let output = corpus.index_cmd().timeout(BOUNDED).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "pipe.txt: skipped: a FIFO (named pipe); only regular files on ordinary file systems are read",
        "pipe-link.md: skipped: a FIFO (named pipe)",
    ] {
        assert!(err.lines().any(|line| line.contains(expected)), "{expected}\n{err}");
    }
    // /dev/null is outside the folder: not followed, and so never opened.
    assert!(err.contains("null.txt: skipped: symlink to /dev/null"), "{err}");
    assert!(err.contains("5 added") && err.contains("3 skipped (2 special, 1 outside)"), "{err}");
}

#[test]
fn a_file_that_grows_during_the_run_is_held_to_the_size_limit() {
    // Measured small by the walk, past the limit by the time it is read.
    let corpus = Corpus::seeds();
    let growing = corpus.write("live-blog.txt", "Live blog\n\nFirst entry.\n");
    let options = dateline_indexer::Options::default().max_file_size(1 << 20);
    let mut indexer = dateline_indexer::Indexer::open_or_create(corpus.index(), options).unwrap();
    let summary = indexer
        .update(&[corpus.reports()], |event| {
            if let dateline_indexer::Event::Scanned { .. } = event {
                let mut file = std::fs::OpenOptions::new().append(true).open(&growing).unwrap();
                let entry = "Another entry, and another.\n".repeat(1000);
                for _ in 0..100 {
                    std::io::Write::write_all(&mut file, entry.as_bytes()).unwrap();
                }
            }
        })
        .unwrap();
    assert_eq!(summary.added, 5);
    assert_eq!(summary.skipped.len(), 1);
    let skipped = &summary.skipped[0];
    assert!(skipped.path.ends_with("live-blog.txt"));
    assert!(
        matches!(skipped.reason, dateline_indexer::Skip::TooLarge { len, limit } if limit == 1 << 20 && len > limit),
        "{:?}",
        skipped.reason
    );
    drop(indexer);
    assert!(corpus.hit_names("entry", &[]).is_empty());
}
