//! Unix signals for `run`: SIGTERM and SIGINT become the daemon's stop requests, SIGHUP its reload
//! requests, delivered on channels so that the daemon itself never touches signals.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use policywatch::daemon;

/// SIGTERM and SIGINT become the daemon's stop requests, SIGHUP its reload requests.
pub fn forward_signals(
    database: Option<PathBuf>,
) -> Result<(mpsc::Receiver<()>, mpsc::Receiver<daemon::Reload>)> {
    let mut sigterm = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut sigint = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let mut sighup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    // Small buffers: a burst of signals while the daemon is busy needs only one of each.
    let (stop_tx, stop_rx) = mpsc::channel(2);
    let (reload_tx, reload_rx) = mpsc::channel(1);
    tokio::spawn(async move {
        loop {
            let stop = tokio::select! {
                _ = sigterm.recv() => true,
                _ = sigint.recv() => true,
                _ = sighup.recv() => false,
            };
            if stop {
                tracing::info!("stop requested by signal");
                let _ = stop_tx.try_send(());
            } else {
                tracing::info!("SIGHUP: reload requested");
                let _ = reload_tx.try_send(daemon::Reload {
                    database: database.clone(),
                });
            }
        }
    });
    Ok((stop_rx, reload_rx))
}
