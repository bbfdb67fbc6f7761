//! The copies evaluation: pairs of reports the copy finder calls copies, against pairs made
//! to be copies, on real text.
//!
//! Sources are Reuters-21578 reports with bodies of at least 80 words. Each gets three
//! reprints made the way outlets make them (seeded, so every run makes the same): a local
//! intro, the last lines cut, a sign-off and byline of their own, a few words changed, commas
//! dropped and spacing changed. Every pair of a source and its reprints is a copy pair;
//! every other pair is not, which makes the Reuters neighbours (reports of one company, one
//! market, one week, with the wire's shared table layouts and phrasing) hard negatives, and
//! the five bundled reports (one event, five outlets) must give no pair at all.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use dateline_copies::{Settings, Shingles, Sketch};

/// Sources taken from the corpus.
const SOURCES: usize = 400;
/// Reprints made of each.
const REPRINTS: usize = 3;

/// The figures of one setting.
pub struct Row {
    pub settings: Settings,
    pub precision: f64,
    pub recall: f64,
    pub bundled_pairs: usize,
    /// Pairs called copies across sources whose containment is 0.9 or more: reports the
    /// corpus itself holds twice, nearly word for word (resent with a correction).
    pub near_identical_negatives: usize,
}

/// The evaluation: every setting tried, and what fingerprinting costs.
pub struct CopiesEval {
    pub reports: usize,
    pub copy_pairs: usize,
    pub rows: Vec<Row>,
    /// Microseconds to shingle and sketch one report, on average (default settings).
    pub sketch_us: f64,
}

/// A tiny seeded generator (xorshift64*), so reprints are the same every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }
}

fn reprint(body: &str, rng: &mut Rng, variant: usize) -> String {
    let lines: Vec<&str> = body.lines().collect();
    // Cut between a tenth and a half of the lines from the end.
    let keep = lines.len() - lines.len() * (1 + rng.below(5)) / 10;
    let mut words: Vec<String> = lines[..keep.max(1)]
        .join(if variant.is_multiple_of(2) { "\n" } else { "  " })
        .split(' ')
        .map(str::to_string)
        .collect();
    // About one word in 60 changed, commas dropped in every other reprint.
    for _ in 0..words.len() / 60 {
        let at = rng.below(words.len());
        words[at] = ["said", "reported", "the", "company", "also"][rng.below(5)].to_string();
    }
    let mut text = words.join(" ");
    if variant % 2 == 1 {
        text = text.replace(',', "");
    }
    let outlet = ["The Hill", "Yahoo News", "Local Ledger"][variant % 3];
    format!(
        "({outlet}) Readers in our area have followed this story closely.\n{text}\nBy staff of {outlet}. Copyright {outlet}, all rights reserved."
    )
}

/// Bodies of the Reuters sources (≥ 80 words), with their reprints after them: returns the
/// texts and, for each, the source it came from.
fn corpus(reuters: &Path) -> Result<(Vec<String>, Vec<usize>)> {
    let mut rng = Rng(0x5eed_c0b1_e5ab_cdef);
    let (mut texts, mut origin) = (Vec::new(), Vec::new());
    // Reuters-21578 holds the same report more than once: a body seen before, word for
    // word, is another copy of its first source, not a negative.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut sources = 0;
    for path in crate::corpus::report_files(reuters)? {
        if sources >= SOURCES {
            break;
        }
        let text = std::fs::read_to_string(&path)?;
        let Some((_, body)) = text.split_once("\n\n") else { continue };
        if body.split_whitespace().count() < 80 {
            continue;
        }
        let words = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let source = *seen.entry(words).or_insert(sources);
        if source == sources {
            sources += 1;
        }
        texts.push(body.to_string());
        origin.push(source);
        for variant in 0..REPRINTS {
            texts.push(reprint(body, &mut rng, variant));
            origin.push(source);
        }
    }
    Ok((texts, origin))
}

/// Whether the index would put `a` and `b` in one group: they share a key and the shorter's
/// shingles are contained in the longer (exactly, as for a committed candidate).
fn copies(a: &(Shingles, Option<Sketch>), b: &(Shingles, Option<Sketch>), s: &Settings) -> bool {
    let (Some(ka), Some(kb)) = (&a.1, &b.1) else { return false };
    let keys = kb.keys();
    ka.keys().iter().any(|key| keys.binary_search(key).is_ok())
        && a.0.containment(&b.0) >= s.threshold
}

fn prints(texts: &[String], s: &Settings) -> Vec<(Shingles, Option<Sketch>)> {
    texts
        .iter()
        .map(|text| {
            let shingles = Shingles::of(text, s);
            let sketch = Sketch::of(&shingles, s);
            (shingles, sketch)
        })
        .collect()
}

pub fn measure(reuters: &Path) -> Result<CopiesEval> {
    let (texts, origin) = corpus(reuters)?;
    let bundled: Vec<String> = dateline_fixtures::bundled_reports()
        .iter()
        .map(std::fs::read_to_string)
        .collect::<std::io::Result<_>>()?;
    let mut rows = Vec::new();
    for shingle in [3, 4, 5] {
        for threshold in [0.5, 0.6, 0.7] {
            let settings = Settings { shingle, threshold, ..Settings::DEFAULT };
            let all = prints(&texts, &settings);
            let (mut tp, mut fp, mut fn_, mut near) = (0usize, 0usize, 0usize, 0usize);
            for i in 0..all.len() {
                for j in i + 1..all.len() {
                    match (copies(&all[i], &all[j], &settings), origin[i] == origin[j]) {
                        (true, true) => tp += 1,
                        (true, false) => {
                            fp += 1;
                            near += usize::from(all[i].0.containment(&all[j].0) >= 0.9);
                        }
                        (false, true) => fn_ += 1,
                        (false, false) => {}
                    }
                }
            }
            let five = prints(&bundled, &settings);
            let bundled_pairs = (0..5)
                .flat_map(|i| (i + 1..5).map(move |j| (i, j)))
                .filter(|&(i, j)| copies(&five[i], &five[j], &settings))
                .count();
            rows.push(Row {
                settings,
                precision: tp as f64 / (tp + fp).max(1) as f64,
                recall: tp as f64 / (tp + fn_).max(1) as f64,
                bundled_pairs,
                near_identical_negatives: near,
            });
        }
    }
    let started = Instant::now();
    let made = prints(&texts, &Settings::DEFAULT);
    let sketch_us = started.elapsed().as_secs_f64() * 1e6 / made.len() as f64;
    let mut per_source = std::collections::HashMap::new();
    for source in &origin {
        *per_source.entry(source).or_insert(0usize) += 1;
    }
    let copy_pairs = per_source.values().map(|n| n * (n - 1) / 2).sum();
    Ok(CopiesEval { reports: texts.len(), copy_pairs, rows, sketch_us })
}
