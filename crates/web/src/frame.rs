//! What every page shows around its content: the territory's name, who is
//! signed in, the CSRF token of its forms, its language. Page structs hold
//! a [`Frame`] and deref to it (the [`framed!`] macro), so the base
//! template reads `lang`, `me`, `csrf` and `territory` on any page.

use actix_web::HttpRequest;

use maillage_core::zone::Zone;

use crate::i18n::{Lang, RequestLang};
use crate::session::{self, Visitor};
use crate::WebState;

pub struct Frame {
    pub lang: Lang,
    pub me: Option<String>,
    pub csrf: String,
    pub territory: String,
    pub is_admin: bool,
    /// Conversations waiting to be read.
    pub unread: i64,
    /// Notifications not seen yet.
    pub unseen: i64,
    /// The language the visitor chose in this request's query, to keep in
    /// a cookie.
    pub chosen: Option<Lang>,
    /// The zone times are shown and typed in: the person's, else the
    /// territory's.
    pub zone: Zone,
}

impl Frame {
    pub fn new(state: &WebState, lang: Lang, visitor: &Visitor) -> Frame {
        Frame {
            lang,
            me: visitor.name(),
            csrf: visitor.csrf.clone(),
            territory: state.territory().name.clone(),
            is_admin: visitor.is_admin(),
            unread: visitor.unread,
            unseen: visitor.unseen,
            chosen: None,
            zone: visitor.zone(&state.territory()),
        }
    }

    /// The frame for this request, and who is visiting.
    pub async fn of(req: &HttpRequest, state: &WebState) -> (Frame, Visitor) {
        let visitor = session::visitor(req, state).await;
        let mut frame = Frame::new(state, state.lang(req), &visitor);
        frame.chosen = Lang::chosen_in_query(req);
        (frame, visitor)
    }
}

/// `impl Deref<Target = Frame>` for page structs with a `frame` field.
#[macro_export]
macro_rules! framed {
    ($($page:ty),+ $(,)?) => {$(
        impl std::ops::Deref for $page {
            type Target = $crate::frame::Frame;
            fn deref(&self) -> &$crate::frame::Frame {
                &self.frame
            }
        }
    )+};
}
