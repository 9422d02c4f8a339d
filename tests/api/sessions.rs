//! Ending sessions: a new password, deactivation, deletion and logout end
//! every API session (refresh token and access tokens), every admin session
//! and, within seconds, every open event stream of the account, on every
//! server process. Streams also end when their token expires.

use std::time::Duration;

use pos_tests::{PASSWORD, ServerProcess, SseClient, Tenant, TestApp, fixtures, last_use_is_stale};
use pos_wire::Role;
use serde_json::Value;
use uuid::Uuid;

/// Long enough for a 300 ms re-check and a slow CI machine.
const ENDS_WITHIN: Duration = Duration::from_secs(6);

async fn app() -> TestApp {
    TestApp::spawn_with(|s| s.stream_recheck_interval = Duration::from_millis(300)).await
}

struct Person {
    id: Uuid,
    /// Access and refresh token of an API session.
    pair: Value,
    /// The `Cookie` header of an admin session (managers and owners).
    admin: Option<String>,
}

impl Person {
    fn token(&self) -> &str {
        self.pair["access_token"].as_str().unwrap()
    }
}

async fn person(app: &TestApp, t: &Tenant, role: &str, outlets: &[Uuid]) -> Person {
    let email = format!("{role}-{}@test.example", Uuid::now_v7().simple());
    let r = app
        .post("/api/v1/users", Some(&t.token), fixtures::user(&email, role, Role::parse(role).unwrap(), outlets))
        .await
        .expect(201);
    let pair = app.login(&email).await;
    let admin = match role {
        "manager" | "owner" => Some(app.admin_sign_in(&email, PASSWORD).await.expect("admin sign-in")),
        _ => None,
    };
    Person { id: r.body["id"].as_str().unwrap().parse().unwrap(), pair, admin }
}

fn events_url(app: &TestApp, outlet: Uuid) -> String {
    app.url(&format!("/api/v1/outlets/{outlet}/events"))
}

async fn admin_page_status(app: &TestApp, cookie: &str) -> u16 {
    app.client.get(app.url("/admin")).header("cookie", cookie).send().await.unwrap().status().as_u16()
}

/// Every credential of `p` is refused: access token, refresh token, admin session.
async fn assert_signed_out_everywhere(app: &TestApp, p: &Person) {
    app.get("/api/v1/outlets", p.token()).await.expect(401);
    app.post("/api/v1/auth/refresh", None, fixtures::refresh(p.pair["refresh_token"].as_str().unwrap()))
        .await
        .expect(401);
    if let Some(cookie) = &p.admin {
        assert_eq!(admin_page_status(app, cookie).await, 303, "the admin session is over");
    }
}

#[tokio::test]
async fn a_new_password_deactivation_or_deletion_ends_every_session_and_stream() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let owner_stream = SseClient::connect(&events_url(&app, outlet), &t.token, None).await;
    for what in ["a new password", "deactivation", "deletion"] {
        let p = person(&app, &t, "manager", &[outlet]).await;
        let mut api_stream = SseClient::connect(&events_url(&app, outlet), p.token(), None).await;
        let cookie = p.admin.clone().unwrap();
        let mut board = SseClient::open(app.client.get(events_url(&app, outlet)).header("cookie", &cookie)).await;
        assert_eq!(admin_page_status(&app, &cookie).await, 200);
        let path = format!("/api/v1/users/{}", p.id);
        match what {
            "a new password" => {
                app.patch(&path, &t.token, fixtures::user_password("a whole new secret")).await.expect(200)
            }
            "deactivation" => app.patch(&path, &t.token, fixtures::user_active(false)).await.expect(200),
            _ => app.delete(&path, &t.token).await.expect(204),
        };
        assert_signed_out_everywhere(&app, &p).await;
        assert!(api_stream.closed_within(ENDS_WITHIN).await, "{what} ends the API stream");
        assert!(board.closed_within(ENDS_WITHIN).await, "{what} ends the admin board's stream");
    }
    // The owner's own stream is untouched.
    let mut owner_stream = owner_stream;
    assert!(!owner_stream.closed_within(Duration::from_millis(500)).await);
}

