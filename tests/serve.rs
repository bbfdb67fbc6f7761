//! Properties of `dateline serve`, over a real socket:
//! 1. The API answers in `search --json`'s format, and sees commits without a restart.
//! 2. It stops cleanly on Ctrl-C; an address in use is a one-line error.
//! 3. The page works in headless Chromium: search, highlights, a publisher filter, a report
//!    with its passage marked, bookmarkable URLs, escaped report text, a phone-width layout
//!    with a Filters button, the timeline's axis and labels, ISO dates, the place kept on
//!    Back, start-page examples from the index, and no axe-core violation (light and dark).
//! 4. Clients cannot hold it: idle and half-sent connections are closed, open connections
//!    are capped, oversized heads get JSON 414/431, a client that stops reading is dropped,
//!    an abandoned search stops, too many searches get 503, a too costly one 422.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::*;

/// A running `dateline serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Server {
    fn start(index: &Path, log_dir: &Path) -> Server {
        Server::start_with(index, log_dir, &[])
    }

    /// A server started with `extra` flags.
    fn start_with(index: &Path, log_dir: &Path, extra: &[&str]) -> Server {
        let log = log_dir.join("serve.log");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dateline"))
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(extra)
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
        let url = first_line.trim().to_string();
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(url.starts_with("http://127.0.0.1:"), "no URL printed: {url:?}; log: {log_text}");
        Server { child, url, log }
    }

    fn get(&self, path_and_query: &str) -> (u16, Value) {
        self.get_as(path_and_query, None)
    }

    /// `GET`, with another `Host` header when `host` is given.
    fn get_as(&self, path_and_query: &str, host: Option<&str>) -> (u16, Value) {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let base = self.url.trim_end_matches('/');
        let mut request = agent.get(&format!("{base}{path_and_query}"));
        if let Some(host) = host {
            request = request.header("Host", host);
        }
        let mut response = request.call().unwrap();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
    }

    /// `host:port`.
    fn addr(&self) -> String {
        self.url.trim_start_matches("http://").trim_end_matches('/').to_string()
    }

    /// A raw connection, reads timing out after `read_timeout`.
    fn connect(&self, read_timeout: Duration) -> TcpStream {
        let stream = TcpStream::connect(self.addr()).unwrap();
        stream.set_read_timeout(Some(read_timeout)).unwrap();
        stream
    }

    /// The server's counters from `/api/health`.
    fn stats(&self) -> Value {
        self.get("/api/health").1["server"].clone()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Ctrl-C, then the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        assert!(sent.unwrap().success());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running after Ctrl-C: {}",
                self.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(seconds: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn the_api_answers_like_search_json_and_sees_new_commits() {
    let corpus = Corpus::seeds_indexed();
    let server = Server::start(&corpus.index(), corpus.dir.path());

    let (status, api) = server.get("/api/search?q=precursor%20chemicals&limit=10&passages=2");
    assert_eq!(status, 200);
    assert_eq!(api, corpus.search_json("precursor chemicals", &[]));
    assert_eq!((&api["total"], &api["matched_every_word"]), (&4.into(), &3.into()));
    let (status, error) = server.get("/api/search?q=%22precursor");
    assert_eq!(status, 400);
    assert!(error["error"].as_str().unwrap().contains("unbalanced double quote"), "{error}");

    let (_, health) = server.get("/api/health");
    assert_eq!(health["reports"], 5);
    // A page on another site that reached the server through DNS rebinding is refused.
    let port = server.url.trim_end_matches('/').rsplit(':').next().unwrap().to_string();
    let (status, refused) = server.get_as("/api/health", Some(&format!("rebind.example:{port}")));
    assert_eq!(status, 403, "{refused}");
    assert!(refused["error"].as_str().unwrap().contains("localhost or 127.0.0.1 only"));
    assert_eq!(server.get_as("/", Some(&format!("localhost:{port}"))).0, 200);
    let first_commit = health["last_commit"].as_str().unwrap().to_string();

    // A commit by `dateline index` while the server runs is seen without a restart.
    corpus.write("005_strike.txt", "Dock strike\n\nDockers walked out over fentanyl screening.\n");
    corpus.index_cmd().assert().success();
    wait_for(30, "the server to see the commit", || server.get("/api/health").1["reports"] == 6);
    let (_, health) = server.get("/api/health");
    assert_ne!(health["last_commit"].as_str().unwrap(), first_commit);
    let (_, found) = server.get("/api/search?q=dockers");
    assert_eq!(names(&found), ["005_strike.txt"]);
    let name = found["hits"][0]["name"].as_str().unwrap();
    assert_eq!(name, "reports/005_strike.txt");
    let (status, report) = server.get(&format!("/api/report?path={name}&q=dockers"));
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["lines"][0]["text"], "Dockers walked out over fentanyl screening.");

    let log = server.log();
    let status = server.interrupt();
    assert!(status.success(), "{status:?}: {log}");
}

#[test]
fn an_address_in_use_is_a_one_line_error() {
    let corpus = Corpus::seeds_indexed();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let output = dateline()
        .args(["serve", "--addr", &addr, "--index"])
        .arg(corpus.index())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with(&format!("dateline: cannot listen on {addr}")), "{message}");
    assert!(message.contains("--addr"), "{message}");
}

