//! The server through PgBouncer (Debian bookworm's 1.18) in transaction
//! mode, as docker/README.md ("PgBouncer") configures it: two brands sign
//! in, pair devices, take orders concurrently, stream events, read menus and
//! pulls, and revoke a device (whose stream ends), with only a few server
//! connections shared by everyone; each brand sees only its own orders.
//! The scope settings are transaction-local, so a pooled server connection
//! carries none to the next client, where a session setting would.
//! PgBouncer 1.18 does not track protocol-level prepared statements, so the
//! URL turns sqlx's statement cache off; without that the server fails.

use std::{process::Command, time::Duration};

use pos_backend::config::Secret;
use pos_tests::{SseClient, TestApp, menu_item, order_body};
use serde_json::{Value, json};
use uuid::Uuid;

use pos_cluster_tests::{APP_PW, PgBouncer, PgNode, once_each};

/// The settings docker/README.md gives for PgBouncer before 1.21.
const RESET: &str = "server_reset_query = DEALLOCATE ALL\nserver_reset_query_always = 1\n";

struct Brand {
    owner: String,
    kiosk: String,
    kds: (Uuid, String),
    outlet: Uuid,
    template: Value,
}

async fn brand(app: &TestApp) -> Brand {
    let t = app.signup().await;
    // Sign-in is the cross-tenant path (a SECURITY DEFINER function).
    let owner = app.login(&t.email).await["access_token"].as_str().unwrap().to_string();
    let outlet = app.create_outlet(&owner, "Main").await;
    let item = menu_item(app, &owner, "Kopi").await;
    let (_, kiosk) = app.pair_device(&owner, outlet, "kiosk").await;
    let kds = app.pair_device(&owner, outlet, "kds").await;
    let mut template = serde_json::to_value(order_body(app, &owner, outlet, item, 1).await).unwrap();
    template["channel"] = json!("kiosk");
    Brand { owner, kiosk, kds, outlet, template }
}

/// Runs `sql` as the app role through `bouncer`, as one client connection.
fn psql_through(bouncer: &PgBouncer, sql: &[&str]) -> String {
    let mut cmd = Command::new("psql");
    cmd.args(["-X", "-At"]);
    for s in sql {
        cmd.args(["-c", s]);
    }
    let out = cmd.arg(format!("postgres://pos_app:{APP_PW}@127.0.0.1:{}/pos", bouncer.port)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_server_works_through_pgbouncer_in_transaction_mode() {
    let pg = PgNode::primary("").await;
    let bouncer = PgBouncer::start(&pg, 3, RESET).await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(bouncer.app_url("statement-cache-capacity=0"));
        s.redis_url = None;
        s.stream_recheck_interval = Duration::from_millis(300);
    })
    .await;
    let (a, b) = (brand(&app).await, brand(&app).await);
    let events = app.url(&format!("/api/v1/outlets/{}/events", a.outlet));
    let mut stream = SseClient::connect(&events, &a.kds.1, None).await;

    // 8 kiosks' worth of concurrent orders over 3 server connections.
    let mut tasks = Vec::new();
    for (i, brand) in [&a, &b].into_iter().cycle().take(8).enumerate() {
        let (base, kiosk, template) = (app.base.clone(), brand.kiosk.clone(), brand.template.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut ids = Vec::new();
            for _ in 0..10 {
                let mut order = template.clone();
                order["client_order_id"] = json!(Uuid::now_v7());
                let r = client.post(format!("{base}/api/v1/orders")).bearer_auth(&kiosk).json(&order).send().await;
                let r = r.unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
                ids.push(order["client_order_id"].as_str().unwrap().to_string());
            }
            (i % 2, ids)
        }));
    }
    let mut placed = [Vec::new(), Vec::new()];
    for task in tasks {
        let (which, ids) = task.await.unwrap();
        placed[which].extend(ids);
    }
    for (brand, mine) in [(&a, &placed[0]), (&b, &placed[1])] {
        let listed = app.get(&format!("/api/v1/orders?outlet_id={}&limit=200", brand.outlet), &brand.owner).await;
        let listed: Vec<String> = listed.expect(200).body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["client_order_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(once_each(&listed), once_each(mine), "each brand sees exactly its own orders");
        app.get(&format!("/api/v1/outlets/{}/menu", brand.outlet), &brand.kiosk).await.expect(200);
        app.get(&format!("/api/v1/sync/pull?outlet_id={}", brand.outlet), &brand.kiosk).await.expect(200);
        // Another brand's outlet stays invisible.
        let other = if brand.outlet == a.outlet { b.outlet } else { a.outlet };
        app.get(&format!("/api/v1/outlets/{other}/menu"), &brand.kiosk).await.expect(404);
    }
    let created = stream.created_numbers(placed[0].len(), Duration::from_secs(5)).await;
    assert_eq!(created.len(), placed[0].len(), "the display saw its brand's orders");
    assert!(stream.created_numbers(1, Duration::from_millis(500)).await.is_empty(), "and no other brand's");

    // Revocation ends the stream: the per-process check of open streams
    // (the cross-tenant path) runs through PgBouncer too.
    app.delete(&format!("/api/v1/devices/{}", a.kds.0), &a.owner).await.expect(204);
    assert!(stream.closed_within(Duration::from_secs(5)).await, "the revoked display's stream ended");
    assert!(!bouncer.log().contains("ERROR"), "PgBouncer logged no error:\n{}", bouncer.log());
}

#[tokio::test]
async fn scope_settings_are_transaction_local_through_pgbouncer() {
    let pg = PgNode::primary("").await;
    // One server connection: every client below gets the same one.
    let bouncer = PgBouncer::start(&pg, 1, RESET).await;
    let tenant = Uuid::now_v7().to_string();
    let read = "SELECT coalesce(current_setting('app.tenant_id', true), '')";
    let scoped = format!("SELECT set_config('app.tenant_id', '{tenant}', true)");
    psql_through(&bouncer, &["BEGIN", &scoped, "COMMIT"]);
    assert_eq!(psql_through(&bouncer, &[read]), "", "the next client finds no scope");
    // What the server never does: a session setting stays on the pooled
    // connection and reaches the next client.
    psql_through(&bouncer, &[&format!("SELECT set_config('app.tenant_id', '{tenant}', false)")]);
    assert_eq!(psql_through(&bouncer, &[read]), tenant, "a session setting would leak");
}

/// Without `statement-cache-capacity=0`, sqlx's named prepared statements
/// meet other clients' server connections: PgBouncer 1.18 cannot serve the
/// server. (PgBouncer 1.21+ with `max_prepared_statements` can; see
/// docker/README.md.)
#[tokio::test]
async fn without_the_url_setting_pgbouncer_1_18_breaks_prepared_statements() {
    let pg = PgNode::primary("").await;
    let bouncer = PgBouncer::start(&pg, 1, RESET).await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(bouncer.app_url(""));
        s.redis_url = None;
    })
    .await;
    // One after another: a later transaction of a pooled client connection
    // reuses the statements it prepared in an earlier one, on whichever
    // server connection it gets (PgBouncer deallocated them after each).
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let email = format!("owner-{}@test.example", Uuid::now_v7().simple());
        let body = json!({"brand_name": "B", "owner_name": "O", "email": email, "password": "correct horse battery"});
        statuses.push(app.post("/api/v1/auth/signup", None, body).await.status.as_u16());
    }
    assert!(statuses.iter().any(|s| *s >= 500), "some requests fail: {statuses:?}");
}
