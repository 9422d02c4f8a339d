use std::time::Duration;

use pos_backend::{
    auth::{jwt::Keyring, rate_limit::RateLimiter},
    config::{JwtKeyConfig, Secret},
};
use pos_tests::{PASSWORD, Reply, TestApp, fixtures};
use pos_wire::{LoginRequest, Role, SignupRequest, UpdateUser};
use serde_json::json;
use uuid::Uuid;

/// A login attempt, from `from` (an `X-Forwarded-For` hop) when given.
async fn login_from(app: &TestApp, email: &str, password: &str, from: Option<&str>) -> Reply {
    let mut req = app.client.post(app.url("/api/v1/auth/login")).json(&fixtures::login(email, password));
    if let Some(from) = from {
        req = req.header("x-forwarded-for", from);
    }
    TestApp::read(req.send().await.unwrap()).await
}

/// 127.0.0.1 (every test's peer) is the trusted proxy.
fn behind_local_proxy(s: &mut pos_backend::config::Settings) {
    s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

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
    let r = app.post("/api/v1/auth/login", None, fixtures::login(&t.email, "wrong password")).await.expect(401);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    app.post("/api/v1/auth/login", None, fixtures::login("nobody@test.example", PASSWORD)).await.expect(401);
}

#[tokio::test]
async fn same_email_in_two_brands_needs_a_tenant_choice() {
    let app = TestApp::spawn().await;
    let a = app.signup().await;
    let b = app.signup().await;
    let email = format!("shared-{}@test.example", Uuid::now_v7().simple());
    for t in [&a, &b] {
        app.post("/api/v1/users", Some(&t.token), fixtures::user(&email, "Shared", Role::Owner, &[])).await.expect(201);
    }
    let r = app.post("/api/v1/auth/login", None, fixtures::login(&email, PASSWORD)).await.expect(409);
    assert!(r.text.contains(&a.tenant_id.to_string()) && r.text.contains(&b.tenant_id.to_string()));
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            LoginRequest { tenant_id: Some(b.tenant_id), ..fixtures::login(&email, PASSWORD) },
        )
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
    let r = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&first)).await.expect(200);
    let second = r.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    app.get("/api/v1/outlets", r.body["access_token"].as_str().unwrap()).await.expect(200);
    let r = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&second)).await.expect(200);
    let third = r.body["refresh_token"].as_str().unwrap().to_string();

    // An attacker replays the first (already used) token: the whole family dies...
    let r = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&first)).await.expect(401);
    assert!(r.text.contains("reuse"), "{}", r.text);
    // ...including the legitimate newest token.
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&third)).await.expect(401);
    // Other sessions of the same user are untouched.
    let other = app.login(&t.email).await;
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(other["refresh_token"].as_str().unwrap()))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_retried_refresh_within_the_grace_window_gets_the_same_pair() {
    let app = TestApp::spawn().await; // default grace: 30 s
    let t = app.signup().await;
    let a = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(200);
    // The tablet lost the response and retries with the same token.
    let b = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(200);
    assert_eq!(a.body["refresh_token"], b.body["refresh_token"]);
    // Once the child has been used, the old token is reuse again.
    let child = a.body["refresh_token"].as_str().unwrap().to_string();
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&child)).await.expect(200);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(401);
}

#[tokio::test]
async fn malformed_foreign_and_expired_refresh_tokens_fail() {
    let app = TestApp::spawn_with(|s| s.refresh_token_ttl = std::time::Duration::from_secs(1)).await;
    let t = app.signup().await;
    for bad in ["", "garbage", "rt1.zz.zz"] {
        app.post("/api/v1/auth/refresh", None, fixtures::refresh(bad)).await.expect(401);
    }
    // The right secret under another tenant's id finds nothing.
    let other = app.signup().await;
    let forged = t.refresh_token.replace(&t.tenant_id.simple().to_string(), &other.tenant_id.simple().to_string());
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&forged)).await.expect(401);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let r = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(401);
    assert!(r.text.contains("expired"), "{}", r.text);
}