/// What the browser test needs; `None` when everything is there.
fn browser_missing(browser_dir: &Path) -> Option<String> {
    let chromium = std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let modules = ["playwright-core", "axe-core"];
    let installed =
        modules.iter().all(|module| browser_dir.join("node_modules").join(module).is_dir());
    let mut missing = Vec::new();
    if !Path::new(&chromium).is_file() {
        missing.push("chromium (apt-get install -y chromium)");
    }
    if !node {
        missing.push("node");
    }
    if !installed {
        missing.push("playwright-core and axe-core (npm ci --prefix tests/browser)");
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

// Ignored by a plain `cargo test`, which then says so with the reason (a skip inside a
// passing test was reported as `ok`); `.ci/run` and `just browser-test` run it with
// `--ignored`, and then missing prerequisites fail it.
#[test]
#[ignore = "drives Chromium: needs chromium, node, playwright-core and axe-core; run `just browser-test` (CI does)"]
fn the_page_works_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    if let Some(missing) = browser_missing(&browser_dir) {
        panic!("the browser test needs: {missing} (`just browser-test` installs them)");
    }
    let corpus = Corpus::seeds();
    corpus.write(
        "hostile.txt",
        "Hostile <b>markup</b> report\n\nA pwned report: <script>window.pwned=1</script> and \
         <img src=x onerror=\"window.pwned=1\"> inline.\n",
    );
    // A report in another language, declared: the language on its hit and in the facet.
    corpus.write(
        "verhandlungen.md",
        "---\ntitle: Zollstreit vor Gericht\nlang: de\n---\nDie Verhandlungen über die Zölle gingen am Montag in Genf weiter.\n",
    );
    // A copy, which the page collapses into its original unless asked for every copy.
    corpus.write_reprint();
    // Real reports by the thousand: counts that need separators, a timeline of decades (1987
    // and 2024) with more months than bars, result pages long enough to scroll.
    for path in reuters_files(1500) {
        std::fs::copy(&path, corpus.reports().join(path.file_name().unwrap())).unwrap();
    }
    corpus.index_cmd().assert().success();
    let server = Server::start(&corpus.index(), corpus.dir.path());
    let artifacts = root.join("target/browser");
    std::fs::create_dir_all(&artifacts).unwrap();
    let output = Command::new("node")
        .arg(browser_dir.join("check-page.mjs"))
        .arg(&server.url)
        .arg(&artifacts)
        .output()
        .unwrap();
    let report = format!("{}{}", stdout(&output), stderr(&output));
    assert!(output.status.success(), "{report}\nserver log:\n{}", server.log());
    for screenshot in [
        "search.png",
        "search-dark.png",
        "facet.png",
        "report.png",
        "phone.png",
        "phone-filters.png",
    ] {
        assert!(artifacts.join(screenshot).is_file(), "no {screenshot}: {report}");
    }
}

/// Reads until the server closes the connection, or the read timeout: what it sent, and
/// how long until it closed (`None` if it did not).
fn read_until_closed(stream: &mut TcpStream) -> (Vec<u8>, Option<Duration>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (received, Some(started.elapsed())),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionReset => {
                return (received, Some(started.elapsed()));
            }
            Err(_) => return (received, None),
        }
    }
}

