//! Where a phrase is looked for: in the language fields, never the exact ones (they hold
//! no positions), and for a phrase of two words neither of which is a stop word, in the
//! pairs fields instead ([`dateline_schema::pairs`]), where it is one term.
//!
//! A phrase query visits every report holding all its words and reads their positions; a
//! term's postings are read only where block-max WAND cannot skip them (crates/bench/PROFILE.md,
//! "phrases of two words"). A pair in a slot is found in exactly the reports where the
//! phrase is, as the slot's language field holds it: the pair is made of the same two terms
//! at neighbouring positions, and whether a term makes pairs depends on the term alone, so
//! every report holding the two side by side holds their pair.

use dateline_schema::{languages, names, pairs};
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::tokenizer::TextAnalyzer;

use crate::parse::analyze;
use crate::ranking::Ranking;

/// Rewrites every literal of several words (a quoted phrase, or a bare word the analyzer
/// splits, as it splits Chinese) to be looked for in the `present` language fields and, when
/// `ranking` searches it, the publisher's name, never in the exact fields: they hold no
/// positions, and the language fields hold the same words in the same order. A phrase of two
/// words is looked up as the one pair it is in each language where it is one
/// ([`as_pair`]), and so are the language-field copies of a `title:` or `body:` phrase that
/// [`crate::searched::spread`] made. Run on each part of a query as it is built, after
/// `spread`, so that the reports matching most of the words still see a phrase as one word.
pub(crate) fn route_phrases(
    ast: &mut UserInputAst,
    present: &[usize],
    exact_analyzer: &TextAnalyzer,
    ranking: Ranking,
) {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter_mut()
            .for_each(|(_, child)| route_phrases(child, present, exact_analyzer, ranking)),
        UserInputAst::Boost(child, _) => route_phrases(child, present, exact_analyzer, ranking),
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(literal) = leaf.as_ref() else { return };
            // A language field `spread` put beside `title:` or `body:`.
            if let Some((slot, part)) = literal.field_name.as_deref().and_then(language_field) {
                if let Some(pair) = as_pair(literal, slot, part) {
                    *ast = pair;
                }
                return;
            }
            if analyze(exact_analyzer, &literal.phrase).len() < 2 {
                return;
            }
            let mut clauses: Vec<UserInputAst> = match literal.field_name.as_deref() {
                None => present
                    .iter()
                    .flat_map(|&slot| [(slot, Part::Title), (slot, Part::Body)])
                    .map(|(slot, part)| {
                        as_pair(literal, slot, part)
                            .unwrap_or_else(|| routed(literal, part.by_language()[slot]))
                    })
                    .collect(),
                // `spread` put the language fields of that part beside it.
                Some(names::TITLE | names::BODY) => Vec::new(),
                Some(_) => return,
            };
            if literal.field_name.is_none() && ranking.has_publisher() {
                clauses.push(routed(literal, names::PUBLISHER));
            }
            let clauses =
                clauses.into_iter().map(|clause| (Some(query_grammar::Occur::Should), clause));
            *ast = UserInputAst::Clause(clauses.collect());
        }
    }
}

/// A headline or a body.
#[derive(Clone, Copy)]
enum Part {
    Title,
    Body,
}

impl Part {
    /// The part's field in each language slot.
    fn by_language(self) -> &'static [&'static str; languages::SLOTS] {
        match self {
            Part::Title => &names::TITLE_BY_LANGUAGE,
            Part::Body => &names::BODY_BY_LANGUAGE,
        }
    }

    /// The part's pairs field.
    fn pairs(self) -> &'static str {
        match self {
            Part::Title => names::TITLE_PAIRS,
            Part::Body => names::BODY_PAIRS,
        }
    }
}

/// The language slot and part of a language field's name.
fn language_field(name: &str) -> Option<(usize, Part)> {
    [Part::Title, Part::Body].into_iter().find_map(|part| {
        part.by_language().iter().position(|field| *field == name).map(|slot| (slot, part))
    })
}

/// `literal` looked for in `field`.
fn routed(literal: &UserInputLiteral, field: &str) -> UserInputAst {
    let mut routed = literal.clone();
    routed.field_name = Some(field.to_string());
    UserInputLeaf::Literal(routed).into()
}

