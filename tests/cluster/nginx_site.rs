//! The shipped nginx site (`docker/nginx/pos-proxy.conf`) in front of two
//! servers: the client's address reaches the server (and a forged
//! `X-Forwarded-For` does not), events stream through unbuffered and
//! uncompressed, static files are served from disk gzipped (the screens'
//! WASM by a server, precompressed), oversized
//! bodies are refused with problem+json, and with every server down the API
//! answers a prompt 503 problem with `Retry-After`.

use std::{
    net::{IpAddr, Ipv4Addr},
    time::{Duration, Instant},
};

use pos_fault_tests::Server;
use pos_tests::{RedisProcess, SseClient, TestApp, menu_item, order_body};
use serde_json::{Value, json};
use uuid::Uuid;

use pos_cluster_tests::{Nginx, port_of};

/// A client whose connections come from `ip` (a loopback address of its own).
fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::from(ip)))
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn wrong_login(client: &reqwest::Client, nginx: &Nginx, forged: &str) -> u16 {
    let email = format!("nobody-{}@test.example", Uuid::now_v7().simple());
    client
        .post(nginx.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forged)
        .json(&json!({"email": email, "password": "wrong password"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_nginx_site_forwards_clients_streams_and_limits_as_the_servers_expect() {
    let redis = RedisProcess::start().await;
    let env = [
        ("POS_REDIS_URL", redis.url()),
        ("POS_TRUSTED_PROXIES", "127.0.0.1".to_string()),
        ("POS_LOGIN_LIMIT_PER_IP", "3".to_string()),
    ];
    let mut a = Server::start(&env).await;
    let mut b = Server::start(&env).await;
    let nginx = Nginx::start(&[port_of(&a.base), port_of(&b.base)]).await;

    // The client's own address is what sign-in limits count: 127.0.0.2 is
    // limited after 3 failures however it forges X-Forwarded-For, while
    // 127.0.0.3, behind the same nginx, is not.
    let mallory = client_from([127, 0, 0, 2]);
    for i in 0..3 {
        assert_eq!(wrong_login(&mallory, &nginx, &format!("203.0.113.{i}")).await, 401);
    }
    assert_eq!(wrong_login(&mallory, &nginx, "203.0.113.99").await, 429, "the real client address is limited");
    let neighbour = client_from([127, 0, 0, 3]);
    assert_eq!(wrong_login(&neighbour, &nginx, "127.0.0.2").await, 401, "another client is not, nor nginx itself");

    // Events: through nginx at once, never compressed.
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
    let req = reqwest::Client::new()
        .get(nginx.url(&format!("/api/v1/outlets/{outlet}/events")))
        .bearer_auth(&kds)
        .header("accept-encoding", "gzip");
    let mut stream = SseClient::try_open(req).await.expect("a stream through nginx");
    assert_eq!(stream.header("content-encoding").unwrap_or("identity"), "identity", "events are not compressed");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let order = serde_json::to_value(order_body(&app, &t.token, outlet, item, 1).await).unwrap();
    let placed = Instant::now();
    let r = reqwest::Client::new().post(nginx.url("/api/v1/orders")).bearer_auth(&t.token).json(&order).send().await;
    assert_eq!(r.unwrap().status(), 201);
    let created = loop {
        let e = stream.next(Duration::from_secs(2)).await.expect("the order's event came through nginx");
        if e.event == "order.created" {
            break e;
        }
    };
    let took = placed.elapsed();
    println!("order.created through nginx {took:?} after the order was placed");
    assert_eq!(created.data["client_order_id"], order["client_order_id"]);
    assert!(took < Duration::from_secs(1), "the event left nginx at once ({took:?})");

    // Static files: from disk (no server answered), gzipped, cached for an hour.
    let css = reqwest::Client::new()
        .get(nginx.url("/static/admin.css"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    let header = |name: &str| css.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert_eq!(header("content-encoding"), "gzip");
    assert_eq!(header("x-pos-upstream"), "", "served by nginx from disk");
    assert!(header("cache-control").contains("max-age=3600"), "{}", header("cache-control"));
    let gzipped = css.bytes().await.unwrap().len();
    let plain = std::fs::metadata(format!("{}/static/admin.css", pos_cluster_tests::REPO)).unwrap().len() as usize;
    assert!(gzipped * 2 < plain, "compressed: {gzipped} of {plain} bytes");

    // A screen's WASM comes from a server, as build.sh stored it: Brotli
    // where the browser takes it, gzip -9 where it takes only gzip.
    let bundle = format!("{}/kiosk-pwa/dist/app/kiosk/pos_kiosk_pwa_bg.wasm", pos_cluster_tests::REPO);
    for (accept, encoding, stored) in [("gzip, deflate, br", "br", ".br"), ("gzip", "gzip", ".gz")] {
        let stored = std::fs::metadata(format!("{bundle}{stored}"))
            .unwrap_or_else(|e| panic!("{bundle}{stored} ({e}): run kiosk-pwa/build.sh first"))
            .len() as usize;
        let wasm = reqwest::Client::new()
            .get(nginx.url("/app/kiosk/pos_kiosk_pwa_bg.wasm"))
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(wasm.status(), 200, "{accept}");
        let header = |name: &str| wasm.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert_eq!(header("content-encoding"), encoding, "{accept}");
        assert_eq!(header("content-type"), "application/wasm");
        assert_ne!(header("x-pos-upstream"), "", "{accept}: sent by a server");
        assert_eq!(wasm.bytes().await.unwrap().len(), stored, "{accept}: the stored file, not compressed again");
    }

    // Bodies: far too large is refused by nginx, a little too large by the
    // server; both in problem+json.
    for (size, by) in [(600 * 1024, "nginx"), (300 * 1024, "the server")] {
        let body = json!({"note": "x".repeat(size)});
        let r = reqwest::Client::new().post(nginx.url("/api/v1/orders")).bearer_auth(&t.token).json(&body).send().await;
        let r = r.unwrap();
        assert_eq!(r.status(), 413, "refused by {by}");
        let kind = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(kind.starts_with("application/problem+json"), "{by}: {kind}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["status"], 413);
    }

    // Every server down: a prompt 503 problem with Retry-After for the API,
    // a page for people.
    a.kill_9();
    b.kill_9();
    let started = Instant::now();
    let r = reqwest::Client::new().get(nginx.url("/api/v1/outlets")).bearer_auth(&t.token).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));
    assert!(started.elapsed() < Duration::from_secs(3), "answered promptly");
    let page = reqwest::get(nginx.url("/admin/login")).await.unwrap();
    assert_eq!(page.status(), 503);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}
