//! Command-line flags (clap derive): each field's doc comment is its help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Where `dateline` looks for its index unless told otherwise.
pub const DEFAULT_INDEX: &str = "index-data/index";
/// The bundled reports, indexed on first use when the default index does not exist yet.
pub const DEFAULT_REPORTS: &str = "index-data";

/// Search folders of news reports: ranked, highlighted hits with their source.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log more to stderr (-v: info, -vv: debug, -vvv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Print only results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search the index; exits 0 if something matched, 1 if nothing did, 2 on error.
    #[command(
        after_help = "Reports with every word first, then (marked) those with most of the words; --strict for every word only, `a OR b` for any. `--help` shows the whole query language.",
        after_long_help = QUERY_HELP
    )]
    Search(SearchArgs),
    /// Build or update the index from folders of reports: text, Markdown, web pages, JSON Lines,
    /// JSON, CSV/TSV records, WARC crawls, RSS/Atom feeds, each also gzipped or zstd-compressed.
    Index(IndexArgs),
    /// List the reports most like a given one (same story, other outlets); exits like search.
    Similar(SimilarArgs),
    /// Serve a search page and a JSON API on this machine; stop with Ctrl-C.
    #[command(
        after_help = "API: /api/search, /api/similar, /api/stories, /api/trace, /api/export, /api/facets, /api/report, /api/health, /api/openapi.json (see the README)."
    )]
    Serve(ServeArgs),
    /// Find every report carrying a claim (a sentence, verbatim or lightly edited), earliest
    /// first, and how many independent sources carry it; exits 0 if a report does, 1 if none
    /// does, 2 on error.
    #[command(
        after_help = "A report carries the claim when a passage of it aligns, word by word, with at least 60% of the claim's words (changed, inserted or dropped words and punctuation are allowed). Reports are in time order: date, then time of day where the report states one; undated last. Reprints of one text (a copy group) count once as a source.\n\nExample:\n  dateline trace 'The DEA identifies China and Mexico as the main sources of fentanyl and its precursors'"
    )]
    Trace(TraceArgs),
    /// List the stories a query's reports belong to (reports about the same event), newest
    /// first: each with its first report, its days and how many independent outlets carry it;
    /// exits like search.
    #[command(
        after_help = "A story holds every report about one event, copies and independent reports alike; a copy group (reprints of one text) counts once as a source. --sort relevance orders stories by their best report's rank, --sort oldest by their first day.\n\nExample:\n  dateline stories fentanyl --since 2024-01-01"
    )]
    Stories(StoriesArgs),
}

const QUERY_HELP: &str = "\
Query language:
  precursor chemicals          reports with every word (stemmed in each report's language:
                               chemical = chemicals, Verhandlung = Verhandlungen; accents
                               folded: Koln = Köln), those where the words stand together
                               first; then, below a line, reports with at least half of
                               the words, most words first (not with --strict)
  fentanyl OR opioid           any of the words
  \"precursor chemicals\"        the exact phrase
  fentanyl -Mexico             exclude a word (a query of only exclusions matches
                               every report without those words)
  title:talks                  scope to a field: title, body, publisher, dateline, author
  date:2024-01-31              one day; date:[2024-01-01 TO 2024-01-31] a range (ends
                               included, * for open)
  fent*                        words starting with fent
  *                            every report, newest first (with --since, --publisher,
                               --lang: all they keep)
  (a OR b) c, talks^2          grouping, boosting

Reports with most of the words: only a query of several words or \"phrases\" at its top
level gets them (not a single word, not `a OR b`); `-word`, `title:`, `date:`, `fent*`
and `word^2` stay as written in both tiers. The line between the tiers says how many
reports matched every word; the exit status is 0 when anything is shown.

Examples:
  dateline search \"precursor chemicals\"
  dateline search 'Daskal' --since 2024-01-01 --json
  dateline search 'title:fentanyl -Mexico' --publisher 'Rio Times' --publisher Reuters
  dateline search Verhandlung --lang de
  dateline search '*' --since 2024-01-01 --sort oldest
  dateline search --format csv 'pipeline protest' > hits.csv";

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to search for (see the query language below). May be empty with a filter.
    /// A query may start with `-`: `dateline search -Taiwan`.
    #[arg(allow_hyphen_values = true, value_parser = query_text)]
    pub query: String,
    /// Every word must match: no reports matching only most of the words below the rest.
    #[arg(long)]
    pub strict: bool,
    /// Show every copy of a text as a hit of its own. By default reprints and duplicates
    /// collapse into their best-ranked report, the others named under it ("also ran in").
    #[arg(long)]
    pub all_copies: bool,
    /// Count every matching report; by default counting stops past 10,000 ("10000+"),
    /// which lets common words rank faster.
    #[arg(long)]
    pub count_all: bool,
    /// Show one hit per story (reports about the same event): the best-ranked of each.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub distinct: Option<DistinctArg>,
    /// Write every hit (not one page) as CSV or JSON Lines: rank, title, publisher, date,
    /// url, name, line, passage, matches_every_word. --limit and --offset do not apply.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<FormatArg>,
    #[command(flatten)]
    pub results: ResultArgs,
}

