//! A sender killed with SIGKILL while deliveries are pending delivers them
//! after it is started again: the queue lives in the database.

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{http, maillage, run, stdout, Node};
use maillage_test_support::TestDb;
use serde_json::Value;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Site {
    db: TestDb,
    port: u16,
}

impl Site {
    fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MAILLAGE_DOMAIN", format!("localhost:{}", self.port)),
            ("MAILLAGE_FEDERATION_DEBUG", "1".into()),
            ("MAILLAGE_FEDERATION_RETRY_BASE_SECS", "1".into()),
            ("MAILLAGE_HTTP_WORKERS", "1".into()),
        ]
    }

    fn start(&self) -> Node {
        let env = self.env();
        let mut pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let bind = format!("127.0.0.1:{}", self.port);
        pairs.push(("MAILLAGE_BIND", &bind));
        Node::start_with(&self.db.url_string(), &pairs)
    }

    fn admin(&self, args: &[&str]) -> String {
        let mut cmd = maillage(&self.db.url_string());
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd.arg("admin").args(args);
        let out = run(cmd, None);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        stdout(&out)
    }

    fn token(&self, user: &str) -> String {
        self.admin(&["user", "create", user, "--email", &format!("{user}@example.org")]);
        self.admin(&["token", "create", "--user", user, "--scopes", "read write follow"]).trim().to_owned()
    }
}

fn wait_for(secs: u64, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn pending_deliveries_survive_a_kill_9() {
    let a = Site { db: TestDb::new(), port: free_port() };
    let b = Site { db: TestDb::new(), port: free_port() };
    let node_a = a.start();
    let node_b = b.start();
    let alice = a.token("alice");
    let bob = b.token("bob");
    let client = http();

    let found: Value = client
        .get(node_b.url(&format!("/api/v2/search?q=alice@localhost:{}&resolve=true", a.port)))
        .bearer_auth(&bob)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let alice_id = found["accounts"][0]["id"].as_str().expect("alice resolved").to_owned();
    let followed = client
        .post(node_b.url(&format!("/api/v1/accounts/{alice_id}/follow")))
        .bearer_auth(&bob)
        .send()
        .unwrap();
    assert_eq!(followed.status(), 200);
    wait_for(15, "the follow is accepted", || {
        let me: Value = client
            .get(node_a.url("/api/v1/accounts/verify_credentials"))
            .bearer_auth(&alice)
            .send()
            .unwrap()
            .json()
            .unwrap();
        me["followers_count"] == 1
    });

    assert!(node_b.stop().success());
    let post: Value = client
        .post(node_a.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .form(&[("status", "Écrit juste avant la panne")])
        .send()
        .unwrap()
        .json()
        .unwrap();
    let uri = post["uri"].as_str().unwrap().to_owned();
    std::thread::sleep(Duration::from_millis(500));
    let killed = Command::new("kill").args(["-KILL", &node_a.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    drop(node_a);

    let node_b = b.start();
    let _node_a = a.start();
    wait_for(30, "the pending post reaches bob", || {
        let home: Value = client
            .get(node_b.url("/api/v1/timelines/home"))
            .bearer_auth(&bob)
            .send()
            .unwrap()
            .json()
            .unwrap();
        home.as_array().is_some_and(|h| h.iter().any(|s| s["uri"] == uri.as_str()))
    });
}
