//! `[storage]`, `[metrics]` and `[feed]`: how long check records are kept, where the loopback
//! `/healthz` and `/metrics` endpoint listens, and the Atom feed of changes.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Validator, ranges};

pub const DEFAULT_KEEP_CHECKS: Duration = Duration::from_secs(90 * 24 * 3600);

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    path: Option<Spanned<String>>,
    entries: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMetrics {
    listen: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStorage {
    keep_checks: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn storage(&self, raw: Option<RawStorage>) -> Result<StorageSettings, ConfigError> {
        let mut storage = StorageSettings::default();
        if let Some(k) = raw.as_ref().and_then(|s| s.keep_checks.as_ref()) {
            storage.keep_checks = self.span(k, &ranges::KEEP_CHECKS)?;
        }
        Ok(storage)
    }

    pub(super) fn feed(&self, f: RawFeed) -> Result<FeedSettings, ConfigError> {
        Ok(FeedSettings {
            path: self.relative(
                f.path
                    .as_ref()
                    .map_or(DEFAULT_FEED_PATH, |p| p.get_ref().as_str()),
            ),
            entries: match &f.entries {
                Some(n) => self.count::<usize>(n, &ranges::FEED_ENTRIES)?,
                None => DEFAULT_FEED_ENTRIES,
            },
        })
    }

    pub(super) fn metrics(&self, raw: RawMetrics) -> Result<MetricsSettings, ConfigError> {
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
}
