//! The floor: the least code that indexes and searches the same corpus with tantivy, with
//! the same fields, tokenizer, threads and memory budget as Dateline. Run as subcommands of
//! this binary (`floor-index`, `floor-search`) so it is timed as a whole process, like
//! `dateline`.

use std::path::Path;

use anyhow::{Context, Result};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, doc};

use crate::corpus::report_files;

fn schema() -> Schema {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field("title", text.clone());
    builder.add_text_field("body", text);
    builder.add_text_field("path", STORED);
    builder.build()
}

/// Indexes the reports under `corpus` into a new index at `dir`.
pub fn build(corpus: &Path, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let index = tantivy::Index::create_in_dir(dir, schema())?;
    let options = dateline_indexer::Options::default();
    let mut writer = index.writer_with_num_threads(options.threads, options.memory_budget)?;
    let schema = index.schema();
    let (title, body, path) =
        (schema.get_field("title")?, schema.get_field("body")?, schema.get_field("path")?);
    for file in report_files(corpus)? {
        let text = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
        let (head, rest) = text.split_once("\n\n").unwrap_or(("", &text));
        let headline = head.lines().next().unwrap_or("");
        writer.add_document(
            doc!(title => headline, body => rest, path => file.display().to_string()),
        )?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The floor's searcher: AND of the words over title (boosted 2×) and body.
pub struct Searcher {
    reader: tantivy::IndexReader,
    parser: QueryParser,
    body: tantivy::schema::Field,
}

impl Searcher {
    pub fn open(dir: &Path) -> Result<Searcher> {
        let index = tantivy::Index::open_in_dir(dir)?;
        let schema = index.schema();
        let (title, body) = (schema.get_field("title")?, schema.get_field("body")?);
        let mut parser = QueryParser::for_index(&index, vec![title, body]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(title, 2.0);
        Ok(Searcher { reader: index.reader()?, parser, body })
    }

    /// Top 10 and a snippet of each; date ranges (not in the floor's schema) are dropped.
    pub fn search(&self, query: &str) -> Result<usize> {
        let query = self.parser.parse_query(&crate::queries::floor(query))?;
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let snippets = SnippetGenerator::create(&searcher, &*query, self.body)?;
        let mut shown = 0;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            shown += snippets.snippet_from_doc(&doc).fragment().len();
        }
        Ok(shown)
    }
}
