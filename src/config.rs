//! Config: the TOML file → a typed, validated [`Config`].
//!
//! Everything a user can get wrong is caught here, before any page is fetched: unknown keys, wrong
//! types, bad selectors, bad cron expressions, duplicate target names, bad URLs and addresses. Each
//! error names the file, the line and the key. Files the config points at (the lexicon, the CA
//! files) are read and checked here too, so that their errors are config errors. This module does
//! not read secrets (the SMTP password is looked up when mail is sent; `password_file` may exist
//! only under systemd) and never touches the network.

mod channels;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::extract::DEFAULT_SELECT;
pub use channels::{CONSOLE_CHANNEL, EMAIL_CHANNEL, WebhookFormat, WebhookSettings};

mod ranges;

pub use ranges::documented as documented_ranges;

pub const DEFAULT_DATABASE: &str = "policywatch.sqlite3";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_SCHEDULE: &str = "0 0 */6 * * *";
pub const DEFAULT_TIMEZONE: &str = "Asia/Hong_Kong";
pub const DEFAULT_MAX_BODY: u64 = 10 * 1024 * 1024;
pub const DEFAULT_CONCURRENCY: usize = 16;
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
pub const DEFAULT_PER_HOST_DELAY: Duration = Duration::from_secs(1);
pub const DEFAULT_RETRIES: u32 = 3;
pub const DEFAULT_SMTP_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_KEEP_CHECKS: Duration = Duration::from_secs(90 * 24 * 3600);
pub const DEFAULT_CONFIRM_DELAY: Duration = Duration::from_secs(10);
pub const DEFAULT_LOST_AFTER: u32 = 2;
pub const DEFAULT_FAILURES_BEFORE_ALERT: u32 = 3;

/// The honest default User-Agent: names the program, its version and where to read about it.
pub fn default_user_agent() -> String {
    format!(
        "policywatch/{} (+https://github.com/policywatch/policywatch; watches carrier cancellation terms)",
        env!("CARGO_PKG_VERSION")
    )
}

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
    pub targets: Vec<Target>,
}

/// `[feed]`: an Atom file of the latest alerts, rewritten after each change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    pub path: PathBuf,
    pub entries: usize,
}

/// The feed's file name beside the config when `[feed]` names no `path`.
pub const DEFAULT_FEED_PATH: &str = "changes.atom";
pub const DEFAULT_FEED_ENTRIES: usize = 50;

