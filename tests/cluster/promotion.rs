//! The standby promotion drill (docker/README.md, "Promoting the standby"):
//! with the standby synchronous, the primary is killed (as a crash) under
//! kiosk load, the standby is promoted, and the server is restarted with
//! the new URL. Every order whose answer a kiosk got is there, kiosks resend
//! what got no answer, each order is stored once, and the event log replays
//! one `order.created` per order without a gap.

use std::{
    process::Command,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use pos_backend::config::Secret;
use pos_fault_tests::{Server, eventually};
use pos_tests::{SseClient, TestApp, menu_item, order_body, pos_server_binary};
use serde_json::json;
use uuid::Uuid;

use pos_cluster_tests::{PgNode, Taken, contiguous, once_each, place_until_taken, stored_orders};

const KIOSKS: usize = 4;
const ORDERS_PER_KIOSK: usize = 30;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_promoted_standby_has_every_order_taken_before_the_primary_died() {
    let primary = PgNode::primary("").await;
    let standby = PgNode::standby_of(&primary, "pos_standby");
    // Synchronous: a commit is answered once the standby has it on disk.
    primary.psql("postgres", "ALTER SYSTEM SET synchronous_standby_names = 'pos_standby'");
    primary.psql("postgres", "SELECT pg_reload_conf()");
    let sync = eventually(Duration::from_secs(10), async || {
        primary.psql("postgres", "SELECT string_agg(sync_state, ',') FROM pg_stat_replication") == "sync"
    })
    .await;
    assert!(sync, "the standby replicates synchronously");

    // The server's environment, changed for its restart after the promotion.
    let env = Arc::new(Mutex::new(vec![
        ("POS_DATABASE_URL".to_string(), primary.app_url()),
        ("POS_REPLICA_DATABASE_URL".to_string(), standby.app_url()),
        ("POS_REDIS_URL".to_string(), String::new()),
    ]));
    let mut server = {
        let env = env.clone();
        Server::start_with(move |port| {
            let mut cmd = Command::new(pos_server_binary());
            cmd.arg("serve").env("POS_BIND", format!("127.0.0.1:{port}")).env("POS_LOG", "info");
            cmd.envs(env.lock().unwrap().clone());
            cmd
        })
        .await
    };
    let (t, outlet, template, kiosks, kds) = {
        let app = TestApp::spawn_with(|s| {
            s.database_url = Secret::new(primary.app_url());
            s.redis_url = None;
        })
        .await;
        let t = app.signup().await;
        let outlet = app.create_outlet(&t.token, "Main").await;
        let item = menu_item(&app, &t.token, "Kopi").await;
        let mut template = serde_json::to_value(order_body(&app, &t.token, outlet, item, 1).await).unwrap();
        template["channel"] = json!("kiosk");
        let mut kiosks = Vec::new();
        for _ in 0..KIOSKS {
            kiosks.push(app.pair_device(&t.token, outlet, "kiosk").await.1);
        }
        let kds = app.pair_device(&t.token, outlet, "kds").await.1;
        (t, outlet, template, kiosks, kds)
    };

    let taken: Arc<Mutex<Vec<Taken>>> = Arc::default();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut load = Vec::new();
    for kiosk in kiosks {
        let (client, template, taken, base) = (client.clone(), template.clone(), taken.clone(), server.base.clone());
        load.push(tokio::spawn(async move {
            for _ in 0..ORDERS_PER_KIOSK {
                let mut order = template.clone();
                order["client_order_id"] = json!(Uuid::now_v7());
                let url = || format!("{base}/api/v1/orders");
                let got = place_until_taken(&client, url, &kiosk, &order, Duration::from_secs(90)).await;
                taken.lock().unwrap().push(got);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }

    let wanted = KIOSKS * ORDERS_PER_KIOSK;
    let third = eventually(Duration::from_secs(30), async || taken.lock().unwrap().len() >= wanted / 3).await;
    assert!(third, "the load started:\n{}", server.log());
    // The primary crashes: no shutdown checkpoint, nothing more sent to the standby.
    primary.stop("immediate");
    let crashed_at = Instant::now();
    let taken_before: Vec<String> = taken.lock().unwrap().iter().map(|t| t.client_order_id.clone()).collect();
    assert!(standby.in_recovery(), "still a standby before the drill");

    // The drill: promote the standby, point the server at it, restart it.
    standby.promote();
    assert!(!standby.in_recovery(), "promoted");
    {
        let mut env = env.lock().unwrap();
        env.retain(|(k, _)| k != "POS_REPLICA_DATABASE_URL");
        env.iter_mut().find(|(k, _)| k == "POS_DATABASE_URL").unwrap().1 = standby.app_url();
    }
    server.restart().await;
    let restarted_after = crashed_at.elapsed();

    for task in load {
        task.await.unwrap();
    }
    let taken = taken.lock().unwrap().clone();
    let sent: Vec<String> = taken.iter().map(|t| t.client_order_id.clone()).collect();
    let sent = once_each(&sent).expect("each order sent once");
    assert_eq!(sent.len(), wanted);
    let resent = taken.iter().filter(|t| t.failures > 0).count();
    let first_after = taken.iter().filter(|t| t.at > crashed_at).map(|t| t.at - crashed_at).min();
    println!(
        "primary crashed after {} orders; standby promoted and server restarted {restarted_after:?} later; \
         first order taken again after {first_after:?}; {resent} orders needed resending",
        taken_before.len()
    );

    let stored = stored_orders(&server.base, &t.token, outlet).await;
    let stored_set = once_each(&stored).expect("no order stored twice");
    for id in &taken_before {
        assert!(stored_set.contains(id), "an order taken before the crash survived the promotion: {id}");
    }
    assert_eq!(stored_set, sent, "exactly the orders sent");

    // The event log on the new primary: one order.created per order, no gap.
    let url = server.url(&format!("/api/v1/outlets/{outlet}/events"));
    let mut events = Vec::new();
    let mut last = 0;
    loop {
        let got = SseClient::connect(&url, &kds, Some(last)).await.drain(Duration::from_millis(700)).await;
        let Some(id) = got.iter().rev().find_map(|e| e.id.as_ref()) else { break };
        last = id.parse().unwrap();
        events.extend(got);
    }
    let ids: Vec<i64> = events.iter().filter_map(|e| e.id.as_ref()?.parse().ok()).collect();
    assert!(contiguous(&ids), "the event sequence has no gap: {ids:?}");
    let created: Vec<String> = events
        .iter()
        .filter(|e| e.event == "order.created")
        .map(|e| e.data["client_order_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(once_each(&created).as_ref(), Some(&sent), "one order.created per order");
}
