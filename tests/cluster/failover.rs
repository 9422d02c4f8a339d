//! Two servers behind nginx, one SIGKILLed in the middle of the load: kiosks
//! keep ordering through nginx (resending what failed) and no order is lost
//! or doubled; every kitchen display's stream that was on the killed server
//! reconnects through nginx to the other one and replays exactly what it
//! missed (every event once, the sequence without a gap). Lag-tolerant reads
//! (menu, sync pull) go on meanwhile, partly from the streaming standby.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use pos_backend::config::Secret;
use pos_fault_tests::Server;
use pos_tests::{RedisProcess, TestApp, menu_item, order_body};
use serde_json::json;
use uuid::Uuid;

use pos_cluster_tests::{
    Nginx, PgNode, Watched, contiguous, metric_sum, once_each, place_until_taken, port_of, stored_orders, watch_events,
};

const KIOSKS: usize = 4;
const ORDERS_PER_KIOSK: usize = 40;
const DISPLAYS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_under_load_behind_nginx_loses_and_doubles_nothing() {
    let primary = PgNode::primary("").await;
    let standby = PgNode::standby_of(&primary, "pos_standby");
    let redis = RedisProcess::start().await;
    let env = [
        ("POS_DATABASE_URL", primary.app_url()),
        ("POS_REPLICA_DATABASE_URL", standby.app_url()),
        ("POS_REDIS_URL", redis.url()),
        ("POS_TRUSTED_PROXIES", "127.0.0.1".to_string()),
        ("POS_EVENT_SWEEP_MS", "300".to_string()),
    ];
    let mut a = Server::start(&env).await;
    let b = Server::start(&env).await;
    let nginx = Nginx::start(&[port_of(&a.base), port_of(&b.base)]).await;

    // Set-up on the same database, beside the servers under test.
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(primary.app_url());
        s.redis_url = Some(Secret::new(redis.url()));
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
    let mut displays = Vec::new();
    for _ in 0..DISPLAYS {
        displays.push(app.pair_device(&t.token, outlet, "kds").await.1);
    }

    // Kitchen displays, through nginx (least_conn spreads them over both servers).
    let stop = Arc::new(AtomicBool::new(false));
    let events = nginx.url(&format!("/api/v1/outlets/{outlet}/events"));
    let watched: Vec<_> = displays.iter().map(|kds| watch_events(events.clone(), kds.clone(), stop.clone())).collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(watched.iter().all(|w| w.lock().unwrap().upstreams.len() == 1), "every display is connected");

    // Kiosks, through nginx: orders one after another, and now and then the
    // menu and a pull, as a kiosk refreshes.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut load = Vec::new();
    for kiosk in &kiosks {
        let (client, kiosk, template, base) = (client.clone(), kiosk.clone(), template.clone(), nginx.url(""));
        load.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            let mut reads = 0;
            for i in 0..ORDERS_PER_KIOSK {
                let mut order = template.clone();
                order["client_order_id"] = json!(Uuid::now_v7());
                let url = || format!("{base}/api/v1/orders");
                taken.push(place_until_taken(&client, url, &kiosk, &order, Duration::from_secs(30)).await);
                if i % 8 == 0 {
                    for path in
                        [format!("/api/v1/outlets/{outlet}/menu"), format!("/api/v1/sync/pull?outlet_id={outlet}")]
                    {
                        let got = async || client.get(format!("{base}{path}")).bearer_auth(&kiosk).send().await;
                        // A read cut by the kill is simply asked again.
                        let status = match got().await {
                            Ok(r) if !r.status().is_server_error() => r.status(),
                            _ => got().await.unwrap().status(),
                        };
                        assert_eq!(status, 200, "{path}");
                        reads += 1;
                    }
                }
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            (taken, reads)
        }));
    }

    // Kill a once a third of the orders are in.
    let wanted = KIOSKS * ORDERS_PER_KIOSK;
    let third = pos_fault_tests::eventually(Duration::from_secs(30), async || {
        stored_orders(&app.base, &t.token, outlet).await.len() >= wanted / 3
    })
    .await;
    assert!(third, "the load started");
    a.kill_9();
    let killed_at = Instant::now();

    let mut taken = Vec::new();
    let mut reads = 0;
    for task in load {
        let (t, r) = task.await.unwrap();
        taken.extend(t);
        reads += r;
    }
    let sent: Vec<String> = taken.iter().map(|t| t.client_order_id.clone()).collect();
    let sent = once_each(&sent).expect("every order sent once");
    assert_eq!(sent.len(), wanted);
    let after_kill = taken.iter().filter(|t| t.at > killed_at).count();
    assert!(after_kill >= wanted / 3, "ordering went on through nginx after the kill ({after_kill} orders)");
    println!(
        "{wanted} orders through nginx, {after_kill} after the kill; {} resends; {reads} menu/pull reads",
        taken.iter().map(|t| t.failures).sum::<usize>()
    );

    // Stored: exactly the orders sent, each once.
    let stored = stored_orders(&nginx.url(""), &t.token, outlet).await;
    assert_eq!(once_each(&stored).as_ref(), Some(&sent), "each order stored once, none lost");

    // Every display gets every order.created (waiting for the reconnected ones to replay).
    let complete = pos_fault_tests::eventually(Duration::from_secs(20), async || {
        watched.iter().all(|w| w.lock().unwrap().created().len() >= wanted)
    })
    .await;
    stop.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let seen: Vec<Watched> = watched.iter().map(|w| w.lock().unwrap().clone()).collect();
    assert!(
        complete,
        "every display saw every order: {:?}",
        seen.iter().map(|w| w.created().len()).collect::<Vec<_>>()
    );
    let (a_port, b_port) = (port_of(&a.base).to_string(), port_of(&b.base).to_string());
    let mut moved = 0;
    for (i, w) in seen.iter().enumerate() {
        let created = w.created();
        assert_eq!(once_each(&created).as_ref(), Some(&sent), "display {i}: every order.created once");
        let ids: Vec<i64> = w.events.iter().map(|(id, _, _)| *id).collect();
        assert!(contiguous(&ids), "display {i}: the sequence has no gap and no repeat: {ids:?}");
        if w.upstreams[0].ends_with(&format!(":{a_port}")) {
            moved += 1;
            assert!(w.upstreams.len() >= 2, "display {i} was on the killed server and reconnected");
            assert!(
                w.upstreams[1..].iter().all(|u| u.ends_with(&format!(":{b_port}"))),
                "display {i} reconnected through nginx to the other server: {:?}",
                w.upstreams
            );
        }
    }
    assert!(moved >= 1, "at least one display was on the killed server: {:?}", seen.iter().map(|w| &w.upstreams));
    println!("{moved} of {DISPLAYS} displays moved to the surviving server and replayed what they missed");

    // The surviving server read from the standby, and only when it was fresh.
    let from_replica = metric_sum(&b.base, "db_routed_reads_total", &[("served_by", "replica")]).await;
    let from_primary = metric_sum(&b.base, "db_routed_reads_total", &[("served_by", "primary")]).await;
    println!("routed reads on the surviving server: {from_replica} from the standby, {from_primary} from the primary");
    assert!(from_replica >= 1.0, "lag-tolerant reads used the standby");
    drop(nginx);
}
