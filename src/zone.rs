//! The time zone schedules fire in and reports print times in: an IANA zone from the tz
//! database bundled with jiff, with chrono's `TimeZone` on top so that croner and
//! tokio-cron-scheduler can use it. Nothing here reads the clock or the file system.
//!
//! Why not chrono-tz: its tables are ~600 zones of `&'static str` abbreviations, about 0.9 MiB
//! of data that a position-independent binary relocates at every start, so every process (the
//! idle daemon too) carried it as dirty memory whatever zone it used (BENCHMARKS.md, "Idle").
//! jiff keeps the database as one byte string and an index of names, and parses only the zone
//! asked for.

use std::fmt;
use std::sync::OnceLock;

use chrono::{FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, Offset, TimeZone};
use jiff::tz::{AmbiguousOffset, TimeZoneDatabase};

/// Hong Kong's IANA name: the shipped default, and the zone report times call "HKT".
pub const HONG_KONG: &str = "Asia/Hong_Kong";

/// An IANA time zone ("Asia/Hong_Kong"). Cloning is a reference-count increment.
#[derive(Clone, PartialEq, Eq)]
pub struct Zone(jiff::tz::TimeZone);

/// The name is not an IANA time zone in the bundled database.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not an IANA time zone")]
pub struct UnknownZone(pub String);

fn database() -> &'static TimeZoneDatabase {
    // The bundled copy, not /usr/share/zoneinfo: the same answer on every machine and in every
    // worker process, without walking a directory at each start.
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

impl Zone {
    /// The zone named `name` (ASCII case ignored, as the tz database's lookups do).
    pub fn get(name: &str) -> Result<Zone, UnknownZone> {
        database()
            .get(name)
            .map(Zone)
            .map_err(|_| UnknownZone(name.to_string()))
    }

    /// Hong Kong, the shipped default.
    pub fn hong_kong() -> Zone {
        // The bundled database always has it; the fixed +08:00 (no DST since 1979) is only a
        // fallback for a build whose database lacks it.
        Zone::get(HONG_KONG)
            .unwrap_or_else(|_| Zone(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))))
    }

    /// The IANA name, e.g. "Europe/London".
    pub fn name(&self) -> &str {
        // Every zone made by `get` has its name; only `hong_kong`'s fallback has none.
        self.0.iana_name().unwrap_or("UTC+08:00")
    }

    fn offset_at_utc(&self, utc: &NaiveDateTime) -> ZoneOffset {
        let at = utc.and_utc().timestamp();
        let seconds = jiff::Timestamp::new(at, 0).map_or(0, |ts| self.0.to_offset(ts).seconds());
        ZoneOffset {
            zone: self.clone(),
            fixed: fixed(seconds),
            at,
        }
    }

    fn offsets_at_local(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        use chrono::{Datelike, Timelike};
        let civil = (|| {
            let year = i16::try_from(local.year()).ok()?;
            jiff::civil::DateTime::new(
                year,
                i8::try_from(local.month()).ok()?,
                i8::try_from(local.day()).ok()?,
                i8::try_from(local.hour()).ok()?,
                i8::try_from(local.minute()).ok()?,
                i8::try_from(local.second()).ok()?,
                0,
            )
            .ok()
        })();
        let Some(civil) = civil else {
            return MappedLocalTime::None;
        };
        let local_secs = local.and_utc().timestamp();
        let at = |o: jiff::tz::Offset| ZoneOffset {
            zone: self.clone(),
            fixed: fixed(o.seconds()),
            at: local_secs - i64::from(o.seconds()),
        };
        match self.0.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => MappedLocalTime::Single(at(offset)),
            // A local time skipped by a transition (spring forward) does not exist.
            AmbiguousOffset::Gap { .. } => MappedLocalTime::None,
            // One repeated (fall back): the offset before the transition gives the earlier instant.
            AmbiguousOffset::Fold { before, after } => {
                MappedLocalTime::Ambiguous(at(before), at(after))
            }
        }
    }
}

fn fixed(seconds: i32) -> FixedOffset {
    // jiff's offsets are within ±25:59:59 and chrono's within ±23:59:59; no real zone is near.
    FixedOffset::east_opt(seconds).unwrap_or(chrono::Utc.fix())
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The offset of a [`Zone`] at one instant; it keeps its zone, as chrono's `from_offset` needs,
/// and the instant (Unix seconds), for the abbreviation `%Z` prints ("HKT", "BST").
#[derive(Clone, Debug)]
pub struct ZoneOffset {
    zone: Zone,
    fixed: FixedOffset,
    at: i64,
}

impl Offset for ZoneOffset {
    fn fix(&self) -> FixedOffset {
        self.fixed
    }
}

impl fmt::Display for ZoneOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match jiff::Timestamp::new(self.at, 0) {
            Ok(ts) => f.write_str(self.zone.0.to_offset_info(ts).abbreviation()),
            Err(_) => fmt::Display::fmt(&self.fixed, f),
        }
    }
}

