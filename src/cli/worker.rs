//! `worker`: the daemon's check worker (see `policywatch::worker`), on stdin and stdout.

use std::process::ExitCode;

use anyhow::Result;
use tokio::signal::unix::{SignalKind, signal};

pub async fn worker() -> Result<ExitCode> {
    // A stop reaches the whole service (systemd signals every process of the unit, a terminal
    // its foreground group): the daemon ends its worker by closing its input, after the checks
    // in flight, so the worker itself outlives these signals. Registered handlers are reset in
    // the processes it starts (Chromium), unlike ignored signals.
    let _term = signal(SignalKind::terminate())?;
    let _int = signal(SignalKind::interrupt())?;
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    policywatch::worker::serve(input, tokio::io::stdout()).await?;
    Ok(ExitCode::SUCCESS)
}
