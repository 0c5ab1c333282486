//! How fast the mail outbox drains to a real SMTP server on this machine
//! (a benchmark, not a timed test): mails are queued as use cases queue
//! them, then the sender `maillage serve` runs (`maillage_mail::MailWorker`)
//! drains them to aiosmtpd (`tests/clients/smtp_sink.py`, which writes each
//! message to disk as received) on a local port. Run with
//!
//!   export MAILLAGE_PYTHON=target/pyenv/bin/python   # aiosmtpd, as scripts/test installs it
//!   cargo bench --bench mail                         # 5,000 mails, SQLite
//!   BENCH_MAILS=20000 BENCH_CONCURRENCY=16 cargo bench --bench mail
//!   MAILLAGE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench mail
//!
//! Figures go to docs/PERFORMANCE.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use maillage_core::config::Config;
use maillage_db::transaction;
use maillage_mail::{MailWorker, Mailer};
use maillage_service::mail::{self, MailContent};
use maillage_test_support::{backend_name, TestDb};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read.
    let n = env_or("BENCH_MAILS", 5_000);
    let concurrency = env_or("BENCH_CONCURRENCY", 8);
    let python = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| "python3".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/clients/smtp_sink.py");
    let mut sink = Command::new(python)
        .args([script, &port.to_string(), &dir.path().display().to_string(), "raw"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start aiosmtpd (run through scripts/test, which installs it)");
    let mut ready = String::new();
    BufReader::new(sink.stdout.take().unwrap()).read_line(&mut ready).unwrap();
    assert_eq!(ready.trim(), "ready", "aiosmtpd did not start");

    let mut config = Config::default();
    config.mail.smtp_url = format!("smtp://127.0.0.1:{port}");
    config.mail.from = "Maillage <noreply@bench.example>".into();
    config.mail.concurrency = concurrency;
    let db = TestDb::new();
    let pool = db.pool();
    let started = Instant::now();
    {
        let mut conn = pool.get().unwrap();
        let lang = maillage_core::i18n::Lang::Fr;
        transaction::write(&mut conn, |conn| {
            for i in 0..n {
                let body = lang.fill("mail_reset_body", &["Vallée de la Drôme"]);
                let content = MailContent::compose(
                    lang,
                    "Vallée de la Drôme",
                    lang.fill("mail_reset_subject", &["Vallée"]),
                    &[body],
                    Some(("Choisir", &format!("https://bench.example/password/reset/{i:043}"))),
                );
                let to = format!("person{i}@example.org");
                let unsubscribe = format!("https://bench.example/unsubscribe/{i}");
                mail::queue(conn, &config, None, &to, &format!("bench:{i}"), &content, Some(&unsubscribe))?;
            }
            Ok(())
        })
        .unwrap();
    }
    println!("mail ({}): {n} mails queued in {:.2} s", backend_name(), started.elapsed().as_secs_f64());

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let elapsed = rt.block_on(async {
        let mailer = Mailer::new(&config.mail, "bench.example").unwrap();
        let worker = MailWorker::new(pool.clone(), mailer, config.mail.clone());
        let started = Instant::now();
        let mut claimed = 0;
        while claimed < n {
            claimed += worker.drain_once().await.unwrap();
        }
        started.elapsed()
    });
    let mut conn = pool.get().unwrap();
    let pending = mail::pending_count(&mut conn).unwrap();
    let received = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml")))
        .count();
    let _ = sink.kill();
    let _ = sink.wait();
    assert_eq!((pending, received), (0, n), "every mail sent once");
    println!(
        "mail ({}): {n} mails drained to aiosmtpd in {:.2} s: {:.0} mails/s (concurrency {concurrency})",
        backend_name(),
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
}
