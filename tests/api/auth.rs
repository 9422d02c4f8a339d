use pos_backend::{
    auth::jwt::Keyring,
    config::{JwtKeyConfig, Secret},
};
use pos_tests::{PASSWORD, TestApp};
use pos_wire::Role;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn signup_validates_and_logs_in() {
    let app = TestApp::spawn().await;
    let r = app
        .post(
            "/api/v1/auth/signup",
            None,
            json!({"brand_name": "", "owner_name": "A", "email": "nope", "password": "short"}),
        )
        .await
        .expect(422);
    for f in ["brand_name", "email", "password"] {
        assert!(r.body["errors"][f].is_array(), "{f}: {}", r.text);
    }
    let t = app.signup().await;
    let me = app.get("/api/v1/users", &t.token).await.expect(200);
    assert_eq!(me.body["items"][0]["role"], "owner");
    let pair = app.login(&t.email.to_uppercase()).await;
    assert!(pair["access_token"].is_string() && pair["refresh_token"].is_string());
    assert_eq!(pair["expires_in"], 900);
    let r =
        app.post("/api/v1/auth/login", None, json!({"email": t.email, "password": "wrong password"})).await.expect(401);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    app.post("/api/v1/auth/login", None, json!({"email": "nobody@test.example", "password": PASSWORD}))
        .await
        .expect(401);
}

#[tokio::test]
async fn same_email_in_two_brands_needs_a_tenant_choice() {
    let app = TestApp::spawn().await;
    let a = app.signup().await;
    let b = app.signup().await;
    let email = format!("shared-{}@test.example", Uuid::now_v7().simple());
    for t in [&a, &b] {
        app.post(
            "/api/v1/users",
            Some(&t.token),
            json!({"email": email, "name": "Shared", "password": PASSWORD, "role": "owner"}),
        )
        .await
        .expect(201);
    }
    let r = app.post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD})).await.expect(409);
    assert!(r.text.contains(&a.tenant_id.to_string()) && r.text.contains(&b.tenant_id.to_string()));
    let r = app
        .post("/api/v1/auth/login", None, json!({"email": email, "password": PASSWORD, "tenant_id": b.tenant_id}))
        .await
        .expect(200);
    let users = app.get("/api/v1/users", r.body["access_token"].as_str().unwrap()).await.expect(200);
    assert!(users.text.contains(&b.email) && !users.text.contains(&a.email), "logged into brand B only");
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn_with(|s| s.refresh_grace = std::time::Duration::ZERO).await;
    let t = app.signup().await;
    let first = t.refresh_token.clone();
    let r = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": first})).await.expect(200);
    let second = r.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    app.get("/api/v1/outlets", r.body["access_token"].as_str().unwrap()).await.expect(200);
    let r = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": second})).await.expect(200);
    let third = r.body["refresh_token"].as_str().unwrap().to_string();

    // An attacker replays the first (already used) token: the whole family dies...
    let r = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": first})).await.expect(401);
    assert!(r.text.contains("reuse"), "{}", r.text);
    // ...including the legitimate newest token.
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": third})).await.expect(401);
    // Other sessions of the same user are untouched.
    let other = app.login(&t.email).await;
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": other["refresh_token"]})).await.expect(200);
}

#[tokio::test]
async fn a_retried_refresh_within_the_grace_window_gets_the_same_pair() {
    let app = TestApp::spawn().await; // default grace: 30 s
    let t = app.signup().await;
    let a = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": t.refresh_token})).await.expect(200);
    // The tablet lost the response and retries with the same token.
    let b = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": t.refresh_token})).await.expect(200);
    assert_eq!(a.body["refresh_token"], b.body["refresh_token"]);
    // Once the child has been used, the old token is reuse again.
    let child = a.body["refresh_token"].as_str().unwrap().to_string();
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": child})).await.expect(200);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": t.refresh_token})).await.expect(401);
}

#[tokio::test]
async fn malformed_foreign_and_expired_refresh_tokens_fail() {
    let app = TestApp::spawn_with(|s| s.refresh_token_ttl = std::time::Duration::from_secs(1)).await;
    let t = app.signup().await;
    for bad in ["", "garbage", "rt1.zz.zz"] {
        app.post("/api/v1/auth/refresh", None, json!({"refresh_token": bad})).await.expect(401);
    }
    // The right secret under another tenant's id finds nothing.
    let other = app.signup().await;
    let forged = t.refresh_token.replace(&t.tenant_id.simple().to_string(), &other.tenant_id.simple().to_string());
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": forged})).await.expect(401);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let r = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": t.refresh_token})).await.expect(401);
    assert!(r.text.contains("expired"), "{}", r.text);
}

