//! Config: the TOML file → a typed, validated [`Config`].
//!
//! Everything a user can get wrong is caught here, before any page is fetched: unknown keys, wrong
//! types, bad selectors, bad cron expressions, duplicate target names, bad URLs and addresses. Each
//! error names the file, the line and the key. Files the config points at (the lexicon, the CA
//! files) are read and checked here too, so that their errors are config errors. This module does
//! not read secrets (the SMTP password is looked up when mail is sent; `password_file` may exist
//! only under systemd) and never touches the network.

//!
//! One module per table family, each with its settings type, its raw (as written) form and its
//! checks: `targets` (`[[target]]`), `fetch` (`[fetch]`), `email` and `channels` (`[email]`,
//! `[[webhook]]`, `notify`), `alerts` (`[alerts]`, `[schedule]`), `storage` (`[storage]`,
//! `[metrics]`, `[feed]`); `files` reads the files the config points at, `ranges` holds every
//! numeric bound and `position` turns byte offsets into file:line:key. This file holds the
//! top level (`database`, `lexicon`) and puts the tables together.

mod alerts;
mod channels;
mod email;
mod fetch;
mod files;
mod position;
mod ranges;
mod storage;
mod targets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use alerts::{RawAlerts, RawSchedule};
use email::RawEmail;
use fetch::RawFetch;
use position::{Utf8Position, key_at, line_col};
use storage::{RawFeed, RawMetrics, RawStorage};
use targets::RawTarget;

pub use alerts::{
    AlertSettings, DEFAULT_CONFIRM_DELAY, DEFAULT_FAILURES_BEFORE_ALERT, DEFAULT_LOST_AFTER,
    DEFAULT_SCHEDULE, DEFAULT_TIMEZONE, Digest, Heartbeat, ScheduleSettings,
};
pub use channels::{CONSOLE_CHANNEL, EMAIL_CHANNEL, WebhookFormat, WebhookSettings, WebhookUrl};
pub use email::{DEFAULT_SMTP_TIMEOUT, EmailSettings, SmtpSecurity, SmtpSettings};
pub use fetch::{
    DEFAULT_CONCURRENCY, DEFAULT_MAX_BODY, DEFAULT_PER_HOST_CONCURRENCY, DEFAULT_PER_HOST_DELAY,
    DEFAULT_RETRIES, DEFAULT_TIMEOUT, FetchSettings, default_user_agent,
};
pub use ranges::documented as documented_ranges;
pub use storage::{
    DEFAULT_FEED_ENTRIES, DEFAULT_FEED_PATH, DEFAULT_KEEP_CHECKS, DEFAULT_METRICS_LISTEN,
    FeedSettings, MetricsSettings, StorageSettings,
};
pub use targets::{Render, Target};

pub const DEFAULT_DATABASE: &str = "policywatch.sqlite3";
/// The longest target or webhook name (it goes into subjects, logs and the daemon's messages to
/// its check workers).
pub const MAX_NAME: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Said once, with where the first bad byte is, so the user can find it in an editor.
    #[error(
        "{}:{line}:{column}: the config is not UTF-8 text (byte 0x{byte:02X} at offset {offset}); \
         save it as UTF-8",
        path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        offset: usize,
        byte: u8,
    },
    #[error("{}:{line}:{column}: key `{key}`: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        key: String,
        message: String,
    },
}

/// A validated configuration. Paths are absolute or relative to the working directory.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub database: PathBuf,
    pub fetch: FetchSettings,
    pub schedule: ScheduleSettings,
    pub email: Option<EmailSettings>,
    /// `[[webhook]]` channels, in file order.
    pub webhooks: Vec<WebhookSettings>,
    pub alerts: AlertSettings,
    pub storage: StorageSettings,
    /// The optional `/healthz` and `/metrics` endpoint; `None` (off) without `[metrics]`.
    pub metrics: Option<MetricsSettings>,
    /// The Atom feed of changes; `None` (off) without `[feed]`.
    pub feed: Option<FeedSettings>,
    /// A lexicon file replacing the built-in one.
    pub lexicon: Option<PathBuf>,
    /// Shared, not copied, by whatever holds a target for a while (the daemon's jobs): with
    /// thousands of targets, copies cost.
    pub targets: Vec<Arc<Target>>,
}

// ---- raw, as written in the file -------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    database: Option<Spanned<String>>,
    fetch: Option<RawFetch>,
    schedule: Option<RawSchedule>,
    email: Option<RawEmail>,
    #[serde(default)]
    webhook: Vec<channels::RawWebhook>,
    alerts: Option<RawAlerts>,
    storage: Option<RawStorage>,
    metrics: Option<RawMetrics>,
    feed: Option<RawFeed>,
    lexicon: Option<Spanned<String>>,
    #[serde(default)]
    target: Vec<RawTarget>,
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

// ---- loading ---------------------------------------------------------------------------------

