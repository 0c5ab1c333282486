//! Matching benchmark (not a timed test): run with
//!
//!   cargo bench -p maillage-matching --bench matching            # 1,000,000 listings
//!   BENCH_LISTINGS=100000 cargo bench -p maillage-matching --bench matching
//!
//! A generator makes realistic listings (French and English titles, every
//! category, places spread over a region of eight territories, reaches,
//! windows, terms). Measured: index build time and memory, the latency of
//! matching one new listing (p50, p99), the throughput of a stream of new
//! listings, and, on the same data, the obvious database approach (SQLite:
//! text LIKE on title and description plus a bounding box on the place).
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text};
use maillage_core::listing::{Category, Direction, ListingKind, TermsMode};
use maillage_matching::{MatchIndex, MatchListing, MatchSettings};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const NOW: i64 = 1_796_000_000_000_000;

/// (category, French subjects, English subjects)
#[rustfmt::skip]
const SUBJECTS: &[(Category, &[&str], &[&str])] = &[
    (Category::Food, &["œufs frais", "légumes bio", "miel local", "fromage de chèvre", "pommes du verger", "pain au levain", "confitures maison", "panier de légumes"], &["fresh eggs", "organic vegetables", "local honey", "goat cheese", "orchard apples", "sourdough bread", "homemade jam", "vegetable box"]),
    (Category::Goods, &["perceuse", "vêtements bébé", "livres enfants", "bocaux en verre", "cartons de déménagement", "jouets en bois", "poussette", "table en chêne"], &["power drill", "baby clothes", "children's books", "glass jars", "moving boxes", "wooden toys", "stroller", "oak table"]),
    (Category::Services, &["réparation de vélo", "aide au jardin", "dépannage informatique", "garde d'animaux", "aide au déménagement", "traduction", "couture et retouches", "démarches administratives"], &["bike repair", "garden help", "computer repair", "pet sitting", "help moving", "translation", "sewing and mending", "paperwork help"]),
    (Category::SkillsKnowledge, &["cours d'espagnol", "initiation à la couture", "taille des fruitiers", "cours de guitare", "atelier informatique", "apprendre le tricot", "cuisine végétarienne", "fabrication du pain"], &["spanish lessons", "sewing basics", "fruit tree pruning", "guitar lessons", "computer class", "learn knitting", "vegetarian cooking", "bread baking"]),
    (Category::SpacesMachines, &["salle associative", "remorque", "broyeur de végétaux", "atelier bois partagé", "tondeuse", "bétonnière", "four à pain", "chambre froide"], &["community hall", "trailer", "wood chipper", "shared woodworking workshop", "lawn mower", "cement mixer", "bread oven", "cold room"]),
    (Category::Energy, &["bois de chauffage", "panneaux solaires", "isolation des combles", "électricité verte", "pompe à chaleur", "granulés de bois", "vélo électrique", "chauffe-eau solaire"], &["firewood", "solar panels", "attic insulation", "green electricity", "heat pump", "wood pellets", "electric bike", "solar water heater"]),
    (Category::Mobility, &["covoiturage Toulouse", "covoiturage Rodez", "trajet gare", "prêt de voiture", "navette marché", "vélo cargo", "trajet école", "covoiturage Millau"], &["carpool Toulouse", "carpool Rodez", "ride to the station", "car sharing", "market shuttle", "cargo bike", "school run", "carpool Millau"]),
    (Category::Housing, &["chambre chez l'habitant", "logement saisonnier", "colocation", "studio meublé", "hébergement solidaire", "gîte", "chambre étudiante", "maison à partager"], &["room to rent", "seasonal housing", "house share", "furnished studio", "solidarity housing", "cottage", "student room", "shared house"]),
];
#[rustfmt::skip]
const FR_DETAIL: &[&str] = &["près du centre", "le samedi matin", "entre voisins", "pour l'hiver", "en bon état", "chaque semaine", "pour une association", "dans la vallée"];
#[rustfmt::skip]
const EN_DETAIL: &[&str] = &["near the centre", "on Saturday mornings", "between neighbours", "for the winter", "in good condition", "every week", "for a charity", "in the valley"];
/// Eight territory centres in a region about 300 km across.
#[rustfmt::skip]
const CENTRES: &[(f64, f64)] = &[(44.35, 2.57), (44.35, 2.03), (44.10, 3.08), (43.93, 2.15), (43.60, 1.44), (44.92, 2.44), (44.61, 2.99), (43.78, 3.38)];

