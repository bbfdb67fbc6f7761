//! Refusing request heads over the server's limits with the same JSON body as every other
//! error. hyper parses heads up to [`crate::MAX_HEAD_BYTES`] and answers larger ones itself,
//! with an empty body; this middleware holds every head within that to the tighter limits.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::{MAX_HEADER_BYTES, MAX_HEADERS, MAX_URI_BYTES};

/// 414 for a request target over [`MAX_URI_BYTES`], 431 for headers over
/// [`MAX_HEADER_BYTES`] or [`MAX_HEADERS`]; the rest pass.
pub(crate) async fn head_size(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let uri_bytes = uri.scheme_str().map_or(0, |s| s.len() + 3)
        + uri.authority().map_or(0, |a| a.as_str().len())
        + uri.path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "the request target is {uri_bytes} bytes long; the limit is {MAX_URI_BYTES}: \
                 shorten the query"
            ),
        )
        .into_response();
    }
    let headers = request.headers();
    // As sent: `name: value` and a line break.
    let header_bytes: usize =
        headers.iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "the request has {} header lines, {header_bytes} bytes; the limits are \
                 {MAX_HEADERS} lines and {MAX_HEADER_BYTES} bytes",
                headers.len()
            ),
        )
        .into_response();
    }
    next.run(request).await
}
