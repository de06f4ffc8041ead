//! PDF documents: PDF bytes → the text blocks of the document in reading order.
//!
//! One block per heading, paragraph, list item or table row, the same shape as the blocks that
//! [`crate::extract::Extractor`] makes from HTML (each in [`crate::extract::normalise::display`] form), so that versions,
//! diffs and verdicts work alike for both. Measured choice of extractor: docs/PDF-EXTRACTION.md.
//!
//! Two steps:
//! - [`extract_text_pages`] (I/O): runs Poppler's `pdftotext -raw -bbox` as a child process, in
//!   content-stream order with the box of every word, under a size limit on the input, a time
//!   limit, an address-space, CPU and core-dump rlimit on the child and a cap on the text read
//!   back; then lays each page's words out into lines and paragraphs ([`layout_page`]): a page
//!   becomes text with one line per printed line and a blank line between paragraphs.
//! - [`blocks_from_pages`] (pure): drops running headers, footers and page numbers, joins
//!   hyphenated words and wrapped lines, and cuts the text into blocks.
//!
//! [`narrow`] keeps a part of a long document (the target keys `pdf_from` / `pdf_to`). Whether
//! bytes are a PDF at all is [`crate::fetch::sniff`]'s decision. Document metadata (creation date, `/ID`,
//! producer) never reaches the text, so a PDF regenerated with new metadata gives the same blocks.
//!
//! Boundary: no HTTP, no storage, no configuration parsing; the caller brings the bytes and the
//! limits and decides what a [`PdfError`] means for a check.

use std::ffi::OsStr;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::extract::block::MAX_BLOCKS;
use crate::extract::normalise::for_matching;
use crate::fetch::sniff::{PDF_SIGNATURE_WINDOW, has_pdf_signature};

mod bbox;
use bbox::BboxParser;
mod blocks;
mod layout;
#[cfg(test)]
mod layout_tests;
#[cfg(test)]
mod tests;

pub use bbox::WordBox;
pub use blocks::{blocks_from_pages, blocks_within};
pub use layout::layout_page;

/// The Poppler tool that reads the text layer (Debian package poppler-utils).
const PDFTOTEXT: &str = "pdftotext";

/// How much of the child's stderr is kept to explain a failure.
const STDERR_CAP: usize = 8 * 1024;

/// Limits on one extraction. A hostile PDF (a compression bomb, millions of text operators, a
/// cyclic page tree) can make any extractor run for minutes and take gigabytes: these bound it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfLimits {
    /// Largest PDF accepted, in bytes.
    pub max_bytes: u64,
    /// Wall-clock limit for the whole extraction; the child is killed when it passes. The
    /// child's CPU-time rlimit is this plus one second.
    pub timeout: Duration,
    /// Most text (UTF-8 bytes) read back; more is an error, never a silently cut version.
    pub max_text_bytes: usize,
    /// Address-space rlimit of the child, in bytes (Linux/glibc builds only).
    pub max_memory: u64,
}

impl Default for PdfLimits {
    fn default() -> Self {
        PdfLimits {
            max_bytes: 20 * 1024 * 1024,
            timeout: Duration::from_secs(20),
            max_text_bytes: 4 * 1024 * 1024,
            max_memory: 1024 * 1024 * 1024,
        }
    }
}

/// Why a PDF gave no blocks. The Display text is a short cause the user can act on.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    #[error("not a PDF (no %PDF- signature in the first {PDF_SIGNATURE_WINDOW} bytes)")]
    NotPdf,
    #[error("PDF is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("pdftotext is not installed (apt-get install poppler-utils)")]
    NotInstalled,
    #[error("could not run pdftotext: {0}")]
    Spawn(String),
    #[error("PDF text extraction timed out after {} s", .0.as_secs_f64())]
    Timeout(Duration),
    #[error("PDF text is over the limit of {limit} bytes")]
    TooMuchText { limit: usize },
    #[error("PDF is encrypted (needs a password)")]
    Encrypted,
    #[error("PDF text extraction ran out of memory (limit {limit_mib} MiB)")]
    OutOfMemory { limit_mib: u64 },
    #[error("PDF could not be read (damaged or not a PDF): {0}")]
    Unreadable(String),
    #[error("pdftotext failed: {0}")]
    Failed(String),
    #[error("PDF has no text layer (scanned image?)")]
    NoText,
    #[error(
        "PDF gives more than {limit} text blocks (the limit per document): a hostile PDF made \
         of tiny paragraphs"
    )]
    TooManyBlocks { limit: usize },
}

/// Why [`narrow`] found no part to keep.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum NarrowError {
    #[error("pdf_from \"{0}\" is in no text block of the document")]
    FromNotFound(String),
    #[error("pdf_to \"{0}\" is in no text block after pdf_from")]
    ToNotFound(String),
}

