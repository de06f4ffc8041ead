//! `[fetch]`: how pages are fetched (timeouts, limits, politeness, the address guard's
//! permission, an extra root CA), with its defaults.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Validator, ranges};

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_BODY: u64 = 10 * 1024 * 1024;
pub const DEFAULT_CONCURRENCY: usize = 16;
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 2;
pub const DEFAULT_PER_HOST_DELAY: Duration = Duration::from_secs(1);
pub const DEFAULT_RETRIES: u32 = 3;

/// The honest default User-Agent: names the program, its version and where to read about it.
pub fn default_user_agent() -> String {
    format!(
        "policywatch/{} (+https://github.com/policywatch/policywatch; watches carrier cancellation terms)",
        env!("CARGO_PKG_VERSION")
    )
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFetch {
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

impl Validator<'_> {
    pub(super) fn fetch(&self, raw: Option<RawFetch>) -> Result<FetchSettings, ConfigError> {
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
}
