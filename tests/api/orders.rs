use std::time::Duration;

use pos_tests::{
    SseClient, SseEvent, TestApp,
    fixtures::{self, line, line_with, shown_line},
    menu_item, order_body, plain_menu_item,
};
use pos_wire::{CreateOrder, OrderLineRequest, OrderStatus};
use serde_json::{Value, json};
use uuid::Uuid;

struct Shop {
    app: TestApp,
    token: String,
    outlet: Uuid,
    coffee: Uuid,
    /// The coffee's Size options: Regular, Large.
    size: Vec<Uuid>,
    snack: Uuid,
}

/// A brand with an outlet (11% tax, 5% service) selling a coffee (bar
/// station, Size: Regular 0 / Large +5000, exactly one) and a snack (kitchen).
async fn shop() -> Shop {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, fixtures::outlet_rates(1100, 500)).await.expect(200);
    let coffee = menu_item(&app, &t.token, "Kopi").await;
    let detail: pos_wire::MenuItem = app.get(&format!("/api/v1/menu-items/{coffee}"), &t.token).await.json();
    app.patch(&format!("/api/v1/categories/{}", detail.category_id), &t.token, fixtures::category_station(Some("bar")))
        .await
        .expect(200);
    let size = detail.modifier_groups[0].options.iter().map(|o| o.id.unwrap()).collect();
    let snack = plain_menu_item(&app, &t.token, "Pisang Goreng", 18000, Some("kitchen")).await;
    Shop { app, token: t.token, outlet, coffee, size, snack }
}

impl Shop {
    /// A kitchen display of the outlet with its live stream open: (device, token, stream URL, stream).
    async fn kds_stream(&self) -> (Uuid, String, String, SseClient) {
        let (device, kds) = self.app.pair_device(&self.token, self.outlet, "kds").await;
        let url = self.app.url(&format!("/api/v1/outlets/{}/events", self.outlet));
        let stream = SseClient::connect(&url, &kds, None).await;
        (device, kds, url, stream)
    }
}

/// The sequence numbers (`id:`) of events.
fn event_ids(events: &[SseEvent]) -> Vec<i64> {
    events.iter().filter_map(|e| e.id.as_deref().and_then(|id| id.parse().ok())).collect()
}

fn order(s: &Shop, lines: Vec<OrderLineRequest>) -> CreateOrder {
    fixtures::counter_order(s.outlet, lines)
}

#[tokio::test]
async fn the_server_prices_lines_tax_and_service() {
    let s = shop().await;
    let body = order(
        &s,
        vec![
            line_with(s.coffee, 2, &[s.size[1]]),
            OrderLineRequest { note: Some("extra crispy".into()), ..line(s.snack, 1) },
        ],
    );
    let r = s.app.post("/api/v1/orders", Some(&s.token), body).await.expect(201);
    let o = &r.body;
    // Coffee 25,000 + Large 5,000 = 30,000 x 2; snack 18,000.
    assert_eq!(o["items"][0]["unit_price_minor"], 30_000);
    assert_eq!(o["items"][0]["line_total_minor"], 60_000);
    assert_eq!(o["items"][0]["modifiers"][0]["name"], "Large");
    assert_eq!(o["subtotal_minor"], 78_000);
    assert_eq!(o["service_charge_minor"], 3_900); // 5% of 78,000
    assert_eq!(o["tax_minor"], 9_009); // 11% of 81,900
    assert_eq!(o["total_minor"], 90_909);
    assert_eq!(o["status"], "placed");
    assert_eq!(o["number"], "1");
    assert_eq!(o["currency"], "IDR");
    assert_eq!(o["flags"], json!([]));
    let second = s.app.post("/api/v1/orders", Some(&s.token), order(&s, vec![line(s.snack, 1)])).await.expect(201);
    assert_eq!(second.body["number"], "2", "pickup numbers count up per outlet and day");
}