#[tokio::test]
async fn logging_out_ends_the_streams_of_that_session_only() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let other = app.login(&t.email).await;
    let mut this_stream = SseClient::connect(&events_url(&app, outlet), &t.token, None).await;
    let mut other_stream =
        SseClient::connect(&events_url(&app, outlet), other["access_token"].as_str().unwrap(), None).await;
    app.post("/api/v1/auth/logout", Some(&t.token), fixtures::refresh(&t.refresh_token)).await.expect(204);
    assert!(this_stream.closed_within(ENDS_WITHIN).await, "the signed-out session's stream ends");
    assert!(!other_stream.closed_within(Duration::from_millis(800)).await, "the other session's stays");
    // Logging out everywhere ends the rest.
    let token = other["access_token"].as_str().unwrap();
    let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert!(other_stream.closed_within(ENDS_WITHIN).await);
}

#[tokio::test]
async fn signing_out_of_the_admin_ends_its_board_stream() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let mut board = SseClient::open(app.client.get(events_url(&app, outlet)).header("cookie", &cookie)).await;
    let page = app.client.get(app.url("/admin")).header("cookie", &cookie).send().await.unwrap();
    let csrf = pos_tests::csrf_field(&page.text().await.unwrap()).expect("the page's token");
    let res = app
        .client
        .post(app.url("/admin/logout"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(board.closed_within(ENDS_WITHIN).await);
}

#[tokio::test]
async fn leaving_the_outlet_ends_its_stream() {
    let app = app().await;
    let t = app.signup().await;
    let a = app.create_outlet(&t.token, "A").await;
    let b = app.create_outlet(&t.token, "B").await;
    let cashier = person(&app, &t, "cashier", &[a]).await;
    let mut stream = SseClient::connect(&events_url(&app, a), cashier.token(), None).await;
    app.patch(&format!("/api/v1/users/{}", cashier.id), &t.token, fixtures::user_outlets(&[b])).await.expect(200);
    assert!(stream.closed_within(ENDS_WITHIN).await);
    // The account itself still works, at its new outlet.
    SseClient::connect(&events_url(&app, b), cashier.token(), None).await;
}

#[tokio::test]
async fn streams_end_when_their_token_expires() {
    let app = TestApp::spawn_with(|s| {
        s.stream_recheck_interval = Duration::from_millis(300);
        s.access_token_ttl = Duration::from_secs(2);
    })
    .await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let fresh = app.login(&t.email).await;
    let fresh_token = fresh["access_token"].as_str().unwrap();
    let staff_exp = app.state.keyring.verify(fresh_token).unwrap().exp;
    let mut staff = SseClient::connect(&events_url(&app, outlet), fresh_token, None).await;
    // A device token about to expire (the server's own key, two seconds).
    let owner_token = app.login(&t.email).await["access_token"].as_str().unwrap().to_string();
    let (device_id, _) = app.pair_device(&owner_token, outlet, "kds").await;
    let short = app.state.keyring.sign_device(device_id, t.tenant_id, outlet, pos_wire::DeviceKind::Kds, 2).unwrap();
    let device_exp = app.state.keyring.verify(&short).unwrap().exp;
    let mut device = SseClient::connect(&events_url(&app, outlet), &short, None).await;
    assert!(staff.closed_within(ENDS_WITHIN).await, "the staff stream ends at its token's expiry");
    assert!(chrono::Utc::now().timestamp() >= staff_exp, "not before it");
    assert!(device.closed_within(ENDS_WITHIN).await, "so does the device's");
    assert!(chrono::Utc::now().timestamp() >= device_exp);
}

#[tokio::test]
async fn a_revoked_device_stream_ends_even_without_the_event() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (device_id, token) = app.pair_device(&t.token, outlet, "kiosk").await;
    let mut stream = SseClient::connect(&events_url(&app, outlet), &token, None).await;
    // Revoked behind the event log's back (as a restore or a manual fix would).
    let tx = app.tenant_tx(t.tenant_id).await;
    tx.execute("UPDATE devices SET revoked_at = now() WHERE id = $1", [device_id.into()]).await.unwrap();
    tx.commit().await.unwrap();
    assert!(stream.closed_within(ENDS_WITHIN).await);
}

#[tokio::test]
async fn a_stream_on_another_server_process_ends_too() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let session = app.login(&t.email).await;
    let other = ServerProcess::start(&[("POS_STREAM_RECHECK_MS", "300".into())]).await;
    let url = other.url(&format!("/api/v1/outlets/{outlet}/events"));
    let mut stream = SseClient::connect(&url, session["access_token"].as_str().unwrap(), None).await;
    // Signed out through this process; the other one notices.
    app.post("/api/v1/auth/logout", None, fixtures::refresh(session["refresh_token"].as_str().unwrap()))
        .await
        .expect(204);
    assert!(stream.closed_within(ENDS_WITHIN).await);
}