/// Where `[metrics]` serves `/healthz` and `/metrics` when the table is present.
pub const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9464";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsSettings {
    /// Always a loopback address: the endpoint has no authentication.
    pub listen: std::net::SocketAddr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageSettings {
    /// Check records (and sent alerts) older than this are pruned; versions are kept forever.
    pub keep_checks: Duration,
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings {
            keep_checks: DEFAULT_KEEP_CHECKS,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Digest {
    Daily,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Heartbeat {
    Weekly,
    Off,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertSettings {
    /// A detected change is fetched again after this long and reported only if it persists.
    pub confirm_delay: Duration,
    /// Consecutive checks without the selection or its cancellation wording before "evidence lost".
    pub lost_after: u32,
    /// Consecutive failed checks before "target failing".
    pub failures_before_alert: u32,
    pub digest: Digest,
    pub heartbeat: Heartbeat,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            confirm_delay: DEFAULT_CONFIRM_DELAY,
            lost_after: DEFAULT_LOST_AFTER,
            failures_before_alert: DEFAULT_FAILURES_BEFORE_ALERT,
            digest: Digest::Daily,
            heartbeat: Heartbeat::Weekly,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    pub timeout: Duration,
    pub user_agent: String,
    pub allow_private_addresses: bool,
    pub max_body: u64,
    pub ca_file: Option<PathBuf>,
    pub concurrency: usize,
    pub per_host_concurrency: usize,
    pub per_host_delay: Duration,
    pub retries: u32,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            timeout: DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
            allow_private_addresses: false,
            max_body: DEFAULT_MAX_BODY,
            ca_file: None,
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            per_host_delay: DEFAULT_PER_HOST_DELAY,
            retries: DEFAULT_RETRIES,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleSettings {
    pub timezone: chrono_tz::Tz,
    pub default: String,
}

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

#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub name: String,
    pub carrier: String,
    pub url: Url,
    pub select: Vec<String>,
    pub remove: Vec<String>,
    /// The 6-field cron expression this target runs on (its own or the default).
    pub schedule: String,
    /// Fetch even where robots.txt disallows it (for people who own the site).
    pub ignore_robots: bool,
    /// How the page is loaded: plain HTTP or a browser that runs its scripts.
    pub render: Render,
    /// For a PDF: the text of the block where the watched part starts (`pdf_from`) and of the
    /// block where it stops (`pdf_to`, excluded). `select`/`remove` do not apply to PDFs.
    pub pdf_from: Option<String>,
    pub pdf_to: Option<String>,
    /// The channels this target's alerts go to; `None`: every channel.
    pub notify: Option<Vec<String>>,
}

impl Target {
    /// Where this target's watched text is, as extraction needs it.
    pub fn selection(&self) -> crate::extract::document::Selection {
        crate::extract::document::Selection {
            name: self.name.clone(),
            select: self.select.clone(),
            remove: self.remove.clone(),
            pdf_from: self.pdf_from.clone(),
            pdf_to: self.pdf_to.clone(),
            rendered: self.render != Render::Static,
        }
    }
}

/// `render = "static" | "browser"` with its `wait_for` selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Render {
    /// One HTTP GET; the HTML as served.
    #[default]
    Static,
    /// Loaded in a headless browser; the DOM once the page settles: when `wait_for` (a CSS
    /// selector) matches, or without it when the network is idle.
    Browser { wait_for: Option<String> },
}

impl Render {
    pub fn as_str(&self) -> &'static str {
        match self {
            Render::Static => "static",
            Render::Browser { .. } => "browser",
        }
    }
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    path: Option<Spanned<String>>,
    entries: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetrics {
    listen: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    keep_checks: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlerts {
    confirm_delay: Option<Spanned<String>>,
    lost_after: Option<Spanned<i64>>,
    failures_before_alert: Option<Spanned<i64>>,
    digest: Option<Digest>,
    heartbeat: Option<Heartbeat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFetch {
    timeout: Option<Spanned<String>>,
    user_agent: Option<Spanned<String>>,
    allow_private_addresses: Option<bool>,
    max_body: Option<Spanned<String>>,
    ca_file: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    per_host_concurrency: Option<Spanned<i64>>,
    per_host_delay: Option<Spanned<String>>,
    retries: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    timezone: Option<Spanned<String>>,
    default: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmail {
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    name: Spanned<String>,
    carrier: Spanned<String>,
    url: Spanned<String>,
    select: Option<Spanned<OneOrMany>>,
    remove: Option<Spanned<OneOrMany>>,
    schedule: Option<Spanned<String>>,
    #[serde(default)]
    ignore_robots: bool,
    render: Option<Spanned<String>>,
    wait_for: Option<Spanned<String>>,
    pdf_from: Option<Spanned<String>>,
    pdf_to: Option<Spanned<String>>,
    notify: Option<Spanned<Vec<String>>>,
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
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
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
        Config::parse(path, &source)
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
        self.targets.iter().find(|t| t.name == name)
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

    fn cron(&self, s: &Spanned<String>, key: &str) -> Result<String, ConfigError> {
        crate::schedule::parse_cron(s.get_ref())
            .map(|_| s.get_ref().trim().to_string())
            .map_err(|e| self.error(s, key, e.to_string()))
    }

    fn selectors(
        &self,
        s: &Spanned<OneOrMany>,
        key: &str,
        allow_empty: bool,
    ) -> Result<Vec<String>, ConfigError> {
        let list = s.get_ref().clone().into_vec();
        if list.is_empty() && !allow_empty {
            return Err(self.error(s, key, "needs at least one CSS selector"));
        }
        for sel in &list {
            crate::extract::parse_selector(sel).map_err(|e| self.error(s, key, e.to_string()))?;
        }
        Ok(list)
    }

    /// `render` and `wait_for`: a selector to wait for only makes sense in a browser.
    fn render(&self, t: &RawTarget, key: &dyn Fn(&str) -> String) -> Result<Render, ConfigError> {
        let browser = match &t.render {
            None => false,
            Some(r) => match r.get_ref().trim() {
                "static" => false,
                "browser" => true,
                other => {
                    return Err(self.error(
                        r,
                        &key("render"),
                        format!("`{other}` is not a way to render: use \"static\" or \"browser\""),
                    ));
                }
            },
        };
        let wait_for = match &t.wait_for {
            None => None,
            Some(w) if !browser => {
                return Err(self.error(
                    w,
                    &key("wait_for"),
                    "only applies with render = \"browser\"",
                ));
            }
            Some(w) => {
                let sel = w.get_ref().trim();
                crate::extract::parse_selector(sel)
                    .map_err(|e| self.error(w, &key("wait_for"), e.to_string()))?;
                Some(sel.to_string())
            }
        };
        Ok(if browser {
            Render::Browser { wait_for }
        } else {
            Render::Static
        })
    }

    /// `pdf_from` / `pdf_to`: some text to find, not blank.
    fn pdf_mark(
        &self,
        s: Option<&Spanned<String>>,
        key: &str,
    ) -> Result<Option<String>, ConfigError> {
        match s {
            None => Ok(None),
            Some(s) if s.get_ref().trim().is_empty() => {
                Err(self.error(s, key, "must not be empty"))
            }
            Some(s) => Ok(Some(s.get_ref().trim().to_string())),
        }
    }

    /// A file the config points at, read now so that a missing one is a config error.
    fn read_file(&self, s: &Spanned<String>, key: &str) -> Result<(PathBuf, Vec<u8>), ConfigError> {
        let path = self.relative(s.get_ref());
        let bytes = std::fs::read(&path)
            .map_err(|e| self.error(s, key, format!("cannot read {}: {e}", path.display())))?;
        Ok((path, bytes))
    }

    /// A replacement lexicon: it must exist and compile, as it would at run time.
    fn lexicon_file(&self, s: &Spanned<String>) -> Result<PathBuf, ConfigError> {
        let (path, bytes) = self.read_file(s, "lexicon")?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let bad = Utf8Position::of(e.as_bytes(), e.utf8_error());
            self.error(
                s,
                "lexicon",
                format!(
                    "{} is not UTF-8 text: byte 0x{:02X} at offset {} (line {}) is not valid UTF-8",
                    path.display(),
                    bad.byte,
                    bad.offset,
                    bad.line
                ),
            )
        })?;
        crate::extract::lexicon::Lexicon::parse(&path.display().to_string(), &text).map_err(
            |e| {
                let detail = match e {
                    crate::extract::lexicon::LexiconError::Invalid { message, .. } => message,
                    other => other.to_string(),
                };
                self.error(
                    s,
                    "lexicon",
                    format!(
                        "{} is not a valid lexicon: {}",
                        path.display(),
                        one_line(&detail)
                    ),
                )
            },
        )?;
        Ok(path)
    }

    /// An extra root CA: it must exist and hold at least one PEM certificate.
    fn ca_file(&self, s: &Spanned<String>, key: &str) -> Result<PathBuf, ConfigError> {
        let (path, bytes) = self.read_file(s, key)?;
        if !has_pem_certificate(&String::from_utf8_lossy(&bytes)) {
            return Err(self.error(
                s,
                key,
                format!(
                    "{} holds no PEM certificate (a `-----BEGIN CERTIFICATE-----` block)",
                    path.display()
                ),
            ));
        }
        Ok(path)
    }

    fn mailbox<T>(
        &self,
        s: &Spanned<T>,
        text: &str,
        key: &str,
    ) -> Result<lettre::message::Mailbox, ConfigError> {
        text.parse()
            .map_err(|e| self.error(s, key, format!("`{text}` is not an email address ({e})")))
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
        let mut storage = StorageSettings::default();
        if let Some(k) = raw.storage.as_ref().and_then(|s| s.keep_checks.as_ref()) {
            storage.keep_checks = self.span(k, &ranges::KEEP_CHECKS)?;
        }
        let metrics = raw.metrics.map(|m| self.metrics(m)).transpose()?;
        let feed = match raw.feed {
            None => None,
            Some(f) => Some(FeedSettings {
                path: self.relative(
                    f.path
                        .as_ref()
                        .map_or(DEFAULT_FEED_PATH, |p| p.get_ref().as_str()),
                ),
                entries: match &f.entries {
                    Some(n) => self.count::<usize>(n, &ranges::FEED_ENTRIES)?,
                    None => DEFAULT_FEED_ENTRIES,
                },
            }),
        };
        let lexicon = raw
            .lexicon
            .as_ref()
            .map(|p| self.lexicon_file(p))
            .transpose()?;

        let mut names = HashSet::new();
        let mut targets = Vec::with_capacity(raw.target.len());
        for (i, t) in raw.target.into_iter().enumerate() {
            let key = |k: &str| format!("target[{i}].{k}");
            let name = t.name.get_ref().trim().to_string();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                return Err(self.error(
                    &t.name,
                    &key("name"),
                    format!("`{name}` is not a valid name: use letters, digits, `.`, `_` and `-`"),
                ));
            }
            if !names.insert(name.clone()) {
                return Err(self.error(
                    &t.name,
                    &key("name"),
                    format!("duplicate target name `{name}`"),
                ));
            }
            let carrier = t.carrier.get_ref().trim().to_string();
            if carrier.is_empty() {
                return Err(self.error(&t.carrier, &key("carrier"), "must not be empty"));
            }
            let url = Url::parse(t.url.get_ref().trim()).map_err(|e| {
                self.error(
                    &t.url,
                    &key("url"),
                    format!("`{}` is not a URL ({e})", t.url.get_ref()),
                )
            })?;
            if !url.username().is_empty() || url.password().is_some() {
                // The URL is not echoed: it would put the credentials in the error too.
                return Err(self.error(
                    &t.url,
                    &key("url"),
                    "credentials in URLs are not supported: they would be logged and emailed",
                ));
            }
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(self.error(
                    &t.url,
                    &key("url"),
                    format!("`{url}` must be an http:// or https:// URL with a host"),
                ));
            }
            let select = match &t.select {
                Some(s) => self.selectors(s, &key("select"), false)?,
                None => vec![DEFAULT_SELECT.to_string()],
            };
            let remove = match &t.remove {
                Some(s) => self.selectors(s, &key("remove"), true)?,
                None => Vec::new(),
            };
            let schedule = match &t.schedule {
                Some(s) => self.cron(s, &key("schedule"))?,
                None => schedule.default.clone(),
            };
            let render = self.render(&t, &key)?;
            let pdf_from = self.pdf_mark(t.pdf_from.as_ref(), &key("pdf_from"))?;
            let pdf_to = self.pdf_mark(t.pdf_to.as_ref(), &key("pdf_to"))?;
            let notify = t
                .notify
                .as_ref()
                .map(|n| self.notify(n, &key("notify"), email.is_some(), &webhooks))
                .transpose()?;
            targets.push(Target {
                name,
                carrier,
                url,
                select,
                remove,
                schedule,
                ignore_robots: t.ignore_robots,
                render,
                pdf_from,
                pdf_to,
                notify,
            });
        }
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

    fn metrics(&self, raw: RawMetrics) -> Result<MetricsSettings, ConfigError> {
        let Some(listen) = &raw.listen else {
            return Ok(MetricsSettings {
                listen: DEFAULT_METRICS_LISTEN
                    .parse()
                    .expect("the default metrics address is valid"),
            });
        };
        let text = listen.get_ref().trim();
        let addr: std::net::SocketAddr = text.parse().map_err(|_| {
            self.error(
                listen,
                "metrics.listen",
                format!("`{text}` is not an address and port such as \"{DEFAULT_METRICS_LISTEN}\""),
            )
        })?;
        if !addr.ip().is_loopback() {
            return Err(self.error(
                listen,
                "metrics.listen",
                format!(
                    "`{text}` is not a loopback address: the metrics endpoint has no authentication, so it listens only on 127.0.0.1 or [::1]"
                ),
            ));
        }
        Ok(MetricsSettings { listen: addr })
    }

    fn alerts(&self, raw: Option<RawAlerts>) -> Result<AlertSettings, ConfigError> {
        let mut a = AlertSettings::default();
        let Some(raw) = raw else { return Ok(a) };
        if let Some(d) = &raw.confirm_delay {
            a.confirm_delay = self.span(d, &ranges::CONFIRM_DELAY)?;
        }
        if let Some(n) = &raw.lost_after {
            a.lost_after = self.count(n, &ranges::LOST_AFTER)?;
        }
        if let Some(n) = &raw.failures_before_alert {
            a.failures_before_alert = self.count(n, &ranges::FAILURES_BEFORE_ALERT)?;
        }
        if let Some(d) = raw.digest {
            a.digest = d;
        }
        if let Some(h) = raw.heartbeat {
            a.heartbeat = h;
        }
        Ok(a)
    }

    fn fetch(&self, raw: Option<RawFetch>) -> Result<FetchSettings, ConfigError> {
        let mut f = FetchSettings::default();
        let Some(raw) = raw else { return Ok(f) };
        if let Some(t) = &raw.timeout {
            f.timeout = self.span(t, &ranges::FETCH_TIMEOUT)?;
        }
        if let Some(ua) = &raw.user_agent {
            let ua_text = ua.get_ref().trim();
            if ua_text.is_empty() || ua_text.chars().any(|c| c.is_control()) {
                return Err(self.error(ua, "fetch.user_agent", "must be non-empty printable text"));
            }
            f.user_agent = ua_text.to_string();
        }
        if let Some(a) = raw.allow_private_addresses {
            f.allow_private_addresses = a;
        }
        if let Some(m) = &raw.max_body {
            f.max_body = self.size(m, &ranges::FETCH_MAX_BODY)?;
        }
        f.ca_file = raw
            .ca_file
            .as_ref()
            .map(|p| self.ca_file(p, "fetch.ca_file"))
            .transpose()?;
        if let Some(c) = &raw.concurrency {
            f.concurrency = self.count(c, &ranges::FETCH_CONCURRENCY)?;
        }
        if let Some(c) = &raw.per_host_concurrency {
            f.per_host_concurrency = self.count(c, &ranges::FETCH_PER_HOST_CONCURRENCY)?;
        }
        if let Some(d) = &raw.per_host_delay {
            f.per_host_delay = self.span(d, &ranges::FETCH_PER_HOST_DELAY)?;
        }
        if let Some(r) = &raw.retries {
            f.retries = self.count(r, &ranges::FETCH_RETRIES)?;
        }
        Ok(f)
    }

    fn schedule(&self, raw: Option<RawSchedule>) -> Result<ScheduleSettings, ConfigError> {
        let mut s = ScheduleSettings {
            timezone: DEFAULT_TIMEZONE
                .parse()
                .expect("the default timezone is a valid IANA name"),
            default: DEFAULT_SCHEDULE.to_string(),
        };
        let Some(raw) = raw else { return Ok(s) };
        if let Some(tz) = &raw.timezone {
            s.timezone = tz.get_ref().trim().parse().map_err(|_| {
                self.error(
                    tz,
                    "schedule.timezone",
                    format!(
                        "`{}` is not an IANA time zone such as \"Asia/Hong_Kong\"",
                        tz.get_ref()
                    ),
                )
            })?;
        }
        if let Some(d) = &raw.default {
            s.default = self.cron(d, "schedule.default")?;
        }
        Ok(s)
    }

    fn email(&self, raw: RawEmail) -> Result<EmailSettings, ConfigError> {
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
}

/// A TOML parser message on one line: its multi-line snippet (`TOML parse error at line 2, column
/// 9`, the source line, a caret line, the message) becomes `line 2, column 9: the message`.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message.trim().lines().collect();
    match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => {
            let at = first.trim().trim_start_matches("TOML parse error at ");
            format!("{at}: {}", last.trim())
        }
        _ => message.trim().to_string(),
    }
}

/// Whether `text` holds a complete `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`
/// block with something between the two lines.
fn has_pem_certificate(text: &str) -> bool {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    text.match_indices(BEGIN).any(|(i, _)| {
        let body = &text[i + BEGIN.len()..];
        body.find(END)
            .is_some_and(|j| !body[..j].trim().is_empty() && !body[..j].contains("-----BEGIN"))
    })
}

/// Where the first byte that is not UTF-8 sits in a file.
struct Utf8Position {
    line: usize,
    /// 1-based, in characters of the valid text before the byte.
    column: usize,
    offset: usize,
    byte: u8,
}

impl Utf8Position {
    fn of(bytes: &[u8], error: std::str::Utf8Error) -> Utf8Position {
        let offset = error.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let (line, column) = line_col(valid, offset);
        Utf8Position {
            line,
            column,
            offset,
            byte: bytes.get(offset).copied().unwrap_or(0),
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = source
        .get(line_start..offset)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

/// Best-effort dotted key path (`fetch.timeout`, `target[2].schedule`) for a byte offset, so that
/// errors reported by the TOML parser name the key as well as the line.
fn key_at(source: &str, offset: usize) -> String {
    let mut table = String::new();
    let mut array_counts: std::collections::HashMap<String, usize> = Default::default();
    let mut pos = 0;
    let mut key = String::new();
    for line in source.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
        {
            let name = name.trim().to_string();
            let n = array_counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
            key.clear();
        } else if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim().to_string();
            key.clear();
        } else if let Some((k, _)) = trimmed.split_once('=')
            && !trimmed.starts_with('#')
        {
            key = k.trim().trim_matches('"').to_string();
        }
        if offset < pos {
            let _ = start;
            break;
        }
    }
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[[target]]
name = "a"
carrier = "C"
url = "https://example.org/"
"#;

    fn parse(src: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/etc/pw/policywatch.toml"), src)
    }

    fn err(src: &str) -> (usize, String, String) {
        match parse(src) {
            Err(ConfigError::Invalid {
                line, key, message, ..
            }) => (line, key, message),
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.database, PathBuf::from("/etc/pw/policywatch.sqlite3"));
        assert_eq!(c.fetch, FetchSettings::default());
        assert_eq!(c.schedule.default, DEFAULT_SCHEDULE);
        assert_eq!(c.targets[0].select, vec!["body"]);
        assert_eq!(c.targets[0].schedule, DEFAULT_SCHEDULE);
        assert!(c.email.is_none());
        assert_eq!(c.alerts, AlertSettings::default());
        assert!(!c.targets[0].ignore_robots);
    }

    #[test]
    fn alerts_and_robots_keys() {
        let c = parse(&format!(
            "[alerts]\nconfirm_delay = \"0s\"\nlost_after = 3\ndigest = \"off\"\nheartbeat = \"off\"\n{MINIMAL}ignore_robots = true\n"
        ))
        .unwrap();
        assert_eq!(c.alerts.confirm_delay, Duration::ZERO);
        assert_eq!(c.alerts.lost_after, 3);
        assert_eq!(c.alerts.digest, Digest::Off);
        assert_eq!(c.lexicon, None);
        assert!(c.targets[0].ignore_robots);
        let (_, key, _) = err("[alerts]\nfailures_before_alert = 0\n");
        assert_eq!(key, "alerts.failures_before_alert");
        let (_, key, _) = err("[alerts]\ndigest = \"hourly\"\n");
        assert_eq!(key, "alerts.digest");
        let (_, key, _) = err("[storage]\nkeep_checks = \"1h\"\n");
        assert_eq!(key, "storage.keep_checks");
        let c = parse(&format!("[storage]\nkeep_checks = \"30d\"\n{MINIMAL}")).unwrap();
        assert_eq!(c.storage.keep_checks, Duration::from_secs(30 * 24 * 3600));
    }

    #[test]
    fn metrics_listen_is_loopback_only() {
        assert_eq!(parse(MINIMAL).unwrap().metrics, None);
        let c = parse(&format!("[metrics]\n{MINIMAL}")).unwrap();
        assert_eq!(
            c.metrics.unwrap().listen,
            DEFAULT_METRICS_LISTEN.parse().unwrap()
        );
        let c = parse(&format!("[metrics]\nlisten = \"[::1]:9000\"\n{MINIMAL}")).unwrap();
        assert_eq!(c.metrics.unwrap().listen, "[::1]:9000".parse().unwrap());
        for bad in [
            "0.0.0.0:9464",
            "192.168.1.2:9464",
            "localhost:9464",
            "127.0.0.1",
        ] {
            let (line, key, message) = err(&format!("[metrics]\nlisten = \"{bad}\"\n"));
            assert_eq!((line, key.as_str()), (2, "metrics.listen"), "{message}");
            assert!(message.contains(bad), "{message}");
        }
        let (_, key, _) = err("[metrics]\nlisten_on = \"127.0.0.1:1\"\n");
        assert_eq!(key, "metrics.listen_on");
    }

    #[test]
    fn render_wait_for_and_pdf_narrowing() {
        let t = &parse(MINIMAL).unwrap().targets[0];
        assert_eq!(t.render, Render::Static);
        assert_eq!((t.pdf_from.as_deref(), t.pdf_to.as_deref()), (None, None));
        let c = parse(&format!(
            "{MINIMAL}render = \"browser\"\nwait_for = \"main .terms\"\npdf_from = \" 5. Termination \"\npdf_to = \"6. Fees\"\n"
        ))
        .unwrap();
        let t = &c.targets[0];
        assert_eq!(
            t.render,
            Render::Browser {
                wait_for: Some("main .terms".into())
            }
        );
        assert_eq!(t.pdf_from.as_deref(), Some("5. Termination"));
        assert_eq!(t.pdf_to.as_deref(), Some("6. Fees"));
        let c = parse(&format!("{MINIMAL}render = \"static\"\n")).unwrap();
        assert_eq!(c.targets[0].render, Render::Static);
        let c = parse(&format!("{MINIMAL}render = \"browser\"\n")).unwrap();
        assert_eq!(c.targets[0].render, Render::Browser { wait_for: None });

        for (extra, want, says) in [
            (
                "render = \"chrome\"",
                "target[0].render",
                "use \"static\" or \"browser\"",
            ),
            (
                "wait_for = \"main\"",
                "target[0].wait_for",
                "only applies with render = \"browser\"",
            ),
            (
                "render = \"static\"\nwait_for = \"main\"",
                "target[0].wait_for",
                "only applies with render = \"browser\"",
            ),
            (
                "render = \"browser\"\nwait_for = \"div[\"",
                "target[0].wait_for",
                "invalid CSS selector",
            ),
            (
                "pdf_from = \"  \"",
                "target[0].pdf_from",
                "must not be empty",
            ),
            ("pdf_to = \"\"", "target[0].pdf_to", "must not be empty"),
        ] {
            let (_, key, message) = err(&format!("{MINIMAL}{extra}\n"));
            assert_eq!(key, want, "{extra}: {message}");
            assert!(message.contains(says), "{extra}: {message}");
        }
    }

    #[test]
    fn misspelt_key_is_named_with_its_line() {
        let (line, key, message) = err(&format!("{MINIMAL}shedule = \"0 0 * * * *\"\n"));
        assert_eq!(line, 6);
        assert_eq!(key, "target[0].shedule");
        assert!(message.contains("unknown field `shedule`"), "{message}");
    }

    #[test]
    fn wrong_type_names_key() {
        let (line, key, _) = err("[fetch]\nallow_private_addresses = \"yes\"\n");
        assert_eq!((line, key.as_str()), (2, "fetch.allow_private_addresses"));
    }

    #[test]
    fn bad_values_are_rejected_with_key() {
        let cases = [
            ("schedule = \"0 0 * * *\"", "target[0].schedule"),
            ("select = \"div[\"", "target[0].select"),
            ("select = []", "target[0].select"),
            ("remove = [\"p\", \"a >\"]", "target[0].remove"),
        ];
        for (extra, want) in cases {
            let (line, key, message) = err(&format!("{MINIMAL}{extra}\n"));
            assert_eq!(key, want, "{message}");
            assert_eq!(line, 6);
        }
        let (_, key, _) = err(&MINIMAL.replace("https://example.org/", "ftp://example.org/"));
        assert_eq!(key, "target[0].url");
        let (_, key, _) = err(&MINIMAL.replace("https://example.org/", "not a url"));
        assert_eq!(key, "target[0].url");
        let (_, key, _) = err(&MINIMAL.replace("name = \"a\"", "name = \"a b\""));
        assert_eq!(key, "target[0].name");
        let (_, key, _) = err(&format!("[fetch]\ntimeout = \"soon\"\n{MINIMAL}"));
        assert_eq!(key, "fetch.timeout");
        let (_, key, _) = err(&format!("[schedule]\ntimezone = \"Mars/Base\"\n{MINIMAL}"));
        assert_eq!(key, "schedule.timezone");
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let (line, key, message) = err(&format!("{MINIMAL}{MINIMAL}"));
        assert_eq!(line, 8);
        assert_eq!(key, "target[1].name");
        assert!(message.contains("duplicate"));
    }

    #[test]
    fn email_is_validated() {
        let ok = format!(
            "[email]\nfrom = \"pw <pw@example.org>\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail\"\nsecurity = \"tls\"\n{MINIMAL}"
        );
        let c = parse(&ok).unwrap();
        let e = c.email.unwrap();
        assert_eq!(e.smtp.port, 465);
        assert_eq!(e.to.len(), 1);
        let (_, key, _) = err(&ok.replace("me@example.org", "not an address"));
        assert_eq!(key, "email.to");
        let (_, key, _) = err(&ok.replace("\"tls\"", "\"ssl\""));
        assert_eq!(key, "email.smtp.security");
    }

    const PEM: &str =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";

    /// A config in a temp dir, so that relative file names resolve to real files.
    fn parse_in(dir: &Path, src: &str) -> Result<Config, ConfigError> {
        Config::parse(&dir.join("policywatch.toml"), src)
    }

    fn err_in(dir: &Path, src: &str) -> (usize, String, String) {
        match parse_in(dir, src) {
            Err(ConfigError::Invalid {
                line, key, message, ..
            }) => (line, key, message),
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn lexicon_file_must_exist_and_compile() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("lex.toml"),
            crate::extract::lexicon::BUILTIN,
        )
        .unwrap();
        let c = parse_in(dir.path(), &format!("lexicon = \"lex.toml\"\n{MINIMAL}")).unwrap();
        assert_eq!(c.lexicon, Some(dir.path().join("lex.toml")));

        let (line, key, message) = err_in(
            dir.path(),
            &format!("lexicon = \"missing.toml\"\n{MINIMAL}"),
        );
        assert_eq!((line, key.as_str()), (1, "lexicon"), "{message}");
        assert!(message.contains("missing.toml"), "{message}");

        std::fs::write(
            dir.path().join("bad.toml"),
            "[concepts.terminate]\nterms = [\"end\"]\n",
        )
        .unwrap();
        let (line, key, message) =
            err_in(dir.path(), &format!("lexicon = \"bad.toml\"\n{MINIMAL}"));
        assert_eq!((line, key.as_str()), (1, "lexicon"), "{message}");
        assert!(message.contains("not a valid lexicon"), "{message}");
        assert!(message.contains("concept `online` is missing"), "{message}");

        std::fs::write(
            dir.path().join("bad.toml"),
            "[concepts.terminate]\nterms = \"x\"\n",
        )
        .unwrap();
        let (_, _, message) = err_in(dir.path(), &format!("lexicon = \"bad.toml\"\n{MINIMAL}"));
        assert!(!message.contains('\n'), "{message}");
        assert!(
            message.contains("line 2, column 9: invalid type"),
            "{message}"
        );
    }

    #[test]
    fn ca_files_must_hold_a_pem_certificate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), PEM).unwrap();
        std::fs::write(
            dir.path().join("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        let config = |fetch_ca: &str, smtp_ca: &str| {
            format!(
                "[fetch]\nca_file = \"{fetch_ca}\"\n[email]\nfrom = \"pw@example.org\"\nto = \"me@example.org\"\n[email.smtp]\nhost = \"mail\"\npassword_file = \"/run/credentials/policywatch.service/smtp-password\"\nca_file = \"{smtp_ca}\"\n{MINIMAL}"
            )
        };
        let c = parse_in(dir.path(), &config("ca.pem", "ca.pem")).unwrap();
        assert_eq!(c.fetch.ca_file, Some(dir.path().join("ca.pem")));
        let smtp = c.email.unwrap().smtp;
        assert_eq!(smtp.ca_file, Some(dir.path().join("ca.pem")));
        // The password file is a credential that may exist only under systemd: not checked.
        assert!(smtp.password_file.is_some());

        for (file, want) in [
            ("missing.pem", "cannot read"),
            ("key.pem", "no PEM certificate"),
        ] {
            let (line, key, message) = err_in(dir.path(), &config(file, "ca.pem"));
            assert_eq!((line, key.as_str()), (2, "fetch.ca_file"), "{message}");
            assert!(
                message.contains(want) && message.contains(file),
                "{message}"
            );
            let (line, key, message) = err_in(dir.path(), &config("ca.pem", file));
            assert_eq!((line, key.as_str()), (9, "email.smtp.ca_file"), "{message}");
            assert!(
                message.contains(want) && message.contains(file),
                "{message}"
            );
        }
    }

    #[test]
    fn pem_detection_needs_a_whole_certificate_block() {
        assert!(has_pem_certificate(PEM));
        assert!(has_pem_certificate(&format!("# bundle\n{PEM}{PEM}")));
        assert!(!has_pem_certificate(""));
        assert!(!has_pem_certificate("-----BEGIN CERTIFICATE-----\n"));
        assert!(!has_pem_certificate(
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
        ));
        assert!(!has_pem_certificate(
            "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n"
        ));
    }

    #[test]
    fn urls_with_credentials_are_rejected_without_echoing_them() {
        for url in [
            "https://user:s3cret@example.org/",
            "https://user@example.org/",
            "https://:s3cret@example.org/",
        ] {
            let (line, key, message) = err(&MINIMAL.replace("https://example.org/", url));
            assert_eq!((line, key.as_str()), (5, "target[0].url"), "{message}");
            assert_eq!(
                message,
                "credentials in URLs are not supported: they would be logged and emailed"
            );
        }
    }

    #[test]
    fn a_config_that_is_not_utf8_says_where_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policywatch.toml");
        std::fs::write(&path, b"[fetch]\ntimeout = \"5s\" # \xe7\xb5\x82 \xff\n").unwrap();
        let e = Config::load(&path).unwrap_err();
        assert!(
            matches!(
                e,
                ConfigError::NotUtf8 {
                    line: 2,
                    column: 20,
                    offset: 29,
                    byte: 0xFF,
                    ..
                }
            ),
            "{e:?}"
        );
        let message = e.to_string();
        assert!(message.ends_with(
            "policywatch.toml:2:20: the config is not UTF-8 text (byte 0xFF at offset 29); save it as UTF-8"
        ), "{message}");
        assert!(std::error::Error::source(&e).is_none(), "no repeated cause");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("a\n終止b", 8), (2, 3));
    }
}
