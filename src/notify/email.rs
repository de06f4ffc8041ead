//! Email: sends an alert by SMTP with lettre, exactly as stored (same Message-ID, Date and bodies).
//!
//! The SMTP password is read here, at send time, from a file, an environment variable or the
//! systemd credential; it is never logged. `[email.smtp] timeout` bounds every conversation as a
//! whole (connecting, TLS, every read and write), so a server that accepts and never greets (or
//! stalls in DATA) cannot hold a drain.
//!
//! Each message has its own connection, which this module opens and hands to lettre's
//! [`AsyncSmtpConnection`] rather than letting lettre's transport open it: the TCP stream is a
//! [`Bounded`] one, so a server can make us buffer at most [`MAX_SERVER_BYTES`] (lettre checks a
//! reply line's length only once the whole line arrived, and a server that never ends its line
//! would otherwise grow the daemon's memory at network speed until the timeout).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, UNIX_EPOCH};

use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
#[allow(deprecated)]
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_util::compat::{Compat, FuturesAsyncReadCompatExt};

use super::{DeliveryError, Failure, NotifyError};
use crate::config::{EmailSettings, SmtpSecurity};
use crate::fetch::http::size_text;
use crate::store::Alert;

/// Name of the systemd credential holding the SMTP password (`LoadCredential=smtp-password:…`).
pub const CREDENTIAL_NAME: &str = "smtp-password";

/// `Auto-Submitted: auto-generated` (RFC 3834): tells auto-responders not to answer.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// Sends alerts by SMTP.
pub struct Mailer {
    security: Security,
    credentials: Option<Credentials>,
    from: Mailbox,
    to: Vec<Mailbox>,
    host: String,
    port: u16,
    timeout: Duration,
}

/// How a connection is secured; TLS is verified with lettre's `TlsParameters` (the platform
/// verifier, plus the `ca_file` root when set) in both TLS modes.
enum Security {
    None,
    Starttls(TlsParameters),
    /// TLS from the first byte (`security = "tls"`, port 465).
    Implicit(TlsParameters),
}

impl Mailer {
    pub fn new(email: &EmailSettings) -> Result<Mailer, NotifyError> {
        let smtp = &email.smtp;
        let security = if smtp.security == SmtpSecurity::None {
            Security::None
        } else {
            let mut params = TlsParameters::builder(smtp.host.clone());
            if let Some(ca) = &smtp.ca_file {
                let ca_err = |message: String| NotifyError::CaFile {
                    path: ca.display().to_string(),
                    message,
                };
                let pem = crate::local_file::read(ca, crate::local_file::MAX_CA_FILE)
                    .map_err(|e| ca_err(e.to_string()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| ca_err(e.to_string()))?;
                params = params.add_root_certificate(cert);
            }
            let params = params
                .build_rustls()
                .map_err(|e| NotifyError::Setup(e.to_string()))?;
            match smtp.security {
                SmtpSecurity::Starttls => Security::Starttls(params),
                _ => Security::Implicit(params),
            }
        };
        let credentials = match &smtp.username {
            Some(user) => Some(Credentials::new(user.clone(), password(email)?)),
            None => None,
        };
        Ok(Mailer {
            security,
            credentials,
            from: email.from.clone(),
            to: email.to.clone(),
            host: smtp.host.clone(),
            port: smtp.port,
            timeout: smtp.timeout,
        })
    }

    /// Builds the message exactly as stored: same Message-ID, same Date, same bodies.
    pub fn message(&self, alert: &Alert) -> Result<Message, NotifyError> {
        let date = UNIX_EPOCH + Duration::from_secs(u64::try_from(alert.created_at).unwrap_or(0));
        let mut b = Message::builder()
            .from(self.from.clone())
            .subject(crate::notify::report::header_safe(&alert.message.subject))
            .message_id(Some(alert.message.message_id.clone()))
            .date(date)
            .header(AutoSubmitted);
        for to in &self.to {
            b = b.to(to.clone());
        }
        if let Some(thread) = &alert.message.thread_id {
            b = b.in_reply_to(thread.clone()).references(thread.clone());
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(alert.message.body_text.clone());
        let msg = match &alert.message.body_html {
            Some(html) => b.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
            None => b.singlepart(text),
        };
        msg.map_err(|e| NotifyError::Build(e.to_string()))
    }

    /// Sends one alert, within the timeout for the whole conversation.
    pub async fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let msg = self.message(alert)?;
        let raw = msg.formatted();
        let envelope = msg.envelope();
        let deadline = Instant::now() + self.timeout;
        let sent = tokio::time::timeout_at(deadline, async {
            let mut conn = self.connect().await?;
            conn.send(envelope, &raw).await?;
            Ok::<_, SmtpError>(conn)
        })
        .await;
        match sent {
            Ok(Ok(conn)) => {
                // Accepted: a QUIT that fails or stalls changes nothing (a retry would send twice).
                quit(conn, deadline).await;
                Ok(())
            }
            Ok(Err(e)) => Err(self.send_error(&e)),
            Err(_) => Err(self.stalled()),
        }
    }

    /// Connects, negotiates TLS and authenticates, without sending.
    pub async fn test_connection(&self) -> Result<(), NotifyError> {
        let deadline = Instant::now() + self.timeout;
        let checked = tokio::time::timeout_at(deadline, async {
            let mut conn = self.connect().await?;
            let alive = conn.test_connected().await;
            Ok::<_, SmtpError>((conn, alive))
        })
        .await;
        match checked {
            Ok(Ok((conn, true))) => {
                quit(conn, deadline).await;
                Ok(())
            }
            Ok(Ok((_, false))) => Err(NotifyError::Send {
                host: self.host.clone(),
                port: self.port,
                cause: "the server did not accept the connection".into(),
                failure: Failure::Unreachable,
            }),
            Ok(Err(e)) => Err(self.send_error(&e)),
            Err(_) => Err(self.stalled()),
        }
    }

    /// One SMTP connection, greeted, secured as configured and authenticated: what lettre's
    /// transport did, over a [`Bounded`] TCP stream.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SmtpError> {
        // Each resolved address in turn until one answers (else the last one's error), as
        // lettre's transport did; the conversation's deadline bounds it.
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(SmtpError::Connect)?;
        let stream = Bounded::new(tcp, MAX_SERVER_BYTES);
        let hello = ClientId::default();
        let mut conn = match &self.security {
            Security::Implicit(params) => {
                // lettre reads the greeting as soon as it has the stream: TLS must come first.
                #[allow(deprecated)]
                let mut tls = AsyncNetworkStream::use_existing_tokio1(Box::new(stream));
                tls.upgrade_tls(params.clone()).await?;
                let tls = ImplicitTls(tls.compat());
                AsyncSmtpConnection::connect_with_transport(Box::new(tls), &hello).await?
            }
            Security::None | Security::Starttls(_) => {
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello).await?
            }
        };
        if let Security::Starttls(params) = &self.security {
            conn.starttls(params.clone(), &hello).await?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials).await?;
        }
        Ok(conn)
    }

    fn send_error(&self, e: &SmtpError) -> NotifyError {
        NotifyError::Send {
            host: self.host.clone(),
            port: self.port,
            cause: smtp_cause(e),
            failure: failure_of(e),
        }
    }

    fn stalled(&self) -> NotifyError {
        NotifyError::Send {
            host: self.host.clone(),
            port: self.port,
            cause: format!(
                "timed out after {} (the server stopped answering)",
                humantime::format_duration(self.timeout)
            ),
            failure: Failure::Unreachable,
        }
    }
}