#[tokio::test]
async fn the_query_token_never_reaches_the_logs() {
    let app = app().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let server =
        ServerProcess::start_logged(&[("POS_LOG", "warn,pos_backend=debug".into()), ("POS_LOG_FORMAT", "json".into())])
            .await;
    let url = server.url(&format!("/api/v1/outlets/{outlet}/events?last_event_id=0&access_token={}", t.token));
    let _stream = SseClient::open(reqwest::Client::new().get(url)).await;
    // Other endpoints refuse it, and do not log it either.
    let refused =
        reqwest::get(server.url(&format!("/api/v1/outlets?access_token={}", t.token))).await.unwrap().status();
    assert_eq!(refused, 401);
    let mut opened = None;
    for _ in 0..50 {
        opened = server.log().into_iter().find(|l| l.contains("event stream opened"));
        if opened.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let opened = opened.expect("the stream's log line");
    let line: Value = serde_json::from_str(&opened).unwrap();
    let target = line["span"]["http.target"].as_str().unwrap_or_else(|| panic!("no http.target: {opened}"));
    assert_eq!(target, format!("/api/v1/outlets/{outlet}/events?last_event_id=0"));
    let signature = t.token.rsplit('.').next().unwrap();
    for l in server.log() {
        assert!(!l.contains(signature) && !l.contains("access_token"), "a token in the log: {l}");
    }
}

#[tokio::test]
async fn the_login_form_takes_only_its_own_csrf_token() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let post = |cookie: Option<String>, token: Option<String>| {
        let mut req = app.client.post(app.url("/admin/login"));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let mut form = vec![("email", t.email.clone()), ("password", PASSWORD.to_string())];
        if let Some(tok) = token {
            form.push(("csrf_token", tok));
        }
        req.form(&form).send()
    };
    let form_of = |html: &str| pos_tests::csrf_field(html).unwrap();
    let session_cookie = pos_backend::auth::admin_session::COOKIE;

    // Another site posting the form: no cookie, no token.
    let res = post(None, None).await.unwrap();
    assert_eq!(res.status(), 403);
    assert!(pos_tests::set_cookie(&res, session_cookie).is_none(), "nobody was signed in");
    // A browser's own cookie with a token of another browser's form.
    let mine = app.client.get(app.url("/admin/login")).send().await.unwrap();
    let my_seed = pos_tests::set_cookie(&mine, pos_web_admin::LOGIN_COOKIE).unwrap();
    let seed_line = mine
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with(pos_web_admin::LOGIN_COOKIE))
        .unwrap();
    let my_token = form_of(&mine.text().await.unwrap());
    let theirs = app.client.get(app.url("/admin/login")).send().await.unwrap();
    let their_token = form_of(&theirs.text().await.unwrap());
    assert_ne!(my_token, their_token);
    let res = post(Some(my_seed.clone()), Some(their_token)).await.unwrap();
    assert_eq!(res.status(), 403);
    // The refusal hands out a fresh form that works.
    let fresh_seed = pos_tests::set_cookie(&res, pos_web_admin::LOGIN_COOKIE).expect("a fresh seed");
    let html = res.text().await.unwrap();
    assert!(html.contains("Formulir masuk ini sudah kedaluwarsa"), "{html}");
    let res = post(Some(fresh_seed), Some(form_of(&html))).await.unwrap();
    assert_eq!(res.status(), 303);
    // And so does the first form, with its own cookie.
    let res = post(Some(my_seed), Some(my_token)).await.unwrap();
    assert_eq!(res.status(), 303);
    let session_line = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with(&format!("{session_cookie}=")))
        .unwrap();

    // Both cookies are `__Host-`: Secure, path /, no Domain.
    for (line, same_site) in [(&seed_line, "SameSite=Strict"), (&session_line, "SameSite=Lax")] {
        assert!(line.starts_with("__Host-"), "{line}");
        for attr in ["Secure", "HttpOnly", "Path=/", same_site] {
            assert!(line.split("; ").any(|a| a == attr), "{attr} missing: {line}");
        }
        assert!(!line.to_lowercase().contains("domain"), "{line}");
    }
    assert!(session_line.contains("Max-Age=43200"), "{session_line}");
}

