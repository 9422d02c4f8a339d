//! The admin's stock pages over HTTP: the owner records through them once
//! per rendered form; another brand, a manager of another outlet and a
//! cashier see and change nothing; a form without its CSRF token is refused.

use pos_tests::{PASSWORD, TestApp, csrf_field, fixtures};
use serde_json::json;
use uuid::Uuid;

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts `form` with the session's CSRF token (none when `with_token` is false).
async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)], with_token: bool) -> u16 {
    let (_, html) = get(app, cookie, "/admin").await;
    let token = csrf_field(&html).expect("a page carries the CSRF token");
    let mut form = form.to_vec();
    if with_token {
        form.push(("csrf_token", &token));
    }
    let res = app.client.post(app.url(path)).header("cookie", cookie).form(&form).send().await.unwrap();
    res.status().as_u16()
}

async fn on_hand(app: &TestApp, token: &str, outlet: Uuid) -> i64 {
    let stock = app.get(&format!("/api/v1/outlets/{outlet}/stock"), token).await.expect(200);
    stock.body["items"][0]["on_hand"].as_i64().unwrap()
}

#[tokio::test]
async fn stock_pages_record_once_and_only_for_who_may() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let sabang = app.create_outlet(&t.token, "Sabang").await;
    let kemang = app.create_outlet(&t.token, "Kemang").await;
    let made = app.post("/api/v1/ingredients", Some(&t.token), json!({"name": "Susu", "unit": "ml"})).await.expect(201);
    let milk = made.body["id"].as_str().unwrap().to_string();
    let item = pos_tests::menu_item(&app, &t.token, "Latte").await;
    let owner = app.admin_sign_in(&t.email, PASSWORD).await.expect("signed in");

    let page = format!("/admin/outlets/{sabang}/stock");
    let (status, html) = get(&app, &owner, &page).await;
    assert_eq!(status, 200);
    let key = html.split("name=\"client_movement_id\" value=\"").nth(1).and_then(|s| s.get(..36)).unwrap().to_string();
    let record = format!("{page}/movements");
    let receive =
        [("client_movement_id", key.as_str()), ("kind", "receive"), ("ingredient_id", &milk), ("qty", "1000")];
    assert_eq!(post(&app, &owner, &record, &receive, false).await, 403, "no CSRF token, nothing recorded");
    assert_eq!(on_hand(&app, &t.token, sabang).await, 0);
    assert_eq!(post(&app, &owner, &record, &receive, true).await, 303);
    assert_eq!(post(&app, &owner, &record, &receive, true).await, 303, "a double submit answers as the first");
    assert_eq!(on_hand(&app, &t.token, sabang).await, 1_000, "and records once");
    // Sales are the server's own movements: one typed in by hand is refused in the form.
    let sale = [("client_movement_id", ""), ("kind", "sale"), ("ingredient_id", &milk), ("qty", "1")];
    assert_eq!(post(&app, &owner, &record, &sale, true).await, 422);

    // Another brand, a manager of another outlet: 404 everywhere, nothing changes.
    let other = app.signup().await;
    let stranger = app.admin_sign_in(&other.email, PASSWORD).await.expect("signed in");
    let manager_email = format!("manager-{}@test.example", Uuid::now_v7().simple());
    let body = fixtures::user(&manager_email, "Manajer Kemang", pos_wire::Role::Manager, &[kemang]);
    app.post("/api/v1/users", Some(&t.token), body).await.expect(201);
    let manager = app.admin_sign_in(&manager_email, PASSWORD).await.expect("signed in");
    for (who, cookie) in [("stranger", &stranger), ("Kemang's manager", &manager)] {
        for path in [page.clone(), format!("{page}/movements")] {
            assert_eq!(get(&app, cookie, &path).await.0, 404, "{who}: {path}");
        }
        let fresh = [("client_movement_id", ""), ("kind", "receive"), ("ingredient_id", &milk), ("qty", "5")];
        assert_eq!(post(&app, cookie, &record, &fresh, true).await, 404, "{who}");
        let level = format!("{page}/{milk}/threshold");
        assert_eq!(post(&app, cookie, &level, &[("threshold", "1")], true).await, 404, "{who}");
    }
    assert_eq!(on_hand(&app, &t.token, sabang).await, 1_000);
    let recipe = format!("/admin/menu/items/{item}/recipe");
    assert_eq!(get(&app, &stranger, &recipe).await.0, 404);
    let line = [("item.ingredient_id", milk.as_str()), ("item.qty", "200")];
    assert_eq!(post(&app, &stranger, &recipe, &line, true).await, 404);
    assert_eq!(post(&app, &stranger, &format!("/admin/stock/ingredients/{milk}/delete"), &[], true).await, 404);
    let (_, html) = get(&app, &stranger, "/admin/stock/ingredients").await;
    assert!(!html.contains(&milk), "another brand's ingredient never shows");
    let kept = app.get(&format!("/api/v1/menu-items/{item}/recipe"), &t.token).await.expect(200);
    assert_eq!(kept.body["lines"], json!([]));
    app.get(&format!("/api/v1/ingredients/{milk}"), &t.token).await.expect(200);

    // A cashier has no admin at all.
    let cashier_email = format!("cashier-{}@test.example", Uuid::now_v7().simple());
    let body = fixtures::user(&cashier_email, "Kasir", pos_wire::Role::Cashier, &[sabang]);
    app.post("/api/v1/users", Some(&t.token), body).await.expect(201);
    assert!(app.admin_sign_in(&cashier_email, PASSWORD).await.is_err(), "cashiers do not sign in to the admin");

    // An offline kiosk order takes more milk than there is: the page shows it negative, marked.
    let recipe = json!({"lines": [{"ingredient_id": milk, "qty": 1_200}]});
    let path = format!("/api/v1/menu-items/{item}/recipe");
    app.call(reqwest::Method::PUT, &path, Some(&t.token), Some(recipe)).await.expect(200);
    let got = app.get(&format!("/api/v1/menu-items/{item}"), &t.token).await.expect(200);
    let size: Uuid = got.body["modifier_groups"][0]["options"][0]["id"].as_str().unwrap().parse().unwrap();
    let (device, kiosk) = app.pair_device(&t.token, sabang, "kiosk").await;
    let offline = fixtures::order(sabang, pos_wire::Channel::Kiosk, vec![fixtures::line_with(item, 1, &[size])]);
    let pushed = app.post("/api/v1/sync/push", Some(&kiosk), fixtures::push(device, [offline])).await.expect(200);
    assert_eq!(pushed.body["results"][0]["outcome"], "created", "{}", pushed.text);
    assert_eq!(on_hand(&app, &t.token, sabang).await, -200);
    let (_, html) = get(&app, &owner, &page).await;
    let row = html.split(&format!("id=\"level-{milk}\"")).nth(1).and_then(|r| r.split("</tr>").next()).unwrap();
    assert!(row.contains("class=\"negative"), "{row}");
    assert!(row.contains("-200 ml") && row.contains("badge negative"), "{row}");
}
