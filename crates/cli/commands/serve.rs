//! `dateline serve`: the search page and JSON API on a local address, until Ctrl-C.

use std::sync::Arc;

use anyhow::{Context, Result};

use crate::args::ServeArgs;
use crate::exit::Exit;
use crate::messages::Messages;
use crate::open::open_for_search;

pub fn run(args: ServeArgs, messages: &Messages) -> Result<Exit> {
    let index = Arc::new(open_for_search(&args.index, messages)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's threads")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr).await.with_context(|| {
            format!(
                "cannot listen on {}; choose another address with --addr (port 0 picks a free one)",
                args.addr
            )
        })?;
        let addr = listener.local_addr().context("reading the address listened on")?;
        if !addr.ip().is_loopback() {
            messages.note(&format!(
                "listening on {addr}: other machines can read every indexed report"
            ));
        }
        // The URL goes to stdout, on its own line, for whoever started the server to open.
        println!("http://{addr}/");
        messages.note(&format!(
            "serving {} reports from {}; stop with Ctrl-C",
            index.num_reports(),
            index.dir().display()
        ));
        let stop = async {
            // If the handler cannot be installed, the server runs until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let mut limits = dateline_server::Limits::default();
        limits.max_connections = args.max_connections as usize;
        if let Some(n) = args.max_searches {
            limits.max_searches = n as usize;
        }
        limits.header_read_timeout = args.header_timeout;
        limits.write_timeout = args.write_timeout;
        limits.time_budget = args.search_timeout;
        dateline_server::serve_with(listener, index, limits, stop).await.context("serving")?;
        messages.note("stopped");
        anyhow::Ok(Exit::Found)
    })
}
