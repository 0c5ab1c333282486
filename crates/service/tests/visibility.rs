//! Who may see what: each object kind's one visibility rule, checked once
//! for every (visibility × visitor), and the reads built on it (by id,
//! searches, timelines) checked to agree with it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use maillage_core::account::{Role, User};
use maillage_core::config::Config;
use maillage_core::id::Id;
use maillage_core::listing::{ListingDraft, ListingOrder, TermsDraft};
use maillage_core::policy::FederationPolicy;
use maillage_core::time::Timestamp;
use maillage_core::urls::LocalUrls;
use maillage_db::actors::ActorRow;
use maillage_db::follows::FollowRow;
use maillage_db::groups::MembershipRow;
use maillage_db::posts::{Page, Timeline};
use maillage_db::sessions::SessionRow;
use maillage_db::DbConnection;
use maillage_service::accounts::{self, NewAccount};
use maillage_service::federation::NoFederation;
use maillage_service::listings::{self, ListingQuery};
use maillage_service::posts::{self, NewPost};
use maillage_service::{groups, sessions};
use maillage_test_support::{actor_row, TestDb};

/// The visitors, in the order of each table's columns.
const VISITORS: [&str; 8] = [
    "anonymous",
    "author",
    "resident",
    "mentioned",
    "local follower",
    "remote follower",
    "remote stranger",
    "linked territory",
];

