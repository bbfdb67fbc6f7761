//! The stories of one run: their centroids, and which stories each strong term points to.

use crate::keyed::KeyMap;
use crate::{Centroid, Features, Params, Similarity};

/// How many of a report's strongest words and names point to its story, and are looked up
/// to find a new report's candidate stories.
const POSTED: usize = 10;
/// The most stories a term points to (the latest), and the most candidates scored.
const PER_TERM: usize = 64;
const CANDIDATES: usize = 24;

/// Where a report was placed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    /// Its story's id.
    pub story: u64,
    /// Whether it joined an existing story (else it started `story`).
    pub joined: bool,
}

/// The stories a run knows: those it started or joined, and those its caller loaded.
///
/// Memory is bounded by `capacity` stories: past it, the half least recently touched are
/// forgotten (a report that would have joined one of them starts a story, or finds it again
/// through the caller's index).
#[derive(Debug)]
pub struct Stories {
    params: Params,
    capacity: usize,
    clock: u64,
    stories: KeyMap<(Centroid, u64)>,
    postings: KeyMap<Vec<u64>>,
}

impl Stories {
    /// No stories yet, at most `capacity` kept.
    pub fn new(params: Params, capacity: usize) -> Stories {
        Stories {
            params,
            capacity: capacity.max(2),
            clock: 0,
            stories: KeyMap::default(),
            postings: KeyMap::default(),
        }
    }

    /// Whether `story` is known.
    pub fn contains(&self, story: u64) -> bool {
        self.stories.contains_key(&story)
    }

    /// Whether `story` is known and a report on `day` is within its window: what a copy of
    /// one of its reports needs to join it without being scored.
    pub fn may_join(&self, story: u64, day: Option<i32>) -> bool {
        self.stories
            .get(&story)
            .is_some_and(|(centroid, _)| self.params.in_window(day, centroid.span()))
    }

    /// Makes `story` known with `centroid` (as the caller's index holds it).
    pub fn insert(&mut self, story: u64, centroid: Centroid) {
        self.clock += 1;
        self.stories.insert(story, (centroid, self.clock));
        self.forget_if_full();
    }

    /// Places a report: it joins the best of the known stories that share strong terms with
    /// it or are among `also` (candidates the caller found), if the model scores it above 0;
    /// otherwise it starts the story `new_id`.
    pub fn place(
        &mut self,
        features: &Features,
        day: Option<i32>,
        new_id: u64,
        also: &[u64],
    ) -> Placement {
        let mut best: Option<(u64, f32)> = None;
        for (story, similarity) in self.similarities(features, day, also) {
            let score = self.params.score(&similarity);
            // Ties go to the older id order, so placement never depends on a hash map's.
            if best.is_none_or(|(id, s)| score > s || (score == s && story < id)) {
                best = Some((story, score));
            }
        }
        let (story, joined) = match best {
            Some((story, score)) if score > 0.0 => (story, true),
            _ => (new_id, false),
        };
        self.join(story, features, day);
        Placement { story, joined }
    }

    /// The known stories a report could join (those sharing most strong terms with it, then
    /// `also`), each with how alike it and the report are; stories outside the report's
    /// window are left out.
    pub fn similarities(
        &self,
        features: &Features,
        day: Option<i32>,
        also: &[u64],
    ) -> Vec<(u64, Similarity)> {
        self.candidates(features, also)
            .into_iter()
            .filter_map(|story| {
                let (centroid, _) = self.stories.get(&story)?;
                self.params
                    .in_window(day, centroid.span())
                    .then(|| (story, self.params.similarity(centroid, features, day)))
            })
            .collect()
    }

    /// Adds a report to `story`, starting it if it is not known: what [`Stories::place`]
    /// does once it has chosen, and what a replay of labelled reports does in its place.
    pub fn join(&mut self, story: u64, features: &Features, day: Option<i32>) {
        self.clock += 1;
        let clock = self.clock;
        let entry = self.stories.entry(story).or_insert_with(|| (Centroid::new(), clock));
        entry.0.add(features, day);
        entry.1 = clock;
        self.post(features, story);
        self.forget_if_full();
    }

