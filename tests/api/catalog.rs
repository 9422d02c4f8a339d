use pos_tests::{TestApp, fixtures, ids};
use pos_wire::{CreateMenuItem, MenuItem, ModifierOption, UpdateCategory, UpdateMenuItem, UpdateOutletItem};
use serde_json::{Value, json};
use uuid::Uuid;

async fn category(app: &TestApp, token: &str, name: &str) -> String {
    app.post("/api/v1/categories", Some(token), fixtures::category(name, Some("Bar"))).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kopi(category: &str) -> CreateMenuItem {
    CreateMenuItem {
        description: "Espresso, susu, gula aren".into(),
        modifier_groups: vec![
            fixtures::group("Es", 1, 1, &[("Normal ice", 0), ("Less ice", 0)]),
            fixtures::group("Extra", 0, 2, &[("Extra shot", 6000), ("Oat milk", 8000)]),
        ],
        ..fixtures::item(category.parse().unwrap(), "Kopi Susu Gula Aren", 28000)
    }
}

#[tokio::test]
async fn categories_validate_order_and_refuse_deleting_nonempty() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let r = app.post("/api/v1/categories", Some(&t.token), json!({"name": " ", "position": -1})).await.expect(422);
    assert!(r.body["errors"]["name"].is_array() && r.body["errors"]["position"].is_array(), "{}", r.text);
    let a = category(&app, &t.token, "Kopi").await;
    let r = app.post("/api/v1/categories", Some(&t.token), fixtures::category("Makanan", None)).await.expect(201);
    assert_eq!(r.body["position"], 1, "appended after the last");
    assert!(r.body["station"].is_null());
    let r = app.post("/api/v1/categories", Some(&t.token), fixtures::category("kopi", None)).await.expect(422);
    assert!(r.body["errors"]["name"].is_array(), "names are unique per brand");
    let r = app.get(&format!("/api/v1/categories/{a}"), &t.token).await.expect(200);
    assert_eq!(r.body["station"], "bar", "stations are normalised");
    let r = app
        .patch(
            &format!("/api/v1/categories/{a}"),
            &t.token,
            UpdateCategory { station: Some(None), position: Some(5), ..Default::default() },
        )
        .await
        .expect(200);
    assert!(r.body["station"].is_null());
    assert_eq!(r.body["position"], 5);

    app.post("/api/v1/menu-items", Some(&t.token), kopi(&a)).await.expect(201);
    app.delete(&format!("/api/v1/categories/{a}"), &t.token).await.expect(409);
    let list = app.get("/api/v1/categories", &t.token).await.expect(200);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn items_with_modifier_groups_follow_every_rule() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let c = category(&app, &t.token, "Kopi").await;

    let mut bad = kopi(&c);
    bad.price_minor = -1;
    bad.modifier_groups[0].min = 2;
    bad.modifier_groups[1].max = 3;
    bad.modifier_groups[1].options[0].name = String::new();
    bad.image_url = Some("javascript:alert(1)".into());
    let r = app.post("/api/v1/menu-items", Some(&t.token), bad).await.expect(422);
    for f in [
        "price_minor",
        "modifier_groups[0].min",
        "modifier_groups[1].max",
        "modifier_groups[1].options[0].name",
        "image_url",
    ] {
        assert!(r.body["errors"][f].is_array(), "{f}: {}", r.text);
    }
    let orphan = CreateMenuItem { category_id: Uuid::now_v7(), ..kopi(&c) };
    let r = app.post("/api/v1/menu-items", Some(&t.token), orphan).await.expect(422);
    assert!(r.body["errors"]["category_id"].is_array());
    assert!(
        app.get("/api/v1/menu-items", &t.token).await.body["items"].as_array().unwrap().is_empty(),
        "nothing stored"
    );

    let item = app.post("/api/v1/menu-items", Some(&t.token), kopi(&c)).await.expect(201).body;
    let id = item["id"].as_str().unwrap();
    let option = item["modifier_groups"][1]["options"][0]["id"].clone();
    assert!(option.is_string(), "options get ids");

    // Replacing the groups keeps the ids sent back; new options get new ids.
    let mut groups = serde_json::from_value::<MenuItem>(item.clone()).unwrap().modifier_groups;
    groups[1].options.push(ModifierOption { id: None, name: "Vanilla".into(), price_minor: 5000 });
    groups[1].max = 3;
    let change = UpdateMenuItem { modifier_groups: Some(groups), price_minor: Some(30000), ..Default::default() };
    let r = app.patch(&format!("/api/v1/menu-items/{id}"), &t.token, change).await.expect(200);
    assert_eq!(r.body["modifier_groups"][1]["options"][0]["id"], option);
    assert!(r.body["modifier_groups"][1]["options"][2]["id"].is_string());
    assert_eq!(r.body["price_minor"], 30000);
    assert_eq!(r.body["name"], "Kopi Susu Gula Aren");

    // Managers cannot change the brand's menu.
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (_, manager) = app.create_staff(&t.token, "manager", &[outlet]).await;
    app.patch(&format!("/api/v1/menu-items/{id}"), &manager, fixtures::item_price(1)).await.expect(403);
    app.post("/api/v1/menu-items", Some(&manager), kopi(&c)).await.expect(403);

    app.delete(&format!("/api/v1/menu-items/{id}"), &t.token).await.expect(204);
    app.get(&format!("/api/v1/menu-items/{id}"), &t.token).await.expect(404);
}

