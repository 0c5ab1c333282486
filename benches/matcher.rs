//! The matcher's start-up: how long `Matcher::rebuild` takes to read every
//! open listing from the database and build the index (a benchmark, not a
//! timed test). Run with
//!
//!   cargo bench --bench matcher                        # 1,000,000 listings, SQLite
//!   BENCH_LISTINGS=100000 cargo bench --bench matcher
//!   MAILLAGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench matcher
//!
//! Listings are written straight into the `listings` table (French and
//! English titles over eight territories, as the matching crate's own
//! benchmark makes them), then the index is rebuilt as `maillage serve`
//! does when it takes the matcher's lease. Figures go to
//! docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use diesel::connection::SimpleConnection;
use maillage_db::actors;
use maillage_service::matching::Matcher;
use maillage_test_support::{actor_row, backend_name, TestDb};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[rustfmt::skip]
const SUBJECTS: &[(&str, &str, &str, &str)] = &[
    ("food", "légumes bio", "organic vegetables", "legumes"), ("food", "miel local", "local honey", "miel"),
    ("goods", "perceuse", "power drill", "perceuse"), ("goods", "livres enfants", "children's books", "livres"),
    ("services", "réparation de vélo", "bike repair", "velo"), ("services", "aide au jardin", "garden help", "jardin"),
    ("skills_knowledge", "cours de guitare", "guitar lessons", "guitare"), ("skills_knowledge", "cours d'espagnol", "spanish lessons", "espagnol"),
    ("spaces_machines", "remorque", "trailer", "remorque"), ("spaces_machines", "atelier bois partagé", "shared woodworking workshop", "bois"),
    ("energy", "bois de chauffage", "firewood", "chauffage"), ("energy", "panneaux solaires", "solar panels", "solaire"),
    ("mobility", "covoiturage Rodez", "carpool Rodez", "covoiturage"), ("mobility", "trajet gare", "ride to the station", "gare"),
    ("housing", "colocation", "house share", "colocation"), ("housing", "studio meublé", "furnished studio", "studio"),
];
#[rustfmt::skip]
const CENTRES: &[(f64, f64)] = &[(44.35, 2.57), (44.35, 2.03), (44.10, 3.08), (43.93, 2.15), (43.60, 1.44), (44.92, 2.44), (44.61, 2.99), (43.78, 3.38)];
const AUTHORS: usize = 2_000;

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

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn row(id: i64, author: i64, rng: &mut StdRng) -> String {
    let (category, fr, en, tag) = SUBJECTS[rng.gen_range(0..SUBJECTS.len())];
    let french = rng.gen_bool(0.7);
    let need = rng.gen_bool(0.5);
    let title = match (need, french) {
        (true, true) => format!("Je cherche {fr}"),
        (true, false) => format!("Looking for {en}"),
        (false, true) => format!("Je propose {fr}"),
        (false, false) => format!("Offering {en}"),
    };
    let (clat, clon) = CENTRES[rng.gen_range(0..CENTRES.len())];
    let direction = if category == "skills_knowledge" {
        if need {
            "'learn'"
        } else {
            "'teach'"
        }
    } else {
        "NULL"
    };
    let radius = [2.0, 5.0, 10.0, 15.0, 25.0, 50.0, 100.0][rng.gen_range(0..7)];
    let terms = ["gift", "loan", "barter", "time_credit", "price"][rng.gen_range(0..5)];
    let now = 1_796_000_000_000_000i64;
    format!(
        "({id}, 'https://bench.example/objects/{id}', {author}, {}, '{category}', {direction}, {}, {}, ' {tag} ', {}, {}, {radius}, '{terms}', 'public', 'open', TRUE, {now}, {})",
        if need { "'need'" } else { "'offer'" },
        quoted(&title),
        quoted(&format!("<p>{}, {}.</p>", if french { fr } else { en }, if french { "le samedi matin" } else { "on Saturday mornings" })),
        clat + rng.gen_range(-0.3..0.3),
        clon + rng.gen_range(-0.4..0.4),
        now + 365 * 86_400_000_000,
    )
}

fn main() {
    let n: i64 = std::env::var("BENCH_LISTINGS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let mut authors = Vec::new();
    for i in 0..AUTHORS {
        let domain = format!("t{}.bench.example", i % 8);
        let ap_id = format!("https://{domain}/users/u{i}");
        let actor = actor_row(&ap_id, &format!("u{i}"), &domain, "", i % 8 == 0);
        actors::insert(&mut conn, &actor).unwrap();
        authors.push(actor.id);
    }
    let mut rng = StdRng::seed_from_u64(5);
    let started = Instant::now();
    let columns = "id, ap_id, author_id, kind, category, direction, title, description_html, tags, latitude, longitude, radius_km, terms_mode, visibility, status, local, published_at, expires_at";
    for chunk in (1..=n).collect::<Vec<_>>().chunks(20_000) {
        let mut sql = String::from("BEGIN;");
        for ids in chunk.chunks(500) {
            let values: Vec<String> =
                ids.iter().map(|&id| row(id, authors[rng.gen_range(0..AUTHORS)], &mut rng)).collect();
            sql.push_str(&format!("INSERT INTO listings ({columns}) VALUES {};", values.join(",")));
        }
        sql.push_str("DELETE FROM listing_changes; COMMIT;");
        conn.batch_execute(&sql).unwrap();
    }
    println!(
        "matcher ({}): {n} listings written in {:.1} s",
        backend_name(),
        started.elapsed().as_secs_f64()
    );

    let before = rss_mb();
    let started = Instant::now();
    let matcher =
        Matcher::rebuild(&mut conn, 100.0, maillage_core::urls::LocalUrls::new("bench.example", false))
            .unwrap();
    let took = started.elapsed();
    println!(
        "matcher ({}): index of {} listings rebuilt from the database in {:.1} s, RSS growth {:.0} MB",
        backend_name(),
        matcher.len(),
        took.as_secs_f64(),
        rss_mb() - before
    );
}
