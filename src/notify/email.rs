//! Email: sends an alert by SMTP with lettre, exactly as stored (same Message-ID, Date and bodies).
//!
//! The SMTP password is read here, at send time, from a file, an environment variable or the
//! systemd credential; it is never logged. `[email.smtp] timeout` bounds every conversation as a
//! whole: lettre applies it to connecting, and an outer deadline covers every read and write
//! after that, so a server that accepts and never greets (or stalls in DATA) cannot hold a drain.

use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{DeliveryError, Failure, NotifyError};
use crate::config::{EmailSettings, SmtpSecurity};
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
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    host: String,
    port: u16,
    timeout: Duration,
}

impl Mailer {
    pub fn new(email: &EmailSettings) -> Result<Mailer, NotifyError> {
        let smtp = &email.smtp;
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).port(smtp.port);
        if smtp.security != SmtpSecurity::None {
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
            builder = builder.tls(match smtp.security {
                SmtpSecurity::Starttls => Tls::Required(params),
                _ => Tls::Wrapper(params),
            });
        }
        if let Some(user) = &smtp.username {
            builder = builder.credentials(Credentials::new(user.clone(), password(email)?));
        }
        let transport = builder.timeout(Some(smtp.timeout)).build();
        Ok(Mailer {
            transport,
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
        match tokio::time::timeout(self.timeout, self.transport.send(msg)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(self.send_error(&e)),
            Err(_) => Err(self.stalled()),
        }
    }

    /// Connects, negotiates TLS and authenticates, without sending.
    pub async fn test_connection(&self) -> Result<(), NotifyError> {
        match tokio::time::timeout(self.timeout, self.transport.test_connection()).await {
            Ok(Ok(true)) => Ok(()),
            Ok(Ok(false)) => Err(NotifyError::Send {
                host: self.host.clone(),
                port: self.port,
                cause: "the server did not accept the connection".into(),
                failure: Failure::Unreachable,
            }),
            Ok(Err(e)) => Err(self.send_error(&e)),
            Err(_) => Err(self.stalled()),
        }
    }

    fn send_error(&self, e: &lettre::transport::smtp::Error) -> NotifyError {
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
fn failure_of(e: &lettre::transport::smtp::Error) -> Failure {
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
fn smtp_cause(e: &lettre::transport::smtp::Error) -> String {
    let chain = crate::error_chain::chain(e);
    let lower = chain.to_ascii_lowercase();
    let kind = if lower.contains("failed to lookup") || lower.contains("name or service not known")
    {
        "DNS failure"
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        "TLS failure"
    } else if lower.contains("authentication") || lower.contains("535") || lower.contains("auth") {
        "authentication failed"
    } else if lower.contains("connection refused") {
        "connection refused"
    } else if e.is_permanent() {
        "rejected by the server"
    } else if e.is_transient() {
        "rejected for now"
    } else if e.is_timeout() {
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