#[tokio::test]
async fn outlet_overrides_86_and_price_per_outlet_with_etags() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let c = category(&app, &t.token, "Kopi").await;
    let item = app.post("/api/v1/menu-items", Some(&t.token), kopi(&c)).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = app.create_outlet(&t.token, "A").await;
    let b = app.create_outlet(&t.token, "B").await;

    let menu = app.get(&format!("/api/v1/outlets/{a}/menu"), &t.token).await.expect(200);
    let etag = menu.header("etag").unwrap().to_string();
    assert_eq!(menu.body["currency"], "IDR");
    assert_eq!(menu.body["categories"][0]["items"][0]["available"], true);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/outlets/{a}/menu")))
        .bearer_auth(&t.token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);

    // The manager of A 86es the item at A only; B is unaffected.
    let (_, manager) = app.create_staff(&t.token, "manager", &[a]).await;
    let r = app
        .patch(&format!("/api/v1/outlets/{a}/menu-items/{item}"), &manager, fixtures::availability(false))
        .await
        .expect(200);
    assert_eq!(r.body["available"], false);
    assert!(r.body["unavailable_until"].is_null());
    app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &manager, fixtures::availability(false))
        .await
        .expect(404);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/outlets/{a}/menu")))
        .bearer_auth(&t.token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "a change makes the old ETag stale");
    let menu_a = app.get(&format!("/api/v1/outlets/{a}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_a.body["categories"][0]["items"][0]["available"], false);
    let menu_b = app.get(&format!("/api/v1/outlets/{b}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["available"], true);

    // Outlet price, then back to the brand price with null.
    app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &t.token, fixtures::outlet_price(Some(25000)))
        .await
        .expect(200);
    let menu_b = app.get(&format!("/api/v1/outlets/{b}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["price_minor"], 25000);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["base_price_minor"], 28000);
    app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &t.token, fixtures::outlet_price(None))
        .await
        .expect(200);
    let menu_b = app.get(&format!("/api/v1/outlets/{b}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["price_minor"], 28000);

    // Until the end of the outlet's day: a time in the future, within a day.
    let r = app
        .patch(
            &format!("/api/v1/outlets/{b}/menu-items/{item}"),
            &t.token,
            UpdateOutletItem { until_end_of_day: true, ..fixtures::availability(false) },
        )
        .await
        .expect(200);
    let until: chrono::DateTime<chrono::Utc> = r.body["unavailable_until"].as_str().unwrap().parse().unwrap();
    let left = until - chrono::Utc::now();
    assert!(left > chrono::Duration::zero() && left <= chrono::Duration::hours(24), "{until}");

    // Invalid: a time in the past, an end time while available, a negative price, nothing at all.
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    for body in [
        UpdateOutletItem { unavailable_until: Some(past), ..fixtures::availability(false) },
        UpdateOutletItem { until_end_of_day: true, ..fixtures::availability(true) },
        fixtures::outlet_price(Some(-5)),
        UpdateOutletItem::default(),
    ] {
        app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &t.token, body).await.expect(422);
    }
    // Cashiers and devices cannot 86.
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[a]).await;
    app.patch(&format!("/api/v1/outlets/{a}/menu-items/{item}"), &cashier, fixtures::availability(true))
        .await
        .expect(403);
}

#[tokio::test]
async fn a_timed_86_ends_by_itself_and_changes_the_etag() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let c = category(&app, &t.token, "Kopi").await;
    let item = app.post("/api/v1/menu-items", Some(&t.token), kopi(&c)).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = app.create_outlet(&t.token, "A").await;
    let until = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    app.patch(
        &format!("/api/v1/outlets/{a}/menu-items/{item}"),
        &t.token,
        UpdateOutletItem { unavailable_until: Some(until), ..fixtures::availability(false) },
    )
    .await
    .expect(200);
    let during = app.get(&format!("/api/v1/outlets/{a}/menu"), &t.token).await.expect(200);
    assert_eq!(during.body["categories"][0]["items"][0]["available"], false);
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    let after = app.get(&format!("/api/v1/outlets/{a}/menu"), &t.token).await.expect(200);
    assert_eq!(after.body["categories"][0]["items"][0]["available"], true);
    assert_ne!(during.header("etag"), after.header("etag"));
}

fn entities(page: &Value) -> Vec<(String, String, String)> {
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["entity"].as_str().unwrap().into(), c["id"].as_str().unwrap().into(), c["op"].as_str().unwrap().into())
        })
        .collect()
}

