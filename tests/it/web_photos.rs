//! Photos from the pages, as a resident adds them on a phone: chosen with
//! a file input each (no JavaScript needed), described, ordered and
//! removed; a file that is no photo is refused next to its field while
//! the photo chosen with it is kept; the listing's page shows them with
//! their alt text, and search cards their first one.

use crate::harness;

use std::path::{Path, PathBuf};

use harness::webdriver::Browser;
use harness::TestNode;

fn photo(dir: &Path, name: &str, colour: [u8; 3], w: u32, h: u32) -> PathBuf {
    let picture = image::RgbImage::from_pixel(w, h, image::Rgb(colour));
    let path = dir.join(name);
    picture.save_with_format(&path, image::ImageFormat::Jpeg).unwrap();
    path
}

async fn gallery_alts(browser: &Browser) -> Vec<String> {
    let alts = browser
        .execute("return [...document.querySelectorAll('#photos img')].map(i => i.alt + (i.naturalWidth > 0 ? '' : ' (not loaded)'))")
        .await;
    alts.as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()).collect()
}

async fn no_sideways_scroll(browser: &Browser) {
    let scroll = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(scroll.as_i64().unwrap_or(1) <= 0, "no sideways scroll: {scroll}");
}

#[actix_web::test]
async fn a_resident_adds_describes_orders_and_removes_photos_of_her_listing() {
    let a = TestNode::start().await;
    a.user("alice").await;
    let files = tempfile::tempdir().unwrap();
    let red = photo(files.path(), "perceuse.jpg", [200, 30, 30], 1200, 900);
    let blue = photo(files.path(), "batterie.jpg", [30, 30, 200], 900, 1200);
    let liar = files.path().join("notes.jpg");
    std::fs::write(&liar, "<html>pas une photo</html>").unwrap();

    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url("/listings/new")).await;
    browser.select("#f-category", "goods").await;
    browser.type_into("#f-title", "Perceuse à prêter").await;
    browser.type_into("#f-description", "Une perceuse sans fil avec sa batterie.").await;
    browser.choose_file("#f-new_photo_0", &red).await;
    browser.type_into("#f-new_photo_0_alt", "Une perceuse rouge").await;
    browser.choose_file("#f-new_photo_1", &liar).await;
    browser.screenshot("photos-form-390-fr").await;
    browser.submit("form.listing-form button[type=submit]").await;

    // The file that is no photo is refused beside its field, in French;
    // the photo chosen with it is kept, with its description.
    assert_eq!(
        browser.text("#e-new_photo_1").await,
        "notes.jpg : ce n'est pas une photo JPEG, PNG, WebP ou GIF.",
        "{}",
        browser.source().await
    );
    assert_eq!(browser.value("#f-photo_0_alt").await, "Une perceuse rouge");
    assert_eq!(browser.value("#f-title").await, "Perceuse à prêter");
    no_sideways_scroll(&browser).await;
    browser.screenshot("photos-refused-390-fr").await;
    browser.choose_file("#f-new_photo_0", &blue).await;
    browser.type_into("#f-new_photo_0_alt", "La batterie").await;
    browser.submit("form.listing-form button[type=submit]").await;
    assert!(browser.url().await.contains("/me/listings?created="), "{}", browser.source().await);
    let id = browser.url().await.rsplit('=').next().unwrap().to_owned();
    // Her listings, the home page and her profile show its first photo.
    for page in ["/me/listings", "/", "/@alice"] {
        browser.open(&a.url(page)).await;
        let thumb = browser.attribute(".card img.thumb", "alt").await;
        assert_eq!(thumb.as_deref(), Some("Une perceuse rouge"), "{page}");
    }

    browser.open(&a.url(&format!("/@alice/listings/{id}"))).await;
    assert_eq!(gallery_alts(&browser).await, ["Une perceuse rouge", "La batterie"]);
    no_sideways_scroll(&browser).await;
    browser.screenshot("photos-listing-390-fr").await;

    // She puts the battery first (changing its number only: the photo
    // moved wins the place), then removes the drill's photo, which is no
    // longer served at once.
    browser.open(&a.url(&format!("/@alice/listings/{id}/edit"))).await;
    browser.type_into("#f-photo_1_position", "1").await;
    browser.submit("form.listing-form button[type=submit]").await;
    browser.open(&a.url(&format!("/@alice/listings/{id}"))).await;
    assert_eq!(gallery_alts(&browser).await, ["La batterie", "Une perceuse rouge"]);
    browser.open(&a.url(&format!("/@alice/listings/{id}/edit"))).await;
    assert_eq!(browser.value("#f-photo_1_alt").await, "Une perceuse rouge");
    let removed = browser.execute("return document.querySelectorAll('.photo-field img')[1].src").await;
    let removed = removed.as_str().unwrap().replace("/preview-", "/file-");
    assert_eq!(reqwest::get(&removed).await.unwrap().status().as_u16(), 200, "{removed}");
    browser.click("input[name=photo_1_remove]").await;
    browser.submit("form.listing-form button[type=submit]").await;
    browser.open(&a.url(&format!("/@alice/listings/{id}"))).await;
    assert_eq!(gallery_alts(&browser).await, ["La batterie"]);
    assert_eq!(reqwest::get(&removed).await.unwrap().status().as_u16(), 404, "{removed}");
    // Without the secret part of its address, a photo is not found.
    let kept = browser.attribute("#photos a", "href").await.unwrap();
    let (media_id, _) = kept.trim_start_matches("/media/").split_once('/').unwrap();
    let guessed = a.url(&format!("/media/{media_id}/file.jpg"));
    assert_eq!(reqwest::get(&guessed).await.unwrap().status().as_u16(), 404);
    assert_eq!(reqwest::get(&a.url(&kept)).await.unwrap().status().as_u16(), 200);

    // In English on a computer, the search shows the photo on its card.
    browser.resize(1280, 900).await;
    browser.open(&a.url("/listings?q=perceuse&lang=en")).await;
    let thumb = browser.attribute(".results .card img", "alt").await;
    assert_eq!(thumb.as_deref(), Some("La batterie"), "{}", browser.source().await);
    browser.screenshot("photos-search-1280-en").await;
    browser.open(&a.url(&format!("/@alice/listings/{id}?lang=en"))).await;
    browser.screenshot("photos-listing-1280-en").await;
}

