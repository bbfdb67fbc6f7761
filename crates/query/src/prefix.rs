//! `word*`: a prefix, expanded over the index's own vocabulary.

use dateline_schema::{Fields, names};
use tantivy::Searcher;
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::tokenizer::TextAnalyzer;

use crate::parse::analyze;

/// Most different indexed words a `prefix*` may stand for: beyond, the prefix says too
/// little to search by (`a*`), and its query would cost in proportion.
pub const MAX_PREFIX_WORDS: usize = 1_000;

/// `word*` on headline or body: every word of the exact fields' vocabulary (the words as
/// written, lower-cased) that starts with it (`fent*` finds "fentanyl", `Afghan*`
/// "Afghanistan"), and the word itself as a whole word, analysed as any word is
/// (`running*` finds "running", `Koln*` finds "Köln"). A prefix that
/// stands for more than [`MAX_PREFIX_WORDS`] words is refused. Prefixes inside a phrase
/// (`"fentanyl tal"*`) are left to tantivy.
pub(crate) fn expand(
    leaf: &UserInputLeaf,
    searcher: &Searcher,
    fields: &Fields,
    name_analyzer: &TextAnalyzer,
) -> Result<Option<UserInputAst>, String> {
    let UserInputLeaf::Literal(literal) = leaf else { return Ok(None) };
    let searched: &[&str] = match literal.field_name.as_deref() {
        None => &[names::TITLE, names::BODY],
        Some(names::TITLE) => &[names::TITLE],
        Some(names::BODY) => &[names::BODY],
        Some(_) => return Ok(None),
    };
    let Some(stem) = prefix_of(literal) else { return Ok(None) };
    let written = analyze(name_analyzer, stem);
    let [prefix] = written.as_slice() else { return Ok(None) };
    let mut words = std::collections::BTreeSet::new();
    for &name in searched {
        let field = if name == names::TITLE { fields.title } else { fields.body };
        // The exact fields hold every report's words as written, whatever its language.
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(field).map_err(|err| err.to_string())?;
            let mut stream = index
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|err| err.to_string())?;
            while stream.advance() && stream.key().starts_with(prefix.as_bytes()) {
                words.insert(stream.key().to_vec());
                if words.len() > MAX_PREFIX_WORDS {
                    return Err(format!(
                        "`{prefix}*` stands for more than {MAX_PREFIX_WORDS} different words; give more letters"
                    ));
                }
            }
        }
    }
    let pattern = format!("{}.*", escape_regex(prefix));
    let mut clauses = Vec::new();
    for &name in searched {
        let regex = UserInputLeaf::Regex { field: Some(name.into()), pattern: pattern.clone() };
        clauses.push((Some(query_grammar::Occur::Should), regex.into()));
    }
    // Searched where any word is: in the language fields too (`searched::spread`).
    let mut whole = literal.clone();
    whole.phrase = stem.to_string();
    whole.prefix = false;
    clauses.push((Some(query_grammar::Occur::Should), UserInputLeaf::Literal(whole).into()));
    Ok(Some(UserInputAst::Clause(clauses)))
}

/// The prefix a literal asks for: `fent*` (tantivy's grammar keeps the `*` in the word) or
/// a quoted `"fent"*`; `None` for anything else, a lone `*` included.
pub(crate) fn prefix_of(literal: &query_grammar::UserInputLiteral) -> Option<&str> {
    let stem = match literal.delimiter {
        Delimiter::None => literal.phrase.strip_suffix('*')?,
        _ if literal.prefix => literal.phrase.as_str(),
        _ => return None,
    };
    (!stem.is_empty() && !stem.contains('*')).then_some(stem)
}

/// `text` with every character that means something in a regular expression escaped.
fn escape_regex(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if !c.is_alphanumeric() {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
