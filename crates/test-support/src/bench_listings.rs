//! Listings for benchmarks: many rows written straight into `listings`
//! (French and English titles over eight territories, every category and
//! exchange form), fast enough for a million.

use diesel::connection::SimpleConnection;
use maillage_db::DbConnection;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Who writes the listings: the actor's id, whether it is local (and
/// then its page, for the listings' `url`), and the base of their ids.
pub struct Author {
    pub id: i64,
    pub local: bool,
    pub page: Option<String>,
    pub base: &'static str,
}

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

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn row(id: i64, author: &Author, rng: &mut StdRng) -> String {
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
    let base = author.base;
    format!(
        "({id}, '{base}/objects/{id}', {}, {}, '{category}', {direction}, {}, {}, ' {tag} ', {}, {}, {radius}, '{terms}', 'public', 'open', {}, {}, {now}, {})",
        author.id,
        if need { "'need'" } else { "'offer'" },
        quoted(&title),
        quoted(&format!("<p>{}, {}.</p>", if french { fr } else { en }, if french { "le samedi matin" } else { "on Saturday mornings" })),
        clat + rng.gen_range(-0.3..0.3),
        clon + rng.gen_range(-0.4..0.4),
        if author.local { "TRUE" } else { "FALSE" },
        author.page.as_ref().map(|p| quoted(&format!("{p}/listings/{id}"))).unwrap_or_else(|| "NULL".into()),
        now + 365 * 86_400_000_000,
    )
}

/// Writes `n` open public listings with ids `1..=n`, each by one of
/// `authors` at random (seeded: the same rows every run).
pub fn write(conn: &mut DbConnection, n: i64, authors: &[Author], seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let columns = "id, ap_id, author_id, kind, category, direction, title, description_html, tags, latitude, longitude, radius_km, terms_mode, visibility, status, local, url, published_at, expires_at";
    for chunk in (1..=n).collect::<Vec<_>>().chunks(20_000) {
        let mut sql = String::from("BEGIN;");
        for ids in chunk.chunks(500) {
            let values: Vec<String> =
                ids.iter().map(|&id| row(id, &authors[rng.gen_range(0..authors.len())], &mut rng)).collect();
            sql.push_str(&format!("INSERT INTO listings ({columns}) VALUES {};", values.join(",")));
        }
        sql.push_str("DELETE FROM listing_changes; COMMIT;");
        #[allow(clippy::unwrap_used)]
        conn.batch_execute(&sql).unwrap();
    }
}
