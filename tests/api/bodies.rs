//! Request bodies and headers that arrive slowly, as a hostile client sends
//! them over raw TCP: they never hold a pooled connection, another tenant is
//! served as usual meanwhile, and the slow client gets 408.

use std::time::{Duration, Instant};

use pos_tests::{TestApp, menu_item, order_body};
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinHandle,
};
use uuid::Uuid;

/// What a slow client saw: the response (whatever arrived before the server
/// closed the connection) and when it arrived.
struct Slow {
    response: String,
    after: Duration,
}

/// Sends `head` (request line and headers) at once, then one byte of body
/// per `every` until the server answers or closes.
fn trickle(base: &str, head: String, every: Duration) -> JoinHandle<Slow> {
    let addr = base.trim_start_matches("http://").to_string();
    tokio::spawn(async move {
        let started = Instant::now();
        let stream = TcpStream::connect(&addr).await.expect("connect");
        let (mut reader, mut writer) = stream.into_split();
        writer.write_all(head.as_bytes()).await.expect("headers sent");
        let dribble = tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if writer.write_all(b" ").await.is_err() {
                    break;
                }
            }
        });
        let mut response = Vec::new();
        let _ = reader.read_to_end(&mut response).await;
        dribble.abort();
        Slow { response: String::from_utf8_lossy(&response).into_owned(), after: started.elapsed() }
    })
}

