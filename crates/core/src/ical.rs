//! iCalendar (RFC 5545) for sessions: each event's times in its own zone
//! (`DTSTART;TZID=Europe/Paris:…`) with the `VTIMEZONE` that zone needs
//! over the events' years, so that any calendar shows the hour the
//! organiser typed, on both sides of a DST change.

use chrono::{DateTime, Datelike, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};

use crate::time::Timestamp;
use crate::zone::{offset_text, Zone};

/// One event of a calendar.
#[derive(Debug, Clone)]
pub struct IcsEvent {
    /// Stable and unique: the session's ActivityPub id.
    pub uid: String,
    pub starts: Timestamp,
    pub ends: Option<Timestamp>,
    pub zone: Zone,
    pub summary: String,
    /// Plain text.
    pub description: String,
    pub location: String,
    pub geo: Option<(f64, f64)>,
    pub url: String,
    pub organizer: String,
    pub cancelled: bool,
    pub updated: Timestamp,
}

/// A whole calendar named `name`, CRLF line ends, lines folded at 75
/// octets.
pub fn calendar(name: &str, events: &[IcsEvent], now: Timestamp) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Maillage//Sessions//FR".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    let mut zones: Vec<(Zone, Vec<i32>)> = Vec::new();
    for e in events {
        let years: Vec<i32> = [Some(e.starts), e.ends].into_iter().flatten().map(|t| utc(t).year()).collect();
        match zones.iter_mut().find(|(z, _)| *z == e.zone) {
            Some((_, ys)) => ys.extend(years),
            None => zones.push((e.zone, years)),
        }
    }
    for (zone, years) in &zones {
        if *zone != Zone::UTC {
            lines.extend(vtimezone(*zone, years));
        }
    }
    for e in events {
        lines.extend(vevent(e, now));
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
    }
    out
}

fn utc(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.as_micros()).unwrap_or_default()
}

fn stamp(t: Timestamp) -> String {
    utc(t).format("%Y%m%dT%H%M%SZ").to_string()
}

/// `DTSTART;TZID=Europe/Paris:20261212T093000`, or in UTC for UTC.
fn when(name: &str, t: Timestamp, zone: Zone) -> String {
    if zone == Zone::UTC {
        return format!("{name}:{}", stamp(t));
    }
    let l = zone.local(t);
    format!(
        "{name};TZID={}:{:04}{:02}{:02}T{:02}{:02}{:02}",
        zone.name(),
        l.year,
        l.month,
        l.day,
        l.hour,
        l.minute,
        l.second
    )
}

fn vevent(e: &IcsEvent, now: Timestamp) -> Vec<String> {
    let mut v = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", text(&e.uid)),
        format!("DTSTAMP:{}", stamp(now)),
        format!("LAST-MODIFIED:{}", stamp(e.updated)),
        when("DTSTART", e.starts, e.zone),
    ];
    if let Some(end) = e.ends {
        v.push(when("DTEND", end, e.zone));
    }
    v.push(format!("SUMMARY:{}", text(&e.summary)));
    if !e.description.is_empty() {
        v.push(format!("DESCRIPTION:{}", text(&e.description)));
    }
    if !e.location.is_empty() {
        v.push(format!("LOCATION:{}", text(&e.location)));
    }
    if let Some((lat, lon)) = e.geo {
        v.push(format!("GEO:{lat:.6};{lon:.6}"));
    }
    if !e.organizer.is_empty() {
        v.push(format!("ORGANIZER;CN={}:{}", param(&e.organizer), e.url));
    }
    v.push(format!("URL:{}", e.url));
    v.push(format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }));
    v.push("END:VEVENT".to_owned());
    v
}

