//! The posting lists skip listings; these tests check they never skip one
//! that scoring every listing would have found.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use maillage_core::listing::{Category, ListingKind, TermsMode};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

const WORDS: &[&str] = &[
    "vélo",
    "réparation",
    "pneu",
    "freins",
    "jardin",
    "tondeuse",
    "légumes",
    "bio",
    "panier",
    "miel",
    "samedi",
    "matin",
    "voisins",
    "bike",
    "repair",
    "garden",
    "honey",
    "saturday",
    "atelier",
    "bois",
    "couture",
    "guitare",
    "cours",
    "remorque",
    "covoiturage",
    "gare",
    "chauffage",
    "solaire",
];
const CATEGORIES: &[Category] =
    &[Category::Services, Category::SkillsKnowledge, Category::Goods, Category::SpacesMachines];

fn words(rng: &mut StdRng, most: usize) -> String {
    let n = rng.gen_range(0..most);
    (0..n).map(|_| WORDS[rng.gen_range(0..WORDS.len())]).collect::<Vec<_>>().join(" ")
}

fn random_listing(id: i64, rng: &mut StdRng) -> MatchListing {
    let window = rng.gen_bool(0.3).then(|| {
        let from = rng.gen_range(0..100) * 86_400_000_000i64;
        (from, from + rng.gen_range(1..40) * 86_400_000_000)
    });
    MatchListing {
        id,
        kind: if rng.gen_bool(0.5) { ListingKind::Offer } else { ListingKind::Need },
        direction: None,
        category: CATEGORIES[rng.gen_range(0..CATEGORIES.len())],
        title: format!("{} {}", WORDS[rng.gen_range(0..WORDS.len())], words(rng, 3)),
        description: words(rng, 8),
        tags: (0..rng.gen_range(0..3))
            .map(|_| maillage_core::fold::fold(WORDS[rng.gen_range(0..8)]))
            .collect(),
        latitude: 44.3 + rng.gen_range(-2.0..2.0),
        longitude: 2.5 + rng.gen_range(-3.0..3.0),
        radius_km: [2.0, 10.0, 25.0, 60.0, 60.0, 60.0, 500.0][rng.gen_range(0..7)],
        available_from: window.map(|w| w.0),
        available_until: window.map(|w| w.1),
        terms: [TermsMode::Gift, TermsMode::Loan, TermsMode::Price][rng.gen_range(0..3)],
        origin: format!("t{}.example", rng.gen_range(0..3)),
        published_at: -rng.gen_range(0..60) * 86_400_000_000,
        author_id: id,
    }
}

/// What the index would return if it scored every listing it holds.
fn by_scanning(index: &MatchIndex, listing: &MatchListing, settings: &MatchSettings) -> Vec<Match> {
    let query = index.query(listing);
    index.rank(&query, 0..index.slots.len() as u32, settings)
}

#[test]
fn postings_find_every_match_that_scanning_finds() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut index = MatchIndex::new();
    let listings: Vec<MatchListing> = (1..=3_000).map(|id| random_listing(id, &mut rng)).collect();
    for l in &listings {
        index.upsert(l.clone());
    }
    // Some leave and some are edited, so that stale bounds are exercised.
    for l in listings.iter().step_by(7) {
        index.remove(l.id);
    }
    for l in listings.iter().skip(3).step_by(11) {
        index.upsert(random_listing(l.id, &mut rng));
    }
    let every = MatchSettings { relative_cut: 0.0, limit: usize::MAX, ..MatchSettings::default() };
    let best = MatchSettings { limit: 5, ..MatchSettings::default() };
    let mut found = 0;
    for id in 1..=400 {
        let query = random_listing(10_000 + id, &mut rng);
        for settings in [every, best] {
            let fast = index.matches_for(&query, &settings);
            assert_eq!(fast, by_scanning(&index, &query, &settings), "query {query:?}");
            found += fast.len();
        }
    }
    let settings = every;
    for l in listings.iter().skip(1).step_by(13).filter(|l| index.contains(l.id)) {
        let stored = MatchListing { title: String::new(), description: String::new(), ..l.clone() };
        assert_eq!(index.matches_for(&stored, &settings), by_scanning(&index, &stored, &settings));
    }
    assert!(found > 1_000, "the test must find matches to compare: {found}");
}

#[test]
fn a_removed_listing_is_never_a_candidate() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut index = MatchIndex::new();
    let offer = MatchListing { kind: ListingKind::Offer, ..random_listing(1, &mut rng) };
    let need = MatchListing { id: 2, author_id: 2, kind: ListingKind::Need, ..offer.clone() };
    index.upsert(offer.clone());
    let settings = MatchSettings::default();
    assert_eq!(index.matches_for(&need, &settings).len(), 1);
    index.remove(1);
    assert!(index.matches_for(&need, &settings).is_empty());
    assert!(index.postings_are_empty());
}