#[tokio::test]
async fn logout_ends_sessions() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let other = app.login(&t.email).await;
    // With a refresh token: only that session ends.
    app.post("/api/v1/auth/logout", Some(&t.token), json!({"refresh_token": t.refresh_token})).await.expect(204);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": t.refresh_token})).await.expect(401);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": other["refresh_token"]})).await.expect(200);
    // Bearer only: every session ends.
    let third = app.login(&t.email).await;
    let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&t.token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    app.post("/api/v1/auth/refresh", None, json!({"refresh_token": third["refresh_token"]})).await.expect(401);
    // Nothing at all: 401.
    let res = app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

fn foreign_keyring(kid: &str, seed: u8) -> Keyring {
    let mut settings = pos_backend::config::Settings::from_lookup(|_| None).unwrap();
    settings.jwt_keys = vec![JwtKeyConfig { kid: kid.into(), seed: Secret::new([seed; 32]) }];
    settings.jwt_current_kid = kid.into();
    Keyring::from_settings(&settings)
}

#[tokio::test]
async fn bad_access_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let r = app.client.get(app.url("/api/v1/outlets")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    app.get("/api/v1/outlets", "not.a.jwt").await.expect(401);

    // Tampered: flip a character of the signature.
    let mut tampered = t.token.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    app.get("/api/v1/outlets", &tampered).await.expect(401);

    // Signed by a key the server does not know (unknown kid) or by another key under its kid.
    let kid = app.state.settings.jwt_current_kid.clone();
    for ring in [foreign_keyring("someone-else", 7), foreign_keyring(&kid, 7)] {
        let token = ring.sign_staff(t.owner_id, t.tenant_id, Role::Owner, 60).unwrap();
        app.get("/api/v1/outlets", &token).await.expect(401);
    }

    // Expired (well past the 30 s leeway).
    let mut claims = app.state.keyring.verify(&t.token).unwrap();
    claims.exp = chrono::Utc::now().timestamp() - 3600;
    let expired = app.state.keyring.sign_claims(&claims).unwrap();
    let r = app.get("/api/v1/outlets", &expired).await.expect(401);
    assert!(r.text.contains("expired"), "{}", r.text);
    // Another audience or issuer: refused.
    for (aud, iss) in [("someone-else".to_string(), claims.iss.clone()), (claims.aud.clone(), "evil".to_string())] {
        let mut c = app.state.keyring.verify(&t.token).unwrap();
        (c.aud, c.iss) = (aud, iss);
        app.get("/api/v1/outlets", &app.state.keyring.sign_claims(&c).unwrap()).await.expect(401);
    }
}

#[tokio::test]
async fn deactivated_staff_lose_access_at_once() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (id, cashier) = app.create_staff(&t.token, "cashier", &[outlet]).await;
    app.get("/api/v1/outlets", &cashier).await.expect(200);
    app.patch(&format!("/api/v1/users/{id}"), &t.token, json!({"active": false})).await.expect(200);
    app.get("/api/v1/outlets", &cashier).await.expect(401);
}

#[tokio::test]
async fn login_is_rate_limited_per_account_and_per_ip() {
    let app = TestApp::spawn_with(|s| {
        s.trust_proxy = true;
        s.login_limit_per_account = 3;
        s.login_limit_per_ip = 5;
    })
    .await;
    // Sign up through an unlimited instance: sign-ups count per IP too.
    let t = TestApp::spawn().await.signup().await;
    let attempt = |email: String, password: &'static str, from: String| {
        let req = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"email": email, "password": password}));
        async move { TestApp::read(req.send().await.unwrap()).await }
    };
    // Per account: three wrong passwords from different addresses, then even the right one waits.
    let unique = Uuid::now_v7().as_u128() as u32;
    for i in 0..3 {
        attempt(t.email.clone(), "wrong password", format!("203.0.113.{}", (unique + i) % 250)).await.expect(401);
    }
    let r = attempt(t.email.clone(), PASSWORD, format!("203.0.113.{}", (unique + 7) % 250)).await.expect(429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    // Per IP: five attempts on different accounts from one address, then 429.
    let addr = format!("2001:db8::{:x}", Uuid::now_v7().as_u128() as u16);
    for _ in 0..5 {
        attempt(format!("x{}@test.example", Uuid::now_v7().simple()), "whatever!", addr.clone()).await.expect(401);
    }
    attempt(format!("y{}@test.example", Uuid::now_v7().simple()), "whatever!", addr).await.expect(429);
}