/// `--sort`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Latest date first.
    Newest,
    /// Earliest date first.
    Oldest,
}

/// `--distinct`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DistinctArg {
    /// One hit per story.
    Story,
}

/// `--format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// An indexed report.
    pub path: PathBuf,
    #[command(flatten)]
    pub results: ResultArgs,
}

/// Which hits to show and how: shared by `search` and `similar`.
#[derive(Debug, Args)]
pub struct ResultArgs {
    /// The index folder. When the default does not exist yet, it is built from index-data/.
    #[arg(long, env = "DATELINE_INDEX", default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Number of hits to show.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Skip the first N hits (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Passages to show per hit, best first.
    #[arg(short, long, default_value_t = 2, value_name = "N")]
    pub passages: usize,
    /// Only reports dated on or after this day (YYYY-MM-DD). Undated reports are left out.
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub since: Option<jiff::civil::Date>,
    /// Only reports dated on or before this day (YYYY-MM-DD). Undated reports are left out.
    #[arg(long, value_name = "DATE", value_parser = day)]
    pub until: Option<jiff::civil::Date>,
    /// Only reports whose publisher's name contains these words, e.g. "Rio Times".
    /// Repeat for several publishers: reports by any of them.
    #[arg(long, value_name = "NAME")]
    pub publisher: Vec<String>,
    /// Only reports in this language (ISO 639-1 code, e.g. de). Repeat for any of several.
    #[arg(long = "lang", value_name = "CODE", value_parser = language_code)]
    pub languages: Vec<String>,
    /// Order of the hits. Default: relevance, or newest for `*` and filters alone.
    /// Undated reports come last by date.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<SortArg>,
    /// Print results as one JSON document (format in the README).
    #[arg(long)]
    pub json: bool,
    /// When to colour the output. NO_COLOR in the environment means never, for auto.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(Debug, Args)]
// The shared result options speak of hits; here they page and order stories, and a story
// shows no passages.
#[command(
    mut_arg("limit", |arg| arg.help("Number of stories to show")),
    mut_arg("offset", |arg| arg.help("Skip the first N stories (for paging)")),
    mut_arg("passages", |arg| arg.hide(true)),
    mut_arg("sort", |arg| arg.help(
        "Order of the stories: newest (the default: latest last report first), oldest (earliest first report first) or relevance (their best report's rank)"
    )),
)]
pub struct StoriesArgs {
    /// What to search for (as for search); the stories of its best-ranked reports are listed.
    #[arg(allow_hyphen_values = true, value_parser = query_text)]
    pub query: String,
    #[command(flatten)]
    pub results: ResultArgs,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The claim: a sentence of at least 4 words, as a report may have carried it.
    #[arg(allow_hyphen_values = true, value_parser = query_text)]
    pub claim: String,
    /// The index folder. When the default does not exist yet, it is built from index-data/.
    #[arg(long, env = "DATELINE_INDEX", default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Print the trace as one JSON document (format in the README).
    #[arg(long)]
    pub json: bool,
    /// When to colour the output. NO_COLOR in the environment means never, for auto.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index folder. When the default does not exist yet, it is built from index-data/.
    #[arg(long, env = "DATELINE_INDEX", default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Address to listen on. The default answers this machine only; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:4747", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    /// Most connections open at once; more wait to be accepted.
    #[arg(long, default_value_t = dateline_server::MAX_CONNECTIONS as u32, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Most searches running at once; a search that finds no place within a second is
    /// answered 503 with Retry-After. Default: the number of CPU cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_searches: Option<u32>,
    /// Seconds a client has to send a request's headers; also how long an idle
    /// connection stays open.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds)]
    pub header_timeout: std::time::Duration,
    /// Seconds a response may wait for a client that does not read it.
    #[arg(long, default_value = "30", value_name = "SECONDS", value_parser = seconds)]
    pub write_timeout: std::time::Duration,
    /// Seconds one search may run before it is answered 422.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds)]
    pub search_timeout: std::time::Duration,
}

/// A calendar day as YYYY-MM-DD; other spellings (`03/04/2024`) are ambiguous across
/// countries, so they are refused with the one that works.
fn day(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse().map_err(|_| format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2024-01-31"))
}

/// A two-letter language code (ISO 639-1), lower-cased: the index stores them so.
fn language_code(text: &str) -> Result<String, String> {
    let code = text.trim();
    match code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        true => Ok(code.to_ascii_lowercase()),
        false => Err(format!("`{text}` is not a two-letter language code (ISO 639-1), e.g. de")),
    }
}

