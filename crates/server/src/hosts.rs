//! Refusing requests addressed to other hosts, for a server that answers this machine only.

use std::net::IpAddr;

use axum::extract::Request;
use axum::http::header::HOST;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Passes requests whose `Host` is this machine. A browser tricked by DNS rebinding sends
/// the attacker's host name, so refusing it keeps other sites' pages out of the index.
/// Clients that send no `Host` (HTTP/1.0 tools) are not browsers, and pass.
pub(crate) async fn local_only(request: Request, next: Next) -> Response {
    let host = request.headers().get(HOST).map(|value| value.to_str().unwrap_or("?"));
    match host {
        Some(host) if !is_local(host) => ApiError::forbidden(format!(
            "this server answers requests for localhost or 127.0.0.1 only, not `{}`",
            host.chars().take(100).collect::<String>()
        ))
        .into_response(),
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header value (name or address, optional port) names this machine.
fn is_local(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:4747`
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_local;

    #[test]
    fn only_names_of_this_machine_are_local() {
        for host in [
            "127.0.0.1:4747",
            "127.0.0.1",
            "localhost:4747",
            "LOCALHOST",
            "[::1]:4747",
            "127.8.0.1:1",
        ] {
            assert!(is_local(host), "{host}");
        }
        for host in [
            "rebind.example:4747",
            "localhost.example",
            "10.0.0.1:4747",
            "[::2]:1",
            "",
            "?",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_local(host), "{host}");
        }
    }
}
