//! Dateline over HTTP: a JSON API and a search page, both backed by [`dateline_query`].
//!
//! [`router`] builds the whole application for an open [`Index`]; [`serve`] runs it on a
//! listener until a shutdown signal. The `dateline serve` command is these two calls.
//!
//! | route | answers |
//! |---|---|
//! | `GET /api/search?q=&limit=&offset=&since=&until=&publisher=&lang=&sort=&strict=&all_copies=&passages=` | [`dateline_query::Results`], as `dateline search --json` prints them |
//! | `GET /api/similar?path=NAME&limit=&offset=&since=&until=&publisher=&lang=&sort=&all_copies=&passages=` | [`dateline_query::Results`]: the reports most like the named one |
//! | `GET /api/export?q=&format=csv\|jsonl&since=&until=&publisher=&lang=&sort=&strict=` | every hit as a CSV or JSON Lines download ([`dateline_query::ExportWriter`]) |
//! | `GET /api/facets?q=&since=&until=&publisher=&lang=&interval=` | [`dateline_query::Facets`]: publisher and language counts and a timeline |
//! | `GET /api/report?path=NAME&q=` | [`dateline_query::Report`]: one indexed report, line by line |
//! | `GET /api/stories?q=QUERY` | [`dateline_query::Stories`]: the stories of a query's best-ranked reports, newest first, each with its first report, its days and its independent outlets |
//! | `GET /api/trace?q=CLAIM` | [`dateline_query::Trace`]: the reports carrying a claim, in time order, the first named |
//! | `GET /api/health` | [`dateline_query::Status`]: index folder, reports, last commit; and [`ServerStats`] under `server` |
//! | `GET /api/openapi.json` | the OpenAPI 3 document of these routes ([`OPENAPI`]) |
//! | `GET /`, `GET /report`, `GET /trace` | the search page, the report page and the trace page |
//!
//! Every error is answered `{"error": "…"}`: 400 for a malformed or too costly query or
//! parameter, 403 for a request naming another host, 404 for an unknown report or route,
//! 405 for a method other than GET, 414 and 431 for a request line or headers over
//! [`MAX_URI_BYTES`] or [`MAX_HEADER_BYTES`], 422 for a search that ran past its time
//! budget ([`Limits::time_budget`]), and 503 with `Retry-After` when [`Limits::max_searches`]
//! searches are already running and none finished within [`SEARCH_QUEUE_WAIT`]. Reports are
//! served only from the index's stored text, never from the file system, and only by the
//! names search results give them.
//!
//! [`serve`] bounds what clients can hold: at most [`Limits::max_connections`] connections
//! (at the cap, idle ones are closed and more wait to be accepted), [`HEADER_READ_TIMEOUT`] to send a request's head (which also
//! closes idle keep-alive connections), [`WRITE_TIMEOUT`] for a client that stops reading.
//! A search whose client goes away is cancelled.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let index = std::sync::Arc::new(dateline_query::Index::open("index-data/index").unwrap());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! // Runs until the future completes, then finishes the requests in flight.
//! dateline_server::serve(listener, index, std::future::pending()).await
//! # }
//! ```
#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

mod api;
mod assets;
mod conn;
mod error;
mod export;
mod hosts;
mod limits;
mod trace;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{MethodRouter, get};
use dateline_query::Index;
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tracing::Level;

pub use api::ServerStats;
pub use error::ApiError;

/// Most hits one `/api/search` request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Most passages per hit one request may ask for.
pub const MAX_PASSAGES: usize = 10;
/// Deepest page: `offset + limit` may not exceed it.
pub const MAX_DEPTH: usize = 10_000;

/// Most connections [`serve`] keeps open at once (default of [`Limits::max_connections`]).
/// When all are taken, the open ones are asked to close once idle (one waiting for a request
/// closes at once; one answering finishes first), and further clients wait in the listen
/// queue until one has closed; none is refused outright.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send a whole request head (request line and headers), counted
/// from when the connection opens or the previous response was sent. A connection that
/// sends nothing for this long, an idle keep-alive one included, is closed without an
/// answer (default of [`Limits::header_read_timeout`]).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a response may wait for a client that stops reading it before the connection
/// is closed (default of [`Limits::write_timeout`]).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest request target (path and query) answered; a longer one gets a JSON 414. Long
/// enough for the longest query the query crate accepts (8 KiB), percent-encoded.
pub const MAX_URI_BYTES: usize = 32 * 1024;
/// Most bytes of header names and values in one request; more gets a JSON 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Most header lines in one request; more gets a JSON 431.
pub const MAX_HEADERS: usize = 100;
/// The HTTP library's own limit on a request head, request line included: a head larger
/// than this (or with more than [`MAX_HEADERS_HARD`] lines) is answered by hyper itself,
/// `431` or `414` with an empty body, and the connection closed. Every head within it is
/// measured against [`MAX_URI_BYTES`], [`MAX_HEADER_BYTES`] and [`MAX_HEADERS`] and
/// refused with a JSON body.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Most header lines hyper parses before answering an empty 431; see [`MAX_HEAD_BYTES`].
pub const MAX_HEADERS_HARD: usize = 400;
/// How long a search waits for one of the [`Limits::max_searches`] places before it is
/// answered 503 with `Retry-After: 1`.
pub const SEARCH_QUEUE_WAIT: Duration = Duration::from_secs(1);

