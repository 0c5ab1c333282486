//! Matching quality on a labelled set (`tests/labelled.txt`): for every
//! need, its top five matches among every offer of the set. Reports
//! precision and recall at 5 and fails below 0.9 for either.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{HashMap, HashSet};

use maillage_core::time::Timestamp;
use maillage_matching::{MatchIndex, MatchListing, MatchSettings};

const NOW: &str = "2026-12-01T12:00:00Z";

fn day(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    Some(Timestamp::parse_rfc3339(&format!("{s}T12:00:00Z")).unwrap().as_micros())
}

/// `KIND ID CATEGORY DIRECTION LAT,LON RADIUS TERMS WINDOW | title | description | tags`
fn parse_listing(line: &str, n: i64) -> (String, MatchListing) {
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let head: Vec<&str> = parts[0].split_whitespace().collect();
    let (lat, lon) = head[4].split_once(',').unwrap();
    let (from, until) = match head[7] {
        "-" => (None, None),
        w => {
            let (f, u) = w.split_once("..").unwrap();
            (day(f), day(u))
        }
    };
    let listing = MatchListing {
        id: n,
        kind: head[0].parse().unwrap(),
        direction: match head[3] {
            "-" => None,
            d => Some(d.parse().unwrap()),
        },
        category: head[2].parse().unwrap(),
        title: parts[1].to_owned(),
        description: parts[2].to_owned(),
        tags: parts[3].split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
        latitude: lat.parse().unwrap(),
        longitude: lon.parse().unwrap(),
        radius_km: head[5].parse().unwrap(),
        available_from: from,
        available_until: until,
        terms: head[6].parse().unwrap(),
        origin: "rodez.example".into(),
        published_at: Timestamp::parse_rfc3339(NOW).unwrap().as_micros() - 86_400_000_000,
        author_id: n,
    };
    (head[1].to_owned(), listing)
}

struct Labelled {
    listings: Vec<(String, MatchListing)>,
    relevant: HashMap<String, HashSet<String>>,
    pairs: usize,
}

fn labelled() -> Labelled {
    let text = include_str!("labelled.txt");
    let mut set = Labelled { listings: Vec::new(), relevant: HashMap::new(), pairs: 0 };
    let mut need = String::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(pair) = line.strip_prefix("pair ") {
            let f: Vec<&str> = pair.split_whitespace().collect();
            if f[2] == "+" {
                set.relevant.get_mut(f[0]).unwrap_or_else(|| panic!("{}", f[0])).insert(f[1].to_owned());
            }
            set.pairs += 1;
            continue;
        }
        let (label, rest) = match line.split_at(1) {
            ("+", rest) => (Some(true), rest.trim()),
            ("-", rest) => (Some(false), rest.trim()),
            _ => (None, line),
        };
        let (name, listing) = parse_listing(rest, n as i64 + 1);
        match label {
            None => {
                need = name.clone();
                set.relevant.entry(name.clone()).or_default();
            }
            Some(true) => {
                set.relevant.get_mut(&need).unwrap().insert(name.clone());
                set.pairs += 1;
            }
            Some(false) => set.pairs += 1,
        }
        set.listings.push((name, listing));
    }
    set
}

#[test]
fn precision_and_recall_at_5_are_at_least_0_9() {
    let set = labelled();
    assert!(set.pairs >= 200, "{} labelled pairs", set.pairs);
    let mut index = MatchIndex::new();
    for (_, l) in &set.listings {
        index.upsert(l.clone());
    }
    let names: HashMap<i64, &str> = set.listings.iter().map(|(n, l)| (l.id, n.as_str())).collect();
    let settings = MatchSettings {
        now: Timestamp::parse_rfc3339(NOW).unwrap().as_micros(),
        limit: 5,
        ..Default::default()
    };
    let (mut returned, mut hits, mut wanted) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for (name, listing) in set.listings.iter().filter(|(n, _)| set.relevant.contains_key(n)) {
        let relevant = &set.relevant[name];
        let matches = index.matches_for(listing, &settings);
        let found: Vec<&str> = matches.iter().map(|m| names[&m.listing_id]).collect();
        let scores: Vec<String> = matches.iter().map(|m| format!("{:.2}", m.score)).collect();
        let good = found.iter().filter(|f| relevant.contains(**f)).count();
        returned += found.len();
        hits += good;
        wanted += relevant.len().min(5);
        if good < relevant.len().min(5) || good < found.len() {
            misses.push(format!("{name}: wanted {relevant:?}, got {found:?} {scores:?}"));
        }
    }
    let precision = hits as f64 / returned.max(1) as f64;
    let recall = hits as f64 / wanted.max(1) as f64;
    println!(
        "matching quality over {} needs and {} labelled pairs ({} listings): precision@5 {precision:.3}, recall@5 {recall:.3}",
        set.relevant.len(),
        set.pairs,
        set.listings.len()
    );
    for m in &misses {
        println!("  {m}");
    }
    assert!(precision >= 0.9, "precision@5 {precision:.3} < 0.9");
    assert!(recall >= 0.9, "recall@5 {recall:.3} < 0.9");
}

#[test]
fn a_match_has_the_same_reasons_seen_from_either_side() {
    let set = labelled();
    let mut index = MatchIndex::new();
    for (_, l) in &set.listings {
        index.upsert(l.clone());
    }
    let settings =
        MatchSettings { now: Timestamp::parse_rfc3339(NOW).unwrap().as_micros(), ..Default::default() };
    let by_id: HashMap<i64, &MatchListing> = set.listings.iter().map(|(_, l)| (l.id, l)).collect();
    let mut checked = 0;
    for (_, need) in set.listings.iter().filter(|(_, l)| !l.is_offer()) {
        for m in index.matches_for(need, &settings) {
            let back = index.matches_for(by_id[&m.listing_id], &settings);
            let mirror = back
                .iter()
                .find(|b| b.listing_id == need.id)
                .expect("the match is found from the other side");
            assert_eq!(mirror.reasons, m.reasons);
            assert!((mirror.score - m.score).abs() < 1e-4);
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}
