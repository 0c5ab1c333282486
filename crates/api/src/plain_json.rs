//! The small answers shared by several endpoints, typed like the others so
//! that the OpenAPI document says what they hold.

use serde::Serialize;
use utoipa::ToSchema;

/// `{}`: done, nothing more to say (as Mastodon answers an unfollow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
#[schema(as = Empty)]
pub struct EmptyJson {}

/// How many rows an import added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Imported)]
pub struct ImportedJson {
    pub imported: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_keep_their_wire_shape() {
        assert_eq!(serde_json::to_string(&EmptyJson {}).unwrap(), "{}");
        assert_eq!(serde_json::to_string(&ImportedJson { imported: 3 }).unwrap(), r#"{"imported":3}"#);
    }
}
