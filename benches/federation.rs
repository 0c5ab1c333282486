//! Federation benchmarks (not timed tests): run with
//!
//!   cargo bench --bench federation -- inbox      # signed Create(Note) into one node
//!   cargo bench --bench federation -- inbox-blocked  # the same, with and without 10,000 blocked domains
//!   cargo bench --bench federation -- fanout     # one post to 1,000 inboxes on 50 hosts
//!   cargo bench --bench federation -- idle       # RSS of an idle `maillage serve`
//!
//! SQLite by default; `MAILLAGE_TEST_DATABASE_URL=postgres://…` for PostgreSQL.
//! Figures, machine and commands are recorded in docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use maillage::server;
use maillage_apub::signing::SigningKey;
use maillage_core::account::Role;
use maillage_core::config::Config;
use maillage_core::id::Id;
use maillage_core::time::Timestamp;
use maillage_db::actors::{self, ActorRow};
use maillage_db::follows::{self, FollowRow};
use maillage_db::DbPool;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::keys::{generate_keypair, KeyPair};
use maillage_test_support::TestDb;

fn config(port: u16, db: &TestDb, debug: bool) -> Config {
    let mut c = Config::default();
    c.instance.domain = format!("localhost:{port}");
    c.http.bind = format!("127.0.0.1:{port}");
    c.http.workers = std::env::var("BENCH_WORKERS").ok().and_then(|w| w.parse().ok()).unwrap_or(2);
    c.database.url = db.url_string();
    c.database.max_connections = 16;
    c.federation.debug = debug;
    c
}

fn remote_actor(i: usize, ap_id: String, domain: String, keys: &KeyPair) -> ActorRow {
    maillage_test_support::actor_row(&ap_id, &format!("u{i}"), &domain, &keys.public_pem, false)
}

