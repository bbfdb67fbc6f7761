//! The JSON API's handlers: parameters in, query crate calls on a blocking thread, JSON out.
//!
//! Searches run on the blocking pool, at most [`crate::Limits::max_searches`] at once, each
//! with a time budget and a cancel switch thrown when its client goes away (axum drops the
//! handler's future, and with it a [`CancelOnDrop`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::{RawQuery, State as Extract};
use axum::http::header::CONTENT_TYPE;
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use dateline_query::{
    Cancel, Date, Distinct, FIRST_DATE, Facets, Filters, Index, Interval, LAST_DATE, Query, Report,
    Results, Sort, Status, Stories,
};
use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{ApiError, shorten};
use crate::{Limits, MAX_DEPTH, MAX_LIMIT, MAX_PASSAGES};

/// What every handler shares: the index, the places for searches, and the counters.
pub(crate) struct State {
    pub(crate) index: Arc<Index>,
    searches: Arc<Semaphore>,
    max_searches: usize,
    queue_wait: Duration,
    pub(crate) time_budget: Duration,
    pub(crate) counters: Counters,
}

impl State {
    pub(crate) fn new(index: Arc<Index>, limits: &Limits) -> Arc<State> {
        Arc::new(State {
            index,
            searches: Arc::new(Semaphore::new(limits.max_searches.max(1))),
            max_searches: limits.max_searches.max(1),
            queue_wait: limits.search_queue_wait,
            time_budget: limits.time_budget,
            counters: Counters::default(),
        })
    }
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) connections: AtomicU64,
    pub(crate) searches_running: AtomicU64,
    pub(crate) searches_cancelled: AtomicU64,
    searches_timed_out: AtomicU64,
    searches_refused: AtomicU64,
}

/// What the server is doing, in `/api/health` under `server`: for watching it, and for
/// tests to see that an abandoned search stopped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ServerStats {
    /// Connections open now (0 when the router runs without [`crate::serve`]).
    pub connections: u64,
    /// Searches running now, abandoned ones that have not stopped yet included.
    pub searches_running: u64,
    /// Searches stopped because their client went away, since the server started.
    pub searches_cancelled: u64,
    /// Searches stopped by their time budget (answered 422), since the server started.
    pub searches_timed_out: u64,
    /// Searches answered 503 because every place was taken, since the server started.
    pub searches_refused: u64,
}

impl Counters {
    fn snapshot(&self) -> ServerStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        ServerStats {
            connections: read(&self.connections),
            searches_running: read(&self.searches_running),
            searches_cancelled: read(&self.searches_cancelled),
            searches_timed_out: read(&self.searches_timed_out),
            searches_refused: read(&self.searches_refused),
        }
    }
}

/// `/api/health`: the index's status, and the server's under `server`.
#[derive(Serialize)]
pub(crate) struct Health {
    #[serde(flatten)]
    status: Status,
    server: ServerStats,
}