#[tokio::test]
async fn invalid_orders_are_refused_and_nothing_is_stored() {
    let s = shop().await;
    let cases = [
        (vec![], "items"),
        (vec![line(s.snack, 0)], "items[0].qty"),
        (vec![line(s.snack, 100)], "items[0].qty"),
        (vec![line(s.coffee, 1)], "items[0].modifier_option_ids"),
        (vec![line_with(s.coffee, 1, &[s.size[0], s.size[1]])], "items[0].modifier_option_ids"),
        (vec![line_with(s.snack, 1, &[s.size[0]])], "items[0].modifier_option_ids"),
        (vec![line(Uuid::now_v7(), 1)], "items[0].menu_item_id"),
    ];
    for (lines, field) in cases {
        let r = s.app.post("/api/v1/orders", Some(&s.token), order(&s, lines.clone())).await.expect(422);
        assert!(r.body["errors"][field].is_array(), "{lines:?} -> {}", r.text);
    }
    let unknown = CreateOrder { outlet_id: Uuid::now_v7(), ..order(&s, vec![line(s.snack, 1)]) };
    let r = s.app.post("/api/v1/orders", Some(&s.token), unknown).await.expect(422);
    assert!(r.body["errors"]["outlet_id"].is_array());
    // 86ed at the outlet: sold out for online orders.
    s.app
        .patch(&format!("/api/v1/outlets/{}/menu-items/{}", s.outlet, s.snack), &s.token, fixtures::availability(false))
        .await
        .expect(200);
    let r = s.app.post("/api/v1/orders", Some(&s.token), order(&s, vec![line(s.snack, 1)])).await.expect(422);
    assert!(r.text.contains("sold out"));
    // A closed outlet refuses online kiosk orders.
    s.app.patch(&format!("/api/v1/outlets/{}", s.outlet), &s.token, fixtures::outlet_open(false)).await.expect(200);
    let (_, kiosk) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let body = fixtures::kiosk_order(s.outlet, vec![line_with(s.coffee, 1, &[s.size[0]])]);
    let r = s.app.post("/api/v1/orders", Some(&kiosk), body).await.expect(422);
    assert!(r.body["errors"]["outlet_id"].is_array());
    let list = s.app.get("/api/v1/orders", &s.token).await.expect(200);
    assert_eq!(list.body["items"], json!([]), "nothing stored: {}", list.text);
}

#[tokio::test]
async fn twenty_parallel_replays_make_one_order() {
    let s = shop().await;
    let body = order(&s, vec![line(s.snack, 3)]);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (client, url, token, body) =
            (s.app.client.clone(), s.app.url("/api/v1/orders"), s.token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }));
    }
    let mut created = 0;
    let mut ids = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status == 201 || status == 200, "{status}: {body}");
        created += usize::from(status == 201);
        ids.insert(body["id"].as_str().unwrap().to_string());
    }
    assert_eq!(created, 1, "exactly one 201");
    assert_eq!(ids.len(), 1, "every reply is the same order");
    let list = s.app.get("/api/v1/orders", &s.token).await.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    // Same key, other content: 409.
    let mut changed = body.clone();
    changed.items[0].qty = 4;
    s.app.post("/api/v1/orders", Some(&s.token), changed).await.expect(409);
}

#[tokio::test]
async fn the_lifecycle_allows_only_its_moves() {
    let s = shop().await;
    let new_order = || async {
        let r = s.app.post("/api/v1/orders", Some(&s.token), order(&s, vec![line(s.snack, 1)])).await.expect(201);
        r.body["id"].as_str().unwrap().to_string()
    };
    let status = |id: &str, to: OrderStatus| {
        let (app, token, id) = (&s.app, s.token.clone(), id.to_string());
        async move {
            let body = fixtures::status_because(to, "customer left");
            app.post(&format!("/api/v1/orders/{id}/status"), Some(&token), body).await.status.as_u16()
        }
    };
    let id = new_order().await;
    assert_eq!(status(&id, OrderStatus::Ready).await, 409, "no skipping");
    for to in [OrderStatus::Accepted, OrderStatus::Preparing, OrderStatus::Ready, OrderStatus::Completed] {
        assert_eq!(status(&id, to).await, 200, "to {to:?}");
    }
    assert_eq!(status(&id, OrderStatus::Cancelled).await, 409, "completed orders stay completed");
    assert_eq!(status(&id, OrderStatus::Placed).await, 409);

    let id = new_order().await;
    let r = s
        .app
        .post(&format!("/api/v1/orders/{id}/status"), Some(&s.token), fixtures::status(OrderStatus::Cancelled))
        .await
        .expect(422);
    assert!(r.body["errors"]["reason"].is_array());
    assert_eq!(status(&id, OrderStatus::Accepted).await, 200);
    assert_eq!(status(&id, OrderStatus::Cancelled).await, 200);
    assert_eq!(status(&id, OrderStatus::Accepted).await, 409);
    let o = s.app.get(&format!("/api/v1/orders/{id}"), &s.token).await.expect(200);
    assert_eq!(o.body["cancel_reason"], "customer left");

    // Kiosks move nothing; a KDS of another outlet cannot see the order.
    let id = new_order().await;
    let (_, kiosk) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let accept = fixtures::status(OrderStatus::Accepted);
    s.app.post(&format!("/api/v1/orders/{id}/status"), Some(&kiosk), &accept).await.expect(403);
    let other = s.app.create_outlet(&s.token, "Other").await;
    let (_, far_kds) = s.app.pair_device(&s.token, other, "kds").await;
    s.app.post(&format!("/api/v1/orders/{id}/status"), Some(&far_kds), &accept).await.expect(404);
    let (_, kds) = s.app.pair_device(&s.token, s.outlet, "kds").await;
    s.app.post(&format!("/api/v1/orders/{id}/status"), Some(&kds), &accept).await.expect(200);
}

