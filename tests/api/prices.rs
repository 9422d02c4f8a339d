//! Prices belong to the server, also for offline orders: what a kiosk token,
//! a cashier or a brand-new tenant can try on order intake, over HTTP.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use pos_tests::{
    Reply, SseClient, TestApp, backdate_prices,
    fixtures::{self, shown_line},
    menu_item, plain_menu_item, scope_to,
};
use pos_wire::{Channel, CreateOrder, MenuItem, OrderLineRequest, UpdateMenuItem};
use serde_json::Value;
use uuid::Uuid;

/// A new brand: one outlet selling Kopi (25,000;
/// Size: Regular +0 / Large +5,000, exactly one) and Pisang Goreng (18,000),
/// and a paired kiosk.
struct Shop {
    app: TestApp,
    tenant: Uuid,
    owner: String,
    outlet: Uuid,
    coffee: Uuid,
    regular: Uuid,
    large: Uuid,
    snack: Uuid,
    device: Uuid,
    kiosk: String,
}

async fn shop() -> Shop {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let coffee = menu_item(&app, &t.token, "Kopi").await;
    let detail: MenuItem = app.get(&format!("/api/v1/menu-items/{coffee}"), &t.token).await.expect(200).json();
    let options = &detail.modifier_groups[0].options;
    let snack = plain_menu_item(&app, &t.token, "Pisang Goreng", 18_000, None).await;
    let (device, kiosk) = app.pair_device(&t.token, outlet, "kiosk").await;
    Shop {
        tenant: t.tenant_id,
        owner: t.token,
        outlet,
        coffee,
        regular: options[0].id.unwrap(),
        large: options[1].id.unwrap(),
        snack,
        device,
        kiosk,
        app,
    }
}

impl Shop {
    /// The kiosk's menu cursor, as `sync/pull` hands it out.
    async fn pull_cursor(&self) -> String {
        let r = self.app.get(&format!("/api/v1/sync/pull?outlet_id={}", self.outlet), &self.kiosk).await.expect(200);
        assert_eq!(r.body["has_more"], false);
        r.body["cursor"].as_str().unwrap().to_string()
    }

    /// A kiosk order body.
    fn order(&self, lines: Vec<OrderLineRequest>, priced_from: Option<&str>, taken_at: DateTime<Utc>) -> CreateOrder {
        CreateOrder {
            customer_name: Some("Tamu".into()),
            priced_from: priced_from.map(Into::into),
            ..fixtures::order_at(self.outlet, Channel::Kiosk, lines, taken_at)
        }
    }

    /// Pushes one order as the kiosk; its result.
    async fn push(&self, order: &CreateOrder) -> Value {
        let r = self
            .app
            .post("/api/v1/sync/push", Some(&self.kiosk), fixtures::push(self.device, [order]))
            .await
            .expect(200);
        r.body["results"][0].clone()
    }

    async fn set_price(&self, item: Uuid, price: i64) {
        self.app
            .patch(&format!("/api/v1/menu-items/{item}"), &self.owner, fixtures::item_price(price))
            .await
            .expect(200);
    }

    async fn set_outlet_price(&self, item: Uuid, price: i64) {
        self.app
            .patch(
                &format!("/api/v1/outlets/{}/menu-items/{item}", self.outlet),
                &self.owner,
                fixtures::outlet_price(Some(price)),
            )
            .await
            .expect(200);
    }

    async fn orders(&self) -> Vec<Value> {
        self.app.get("/api/v1/orders", &self.owner).await.expect(200).body["items"].as_array().unwrap().clone()
    }

    /// What the kitchen has: open tickets, and every order or ticket event of the outlet's log.
    async fn kitchen(&self) -> (usize, usize) {
        let (_, kds) = self.app.pair_device(&self.owner, self.outlet, "kds").await;
        let tickets = self.app.get(&format!("/api/v1/outlets/{}/tickets", self.outlet), &kds).await.expect(200);
        let url = self.app.url(&format!("/api/v1/outlets/{}/events", self.outlet));
        let mut log = SseClient::connect(&url, &kds, Some(0)).await;
        let events = log.drain(StdDuration::from_millis(400)).await;
        let orders = events.iter().filter(|e| e.event == "order.created" || e.event == "ticket.created").count();
        (tickets.body.as_array().unwrap().len(), orders)
    }
}

fn outcome(result: &Value) -> &str {
    result["outcome"].as_str().unwrap_or_else(|| panic!("no outcome: {result}"))
}

