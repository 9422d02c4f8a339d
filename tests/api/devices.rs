use pos_tests::{Reply, TestApp, fixtures, last_use_is_stale};
use pos_wire::{DeviceKind, LogoutRequest};
use serde_json::json;

#[tokio::test]
async fn pairing_is_single_use_and_revocation_is_immediate() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let code = app
        .post(
            &format!("/api/v1/outlets/{outlet}/devices"),
            Some(&t.token),
            fixtures::device(DeviceKind::Kiosk, "Kiosk 1"),
        )
        .await
        .expect(201);
    let raw = code.body["pairing_code"].as_str().unwrap().to_string();
    assert_eq!(raw.len(), 8);
    let listed = app.get(&format!("/api/v1/outlets/{outlet}/devices"), &t.token).await.expect(200);
    assert_eq!(listed.body[0]["status"], "pending");

    // Typed in lower case with a dash: still the same code.
    let typed = format!("{}-{}", raw[..4].to_lowercase(), &raw[4..]);
    let paired = app.post("/api/v1/devices/pair", None, fixtures::pairing(&typed)).await.expect(200);
    assert_eq!(paired.body["outlet_id"], outlet.to_string());
    assert_eq!(paired.body["tenant_id"], t.tenant_id.to_string());
    assert_eq!(paired.body["kind"], "kiosk");
    let token = paired.body["device_token"].as_str().unwrap().to_string();

    // Single use.
    let again = app.post("/api/v1/devices/pair", None, fixtures::pairing(&raw)).await.expect(422);
    assert!(again.body["errors"]["pairing_code"].is_array());

    let me = app.get("/api/v1/devices/me", &token).await.expect(200);
    assert_eq!(me.body["status"], "paired");
    app.get(&format!("/api/v1/outlets/{outlet}"), &token).await.expect(200);

    let device_id = paired.body["device_id"].as_str().unwrap();
    app.delete(&format!("/api/v1/devices/{device_id}"), &t.token).await.expect(204);
    let r = app.get("/api/v1/devices/me", &token).await.expect(401);
    assert!(r.text.contains("revoked"), "{}", r.text);
    let listed = app.get(&format!("/api/v1/outlets/{outlet}/devices"), &t.token).await.expect(200);
    assert_eq!(listed.body[0]["status"], "revoked");
}

#[tokio::test]
async fn expired_and_unknown_codes_are_refused() {
    let app = TestApp::spawn_with(|s| s.pairing_code_ttl = std::time::Duration::from_secs(1)).await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let code = app
        .post(&format!("/api/v1/outlets/{outlet}/devices"), Some(&t.token), fixtures::device(DeviceKind::Kds, "Grill"))
        .await
        .expect(201);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    app.post("/api/v1/devices/pair", None, fixtures::pairing(code.body["pairing_code"].as_str().unwrap()))
        .await
        .expect(422);
    app.post("/api/v1/devices/pair", None, fixtures::pairing("ZZZZZZZZ")).await.expect(422);
    app.post("/api/v1/devices/pair", None, fixtures::pairing("short")).await.expect(422);
    let r = app
        .post(&format!("/api/v1/outlets/{outlet}/devices"), Some(&t.token), json!({"kind": "toaster", "name": "X"}))
        .await
        .expect(422);
    assert!(r.body["errors"]["kind"].is_array(), "{}", r.text);
}

#[tokio::test]
async fn archiving_an_outlet_revokes_its_devices() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Closing down").await;
    let (_, token) = app.pair_device(&t.token, outlet, "kds").await;
    app.get("/api/v1/devices/me", &token).await.expect(200);
    app.delete(&format!("/api/v1/outlets/{outlet}"), &t.token).await.expect(204);
    app.get("/api/v1/devices/me", &token).await.expect(401);
}

