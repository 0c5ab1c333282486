//! S3-compatible object storage (AWS, Garage, MinIO, Scaleway, OVH…)
//! through `object_store`, path-style so that any endpoint works.

use async_trait::async_trait;
use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};

use super::{is_valid_key, MediaStore, StoreError};

/// Where the bucket is and how to sign for it.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// `https://s3.fr-par.scw.cloud`, or `http://127.0.0.1:9000` for a
    /// local server.
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

pub struct S3Store {
    bucket: AmazonS3,
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> Result<S3Store, StoreError> {
        let bucket = AmazonS3Builder::new()
            .with_endpoint(&settings.endpoint)
            .with_region(&settings.region)
            .with_bucket_name(&settings.bucket)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_allow_http(settings.endpoint.starts_with("http://"))
            .with_virtual_hosted_style_request(false)
            .build()
            .map_err(|e| StoreError(e.to_string()))?;
        Ok(S3Store { bucket })
    }
}

fn path(key: &str) -> Result<Path, StoreError> {
    if !is_valid_key(key) {
        return Err(StoreError(format!("refused key {key:?}")));
    }
    Path::parse(key).map_err(|e| StoreError(e.to_string()))
}

fn failed(e: object_store::Error) -> StoreError {
    StoreError(e.to_string())
}

#[async_trait]
impl MediaStore for S3Store {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<(), StoreError> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type.to_owned().into());
        attributes.insert(Attribute::CacheControl, "public, max-age=31536000, immutable".to_owned().into());
        let options = PutOptions { attributes, ..PutOptions::default() };
        self.bucket
            .put_opts(&path(key)?, PutPayload::from_bytes(bytes), options)
            .await
            .map(drop)
            .map_err(failed)
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, StoreError> {
        match self.bucket.get(&path(key)?).await {
            Ok(found) => found.bytes().await.map(Some).map_err(failed),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.bucket.delete(&path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }

    fn kind(&self) -> &'static str {
        "s3"
    }
}
