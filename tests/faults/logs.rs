//! What the server's log says about failed requests, read from a real
//! process's JSON log by request id: a visit to `/admin` without a session
//! (a redirect to sign in) and other expected client errors (401, 404, 422)
//! are not WARN or ERROR lines; a real fault of ours (500) is an ERROR.

use std::time::Duration;

use pos_tests::TestApp;
use serde_json::{Value, json};
use uuid::Uuid;

use pos_fault_tests::{Scratch, Server};

/// The levels of every log line written while serving request `id`.
fn levels_of(log: &str, id: &str) -> Vec<String> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|line| line.to_string().contains(id))
        .map(|line| line["level"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn expected_client_errors_are_not_logged_as_errors_but_faults_are() {
    let scratch = Scratch::new("logs");
    let media = scratch.path("media");
    let server = Server::start(&[
        ("POS_LOG", "debug,sqlx=warn,sea_orm=warn,actix_server=warn,h2=warn,hyper=warn,reqwest=warn".into()),
        ("POS_LOG_FORMAT", "json".into()),
        ("POS_MEDIA_DIR", media.display().to_string()),
    ])
    .await;
    let app = TestApp::spawn().await;
    let owner = app.signup().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let request_id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_string();

    let mut expected = Vec::new();
    for path in ["/admin", "/admin/outlets"] {
        let r = client.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path} without a session goes to sign in");
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/admin/login"));
        expected.push((path.to_string(), request_id(&r)));
    }
    let r = client.get(server.url("/admin/staff")).header("HX-Request", "true").send().await.unwrap();
    assert!(r.headers().contains_key("hx-redirect"), "htmx is sent to sign in");
    expected.push(("/admin/staff (htmx)".into(), request_id(&r)));
    let r = client.get(server.url("/api/v1/outlets")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    expected.push(("401".into(), request_id(&r)));
    let r = client
        .get(server.url(&format!("/api/v1/outlets/{}", Uuid::now_v7())))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    expected.push(("404".into(), request_id(&r)));
    let r = client.post(server.url("/api/v1/outlets")).bearer_auth(&owner.token).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    expected.push(("422".into(), request_id(&r)));

    // A fault of ours: the media directory has become a file.
    std::fs::remove_dir_all(&media).unwrap();
    std::fs::write(&media, b"not a directory").unwrap();
    let r = client
        .post(server.url("/api/v1/images"))
        .bearer_auth(&owner.token)
        .header("content-type", "image/png")
        .body(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 500);
    let fault = request_id(&r);

    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log();
    for (what, id) in &expected {
        let levels = levels_of(&log, id);
        assert!(!levels.is_empty(), "{what}: the request is in the log (at debug level)\n{log}");
        assert!(
            levels.iter().all(|l| !matches!(l.as_str(), "WARN" | "ERROR")),
            "{what} is no warning or error: {levels:?}\n{log}"
        );
    }
    assert!(levels_of(&log, &fault).iter().any(|l| l == "ERROR"), "the 500 is an ERROR\n{log}");
}
