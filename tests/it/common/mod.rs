//! Runs the real `maillage` binary, as an admin would, against a test
//! database of the backend the environment selects.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_maillage");

/// A `maillage` command with a clean environment: only what the test sets.
pub fn maillage(db_url: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MAILLAGE_DATABASE_URL", db_url)
        .stdin(Stdio::null());
    cmd
}

/// Runs a command to completion, feeding `stdin`.
pub fn run(mut cmd: Command, stdin: Option<&str>) -> Output {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn maillage");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().expect("wait for maillage")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A running `maillage serve` process.
pub struct Node {
    child: Child,
    pub base_url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Node {
    /// Starts a node on a free port and waits until it listens.
    pub fn start(db_url: &str) -> Node {
        Self::start_with(db_url, &[])
    }

    pub fn start_with(db_url: &str, env: &[(&str, &str)]) -> Node {
        let mut cmd = maillage(db_url);
        cmd.arg("serve").env("MAILLAGE_BIND", "127.0.0.1:0").env("MAILLAGE_LOG_LEVEL", "info");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child =
            cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn maillage serve");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found =
                log.lock().unwrap().iter().find_map(|l| l.split("listening on ").nth(1).map(url_at_start));
            if let Some(url) = found {
                return Node { child, base_url: url, log };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("maillage serve exited with {status}:\n{}", log.lock().unwrap().join("\n"));
            }
            assert!(Instant::now() < deadline, "node did not start:\n{}", log.lock().unwrap().join("\n"));
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "node did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The URL at the start of `text`, up to a space or a quote (text or JSON
/// log lines).
fn url_at_start(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '"').next().unwrap_or_default().to_owned()
}

pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