/// The messages of a rejected result for `field`, joined.
fn why(result: &Value, field: &str) -> String {
    let messages =
        result["error"]["errors"][field].as_array().unwrap_or_else(|| panic!("no error for {field}: {result}"));
    messages.iter().map(|m| m.as_str().unwrap()).collect::<Vec<_>>().join("; ")
}

fn flags(order: &Value) -> Vec<String> {
    order["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_free_order_from_a_kiosk_token_is_rejected_and_nothing_reaches_the_kitchen() {
    let s = shop().await;
    // Exactly as an attacker with the token from the tablet's localStorage would send it.
    let literal = s.order(vec![shown_line(s.snack, 5, 0)], None, Utc::now());
    let r = s.push(&literal).await;
    assert_eq!(outcome(&r), "rejected", "{r}");
    assert!(why(&r, "items[0].shown_unit_price_minor").contains("Pisang Goreng"), "{r}");
    assert!(r["error"]["detail"].as_str().unwrap().contains("did not cost 0"), "a reason staff can read: {r}");
    // With a real menu cursor and a valid option: the same.
    let cursor = s.pull_cursor().await;
    let with_cursor = s.order(
        vec![OrderLineRequest { modifier_option_ids: vec![s.large], ..shown_line(s.coffee, 5, 0) }],
        Some(&cursor),
        Utc::now(),
    );
    assert_eq!(outcome(&s.push(&with_cursor).await), "rejected");
    // Online, the same lie is refused at once.
    let r = s.app.post("/api/v1/orders", Some(&s.kiosk), literal.clone()).await.expect(422);
    assert!(r.body["errors"]["items[0].shown_unit_price_minor"][0].as_str().unwrap().contains("18000"), "{}", r.text);

    assert!(s.orders().await.is_empty(), "nothing stored");
    assert_eq!(s.kitchen().await, (0, 0), "no ticket, no order event");
}

#[tokio::test]
async fn item_ids_that_never_existed_are_rejected_and_names_are_the_servers() {
    let s = shop().await;
    let other = s.app.signup().await;
    let foreign = plain_menu_item(&s.app, &other.token, "Their Special", 1_000, None).await;
    for id in [Uuid::now_v7(), foreign] {
        let body = s.order(
            vec![OrderLineRequest { shown_name: Some("Free Lunch".into()), ..shown_line(id, 1, 1000) }],
            None,
            Utc::now(),
        );
        let r = s.push(&body).await;
        assert_eq!(outcome(&r), "rejected");
        assert_eq!(why(&r, "items[0].menu_item_id"), "no such item");
        s.app.post("/api/v1/orders", Some(&s.kiosk), body).await.expect(422);
    }
    // A name the device made up never reaches a ticket.
    let body = s.order(
        vec![OrderLineRequest { shown_name: Some("Gratis!".into()), ..shown_line(s.snack, 1, 18000) }],
        None,
        Utc::now(),
    );
    let r = s.push(&body).await;
    assert_eq!(outcome(&r), "created", "{r}");
    assert_eq!(r["order"]["items"][0]["name"], "Pisang Goreng");
    assert_eq!(s.orders().await.len(), 1);
}

#[tokio::test]
async fn a_price_shown_two_days_ago_within_the_window_is_honoured_and_flagged() {
    let s = shop().await;
    // The kiosk pulled its menu three days ago, took orders offline two days
    // ago, and the price went up today.
    let cursor = s.pull_cursor().await;
    backdate_prices(s.tenant, Duration::days(3)).await;
    s.set_price(s.snack, 20_000).await;
    let two_days_ago = Utc::now() - Duration::days(2);
    let body = s.order(
        vec![OrderLineRequest { shown_name: Some("Pisang".into()), ..shown_line(s.snack, 2, 18000) }],
        Some(&cursor),
        two_days_ago,
    );
    let r = s.push(&body).await;
    assert_eq!(outcome(&r), "created", "{r}");
    let order = &r["order"];
    assert_eq!(order["items"][0]["unit_price_minor"], 18_000, "the price the customer was shown");
    assert_eq!(order["items"][0]["name"], "Pisang Goreng");
    assert_eq!(order["subtotal_minor"], 36_000);
    assert_eq!(flags(order), ["late_sync", "price_changed"]);
    assert_eq!(s.kitchen().await.0, 1, "it went to the kitchen");
    // Without a cursor the order's own time decides: 18,000 was the price then too.
    let r = s.push(&s.order(vec![shown_line(s.snack, 1, 18000)], None, two_days_ago)).await;
    assert_eq!(outcome(&r), "created", "{r}");
    // A menu pulled after the change never showed 18,000.
    let fresh = s.pull_cursor().await;
    let r = s.push(&s.order(vec![shown_line(s.snack, 1, 18000)], Some(&fresh), Utc::now())).await;
    assert_eq!(outcome(&r), "rejected", "{r}");
    // Replays stay exactly once.
    let again = s.push(&body).await;
    assert_eq!(outcome(&again), "duplicate");
    assert_eq!(again["order"]["id"], order["id"]);
    assert_eq!(s.orders().await.len(), 2);
}

#[tokio::test]
async fn a_price_older_than_the_window_is_rejected() {
    let s = shop().await;
    let cursor = s.pull_cursor().await;
    s.set_price(s.snack, 20_000).await;
    // 18,000 ended four days ago; the window is 72 h.
    backdate_prices(s.tenant, Duration::days(4)).await;
    let line = vec![shown_line(s.snack, 1, 18000)];
    let r = s.push(&s.order(line.clone(), Some(&cursor), Utc::now() - Duration::hours(1))).await;
    assert_eq!(outcome(&r), "rejected", "{r}");
    assert!(why(&r, "items[0].shown_unit_price_minor").contains("72 h"), "{r}");
    // Taken four days ago: too old to sync at all, whatever its prices.
    let r = s.push(&s.order(line, Some(&cursor), Utc::now() - Duration::days(4))).await;
    assert_eq!(outcome(&r), "rejected");
    assert!(why(&r, "created_at_client").contains("too old"), "{r}");
    assert!(s.orders().await.is_empty());
}

#[tokio::test]
async fn outlet_prices_and_option_deltas_have_their_own_history() {
    let s = shop().await;
    s.set_outlet_price(s.snack, 15_000).await;
    let cursor = s.pull_cursor().await;
    s.set_outlet_price(s.snack, 16_000).await;
    let snack = |shown: i64| vec![shown_line(s.snack, 1, shown)];
    let r = s.push(&s.order(snack(15_000), Some(&cursor), Utc::now())).await;
    assert_eq!(outcome(&r), "created", "{r}");
    assert_eq!(flags(&r["order"]), ["price_changed"]);
    let r = s.push(&s.order(snack(16_000), Some(&cursor), Utc::now())).await;
    assert_eq!(flags(&r["order"]), Vec::<String>::new(), "today's price: nothing to flag");
    for never in [14_000, 18_000 - 1] {
        assert_eq!(outcome(&s.push(&s.order(snack(never), Some(&cursor), Utc::now())).await), "rejected", "{never}");
    }
    // The item's own price was 18,000 all along, but never at this outlet after it got its own.
    assert_eq!(outcome(&s.push(&s.order(snack(18_000), Some(&cursor), Utc::now())).await), "rejected");

    // Large goes from +5,000 to +7,000 (same option ids).
    let cursor = s.pull_cursor().await;
    let detail: MenuItem = s.app.get(&format!("/api/v1/menu-items/{}", s.coffee), &s.owner).await.json();
    let mut groups = detail.modifier_groups;
    groups[0].options[1].price_minor = 7_000;
    let update = UpdateMenuItem { modifier_groups: Some(groups), ..Default::default() };
    s.app.patch(&format!("/api/v1/menu-items/{}", s.coffee), &s.owner, update).await.expect(200);
    let coffee = |option: &Uuid, shown: i64| {
        vec![OrderLineRequest { modifier_option_ids: vec![*option], ..shown_line(s.coffee, 1, shown) }]
    };
    let r = s.push(&s.order(coffee(&s.large, 30_000), Some(&cursor), Utc::now())).await;
    assert_eq!(outcome(&r), "created", "{r}");
    assert_eq!(flags(&r["order"]), ["price_changed"]);
    assert_eq!(r["order"]["items"][0]["modifiers"][0]["price_minor"], 5_000, "the option as it was");
    let r = s.push(&s.order(coffee(&s.large, 32_000), Some(&cursor), Utc::now())).await;
    assert_eq!(flags(&r["order"]), Vec::<String>::new());
    assert_eq!(outcome(&s.push(&s.order(coffee(&s.large, 25_000), Some(&cursor), Utc::now())).await), "rejected");
    assert_eq!(outcome(&s.push(&s.order(coffee(&s.regular, 30_000), Some(&cursor), Utc::now())).await), "rejected");
}

#[tokio::test]
async fn created_at_client_far_in_the_future_or_past_the_window_is_rejected_and_late_orders_are_flagged() {
    let s = shop().await;
    let line = vec![shown_line(s.snack, 1, 18000)];
    for taken in [Utc::now() + Duration::days(1), Utc::now() + Duration::minutes(15)] {
        let r = s.push(&s.order(line.clone(), None, taken)).await;
        assert_eq!(outcome(&r), "rejected");
        assert!(why(&r, "created_at_client").contains("future"), "{r}");
        s.app.post("/api/v1/orders", Some(&s.kiosk), s.order(line.clone(), None, taken)).await.expect(422);
    }
    let r = s.push(&s.order(line.clone(), None, Utc::now() - Duration::days(4))).await;
    assert_eq!(outcome(&r), "rejected");
    s.app
        .post("/api/v1/orders", Some(&s.kiosk), s.order(line.clone(), None, Utc::now() - Duration::days(4)))
        .await
        .expect(422);
    // A clock a few minutes ahead is fine; an hour late is flagged, not refused.
    let r = s.push(&s.order(line.clone(), None, Utc::now() + Duration::minutes(3))).await;
    assert_eq!(flags(&r["order"]), Vec::<String>::new(), "{r}");
    let r = s.push(&s.order(line, None, Utc::now() - Duration::hours(1))).await;
    assert_eq!(flags(&r["order"]), ["late_sync"], "{r}");
    assert_eq!(s.orders().await.len(), 2);
}

#[tokio::test]
async fn sync_push_takes_only_a_kiosks_own_token_and_device_id() {
    let s = shop().await;
    let body = s.order(vec![shown_line(s.snack, 1, 0)], None, Utc::now());
    let (_, cashier) = s.app.create_staff(&s.owner, "cashier", &[s.outlet]).await;
    let (kds_id, kds) = s.app.pair_device(&s.owner, s.outlet, "kds").await;
    let (other_kiosk, _) = s.app.pair_device(&s.owner, s.outlet, "kiosk").await;
    let attempts = [
        (&s.owner, s.device, "owner under the kiosk's id"),
        (&cashier, s.device, "cashier under the kiosk's id"),
        (&cashier, Uuid::now_v7(), "cashier under a made-up id"),
        (&kds, kds_id, "a kitchen display"),
        (&s.kiosk, other_kiosk, "a kiosk under another kiosk's id"),
        (&s.kiosk, Uuid::now_v7(), "a kiosk under a made-up id"),
    ];
    for (token, device, who) in attempts {
        let r = s.app.post("/api/v1/sync/push", Some(token), fixtures::push(device, [&body])).await;
        assert_eq!(r.status.as_u16(), 403, "{who}: {}", r.text);
    }
    assert!(s.orders().await.is_empty());
    // Staff place orders online, strictly priced.
    let counter = fixtures::counter_order(s.outlet, vec![shown_line(s.snack, 1, 0)]);
    s.app.post("/api/v1/orders", Some(&cashier), counter.clone()).await.expect(422);
    let mut honest = counter;
    honest.items[0].shown_unit_price_minor = None;
    let r = s.app.post("/api/v1/orders", Some(&cashier), honest).await.expect(201);
    assert_eq!(r.body["subtotal_minor"], 18_000);
}

#[tokio::test]
async fn online_intake_is_strict_and_channels_follow_who_orders() {
    let s = shop().await;
    let cursor = s.pull_cursor().await;
    let body = s.order(vec![shown_line(s.snack, 1, 18000)], Some(&cursor), Utc::now());
    s.set_price(s.snack, 20_000).await;
    // The price changed since the kiosk's menu: refused now, with the new price.
    let r = s.app.post("/api/v1/orders", Some(&s.kiosk), body.clone()).await.expect(422);
    assert!(r.body["errors"]["items[0].shown_unit_price_minor"][0].as_str().unwrap().contains("20000"), "{}", r.text);
    // Sold out: refused now.
    s.app
        .patch(&format!("/api/v1/outlets/{}/menu-items/{}", s.outlet, s.snack), &s.owner, fixtures::availability(false))
        .await
        .expect(200);
    let mut fixed = body.clone();
    fixed.items[0].shown_unit_price_minor = Some(20_000);
    let r = s.app.post("/api/v1/orders", Some(&s.kiosk), fixed.clone()).await.expect(422);
    assert!(r.text.contains("sold out"));
    // The same order that was really taken offline is kept, flagged, at the price shown.
    let r = s.push(&body).await;
    assert_eq!(outcome(&r), "created", "{r}");
    assert_eq!(flags(&r["order"]), ["item_unavailable", "price_changed"]);

    // A kiosk takes kiosk orders; staff take counter orders.
    let as_counter = CreateOrder { client_order_id: Uuid::now_v7(), channel: Channel::Counter, ..fixed.clone() };
    let r: Reply = s.app.post("/api/v1/orders", Some(&s.kiosk), as_counter.clone()).await.expect(422);
    assert!(r.body["errors"]["channel"].is_array());
    let as_kiosk = CreateOrder { channel: Channel::Kiosk, ..as_counter };
    let r = s.app.post("/api/v1/orders", Some(&s.owner), as_kiosk).await.expect(422);
    assert!(r.body["errors"]["channel"].is_array());
}

#[tokio::test]
async fn one_order_id_is_one_order_across_the_online_and_offline_paths() {
    let s = shop().await;
    let cursor = s.pull_cursor().await;
    let body = s.order(
        vec![OrderLineRequest { modifier_option_ids: vec![s.regular], ..shown_line(s.coffee, 1, 25000) }],
        Some(&cursor),
        Utc::now(),
    );
    // The answer to POST /orders was lost; the kiosk queues the order and pushes it.
    let placed = s.app.post("/api/v1/orders", Some(&s.kiosk), body.clone()).await.expect(201);
    for _ in 0..2 {
        let r = s.push(&body).await;
        assert_eq!(outcome(&r), "duplicate", "{r}");
        assert_eq!(r["order"]["id"], placed.body["id"]);
    }
    s.app.post("/api/v1/orders", Some(&s.kiosk), body.clone()).await.expect(200);
    // The same id with other content is a conflict on either path.
    let mut changed = body;
    changed.items[0].qty = 3;
    assert_eq!(outcome(&s.push(&changed).await), "conflict");
    s.app.post("/api/v1/orders", Some(&s.kiosk), changed).await.expect(409);
    assert_eq!(s.orders().await.len(), 1);
    assert_eq!(s.kitchen().await, (1, 2), "one order and its ticket");
}

#[tokio::test]
async fn price_history_is_written_by_the_database_and_read_only_for_the_server() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let s = shop().await;
    s.set_price(s.snack, 19_000).await;
    s.set_outlet_price(s.snack, 17_000).await;
    let c = s.app.app_role_connection().await;
    let tx = c.begin().await.unwrap();
    scope_to(&tx, s.tenant).await;
    let rows = tx
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!(
                "SELECT price_minor, version_to IS NULL AS open FROM item_price_history WHERE item_id = '{}' ORDER BY version_from",
                s.snack
            ),
        ))
        .await
        .unwrap();
    let history: Vec<(i64, bool)> =
        rows.iter().map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap())).collect();
    assert_eq!(history, [(18_000, false), (19_000, true)]);
    for attempt in [
        "UPDATE item_price_history SET price_minor = 0".to_string(),
        "DELETE FROM outlet_price_history".to_string(),
        format!(
            "INSERT INTO item_price_history (tenant_id, item_id, version_from, valid_from, name, price_minor, modifier_groups) \
             VALUES ('{}', '{}', 0, now() - interval '1 day', 'x', 0, '[]')",
            s.tenant, s.snack
        ),
    ] {
        let sp = tx.begin().await.unwrap();
        let err = sp.execute_unprepared(&attempt).await.unwrap_err().to_string();
        assert!(err.contains("permission denied"), "{attempt}: {err}");
        sp.rollback().await.unwrap();
    }
    tx.rollback().await.unwrap();
    // Another brand's scope sees none of it.
    let other = s.app.signup().await;
    let tx = c.begin().await.unwrap();
    scope_to(&tx, other.tenant_id).await;
    for table in ["item_price_history", "outlet_price_history"] {
        let n = tx
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT count(*) FROM {table} WHERE item_id = '{}'", s.snack),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<i64>(0)
            .unwrap();
        assert_eq!(n, 0, "{table} leaks across brands");
    }
    tx.rollback().await.unwrap();
}