struct Cast {
    author: User,
    /// Everyone but the anonymous visitor, by [`VISITORS`]' names.
    actors: Vec<(&'static str, ActorRow)>,
}

impl Cast {
    fn viewer(&self, name: &str) -> Option<&ActorRow> {
        self.actors.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

fn local(conn: &mut DbConnection, urls: &LocalUrls, name: &str) -> (User, ActorRow) {
    let email = format!("{name}@example.org");
    let new =
        NewAccount { username: name, email: &email, password: Some("a good password"), ..Default::default() };
    let user = accounts::create_by_admin(conn, urls, &new, Role::Member).unwrap().user;
    let actor = maillage_service::actors::actor_of_user(conn, user.id).unwrap();
    (user, actor)
}

fn remote(conn: &mut DbConnection, name: &str) -> ActorRow {
    let row =
        actor_row(&format!("https://elsewhere.example/users/{name}"), name, "elsewhere.example", "", false);
    maillage_db::actors::insert(conn, &row).unwrap();
    row
}

/// Someone from a territory linked with ours: its territory actor is the
/// partner of an active link.
fn linked(conn: &mut DbConnection) -> ActorRow {
    let territory =
        actor_row("https://linked.example/users/territoire", "territoire", "linked.example", "", false);
    maillage_db::actors::insert(conn, &territory).unwrap();
    let now = Timestamp::now().as_micros();
    let link = maillage_db::links::LinkRow {
        id: Id::generate().as_i64(),
        partner_id: territory.id,
        level: "full".into(),
        state: maillage_db::links::ACTIVE.into(),
        initiated_here: true,
        created_at: now,
        updated_at: now,
        ended_at: None,
    };
    maillage_db::links::insert(conn, &link).unwrap();
    let person = actor_row("https://linked.example/users/voisine", "voisine", "linked.example", "", false);
    maillage_db::actors::insert(conn, &person).unwrap();
    person
}

fn follows(conn: &mut DbConnection, follower: &ActorRow, followed: &ActorRow) {
    let now = Timestamp::now().as_micros();
    let row = FollowRow {
        id: Id::generate().as_i64(),
        ap_id: format!("{}#follows-{}", follower.ap_id, followed.id),
        follower_id: follower.id,
        followed_id: followed.id,
        state: "accepted".into(),
        created_at: now,
        updated_at: now,
    };
    maillage_db::follows::insert(conn, &row).unwrap();
}

fn cast(conn: &mut DbConnection, urls: &LocalUrls) -> Cast {
    let (author, author_actor) = local(conn, urls, "author");
    let (_, resident) = local(conn, urls, "resident");
    let (_, mentioned) = local(conn, urls, "mentioned");
    let (_, local_follower) = local(conn, urls, "follower");
    let remote_follower = remote(conn, "fan");
    let stranger = remote(conn, "stranger");
    let neighbour = linked(conn);
    follows(conn, &local_follower, &author_actor);
    follows(conn, &remote_follower, &author_actor);
    Cast {
        author,
        actors: vec![
            ("author", author_actor),
            ("resident", resident),
            ("mentioned", mentioned),
            ("local follower", local_follower),
            ("remote follower", remote_follower),
            ("remote stranger", stranger),
            ("linked territory", neighbour),
        ],
    }
}

fn listing_draft(visibility: &str) -> ListingDraft {
    ListingDraft {
        kind: "offer".into(),
        category: "goods".into(),
        title: format!("Une perceuse ({visibility})"),
        terms: TermsDraft { mode: "loan".into(), ..Default::default() },
        visibility: Some(visibility.into()),
        ..Default::default()
    }
}

/// Marks for a row of expectations: who sees it, in [`VISITORS`]' order.
fn sees(marks: &str) -> Vec<bool> {
    let seen: Vec<bool> = marks.split_whitespace().map(|m| m == "x").collect();
    assert_eq!(seen.len(), VISITORS.len(), "one mark per visitor in {marks:?}");
    seen
}

#[test]
fn a_listing_is_seen_by_its_audience_only() {
    let db = TestDb::new();
    let pool = db.pool();
    let conn = &mut pool.get().unwrap();
    let config = Config::default();
    let urls = config.local_urls();
    let cast = cast(conn, &urls);
    let create = |conn: &mut DbConnection, visibility: &str| {
        listings::create(
            conn,
            &NoFederation,
            &urls,
            &config.territory,
            &cast.author,
            &listing_draft(visibility),
        )
        .unwrap()
    };
    let deleted = create(conn, "public");
    listings::delete(conn, &NoFederation, &cast.author, deleted.id()).unwrap();
    //                      anon author resident mentioned l.follower r.follower stranger linked
    let table = [
        (create(conn, "public"), "x x x x x x x x"),
        (create(conn, "territory"), "- x x x x - - x"),
        (create(conn, "followers"), "- x - - x x - -"),
        (create(conn, "private"), "- x - - - - - -"),
        (maillage_db::listings::find_by_id(conn, deleted.id()).unwrap().unwrap(), "- - - - - - - -"),
    ];
    let policy = FederationPolicy::default();
    for (row, marks) in &table {
        for (visitor, expected) in VISITORS.iter().zip(sees(marks)) {
            let viewer = cast.viewer(visitor);
            let seen = listings::can_see(conn, row, viewer).unwrap();
            assert_eq!(seen, expected, "{} listing, {visitor}", row.visibility);
            let by_id = listings::get_visible(conn, row.id(), viewer).is_ok();
            assert_eq!(by_id, expected, "{} listing by id, {visitor}", row.visibility);
            let query = ListingQuery { limit: 40, ..ListingQuery::default() };
            let found = listings::search(conn, &policy, viewer, &query).unwrap();
            let found = found.iter().any(|l| l.id == row.id);
            assert_eq!(found, expected, "{} listing in a search by {visitor}", row.visibility);
            for order in ListingOrder::ALL {
                let query = ListingQuery { order: *order, limit: 40, ..ListingQuery::default() };
                let page = listings::search_paged(conn, &policy, viewer, &query, 1).unwrap();
                let found = page.listings.iter().any(|l| l.id == row.id);
                assert_eq!(found, expected, "{} listing in a page ({order}) by {visitor}", row.visibility);
            }
            // At its object URL, to the server that signs for `viewer`:
            // deleted ones answer with a Tombstone.
            let served = listings::local_object(conn, row.id(), viewer).is_ok_and(|r| r.is_some());
            assert_eq!(
                served,
                expected || row.is_deleted(),
                "{} listing fetched by {visitor}",
                row.visibility
            );
        }
    }
    // The author's open listings, counted on a listing's page: what each
    // visitor would find.
    let author = cast.viewer("author");
    for (i, visitor) in VISITORS.iter().enumerate() {
        let seen = table.iter().filter(|(_, marks)| sees(marks)[i]).count() as i64;
        let counted = listings::count_open_of(conn, author.unwrap(), cast.viewer(visitor)).unwrap();
        assert_eq!(counted, seen, "open listings of the author counted for {visitor}");
    }
    // The author finds every one of their listings in their own search.
    let query = ListingQuery { author: author.map(|a| a.id), limit: 40, ..ListingQuery::default() };
    assert_eq!(listings::search(conn, &policy, author, &query).unwrap().len(), 4);
}

#[test]
fn a_post_is_seen_by_its_audience_only() {
    let db = TestDb::new();
    let pool = db.pool();
    let conn = &mut pool.get().unwrap();
    let config = Config::default();
    let urls = config.local_urls();
    let cast = cast(conn, &urls);
    let write = |conn: &mut DbConnection, visibility: &str| {
        let new = NewPost {
            text: format!("Bonjour @mentioned ({visibility})"),
            visibility: Some(visibility.into()),
            ..Default::default()
        };
        posts::create(conn, &NoFederation, &urls, &cast.author, &new).unwrap()
    };
    let deleted = write(conn, "public");
    posts::delete(conn, &NoFederation, &cast.author, deleted.id()).unwrap();
    //                      anon author resident mentioned l.follower r.follower stranger linked
    let table = [
        (write(conn, "public"), "x x x x x x x x"),
        (write(conn, "unlisted"), "x x x x x x x x"),
        (write(conn, "followers"), "- x - x x x - -"),
        (write(conn, "direct"), "- x - x - - - -"),
        (maillage_db::posts::find_by_id(conn, deleted.id()).unwrap().unwrap(), "- - - - - - - -"),
    ];
    for (row, marks) in &table {
        for (visitor, expected) in VISITORS.iter().zip(sees(marks)) {
            let viewer = cast.viewer(visitor);
            let seen = posts::can_see(conn, row, viewer).unwrap();
            assert_eq!(seen, expected, "{} post, {visitor}", row.visibility);
            let by_id = posts::get_visible(conn, row.id(), viewer).is_ok();
            assert_eq!(by_id, expected, "{} post by id, {visitor}", row.visibility);
            let served = posts::local_object(conn, row.id(), viewer).unwrap().is_some();
            assert_eq!(served, expected || row.is_deleted(), "{} post fetched by {visitor}", row.visibility);
            let author = Id::from_i64(row.author_id);
            let page = Page { limit: 40, ..Page::default() };
            let shown = posts::timeline(conn, viewer, Timeline::Author { author }, page).unwrap();
            let listed = shown.iter().any(|p| p.id == row.id);
            assert_eq!(
                listed, expected,
                "{} post on its author's timeline, seen by {visitor}",
                row.visibility
            );
        }
    }
}

fn session(deleted: bool) -> SessionRow {
    SessionRow {
        id: Id::generate().as_i64(),
        ap_id: "https://maillage.example/objects/1".into(),
        organizer_id: 1,
        group_id: None,
        title: "Atelier vélo".into(),
        description_html: String::new(),
        starts_at: Timestamp::now().as_micros(),
        ends_at: None,
        timezone: None,
        place_name: String::new(),
        place_address: None,
        latitude: None,
        longitude: None,
        capacity: Some(5),
        join_mode: "free".into(),
        local: true,
        url: None,
        published_at: 0,
        updated_at: None,
        deleted_at: deleted.then_some(1),
    }
}

/// Visitors of a session or a group, without a database.
fn people() -> Vec<(&'static str, Option<ActorRow>)> {
    let person = |name: &str, local: bool| {
        let domain = if local { "maillage.example" } else { "elsewhere.example" };
        Some(actor_row(&format!("https://{domain}/users/{name}"), name, domain, "", local))
    };
    vec![
        ("anonymous", None),
        ("organizer or member", person("org", true)),
        ("resident", person("res", true)),
        ("remote person", person("far", false)),
    ]
}

#[test]
fn a_session_is_public_until_deleted() {
    //                 anon organizer resident remote
    let table = [(session(false), "x x x x"), (session(true), "- - - -")];
    for (row, marks) in &table {
        let expected: Vec<bool> = marks.split_whitespace().map(|m| m == "x").collect();
        for ((visitor, viewer), expected) in people().iter().zip(expected) {
            assert_eq!(
                sessions::can_see(row, viewer.as_ref()),
                expected,
                "session deleted={}, {visitor}",
                row.deleted_at.is_some()
            );
        }
    }
}

fn membership(state: &str, role: &str) -> MembershipRow {
    MembershipRow {
        id: Id::generate().as_i64(),
        group_id: 1,
        member_id: 2,
        role: role.into(),
        state: state.into(),
        ap_id: None,
        created_at: 0,
        updated_at: 0,
    }
}

#[test]
fn a_pending_membership_is_seen_by_the_group_managers_only() {
    // Visitors by their own membership of the group.
    let visitors: [(&str, Option<MembershipRow>); 5] = [
        ("anonymous or not a member", None),
        ("pending", Some(membership("pending", "member"))),
        ("member", Some(membership("accepted", "member"))),
        ("moderator", Some(membership("accepted", "moderator"))),
        ("admin", Some(membership("accepted", "admin"))),
    ];
    //                                    none pending member moderator admin
    let table =
        [(membership("accepted", "member"), "x x x x x"), (membership("pending", "member"), "- - - x x")];
    for (row, marks) in &table {
        let expected: Vec<bool> = marks.split_whitespace().map(|m| m == "x").collect();
        assert_eq!(expected.len(), visitors.len());
        for ((visitor, theirs), expected) in visitors.iter().zip(expected) {
            assert_eq!(
                groups::can_see_membership(row, theirs.as_ref()),
                expected,
                "{} membership, {visitor}",
                row.state
            );
        }
    }
    // A group itself is public.
    for (visitor, viewer) in people() {
        let mut group =
            actor_row("https://maillage.example/users/jardin", "jardin", "maillage.example", "", true);
        group.kind = "Group".into();
        assert!(groups::can_see(&group, viewer.as_ref()), "group, {visitor}");
    }
}
