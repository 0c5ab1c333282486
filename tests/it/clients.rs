//! Real third-party clients against a real node: Mastodon.py (a bot's
//! library) and toot (a command-line app), from PyPI. `scripts/test`
//! installs them in a virtualenv and names its Python in
//! `MAILLAGE_PYTHON`; without it these tests fail rather than skip.

use crate::harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use harness::{link_territories, TestNode};
use maillage_core::account::RegistrationMode;
use reqwest::Method;
use serde_json::json;

fn python() -> PathBuf {
    let path = std::env::var("MAILLAGE_PYTHON").unwrap_or_else(|_| {
        panic!("MAILLAGE_PYTHON is not set: run scripts/test, which installs Mastodon.py and toot in a virtualenv")
    });
    PathBuf::from(path)
}

/// Runs a program of the virtualenv off the async runtime (the nodes it
/// talks to run on it).
async fn run(program: PathBuf, args: Vec<String>, env: Vec<(String, String)>) -> Output {
    tokio::task::spawn_blocking(move || Command::new(&program).args(&args).envs(env).output().unwrap())
        .await
        .unwrap()
}

fn check(what: &str, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[actix_web::test]
async fn mastodon_py_signs_up_follows_a_group_sees_what_it_shares_and_is_told() {
    let a = TestNode::start_with(|c| c.registration.mode = RegistrationMode::Open).await;
    let b = TestNode::start().await;
    let (admin_a, admin_b) = (a.admin("gaston").await, b.admin("louise").await);
    link_territories(&a, &admin_a, &b, &admin_b).await;
    let dave = a.user("dave").await;
    let mona = b.user("mona").await;
    let (status, group) = mona
        .json(
            Method::POST,
            "/api/v1/groups",
            &json!({ "username": "jardins", "display_name": "Jardins partagés", "kind": "initiative",
                     "description": "Cultiver ensemble.", "join_policy": "open" }),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/mastodon_py.py");
    let args = vec![
        script.display().to_string(),
        a.base.clone(),
        b.base.clone(),
        format!("jardins@{}", b.domain),
        mona.token.clone(),
        dave.token.clone(),
    ];
    let out = run(python(), args, Vec::new()).await;
    let printed = check("the Mastodon.py scenario", &out);
    assert!(printed.contains(r#""ok": true"#), "{printed}");
}

#[actix_web::test]
async fn toot_logs_in_posts_and_logs_out() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let home = tempfile::tempdir().unwrap();
    let toot = python().with_file_name("toot");
    let env = vec![
        ("XDG_CONFIG_HOME".to_owned(), home.path().display().to_string()),
        ("HOME".to_owned(), home.path().display().to_string()),
    ];
    let login = vec![
        "login_cli".to_owned(),
        "--instance".to_owned(),
        a.base.clone(),
        "--email".to_owned(),
        "alice@example.org".to_owned(),
        "--password".to_owned(),
        "a good password".to_owned(),
    ];
    check("toot login_cli", &run(toot.clone(), login, env.clone()).await);
    let who = check("toot whoami", &run(toot.clone(), vec!["whoami".into()], env.clone()).await);
    assert!(who.contains("alice"), "{who}");
    let posted = check(
        "toot post",
        &run(toot.clone(), vec!["post".into(), "Bonjour depuis toot #jardins".into()], env.clone()).await,
    );
    assert!(posted.contains("Toot posted") || posted.contains("http"), "{posted}");
    let (_, statuses) = alice.get(&format!("/api/v1/accounts/{}/statuses", alice.account_id)).await;
    assert!(statuses[0]["content"].as_str().unwrap().contains("Bonjour depuis toot"), "{statuses}");
    let timeline = check(
        "toot timeline",
        &run(toot.clone(), vec!["timeline".into(), "--once".into()], env.clone()).await,
    );
    assert!(timeline.contains("Bonjour depuis toot"), "{timeline}");
    check("toot logout", &run(toot, vec!["logout".into(), format!("alice@{}", a.domain)], env).await);
}
