//! The accept loop: hyper's HTTP/1 connections with a cap on how many are open, a deadline
//! for request heads (which also closes idle keep-alive connections), a deadline for
//! clients that stop reading, and a graceful stop.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::time::Sleep;

use crate::api::State;
use crate::{Limits, MAX_HEAD_BYTES, MAX_HEADERS_HARD};

/// Accepts connections on `listener` and serves `app` on each until `shutdown` completes;
/// then stops accepting, lets each connection finish the request it is answering (idle ones
/// close at once), and returns when all have closed.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    state: Arc<State>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let max_connections = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let places = Arc::new(Semaphore::new(max_connections));
    let (stop, stopping) = watch::channel(false);
    let (shed, _) = watch::channel(0u64);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS_HARD);
    let write_timeout = limits.write_timeout;
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A connection first, then a place for it. When every place is taken, the open
        // connections are asked to close once idle (one waiting for its first or next
        // request closes at once, one answering closes after it), so idle sockets cannot
        // keep a client out. Only a client actually waiting sets that off: shedding when the
        // last place is taken would close the newest connection before its request arrives.
        // At most one connection beyond the cap is held while it waits for a place; the
        // rest wait in the listen queue.
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_connection_error(&err) => continue,
                Err(err) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::error!("cannot accept a connection: {err}");
                    tokio::select! {
                        () = &mut shutdown => break,
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                    }
                }
            },
        };
        let place = match Arc::clone(&places).try_acquire_owned() {
            Ok(place) => place,
            Err(_) => {
                shed.send_modify(|round| *round += 1);
                tokio::select! {
                    () = &mut shutdown => break,
                    place = Arc::clone(&places).acquire_owned() => match place {
                        Ok(place) => place,
                        Err(_) => break, // not reached: the semaphore is never closed
                    },
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(WriteDeadline::new(stream, write_timeout));
        let connection = http.serve_connection(io, TowerToHyperService::new(app.clone()));
        let mut stopping = stopping.clone();
        // Sees only the requests to shed made from now on.
        let mut shedding = shed.subscribe();
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let _place = place;
            let _open = Open::new(&state);
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                // Connections are only made before the stop is sent, so it is a change.
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
                _ = shedding.changed() => {
                    connection.as_mut().graceful_shutdown();
                    tokio::select! {
                        result = connection.as_mut() => result,
                        _ = stopping.changed() => connection.await,
                    }
                }
            };
            if let Err(err) = result {
                tracing::debug!("connection closed: {err}");
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    // Each connection holds its place until it has closed.
    let _all = places.acquire_many(max_connections as u32).await;
    Ok(())
}

/// Counts an open connection while it lives.
struct Open<'a>(&'a State);

impl<'a> Open<'a> {
    fn new(state: &'a State) -> Open<'a> {
        state.counters.connections.fetch_add(1, Ordering::Relaxed);
        Open(state)
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        self.0.counters.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Errors that concern one connection only, after which accepting goes on at once.
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A socket whose writes fail with `TimedOut` once one has waited `timeout` for a client
/// that does not read: such a client would otherwise hold its connection for ever.
struct WriteDeadline {
    stream: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    fn new(stream: TcpStream, timeout: Duration) -> WriteDeadline {
        WriteDeadline { stream, timeout, stalled: None }
    }

    /// `poll` (a write or flush), failing once it has been pending for the timeout.
    fn deadline<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: impl FnOnce(Pin<&mut TcpStream>, &mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll(Pin::new(&mut self.stream), cx) {
            Poll::Ready(result) => {
                self.stalled = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let stalled =
                    self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match stalled.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading the response",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.deadline(cx, |stream, cx| stream.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.deadline(cx, |stream, cx| stream.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.deadline(cx, |stream, cx| stream.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
