//! How similar a report must be to a story to join it.

/// The weights of the similarity and the threshold above which a report joins a story.
///
/// The score of a report against a story is
/// `(words · cos(words) + names · cos(names) + title · cos(title)) · (1 − time + time ·
/// exp(-d² / 2σ²))`, `d` the
/// days between the report and the nearest of the story's first and last day,
/// `σ = sigma_days`: the likeness of the texts, discounted by up to `time` as the days apart
/// grow (a weekly review of a market is like last week's, and is not its story). A report or
/// story without a date scores `undated` in place of the decay.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Weight of the cosine of the tf-idf word bags.
    pub words: f32,
    /// Weight of the cosine of the tf-idf name bags.
    pub names: f32,
    /// Weight of the cosine of the tf-idf headline word bags.
    pub title: f32,
    /// How much of the likeness the time decay can take away, 0 to 1.
    pub time: f32,
    /// The decay's standard deviation, in days.
    pub sigma_days: f32,
    /// The decay term of a report or story without a date.
    pub undated: f32,
    /// The score a report must exceed to join a story.
    pub threshold: f32,
    /// A dated report joins no dated story whose span is further than this many days away:
    /// the window the indexer searches the last commit in, so that a story found in this
    /// run and one found in the index are held to the same rule.
    pub window_days: i32,
}

impl Default for Params {
    /// Tuned on half of the labelled Reuters stories (crates/bench/judgments/stories.tsv);
    /// see BENCHMARKS.md, "Stories".
    fn default() -> Params {
        Params {
            words: 1.0,
            names: 1.0,
            title: 0.5,
            time: 0.45,
            sigma_days: 3.0,
            undated: 0.5,
            threshold: 0.4,
            window_days: 14,
        }
    }
}

impl Params {
    /// The likeness of the texts: the weighted sum of their cosines.
    pub fn likeness(&self, c: crate::Cosines) -> f32 {
        self.words * c.words + self.names * c.names + self.title * c.title
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

    /// The decay term for a report on `day` and a story spanning `span` (days since the
    /// Unix epoch; `None` when undated).
    pub fn decay(&self, day: Option<i32>, span: Option<(i32, i32)>) -> f32 {
        match (day, span) {
            (Some(day), Some((first, last))) => {
                let distance = if day < first {
                    first - day
                } else if day > last {
                    day - last
                } else {
                    0
                };
                let d = distance as f32 / self.sigma_days;
                (-0.5 * d * d).exp()
            }
            _ => self.undated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decay_is_one_within_the_span_and_falls_outside_it() {
        let params = Params::default();
        assert_eq!(params.decay(Some(10), Some((8, 12))), 1.0);
        let near = params.decay(Some(14), Some((8, 12)));
        let far = params.decay(Some(30), Some((8, 12)));
        assert!(near < 1.0 && far < near && far < 0.01, "{near} {far}");
        assert_eq!(params.decay(None, Some((8, 12))), params.undated);
        assert_eq!(params.decay(Some(3), None), params.undated);
        assert!(
            params.in_window(Some(20), Some((8, 12))) && !params.in_window(Some(40), Some((8, 12)))
        );
        assert!(params.in_window(None, Some((8, 12))));
    }
}
