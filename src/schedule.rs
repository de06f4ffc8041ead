//! Schedule: when each target is checked. The arithmetic only: the time comes in as an argument
//! (`now`), and running jobs at those times is the daemon's business.
//!
//! Cron expressions have six fields (with seconds), parsed exactly as tokio-cron-scheduler parses
//! them, so what `check-config` accepts is what `run` schedules. Note that, as in that crate,
//! day-of-month and day-of-week are combined with AND, not with classic cron's OR.
//!
//! Targets that share a schedule are spread by a stable per-target [`jitter`]; a target whose
//! last scheduled slot passed unchecked ([`missed_slot`]) is caught up soon after start
//! ([`catch_up_delay`]), spread over a few seconds rather than all at once.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Utc};
use croner::Cron;

use crate::zone::Zone;
use croner::parser::{CronParser, Seconds};

/// The most a target's start is shifted to spread load.
pub const MAX_JITTER: Duration = Duration::from_secs(60);
/// Catch-up checks at start are spread over at most this long.
pub const CATCH_UP_SPREAD: Duration = Duration::from_secs(3);

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

/// The earliest next firing of any of `schedules` after `now`, in `tz`.
pub fn next_firing<'a>(
    schedules: impl IntoIterator<Item = &'a str>,
    tz: &Zone,
    now: DateTime<Utc>,
) -> Option<DateTime<Zone>> {
    let now = now.with_timezone(tz);
    schedules
        .into_iter()
        .filter_map(|s| next_after(&parse_cron(s).ok()?, &now))
        .min()
}

/// A stable per-target delay within 10 % of the period, at most [`MAX_JITTER`].
pub fn jitter(name: &str, period: Duration) -> Duration {
    let cap = (period / 10).min(MAX_JITTER);
    if cap.is_zero() {
        return Duration::ZERO;
    }
    // Stable across runs, so a target keeps its place in the period after a restart.
    let h = crate::hash::stable_hash(&[name.as_bytes()]);
    let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX).max(1);
    Duration::from_millis(h % millis)
}

/// The time between the two firings of a cron expression that follow `now` (its period, roughly).
pub fn period(expr: &str, tz: &Zone, now: DateTime<Utc>) -> Option<Duration> {
    let cron = parse_cron(expr).ok()?;
    let now = now.with_timezone(tz);
    let a = next_after(&cron, &now)?;
    let b = next_after(&cron, &a)?;
    (b - a).to_std().ok()
}

/// How long after start (or after a reload added it) a target that missed its slot is checked:
/// its own jitter, spread over at most [`CATCH_UP_SPREAD`].
pub fn catch_up_delay(name: &str, period: Option<Duration>) -> Duration {
    let spread = CATCH_UP_SPREAD * 10;
    jitter(name, period.unwrap_or(spread).min(spread))
}

/// True when the last slot of `expr` at or before `now` passed without a check (`last_check`,
/// in Unix seconds); always for a target never checked.
pub fn missed_slot(expr: &str, tz: &Zone, last_check: Option<i64>, now: DateTime<Utc>) -> bool {
    let Some(last) = last_check else { return true };
    let Ok(cron) = parse_cron(expr) else {
        return false;
    };
    last_slot(&cron, &now.with_timezone(tz)).is_some_and(|slot| slot > last)
}

/// The last slot of `cron` at or before `now`, in Unix seconds.
pub fn last_slot<Tz: TimeZone>(cron: &Cron, now: &DateTime<Tz>) -> Option<i64> {
    // Inclusive: croner's exclusive search starts a whole second back, which would skip a slot
    // in the current second (a restart at 10:00:00.4 would miss both that slot and its job).
    cron.find_previous_occurrence(now, true)
        .ok()
        .map(|prev| prev.timestamp())
}

/// The slot a job made for `cron` stands for when it fires at `now`: its last slot at the UTC
/// offset the job was made with (`offset`, seconds east). tokio-cron-scheduler works out every
/// tick after a job's first at that fixed offset, so this is the tick that fired (the daemon
/// remakes its jobs when the offset changes).
pub fn fired_slot(cron: &Cron, offset: i32, now: DateTime<Utc>) -> Option<i64> {
    let fixed = FixedOffset::east_opt(offset)?;
    last_slot(cron, &now.with_timezone(&fixed))
}

