//! Where the browser goes after logging in: `next` read as a URL against
//! the node's address and kept only on this site; a control character is
//! refused with 400 before any session is opened.

use diesel::prelude::*;
use maillage_db::schema::access_tokens;

use super::{base_of, client_from, opens_a_session, Visitor, ADDRESS_A, PASSWORD};
use crate::harness::TestNode;

#[actix_web::test]
async fn after_log_in_the_browser_stays_on_this_site() {
    let node = TestNode::start().await;
    node.user("alice").await;
    let base = base_of(&node);
    let page = Visitor::open(&base, ADDRESS_A, "/login").await;
    let log_in_to = |next: &'static str| {
        let page = &page;
        async move {
            page.post("/login", &[("login", "alice"), ("password", PASSWORD), ("next", next)], &[]).await
        }
    };
    let sessions = || node.with_db(|c| access_tokens::table.count().get_result::<i64>(c).unwrap());

    let before = sessions().await;
    for control in ["/\t/evil.example", "/me\nSet-Cookie: x=1", "/me\r\n", "/\u{0}/evil.example"] {
        let r = log_in_to(control).await;
        assert_eq!(r.status(), 400, "{control:?}");
        assert!(r.headers().get("location").is_none() && !opens_a_session(&r), "{control:?}");
        assert!(r.text().await.unwrap().contains("Adresse de retour refusée"));
    }
    assert_eq!(sessions().await, before, "no session was opened");
    let r = client_from(ADDRESS_A).get(format!("{base}/login?next=/%09/evil.example")).send().await.unwrap();
    assert_eq!(r.status(), 400, "the log-in page refuses it too");

    for elsewhere in [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "\\/evil.example",
        "/.//evil.example",
        "https://localhost@evil.example/",
        "javascript:alert(1)",
    ] {
        let r = log_in_to(elsewhere).await;
        assert_eq!(r.status(), 303, "{elsewhere}");
        let location = r.headers().get("location").unwrap().to_str().unwrap();
        assert_eq!(location, "/", "{elsewhere} is not followed");
    }
    let r = log_in_to("/@alice?lang=en").await;
    assert_eq!(r.headers().get("location").unwrap().to_str().unwrap(), "/@alice?lang=en");
    assert!(opens_a_session(&r));
}
