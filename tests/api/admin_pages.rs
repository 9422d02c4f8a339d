//! The admin's error pages speak the signed-in user's language: the
//! language lives in the request, so a page refused by `?` in a handler, by
//! the CSRF check or by the fallback route is written in it, and so is the
//! domain's reason for a refusal.

use pos_tests::{PASSWORD, TestApp, csrf_field};
use uuid::Uuid;

struct Page {
    status: u16,
    html: String,
}

async fn get(app: &TestApp, cookie: &str, path: &str) -> Page {
    let res = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    Page { status: res.status().as_u16(), html: res.text().await.unwrap() }
}

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> Page {
    let res = app.client.post(app.url(path)).header("cookie", cookie).form(form).send().await.unwrap();
    Page { status: res.status().as_u16(), html: res.text().await.unwrap() }
}

/// Switches the signed-in user's language, as the header's buttons do.
async fn switch_to(app: &TestApp, cookie: &str, locale: &str) {
    let token = csrf_field(&get(app, cookie, "/admin").await.html).expect("a page carries the CSRF token");
    let form = [("locale", locale), ("back", "/admin"), ("csrf_token", &token)];
    assert_eq!(post(app, cookie, "/admin/locale", &form).await.status, 303);
}

#[tokio::test]
async fn error_pages_are_written_in_the_users_language() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let missing = format!("/admin/outlets/{}", Uuid::now_v7());

    let page = get(&app, &cookie, &missing).await;
    assert_eq!(page.status, 404);
    assert!(page.html.contains("<html lang=\"id\""), "{}", page.html);
    assert!(page.html.contains("Halaman atau data ini tidak ditemukan."), "{}", page.html);

    switch_to(&app, &cookie, "en").await;
    // A domain refusal returned with `?`, a malformed id, an unknown route.
    for path in [missing.as_str(), "/admin/outlets/not-an-id", "/admin/no-such-page"] {
        let page = get(&app, &cookie, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.html.contains("<html lang=\"en\""), "{path}: {}", page.html);
        assert!(page.html.contains("This page or item was not found."), "{path}: {}", page.html);
    }
    // The CSRF refusal, from the form extractor.
    let page = post(&app, &cookie, "/admin/outlets", &[("name", "Kemang")]).await;
    assert_eq!(page.status, 403);
    assert!(page.html.contains("Request refused"), "{}", page.html);

    switch_to(&app, &cookie, "id").await;
    let page = get(&app, &cookie, &missing).await;
    assert!(page.html.contains("Halaman atau data ini tidak ditemukan."), "back in Indonesian: {}", page.html);
}

#[tokio::test]
async fn the_domains_reason_for_a_refusal_is_translated() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let token = csrf_field(&get(&app, &cookie, "/admin").await.html).unwrap();
    let deactivate_last_owner = format!("/admin/staff/{}/active", t.owner_id);
    let form = [("active", "false"), ("csrf_token", token.as_str())];

    // Without htmx: a conflict page carrying the domain's reason.
    let page = post(&app, &cookie, &deactivate_last_owner, &form).await;
    assert_eq!(page.status, 409);
    assert!(page.html.contains("Brand harus tetap memiliki minimal satu pemilik aktif"), "{}", page.html);

    switch_to(&app, &cookie, "en").await;
    let page = post(&app, &cookie, &deactivate_last_owner, &form).await;
    assert_eq!(page.status, 409);
    assert!(page.html.contains("This change cannot be made."), "{}", page.html);
    assert!(page.html.contains("The brand must keep at least one active owner"), "{}", page.html);
    assert_eq!(get(&app, &cookie, "/admin").await.status, 200, "still active, still signed in");
}