/// Whether a summary whose slot is `expr` (the 09:00 digest, the Monday heartbeat) is owed when
/// the daemon starts: its last slot passed after `since` (the last one queued, or for the digest
/// the oldest change it holds) while the daemon was down. Never without `since`: a first start
/// has nothing to summarise yet, and the next slot comes.
pub fn summary_owed(expr: &str, tz: &Zone, since: Option<i64>, now: DateTime<Utc>) -> bool {
    since.is_some_and(|s| missed_slot(expr, tz, Some(s), now))
}

/// The UTC offset of `tz` at `now`, in seconds, as tokio-cron-scheduler fixes it when a job is
/// made (so jobs are remade when it changes).
pub fn utc_offset(tz: &Zone, now: DateTime<Utc>) -> i32 {
    tz.offset_from_utc_datetime(&now.naive_utc())
        .fix()
        .local_minus_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hk() -> Zone {
        Zone::hong_kong()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn jitter_is_stable_and_bounded() {
        let p = Duration::from_secs(3600);
        assert_eq!(jitter("a", p), jitter("a", p));
        assert_ne!(jitter("a", p), jitter("b", p));
        assert!(jitter("cmhk-prepaid-en", p) < MAX_JITTER);
        assert!(jitter("x", Duration::from_secs(1)) < Duration::from_millis(100));
        assert_eq!(jitter("x", Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn catch_up_is_soon() {
        for name in ["a", "cmhk-prepaid-en", "smartone-zh"] {
            let hourly = catch_up_delay(name, Some(Duration::from_secs(3600)));
            assert!(hourly < CATCH_UP_SPREAD, "{name}: {hourly:?}");
            assert!(catch_up_delay(name, None) < CATCH_UP_SPREAD);
            let fast = catch_up_delay(name, Some(Duration::from_secs(1)));
            assert!(fast < Duration::from_millis(100), "{name}: {fast:?}");
        }
    }

    #[test]
    fn periods() {
        let now = utc(2026, 11, 25, 2, 0, 0);
        assert_eq!(
            period("0 0 */6 * * *", &hk(), now),
            Some(Duration::from_secs(6 * 3600))
        );
        assert_eq!(
            period("*/2 * * * * *", &hk(), now),
            Some(Duration::from_secs(2))
        );
        // 09:30 daily, asked at 10:00 HKT: from tomorrow's slot to the one after.
        assert_eq!(
            period("0 30 9 * * *", &hk(), now),
            Some(Duration::from_secs(24 * 3600))
        );
        assert_eq!(period("not cron", &hk(), now), None);
    }

    #[test]
    fn missed_slots() {
        // 10:00:00 HKT.
        let now = utc(2026, 11, 25, 2, 0, 0);
        let ts = now.timestamp();
        assert!(
            missed_slot("* * * * * *", &hk(), None, now),
            "never checked"
        );
        assert!(missed_slot("0 0 * * * *", &hk(), Some(0), now));
        // Hourly: checked at 09:00:00 HKT, the 10:00 slot is now: missed.
        assert!(missed_slot("0 0 * * * *", &hk(), Some(ts - 3600), now));
        // Checked at 10:00:00 itself: not missed.
        assert!(!missed_slot("0 0 * * * *", &hk(), Some(ts), now));
        // Checked at 09:59:59 with the 10:00 slot in this very second: missed.
        assert!(missed_slot("0 0 * * * *", &hk(), Some(ts - 1), now));
        // Yearly, checked after this year's slot.
        assert!(!missed_slot("0 0 0 1 1 *", &hk(), Some(ts), now));
        assert!(!missed_slot("not cron", &hk(), Some(0), now));
    }

    #[test]
    fn a_summary_is_owed_only_for_a_slot_missed_since_the_last() {
        // Monday 2026-11-30, 10:00 HKT; the heartbeat's slot is Monday 09:05.
        let now = utc(2026, 11, 30, 2, 0, 0);
        let beat = "0 5 9 * * Mon";
        let last_week = utc(2026, 11, 23, 1, 5, 0).timestamp();
        assert!(
            summary_owed(beat, &hk(), Some(last_week), now),
            "down at 09:05"
        );
        let this_morning = utc(2026, 11, 30, 1, 5, 0).timestamp();
        assert!(
            !summary_owed(beat, &hk(), Some(this_morning), now),
            "sent at 09:05"
        );
        assert!(
            !summary_owed(beat, &hk(), None, now),
            "a first start owes nothing"
        );
        // The digest: a change held since yesterday 20:00 HKT, and today's 09:00 passed.
        let held = utc(2026, 11, 29, 12, 0, 0).timestamp();
        assert!(summary_owed("0 0 9 * * *", &hk(), Some(held), now));
        // Held since 09:30 today: tomorrow's digest takes it.
        let held = utc(2026, 11, 30, 1, 30, 0).timestamp();
        assert!(!summary_owed("0 0 9 * * *", &hk(), Some(held), now));
    }

    #[test]
    fn next_firing_is_the_earliest() {
        // 10:00:00 HKT.
        let now = utc(2026, 11, 25, 2, 0, 0);
        let next = next_firing(["0 30 9 * * *", "0 15 10 * * *", "bad"], &hk(), now).unwrap();
        assert_eq!(
            next,
            hk().with_ymd_and_hms(2026, 11, 25, 10, 15, 0).unwrap()
        );
        assert_eq!(next_firing([], &hk(), now), None);
    }

    #[test]
    fn utc_offsets_follow_daylight_saving_time() {
        assert_eq!(utc_offset(&hk(), utc(2026, 1, 1, 0, 0, 0)), 8 * 3600);
        let london = Zone::get("Europe/London").unwrap();
        assert_eq!(utc_offset(&london, utc(2026, 1, 15, 12, 0, 0)), 0);
        assert_eq!(utc_offset(&london, utc(2026, 7, 15, 12, 0, 0)), 3600);
    }

    #[test]
    fn a_fired_slot_is_the_tick_at_the_jobs_offset() {
        // New York's autumn change, 2026-11-01 06:00 UTC: 02:00 EDT becomes 01:00 EST.
        let ny = Zone::get("America/New_York").unwrap();
        let (edt, est) = (-4 * 3600, -5 * 3600);
        let daily = parse_cron("0 5 1 * * *").unwrap();
        let hourly = parse_cron("0 30 * * * *").unwrap();
        let at = |h, m, s| utc(2026, 11, 1, h, m, s);
        // The job made in summer fires at 01:05 EDT and stands for that tick.
        assert_eq!(
            fired_slot(&daily, edt, at(5, 5, 0)),
            Some(at(5, 5, 0).timestamp())
        );
        // Remade at 06:00:10 (EST), it fires at once for the 01:05 it finds first (croner's
        // earliest of the two): at its own offset that is yesterday's tick, older than the slot
        // its predecessor took, so the daemon skips it.
        let remade_at = at(6, 0, 10);
        let next = next_after(&daily, &remade_at.with_timezone(&ny)).unwrap();
        assert!(next.timestamp() < remade_at.timestamp(), "{next}");
        assert!(fired_slot(&daily, est, remade_at).unwrap() < at(5, 5, 0).timestamp());
        // 01:05 EST is a tick of its own: a daily slot at a wall-clock time the change repeats
        // is checked at both, as an hourly schedule is at 01:30 EDT and 01:30 EST.
        assert_eq!(
            fired_slot(&daily, est, at(6, 5, 0)),
            Some(at(6, 5, 0).timestamp())
        );
        assert_eq!(
            fired_slot(&hourly, edt, at(5, 30, 0)),
            Some(at(5, 30, 0).timestamp())
        );
        assert_eq!(
            fired_slot(&hourly, est, at(6, 30, 0)),
            Some(at(6, 30, 0).timestamp())
        );
        // The real zone's last slot, as the catch-up reads it, finds the first 01:05 then.
        assert_eq!(
            last_slot(&daily, &at(6, 5, 0).with_timezone(&ny)),
            Some(at(5, 5, 0).timestamp())
        );
        // A tick a little late stands for the slot it was due at.
        assert_eq!(
            fired_slot(&hourly, est, at(7, 30, 2)),
            Some(at(7, 30, 0).timestamp())
        );
        assert_eq!(fired_slot(&hourly, i32::MAX, at(7, 30, 2)), None);
    }

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
        let tz = Zone::hong_kong();
        let now = tz.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
        let next = next_after(&c, &now).unwrap();
        assert_eq!(next, tz.with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap());
    }
}