/// A phrase of exactly two words in `slot`, as the one term of the `part`'s pairs field it
/// is: the same reports as the phrase in the language field, found without reading
/// positions. `None` for any other literal: one word or three, a slop, a prefix, a stop
/// word or a word too long to index (no pair spans either).
fn as_pair(literal: &UserInputLiteral, slot: usize, part: Part) -> Option<UserInputAst> {
    if literal.slop != 0 || literal.prefix {
        return None;
    }
    let words = analyze(&languages::analyzer(slot), &literal.phrase);
    if words.len() != 2 || pairs::pairs(slot, &literal.phrase).len() != 1 {
        return None;
    }
    let mut pair = literal.clone();
    pair.field_name = Some(part.pairs().to_string());
    // The pairs field's tokenizer makes the one pair of this input, as it did at index time.
    pair.phrase = pairs::input(slot, &literal.phrase);
    Some(UserInputLeaf::Literal(pair).into())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use dateline_schema::Fields;
    use dateline_schema::languages::slot;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{PhraseQuery, Query, QueryParser, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{IndexWriter, TantivyDocument, Term};

    use super::*;

    /// Bodies in four languages and a script cut into words, with punctuation between
    /// words, repeated words, accents, stop words and words whose term is a stop word's.
    const BODIES: [(&str, &str); 8] = [
        ("en", "Net losses widened. Net loss was 5 mln dlrs; interest rates rose, rates rose."),
        ("en", "Interest rates: the net loss narrowed, and interest interest rates fell."),
        ("en", "The company said it shares the view; talks will be held in Beijing à la mode."),
        ("de", "Die Zinsen steigen. Köln meldet Verluste, die Verluste der Banken steigen."),
        ("de", "Die Uber Fahrer streiken, über Fahrer wird gesprochen."),
        ("fr", "Les taux d'intérêt montent: la perte nette, perte nette encore."),
        ("es", "Piden más dinero y mas dinero para los bancos."),
        ("ja", "東京の株価が下落した。株価が下落"),
    ];

    /// Phrases written otherwise than the bodies write them: another word with the same
    /// term, or a stop word's term reached from a word that is not one.
    const WRITTEN_OTHERWISE: [&str; 7] =
        ["its shares", "being held", "mas dinero", "Uber Fahrer", "a la", "it share", "株価が"];

    #[test]
    fn a_two_word_phrase_as_a_pair_finds_exactly_what_the_phrase_finds() {
        let (schema, fields) = Fields::build();
        let index = tantivy::Index::create_in_ram(schema);
        languages::register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let long = "x".repeat(languages::MAX_WORD_BYTES + 1);
        let mut bodies: Vec<(usize, String)> =
            BODIES.iter().map(|(code, body)| (slot(Some(code)), body.to_string())).collect();
        bodies.push((slot(Some("en")), format!("interest {long} rates, net {long} loss")));
        for (slot, body) in &bodies {
            let mut doc = TantivyDocument::new();
            doc.add_text(fields.by_language[*slot].body, body);
            doc.add_text(fields.body_pairs, pairs::input(*slot, body));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![]);
        let found = |query: &dyn Query| -> BTreeSet<_> {
            searcher.search(query, &DocSetCollector).unwrap().into_iter().collect()
        };

        // Every two neighbouring words written in any body, looked for in every slot.
        let exact = languages::exact_analyzer();
        let mut phrases = BTreeSet::from(WRITTEN_OTHERWISE.map(str::to_string));
        for (_, body) in &bodies {
            let words = analyze(&exact, body);
            phrases.extend(words.windows(2).map(|pair| pair.join(" ")));
        }
        let slots = BTreeSet::from_iter(bodies.iter().map(|(slot, _)| *slot));
        let mut compared = 0;
        for phrase in &phrases {
            let literal = quoted(phrase, 0, false);
            for &slot in &slots {
                let field = fields.by_language[slot].body;
                let terms: Vec<Term> = analyze(&languages::analyzer(slot), phrase)
                    .iter()
                    .map(|word| Term::from_field_text(field, word))
                    .collect();
                let positional: Box<dyn Query> = match terms.len() {
                    1 => Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
                    _ => Box::new(PhraseQuery::new(terms)),
                };
                let Some(pair) = as_pair(&literal, slot, Part::Body) else { continue };
                let pair = parser.build_query_from_user_input_ast(pair).unwrap();
                assert_eq!(found(&*pair), found(&*positional), "{phrase:?} in slot {slot}");
                compared += 1;
            }
        }
        assert!(compared > 40, "{compared} phrases compared");
        // And the pairs are what make it: one that the bodies hold is found.
        let en = slot(Some("en"));
        let pair = as_pair(&quoted("net loss", 0, false), en, Part::Body).unwrap();
        assert_eq!(found(&*parser.build_query_from_user_input_ast(pair).unwrap()).len(), 2);
    }

    #[test]
    fn only_a_plain_phrase_of_two_words_becomes_a_pair() {
        let en = slot(Some("en"));
        assert!(as_pair(&quoted("net loss", 0, false), en, Part::Title).is_some());
        assert!(as_pair(&quoted("net loss", 1, false), en, Part::Title).is_none());
        assert!(as_pair(&quoted("net los", 0, true), en, Part::Title).is_none());
        assert!(as_pair(&quoted("net loss widened", 0, false), en, Part::Title).is_none());
        assert!(as_pair(&quoted("loss", 0, false), en, Part::Title).is_none());
        // A stop word's term ("its" is "it") makes no pairs: the phrase keeps its positions.
        assert!(as_pair(&quoted("its shares", 0, false), en, Part::Title).is_none());
    }

    /// `"phrase"`, as the query grammar reads it, with `slop` and `prefix`.
    fn quoted(phrase: &str, slop: u32, prefix: bool) -> UserInputLiteral {
        UserInputLiteral {
            field_name: None,
            phrase: phrase.into(),
            delimiter: query_grammar::Delimiter::DoubleQuotes,
            slop,
            prefix,
        }
    }
}
