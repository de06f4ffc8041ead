//! The notification channels of the config: `[[webhook]]` tables and a target's `notify` list.
//!
//! `[email]` is the channel named "email" (without it, reports go to the console, the channel
//! named "console"); each `[[webhook]]` is a channel under its own name. A target's `notify`
//! narrows where its alerts go; without it they go to every channel. Names are checked here, so
//! an unknown channel is a file:line:key error, never an alert that goes nowhere.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use super::{ConfigError, Validator};

/// The channel name of `[email]`.
pub const EMAIL_CHANNEL: &str = "email";
/// The channel name of the console stream used without `[email]`.
pub const CONSOLE_CHANNEL: &str = "console";

/// What a webhook's body looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// policywatch's own JSON schema (README, "Webhooks").
    Json,
    /// A Slack-compatible incoming webhook (`text` and blocks); Mattermost and Rocket.Chat
    /// accept it too.
    Slack,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSettings {
    pub name: String,
    pub url: WebhookUrl,
    pub format: WebhookFormat,
    /// The environment variable holding the HMAC-SHA256 key; read at send time, never logged.
    pub secret_env: Option<String>,
}

/// Where a webhook POSTs: written in the config (`url`), or read from an environment variable
/// at send time (`url_env`), for receivers whose URL is itself the secret (Slack, Mattermost and
/// Rocket.Chat incoming webhooks); the config is world-readable on an installed machine.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookUrl {
    Given(Url),
    Env(String),
}

impl WebhookUrl {
    /// The URL to POST to, or why there is none (naming the variable, never its value).
    pub fn resolve(&self) -> Result<Url, String> {
        let var = match self {
            WebhookUrl::Given(url) => return Ok(url.clone()),
            WebhookUrl::Env(var) => var,
        };
        let value =
            std::env::var(var).map_err(|_| format!("url_env names {var}, which is not set"))?;
        match Url::parse(value.trim()) {
            Ok(url) if super::is_web_url(&url) => Ok(url),
            _ => Err(format!("{var} does not hold an http(s) URL")),
        }
    }