/// What one server lets its clients hold; [`Limits::default`] gives the constants above.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// Most open connections; see [`MAX_CONNECTIONS`].
    pub max_connections: usize,
    /// See [`HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
    /// See [`WRITE_TIMEOUT`].
    pub write_timeout: Duration,
    /// Most searches (`/api/search`, `/api/similar`, `/api/facets`, `/api/report`, and
    /// `/api/export` until its last row is written) running at once; the default is the
    /// number of CPU cores.
    pub max_searches: usize,
    /// See [`SEARCH_QUEUE_WAIT`].
    pub search_queue_wait: Duration,
    /// How long one search may run before it is answered 422
    /// ([`dateline_query::DEFAULT_TIME_BUDGET`] by default).
    pub time_budget: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: MAX_CONNECTIONS,
            header_read_timeout: HEADER_READ_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            max_searches: std::thread::available_parallelism().map_or(2, |n| n.get()),
            search_queue_wait: SEARCH_QUEUE_WAIT,
            time_budget: dateline_query::DEFAULT_TIME_BUDGET,
        }
    }
}

/// The OpenAPI 3 document of every route, as served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("../openapi.json");

/// The application: API routes, pages and their assets, for `index`, with the default
/// [`Limits`] on searches.
pub fn router(index: Arc<Index>) -> Router {
    router_with(index, &Limits::default())
}

/// [`router`] with `limits` on searches (the connection limits apply in [`serve_with`]).
pub fn router_with(index: Arc<Index>, limits: &Limits) -> Router {
    app(api::State::new(index, limits))
}

/// Every route: the router is built from this list, and a test holds it equal to the paths
/// of [`OPENAPI`].
fn routes() -> Vec<(&'static str, MethodRouter<Arc<api::State>>)> {
    vec![
        ("/api/search", get(api::search)),
        ("/api/facets", get(api::facets)),
        ("/api/similar", get(api::similar)),
        ("/api/export", get(export::export)),
        ("/api/report", get(api::report)),
        ("/api/trace", get(trace::trace)),
        ("/api/stories", get(api::stories)),
        ("/api/health", get(api::health)),
        ("/api/openapi.json", get(api::openapi)),
        ("/", get(assets::search_page)),
        ("/report", get(assets::report_page)),
        ("/trace", get(assets::trace_page)),
        ("/assets/{file}", get(assets::asset)),
    ]
}

fn app(state: Arc<api::State>) -> Router {
    routes()
        .into_iter()
        .fold(Router::new(), |router, (path, method)| router.route(path, method))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
        // Failures are logged where they are made (500s as errors); a 503 for a busy server
        // is a warning, not an error.
        .layer(TraceLayer::new_for_http().on_failure(DefaultOnFailure::new().level(Level::WARN)))
}

/// Serves [`router`] on `listener` with the default [`Limits`] until `shutdown` completes,
/// then lets the requests in flight finish.
///
/// On a loopback address, a request whose `Host` names anything but this machine
/// (`localhost`, `127.0.0.1`, `[::1]`) is refused with 403: otherwise a web page on another
/// site could read the index through DNS rebinding.
pub async fn serve(
    listener: tokio::net::TcpListener,
    index: Arc<Index>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, index, Limits::default(), shutdown).await
}

/// [`serve`] with other `limits`.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    index: Arc<Index>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = api::State::new(index, &limits);
    let mut app = app(Arc::clone(&state)).layer(axum::middleware::from_fn(limits::head_size));
    if listener.local_addr()?.ip().is_loopback() {
        app = app.layer(axum::middleware::from_fn(hosts::local_only));
    }
    conn::run(listener, app, &limits, state, shutdown).await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// A route added to the router without being documented, or documented without being
    /// routed, fails here.
    #[test]
    fn the_openapi_document_lists_exactly_the_routes() {
        let document: serde_json::Value = serde_json::from_str(super::OPENAPI).unwrap();
        let documented: BTreeSet<&str> =
            document["paths"].as_object().unwrap().keys().map(String::as_str).collect();
        let routed: BTreeSet<&str> = super::routes().into_iter().map(|(path, _)| path).collect();
        assert_eq!(routed, documented);
        for (path, item) in document["paths"].as_object().unwrap() {
            let methods: Vec<&String> = item.as_object().unwrap().keys().collect();
            assert_eq!(methods, ["get"], "{path}: only GET is routed");
        }
    }
}
