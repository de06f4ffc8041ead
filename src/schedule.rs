//! Schedule: when each target is checked.
//!
//! Cron expressions have six fields (with seconds), parsed exactly as tokio-cron-scheduler parses
//! them, so what `check-config` accepts is what `run` schedules. Note that, as in that crate,
//! day-of-month and day-of-week are combined with AND, not with classic cron's OR.

use chrono::{DateTime, TimeZone};
use croner::Cron;
use croner::parser::{CronParser, Seconds};

#[derive(Debug, thiserror::Error)]
#[error(
    "`{expr}` is not a 6-field cron expression with seconds (e.g. \"0 30 9 * * *\"): {message}"
)]
pub struct CronError {
    pub expr: String,
    pub message: String,
}

pub fn parse_cron(expr: &str) -> Result<Cron, CronError> {
    CronParser::builder()
        .seconds(Seconds::Required)
        .dom_and_dow(true)
        .build()
        .parse(expr.trim())
        .map_err(|e| CronError {
            expr: expr.to_string(),
            message: e.to_string(),
        })
}

/// The next time `expr` fires after `after`.
pub fn next_after<Tz: TimeZone>(cron: &Cron, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
    cron.find_next_occurrence(after, false).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_fields_required() {
        assert!(parse_cron("0 30 9 * * *").is_ok());
        assert!(parse_cron("*/2 * * * * *").is_ok());
        let e = parse_cron("30 9 * * *").unwrap_err();
        assert!(e.to_string().contains("6-field"));
        assert!(parse_cron("0 61 * * * *").is_err());
    }

    #[test]
    fn next_fire_in_hong_kong() {
        let c = parse_cron("0 30 9 * * *").unwrap();
        let tz = chrono_tz::Asia::Hong_Kong;
        let now = tz.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
        let next = next_after(&c, &now).unwrap();
        assert_eq!(next, tz.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap());
    }
}