    /// The known stories sharing most strong terms with the report, then `also`.
    fn candidates(&self, features: &Features, also: &[u64]) -> Vec<u64> {
        let lists: Vec<&Vec<u64>> =
            strong(features).filter_map(|key| self.postings.get(&key)).collect();
        // Sized once: growing it was a tenth of placing a report among many stories.
        let mut shared: KeyMap<u32> = KeyMap::default();
        shared.reserve(lists.iter().map(|list| list.len()).sum());
        for &story in lists.into_iter().flatten() {
            *shared.entry(story).or_default() += 1;
        }
        let mut ranked: Vec<(u64, u32)> = shared.into_iter().collect();
        // Most shared first, ties by id: a total order, so choosing the first CANDIDATES
        // before sorting them gives what sorting all of them would.
        let order = |a: &(u64, u32), b: &(u64, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > CANDIDATES {
            ranked.select_nth_unstable_by(CANDIDATES, order);
            ranked.truncate(CANDIDATES);
        }
        ranked.sort_unstable_by(order);
        let mut candidates: Vec<u64> = ranked.into_iter().map(|(story, _)| story).collect();
        for &story in also {
            if !candidates.contains(&story) {
                candidates.push(story);
            }
        }
        candidates
    }

    fn post(&mut self, features: &Features, story: u64) {
        for key in strong(features) {
            let stories = self.postings.entry(key).or_default();
            stories.retain(|&s| s != story);
            stories.push(story);
            if stories.len() > PER_TERM {
                stories.remove(0);
            }
        }
    }

    fn forget_if_full(&mut self) {
        if self.stories.len() <= self.capacity {
            return;
        }
        let mut touched: Vec<u64> = self.stories.values().map(|s| s.1).collect();
        touched.sort_unstable();
        let cut = touched[touched.len() / 2];
        self.stories.retain(|_, s| s.1 > cut);
        let stories = &self.stories;
        self.postings.retain(|_, list| {
            list.retain(|s| stories.contains_key(s));
            !list.is_empty()
        });
    }
}

fn strong(features: &Features) -> impl Iterator<Item = u64> + '_ {
    let words = features.words.iter().take(POSTED).map(|w| w.0);
    let names = features.names.iter().take(POSTED).map(|n| n.0 ^ NAME_SALT);
    words.chain(names)
}

