//! The admin's floor page (areas and tables of an outlet), the outlet's
//! discount limit in its form, and discounts on the order page: kept by the
//! brand's own owner, invisible to another brand.

use pos_tests::{PASSWORD, TestApp, csrf_field, fixtures, plain_menu_item};
use pos_wire::{DiningTable, Outlet};
use serde_json::json;
use uuid::Uuid;

async fn get(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let (_, html) = get(app, cookie, "/admin").await;
    let token = csrf_field(&html).expect("a page carries the CSRF token");
    let mut form = form.to_vec();
    form.push(("csrf_token", &token));
    let res = app.client.post(app.url(path)).header("cookie", cookie).form(&form).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_owner_keeps_the_floor_and_the_discount_limit_in_the_admin() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Resto").await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.expect("signed in");
    let floor = format!("/admin/outlets/{outlet}/tables");

    assert_eq!(get(&app, &cookie, &floor).await.0, 200);
    assert_eq!(post(&app, &cookie, &format!("/admin/outlets/{outlet}/areas"), &[("name", "Teras")]).await.0, 303);
    let (_, html) = get(&app, &cookie, &floor).await;
    let area = html.split("id=\"area-").nth(1).and_then(|s| s.get(..36)).expect("the area on the page").to_string();
    let table = [("area_id", area.as_str()), ("label", "T1"), ("seats", "4")];
    assert_eq!(post(&app, &cookie, &floor, &table).await.0, 303);
    let (status, html) = post(&app, &cookie, &floor, &[("area_id", &area), ("label", "t1"), ("seats", "x")]).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("floor-errors"), "{html}");
    let tables: Vec<DiningTable> =
        app.get(&format!("/api/v1/outlets/{outlet}/tables"), &t.token).await.expect(200).json();
    assert_eq!(tables.iter().map(|t| (t.label.as_str(), t.seats)).collect::<Vec<_>>(), [("T1", 4)]);
    let (status, _) = post(&app, &cookie, &format!("/admin/areas/{area}/delete"), &[]).await;
    assert_eq!(status, 409, "an area with tables stays");

    // Another brand sees none of it and changes nothing.
    let other = app.signup().await;
    let stranger = app.admin_sign_in(&other.email, PASSWORD).await.expect("signed in");
    assert_eq!(get(&app, &stranger, &floor).await.0, 404);
    assert_eq!(post(&app, &stranger, &format!("/admin/tables/{}/delete", tables[0].id), &[]).await.0, 404);
    assert_eq!(post(&app, &stranger, &format!("/admin/outlets/{outlet}/areas"), &[("name", "X")]).await.0, 404);
    assert_eq!(
        app.get(&format!("/api/v1/outlets/{outlet}/tables"), &t.token).await.body.as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(post(&app, &cookie, &format!("/admin/tables/{}/delete", tables[0].id), &[]).await.0, 303);

    // The discount limit, as a percentage in the outlet's form.
    let form = [
        ("name", "Resto"),
        ("address", ""),
        ("timezone", "Asia/Jakarta"),
        ("tax_percent", "10"),
        ("service_percent", "0"),
        ("is_open", "on"),
        ("cash_rounding_step", "0"),
        ("kiosk_kitchen_release", "on_place"),
        ("tax_number", ""),
        ("discount_limit_percent", "15"),
    ];
    let (status, html) = post(&app, &cookie, &format!("/admin/outlets/{outlet}"), &form).await;
    assert_eq!(status, 303, "{html}");
    let saved: Outlet = app.get(&format!("/api/v1/outlets/{outlet}"), &t.token).await.expect(200).json();
    assert_eq!(saved.discount_limit_bp, 1_500);

    // Discounts on the order page, with who gave them.
    let item = plain_menu_item(&app, &t.token, "Nasi Goreng", 25_000, None).await;
    let o: pos_wire::Order = app
        .post("/api/v1/orders", Some(&t.token), fixtures::counter_order(outlet, vec![fixtures::line(item, 2)]))
        .await
        .expect(201)
        .json();
    let body =
        json!({"client_discount_id": Uuid::now_v7(), "kind": "amount", "value": 5000, "reason": "Pelanggan setia"});
    app.post(&format!("/api/v1/orders/{}/discounts", o.id), Some(&t.token), body).await.expect(201);
    let (status, html) = get(&app, &cookie, &format!("/admin/orders/{}", o.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("order-discounts") && html.contains("Pelanggan setia"), "{html}");
    assert!(html.contains("Rp 5.000"), "{html}");
}
