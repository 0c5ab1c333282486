//! A remote file read with a cap: the body is read as it comes and the
//! fetch stops as soon as it passes the cap, whatever `Content-Length` said.

use bytes::{Bytes, BytesMut};
use futures::StreamExt;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("fetch failed: {0}")]
    Http(String),
    #[error("the remote file is larger than {0} bytes")]
    TooLarge(usize),
}

pub async fn fetch_capped(client: &reqwest::Client, url: &str, cap: usize) -> Result<Bytes, FetchError> {
    let response = client.get(url).send().await.map_err(|e| FetchError::Http(e.to_string()))?;
    if !response.status().is_success() {
        return Err(FetchError::Http(format!("{} answered {}", url, response.status())));
    }
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(FetchError::TooLarge(cap));
    }
    let mut body = BytesMut::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| FetchError::Http(e.to_string()))?;
        if body.len() + chunk.len() > cap {
            return Err(FetchError::TooLarge(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
