//! Posts (statuses): who sees them.

use crate::listing::ListingVisibility;
use crate::text_enum::text_enum;

text_enum! {
    /// Who sees a post. Mastodon's client API calls `Followers` "private".
    PostVisibility { Public => "public", Unlisted => "unlisted", Followers => "followers", Direct => "direct" }
}

impl PostVisibility {
    /// Whether anyone may see it (listed on public timelines or not).
    pub fn is_public(self) -> bool {
        matches!(self, PostVisibility::Public | PostVisibility::Unlisted)
    }

    /// The visibility of a listing's status view: a territory listing reads
    /// as followers-only, a private one as direct.
    pub fn of_listing(visibility: ListingVisibility) -> PostVisibility {
        match visibility {
            ListingVisibility::Public => PostVisibility::Public,
            ListingVisibility::Territory | ListingVisibility::Followers => PostVisibility::Followers,
            ListingVisibility::Private => PostVisibility::Direct,
        }
    }

    /// The name Mastodon's client API uses.
    pub fn mastodon_name(self) -> &'static str {
        match self {
            PostVisibility::Followers => "private",
            other => other.as_str(),
        }
    }

    /// Reads Mastodon's client API name (`private` for followers-only).
    pub fn from_mastodon_name(name: &str) -> Result<PostVisibility, crate::Error> {
        if name == "private" {
            Ok(PostVisibility::Followers)
        } else {
            name.parse()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_names_round_trip() {
        for v in PostVisibility::ALL {
            assert_eq!(PostVisibility::from_mastodon_name(v.mastodon_name()).unwrap(), *v);
        }
        assert_eq!(PostVisibility::Followers.mastodon_name(), "private");
        assert!(PostVisibility::from_mastodon_name("territory").is_err());
    }

    #[test]
    fn listing_views_never_widen_the_audience() {
        assert_eq!(PostVisibility::of_listing(ListingVisibility::Public), PostVisibility::Public);
        assert_eq!(PostVisibility::of_listing(ListingVisibility::Territory), PostVisibility::Followers);
        assert_eq!(PostVisibility::of_listing(ListingVisibility::Private), PostVisibility::Direct);
        for v in ListingVisibility::ALL {
            assert_eq!(PostVisibility::of_listing(*v).is_public(), *v == ListingVisibility::Public);
        }
    }
}
