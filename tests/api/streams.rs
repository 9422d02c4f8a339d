//! Live event streams are bounded: a few per principal (429 beyond), a
//! replay read from the log in pages, and each device shown only what it
//! needs: a kiosk its own orders, the pickup board numbers and states.

use std::time::Duration;

use pos_backend::db::{OutletScope, PrincipalId};
use pos_tests::{RedisProcess, ServerProcess, SseClient, SseEvent, TestApp, fixtures, menu_item, order_body};
use pos_wire::{Channel, CreateOrder, LiveEvent, MenuItemChanged, OrderLineRequest, OrderStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

struct Outlet {
    app: TestApp,
    tenant_id: Uuid,
    token: String,
    outlet: Uuid,
    item: Uuid,
}

async fn outlet_with(app: TestApp) -> Outlet {
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    Outlet { app, tenant_id: t.tenant_id, token: t.token, outlet, item }
}

impl Outlet {
    fn events_url(&self) -> String {
        self.app.url(&format!("/api/v1/outlets/{}/events", self.outlet))
    }

    /// Opens a stream; its status and the response (kept open while held).
    async fn open(&self, token: &str) -> reqwest::Response {
        reqwest::Client::new().get(self.events_url()).bearer_auth(token).send().await.unwrap()
    }

    /// Places an order with `token` (a kiosk's, or staff's), with a customer
    /// name, a table and a note that must reach no one else.
    async fn order(&self, token: &str, channel: Channel, name: &str) -> Value {
        let body = order_body(&self.app, &self.token, self.outlet, self.item, 1).await;
        let line = OrderLineRequest { note: Some(format!("note for {name}")), ..body.items[0].clone() };
        let body = CreateOrder {
            channel,
            customer_name: Some(name.into()),
            table: Some("T7".into()),
            items: vec![line],
            ..body
        };
        self.app.post("/api/v1/orders", Some(token), body).await.expect(201).body
    }
}

async fn refused_with_retry_after(res: reqwest::Response) {
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
}

/// Opens `cap` streams for `token`, checks one more is refused, then drops
/// one abruptly and checks its slot comes back within seconds.
async fn cap_holds(o: &Outlet, token: &str, cap: usize) {
    let mut held = Vec::new();
    for i in 0..cap {
        let res = o.open(token).await;
        assert_eq!(res.status(), 200, "stream {i} of {cap}");
        held.push(res);
    }
    refused_with_retry_after(o.open(token).await).await;
    // The client vanishes without a word: its slot is given back.
    drop(held.pop());
    let mut reopened = None;
    for _ in 0..50 {
        let res = o.open(token).await;
        if res.status() == 200 {
            reopened = Some(res);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "the dropped stream's slot came back");
}

#[tokio::test]
async fn a_device_and_a_staff_member_hold_a_few_streams_at_most() {
    for redis in [true, false] {
        let app = TestApp::spawn_with(|s| {
            if !redis {
                s.redis_url = None;
            }
        })
        .await;
        let o = outlet_with(app).await;
        let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
        let (_, other_kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
        cap_holds(&o, &kds, o.app.state.settings.sse_streams_per_device).await;
        // Another device of the same outlet is not affected.
        assert_eq!(o.open(&other_kds).await.status(), 200, "redis: {redis}");
        cap_holds(&o, &o.token, o.app.state.settings.sse_streams_per_user).await;
    }
}

#[tokio::test]
async fn the_stream_cap_holds_across_server_processes() {
    let redis = RedisProcess::start().await;
    let env = [("POS_REDIS_URL", redis.url()), ("POS_SSE_STREAMS_PER_DEVICE", "2".to_string())];
    let a = ServerProcess::start(&env).await;
    let b = ServerProcess::start(&env).await;
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let path = format!("/api/v1/outlets/{}/events", o.outlet);
    let open = |url: String| {
        let kds = kds.clone();
        async move { reqwest::Client::new().get(url).bearer_auth(kds).send().await.unwrap() }
    };
    let on_a = open(a.url(&path)).await;
    let on_b = open(b.url(&path)).await;
    assert_eq!((on_a.status(), on_b.status()), (StatusCode::OK, StatusCode::OK));
    refused_with_retry_after(open(a.url(&path)).await).await;
    refused_with_retry_after(open(b.url(&path)).await).await;
    drop(on_a);
    let mut again = StatusCode::TOO_MANY_REQUESTS;
    for _ in 0..50 {
        again = open(b.url(&path)).await.status();
        if again == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(again, 200, "a slot freed on A can be taken on B");
}

/// The leases `key` holds in Redis: (member, expiry in ms).
fn leases(redis: &RedisProcess, key: &str) -> Vec<(String, f64)> {
    let out = std::process::Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "ZRANGE", key, "0", "-1", "WITHSCORES"])
        .output()
        .expect("redis-cli (apt-get install redis-tools)");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines.chunks(2).map(|p| (p[0].to_string(), p[1].parse().unwrap())).collect()
}

#[tokio::test]
async fn stream_leases_are_renewed_while_open_and_given_back_when_closed() {
    let redis = RedisProcess::start().await;
    let server = ServerProcess::start(&[("POS_REDIS_URL", redis.url())]).await;
    let o = outlet_with(TestApp::spawn().await).await;
    let (kds_id, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let path = format!("/api/v1/outlets/{}/events", o.outlet);
    let open = || async { reqwest::Client::new().get(server.url(&path)).bearer_auth(&kds).send().await.unwrap() };
    let (one, two) = (open().await, open().await);
    assert_eq!((one.status(), two.status()), (StatusCode::OK, StatusCode::OK));
    let key = format!("pos:streams:device:{kds_id}");
    let first = leases(&redis, &key);
    assert_eq!(first.len(), 2, "{first:?}");
    // One renewal round (a third of the 30 s lease) later, both run out later.
    tokio::time::sleep(Duration::from_secs(11)).await;
    let later = leases(&redis, &key);
    assert_eq!(later.len(), 2, "{later:?}");
    for (member, until) in &later {
        let before = first.iter().find(|(m, _)| m == member).expect("the same lease").1;
        assert!(*until > before + 5_000.0, "{member}: {before} -> {until}");
    }
    drop(one);
    let mut left = later.len();
    for _ in 0..50 {
        left = leases(&redis, &key).len();
        if left == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 1, "a closed stream gives its lease back at once");
    drop(two);
}

/// Appends `n` events to the outlet's log in one go (a busy day's worth).
async fn busy_log(o: &Outlet, n: usize) {
    let tx =
        o.app.state.db.begin_scoped(o.tenant_id, OutletScope::Only(vec![o.outlet]), PrincipalId::System).await.unwrap();
    let events: Vec<LiveEvent> =
        (0..n).map(|_| LiveEvent::MenuItemUpdated(MenuItemChanged::deleted(Uuid::now_v7()))).collect();
    tx.append_events(o.outlet, events).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_long_replay_arrives_whole_and_in_order_page_after_page() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let mut now = SseClient::connect(&o.events_url(), &kds, None).await;
    let first = now.next(Duration::from_millis(300)).await;
    assert!(first.is_none_or(|e| e.event == "ping"));
    let n = (pos_backend::events::http::PAGE as usize) * 3 + 17;
    busy_log(&o, n).await;
    drop(now);

    let mut resumed = SseClient::connect(&o.events_url(), &kds, Some(0)).await;
    let mut ids = Vec::new();
    while ids.len() < n {
        let Some(e) = resumed.next(Duration::from_secs(5)).await else { break };
        if let Some(id) = e.id {
            ids.push(id.parse::<i64>().unwrap());
        }
    }
    let want: Vec<i64> = (1..=n as i64).collect();
    assert_eq!(ids.len(), n, "every event of the log");
    assert_eq!(ids, want, "in order, once");
}

fn kinds(events: &[SseEvent]) -> Vec<&str> {
    events.iter().map(|e| e.event.as_str()).filter(|k| *k != "ping").collect()
}

#[tokio::test]
async fn a_kiosk_sees_its_own_orders_and_the_menu_and_nothing_else() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, mine) = o.app.pair_device(&o.token, o.outlet, "kiosk").await;
    let (_, theirs) = o.app.pair_device(&o.token, o.outlet, "kiosk").await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let mut kiosk = SseClient::connect(&o.events_url(), &mine, None).await;
    let mut kitchen = SseClient::connect(&o.events_url(), &kds, None).await;

    let own = o.order(&mine, Channel::Kiosk, "Ani").await;
    o.order(&theirs, Channel::Kiosk, "Budi").await;
    o.order(&o.token, Channel::Counter, "Citra").await;
    o.app
        .post(
            &format!("/api/v1/orders/{}/status", own["id"].as_str().unwrap()),
            Some(&o.token),
            fixtures::status(OrderStatus::Accepted),
        )
        .await
        .expect(200);
    o.app
        .patch(&format!("/api/v1/outlets/{}/menu-items/{}", o.outlet, o.item), &o.token, fixtures::availability(false))
        .await
        .expect(200);

    let seen = kiosk.drain(Duration::from_millis(1500)).await;
    assert_eq!(kinds(&seen), ["order.created", "order.status_changed", "menu.availability_changed"], "{seen:?}");
    assert_eq!(seen[0].data["id"], own["id"]);
    let raw = format!("{seen:?}");
    for stranger in ["Budi", "Citra"] {
        assert!(!raw.contains(stranger), "another customer's order reached the kiosk: {raw}");
    }
    // The kitchen display still sees everything.
    let all = kinds(&kitchen.drain(Duration::from_millis(500)).await).join(",");
    assert_eq!(all.matches("order.created").count(), 3, "{all}");
    assert_eq!(all.matches("ticket.created").count(), 3, "{all}");

    // Resuming from the start replays the same, filtered, after the menu
    // events from before it connected.
    let mut replay = SseClient::connect(&o.events_url(), &mine, Some(0)).await;
    let replayed = replay.drain(Duration::from_millis(1000)).await;
    let mut want = vec!["menu.category_updated", "menu.item_updated"];
    want.extend(kinds(&seen));
    assert_eq!(kinds(&replayed), want);
}

#[tokio::test]
async fn the_pickup_board_sees_numbers_and_states_only() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (board_id, board) = o.app.pair_device(&o.token, o.outlet, "board").await;
    let (_, kiosk) = o.app.pair_device(&o.token, o.outlet, "kiosk").await;
    let mut stream = SseClient::connect(&o.events_url(), &board, None).await;

    let a = o.order(&kiosk, Channel::Kiosk, "Secret Name").await;
    let b = o.order(&o.token, Channel::Counter, "Other Secret").await;
    let tickets = o.app.get(&format!("/api/v1/outlets/{}/tickets", o.outlet), &o.token).await.expect(200);
    let ticket = tickets.body[0]["id"].as_str().unwrap().to_string();
    o.app.post(&format!("/api/v1/tickets/{ticket}/bump"), Some(&o.token), json!({})).await.expect(200);
    o.app
        .patch(&format!("/api/v1/outlets/{}/menu-items/{}", o.outlet, o.item), &o.token, fixtures::availability(false))
        .await
        .expect(200);

    let seen: Vec<SseEvent> =
        stream.drain(Duration::from_millis(1500)).await.into_iter().filter(|e| e.event != "ping").collect();
    assert!(seen.len() >= 3, "{seen:?}");
    for e in &seen {
        assert_eq!(e.event, "pickup.updated", "{e:?}");
        let keys: Vec<&String> = e.data.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["number", "order_id", "status", "updated_at"], "{e:?}");
    }
    let raw = format!("{seen:?}");
    for secret in ["Secret", "T7", "note for", "Kopi", "total"] {
        assert!(!raw.contains(secret), "{secret} reached the board: {raw}");
    }
    let numbers: Vec<&str> = seen.iter().map(|e| e.data["number"].as_str().unwrap()).collect();
    assert!(numbers.contains(&a["number"].as_str().unwrap()) && numbers.contains(&b["number"].as_str().unwrap()));

    // Its list: the same shape, both orders.
    let listed = o.app.get(&format!("/api/v1/outlets/{}/pickup", o.outlet), &board).await.expect(200);
    let entries = listed.body.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{}", listed.text);
    assert!(!listed.text.contains("Secret"), "{}", listed.text);
    assert_eq!(entries[0].as_object().unwrap().len(), 4);

    // Its own revocation reaches it, and ends the stream.
    o.app.delete(&format!("/api/v1/devices/{board_id}"), &o.token).await.expect(204);
    let e = stream.next(Duration::from_secs(3)).await.expect("the revocation");
    assert_eq!(e.event, "device.revoked");
}