/// The zone's offset changes over `years` (and the year before, so that
/// the first event has an observance in force), as observances.
fn vtimezone(zone: Zone, years: &[i32]) -> Vec<String> {
    let tz: Tz = zone.name().parse().unwrap_or(Tz::UTC);
    let (first, last) =
        (years.iter().min().copied().unwrap_or(1970), years.iter().max().copied().unwrap_or(1970));
    let mut v = vec!["BEGIN:VTIMEZONE".to_owned(), format!("TZID:{}", zone.name())];
    let offset_at = |secs: i64| {
        let t = tz.timestamp_opt(secs, 0).single().unwrap_or_else(|| tz.timestamp_opt(0, 0).unwrap());
        (t.offset().fix().local_minus_utc(), t.offset().abbreviation().unwrap_or("").to_owned())
    };
    let start = Utc.with_ymd_and_hms(first - 1, 1, 1, 0, 0, 0).single().map_or(0, |t| t.timestamp());
    let end = Utc.with_ymd_and_hms(last + 1, 1, 1, 0, 0, 0).single().map_or(0, |t| t.timestamp());
    let mut observances = Vec::new();
    let (mut before, mut t) = (offset_at(start), start);
    while t < end {
        // Offsets change at most once a day: step by days, then bisect.
        let next = t + 86_400;
        let after = offset_at(next);
        if after.0 != before.0 {
            // The exact second, between t and next.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset_at(mid).0 == before.0 {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            observances.push((hi, before.0, after.clone()));
            before = after;
        }
        t = next;
    }
    if observances.is_empty() {
        let (offset, name) = offset_at(start);
        observances.push((0, offset, (offset, name)));
    }
    let highest = observances.iter().map(|(_, _, (to, _))| *to).max().unwrap_or(0);
    let lowest = observances.iter().map(|(_, _, (to, _))| *to).min().unwrap_or(0);
    for (at, from, (to, name)) in observances {
        let kind = if to == highest && highest != lowest { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART is the local time of the change, read in the offset
        // before it; a zone that never changed has one from 1970.
        let local = match at {
            0 => "19700101T000000".to_owned(),
            _ => (utc(Timestamp::from_micros(at * 1_000_000)) + chrono::TimeDelta::seconds(i64::from(from)))
                .format("%Y%m%dT%H%M%S")
                .to_string(),
        };
        v.push(format!("BEGIN:{kind}"));
        v.push(format!("DTSTART:{local}"));
        v.push(format!("TZOFFSETFROM:{}", offset_text(from, "")));
        v.push(format!("TZOFFSETTO:{}", offset_text(to, "")));
        if !name.is_empty() {
            v.push(format!("TZNAME:{}", text(&name)));
        }
        v.push(format!("END:{kind}"));
    }
    v.push("END:VTIMEZONE".to_owned());
    v
}

/// A TEXT value: `\`, `;`, `,` and line ends escaped.
fn text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
}

/// A parameter value, quoted (no `"` allowed inside).
fn param(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "'").replace(['\r', '\n'], " "))
}

/// Folds a content line at 75 octets (never inside a UTF-8 character) and
/// ends it with CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn event(starts: &str) -> IcsEvent {
        let zone = Zone::parse("Europe/Paris").unwrap();
        IcsEvent {
            uid: "https://die.example/objects/1".into(),
            starts: zone.parse_local(starts).unwrap(),
            ends: None,
            zone,
            summary: "Atelier vélo, réparations; entraide".into(),
            description: "Apportez vos outils.\nEt vos vélos.".into(),
            location: "Salle des fêtes, 2 place de la Mairie, 26150 Die".into(),
            geo: Some((44.7536, 5.3703)),
            url: "https://die.example/sessions/1".into(),
            organizer: "Alice".into(),
            cancelled: false,
            updated: Timestamp::from_micros(0),
        }
    }

    #[test]
    fn an_event_keeps_its_local_hour_and_its_zone_rules() {
        let ics = calendar(
            "Die",
            &[event("2026-12-12T09:30"), event("2027-07-03T09:30")],
            Timestamp::from_micros(0),
        );
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20261212T093000\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270703T093000\r\n"), "{ics}");
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"), "{ics}");
        // Summer time begins on 28 March 2027 at 02:00 local.
        assert!(ics.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"), "{ics}");
        assert!(
            ics.contains(
                "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
            ),
            "{ics}"
        );
        assert!(ics.contains("SUMMARY:Atelier vélo\\, réparations\\; entraide\r\n"), "{ics}");
        assert!(ics.contains("DESCRIPTION:Apportez vos outils.\\nEt vos vélos.\r\n"), "{ics}");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut e = event("2026-12-12T09:30");
        e.description = "é".repeat(100);
        let ics = calendar("Die", &[e], Timestamp::from_micros(0));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", "é".repeat(100))));
    }

    #[test]
    fn a_zone_without_changes_has_one_observance_and_utc_needs_none() {
        let mut e = event("2026-12-12T09:30");
        e.zone = Zone::parse("Asia/Tokyo").unwrap();
        let ics = calendar("Tokyo", &[e.clone()], Timestamp::from_micros(0));
        assert!(
            ics.contains(
                "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"
            ),
            "{ics}"
        );
        e.zone = Zone::UTC;
        let ics = calendar("UTC", &[e], Timestamp::from_micros(0));
        assert!(!ics.contains("VTIMEZONE") && ics.contains("DTSTART:2026121"), "{ics}");
    }
}
