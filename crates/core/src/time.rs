//! UTC timestamps. The database layer stores them as `BIGINT` microseconds
//! since the Unix epoch: both backends compare and index them natively and
//! the MultiConnection backend has no portable timestamp type.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub fn now() -> Self {
        let micros = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Timestamp(micros)
    }

    pub const fn from_micros(micros: i64) -> Self {
        Timestamp(micros)
    }

    pub const fn as_micros(self) -> i64 {
        self.0
    }

    pub const fn as_millis(self) -> i64 {
        self.0.div_euclid(1000)
    }

    pub fn saturating_add(self, d: Duration) -> Self {
        let micros = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(micros))
    }

    pub fn saturating_sub(self, d: Duration) -> Self {
        let micros = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_sub(micros))
    }

    /// RFC 3339 in UTC with millisecond precision, the form Mastodon's API
    /// uses (`2026-11-25T20:48:18.123Z`).
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1_000_000);
        let millis = self.0.rem_euclid(1_000_000) / 1000;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Timestamp {
    /// Parses RFC 3339 (`2026-11-25T20:48:18Z`, `2026-11-25T21:48:18.5+01:00`)
    /// or a bare date (`2026-11-25`, midnight UTC).
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let (date, rest) = if s.len() == 10 { (s, "T00:00:00Z") } else { (s.get(..10)?, s.get(10..)?) };
        let mut d = date.split('-');
        let (y, m, day): (i64, u32, u32) =
            (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
        if d.next().is_some() || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&day) {
            return None;
        }
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let (hh, mm, ss) = (
            rest.get(0..2)?.parse::<i64>().ok()?,
            rest.get(3..5)?.parse::<i64>().ok()?,
            rest.get(6..8)?.parse::<i64>().ok()?,
        );
        if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" || hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        let mut tail = rest.get(8..)?;
        let mut micros = 0i64;
        if let Some(frac) = tail.strip_prefix('.') {
            let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return None;
            }
            let padded: String = digits.chars().chain(std::iter::repeat('0')).take(6).collect();
            micros = padded.parse().ok()?;
            tail = &frac[digits.len()..];
        }
        let offset = match tail {
            "Z" | "z" => 0,
            _ => {
                let sign = match tail.get(0..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let (oh, om) = (tail.get(1..3)?.parse::<i64>().ok()?, tail.get(4..6)?.parse::<i64>().ok()?);
                if tail.len() != 6 || tail.get(3..4)? != ":" {
                    return None;
                }
                sign * (oh * 3600 + om * 60)
            }
        };
        let secs = days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 + ss - offset;
        Some(Timestamp(secs.checked_mul(1_000_000)?.checked_add(micros)?))
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A proleptic Gregorian date to days since 1970-01-01.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm), so that formatting needs no date crate.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        assert_eq!(Timestamp::from_micros(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        // 2026-11-25T20:48:18.123Z
        let t = Timestamp::from_micros(1_795_639_698_123_456);
        assert_eq!(t.to_rfc3339(), "2026-11-25T20:48:18.123Z");
        // A leap day.
        let t = Timestamp::from_micros(951_782_400_000_000);
        assert_eq!(t.to_rfc3339(), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_rfc3339_and_dates() {
        let t = Timestamp::parse_rfc3339("2026-11-25T20:48:18.123Z");
        assert_eq!(t.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-25T20:48:18.123Z"));
        let offset = Timestamp::parse_rfc3339("2026-11-25T21:48:18+01:00");
        assert_eq!(offset.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-25T20:48:18.000Z"));
        assert_eq!(Timestamp::parse_rfc3339("2000-02-29").map(|t| t.as_micros()), Some(951_782_400_000_000));
        for bad in
            ["", "2026-13-01", "2026-02-30", "2026-11-25T25:00:00Z", "yesterday", "2026-11-25T20:48:18"]
        {
            assert!(Timestamp::parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_saturates() {
        let t = Timestamp::from_micros(i64::MAX - 1);
        assert_eq!(t.saturating_add(Duration::from_secs(10)).as_micros(), i64::MAX);
    }
}
