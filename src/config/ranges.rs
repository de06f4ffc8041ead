//! Ranges: the sane bounds of every number, duration and size the config accepts.
//!
//! A value outside its range is a config error (file, line, key, exit 2), never a silent clamp:
//! `retries = 4294967295` or `per_host_delay = "500000000y"` would otherwise pass and make `check`
//! never finish. The bounds are written once, here, and README's configuration block repeats them
//! (a test keeps the two in step). Parsing a value stays in `config`; this module only judges it.

use std::time::Duration;

use toml::Spanned;

use super::{ConfigError, Validator};

/// An inclusive range of a whole number.
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub key: &'static str,
    pub min: i64,
    pub max: i64,
}

/// An inclusive range of a duration, with the bounds as a person writes them.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub key: &'static str,
    pub min: Duration,
    pub max: Duration,
    pub text: (&'static str, &'static str),
}

/// An inclusive range of a size in bytes, with the bounds as a person writes them.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub key: &'static str,
    pub min: u64,
    pub max: u64,
    pub text: (&'static str, &'static str),
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 24 * HOUR;
/// humantime's year (365.25 days), so that "10y" itself is accepted.
const YEAR: u64 = 31_557_600;
const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

pub const FETCH_TIMEOUT: Span = Span {
    key: "fetch.timeout",
    min: secs(1),
    max: secs(10 * MINUTE),
    text: ("1s", "10m"),
};
pub const FETCH_MAX_BODY: Size = Size {
    key: "fetch.max_body",
    min: KIB,
    max: 100 * MIB,
    text: ("1 KiB", "100 MiB"),
};
pub const FETCH_CONCURRENCY: Count = Count {
    key: "fetch.concurrency",
    min: 1,
    max: 256,
};
pub const FETCH_PER_HOST_CONCURRENCY: Count = Count {
    key: "fetch.per_host_concurrency",
    min: 1,
    max: 32,
};
pub const FETCH_PER_HOST_DELAY: Span = Span {
    key: "fetch.per_host_delay",
    min: secs(0),
    max: secs(HOUR),
    text: ("0s", "1h"),
};
pub const FETCH_RETRIES: Count = Count {
    key: "fetch.retries",
    min: 0,
    max: 10,
};
pub const SMTP_PORT: Count = Count {
    key: "email.smtp.port",
    min: 1,
    max: 65535,
};
pub const SMTP_TIMEOUT: Span = Span {
    key: "email.smtp.timeout",
    min: secs(1),
    max: secs(10 * MINUTE),
    text: ("1s", "10m"),
};
pub const CONFIRM_DELAY: Span = Span {
    key: "alerts.confirm_delay",
    min: secs(0),
    max: secs(HOUR),
    text: ("0s", "1h"),
};
pub const LOST_AFTER: Count = Count {
    key: "alerts.lost_after",
    min: 1,
    max: 100,
};
pub const FAILURES_BEFORE_ALERT: Count = Count {
    key: "alerts.failures_before_alert",
    min: 1,
    max: 1000,
};
pub const KEEP_CHECKS: Span = Span {
    key: "storage.keep_checks",
    min: secs(DAY),
    max: secs(10 * YEAR),
    text: ("1d", "10y"),
};

pub const FEED_ENTRIES: Count = Count {
    key: "feed.entries",
    min: 1,
    max: 500,
};

pub const COUNTS: &[Count] = &[
    FETCH_CONCURRENCY,
    FETCH_PER_HOST_CONCURRENCY,
    FETCH_RETRIES,
    SMTP_PORT,
    LOST_AFTER,
    FAILURES_BEFORE_ALERT,
    FEED_ENTRIES,
];
pub const SPANS: &[Span] = &[
    FETCH_TIMEOUT,
    FETCH_PER_HOST_DELAY,
    SMTP_TIMEOUT,
    CONFIRM_DELAY,
    KEEP_CHECKS,
];
pub const SIZES: &[Size] = &[FETCH_MAX_BODY];