#[tokio::test]
async fn admin_sessions_end_after_their_lifetime_however_busy() {
    let lifetime = Duration::from_secs(4);
    let app = TestApp::spawn_with(|s| s.admin_session_lifetime = lifetime).await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_millis(1500) {
        assert_eq!(admin_page_status(&app, &cookie).await, 200, "in use, within its lifetime");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(lifetime.saturating_sub(started.elapsed()) + Duration::from_millis(300)).await;
    assert_eq!(admin_page_status(&app, &cookie).await, 303, "over, however busy");
}

#[tokio::test]
async fn admin_sessions_end_when_left_idle() {
    let app = TestApp::spawn_with(|s| s.admin_session_idle = Duration::from_secs(3)).await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    assert_eq!(admin_page_status(&app, &cookie).await, 200);
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(admin_page_status(&app, &cookie).await, 303);
}

#[tokio::test]
async fn admin_sessions_stay_open_while_in_use() {
    let idle = Duration::from_secs(2);
    let app = TestApp::spawn_with(|s| s.admin_session_idle = idle).await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < idle * 2 {
        assert_eq!(admin_page_status(&app, &cookie).await, 200, "in use, never idle");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    tokio::time::sleep(idle + Duration::from_millis(500)).await;
    assert_eq!(admin_page_status(&app, &cookie).await, 303, "then left idle");
}

/// A session's pages never queue on its row: while another transaction
/// holds it (a page of the same session still rendering), a page that
/// would record the session's use skips that and answers.
#[tokio::test]
async fn pages_of_one_session_never_wait_on_its_row() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let old = "UPDATE admin_sessions SET last_seen_at = now() - interval '1 hour' WHERE user_id = $1";
    let tx = app.tenant_tx(t.tenant_id).await;
    tx.execute(old, [t.owner_id.into()]).await.unwrap();
    tx.commit().await.unwrap();

    let holder = app.tenant_tx(t.tenant_id).await;
    holder.execute("SELECT id FROM admin_sessions WHERE user_id = $1 FOR UPDATE", [t.owner_id.into()]).await.unwrap();
    let page = tokio::time::timeout(Duration::from_secs(10), admin_page_status(&app, &cookie)).await;
    assert_eq!(page.expect("the page must not wait for the row"), 200);
    assert!(
        last_use_is_stale(&holder, "admin_sessions", t.owner_id).await,
        "its use was not recorded while the row was held"
    );
    holder.commit().await.unwrap();

    assert_eq!(admin_page_status(&app, &cookie).await, 200);
    let tx = app.tenant_tx(t.tenant_id).await;
    assert!(!last_use_is_stale(&tx, "admin_sessions", t.owner_id).await, "recorded once the row is free");
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn every_admin_form_needs_the_csrf_token() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let cookie = app.admin_sign_in(&t.email, PASSWORD).await.unwrap();
    let id = Uuid::now_v7();
    let paths = [
        "/admin/logout".to_string(),
        "/admin/locale".into(),
        "/admin/brand".into(),
        "/admin/outlets".into(),
        format!("/admin/outlets/{id}"),
        format!("/admin/outlets/{id}/open"),
        format!("/admin/outlets/{id}/archive"),
        format!("/admin/outlets/{id}/devices"),
        format!("/admin/devices/{id}/revoke"),
        "/admin/staff".into(),
        format!("/admin/staff/{id}"),
        format!("/admin/staff/{id}/active"),
        format!("/admin/staff/{id}/delete"),
        "/admin/menu/categories".into(),
        format!("/admin/menu/categories/{id}"),
        format!("/admin/menu/categories/{id}/move"),
        format!("/admin/menu/categories/{id}/delete"),
        "/admin/menu/items".into(),
        format!("/admin/menu/items/{id}"),
        format!("/admin/menu/items/{id}/delete"),
        format!("/admin/outlets/{id}/availability/{id}/toggle"),
        format!("/admin/outlets/{id}/availability/{id}/price"),
        format!("/admin/orders/{id}/status"),
    ];
    for path in paths {
        for token in [None, Some("not-the-token")] {
            let mut req = app.client.post(app.url(&path)).header("cookie", &cookie).form(&[("name", "x")]);
            if let Some(token) = token {
                req = req.header("x-csrf-token", token);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 403, "{path} without its CSRF token ({token:?})");
        }
    }
    assert_eq!(admin_page_status(&app, &cookie).await, 200, "still signed in: the logout was refused too");
}
