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

use std::collections::HashMap;
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
    /// Pairs within the tuning half, and within the held-out half.
    pub tuning: Counts,
    pub held_out: Counts,
    pub bundled_pairs: usize,
    /// False pairs whose containment is 0.9 or more: nearly the same text, labelled apart.
    pub near_identical_negatives: usize,
}

/// The evaluation: every setting tried, and what fingerprinting costs.
pub struct CopiesEval {
    pub reports: usize,
    /// Reuters reports taken, and the wire texts they are (a re-sent story is one).
    pub sources: usize,
    pub wire_texts: usize,
    pub copy_pairs: usize,
    pub rows: Vec<Row>,
    /// The setting with the best F1 on the tuning half among those giving the bundled five
    /// no pair.
    pub chosen: Option<Settings>,
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

/// The evaluation's texts: each body, the wire text it was made from, and its name.
struct Texts {
    bodies: Vec<String>,
    /// The wire text each body is a copy of: equal values are copy pairs.
    origin: Vec<usize>,
    /// The source's file name, with `+N` for its N-th reprint.
    names: Vec<String>,
}

/// A source as the wire sent it: its headline's words and its day.
struct Sent {
    headline: Vec<String>,
    day: Option<jiff::civil::Date>,
}

impl Sent {
    fn read(header: &str) -> Sent {
        let mut lines = header.lines();
        let title = lines.next().unwrap_or("");
        // A correction is re-sent under its headline with this prefix; a ticker like <HYD>
        // is written in one sending and left out of another.
        let title = title.trim_start_matches("CORRECTED").trim_start_matches([' ', '-']);
        let mut headline: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric() && c != '<' && c != '>')
            .filter(|w| !w.is_empty() && !w.starts_with('<'))
            .map(str::to_lowercase)
            .collect();
        headline.sort();
        headline.dedup();
        let day = lines
            .find_map(|line| line.strip_prefix("Date: "))
            .and_then(|date| date.trim().parse().ok());
        Sent { headline, day }
    }

    /// Whether `self` and `other` are one wire text sent twice: Reuters re-sends a story
    /// (corrected, rewritten in places, a paragraph added or cut) under its headline, or one
    /// with a word changed ("PACT" for "ACCORD", "MOVE" for "MOVES"), within days. Decided
    /// from headline and date alone, never from the bodies the copy finder compares, so the
    /// labels do not lean on the method they test. The headlines' word sets must overlap by
    /// 0.7 (Jaccard): different events of one company or one template ("DIAGNOSTIC BID FOR
    /// ROSPATCH", "ROSPATCH REJECTS DIAGNOSTIC BID"; "OSR TO MAKE ACQUISITION", "WAVEHILL
    /// INTERNATIONAL TO MAKE ACQUISITION") overlap by 0.6 or less.
    fn resends(&self, other: &Sent) -> bool {
        let (Some(a), Some(b)) = (self.day, other.day) else { return false };
        let shared = self.headline.iter().filter(|w| other.headline.contains(w)).count();
        let union = self.headline.len() + other.headline.len() - shared;
        (a - b).get_days().abs() <= 3 && union > 0 && shared * 10 >= union * 7
    }
}

/// Bodies of the Reuters sources (≥ 80 words), with their reprints after them.
fn corpus(reuters: &Path) -> Result<Texts> {
    let mut rng = Rng(0x5eed_c0b1_e5ab_cdef);
    let mut texts = Texts { bodies: Vec::new(), origin: Vec::new(), names: Vec::new() };
    // Each source as sent, and the wire text it is: the first sending's index.
    let mut sent: Vec<(Sent, usize)> = Vec::new();
    // Reuters-21578 holds some reports twice, word for word.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for path in crate::corpus::report_files(reuters)? {
        if sent.len() >= SOURCES {
            break;
        }
        let text = std::fs::read_to_string(&path)?;
        let Some((header, body)) = text.split_once("\n\n") else { continue };
        if body.split_whitespace().count() < 80 {
            continue;
        }
        let this = Sent::read(header);
        let words = body.split_whitespace().collect::<Vec<_>>().join(" ");
        let source = match seen.get(&words) {
            Some(&source) => source,
            None => sent
                .iter()
                .find(|(earlier, _)| earlier.resends(&this))
                .map_or(sent.len(), |&(_, wire)| wire),
        };
        seen.entry(words).or_insert(source);
        sent.push((this, source));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for variant in 0..=REPRINTS {
            texts.bodies.push(if variant == 0 {
                body.to_string()
            } else {
                reprint(body, &mut rng, variant - 1)
            });
            texts.origin.push(source);
            texts.names.push(if variant == 0 { name.clone() } else { format!("{name}+{variant}") });
        }
    }
    Ok(texts)
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

