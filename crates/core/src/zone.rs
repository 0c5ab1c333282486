//! Time zones: times are stored in UTC and shown, and typed, in the
//! territory's zone or the person's own (IANA names such as
//! `Europe/Paris`), with the offset in force on that day.

use chrono::{Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use chrono_tz::{OffsetName, Tz};

use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

/// A moment as a clock in a zone shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// Seconds east of UTC on that day.
    pub offset_secs: i32,
}

impl LocalTime {
    /// `2026-12-05T09:30` as `<input type="datetime-local">` reads it.
    pub fn input_value(&self) -> String {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }

    /// `+01:00`.
    pub fn offset(&self) -> String {
        offset_text(self.offset_secs, ":")
    }

    /// RFC 3339 with the local offset: `2026-12-05T09:30:00+01:00`.
    pub fn rfc3339(&self) -> String {
        format!("{}:{:02}{}", self.input_value(), self.second, self.offset())
    }
}

/// An offset east of UTC as `+01:00` (`separator` ":") or `+0100` ("",
/// as iCalendar writes it).
pub fn offset_text(secs: i32, separator: &str) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.unsigned_abs() / 60;
    format!("{sign}{:02}{separator}{:02}", m / 60, m % 60)
}

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// The zone of an IANA name (`Europe/Paris`), or None.
    pub fn parse(name: &str) -> Option<Zone> {
        name.trim().parse::<Tz>().ok().map(Zone)
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// Every zone's name, for a picker.
    pub fn names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())
    }

    pub fn local(self, t: Timestamp) -> LocalTime {
        let utc = chrono::DateTime::from_timestamp_micros(t.as_micros()).unwrap_or_default();
        let here = utc.with_timezone(&self.0);
        LocalTime {
            year: here.year(),
            month: here.month(),
            day: here.day(),
            hour: here.hour(),
            minute: here.minute(),
            second: here.second(),
            offset_secs: here.offset().fix().local_minus_utc(),
        }
    }

    /// The abbreviation clocks show (`CET`, `CEST`), or the offset where the
    /// zone has none (`+03`).
    pub fn abbreviation(self, t: Timestamp) -> String {
        let utc = chrono::DateTime::from_timestamp_micros(t.as_micros()).unwrap_or_default();
        let here = utc.with_timezone(&self.0);
        match here.offset().abbreviation() {
            Some(a) if a.chars().all(|c| c.is_ascii_alphabetic()) => a.to_owned(),
            _ => self.local(t).offset(),
        }
    }

    /// The moment a clock in this zone shows `text` (`2026-12-05T09:30`,
    /// seconds optional, or `2026-12-05 09:30`). A time skipped when the
    /// clocks go forward is read as the same time after the change
    /// (02:30 becomes 03:30); one that happens twice when they go back is
    /// the first.
    pub fn parse_local(self, text: &str) -> Option<Timestamp> {
        let text = text.trim();
        let (date, time) = text.split_once(['T', ' '])?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
        let time = NaiveTime::parse_from_str(time, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
            .ok()?;
        let naive = NaiveDateTime::new(date, time);
        let found = match self.0.from_local_datetime(&naive) {
            LocalResult::Single(t) => t,
            LocalResult::Ambiguous(first, _) => first,
            LocalResult::None => {
                let later = naive.checked_add_signed(chrono::TimeDelta::hours(1))?;
                self.0.from_local_datetime(&later).earliest()?
            }
        };
        Some(Timestamp::from_micros(found.timestamp_micros()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn paris() -> Zone {
        Zone::parse("Europe/Paris").unwrap()
    }

    #[test]
    fn half_past_nine_in_paris_is_the_right_instant_in_winter_and_in_summer() {
        let winter = paris().parse_local("2026-12-05T09:30").unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-12-05T08:30:00.000Z");
        let summer = paris().parse_local("2026-07-05 09:30").unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-07-05T07:30:00.000Z");
        let local = paris().local(winter);
        assert_eq!((local.hour, local.minute, local.offset()), (9, 30, "+01:00".into()));
        assert_eq!(local.rfc3339(), "2026-12-05T09:30:00+01:00");
        assert_eq!(paris().local(summer).rfc3339(), "2026-07-05T09:30:00+02:00");
        assert_eq!(
            (paris().abbreviation(winter), paris().abbreviation(summer)),
            ("CET".into(), "CEST".into())
        );
    }

    #[test]
    fn times_the_clocks_skip_or_repeat_have_one_reading() {
        // 29 March 2026, 02:00 → 03:00 in Paris.
        let skipped = paris().parse_local("2026-03-29T02:30").unwrap();
        assert_eq!(paris().local(skipped).input_value(), "2026-03-29T03:30");
        // 25 October 2026, 03:00 → 02:00: 02:30 happens twice; the first.
        let twice = paris().parse_local("2026-10-25T02:30").unwrap();
        assert_eq!(twice.to_rfc3339(), "2026-10-25T00:30:00.000Z");
    }

    #[test]
    fn bad_text_and_unknown_zones_are_none() {
        for bad in ["", "2026-12-05", "2026-13-05T09:30", "2026-12-05T25:00", "demain 9h"] {
            assert_eq!(paris().parse_local(bad), None, "{bad}");
        }
        assert_eq!(Zone::parse("Europe/Lutece"), None);
        assert_eq!(Zone::parse(" Europe/Paris ").map(Zone::name), Some("Europe/Paris"));
        assert!(Zone::names().any(|n| n == "America/Montreal"));
        assert_eq!(Zone::UTC.local(Timestamp::from_micros(0)).rfc3339(), "1970-01-01T00:00:00+00:00");
    }
}
