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

use maillage_db::actors;
use maillage_service::matching::Matcher;
use maillage_test_support::bench_listings::{self, Author};
use maillage_test_support::{actor_row, backend_name, TestDb};

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
        authors.push(Author { id: actor.id, local: true, page: None, base: "https://bench.example" });
    }
    let started = Instant::now();
    bench_listings::write(&mut conn, n, &authors, 5);
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