/// Throws its switch when dropped: when the handler's future is dropped because the client
/// disconnected, the search it started on the blocking pool stops within a few thousand
/// documents. (After an answer the search has finished, and the switch does nothing.)
pub(crate) struct CancelOnDrop(pub(crate) Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

pub(crate) type Shared = Extract<Arc<State>>;
pub(crate) type Answer<T> = Result<Json<T>, ApiError>;

/// Every parameter any route takes; each route reads the ones it needs. Values are parsed
/// by the routes rather than by serde so a bad one gets a message naming it.
#[derive(Debug, Default)]
pub(crate) struct Request {
    pub(crate) q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
    passages: Option<String>,
    since: Option<String>,
    until: Option<String>,
    /// `publisher=`, repeatable: reports by any of them.
    publishers: Vec<String>,
    /// `lang=`, repeatable: reports in any of the languages.
    lang: Vec<String>,
    interval: Option<String>,
    path: Option<String>,
    sort: Option<String>,
    strict: Option<String>,
    all_copies: Option<String>,
    count_all: Option<String>,
    distinct: Option<String>,
    pub(crate) format: Option<String>,
}

/// The request's query string, undecoded.
pub(crate) type Parsed = RawQuery;

pub(crate) async fn search(Extract(state): Shared, params: Parsed) -> Answer<Results> {
    let request = request(params)?;
    let query = paged(&request, filtered(&request)?)?;
    run(&state, query, |index, query| index.search(query)).await
}

/// `/api/stories`: the stories the query's best-ranked reports belong to, newest first.
pub(crate) async fn stories(Extract(state): Shared, params: Parsed) -> Answer<Stories> {
    let request = request(params)?;
    let query = paged(&request, filtered(&request)?)?;
    run(&state, query, |index, query| index.stories(query)).await
}

/// `/api/similar`: the reports most like the one named by `path`, answered like a search.
pub(crate) async fn similar(Extract(state): Shared, params: Parsed) -> Answer<Results> {
    let request = request(params)?;
    let name = report_name(&request)?;
    let query = paged(&request, with_filters(Query::similar_to_named(name), &request)?)?;
    run(&state, query, |index, query| index.search(query)).await
}

/// `query` with the request's page: limit, offset, passages.
fn paged(request: &Request, query: Query) -> Result<Query, ApiError> {
    let limit = number("limit", &request.limit, 10, MAX_LIMIT)?;
    let offset = number("offset", &request.offset, 0, MAX_DEPTH)?;
    if offset + limit > MAX_DEPTH {
        return Err(ApiError::bad_request(format!(
            "offset + limit is {}; results stop at {MAX_DEPTH}: narrow the query instead",
            offset + limit
        )));
    }
    let passages = number("passages", &request.passages, 2, MAX_PASSAGES)?;
    Ok(query.limit(limit).offset(offset).passages(passages))
}

pub(crate) async fn facets(Extract(state): Shared, params: Parsed) -> Answer<Facets> {
    let request = request(params)?;
    let interval = match request.interval.as_deref().filter(|text| !text.is_empty()) {
        Some(text) => Some(
            text.parse::<Interval>()
                .map_err(|reason| ApiError::bad_request(format!("interval: {reason}")))?,
        ),
        None => None,
    };
    let query = filtered(&request)?;
    run(&state, query, move |index, query| index.facets(query, interval)).await
}

pub(crate) async fn report(Extract(state): Shared, params: Parsed) -> Answer<Report> {
    let request = request(params)?;
    let name = report_name(&request)?;
    let text = request.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string);
    let with_query = text.is_some();
    let query = Query::new(text.unwrap_or_default());
    run(&state, query, move |index, query| index.report(&name, with_query.then_some(query))).await
}

pub(crate) async fn health(Extract(state): Shared) -> Answer<Health> {
    let index = Arc::clone(&state.index);
    let status = match tokio::task::spawn_blocking(move || index.status()).await {
        Ok(status) => status?,
        Err(err) => {
            return Err(ApiError::internal(format!("the request failed inside the server: {err}")));
        }
    };
    Ok(Json(Health { status, server: state.counters.snapshot() }))
}

pub(crate) async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], crate::OPENAPI)
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

/// The request's parameters. A parameter given twice is refused, except `publisher` and `lang`.
pub(crate) fn request(RawQuery(raw): Parsed) -> Result<Request, ApiError> {
    let mut request = Request::default();
    for (key, value) in form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        let slot = match key.as_ref() {
            "q" => &mut request.q,
            "limit" => &mut request.limit,
            "offset" => &mut request.offset,
            "passages" => &mut request.passages,
            "since" => &mut request.since,
            "until" => &mut request.until,
            "interval" => &mut request.interval,
            "path" => &mut request.path,
            "sort" => &mut request.sort,
            "strict" => &mut request.strict,
            "all_copies" => &mut request.all_copies,
            "count_all" => &mut request.count_all,
            "distinct" => &mut request.distinct,
            "format" => &mut request.format,
            "publisher" => {
                request.publishers.push(value.into_owned());
                continue;
            }
            "lang" => {
                request.lang.push(value.into_owned());
                continue;
            }
            // As before: a parameter no route knows is no error.
            _ => continue,
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(ApiError::bad_request(format!(
                "malformed parameters: `{}` is given more than once; only `publisher` and `lang` may be repeated",
                shorten(&key)
            )));
        }
    }
    Ok(request)
}

/// The report `path` names, as `/api/report` and `/api/similar` take it.
fn report_name(request: &Request) -> Result<String, ApiError> {
    request.path.clone().filter(|path| !path.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            "path: missing; give the `name` of a search hit, e.g. path=index-data/report.txt",
        )
    })
}

/// The query text with the request's filters, order and strictness.
pub(crate) fn filtered(request: &Request) -> Result<Query, ApiError> {
    with_filters(Query::new(request.q.clone().unwrap_or_default()), request)
}

/// `query` with the request's filters, order and strictness.
fn with_filters(query: Query, request: &Request) -> Result<Query, ApiError> {
    let mut filters = Filters::new();
    filters.since = day("since", &request.since)?;
    filters.until = day("until", &request.until)?;
    filters.publishers = request
        .publishers
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect();
    filters.languages = languages(&request.lang)?;
    let mut query = query.filtered(filters);
    if let Some(text) = request.sort.as_deref().filter(|text| !text.is_empty()) {
        let sort = text
            .parse::<Sort>()
            .map_err(|reason| ApiError::bad_request(format!("sort: {}", shorten(&reason))))?;
        query = query.sort(sort);
    }
    let strict = flag("strict", &request.strict)?;
    let all_copies = flag("all_copies", &request.all_copies)?;
    let count_all = flag("count_all", &request.count_all)?;
    let query = query.strict(strict).all_copies(all_copies).count_all(count_all);
    match request.distinct.as_deref() {
        None | Some("") => Ok(query),
        Some("story") => Ok(query.distinct(Distinct::Story)),
        Some(other) => Err(ApiError::bad_request(format!(
            "distinct: `{}` is not known; the only value is `story` (one hit per story)",
            shorten(other)
        ))),
    }
}

