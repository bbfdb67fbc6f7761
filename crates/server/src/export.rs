//! `/api/export`: every hit of a search as a CSV or JSON Lines download, streamed.
//!
//! The export runs on the blocking pool in one of the places for searches, which it holds
//! until the last hit is written: its ranking under the time budget, then one report at a
//! time into chunks that wait in a short queue for the client. A client that stops reading
//! holds the export (and its place) until [`crate::WRITE_TIMEOUT`] closes the connection;
//! one that goes away cancels it. An error after the first byte ends the download early
//! (the connection is cut, so no truncated file passes for a whole one).

use std::io::Write;
use std::sync::Arc;

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use dateline_query::{Cancel, ExportFormat, ExportWriter};
use tokio::sync::{mpsc, oneshot};

use crate::api::{CancelOnDrop, Parsed, Shared, State, filtered, place, request};
use crate::error::{ApiError, shorten};
use axum::extract::State as Extract;

/// Bytes gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks written ahead of the client.
const CHUNKS_AHEAD: usize = 4;

type Chunk = Result<Vec<u8>, std::io::Error>;

pub(crate) async fn export(Extract(state): Shared, params: Parsed) -> Result<Response, ApiError> {
    let request = request(params)?;
    let format = match request.format.as_deref() {
        None | Some("") => {
            return Err(ApiError::bad_request("format: missing; give format=csv or format=jsonl"));
        }
        Some(text) => text
            .parse::<ExportFormat>()
            .map_err(|reason| ApiError::bad_request(format!("format: {}", shorten(&reason))))?,
    };
    let query = filtered(&request)?;
    let place = place(&state).await?;
    let cancel = Cancel::new();
    let guard = CancelOnDrop(cancel.clone());
    let query = query.time_budget(state.time_budget).cancel_with(cancel);
    let (started, start) = oneshot::channel();
    let (chunks, body) = mpsc::channel::<Chunk>(CHUNKS_AHEAD);
    let shared = Arc::clone(&state);
    tokio::task::spawn_blocking(move || {
        write_all(&shared, &query, format, started, &chunks);
        drop(place);
    });
    match start.await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => return Err(err),
        Err(_) => return Err(ApiError::internal("the export failed inside the server")),
    }
    // The guard lives as long as the body: a client that goes away cancels the export.
    let stream = futures_util::stream::unfold((body, guard), |(mut body, guard)| async move {
        body.recv().await.map(|chunk| (chunk, (body, guard)))
    });
    let (content_type, extension) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Jsonl => ("application/x-ndjson", "jsonl"),
    };
    let disposition = format!("attachment; filename=\"dateline-export.{extension}\"");
    Ok((
        [(CONTENT_TYPE, content_type.to_string()), (CONTENT_DISPOSITION, disposition)],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Ranks, says whether the export could start, then writes every hit into `chunks`.
fn write_all(
    state: &State,
    query: &dateline_query::Query,
    format: ExportFormat,
    started: oneshot::Sender<Result<(), ApiError>>,
    chunks: &mpsc::Sender<Chunk>,
) {
    let hits = match state.index.export(query) {
        Ok(hits) => hits,
        Err(err) => {
            let _ = started.send(Err(err.into()));
            return;
        }
    };
    let mut out = match ExportWriter::new(format, Chunks { buffer: Vec::new(), chunks }) {
        Ok(out) => out,
        Err(err) => {
            let _ = started.send(Err(ApiError::internal(format!("the export failed: {err}"))));
            return;
        }
    };
    if started.send(Ok(())).is_err() {
        return;
    }
    for hit in hits {
        let written = match hit {
            Ok(hit) => out.write(&hit),
            Err(err) => Err(std::io::Error::other(err)),
        };
        if let Err(err) = written {
            if chunks.blocking_send(Err(err)).is_err() {
                tracing::info!("an export was cancelled: its client went away");
            }
            return;
        }
    }
    if let Err(err) = out.flush() {
        let _ = chunks.blocking_send(Err(err));
    }
}

/// Gathers written bytes into chunks for the response body; an error once the client has
/// gone away.
struct Chunks<'c> {
    buffer: Vec<u8>,
    chunks: &'c mpsc::Sender<Chunk>,
}

impl Chunks<'_> {
    fn send(&mut self) -> std::io::Result<()> {
        let chunk = std::mem::take(&mut self.buffer);
        self.chunks.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for Chunks<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.buffer.is_empty() {
            true => Ok(()),
            false => self.send(),
        }
    }
}
