//! A group's page (`/@{group}`: what it is, members, needs and offers,
//! upcoming sessions; pending members for its admins), joining and
//! leaving, deciding on members, the mediators' queue
//! (`/@{group}/mediation`), and one's groups (`/me/groups`).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use maillage_core::account::User;
use maillage_core::id::Id;
use maillage_core::listing::{ListingKind, ListingStatus};
use maillage_core::policy::FederationPolicy;
use maillage_core::time::Timestamp;
use maillage_core::Error;
use maillage_db::actors::ActorRow;
use maillage_db::groups::MembershipRow;
use maillage_db::DbConnection;
use maillage_service::actors::actor_of_user;
use maillage_service::groups as cases;
use maillage_service::listings::ListingQuery;

use crate::forms::{self, Form};
use crate::frame::Frame;
use crate::framed;
use crate::home::{listing_to_card, ListingCard};
use crate::i18n::Lang;
use crate::or_respond;
use crate::session_pages::{session_to_card, SessionLine};
use crate::WebState;

pub struct MemberView {
    pub id: i64,
    pub name: String,
    pub handle: String,
    pub role: String,
    pub mediator: bool,
}

#[derive(Template)]
#[template(path = "group.html")]
pub struct GroupPage {
    pub frame: Frame,
    pub name: String,
    /// Its avatar and banner, when it has them.
    pub avatar: Option<String>,
    pub header: Option<String>,
    pub username: String,
    /// Its actor's id, for "propose a session" in its name.
    pub group_id: i64,
    pub handle: String,
    pub summary_html: String,
    pub kind: &'static str,
    pub place: String,
    pub goals: String,
    pub members: Vec<MemberView>,
    pub pending: Vec<MemberView>,
    pub needs: Vec<ListingCard>,
    pub offers: Vec<ListingCard>,
    pub sessions: Vec<SessionLine>,
    /// The visitor's membership: "", `pending` or `accepted`.
    pub my_state: String,
    pub can_manage: bool,
    /// One of its admins, who may change it.
    pub can_edit: bool,
    pub is_mediator: bool,
    /// Joining is a request its managers answer.
    pub asks_approval: bool,
}

pub fn display_name(a: &ActorRow) -> String {
    if a.display_name.is_empty() {
        a.username.clone()
    } else {
        a.display_name.clone()
    }
}

fn member_view(m: &MembershipRow, a: &ActorRow, mediators: &[i64]) -> MemberView {
    MemberView {
        id: a.id,
        name: display_name(a),
        handle: format!("@{}@{}", a.username, a.domain),
        role: m.role.clone(),
        mediator: mediators.contains(&a.id),
    }
}

/// The open listings of `kind` published in `group` that `viewer` may see.
fn group_listings(
    conn: &mut DbConnection,
    (policy, viewer): (&FederationPolicy, Option<&ActorRow>),
    group: i64,
    kind: ListingKind,
    lang: Lang,
) -> Result<Vec<ListingCard>, Error> {
    let query = ListingQuery {
        group: Some(group),
        kind: Some(kind),
        statuses: vec![ListingStatus::Open],
        limit: 40,
        ..ListingQuery::default()
    };
    let found = maillage_service::listings::search(conn, policy, viewer, &query)?;
    Ok(found.iter().map(|l| listing_to_card(l, lang)).collect())
}

/// The page of local group `group` as `visitor` sees it.
pub fn group_page(
    conn: &mut DbConnection,
    frame: Frame,
    group: ActorRow,
    visitor: Option<&User>,
    policy: &FederationPolicy,
) -> Result<GroupPage, Error> {
    let lang = frame.lang;
    let details = cases::details(conn, group.id())?;
    let mediators = cases::mediators(conn, group.id())?;
    let me = maillage_service::actors::of_visitor(conn, visitor)?;
    let seen = cases::members_seen_by(conn, group.id(), me.as_ref())?;
    let mine = match &me {
        Some(me) => cases::membership(conn, group.id(), me.id())?,
        None => None,
    };
    let can_manage = mine.as_ref().is_some_and(MembershipRow::can_manage);
    let (accepted, pending): (Vec<_>, Vec<_>) = seen.iter().partition(|(m, _)| m.is_accepted());
    let now = Timestamp::now().as_micros();
    let sessions = maillage_service::sessions::upcoming(conn, None, Some(group.id), now, 20)?;
    let sessions =
        sessions.iter().map(|s| session_to_card(conn, s, lang, frame.zone)).collect::<Result<_, _>>()?;
    Ok(GroupPage {
        name: display_name(&group),
        avatar: group.icon_url.clone(),
        header: group.image_url.clone(),
        username: group.username.clone(),
        group_id: group.id,
        handle: format!("@{}@{}", group.username, group.domain),
        summary_html: group.summary_html.clone(),
        kind: lang.t(&format!("gkind_{}", details.as_ref().map(|d| d.kind.as_str()).unwrap_or("collective"))),
        place: details.as_ref().map(|d| d.place_name.clone()).unwrap_or_default(),
        goals: details.as_ref().map(|d| d.goals.clone()).unwrap_or_default(),
        members: accepted.iter().map(|(m, a)| member_view(m, a, &mediators)).collect(),
        pending: if can_manage {
            pending.iter().map(|(m, a)| member_view(m, a, &mediators)).collect()
        } else {
            Vec::new()
        },
        needs: group_listings(conn, (policy, me.as_ref()), group.id, ListingKind::Need, lang)?,
        offers: group_listings(conn, (policy, me.as_ref()), group.id, ListingKind::Offer, lang)?,
        sessions,
        my_state: mine.as_ref().map(|m| m.state.clone()).unwrap_or_default(),
        can_manage,
        can_edit: group.local && mine.as_ref().is_some_and(|m| m.is_accepted() && m.role == "admin"),
        is_mediator: me.is_some_and(|me| mediators.contains(&me.id)),
        asks_approval: details.as_ref().is_some_and(|d| d.join_policy == "approval"),
        frame,
    })
}