#[tokio::test]
async fn pull_gives_snapshots_pages_increments_and_tombstones() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let c = category(&app, &t.token, "Kopi").await;
    let mut made = Vec::new();
    for i in 0..5 {
        let body = CreateMenuItem { name: format!("Kopi {i}"), ..kopi(&c) };
        made.push(
            app.post("/api/v1/menu-items", Some(&t.token), body).await.expect(201).body["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let (_, device) = app.pair_device(&t.token, outlet, "kiosk").await;

    // Snapshot in pages of 2: every row exactly once (1 outlet + 1 category + 5 items).
    let mut seen = Vec::new();
    let mut since: Option<String> = None;
    let mut total = None;
    loop {
        let q = match &since {
            Some(s) => format!("/api/v1/sync/pull?outlet_id={outlet}&limit=2&since={s}"),
            None => format!("/api/v1/sync/pull?outlet_id={outlet}&limit=2"),
        };
        let page = app.get(&q, &device).await.expect(200);
        if total.is_none() {
            total = page.body["total"].as_i64();
        }
        seen.extend(entities(&page.body));
        since = Some(page.body["cursor"].as_str().unwrap().to_string());
        if !page.body["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    assert_eq!(total, Some(7));
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 7);
    assert!(seen.iter().all(|(_, _, op)| op == "upsert"));
    let cursor = since.unwrap();

    // Nothing new: an empty page at the same cursor.
    let page = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&since={cursor}"), &device).await.expect(200);
    assert!(page.body["changes"].as_array().unwrap().is_empty());
    assert_eq!(page.body["cursor"], cursor.as_str());

    // Changes after the cursor: an 86, a price change, a deletion (tombstone), outlet settings.
    app.patch(&format!("/api/v1/outlets/{outlet}/menu-items/{}", made[0]), &t.token, fixtures::availability(false))
        .await
        .expect(200);
    app.patch(&format!("/api/v1/menu-items/{}", made[1]), &t.token, fixtures::item_price(1000)).await.expect(200);
    app.delete(&format!("/api/v1/menu-items/{}", made[2]), &t.token).await.expect(204);
    app.patch(
        &format!("/api/v1/outlets/{outlet}"),
        &t.token,
        pos_wire::UpdateOutlet { service_charge_bp: Some(500), ..Default::default() },
    )
    .await
    .expect(200);
    let page = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&since={cursor}"), &device).await.expect(200);
    assert_eq!(
        entities(&page.body),
        vec![
            ("item_override".into(), made[0].clone(), "upsert".into()),
            ("menu_item".into(), made[1].clone(), "upsert".into()),
            ("menu_item".into(), made[2].clone(), "delete".into()),
            ("outlet".into(), outlet.to_string(), "upsert".into()),
        ],
        "changes come in commit order"
    );
    assert_eq!(page.body["changes"][0]["data"]["available"], false);
    assert_eq!(page.body["changes"][1]["data"]["price_minor"], 1000);
    assert!(page.body["changes"][2].get("data").is_none());
    assert_eq!(page.body["changes"][3]["data"]["service_charge_bp"], 500);
    assert_eq!(page.body["changes"][3]["data"]["currency"], "IDR", "devices learn the currency from their outlet");

    // Another outlet's overrides never reach this outlet's devices.
    let other = app.create_outlet(&t.token, "Other").await;
    let cursor = page.body["cursor"].as_str().unwrap().to_string();
    app.patch(&format!("/api/v1/outlets/{other}/menu-items/{}", made[3]), &t.token, fixtures::availability(false))
        .await
        .expect(200);
    let page = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&since={cursor}"), &device).await.expect(200);
    assert!(page.body["changes"].as_array().unwrap().is_empty(), "{}", page.text);
    app.get(&format!("/api/v1/sync/pull?outlet_id={other}"), &device).await.expect(404);
    let r = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&since=garbage"), &device).await.expect(422);
    assert!(r.body["errors"]["since"].is_array());

    // A new brand currency reaches devices as a change of their outlet.
    app.patch("/api/v1/brand", &t.token, json!({"currency": "SGD"})).await.expect(200);
    let page = app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&since={cursor}"), &device).await.expect(200);
    assert_eq!(entities(&page.body), vec![("outlet".into(), outlet.to_string(), "upsert".into())]);
    assert_eq!(page.body["changes"][0]["data"]["currency"], "SGD");
}

#[tokio::test]
async fn images_are_checked_stored_and_cached() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82".to_vec();
    let up = |body: Vec<u8>, ct: &'static str, token: String| {
        let req = app.client.post(app.url("/api/v1/images")).bearer_auth(token).header("content-type", ct).body(body);
        async move { TestApp::read(req.send().await.unwrap()).await }
    };
    let r = up(png.clone(), "image/png", t.token.clone()).await.expect(201);
    let url = r.body["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/media/") && url.ends_with(".png"));
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(res.bytes().await.unwrap().to_vec(), png);

    let r = up(b"<svg onload=alert(1)>".to_vec(), "image/png", t.token.clone()).await.expect(422);
    assert!(r.body["errors"]["image"].is_array());
    up(vec![0xFF; 3 * 1024 * 1024], "image/jpeg", t.token.clone()).await.expect(413);
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (_, manager) = app.create_staff(&t.token, "manager", &[outlet]).await;
    up(png.clone(), "image/png", manager).await.expect(403);

    // The uploaded URL is accepted on an item.
    let c = category(&app, &t.token, "Kopi").await;
    let body = CreateMenuItem { image_url: Some(url.to_string()), ..kopi(&c) };
    app.post("/api/v1/menu-items", Some(&t.token), body).await.expect(201);
}

