//! Stories: reports about the same event, whoever wrote them.
//!
//! The method is that of Miranda et al., "Multilingual Clustering of Streaming News"
//! (EMNLP 2018), for one language: each report is a tf-idf weighted bag of words and a bag
//! of names (capitalised phrases, [`terms`]); a story is the centroid of its reports'
//! bags ([`Centroid`]). A new report is compared with the stories it shares strong terms
//! with, by a linear model over the cosines of their words, names and headline words and
//! those cosines times a Gaussian decay of the days between the report and the story
//! ([`Similarity`]), its weights chosen on labelled reports ([`Params`]); it joins the best
//! story scoring above 0, else it starts one. Stories are never re-clustered: a story, once
//! started, keeps its id, and reports only ever join it.
//!
//! This crate holds no index: [`Stories`] is the set of stories one run has seen (started,
//! joined, or loaded by the caller from what an index holds), and [`Weigher`] turns term
//! counts into weights given document frequencies the caller supplies.
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod centroid;
mod clusters;
mod keyed;
mod params;
pub mod terms;
#[cfg(test)]
mod test_reports;
mod vector;

pub use centroid::{Centroid, Cosines};
pub use clusters::{Placement, Stories};
pub use params::{FEATURE_NAMES, FEATURES, Params, Similarity};
pub use terms::Terms;
pub use vector::{Features, Weigher};
