//! French and English: every string shown to people, in one table (pages,
//! messages, the reasons of a match, the text of a listing as a status),
//! and numbers and dates written per language. Choosing the language of a
//! request is the web crate's (it reads the request); the rest is here so
//! that every crate writes from the same table.

use crate::time::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        match tag.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The first language of Accept-Language we speak, by its q-values.
    pub fn from_accept(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut bits = part.split(';');
                let lang = Lang::parse(bits.next()?)?;
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, lang))
            })
            .collect();
        tags.sort_by(|a, b| b.0.total_cmp(&a.0));
        tags.first().map(|(_, l)| *l)
    }

    pub fn t(self, key: &str) -> &'static str {
        match strings().find(|(k, _, _)| *k == key) {
            Some((_, fr, en)) => match self {
                Lang::Fr => fr,
                Lang::En => en,
            },
            // Every key named in the code is in the table (a test reads the
            // sources); a key built at run time and missing shows nothing.
            None => "",
        }
    }

    /// A number with the language's decimal separator.
    /// The string `key` with each `{}` replaced by the next of `args`.
    pub fn fill(self, key: &str, args: &[&str]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut parts = self.t(key).split("{}").peekable();
        while let Some(part) = parts.next() {
            out.push_str(part);
            if parts.peek().is_some() {
                out.push_str(args.next().copied().unwrap_or_default());
            }
        }
        out
    }

    /// The language of a tag such as `fr-FR`, or English for anything that
    /// is not French (what messages to people and other servers fall back to).
    pub fn of_tag(tag: &str) -> Lang {
        Lang::parse(tag).unwrap_or(Lang::En)
    }

    pub fn number(self, value: f64) -> String {
        let text = if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") };
        match self {
            Lang::Fr => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// A distance in kilometres.
    pub fn km(self, value: f64) -> String {
        format!("{}\u{a0}km", self.number(value))
    }

    /// A date and time as a clock in `zone` shows it: `5 déc. 2026, 14:00`
    /// / `Dec 5, 2026, 14:00`.
    pub fn date_time(self, micros: i64, zone: crate::zone::Zone) -> String {
        let t = zone.local(Timestamp::from_micros(micros));
        let month = MONTHS[self as usize][(t.month.clamp(1, 12) - 1) as usize];
        let (y, d, hm) = (t.year, t.day, format!("{:02}:{:02}", t.hour, t.minute));
        match self {
            Lang::Fr => format!("{d} {month} {y}, {hm}"),
            Lang::En => format!("{month} {d}, {y}, {hm}"),
        }
    }

    /// [`date_time`](Self::date_time) followed by the zone's abbreviation
    /// (`CET`), for text read far from the territory (a status in any app).
    pub fn date_time_with_zone(self, micros: i64, zone: crate::zone::Zone) -> String {
        format!("{} {}", self.date_time(micros, zone), zone.abbreviation(Timestamp::from_micros(micros)))
    }
}

/// Short month names, by language (in `Lang`'s order).
const MONTHS: [[&str; 12]; 2] = [
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
];

mod account;
mod admin;
mod conversations;
mod mail;
mod matching;
mod media;
mod notices;
mod public;
mod status_text;

/// Every string, by area: key, French, English. Pages (public, account,
/// admin), the reasons of a match, what people are told, a listing's or
/// session's text as a status.
pub const TABLES: &[&[(&str, &str, &str)]] = &[
    public::PUBLIC,
    account::ACCOUNT,
    admin::ADMIN,
    mail::MAIL,
    matching::MATCHING,
    notices::NOTICES,
    conversations::CONVERSATIONS,
    status_text::STATUS_TEXT,
    media::MEDIA,
];

/// Every string, one after the other.
pub fn strings() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TABLES.iter().flat_map(|t| t.iter())
}

#[cfg(test)]
mod tests;
