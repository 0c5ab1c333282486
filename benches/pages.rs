//! Server-side page rendering with 100,000 listings in the database (the
//! web pages' goal: under 50 ms). A real node answers over loopback, one
//! request at a time, so a request's time is the server's time plus well
//! under a millisecond of loopback. Run with
//!
//!   cargo bench --bench pages                          # SQLite, 100,000 listings
//!   BENCH_LISTINGS=1000000 cargo bench --bench pages
//!   MAILLAGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench pages
//!
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::time::{Duration, Instant};

use maillage::server;
use maillage_core::config::Config;
use maillage_db::actors;
use maillage_test_support::bench_listings::{self, Author};
use maillage_test_support::{actor_row, backend_name, TestDb};

const AUTHORS: usize = 2_000;
const REQUESTS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: i64 = std::env::var("BENCH_LISTINGS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let db = TestDb::new();
    let pool = db.pool();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let domain = format!("localhost:{port}");
    let base = format!("http://{domain}");
    let mut config = Config::default();
    config.instance.domain = domain.clone();
    config.database.url = db.url_string();
    config.federation.debug = true;
    config.http.workers = 2;
    config.territory.latitude = 44.35;
    config.territory.longitude = 2.57;

    // One author in eight is local (their listings have pages here).
    let mut conn = pool.get().unwrap();
    let mut authors = Vec::new();
    for i in 0..AUTHORS {
        let local = i % 8 == 0;
        let host = if local { domain.clone() } else { format!("t{}.bench.example", i % 8) };
        let ap_id = format!("http://{host}/users/u{i}");
        let mut actor = actor_row(&ap_id, &format!("u{i}"), &host, "", local);
        let page = local.then(|| format!("{base}/@u{i}"));
        actor.url = page.clone();
        actors::insert(&mut conn, &actor).unwrap();
        authors.push(Author { id: actor.id, local, page, base: "http://bench.example" });
    }
    let started = Instant::now();
    bench_listings::write(&mut conn, n, &authors, 7);
    println!("pages ({}): {n} listings written in {:.1} s", backend_name(), started.elapsed().as_secs_f64());
    if std::env::var("BENCH_ANALYZE").is_ok() {
        // What PostgreSQL's autovacuum does within a minute of such writes.
        use diesel::connection::SimpleConnection;
        conn.batch_execute("ANALYZE").unwrap();
        println!("pages ({}): statistics gathered (ANALYZE)", backend_name());
    }
    let local_listing: (i64, i64) = {
        use diesel::prelude::*;
        use maillage_db::schema::listings::dsl;
        dsl::listings.filter(dsl::local.eq(true)).select((dsl::id, dsl::author_id)).first(&mut *conn).unwrap()
    };
    let author = authors.iter().position(|a| a.id == local_listing.1).unwrap();
    drop(conn);

    let node_pool = pool.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let node = server::start(config, node_pool, Some(listener)).await.unwrap();
            let _ = node.wait().await;
        })
    });

    let pages = [
        ("home", "/".to_owned()),
        ("search, no filter", "/listings".to_owned()),
        ("search, words", "/listings?q=velo".to_owned()),
        ("search, category and kind", "/listings?kind=offer&category=food".to_owned()),
        ("search, 10 km around a place", "/listings?near=44.35%2C2.57&km=10".to_owned()),
        ("search, words and place", "/listings?q=cours&near=44.35%2C2.57&km=25".to_owned()),
        ("listing page", format!("/@u{author}/listings/{}", local_listing.0)),
        ("profile page", format!("/@u{author}")),
    ];
    actix_web::rt::System::new().block_on(async move {
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        println!("| page | p50 | p99 | max | bytes |");
        println!("| --- | --- | --- | --- | --- |");
        for (name, path) in &pages {
            let url = format!("{base}{path}");
            let mut times = Vec::with_capacity(REQUESTS);
            let mut bytes = 0;
            for i in 0..REQUESTS + 10 {
                let t = Instant::now();
                let r = http.get(&url).header("Accept-Language", "fr").send().await.unwrap();
                assert_eq!(r.status(), 200, "{url}");
                bytes = r.bytes().await.unwrap().len();
                // The first ten warm the caches and connections.
                if i >= 10 {
                    times.push(t.elapsed());
                }
            }
            times.sort();
            let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
            println!(
                "| {name} | {} | {} | {} | {bytes} |",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99)),
                ms(*times.last().unwrap())
            );
        }
    });
}