#[actix_web::test]
async fn an_organiser_adds_a_photo_to_her_session_from_the_form() {
    let a = TestNode::start().await;
    a.user("alice").await;
    let files = tempfile::tempdir().unwrap();
    let garden = photo(files.path(), "jardin.jpg", [40, 160, 60], 1600, 1200);
    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url("/sessions/new")).await;
    browser.arrive("/sessions/new", "#f-title").await;
    browser.type_into("#f-title", "Semis de printemps").await;
    browser.execute("document.querySelector('#f-starts').value = '2027-04-10T14:00'").await;
    browser.type_into("#f-place_name", "Jardin du Bourg").await;
    browser.choose_file("#f-new_photo_0", &garden).await;
    browser.type_into("#f-new_photo_0_alt", "Le potager partagé").await;
    // A session takes four photos: four inputs, no more.
    let inputs = browser.execute("return document.querySelectorAll('input[type=file]').length").await;
    assert_eq!(inputs, 4);
    browser.submit("form.session-form button[type=submit]").await;
    browser.arrive("/sessions/", "#ics").await;
    assert_eq!(gallery_alts(&browser).await, ["Le potager partagé"]);
    no_sideways_scroll(&browser).await;
    browser.screenshot("photos-session-390-fr").await;
}

#[actix_web::test]
async fn a_group_admin_gives_the_group_an_avatar_and_a_banner() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let (status, group) = alice
        .json(
            reqwest::Method::POST,
            "/api/v1/groups",
            &serde_json::json!({"username": "jardins", "display_name": "Jardins partagés", "description": "Des parcelles",
                    "kind": "collective", "goals": "", "join_policy": "open"}),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    let files = tempfile::tempdir().unwrap();
    let logo = photo(files.path(), "logo.jpg", [200, 120, 20], 400, 400);
    let banner = photo(files.path(), "bandeau.jpg", [20, 120, 200], 1500, 500);
    let liar = files.path().join("bandeau.png");
    std::fs::write(&liar, "pas une image").unwrap();

    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "fr").await;
    browser.open(&a.url("/@jardins/edit")).await;
    browser.choose_file("#f-avatar", &logo).await;
    browser.choose_file("#f-header", &liar).await;
    browser.submit("form.group-form button[type=submit]").await;
    assert_eq!(
        browser.text("#e-header").await,
        "bandeau.png : ce n'est pas une photo JPEG, PNG, WebP ou GIF."
    );
    browser.choose_file("#f-avatar", &logo).await;
    browser.choose_file("#f-header", &banner).await;
    browser.submit("form.group-form button[type=submit]").await;
    browser.open(&a.url("/@jardins")).await;
    let loaded = browser
        .execute("return [...document.querySelectorAll('img.avatar, img.profile-header')].map(i => i.naturalWidth)")
        .await;
    assert_eq!(loaded, serde_json::json!([1500, 400]), "{}", browser.source().await);
    no_sideways_scroll(&browser).await;
    browser.screenshot("group-pictures-390-fr").await;
}