/// The local group named in the path, or 404.
async fn local_group(state: &WebState, name: &str) -> Result<Option<ActorRow>, Error> {
    let lower = name.to_lowercase();
    state.db.run(move |conn| cases::find_local(conn, &lower)).await
}

/// Join, leave, or decide on a pending member: `/@{group}/{action}`.
pub async fn act(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (name, action) = path.into_inner();
    let group = match local_group(&state, &name).await {
        Ok(Some(g)) => g,
        Ok(None) => return crate::security::not_found(frame.lang),
        Err(e) => return forms::refused(frame, &e),
    };
    let member = forms::field(&sent, "member").parse::<Id>().ok();
    let role = forms::field(&sent, "role").to_owned();
    let (outbound, urls, gid) = (state.outbound.clone(), state.urls.clone(), group.id());
    let done = state
        .db
        .run(move |conn| match (action.as_str(), member) {
            ("join", _) => {
                maillage_service::groups::join(conn, outbound.as_ref(), &urls, &user, gid).map(|_| ())
            }
            ("leave", _) => maillage_service::groups::leave(conn, outbound.as_ref(), &user, gid),
            ("accept", Some(m)) | ("reject", Some(m)) => {
                maillage_service::groups::decide(conn, outbound.as_ref(), &user, gid, m, action == "accept")
                    .map(|_| ())
            }
            ("role", Some(m)) => maillage_service::groups::set_role(conn, &user, gid, m, &role).map(|_| ()),
            _ => Err(Error::not_found("no such action")),
        })
        .await;
    forms::then_go(frame, done, &format!("/@{}", group.username))
}

pub struct PairingView {
    pub id: i64,
    pub need: ListingCard,
    pub offer: ListingCard,
    pub reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "mediation.html")]
pub struct MediationPage {
    pub frame: Frame,
    pub group: String,
    pub username: String,
    pub pairings: Vec<PairingView>,
}

pub async fn mediation_page(
    req: HttpRequest,
    name: web::Path<String>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let group = match local_group(&state, &name).await {
        Ok(Some(g)) => g,
        Ok(None) => return crate::security::not_found(frame.lang),
        Err(e) => return forms::refused(frame, &e),
    };
    let (lang, gid) = (frame.lang, group.id());
    let found = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for m in maillage_service::mediation::queue(conn, &user, gid)? {
                let Some((need, offer)) = maillage_service::mediation::listings_of(conn, &m)? else {
                    continue;
                };
                let reasons: serde_json::Value = serde_json::from_str(&m.reasons).unwrap_or_default();
                out.push(PairingView {
                    id: m.id,
                    need: listing_to_card(&need, lang),
                    offer: listing_to_card(&offer, lang),
                    reasons: reasons
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r[lang.code()].as_str().map(str::to_owned))
                        .collect(),
                });
            }
            Ok::<_, Error>(out)
        })
        .await;
    match found {
        Ok(pairings) => forms::render(
            200,
            &MediationPage { frame, group: display_name(&group), username: group.username.clone(), pairings },
        ),
        Err(e) => forms::refused(frame, &e),
    }
}

/// A mediator approves or rejects a pairing.
pub async fn mediate(
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let (name, pairing, decision) = path.into_inner();
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return crate::security::not_found(frame.lang),
    };
    let (Ok(Some(group)), Ok(pairing)) = (local_group(&state, &name).await, pairing.parse::<Id>()) else {
        return crate::security::not_found(frame.lang);
    };
    let (outbound, urls, gid) = (state.outbound.clone(), state.urls.clone(), group.id());
    let done = state
        .db
        .run(move |conn| {
            maillage_service::mediation::decide(conn, outbound.as_ref(), &urls, &user, gid, pairing, approve)
        })
        .await;
    forms::then_go(frame, done, &format!("/@{}/mediation", group.username))
}

pub struct MyGroup {
    pub name: String,
    pub username: String,
    pub role: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "my_groups.html")]
pub struct MyGroupsPage {
    pub frame: Frame,
    pub groups: Vec<MyGroup>,
}
framed!(GroupPage, MediationPage, MyGroupsPage);

pub async fn my_groups(req: HttpRequest, state: web::Data<WebState>) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::signed_in(&req, &state).await);
    let found = state
        .db
        .run(move |conn| {
            let me = actor_of_user(conn, user.id)?;
            Ok::<_, Error>(
                cases::memberships_of(conn, me.id())?
                    .into_iter()
                    .map(|(m, g)| MyGroup {
                        name: display_name(&g),
                        username: g.username,
                        role: m.role,
                        state: m.state,
                    })
                    .collect(),
            )
        })
        .await;
    match found {
        Ok(groups) => forms::render(200, &MyGroupsPage { frame, groups }),
        Err(e) => forms::refused(frame, &e),
    }
}
