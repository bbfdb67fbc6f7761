# Short names for the project's commands (`check` is what CI runs). `just` is optional: each
# recipe is one command you can copy.

set positional-arguments

# Search the bundled reports (builds the index on first use).
search *ARGS:
    cargo run --release -- search "$@"

# Update the index from its folders (index-data/ by default).
index *ARGS:
    cargo run --release -- index "$@"

# The search page and JSON API over the bundled reports, at http://127.0.0.1:4747/.
serve *ARGS:
    cargo run --release -- serve "$@"

# The test suite, as in the README.
test:
    cargo test --workspace

# The page test in headless Chromium, installing what it needs first (as CI does).
browser-test:
    command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
    npm ci --prefix tests/browser
    cargo test --test integration serve::the_page_works_in_headless_chromium -- --ignored

# The API fuzzer against a live server, as CI runs it (FUZZ_SEED=random to explore).
fuzz-api:
    command -v schemathesis >/dev/null || python3 -m pip install "schemathesis==4.32.5"
    cargo build --release
    bash .ci/fuzz-api

# Everything CI checks.
check:
    bash .ci/run

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# The benchmark and relevance harness; writes BENCHMARKS.md (about 10 minutes). The binary is run as
# the workspace build left it: `cargo run -p dateline-bench` would compile tantivy a second time.
bench *ARGS:
    cargo build --release && target/release/dateline-bench --out BENCHMARKS.md "$@"

# The library example (run a search first, so the index exists).
example QUERY="precursor chemicals":
    cargo run -p dateline-query --example search -- "$1"
