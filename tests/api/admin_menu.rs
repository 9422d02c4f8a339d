//! The admin's menu page over HTTP: categories come closed with their item
//! counts, and an opened one fetches its items and edit form from a
//! fragment that goes through the same session, row security and roles as
//! the page; another brand's category is not found there. A refused edit
//! comes back with its category open and the errors in place.

use pos_tests::{PASSWORD, Tenant, TestApp, csrf_field, fixtures};
use pos_wire::Role;
use uuid::Uuid;

struct Page {
    status: u16,
    location: Option<String>,
    html: String,
}

async fn fetch(app: &TestApp, cookie: &str, path: &str, htmx: bool) -> Page {
    let mut req = app.client.get(app.url(path)).header("cookie", cookie);
    if htmx {
        req = req.header("HX-Request", "true");
    }
    let res = req.send().await.unwrap();
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
    Page { status: res.status().as_u16(), location, html: res.text().await.unwrap() }
}

async fn category(app: &TestApp, token: &str, name: &str) -> Uuid {
    let c = app.post("/api/v1/categories", Some(token), fixtures::category(name, None)).await.expect(201);
    c.body["id"].as_str().unwrap().parse().unwrap()
}

async fn item(app: &TestApp, token: &str, category: Uuid, name: &str, price: i64) {
    app.post("/api/v1/menu-items", Some(token), fixtures::item(category, name, price)).await.expect(201);
}

/// A new brand with "Minuman" (Es Kopi Susu, Teh Tarik) and "Makanan" (Nasi
/// Goreng): (brand, drinks, food).
async fn two_categories(app: &TestApp) -> (Tenant, Uuid, Uuid) {
    let t = app.signup().await;
    let drinks = category(app, &t.token, "Minuman").await;
    let food = category(app, &t.token, "Makanan").await;
    item(app, &t.token, drinks, "Es Kopi Susu", 25_000).await;
    item(app, &t.token, drinks, "Teh Tarik", 12_000).await;
    item(app, &t.token, food, "Nasi Goreng", 30_000).await;
    (t, drinks, food)
}

/// Posts the category's edit form with `name` (no station, position 1).
async fn rename_category(app: &TestApp, cookie: &str, csrf: &str, id: Uuid, name: &str) -> reqwest::Response {
    let form = [("name", name), ("station", ""), ("position", "1"), ("csrf_token", csrf)];
    let path = format!("/admin/menu/categories/{id}");
    app.client.post(app.url(&path)).header("cookie", cookie).form(&form).send().await.unwrap()
}

fn items_url(category: Uuid) -> String {
    format!("/admin/menu/categories/{category}/items")
}

