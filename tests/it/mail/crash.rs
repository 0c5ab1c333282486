//! The real binary killed with SIGKILL while mails wait (the SMTP server
//! is down): once both are back, every mail arrives, each once.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{maillage, run, Node};
use crate::harness::smtp::SmtpSink;
use diesel::prelude::*;
use maillage_db::schema::mail_outbox;
use maillage_test_support::TestDb;

fn env(port: u16, sink: &SmtpSink) -> Vec<(&'static str, String)> {
    vec![
        ("MAILLAGE_DOMAIN", format!("localhost:{port}")),
        ("MAILLAGE_BIND", format!("127.0.0.1:{port}")),
        ("MAILLAGE_FEDERATION_DEBUG", "1".into()),
        ("MAILLAGE_HTTP_WORKERS", "1".into()),
        ("MAILLAGE_SMTP_URL", sink.url()),
        ("MAILLAGE_MAIL_FROM", "noreply@example.org".into()),
        ("MAILLAGE_MAIL_RETRY_BASE_SECS", "1".into()),
    ]
}

fn start(db: &TestDb, env: &[(&'static str, String)]) -> Node {
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Node::start_with(&db.url_string(), &pairs)
}

/// (rows tried at least once, rows claimed now, rows sent).
fn outbox(db: &TestDb) -> (i64, i64, i64) {
    let mut conn = db.pool().get().unwrap();
    let tried: i64 =
        mail_outbox::table.filter(mail_outbox::attempts.ge(1)).count().get_result(&mut *conn).unwrap();
    let claimed: i64 = mail_outbox::table
        .filter(mail_outbox::claimed_by.is_not_null())
        .count()
        .get_result(&mut *conn)
        .unwrap();
    let sent: i64 =
        mail_outbox::table.filter(mail_outbox::state.eq("sent")).count().get_result(&mut *conn).unwrap();
    (tried, claimed, sent)
}

#[test]
fn mails_queued_when_the_node_is_killed_are_sent_once_after_it_restarts() {
    const N: usize = 20;
    let db = TestDb::new();
    let port = crate::harness::smtp::free_port();
    let mut sink = SmtpSink::down();
    let env = env(port, &sink);
    let node = start(&db, &env);

    let addresses: Vec<String> = (0..N).map(|i| format!("person{i}@example.org")).collect();
    let mut cmd = maillage(&db.url_string());
    for (k, v) in &env {
        cmd.env(k, v);
    }
    cmd.args(["admin", "mail", "test"]).args(&addresses);
    let out = run(cmd, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Every mail tried against the dead server, none held by a claim:
    // then the kill.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (tried, claimed, _) = outbox(&db);
        if tried == N as i64 && claimed == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "tried {tried}, claimed {claimed}:\n{}", node.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill").args(["-KILL", &node.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    drop(node);

    sink.up();
    let node = start(&db, &env);
    let got = sink.wait_for_blocking(N, 60);
    std::thread::sleep(Duration::from_secs(3));
    let got_after = sink.messages();
    assert_eq!(got_after.len(), N, "each mail once: {} then {}\n{}", got.len(), got_after.len(), node.log());
    let mut to: Vec<String> = got_after.iter().map(|m| m.to().to_owned()).collect();
    to.sort();
    let mut expected = addresses.clone();
    expected.sort();
    assert_eq!(to, expected);
    assert_eq!(outbox(&db).2, N as i64, "every row marked sent");
}
