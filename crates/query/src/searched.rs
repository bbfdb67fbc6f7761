//! Which fields a query's words are looked for in, and with what weight.
//!
//! A report's headline and body are indexed in its language's fields (stemmed and folded
//! for that language) and in the exact fields (lower-cased words). A word is looked for in
//! the language fields the index holds terms in (a field costs a dictionary lookup per
//! segment even when empty, so absent languages are skipped), each analysing the word its
//! own way, and in the exact fields with a low weight: `Köln` finds `Koln` through the
//! folded language fields, and ranks the reports that wrote `Köln` first. Several bare words
//! earn a bonus where they stand close together, in each language's fields. Phrases are
//! matched in the language fields alone ([`crate::phrases`]): the exact fields hold no
//! positions.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use dateline_schema::{Fields, languages, names};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, QueryParser};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, SegmentReader, Term};

use crate::parse::analyze;
use crate::ranking::{PUBLISHER_BOOST, Ranking};

/// How far apart (in words) bare query words may stand to earn the proximity bonus.
const PROXIMITY_SLOP: u32 = 2;
/// Bare words beyond this many do not earn the proximity bonus: the bonus is a sloppy
/// phrase of all of them, and a long list of words is not a phrase anyone means.
const MAX_PROXIMITY_WORDS: usize = 8;
/// Weight of an exact-form match relative to a match of the stemmed, folded word: enough to
/// order reports that match equally otherwise, too little to outweigh another word.
const EXACT_BOOST: f32 = 0.2;

/// The language slots whose fields hold terms, remembered for the commit last asked about:
/// finding them looks into every field of every segment, as much work as a short query.
#[derive(Default)]
pub(crate) struct PresentSlots {
    last: Mutex<Option<(u64, Arc<[usize]>)>>,
}

impl PresentSlots {
    /// The language slots whose fields hold terms in the commit `searcher` sees.
    pub(crate) fn of(&self, searcher: &Searcher, fields: &Fields) -> Arc<[usize]> {
        let generation = searcher.generation().generation_id();
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match &*last {
            Some((seen, slots)) if *seen == generation => Arc::clone(slots),
            _ => {
                let slots: Arc<[usize]> = present_slots(searcher, fields).into();
                *last = Some((generation, Arc::clone(&slots)));
                slots
            }
        }
    }
}

/// What a field's postings hold before its first term: the field's token count, a `u64`
/// (tantivy's `FieldSerializer::create`). A merged segment writes it for every field, those
/// without a term too.
const TOKEN_COUNT_BYTES: u64 = 8;

fn present_slots(searcher: &Searcher, fields: &Fields) -> Vec<usize> {
    let schema = searcher.schema();
    let mut present = [false; languages::SLOTS];
    for segment in searcher.segment_readers() {
        // A segment's field list gives the size of each field's postings from the offsets of
        // its files alone. Asking each field for its terms instead builds an empty dictionary
        // for every field a segment lacks (tantivy does not keep those), for ~20 languages:
        // 7.5% of a short search's whole process at 10× (`perf`, crates/bench/PROFILE.md).
        let Ok(listed) = segment.fields_metadata() else {
            for (slot, found) in present.iter_mut().enumerate() {
                *found = *found || holds_terms(segment, fields, slot);
            }
            continue;
        };
        let with_postings: HashSet<&str> = listed
            .iter()
            .filter(|field| {
                field.postings_size.is_some_and(|size| size.get_bytes() > TOKEN_COUNT_BYTES)
            })
            .map(|field| field.field_name.as_str())
            .collect();
        for (slot, found) in present.iter_mut().enumerate() {
            let analysed = fields.by_language[slot];
            *found = *found
                || [analysed.title, analysed.body]
                    .into_iter()
                    .any(|field| with_postings.contains(schema.get_field_name(field)));
        }
    }
    (0..languages::SLOTS).filter(|&slot| present[slot]).collect()
}

/// Whether `slot`'s fields hold terms in `segment`, asked of the fields themselves.
fn holds_terms(segment: &SegmentReader, fields: &Fields, slot: usize) -> bool {
    let analysed = fields.by_language[slot];
    [analysed.title, analysed.body]
        .into_iter()
        .any(|field| segment.inverted_index(field).is_ok_and(|index| index.terms().num_terms() > 0))
}

/// tantivy's parser over the `present` language fields, the exact fields and, when
/// `ranking` says so, the publisher's name, with the weights `ranking` gives.
pub(crate) fn parser(
    index: &tantivy::Index,
    fields: &Fields,
    present: &[usize],
    ranking: Ranking,
) -> QueryParser {
    let mut defaults = vec![fields.title, fields.body];
    if ranking.has_publisher() {
        defaults.push(fields.publisher);
    }
    for &slot in present {
        defaults.extend([fields.by_language[slot].title, fields.by_language[slot].body]);
    }
    let mut parser = QueryParser::for_index(index, defaults);
    parser.set_conjunction_by_default();
    let title_weight = ranking.title_weight();
    parser.set_field_boost(fields.title, title_weight * EXACT_BOOST);
    parser.set_field_boost(fields.body, EXACT_BOOST);
    // The publisher's name is searched too, weighed low: `Rio Times` finds what The Rio
    // Times published, and a word that is also in an outlet's name ranks by the text.
    parser.set_field_boost(fields.publisher, PUBLISHER_BOOST);
    for &slot in present {
        parser.set_field_boost(fields.by_language[slot].title, title_weight);
    }
    parser.set_field_boost(fields.title_pairs, title_weight);
    // Only for the prefixes Dateline expands itself: a user's `/regex/` is refused first.
    parser.allow_regexes();
    parser
}