fn post_head(path: &str, auth: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: pos.test\r\n{auth}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\n\r\n{{"
    )
}

fn status_of(response: &str) -> Option<u16> {
    response.split_whitespace().nth(1)?.parse().ok()
}

use pos_backend::auth::admin_session::COOKIE as ADMIN_COOKIE;

async fn admin_cookie(app: &TestApp, email: &str) -> String {
    let login =
        pos_wire::LoginRequest { email: email.to_string(), password: pos_tests::PASSWORD.into(), tenant_id: None };
    pos_backend::auth::admin_session::sign_in(
        &app.state,
        &login,
        pos_backend::http::client_ip::ClientIp("127.0.0.1".parse().unwrap()),
    )
    .await
    .expect("admin session")
}

/// A server whose bodies and uploads must all arrive within `deadline`.
async fn spawn_with_deadline(deadline: Duration) -> TestApp {
    TestApp::spawn_with(|s| {
        s.body_timeout = deadline;
        s.upload_timeout = deadline;
    })
    .await
}

#[tokio::test]
async fn trickling_bodies_from_one_tenant_never_hold_up_another() {
    let app = spawn_with_deadline(Duration::from_secs(5)).await;
    let pool = app.state.settings.db_max_connections as usize;

    // The attacker: one kiosk token, plus its owner's uploads and admin forms.
    let attacker = app.signup().await;
    let a_outlet = app.create_outlet(&attacker.token, "Attacker").await;
    let (_, kiosk) = app.pair_device(&attacker.token, a_outlet, "kiosk").await;
    let cookie = admin_cookie(&app, &attacker.email).await;
    let bearer = |t: &str| format!("Authorization: Bearer {t}");
    let cookie_header = format!("Cookie: {ADMIN_COOKIE}={cookie}");
    let mut heads = Vec::new();
    for _ in 0..40 {
        heads.push(post_head("/api/v1/orders", &bearer(&kiosk), "application/json", 10_000));
    }
    for _ in 0..4 {
        heads.push(post_head("/api/v1/sync/push", &bearer(&kiosk), "application/json", 10_000));
        heads.push(post_head("/api/v1/images", &bearer(&attacker.token), "image/png", 100_000));
        heads.push(post_head("/admin/outlets", &cookie_header, "application/x-www-form-urlencoded", 10_000));
        heads.push(post_head("/admin/menu/items", &cookie_header, "multipart/form-data; boundary=xyz", 100_000));
    }
    assert!(heads.len() > 2 * pool, "more slow clients than pooled connections");

    // The victim: another tenant going about its business.
    let victim = app.signup().await;
    let v_outlet = app.create_outlet(&victim.token, "Victim").await;
    let item = menu_item(&app, &victim.token, "Kopi").await;
    let v_cookie = admin_cookie(&app, &victim.email).await;

    let started = Instant::now();
    let slow: Vec<JoinHandle<Slow>> =
        heads.into_iter().map(|h| trickle(&app.base, h, Duration::from_millis(700))).collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut worst = Duration::ZERO;
    let mut served = 0;
    while started.elapsed() < Duration::from_secs(4) {
        let t = Instant::now();
        app.get("/api/v1/outlets", &victim.token).await.expect(200);
        worst = worst.max(t.elapsed());

        let t = Instant::now();
        let body = order_body(&app, &victim.token, v_outlet, item, 1).await;
        app.post("/api/v1/orders", Some(&victim.token), body).await.expect(201);
        worst = worst.max(t.elapsed());

        let t = Instant::now();
        let page = app
            .client
            .get(app.url("/admin/outlets"))
            .header("cookie", format!("{ADMIN_COOKIE}={v_cookie}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        worst = worst.max(t.elapsed());
        served += 3;
    }
    println!("victim: {served} requests while the attacker trickled, slowest {} ms", worst.as_millis());
    assert!(served >= 6, "the victim was served");
    // Held connections would make the victim wait out the pool (5 s) and fail;
    // the bound is generous for a loaded CI machine.
    assert!(worst < Duration::from_secs(3), "another tenant answered within three seconds (slowest {worst:?})");

    // The slow clients themselves get 408 once their deadline passes.
    for handle in slow {
        let s = handle.await.unwrap();
        assert_eq!(status_of(&s.response), Some(408), "{}", s.response);
        assert!(s.after < Duration::from_secs(9), "cut off after {:?}", s.after);
    }
}

#[tokio::test]
async fn a_late_body_gets_408_as_problem_json_and_the_connection_closes() {
    let app = TestApp::spawn_with(|s| s.body_timeout = Duration::from_secs(1)).await;
    let t = app.signup().await;
    let started = Instant::now();
    let s = trickle(
        &app.base,
        post_head("/api/v1/outlets", &format!("Authorization: Bearer {}", t.token), "application/json", 500),
        Duration::from_millis(300),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&s.response), Some(408), "{}", s.response);
    assert!(s.response.contains("application/problem+json"), "{}", s.response);
    assert!(s.response.contains("\"status\":408"), "{}", s.response);
    assert!(s.response.contains("\"code\":\"request_timeout\""), "{}", s.response);
    // The body would take 150 s at this pace: being cut off within a few
    // seconds (generous for a loaded CI machine) proves the deadline held.
    assert!(started.elapsed() < Duration::from_secs(15), "cut off after {:?}", started.elapsed());
    // Nothing was created.
    let outlets = app.get("/api/v1/outlets", &t.token).await.expect(200);
    assert_eq!(outlets.body["items"], json!([]));

    // Not signed in at all: the same, before anything else is looked at.
    let s = trickle(
        &app.base,
        post_head("/api/v1/auth/login", "X-Nothing: 1", "application/json", 500),
        Duration::from_millis(300),
    )
    .await
    .unwrap();
    assert_eq!(status_of(&s.response), Some(408), "{}", s.response);
}

#[tokio::test]
async fn a_late_admin_form_gets_a_408_page() {
    let app = spawn_with_deadline(Duration::from_secs(1)).await;
    let t = app.signup().await;
    let cookie = format!("Cookie: {ADMIN_COOKIE}={}", admin_cookie(&app, &t.email).await);
    for (path, content_type) in [
        ("/admin/outlets", "application/x-www-form-urlencoded"),
        ("/admin/menu/items", "multipart/form-data; boundary=xyz"),
    ] {
        let s = trickle(&app.base, post_head(path, &cookie, content_type, 5_000), Duration::from_millis(300))
            .await
            .unwrap();
        assert_eq!(status_of(&s.response), Some(408), "{path}: {}", s.response);
        assert!(s.response.contains("text/html"), "{path}: an admin page: {}", s.response);
        assert!(s.after < Duration::from_secs(15), "{path}: cut off after {:?}", s.after);
    }
}

#[tokio::test]
async fn uploads_are_refused_by_role_before_their_body_is_read() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let (_, manager) = app.create_staff(&t.token, "manager", &[outlet]).await;
    for token in [&kiosk, &manager] {
        // Two megabytes announced, none sent: the answer comes anyway.
        let s = trickle(
            &app.base,
            post_head("/api/v1/images", &format!("Authorization: Bearer {token}"), "image/png", 2_000_000),
            Duration::from_secs(30),
        );
        let s = tokio::time::timeout(Duration::from_secs(5), s).await.expect("answered without the body").unwrap();
        assert_eq!(status_of(&s.response), Some(403), "{}", s.response);
    }
    // An admin session of a manager: the item form (with its image) is for owners.
    let email = format!("m-{}@test.example", Uuid::now_v7().simple());
    app.post(
        "/api/v1/users",
        Some(&t.token),
        json!({"email": email, "name": "M", "password": pos_tests::PASSWORD, "role": "manager", "outlet_ids": [outlet]}),
    )
    .await
    .expect(201);
    let cookie = format!("Cookie: {ADMIN_COOKIE}={}", admin_cookie(&app, &email).await);
    let s = trickle(
        &app.base,
        post_head("/admin/menu/items", &cookie, "multipart/form-data; boundary=xyz", 2_000_000),
        Duration::from_secs(30),
    );
    let s = tokio::time::timeout(Duration::from_secs(5), s).await.expect("answered without the body").unwrap();
    assert_eq!(status_of(&s.response), Some(403), "{}", s.response);
}

#[tokio::test]
async fn a_body_announced_over_the_limit_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let limit = app.state.settings.json_body_limit;
    let s = trickle(
        &app.base,
        post_head("/api/v1/outlets", &format!("Authorization: Bearer {}", t.token), "application/json", limit + 1),
        Duration::from_secs(30),
    );
    let s = tokio::time::timeout(Duration::from_secs(5), s).await.expect("refused without reading").unwrap();
    assert_eq!(status_of(&s.response), Some(413), "{}", s.response);
    assert!(s.response.contains("application/problem+json"), "{}", s.response);
}

#[tokio::test]
async fn headers_that_trickle_are_cut_off() {
    let app = TestApp::spawn_with(|s| s.header_timeout = Duration::from_secs(1)).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"GET /api/v1/outlets HTTP/1.1\r\nHost: pos.test\r\n").await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let dribble = tokio::spawn(async move {
        for _ in 0..30 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if writer.write_all(b"X").await.is_err() {
                break;
            }
        }
    });
    let mut response = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), reader.read_to_end(&mut response)).await;
    dribble.abort();
    assert!(read.is_ok(), "the server closed the connection");
    let response = String::from_utf8_lossy(&response);
    assert!(matches!(status_of(&response), None | Some(408)), "{response}");
    // The body would take 150 s at this pace: being cut off within a few
    // seconds (generous for a loaded CI machine) proves the deadline held.
    assert!(started.elapsed() < Duration::from_secs(15), "cut off after {:?}", started.elapsed());
    // Everyone else is served as usual.
    app.call(reqwest::Method::GET, "/healthz", None, None).await.expect(200);
}
