//! Query text → a tantivy query, plus what to highlight.
//!
//! The grammar is tantivy's (words, `"phrases"`, `-word`, `OR`, `field:word`, ranges),
//! parsed into its AST so that Dateline can add to it before tantivy builds the query:
//! - field names are checked against the ones users may scope to, with a useful message;
//! - `date:2024-01-31` and `date:[2024-01-01 TO 2024-01-31]` take plain calendar days
//!   (tantivy wants RFC 3339 timestamps), and an upper bound includes its whole day;
//! - a query that only excludes (`-China`) matches every report without those words;
//! - for several bare words, reports where they stand close together rank higher;
//! - words are looked for in the fields of every language the index holds
//!   ([`crate::searched`]), each field analysing them as it analysed its reports.

use dateline_schema::{Fields, date, languages, names};
use jiff::civil::Date;
use tantivy::DateTime;
use tantivy::Searcher;
use tantivy::query::{BooleanQuery, Occur, QueryParserError};
use tantivy::query_grammar::{self, UserInputAst, UserInputBound, UserInputLeaf};
use tantivy::tokenizer::TextAnalyzer;

use crate::highlight::Unit;
use crate::plan::Plan;
use crate::prefix::{self, prefix_of};
use crate::ranking::Ranking;
use crate::searched;
use crate::stop_words::is_stop_word;

/// Fields a query may scope words to, as `field:word`.
pub const SCOPABLE_FIELDS: [&str; 6] =
    [names::TITLE, names::BODY, names::PUBLISHER, names::DATELINE, names::AUTHOR, names::DATE];

/// Queries longer than this are refused: no reader types them, and they cost time.
pub(crate) const MAX_QUERY_BYTES: usize = 8 * 1024;
/// Deeper nesting of parentheses is refused: the grammar recurses once per level.
const MAX_NESTING: i64 = 32;
/// Most words a phrase may hold. Matching a phrase costs in proportion to its words'
/// positions; news phrases are a few words long.
pub const MAX_PHRASE_WORDS: usize = 32;
/// Widest slop a phrase may ask for (`"a b"~N`). tantivy's sloppy matching carries every
/// partial match within the slop from word to word: with repeated words its work grows
/// exponentially with both (twelve `the` with slop 100 took 2.3 GB on five reports), while
/// slop 20 keeps the worst phrase measured under a few seconds on 200,000 reports.
pub const MAX_SLOP: u32 = 20;

pub(crate) struct Parser {
    index: tantivy::Index,
    fields: Fields,
    exact_analyzer: TextAnalyzer,
    name_analyzer: TextAnalyzer,
    present: searched::PresentSlots,
}

impl Parser {
    /// A parser for `index`, on which [`languages::register`] has been called.
    pub fn new(index: &tantivy::Index, fields: Fields) -> Parser {
        let name_analyzer = index
            .tokenizers()
            .get(dateline_schema::NAME_TOKENIZER)
            .expect("tantivy's built-in tokenizers exist");
        Parser {
            index: index.clone(),
            fields,
            exact_analyzer: languages::exact_analyzer(),
            name_analyzer,
            present: searched::PresentSlots::default(),
        }
    }

    /// The analyzer of the exact fields (`title`, `body`): the words as written, lower-cased.
    pub fn exact_analyzer(&self) -> TextAnalyzer {
        self.exact_analyzer.clone()
    }

    pub fn name_analyzer(&self) -> TextAnalyzer {
        self.name_analyzer.clone()
    }

    /// The tantivy query for `text` (trimmed, non-empty, within [`MAX_QUERY_BYTES`]), or why
    /// it is malformed.
    pub fn parse_text(
        &self,
        text: &str,
        ranking: Ranking,
        searcher: &Searcher,
    ) -> Result<Plan, String> {
        // Quotes pasted from a document or typed on another keyboard are quotes too.
        let text = &text.replace(['“', '”', '„', '«', '»', '「', '」'], "\"");
        check_balanced(text)?;
        let (mut ast, errors) = query_grammar::parse_query_lenient(text);
        if let Some(error) = errors.first() {
            return Err(describe_syntax_error(text, error.pos, &error.message));
        }
        let mut units = Units::default();
        self.rewrite(&mut ast, true, &mut units, searcher)?;
        let present = self.present.of(searcher, &self.fields);
        searched::spread(&mut ast, &present);
        if !has_positive_clause(&ast) {
            // `-China`: every report, less those that mention China.
            ast = match ast {
                UserInputAst::Clause(mut clauses) => {
                    clauses.push((Some(query_grammar::Occur::Must), UserInputLeaf::All.into()));
                    UserInputAst::Clause(clauses)
                }
                other => other,
            };
        }
        let proximity =
            searched::proximity_bonus(&ast, &present, &self.fields, &self.exact_analyzer, ranking);
        let parser = searched::parser(&self.index, &self.fields, &present, ranking);
        let build = |mut ast| {
            crate::phrases::route_phrases(&mut ast, &present, &self.exact_analyzer, ranking);
            parser.build_query_from_user_input_ast(ast).map_err(|err| match err {
                QueryParserError::FieldDoesNotExist(field) => unknown_field(&field),
                other => other.to_string(),
            })
        };
        let relaxed = crate::tiers::relaxed(&ast, build)?;
        let user_query = build(ast)?;
        let query: Box<dyn tantivy::query::Query> = match proximity {
            Some(bonus) => {
                Box::new(BooleanQuery::new(vec![(Occur::Must, user_query), (Occur::Should, bonus)]))
            }
            None => user_query,
        };
        let (title_units, body_units) = (meaningful(units.title), meaningful(units.body));
        Ok(Plan { query, title_units, body_units, relaxed })
    }

