//! The pages and their assets, embedded in the binary so the server works offline.

use axum::extract::Path;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Scripts, styles and requests only from this server: report text that slipped into the
/// page as markup still could not run or load anything.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const HTML: &str = "text/html; charset=utf-8";

pub(crate) async fn search_page() -> Response {
    page(include_str!("../assets/index.html"))
}

pub(crate) async fn report_page() -> Response {
    page(include_str!("../assets/report.html"))
}

pub(crate) async fn trace_page() -> Response {
    page(include_str!("../assets/trace.html"))
}

pub(crate) async fn asset(Path(file): Path<String>) -> Result<Response, ApiError> {
    let (content_type, body) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", include_str!("../assets/style.css")),
        "search.js" => ("text/javascript; charset=utf-8", include_str!("../assets/search.js")),
        "report.js" => ("text/javascript; charset=utf-8", include_str!("../assets/report.js")),
        "dom.js" => ("text/javascript; charset=utf-8", include_str!("../assets/dom.js")),
        "facets.js" => ("text/javascript; charset=utf-8", include_str!("../assets/facets.js")),
        "timeline.js" => ("text/javascript; charset=utf-8", include_str!("../assets/timeline.js")),
        "intro.js" => ("text/javascript; charset=utf-8", include_str!("../assets/intro.js")),
        "hits.js" => ("text/javascript; charset=utf-8", include_str!("../assets/hits.js")),
        "trace.js" => ("text/javascript; charset=utf-8", include_str!("../assets/trace.js")),
        "state.js" => ("text/javascript; charset=utf-8", include_str!("../assets/state.js")),
        "stories.js" => ("text/javascript; charset=utf-8", include_str!("../assets/stories.js")),
        _ => return Err(ApiError::not_found(format!("no asset named `{file}`"))),
    };
    Ok(respond(content_type, body))
}

fn page(body: &'static str) -> Response {
    respond(HTML, body)
}

fn respond(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, content_type),
            (CONTENT_SECURITY_POLICY, POLICY),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // Assets change with the binary; revalidating costs little on loopback.
            (CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