#[actix_web::test]
async fn a_resident_sets_her_name_and_avatar_on_her_profile_page() {
    let a = TestNode::start().await;
    let alice = a.user("alice").await;
    let files = tempfile::tempdir().unwrap();
    let face = photo(files.path(), "moi.jpg", [230, 170, 120], 600, 600);
    let browser = Browser::start().await;
    browser.resize(390, 844).await;
    browser.log_in(&a, "alice", "en").await;
    browser.open(&a.url("/me/profile")).await;
    browser.type_into("#f-display_name", "Alice of the Orchards").await;
    browser.type_into("#f-note", "I grow apples and lend my press.").await;
    browser.choose_file("#f-avatar", &face).await;
    browser.submit("form.profile-form button[type=submit]").await;
    browser.arrive("?saved", "#saved").await;
    assert_eq!(browser.value("#f-display_name").await, "Alice of the Orchards");
    browser.open(&a.url("/@alice")).await;
    assert!(browser.text("h1").await.contains("Alice of the Orchards"));
    let avatar = browser.execute("return document.querySelector('h1 img.avatar').naturalWidth").await;
    assert_eq!(avatar, 600);
    no_sideways_scroll(&browser).await;
    browser.screenshot("profile-avatar-390-en").await;

    // Those she writes to see her face beside her messages.
    let src = browser.attribute("h1 img.avatar", "src").await.unwrap();
    a.user("lou").await;
    let (status, sent) = alice
        .post(
            "/api/v1/statuses",
            &[("status", "@lou Le pressoir est libre samedi"), ("visibility", "direct")],
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    let mut lou = harness::form_browser::FormBrowser::new();
    lou.log_in(&a, "lou").await;
    let (_, list) = lou.get(a.url("/me/conversations")).await;
    assert!(list.contains(&format!(r#"class="avatar small" src="{src}""#)), "{list}");
}

#[actix_web::test]
async fn photos_sent_by_someone_signed_out_are_neither_read_nor_kept() {
    let a = TestNode::start().await;
    let files = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(photo(files.path(), "x.jpg", [1, 2, 3], 640, 480)).unwrap();
    for path in ["/listings/new", "/sessions/new", "/me/profile"] {
        let part =
            reqwest::multipart::Part::bytes(bytes.clone()).file_name("x.jpg").mime_str("image/jpeg").unwrap();
        let form = reqwest::multipart::Form::new().text("title", "Vélo").part("new_photo_0", part);
        let r = harness::client().post(a.url(path)).multipart(form).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 403, "{path}: without a form token");
    }
    assert!(crate::media::files_under(a.media_dir.path()).is_empty());
}