#[tokio::test]
async fn an_opened_category_fetches_its_items_and_only_its_brand_may() {
    let app = TestApp::spawn().await;
    let (t, drinks, food) = two_categories(&app).await;
    let owner = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();

    // The page: every category with its count, closed, each fetching its items when opened.
    let page = fetch(&app, &owner, "/admin/menu", false).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("2 kategori · 3 menu"), "{}", page.html);
    assert!(page.html.contains(&format!("hx-get=\"{}\"", items_url(drinks))), "{}", page.html);
    assert!(page.html.contains(&format!("hx-get=\"{}\"", items_url(food))));
    assert!(!page.html.contains("Es Kopi Susu"), "no item is listed before its category is opened");
    // Without JavaScript, a link shows the category open.
    assert!(page.html.contains(&format!("href=\"/admin/menu?open={drinks}#category-{drinks}\"")));

    // Opened: its items, their prices and its edit form; not the other category's.
    let fragment = fetch(&app, &owner, &items_url(drinks), true).await;
    assert_eq!(fragment.status, 200);
    for shown in ["Es Kopi Susu", "Teh Tarik", "Rp 25.000", &format!("action=\"/admin/menu/categories/{drinks}\"")] {
        assert!(fragment.html.contains(shown), "{shown}: {}", fragment.html);
    }
    assert!(!fragment.html.contains("Nasi Goreng"));
    assert!(!fragment.html.contains("<html"), "a fragment, not a page");
    // Asked for outside htmx: the page with that category open.
    let plain = fetch(&app, &owner, &items_url(drinks), false).await;
    assert_eq!(plain.status, 303);
    assert_eq!(plain.location.as_deref(), Some(format!("/admin/menu?open={drinks}#category-{drinks}").as_str()));
    let open = fetch(&app, &owner, &format!("/admin/menu?open={drinks}"), false).await;
    assert!(open.html.contains("Es Kopi Susu") && open.html.contains("Teh Tarik"), "{}", open.html);
    assert!(!open.html.contains("Nasi Goreng"), "the other category stays closed");
    // A search finds items across categories, closed or not.
    let found = fetch(&app, &owner, "/admin/menu?q=GORENG", false).await;
    assert!(found.html.contains("Nasi Goreng") && !found.html.contains("Teh Tarik"), "{}", found.html);

    // Another brand: not found, with or without htmx, and its page opens nothing of ours.
    let other = app.signup().await;
    let stranger = app.admin_sign_in(&other.email, PASSWORD).await.unwrap();
    for htmx in [true, false] {
        let refused = fetch(&app, &stranger, &items_url(drinks), htmx).await;
        assert_eq!(refused.status, 404, "htmx {htmx}");
        assert!(!refused.html.contains("Es Kopi Susu"));
    }
    let theirs = fetch(&app, &stranger, &format!("/admin/menu?open={drinks}&q=kopi"), false).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.html.contains("Es Kopi Susu") && !theirs.html.contains("Minuman"), "{}", theirs.html);
    assert_eq!(fetch(&app, &stranger, &items_url(Uuid::now_v7()), true).await.status, 404);
    assert_eq!(fetch(&app, &stranger, "/admin/menu/categories/not-an-id/items", true).await.status, 404);

    // Signed out: to the sign-in page, nothing listed.
    let anonymous = fetch(&app, "", &items_url(drinks), false).await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.unwrap().starts_with("/admin/login"));
    assert!(!anonymous.html.contains("Es Kopi Susu"));

    // A manager reads the items but gets no edit form; a cashier gets nothing.
    let outlet = app.create_outlet(&t.token, "Kemang").await;
    let manager_email = format!("manager-{}@test.example", Uuid::now_v7().simple());
    let body = fixtures::user(&manager_email, "Manajer", Role::Manager, &[outlet]);
    app.post("/api/v1/users", Some(&t.token), body).await.expect(201);
    let manager = app.admin_sign_in(&manager_email, PASSWORD).await.unwrap();
    let read_only = fetch(&app, &manager, &items_url(drinks), true).await;
    assert_eq!(read_only.status, 200);
    assert!(read_only.html.contains("Es Kopi Susu"));
    assert!(!read_only.html.contains("<form") && !read_only.html.contains("/admin/menu/items/"), "{}", read_only.html);
    let cashier_email = format!("cashier-{}@test.example", Uuid::now_v7().simple());
    let body = fixtures::user(&cashier_email, "Kasir", Role::Cashier, &[outlet]);
    app.post("/api/v1/users", Some(&t.token), body).await.expect(201);
    assert!(app.admin_sign_in(&cashier_email, PASSWORD).await.is_err(), "the admin is for owners and managers");
}

#[tokio::test]
async fn a_refused_category_edit_comes_back_open_with_its_errors() {
    let app = TestApp::spawn().await;
    let (t, drinks, food) = two_categories(&app).await;
    let owner = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let token = csrf_field(&fetch(&app, &owner, "/admin/menu", false).await.html).unwrap();

    // A name another category has: 422, this category open with its items and the message.
    let res = rename_category(&app, &owner, &token, food, "Minuman").await;
    assert_eq!(res.status().as_u16(), 422);
    let html = res.text().await.unwrap();
    let section = html.split(&format!("id=\"category-{food}\"")).nth(1).expect("the category's section");
    let section = section.split("</section>").next().unwrap();
    assert!(section.contains("<details class=\"category-items\" open>"), "{section}");
    assert!(section.contains("<details class=\"edit\" open>"), "{section}");
    assert!(section.contains("Nasi Goreng"), "its items are listed: {section}");
    assert!(section.to_lowercase().contains("kategori lain sudah memakai nama ini"), "{section}");
    assert!(section.contains(&format!("id=\"c-{food}-name\" name=\"name\" value=\"Minuman\"")), "{section}");
    let other = html.split(&format!("id=\"category-{drinks}\"")).nth(1).unwrap().split("</section>").next().unwrap();
    assert!(other.contains("hx-get"), "the other category stays closed: {other}");

    // Saved: back to the menu with that category open.
    let res = rename_category(&app, &owner, &token, food, "Makanan Berat").await;
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(location, format!("/admin/menu?notice=category_saved&open={food}#category-{food}"));
}
