//! Notify: renders alerts (report, digest, payload) and delivers them through channels.
//!
//! A channel is one of a closed set of kinds: email (SMTP), the console (reports printed when
//! there is no `[email]`), and webhooks (JSON or Slack-compatible). They are an enum, not a
//! trait object: each kind is chosen by the config, needs its own per-drain client (an SMTP
//! transport, an HTTP client), and async trait methods do not make trait objects without boxing
//! every future; a match in one place is simpler. Alerts arrive here already rendered and
//! committed; a delivery that fails stays pending with its error and a later retry time, so an
//! outage delays alerts but loses none (see `drain`).

pub mod digest;
mod drain;
pub mod email;
pub mod feed;
pub mod payload;
pub mod report;
pub mod slack;
pub mod webhook;

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use crate::config::{
    CONSOLE_CHANNEL, Config, EMAIL_CHANNEL, EmailSettings, FetchSettings, WebhookSettings,
};
use crate::store::{Alert, AlertMessage, StoreError};

pub use crate::store::{lock, now_unix};
pub use drain::{Drained, drain};
pub use email::{CREDENTIAL_NAME, Mailer};

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
        failure: Failure,
    },
    #[error("no channel named `{0}` (see `policywatch check-config`)")]
    UnknownChannel(String),
    #[error("{0}")]
    Delivery(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a failed delivery means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// This message was refused for now (an SMTP 4xx, an HTTP 5xx/408/429): retried later,
    /// and the next messages are tried now.
    Transient,
    /// The channel cannot be used now (no connection, a timeout, TLS, authentication, a missing
    /// secret): retried later, and the channel rests until the next drain.
    Unreachable,
    /// This message was refused (an SMTP 5xx, an HTTP 4xx): kept and retried with backoff, and
    /// refused for good if refused again after the channel took another alert (the drain's rule).
    Permanent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError {
    pub kind: Failure,
    pub message: String,
}

/// One place alerts go.
pub enum Channel {
    Email(Box<EmailSettings>),
    /// Without `[email]`: written as text to a stream (stdout for `run`, stderr for `check`).
    Console(Mutex<Box<dyn Write + Send>>),
    Webhook(Box<WebhookSettings>),
}

impl Channel {
    pub fn name(&self) -> &str {
        match self {
            Channel::Email(_) => EMAIL_CHANNEL,
            Channel::Console(_) => CONSOLE_CHANNEL,
            Channel::Webhook(w) => &w.name,
        }
    }

    /// Whether this is the built-in channel (email, or the console), whose delivery id is the
    /// Message-ID.
    pub fn is_builtin(&self) -> bool {
        !matches!(self, Channel::Webhook(_))
    }
}

/// The configured channels, and which of them each target's alerts go to.
pub struct Channels {
    channels: Vec<Channel>,
    /// Targets with a `notify` list; the others use every channel.
    routes: HashMap<String, Vec<String>>,
    fetch: FetchSettings,
}

impl Channels {
    /// Email when `[email]` is configured, else the given console stream, then the webhooks.
    /// Nothing is read or connected here: secrets are read and servers reached when alerts are
    /// sent, so a missing secret delays alerts (they stay pending) but never stops checks.
    pub fn from_config(config: &Config, console: Box<dyn Write + Send>) -> Channels {
        let mut channels = vec![match &config.email {
            Some(email) => Channel::Email(Box::new(email.clone())),
            None => Channel::Console(Mutex::new(console)),
        }];
        channels.extend(
            config
                .webhooks
                .iter()
                .map(|w| Channel::Webhook(Box::new(w.clone()))),
        );
        let routes = config
            .targets
            .iter()
            .filter_map(|t| t.notify.clone().map(|n| (t.name.clone(), n)))
            .collect();
        Channels {
            channels,
            routes,
            fetch: config.fetch.clone(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Channel> {
        self.channels.iter()
    }

    pub fn get(&self, name: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.name() == name)
    }

    /// The name of the email or console channel.
    pub fn builtin(&self) -> &str {
        self.channels.first().map_or(CONSOLE_CHANNEL, |c| c.name())
    }

    /// The channels an alert about `target` goes to (every one for an alert about no target, or
    /// a target whose alerts are not narrowed).
    pub fn route(&self, target: Option<&str>) -> Vec<String> {
        match target.and_then(|t| self.routes.get(t)) {
            Some(names) => names.clone(),
            None => self.channels.iter().map(|c| c.name().to_string()).collect(),
        }
    }

    /// Sends one alert through `channel` now, outside the outbox (`send-test`).
    pub async fn send_now(&self, channel: &Channel, alert: &Alert) -> Result<(), DeliveryError> {
        let live = drain::Live::open(channel, &self.fetch)?;
        if let Channel::Email(_) = channel
            && let drain::Live::Email(m) = &live
        {
            // Connecting first says which step failed (DNS, TLS, authentication) on its own.
            m.test_connection().await.map_err(email::delivery_error)?;
        }
        let id = crate::store::delivery_id(
            &alert.message.message_id,
            channel.name(),
            channel.is_builtin(),
        );
        live.deliver(alert, &id).await
    }
}

/// Exponential backoff for a delivery that failed `attempts` times: 30 s, 1 min, 2 min… up to
/// 1 h.
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(0, 10)).unwrap_or(10);
    Duration::from_secs(30u64 << exp).min(MAX_BACKOFF)
}

/// The message `send-test` sends (not stored in the outbox).
pub fn test_alert(config: &Config, now: i64) -> Alert {
    let message_id = report::new_message_id("test", &config.message_domain());
    let subject = "[policywatch] test email";
    let body_text = format!(
        "This is a test email from policywatch {} using {}.\nIf you can read this, change reports will reach you.\n",
        env!("CARGO_PKG_VERSION"),
        config.path.display()
    );
    Alert {
        id: 0,
        target: None,
        payload: Some(
            payload::Payload::plain("test", "test message", now).finish(&message_id, &body_text),
        ),
        message: AlertMessage {
            kind: "test".into(),
            message_id,
            thread_id: None,
            subject: subject.into(),
            body_text,
            body_html: None,
        },
        created_at: now,
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
