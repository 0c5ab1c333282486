//! SMTP connections of our own for `smtp://` (plain or STARTTLS), kept
//! open between mails: lettre's own connections leave Nagle's algorithm
//! on, and a message's body and its final `.` go out in two writes, so
//! each mail waited for the server's delayed ACK (about 40 ms on Linux).
//! Here each TCP stream is opened with `TCP_NODELAY` and handed to
//! lettre's connection (`connect_with_transport`), which does the rest of
//! the protocol (EHLO, STARTTLS, AUTH, the message). `smtps://` keeps
//! lettre's transport: its TLS stream is set up inside lettre.

use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use maillage_core::config::SmtpUrl;
use tokio::sync::Mutex;

/// Why an attempt failed, and whether it is worth another.
pub struct Failure {
    pub permanent: bool,
    pub message: String,
}

fn failure(e: lettre::transport::smtp::Error) -> Failure {
    Failure { permanent: e.is_permanent(), message: e.to_string() }
}

pub struct DirectPool {
    url: SmtpUrl,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
    max_idle: usize,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

impl DirectPool {
    pub fn new(url: SmtpUrl, hello: &str, timeout: Duration, max_idle: usize) -> DirectPool {
        let credentials =
            url.user.clone().map(|user| Credentials::new(user, url.password.clone().unwrap_or_default()));
        DirectPool {
            url,
            credentials,
            hello: ClientId::Domain(hello.to_owned()),
            timeout,
            max_idle,
            idle: Mutex::new(Vec::new()),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let transient = |message: String| Failure { permanent: false, message };
        let address = (self.url.host.as_str(), self.url.port);
        let stream = tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect(address))
            .await
            .map_err(|_| transient(format!("connecting to {}:{} timed out", self.url.host, self.url.port)))?
            .map_err(|e| transient(format!("cannot connect to {}:{}: {e}", self.url.host, self.url.port)))?;
        stream.set_nodelay(true).map_err(|e| transient(e.to_string()))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
            .await
            .map_err(failure)?;
        match self.url.starttls.as_deref() {
            Some(_) if conn.can_starttls() => {
                let tls = TlsParameters::new(self.url.host.clone()).map_err(failure)?;
                conn.starttls(tls, &self.hello).await.map_err(failure)?;
            }
            Some("required") => {
                conn.abort().await;
                return Err(transient(format!("{} offers no STARTTLS (tls=required)", self.url.host)));
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(failure)?;
        }
        Ok(conn)
    }

    /// Sends one message, on an open connection when one is idle (and on a
    /// new one if that one turns out closed by the server).
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
        let reused = self.idle.lock().await.pop();
        let had_one = reused.is_some();
        let mut conn = match reused {
            Some(conn) => conn,
            None => self.connect().await?,
        };
        let mut result = self.exchange(&mut conn, envelope, bytes).await;
        if had_one && (conn.has_broken() || result.as_ref().is_err_and(|e| !e.permanent)) {
            // The idle connection had been closed: once more, afresh.
            conn.abort().await;
            conn = self.connect().await?;
            result = self.exchange(&mut conn, envelope, bytes).await;
        }
        if conn.has_broken() || result.is_err() {
            conn.abort().await;
        } else {
            let mut idle = self.idle.lock().await;
            if idle.len() < self.max_idle {
                idle.push(conn);
            }
        }
        result
    }

    async fn exchange(
        &self,
        conn: &mut AsyncSmtpConnection,
        envelope: &Envelope,
        bytes: &[u8],
    ) -> Result<(), Failure> {
        match tokio::time::timeout(self.timeout * 3, conn.send(envelope, bytes)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(failure(e)),
            Err(_) => Err(Failure { permanent: false, message: "the SMTP exchange timed out".into() }),
        }
    }
}
