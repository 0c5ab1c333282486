//! The territory a node serves: its name, centre, languages, time zone and
//! currency. The configuration gives the first values; admins change them
//! from the admin page, stored as `territory.*` settings that overlay the
//! configuration ([`TerritoryConfig::with_settings`]).

use serde::Deserialize;

use super::validate::validate_territory;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TerritoryConfig {
    pub name: String,
    pub description: String,
    /// Username of the territory actor (`@territory@domain`).
    pub handle: String,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
    /// ISO 639-1 codes; the first is the territory's default language.
    pub languages: Vec<String>,
    /// IANA name of the zone times are shown and typed in, unless a person
    /// chose their own.
    pub timezone: String,
    /// ISO 4217 code prices are in unless their author says otherwise.
    pub currency: String,
}

impl TerritoryConfig {
    /// The territory's own language: the first it lists, French otherwise.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("fr")
    }

    /// The territory's time zone (UTC if the name were unknown, which
    /// validation refuses at start-up).
    pub fn zone(&self) -> crate::zone::Zone {
        crate::zone::Zone::parse(&self.timezone).unwrap_or(crate::zone::Zone::UTC)
    }

    pub fn centre(&self) -> (f64, f64) {
        (self.latitude, self.longitude)
    }

    /// This territory with the stored settings (`territory.name` → value)
    /// in place of the configured values. A stored value that no longer
    /// reads (an older version's, a hand edit) leaves the configured one.
    pub fn with_settings<'a>(&self, stored: impl IntoIterator<Item = (&'a str, &'a str)>) -> TerritoryConfig {
        let mut t = self.clone();
        for (key, value) in stored {
            let mut candidate = t.clone();
            if apply(&mut candidate, key, value).is_ok() && validate_territory(&candidate).is_empty() {
                t = candidate;
            }
        }
        t
    }

    /// The values an admin can change, as the settings that store them.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        vec![
            (NAME, self.name.clone()),
            (DESCRIPTION, self.description.clone()),
            (LATITUDE, self.latitude.to_string()),
            (LONGITUDE, self.longitude.to_string()),
            (RADIUS, self.radius_km.to_string()),
            (LANGUAGES, self.languages.join(",")),
            (TIMEZONE, self.timezone.clone()),
            (CURRENCY, self.currency.clone()),
        ]
    }

    /// This territory with `change` made, or every problem with it as
    /// `(key, message)`, keys as in the configuration (`territory.name`).
    pub fn changed(&self, change: &TerritoryChange) -> Result<TerritoryConfig, Vec<(&'static str, String)>> {
        let mut t = self.clone();
        let mut problems = Vec::new();
        let fields: [(&str, &Option<String>); 8] = [
            (NAME, &change.name),
            (DESCRIPTION, &change.description),
            (LATITUDE, &change.latitude),
            (LONGITUDE, &change.longitude),
            (RADIUS, &change.radius_km),
            (LANGUAGES, &change.languages),
            (TIMEZONE, &change.timezone),
            (CURRENCY, &change.currency),
        ];
        for (key, value) in fields {
            if let Some(value) = value {
                if let Err(message) = apply(&mut t, key, value) {
                    problems.push((key, message));
                }
            }
        }
        for (key, message) in validate_territory(&t) {
            if !problems.iter().any(|(k, _)| *k == key) {
                problems.push((key, message));
            }
        }
        // In the order of the form, whichever check found them.
        problems.sort_by_key(|(key, _)| ORDER.iter().position(|k| k == key));
        if problems.is_empty() {
            Ok(t)
        } else {
            Err(problems)
        }
    }
}

const NAME: &str = "territory.name";
const DESCRIPTION: &str = "territory.description";
const LATITUDE: &str = "territory.latitude";
const LONGITUDE: &str = "territory.longitude";
const RADIUS: &str = "territory.radius_km";
const LANGUAGES: &str = "territory.languages";
const TIMEZONE: &str = "territory.timezone";
const CURRENCY: &str = "territory.currency";
const ORDER: [&str; 8] = [NAME, DESCRIPTION, LATITUDE, LONGITUDE, RADIUS, LANGUAGES, TIMEZONE, CURRENCY];