/// Every endpoint of the API document but the board's three, with the
/// board's token: refused, whatever it would do.
#[tokio::test]
async fn the_pickup_board_can_move_nothing_and_read_nothing_else() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (board_id, board) = o.app.pair_device(&o.token, o.outlet, "board").await;
    let order = o.order(&o.token, Channel::Counter, "Ani").await;
    let tickets = o.app.get(&format!("/api/v1/outlets/{}/tickets", o.outlet), &o.token).await.expect(200);
    let ticket = tickets.body[0]["id"].as_str().unwrap().to_string();
    let category = o.app.get(&format!("/api/v1/menu-items/{}", o.item), &o.token).await.body["category_id"].clone();
    let users = o.app.get("/api/v1/users", &o.token).await.expect(200);
    let user = users.body["items"][0]["id"].clone();

    let doc = o.app.call(reqwest::Method::GET, "/api/v1/openapi.json", None, None).await.expect(200);
    let allowed =
        [("get", "/api/v1/outlets/{id}/pickup"), ("get", "/api/v1/outlets/{id}/events"), ("get", "/api/v1/devices/me")];
    let mut tried = 0;
    for (path, ops) in doc.body["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if op["security"].is_null() || allowed.contains(&(method.as_str(), path.as_str())) {
                continue; // public (sign-up, pairing...) or the board's own
            }
            let concrete = path
                .replace("/outlets/{id}/menu-items/{item_id}", &format!("/outlets/{}/menu-items/{}", o.outlet, o.item))
                .replace("/outlets/{id}", &format!("/outlets/{}", o.outlet))
                .replace("/orders/{id}", &format!("/orders/{}", order["id"].as_str().unwrap()))
                .replace("/tickets/{id}", &format!("/tickets/{ticket}"))
                .replace("/devices/{id}", &format!("/devices/{board_id}"))
                .replace("/categories/{id}", &format!("/categories/{}", category.as_str().unwrap()))
                .replace("/menu-items/{id}", &format!("/menu-items/{}", o.item))
                .replace("/users/{id}", &format!("/users/{}", user.as_str().unwrap()));
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (m != reqwest::Method::GET && m != reqwest::Method::DELETE).then(|| json!({}));
            let r = o.app.call(m, &concrete, Some(&board), body).await;
            assert_eq!(r.status, 403, "board: {method} {concrete} answered {}: {}", r.status, r.text);
            tried += 1;
        }
    }
    assert!(tried > 30, "only {tried} endpoints tried");
    // Nothing moved: the order is as it was, the board still paired.
    let after = o.app.get(&format!("/api/v1/orders/{}", order["id"].as_str().unwrap()), &o.token).await.expect(200);
    assert_eq!(after.body["status"], "placed");
    o.app.get("/api/v1/devices/me", &board).await.expect(200);
    // Writing to the board's own endpoints is refused too.
    let r = o.app.post(&format!("/api/v1/outlets/{}/pickup", o.outlet), Some(&board), json!({})).await;
    assert!((403..=405).contains(&r.status.as_u16()), "{}", r.text);
}

