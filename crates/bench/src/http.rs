//! The HTTP API under load: a bounded load test of `dateline serve`, many keep-alive clients
//! on loopback, each sending searches back to back for a fixed time.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use dateline_query::Index;

use crate::measure::percentile_of_sorted;
use crate::queries::QUERIES;

/// The load test of one index.
pub struct Http {
    /// Reports in the index served.
    pub reports: u64,
    pub load: Load,
}

impl Http {
    /// Fails if any request failed.
    pub fn check(&self) -> Result<()> {
        match &self.load.first_error {
            Some(error) => bail!("the load test saw {} errors; first: {error}", self.load.errors),
            None => Ok(()),
        }
    }
}

/// Serves `index` to `clients` clients for `seconds`.
pub fn measure(bin: &Path, index: &Path, clients: usize, seconds: u64) -> Result<Http> {
    let load = run(bin, index, clients, Duration::from_secs(seconds), &requests())?;
    let reports = Index::open(index)?.num_reports();
    Ok(Http { reports, load })
}

/// The `/api/search` requests of the load test: every benchmark query, a third of them
/// with a date filter, all asking for the page the search page asks for.
fn requests() -> Vec<Vec<(&'static str, String)>> {
    QUERIES
        .iter()
        .enumerate()
        .map(|(i, query)| {
            let mut params = vec![("q", query.to_string()), ("limit", "10".into())];
            if i % 3 == 0 {
                params.push(("since", "1987-03-15".into()));
            }
            params
        })
        .collect()
}

/// What a load run saw.
pub struct Load {
    pub clients: usize,
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    /// The first failure, to say what went wrong.
    pub first_error: Option<String>,
    /// Latencies of the successful requests, milliseconds, sorted.
    pub latencies_ms: Vec<f64>,
}

impl Load {
    pub fn throughput(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn percentile(&self, q: f64) -> f64 {
        percentile_of_sorted(&self.latencies_ms, q)
    }
}

/// Starts `bin serve` on `index` at a free loopback port, runs `clients` clients for
/// `duration`, each cycling through `requests` (query parameters of `/api/search`), then
/// stops the server with Ctrl-C.
fn run(
    bin: &Path,
    index: &Path,
    clients: usize,
    duration: Duration,
    requests: &[Vec<(&str, String)>],
) -> Result<Load> {
    let mut server = Server::start(bin, index)?;
    let base = server.base.clone();
    let started = Instant::now();
    let deadline = started + duration;
    let per_client: Vec<(usize, usize, Option<String>, Vec<f64>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|client| {
                let base = &base;
                scope.spawn(move || {
                    // One agent per client: one keep-alive connection, as a browser tab has.
                    let agent: ureq::Agent =
                        ureq::Agent::config_builder().http_status_as_error(false).build().into();
                    let (mut sent, mut errors, mut first_error) = (0, 0, None);
                    let mut latencies = Vec::new();
                    let mut next = client;
                    while Instant::now() < deadline {
                        let params = &requests[next % requests.len()];
                        next += 1;
                        let began = Instant::now();
                        let outcome = agent
                            .get(&format!("{base}/api/search"))
                            .query_pairs(params.iter().map(|(k, v)| (*k, v.as_str())))
                            .call()
                            .map_err(|e| e.to_string())
                            .and_then(|mut response| {
                                let status = response.status().as_u16();
                                let body = response
                                    .body_mut()
                                    .read_to_string()
                                    .map_err(|e| e.to_string())?;
                                match status {
                                    200 => Ok(()),
                                    _ => Err(format!("{status} for {params:?}: {body}")),
                                }
                            });
                        sent += 1;
                        match outcome {
                            Ok(()) => latencies.push(began.elapsed().as_secs_f64() * 1000.0),
                            Err(message) => {
                                errors += 1;
                                first_error.get_or_insert(message);
                            }
                        }
                    }
                    (sent, errors, first_error, latencies)
                })
            })
            .collect();
        workers.into_iter().map(|worker| worker.join().expect("a load client panicked")).collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    server.stop()?;

    let mut load = Load {
        clients,
        seconds,
        requests: 0,
        errors: 0,
        first_error: None,
        latencies_ms: Vec::new(),
    };
    for (sent, errors, first_error, latencies) in per_client {
        load.requests += sent;
        load.errors += errors;
        load.first_error = load.first_error.or(first_error);
        load.latencies_ms.extend(latencies);
    }
    load.latencies_ms.sort_by(f64::total_cmp);
    Ok(load)
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(bin: &Path, index: &Path) -> Result<Server> {
        let mut child = Command::new(bin)
            .args(["serve", "-q", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {} serve", bin.display()))?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
        let base = line.trim().trim_end_matches('/').to_string();
        if !base.starts_with("http://") {
            let _ = child.kill();
            bail!("`dateline serve` printed no URL (got {line:?})");
        }
        Ok(Server { child, base })
    }

    fn stop(&mut self) -> Result<()> {
        Command::new("kill").args(["-INT", &self.child.id().to_string()]).status()?;
        let status = self.child.wait()?;
        if !status.success() {
            bail!("`dateline serve` exited with {status} after Ctrl-C");
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