/// The text of each page, in order: one line per printed line, a blank line between paragraphs
/// (see [`layout_page`]). Runs `pdftotext -enc UTF-8 -raw -bbox - -` on the bytes through stdin
/// under `limits`; feed the result to [`blocks_from_pages`].
pub async fn extract_text_pages(bytes: &[u8], limits: &PdfLimits) -> Result<Vec<String>, PdfError> {
    run_extractor(OsStr::new(PDFTOTEXT), bytes, limits, |_| {}).await
}

/// [`extract_text_pages`] then [`blocks_from_pages`] up to [`MAX_BLOCKS`]; a document
/// without any text is [`PdfError::NoText`].
pub async fn extract_blocks(bytes: &[u8], limits: &PdfLimits) -> Result<Vec<String>, PdfError> {
    let pages = extract_text_pages(bytes, limits).await?;
    let blocks =
        blocks_within(&pages, MAX_BLOCKS).ok_or(PdfError::TooManyBlocks { limit: MAX_BLOCKS })?;
    if blocks.is_empty() {
        return Err(PdfError::NoText);
    }
    Ok(blocks)
}

/// Runs `program` as pdftotext; `on_spawn` is told the child's pid (for tests).
async fn run_extractor(
    program: &OsStr,
    bytes: &[u8],
    limits: &PdfLimits,
    on_spawn: impl FnOnce(Option<u32>),
) -> Result<Vec<String>, PdfError> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(PdfError::TooLarge {
            size,
            limit: limits.max_bytes,
        });
    }
    if !has_pdf_signature(bytes) {
        return Err(PdfError::NotPdf);
    }
    let mut cmd = Command::new(program);
    cmd.args(["-enc", "UTF-8", "-raw", "-bbox", "-", "-"])
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    limit_child(&mut cmd, limits);
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PdfError::NotInstalled,
        _ => PdfError::Spawn(e.to_string()),
    })?;
    on_spawn(child.id());
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(PdfError::Spawn("no pipes to the child".into()));
    };
    // The writer and the stderr reader end by themselves once the child exits or is killed
    // (its pipe ends close); they are aborted below in any case.
    let input = bytes.to_vec();
    let writer = tokio::spawn(async move {
        // A child that stops reading (a damaged file) closes the pipe: not an error of ours.
        let _ = stdin.write_all(&input).await;
    });
    let stderr_reader = tokio::spawn(read_capped(stderr, STDERR_CAP));

    let outcome = tokio::time::timeout(limits.timeout, collect(&mut child, stdout, limits)).await;
    let result = match outcome {
        Ok(Ok((pages, status))) => {
            // The child has exited, so its stderr is at its end (or nearly).
            let abort = stderr_reader.abort_handle();
            let err = match tokio::time::timeout(Duration::from_secs(1), stderr_reader).await {
                Ok(Ok(text)) => text,
                _ => {
                    abort.abort();
                    String::new()
                }
            };
            classify(status, &err, pages, limits)
        }
        Ok(Err(e)) => {
            stderr_reader.abort();
            Err(e)
        }
        Err(_) => {
            stderr_reader.abort();
            Err(PdfError::Timeout(limits.timeout))
        }
    };
    if result.is_err() {
        // Reap a child that is still running (timeout, text cap): kill_on_drop alone would leave
        // the zombie to tokio's reaper.
        let _ = child.start_kill();
        let _ = child.wait().await;
    }
    writer.abort();
    result
}

/// Reads the child's stdout into laid-out pages, then waits for it to exit. Kills the child when
/// the text cap is passed.
async fn collect(
    child: &mut Child,
    stdout: impl AsyncRead + Unpin,
    limits: &PdfLimits,
) -> Result<(Vec<String>, ExitStatus), PdfError> {
    let mut reader = BufReader::new(stdout);
    let mut parser = BboxParser::new(limits.max_text_bytes);
    // One line of the output holds one word and its box: longer means more text than allowed.
    let max_line = limits.max_text_bytes.saturating_add(1024);
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = (&mut reader)
            .take(max_line as u64 + 1)
            .read_until(b'\n', &mut line)
            .await
            .map_err(|e| PdfError::Failed(format!("reading pdftotext output: {e}")))?;
        if n == 0 {
            break;
        }
        if n > max_line {
            let _ = child.start_kill();
            return Err(PdfError::TooMuchText {
                limit: limits.max_text_bytes,
            });
        }
        if let Err(e) = parser.push_line(&String::from_utf8_lossy(&line)) {
            let _ = child.start_kill();
            return Err(e);
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|e| PdfError::Failed(format!("waiting for pdftotext: {e}")))?;
    Ok((parser.finish(), status))
}