#[tokio::test]
async fn items_list_by_category_and_devices_read_their_menu() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let c1 = category(&app, &t.token, "Kopi").await;
    let c2 = category(&app, &t.token, "Teh").await;
    let one = app.post("/api/v1/menu-items", Some(&t.token), kopi(&c1)).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    app.post("/api/v1/menu-items", Some(&t.token), kopi(&c2)).await.expect(201);
    let r = app.get(&format!("/api/v1/menu-items?category_id={c1}"), &t.token).await.expect(200);
    assert_eq!(ids(&r), vec![one]);
    let outlet = app.create_outlet(&t.token, "Main").await;
    let sibling = app.create_outlet(&t.token, "Sibling").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let menu = app.get(&format!("/api/v1/outlets/{outlet}/menu"), &kiosk).await.expect(200);
    assert_eq!(menu.body["categories"].as_array().unwrap().len(), 2);
    app.get(&format!("/api/v1/outlets/{sibling}/menu"), &kiosk).await.expect(404);
    app.post("/api/v1/categories", Some(&kiosk), fixtures::category("X", None)).await.expect(403);
}

#[tokio::test]
async fn menu_changes_reach_the_outlet_streams() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "A").await;
    let b = app.create_outlet(&t.token, "B").await;
    let item = pos_tests::menu_item(&app, &t.token, "Kopi").await;
    let (_, kiosk_a) = app.pair_device(&t.token, a, "kiosk").await;
    let (_, kiosk_b) = app.pair_device(&t.token, b, "kiosk").await;
    let mut on_a =
        pos_tests::SseClient::connect(&app.url(&format!("/api/v1/outlets/{a}/events")), &kiosk_a, None).await;
    let mut on_b =
        pos_tests::SseClient::connect(&app.url(&format!("/api/v1/outlets/{b}/events")), &kiosk_b, None).await;
    app.patch(&format!("/api/v1/outlets/{a}/menu-items/{item}"), &t.token, fixtures::availability(false))
        .await
        .expect(200);
    app.patch(&format!("/api/v1/menu-items/{item}"), &t.token, fixtures::item_price(30000)).await.expect(200);
    let wait = std::time::Duration::from_millis(700);
    let kinds_a: Vec<String> = on_a.drain(wait).await.into_iter().map(|e| e.event).collect();
    let kinds_b: Vec<String> = on_b.drain(wait).await.into_iter().map(|e| e.event).collect();
    assert_eq!(kinds_a, ["menu.availability_changed", "menu.item_updated"], "86 at A, price for all");
    assert_eq!(kinds_b, ["menu.item_updated"], "B hears only the brand-wide change");
}
