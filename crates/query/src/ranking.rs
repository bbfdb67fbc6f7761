//! How a text query's matches are weighed: BM25 over headline and body, and the extras on
//! top of it that each must earn its place (BENCHMARKS.md, "Relevance of keyword queries").

/// Weight of a headline match relative to a body match, with [`Ranking::headline_boost`].
pub const HEADLINE_BOOST: f32 = 2.0;
/// Weight of a match in the publisher's name relative to a body match, with
/// [`Ranking::publisher`].
pub const PUBLISHER_BOOST: f32 = 0.3;

/// How a text [`crate::Query`] ranks its hits (set with [`crate::Query::ranked_by`]; a
/// query for similar reports ranks by its own weights and ignores it).
///
/// [`Ranking::bm25`] is plain BM25 over headline and body; each extra can be added to it.
/// The default is what measured best on the judged sets of BENCHMARKS.md (the headline
/// boost and the proximity bonus), and the publisher's name weighed low, so that naming an
/// outlet finds what it published.
///
/// ```
/// use dateline_query::{Query, Ranking};
///
/// let plain = Query::new("crude oil prices").ranked_by(Ranking::bm25());
/// assert!(!plain.ranking().has_proximity());
/// let closer = Query::new("crude oil prices").ranked_by(Ranking::bm25().proximity(true));
/// assert!(closer.ranking().has_proximity());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ranking {
    headline_boost: bool,
    proximity: bool,
    publisher: bool,
}

impl Ranking {
    /// Plain BM25 over headline and body: a word counts the same in either, words need
    /// not stand together, and the publisher's name is not searched.
    pub const fn bm25() -> Ranking {
        Ranking { headline_boost: false, proximity: false, publisher: false }
    }

    /// With `on`, a headline match weighs [`HEADLINE_BOOST`] times a body match.
    pub const fn headline_boost(mut self, on: bool) -> Ranking {
        self.headline_boost = on;
        self
    }

    /// With `on`, a query of 2 to 8 bare words ranks higher the reports where those words
    /// stand within two words of each other, in the body or the headline.
    pub const fn proximity(mut self, on: bool) -> Ranking {
        self.proximity = on;
        self
    }

    /// With `on`, words also match the publisher's name, weighed [`PUBLISHER_BOOST`]: `Rio
    /// Times` then finds what The Rio Times published even where the text never names it
    /// (without it, `publisher:rio` or [`crate::Query::publisher`] does).
    pub const fn publisher(mut self, on: bool) -> Ranking {
        self.publisher = on;
        self
    }

    /// Whether a headline match weighs more than a body match.
    pub const fn has_headline_boost(&self) -> bool {
        self.headline_boost
    }

    /// Whether words standing close together earn a bonus.
    pub const fn has_proximity(&self) -> bool {
        self.proximity
    }

    /// Whether the publisher's name is searched.
    pub const fn has_publisher(&self) -> bool {
        self.publisher
    }

    /// The weight of a headline match relative to a body match.
    pub(crate) fn title_weight(&self) -> f32 {
        if self.headline_boost { HEADLINE_BOOST } else { 1.0 }
    }
}

/// The headline boost and the proximity bonus: each raised nDCG@10 and MAP over plain BM25
/// on the judged Reuters queries, and together most. The publisher's name is searched too,
/// weighed low: a reader who types `Rio Times` means the outlet, and on both judged sets
/// (one publisher each) it changed no ranking, so it costs nothing measured there.
impl Default for Ranking {
    fn default() -> Ranking {
        Ranking::bm25().headline_boost(true).proximity(true).publisher(true)
    }
}