async fn read_capped(stream: impl AsyncRead + Unpin, cap: usize) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 4096];
    let mut stream = stream;
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// Turns the child's exit into pages or the error that explains it.
fn classify(
    status: ExitStatus,
    stderr: &str,
    pages: Vec<String>,
    limits: &PdfLimits,
) -> Result<Vec<String>, PdfError> {
    if status.success() {
        if pages.iter().all(|p| p.trim().is_empty()) {
            return Err(PdfError::NoText);
        }
        return Ok(pages);
    }
    Err(classify_failure(status.code(), stderr, limits))
}

/// The error for a failed pdftotext run, from its exit code (None: killed by a signal) and
/// stderr. Poppler exits 1 when it cannot open the document, 3 on a permission problem.
fn classify_failure(code: Option<i32>, stderr: &str, limits: &PdfLimits) -> PdfError {
    if stderr.contains("Incorrect password") {
        return PdfError::Encrypted;
    }
    if stderr.contains("Out of memory") || stderr.contains("bad_alloc") {
        return PdfError::OutOfMemory {
            limit_mib: limits.max_memory / (1024 * 1024),
        };
    }
    let last_error = stderr
        .lines()
        .rev()
        .find(|l| l.contains("Error"))
        .map(|l| l.trim().chars().take(200).collect::<String>());
    match (code, last_error) {
        (Some(1), Some(msg)) => PdfError::Unreadable(msg),
        (Some(1), None) => PdfError::Unreadable("pdftotext could not open it".into()),
        (Some(c), msg) => PdfError::Failed(format!(
            "exit code {c}{}",
            msg.map(|m| format!(": {m}")).unwrap_or_default()
        )),
        // SIGXCPU from the CPU rlimit, SIGKILL or SIGSEGV: the child did not finish.
        (None, _) => {
            PdfError::Failed("killed by a signal (CPU or memory limit, or a crash)".into())
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_child(cmd: &mut Command, limits: &PdfLimits) {
    let memory = limits.max_memory as libc::rlim_t;
    let cpu = limits.timeout.as_secs().saturating_add(1) as libc::rlim_t;
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit, which is
    // async-signal-safe; it allocates nothing and touches no lock.
    unsafe {
        cmd.pre_exec(move || {
            let set = |resource, value: libc::rlim_t| {
                let lim = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                if libc::setrlimit(resource, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            };
            set(libc::RLIMIT_AS, memory)?;
            set(libc::RLIMIT_CPU, cpu)?;
            // No core file from an aborted child, and no files written at all (stdout is a pipe).
            set(libc::RLIMIT_CORE, 0)?;
            set(libc::RLIMIT_FSIZE, 0)?;
            Ok(())
        });
    }
}

/// Elsewhere only the wall-clock limit, the text cap and kill-on-drop apply.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_child(_cmd: &mut Command, _limits: &PdfLimits) {}

// ---------------------------------------------------------------------------------------------
// narrowing

/// Keeps the part of a long document that matters: the blocks from the first one containing
/// `from` (included) up to the next one after it containing `to` (not included). Either may be
/// absent: from the start, or to the end. Matching is on the [`for_matching`] form, so case,
/// full-width forms and Traditional/Simplified spelling do not matter.
///
/// Configured per target as `pdf_from` / `pdf_to`, e.g. `pdf_from = "Termination"` and
/// `pdf_to = "Governing Law"` to watch one section of a terms-of-service PDF. Pick text that
/// occurs once: a table of contents that lists the same heading comes first and would be matched.
/// Text that is no longer there is an error, not an empty version, so a reworded heading is
/// noticed.
pub fn narrow(
    blocks: Vec<String>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<String>, NarrowError> {
    let from_key = from.map(for_matching).filter(|k| !k.is_empty());
    let to_key = to.map(for_matching).filter(|k| !k.is_empty());
    let start = match (&from_key, from) {
        (Some(key), Some(raw)) => blocks
            .iter()
            .position(|b| for_matching(b).contains(key.as_str()))
            .ok_or_else(|| NarrowError::FromNotFound(raw.to_string()))?,
        _ => 0,
    };
    let end = match (&to_key, to) {
        (Some(key), Some(raw)) => {
            // The `from` block itself is never the end, even if it also contains `to`.
            let skip = if from_key.is_some() { start + 1 } else { start };
            blocks
                .iter()
                .enumerate()
                .skip(skip)
                .find(|(_, b)| for_matching(b).contains(key.as_str()))
                .map(|(i, _)| i)
                .ok_or_else(|| NarrowError::ToNotFound(raw.to_string()))?
        }
        _ => blocks.len(),
    };
    Ok(blocks.into_iter().take(end).skip(start).collect())
}
