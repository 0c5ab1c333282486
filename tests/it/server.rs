//! `maillage serve` as a process: start, restart, health, and how the HTTP
//! skeleton answers what it does not serve.

use crate::common;

use common::{http, maillage, run, stderr, stdout, Node};
use maillage_test_support::TestDb;

#[test]
fn a_node_keeps_its_users_across_restarts() {
    let db = TestDb::new();
    let node = Node::start(&db.url_string());
    let health = http().get(node.url("/healthz")).send().unwrap();
    assert_eq!(health.status(), 200, "{}", node.log());

    let mut create = maillage(&db.url_string());
    create.args(["admin", "user", "create", "alice", "--email", "alice@example.org"]);
    let created = run(create, None);
    assert!(created.status.success(), "{}", stderr(&created));

    let status = node.stop();
    assert!(status.success(), "SIGTERM should stop the node cleanly: {status}");

    let node = Node::start(&db.url_string());
    assert_eq!(http().get(node.url("/healthz")).send().unwrap().status(), 200);
    let mut list = maillage(&db.url_string());
    list.args(["admin", "user", "list"]);
    let listed = run(list, None);
    assert!(stdout(&listed).contains("alice@example.org"), "{}", stdout(&listed));
    assert!(node.stop().success());
}

#[test]
fn a_node_creates_its_database_on_first_start() {
    let db = TestDb::unborn();
    let node = Node::start(&db.url_string());
    let body: serde_json::Value = http().get(node.url("/healthz")).send().unwrap().json().unwrap();
    assert_eq!(body["status"], "ok", "{}", node.log());
    assert!(node.stop().success());
}

#[test]
fn healthz_is_503_when_the_database_is_gone() {
    let mut db = TestDb::new();
    let node = Node::start(&db.url_string());
    assert_eq!(http().get(node.url("/healthz")).send().unwrap().status(), 200);
    db.destroy();
    let response = http().get(node.url("/healthz")).send().unwrap();
    assert_eq!(response.status(), 503, "{}", node.log());
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[test]
fn an_unreachable_database_stops_start_up_with_its_real_cause() {
    let mut cmd = maillage("postgres://postgres@127.0.0.1:1/maillage");
    cmd.arg("serve").env("MAILLAGE_BIND", "127.0.0.1:0");
    let out = run(cmd, None);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("127.0.0.1") && message.contains("refused"), "{message}");
    assert!(!message.contains("invalid connection url"), "{message}");
}

#[test]
fn a_port_in_use_stops_start_up_with_a_message() {
    let db = TestDb::new();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let mut cmd = maillage(&db.url_string());
    cmd.arg("serve").env("MAILLAGE_BIND", &addr);
    let out = run(cmd, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(&addr), "{}", stderr(&out));
}

#[test]
fn oversized_bodies_get_413_and_the_node_keeps_serving() {
    let db = TestDb::new();
    let node = Node::start(&db.url_string());
    let body = vec![b'x'; 2 * 1024 * 1024];
    let response = http().post(node.url("/healthz")).body(body).send().unwrap();
    assert_eq!(response.status(), 413);
    let json: serde_json::Value = response.json().unwrap();
    assert!(json["error"].as_str().unwrap().contains("too large"));
    assert_eq!(http().get(node.url("/healthz")).send().unwrap().status(), 200);
}

#[test]
fn unknown_routes_get_a_json_404_with_a_request_id() {
    let db = TestDb::new();
    let node = Node::start(&db.url_string());
    let response = http().get(node.url("/no/such/thing")).send().unwrap();
    assert_eq!(response.status(), 404);
    let generated = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(generated.len(), 16);
    let json: serde_json::Value = response.json().unwrap();
    assert!(json["error"].is_string());

    let response = http().get(node.url("/healthz")).header("X-Request-Id", "trace-42").send().unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-42");
    let response = http().get(node.url("/healthz")).header("X-Request-Id", "bad id!").send().unwrap();
    assert_ne!(response.headers()["x-request-id"], "bad id!");
    assert!(node.log().contains("request_id=trace-42"), "logs carry the request id");
}

#[test]
fn json_logs_are_one_object_per_line_with_the_request_id() {
    let db = TestDb::new();
    let node = Node::start_with(&db.url_string(), &[("MAILLAGE_LOG_FORMAT", "json")]);
    http().get(node.url("/healthz")).header("X-Request-Id", "json-7").send().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let log = node.log();
        let served = log
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| v["span"]["request_id"] == "json-7" && v["fields"]["message"] == "served");
        if let Some(line) = served {
            assert_eq!(line["fields"]["status"], 200);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no JSON log line for the request:\n{log}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(node.log().lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
}
