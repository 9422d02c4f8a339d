//! Lag-tolerant reads on the streaming standby (`POS_REPLICA_DATABASE_URL`):
//! the menu and sync pull run there while it has replayed what the primary
//! has for the brand; with its replay paused, a brand's own write is never
//! lost to it (those reads go to the primary) while other brands still read
//! from it; row-level security holds there; its transactions are read-only
//! even when the URL points at a primary by mistake; and with the standby
//! gone every read is still answered, from the primary.

use std::{sync::Mutex, time::Duration};

use pos_backend::{
    config::Secret,
    db::{ScopedTx, replica::read_routed},
};
use pos_fault_tests::{Server, eventually};
use pos_tests::{TestApp, menu_item};
use serde_json::{Value, json};
use uuid::Uuid;

use pos_cluster_tests::{APP_PW, PgNode, metric_sum};

struct Brand {
    owner: String,
    kiosk: String,
    outlet: Uuid,
    item: Uuid,
}

async fn brand(app: &TestApp) -> Brand {
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(app, &t.token, "Kopi").await;
    let (_, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    Brand { owner: t.token, kiosk, outlet, item }
}

async fn get(server: &Server, path: &str, token: &str) -> (u16, Value) {
    let r = reqwest::Client::new().get(server.url(path)).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The outlet price of `item` in a pull's changes, if the page has one.
fn pulled_price(page: &Value, item: Uuid) -> Option<i64> {
    page["changes"].as_array()?.iter().find_map(|c| {
        (c["entity"] == "item_override" && c["id"] == json!(item)).then(|| c["data"]["price_minor"].as_i64()).flatten()
    })
}

fn menu_price(menu: &Value, item: Uuid) -> Option<i64> {
    menu["categories"]
        .as_array()?
        .iter()
        .flat_map(|c| c["items"].as_array().cloned().unwrap_or_default())
        .find_map(|i| (i["id"] == json!(item)).then(|| i["price_minor"].as_i64()).flatten())
}

/// How many reads of `path` the server ran where (`replica` or `primary`).
async fn served(server: &Server, path: &str, by: &str) -> f64 {
    metric_sum(&server.base, "db_routed_reads_total", &[("path", path), ("served_by", by)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_use_the_standby_only_when_it_has_every_write_they_depend_on() {
    let primary = PgNode::primary("").await;
    let standby = PgNode::standby_of(&primary, "pos_standby");
    let server = Server::start(&[
        ("POS_DATABASE_URL", primary.app_url()),
        ("POS_REPLICA_DATABASE_URL", standby.app_url()),
        ("POS_REDIS_URL", String::new()),
    ])
    .await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(primary.app_url());
        s.redis_url = None;
    })
    .await;
    let (a, b) = (brand(&app).await, brand(&app).await);
    assert!(standby.caught_up_with(&primary).await);
    let replica_up = eventually(Duration::from_secs(10), async || {
        metric_sum(&server.base, "db_replica_available", &[]).await == 1.0
    })
    .await;
    assert!(replica_up, "the server reached the standby");

    // Fresh: both reads come from the standby.
    let pull = format!("/api/v1/sync/pull?outlet_id={}", a.outlet);
    let (status, snapshot) = get(&server, &pull, &a.kiosk).await;
    assert_eq!(status, 200);
    let cursor = snapshot["cursor"].as_str().unwrap().to_string();
    assert_eq!(get(&server, &format!("/api/v1/outlets/{}/menu", a.outlet), &a.kiosk).await.0, 200);
    assert_eq!(served(&server, "sync_pull", "replica").await, 1.0);
    assert_eq!(served(&server, "outlet_menu", "replica").await, 1.0);

    // The standby stops replaying; brand A changes a price.
    standby.psql("postgres", "SELECT pg_wal_replay_pause()");
    let patch = reqwest::Client::new()
        .patch(server.url(&format!("/api/v1/outlets/{}/menu-items/{}", a.outlet, a.item)))
        .bearer_auth(&a.owner)
        .json(&json!({"price_minor": 31000}))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), 200);
    // The owner reads their own write, and so does the kiosk: from the primary.
    let (_, menu) = get(&server, &format!("/api/v1/outlets/{}/menu", a.outlet), &a.owner).await;
    assert_eq!(menu_price(&menu, a.item), Some(31000), "the owner sees the new price");
    let (_, page) = get(&server, &format!("{pull}&since={cursor}"), &a.kiosk).await;
    assert_eq!(pulled_price(&page, a.item), Some(31000), "the kiosk's pull has it");
    assert_eq!(served(&server, "sync_pull", "primary").await, 1.0);
    assert_eq!(served(&server, "outlet_menu", "primary").await, 1.0);
    // The standby really is behind: brand A's change is not there.
    let on_standby = standby.psql(
        "pos",
        &format!("SELECT count(*) FROM outlet_item_overrides WHERE item_id = '{}' AND price_minor = 31000", a.item),
    );
    assert_eq!(on_standby, "0", "the paused standby has not replayed the change");
    // Brand B changed nothing: its reads still come from the standby.
    let (status, _) = get(&server, &format!("/api/v1/sync/pull?outlet_id={}", b.outlet), &b.kiosk).await;
    assert_eq!(status, 200);
    assert_eq!(served(&server, "sync_pull", "replica").await, 2.0, "another brand reads from the standby");

    // Replay resumes: A's reads come back to the standby, with the new price.
    standby.psql("postgres", "SELECT pg_wal_replay_resume()");
    assert!(standby.caught_up_with(&primary).await);
    let (_, page) = get(&server, &format!("{pull}&since={cursor}"), &a.kiosk).await;
    assert_eq!(pulled_price(&page, a.item), Some(31000));
    assert_eq!(served(&server, "sync_pull", "replica").await, 3.0);

    // Row-level security on the standby: another brand's outlet is 404
    // there as on the primary, and the app role sees nothing unscoped.
    let (status, _) = get(&server, &format!("/api/v1/sync/pull?outlet_id={}", a.outlet), &b.kiosk).await;
    assert_eq!(status, 404);
    assert_eq!(served(&server, "sync_pull", "replica").await, 4.0, "refused on the standby itself");
    let as_app = |sql: &str| {
        let out = std::process::Command::new("psql")
            .args(["-X", "-At", "-c", sql])
            .arg(format!("postgres://pos_app:{APP_PW}@127.0.0.1:{}/pos", standby.port))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string() + &String::from_utf8_lossy(&out.stderr)
    };
    assert_eq!(as_app("SELECT count(*) FROM menu_items"), "0", "no scope, no rows");

    // The standby goes away: reads are still answered, from the primary.
    standby.stop("fast");
    let (status, page) = get(&server, &format!("{pull}&since={cursor}"), &a.kiosk).await;
    assert_eq!(status, 200);
    assert_eq!(pulled_price(&page, a.item), Some(31000));
    let noticed = eventually(Duration::from_secs(10), async || {
        metric_sum(&server.base, "db_replica_available", &[]).await == 0.0
    })
    .await;
    assert!(noticed, "the server noticed the standby is gone");
    for _ in 0..3 {
        let started = std::time::Instant::now();
        assert_eq!(get(&server, &format!("{pull}&since={cursor}"), &a.kiosk).await.0, 200);
        assert!(started.elapsed() < Duration::from_secs(1), "no wait for the missing standby");
    }
    let down = metric_sum(&server.base, "db_routed_reads_total", &[("reason", "replica_down")]).await;
    assert!(down >= 3.0, "read from the primary because the standby is down ({down})");
}

/// A replica URL that points at a primary by mistake still takes no write
/// through the read path: its transactions are read-only.
#[tokio::test]
async fn a_replica_transaction_is_read_only_even_on_a_primary() {
    let primary = PgNode::primary("").await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(primary.app_url());
        s.replica_database_url = Some(Secret::new(primary.app_url()));
        s.redis_url = None;
    })
    .await;
    let t = app.signup().await;
    let up = eventually(Duration::from_secs(10), async || app.state.db.replica().is_some_and(|r| r.is_up())).await;
    assert!(up);
    let tried = Mutex::new(Vec::new());
    let tx = app.tenant_tx(t.tenant_id).await;
    let wrote = read_routed(
        &app.state.db,
        tx,
        "test_write",
        async |_: &ScopedTx| Ok(()),
        |_: &()| true,
        async |tx: &ScopedTx| {
            let result = tx.execute("SELECT app.next_catalog_version(0)", []).await;
            tried
                .lock()
                .unwrap()
                .push(result.as_ref().map(|_| "wrote".to_string()).unwrap_or_else(|e| format!("{e:?}")));
            result.map(|_| ())
        },
    )
    .await;
    let tried = tried.into_inner().unwrap();
    assert!(tried[0].contains("read-only transaction"), "the replica transaction refused the write: {tried:?}");
    // The read path then ran where writes belong (it only ever reads in the product).
    assert!(wrote.is_ok() && tried.len() == 2 && tried[1] == "wrote", "{tried:?}");
}
