//! PostgreSQL restarted under load: while it is down `/readyz` says so at
//! once and requests get a prompt 503 problem+json (none hangs for the
//! pool's acquire timeout, none gets a 500); the server recovers by itself
//! and requests succeed again within 5 s of PostgreSQL accepting
//! connections; and no order is lost or doubled when the client resends
//! what failed.

use std::{
    collections::BTreeSet,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use pos_backend::config::Secret;
use pos_tests::{TestApp, menu_item, order_body};
use pos_wire::CreateOrder;
use serde_json::Value;
use uuid::Uuid;

use pos_fault_tests::{PgCluster, Server};

use crate::stored_orders;

/// The bound: requests succeed again within this of PostgreSQL's return.
const RECOVERY_BOUND: Duration = Duration::from_secs(5);
/// Nothing may wait as long as the pool's acquire timeout (5 s) for its 503.
const PROMPT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone)]
struct Sample {
    started: Instant,
    took: Duration,
    /// None: no HTTP answer (connection error or the client's own timeout).
    status: Option<u16>,
    problem_json: bool,
    retry_after: bool,
    /// The order sent, for writes.
    order: Option<CreateOrder>,
    postgres: Option<String>,
}

impl Sample {
    fn ended(&self) -> Instant {
        self.started + self.took
    }

    fn ok(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

async fn timed(req: reqwest::RequestBuilder, order: Option<CreateOrder>) -> Sample {
    let started = Instant::now();
    let res = req.send().await;
    let mut sample = Sample {
        started,
        took: Duration::ZERO,
        status: None,
        problem_json: false,
        retry_after: false,
        order,
        postgres: None,
    };
    if let Ok(res) = res {
        sample.status = Some(res.status().as_u16());
        let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        sample.problem_json = header("content-type").is_some_and(|c| c.starts_with("application/problem+json"));
        sample.retry_after = header("retry-after").is_some();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        sample.postgres = body["postgres"].as_str().map(str::to_string);
    }
    sample.took = started.elapsed();
    sample
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_under_load_the_server_recovers_by_itself() {
    let pg = Arc::new(PgCluster::start().await);
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(pg.app_url());
        s.redis_url = None;
    })
    .await;
    let server = Server::start(&[("POS_DATABASE_URL", pg.app_url()), ("POS_REDIS_URL", String::new())]).await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let template = order_body(&app, &t.token, outlet, item, 1).await;

    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let samples = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let probes = Arc::new(Mutex::new(Vec::<Sample>::new()));
    let running = Arc::new(AtomicBool::new(true));
    let mut load = Vec::new();
    for _ in 0..4 {
        let (client, samples, running, base, token, template) =
            (client.clone(), samples.clone(), running.clone(), server.base.clone(), t.token.clone(), template.clone());
        load.push(tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                let read = client.get(format!("{base}/api/v1/outlets")).bearer_auth(&token);
                let s = timed(read, None).await;
                samples.lock().unwrap().push(s);
                let order = CreateOrder { client_order_id: Uuid::now_v7(), ..template.clone() };
                let write = client.post(format!("{base}/api/v1/orders")).bearer_auth(&token).json(&order);
                let s = timed(write, Some(order)).await;
                samples.lock().unwrap().push(s);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    load.push({
        let (client, probes, running, url) = (client.clone(), probes.clone(), running.clone(), server.url("/readyz"));
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                let s = timed(client.get(&url), None).await;
                probes.lock().unwrap().push(s);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    });

    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stopping = Instant::now();
    let cluster = pg.clone();
    tokio::task::spawn_blocking(move || cluster.stop_server()).await.unwrap();
    let down_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // PostgreSQL may accept connections a while before `pg_ctl start -w`
    // returns (it polls; longer on a loaded machine): "down" ends when the
    // start is asked for, not when it is confirmed.
    let starting = Instant::now();
    let cluster = pg.clone();
    tokio::task::spawn_blocking(move || cluster.start_server()).await.unwrap();
    let up_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(7)).await;
    running.store(false, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    let samples = samples.lock().unwrap().clone();
    let probes = probes.lock().unwrap().clone();
    let log = server.log();

    assert!(samples.iter().any(|s| s.ended() < stopping && s.ok()), "the load ran before the restart");
    for s in &samples {
        assert!(matches!(s.status, Some(200 | 201 | 503)), "only successes and 503s, no 500 and no hang: {s:?}\n{log}");
        if s.status == Some(503) {
            assert!(s.problem_json && s.retry_after, "503 as problem+json with Retry-After: {s:?}");
        }
        assert!(s.took < PROMPT, "answered promptly, not after the pool's acquire timeout: {s:?}");
    }
    let while_down: Vec<&Sample> =
        samples.iter().filter(|s| s.started >= down_at + Duration::from_secs(1) && s.ended() <= starting).collect();
    assert!(while_down.len() >= 4, "requests were made while PostgreSQL was down");
    let not_503: Vec<&&Sample> = while_down.iter().filter(|s| s.status != Some(503)).collect();
    assert!(
        not_503.is_empty(),
        "503 while PostgreSQL is down (stopped {:?} after the stop was asked, start asked at {:?}): {not_503:#?}",
        down_at - stopping,
        starting - stopping
    );

    let ready_while_down: Vec<&Sample> =
        probes.iter().filter(|s| s.started >= down_at && s.ended() <= starting).collect();
    assert!(ready_while_down.len() >= 5, "readiness was asked while PostgreSQL was down");
    for s in &ready_while_down {
        assert_eq!(s.status, Some(503), "/readyz says so while PostgreSQL is down: {s:?}");
        assert!(s.retry_after, "with Retry-After");
        assert_eq!(s.postgres.as_deref(), Some("down"));
        assert!(s.took < Duration::from_millis(1500), "/readyz answers promptly: {s:?}");
    }

    // Recovery: from PostgreSQL accepting connections to the end of the last failure.
    let last_failure = samples.iter().filter(|s| !s.ok()).map(Sample::ended).max().unwrap();
    let recovery = last_failure.saturating_duration_since(up_at);
    let ready_again = probes.iter().find(|s| s.started >= up_at && s.status == Some(200)).map(|s| s.ended() - up_at);
    println!(
        "PostgreSQL restart: stop took {:?}; requests succeed again {recovery:?} after it accepted connections; \
         /readyz 200 again after {ready_again:?}",
        down_at - stopping
    );
    assert!(
        recovery < RECOVERY_BOUND,
        "requests succeed again within 5 s of PostgreSQL's return (took {recovery:?})\n{log}"
    );
    assert!(ready_again.is_some_and(|d| d < RECOVERY_BOUND), "/readyz is 200 again");
    let after: Vec<&Sample> = samples.iter().filter(|s| s.started > last_failure).collect();
    assert!(after.len() >= 10 && after.iter().all(|s| s.ok()), "the load runs on after recovery");

    // Nothing lost, nothing doubled: the client resends every order that failed.
    let mut sent = BTreeSet::new();
    for s in samples.iter().filter(|s| s.order.is_some()) {
        let order = s.order.as_ref().unwrap();
        sent.insert(order.client_order_id.to_string());
        if !s.ok() {
            let r = app.post("/api/v1/orders", Some(&t.token), order.clone()).await;
            assert!(matches!(r.status.as_u16(), 200 | 201), "a resent order is taken (or replayed): {}", r.text);
        }
    }
    let stored = stored_orders(&app, &t.token, outlet, None).await;
    assert_eq!(stored.len(), sent.len(), "each order stored once");
    assert_eq!(stored.into_iter().collect::<BTreeSet<_>>(), sent);
}
