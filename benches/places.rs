//! The gazetteer: importing a GeoNames dump of 120,000 lines (about the
//! size of `FR.txt`) through the code `maillage admin places import` runs
//! (goal: under 30 s), then resolving names typed in a "near" field and
//! suggesting towns (goal: under 10 ms each). The dump is synthetic but
//! shaped like the real one: French-looking names, many sharing a start
//! ("Saint-…", "Le …"), most places small, one line in five another
//! feature (rivers, summits, areas) that the import leaves out. Run with
//!
//!   cargo bench --bench places                          # SQLite
//!   MAILLAGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench places
//!
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufReader, BufWriter, Write};
use std::time::{Duration, Instant};

use maillage_service::places::{self, import};
use maillage_test_support::{backend_name, TestDb};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const LINES: usize = 120_000;
const SEARCHES: usize = 1_000;
const CENTRE: (f64, f64) = (44.75, 5.37);

const STARTS: &[&str] = &[
    "",
    "",
    "",
    "",
    "Saint-",
    "Sainte-",
    "Le ",
    "La ",
    "Les ",
    "L'",
    "Mont",
    "Val",
    "Bourg-",
    "Villeneuve-",
    "Château",
    "Font",
    "Beau",
    "Pont-",
];
const ROOTS: &[&str] = &[
    "Jean",
    "Martin",
    "Pierre",
    "Étienne",
    "Germain",
    "Laurent",
    "Julien",
    "André",
    "Bois",
    "Fontaine",
    "Roche",
    "Chêne",
    "Crest",
    "Die",
    "Valence",
    "Romans",
    "Nyons",
    "Aurel",
    "Barsac",
    "Ponet",
    "Mirabel",
    "Vercheny",
    "Espenel",
    "Pontaix",
    "Sainte",
    "Marignac",
    "Recoubeau",
    "Menglon",
    "Glandage",
    "Boulc",
    "Lesches",
    "Vachères",
    "Beaumont",
    "Chabeuil",
    "Loriol",
    "Livron",
    "Allex",
    "Grâne",
    "Mornans",
    "Bourdeaux",
    "Saou",
    "Puy",
    "Mas",
    "Moulin",
    "Prat",
    "Serre",
    "Combe",
    "Font",
    "Rieu",
    "Ville",
    "Court",
    "Ham",
    "Bec",
    "Breuil",
    "Plessis",
    "Essart",
    "Orme",
    "Frêne",
    "Noyer",
    "Aulne",
    "Cerisier",
    "Étang",
    "Marais",
    "Gué",
    "Vaux",
    "Champ",
    "Pré",
];
const ENDS: &[&str] = &[
    "",
    "",
    "",
    "",
    "-en-Diois",
    "-sur-Drôme",
    "-le-Haut",
    "-le-Bas",
    "-de-Royans",
    "-la-Forêt",
    "-les-Bains",
    "ac",
    "ieux",
    "ville",
    "court",
    "-sur-Isère",
    "-d'Azergues",
    "-du-Bois",
    "-en-Vercors",
    "ières",
];
const OTHER_FEATURES: &[(&str, &str)] =
    &[("H", "STM"), ("T", "MT"), ("A", "ADM4"), ("L", "LCTY"), ("S", "CH")];

fn name(rng: &mut StdRng) -> String {
    let start = STARTS[rng.gen_range(0..STARTS.len())];
    let root = ROOTS[rng.gen_range(0..ROOTS.len())];
    let end = ENDS[rng.gen_range(0..ENDS.len())];
    let mut name = format!("{start}{root}{end}");
    // One in three made unique, as hamlets' names mostly are.
    if rng.gen_bool(0.33) {
        name.push_str(&format!("-{}", ROOTS[rng.gen_range(0..ROOTS.len())].to_lowercase()));
    }
    name
}

fn write_dump(path: &std::path::Path, rng: &mut StdRng) -> Vec<String> {
    let mut out = BufWriter::new(std::fs::File::create(path).unwrap());
    let mut names = Vec::new();
    for id in 0..LINES {
        let name = name(rng);
        let (lat, lon) = (rng.gen_range(42.3..51.0), rng.gen_range(-4.7..8.2));
        let (class, code) =
            if rng.gen_bool(0.2) { OTHER_FEATURES[id % OTHER_FEATURES.len()] } else { ("P", "PPL") };
        // Most places are hamlets; a few are towns.
        let population: i64 =
            if rng.gen_bool(0.6) { 0 } else { (10f64.powf(rng.gen_range(1.5..5.8))) as i64 };
        writeln!(
            out,
            "{}\t{name}\t{name}\t{name}\t{lat:.5}\t{lon:.5}\t{class}\t{code}\tFR\t\t84\t{:02}\t\t\t{population}\t\t{}\tEurope/Paris\t2024-01-12",
            3_000_000 + id,
            1 + id % 95,
            rng.gen_range(0..2000)
        )
        .unwrap();
        if class == "P" {
            names.push(name);
        }
    }
    out.flush().unwrap();
    names
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut rng = StdRng::seed_from_u64(19);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("FR.txt");
    let names = write_dump(&path, &mut rng);
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let backend = backend_name();

    let started = Instant::now();
    let read =
        import::read_file(BufReader::with_capacity(1 << 20, std::fs::File::open(&path).unwrap())).unwrap();
    let read_time = started.elapsed();
    import::store(&mut conn, &read, &mut |_| {}).unwrap();
    let total = started.elapsed();
    println!(
        "places ({backend}): {LINES} lines, {} places imported in {:.1} s (read and checked in {:.2} s)",
        read.places.len(),
        total.as_secs_f64(),
        read_time.as_secs_f64()
    );
    let again = Instant::now();
    import::store(&mut conn, &read, &mut |_| {}).unwrap();
    println!(
        "places ({backend}): imported again (every place replaced) in {:.1} s",
        again.elapsed().as_secs_f64()
    );

    // What people type: a name in full, its first letters, a common start.
    let mut queries: Vec<String> = Vec::new();
    for i in 0..SEARCHES {
        let name = &names[rng.gen_range(0..names.len())];
        let q = match i % 4 {
            0 => name.clone(),
            1 => name.chars().take(rng.gen_range(2..6)).collect(),
            2 => name.chars().take(rng.gen_range(6..12)).collect(),
            _ => ["saint jean", "le", "sa", "die", "val", "mont", "st martin", "la ro"][i % 8].to_owned(),
        };
        queries.push(q);
    }
    for (what, limit) in [("resolve", None), ("suggest", Some(8))] {
        let mut times = Vec::with_capacity(queries.len());
        let mut slowest: Vec<(Duration, &str)> = Vec::new();
        let mut found = 0;
        for q in &queries {
            let t = Instant::now();
            let hit = match limit {
                None => {
                    matches!(places::resolve(&mut conn, q, CENTRE).unwrap(), Some(places::Near::Place(_)))
                }
                Some(n) => !places::suggest(&mut conn, q, CENTRE, n).unwrap().is_empty(),
            };
            times.push(t.elapsed());
            slowest.push((t.elapsed(), q));
            found += usize::from(hit);
        }
        times.sort();
        slowest.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
        slowest.truncate(5);
        let slowest: Vec<String> = slowest.iter().map(|(d, q)| format!("{q:?} {:.1} ms", ms(*d))).collect();
        println!(
            "places ({backend}): {what} over {} queries ({found} found): p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            times.len(),
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap())
        );
        println!("places ({backend}): slowest {what}: {}", slowest.join(", "));
    }
}
