//! "Report this listing" to the node's admins, from a listing's page.

use actix_web::{web, HttpRequest, HttpResponse};
use maillage_core::id::Id;

use crate::forms::{self, field, Form};
use crate::or_respond;
use crate::WebState;

pub async fn report_listing(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    sent: web::Form<Form>,
    state: web::Data<WebState>,
) -> HttpResponse {
    let (frame, _, user) = or_respond!(forms::posted(&req, &state, &sent).await);
    let Ok(id) = path.1.parse::<Id>() else { return crate::security::not_found(frame.lang) };
    let comment = field(&sent, "comment").to_owned();
    let done = state
        .db
        .run(move |conn| {
            let me = maillage_service::actors::actor_of_user(conn, user.id)?;
            let listing = maillage_service::listings::get_visible(conn, id, Some(&me))?;
            maillage_service::reports::report(
                conn,
                &user,
                Id::from_i64(listing.author_id),
                std::slice::from_ref(&listing.ap_id),
                &comment,
            )
        })
        .await;
    match done {
        Ok(_) => forms::message(frame, 200, "reported_title", "reported"),
        Err(e) => forms::refused(frame, &e),
    }
}