#[tokio::test]
async fn a_kiosk_does_not_get_the_pickup_board() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, kiosk) = o.app.pair_device(&o.token, o.outlet, "kiosk").await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    o.app.get(&format!("/api/v1/outlets/{}/pickup", o.outlet), &kiosk).await.expect(403);
    o.app.get(&format!("/api/v1/outlets/{}/pickup", o.outlet), &kds).await.expect(200);
    o.app.get(&format!("/api/v1/outlets/{}/pickup", o.outlet), &o.token).await.expect(200);
}

/// Every piece of client text an event carries is bounded where it is
/// accepted: one character too many is refused (422, naming the field), and
/// nothing reaches the outlet's stream.
#[tokio::test]
async fn client_text_that_reaches_events_is_bounded() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let placed = o.order(&o.token, Channel::Counter, "Ani").await;
    let category = o.app.get(&format!("/api/v1/menu-items/{}", o.item), &o.token).await.body["category_id"].clone();
    let mut stream = SseClient::connect(&o.events_url(), &kds, None).await;
    let long = |n: usize| "x".repeat(n);
    // Over-long text is what a hostile client sends: hand-written JSON.
    let order = serde_json::to_value(order_body(&o.app, &o.token, o.outlet, o.item, 1).await).unwrap();
    let with = |path: &str, value: Value| {
        let mut body = order.clone();
        let mut at = &mut body;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        at[parts[parts.len() - 1]] = value;
        body
    };
    let group = |name: String, options: usize| {
        json!({"name": name, "min": 0, "max": 1,
               "options": (0..options).map(|i| json!({"name": format!("o{i}"), "price_minor": 0})).collect::<Vec<_>>()})
    };
    let item = |extra: Value| {
        let mut body = json!({"category_id": category, "name": "Teh", "price_minor": 1000});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let order_path = format!("/api/v1/orders/{}/status", placed["id"].as_str().unwrap());
    let outlet_path = format!("/api/v1/outlets/{}", o.outlet);
    let devices_path = format!("/api/v1/outlets/{}/devices", o.outlet);
    let category_path = format!("/api/v1/categories/{}", category.as_str().unwrap());
    let cases: Vec<(reqwest::Method, &str, &str, Value, &str)> = vec![
        (reqwest::Method::POST, "/api/v1/orders", &o.token, with("customer_name", json!(long(61))), "customer_name"),
        (reqwest::Method::POST, "/api/v1/orders", &o.token, with("table", json!(long(21))), "table"),
        (reqwest::Method::POST, "/api/v1/orders", &o.token, with("items.0.note", json!(long(141))), "items[0].note"),
        (reqwest::Method::POST, &order_path, &o.token, json!({"status": "cancelled", "reason": long(201)}), "reason"),
        (reqwest::Method::POST, "/api/v1/categories", &o.token, json!({"name": long(81)}), "name"),
        (reqwest::Method::PATCH, &category_path, &o.token, json!({"station": long(41)}), "station"),
        (reqwest::Method::POST, "/api/v1/menu-items", &o.token, item(json!({"name": long(121)})), "name"),
        (reqwest::Method::POST, "/api/v1/menu-items", &o.token, item(json!({"description": long(501)})), "description"),
        (
            reqwest::Method::POST,
            "/api/v1/menu-items",
            &o.token,
            item(json!({"image_url": format!("https://{}", long(500))})),
            "image_url",
        ),
        (
            reqwest::Method::POST,
            "/api/v1/menu-items",
            &o.token,
            item(json!({"modifier_groups": [group(long(61), 1)]})),
            "modifier_groups[0].name",
        ),
        (
            reqwest::Method::POST,
            "/api/v1/menu-items",
            &o.token,
            item(json!({"modifier_groups": [group("Size".into(), 31)]})),
            "modifier_groups[0].options",
        ),
        (
            reqwest::Method::POST,
            "/api/v1/menu-items",
            &o.token,
            item(json!({"modifier_groups": (0..21).map(|i| group(format!("g{i}"), 1)).collect::<Vec<_>>()})),
            "modifier_groups",
        ),
        (reqwest::Method::PATCH, &outlet_path, &o.token, json!({"name": long(121)}), "name"),
        (reqwest::Method::PATCH, &outlet_path, &o.token, json!({"address": long(301)}), "address"),
        (reqwest::Method::POST, &devices_path, &o.token, json!({"kind": "kiosk", "name": long(81)}), "name"),
    ];
    for (method, path, token, body, field) in cases {
        let r = o.app.call(method.clone(), path, Some(token), Some(body)).await;
        assert_eq!(r.status, 422, "{method} {path} {field}: {}", r.text);
        assert!(r.body["errors"][field].is_array(), "{method} {path}: names {field}: {}", r.text);
    }
    let reached: Vec<SseEvent> =
        stream.drain(Duration::from_millis(800)).await.into_iter().filter(|e| e.event != "ping").collect();
    assert!(reached.is_empty(), "refused text reached the stream: {reached:?}");
}

