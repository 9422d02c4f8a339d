//! Redis killed under three server processes sharing PostgreSQL and Redis:
//! events still reach subscribers on the process that made them and on
//! another one (through the event-log sweep), sign-in limits fall back to
//! in-process counting (still enforced, and sign-in still works), the
//! servers stay ready (degraded); once Redis is back, fan-out through it
//! resumes, and no subscriber misses or repeats an event.

use std::time::Duration;

use pos_tests::{PASSWORD, RedisProcess, SseClient, TestApp, fixtures, menu_item, order_body};
use pos_wire::{CreateOrder, Role};
use serde_json::Value;
use uuid::Uuid;

use pos_fault_tests::{Server, eventually};

async fn login(server: &Server, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("/api/v1/auth/login"))
        .json(&fixtures::login(email, password))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn with_redis_killed_events_still_arrive_and_sign_in_limits_fall_back() {
    let mut redis = RedisProcess::start().await;
    let swept = [
        ("POS_REDIS_URL", redis.url()),
        ("POS_EVENT_SWEEP_MS", "300".into()),
        ("POS_LOGIN_LIMIT_PER_ACCOUNT", "3".into()),
    ];
    // `a` takes the orders; `b` sweeps the event log; `c` does not, so only
    // Redis can bring it anything made elsewhere.
    let a = Server::start(&swept).await;
    let b = Server::start(&swept).await;
    let c = Server::start(&[("POS_REDIS_URL", redis.url()), ("POS_EVENT_SWEEP_MS", "3600000".into())]).await;
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
    let template = order_body(&app, &t.token, outlet, item, 1).await;
    let place = async |server: &Server| -> String {
        let order = CreateOrder { client_order_id: Uuid::now_v7(), ..template.clone() };
        let r = reqwest::Client::new()
            .post(server.url("/api/v1/orders"))
            .bearer_auth(&t.token)
            .json(&order)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "orders are taken whatever Redis does");
        r.json::<Value>().await.unwrap()["number"].as_str().unwrap().to_string()
    };
    let events = format!("/api/v1/outlets/{outlet}/events");
    let mut on_a = SseClient::connect(&a.url(&events), &kds, None).await;
    let mut on_b = SseClient::connect(&b.url(&events), &kds, None).await;
    let mut on_c = SseClient::connect(&c.url(&events), &kds, None).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // every subscriber is on Redis

    let mut expected = vec![place(&a).await];
    let first_on_c = on_c.created_numbers(1, Duration::from_secs(2)).await;
    assert_eq!(first_on_c.len(), 1, "with Redis up, c hears of a's order");

    redis.stop(); // SIGKILL
    for _ in 0..3 {
        expected.push(place(&a).await);
    }
    let on_a_during = on_a.created_numbers(4, Duration::from_secs(3)).await;
    let on_b_during = on_b.created_numbers(4, Duration::from_secs(3)).await;
    let numbers = |got: &[(i64, String)]| got.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
    assert_eq!(numbers(&on_a_during), expected, "the process that made them delivers its own events");
    assert_eq!(numbers(&on_b_during), expected, "another process delivers them through the event-log sweep");
    assert!(
        on_c.created_numbers(1, Duration::from_millis(800)).await.is_empty(),
        "c (no sweep) only hears through Redis"
    );

    let ready: Value = reqwest::get(a.url("/readyz")).await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "degraded", "{ready}");
    assert_eq!(ready["redis"], "down");

    // Sign-in limits count in process memory: still enforced, sign-in still works.
    let victim_email = format!("victim-{}@test.example", Uuid::now_v7().simple());
    app.post("/api/v1/users", Some(&t.token), fixtures::user(&victim_email, "Victim", Role::Manager, &[outlet]))
        .await
        .expect(201);
    for _ in 0..3 {
        assert_eq!(login(&a, &victim_email, "not the password").await.status(), 401);
    }
    let limited = login(&a, &victim_email, PASSWORD).await;
    assert_eq!(limited.status(), 429, "the per-account limit holds without Redis");
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(login(&a, &t.email, PASSWORD).await.status(), 200, "other accounts still sign in");

    redis.restart().await;
    let resubscribed = eventually(Duration::from_secs(15), async || {
        let metrics = reqwest::get(c.url("/metrics")).await.unwrap().text().await.unwrap();
        metrics.contains("events_redis_subscriber_connected 1")
    })
    .await;
    assert!(resubscribed, "c's subscriber reconnected to Redis by itself");
    let ready_again = eventually(Duration::from_secs(5), async || {
        let ready: Value = reqwest::get(a.url("/readyz")).await.unwrap().json().await.unwrap();
        ready["status"] == "ready"
    })
    .await;
    assert!(ready_again, "a is ready (not degraded) again once Redis answers");
    // A publish right after the restart can still meet a stale pooled
    // connection; fan-out has resumed once one goes through.
    let mut after = Vec::new();
    let mut on_c_after = Vec::new();
    for _ in 0..5 {
        after.push(place(&a).await);
        on_c_after.extend(on_c.created_numbers(1, Duration::from_millis(1500)).await);
        if !on_c_after.is_empty() {
            break;
        }
    }
    expected.extend(after.iter().cloned());
    // c fills the gap from the log as soon as Redis brings it a newer event.
    on_c_after.extend(on_c.created_numbers(expected.len() - 1 - on_c_after.len(), Duration::from_secs(2)).await);
    assert_eq!(numbers(&on_c_after), expected[1..].to_vec(), "c gets everything it missed, once, in order");

    let rest = after.len();
    let on_a_after = on_a.created_numbers(rest, Duration::from_secs(3)).await;
    let on_b_after = on_b.created_numbers(rest, Duration::from_secs(3)).await;
    assert_eq!(numbers(&on_a_after), after);
    assert_eq!(numbers(&on_b_after), after);
    for stream in [&mut on_a, &mut on_b, &mut on_c] {
        assert!(stream.created_numbers(1, Duration::from_millis(500)).await.is_empty(), "nothing twice");
    }
}
