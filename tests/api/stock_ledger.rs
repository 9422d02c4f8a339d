//! The stock ledger listing (`GET /outlets/{id}/stock-movements`): newest
//! first, each movement with who recorded it and why, filtered by
//! ingredient, kind and time, paged without gaps or repeats, and only for
//! staff of the outlet.

use pos_tests::{Reply, TestApp, fixtures, paying::field_code};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

fn id(r: &Reply) -> Uuid {
    r.body["id"].as_str().unwrap_or_else(|| panic!("no id: {}", r.text)).parse().unwrap()
}

fn kinds(r: &Reply) -> Vec<String> {
    r.body["items"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap().to_string()).collect()
}

async fn record(app: &TestApp, token: &str, outlet: Uuid, body: Value) -> Reply {
    app.post(&format!("/api/v1/outlets/{outlet}/stock-movements"), Some(token), body).await
}

fn movement(ingredient: Uuid, kind: &str, qty: i64) -> Value {
    json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": ingredient, "kind": kind, "qty": qty})
}

#[tokio::test]
async fn the_ledger_lists_newest_first_with_who_and_why_filtered_and_paged() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let sabang = app.create_outlet(&t.token, "Sabang").await;
    let kemang = app.create_outlet(&t.token, "Kemang").await;
    let milk_body = json!({"name": "Susu", "unit": "ml", "cost_per_unit_minor": 20});
    let milk = id(&app.post("/api/v1/ingredients", Some(&t.token), milk_body).await.expect(201));
    let beans_body = json!({"name": "Biji kopi", "unit": "g"});
    let beans = id(&app.post("/api/v1/ingredients", Some(&t.token), beans_body).await.expect(201));
    let item = pos_tests::menu_item(&app, &t.token, "Latte").await;
    let recipe = json!({"lines": [{"ingredient_id": milk, "qty": 200}]});
    app.call(Method::PUT, &format!("/api/v1/menu-items/{item}/recipe"), Some(&t.token), Some(recipe)).await.expect(200);
    let (manager_id, manager) = app.create_staff(&t.token, "manager", &[sabang]).await;

    let t0 = chrono::Utc::now();
    record(&app, &manager, sabang, movement(milk, "receive", 1_000)).await.expect(201);
    record(&app, &manager, sabang, movement(beans, "receive", 500)).await.expect(201);
    let waste = json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": milk, "kind": "waste", "qty": 50, "note": "Basi"});
    record(&app, &manager, sabang, waste).await.expect(201);
    let got = app.get(&format!("/api/v1/menu-items/{item}"), &t.token).await.expect(200);
    let size: Uuid = got.body["modifier_groups"][0]["options"][0]["id"].as_str().unwrap().parse().unwrap();
    let (_, kiosk) = app.pair_device(&t.token, sabang, "kiosk").await;
    let order = fixtures::order(sabang, pos_wire::Channel::Kiosk, vec![fixtures::line_with(item, 1, &[size])]);
    let sold = app.post("/api/v1/orders", Some(&kiosk), order).await.expect(201);
    let out = json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": milk, "kind": "transfer_out", "qty": 100, "to_outlet_id": kemang});
    record(&app, &manager, sabang, out).await.expect(201);
    record(&app, &manager, sabang, movement(milk, "count", 600)).await.expect(201);
    // Another outlet's movement never shows at this one.
    record(&app, &t.token, kemang, movement(beans, "receive", 7)).await.expect(201);

    let path = format!("/api/v1/outlets/{sabang}/stock-movements");
    let all = app.get(&path, &manager).await.expect(200);
    assert_eq!(kinds(&all), ["count", "transfer_out", "sale", "waste", "receive", "receive"], "{}", all.text);
    assert_eq!(all.body["next_cursor"], Value::Null);
    let items = all.body["items"].as_array().unwrap();
    let count = &items[0];
    assert_eq!(count["counted"], 600);
    assert_eq!(count["variance"], -50, "1000 - 50 - 200 - 100 = 650 expected, 600 counted");
    assert_eq!(count["ingredient_name"], "Susu");
    assert_eq!(count["unit"], "ml");
    assert_eq!(count["user_id"], json!(manager_id));
    assert!(count["user_name"].as_str().is_some_and(|n| !n.is_empty()), "who: {count}");
    assert_eq!(items[1]["other_outlet_id"], json!(kemang));
    assert_eq!(items[1]["other_outlet_name"], Value::Null, "a manager of Sabang does not see Kemang's name");
    let as_owner = app.get(&format!("{path}?kind=transfer_out"), &t.token).await.expect(200);
    assert_eq!(as_owner.body["items"][0]["other_outlet_name"], "Kemang");
    assert_eq!(items[2]["order_id"], sold.body["id"]);
    assert_eq!(items[2]["order_number"], sold.body["number"]);
    assert_eq!(items[2]["qty"], -200);
    assert_eq!(items[2]["user_name"], Value::Null, "a kiosk sold it");
    assert_eq!(items[2]["device_name"], "Tablet");
    assert_eq!(items[3]["note"], "Basi");
    assert!(items.iter().all(|m| m["outlet_id"] == json!(sabang)));

    // Filters.
    let r = app.get(&format!("{path}?ingredient_id={beans}"), &manager).await.expect(200);
    assert_eq!(kinds(&r), ["receive"]);
    assert_eq!(r.body["items"][0]["qty"], 500);
    let r = app.get(&format!("{path}?kind=receive"), &manager).await.expect(200);
    assert_eq!(kinds(&r), ["receive", "receive"]);
    let r = app.get(&format!("{path}?kind=sale&ingredient_id={milk}"), &manager).await.expect(200);
    assert_eq!(kinds(&r), ["sale"]);
    let future = (chrono::Utc::now() + chrono::TimeDelta::hours(1)).to_rfc3339();
    let past = (t0 - chrono::TimeDelta::hours(1)).to_rfc3339();
    let q = |from: &str, to: &str| format!("{path}?from={}&to={}", urlencode(from), urlencode(to));
    let r = app.get(&q(&past, &future), &manager).await.expect(200);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 6);
    let r = app.get(&format!("{path}?from={}", urlencode(&future)), &manager).await.expect(200);
    assert_eq!(r.body["items"], json!([]));
    let r = app.get(&format!("{path}?to={}", urlencode(&past)), &manager).await.expect(200);
    assert_eq!(r.body["items"], json!([]));

    // Pages of two: every movement once, in the same order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            Some(c) => format!("{path}?limit=2&cursor={c}"),
            None => format!("{path}?limit=2"),
        };
        let page = app.get(&page_path, &manager).await.expect(200);
        assert!(page.body["items"].as_array().unwrap().len() <= 2);
        seen.extend(kinds(&page));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, kinds(&all));

    // Refusals: a wrong kind, a malformed cursor, a bad limit, a malformed date.
    let r = app.get(&format!("{path}?kind=theft"), &manager).await.expect(422);
    assert_eq!(field_code(&r, "kind"), "stock_movement_kind_invalid");
    let r = app.get(&q(&future, &past), &manager).await.expect(200);
    assert_eq!(r.body["items"], json!([]), "a reversed range holds nothing (as for orders)");
    let r = app.get(&format!("{path}?cursor=not-a-cursor"), &manager).await.expect(422);
    assert_eq!(field_code(&r, "cursor"), "cursor_invalid");
    app.get(&format!("{path}?limit=0"), &manager).await.expect(422);
    let r = app.get(&format!("{path}?from=yesterday"), &manager).await.expect(422);
    assert_eq!(field_code(&r, "query"), "invalid_value");
}

