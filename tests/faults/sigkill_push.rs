//! The server SIGKILLed in the middle of a `sync/push` batch and restarted:
//! the device resends the whole batch and every order exists exactly once,
//! with one kitchen ticket and one `order.created` each.

use std::{
    collections::{BTreeMap, BTreeSet},
    time::Duration,
};

use pos_tests::{SseClient, TestApp, fixtures, kiosk_orders, menu_item, order_body};
use serde_json::Value;

use pos_fault_tests::{Server, eventually};

use crate::stored_orders;

const BATCH: usize = 300;

#[tokio::test]
async fn a_push_cut_by_sigkill_and_resent_leaves_every_order_exactly_once() {
    // The in-process app (same database) sets up and reads back; the
    // process under test takes the push.
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let (device, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
    let template = order_body(&app, &t.token, outlet, item, 1).await;
    let batch = fixtures::push(device, kiosk_orders(&template, BATCH));

    let mut server = Server::start(&[]).await;
    let push = {
        let (url, kiosk, batch) = (server.url("/api/v1/sync/push"), kiosk.clone(), batch.clone());
        tokio::spawn(async move { reqwest::Client::new().post(url).bearer_auth(kiosk).json(&batch).send().await })
    };
    let first_visible =
        eventually(Duration::from_secs(60), async || !stored_orders(&app, &t.token, outlet, Some(1)).await.is_empty())
            .await;
    assert!(first_visible, "the push never stored an order:\n{}", server.log());
    server.kill_9();
    let cut = push.await.unwrap();
    assert!(cut.is_err(), "the device got no answer to the interrupted push: {cut:?}");

    let before: BTreeSet<String> = stored_orders(&app, &t.token, outlet, None).await.into_iter().collect();
    assert!(
        !before.is_empty() && before.len() < BATCH,
        "the kill landed mid-batch: {} of {BATCH} stored",
        before.len()
    );

    server.restart().await;
    let resent = reqwest::Client::new()
        .post(server.url("/api/v1/sync/push"))
        .bearer_auth(&kiosk)
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(resent.status(), 200);
    let resent: Value = resent.json().await.unwrap();
    let mut outcomes: BTreeMap<String, String> = BTreeMap::new();
    for r in resent["results"].as_array().unwrap() {
        outcomes.insert(r["client_order_id"].as_str().unwrap().into(), r["outcome"].as_str().unwrap().into());
    }
    assert_eq!(outcomes.len(), BATCH);
    for (id, outcome) in &outcomes {
        let expected = if before.contains(id) { "duplicate" } else { "created" };
        assert_eq!(outcome, expected, "{id}: stored before the kill: {}", before.contains(id));
    }

    // Exactly the batch, each once.
    let stored = stored_orders(&app, &t.token, outlet, None).await;
    let unique: BTreeSet<String> = stored.iter().cloned().collect();
    assert_eq!(stored.len(), BATCH, "no order stored twice");
    let sent: BTreeSet<String> = outcomes.keys().cloned().collect();
    assert_eq!(unique, sent);

    // One kitchen ticket per order.
    let tickets =
        app.get(&format!("/api/v1/outlets/{outlet}/tickets?status=open&limit=500"), &t.token).await.expect(200);
    let mut per_order: BTreeMap<String, usize> = BTreeMap::new();
    for ticket in tickets.body.as_array().unwrap() {
        *per_order.entry(ticket["order_id"].as_str().unwrap().into()).or_default() += 1;
    }
    assert_eq!(per_order.len(), BATCH, "every order has its ticket");
    assert!(per_order.values().all(|n| *n == 1), "no ticket doubled");

    // The event log holds one order.created and one ticket.created per order.
    // Read as a KDS does: a stream that ends is resumed from its last id.
    let url = server.url(&format!("/api/v1/outlets/{outlet}/events"));
    let mut events = Vec::new();
    let mut last = 0;
    loop {
        let got = SseClient::connect(&url, &kds, Some(last)).await.drain(Duration::from_secs(1)).await;
        let Some(id) = got.iter().rev().find_map(|e| e.id.as_ref()) else { break };
        last = id.parse().unwrap();
        events.extend(got);
    }
    let mut created: BTreeMap<String, usize> = BTreeMap::new();
    let mut ticketed: BTreeMap<String, usize> = BTreeMap::new();
    for e in &events {
        match e.event.as_str() {
            "order.created" => *created.entry(e.data["client_order_id"].as_str().unwrap().into()).or_default() += 1,
            "ticket.created" => *ticketed.entry(e.data["order_id"].as_str().unwrap().into()).or_default() += 1,
            _ => {}
        }
    }
    let announced: BTreeSet<String> = created.keys().cloned().collect();
    assert_eq!(
        announced,
        sent,
        "one order.created per order; {} events replayed, missing {:?}, extra {:?}",
        events.len(),
        sent.difference(&announced).collect::<Vec<_>>(),
        announced.difference(&sent).collect::<Vec<_>>()
    );
    assert!(created.values().all(|n| *n == 1), "no order.created doubled");
    assert_eq!(ticketed.len(), BATCH);
    assert!(ticketed.values().all(|n| *n == 1), "no ticket.created doubled");
}
