//! Rows hold core's enums: they are written as their snake_case names, read
//! back as the same variant, usable in filters, and a value that is not a
//! variant fails the read with the enum's name instead of passing as
//! a string nobody checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use diesel::RunQueryDsl;
use maillage_core::id::Id;
use maillage_core::listing::{Category, Direction, ListingKind, ListingStatus, ListingVisibility, TermsMode};
use maillage_core::time::Timestamp;
use maillage_db::listings::{self, ListingFilter, ListingRow};
use maillage_db::{actors, posts};
use maillage_test_support::TestDb;

fn listing(id: i64, author: i64) -> ListingRow {
    ListingRow {
        id,
        ap_id: format!("https://maillage.test/objects/{id}"),
        author_id: author,
        group_id: None,
        kind: ListingKind::Need,
        category: Category::SkillsKnowledge,
        direction: Some(Direction::Learn),
        title: "Apprendre à greffer".into(),
        description_source: None,
        description_html: String::new(),
        tags: " greffe ".into(),
        place_name: "Millau".into(),
        place_address: None,
        latitude: 44.1,
        longitude: 3.08,
        radius_km: 10.0,
        available_from: None,
        available_until: None,
        quantity_amount: None,
        quantity_unit: None,
        terms_mode: TermsMode::TimeCredit,
        terms_hours: Some(2.0),
        terms_amount: None,
        terms_currency: None,
        visibility: ListingVisibility::Territory,
        status: ListingStatus::InProgress,
        local: true,
        url: None,
        published_at: Timestamp::now().as_micros(),
        updated_at: None,
        expires_at: Timestamp::now().as_micros() + 1_000_000,
        deleted_at: None,
    }
}

#[test]
fn listing_enums_round_trip_filter_and_refuse_stray_values() {
    let db = TestDb::new();
    let mut conn = db.pool().get().unwrap();
    let author = Id::generate();
    let mut person =
        maillage_test_support::actor_row("https://maillage.test/users/lea", "lea", "maillage.test", "", true);
    person.id = author.as_i64();
    actors::insert(&mut conn, &person).unwrap();
    let row = listing(Id::generate().as_i64(), author.as_i64());
    assert!(listings::insert_or_ignore(&mut conn, &row).unwrap());

    let back = listings::find_by_id(&mut conn, row.id()).unwrap().unwrap();
    assert_eq!(back, row, "every enum column reads back as the variant written");

    let raw: Vec<Names> = diesel::sql_query(format!(
        "SELECT kind, category, direction, terms_mode, visibility, status FROM listings WHERE id = {}",
        row.id
    ))
    .load(&mut *conn)
    .unwrap();
    assert_eq!(
        raw[0],
        Names {
            kind: "need".into(),
            category: "skills_knowledge".into(),
            direction: Some("learn".into()),
            terms_mode: "time_credit".into(),
            visibility: "territory".into(),
            status: "in_progress".into(),
        },
        "stored as the names the API and the wire use"
    );

    let filter = |statuses: Vec<ListingStatus>| ListingFilter {
        kind: Some(ListingKind::Need),
        category: Some(Category::SkillsKnowledge),
        statuses,
        visibilities: vec![ListingVisibility::Territory],
        limit: 10,
        ..ListingFilter::default()
    };
    assert_eq!(listings::search(&mut conn, &filter(vec![ListingStatus::InProgress])).unwrap().len(), 1);
    assert!(listings::search(&mut conn, &filter(vec![ListingStatus::Open])).unwrap().is_empty());
    assert!(listings::set_status(
        &mut conn,
        row.id(),
        ListingStatus::InProgress,
        ListingStatus::Fulfilled,
        Timestamp::now()
    )
    .unwrap());
    assert!(
        !listings::set_status(
            &mut conn,
            row.id(),
            ListingStatus::InProgress,
            ListingStatus::Open,
            Timestamp::now()
        )
        .unwrap(),
        "moves only from the status it is in"
    );

    let view = posts::find_by_id(&mut conn, row.id()).unwrap().expect("the listing's status view");
    assert_eq!(
        view.visibility.as_str(),
        "followers",
        "a territory listing's view stays off public timelines"
    );

    // The columns' CHECK constraints keep stray values out; one read from
    // elsewhere (a hand edit, a future column without the check) is refused
    // by name rather than carried along.
    let mut read = |text: &str| {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(&format!("'{text}'")))
            .get_result::<ListingStatus>(&mut *conn)
    };
    assert_eq!(read("expired").unwrap(), ListingStatus::Expired);
    let err = read("lost").unwrap_err();
    let err = format!("{err:?}");
    assert!(err.contains("ListingStatus") && err.contains("lost") && err.contains("in_progress"), "{err}");
}

#[derive(Debug, PartialEq, diesel::QueryableByName)]
struct Names {
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    category: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    direction: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    terms_mode: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    visibility: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
}
