use super::*;

fn draft() -> ListingDraft {
    ListingDraft {
        kind: "offer".into(),
        category: "goods".into(),
        title: "Bétonnière à prêter".into(),
        description: "Une **bétonnière** électrique, 140 L.".into(),
        tags: vec!["Chantier".into(), "#outils".into(), "chantier".into()],
        place: Some(PlaceDraft {
            name: "Saint-Affrique".into(),
            address: None,
            latitude: Some(43.95),
            longitude: Some(2.88),
        }),
        radius_km: Some(15.0),
        terms: TermsDraft { mode: "loan".into(), ..Default::default() },
        ..Default::default()
    }
}

fn fields(result: Result<validate::CheckedListing, Vec<FieldError>>) -> Vec<String> {
    result.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
}

#[test]
fn a_good_listing_passes_with_normalised_tags() {
    let checked = validate_draft(&draft());
    let checked = checked.as_ref().ok();
    assert_eq!(checked.map(|c| c.kind), Some(ListingKind::Offer));
    assert_eq!(checked.map(|c| c.tags.clone()), Some(vec!["chantier".to_owned(), "outils".to_owned()]));
    assert_eq!(checked.map(|c| c.visibility), Some(ListingVisibility::Public));
}

/// A change that breaks one field of a good draft.
type Change = Box<dyn Fn(&mut ListingDraft)>;

#[test]
fn each_bad_field_is_named() {
    let cases: Vec<(&str, Change)> = vec![
        ("kind", Box::new(|d| d.kind = "swap".into())),
        ("category", Box::new(|d| d.category = "jewels".into())),
        ("title", Box::new(|d| d.title = "  ".into())),
        ("title", Box::new(|d| d.title = "x".repeat(121))),
        ("description", Box::new(|d| d.description = "x".repeat(5001))),
        ("tags", Box::new(|d| d.tags = vec!["two words".into()])),
        ("place.lat", Box::new(|d| d.place.as_mut().into_iter().for_each(|p| p.latitude = Some(123.0)))),
        ("place.lon", Box::new(|d| d.place.as_mut().into_iter().for_each(|p| p.longitude = Some(-200.0)))),
        ("place", Box::new(|d| d.place.as_mut().into_iter().for_each(|p| p.longitude = None))),
        ("radius_km", Box::new(|d| d.radius_km = Some(-1.0))),
        (
            "available_until",
            Box::new(|d| {
                d.available_from = Some(Timestamp::from_micros(2_000));
                d.available_until = Some(Timestamp::from_micros(1_000));
            }),
        ),
        (
            "quantity.amount",
            Box::new(|d| d.quantity = Some(QuantityDraft { amount: 0.0, unit: "kg".into() })),
        ),
        (
            "quantity.unit",
            Box::new(|d| d.quantity = Some(QuantityDraft { amount: 2.0, unit: String::new() })),
        ),
        ("terms.mode", Box::new(|d| d.terms.mode = "free".into())),
        ("terms.hours", Box::new(|d| d.terms.mode = "time_credit".into())),
        (
            "terms.amount",
            Box::new(|d| {
                d.terms = TermsDraft {
                    mode: "price".into(),
                    amount: Some("1e3".into()),
                    currency: Some("EUR".into()),
                    hours: None,
                };
            }),
        ),
        (
            "terms.currency",
            Box::new(|d| {
                d.terms = TermsDraft {
                    mode: "price".into(),
                    amount: Some("12.50".into()),
                    currency: Some("euro".into()),
                    hours: None,
                };
            }),
        ),
        ("direction", Box::new(|d| d.direction = Some("teach".into()))),
        ("visibility", Box::new(|d| d.visibility = Some("secret".into()))),
    ];
    for (field, change) in cases {
        let mut d = draft();
        change(&mut d);
        assert_eq!(fields(validate_draft(&d)), [field], "changing {field}");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut d = draft();
    d.kind = "?".into();
    d.title = String::new();
    d.radius_km = Some(9999.0);
    assert_eq!(fields(validate_draft(&d)), ["kind", "title", "radius_km"]);
}

#[test]
fn knowledge_listings_have_a_direction_and_prices_exact_digits() {
    let mut d = draft();
    d.category = "skills_knowledge".into();
    d.direction = Some("learn".into());
    d.terms = TermsDraft {
        mode: "price".into(),
        amount: Some("12.50".into()),
        currency: Some("EUR".into()),
        hours: None,
    };
    let checked = validate_draft(&d);
    assert_eq!(checked.ok().and_then(|c| c.direction), Some(Direction::Learn));
}

#[test]
fn statuses_follow_the_lifecycle() {
    use ListingStatus::*;
    assert!(Open.can_move_to(InProgress));
    assert!(InProgress.can_move_to(Fulfilled));
    assert!(InProgress.can_move_to(Open));
    assert!(!Fulfilled.can_move_to(Open));
    assert!(!Expired.can_move_to(InProgress));
    assert!(!Open.can_move_to(Open));
    assert!(Open.is_active() && !Withdrawn.is_active());
}

#[test]
fn listings_expire_at_their_end_or_after_ninety_days() {
    let published = Timestamp::from_micros(0);
    assert_eq!(expiry(published, Some(Timestamp::from_micros(5))), Timestamp::from_micros(5));
    assert_eq!(expiry(published, None).as_micros(), 90 * 86_400 * 1_000_000);
}

#[test]
fn enums_round_trip() {
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>().ok(), Some(*c));
    }
    assert!(Category::expected().contains("spaces_machines"));
}
