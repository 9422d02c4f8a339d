//! Item codes (SKU/PLU) the till searches by: optional, 1–32 of
//! `A-Za-z0-9-_.`, unique in the brand whatever their case (`code_taken`),
//! free again once their item is deleted, reusable by another brand, and
//! carried in the menu to devices (pull and the outlet's menu).

use pos_tests::{TestApp, fixtures, paying};
use pos_wire::{CreateMenuItem, UpdateMenuItem};
use serde_json::{Value, json};

fn coded(category: &str, name: &str, code: &str) -> CreateMenuItem {
    CreateMenuItem { code: Some(code.into()), ..fixtures::item(category.parse().unwrap(), name, 18000) }
}

async fn category(app: &TestApp, token: &str) -> String {
    let r = app.post("/api/v1/categories", Some(token), fixtures::category("Minuman", None)).await.expect(201);
    r.body["id"].as_str().unwrap().to_string()
}

fn id(body: &Value) -> String {
    body["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn codes_are_checked_unique_per_brand_whatever_the_case_and_reach_devices() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let c = category(&app, &t.token).await;

    // Created with a code (trimmed), without one, with an empty one (none).
    let teh = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Es Teh", " ET-01 ")).await.expect(201);
    assert_eq!(teh.body["code"], "ET-01");
    let plain = app.post("/api/v1/menu-items", Some(&t.token), fixtures::item(c.parse().unwrap(), "Air", 5000));
    assert!(plain.await.expect(201).body["code"].is_null());
    let empty = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Jeruk", "")).await.expect(201);
    assert!(empty.body["code"].is_null());

    // Malformed codes: a field error each, nothing stored.
    for bad in ["ET 01", "kopi/1", "é", &"9".repeat(33)] {
        let r = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Bad", bad)).await.expect(422);
        assert_eq!(paying::field_code(&r, "code"), "item_code_invalid", "{bad}");
    }

    // Taken, whatever the case: on create and on update.
    let r = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Teh Lagi", "et-01")).await.expect(422);
    assert_eq!(paying::field_code(&r, "code"), "code_taken");
    let kopi = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Kopi", "KP-1")).await.expect(201);
    let kopi_id = id(&kopi.body);
    let path = format!("/api/v1/menu-items/{kopi_id}");
    let r = app.patch(&path, &t.token, json!({"code": "Et-01"})).await.expect(422);
    assert_eq!(paying::field_code(&r, "code"), "code_taken");
    assert_eq!(app.get(&path, &t.token).await.expect(200).body["code"], "KP-1", "unchanged after a refusal");

    // Its own code in another case, another field changed: kept; null removes it.
    let r = app.patch(&path, &t.token, json!({"code": "kp-1"})).await.expect(200);
    assert_eq!(r.body["code"], "kp-1");
    let r = app.patch(&path, &t.token, UpdateMenuItem { price_minor: Some(20000), ..Default::default() }).await;
    assert_eq!(r.expect(200).body["code"], "kp-1", "a patch without code keeps it");
    let r = app.patch(&path, &t.token, json!({"code": null})).await.expect(200);
    assert!(r.body["code"].is_null());

    // A deleted item's code is free again.
    app.delete(&format!("/api/v1/menu-items/{}", id(&teh.body)), &t.token).await.expect(204);
    let again = app.post("/api/v1/menu-items", Some(&t.token), coded(&c, "Es Teh Baru", "ET-01")).await.expect(201);
    assert_eq!(again.body["code"], "ET-01");

    // Another brand uses the same code freely, and cannot see this one's.
    let other = app.signup().await;
    let oc = category(&app, &other.token).await;
    app.post("/api/v1/menu-items", Some(&other.token), coded(&oc, "Teh Tetangga", "et-01")).await.expect(201);
    let list = app.get("/api/v1/menu-items", &other.token).await.expect(200);
    let codes: Vec<&str> = list.body["items"].as_array().unwrap().iter().filter_map(|i| i["code"].as_str()).collect();
    assert_eq!(codes, ["et-01"]);

    // Devices get the code: the outlet's menu and the sync pull.
    let outlet = app.create_outlet(&t.token, "Main").await;
    let menu = app.get(&format!("/api/v1/outlets/{outlet}/menu"), &t.token).await.expect(200);
    let items: Vec<&Value> =
        menu.body["categories"].as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap()).collect();
    assert!(items.iter().any(|i| i["name"] == "Es Teh Baru" && i["code"] == "ET-01"), "{}", menu.text);
    let (_, device) = app.pair_device(&t.token, outlet, "till").await;
    let pull = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}"), &device).await.expect(200);
    let pulled = pull.body["changes"].as_array().unwrap();
    assert!(
        pulled.iter().any(|ch| ch["data"]["name"] == "Es Teh Baru" && ch["data"]["code"] == "ET-01"),
        "{}",
        pull.text
    );
}