#[tokio::test]
async fn tickets_per_station_bump_to_ready_and_recall() {
    let s = shop().await;
    let body = order(&s, vec![line_with(s.coffee, 1, &[s.size[0]]), line(s.snack, 2)]);
    let o = s.app.post("/api/v1/orders", Some(&s.token), body).await.expect(201).body;
    let (_, kds) = s.app.pair_device(&s.token, s.outlet, "kds").await;
    let tickets = s.app.get(&format!("/api/v1/outlets/{}/tickets", s.outlet), &kds).await.expect(200).body;
    let tickets = tickets.as_array().unwrap();
    let stations: Vec<&str> = tickets.iter().map(|t| t["station"].as_str().unwrap()).collect();
    assert_eq!(stations, ["bar", "kitchen"]);
    assert_eq!(tickets[1]["lines"][0]["qty"], 2);
    let bar = s.app.get(&format!("/api/v1/outlets/{}/tickets?station=bar", s.outlet), &kds).await.expect(200);
    assert_eq!(bar.body.as_array().unwrap().len(), 1);

    s.app
        .post(&format!("/api/v1/tickets/{}/bump", tickets[0]["id"].as_str().unwrap()), None, json!({}))
        .await
        .expect(401);
    s.app
        .post(&format!("/api/v1/tickets/{}/bump", tickets[0]["id"].as_str().unwrap()), Some(&kds), json!({}))
        .await
        .expect(200);
    let mid = s.app.get(&format!("/api/v1/orders/{}", o["id"].as_str().unwrap()), &s.token).await.body;
    assert_eq!(mid["status"], "placed", "one station is not the whole order");
    let last = s
        .app
        .post(&format!("/api/v1/tickets/{}/bump", tickets[1]["id"].as_str().unwrap()), Some(&kds), json!({}))
        .await
        .expect(200);
    assert_eq!(last.body["order_status"], "ready");
    s.app
        .post(&format!("/api/v1/tickets/{}/bump", tickets[1]["id"].as_str().unwrap()), Some(&kds), json!({}))
        .await
        .expect(409);

    let recent = s.app.get(&format!("/api/v1/outlets/{}/tickets?status=bumped", s.outlet), &kds).await.expect(200);
    assert_eq!(recent.body[0]["id"], tickets[1]["id"], "newest bump first");
    let r = s
        .app
        .post(&format!("/api/v1/tickets/{}/recall", tickets[1]["id"].as_str().unwrap()), Some(&kds), json!({}))
        .await
        .expect(200);
    assert_eq!(r.body["status"], "open");
    assert_eq!(r.body["order_status"], "preparing");
    let (_, kiosk) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    s.app.get(&format!("/api/v1/outlets/{}/tickets", s.outlet), &kiosk).await.expect(403);
}

