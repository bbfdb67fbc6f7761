//! Timers and statistics: whole processes under GNU time, in-process query loops,
//! percentiles, and the machine they ran on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::queries::QUERIES;

/// One whole-process run.
#[derive(Clone, Copy)]
pub struct Timed {
    pub secs: f64,
    /// Peak resident set, when GNU time is installed to read it.
    pub peak_rss_mb: Option<f64>,
}

/// Runs a whole process, under GNU time when there is one, for its peak RSS. Exit code 1
/// (no hits) counts as success.
pub fn timed(command: &mut Command) -> Result<Timed> {
    let gnu_time = Path::new("/usr/bin/time");
    let started = Instant::now();
    let output = if gnu_time.is_file() {
        let mut wrapped = Command::new(gnu_time);
        wrapped.args(["-f", "%M"]).arg(command.get_program()).args(command.get_args());
        wrapped.output()?
    } else {
        command.output()?
    };
    let secs = started.elapsed().as_secs_f64();
    let code = output.status.code().unwrap_or(-1);
    if code > 1 {
        bail!("{:?} failed ({code}): {}", command, String::from_utf8_lossy(&output.stderr));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak_rss_mb = gnu_time
        .is_file()
        .then(|| {
            stderr.lines().last().and_then(|l| l.trim().parse::<f64>().ok()).map(|kb| kb / 1024.0)
        })
        .flatten();
    Ok(Timed { secs, peak_rss_mb })
}

/// Runs every query once to warm up, then `reps` times, returning each run's latency in ms.
pub fn latencies(reps: usize, mut search: impl FnMut(&str) -> Result<usize>) -> Result<Vec<f64>> {
    for query in QUERIES {
        search(query)?; // warm-up
    }
    let mut samples = Vec::new();
    for _ in 0..reps {
        for query in QUERIES {
            let started = Instant::now();
            std::hint::black_box(search(query)?);
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(samples)
}

/// The `q` quantile of `samples`: the sample at ⌊n·q⌋ in sorted order (NaN if none).
pub fn percentile(samples: &[f64], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

/// The `q` quantile of already sorted samples, by rounding (n−1)·q, as the HTTP load table
/// has always computed it (NaN if none).
pub fn percentile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// CPU model, cores and memory, read from /proc.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    format!("{cpu}, {cores} cores, {memory} RAM; release build.")
}

/// SQLite FTS5, the peer measured through python3's sqlite3 (see its docstring).
pub fn fts5_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fts5.py")
}