/// Every bounded key with its range as README writes it (`fetch.retries`, "0 to 10").
pub fn documented() -> Vec<(&'static str, String)> {
    let counts = COUNTS
        .iter()
        .map(|c| (c.key, format!("{} to {}", c.min, c.max)));
    let spans = SPANS
        .iter()
        .map(|s| (s.key, format!("{} to {}", s.text.0, s.text.1)));
    let sizes = SIZES
        .iter()
        .map(|s| (s.key, format!("{} to {}", s.text.0, s.text.1)));
    counts.chain(spans).chain(sizes).collect()
}

impl Validator<'_> {
    /// A whole number within `range`, converted to the type the setting is kept in. Values are
    /// read as `i64` (TOML's integer) so that a negative or huge number gets this message too,
    /// not a type error.
    pub(super) fn count<T: TryFrom<i64>>(
        &self,
        n: &Spanned<i64>,
        range: &Count,
    ) -> Result<T, ConfigError> {
        let v = *n.get_ref();
        let out_of_range = || {
            self.error(
                n,
                range.key,
                format!("{v} is out of range ({} to {})", range.min, range.max),
            )
        };
        if !(range.min..=range.max).contains(&v) {
            return Err(out_of_range());
        }
        T::try_from(v).map_err(|_| out_of_range())
    }

    /// A duration string within `range`.
    pub(super) fn span(&self, s: &Spanned<String>, range: &Span) -> Result<Duration, ConfigError> {
        let d = self.duration(s, range.key)?;
        if d < range.min || d > range.max {
            return Err(self.error(
                s,
                range.key,
                format!(
                    "`{}` is out of range ({} to {})",
                    s.get_ref().trim(),
                    range.text.0,
                    range.text.1
                ),
            ));
        }
        Ok(d)
    }

    /// A size string ("10 MiB") within `range`.
    pub(super) fn size(&self, s: &Spanned<String>, range: &Size) -> Result<u64, ConfigError> {
        let size: bytesize::ByteSize = s.get_ref().trim().parse().map_err(|e| {
            self.error(
                s,
                range.key,
                format!(
                    "`{}` is not a size ({e}); write e.g. \"10 MiB\"",
                    s.get_ref()
                ),
            )
        })?;
        let bytes = size.as_u64();
        if bytes < range.min || bytes > range.max {
            return Err(self.error(
                s,
                range.key,
                format!(
                    "`{}` is out of range ({} to {})",
                    s.get_ref().trim(),
                    range.text.0,
                    range.text.1
                ),
            ));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_bounds_match_the_numbers() {
        for s in SPANS {
            assert_eq!(
                humantime::parse_duration(s.text.0).unwrap(),
                s.min,
                "{}",
                s.key
            );
            assert_eq!(
                humantime::parse_duration(s.text.1).unwrap(),
                s.max,
                "{}",
                s.key
            );
        }
        for s in SIZES {
            let parse = |t: &str| t.parse::<bytesize::ByteSize>().unwrap().as_u64();
            assert_eq!(
                (parse(s.text.0), parse(s.text.1)),
                (s.min, s.max),
                "{}",
                s.key
            );
        }
    }

    #[test]
    fn defaults_are_within_their_ranges() {
        use super::super::*;
        let f = FetchSettings::default();
        let a = AlertSettings::default();
        let count = |r: &Count, v: i64| assert!((r.min..=r.max).contains(&v), "{}", r.key);
        count(&FETCH_CONCURRENCY, f.concurrency as i64);
        count(&FETCH_PER_HOST_CONCURRENCY, f.per_host_concurrency as i64);
        count(&FETCH_RETRIES, i64::from(f.retries));
        count(&LOST_AFTER, i64::from(a.lost_after));
        count(&FAILURES_BEFORE_ALERT, i64::from(a.failures_before_alert));
        let span = |r: &Span, v: Duration| assert!(r.min <= v && v <= r.max, "{}", r.key);
        span(&FETCH_TIMEOUT, f.timeout);
        span(&FETCH_PER_HOST_DELAY, f.per_host_delay);
        span(&SMTP_TIMEOUT, DEFAULT_SMTP_TIMEOUT);
        span(&CONFIRM_DELAY, a.confirm_delay);
        span(&KEEP_CHECKS, DEFAULT_KEEP_CHECKS);
        assert!((FETCH_MAX_BODY.min..=FETCH_MAX_BODY.max).contains(&f.max_body));
    }
}
