//! A real SMTP server on a local port: aiosmtpd (from PyPI, in the tests'
//! virtualenv) running `tests/clients/smtp_sink.py`, which writes every
//! message it accepts as JSON (envelope, headers, decoded bodies) into a
//! folder the test reads. It can be stopped and started again on the same
//! port, to play a mail server that is down for a while.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt_tos: Vec<String>,
    pub headers: serde_json::Map<String, Value>,
    pub text: String,
    pub html: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
    }

    pub fn to(&self) -> &str {
        self.rcpt_tos.first().map(String::as_str).unwrap_or_default()
    }

    /// The first link of the plain-text body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        Some(self.text[start..].split_whitespace().next()?.to_owned())
    }
}

fn python() -> String {
    std::env::var("MAILLAGE_PYTHON").expect("MAILLAGE_PYTHON: run the tests with scripts/test")
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/smtp_sink.py")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpSink {
    /// A server listening on a free port.
    pub fn start() -> SmtpSink {
        let mut sink = SmtpSink::down();
        sink.up();
        sink
    }

    /// A port where nothing listens yet (the server is down).
    pub fn down() -> SmtpSink {
        SmtpSink { port: free_port(), dir: tempfile::tempdir().unwrap(), child: None }
    }

    /// `smtp://127.0.0.1:PORT`, for `mail.smtp_url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again) on its port and waits until it listens.
    pub fn up(&mut self) {
        assert!(self.child.is_none(), "the SMTP server is already up");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut child = Command::new(python())
                .arg(script())
                .arg(self.port.to_string())
                .arg(self.dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("start aiosmtpd");
            let mut line = String::new();
            let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
            if line.trim() == "ready" {
                self.child = Some(child);
                return;
            }
            // The port may still be held by the previous run for a moment.
            let _ = child.kill();
            let _ = child.wait();
            assert!(Instant::now() < deadline, "aiosmtpd did not start on port {}", self.port);
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Stops the server: the port refuses connections.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.dir.path()).unwrap().map_while(Result::ok) {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            out.push(Received {
                rcpt_tos: v["rcpt_tos"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                headers: v["headers"].as_object().cloned().unwrap_or_default(),
                text: v["text"].as_str().unwrap_or_default().to_owned(),
                html: v["html"].as_str().unwrap_or_default().to_owned(),
            });
        }
        out
    }

    /// The messages for `to`.
    pub fn messages_to(&self, to: &str) -> Vec<Received> {
        self.messages().into_iter().filter(|m| m.to() == to).collect()
    }

    /// Waits until at least `n` messages have come, then returns them all.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(Instant::now() < deadline, "waited {secs}s for {n} mails, got {}", got.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The same, from a thread that may block.
    pub fn wait_for_blocking(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(Instant::now() < deadline, "waited {secs}s for {n} mails, got {}", got.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
