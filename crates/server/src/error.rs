use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A request the API could not answer: an HTTP status and a one-line message, sent as
/// `{"error": "…"}`.
#[derive(Debug)]
pub struct ApiError {
    /// 400 for a bad request, 403 for a request naming another host, 404 for something that
    /// does not exist, 405 for a method other than GET, 414 and 431 for a request line or
    /// headers too long, 422 for a search that ran past its time budget, 503 (sent with
    /// `Retry-After: 1`) when the server is busy, 500 otherwise.
    pub status: StatusCode,
    /// What went wrong, and what to do about it.
    pub message: String,
}

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into() }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, message: message.into() }
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::FORBIDDEN, message: message.into() }
    }

    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }

    pub(crate) fn internal(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::INTERNAL_SERVER_ERROR, message: message.into() }
    }
}

impl From<dateline_query::Error> for ApiError {
    fn from(err: dateline_query::Error) -> ApiError {
        match err {
            dateline_query::Error::Query { query, reason } => {
                ApiError::bad_request(format!("invalid query `{}`: {reason}", shorten(&query)))
            }
            err @ (dateline_query::Error::Claim { .. } | dateline_query::Error::Filter { .. }) => {
                ApiError::bad_request(err.to_string())
            }
            dateline_query::Error::NotIndexed { path } => ApiError::not_found(format!(
                "no report named `{}` in the index",
                shorten(&path.to_string_lossy())
            )),
            err @ dateline_query::Error::ManyReports { .. } => ApiError::not_found(err.to_string()),
            dateline_query::Error::NotRead { path, kind } => ApiError::not_found(format!(
                "no report named `{}` in the index: Dateline does not read {kind} files",
                shorten(&path.to_string_lossy())
            )),
            // The query was valid but too costly to finish in time: the request's fault, not
            // the server's, so not a 5xx; retrying it will not help, narrowing it will.
            err @ dateline_query::Error::TimedOut { .. } => {
                ApiError { status: StatusCode::UNPROCESSABLE_ENTITY, message: err.to_string() }
            }
            // Only a search whose client has gone away is cancelled: no one reads this.
            dateline_query::Error::Cancelled => ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "the search was cancelled".into(),
            },
            other => ApiError::internal(other.to_string()),
        }
    }
}

/// At most the start of something a client sent, so a huge value does not make a huge error.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: String,
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(status = %self.status, "{}", self.message);
        } else if self.status.is_server_error() {
            tracing::error!(status = %self.status, "{}", self.message);
        }
        let mut response = (self.status, Json(Body { error: self.message })).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
