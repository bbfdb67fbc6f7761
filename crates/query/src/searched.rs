//! Which fields a query's words are looked for in, and with what weight.
//!
//! A report's headline and body are indexed in its language's fields (stemmed and folded
//! for that language) and in the exact fields (lower-cased words). A word is looked for in
//! the language fields the index holds terms in (a field costs a dictionary lookup per
//! segment even when empty, so absent languages are skipped), each analysing the word its
//! own way, and in the exact fields with a low weight: `Köln` finds `Koln` through the
//! folded language fields, and ranks the reports that wrote `Köln` first.

use dateline_schema::{Fields, languages, names};
use tantivy::Searcher;
use tantivy::query::QueryParser;
use tantivy::query_grammar::{self, UserInputAst, UserInputLeaf};

/// Weight of a headline match relative to a body match.
pub(crate) const TITLE_BOOST: f32 = 2.0;
/// Weight of a match in the publisher's name relative to a body match.
const PUBLISHER_BOOST: f32 = 0.3;
/// Weight of an exact-form match relative to a match of the stemmed, folded word: enough to
/// order reports that match equally otherwise, too little to outweigh another word.
const EXACT_BOOST: f32 = 0.2;

/// The language slots whose fields hold terms in the commit `searcher` sees.
pub(crate) fn present_slots(searcher: &Searcher, fields: &Fields) -> Vec<usize> {
    (0..languages::SLOTS)
        .filter(|&slot| {
            let analysed = fields.by_language[slot];
            searcher.segment_readers().iter().any(|segment| {
                [analysed.title, analysed.body].into_iter().any(|field| {
                    segment.inverted_index(field).is_ok_and(|index| index.terms().num_terms() > 0)
                })
            })
        })
        .collect()
}

/// tantivy's parser over the `present` language fields, the exact fields and the
/// publisher's name, with their weights.
pub(crate) fn parser(index: &tantivy::Index, fields: &Fields, present: &[usize]) -> QueryParser {
    let mut defaults = vec![fields.title, fields.body, fields.publisher];
    for &slot in present {
        defaults.extend([fields.by_language[slot].title, fields.by_language[slot].body]);
    }
    let mut parser = QueryParser::for_index(index, defaults);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST * EXACT_BOOST);
    parser.set_field_boost(fields.body, EXACT_BOOST);
    // The publisher's name is searched too, weighed low: `Rio Times` finds what The Rio
    // Times published, and a word that is also in an outlet's name ranks by the text.
    parser.set_field_boost(fields.publisher, PUBLISHER_BOOST);
    for &slot in present {
        parser.set_field_boost(fields.by_language[slot].title, TITLE_BOOST);
    }
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
                clauses.push((Some(query_grammar::Occur::Should), UserInputLeaf::Literal(analysed).into()));
            }
            *ast = UserInputAst::Clause(clauses);
        }
    }
}