/// A `true`/`false` parameter, false when absent or empty.
fn flag(name: &str, value: &Option<String>) -> Result<bool, ApiError> {
    match value.as_deref() {
        None | Some("" | "false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => {
            Err(ApiError::bad_request(format!("{name}: `{}` is not true or false", shorten(other))))
        }
    }
}

/// The `lang=` codes: two letters each (ISO 639-1), lower-cased; empty values are ignored.
fn languages(values: &[String]) -> Result<Vec<String>, ApiError> {
    let mut codes = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        if value.len() != 2 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(ApiError::bad_request(format!(
                "lang: `{}` is not a two-letter language code (ISO 639-1), e.g. lang=de",
                shorten(value)
            )));
        }
        codes.push(value.to_ascii_lowercase());
    }
    Ok(codes)
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
        Some(text) => match text.parse::<Date>() {
            // Said here, naming the parameter, rather than by the query crate.
            Ok(day) if (FIRST_DATE..=LAST_DATE).contains(&day) => Ok(Some(day)),
            Ok(day) => Err(ApiError::bad_request(format!(
                "{name}: {day} is out of range; dates from {FIRST_DATE} to {LAST_DATE} can be searched"
            ))),
            Err(_) => Err(ApiError::bad_request(format!(
                "{name}: `{}` is not a date; use YYYY-MM-DD",
                shorten(text)
            ))),
        },
    }
}

/// One of the places for searches, waited for at most [`crate::SEARCH_QUEUE_WAIT`]; 503
/// when none frees up.
pub(crate) async fn place(state: &Arc<State>) -> Result<OwnedSemaphorePermit, ApiError> {
    match tokio::time::timeout(state.queue_wait, Arc::clone(&state.searches).acquire_owned()).await
    {
        Ok(Ok(place)) => Ok(place),
        // Not reached: the semaphore is never closed.
        Ok(Err(_)) | Err(_) => {
            state.counters.searches_refused.fetch_add(1, Ordering::Relaxed);
            Err(ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: format!(
                    "the server is busy: all {} places for searches are taken; try again in a second",
                    state.max_searches
                ),
            })
        }
    }
}

/// Runs a search on the blocking pool: searching is CPU work that must not stall the
/// threads serving connections. It waits for one of the places for searches (503 when none
/// frees up in time), holds it until the work has really stopped, runs under the time
/// budget, and is cancelled if this future is dropped. A panic there is answered 500, not a
/// dropped connection.
async fn run<T: Send + 'static>(
    state: &Arc<State>,
    query: Query,
    work: impl FnOnce(&Index, &Query) -> dateline_query::Result<T> + Send + 'static,
) -> Answer<T> {
    run_with(state, move |index, budget, cancel| {
        work(index, &query.time_budget(budget).cancel_with(cancel))
    })
    .await
}

/// [`run`] for work that is not a [`Query`]: it is given the time budget and the cancel
/// switch to obey.
pub(crate) async fn run_with<T: Send + 'static>(
    state: &Arc<State>,
    work: impl FnOnce(&Index, Duration, Cancel) -> dateline_query::Result<T> + Send + 'static,
) -> Answer<T> {
    let place = place(state).await?;
    let cancel = Cancel::new();
    let _guard = CancelOnDrop(cancel.clone());
    let shared = Arc::clone(state);
    let budget = state.time_budget;
    let task = tokio::task::spawn_blocking(move || {
        let counters = &shared.counters;
        counters.searches_running.fetch_add(1, Ordering::Relaxed);
        let result = work(&shared.index, budget, cancel);
        counters.searches_running.fetch_sub(1, Ordering::Relaxed);
        match &result {
            Err(dateline_query::Error::Cancelled) => {
                counters.searches_cancelled.fetch_add(1, Ordering::Relaxed);
                tracing::info!("a search was cancelled: its client went away");
            }
            Err(dateline_query::Error::TimedOut { .. }) => {
                counters.searches_timed_out.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
        drop(place);
        result
    });
    match task.await {
        Ok(result) => Ok(Json(result?)),
        Err(err) => Err(ApiError::internal(format!("the request failed inside the server: {err}"))),
    }
}
