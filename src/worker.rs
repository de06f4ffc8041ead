//! Worker: `policywatch worker`, the short-lived process the daemon runs its checks in. The daemon
//! itself then never fetches or parses a page: between bursts its memory is a scheduler's, the
//! memory of a burst goes back to the system when its worker exits, and a page that crashes or
//! exhausts the worker costs that burst's checks, not the daemon.
//!
//! The protocol is one JSON document per line on the worker's stdin and stdout:
//! 1. the daemon writes a [`Header`]: the config's text as the daemon loaded it (the worker never
//!    reads a config file the daemon has not validated) and the lexicon's;
//! 2. the worker builds its checker and answers a [`Hello`]: ready, or why not (then it exits);
//! 3. the daemon writes [`Order`]s as checks fall due (a target's name; or a check of it that
//!    was lost, to record as failed); the worker carries out each on its own task and writes one
//!    [`Report`] per order, in the order they finish;
//! 4. at the end of its input the worker finishes the checks in flight, stops Chromium and exits.
//!
//! The worker never sends alerts (stdout is the protocol; the daemon drains the outbox) and
//! ignores SIGTERM and SIGINT: the daemon decides when it ends, so that a stop request lets the
//! checks in flight finish. Every line read is bounded.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::check::{CheckError, Checker, Outcome, Status};
use crate::config::{Config, ConfigError, Target};
use crate::extract::lexicon::Lexicon;
use crate::metrics::status_label;
use crate::store::{Store, StoreError};
use crate::text::cut;

/// The header carries a whole config: a few MiB even for tens of thousands of targets.
pub const MAX_HEADER: usize = 64 << 20;
/// An order: a target name (at most `config::MAX_NAME` characters) or a lost check with its
/// cause (cut to [`MAX_CAUSE`]), as JSON.
pub const MAX_ORDER_LINE: usize = 64 << 10;
/// What an order keeps of a lost check's cause.
pub const MAX_CAUSE: usize = 4 << 10;
/// A report line; its `line` is cut to [`MAX_REPORT_TEXT`] so it always fits (JSON escapes at
/// most six bytes per byte of text).
pub const MAX_REPORT_LINE: usize = 64 << 10;
/// What a report's `line` keeps of the outcome's text.
pub const MAX_REPORT_TEXT: usize = 8 << 10;
/// Names read but not yet started: the daemon sends only what is due, so this is slack.
const QUEUE: usize = 1024;

/// What the daemon tells a new worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// Where the config was read from (relative paths and messages).
    pub config_path: PathBuf,
    /// The config's text.
    pub config: String,
    /// The database, after the daemon's `--database`.
    pub database: PathBuf,
    /// The text of the config's `lexicon` file as the daemon last read it (reloads re-read it).
    pub lexicon: Option<String>,
}

/// What the daemon asks of a worker, one per line after the header: check a target (a JSON
/// string, its name), or record a check of it that was lost (its worker ended or was stopped)
/// as a failed check, through the alert rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Order {
    Check(String),
    Failed { failed: String, cause: String },
}

/// The worker's first line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hello {
    Ready,
    Refused(String),
}

/// One finished check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub target: String,
    /// The metrics label of the outcome (`crate::metrics::status_label`).
    pub status: String,
    /// The outcome as `policywatch check` prints it, cut to [`MAX_REPORT_TEXT`].
    pub line: String,
}

impl Order {
    /// The target the order is about.
    pub fn target(&self) -> &str {
        match self {
            Order::Check(name) | Order::Failed { failed: name, .. } => name,
        }
    }
}