/// Sends `request` (a whole HTTP/1.1 request) on a new connection and returns the status,
/// the head and the body parsed as JSON.
fn exchange(server: &Server, request: &[u8]) -> (u16, String, Value) {
    let mut stream = server.connect(Duration::from_secs(30));
    stream.write_all(request).unwrap();
    let (received, _) = read_until_closed(&mut stream);
    let text = String::from_utf8_lossy(&received).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let body = serde_json::from_str(body).unwrap_or(Value::String(body.to_string()));
    (status, head.to_lowercase(), body)
}

#[test]
fn idle_and_half_sent_connections_are_closed_after_the_header_timeout() {
    let corpus = Corpus::seeds_indexed();
    let server = Server::start_with(&corpus.index(), corpus.dir.path(), &["--header-timeout", "1"]);
    let closed_within = |what: &str, stream: &mut TcpStream| {
        let (_, closed) = read_until_closed(stream);
        let closed = closed.unwrap_or_else(|| panic!("{what}: still open after 10 s"));
        assert!(closed < Duration::from_secs(5), "{what}: closed only after {closed:?}");
    };
    // Connected, nothing sent.
    closed_within("an idle connection", &mut server.connect(Duration::from_secs(10)));
    // Slowloris: a request head that never ends.
    let mut half = server.connect(Duration::from_secs(10));
    half.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: a").unwrap();
    closed_within("a half-sent request head", &mut half);
    // Keep-alive after an answer.
    let mut kept = server.connect(Duration::from_secs(10));
    kept.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let (answer, _) = {
        let mut buf = [0u8; 4096];
        let n = kept.read(&mut buf).unwrap();
        (buf[..n].to_vec(), ())
    };
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&answer));
    closed_within("an idle keep-alive connection", &mut kept);
    wait_for(10, "the connections to be counted closed", || server.stats()["connections"] == 1);
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
}

#[test]
fn open_connections_are_capped_and_idle_ones_make_room() {
    let corpus = Corpus::seeds_indexed();
    let server = Server::start_with(
        &corpus.index(),
        corpus.dir.path(),
        &["--max-connections", "2", "--header-timeout", "60"],
    );
    // Ten clients connect and send nothing (the way ~20,000 idle sockets once exhausted the
    // server's file descriptors and kept everyone else out until they went).
    let mut idle: Vec<TcpStream> =
        (0..10).map(|_| server.connect(Duration::from_secs(10))).collect();
    std::thread::sleep(Duration::from_millis(300));
    // A real client is still answered at once: at the cap, idle connections are closed to
    // make room; never more than two are open.
    let started = Instant::now();
    let (status, _, body) = exchange(
        &server,
        b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200, "{body}");
    assert!(started.elapsed() < Duration::from_secs(5), "waited {:?}", started.elapsed());
    let open = body["server"]["connections"].as_u64().unwrap();
    assert!((1..=2).contains(&open), "{open} connections open past a cap of 2");
    // The first idle ones were closed without an answer, well before the header timeout.
    let (received, closed) = read_until_closed(&mut idle[0]);
    assert!(closed.is_some() && received.is_empty(), "{received:?} {closed:?}");
}

