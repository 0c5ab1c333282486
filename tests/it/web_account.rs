//! One's own pages and the admin page over plain HTTP with the session
//! cookie: one's listings, the interest form, settings; the log-in page
//! coming back where it was asked from; the admin page (only for admins,
//! CSV export and import, a bad CSV kept with its reason); reports from
//! the pages and from apps until resolved; object and actor URLs sending
//! browsers to their pages.

use crate::harness;

use harness::form_browser::FormBrowser;
use harness::TestNode;

#[actix_web::test]
async fn my_listings_settings_and_the_interest_form() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    a.user("bruno").await;
    let offer = alice.offer("Prêt de grelinette", 46.5, 2.4).await;
    let id = offer["id"].as_str().unwrap().to_owned();
    let listing_path = format!("/@alice/listings/{id}");

    let mut anonymous = FormBrowser::new();
    let (_, page) = anonymous.get(a.url(&format!("{listing_path}?lang=en"))).await;
    assert!(page.contains("/login?next=/%40alice/listings/"), "{page}");

    let mut bruno = FormBrowser::new();
    let (_, login) = bruno.get(a.url(&format!("/login?next=/%40alice/listings/{id}"))).await;
    let csrf = harness::form_browser::csrf_of(&login);
    let (status, set, _) = bruno
        .post(
            a.url("/login"),
            &[
                ("csrf", &csrf),
                ("login", "bruno"),
                ("password", "a good password"),
                ("next", &format!("/@alice/listings/{id}")),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(!set.is_empty());
    let (status, _, _) = bruno
        .post(
            a.url("/login"),
            &[
                ("csrf", &csrf),
                ("login", "bruno"),
                ("password", "a good password"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(status, 303, "logging in again is fine; an outside next is ignored");
    let (_, page) = bruno.get(a.url(&format!("{listing_path}?lang=en"))).await;
    assert!(page.contains("I&#39;m interested"), "{page}");
    let csrf = harness::form_browser::csrf_of(&page);
    let long = "x".repeat(1001);
    let (status, _, body) =
        bruno.post(a.url(&format!("{listing_path}/interest")), &[("csrf", &csrf), ("message", &long)]).await;
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = bruno
        .post(a.url(&format!("{listing_path}/interest")), &[("csrf", &csrf), ("message", "Samedi ?")])
        .await;
    assert_eq!(status, 303);
    let (_, mine) = bruno.get(a.url("/me/listings?lang=en")).await;
    assert!(mine.contains("Prêt de grelinette") && mine.contains("waiting"), "{mine}");

    let mut owner = FormBrowser::new();
    owner.log_in(&a, "alice").await;
    let (_, mine) = owner.get(a.url("/me/listings?lang=en")).await;
    assert!(mine.contains("Samedi ?") && mine.contains("value=\"accept\""), "{mine}");
    let csrf = harness::form_browser::csrf_of(&mine);
    let (status, _, _) =
        owner.post(a.url(&format!("/me/listings/{id}/status")), &[("csrf", &csrf), ("status", "gone")]).await;
    assert_eq!(status, 422);
    let (status, _, asked) = owner
        .post(a.url(&format!("/me/listings/{id}/status")), &[("csrf", &csrf), ("status", "withdrawn")])
        .await;
    assert_eq!(status, 200, "withdrawing asks first");
    assert!(asked.contains("id=\"confirm-form\"") && asked.contains("value=\"withdrawn\""), "{asked}");
    let (_, listing) = alice.get(&format!("/api/v1/listings/{id}")).await;
    assert_eq!(listing["status"], "open", "nothing changed yet");
    let (status, _, _) = owner
        .post(
            a.url(&format!("/me/listings/{id}/status")),
            &[("csrf", &csrf), ("status", "withdrawn"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, listing) = alice.get(&format!("/api/v1/listings/{id}")).await;
    assert_eq!(listing["status"], "withdrawn");
    let bruno_csrf = bruno.csrf(&a, "/").await;
    let (status, _, _) = bruno
        .post(a.url(&format!("/me/listings/{id}/status")), &[("csrf", &bruno_csrf), ("status", "open")])
        .await;
    assert_eq!(status, 404, "someone else's listing");

    let (_, page) = owner.get(a.url("/me/settings?lang=en")).await;
    let csrf = harness::form_browser::csrf_of(&page);
    let (status, _, page) = owner.post(a.url("/me/settings"), &[("csrf", &csrf), ("notify", "hourly")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Choose one of the three ways."), "{page}");
    assert_eq!(owner.post(a.url("/me/settings"), &[("csrf", &csrf), ("notify", "digest")]).await.0, 303);
    let (_, prefs) = alice.get("/api/v1/matches/preferences").await;
    assert_eq!(prefs["notify"], "digest");

    let (status, _) = owner.get(a.url(&format!("{listing_path}/edit"))).await;
    assert_eq!(status, 200);
    let (status, _) = bruno.get(a.url(&format!("{listing_path}/edit"))).await;
    assert_eq!(status, 404, "only its author edits it");
}

#[actix_web::test]
async fn the_admin_page_is_for_admins_and_trades_blocklists_as_csv() {
    let a = TestNode::start().await;
    let admin = a.admin("gaston").await;
    a.user("bruno").await;
    let mut bruno = FormBrowser::new();
    bruno.log_in(&a, "bruno").await;
    let (status, _) = bruno.get(a.url("/admin")).await;
    assert_eq!(status, 403);
    let csrf = bruno.csrf(&a, "/").await;
    let (status, _, _) = bruno
        .post(a.url("/admin/block"), &[("csrf", &csrf), ("domain", "x.example"), ("severity", "suspend")])
        .await;
    assert_eq!(status, 403);
    let (status, _) = FormBrowser::new().get(a.url("/admin")).await;
    assert_eq!(status, 303, "to the log-in page");

    let mut g = FormBrowser::new();
    g.log_in(&a, "gaston").await;
    let csrf = g.csrf(&a, "/admin").await;
    let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,suspend,false,false,Spam,false\nbruyant.example,silence,false,false,,false\n";
    assert_eq!(g.post(a.url("/admin/import"), &[("csrf", &csrf), ("csv", csv)]).await.0, 303);
    let (_, page) = g.get(a.url("/admin?lang=en")).await;
    assert!(
        page.contains("spam.example") && page.contains("bruyant.example") && page.contains("Limit"),
        "{page}"
    );
    let (status, export) = g.get(a.url("/admin/domain_blocks.csv")).await;
    assert_eq!(status, 200);
    assert!(export.starts_with("#domain") && export.contains("spam.example,suspend"), "{export}");

    let bad = "#domain,#severity\nspam.example,obliterate\n";
    let (status, _, page) = g.post(a.url("/admin/import?lang=en"), &[("csrf", &csrf), ("csv", bad)]).await;
    assert_eq!(status, 422);
    assert!(page.contains("obliterate") && page.contains("id=\"e-csv\""), "{page}");
    assert!(page.contains("spam.example,obliterate"), "the CSV typed is kept");
    let (_, blocks) = admin.get("/api/v1/admin/domain_blocks").await;
    assert_eq!(blocks.as_array().unwrap().len(), 2, "nothing changed: {blocks}");

    assert_eq!(g.post(a.url("/admin/mode"), &[("csrf", &csrf), ("mode", "allowlist")]).await.0, 303);
    let (_, mode) = admin.get("/api/v1/admin/federation").await;
    assert_eq!(mode["mode"], "allowlist");
    assert_eq!(g.post(a.url("/admin/mode"), &[("csrf", &csrf), ("mode", "chaos")]).await.0, 422);
    assert_eq!(g.post(a.url("/admin/explode"), &[("csrf", &csrf)]).await.0, 404);
    let (status, _, page) =
        g.post(a.url("/admin/link"), &[("csrf", &csrf), ("partner", ""), ("level", "full")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"e-partner\""), "{page}");
}

#[actix_web::test]
async fn reports_from_the_pages_and_from_apps_reach_the_admin_page_until_resolved() {
    let a = TestNode::start().await;
    let admin = a.admin("gaston").await;
    let alice = a.user("alice").await;
    let bruno = a.user("bruno").await;
    let offer = alice.offer("Vélo à vendre, pas cher", 46.5, 2.4).await;
    let id = offer["id"].as_str().unwrap().to_owned();

    let mut b = FormBrowser::new();
    b.log_in(&a, "bruno").await;
    let (_, page) = b.get(a.url(&format!("/@alice/listings/{id}?lang=en"))).await;
    assert!(page.contains("Report this listing"), "{page}");
    let csrf = harness::form_browser::csrf_of(&page);
    let long = "x".repeat(1001);
    let path = format!("/@alice/listings/{id}/report");
    assert_eq!(b.post(a.url(&path), &[("csrf", &csrf), ("comment", &long)]).await.0, 422);
    assert_eq!(b.post(a.url(&path), &[("csrf", "forged"), ("comment", "Arnaque")]).await.0, 403);
    let (status, _, page) = b.post(a.url(&path), &[("csrf", &csrf), ("comment", "Arnaque ?")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Report sent"), "{page}");

    // The Mastodon API, as apps send it (a form with status_ids[]).
    let post = alice.post_status("Achetez mes vélos").await;
    let (status, report) = bruno
        .post(
            "/api/v1/reports",
            &[
                ("account_id", &alice.account_id),
                ("status_ids[]", post["id"].as_str().unwrap()),
                ("comment", "Spam"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["target_account"]["username"], "alice");
    assert_eq!(report["status_ids"][0], post["id"]);
    let (status, _) = bruno.post("/api/v1/reports", &[("comment", "nobody")]).await;
    assert_eq!(status, 422);
    let bruno_post = bruno.post_status("Le mien").await;
    let (status, _) = bruno
        .post(
            "/api/v1/reports",
            &[("account_id", &alice.account_id), ("status_ids[]", bruno_post["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(status, 422, "a status by someone else");
    let (status, _) = bruno.post("/api/v1/reports", &[("account_id", &bruno.account_id)]).await;
    assert_eq!(status, 422, "not oneself");

    let mut g = FormBrowser::new();
    g.log_in(&a, "gaston").await;
    let (_, page) = g.get(a.url("/admin?lang=en")).await;
    let reports = page.split("id=\"reports\"").nth(1).unwrap().split("</section>").next().unwrap().to_owned();
    assert_eq!(reports.matches("/admin/resolve_report").count(), 2, "{reports}");
    assert!(
        reports.contains("Arnaque ?") && reports.contains("Spam") && reports.contains("@bruno@"),
        "{reports}"
    );
    assert!(reports.contains(offer["uri"].as_str().unwrap()), "the listing is named: {reports}");
    let first = reports.split("name=\"id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let csrf = harness::form_browser::csrf_of(&page);
    assert_eq!(g.post(a.url("/admin/resolve_report"), &[("csrf", &csrf), ("id", &first)]).await.0, 303);
    assert_eq!(
        g.post(a.url("/admin/resolve_report?lang=en"), &[("csrf", &csrf), ("id", &first)]).await.0,
        404,
        "once"
    );
    let (_, page) = g.get(a.url("/admin?lang=en")).await;
    assert_eq!(page.matches("/admin/resolve_report").count(), 1);
    drop(admin);
}

#[actix_web::test]
async fn object_and_actor_urls_send_browsers_to_their_pages() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let offer = alice.offer("Prêt de brouette", 46.5, 2.4).await;
    let mut browser = FormBrowser::new();
    let (status, _, _) = browser.post_to(a.url("/users/alice/inbox"), &[]).await;
    assert!(status >= 400, "an inbox is no page");
    let r = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let to = |resp: reqwest::Response| resp.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let page = r.get(offer["uri"].as_str().unwrap()).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert!(to(page).unwrap().ends_with(&format!("/@alice/listings/{}", offer["id"].as_str().unwrap())));
    let page = r.get(a.url("/users/alice")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(to(page).unwrap(), a.url("/@alice"));
    let json = r
        .get(offer["uri"].as_str().unwrap())
        .header("Accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200, "ActivityPub clients get the object");
}

#[actix_web::test]
async fn admins_change_the_description_and_registrations_and_every_process_follows() {
    let a =
        TestNode::start_with(|c| c.registration.mode = maillage_core::account::RegistrationMode::Open).await;
    a.admin("gaston").await;
    let other = a.second_process().await;
    let mut g = FormBrowser::new();
    g.log_in(&a, "gaston").await;
    let (_, page) = g.get(a.url("/admin/territory?lang=en")).await;
    assert!(page.contains(r#"<option value="open" selected>"#), "the configured mode shown: {page}");
    let csrf = harness::form_browser::csrf_of(&page);

    let (status, _, page) = g
        .post(
            a.url("/admin/territory?lang=en"),
            &[("csrf", &csrf), ("description", "Vallée du Dourdou"), ("registration_mode", "lottery")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("registration_mode") && page.contains("Vallée du Dourdou"),
        "typed text kept: {page}"
    );
    let instance: serde_json::Value =
        harness::client().get(a.url("/api/v2/instance")).send().await.unwrap().json().await.unwrap();
    assert_eq!(instance["registrations"]["enabled"], true, "nothing changed");

    let (status, _, _) = g
        .post(
            a.url("/admin/territory"),
            &[
                ("csrf", &csrf),
                ("description", "Vallée du Dourdou, entre Rougier et Lévézou"),
                ("registration_mode", "closed"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    for base in [a.base.clone(), other.base.clone()] {
        let instance: serde_json::Value = harness::client()
            .get(format!("{base}/api/v2/instance"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(instance["description"], "Vallée du Dourdou, entre Rougier et Lévézou", "{base}");
        assert_eq!(instance["registrations"]["enabled"], false, "{base}");
    }
    let (_, home) = FormBrowser::new().get(a.url("/")).await;
    assert!(home.contains("Vallée du Dourdou, entre Rougier et Lévézou"), "{home}");
    let mut visitor = FormBrowser::new();
    let (_, signup) = visitor.get(a.url("/signup?lang=en")).await;
    assert!(!signup.contains(r#"name="csrf""#), "no sign-up form when closed: {signup}");
    let csrf = visitor.csrf(&a, "/login").await;
    let (status, _, _) = visitor
        .post(
            a.url("/signup"),
            &[
                ("csrf", &csrf),
                ("username", "zoe"),
                ("email", "zoe@example.org"),
                ("password", "une phrase assez longue"),
            ],
        )
        .await;
    assert_eq!(status, 403, "registrations closed");
}
