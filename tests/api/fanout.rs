//! Live events across server processes, through Redis and without it.

use std::{collections::BTreeSet, time::Duration};

use pos_tests::{RedisProcess, ServerProcess, SseClient, TestApp, fixtures, kiosk_orders, menu_item, order_body};
use pos_wire::CreateOrder;
use serde_json::Value;
use uuid::Uuid;

struct Setup {
    token: String,
    kds: String,
    outlet: Uuid,
    item: Uuid,
}

async fn setup(app: &TestApp) -> Setup {
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(app, &t.token, "Kopi").await;
    let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
    Setup { token: t.token, kds, outlet, item }
}

async fn create(base: &str, s: &Setup, app: &TestApp) -> Value {
    let body = order_body(app, &s.token, s.outlet, s.item, 1).await;
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/orders"))
        .bearer_auth(&s.token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

#[tokio::test]
async fn an_order_on_process_a_reaches_a_subscriber_on_process_b_through_redis() {
    let redis = RedisProcess::start().await;
    // No sweep: only Redis can carry the event from A to B in time.
    let env = [("POS_REDIS_URL", redis.url()), ("POS_EVENT_SWEEP_MS", "3600000".to_string())];
    let a = ServerProcess::start(&env).await;
    let b = ServerProcess::start(&env).await;
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let mut on_b = SseClient::connect(&b.url(&format!("/api/v1/outlets/{}/events", s.outlet)), &s.kds, None).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // B's subscriber is connected to Redis
    let order = create(&a.base, &s, &app).await;
    let got = on_b.created_numbers(1, Duration::from_secs(2)).await;
    assert_eq!(got.len(), 1, "the order made on A reached B");
    assert_eq!(got[0].1, order["number"].as_str().unwrap());
}

#[tokio::test]
async fn with_redis_stopped_midway_no_event_is_lost() {
    let mut redis = RedisProcess::start().await;
    let env = [("POS_REDIS_URL", redis.url()), ("POS_EVENT_SWEEP_MS", "300".to_string())];
    let a = ServerProcess::start(&env).await;
    let b = ServerProcess::start(&env).await;
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let url = b.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let mut on_b = SseClient::connect(&url, &s.kds, None).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut expected = vec![create(&a.base, &s, &app).await];
    redis.stop();
    for _ in 0..3 {
        expected.push(create(&a.base, &s, &app).await);
    }
    let during = on_b.created_numbers(4, Duration::from_secs(3)).await;
    redis.restart().await;
    tokio::time::sleep(Duration::from_secs(6)).await; // both processes reconnect by themselves
    for _ in 0..2 {
        expected.push(create(&a.base, &s, &app).await);
    }
    let after = on_b.created_numbers(2, Duration::from_secs(3)).await;

    let numbers: Vec<String> = during.iter().chain(&after).map(|(_, n)| n.clone()).collect();
    let want: Vec<String> = expected.iter().map(|o| o["number"].as_str().unwrap().to_string()).collect();
    assert_eq!(numbers, want, "every event, once, in order");
    let ids: Vec<i64> = during.iter().chain(&after).map(|(id, _)| *id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    // B is ready again and its subscriber reconnected by itself.
    let ready: Value = reqwest::get(b.url("/readyz")).await.unwrap().json().await.unwrap();
    assert_eq!(ready["redis"], "ok");
    let metrics = reqwest::get(b.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("events_redis_subscriber_connected 1"), "{metrics}");
}

#[tokio::test]
async fn replay_by_last_event_id_is_exact_under_concurrent_orders() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let url = app.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let mut first = SseClient::connect(&url, &s.kds, None).await;

    // 4 writers, 10 orders each, while the subscriber drops out after a few.
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (base, token, outlet, item) = (app.base.clone(), s.token.clone(), s.outlet, s.item);
        let body = order_body(&app, &token, outlet, item, 1).await;
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut numbers = Vec::new();
            for _ in 0..10 {
                let b = CreateOrder { client_order_id: Uuid::now_v7(), ..body.clone() };
                let r = client.post(format!("{base}/api/v1/orders")).bearer_auth(&token).json(&b).send().await.unwrap();
                assert_eq!(r.status(), 201);
                numbers.push(r.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_string());
            }
            numbers
        }));
    }
    let seen_first = first.created_numbers(5, Duration::from_secs(3)).await;
    drop(first);
    let mut all: BTreeSet<String> = BTreeSet::new();
    for w in writers {
        all.extend(w.await.unwrap());
    }
    let last_id = seen_first.last().unwrap().0;
    let mut resumed = SseClient::connect(&url, &s.kds, Some(last_id)).await;
    let rest = resumed.created_numbers(40 - seen_first.len(), Duration::from_secs(3)).await;
    let ids: Vec<i64> = seen_first.iter().chain(&rest).map(|(id, _)| *id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in sequence: {ids:?}");
    let got: BTreeSet<String> = seen_first.iter().chain(&rest).map(|(_, n)| n.clone()).collect();
    assert_eq!(got.len(), 40, "no duplicates, nothing missing");
    assert_eq!(got, all);
}

/// The acceptance run: 300 orders taken offline on a kiosk, pushed
/// twice in shuffled batches; the server holds each exactly once and every
/// KDS subscriber saw each `order.created` once, in sequence.
#[tokio::test]
async fn three_hundred_offline_orders_pushed_twice_arrive_once_each() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let (device, kiosk) = {
        let t = &s.token;
        app.pair_device(t, s.outlet, "kiosk").await
    };
    let url = app.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let mut subscribers = Vec::new();
    for _ in 0..3 {
        subscribers.push(SseClient::connect(&url, &s.kds, None).await);
    }
    let template = order_body(&app, &s.token, s.outlet, s.item, 1).await;
    let orders = kiosk_orders(&template, 300);
    // A fixed shuffle, so a failure can be replayed.
    let mut shuffled = orders.clone();
    let mut state = 0x2545F4914F6CDD1Du64;
    for i in (1..shuffled.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        shuffled.swap(i, (state % (i as u64 + 1)) as usize);
    }
    for round in [&orders, &shuffled] {
        for batch in round.chunks(37) {
            let r = app.post("/api/v1/sync/push", Some(&kiosk), fixtures::push(device, batch)).await.expect(200);
            for result in r.body["results"].as_array().unwrap() {
                assert!(matches!(result["outcome"].as_str(), Some("created" | "duplicate")), "{result}");
            }
        }
    }
    let mut stored = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get(&format!("/api/v1/orders?outlet_id={}&limit=200{q}", s.outlet), &s.token).await.expect(200);
        for o in page.body["items"].as_array().unwrap() {
            assert!(stored.insert(o["client_order_id"].as_str().unwrap().to_string()), "stored twice");
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let sent: BTreeSet<String> = orders.iter().map(|o| o.client_order_id.to_string()).collect();
    assert_eq!(stored, sent, "exactly the 300 orders");
    for sub in &mut subscribers {
        let seen = sub.created_numbers(300, Duration::from_secs(5)).await;
        assert_eq!(seen.len(), 300);
        let ids: Vec<i64> = seen.iter().map(|(id, _)| *id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "in sequence");
        let numbers: BTreeSet<&String> = seen.iter().map(|(_, n)| n).collect();
        assert_eq!(numbers.len(), 300, "each once");
        assert!(sub.next(Duration::from_millis(300)).await.is_none_or(|e| e.event != "order.created"), "no extra");
    }
}
