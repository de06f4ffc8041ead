//! Notify: drains the outbox, through SMTP (lettre) or, without `[email]`, onto a console stream.
//!
//! Alerts arrive here already rendered and committed; this module only delivers them. A delivery
//! that fails leaves the alert pending with its error and a later retry time (exponential
//! backoff), so an SMTP outage delays mail but loses none. Each alert keeps the Message-ID it was
//! given when it was stored, so a resend after a crash is recognisably the same message. The SMTP
//! password is read here, at send time, from an environment variable or a credential file; it is
//! never logged.

pub mod digest;
pub mod report;

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{EmailSettings, SmtpSecurity};
use crate::store::{Alert, Store, StoreError};

/// Name of the systemd credential holding the SMTP password (`LoadCredential=smtp-password:…`).
pub const CREDENTIAL_NAME: &str = "smtp-password";
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("SMTP password: environment variable {0} is not set")]
    PasswordEnv(String),
    #[error("SMTP password: cannot read {path}: {source}")]
    PasswordFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("email.smtp.ca_file {path}: {message}")]
    CaFile { path: String, message: String },
    #[error("SMTP setup: {0}")]
    Setup(String),
    #[error("cannot build the email: {0}")]
    Build(String),
    #[error("SMTP {host}:{port}: {cause}")]
    Send {
        host: String,
        port: u16,
        cause: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

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
                let pem = std::fs::read(ca).map_err(|e| ca_err(e.to_string()))?;
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
        })
    }

    /// Builds the message exactly as stored: same Message-ID, same Date, same bodies.
    pub fn message(&self, alert: &Alert) -> Result<Message, NotifyError> {
        let date = UNIX_EPOCH + Duration::from_secs(u64::try_from(alert.created_at).unwrap_or(0));
        let mut b = Message::builder()
            .from(self.from.clone())
            .subject(crate::notify::report::header_safe(&alert.subject))
            .message_id(Some(alert.message_id.clone()))
            .date(date)
            .header(AutoSubmitted);
        for to in &self.to {
            b = b.to(to.clone());
        }
        if let Some(thread) = &alert.thread_id {
            b = b.in_reply_to(thread.clone()).references(thread.clone());
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(alert.body_text.clone());
        let msg = match &alert.body_html {
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

    pub async fn send(&self, alert: &Alert) -> Result<(), NotifyError> {
        let msg = self.message(alert)?;
        self.transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| NotifyError::Send {
                host: self.host.clone(),
                port: self.port,
                cause: smtp_cause(&e),
            })
    }

    /// Connects, negotiates TLS and authenticates, without sending.
    pub async fn test_connection(&self) -> Result<(), NotifyError> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(NotifyError::Send {
                host: self.host.clone(),
                port: self.port,
                cause: "the server did not accept the connection".into(),
            }),
            Err(e) => Err(NotifyError::Send {
                host: self.host.clone(),
                port: self.port,
                cause: smtp_cause(&e),
            }),
        }
    }
}

/// A short, actionable description of an SMTP failure: DNS, TLS, auth, rejected recipient…
fn smtp_cause(e: &lettre::transport::smtp::Error) -> String {
    let mut chain = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        src = s.source();
    }
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
    } else if e.is_timeout() {
        "timed out"
    } else {
        "failed"
    };
    format!("{kind} ({chain})")
}