/// What a failed send means for the drain. A 5xx reply refuses this message (too large,
/// content refused; or the client or the envelope, which the drain tells apart by whether other
/// messages go through), except one about authentication (530, 534, 535, 538): that concerns
/// every message alike, is fixed in the config, and is retried like an outage. A 4xx reply asks to try this message again later. Anything else (refused connection,
/// TLS, a timeout) means the server cannot be used now.
fn failure_of(e: &SmtpError) -> Failure {
    let SmtpError::Smtp(e) = e else {
        return Failure::Unreachable;
    };
    let auth = e
        .status()
        .map(u16::from)
        .is_some_and(|c| matches!(c, 530 | 534 | 535 | 538));
    if e.is_permanent() && !auth {
        Failure::Permanent
    } else if e.is_transient() {
        Failure::Transient
    } else {
        Failure::Unreachable
    }
}

/// How the drain should treat a failed send.
pub(super) fn delivery_error(e: NotifyError) -> DeliveryError {
    let kind = match &e {
        NotifyError::Send { failure, .. } => *failure,
        // Setup: a missing password or CA file concerns every message alike.
        _ => Failure::Unreachable,
    };
    DeliveryError {
        kind,
        message: e.to_string(),
    }
}

/// A short, actionable description of an SMTP failure: DNS, TLS, auth, rejected recipient…
fn smtp_cause(e: &SmtpError) -> String {
    let chain = crate::error_chain::chain(e);
    let lower = chain.to_ascii_lowercase();
    let smtp = match e {
        SmtpError::Smtp(e) => Some(e),
        SmtpError::Connect(_) => None,
    };
    let kind = if lower.contains(TOO_MUCH) {
        TOO_MUCH
    } else if lower.contains("failed to lookup") || lower.contains("name or service not known") {
        "DNS failure"
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        "TLS failure"
    } else if lower.contains("authentication") || lower.contains("535") || lower.contains("auth") {
        "authentication failed"
    } else if lower.contains("connection refused") {
        "connection refused"
    } else if smtp.is_some_and(|e| e.is_permanent()) {
        "rejected by the server"
    } else if smtp.is_some_and(|e| e.is_transient()) {
        "rejected for now"
    } else if smtp.is_some_and(|e| e.is_timeout()) {
        "timed out"
    } else {
        "failed"
    };
    // "connection refused (Connection error: Connection refused (os error 111))" would say it
    // twice: when the chain already names the kind, only what the kind leaves out is added.
    match lower.rfind(kind) {
        Some(at) => {
            let rest = chain[at + kind.len()..].trim_matches(|c: char| c == ':' || c == ' ');
            match rest {
                "" => kind.to_string(),
                r if r.starts_with('(') => format!("{kind} {r}"),
                r => format!("{kind} ({r})"),
            }
        }
        None => format!("{kind} ({chain})"),
    }
}