/// Pair counts of one half: copies found, false pairs, copy pairs missed.
#[derive(Clone, Copy, Default)]
pub struct Counts {
    pub found: usize,
    pub false_pairs: usize,
    pub missed: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        self.found as f64 / (self.found + self.false_pairs).max(1) as f64
    }

    pub fn recall(&self) -> f64 {
        self.found as f64 / (self.found + self.missed).max(1) as f64
    }

    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Whether a wire text is in the tuning half (else held out): by a hash of its first
/// sending's position, so a source, its re-sendings and their reprints are on one side.
fn tuning(origin: usize) -> bool {
    xxhash_rust::xxh3::xxh3_64(&origin.to_le_bytes()).is_multiple_of(2)
}

pub fn measure(reuters: &Path) -> Result<CopiesEval> {
    let texts = corpus(reuters)?;
    let origin = &texts.origin;
    let bundled: Vec<String> = dateline_fixtures::bundled_reports()
        .iter()
        .map(std::fs::read_to_string)
        .collect::<std::io::Result<_>>()?;
    let detail = std::env::var_os("DATELINE_COPIES_DETAIL").is_some();
    let mut rows = Vec::new();
    for shingle in [3, 4, 5] {
        for threshold in [0.5, 0.6, 0.7] {
            let settings = Settings { shingle, threshold, ..Settings::DEFAULT };
            let all = prints(&texts.bodies, &settings);
            let mut halves = [Counts::default(); 2];
            let mut near = 0;
            for i in 0..all.len() {
                for j in i + 1..all.len() {
                    let same = origin[i] == origin[j];
                    if !same && tuning(origin[i]) != tuning(origin[j]) {
                        continue;
                    }
                    let half = &mut halves[usize::from(!tuning(origin[i]))];
                    let called = copies(&all[i], &all[j], &settings);
                    let containment = all[i].0.containment(&all[j].0);
                    match (called, same) {
                        (true, true) => half.found += 1,
                        (true, false) => {
                            half.false_pairs += 1;
                            near += usize::from(containment >= 0.9);
                        }
                        (false, true) => half.missed += 1,
                        (false, false) => continue,
                    }
                    if detail && settings == Settings::DEFAULT && called != same {
                        let what = if called { "false" } else { "missed" };
                        eprintln!(
                            "{what} {} {} containment {containment:.2}",
                            texts.names[i], texts.names[j]
                        );
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
                tuning: halves[0],
                held_out: halves[1],
                bundled_pairs,
                near_identical_negatives: near,
            });
        }
    }
    let chosen = rows
        .iter()
        .filter(|row| row.bundled_pairs == 0)
        .max_by(|a, b| a.tuning.f1().total_cmp(&b.tuning.f1()))
        .map(|row| row.settings);
    let started = Instant::now();
    let made = prints(&texts.bodies, &Settings::DEFAULT);
    let sketch_us = started.elapsed().as_secs_f64() * 1e6 / made.len() as f64;
    let mut per_source = HashMap::new();
    for source in origin {
        *per_source.entry(source).or_insert(0usize) += 1;
    }
    let copy_pairs = per_source.values().map(|n| n * (n - 1) / 2).sum();
    let wire_texts = per_source.len();
    Ok(CopiesEval {
        reports: texts.bodies.len(),
        sources: texts.bodies.len() / (REPRINTS + 1),
        wire_texts,
        copy_pairs,
        rows,
        chosen,
        sketch_us,
    })
}
