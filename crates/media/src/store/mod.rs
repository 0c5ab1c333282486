//! Where the files of media live: one trait, a folder on disk by default,
//! S3-compatible object storage for larger nodes. Keys are made by the
//! node from a media's id and variant ([`key`]), never from what a client
//! sent.

use std::path::{Path, PathBuf};

mod s3;

use async_trait::async_trait;
use bytes::Bytes;
pub use s3::{S3Settings, S3Store};

#[derive(Debug, thiserror::Error)]
#[error("media storage: {0}")]
pub struct StoreError(pub String);

#[async_trait]
pub trait MediaStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing what was there.
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), StoreError>;
    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError>;
    /// Removes `key`; removing what is not there is not an error.
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
    /// "disk" or "s3", for logs and the admin's commands.
    fn kind(&self) -> &'static str;
}

/// The key of one variant ("file", "preview") of media `id`, spread over
/// 256 folders so that no folder grows past what a file system lists fast.
pub fn key(id: i64, variant: &str, extension: &str) -> String {
    format!("{:02x}/{id}-{variant}.{extension}", id.rem_euclid(256))
}

/// Whether `key` has the shape [`key`] makes: what a store accepts, so that
/// no key can leave its folder even if one were ever built elsewhere.
pub fn is_valid_key(key: &str) -> bool {
    let Some((folder, name)) = key.split_once('/') else { return false };
    folder.len() == 2
        && folder.bytes().all(|b| b.is_ascii_hexdigit())
        && !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !name.starts_with('.')
        && !name.contains("..")
}

/// Object storage in front of the disk, while a node moves there: new
/// files go to `primary`; a file not found there is read from `previous`
/// (not yet moved by `maillage admin media migrate`); removals remove both.
pub struct Layered {
    pub primary: Box<dyn MediaStore>,
    pub previous: Box<dyn MediaStore>,
}

#[async_trait]
impl MediaStore for Layered {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), StoreError> {
        self.primary.put(key, bytes, content_type).await
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError> {
        match self.primary.get(key).await? {
            Some(bytes) => Ok(Some(bytes)),
            None => self.previous.get(key).await,
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.primary.delete(key).await?;
        self.previous.delete(key).await
    }

    fn kind(&self) -> &'static str {
        self.primary.kind()
    }
}

/// Files under one folder (the data folder's `media/` by default).
pub struct DiskStore {
    root: PathBuf,
}

impl DiskStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DiskStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> Result<PathBuf, StoreError> {
        if !is_valid_key(key) {
            return Err(StoreError(format!("refused key {key:?}")));
        }
        Ok(self.root.join(key))
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError(e.to_string())
}

#[async_trait]
impl MediaStore for DiskStore {
    async fn put(&self, key: &str, bytes: Bytes, _content_type: &str) -> Result<(), StoreError> {
        let path = self.path(key)?;
        if let Some(folder) = path.parent() {
            tokio::fs::create_dir_all(folder).await.map_err(io)?;
        }
        // Written aside then renamed: a reader never sees half a file.
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, &bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, &path).await.map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        }
    }

    fn kind(&self) -> &'static str {
        "disk"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_in_their_folder() {
        assert_eq!(key(258, "file", "jpg"), "02/258-file.jpg");
        assert!(is_valid_key(&key(-5, "preview", "png")));
        for bad in
            ["../etc/passwd", "02/../../x", "/etc/passwd", "02/.hidden", "zz/1-file.jpg", "02/a/b", "02/"]
        {
            assert!(!is_valid_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn disk_store_puts_gets_and_deletes() {
        let dir = std::env::temp_dir().join(format!("maillage-media-test-{}", std::process::id()));
        let store = DiskStore::new(&dir);
        let k = key(7, "file", "jpg");
        assert_eq!(store.get(&k).await.unwrap(), None);
        store.put(&k, Bytes::from_static(b"abc"), "image/jpeg").await.unwrap();
        assert_eq!(store.get(&k).await.unwrap().as_deref(), Some(&b"abc"[..]));
        store.delete(&k).await.unwrap();
        store.delete(&k).await.unwrap();
        assert_eq!(store.get(&k).await.unwrap(), None);
        assert!(store.put("../x", Bytes::new(), "image/png").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