#[tokio::test]
async fn a_recall_is_announced_like_any_status_change() {
    let o = outlet_with(TestApp::spawn().await).await;
    let (_, kds) = o.app.pair_device(&o.token, o.outlet, "kds").await;
    let placed = o.order(&o.token, Channel::Counter, "Budi").await;
    let tickets = o.app.get(&format!("/api/v1/outlets/{}/tickets", o.outlet), &kds).await.expect(200);
    let ticket = tickets.body[0]["id"].as_str().unwrap().to_string();
    let bumped = o.app.post(&format!("/api/v1/tickets/{ticket}/bump"), Some(&kds), json!({})).await.expect(200);
    assert_eq!(bumped.body["order_status"], "ready");

    let mut stream = SseClient::connect(&o.events_url(), &kds, None).await;
    o.app.post(&format!("/api/v1/tickets/{ticket}/recall"), Some(&kds), json!({})).await.expect(200);
    let seen: Vec<SseEvent> =
        stream.drain(Duration::from_millis(1000)).await.into_iter().filter(|e| e.event != "ping").collect();
    assert_eq!(kinds(&seen), ["order.status_changed", "ticket.updated"], "{seen:?}");
    let change = &seen[0].data;
    assert_eq!(change["order_id"], placed["id"]);
    assert_eq!(change["number"], placed["number"]);
    assert_eq!(change["status"], "preparing");
    assert_eq!(change["previous"], "ready");
    assert_eq!(change["reason"], "recalled");
    assert_eq!(change["order"]["status"], "preparing");
    assert_eq!(seen[1].data["status"], "open");
    // A second recall finds nothing to recall: the order moves once.
    o.app.post(&format!("/api/v1/tickets/{ticket}/recall"), Some(&kds), json!({})).await.expect(409);
}