#[tokio::test]
async fn logout_ends_sessions_and_their_access_tokens() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let other = app.login(&t.email).await;
    let other_token = other["access_token"].as_str().unwrap().to_string();
    // With a refresh token: only that session ends, its access token with it.
    app.post("/api/v1/auth/logout", Some(&t.token), fixtures::refresh(&t.refresh_token)).await.expect(204);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(401);
    let r = app.get("/api/v1/outlets", &t.token).await.expect(401);
    assert!(r.text.contains("session has ended"), "{}", r.text);
    app.get("/api/v1/outlets", &other_token).await.expect(200);
    let rotated = app
        .post("/api/v1/auth/refresh", None, fixtures::refresh(other["refresh_token"].as_str().unwrap()))
        .await
        .expect(200);
    let rotated_token = rotated.body["access_token"].as_str().unwrap().to_string();
    // An ended session's token cannot end the others.
    app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&t.token).send().await.unwrap();
    app.get("/api/v1/outlets", &rotated_token).await.expect(200);
    // Bearer only: every session ends, every access token of it (before
    // and after rotation) too.
    let third = app.login(&t.email).await;
    let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(&rotated_token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(third["refresh_token"].as_str().unwrap()))
        .await
        .expect(401);
    for token in [&other_token, &rotated_token, third["access_token"].as_str().unwrap()] {
        app.get("/api/v1/outlets", token).await.expect(401);
    }
    // Signing in again works.
    let fresh = app.login(&t.email).await;
    app.get("/api/v1/outlets", fresh["access_token"].as_str().unwrap()).await.expect(200);
    // Nothing at all: 401.
    let res = app.client.post(app.url("/api/v1/auth/logout")).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn reuse_detection_ends_the_access_tokens_of_the_family() {
    let app = TestApp::spawn_with(|s| s.refresh_grace = std::time::Duration::ZERO).await;
    let t = app.signup().await;
    let r = app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(200);
    let access = r.body["access_token"].as_str().unwrap().to_string();
    app.get("/api/v1/outlets", &access).await.expect(200);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(&t.refresh_token)).await.expect(401);
    app.get("/api/v1/outlets", &access).await.expect(401);
}

#[tokio::test]
async fn access_tokens_are_taken_from_the_query_by_the_event_stream_only() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    for path in ["/api/v1/outlets".to_string(), format!("/api/v1/outlets/{outlet}"), "/api/v1/users".to_string()] {
        let res = app.client.get(app.url(&format!("{path}?access_token={}", t.token))).send().await.unwrap();
        assert_eq!(res.status(), 401, "{path} must not take a token from the query");
    }
    let res = app
        .client
        .post(app.url(&format!("/api/v1/outlets?access_token={}", t.token)))
        .json(&fixtures::outlet("Via the query"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // The stream does, keeping its other parameters.
    let url = app.url(&format!("/api/v1/outlets/{outlet}/events?last_event_id=0&access_token={}", t.token));
    let mut stream = pos_tests::SseClient::open(reqwest::Client::new().get(url)).await;
    assert!(!stream.closed_within(Duration::from_millis(300)).await);
}

fn foreign_keyring(kid: &str, seed: u8) -> Keyring {
    let mut settings = pos_backend::config::Settings::from_lookup(|k| (k == "POS_ENV").then(|| "test".into())).unwrap();
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
        let token = ring.sign_staff(t.owner_id, t.tenant_id, Role::Owner, Uuid::now_v7(), 60).unwrap();
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
    app.patch(&format!("/api/v1/users/{id}"), &t.token, fixtures::user_active(false)).await.expect(200);
    app.get("/api/v1/outlets", &cashier).await.expect(401);
}

#[tokio::test]
async fn staff_tokens_need_a_live_session_of_their_own_user() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let other = app.signup().await;
    let claims = app.state.keyring.verify(&t.token).unwrap();
    let sign = |sid: Option<Uuid>| {
        let mut c = claims.clone();
        c.sid = sid;
        app.state.keyring.sign_claims(&c).unwrap()
    };
    app.get("/api/v1/outlets", &sign(claims.sid)).await.expect(200);
    // Without a session, with a made-up one, or with another user's: refused.
    app.get("/api/v1/outlets", &sign(None)).await.expect(401);
    app.get("/api/v1/outlets", &sign(Some(Uuid::now_v7()))).await.expect(401);
    let other_sid = app.state.keyring.verify(&other.token).unwrap().sid;
    app.get("/api/v1/outlets", &sign(other_sid)).await.expect(401);
}