    /// Checks fields, turns calendar days into timestamps, and collects what to highlight.
    fn rewrite(
        &self,
        ast: &mut UserInputAst,
        positive: bool,
        units: &mut Units,
        searcher: &Searcher,
    ) -> Result<(), String> {
        match ast {
            UserInputAst::Clause(clauses) => {
                for (occur, child) in clauses {
                    let negated = *occur == Some(query_grammar::Occur::MustNot);
                    self.rewrite(child, positive && !negated, units, searcher)?;
                }
            }
            UserInputAst::Boost(child, _) => self.rewrite(child, positive, units, searcher)?,
            UserInputAst::Leaf(leaf) => {
                self.rewrite_leaf(leaf, positive, units)?;
                if let Some(expanded) =
                    prefix::expand(leaf, searcher, &self.fields, &self.name_analyzer)?
                {
                    *ast = expanded;
                }
            }
        }
        Ok(())
    }

    fn rewrite_leaf(
        &self,
        leaf: &mut UserInputLeaf,
        positive: bool,
        units: &mut Units,
    ) -> Result<(), String> {
        let field = leaf_field(leaf).map(str::to_owned);
        let field = field.as_deref();
        if let Some(field) = field
            && !SCOPABLE_FIELDS.contains(&field)
        {
            return Err(unknown_field(field));
        }
        match leaf {
            UserInputLeaf::Literal(literal) if field == Some(names::DATE) => {
                let day = parse_day(&literal.phrase)?;
                let next = next_day(day)?;
                *leaf = UserInputLeaf::Range {
                    field: Some(names::DATE.into()),
                    lower: UserInputBound::Inclusive(rfc3339(day)),
                    upper: UserInputBound::Exclusive(rfc3339(next)),
                };
            }
            UserInputLeaf::Literal(literal) => {
                let words = analyze(&self.exact_analyzer, &literal.phrase);
                check_cost(&words, literal.slop)?;
                if !positive || !matches!(field, None | Some(names::TITLE) | Some(names::BODY)) {
                    return Ok(());
                }
                // The words as written: each hit's language analyses them (highlight.rs).
                let stem = prefix_of(literal);
                let written = stem.map(|stem| analyze(&self.name_analyzer, stem));
                let found = match (words.len(), written.as_deref(), stem) {
                    (0, _, _) => return Ok(()),
                    // As `expand_prefix` searches it: the written prefix, and the whole word.
                    (1, Some([prefix]), Some(stem)) => {
                        vec![Unit::Prefix(prefix.clone()), Unit::Words(stem.to_string())]
                    }
                    (1, _, _) if literal.prefix => vec![Unit::Prefix(words[0].clone())],
                    _ => vec![Unit::Words(literal.phrase.clone())],
                };
                if field != Some(names::BODY) {
                    units.title.extend(found.iter().cloned());
                }
                if field != Some(names::TITLE) {
                    units.body.extend(found);
                }
            }
            UserInputLeaf::Range { field, lower, upper } => {
                if field.as_deref() != Some(names::DATE) {
                    return Err(
                        "ranges work on dates only: write `date:[2024-01-01 TO 2024-01-31]`".into(),
                    );
                }
                *lower = match lower {
                    UserInputBound::Unbounded => UserInputBound::Unbounded,
                    UserInputBound::Inclusive(day) => {
                        UserInputBound::Inclusive(rfc3339(parse_day(day)?))
                    }
                    UserInputBound::Exclusive(day) => {
                        UserInputBound::Inclusive(rfc3339(next_day(parse_day(day)?)?))
                    }
                };
                // A day as upper bound means the whole of that day.
                *upper = match upper {
                    UserInputBound::Unbounded => UserInputBound::Unbounded,
                    UserInputBound::Inclusive(day) => {
                        UserInputBound::Exclusive(rfc3339(next_day(parse_day(day)?)?))
                    }
                    UserInputBound::Exclusive(day) => {
                        UserInputBound::Exclusive(rfc3339(parse_day(day)?))
                    }
                };
            }
            UserInputLeaf::Regex { .. } => {
                return Err(
                    "regular expressions are not supported; use `word*` for a prefix".into()
                );
            }
            UserInputLeaf::Exists { field } => {
                return Err(format!(
                    "`{field}:*` is not supported; search for words in the field instead"
                ));
            }
            UserInputLeaf::All | UserInputLeaf::Set { .. } => {}
        }
        Ok(())
    }
}