/// The setting keys that hold a territory's values, for reading them back.
pub const SETTING_PREFIX: &str = "territory.";

/// What an admin typed; `None` keeps the value in force.
#[derive(Debug, Clone, Default)]
pub struct TerritoryChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub radius_km: Option<String>,
    /// Codes separated by commas or spaces, the territory's own first.
    pub languages: Option<String>,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

/// Reads `value` (text as typed: decimal commas, codes in any case) into
/// the field `key` names; range checks are validation's.
fn apply(t: &mut TerritoryConfig, key: &str, value: &str) -> Result<(), String> {
    let number = |v: &str| {
        v.trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("expected a number, found \"{}\"", v.trim()))
    };
    match key {
        NAME => t.name = value.trim().to_owned(),
        DESCRIPTION => t.description = value.trim().to_owned(),
        LATITUDE => t.latitude = number(value)?,
        LONGITUDE => t.longitude = number(value)?,
        RADIUS => t.radius_km = number(value)?,
        LANGUAGES => {
            t.languages = value
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|c| !c.is_empty())
                .map(str::to_lowercase)
                .fold(Vec::new(), |mut all, code| {
                    if !all.contains(&code) {
                        all.push(code);
                    }
                    all
                })
        }
        TIMEZONE => t.timezone = value.trim().to_owned(),
        CURRENCY => t.currency = value.trim().to_uppercase(),
        _ => return Err(format!("unknown setting {key}")),
    }
    Ok(())
}

impl Default for TerritoryConfig {
    fn default() -> Self {
        TerritoryConfig {
            name: "Mon territoire".into(),
            description: String::new(),
            handle: "territory".into(),
            // The geographic centre of mainland France, a neutral default
            // that every real node overrides.
            latitude: 46.5397,
            longitude: 2.4303,
            radius_km: 20.0,
            languages: vec!["fr".into(), "en".into()],
            timezone: "Europe/Paris".into(),
            currency: "EUR".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> TerritoryChange {
        TerritoryChange::default()
    }

    #[test]
    fn a_change_reads_text_as_typed() {
        let t = TerritoryConfig::default()
            .changed(&TerritoryChange {
                name: Some("  Vallée du Dourdou ".into()),
                latitude: Some("44,0712".into()),
                longitude: Some("2.6651".into()),
                radius_km: Some("25,5".into()),
                languages: Some("OC, fr fr en".into()),
                timezone: Some("Europe/Paris".into()),
                currency: Some("eur".into()),
                ..change()
            })
            .unwrap();
        assert_eq!(t.name, "Vallée du Dourdou");
        assert_eq!(t.centre(), (44.0712, 2.6651));
        assert_eq!(t.radius_km, 25.5);
        assert_eq!(t.languages, ["oc", "fr", "en"]);
        assert_eq!(t.currency, "EUR");
        assert_eq!(t.handle, "territory", "the handle is not the admin's to change");
    }

    #[test]
    fn every_problem_is_told_once_and_nothing_changes() {
        let bad = TerritoryChange {
            name: Some("   ".into()),
            latitude: Some("north".into()),
            longitude: Some("200".into()),
            radius_km: Some("0".into()),
            languages: Some("français".into()),
            timezone: Some("Europe/Lutece".into()),
            currency: Some("euro".into()),
            ..change()
        };
        let problems = TerritoryConfig::default().changed(&bad).unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, [NAME, LATITUDE, LONGITUDE, RADIUS, LANGUAGES, TIMEZONE, CURRENCY], "{problems:?}");
    }

    #[test]
    fn stored_settings_overlay_the_configuration_and_bad_ones_are_skipped() {
        let base = TerritoryConfig::default();
        let changed = base.changed(&TerritoryChange { latitude: Some("44.07".into()), ..change() }).unwrap();
        let stored = changed.settings();
        let back = base.with_settings(stored.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, changed);
        let odd = base.with_settings([(LATITUDE, "95"), (TIMEZONE, "Mars/Olympus"), (NAME, "Rougier")]);
        assert_eq!(
            (odd.latitude, odd.timezone.as_str(), odd.name.as_str()),
            (base.latitude, "Europe/Paris", "Rougier")
        );
    }
}
