//! `[email]` and `[email.smtp]`: who alerts are mailed from and to, and through which SMTP
//! server. The password itself is never read here (only where it is to be found).

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, OneOrMany, Validator, ranges};

pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmailSettings {
    pub from: lettre::message::Mailbox,
    pub to: Vec<lettre::message::Mailbox>,
    pub smtp: SmtpSettings,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEmail {
    from: Spanned<String>,
    to: Spanned<OneOrMany>,
    smtp: RawSmtp,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: Spanned<String>,
    port: Option<Spanned<i64>>,
    security: Option<SmtpSecurity>,
    username: Option<String>,
    password_env: Option<Spanned<String>>,
    password_file: Option<String>,
    ca_file: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn email(&self, raw: RawEmail) -> Result<EmailSettings, ConfigError> {
        let from = self.mailbox(&raw.from, raw.from.get_ref(), "email.from")?;
        let to_list = raw.to.get_ref().clone().into_vec();
        if to_list.is_empty() {
            return Err(self.error(&raw.to, "email.to", "needs at least one address"));
        }
        let to = to_list
            .iter()
            .map(|a| self.mailbox(&raw.to, a, "email.to"))
            .collect::<Result<Vec<_>, _>>()?;
        let smtp = raw.smtp;
        let host = smtp.host.get_ref().trim().to_string();
        if host.is_empty() {
            return Err(self.error(&smtp.host, "email.smtp.host", "must not be empty"));
        }
        // A name or an address as it is connected to: an IPv6 address bare (`::1`), not in the
        // brackets of a URL.
        let ip = host.parse::<std::net::IpAddr>().is_ok();
        let name = !host.starts_with('[') && url::Host::parse(&host).is_ok();
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) || !(ip || name) {
            return Err(self.error(
                &smtp.host,
                "email.smtp.host",
                format!("`{}` is not a host name or address", host.escape_debug()),
            ));
        }
        let security = smtp.security.unwrap_or(SmtpSecurity::Starttls);
        let port = match &smtp.port {
            Some(p) => self.count(p, &ranges::SMTP_PORT)?,
            None => match security {
                SmtpSecurity::None => 25,
                SmtpSecurity::Starttls => 587,
                SmtpSecurity::Tls => 465,
            },
        };
        if let Some(env) = &smtp.password_env {
            let name = env.get_ref();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(self.error(
                    env,
                    "email.smtp.password_env",
                    format!("`{name}` is not an environment variable name"),
                ));
            }
        }
        let timeout = match &smtp.timeout {
            Some(t) => self.span(t, &ranges::SMTP_TIMEOUT)?,
            None => DEFAULT_SMTP_TIMEOUT,
        };
        let ca_file = smtp
            .ca_file
            .as_ref()
            .map(|p| self.ca_file(p, "email.smtp.ca_file"))
            .transpose()?;
        Ok(EmailSettings {
            from,
            to,
            smtp: SmtpSettings {
                host,
                port,
                security,
                username: smtp.username,
                password_env: smtp.password_env.map(|e| e.into_inner()),
                // Not checked for existence: a systemd credential path exists only in the unit.
                password_file: smtp.password_file.as_deref().map(|p| self.relative(p)),
                ca_file,
                timeout,
            },
        })
    }
    fn mailbox<T>(
        &self,
        s: &Spanned<T>,
        text: &str,
        key: &str,
    ) -> Result<lettre::message::Mailbox, ConfigError> {
        text.parse().map_err(|e| {
            let text = text.escape_debug();
            self.error(s, key, format!("`{text}` is not an email address ({e})"))
        })
    }
}
