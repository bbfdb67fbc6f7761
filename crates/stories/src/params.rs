//! Whether a report joins a story: a linear model over how alike the two are, its weights
//! chosen on labelled reports.

use crate::{Centroid, Cosines, Features};

/// How many numbers a [`Similarity`] gives the model.
pub const FEATURES: usize = 7;

/// The names of a [`Similarity`]'s numbers, in [`Similarity::values`]' order.
pub const FEATURE_NAMES: [&str; FEATURES] =
    ["words", "names", "headline", "words × near", "names × near", "headline × near", "apart"];

/// How alike a report and a story are, as the model reads it (Miranda et al. 2018, §3: the
/// text cosines and a Gaussian decay of the days between the report and the story). Every
/// number is between 0 and 1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Similarity {
    /// The tf-idf cosines of the words, names and headline words.
    pub cosines: Cosines,
    /// The decay of the days to the nearest of the story's first and last day (1 within):
    /// `exp(-d² / 2σ²)`, `σ = sigma_days`.
    pub near: f32,
    /// 1 when the report is cast in a template and the story holds none of what it is
    /// about ([`Features::subject`]), else 0.
    pub apart: f32,
}

impl Similarity {
    /// The numbers the model weighs, in [`FEATURE_NAMES`]' order: the cosines, and the
    /// cosines times `near`, so that a text's likeness can count for less as the days apart
    /// grow (a weekly review of a market is like last week's, and is not its story).
    pub fn values(&self) -> [f32; FEATURES] {
        let c = self.cosines;
        [
            c.words,
            c.names,
            c.title,
            c.words * self.near,
            c.names * self.near,
            c.title * self.near,
            self.apart,
        ]
    }
}

/// The model: the weights of a [`Similarity`]'s numbers, and the time scales it is read at.
///
/// A report's score against a story is `bias + Σ weights[i] · values[i]`; it joins the
/// best-scoring story whose score is above 0, else it starts a story. Miranda et al. learn
/// such weights by logistic regression; learned here on the labelled tuning half, they
/// scored lower than the hand-set ones (BENCHMARKS.md, "Stories"), so these are hand-set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// The weight of each of [`Similarity::values`].
    pub weights: [f32; FEATURES],
    /// The score when every number is 0: minus the threshold a report must pass to join.
    pub bias: f32,
    /// The standard deviation of the `near` decay, in days.
    pub sigma_days: f32,
    /// The `near` decay of a report or story without a date.
    pub undated: f32,
    /// A dated report joins no dated story whose span is further than this many days away:
    /// the window the indexer searches the last commit in, so that a story found in this
    /// run and one found in the index are held to the same rule.
    pub window_days: i32,
}

impl Default for Params {
    /// The model chosen on the tuning half of the labelled Reuters stories
    /// (crates/bench/judgments/stories.tsv): `(words + names + 0.5 · headline) · (0.55 +
    /// 0.45 · near) − 0.4`, the best of a grid of such products, which scores higher there
    /// than weights learned by logistic regression did; see BENCHMARKS.md, "Stories". The
    /// window is 18 days, the narrowest of 5 to 35 that scores best there: a takeover fight
    /// can lull for over two weeks before its court ruling or a new bidder. `apart` weighs
    /// −2.5, what the cosines can add at most: a veto, so that a template report (an earnings
    /// table) joins no story of another company however alike their boilerplate is.
    fn default() -> Params {
        Params {
            weights: [0.55, 0.55, 0.275, 0.45, 0.45, 0.225, -2.5],
            bias: -0.4,
            sigma_days: 3.0,
            undated: 0.5,
            window_days: 18,
        }
    }
}

impl Params {
    /// The log-odds that a report belongs to a story this alike.
    pub fn score(&self, similarity: &Similarity) -> f32 {
        let values = similarity.values();
        self.bias + self.weights.iter().zip(values).map(|(w, v)| w * v).sum::<f32>()
    }

    /// How alike a report (its vectors and day) and a story are.
    pub fn similarity(
        &self,
        centroid: &Centroid,
        features: &Features,
        day: Option<i32>,
    ) -> Similarity {
        let near = match (day, centroid.span()) {
            (Some(day), Some((first, last))) => {
                let outside = if day < first { first - day } else { (day - last).max(0) };
                let d = outside as f32 / self.sigma_days;
                (-0.5 * d * d).exp()
            }
            _ => self.undated,
        };
        let apart = !features.subject.is_empty() && !centroid.holds_any_word(&features.subject);
        Similarity { cosines: centroid.cosines(features), near, apart: f32::from(u8::from(apart)) }
    }

    /// Whether a report on `day` may join a story spanning `span` at all.
    pub fn in_window(&self, day: Option<i32>, span: Option<(i32, i32)>) -> bool {
        match (day, span) {
            (Some(day), Some((first, last))) => {
                day >= first - self.window_days && day <= last + self.window_days
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(days: &[i32]) -> Centroid {
        let mut centroid = Centroid::new();
        for &day in days {
            centroid.add(&Features::default(), Some(day));
        }
        centroid
    }

    #[test]
    fn the_decay_is_one_within_the_span_and_falls_outside_it() {
        let params = Params::default();
        let near =
            |day, days: &[i32]| params.similarity(&story(days), &Features::default(), day).near;
        assert_eq!(near(Some(10), &[8, 12]), 1.0);
        let (close, far) = (near(Some(14), &[8, 12]), near(Some(30), &[8, 12]));
        assert!(close < 1.0 && far < close && far < 0.01, "{close} {far}");
        assert_eq!(near(Some(6), &[8, 12]), close);
        assert_eq!(near(None, &[8]), params.undated);
        assert!(
            params.in_window(Some(20), Some((8, 12))) && !params.in_window(Some(40), Some((8, 12)))
        );
        assert!(params.in_window(None, Some((8, 12))));
    }

    /// Two reactions to the October 1987 crash (Reuters-21578), from Tokyo and Washington,
    /// and a seamen's strike of the same corpus: the shipped weights are the product of
    /// likeness and decay they were chosen as, spread over the model's terms.
    #[test]
    fn the_shipped_weights_score_as_likeness_times_decay() {
        let (tokyo, seamen, washington) = crate::test_reports::crash_and_strike();
        let (mut crash, mut strike) = (Centroid::new(), Centroid::new());
        crash.add(&tokyo, Some(100));
        strike.add(&seamen, Some(100));
        let params = Params::default();
        let score = |story: &Centroid, day| {
            let similarity = params.similarity(story, &washington, Some(day));
            let c = similarity.cosines;
            let product = (c.words + c.names + 0.5 * c.title) * (0.55 + 0.45 * similarity.near);
            let score = params.score(&similarity);
            assert!((score - (product - 0.4)).abs() < 1e-5, "{score} {product}");
            score
        };
        assert!(score(&crash, 100) > 0.0, "the same day, the same stance: one story");
        assert!(score(&strike, 100) < 0.0);
        assert!(score(&crash, 110) < score(&crash, 100));
    }
}