/// A positive number of seconds, fractions allowed (`0.5`).
fn seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(std::time::Duration::from_secs_f64(secs)),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 86400")),
    }
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folders of reports to mirror. Without any, the folders the index was built from;
    /// for a new default index, index-data/. Reports from folders no longer named are removed.
    pub dirs: Vec<PathBuf>,
    /// The index folder (created if missing).
    #[arg(long, env = "DATELINE_INDEX", default_value = DEFAULT_INDEX)]
    pub index: PathBuf,
    /// Re-read every file, as if the index were new (also recovers a damaged index).
    #[arg(long)]
    pub rebuild: bool,
    /// After indexing, keep running and index changes as files arrive; stop with Ctrl-C.
    #[arg(long)]
    pub watch: bool,
    /// Skip files larger than this many bytes (also when a file grows while it is read).
    /// JSON Lines, JSON arrays, CSV/TSV and WARC files are streamed whatever their size: for
    /// them it bounds each record. A JSON object or a feed is read whole, and bounded whole.
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Skip files with a line longer than this many bytes (a dump, not a report).
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_line_length: usize,
    /// Print the summary as JSON (counts, and every skipped file with its reason).
    #[arg(long)]
    pub json: bool,
    /// Follow symlinks that lead out of the folders (by default each is skipped and
    /// reported). Kernel file systems (/proc, /sys, …) are never read either way.
    #[arg(long)]
    pub follow_outside: bool,
    /// Which field of JSON or CSV records is the title, text, date, publisher, url, author,
    /// subtitle or language, beyond the usual names (title/headline, text/body/content, …); repeat
    /// for several, e.g. --field title=hed --field text=story.
    #[arg(long = "field", value_name = "ROLE=FIELD", value_parser = parse_field)]
    pub fields: Vec<(dateline_indexer::Role, String)>,
}

/// `title=hed` → (title, `hed`).
fn parse_field(text: &str) -> Result<(dateline_indexer::Role, String), String> {
    let (role, field) = text.split_once('=').ok_or("expected ROLE=FIELD, e.g. title=hed")?;
    let role = dateline_indexer::Role::from_name(role).ok_or_else(|| {
        let roles: Vec<&str> = dateline_indexer::Role::ALL.iter().map(|r| r.name()).collect();
        format!("unknown role `{role}`; one of {}", roles.join(", "))
    })?;
    match field.trim() {
        "" => Err("the field name is empty".into()),
        field => Ok((role, field.to_string())),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Standard output, coloured as `self` says.
    pub fn stdout(self) -> anstream::AutoStream<std::io::StdoutLock<'static>> {
        let choice = match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        anstream::AutoStream::new(std::io::stdout().lock(), choice)
    }
}

/// What is wrong when a command line fails to parse because a `--option` is not one of its
/// subcommand's: the query may start with `-`, so clap takes the unknown option for the query
/// and reports its value, or the real query, as a stray argument instead.
pub fn mistyped_option(args: impl Iterator<Item = String>) -> Option<String> {
    use clap::CommandFactory;
    let args: Vec<String> = args.skip(1).collect();
    let cli = Cli::command();
    let name = args.iter().find(|a| !a.starts_with('-'))?;
    let sub = cli.find_subcommand(name)?;
    let known: Vec<&str> = sub
        .get_arguments()
        .chain(cli.get_arguments())
        .filter_map(|a| a.get_long())
        .chain(["help"])
        .collect();
    let unknown = args
        .iter()
        .take_while(|a| *a != "--")
        .filter_map(|a| a.strip_prefix("--"))
        .map(|a| a.split('=').next().unwrap_or(a))
        .find(|a| !a.is_empty() && !known.contains(a))?;
    let closest = known
        .iter()
        .map(|k| (strsim::jaro(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match closest {
        Some((_, name)) => format!("did you mean `--{name}`?"),
        None => format!("see `dateline {name} --help`"),
    };
    Some(format!("`--{unknown}` is not an option of `dateline {name}` ({hint})"))
}

/// A query or claim, which may start with `-` (a word left out) but not with `--`: that is an
/// option spelt wrong (`--limt 5 oil`), which would otherwise be searched for while its value
/// and the real query were reported as stray arguments.
fn query_text(text: &str) -> Result<String, String> {
    match text.strip_prefix("--") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            let name = text.split('=').next().unwrap_or(text);
            Err(format!("`{name}` is not an option of this command (see its --help)"))
        }
        _ => Ok(text.to_string()),
    }
}
