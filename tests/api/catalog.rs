use pos_tests::fixtures;
use pos_tests::{TestApp, ids};
use serde_json::{Value, json};
use uuid::Uuid;

async fn category(app: &TestApp, token: &str, name: &str) -> String {
    app.post("/api/v1/categories", Some(token), json!({"name": name, "station": "Bar"})).await.expect(201).body["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kopi(category: &str) -> Value {
    json!({
        "category_id": category, "name": "Kopi Susu Gula Aren", "description": "Espresso, susu, gula aren",
        "price_minor": 28000,
        "modifier_groups": [
            {"name": "Es", "min": 1, "max": 1, "options": [{"name": "Normal ice"}, {"name": "Less ice"}]},
            {"name": "Extra", "min": 0, "max": 2, "options": [{"name": "Extra shot", "price_minor": 6000}, {"name": "Oat milk", "price_minor": 8000}]}
        ]
    })
}

#[tokio::test]
async fn categories_validate_order_and_refuse_deleting_nonempty() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let r = app.post("/api/v1/categories", Some(&t.token), json!({"name": " ", "position": -1})).await.expect(422);
    assert!(r.body["errors"]["name"].is_array() && r.body["errors"]["position"].is_array(), "{}", r.text);
    let a = category(&app, &t.token, "Kopi").await;
    let r = app.post("/api/v1/categories", Some(&t.token), json!({"name": "Makanan"})).await.expect(201);
    assert_eq!(r.body["position"], 1, "appended after the last");
    assert!(r.body["station"].is_null());
    let r = app.post("/api/v1/categories", Some(&t.token), json!({"name": "kopi"})).await.expect(422);
    assert!(r.body["errors"]["name"].is_array(), "names are unique per brand");
    let r = app.get(&format!("/api/v1/categories/{a}"), &t.token).await.expect(200);
    assert_eq!(r.body["station"], "bar", "stations are normalised");
    let r = app
        .patch(&format!("/api/v1/categories/{a}"), &t.token, json!({"station": null, "position": 5}))
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
    bad["price_minor"] = json!(-1);
    bad["modifier_groups"][0]["min"] = json!(2);
    bad["modifier_groups"][1]["max"] = json!(3);
    bad["modifier_groups"][1]["options"][0]["name"] = json!("");
    bad["image_url"] = json!("javascript:alert(1)");
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
    let mut orphan = kopi(&c);
    orphan["category_id"] = json!(Uuid::now_v7());
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
    let mut groups = item["modifier_groups"].clone();
    groups[1]["options"].as_array_mut().unwrap().push(json!({"name": "Vanilla", "price_minor": 5000}));
    groups[1]["max"] = json!(3);
    let r = app
        .patch(&format!("/api/v1/menu-items/{id}"), &t.token, json!({"modifier_groups": groups, "price_minor": 30000}))
        .await
        .expect(200);
    assert_eq!(r.body["modifier_groups"][1]["options"][0]["id"], option);
    assert!(r.body["modifier_groups"][1]["options"][2]["id"].is_string());
    assert_eq!(r.body["price_minor"], 30000);
    assert_eq!(r.body["name"], "Kopi Susu Gula Aren");

    // Managers cannot change the brand's menu.
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (_, manager) = app.create_staff(&t.token, "manager", &[outlet]).await;
    app.patch(&format!("/api/v1/menu-items/{id}"), &manager, json!({"price_minor": 1})).await.expect(403);
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
    app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &t.token, json!({"price_minor": 25000}))
        .await
        .expect(200);
    let menu_b = app.get(&format!("/api/v1/outlets/{b}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["price_minor"], 25000);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["base_price_minor"], 28000);
    app.patch(&format!("/api/v1/outlets/{b}/menu-items/{item}"), &t.token, json!({"price_minor": null}))
        .await
        .expect(200);
    let menu_b = app.get(&format!("/api/v1/outlets/{b}/menu"), &t.token).await.expect(200);
    assert_eq!(menu_b.body["categories"][0]["items"][0]["price_minor"], 28000);

    // Until the end of the outlet's day: a time in the future, within a day.
    let r = app
        .patch(
            &format!("/api/v1/outlets/{b}/menu-items/{item}"),
            &t.token,
            json!({"available": false, "until_end_of_day": true}),
        )
        .await
        .expect(200);
    let until: chrono::DateTime<chrono::Utc> = r.body["unavailable_until"].as_str().unwrap().parse().unwrap();
    let left = until - chrono::Utc::now();
    assert!(left > chrono::Duration::zero() && left <= chrono::Duration::hours(24), "{until}");

    // Invalid: a time in the past, an end time while available, a negative price, nothing at all.
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    for body in [
        json!({"available": false, "unavailable_until": past}),
        json!({"available": true, "until_end_of_day": true}),
        json!({"price_minor": -5}),
        json!({}),
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
    let until = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    app.patch(
        &format!("/api/v1/outlets/{a}/menu-items/{item}"),
        &t.token,
        json!({"available": false, "unavailable_until": until}),
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
        let mut body = kopi(&c);
        body["name"] = json!(format!("Kopi {i}"));
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
    app.patch(&format!("/api/v1/menu-items/{}", made[1]), &t.token, json!({"price_minor": 1000})).await.expect(200);
    app.delete(&format!("/api/v1/menu-items/{}", made[2]), &t.token).await.expect(204);
    app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, json!({"service_charge_bp": 500})).await.expect(200);
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
    let mut body = kopi(&c);
    body["image_url"] = json!(url);
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
    app.post("/api/v1/categories", Some(&kiosk), json!({"name": "X"})).await.expect(403);
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
    app.patch(&format!("/api/v1/menu-items/{item}"), &t.token, json!({"price_minor": 30000})).await.expect(200);
    let wait = std::time::Duration::from_millis(700);
    let kinds_a: Vec<String> = on_a.drain(wait).await.into_iter().map(|e| e.event).collect();
    let kinds_b: Vec<String> = on_b.drain(wait).await.into_iter().map(|e| e.event).collect();
    assert_eq!(kinds_a, ["menu.availability_changed", "menu.item_updated"], "86 at A, price for all");
    assert_eq!(kinds_b, ["menu.item_updated"], "B hears only the brand-wide change");
}