/// The SMTP password: from `password_file`, else `password_env`, else the systemd credential.
fn password(email: &EmailSettings) -> Result<String, NotifyError> {
    let smtp = &email.smtp;
    let read = |path: std::path::PathBuf| {
        std::fs::read_to_string(&path)
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

/// Where alerts go.
pub enum Sink {
    Email(Box<EmailSettings>),
    /// Without `[email]`: written as text to a stream (stdout for `run`, stderr for `check`).
    Console(Mutex<Box<dyn Write + Send>>),
}

impl Sink {
    /// Email when `[email]` is configured, else the given console stream. Nothing is read or
    /// connected here: the password is read and the server reached when alerts are sent, so a
    /// missing secret delays mail (alerts stay pending) but never stops checks.
    pub fn from_config(config: &crate::config::Config, console: Box<dyn Write + Send>) -> Sink {
        match &config.email {
            Some(email) => Sink::Email(Box::new(email.clone())),
            None => Sink::Console(Mutex::new(console)),
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drained {
    pub sent: usize,
    pub failed: usize,
}

pub use crate::store::{lock, now_unix};

/// Exponential backoff for an alert that failed `attempts` times: 30 s, 1 min, 2 min… up to 1 h.
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(0, 10)).unwrap_or(10);
    Duration::from_secs(30u64 << exp).min(MAX_BACKOFF)
}

/// How long a drain holds an alert it is sending; after a crash, another drain may resend it
/// (with the same Message-ID) once this has passed.
const CLAIM_SECONDS: i64 = 300;

/// Sends due alerts (with `all`, every pending one: a manual `check` tries them all). When the
/// first one goes through, the rest follow in queue order, whatever their backoff, so a
/// "recovered" never overtakes its "failing". When it fails, the drain stops: the server is
/// not hammered, and the failure is recorded on that alert with a later retry time.
pub async fn drain(store: &Mutex<Store>, sink: &Sink, all: bool) -> Result<Drained, NotifyError> {
    let due = lock(store).due_alerts(if all { i64::MAX } else { now_unix() })?;
    let mut done = Drained::default();
    let Some(first) = due.first() else {
        return Ok(done);
    };
    let mailer = match sink {
        Sink::Email(settings) => match Mailer::new(settings) {
            Ok(m) => Some(m),
            Err(e) => {
                fail(store, first, &e)?;
                done.failed += 1;
                return Ok(done);
            }
        },
        Sink::Console(_) => None,
    };
    let holder = crate::store::lease_holder();
    let mut queue = due;
    let mut index = 0;
    while index < queue.len() {
        let alert = queue[index].clone();
        index += 1;
        let now = now_unix();
        if !lock(store).claim(alert.id, &holder, now, now + CLAIM_SECONDS)? {
            continue; // sent meanwhile, or another process is sending it
        }
        let result = match (&mailer, sink) {
            (Some(m), _) => m.send(&alert).await,
            (None, Sink::Console(w)) => {
                let mut w = w.lock().unwrap_or_else(|p| p.into_inner());
                let text = format!(
                    "----- {} -----\n{}\n",
                    crate::notify::report::header_safe(&alert.subject),
                    alert.body_text
                );
                w.write_all(text.as_bytes())
                    .and_then(|_| w.flush())
                    .map_err(|e| NotifyError::Setup(format!("cannot write the report: {e}")))
            }
            (None, Sink::Email(_)) => Err(NotifyError::Setup("no mailer".into())),
        };
        match result {
            Ok(()) => {
                lock(store).mark_sent(alert.id, now_unix())?;
                tracing::info!(alert = alert.id, message_id = %alert.message_id, subject = %alert.subject, "alert delivered");
                done.sent += 1;
                if done.sent == 1 && !all {
                    // The way is clear: everything still pending goes now, in order.
                    queue = lock(store).pending_alerts()?;
                    index = 0;
                }
            }
            Err(e) => {
                fail(store, &alert, &e)?;
                done.failed += 1;
                break;
            }
        }
    }
    Ok(done)
}

fn fail(store: &Mutex<Store>, alert: &Alert, e: &NotifyError) -> Result<(), NotifyError> {
    let wait = retry_delay(alert.attempts);
    let next = now_unix() + i64::try_from(wait.as_secs()).unwrap_or(3600);
    lock(store).mark_failed(alert.id, &e.to_string(), next)?;
    tracing::warn!(alert = alert.id, error = %e, retry_in = ?wait, "alert not delivered; kept pending");
    Ok(())
}

/// The message `send-test-email` sends (not stored in the outbox).
pub fn test_alert(config: &crate::config::Config, now: i64) -> Alert {
    let domain = config.message_domain();
    Alert {
        id: 0,
        target: None,
        kind: "test".into(),
        message_id: crate::notify::report::new_message_id("test", &domain),
        thread_id: None,
        subject: "[policywatch] test email".into(),
        body_text: format!(
            "This is a test email from policywatch {} using {}.\nIf you can read this, change reports will reach you.\n",
            env!("CARGO_PKG_VERSION"),
            config.path.display()
        ),
        body_html: None,
        created_at: now,
        attempts: 0,
        last_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(retry_delay(0), Duration::from_secs(30));
        assert_eq!(retry_delay(1), Duration::from_secs(60));
        assert_eq!(retry_delay(50), MAX_BACKOFF);
    }
}
