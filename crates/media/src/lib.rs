//! # maillage-media
//!
//! Pictures as a node keeps them, and where it keeps them.
//!
//! - [`process`]: a picture checked from its header (type by its first
//!   bytes, size, pixels: a decompression bomb never reaches the decoder),
//!   turned upright, stripped of its metadata, downscaled, previewed,
//!   blurhashed.
//! - [`store`]: the [`store::MediaStore`] trait, on disk or in
//!   S3-compatible object storage.
//! - [`Processor`]: processing off the async executor, a bounded number at
//!   once.
//! - [`fetch`]: a remote file read with a size cap.

pub mod fetch;
pub mod process;
pub mod store;

use std::sync::Arc;

pub use process::{Limits, MediaError, Processed};
pub use store::{DiskStore, MediaStore, S3Settings, S3Store, StoreError};
use tokio::sync::Semaphore;

/// Runs [`process::process`] on the blocking pool, at most `at_once`
/// pictures together, so that a burst of uploads queues instead of taking
/// every thread and all the memory.
#[derive(Clone)]
pub struct Processor {
    limits: Limits,
    permits: Arc<Semaphore>,
}

impl Processor {
    pub fn new(limits: Limits, at_once: usize) -> Self {
        Processor { limits, permits: Arc::new(Semaphore::new(at_once.max(1))) }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub async fn process(&self, bytes: bytes::Bytes) -> Result<Processed, MediaError> {
        let _permit =
            self.permits.acquire().await.map_err(|_| MediaError::Unreadable("shutting down".into()))?;
        let limits = self.limits;
        tokio::task::spawn_blocking(move || process::process(&bytes, &limits))
            .await
            .map_err(|e| MediaError::Unreadable(e.to_string()))?
    }
}