#[tokio::test]
async fn only_staff_of_the_outlet_read_its_ledger() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let sabang = app.create_outlet(&t.token, "Sabang").await;
    let kemang = app.create_outlet(&t.token, "Kemang").await;
    let body = json!({"name": "Susu", "unit": "ml"});
    let milk = id(&app.post("/api/v1/ingredients", Some(&t.token), body).await.expect(201));
    record(&app, &t.token, sabang, movement(milk, "receive", 10)).await.expect(201);
    let path = format!("/api/v1/outlets/{sabang}/stock-movements");
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[sabang]).await;
    let (_, kitchen) = app.create_staff(&t.token, "kitchen", &[sabang]).await;
    for staff in [&cashier, &kitchen] {
        let r = app.get(&path, staff).await.expect(200);
        assert_eq!(kinds(&r), ["receive"]);
    }
    let (_, elsewhere) = app.create_staff(&t.token, "manager", &[kemang]).await;
    app.get(&path, &elsewhere).await.expect(404);
    let (_, kiosk) = app.pair_device(&t.token, sabang, "kiosk").await;
    app.get(&path, &kiosk).await.expect(403);
    let stranger = app.signup().await;
    app.get(&path, &stranger.token).await.expect(404);
    app.get(&path, "not a token").await.expect(401);
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}