#[tokio::test]
async fn devices_cannot_manage_anything() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (device_id, token) = app.pair_device(&t.token, outlet, "kiosk").await;
    app.get("/api/v1/users", &token).await.expect(403);
    app.post("/api/v1/outlets", Some(&token), fixtures::outlet("X")).await.expect(403);
    app.patch(&format!("/api/v1/outlets/{outlet}"), &token, fixtures::outlet_open(false)).await.expect(403);
    app.post(&format!("/api/v1/outlets/{outlet}/devices"), Some(&token), fixtures::device(DeviceKind::Kiosk, "X"))
        .await
        .expect(403);
    app.delete(&format!("/api/v1/devices/{device_id}"), &token).await.expect(403);
    app.get("/api/v1/audit-log", &token).await.expect(403);
    let r = app.post("/api/v1/auth/logout", Some(&token), LogoutRequest::default()).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn pairing_code_guessing_is_limited_per_address_and_for_everyone() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
        s.redis_url = None; // counters of this instance alone
        s.pair_limit_per_ip = 3;
        s.pair_limit_global = 5;
    })
    .await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let new_code = || async {
        let r = app
            .post(
                &format!("/api/v1/outlets/{outlet}/devices"),
                Some(&t.token),
                fixtures::device(DeviceKind::Kiosk, "K"),
            )
            .await
            .expect(201);
        r.body["pairing_code"].as_str().unwrap().to_string()
    };
    let pair = |code: String, from: &'static str| {
        let req = app
            .client
            .post(app.url("/api/v1/devices/pair"))
            .header("x-forwarded-for", from)
            .json(&fixtures::pairing(&code));
        async move { TestApp::read(req.send().await.unwrap()).await }
    };
    let wrong = || "ZZZZ2345".to_string();

    // Pairing a shop's tablets never counts.
    for _ in 0..4 {
        pair(new_code().await, "198.51.100.1").await.expect(200);
    }
    // Three wrong codes from one address, then it waits, even with a right code.
    for _ in 0..3 {
        pair(wrong(), "198.51.100.1").await.expect(422);
    }
    let r: Reply = pair(new_code().await, "198.51.100.1").await.expect(429);
    assert!(r.header("retry-after").is_some_and(|s| s.parse::<u64>().unwrap() > 0));
    // Typos that cannot be a code cost nothing and are told so.
    pair("nope".into(), "198.51.100.1").await.expect(422);
    // Other addresses go on, until everyone together has made five wrong guesses.
    pair(wrong(), "198.51.100.2").await.expect(422);
    pair(wrong(), "198.51.100.3").await.expect(422);
    pair(wrong(), "198.51.100.4").await.expect(429);
    pair(new_code().await, "198.51.100.5").await.expect(429);
}

/// A device's requests never queue on its row: while another transaction
/// holds it (another request of the same kiosk), a request that would
/// record the device's use skips that and answers.
#[tokio::test]
async fn requests_of_one_device_never_wait_on_its_row() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Pusat").await;
    let (device, token) = app.pair_device(&t.token, outlet, "kiosk").await;
    let menu = format!("/api/v1/outlets/{outlet}/menu");
    let tx = app.tenant_tx(t.tenant_id).await;
    let old = "UPDATE devices SET last_seen_at = now() - interval '1 hour' WHERE id = $1";
    tx.execute(old, [device.into()]).await.unwrap();
    tx.commit().await.unwrap();

    let holder = app.tenant_tx(t.tenant_id).await;
    holder.execute("SELECT id FROM devices WHERE id = $1 FOR UPDATE", [device.into()]).await.unwrap();
    let answer = tokio::time::timeout(std::time::Duration::from_secs(10), app.get(&menu, &token)).await;
    answer.expect("the request must not wait for the row").expect(200);
    assert!(last_use_is_stale(&holder, "devices", device).await, "its use was not recorded while the row was held");
    holder.commit().await.unwrap();

    app.get(&menu, &token).await.expect(200);
    let tx = app.tenant_tx(t.tenant_id).await;
    assert!(!last_use_is_stale(&tx, "devices", device).await, "recorded once the row is free");
    tx.commit().await.unwrap();
}
