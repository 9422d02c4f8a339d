use pos_tests::{TestApp, fixtures};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let r = app.call(Method::GET, "/healthz", None, None).await.expect(200);
    assert!(r.header("x-request-id").is_some_and(|id| !id.is_empty()), "every response names its request");
    let r = app.call(Method::GET, "/readyz", None, None).await.expect(200);
    assert_eq!(r.body["postgres"], "ok");
    assert_eq!(r.body["redis"], "ok", "the test command runs Redis");
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/healthz\""), "routes are labelled by pattern: {text}");
}

/// Without Redis the server still serves (events through the log sweep,
/// sign-in limits in memory), so it stays in the load balancer, degraded.
#[tokio::test]
async fn readiness_is_degraded_not_lost_when_redis_is_unreachable() {
    let app = TestApp::spawn_with(|s| {
        s.redis_url = Some(pos_backend::config::Secret::new("redis://127.0.0.1:1".into()));
    })
    .await;
    let r = app.call(Method::GET, "/readyz", None, None).await.expect(200);
    assert_eq!(r.body["status"], "degraded");
    assert_eq!(r.body["redis"], "down");
    assert_eq!(r.body["postgres"], "ok");
}

#[tokio::test]
async fn openapi_document_and_docs_ui() {
    let app = TestApp::spawn().await;
    let r = app.call(Method::GET, "/api/v1/openapi.json", None, None).await.expect(200);
    let paths = r.body["paths"].as_object().unwrap();
    for p in ["/api/v1/auth/login", "/api/v1/outlets/{id}", "/api/v1/devices/pair", "/api/v1/users"] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    for docs in ["/api/docs", "/api/docs/"] {
        let html = app.client.get(app.url(docs)).send().await.unwrap();
        assert_eq!(html.status(), 200, "{docs}");
        assert!(html.text().await.unwrap().contains("/api/v1/openapi.json"));
    }
    let asset = app.client.get(app.url("/static/vendor/swagger-ui/swagger-ui-bundle.js")).send().await.unwrap();
    assert_eq!(asset.status(), 200, "the docs UI's script is served locally");
    assert!(asset.headers().get("cache-control").is_some());
    assert!(asset.headers().get("content-encoding").is_none(), "not compressed unless asked");
    let plain_len = asset.bytes().await.unwrap().len();
    let gzipped = app
        .client
        .get(app.url("/static/vendor/swagger-ui/swagger-ui-bundle.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let gz_len = gzipped.bytes().await.unwrap().len();
    assert!(gz_len * 2 < plain_len, "gzip: {gz_len} of {plain_len} bytes");
}

#[tokio::test]
async fn errors_are_problem_documents() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;

    let r = app.get("/api/v1/nowhere", &t.token).await.expect(404);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(r.body["status"], 404);

    let r = app.call(Method::PUT, "/api/v1/outlets", Some(&t.token), Some(json!({}))).await.expect(405);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));

    // Malformed JSON: 400.
    let res = app
        .client
        .post(app.url("/api/v1/outlets"))
        .bearer_auth(&t.token)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    TestApp::read(res).await.expect(400);

    // Wrong type and unknown field: 422 naming the field.
    let r =
        app.post("/api/v1/outlets", Some(&t.token), json!({"name": "A", "tax_rate_bp": "eleven"})).await.expect(422);
    assert!(r.body["errors"]["tax_rate_bp"].is_array(), "{}", r.text);
    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": "A", "owner": "me"})).await.expect(422);
    assert!(r.body["errors"]["owner"].is_array(), "{}", r.text);

    // Not JSON at all: 415.
    let res = app.client.post(app.url("/api/v1/outlets")).bearer_auth(&t.token).body("name=A").send().await.unwrap();
    TestApp::read(res).await.expect(415);

    // Over the body limit: 413, and nothing stored.
    let huge = "x".repeat(300 * 1024);
    let r = app.post("/api/v1/outlets", Some(&t.token), json!({"name": huge})).await.expect(413);
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let list = app.get("/api/v1/outlets", &t.token).await.expect(200);
    assert!(list.body["items"].as_array().unwrap().is_empty());

    // A path id that is not a UUID is simply not found.
    app.get("/api/v1/outlets/not-a-uuid", &t.token).await.expect(404);
    // Bad paging input: 422 naming the parameter.
    let r = app.get("/api/v1/outlets?limit=0", &t.token).await.expect(422);
    assert!(r.body["errors"]["limit"].is_array());
    let r = app.get("/api/v1/outlets?limit=abc", &t.token).await.expect(422);
    assert!(r.body["errors"]["query"].is_array());
}