#[tokio::test]
async fn login_is_rate_limited_per_account_and_per_ip() {
    let app = TestApp::spawn_with(|s| {
        behind_local_proxy(s);
        s.login_limit_per_account = 3;
        s.login_limit_per_ip = 5;
    })
    .await;
    // Sign up through an unlimited instance: sign-ups count per IP too.
    let t = TestApp::spawn().await.signup().await;
    // Per account: three wrong passwords from different addresses, then even the right one waits.
    let unique = Uuid::now_v7().as_u128() as u32;
    for i in 0..3 {
        let from = format!("203.0.113.{}", (unique + i) % 250);
        login_from(&app, &t.email, "wrong password", Some(&from)).await.expect(401);
    }
    let from = format!("203.0.113.{}", (unique + 7) % 250);
    let r = login_from(&app, &t.email, PASSWORD, Some(&from)).await.expect(429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    // Per IP: five failures on different accounts from one address, then 429.
    let prefix = format!("2001:db8:{:x}:{:x}", Uuid::now_v7().as_u128() as u16, Uuid::now_v7().as_u128() as u16);
    for i in 0..5 {
        // Anywhere in one /64 is one client.
        let from = format!("{prefix}::{:x}", i + 1);
        let email = format!("x{}@test.example", Uuid::now_v7().simple());
        login_from(&app, &email, "whatever!", Some(&from)).await.expect(401);
    }
    let email = format!("y{}@test.example", Uuid::now_v7().simple());
    login_from(&app, &email, "whatever!", Some(&format!("{prefix}:ffff:1:2:3"))).await.expect(429);
    // The next /64 is someone else.
    login_from(&app, &email, "whatever!", Some(&format!("{prefix}1::1"))).await.expect(401);
}

#[tokio::test]
async fn a_whole_shop_signs_in_from_one_address_only_failures_count() {
    // The per-IP counter is 127.0.0.1's, shared by every test in this run
    // through Redis: count in this instance's own memory instead.
    let app = TestApp::spawn_with(|s| {
        s.redis_url = None;
        s.login_limit_per_ip = 3;
    })
    .await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (_, _) = app.create_staff(&t.token, "cashier", &[outlet]).await;
    // Many more successful sign-ins than the limit: none is refused.
    for _ in 0..8 {
        app.login(&t.email).await;
    }
    // Failures count: three wrong passwords, then this address waits, even with the right one.
    for _ in 0..3 {
        login_from(&app, &t.email, "wrong password", None).await.expect(401);
    }
    login_from(&app, &t.email, PASSWORD, None).await.expect(429);
}

#[tokio::test]
async fn a_forged_forwarded_for_from_an_untrusted_peer_is_ignored() {
    // No trusted proxy: the peer (127.0.0.1) is the client whatever it claims.
    let app = TestApp::spawn_with(|s| {
        s.redis_url = None;
        s.login_limit_per_ip = 3;
    })
    .await;
    for i in 0..3 {
        let email = format!("x{}@test.example", Uuid::now_v7().simple());
        login_from(&app, &email, "whatever!", Some(&format!("198.51.100.{i}"))).await.expect(401);
    }
    let email = format!("y{}@test.example", Uuid::now_v7().simple());
    login_from(&app, &email, "whatever!", Some("198.51.100.99")).await.expect(429);
    login_from(&app, &email, "whatever!", Some("198.51.100.99, 10.0.0.1")).await.expect(429);
    // A trusting instance believes the same header (the rightmost hop not its proxy).
    let trusting = TestApp::spawn_with(|s| {
        behind_local_proxy(s);
        s.redis_url = None;
        s.login_limit_per_ip = 1;
    })
    .await;
    login_from(&trusting, &email, "whatever!", Some("6.6.6.6, 198.51.100.1")).await.expect(401);
    login_from(&trusting, &email, "whatever!", Some("198.51.100.1")).await.expect(429);
    login_from(&trusting, &email, "whatever!", Some("198.51.100.1, 198.51.100.2")).await.expect(401);
}

/// Twenty wrong passwords at once against an account allowed three: three
/// are checked, the rest refused, whichever process or store counts.
async fn concurrent_guesses(app: &TestApp) {
    let t = app.signup().await;
    let attempts = (0..20).map(|i| {
        let from = format!("203.0.113.{}", i + 1);
        let email = t.email.clone();
        async move { login_from(app, &email, "wrong password", Some(&from)).await.status.as_u16() }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 17, "{statuses:?}");
    login_from(app, &t.email, PASSWORD, Some("203.0.113.99")).await.expect(429);
}

#[tokio::test]
async fn concurrent_wrong_passwords_cannot_exceed_the_account_limit() {
    let settings = |redis: bool| {
        move |s: &mut pos_backend::config::Settings| {
            behind_local_proxy(s);
            s.login_limit_per_account = 3;
            if !redis {
                s.redis_url = None;
            }
        }
    };
    let shared = TestApp::spawn_with(settings(true)).await;
    assert!(shared.state.redis.is_some(), "the test run has Redis");
    concurrent_guesses(&shared).await;
    concurrent_guesses(&TestApp::spawn_with(settings(false)).await).await;
}

#[tokio::test]
async fn the_redis_limiter_is_atomic_and_gives_slots_back() {
    let app = TestApp::spawn().await;
    let pool = app.state.redis.clone().expect("the test run has Redis");
    let limiter = std::sync::Arc::new(RateLimiter::new(Some(pool)));
    let key = format!("test:{}", Uuid::now_v7());
    let tries = (0..40).map(|_| {
        let (limiter, key) = (limiter.clone(), key.clone());
        tokio::spawn(async move { limiter.acquire(&key, 5, Duration::from_secs(60)).await })
    });
    let mut granted = Vec::new();
    for t in tries {
        if let Ok(slot) = t.await.unwrap() {
            granted.push(slot);
        }
    }
    assert_eq!(granted.len(), 5);
    // Giving two back makes room for exactly two more.
    for slot in granted.drain(..2) {
        limiter.release(slot).await;
    }
    let _a = limiter.acquire(&key, 5, Duration::from_secs(60)).await.unwrap();
    let _b = limiter.acquire(&key, 5, Duration::from_secs(60)).await.unwrap();
    assert!(limiter.acquire(&key, 5, Duration::from_secs(60)).await.is_err());
}

#[tokio::test]
async fn brands_signed_up_with_someone_elses_email_do_not_lock_them_out() {
    let app = TestApp::spawn().await;
    let victim_email = format!("victim-{}@test.example", Uuid::now_v7().simple());
    // An attacker signs up a dozen brands under the victim's email first...
    for i in 0..12 {
        app.post(
            "/api/v1/auth/signup",
            None,
            SignupRequest {
                brand_name: format!("Squat {i}"),
                owner_name: "X".into(),
                ..fixtures::signup(&victim_email, "attacker-pass")
            },
        )
        .await
        .expect(201);
    }
    // ...then the victim's real employer adds them.
    let employer = app.signup().await;
    let outlet = app.create_outlet(&employer.token, "Main").await;
    app.post("/api/v1/users", Some(&employer.token), fixtures::user(&victim_email, "Victim", Role::Manager, &[outlet]))
        .await
        .expect(201);
    // The victim signs in straight into the employer's brand.
    let pair = app.login(&victim_email).await;
    let claims = app.state.keyring.verify(pair["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims.tid, employer.tenant_id);
    // The attacker's own password opens only the attacker's brands.
    let r = login_from(&app, &victim_email, "attacker-pass", None).await.expect(409);
    assert!(!r.text.contains(&employer.tenant_id.to_string()));
}

#[tokio::test]
async fn an_email_changed_without_a_new_password_still_signs_in() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (id, _) = app.create_staff(&t.token, "manager", &[outlet]).await;
    let new_email = format!("renamed-{}@test.example", Uuid::now_v7().simple());
    app.patch(
        &format!("/api/v1/users/{id}"),
        &t.token,
        UpdateUser { email: Some(new_email.clone()), ..Default::default() },
    )
    .await
    .expect(200);
    // Its hash was made under the old email: checked on its own, then replaced.
    let hash_of = || async {
        let tx = app.tenant_tx(t.tenant_id).await;
        let rows = tx.query_raw("SELECT password_hash FROM users WHERE id = $1", [id.into()]).await.unwrap();
        let hash: String = pos_backend::db::opt_row(&rows, "password_hash").unwrap().unwrap();
        tx.commit().await.unwrap();
        hash
    };
    let before = hash_of().await;
    app.login(&new_email).await;
    let after = hash_of().await;
    assert_ne!(before, after, "the hash is redone under the new email");
    app.login(&new_email).await;
    assert_eq!(after, hash_of().await, "and stays");
    login_from(&app, &new_email, "wrong password", None).await.expect(401);
}