#[tokio::test]
async fn a_pushed_batch_reports_each_order_and_is_safe_to_resend() {
    let s = shop().await;
    let (device, kiosk) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let paired_prefix = "K1";
    let good = |n: i32| CreateOrder {
        number: Some(format!("{paired_prefix}-{n}")),
        ..fixtures::kiosk_order(s.outlet, vec![shown_line(s.snack, 1, 18000)])
    };
    let a = good(1);
    let b = good(2);
    let bad_qty = fixtures::kiosk_order(s.outlet, vec![line(s.snack, 0)]);
    // A queue may hold anything: one order is not even an order.
    let malformed = json!({"client_order_id": Uuid::now_v7(), "items": "nope"});
    let mut conflicting = a.clone();
    conflicting.items[0].qty = 5;
    let batch = json!({"device_id": device, "orders": [a, bad_qty, b, malformed, a, conflicting]});
    let r = s.app.post("/api/v1/sync/push", Some(&kiosk), batch.clone()).await.expect(200);
    let outcomes: Vec<&str> =
        r.body["results"].as_array().unwrap().iter().map(|x| x["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["created", "rejected", "created", "rejected", "duplicate", "conflict"]);
    assert!(r.body["results"][1]["error"]["errors"]["items[0].qty"].is_array(), "{}", r.text);
    assert_eq!(r.body["results"][0]["order"]["number"], "K1-1", "the number the customer saw");
    // Resent after a timeout: nothing new.
    let again = s.app.post("/api/v1/sync/push", Some(&kiosk), batch).await.expect(200);
    let outcomes: Vec<&str> =
        again.body["results"].as_array().unwrap().iter().map(|x| x["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["duplicate", "rejected", "duplicate", "rejected", "duplicate", "conflict"]);
    let list = s.app.get("/api/v1/orders", &s.token).await.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
    // Another device's id is refused.
    let foreign = fixtures::push(Uuid::now_v7(), Vec::<CreateOrder>::new());
    s.app.post("/api/v1/sync/push", Some(&kiosk), foreign).await.expect(403);
}

#[tokio::test]
async fn offline_orders_for_changed_menus_are_kept_and_flagged() {
    let s = shop().await;
    let (device, kiosk) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let gone = menu_item(&s.app, &s.token, "Seasonal").await;
    let gone_detail: pos_wire::MenuItem = s.app.get(&format!("/api/v1/menu-items/{gone}"), &s.token).await.json();
    let gone_size = gone_detail.modifier_groups[0].options[0].id.unwrap();
    // The kiosk's menu, then changes while it is offline: price up, 86, a deletion.
    let pulled = s.app.get(&format!("/api/v1/sync/pull?outlet_id={}", s.outlet), &kiosk).await.expect(200);
    let cursor = pulled.body["cursor"].as_str().unwrap().to_string();
    s.app.patch(&format!("/api/v1/menu-items/{}", s.snack), &s.token, fixtures::item_price(20000)).await.expect(200);
    s.app.delete(&format!("/api/v1/menu-items/{gone}"), &s.token).await.expect(204);
    s.app
        .patch(
            &format!("/api/v1/outlets/{}/menu-items/{}", s.outlet, s.coffee),
            &s.token,
            fixtures::availability(false),
        )
        .await
        .expect(200);
    s.app.patch(&format!("/api/v1/outlets/{}", s.outlet), &s.token, fixtures::outlet_open(false)).await.expect(200);
    let lines = [
        (shown_line(s.snack, 1, 18000), "price_changed", 18000),
        (
            OrderLineRequest { modifier_option_ids: vec![s.size[0]], ..shown_line(s.coffee, 1, 25000) },
            "item_unavailable",
            25000,
        ),
        (
            OrderLineRequest {
                modifier_option_ids: vec![gone_size],
                shown_name: Some("Anything".into()),
                ..shown_line(gone, 1, 25000)
            },
            "item_deleted",
            25000,
        ),
    ];
    for (line, flag, price) in lines {
        let body = CreateOrder { priced_from: Some(cursor.clone()), ..fixtures::kiosk_order(s.outlet, vec![line]) };
        let r = s.app.post("/api/v1/sync/push", Some(&kiosk), fixtures::push(device, [body])).await.expect(200);
        let result = &r.body["results"][0];
        assert_eq!(result["outcome"], "created", "{}", r.text);
        let flags: Vec<&str> =
            result["order"]["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        assert!(flags.contains(&flag) && flags.contains(&"outlet_closed"), "{flag}: {flags:?}");
        assert_eq!(result["order"]["items"][0]["unit_price_minor"], price);
    }
    let deleted = s.app.get("/api/v1/orders?status=placed", &s.token).await.body;
    assert!(deleted.to_string().contains("Seasonal"), "the deleted item keeps the name it had");
    assert!(!deleted.to_string().contains("Anything"), "never the device's name");
}

#[tokio::test]
async fn kiosk_numbers_stay_unique_per_outlet_day() {
    let s = shop().await;
    let (d1, k1) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let (d2, k2) = s.app.pair_device(&s.token, s.outlet, "kiosk").await;
    let push = |device: Uuid, token: String, number: &str| {
        let order =
            CreateOrder { number: Some(number.into()), ..fixtures::kiosk_order(s.outlet, vec![line(s.snack, 1)]) };
        let body = fixtures::push(device, [order]);
        let app = &s.app;
        async move { app.post("/api/v1/sync/push", Some(&token), body).await.body["results"][0]["order"].clone() }
    };
    assert_eq!(push(d1, k1.clone(), "K1-1").await["number"], "K1-1");
    assert_eq!(push(d2, k2.clone(), "K2-1").await["number"], "K2-1", "two offline kiosks, two prefixes");
    // A kiosk cannot use another kiosk's prefix, or reuse a number: it gets a fresh one, flagged.
    let stolen = push(d2, k2, "K1-2").await;
    assert_eq!(stolen["number"], "1");
    assert_eq!(stolen["flags"], json!(["number_reassigned"]));
    let reused = push(d1, k1, "K1-1").await;
    assert_eq!(reused["number"], "2");
}

#[tokio::test]
async fn events_stream_live_replay_by_last_event_id_and_reset() {
    let s = shop().await;
    let (_, kds, url, mut live) = s.kds_stream().await;
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let body = order_body(&s.app, &s.token, s.outlet, s.snack, 1).await;
        numbers.push(s.app.post("/api/v1/orders", Some(&s.token), body).await.expect(201).body["number"].clone());
    }
    // Each order's ticket follows it on the stream, so a KDS needs no reload.
    let (mut created, mut opened) = (Vec::new(), Vec::new());
    while created.len() < 3 || opened.len() < 3 {
        let e = live.next(Duration::from_secs(3)).await.expect("an event within 3 s");
        match e.event.as_str() {
            "order.created" => created.push(e),
            "ticket.created" => opened.push(e),
            _ => {}
        }
    }
    let got: Vec<Value> = created.iter().map(|e| e.data["number"].clone()).collect();
    assert_eq!(got, numbers);
    for (ticket, order) in opened.iter().zip(&created) {
        assert_eq!(ticket.data["order_id"], order.data["id"]);
        assert_eq!(ticket.data["number"], order.data["number"]);
        assert_eq!(ticket.data["status"], "open");
        assert_eq!(ticket.data["lines"][0]["qty"], 1);
    }
    let ids: Vec<i64> = created.iter().map(|e| e.id.as_ref().unwrap().parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");

    // Resume after the first: exactly the two later ones, in order.
    let mut resumed = SseClient::connect(&url, &kds, Some(ids[0])).await;
    let replay: Vec<_> =
        resumed.drain(Duration::from_millis(500)).await.into_iter().filter(|e| e.event == "order.created").collect();
    assert_eq!(replay.iter().map(|e| e.data["number"].clone()).collect::<Vec<_>>(), numbers[1..].to_vec());

    // A point the log does not have: reset.
    let mut lost = SseClient::connect(&url, &kds, Some(ids[2] + 1000)).await;
    assert_eq!(lost.next(Duration::from_secs(2)).await.unwrap().event, "reset");

    // A cancellation reaches the stream at once.
    let id = created[0].data["id"].as_str().unwrap().to_string();
    s.app
        .post(
            &format!("/api/v1/orders/{id}/status"),
            Some(&s.token),
            fixtures::status_because(OrderStatus::Cancelled, "out of bananas"),
        )
        .await
        .expect(200);
    let e = loop {
        let e = live.next(Duration::from_secs(3)).await.expect("status event");
        if e.event == "order.status_changed" {
            break e;
        }
    };
    assert_eq!(e.data["status"], "cancelled");
    assert_eq!(e.data["reason"], "out of bananas");
    let e = live.next(Duration::from_secs(3)).await.expect("the ticket's cancellation");
    assert_eq!(e.event, "ticket.updated");
    assert_eq!(e.data["id"], opened[0].data["id"]);
    assert_eq!(e.data["status"], "cancelled");
    assert_eq!(e.data["order_status"], "cancelled");
}

#[tokio::test]
async fn a_quiet_stream_sends_named_pings_pages_can_see() {
    let app = TestApp::spawn_with(|s| s.sse_heartbeat = Duration::from_millis(300)).await;
    let token = app.signup().await.token;
    let outlet = app.create_outlet(&token, "Quiet").await;
    let (_, kds) = app.pair_device(&token, outlet, "kds").await;
    let url = app.url(&format!("/api/v1/outlets/{outlet}/events"));
    let mut stream = SseClient::connect(&url, &kds, None).await;
    let e = stream.next(Duration::from_secs(2)).await.expect("a ping within 2 s");
    assert_eq!(e.event, "ping");
    assert!(e.id.is_none(), "a ping moves no resume point");
    assert_eq!(e.data["seq"], 0);
    assert!(e.data["at"].as_str().is_some_and(|at| at.parse::<chrono::DateTime<chrono::Utc>>().is_ok()));
}

#[tokio::test]
async fn a_revoked_device_loses_its_stream() {
    let s = shop().await;
    let (device, kds, url, mut stream) = s.kds_stream().await;
    s.app.delete(&format!("/api/v1/devices/{device}"), &s.token).await.expect(204);
    let e = stream.next(Duration::from_secs(3)).await.expect("the revocation");
    assert_eq!(e.event, "device.revoked");
    assert!(stream.next(Duration::from_secs(2)).await.is_none(), "then the stream ends");
    let r = reqwest::Client::new().get(&url).bearer_auth(&kds).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn the_admin_board_streams_with_the_session_cookie_only() {
    let s = shop().await;
    let owner_email =
        s.app.get("/api/v1/users", &s.token).await.body["items"][0]["email"].as_str().unwrap().to_string();
    let login = pos_wire::LoginRequest { email: owner_email, password: pos_tests::PASSWORD.into(), tenant_id: None };
    let local = pos_backend::http::client_ip::ClientIp("127.0.0.1".parse().unwrap());
    let cookie = pos_backend::auth::admin_session::sign_in(&s.app.state, &login, local).await.unwrap();
    let cookie = format!("{}={cookie}", pos_backend::auth::admin_session::COOKIE);
    let url = s.app.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let res = reqwest::Client::new().get(&url).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    drop(res);
    let forged = format!("{}=as1.forged.cookie", pos_backend::auth::admin_session::COOKIE);
    let res = reqwest::Client::new().get(&url).header("cookie", forged).send().await.unwrap();
    assert_eq!(res.status(), 401);
    // Other API endpoints do not take the cookie (no CSRF exposure).
    let res = reqwest::Client::new()
        .post(s.app.url("/api/v1/outlets"))
        .header("cookie", &cookie)
        .json(&fixtures::outlet("Via cookie"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn the_owner_trims_the_event_log_and_late_clients_get_reset() {
    let s = shop().await;
    let (_, kds, url, mut live) = s.kds_stream().await;
    for _ in 0..3 {
        let body = order_body(&s.app, &s.token, s.outlet, s.snack, 1).await;
        s.app.post("/api/v1/orders", Some(&s.token), body).await.expect(201);
    }
    let ids = event_ids(&live.drain(Duration::from_millis(500)).await);
    assert_eq!(ids.len(), 6, "three orders and their tickets");
    let (first, last) = (ids[0], ids[5]);

    // The server's own role cannot trim the log.
    let app_db = sea_orm::Database::connect(std::env::var("POS_DATABASE_URL").unwrap()).await.unwrap();
    let refused = sea_orm::ConnectionTrait::execute_unprepared(
        &app_db,
        &format!("SELECT app.prune_outlet_events(0, 0, '{}')", s.outlet),
    )
    .await;
    assert!(refused.is_err_and(|e| e.to_string().contains("permission denied")), "pos_app may not prune");

    // Young events are kept whatever the count.
    let settings = &s.app.state.settings;
    assert_eq!(pos_backend::startup::prune_events(settings, 7, 0, Some(s.outlet)).await.unwrap(), 0);
    // Past their age, all but the newest two go (a prefix: the menu's events
    // from setting the shop up and the first orders').
    assert_eq!(pos_backend::startup::prune_events(settings, 0, 2, Some(s.outlet)).await.unwrap(), last - 2);

    // A client resuming inside what is left gets exactly the rest.
    let mut resumed = SseClient::connect(&url, &kds, Some(last - 2)).await;
    let replay = event_ids(&resumed.drain(Duration::from_millis(500)).await);
    assert_eq!(replay, vec![last - 1, last]);
    // One resuming from before it is told to reload.
    let mut late = SseClient::connect(&url, &kds, Some(first)).await;
    assert_eq!(late.next(Duration::from_secs(2)).await.unwrap().event, "reset");
    // New events still flow, numbered on.
    let body = order_body(&s.app, &s.token, s.outlet, s.snack, 1).await;
    s.app.post("/api/v1/orders", Some(&s.token), body).await.expect(201);
    let next = live.next(Duration::from_secs(3)).await.expect("the next event");
    assert_eq!(next.id.as_deref(), Some((last + 1).to_string().as_str()));
}