#[tokio::test]
async fn json_is_gzipped_when_asked_and_the_event_stream_never_is() {
    let app = TestApp::spawn().await;
    let token = app.signup().await.token;
    let outlet = app.create_outlet(&token, "Zip").await;
    let menu = app.url(&format!("/api/v1/outlets/{outlet}/menu"));
    let plain = app.client.get(&menu).bearer_auth(&token).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "not compressed unless asked");
    let r = app.client.get(&menu).bearer_auth(&token).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "gzip");

    // The stream is never compressed (a compressor would hold events back), and events arrive at once.
    let (_, kds) = app.pair_device(&token, outlet, "kds").await;
    let stream = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/outlets/{outlet}/events")))
        .bearer_auth(&kds)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-encoding"], "identity", "never gzip");
    let mut stream = pos_tests::SseClient::of(stream);
    app.patch(&format!("/api/v1/outlets/{outlet}"), &token, serde_json::json!({"name": "Zip 2"})).await.expect(200);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let e = stream.next(left).await.expect("the event within 3 s, readable as it came");
        if e.event == "outlet.updated" {
            break;
        }
    }
}

/// What the OpenAPI document says is refused is refused (the Schemathesis
/// run in `tests/schemathesis` tries this at large; these are the cases it
/// found the server lenient about), and what it calls valid is taken.
#[tokio::test]
async fn the_server_keeps_to_what_the_document_says() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;

    // A body is a JSON object: a struct's fields sent as an array are not one.
    let r = app.post("/api/v1/outlets", Some(&t.token), json!(["Array", null])).await.expect(422);
    assert!(r.body["errors"]["body"].is_array(), "{}", r.text);
    // JSON Schema counts 1100.0 as an integer, and so does the server.
    let r = app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, json!({"tax_rate_bp": 1100.0})).await.expect(200);
    assert_eq!(r.body["tax_rate_bp"], 1100);
    app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, json!({"tax_rate_bp": 1100.5})).await.expect(422);

    // A method a path does not have is 405 with `Allow`, on every path.
    for (method, path) in [(Method::PUT, "/api/v1/auth/login"), (Method::TRACE, "/api/v1/audit-log")] {
        let r = app.call(method, path, Some(&t.token), None).await.expect(405);
        assert!(r.header("allow").is_some(), "{path}: {:?}", r.headers);
    }

    // Ticket lists take 1 to 500, like every other list's bounds.
    let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
    for limit in ["0", "501", "4294967296", "true"] {
        app.get(&format!("/api/v1/outlets/{outlet}/tickets?limit={limit}"), &kds).await.expect(422);
    }
    app.get(&format!("/api/v1/outlets/{outlet}/tickets?limit=500"), &kds).await.expect(200);
    app.get(&format!("/api/v1/sync/pull?outlet_id={outlet}&limit=true"), &kds).await.expect(422);

    // A resume point is a number of the log, in the header or the query,
    // and a bad one is refused wherever it is.
    let events = app.url(&format!("/api/v1/outlets/{outlet}/events"));
    for (header, query) in [
        (Some("-1"), None),
        (Some("x"), None),
        (Some("0"), Some("9223372036854775808")),
        (Some(""), None),
        (None, Some("")),
    ] {
        let mut req = app.client.get(&events).bearer_auth(&kds);
        if let Some(h) = header {
            req = req.header("last-event-id", h);
        }
        if let Some(q) = query {
            req = req.query(&[("last_event_id", q)]);
        }
        assert_eq!(req.send().await.unwrap().status(), 400, "{header:?} {query:?}");
    }

    // An invalid logout body is refused, never taken as "end every session".
    let r = app.post("/api/v1/auth/logout", Some(&t.token), json!({"refresh_token": "x", "evil": 1})).await.expect(422);
    assert!(r.body["errors"]["evil"].is_array(), "{}", r.text);
    app.get("/api/v1/outlets", &t.token).await.expect(200);

    // A modifier option's price is bounded at both ends (i64::MIN once overflowed).
    let cat = app.post("/api/v1/categories", Some(&t.token), fixtures::category("Kopi", None)).await.expect(201);
    let mut item = fixtures::item(cat.body["id"].as_str().unwrap().parse().unwrap(), "Kopi", 1000);
    item.modifier_groups = vec![fixtures::group("Size", 0, 1, &[("Free", i64::MIN)])];
    let r = app.post("/api/v1/menu-items", Some(&t.token), item).await.expect(422);
    assert!(r.body["errors"]["modifier_groups[0].options[0].price_minor"].is_array(), "{}", r.text);
}