impl Config {
    /// Reads and validates the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with_source(path).map(|(config, _)| config)
    }

    /// Reads and validates the config file at `path`, and returns its text too (the daemon hands
    /// that text to its check workers, so they never read a file it has not validated).
    pub fn load_with_source(path: &Path) -> Result<(Config, String), ConfigError> {
        let bytes =
            crate::local_file::read(path, crate::local_file::MAX_CONFIG).map_err(|source| {
                ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        let source = String::from_utf8(bytes).map_err(|e| {
            let bad = Utf8Position::of(e.as_bytes(), e.utf8_error());
            ConfigError::NotUtf8 {
                path: path.to_path_buf(),
                line: bad.line,
                column: bad.column,
                offset: bad.offset,
                byte: bad.byte,
            }
        })?;
        let config = Config::parse(path, &source)?;
        Ok((config, source))
    }

    /// Validates `source` as if read from `path` (used for relative paths and error messages).
    pub fn parse(path: &Path, source: &str) -> Result<Config, ConfigError> {
        let v = Validator { path, source };
        let raw: RawConfig = toml::from_str(source).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            v.error_at(offset, &key_at(source, offset), e.message().trim())
        })?;
        v.validate(raw)
    }

    /// Every channel, in order: "email" (or "console" without `[email]`), then the webhooks.
    pub fn channel_names(&self) -> Vec<String> {
        let builtin = if self.email.is_some() {
            EMAIL_CHANNEL
        } else {
            CONSOLE_CHANNEL
        };
        std::iter::once(builtin.to_string())
            .chain(self.webhooks.iter().map(|w| w.name.clone()))
            .collect()
    }

    pub fn target(&self, name: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.name == name).map(|t| &**t)
    }

    /// The names of the targets, in config order.
    pub fn target_names(&self) -> Vec<String> {
        self.targets.iter().map(|t| t.name.clone()).collect()
    }

    /// The domain of Message-IDs: the sender's, or a reserved one when email is off.
    pub fn message_domain(&self) -> String {
        self.email
            .as_ref()
            .map(|e| e.from.email.domain().to_string())
            .unwrap_or_else(|| "policywatch.invalid".to_string())
    }
}

struct Validator<'a> {
    path: &'a Path,
    source: &'a str,
}

impl Validator<'_> {
    fn error_at(&self, offset: usize, key: &str, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_col(self.source, offset);
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            key: key.to_string(),
            message: message.into(),
        }
    }

    fn error<T>(&self, at: &Spanned<T>, key: &str, message: impl Into<String>) -> ConfigError {
        self.error_at(at.span().start, key, message)
    }

    fn base_dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn relative(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir().join(p)
        }
    }

    fn duration(&self, s: &Spanned<String>, key: &str) -> Result<Duration, ConfigError> {
        humantime::parse_duration(s.get_ref().trim()).map_err(|e| {
            self.error(
                s,
                key,
                format!(
                    "`{}` is not a duration ({e}); write e.g. \"30s\" or \"2m\"",
                    s.get_ref()
                ),
            )
        })
    }

    /// A target's or a webhook's name: letters, digits, `.`, `_` and `-` (it appears in
    /// commands, logs and headers), at most [`MAX_NAME`] of them.
    fn name(&self, s: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        let name = s.get_ref().trim().to_string();
        if name.len() > MAX_NAME {
            return Err(self.error(
                s,
                key,
                format!(
                    "a name has at most {MAX_NAME} characters; this one has {}",
                    name.len()
                ),
            ));
        }
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(self.error(
                s,
                key,
                format!("`{name}` is not a valid name: use letters, digits, `.`, `_` and `-`"),
            ));
        }
        Ok(name)
    }

    /// An http:// or https:// URL with a host and without credentials. The URL is not echoed
    /// when it has credentials: they would be in the error too. `shown` says where they would
    /// end up otherwise.
    fn http_url(&self, s: &Spanned<String>, key: &str, shown: &str) -> Result<Url, ConfigError> {
        let url = Url::parse(s.get_ref().trim())
            .map_err(|e| self.error(s, key, format!("`{}` is not a URL ({e})", s.get_ref())))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(self.error(
                s,
                key,
                format!("credentials in URLs are not supported: they would be {shown}"),
            ));
        }
        if !is_web_url(&url) {
            return Err(self.error(
                s,
                key,
                format!("`{url}` must be an http:// or https:// URL with a host"),
            ));
        }
        Ok(url)
    }

    fn cron(&self, s: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        crate::schedule::parse_cron(s.get_ref())
            .map(|_| s.get_ref().trim().to_string())
            .map_err(|e| self.error(s, key, e.to_string()))
    }

    fn validate(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let database = self.relative(
            raw.database
                .as_ref()
                .map(|d| d.get_ref().as_str())
                .unwrap_or(DEFAULT_DATABASE),
        );
        let fetch = self.fetch(raw.fetch)?;
        let schedule = self.schedule(raw.schedule)?;
        let email = raw.email.map(|e| self.email(e)).transpose()?;
        let webhooks = self.webhooks(raw.webhook)?;
        let alerts = self.alerts(raw.alerts)?;
        let storage = self.storage(raw.storage)?;
        let metrics = raw.metrics.map(|m| self.metrics(m)).transpose()?;
        let feed = raw.feed.map(|f| self.feed(f)).transpose()?;
        let lexicon = raw
            .lexicon
            .as_ref()
            .map(|p| self.lexicon_file(p))
            .transpose()?;
        let targets = self.targets(raw.target, &schedule.default, email.is_some(), &webhooks)?;
        Ok(Config {
            path: self.path.to_path_buf(),
            database,
            fetch,
            schedule,
            email,
            webhooks,
            alerts,
            storage,
            metrics,
            feed,
            lexicon,
            targets,
        })
    }
}

/// A URL that can be fetched or posted to: http or https, with a host.
pub(crate) fn is_web_url(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some()
}

#[cfg(test)]
mod tests;