#[test]
fn oversized_request_lines_and_headers_get_json_414_and_431() {
    let corpus = Corpus::seeds_indexed();
    let server = Server::start(&corpus.index(), corpus.dir.path());
    let long_target = format!("/api/search?q={}", "fentanyl+".repeat(4000));
    let request =
        format!("GET {long_target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let (status, head, body) = exchange(&server, request.as_bytes());
    assert_eq!(status, 414, "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert!(body["error"].as_str().unwrap().contains("the limit is 32768"), "{body}");

    let big = format!(
        "GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    let (status, head, body) = exchange(&server, big.as_bytes());
    assert_eq!(status, 431, "{head}");
    assert!(body["error"].as_str().unwrap().contains("16384 bytes"), "{body}");

    let many: String = (0..150).map(|i| format!("X-{i}: a\r\n")).collect();
    let many =
        format!("GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{many}\r\n");
    let (status, _, body) = exchange(&server, many.as_bytes());
    assert_eq!(status, 431);
    assert!(body["error"].as_str().unwrap().contains("100 lines"), "{body}");

    // Within the limits, the same server answers as usual.
    let (status, _, _) = exchange(
        &server,
        b"GET /api/search?q=fentanyl HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
}

#[test]
fn a_client_that_stops_reading_is_disconnected_after_the_write_timeout() {
    let corpus = Corpus::seeds_indexed();
    let server = Server::start_with(&corpus.index(), corpus.dir.path(), &["--write-timeout", "1"]);
    let mut greedy = server.connect(Duration::from_secs(30));
    // Hundreds of pipelined requests for a 30 KB document, none of it read: the socket
    // buffers fill and the server's writes wait.
    let writer = {
        let mut greedy = greedy.try_clone().unwrap();
        std::thread::spawn(move || {
            let request = b"GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n";
            for _ in 0..2000 {
                if greedy.write_all(request).is_err() {
                    break;
                }
            }
        })
    };
    wait_for(20, "the stalled connection to be dropped", || server.stats()["connections"] == 1);
    writer.join().unwrap();
    // The server closed it: reading what it had sent ends.
    greedy.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let (_, closed) = read_until_closed(&mut greedy);
    assert!(closed.is_some(), "the connection is still open");
}

/// 3,000 reports of one random 400-word text each over ten words: a sloppy phrase of one repeated word
/// over them ([`SLOW_SEARCH`]) runs for seconds in a debug build, checking its budget as
/// it goes.
fn slow_corpus() -> Corpus {
    let corpus = Corpus::empty();
    let words =
        ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
    let mut seed: u64 = 1;
    for n in 0..3000 {
        let mut text = format!("Report {n}\n\n");
        for _ in 0..400 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(words[(seed >> 33) as usize % words.len()]);
            text.push(' ');
        }
        text.push_str(".\n");
        corpus.write(&format!("r{n:05}.txt"), text);
    }
    corpus.index_cmd().assert().success();
    corpus
}

/// Sixteen `alpha` with slop 20: within the query crate's limits, yet the costliest shape
/// they allow (about 11 s over this corpus in a debug build).
const SLOW_SEARCH: &str = "/api/search?q=%22alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%20alpha%22~20";

#[test]
fn abandoned_searches_stop_busy_ones_get_503_and_costly_ones_422() {
    let corpus = slow_corpus();
    let server = Server::start_with(
        &corpus.index(),
        corpus.dir.path(),
        &["--max-searches", "1", "--search-timeout", "120"],
    );
    let request =
        format!("GET {SLOW_SEARCH} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut abandoned = server.connect(Duration::from_secs(30));
    abandoned.write_all(request.as_bytes()).unwrap();
    wait_for(10, "the search to start", || server.stats()["searches_running"] == 1);

    // The one place is taken: the next search waits a second, then is told to come back.
    let started = Instant::now();
    let (status, head, body) = exchange(&server, request.as_bytes());
    assert_eq!(status, 503, "{head}{body}");
    assert!(head.contains("retry-after: 1"), "{head}");
    assert!(body["error"].as_str().unwrap().contains("busy"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    // The health check is not a search, and is answered meanwhile.
    assert_eq!(server.stats()["searches_refused"], 1);

    // The client goes away: its search stops within a second or two, not after the
    // search's full run (tens of seconds here).
    drop(abandoned);
    let dropped = Instant::now();
    wait_for(10, "the abandoned search to stop", || server.stats()["searches_running"] == 0);
    let stopped_after = dropped.elapsed();
    assert!(stopped_after < Duration::from_secs(5), "stopped only after {stopped_after:?}");
    assert_eq!(server.stats()["searches_cancelled"], 1);
    drop(server);

    // With a budget of half a second, the same search is refused as too costly: 422.
    let server =
        Server::start_with(&corpus.index(), corpus.dir.path(), &["--search-timeout", "0.5"]);
    let (status, body) = server.get(SLOW_SEARCH);
    assert_eq!(status, 422, "{body}");
    assert!(body["error"].as_str().unwrap().contains("time budget of 0.5 s"), "{body}");
    assert_eq!(server.stats()["searches_timed_out"], 1);
    let (status, _) = server.get("/api/search?q=alpha");
    assert_eq!(status, 200);
}