fn gaussian(rng: &mut StdRng) -> f64 {
    let (u, v): (f64, f64) = (rng.gen_range(1e-9..1.0), rng.gen_range(0.0..1.0));
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn generate(id: i64, rng: &mut StdRng) -> MatchListing {
    let (category, fr, en) = SUBJECTS[rng.gen_range(0..SUBJECTS.len())];
    let french = rng.gen_bool(0.7);
    let k = rng.gen_range(0..fr.len());
    let subject = if french { fr[k] } else { en[k] };
    let detail = if french {
        FR_DETAIL[rng.gen_range(0..FR_DETAIL.len())]
    } else {
        EN_DETAIL[rng.gen_range(0..EN_DETAIL.len())]
    };
    let kind = if rng.gen_bool(0.5) { ListingKind::Offer } else { ListingKind::Need };
    let title = match (kind, french) {
        (ListingKind::Offer, true) => format!("Je propose {subject}"),
        (ListingKind::Offer, false) => format!("Offering {subject}"),
        (ListingKind::Need, true) => format!("Je cherche {subject}"),
        (ListingKind::Need, false) => format!("Looking for {subject}"),
    };
    let (clat, clon) = CENTRES[rng.gen_range(0..CENTRES.len())];
    let radius = [2.0, 5.0, 5.0, 10.0, 10.0, 15.0, 25.0, 50.0, 100.0][rng.gen_range(0..9)];
    let window = rng.gen_bool(0.4).then(|| {
        let from = NOW + rng.gen_range(0..180) * 86_400_000_000;
        (from, from + rng.gen_range(1..60) * 86_400_000_000)
    });
    let terms = [
        TermsMode::Gift,
        TermsMode::Gift,
        TermsMode::Loan,
        TermsMode::Barter,
        TermsMode::TimeCredit,
        TermsMode::Price,
    ][rng.gen_range(0..6)];
    let tag = subject.split_whitespace().last().unwrap_or("x").trim_start_matches("d'").to_lowercase();
    MatchListing {
        id,
        kind,
        direction: (category == Category::SkillsKnowledge).then(|| {
            if kind == ListingKind::Offer {
                Direction::Teach
            } else {
                Direction::Learn
            }
        }),
        category,
        title,
        description: format!("{subject}, {detail}."),
        tags: vec![tag],
        latitude: clat + gaussian(rng) * 0.15,
        longitude: clon + gaussian(rng) * 0.2,
        radius_km: radius,
        available_from: window.map(|w| w.0),
        available_until: window.map(|w| w.1),
        terms,
        origin: format!("t{}.example", rng.gen_range(0..CENTRES.len())),
        published_at: NOW - rng.gen_range(0..90) * 86_400_000_000,
        author_id: id,
    }
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

fn main() {
    let n: i64 = std::env::var("BENCH_LISTINGS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let mut rng = StdRng::seed_from_u64(7);
    let listings: Vec<MatchListing> = (1..=n).map(|id| generate(id, &mut rng)).collect();
    let queries: Vec<MatchListing> = (0..11_000).map(|i| generate(n + 1 + i, &mut rng)).collect();
    // As the node's matcher asks: no relative cut (a stored pair must not
    // depend on the other candidates), the default limit.
    let settings = MatchSettings { now: NOW, relative_cut: 0.0, ..MatchSettings::default() };

    let before = rss_mb();
    let started = Instant::now();
    let mut index = MatchIndex::new();
    for l in &listings {
        index.upsert(l.clone());
    }
    let build = started.elapsed();
    let memory = rss_mb() - before;
    println!(
        "matching: {n} listings indexed in {:.1} s, index memory {memory:.0} MB (RSS growth)",
        build.as_secs_f64()
    );

    let mut latencies = Vec::new();
    let mut found = 0usize;
    for q in &queries[..1_000] {
        let t = Instant::now();
        found += index.matches_for(q, &settings).len();
        latencies.push(t.elapsed());
    }
    latencies.sort();
    println!(
        "matching one new listing: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms ({:.1} matches on average)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap().as_secs_f64() * 1000.0,
        found as f64 / 1_000.0
    );

    let started = Instant::now();
    let stream = &queries[1_000..3_000];
    for q in stream {
        index.upsert(q.clone());
        std::hint::black_box(index.matches_for(q, &settings));
    }
    let took = started.elapsed();
    println!(
        "stream of {} new listings (filed and matched): {:.0} listings/s",
        stream.len(),
        stream.len() as f64 / took.as_secs_f64()
    );

    sql_baseline(&listings, &queries[..200]);
}

#[derive(QueryableByName)]
#[allow(dead_code)]
struct Found {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The obvious database approach on the same data: SQLite, an index on
/// (kind, category, latitude), a bounding box around the new listing's
/// reach and LIKE on title and description for each of its words.
fn sql_baseline(listings: &[MatchListing], queries: &[MatchListing]) {
    let path = std::env::temp_dir().join(format!("maillage-matching-bench-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    diesel::sql_query("PRAGMA journal_mode = WAL").execute(&mut conn).unwrap();
    diesel::sql_query("PRAGMA synchronous = OFF").execute(&mut conn).unwrap();
    diesel::sql_query("CREATE TABLE l (id INTEGER PRIMARY KEY, kind TEXT, category TEXT, title TEXT, description TEXT, lat REAL, lon REAL, radius REAL)")
        .execute(&mut conn)
        .unwrap();
    let started = Instant::now();
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        for chunk in listings.chunks(500) {
            let values: Vec<String> = chunk
                .iter()
                .map(|l| {
                    format!(
                        "({}, '{}', '{}', '{}', '{}', {}, {}, {})",
                        l.id,
                        l.kind.as_str(),
                        l.category.as_str(),
                        l.title.replace('\'', "''"),
                        l.description.replace('\'', "''"),
                        l.latitude,
                        l.longitude,
                        l.radius_km
                    )
                })
                .collect();
            diesel::sql_query(format!("INSERT INTO l VALUES {}", values.join(","))).execute(c)?;
        }
        Ok(())
    })
    .unwrap();
    diesel::sql_query("CREATE INDEX l_place ON l (kind, category, lat)").execute(&mut conn).unwrap();
    println!(
        "sql baseline: {} rows loaded and indexed in {:.1} s",
        listings.len(),
        started.elapsed().as_secs_f64()
    );

    let mut latencies = Vec::new();
    for q in queries {
        let other = if q.kind == ListingKind::Offer { "need" } else { "offer" };
        let words: Vec<String> = q
            .description
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 3)
            .map(|w| w.to_lowercase())
            .collect();
        let text = words
            .iter()
            .map(|w| {
                format!(
                    "(lower(title) LIKE '%{w}%' OR lower(description) LIKE '%{w}%')",
                    w = w.replace('\'', "''")
                )
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        let reach = q.radius_km.max(50.0);
        let dlat = reach / 111.2;
        let dlon = reach / (111.2 * q.latitude.to_radians().cos());
        let sql = format!(
            "SELECT id FROM l WHERE kind = ? AND category = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND ({}) LIMIT 20",
            if text.is_empty() { "1".into() } else { text }
        );
        let t = Instant::now();
        let rows: Vec<Found> = diesel::sql_query(sql)
            .bind::<Text, _>(other)
            .bind::<Text, _>(q.category.as_str())
            .bind::<Double, _>(q.latitude - dlat)
            .bind::<Double, _>(q.latitude + dlat)
            .bind::<Double, _>(q.longitude - dlon)
            .bind::<Double, _>(q.longitude + dlon)
            .load(&mut conn)
            .unwrap();
        std::hint::black_box(rows);
        latencies.push(t.elapsed());
    }
    latencies.sort();
    println!(
        "sql baseline, one new listing ({} queries): p50 {:.3} ms, p99 {:.3} ms",
        queries.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
    drop(conn);
    let _ = std::fs::remove_file(&path);
}
