//! The JSON API's handlers: parameters in, query crate calls on a blocking thread, JSON out.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query as Params, State};
use axum::http::Uri;
use dateline_query::{Date, Facets, Index, Interval, Query, Report, Results, Status};
use serde::Deserialize;

use crate::error::{ApiError, shorten};
use crate::{MAX_DEPTH, MAX_LIMIT, MAX_PASSAGES};

type Shared = State<Arc<Index>>;
type Answer<T> = Result<Json<T>, ApiError>;

/// Every parameter any route takes; each route reads the ones it needs. Values are parsed
/// here rather than by serde so a bad one gets a message naming it.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Request {
    q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    passages: Option<String>,
    since: Option<String>,
    until: Option<String>,
    publisher: Option<String>,
    interval: Option<String>,
    path: Option<String>,
}

type Parsed = Result<Params<Request>, QueryRejection>;

pub(crate) async fn search(State(index): Shared, params: Parsed) -> Answer<Results> {
    let request = request(params)?;
    let limit = number("limit", &request.limit, 10, MAX_LIMIT)?;
    let offset = number("offset", &request.offset, 0, MAX_DEPTH)?;
    if offset + limit > MAX_DEPTH {
        return Err(ApiError::bad_request(format!(
            "offset + limit is {}; results stop at {MAX_DEPTH}: narrow the query instead",
            offset + limit
        )));
    }
    let passages = number("passages", &request.passages, 2, MAX_PASSAGES)?;
    let query = filtered(&request)?.limit(limit).offset(offset).passages(passages);
    blocking(move || index.search(&query)).await
}

pub(crate) async fn facets(State(index): Shared, params: Parsed) -> Answer<Facets> {
    let request = request(params)?;
    let interval = match request.interval.as_deref().filter(|text| !text.is_empty()) {
        Some(text) => Some(
            text.parse::<Interval>()
                .map_err(|reason| ApiError::bad_request(format!("interval: {reason}")))?,
        ),
        None => None,
    };
    let query = filtered(&request)?;
    blocking(move || index.facets(&query, interval)).await
}

pub(crate) async fn report(State(index): Shared, params: Parsed) -> Answer<Report> {
    let request = request(params)?;
    let name = request.path.clone().filter(|path| !path.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            "path: missing; give the `name` of a search hit, e.g. path=index-data/report.txt",
        )
    })?;
    let query = request.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(Query::new);
    blocking(move || index.report(&name, query.as_ref())).await
}

pub(crate) async fn health(State(index): Shared) -> Answer<Status> {
    blocking(move || index.status()).await
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such page or API route: {}", shorten(uri.path())))
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError {
        status: axum::http::StatusCode::METHOD_NOT_ALLOWED,
        message: "only GET requests are answered".into(),
    }
}

fn request(params: Parsed) -> Result<Request, ApiError> {
    params.map(|Params(request)| request).map_err(|rejection| {
        ApiError::bad_request(format!("malformed parameters: {}", rejection.body_text()))
    })
}

/// The query text with the request's filters.
fn filtered(request: &Request) -> Result<Query, ApiError> {
    let mut query = Query::new(request.q.clone().unwrap_or_default());
    if let Some(day) = day("since", &request.since)? {
        query = query.since(day);
    }
    if let Some(day) = day("until", &request.until)? {
        query = query.until(day);
    }
    if let Some(name) = request.publisher.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        query = query.publisher(name);
    }
    Ok(query)
}

fn number(
    name: &str,
    value: &Option<String>,
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let Some(text) = value.as_deref().filter(|text| !text.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        Ok(n) => Err(ApiError::bad_request(format!("{name}: {n} is more than the limit of {max}"))),
        Err(_) => {
            Err(ApiError::bad_request(format!("{name}: `{}` is not a whole number", shorten(text))))
        }
    }
}

fn day(name: &str, value: &Option<String>) -> Result<Option<Date>, ApiError> {
    match value.as_deref().filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<Date>().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "{name}: `{}` is not a date; use YYYY-MM-DD",
                shorten(text)
            ))
        }),
    }
}

/// Runs a search on the blocking pool: searching is CPU work that must not stall the
/// threads serving connections. A panic there is answered 500, not a dropped connection.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> dateline_query::Result<T> + Send + 'static,
) -> Answer<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => Ok(Json(result?)),
        Err(err) => Err(ApiError::internal(format!("the request failed inside the server: {err}"))),
    }
}
