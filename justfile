# Short names for the project's commands (`check` is what CI runs). `just` is optional: each
# recipe is one command you can copy.

set positional-arguments

# Search the bundled reports (builds the index on first use).
search *ARGS:
    cargo run --release -- search "$@"

# Update the index from its folders (index-data/ by default).
index *ARGS:
    cargo run --release -- index "$@"

# The test suite, as in the README.
test:
    cargo test --workspace

# Everything CI checks.
check:
    bash .ci/run

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# The benchmark and relevance harness; writes BENCHMARKS.md (about 10 minutes).
bench *ARGS:
    cargo build --release && cargo run --release -p dateline-bench -- --out BENCHMARKS.md "$@"

# The library example (run a search first, so the index exists).
example QUERY="precursor chemicals":
    cargo run -p dateline-query --example search -- "$1"