impl TimeZone for Zone {
    type Offset = ZoneOffset;

    fn from_offset(offset: &ZoneOffset) -> Zone {
        offset.zone.clone()
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<ZoneOffset> {
        self.offsets_at_local(&local.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<ZoneOffset> {
        self.offsets_at_local(local)
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> ZoneOffset {
        self.offset_from_utc_datetime(&utc.and_time(chrono::NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> ZoneOffset {
        self.offset_at_utc(utc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn names_resolve_and_unknown_ones_are_refused() {
        assert_eq!(Zone::get(HONG_KONG).unwrap().name(), "Asia/Hong_Kong");
        assert_eq!(Zone::hong_kong().name(), "Asia/Hong_Kong");
        let err = Zone::get("Mars/Olympus").unwrap_err();
        assert_eq!(err.to_string(), "`Mars/Olympus` is not an IANA time zone");
        assert!(Zone::get("").is_err());
        assert!(Zone::get("HKT-8").is_err());
    }

    #[test]
    fn hong_kong_is_eight_hours_ahead_all_year() {
        let hk = Zone::hong_kong();
        for month in [1, 7] {
            let local = utc(2026, month, 1, 2, 0).with_timezone(&hk);
            assert_eq!(local.offset().fix().local_minus_utc(), 8 * 3600);
            assert_eq!(local.format("%H:%M").to_string(), "10:00");
        }
    }

    #[test]
    fn london_follows_summer_time() {
        let london = Zone::get("Europe/London").unwrap();
        let winter = utc(2026, 1, 15, 12, 0).with_timezone(&london);
        let summer = utc(2026, 7, 15, 12, 0).with_timezone(&london);
        assert_eq!(winter.offset().fix().local_minus_utc(), 0);
        assert_eq!(summer.offset().fix().local_minus_utc(), 3600);
        assert_eq!(winter.format("%H:%M %Z").to_string(), "12:00 GMT");
        assert_eq!(summer.format("%H:%M %Z").to_string(), "13:00 BST");
    }

    #[test]
    fn percent_z_prints_the_abbreviation_from_either_side() {
        let hk = Zone::hong_kong();
        let from_utc = utc(2026, 11, 30, 2, 0).with_timezone(&hk);
        assert_eq!(from_utc.format("%H:%M %Z").to_string(), "10:00 HKT");
        let local = NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let from_local = hk.from_local_datetime(&local).single().unwrap();
        assert_eq!(from_local.format("%H:%M %Z").to_string(), "10:00 HKT");
        assert_eq!(from_local, from_utc);
    }

    #[test]
    fn local_times_in_a_gap_do_not_exist_and_in_a_fold_occur_twice() {
        let london = Zone::get("Europe/London").unwrap();
        // 2026-03-29 01:30 is skipped (01:00 GMT → 02:00 BST).
        let gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert!(matches!(
            london.from_local_datetime(&gap),
            MappedLocalTime::None
        ));
        // 2026-10-25 01:30 happens at 00:30 UTC (BST) and again at 01:30 UTC (GMT).
        let fold = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        match london.from_local_datetime(&fold) {
            MappedLocalTime::Ambiguous(early, late) => {
                assert_eq!(early.with_timezone(&Utc), utc(2026, 10, 25, 0, 30));
                assert_eq!(late.with_timezone(&Utc), utc(2026, 10, 25, 1, 30));
            }
            other => panic!("expected two instants, got {other:?}"),
        }
        let plain = NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            london
                .from_local_datetime(&plain)
                .single()
                .map(|t| t.with_timezone(&Utc)),
            Some(utc(2026, 6, 1, 8, 0))
        );
    }

    #[test]
    fn dates_out_of_the_databases_range_do_not_panic() {
        let far = NaiveDate::from_ymd_opt(200_000, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert!(matches!(
            Zone::hong_kong().from_local_datetime(&far),
            MappedLocalTime::None
        ));
        let _ = Zone::hong_kong().offset_from_utc_datetime(&far);
    }
}