/// Rewrites every `title:word` and `body:word` of `ast` to look in that part's language
/// fields as well as its exact field (users name the part, not the analysis).
pub(crate) fn spread(ast: &mut UserInputAst, present: &[usize]) {
    match ast {
        UserInputAst::Clause(clauses) => {
            clauses.iter_mut().for_each(|(_, child)| spread(child, present));
        }
        UserInputAst::Boost(child, _) => spread(child, present),
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(literal) = leaf.as_ref() else { return };
            let by_slot = match literal.field_name.as_deref() {
                Some(names::TITLE) => &names::TITLE_BY_LANGUAGE,
                Some(names::BODY) => &names::BODY_BY_LANGUAGE,
                _ => return,
            };
            let mut clauses = vec![(
                Some(query_grammar::Occur::Should),
                UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal.clone()))),
            )];
            for &slot in present {
                let mut analysed = literal.clone();
                analysed.field_name = Some(by_slot[slot].to_string());
                clauses.push((
                    Some(query_grammar::Occur::Should),
                    UserInputLeaf::Literal(analysed).into(),
                ));
            }
            *ast = UserInputAst::Clause(clauses);
        }
    }
}

/// For a query of two or more bare words, a bonus for reports where they stand close
/// together in the body or the headline, so "precursor chemicals" ranks the phrase first;
/// none when `ranking` leaves it out.
pub(crate) fn proximity_bonus(
    ast: &UserInputAst,
    present: &[usize],
    fields: &Fields,
    exact_analyzer: &TextAnalyzer,
    ranking: Ranking,
) -> Option<Box<dyn tantivy::query::Query>> {
    if !ranking.has_proximity() {
        return None;
    }
    let UserInputAst::Clause(clauses) = ast else { return None };
    let mut words = Vec::new();
    for (occur, child) in clauses {
        let (None | Some(query_grammar::Occur::Must)) = occur else { return None };
        let UserInputAst::Leaf(leaf) = child else { return None };
        let UserInputLeaf::Literal(literal) = leaf.as_ref() else { return None };
        if literal.field_name.is_some() || literal.delimiter != Delimiter::None || literal.prefix {
            return None;
        }
        words.push(literal.phrase.as_str());
    }
    let text = words.join(" ");
    let count = analyze(exact_analyzer, &text).len();
    if !(2..=MAX_PROXIMITY_WORDS).contains(&count) {
        return None;
    }
    // In each language present, the words as its fields hold them. (A bonus for each pair of
    // neighbouring words, from the pairs fields, was tried: no faster at 10×, where the
    // words' intersection costs more than their positions, and it ranked the judged Reuters
    // queries worse.)
    let mut clauses = Vec::new();
    for &slot in present {
        let words = analyze(&languages::analyzer(slot), &text);
        if words.len() < 2 {
            continue;
        }
        let analysed = fields.by_language[slot];
        for (field, boost) in [(analysed.body, 1.0), (analysed.title, ranking.title_weight())] {
            let terms = words.iter().map(|w| Term::from_field_text(field, w)).collect();
            let mut phrase = PhraseQuery::new(terms);
            phrase.set_slop(PROXIMITY_SLOP);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), boost))
                    as Box<dyn tantivy::query::Query>,
            ));
        }
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<_>)
}

#[cfg(test)]
mod tests {
    use dateline_schema::languages::slot;
    use tantivy::{IndexWriter, TantivyDocument};

    use super::*;

    /// Slots found by asking every field of every segment for its terms: the slow, plain way.
    fn asked_of_each_field(searcher: &Searcher, fields: &Fields) -> Vec<usize> {
        (0..languages::SLOTS)
            .filter(|&slot| {
                (searcher.segment_readers().iter())
                    .any(|segment| holds_terms(segment, fields, slot))
            })
            .collect()
    }

    #[test]
    fn present_slots_are_those_whose_fields_hold_terms_in_fresh_and_merged_segments() {
        let (schema, fields) = Fields::build();
        let index = tantivy::Index::create_in_ram(schema);
        languages::register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let add = |writer: &mut IndexWriter, language: &str, title: &str, body: &str| {
            let slot = fields.by_language[slot(Some(language))];
            let mut doc = TantivyDocument::new();
            doc.add_text(slot.title, title);
            doc.add_text(slot.body, body);
            writer.add_document(doc).unwrap();
        };
        let searched = |index: &tantivy::Index| {
            let searcher = index.reader().unwrap().searcher();
            (present_slots(&searcher, &fields), asked_of_each_field(&searcher, &fields))
        };

        // Two fresh segments: German in one, English (a headline alone) in the other.
        add(&mut writer, "de", "Verhandlungen", "Die Gespräche gingen am Montag weiter.");
        writer.commit().unwrap();
        add(&mut writer, "en", "Talks resume", "");
        writer.commit().unwrap();
        let (found, asked) = searched(&index);
        let mut german_and_english = vec![slot(Some("de")), slot(Some("en"))];
        german_and_english.sort();
        assert_eq!(found, german_and_english);
        assert_eq!(found, asked);

        // Merged, the segment lists every field, the empty ones with no postings.
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        add(&mut writer, "fr", "Les pourparlers reprennent", "Lundi, à Pékin.");
        writer.commit().unwrap();
        let (found, asked) = searched(&index);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found, asked);

        // A language whose every report is deleted and merged away is no longer present.
        let french = slot(Some("fr"));
        let mut analyzer = languages::analyzer(french);
        let word = analyzer.token_stream("pourparlers").next().unwrap().text.clone();
        writer.delete_term(Term::from_field_text(fields.by_language[french].title, &word));
        writer.commit().unwrap();
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        let (found, asked) = searched(&index);
        assert_eq!(found, german_and_english);
        assert_eq!(found, asked);
    }
}