    /// For summaries: the scheme and host, or the variable; a path or query may be the secret.
    pub fn shown(&self) -> String {
        match self {
            WebhookUrl::Given(url) => format!(
                "{}://{}/{}",
                url.scheme(),
                url.host_str().unwrap_or(""),
                if url.path() == "/" && url.query().is_none() {
                    ""
                } else {
                    "…"
                }
            ),
            WebhookUrl::Env(var) => format!("${var}"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebhook {
    name: Spanned<String>,
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    format: Option<WebhookFormat>,
    secret_env: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn webhooks(
        &self,
        raw: Vec<RawWebhook>,
    ) -> Result<Vec<WebhookSettings>, ConfigError> {
        let mut names = HashSet::new();
        let mut out = Vec::with_capacity(raw.len());
        for (i, w) in raw.into_iter().enumerate() {
            let key = |k: &str| format!("webhook[{i}].{k}");
            let name = self.name(&w.name, &key("name"))?;
            if name == EMAIL_CHANNEL || name == CONSOLE_CHANNEL {
                return Err(self.error(
                    &w.name,
                    &key("name"),
                    format!("`{name}` is reserved for the built-in channel; choose another name"),
                ));
            }
            if !names.insert(name.clone()) {
                return Err(self.error(
                    &w.name,
                    &key("name"),
                    format!("duplicate webhook name `{name}`"),
                ));
            }
            let url = match (&w.url, &w.url_env) {
                (Some(url), None) => {
                    WebhookUrl::Given(self.http_url(url, &key("url"), "logged")?)
                }
                (None, Some(var)) if var.get_ref().trim().is_empty() => {
                    return Err(self.error(var, &key("url_env"), "must not be empty"));
                }
                (None, Some(var)) => WebhookUrl::Env(var.get_ref().trim().to_string()),
                (Some(_), Some(var)) => {
                    return Err(self.error(
                        var,
                        &key("url_env"),
                        "give `url` or `url_env`, not both",
                    ));
                }
                (None, None) => {
                    return Err(self.error(
                        &w.name,
                        &key("url"),
                        "missing: give `url`, or `url_env` naming the environment variable that \
                         holds it (for a URL that is itself a secret)",
                    ));
                }
            };
            let secret_env = match &w.secret_env {
                Some(s) if s.get_ref().trim().is_empty() => {
                    return Err(self.error(s, &key("secret_env"), "must not be empty"));
                }
                Some(s) => Some(s.get_ref().trim().to_string()),
                None => None,
            };
            out.push(WebhookSettings {
                name,
                url,
                format: w.format.unwrap_or(WebhookFormat::Json),
                secret_env,
            });
        }
        Ok(out)
    }

    /// A target's `notify` list: every name must be a configured channel.
    pub(super) fn notify(
        &self,
        raw: &Spanned<Vec<String>>,
        key: &str,
        has_email: bool,
        webhooks: &[WebhookSettings],
    ) -> Result<Vec<String>, ConfigError> {
        let list: Vec<String> = raw.get_ref().iter().map(|n| n.trim().to_string()).collect();
        if list.is_empty() {
            return Err(self.error(
                raw,
                key,
                "needs at least one channel (leave `notify` out to use every channel)",
            ));
        }
        let mut seen = HashSet::new();
        for name in &list {
            let known = if name == EMAIL_CHANNEL {
                if !has_email {
                    return Err(self.error(
                        raw,
                        key,
                        "`email` names the [email] channel, but there is no [email] section",
                    ));
                }
                true
            } else {
                (name == CONSOLE_CHANNEL && !has_email) || webhooks.iter().any(|w| w.name == *name)
            };
            if !known {
                let mut names: Vec<&str> = Vec::new();
                names.push(if has_email {
                    EMAIL_CHANNEL
                } else {
                    CONSOLE_CHANNEL
                });
                names.extend(webhooks.iter().map(|w| w.name.as_str()));
                return Err(self.error(
                    raw,
                    key,
                    format!(
                        "unknown channel `{name}`; the channels are: {}",
                        names.join(", ")
                    ),
                ));
            }
            if !seen.insert(name.clone()) {
                return Err(self.error(raw, key, format!("channel `{name}` is named twice")));
            }
        }
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigError};
    use std::path::Path;

    const TARGET: &str =
        "[[target]]\nname = \"t\"\ncarrier = \"C\"\nurl = \"https://example.org/\"\n";

    fn parse(s: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("pw.toml"), s)
    }

    fn error(s: &str) -> (usize, String, String) {
        match parse(s) {
            Err(ConfigError::Invalid {
                line, key, message, ..
            }) => (line, key, message),
            other => panic!("expected an invalid config, got {other:?}"),
        }
    }

    #[test]
    fn webhooks_and_notify_lists() {
        let c = parse(&format!(
            "[[webhook]]\nname = \"ops\"\nurl = \"https://hooks.example.org/pw\"\nformat = \"slack\"\nsecret_env = \"S\"\n{TARGET}notify = [\"ops\"]\n"
        ))
        .unwrap();
        assert_eq!(c.webhooks.len(), 1);
        assert_eq!(c.webhooks[0].format, super::WebhookFormat::Slack);
        assert_eq!(c.webhooks[0].secret_env.as_deref(), Some("S"));
        assert_eq!(
            c.targets[0].notify.as_deref(),
            Some(&["ops".to_string()][..])
        );
        assert_eq!(c.channel_names(), ["console", "ops"]);
        assert_eq!(c.webhooks[0].url.shown(), "https://hooks.example.org/…");
    }

    #[test]
    fn a_webhook_url_may_come_from_the_environment_and_is_never_shown() {
        let c = parse(&format!(
            "[[webhook]]\nname = \"slack\"\nurl_env = \"PW_TEST_UNSET_HOOK\"\nformat = \"slack\"\n{TARGET}"
        ))
        .unwrap();
        let url = &c.webhooks[0].url;
        assert_eq!(url, &super::WebhookUrl::Env("PW_TEST_UNSET_HOOK".into()));
        assert_eq!(url.shown(), "$PW_TEST_UNSET_HOOK");
        assert_eq!(
            url.resolve().unwrap_err(),
            "url_env names PW_TEST_UNSET_HOOK, which is not set"
        );
        let (line, key, message) = error(&format!(
            "[[webhook]]\nname = \"a\"\nurl = \"https://h.example.org/\"\nurl_env = \"X\"\n{TARGET}"
        ));
        assert_eq!((line, key.as_str()), (4, "webhook[0].url_env"), "{message}");
        let (_, key, message) = error(&format!("[[webhook]]\nname = \"a\"\n{TARGET}"));
        assert_eq!(key, "webhook[0].url");
        assert!(message.contains("url_env"), "{message}");
    }

    #[test]
    fn bad_channels_name_file_line_and_key() {
        let (line, key, message) = error(&format!("{TARGET}notify = [\"pager\"]\n"));
        assert_eq!((line, key.as_str()), (5, "target[0].notify"));
        assert!(message.contains("unknown channel `pager`"), "{message}");
        let (_, key, message) = error(&format!("{TARGET}notify = [\"email\"]\n"));
        assert_eq!(key, "target[0].notify");
        assert!(message.contains("no [email] section"), "{message}");
        let (line, key, message) =
            error("[[webhook]]\nname = \"email\"\nurl = \"https://h.example.org/\"\n");
        assert_eq!((line, key.as_str()), (2, "webhook[0].name"));
        assert!(message.contains("reserved"), "{message}");
        let (_, key, _) = error(
            "[[webhook]]\nname = \"a\"\nurl = \"https://h.example.org/\"\n[[webhook]]\nname = \"a\"\nurl = \"https://h.example.org/\"\n",
        );
        assert_eq!(key, "webhook[1].name");
        let (_, key, _) = error("[[webhook]]\nname = \"a\"\nurl = \"ftp://h.example.org/\"\n");
        assert_eq!(key, "webhook[0].url");
        let (_, key, message) = error(
            "[[webhook]]\nname = \"a\"\nurl = \"https://h.example.org/\"\nformat = \"xml\"\n",
        );
        assert!(key.starts_with("webhook[0]"), "{key}: {message}");
    }
}
