//! Dateline over HTTP: a JSON API and a search page, both backed by [`dateline_query`].
//!
//! [`router`] builds the whole application for an open [`Index`]; [`serve`] runs it on a
//! listener until a shutdown signal. The `dateline serve` command is these two calls.
//!
//! | route | answers |
//! |---|---|
//! | `GET /api/search?q=&limit=&offset=&since=&until=&publisher=&passages=` | [`dateline_query::Results`], as `dateline search --json` prints them |
//! | `GET /api/facets?q=&since=&until=&publisher=&interval=` | [`dateline_query::Facets`]: publisher counts and a timeline |
//! | `GET /api/report?path=NAME&q=` | [`dateline_query::Report`]: one indexed report, line by line |
//! | `GET /api/health` | [`dateline_query::Status`]: index folder, reports, last commit |
//! | `GET /`, `GET /report` | the search page and the report page |
//!
//! A bad request is answered `{"error": "…"}` with status 400 (malformed query or parameter)
//! or 404 (unknown report or route). Reports are served only from the index's stored text,
//! never from the file system, and only by the names search results give them.
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
mod error;
mod hosts;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use dateline_query::Index;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

/// Most hits one `/api/search` request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Most passages per hit one request may ask for.
pub const MAX_PASSAGES: usize = 10;
/// Deepest page: `offset + limit` may not exceed it.
pub const MAX_DEPTH: usize = 10_000;

/// The application: API routes, pages and their assets, for `index`.
pub fn router(index: Arc<Index>) -> Router {
    Router::new()
        .route("/api/search", get(api::search))
        .route("/api/facets", get(api::facets))
        .route("/api/report", get(api::report))
        .route("/api/health", get(api::health))
        .route("/", get(assets::search_page))
        .route("/report", get(assets::report_page))
        .route("/assets/{file}", get(assets::asset))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(index)
        .layer(TraceLayer::new_for_http())
}

/// Serves [`router`] on `listener` until `shutdown` completes, then lets the requests in
/// flight finish.
///
/// On a loopback address, a request whose `Host` names anything but this machine
/// (`localhost`, `127.0.0.1`, `[::1]`) is refused with 403: otherwise a web page on another
/// site could read the index through DNS rebinding.
pub async fn serve(
    listener: tokio::net::TcpListener,
    index: Arc<Index>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut app = router(index);
    if listener.local_addr()?.ip().is_loopback() {
        app = app.layer(axum::middleware::from_fn(hosts::local_only));
    }
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
