// # Searching a Dateline index from Rust
//
// Run it from the repository root once the bundled index exists (any
// `cargo run --release -- search …` builds it):
//
//     cargo run -p dateline-query --example search -- "precursor chemicals"
//
// It opens the index, runs one query, and prints each hit with its attribution and its
// best passage, marking the matched words with [brackets].

use dateline_query::{Index, Query};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = std::env::args().nth(1).unwrap_or_else(|| "precursor chemicals".to_string());
    let dir = std::env::var("DATELINE_INDEX").unwrap_or_else(|_| "index-data/index".to_string());

    // # Open the index
    //
    // `Index::open` checks that the folder holds an index of this format. The handle is
    // `Send + Sync`: a server would open it once and share it.
    let index = Index::open(&dir)?;

    // # Search
    //
    // A `Query` is the text plus optional knobs; the defaults are 10 hits, 2 passages.
    let results = index.search(&Query::new(text).limit(5).passages(1))?;
    println!("{} reports matched", results.total);

    // # Read the hits
    //
    // Hits are plain data (and serialize with serde). Highlights are byte ranges into the
    // passage text, sorted and disjoint, so marking them is a single pass.
    for hit in &results.hits {
        let source: Vec<String> =
            [hit.attribution.publisher.clone(), hit.attribution.date.map(|d| d.to_string())]
                .into_iter()
                .flatten()
                .collect();
        match source.is_empty() {
            true => println!("\n{}. {}", hit.rank, hit.attribution.title),
            false => println!("\n{}. {} ({})", hit.rank, hit.attribution.title, source.join(", ")),
        }
        for passage in &hit.passages {
            let mut marked = String::new();
            let mut at = 0;
            for range in &passage.highlights {
                marked.push_str(&passage.text[at..range.start]);
                marked.push_str(&format!("[{}]", &passage.text[range.clone()]));
                at = range.end;
            }
            marked.push_str(&passage.text[at..]);
            println!("   {}:{}: {marked}", hit.attribution.path.display(), passage.line);
        }
    }
    Ok(())
}