/// Why one conversation failed: reaching the server (resolving its name, connecting), or the
/// SMTP conversation itself as lettre reports it.
#[derive(Debug, thiserror::Error)]
enum SmtpError {
    /// Worded as lettre words its own connection errors, which `smtp_cause` reads.
    #[error("Connection error: {0}")]
    Connect(#[source] io::Error),
    #[error(transparent)]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// Says goodbye after the message was accepted (or the test passed), by `deadline`; whatever
/// the server answers, or if it does not, the outcome stays what it was.
async fn quit(mut conn: AsyncSmtpConnection, deadline: Instant) {
    let _ = tokio::time::timeout_at(deadline, conn.quit()).await;
}

/// The most the SMTP server may send on one connection, TLS records included. A conversation's
/// replies (greeting, EHLO, one reply per command) and a TLS handshake take a few KiB.
pub const MAX_SERVER_BYTES: u64 = 1 << 20;

/// How [`TooMuch`] begins; `smtp_cause` names the failure by it.
const TOO_MUCH: &str = "the server sent too much";

/// The error a [`Bounded`] read gives once the server has sent more than its budget.
#[derive(Debug, thiserror::Error)]
#[error("{TOO_MUCH}: more than {} on one connection, where SMTP replies take a few KiB", size_text(*.budget))]
struct TooMuch {
    budget: u64,
}

/// A stream whose reads fail once the peer has sent more than `budget` bytes.
///
/// Why: lettre reads each SMTP reply with `read_line` and checks its 1000-byte line limit only
/// once a whole line arrived, so a server (or, before STARTTLS, anyone on the path) that sends
/// `220 ` and then bytes without a line end would have us buffer all of them until the timeout:
/// gigabytes in seconds, in the daemon's own process. The count is of raw bytes, under any TLS
/// (lettre's STARTTLS wraps this stream, and so does implicit TLS here), so one bound covers
/// every security mode. The read that crosses the budget still returns its bytes (so the count
/// overshoots by at most one read buffer); every read after it fails.
#[derive(Debug)]
struct Bounded<S> {
    inner: S,
    received: u64,
    budget: u64,
}

impl<S> Bounded<S> {
    fn new(inner: S, budget: u64) -> Bounded<S> {
        Bounded {
            inner,
            received: 0,
            budget,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.received > this.budget {
            return Poll::Ready(Err(io::Error::other(TooMuch {
                budget: this.budget,
            })));
        }
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let read = buf.filled().len().saturating_sub(before);
        this.received = this.received.saturating_add(read as u64);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for Bounded<TcpStream> {
    fn peer_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.inner.peer_addr()
    }
}

/// An implicit TLS session (`security = "tls"`) as a stream lettre's connection can take: lettre
/// reads the greeting as soon as it has a stream, so the session is made first, by lettre itself
/// (`upgrade_tls` with the same `TlsParameters`, so verified exactly as before) over a
/// [`Bounded`] TCP stream, and seen through tokio-util's futures-io to tokio adapter.
/// `AsyncNetworkStream` is deprecated as "not meant to be public", but is still lettre 0.11's
/// only public way to its TLS.
#[allow(deprecated)]
#[derive(Debug)]
struct ImplicitTls(Compat<AsyncNetworkStream>);

impl AsyncRead for ImplicitTls {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for ImplicitTls {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for ImplicitTls {
    fn peer_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.get_ref().peer_addr()
    }
}

/// The SMTP password: from `password_file`, else `password_env`, else the systemd credential.
fn password(email: &EmailSettings) -> Result<String, NotifyError> {
    let smtp = &email.smtp;
    let read = |path: std::path::PathBuf| {
        crate::local_file::read_to_string(&path, crate::local_file::MAX_PASSWORD)
            .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
            .map_err(|source| NotifyError::PasswordFile {
                path: path.display().to_string(),
                source,
            })
    };
    if let Some(p) = &smtp.password_file {
        return read(p.clone());
    }
    if let Some(var) = &smtp.password_env {
        return std::env::var(var).map_err(|_| NotifyError::PasswordEnv(var.clone()));
    }
    if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
        return read(std::path::Path::new(&dir).join(CREDENTIAL_NAME));
    }
    Err(NotifyError::Setup(
        "email.smtp.username is set but no password source: set password_env or password_file, \
         or run under systemd with LoadCredential=smtp-password:…"
            .into(),
    ))
}

#[cfg(test)]
mod tests;