/// `units` without lone stop words, unless nothing else is left: in `Brexit bill House of
/// Lords`, "of" marked all over a passage hides the words that matter.
fn meaningful(units: Vec<Unit>) -> Vec<Unit> {
    let stop =
        |unit: &Unit| matches!(unit, Unit::Words(word) if is_stop_word(&word.to_lowercase()));
    if units.iter().all(stop) {
        return units;
    }
    units.into_iter().filter(|unit| !stop(unit)).collect()
}

#[derive(Default)]
struct Units {
    title: Vec<Unit>,
    body: Vec<Unit>,
}

fn leaf_field(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(literal) => literal.field_name.as_deref(),
        UserInputLeaf::Range { field, .. }
        | UserInputLeaf::Set { field, .. }
        | UserInputLeaf::Regex { field, .. } => field.as_deref(),
        UserInputLeaf::Exists { field } => Some(field),
        UserInputLeaf::All => None,
    }
}

fn has_positive_clause(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(occur, child)| {
            *occur != Some(query_grammar::Occur::MustNot) && has_positive_clause(child)
        }),
        UserInputAst::Boost(child, _) => has_positive_clause(child),
        UserInputAst::Leaf(_) => true,
    }
}

pub(crate) fn analyze(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words
}

/// Refuses, before it runs, a phrase that would cost more than any reader means to spend.
fn check_cost(words: &[String], slop: u32) -> Result<(), String> {
    if words.len() > MAX_PHRASE_WORDS {
        return Err(format!(
            "a phrase of {} words is more than the limit of {MAX_PHRASE_WORDS}; quote a shorter part of it",
            words.len()
        ));
    }
    if words.len() > 1 && slop > MAX_SLOP {
        return Err(format!(
            "a phrase slop of ~{slop} is more than the limit of ~{MAX_SLOP}; for words anywhere in a report, leave out the quotes"
        ));
    }
    Ok(())
}

fn unknown_field(field: &str) -> String {
    format!(
        "unknown field `{field}:`; fields are {}. To search for text with a colon, quote it",
        SCOPABLE_FIELDS.join(", ")
    )
}

fn parse_day(text: &str) -> Result<Date, String> {
    let text = text.trim_matches(['"', '\'']);
    let day = text.parse::<Date>().map_err(|_| {
        format!("`{text}` is not a date; write dates as YYYY-MM-DD, e.g. 2024-01-31")
    })?;
    check_day(day)
}

/// `day`, if reports can carry it; no stored date lies outside the range, so a bound
/// beyond it could only be answered approximately.
pub(crate) fn check_day(day: Date) -> Result<Date, String> {
    match date::in_range(day) {
        true => Ok(day),
        false => Err(date::out_of_range(day)),
    }
}

fn next_day(day: Date) -> Result<Date, String> {
    day.tomorrow().map_err(|_| format!("{day} is the last representable day"))
}

fn rfc3339(day: Date) -> String {
    format!("{day}T00:00:00Z")
}

pub(crate) fn to_tantivy(day: Date) -> Result<DateTime, String> {
    date::to_tantivy(day).ok_or_else(|| date::out_of_range(day))
}

/// Catches what the lenient grammar would silently repair, so the user learns of it.
fn check_balanced(text: &str) -> Result<(), String> {
    if text.chars().filter(|&c| c == '"').count() % 2 == 1 {
        return Err("unbalanced double quote; close the phrase with `\"`".into());
    }
    let mut depth = 0i64;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Err("`)` without a matching `(`".into());
        }
        if depth > MAX_NESTING {
            return Err(format!("parentheses nested more than {MAX_NESTING} deep"));
        }
    }
    if depth > 0 {
        return Err("`(` without a matching `)`".into());
    }
    Ok(())
}

fn describe_syntax_error(text: &str, pos: usize, message: &str) -> String {
    let near: String = text.get(pos..).unwrap_or("").chars().take(20).collect();
    let hint = match message {
        "parsed possible invalid field as term" => {
            "a word ending in `:` looks like a field name; quote it to search for it".to_string()
        }
        "parsed keyword NOT as term. It should be quoted" => {
            "`NOT` needs a word after it; to exclude a word write `-word`".to_string()
        }
        "Found unexpected boolean operator before term" => {
            "`AND`/`OR` must stand between two words".to_string()
        }
        "missing ]" => "a range needs a closing `]`: `date:[2024-01-01 TO 2024-01-31]`".to_string(),
        other => other.to_string(),
    };
    if near.is_empty() { hint } else { format!("{hint} (near `{near}`)") }
}
