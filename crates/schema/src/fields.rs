//! The tantivy schema of a Dateline index, and the index-wide settings.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::languages::{self, EXACT_TOKENIZER, SLOTS};
use crate::pairs::PAIRS_TOKENIZER;
use crate::{FormatError, NAME_TOKENIZER, names};

/// Handles to every field of the Dateline schema.
#[derive(Clone, Copy, Debug)]
#[allow(missing_docs)] // each field is documented in [`names`]
pub struct Fields {
    pub path: Field,
    pub title: Field,
    pub derived_title: Field,
    pub body: Field,
    pub body_offset: Field,
    pub body_line: Field,
    pub date: Field,
    pub publisher: Field,
    pub dateline: Field,
    pub author: Field,
    pub url: Field,
    pub file_len: Field,
    pub file_mtime: Field,
    pub content_hash: Field,
    pub offset_map: Field,
    pub record: Field,
    pub line_map: Field,
    pub date_crawled: Field,
    pub published_at: Field,
    pub language: Field,
    pub copy_band: Field,
    pub copy_group: Field,
    pub story: Field,
    pub title_pairs: Field,
    pub body_pairs: Field,
    /// Headline and body as analysed for each language slot ([`languages::slot`]).
    pub by_language: [LanguageFields; SLOTS],
}

/// The index-only headline and body fields of one language slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LanguageFields {
    /// The headline, analysed for the slot's language.
    pub title: Field,
    /// The body, analysed for the slot's language.
    pub body: Field,
}

impl Fields {
    /// Builds the schema of a new index, with handles to its fields.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = |tokenizer: &str| {
            TextOptions::default().set_stored().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        // The exact fields without positions: phrases are matched in the language fields,
        // which hold every report's words in the same order. Positions were a third of the
        // index (Reuters-21578 ×10: 66 of 221 MB), the exact fields' half of them.
        let exact = || {
            TextOptions::default().set_stored().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(EXACT_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        // Searched, never stored: the exact fields hold the text.
        let analysed = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
        };
        let pairs = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PAIRS_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let fields = Fields {
            // FAST so results can be ordered by path and the indexer can list what it holds.
            path: builder.add_text_field(names::PATH, STRING | STORED | FAST),
            title: builder.add_text_field(names::TITLE, exact()),
            derived_title: builder.add_text_field(names::DERIVED_TITLE, STORED),
            body: builder.add_text_field(names::BODY, exact()),
            body_offset: builder.add_u64_field(names::BODY_OFFSET, STORED),
            body_line: builder.add_u64_field(names::BODY_LINE, STORED),
            date: builder.add_date_field(
                names::DATE,
                DateOptions::from(INDEXED | STORED | FAST)
                    .set_precision(DateTimePrecision::Seconds),
            ),
            // The fast column keeps the exact name, for publisher facets.
            publisher: builder
                .add_text_field(names::PUBLISHER, text(NAME_TOKENIZER).set_fast("raw")),
            dateline: builder.add_text_field(names::DATELINE, text(NAME_TOKENIZER)),
            author: builder.add_text_field(names::AUTHOR, text(NAME_TOKENIZER)),
            url: builder.add_text_field(names::URL, STRING | STORED),
            file_len: builder.add_u64_field(names::FILE_LEN, FAST),
            file_mtime: builder.add_u64_field(names::FILE_MTIME, FAST),
            content_hash: builder.add_u64_field(names::CONTENT_HASH, FAST),
            offset_map: builder.add_bytes_field(names::OFFSET_MAP, STORED),
            // Indexed to find a named record; FAST so the indexer can tell two documents of
            // one record (a lost delete) from two records of one file.
            record: builder.add_text_field(names::RECORD, STRING | STORED | FAST),
            line_map: builder.add_bytes_field(names::LINE_MAP, STORED),
            // FAST for the language facet; indexed for the `--lang` filter.
            language: builder.add_text_field(names::LANGUAGE, STRING | STORED | FAST),
            by_language: std::array::from_fn(|slot| {
                let tokenizer = languages::tokenizer_name(slot);
                LanguageFields {
                    title: builder
                        .add_text_field(names::TITLE_BY_LANGUAGE[slot], analysed(&tokenizer)),
                    body: builder
                        .add_text_field(names::BODY_BY_LANGUAGE[slot], analysed(&tokenizer)),
                }
            }),
            date_crawled: builder.add_u64_field(names::DATE_CRAWLED, STORED),
            // FAST to order reports of one day (a claim's trace) without reading documents.
            published_at: builder.add_date_field(
                names::PUBLISHED_AT,
                DateOptions::from(STORED | FAST).set_precision(DateTimePrecision::Seconds),
            ),
            // Looked up by term (a new report finds its candidate copies), never read back.
            copy_band: builder.add_u64_field(names::COPY_BAND, INDEXED),
            // Indexed to list a group's or a story's reports, FAST to collapse hits by them.
            copy_group: builder.add_u64_field(names::COPY_GROUP, INDEXED | FAST | STORED),
            story: builder.add_u64_field(names::STORY, INDEXED | FAST | STORED),
            // Frequencies for BM25, no positions: a pair is the phrase.
            title_pairs: builder.add_text_field(names::TITLE_PAIRS, pairs()),
            body_pairs: builder.add_text_field(names::BODY_PAIRS, pairs()),
        };
        (builder.build(), fields)
    }

