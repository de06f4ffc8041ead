//! `[alerts]` and `[schedule]`: when a change is reported (confirmation, lost evidence, failing
//! targets, digest and heartbeat) and when targets are checked (time zone, default cron).

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Validator, ranges};

pub const DEFAULT_SCHEDULE: &str = "0 0 */6 * * *";
pub const DEFAULT_TIMEZONE: &str = crate::zone::HONG_KONG;
pub const DEFAULT_CONFIRM_DELAY: Duration = Duration::from_secs(10);
pub const DEFAULT_LOST_AFTER: u32 = 2;
pub const DEFAULT_FAILURES_BEFORE_ALERT: u32 = 3;

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
pub struct ScheduleSettings {
    pub timezone: crate::zone::Zone,
    pub default: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlerts {
    confirm_delay: Option<Spanned<String>>,
    lost_after: Option<Spanned<i64>>,
    failures_before_alert: Option<Spanned<i64>>,
    digest: Option<Digest>,
    heartbeat: Option<Heartbeat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchedule {
    timezone: Option<Spanned<String>>,
    default: Option<Spanned<String>>,
}

impl Validator<'_> {
    pub(super) fn alerts(&self, raw: Option<RawAlerts>) -> Result<AlertSettings, ConfigError> {
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

    pub(super) fn schedule(
        &self,
        raw: Option<RawSchedule>,
    ) -> Result<ScheduleSettings, ConfigError> {
        let mut s = ScheduleSettings {
            timezone: crate::zone::Zone::hong_kong(),
            default: DEFAULT_SCHEDULE.to_string(),
        };
        let Some(raw) = raw else { return Ok(s) };
        if let Some(tz) = &raw.timezone {
            s.timezone = crate::zone::Zone::get(tz.get_ref().trim()).map_err(|_| {
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
}