impl Report {
    fn of(outcome: &Outcome) -> Report {
        let line = cut(outcome.line(), MAX_REPORT_TEXT);
        Report {
            target: outcome.target.clone(),
            status: status_label(outcome).to_string(),
            line,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("reading the daemon's input: {0}")]
    Input(#[from] LineError),
    #[error("the daemon sent no header")]
    NoHeader,
    #[error("the daemon's header is not valid: {0}")]
    Header(serde_json::Error),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error("writing to the daemon: {0}")]
    Output(std::io::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum LineError {
    #[error("a line longer than {0} bytes")]
    TooLong(usize),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Reads one line (without its `\n`) of at most `max` bytes into `buf`; `Ok(false)` at the end
/// of the input. A last line without `\n` counts as a line.
pub async fn read_line<R: AsyncBufRead + Unpin>(
    input: &mut R,
    max: usize,
    buf: &mut Vec<u8>,
) -> Result<bool, LineError> {
    buf.clear();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let n = (&mut *input).take(limit).read_until(b'\n', buf).await?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    } else if buf.len() > max {
        return Err(LineError::TooLong(max));
    }
    Ok(true)
}

/// Writes `value` as one line and flushes it.
pub async fn write_line<W: AsyncWrite + Unpin>(
    output: &mut W,
    value: &impl Serialize,
) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    line.push(b'\n');
    output.write_all(&line).await?;
    output.flush().await
}

/// The config and checker a header describes.
fn start(header: Header) -> Result<(Config, Checker), WorkerError> {
    let mut config = Config::parse(&header.config_path, &header.config)?;
    config.database = header.database;
    let lexicon = match (&config.lexicon, &header.lexicon) {
        (Some(path), Some(text)) => Lexicon::parse_identified(&path.display().to_string(), text)
            .map_err(CheckError::from)?,
        (path, _) => Lexicon::load_identified(path.as_deref()).map_err(CheckError::from)?,
    };
    let store = Arc::new(Mutex::new(Store::open(&config.database)?));
    let checker = Checker::with_lexicon(&config, store, lexicon)?;
    Ok((config, checker))
}

/// The worker: reads the header from `input`, answers on `output`, then checks the targets named
/// on `input` until it ends (see the module's doc). An `Err` is a broken protocol or a checker
/// that could not be built (then said in a [`Hello::Refused`] first); a failed check is a report.
pub async fn serve<R, W>(mut input: R, mut output: W) -> Result<(), WorkerError>
where
    R: AsyncBufRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin,
{
    let mut buf = Vec::new();
    if !read_line(&mut input, MAX_HEADER, &mut buf).await? {
        return Err(WorkerError::NoHeader);
    }
    let header: Header = serde_json::from_slice(&buf).map_err(WorkerError::Header)?;
    drop(buf);
    let (config, checker) = match start(header) {
        Ok(started) => started,
        Err(e) => {
            write_line(&mut output, &Hello::Refused(crate::error_chain::chain(&e)))
                .await
                .map_err(WorkerError::Output)?;
            return Err(e);
        }
    };
    write_line(&mut output, &Hello::Ready)
        .await
        .map_err(WorkerError::Output)?;
    let targets: HashMap<&str, &Arc<Target>> = config
        .targets
        .iter()
        .map(|t| (t.name.as_str(), t))
        .collect();
    let checker = Arc::new(checker);

    // Orders are read on their own task, so a report is written as soon as its check ends.
    let (orders_tx, mut orders) = mpsc::channel::<Order>(QUEUE);
    let reader = tokio::spawn(async move {
        let mut buf = Vec::new();
        loop {
            match read_line(&mut input, MAX_ORDER_LINE, &mut buf).await {
                Ok(true) => match serde_json::from_slice::<Order>(&buf) {
                    Ok(order) => {
                        if orders_tx.send(order).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "check worker: not an order; line ignored")
                    }
                },
                Ok(false) => return,
                Err(e) => {
                    tracing::error!(error = %e, "check worker: cannot read the daemon's input; finishing");
                    return;
                }
            }
        }
    });

    let mut running = JoinSet::new();
    let mut open = true;
    let mut result = Ok(());
    while open || !running.is_empty() {
        tokio::select! {
            order = orders.recv(), if open => match order {
                Some(order) => match targets.get(order.target()) {
                    Some(target) => {
                        let (checker, target) = (checker.clone(), Arc::clone(target));
                        running.spawn(async move {
                            match order {
                                Order::Check(_) => checker.check_isolated(&target).await,
                                Order::Failed { cause, .. } => {
                                    checker.record_lost(&target, &cause).await
                                }
                            }
                        });
                    }
                    None => {
                        let outcome = Outcome {
                            target: order.target().to_string(),
                            status: Status::Error("no such target in the worker's config".into()),
                            verdict: None,
                        };
                        running.spawn(async move { outcome });
                    }
                },
                None => open = false,
            },
            Some(done) = running.join_next() => {
                // check_isolated turns panics into outcomes; a join error is a cancellation.
                let Ok(outcome) = done else { continue };
                if let Err(e) = write_line(&mut output, &Report::of(&outcome)).await {
                    // The daemon is gone: nobody waits for the rest.
                    result = Err(WorkerError::Output(e));
                    break;
                }
            }
        }
    }
    reader.abort();
    running.abort_all();
    checker.finish().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines(input: &[u8], max: usize) -> Vec<Result<String, String>> {
        let mut r = tokio::io::BufReader::new(input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match read_line(&mut r, max, &mut buf).await {
                Ok(true) => out.push(Ok(String::from_utf8_lossy(&buf).into_owned())),
                Ok(false) => return out,
                Err(e) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
            }
        }
    }

    #[tokio::test]
    async fn lines_are_bounded() {
        assert_eq!(
            lines(b"ab\ncd\nlast", 8).await,
            vec![Ok("ab".into()), Ok("cd".into()), Ok("last".into())]
        );
        // Exactly the bound passes; one byte more is refused, without reading the rest.
        assert_eq!(lines(b"12345678\n", 8).await, vec![Ok("12345678".into())]);
        assert_eq!(
            lines(b"123456789\nnext\n", 8).await,
            vec![Err("a line longer than 8 bytes".into())]
        );
        assert!(lines(b"", 8).await.is_empty());
    }

    #[test]
    fn report_text_is_cut_on_a_char_boundary() {
        let outcome = Outcome {
            target: "t".into(),
            status: Status::Error("終".repeat(MAX_REPORT_TEXT)),
            verdict: None,
        };
        let r = Report::of(&outcome);
        assert!(r.line.len() <= MAX_REPORT_TEXT && r.line.len() > MAX_REPORT_TEXT - 4);
        assert!(r.line.ends_with('終'));
    }

    #[test]
    fn the_longest_report_fits_its_line() {
        let outcome = Outcome {
            target: "t".into(),
            status: Status::Error("\u{1}".repeat(MAX_REPORT_TEXT)),
            verdict: None,
        };
        let r = Report::of(&outcome);
        assert_eq!(r.line.len(), MAX_REPORT_TEXT);
        assert_eq!(r.status, "error");
        assert!(serde_json::to_vec(&r).unwrap().len() < MAX_REPORT_LINE);
    }
}