/// Keeps a name's postings apart from a word's of the same text.
const NAME_SALT: u64 = 0x9e37_79b9_7f4a_7c15;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Weigher, terms::terms};

    #[test]
    fn reports_of_one_event_join_and_another_event_starts_a_story() {
        let mut weigher = Weigher::new();
        let mut stories = Stories::new(Params::default(), 100);
        let mut place = |id, text: &str, day| {
            let features = weigher.weigh(&terms("", text), 0, |_| 0);
            stories.place(&features, Some(day), id, &[])
        };
        let quake = "Ecuador suspended crude oil exports after an earthquake damaged the pipeline \
                     of Petroecuador, Energy Minister Javier Espinosa said.";
        let quake2 = "The earthquake in Ecuador cut the oil pipeline; crude exports will stay \
                      suspended for months, Energy Minister Javier Espinosa said.";
        let chips = "Japan denied breaking its semiconductor pact with the United States as \
                     MITI urged chipmakers to cut output.";
        assert_eq!(place(1, quake, 100), Placement { story: 1, joined: false });
        assert_eq!(place(2, quake2, 101), Placement { story: 1, joined: true });
        assert_eq!(place(3, chips, 101), Placement { story: 3, joined: false });
        // The same text months later is another event.
        assert_eq!(place(4, quake2, 200).story, 4);
    }

    /// What a replay of labelled reports uses: the stories a report could join, each with
    /// its similarity, and joining one by hand.
    #[test]
    fn similarities_list_the_stories_within_the_window_and_join_adds_to_one() {
        let mut weigher = Weigher::new();
        let mut weigh = |text: &str| weigher.weigh(&terms("", text), 0, |_| 0);
        let quake = weigh(
            "Ecuador suspended crude oil exports after an earthquake damaged the pipeline \
             of Petroecuador, Energy Minister Javier Espinosa said.",
        );
        let quake2 = weigh(
            "The earthquake in Ecuador cut the oil pipeline; crude exports will stay \
             suspended for months, Energy Minister Javier Espinosa said.",
        );
        let mut stories = Stories::new(Params::default(), 100);
        assert!(stories.similarities(&quake2, Some(101), &[]).is_empty());
        stories.join(7, &quake, Some(100));
        let found = stories.similarities(&quake2, Some(101), &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 7);
        // A day after the story's only day: shared names, a decay just below 1.
        let similarity = found[0].1;
        assert!(similarity.cosines.names > 0.3, "{similarity:?}");
        assert!(similarity.near > 0.9 && similarity.near < 1.0, "{similarity:?}");
        assert!(Params::default().score(&found[0].1) > 0.0);
        // Months later the story is outside the window: not a candidate at all.
        assert!(stories.similarities(&quake2, Some(200), &[]).is_empty());
        stories.join(7, &quake2, Some(101));
        assert_eq!(stories.stories[&7].0.members(), 2);
    }

    /// Burlington's court fight over Samjens's bid (Reuters-21578, June 1987): a judge heard
    /// it on June 2, another was to rule on it on June 19. A takeover fight lulls for
    /// over two weeks and resumes; the window (18 days) keeps it one story, a month is
    /// another.
    #[test]
    fn a_story_resumed_after_a_lull_of_over_two_weeks_is_joined() {
        let mut weigher = Weigher::new();
        let mut weigh = |title: &str, body: &str| weigher.weigh(&terms(title, body), 0, |_| 0);
        let hearing = weigh(
            "JUDGE TO DECIDE BURLINGTON <BUR> IN SEVERAL DAYS",
            "U.S. District Court Judge Eugene A. Gordon said he will decide \"in the next few \
             days\" whether to grant Burlington Industries Inc's request to stop a takeover by \
             Samjens Acquisition Corp. Burlington requested the injunction to stop a takeover \
             effort by Samjens, claiming the partnership used illegally obtained confidential \
             information about the company to make its offer. It also alleges there would be \
             anti-trust violations if Samjens, formed by Asher Edelman and Dominion Textiles \
             Inc of Canada, were to succeed.",
        );
        let ruling = weigh(
            "JUDGE TO RULE MONDAY ON BURLINGTON <BUR> CASE",
            "Manhattan Federal Court Judge Shirley Wohl Kram said she would rule Monday on \
             whether to grant a request to block a 78 dlr per share merger agreement between \
             Burlington Industries Inc and Morgan Stanely Group Inc <MS>. The request to bar \
             the merger was made by Samjens Acquisition Corp, a partnership formed by \
             financier Asher B. Edelman and Dominion Textiles Inc. Samjens has made a hostile \
             77 dlr per share takeover bid for Burlington.",
        );
        let params = Params::default();
        assert!(params.window_days > 17 && params.window_days < 30, "{params:?}");
        let mut stories = Stories::new(params, 100);
        stories.join(1, &hearing, Some(100));
        assert_eq!(stories.place(&ruling, Some(117), 2, &[]), Placement { story: 1, joined: true });
        let mut stories = Stories::new(params, 100);
        stories.join(1, &hearing, Some(100));
        assert_eq!(stories.place(&ruling, Some(130), 2, &[]).story, 2);
    }

    /// Two earnings tables of March 16, 1987 (Reuters-21578: reut-05556, reut-05494), weighed
    /// with the corpus's document frequencies (20,841 reports; a word not listed is in none):
    /// their bodies are one template, their headlines name two companies. GenCorp's own
    /// account of the quarter (reut-05647) names it in its body.
    #[test]
    fn earnings_tables_of_two_companies_never_share_a_story_and_one_company_s_may() {
        let df = |word: &str| match word {
            "cts" => 3612,
            "feb" => 381,
            "gencorp" => 62,
            "mln" => 8587,
            "mths" => 735,
            "net" => 3347,
            "nine" => 1285,
            "products" => 1088,
            "qtr" => 2275,
            "revs" => 1432,
            "sales" => 2066,
            "shr" => 2528,
            "tab" => 9,
            _ => 0,
        };
        let mut weigher = Weigher::new();
        let mut weigh = |title: &str, body: &str| weigher.weigh(&terms(title, body), 20_841, df);
        let gencorp = weigh(
            "GENCORP <GY> 1ST QTR FEB 28 NET",
            "Shr 77 cts vs 84 cts\n    Net 17 mln vs 19 mln\n    Sales 650 mln vs 614 mln\n Reuter",
        );
        let tab = weigh(
            "TAB PRODUCTS CO <TBP> 3RD QTR FEB 28 NET",
            "Shr 27 cts vs 22 cts\n    Net 1,866,000 vs 1,476,000\n    Revs 33.0 mln vs 30.3 \
             mln\n    Nine Mths\n    Shr 71 cts vs 57 cts\n    Net 4,828,000 vs 3,857,000\n    \
             Revs 92.0 mln vs 89.0 mln\n Reuter",
        );
        let account = weigh(
            "GENCORP <GY> 1ST QTR OPERATING EARNINGS ROSE",
            "GenCorp said its first quarter earnings from operations rose four pct as sales \
             increased six pct to 650 mln dlrs from 614 mln a year earlier. GenCorp said lower \
             operating profits for the tire and plastics and industrial products segments were \
             essentially offset by higher wallcovering results.",
        );
        assert!(!gencorp.subject.is_empty() && !tab.subject.is_empty());
        assert!(account.subject.is_empty(), "its body names what it is about");

        let params = Params::default();
        let mut stories = Stories::new(params, 100);
        stories.join(1, &gencorp, Some(100));
        let found = stories.similarities(&tab, Some(100), &[]);
        let (_, tables) = found.iter().find(|(story, _)| *story == 1).copied().unwrap();
        assert_eq!(tables.apart, 1.0);
        // The boilerplate alone would join them: the veto is what keeps them apart.
        let mut without = params;
        without.weights[6] = 0.0;
        assert!(without.score(&tables) > 0.0, "{tables:?}");
        assert_eq!(stories.place(&tab, Some(100), 2, &[]), Placement { story: 2, joined: false });

        // A table of the company a story is about is not vetoed there.
        let mut stories = Stories::new(params, 100);
        stories.join(3, &account, Some(100));
        let found = stories.similarities(&gencorp, Some(100), &[]);
        assert_eq!(found.iter().find(|(story, _)| *story == 3).map(|s| s.1.apart), Some(0.0));
    }

    #[test]
    fn past_capacity_the_least_recently_touched_stories_are_forgotten() {
        let mut stories = Stories::new(Params::default(), 4);
        for id in 0..5 {
            stories.insert(id, Centroid::new());
        }
        assert!(stories.stories.len() <= 4);
        assert!(stories.contains(4) && !stories.contains(0));
    }
}
