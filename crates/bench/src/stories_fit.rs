//! Learning the stories model's weights (`dateline_stories::Params`) on the tuning half of
//! the labelled stories, as Miranda et al. (EMNLP 2018) learn theirs from labelled pairs:
//! a logistic regression over report–story similarities, then the threshold for starting a
//! story.
//!
//! The examples are the choices the online clustering faces. The stream is replayed in the
//! indexer's order with the shipped model, and each labelled report of the tuning half gives
//! one example per story it could join: 1 if most of that story's labelled reports share its
//! label, 0 if most have another. Stories of unlabelled reports only give none: the labels
//! cover some of each event's reports, so such a story may be the report's event all the
//! same. The regression's weights are kept and its bias shifted to the replay that scores
//! best on the tuning half, since a report the clustering wrongly leaves out also weakens its
//! story for the next ones, which a regression over single pairs does not see.
//!
//! The fit is `linfa-logistic`'s L2-regularised logistic regression (L-BFGS).

use std::collections::HashMap;

use anyhow::{Context, Result};
use dateline_bench::clustering::score;
use dateline_stories::{FEATURES, Params, Stories};
use linfa::prelude::*;
use ndarray::{Array1, Array2};

use crate::stories::Prepared;

/// The L2 penalty on the weights (not the bias), as linfa adds it to the examples' summed loss.
pub const ALPHA: f64 = 1.0;
/// The shifts of the bias tried: `SHIFTS + 1` evenly from the first to the second.
const SHIFT_RANGE: (f32, f32) = (-1.0, 5.0);
const SHIFTS: usize = 24;

/// The weights learned, and what they were learned from.
pub struct Learned {
    pub params: Params,
    pub examples: usize,
    pub positives: usize,
    /// The shift of the regression's bias the replays chose.
    pub shift: f32,
}

/// The weights learned on the reports whose `gold` story is known (the tuning half).
pub fn fit(prepared: &[Prepared], gold: &[Option<usize>]) -> Result<Learned> {
    let (x, y) = examples(prepared, gold, Params::default());
    let mut params = regress(&x, &y)?;
    let shift = threshold(prepared, gold, params);
    params.bias += shift;
    Ok(Learned { params, examples: y.len(), positives: y.iter().filter(|&&p| p).count(), shift })
}

/// Each labelled report's candidate stories' similarities under `params`' replay, and
/// whether each is mostly of its label.
fn examples(
    prepared: &[Prepared],
    gold: &[Option<usize>],
    params: Params,
) -> (Vec<[f32; FEATURES]>, Vec<bool>) {
    let mut stories = Stories::new(params, 50_000);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    let mut labels_of: HashMap<u64, HashMap<usize, u32>> = HashMap::new();
    for (i, ((features, day), gold)) in prepared.iter().zip(gold).enumerate() {
        if let Some(label) = gold {
            for (candidate, similarity) in stories.similarities(features, *day, &[]) {
                let Some(counts) = labels_of.get(&candidate) else { continue };
                // Ties go to the smaller label, so the examples never depend on a map's order.
                let most = counts.iter().max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)));
                x.push(similarity.values());
                y.push(most.map(|(l, _)| l) == Some(label));
            }
        }
        let story = stories.place(features, *day, i as u64, &[]).story;
        if let Some(label) = gold {
            *labels_of.entry(story).or_default().entry(*label).or_default() += 1;
        }
    }
    (x, y)
}

/// The shift of `params`' bias whose replay scores best (pairwise F1 + B-cubed F1) on the
/// labelled reports; ties go to the smaller shift.
fn threshold(prepared: &[Prepared], gold: &[Option<usize>], params: Params) -> f32 {
    let mut best = (f64::MIN, 0.0);
    for step in 0..=SHIFTS {
        let shift = SHIFT_RANGE.0 + (SHIFT_RANGE.1 - SHIFT_RANGE.0) * step as f32 / SHIFTS as f32;
        let mut stories = Stories::new(Params { bias: params.bias + shift, ..params }, 50_000);
        let mut pairs = Vec::new();
        for (i, ((features, day), gold)) in prepared.iter().zip(gold).enumerate() {
            let story = stories.place(features, *day, i as u64, &[]).story;
            if let Some(label) = gold {
                pairs.push((*label, story));
            }
        }
        let s = score(&pairs);
        let objective = s.pairwise.f1 + s.bcubed.f1;
        if objective > best.0 || (objective == best.0 && shift.abs() < f32::abs(best.1)) {
            best = (objective, shift);
        }
    }
    best.1
}

fn regress(x: &[[f32; FEATURES]], y: &[bool]) -> Result<Params> {
    let records = Array2::from_shape_fn((x.len(), FEATURES), |(i, j)| f64::from(x[i][j]));
    let dataset = Dataset::new(records, Array1::from_iter(y.iter().copied()));
    let model = linfa_logistic::LogisticRegression::default()
        .alpha(ALPHA)
        .max_iterations(1_000)
        .fit(&dataset)
        .context("fitting the stories model")?;
    // linfa models the larger class as the positive one: when that is "not its story", the
    // log-odds of joining is the negative of linfa's.
    let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
    let mut weights = [0.0; FEATURES];
    for (w, p) in weights.iter_mut().zip(model.params()) {
        *w = (sign * p) as f32;
    }
    Ok(Params { weights, bias: (sign * model.intercept()) as f32, ..Params::default() })
}

/// Each report's gold story (an index into the labels) for the labelled reports of the
/// half `in_half` keeps; `None` for the rest.
pub fn gold<'a>(
    names: impl Iterator<Item = &'a str>,
    labels: &HashMap<String, String>,
    in_half: impl Fn(&str) -> bool,
) -> Vec<Option<usize>> {
    let mut ids: HashMap<&str, usize> = HashMap::new();
    names
        .map(|name| {
            let label = labels.get(name).filter(|l| in_half(l))?;
            let next = ids.len();
            Some(*ids.entry(label.as_str()).or_insert(next))
        })
        .collect()
}
