//! A person's conversation list with 10,000 conversations (the goal: a
//! page in at most 20 ms on both backends), read through the same use case
//! the page and `/api/v1/conversations` call. Each conversation is filed
//! by the real code path (`conversations::attach`). Run with
//!
//!   cargo bench --bench conversations                  # SQLite
//!   MAILLAGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench conversations
//!   BENCH_CONVERSATIONS=50000 cargo bench --bench conversations
//!
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use maillage_core::account::RegistrationMode;
use maillage_core::id::Id;
use maillage_core::post::PostVisibility;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_db::posts::{PostRow, PostTagRow};
use maillage_db::{actors, posts, transaction};
use maillage_service::accounts::{self, NewAccount};
use maillage_service::conversations;
use maillage_test_support::{actor_row, backend_name, TestDb};

const GOAL: Duration = Duration::from_millis(20);
const REQUESTS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: usize = std::env::var("BENCH_CONVERSATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let db = TestDb::new();
    let pool = db.pool();
    let mut conn = pool.get().unwrap();
    let urls = LocalUrls::new("bench.example", false);
    let account = NewAccount {
        username: "alice",
        email: "alice@bench.example",
        password: Some("a good password"),
        ..Default::default()
    };
    let user = accounts::register(&mut conn, &urls, RegistrationMode::Open, &account).unwrap();
    let me = maillage_service::actors::actor_of_user(&mut conn, user.id).unwrap();

    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        transaction::write(&mut conn, |conn| {
            for i in chunk {
                let host = format!("t{}.remote.example", i % 50);
                let ap_id = format!("https://{host}/users/p{i}");
                let other = actor_row(&ap_id, &format!("p{i}"), &host, "", false);
                actors::insert(conn, &other)?;
                let now = Timestamp::now();
                let id = Id::generate_at(now).as_i64();
                let post = PostRow {
                    id,
                    ap_id: format!("{ap_id}/notes/{i}"),
                    author_id: other.id,
                    kind: "Note".into(),
                    content_html: format!("<p>Bonjour, message {i}</p>"),
                    source: None,
                    summary: String::new(),
                    sensitive: false,
                    visibility: PostVisibility::Direct,
                    in_reply_to: None,
                    url: None,
                    language: None,
                    to_json: format!("[\"{}\"]", me.ap_id),
                    cc_json: "[]".into(),
                    local: false,
                    published_at: now.as_micros(),
                    updated_at: None,
                    deleted_at: None,
                };
                let tag = PostTagRow {
                    id: Id::generate_at(now).as_i64(),
                    post_id: id,
                    kind: "mention".into(),
                    name: "@alice@bench.example".into(),
                    href: Some(me.ap_id.clone()),
                };
                posts::insert(conn, &post, &[tag])?;
                let context = format!("https://{host}/contexts/{i}");
                conversations::attach(conn, &urls, &post, &other, Some(&context), None)?;
            }
            Ok(())
        })
        .unwrap();
    }
    println!(
        "conversations ({}): {n} conversations filed in {:.1} s",
        backend_name(),
        started.elapsed().as_secs_f64()
    );

    let first = conversations::list(&mut conn, &user, None, None, 20).unwrap();
    assert_eq!(first.len(), 20);
    let middle = {
        let mut page = first.last().map(|v| v.member.last_post_id);
        for _ in 0..(n / 40) {
            page = conversations::list(&mut conn, &user, page, None, 20)
                .unwrap()
                .last()
                .map(|v| v.member.last_post_id);
        }
        page
    };
    for (name, max) in [("first page", None), ("a page in the middle", middle)] {
        let mut times = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            let t = Instant::now();
            let page = conversations::list(&mut conn, &user, max, None, 20).unwrap();
            times.push(t.elapsed());
            assert_eq!(page.len(), 20);
        }
        times.sort();
        let p50 = percentile(&times, 0.5);
        let p95 = percentile(&times, 0.95);
        println!(
            "conversations ({}): {name} of 20 among {n}: p50 {:.2} ms, p95 {:.2} ms ({:.2} of the 20 ms goal at p95)",
            backend_name(),
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            p95.as_secs_f64() / GOAL.as_secs_f64()
        );
    }
}
