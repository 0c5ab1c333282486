use super::*;
use crate::time::Timestamp;

fn block(domain: &str, severity: Severity) -> DomainBlock {
    DomainBlock {
        pattern: DomainPattern::parse(domain).unwrap(),
        severity,
        reject_media: false,
        reject_reports: false,
        private_comment: String::new(),
        public_comment: String::new(),
        obfuscate: false,
    }
}

fn allow(domain: &str) -> DomainPattern {
    DomainPattern::parse(domain).unwrap()
}

#[test]
fn domains_are_normalised_and_bad_ones_refused() {
    assert_eq!(DomainPattern::parse(" Example.ORG. ").unwrap().as_str(), "example.org");
    assert_eq!(DomainPattern::parse("https://bad.example/@x").unwrap().as_str(), "bad.example");
    assert_eq!(DomainPattern::parse("*.Spam.example").unwrap().as_str(), "*.spam.example");
    assert_eq!(DomainPattern::parse("localhost:8081").unwrap().as_str(), "localhost:8081");
    assert_eq!(DomainPattern::parse("café.example").unwrap().as_str(), "xn--caf-dma.example");
    for bad in ["", "a b.example", "-x.example", "1.2.3.4", "x.example:port", "*.x.example:80"] {
        assert!(DomainPattern::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_block_covers_subdomains_and_a_wildcard_only_them() {
    let p = FederationPolicy::new(
        FederationMode::Blocklist,
        vec![block("bad.example", Severity::Suspend), block("*.spam.example", Severity::Suspend)],
        vec![],
        ContentFilters::default(),
    );
    assert!(!p.federates_with("bad.example"));
    assert!(!p.federates_with("www.bad.example"));
    assert!(!p.federates_with("bad.example:8443"));
    assert!(p.federates_with("notbad.example"));
    assert!(!p.federates_with("a.spam.example"));
    assert!(p.federates_with("spam.example"));
    assert!(p.federates_with("good.example"));
}

#[test]
fn a_port_pattern_names_one_host_and_port() {
    let p = FederationPolicy::new(
        FederationMode::Blocklist,
        vec![block("localhost:8081", Severity::Suspend)],
        vec![],
        ContentFilters::default(),
    );
    assert!(!p.federates_with("localhost:8081"));
    assert!(p.federates_with("localhost:8082"));
}

#[test]
fn gotosocial_precedence() {
    let blocks = vec![block("example.org", Severity::Suspend)];
    let allows = vec![allow("example.org"), allow("friend.example")];
    let blocklist = FederationPolicy::new(
        FederationMode::Blocklist,
        blocks.clone(),
        allows.clone(),
        ContentFilters::default(),
    );
    // In blocklist mode an explicit allow overrides a block.
    assert!(blocklist.federates_with("example.org"));
    assert!(blocklist.federates_with("stranger.example"));
    let allowlist =
        FederationPolicy::new(FederationMode::Allowlist, blocks, allows, ContentFilters::default());
    // In allowlist mode a block wins, and the unlisted are refused.
    assert!(!allowlist.federates_with("example.org"));
    assert!(allowlist.federates_with("friend.example"));
    assert!(!allowlist.federates_with("stranger.example"));
    let open = FederationPolicy::new(
        FederationMode::Open,
        vec![block("x.example", Severity::Suspend)],
        vec![],
        ContentFilters::default(),
    );
    assert!(open.federates_with("x.example"));
}

#[test]
fn graded_actions() {
    let mut limited = block("quiet.example", Severity::Limit);
    limited.reject_reports = true;
    let mut media = block("media.example", Severity::Noop);
    media.reject_media = true;
    let p = FederationPolicy::new(
        FederationMode::Blocklist,
        vec![limited, media],
        vec![],
        ContentFilters::default(),
    );
    let rule = p.rule_for("quiet.example");
    assert!(!rule.refused && rule.limited && rule.reject_reports && !rule.reject_media);
    let rule = p.rule_for("media.example");
    assert!(!rule.refused && !rule.limited && rule.reject_media);
    assert_eq!(p.rule_for("other.example"), DomainRule::default());
    assert_eq!("silence".parse::<Severity>().unwrap(), Severity::Limit);
    assert_eq!(Severity::Limit.as_mastodon(), "silence");
}

#[test]
fn lookups_do_not_depend_on_the_number_of_blocks() {
    let blocks = (0..10_000).map(|i| block(&format!("blocked{i}.example"), Severity::Suspend)).collect();
    let p = FederationPolicy::new(FederationMode::Blocklist, blocks, vec![], ContentFilters::default());
    assert_eq!(p.block_count(), 10_000);
    assert!(!p.federates_with("blocked9999.example"));
    assert!(p.federates_with("fine.example"));
}

fn filter(kind: FilterKind, value: &str, action: FilterAction) -> ContentFilter {
    ContentFilter { id: 1, kind, value: value.into(), domain: None, action }
}

#[test]
fn keyword_and_hashtag_filters() {
    let filters = ContentFilters::new(
        &[
            filter(FilterKind::Keyword, "Crypto monnaie", FilterAction::Reject),
            filter(FilterKind::Keyword, "casino", FilterAction::Flag),
            filter(FilterKind::Hashtag, "#Vente", FilterAction::Reject),
        ],
        (44.0, 3.0),
    );
    let now = Timestamp::now();
    let view = |text: &'static str, tags: &'static [String]| ObjectView {
        host: "x.example",
        kind: "Note",
        text,
        hashtags: tags,
        ..ObjectView::default()
    };
    assert!(matches!(
        filters.check(&view("Investissez en CRYPTO-MONNAIE !", &[]), now),
        ContentVerdict::Reject(_)
    ));
    // Whole words only: "cryptographie" is not "crypto".
    assert_eq!(filters.check(&view("La cryptographie monnaie", &[]), now), ContentVerdict::Accept);
    assert!(matches!(filters.check(&view("Soirée casino", &[]), now), ContentVerdict::Flag(_)));
    let tags: &'static [String] = Box::leak(Box::new(["vente".to_owned()]));
    assert!(matches!(filters.check(&view("rien", tags), now), ContentVerdict::Reject(_)));
}

#[test]
fn distance_age_and_type_filters() {
    let mut types = filter(FilterKind::ObjectTypes, "Note, Event", FilterAction::Reject);
    types.domain = Some(DomainPattern::parse("video.example").unwrap());
    let filters = ContentFilters::new(
        &[
            filter(FilterKind::MaxDistanceKm, "50", FilterAction::Reject),
            filter(FilterKind::MaxAgeDays, "30", FilterAction::Reject),
            types,
        ],
        (44.0981, 3.0777),
    );
    let now = Timestamp::now();
    let near = ObjectView {
        host: "a.example",
        kind: "Note",
        place: Some((43.9585, 2.8869)),
        is_listing: true,
        ..Default::default()
    };
    assert_eq!(filters.check(&near, now), ContentVerdict::Accept);
    let far = ObjectView { place: Some((48.85, 2.35)), ..near.clone() };
    assert!(matches!(filters.check(&far, now), ContentVerdict::Reject(_)));
    let old = ObjectView {
        published: Some(Timestamp::from_micros(now.as_micros() - 40 * 86_400_000_000)),
        ..near.clone()
    };
    assert!(matches!(filters.check(&old, now), ContentVerdict::Reject(_)));
    let video = ObjectView { host: "video.example", kind: "Video", ..Default::default() };
    assert!(matches!(filters.check(&video, now), ContentVerdict::Reject(_)));
    let note = ObjectView { host: "video.example", kind: "Note", ..Default::default() };
    assert_eq!(filters.check(&note, now), ContentVerdict::Accept);
}

#[test]
fn invalid_filters_are_refused() {
    assert!(filter(FilterKind::Keyword, " !! ", FilterAction::Reject).validate().is_err());
    assert!(filter(FilterKind::MaxDistanceKm, "-3", FilterAction::Reject).validate().is_err());
    assert!(filter(FilterKind::ObjectTypes, "Note", FilterAction::Reject).validate().is_err());
    assert!(filter(FilterKind::Hashtag, "#two words", FilterAction::Reject).validate().is_err());
    assert!(filter(FilterKind::Keyword, "vélo", FilterAction::Flag).validate().is_ok());
}

#[test]
fn obfuscation_stars_the_middle_and_keeps_dots() {
    assert_eq!(obfuscated("bad.example.org", true), "bad.*******.org");
    assert_eq!(obfuscated("bad.example.org", false), "bad.example.org");
    assert_eq!(obfuscated("ab", true), "a*");
}

#[test]
fn limited_and_refused_domains_stay_out_of_public_views() {
    let blocklist = FederationPolicy::new(
        FederationMode::Blocklist,
        vec![block("quiet.example", Severity::Limit), block("noted.example", Severity::Noop)],
        vec![],
        ContentFilters::default(),
    );
    assert!(blocklist.hides_anything());
    assert!(blocklist.keeps_out_of_public("a.quiet.example"));
    assert!(!blocklist.keeps_out_of_public("noted.example"));
    assert!(!blocklist.keeps_out_of_public("other.example"));
    let noop_only = FederationPolicy::new(
        FederationMode::Blocklist,
        vec![block("noted.example", Severity::Noop)],
        vec![],
        ContentFilters::default(),
    );
    assert!(!noop_only.hides_anything());
    let allowlist = FederationPolicy::new(
        FederationMode::Allowlist,
        vec![],
        vec![allow("friend.example")],
        ContentFilters::default(),
    );
    assert!(allowlist.keeps_out_of_public("stranger.example"));
    assert!(!allowlist.keeps_out_of_public("friend.example"));
}

#[test]
fn the_local_domain_is_never_refused() {
    let p = FederationPolicy::new(FederationMode::Allowlist, vec![], vec![], ContentFilters::default())
        .with_local_domain("localhost:8080");
    assert!(p.federates_with("localhost:8080"));
    assert!(!p.federates_with("localhost:8081"));
}
