//! Rendering [`dateline_query::Results`]: for people (`standard`) or programs (`json`).
//! Both write to any `io::Write`, so tests render into a `Vec<u8>`.

pub mod json;
pub mod standard;
