//! Principals and menu stamps served from a process's memory stay honest
//! across server processes: a change made through process A is seen by the
//! very next request to process B, whose caches are warm. Both processes
//! share a private Redis (the epochs and the event fan-out).

use std::time::Duration;

use pos_tests::{RedisProcess, ServerProcess, TestApp, menu_item};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// Two server processes sharing a private Redis, and a new brand.
struct Scene {
    redis: RedisProcess,
    a: ServerProcess,
    b: ServerProcess,
    app: TestApp,
    t: pos_tests::Tenant,
}

async fn scene() -> Scene {
    let redis = RedisProcess::start().await;
    // No sweep: only the epochs and the fan-out may tell B of A's changes.
    let env = [("POS_REDIS_URL", redis.url()), ("POS_EVENT_SWEEP_MS", "3600000".to_string())];
    let (a, b) = (ServerProcess::start(&env).await, ServerProcess::start(&env).await);
    // B's event subscriber is connected to Redis.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    Scene { redis, a, b, app, t }
}

async fn send(base: &str, method: Method, path: &str, token: &str, body: Option<Value>) -> reqwest::Response {
    let mut req = reqwest::Client::new().request(method, format!("{base}{path}")).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

async fn status(base: &str, path: &str, token: &str) -> StatusCode {
    send(base, Method::GET, path, token, None).await.status()
}

/// A conditional menu fetch: status, ETag, body.
async fn menu(base: &str, outlet: Uuid, token: &str, etag: Option<&str>) -> (StatusCode, String, Value) {
    let mut req = reqwest::Client::new().get(format!("{base}/api/v1/outlets/{outlet}/menu")).bearer_auth(token);
    if let Some(etag) = etag {
        req = req.header("If-None-Match", etag);
    }
    let res = req.send().await.unwrap();
    let (code, etag) = (res.status(), res.headers()["etag"].to_str().unwrap().to_string());
    let body = if code == StatusCode::OK { res.json().await.unwrap() } else { Value::Null };
    (code, etag, body)
}

/// This process's count of `metric{result="hit"}`.
async fn hits(base: &str, metric: &str) -> u64 {
    let text = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    text.lines()
        .find(|l| l.starts_with(metric) && l.contains("result=\"hit\""))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// Requests `path` on B until B answers it from its principal cache.
/// Revokes the device through `base`.
async fn revoke(base: &str, device_id: Uuid, token: &str) {
    let r = send(base, Method::DELETE, &format!("/api/v1/devices/{device_id}"), token, None).await;
    assert_eq!(r.status(), 204, "device revoked");
}

/// Changes the item's brand price through `base`.
async fn set_price(base: &str, item: Uuid, token: &str, price_minor: i64) {
    let path = format!("/api/v1/menu-items/{item}");
    let r = send(base, Method::PATCH, &path, token, Some(json!({ "price_minor": price_minor }))).await;
    assert_eq!(r.status(), 200, "price changed");
}

async fn warm_principal(b: &ServerProcess, path: &str, token: &str) {
    let before = hits(&b.base, "principal_cache_total").await;
    for _ in 0..3 {
        assert_eq!(status(&b.base, path, token).await, StatusCode::OK);
    }
    assert!(hits(&b.base, "principal_cache_total").await > before, "B answered from its principal cache");
}

#[tokio::test]
async fn a_device_revoked_through_one_process_is_refused_by_the_next_request_to_another() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (device_id, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let path = format!("/api/v1/outlets/{outlet}/menu");
    warm_principal(&b, &path, &kiosk).await;

    revoke(&a.base, device_id, &t.token).await;
    assert_eq!(status(&b.base, &path, &kiosk).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&a.base, &path, &kiosk).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_deactivated_through_one_process_is_refused_by_the_next_request_to_another() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (user_id, manager) = app.create_staff(&t.token, "manager", &[outlet]).await;
    warm_principal(&b, "/api/v1/outlets", &manager).await;

    let r = send(&a.base, Method::PATCH, &format!("/api/v1/users/{user_id}"), &t.token, Some(json!({"active": false})))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(status(&b.base, "/api/v1/outlets", &manager).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_membership_taken_away_through_one_process_narrows_the_next_request_to_another() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let main = app.create_outlet(&t.token, "Main").await;
    let other = app.create_outlet(&t.token, "Other").await;
    let (user_id, cashier) = app.create_staff(&t.token, "cashier", &[main, other]).await;
    let path = format!("/api/v1/outlets/{main}");
    warm_principal(&b, &path, &cashier).await;

    let r = send(
        &a.base,
        Method::PATCH,
        &format!("/api/v1/users/{user_id}"),
        &t.token,
        Some(json!({"outlet_ids": [other]})),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(status(&b.base, &path, &cashier).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_session_ended_through_one_process_is_refused_by_the_next_request_to_another() {
    let Scene { redis: _redis, a, b, app: _app, t } = scene().await;
    warm_principal(&b, "/api/v1/outlets", &t.token).await;

    let r =
        send(&a.base, Method::POST, "/api/v1/auth/logout", &t.token, Some(json!({"refresh_token": t.refresh_token})))
            .await;
    assert_eq!(r.status(), 204);
    assert_eq!(status(&b.base, "/api/v1/outlets", &t.token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_menu_change_through_one_process_is_not_a_304_on_another() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let (_, etag, _) = menu(&b.base, outlet, &kiosk, None).await;
    let before = hits(&b.base, "menu_stamp_cache_total").await;
    for _ in 0..3 {
        assert_eq!(menu(&b.base, outlet, &kiosk, Some(&etag)).await.0, StatusCode::NOT_MODIFIED);
    }
    assert!(hits(&b.base, "menu_stamp_cache_total").await > before, "B answered 304 from memory");

    set_price(&a.base, item, &t.token, 31000).await;
    let (code, new_etag, body) = menu(&b.base, outlet, &kiosk, Some(&etag)).await;
    assert_eq!(code, StatusCode::OK, "the old ETag no longer matches");
    assert_ne!(new_etag, etag);
    assert_eq!(body["categories"][0]["items"][0]["price_minor"], 31000);

    // An 86 at the outlet too (an outlet override, not a catalogue write).
    let r = send(
        &a.base,
        Method::PATCH,
        &format!("/api/v1/outlets/{outlet}/menu-items/{item}"),
        &t.token,
        Some(json!({"available": false})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let (code, _, body) = menu(&b.base, outlet, &kiosk, Some(&new_etag)).await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(body["categories"][0]["items"][0]["available"], false);
}

#[tokio::test]
async fn a_timed_86_running_out_changes_the_etag_without_any_write() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let until = chrono::Utc::now() + chrono::Duration::seconds(3);
    let r = send(
        &a.base,
        Method::PATCH,
        &format!("/api/v1/outlets/{outlet}/menu-items/{item}"),
        &t.token,
        Some(json!({"available": false, "unavailable_until": until})),
    )
    .await;
    assert_eq!(r.status(), 200);
    let (_, etag, body) = menu(&b.base, outlet, &kiosk, None).await;
    assert_eq!(body["categories"][0]["items"][0]["available"], false);
    for _ in 0..3 {
        assert_eq!(menu(&b.base, outlet, &kiosk, Some(&etag)).await.0, StatusCode::NOT_MODIFIED);
    }

    let wait = (until - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(200);
    tokio::time::sleep(wait).await;
    let (code, new_etag, body) = menu(&b.base, outlet, &kiosk, Some(&etag)).await;
    assert_eq!(code, StatusCode::OK, "the 86 ran out: the menu changed");
    assert_ne!(new_etag, etag);
    assert_eq!(body["categories"][0]["items"][0]["available"], true);
}

#[tokio::test]
async fn with_redis_down_both_processes_read_the_database() {
    let Scene { mut redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (device_id, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let path = format!("/api/v1/outlets/{outlet}/menu");
    warm_principal(&b, &path, &kiosk).await;
    let (_, etag, _) = menu(&b.base, outlet, &kiosk, None).await;
    assert_eq!(menu(&b.base, outlet, &kiosk, Some(&etag)).await.0, StatusCode::NOT_MODIFIED);

    redis.stop();
    set_price(&a.base, item, &t.token, 27000).await;
    let (code, _, body) = menu(&b.base, outlet, &kiosk, Some(&etag)).await;
    assert_eq!(code, StatusCode::OK, "without Redis the stamp comes from the database");
    assert_eq!(body["categories"][0]["items"][0]["price_minor"], 27000);

    revoke(&a.base, device_id, &t.token).await;
    assert_eq!(status(&b.base, &path, &kiosk).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_device_that_refetches_on_a_menu_event_from_another_process_never_gets_the_old_304() {
    let Scene { redis: _redis, a, b, app, t } = scene().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let (_, etag, _) = menu(&b.base, outlet, &kiosk, None).await;
    for _ in 0..3 {
        assert_eq!(menu(&b.base, outlet, &kiosk, Some(&etag)).await.0, StatusCode::NOT_MODIFIED);
    }
    let mut stream =
        pos_tests::SseClient::connect(&b.url(&format!("/api/v1/outlets/{outlet}/events")), &kiosk, None).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    set_price(&a.base, item, &t.token, 33000).await;
    loop {
        let event = stream.next(Duration::from_secs(3)).await.expect("the change reached B's stream");
        if event.event.starts_with("menu.") {
            break;
        }
    }
    let (code, _, body) = menu(&b.base, outlet, &kiosk, Some(&etag)).await;
    assert_eq!(code, StatusCode::OK, "refetched on the event: the new menu, not a 304");
    assert_eq!(body["categories"][0]["items"][0]["price_minor"], 33000);
}