    /// Finds the Dateline fields in the schema of an existing index.
    pub fn from_schema(schema: &Schema) -> Result<Fields, FormatError> {
        let get = |name: &'static str| {
            schema.get_field(name).map_err(|_| FormatError::MissingField { name })
        };
        Ok(Fields {
            path: get(names::PATH)?,
            title: get(names::TITLE)?,
            derived_title: get(names::DERIVED_TITLE)?,
            body: get(names::BODY)?,
            body_offset: get(names::BODY_OFFSET)?,
            body_line: get(names::BODY_LINE)?,
            date: get(names::DATE)?,
            publisher: get(names::PUBLISHER)?,
            dateline: get(names::DATELINE)?,
            author: get(names::AUTHOR)?,
            url: get(names::URL)?,
            file_len: get(names::FILE_LEN)?,
            file_mtime: get(names::FILE_MTIME)?,
            content_hash: get(names::CONTENT_HASH)?,
            offset_map: get(names::OFFSET_MAP)?,
            record: get(names::RECORD)?,
            line_map: get(names::LINE_MAP)?,
            language: get(names::LANGUAGE)?,
            by_language: {
                let mut slots = Vec::with_capacity(SLOTS);
                for slot in 0..SLOTS {
                    slots.push(LanguageFields {
                        title: get(names::TITLE_BY_LANGUAGE[slot])?,
                        body: get(names::BODY_BY_LANGUAGE[slot])?,
                    });
                }
                slots.try_into().expect("one per slot")
            },
            date_crawled: get(names::DATE_CRAWLED)?,
            published_at: get(names::PUBLISHED_AT)?,
            copy_band: get(names::COPY_BAND)?,
            copy_group: get(names::COPY_GROUP)?,
            story: get(names::STORY)?,
            title_pairs: get(names::TITLE_PAIRS)?,
            body_pairs: get(names::BODY_PAIRS)?,
        })
    }
}

/// Index-wide settings. Stored text is compressed with zstd in 64 KiB blocks rather than
/// tantivy's lz4 in 16 KiB blocks: news text packs tighter (measured on Reuters-21578 at 1×,
/// 18 MB of reports: 15.1 MB for the whole index, against 15.9 MB with 16 KiB zstd blocks),
/// while a hit's text still costs one small block to decompress. zstd level 9 with 128 KiB
/// blocks made it 14.3 MB, but halved indexing speed and slowed whole-process searches.
pub fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(3),
        }),
        docstore_blocksize: 64 << 10,
        ..Default::default()
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_round_trips_through_from_schema() {
        let (schema, built) = Fields::build();
        let found = Fields::from_schema(&schema).unwrap();
        assert_eq!(built.body, found.body);
        assert_eq!(built.content_hash, found.content_hash);
        assert_eq!(built.by_language, found.by_language);
    }

    #[test]
    fn language_field_names_follow_the_slots() {
        for slot in 0..SLOTS {
            let suffix = languages::slot_suffix(slot);
            assert_eq!(names::TITLE_BY_LANGUAGE[slot], format!("title_{suffix}"));
            assert_eq!(names::BODY_BY_LANGUAGE[slot], format!("body_{suffix}"));
        }
    }
}