/// Runs a node on its own thread (its own actix System).
fn spawn_node(config: Config, pool: DbPool, listener: TcpListener) {
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let node = server::start(config, pool, Some(listener)).await.unwrap();
            let _ = node.wait().await;
        })
    });
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Signed headers and body of one inbox request.
type PreparedRequest = (Vec<(&'static str, String)>, Vec<u8>);

/// Blocks `n` domains (suspensions, limits, wildcards) that none of the
/// senders is under, through the Mastodon CSV import an admin would use.
fn block_domains(pool: &DbPool, n: usize) {
    if n == 0 {
        return;
    }
    let mut csv =
        String::from("#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n");
    for i in 0..n {
        let (domain, severity) = match i % 3 {
            0 => (format!("spam{i}.example"), "suspend"),
            1 => (format!("*.farm{i}.example"), "suspend"),
            _ => (format!("noisy{i}.example"), "silence"),
        };
        csv.push_str(&format!("{domain},{severity},false,false,,false\n"));
    }
    let mut conn = pool.get().unwrap();
    let imported = maillage_service::policy::import_blocks(&mut conn, "localhost", &csv).unwrap();
    assert_eq!(imported, n);
}

fn inbox_bench(blocked: usize) -> f64 {
    const ACTORS: usize = 200;
    const KEYS: usize = 10;
    const REQUESTS: usize = 20_000;
    const WARMUP: usize = 1_000;
    const CONCURRENCY: usize = 32;

    let db = TestDb::new();
    let pool = db.pool();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let keys: Vec<KeyPair> = (0..KEYS).map(|_| generate_keypair().unwrap()).collect();
    let mut signers = Vec::new();
    {
        let mut conn = pool.get().unwrap();
        for i in 0..ACTORS {
            let host = format!("r{}.bench.example", i % 20);
            let ap_id = format!("https://{host}/users/u{i}");
            let row = remote_actor(i, ap_id.clone(), host.clone(), &keys[i % KEYS]);
            actors::insert(&mut conn, &row).unwrap();
            let key = SigningKey::from_pem(format!("{ap_id}#main-key"), &keys[i % KEYS].private_pem).unwrap();
            signers.push((ap_id, host, key));
        }
    }
    block_domains(&pool, blocked);
    spawn_node(config(port, &db, false), pool.clone(), listener);
    std::thread::sleep(Duration::from_secs(1));

    let url = url::Url::parse(&format!("http://127.0.0.1:{port}/inbox")).unwrap();
    let now = SystemTime::now();
    let requests: Vec<PreparedRequest> = (0..REQUESTS + WARMUP)
        .map(|n| {
            let (actor, host, key) = &signers[n % ACTORS];
            let note = format!("https://{host}/notes/{n}");
            let body = serde_json::json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{note}/activity"), "type": "Create", "actor": actor,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "object": { "id": note, "type": "Note", "attributedTo": actor,
                    "content": format!("<p>Offre numéro {n} : je prête une bétonnière #chantier</p>"),
                    "to": ["https://www.w3.org/ns/activitystreams#Public"], "published": "2026-11-25T10:00:00Z",
                    "tag": [{"type": "Hashtag", "name": "#chantier", "href": "https://x.example/tags/chantier"}] }
            })
            .to_string()
            .into_bytes();
            (key.sign_post(&url, &body, now).unwrap(), body)
        })
        .collect();
    let requests = Arc::new(requests);

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let run = |range: std::ops::Range<usize>| {
        let requests = requests.clone();
        let url = url.clone();
        runtime.block_on(async move {
            let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build().unwrap();
            let next = Arc::new(AtomicUsize::new(range.start));
            let end = range.end;
            let mut tasks = Vec::new();
            for _ in 0..CONCURRENCY {
                let (client, next, requests, url) =
                    (client.clone(), next.clone(), requests.clone(), url.clone());
                tasks.push(tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= end {
                            break latencies;
                        }
                        let (headers, body) = &requests[n];
                        let mut req = client.post(url.clone()).body(body.clone());
                        for (k, v) in headers {
                            if *k != "host" {
                                req = req.header(*k, v);
                            }
                        }
                        let started = Instant::now();
                        let status = req.send().await.unwrap().status();
                        latencies.push(started.elapsed());
                        assert_eq!(status.as_u16(), 202, "request {n} refused");
                    }
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all
        })
    };
    run(0..WARMUP);
    let started = Instant::now();
    let mut latencies = run(WARMUP..WARMUP + REQUESTS);
    let elapsed = started.elapsed();
    latencies.sort();
    let mut conn = pool.get().unwrap();
    let stored = maillage_db::posts::timeline(
        &mut conn,
        maillage_db::posts::Timeline::Public { local: Some(false), hidden: &[] },
        maillage_db::posts::Page { limit: 1, ..Default::default() },
    )
    .unwrap();
    assert!(!stored.is_empty());
    let throughput = REQUESTS as f64 / elapsed.as_secs_f64();
    println!(
        "inbox ({}, {blocked} blocked domains): {REQUESTS} signed Create(Note) from {ACTORS} actors, concurrency {CONCURRENCY}: {throughput:.0} activities/s, p50 {:.2} ms, p99 {:.2} ms",
        if db.is_postgres() { "PostgreSQL" } else { "SQLite" },
        percentile(&latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
    );
    throughput
}

/// Inbox throughput with no blocks and with 10,000, alternated three
/// times so that drift on the machine falls on both sides alike.
fn inbox_blocked_bench() {
    let (mut none, mut blocked) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        none.push(inbox_bench(0));
        blocked.push(inbox_bench(10_000));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (none, blocked) = (median(&mut none), median(&mut blocked));
    println!(
        "inbox-blocked: median {none:.0}/s with no block, {blocked:.0}/s with 10,000 blocked domains ({:+.1} %)",
        (blocked / none - 1.0) * 100.0
    );
}

fn fanout_bench() {
    const HOSTS: usize = 50;
    const INBOXES: usize = 1_000;

    // Receivers: one HTTP server listening on 50 ports, counting POSTs.
    let received = Arc::new(AtomicUsize::new(0));
    let listeners: Vec<TcpListener> = (0..HOSTS).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    let ports: Vec<u16> = listeners.iter().map(|l| l.local_addr().unwrap().port()).collect();
    let counter = received.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let mut server = actix_web::HttpServer::new(move || {
                let counter = counter.clone();
                actix_web::App::new().default_service(actix_web::web::to(move || {
                    let counter = counter.clone();
                    async move {
                        counter.fetch_add(1, Ordering::Relaxed);
                        actix_web::HttpResponse::Accepted().finish()
                    }
                }))
            })
            .workers(1);
            for l in listeners {
                server = server.listen(l).unwrap();
            }
            server.run().await.unwrap();
        })
    });

    let db = TestDb::new();
    let pool = db.pool();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let cfg = config(port, &db, true);
    let urls = cfg.local_urls();
    let keys = generate_keypair().unwrap();
    let sender = {
        let mut conn = pool.get().unwrap();
        let new = NewAccount {
            username: "sender",
            email: "s@example.org",
            password: Some("a good password"),
            ..Default::default()
        };
        let user = accounts::create_by_admin(&mut conn, &urls, &new, Role::Member).unwrap().user;
        let me = maillage_service::actors::actor_of_user(&mut conn, user.id).unwrap();
        for i in 0..INBOXES {
            let p = ports[i % HOSTS];
            let ap_id = format!("http://127.0.0.1:{p}/users/u{i}");
            let row = remote_actor(i, ap_id.clone(), format!("127.0.0.1:{p}"), &keys);
            actors::insert(&mut conn, &row).unwrap();
            let now = Timestamp::now().as_micros();
            follows::insert(
                &mut conn,
                &FollowRow {
                    id: Id::generate().as_i64(),
                    ap_id: format!("{ap_id}/follow"),
                    follower_id: row.id,
                    followed_id: me.id,
                    state: "accepted".into(),
                    created_at: now,
                    updated_at: now,
                },
            )
            .unwrap();
        }
        user
    };
    spawn_node(cfg.clone(), pool.clone(), listener);
    std::thread::sleep(Duration::from_secs(1));

    let outbound = maillage_apub::outbound::ApubOutbound::new(urls.clone());
    let started = Instant::now();
    {
        let mut conn = pool.get().unwrap();
        let post = maillage_service::posts::NewPost {
            text: "Une offre pour tout le monde #velo".into(),
            ..Default::default()
        };
        maillage_service::posts::create(&mut conn, &outbound, &urls, &sender, &post).unwrap();
    }
    let queued = started.elapsed();
    while received.load(Ordering::Relaxed) < INBOXES {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "only {} deliveries arrived",
            received.load(Ordering::Relaxed)
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let elapsed = started.elapsed();
    println!(
        "fan-out ({}): 1 post to {INBOXES} inboxes on {HOSTS} hosts: queued in {:.1} ms, last delivery after {:.2} s, {:.0} deliveries/s",
        if db.is_postgres() { "PostgreSQL" } else { "SQLite" },
        queued.as_secs_f64() * 1000.0,
        elapsed.as_secs_f64(),
        INBOXES as f64 / elapsed.as_secs_f64()
    );
}

fn idle_bench() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("serve")
        .env("MAILLAGE_DATABASE_URL", dir.path().join("idle.db"))
        .env("MAILLAGE_BIND", format!("127.0.0.1:{port}"))
        .env("MAILLAGE_LOG_LEVEL", "warn")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    let health = reqwest::blocking::get(format!("http://127.0.0.1:{port}/healthz")).unwrap().status();
    std::thread::sleep(Duration::from_secs(2));
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let rss = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("VmRSS: ?").to_owned();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "idle: `maillage serve` with an empty SQLite database (healthz {health}): {}",
        rss.split_whitespace().skip(1).collect::<Vec<_>>().join(" ")
    );
}

fn main() {
    let which: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let all = which.is_empty();
    if all || which.iter().any(|w| w == "inbox") {
        inbox_bench(0);
    }
    if all || which.iter().any(|w| w == "inbox-blocked") {
        inbox_blocked_bench();
    }
    if all || which.iter().any(|w| w == "fanout") {
        fanout_bench();
    }
    if all || which.iter().any(|w| w == "idle") {
        idle_bench();
    }
}
