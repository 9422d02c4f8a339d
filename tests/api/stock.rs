//! Inventory: recipes deplete stock in the order's own transaction,
//! cancellations and refunds with `restock` put it back, stock-outs take
//! items off the outlet's menu live and deliveries bring them back, the
//! ledger's movements (receive, waste, count, transfers) are exactly-once,
//! and low stock mails once per crossing.

use std::time::Duration;

use pos_tests::{
    Reply, SseClient, Tenant, TestApp, fixtures,
    paying::{self, code, count, field_code},
};
use pos_wire::{Channel, CreateMenuItem, CreateRefund, Order, OrderStatus};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

/// The latte's price (no tax or service charge at the café).
pub(crate) const LATTE: i64 = 30_000;

/// A café selling a latte (200 ml milk, 18 g coffee) with an optional extra
/// shot (9 g coffee more).
pub(crate) struct Cafe {
    pub(crate) app: TestApp,
    pub(crate) t: Tenant,
    pub(crate) outlet: Uuid,
    pub(crate) latte: Uuid,
    pub(crate) extra_shot: Uuid,
    pub(crate) milk: Uuid,
    pub(crate) coffee: Uuid,
}

impl Cafe {
    pub(crate) async fn open() -> Cafe {
        let app = TestApp::spawn().await;
        let t = app.signup().await;
        let outlet = app.create_outlet(&t.token, "Sabang").await;
        app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, fixtures::outlet_rates(0, 0)).await.expect(200);
        let cat = app.post("/api/v1/categories", Some(&t.token), fixtures::category("Kopi", None)).await.expect(201);
        let category = cat.body["id"].as_str().unwrap().parse().unwrap();
        let item = CreateMenuItem {
            modifier_groups: vec![fixtures::group("Extra", 0, 1, &[("Extra shot", 5_000)])],
            ..fixtures::item(category, "Latte", LATTE)
        };
        let made = app.post("/api/v1/menu-items", Some(&t.token), item).await.expect(201);
        let latte = id(&made);
        let extra_shot = made.body["modifier_groups"][0]["options"][0]["id"].as_str().unwrap().parse().unwrap();
        let milk = ingredient(&app, &t.token, "Susu", "ml", 20).await;
        let coffee = ingredient(&app, &t.token, "Kopi", "g", 300).await;
        let cafe = Cafe { app, t, outlet, latte, extra_shot, milk, coffee };
        cafe.put_recipe(&format!("/api/v1/menu-items/{latte}/recipe"), &[(milk, 200), (coffee, 18)]).await.expect(200);
        cafe.put_recipe(&format!("/api/v1/menu-items/{latte}/options/{extra_shot}/recipe"), &[(coffee, 9)])
            .await
            .expect(200);
        cafe
    }

    pub(crate) async fn put_recipe(&self, path: &str, lines: &[(Uuid, i64)]) -> Reply {
        let lines: Vec<Value> = lines.iter().map(|(i, q)| json!({"ingredient_id": i, "qty": q})).collect();
        self.app.call(Method::PUT, path, Some(&self.t.token), Some(json!({ "lines": lines }))).await
    }

    pub(crate) async fn movement(&self, token: &str, outlet: Uuid, body: Value) -> Reply {
        self.app.post(&format!("/api/v1/outlets/{outlet}/stock-movements"), Some(token), body).await
    }

    pub(crate) async fn receive(&self, outlet: Uuid, ingredient: Uuid, qty: i64) -> Reply {
        let body =
            json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": ingredient, "kind": "receive", "qty": qty});
        self.movement(&self.t.token, outlet, body).await.expect(201)
    }

    pub(crate) async fn on_hand(&self, outlet: Uuid, ingredient: Uuid) -> i64 {
        let stock = self.app.get(&format!("/api/v1/outlets/{outlet}/stock"), &self.t.token).await.expect(200);
        let items = stock.body["items"].as_array().unwrap();
        let row = items.iter().find(|i| i["ingredient_id"] == json!(ingredient)).expect("listed");
        row["on_hand"].as_i64().unwrap()
    }

    /// Lattes sold now at the counter by the owner (`shots` with an extra shot).
    pub(crate) async fn sell(&self, qty: i32, shots: bool) -> Reply {
        let options = if shots { vec![self.extra_shot] } else { Vec::new() };
        let body = fixtures::counter_order(self.outlet, vec![fixtures::line_with(self.latte, qty, &options)]);
        self.app.post("/api/v1/orders", Some(&self.t.token), body).await
    }

    pub(crate) async fn available(&self) -> bool {
        let menu = self.app.get(&format!("/api/v1/outlets/{}/menu", self.outlet), &self.t.token).await.expect(200);
        let items: Vec<&Value> = menu.body["categories"]
            .as_array()
            .map(|cs| cs.iter().flat_map(|c| c["items"].as_array().unwrap().iter()).collect())
            .unwrap_or_default();
        let latte = items.iter().find(|i| i["id"] == json!(self.latte)).expect("latte on the menu");
        latte["available"].as_bool().unwrap()
    }

    async fn low_stock_mails(&self) -> i64 {
        let sql = "SELECT count(*)::bigint AS n FROM email_outbox WHERE kind = 'low_stock'";
        count(&self.app, self.t.tenant_id, sql, vec![]).await
    }
}

pub(crate) fn id(r: &Reply) -> Uuid {
    r.body["id"].as_str().unwrap_or_else(|| panic!("no id: {}", r.text)).parse().unwrap()
}

async fn ingredient(app: &TestApp, token: &str, name: &str, unit: &str, cost: i64) -> Uuid {
    let body = json!({"name": name, "unit": unit, "cost_per_unit_minor": cost});
    id(&app.post("/api/v1/ingredients", Some(token), body).await.expect(201))
}

#[tokio::test]
async fn a_sale_takes_its_recipe_and_its_options_recipes_in_its_own_transaction() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 1_000).await;
    c.receive(c.outlet, c.coffee, 100).await;
    let order: Order = c.sell(2, true).await.expect(201).json();
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 600, "2 x 200 ml");
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 100 - 2 * (18 + 9), "2 x (18 g + an extra 9 g)");
    let sales = "SELECT count(*)::bigint AS n FROM stock_movements WHERE kind = 'sale' AND order_id = $1";
    assert_eq!(count(&c.app, c.t.tenant_id, sales, vec![order.id.into()]).await, 2, "one row per ingredient");
    let costed = "SELECT count(*)::bigint AS n FROM stock_movements \
                  WHERE order_id = $1 AND ((ingredient_id = $2 AND qty = -400 AND unit_cost_minor = 20) \
                                        OR (ingredient_id = $3 AND qty = -54 AND unit_cost_minor = 300))";
    let values = vec![order.id.into(), c.milk.into(), c.coffee.into()];
    assert_eq!(count(&c.app, c.t.tenant_id, costed, values).await, 2, "signed, with the cost of the moment");
    // Without the option, only the item's own recipe.
    c.sell(1, false).await.expect(201);
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 46 - 18);
    // An item without a recipe moves nothing.
    let plain = pos_tests::plain_menu_item(&c.app, &c.t.token, "Air mineral", 5_000, None).await;
    let body = fixtures::counter_order(c.outlet, vec![fixtures::line(plain, 3)]);
    c.app.post("/api/v1/orders", Some(&c.t.token), body).await.expect(201);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 400);
    let recipe = c.app.get(&format!("/api/v1/menu-items/{}/recipe", c.latte), &c.t.token).await.expect(200);
    assert_eq!(recipe.body["lines"].as_array().unwrap().len(), 2);
    assert_eq!(recipe.body["options"][0]["option_id"], json!(c.extra_shot));
}

#[tokio::test]
async fn a_cancellation_before_it_was_made_and_a_refund_with_restock_put_stock_back() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 2_000).await;
    c.receive(c.outlet, c.coffee, 500).await;
    let cancelled: Order = c.sell(1, false).await.expect(201).json();
    let body = fixtures::status_because(OrderStatus::Cancelled, "Pelanggan batal");
    c.app.post(&format!("/api/v1/orders/{}/status", cancelled.id), Some(&c.t.token), body).await.expect(200);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 2_000, "not made: back in stock");

    // Made, then cancelled: the milk is gone.
    let made: Order = c.sell(1, false).await.expect(201).json();
    let to = |s| fixtures::status(s);
    let path = format!("/api/v1/orders/{}/status", made.id);
    c.app.post(&path, Some(&c.t.token), to(OrderStatus::Accepted)).await.expect(200);
    c.app.post(&path, Some(&c.t.token), to(OrderStatus::Preparing)).await.expect(200);
    let body = fixtures::status_because(OrderStatus::Cancelled, "Tumpah");
    c.app.post(&path, Some(&c.t.token), body).await.expect(200);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_800, "made: used up");

    // Paid, then refunded: only `restock` puts it back, and only once.
    let refunded: Order = c.sell(2, true).await.expect(201).json();
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_400);
    let paid = paying::pay(&c.app, &c.t.token, refunded.id, paying::card(refunded.total_minor)).await.expect(201);
    let payment = id(&paid);
    let refund = |amount, restock| CreateRefund {
        client_refund_id: Uuid::now_v7(),
        amount_minor: amount,
        reason: "Salah pesan".into(),
        approval: None,
        restock,
    };
    let path = format!("/api/v1/payments/{payment}/refunds");
    c.app.post(&path, Some(&c.t.token), refund(1_000, false)).await.expect(201);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_400, "a refund without restock moves nothing");
    c.app.post(&path, Some(&c.t.token), refund(1_000, true)).await.expect(201);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_800);
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 500 - 18, "the made-and-cancelled latte's coffee stays used");
    c.app.post(&path, Some(&c.t.token), refund(1_000, true)).await.expect(201);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_800, "never put back twice");
    let kinds = "SELECT count(*)::bigint AS n FROM stock_movements WHERE kind IN ('cancel', 'refund')";
    assert_eq!(count(&c.app, c.t.tenant_id, kinds, vec![]).await, 4, "cancel x2 ingredients, refund x2");
}

#[tokio::test]
async fn two_orders_racing_for_the_last_portion_one_is_sold_out_and_offline_ones_go_negative_flagged() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 300).await;
    c.receive(c.outlet, c.coffee, 1_000).await;
    let (a, b) = tokio::join!(c.sell(1, false), c.sell(1, false));
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 422], "{} / {}", a.text, b.text);
    let refused = if a.status == 422 { &a } else { &b };
    assert_eq!(field_code(refused, "items[0].menu_item_id"), "item_sold_out");
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 100, "only one portion taken");
    // Stock is taken after the order is stored: a refusal rolls it all back.
    let orders = "SELECT count(*)::bigint AS n FROM orders";
    assert_eq!(count(&c.app, c.t.tenant_id, orders, vec![]).await, 1, "the refused order is not kept");
    let sales = "SELECT count(*)::bigint AS n FROM stock_movements WHERE kind = 'sale'";
    assert_eq!(count(&c.app, c.t.tenant_id, sales, vec![]).await, 2, "milk and coffee, once");

    // A kiosk that took an order offline: kept, flagged, stock negative.
    let (device, kiosk) = c.app.pair_device(&c.t.token, c.outlet, "kiosk").await;
    let offline = fixtures::order(c.outlet, Channel::Kiosk, vec![fixtures::line(c.latte, 1)]);
    let pushed = c.app.post("/api/v1/sync/push", Some(&kiosk), fixtures::push(device, [offline])).await.expect(200);
    let result = &pushed.body["results"][0];
    assert_eq!(result["outcome"], "created", "{}", pushed.text);
    let flags: Vec<&str> = result["order"]["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(flags.contains(&"stock_short"), "{flags:?}");
    let stored: Order = c
        .app
        .get(&format!("/api/v1/orders/{}", result["order"]["id"].as_str().unwrap()), &c.t.token)
        .await
        .expect(200)
        .json();
    assert!(stored.flags.iter().any(|f| f == "stock_short"), "stored flagged too: {:?}", stored.flags);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, -100, "negative, visibly");
}

#[tokio::test]
async fn a_stock_out_takes_the_item_off_live_and_a_delivery_brings_it_back() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 250).await;
    c.receive(c.outlet, c.coffee, 1_000).await;
    assert!(c.available().await);
    let url = c.app.url(&format!("/api/v1/outlets/{}/events", c.outlet));
    let mut stream = SseClient::connect(&url, &c.t.token, None).await;
    c.sell(1, false).await.expect(201);
    let gone = wait_for_availability(&mut stream, c.latte).await;
    assert_eq!(gone["available"], false, "50 ml cannot make another latte");
    assert!(!c.available().await);
    // A customer ordering now hears it at once.
    let r = c.sell(1, false).await.expect(422);
    assert_eq!(field_code(&r, "items[0].menu_item_id"), "item_sold_out");

    c.receive(c.outlet, c.milk, 1_000).await;
    let back = wait_for_availability(&mut stream, c.latte).await;
    assert_eq!(back["available"], true);
    assert!(c.available().await);

    // Out again; then a manager 86es it by hand: that 86 stays when stock comes in.
    c.sell(5, false).await.expect(201);
    assert_eq!(wait_for_availability(&mut stream, c.latte).await["available"], false, "50 ml left");
    let path = format!("/api/v1/outlets/{}/menu-items/{}", c.outlet, c.latte);
    c.app.patch(&path, &c.t.token, fixtures::availability(false)).await.expect(200);
    c.receive(c.outlet, c.milk, 1_000).await;
    assert!(!c.available().await, "the manager's 86 wins");
}

pub(crate) async fn wait_for_availability(stream: &mut SseClient, item: Uuid) -> Value {
    loop {
        let e = stream.next(Duration::from_secs(5)).await.expect("an availability event within 5 s");
        if e.event == "menu.availability_changed" && e.data["item_id"] == json!(item) {
            return e.data;
        }
    }
}

#[tokio::test]
async fn a_transfer_goes_out_of_one_outlet_and_into_the_other_once() {
    let c = Cafe::open().await;
    let kemang = c.app.create_outlet(&c.t.token, "Kemang").await;
    let (_, kemang_cashier) = c.app.create_staff(&c.t.token, "cashier", &[kemang]).await;
    let (_, sabang_manager) = c.app.create_staff(&c.t.token, "manager", &[c.outlet]).await;
    c.receive(c.outlet, c.milk, 1_000).await;
    let out = |qty, to: Uuid| json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": "transfer_out", "qty": qty, "to_outlet_id": to});
    let r = c.movement(&sabang_manager, c.outlet, out(5_000, kemang)).await.expect(422);
    assert_eq!(field_code(&r, "qty"), "stock_insufficient");
    let r = c.movement(&sabang_manager, c.outlet, out(10, c.outlet)).await.expect(422);
    assert_eq!(field_code(&r, "to_outlet_id"), "transfer_same_outlet");
    let r = c.movement(&sabang_manager, c.outlet, out(10, Uuid::now_v7())).await.expect(422);
    assert_eq!(field_code(&r, "to_outlet_id"), "outlet_not_found");
    // The manager of the sending outlet need not work at the receiving one.
    let sent = c.movement(&sabang_manager, c.outlet, out(300, kemang)).await.expect(201);
    assert_eq!(sent.body["qty"], -300);
    let transfer: Uuid = sent.body["transfer_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 700);
    assert_eq!(c.on_hand(kemang, c.milk).await, 0, "in transit");
    let waiting = c.app.get(&format!("/api/v1/outlets/{kemang}/stock"), &kemang_cashier).await.expect(200);
    assert_eq!(waiting.body["incoming_transfers"][0]["id"], json!(transfer));
    assert_eq!(waiting.body["incoming_transfers"][0]["qty"], 300);

    let inn = |qty: Option<i64>| json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": "transfer_in", "transfer_id": transfer, "qty": qty});
    // Not at the sending outlet, and not more than was sent.
    let r = c.movement(&c.t.token, c.outlet, inn(None)).await.expect(422);
    assert_eq!(field_code(&r, "transfer_id"), "transfer_unknown");
    let r = c.movement(&kemang_cashier, kemang, inn(Some(301))).await.expect(422);
    assert_eq!(field_code(&r, "qty"), "transfer_qty_exceeded");
    let received = c.movement(&kemang_cashier, kemang, inn(None)).await.expect(201);
    assert_eq!(received.body["qty"], 300);
    assert_eq!(c.on_hand(kemang, c.milk).await, 300);
    let again = c.movement(&kemang_cashier, kemang, inn(None)).await.expect(409);
    assert_eq!(code(&again), "transfer_already_received");
    assert_eq!(c.on_hand(kemang, c.milk).await, 300);
    let after = c.app.get(&format!("/api/v1/outlets/{kemang}/stock"), &kemang_cashier).await.expect(200);
    assert_eq!(after.body["incoming_transfers"], json!([]));
}

#[tokio::test]
async fn a_count_records_the_counted_quantity_and_its_variance() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 1_000).await;
    c.receive(c.outlet, c.coffee, 1_000).await;
    c.sell(2, false).await.expect(201);
    let body = json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": "count", "qty": 550, "note": "Opname malam"});
    let counted = c.movement(&c.t.token, c.outlet, body).await.expect(201);
    assert_eq!(counted.body["counted"], 550);
    assert_eq!(counted.body["variance"], -50, "600 expected, 550 counted");
    assert_eq!(counted.body["qty"], -50);
    assert_eq!(counted.body["on_hand_after"], 550);
    assert_eq!(counted.body["note"], "Opname malam");
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 550);
    // A count that matches is recorded too, with no variance.
    let body = json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": "count", "qty": 550});
    let same = c.movement(&c.t.token, c.outlet, body).await.expect(201);
    assert_eq!(same.body["variance"], 0);
}

#[tokio::test]
async fn a_movement_is_recorded_exactly_once_per_client_movement_id() {
    let c = Cafe::open().await;
    let key = Uuid::now_v7();
    let body = |qty| json!({"client_movement_id": key, "ingredient_id": c.milk, "kind": "receive", "qty": qty, "note": "PT Susu"});
    let first = c.movement(&c.t.token, c.outlet, body(1_000)).await.expect(201);
    let replay = c.movement(&c.t.token, c.outlet, body(1_000)).await.expect(200);
    assert_eq!(replay.body["id"], first.body["id"]);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_000);
    let r = c.movement(&c.t.token, c.outlet, body(999)).await.expect(409);
    assert_eq!(code(&r), "client_stock_movement_id_reused");
    // Two replays at once still make one movement.
    let (a, b) = tokio::join!(
        c.movement(
            &c.t.token,
            c.outlet,
            json!({"client_movement_id": Uuid::nil(), "ingredient_id": c.coffee, "kind": "receive", "qty": 5})
        ),
        c.movement(
            &c.t.token,
            c.outlet,
            json!({"client_movement_id": Uuid::nil(), "ingredient_id": c.coffee, "kind": "receive", "qty": 5})
        ),
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 201]);
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 5);
}

#[tokio::test]
async fn who_may_record_what_and_devices_may_not_touch_stock() {
    let c = Cafe::open().await;
    let (_, cashier) = c.app.create_staff(&c.t.token, "cashier", &[c.outlet]).await;
    let (_, kiosk) = c.app.pair_device(&c.t.token, c.outlet, "kiosk").await;
    let (_, kds) = c.app.pair_device(&c.t.token, c.outlet, "kds").await;
    let body = |kind: &str, qty: i64| json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": kind, "qty": qty});
    for device in [&kiosk, &kds] {
        c.movement(device, c.outlet, body("receive", 1_000_000)).await.expect(403);
        c.app.get(&format!("/api/v1/outlets/{}/stock", c.outlet), device).await.expect(403);
        c.app.get("/api/v1/ingredients", device).await.expect(403);
    }
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 0, "nothing a device sent moved stock");
    // A cashier takes deliveries and records waste; counts are for managers.
    c.movement(&cashier, c.outlet, body("receive", 500)).await.expect(201);
    c.movement(&cashier, c.outlet, body("waste", 100)).await.expect(201);
    let r = c.movement(&cashier, c.outlet, body("waste", 401)).await.expect(422);
    assert_eq!(field_code(&r, "qty"), "stock_insufficient");
    c.movement(&cashier, c.outlet, body("count", 0)).await.expect(403);
    c.app.post("/api/v1/ingredients", Some(&cashier), json!({"name": "Gula", "unit": "g"})).await.expect(403);
    let path = format!("/api/v1/menu-items/{}/recipe", c.latte);
    c.app.call(Method::PUT, &path, Some(&cashier), Some(json!({"lines": []}))).await.expect(403);
    // Sales are the server's own movements.
    let r = c.movement(&c.t.token, c.outlet, body("sale", 1)).await.expect(422);
    assert_eq!(field_code(&r, "kind"), "stock_movement_kind_invalid");
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 400);
}

#[tokio::test]
async fn low_stock_mails_the_managers_once_per_downward_crossing() {
    let c = Cafe::open().await;
    let path = format!("/api/v1/outlets/{}/stock/{}/threshold", c.outlet, c.milk);
    let level = c.app.call(Method::PUT, &path, Some(&c.t.token), Some(json!({"low_stock_threshold": 500}))).await;
    assert_eq!(level.expect(200).body["low_stock_threshold"], 500);
    c.receive(c.outlet, c.milk, 1_000).await;
    c.receive(c.outlet, c.coffee, 1_000).await;
    c.sell(2, false).await.expect(201);
    assert_eq!(c.low_stock_mails().await, 0, "600 ml is above 500");
    c.sell(1, false).await.expect(201);
    assert_eq!(c.low_stock_mails().await, 1, "400 ml: one mail to the owner");
    let stock = c.app.get(&format!("/api/v1/outlets/{}/stock", c.outlet), &c.t.token).await.expect(200);
    let milk = stock.body["items"].as_array().unwrap().iter().find(|i| i["ingredient_id"] == json!(c.milk)).cloned();
    assert_eq!(milk.unwrap()["low"], true, "the admin shows it");
    c.sell(1, false).await.expect(201);
    assert_eq!(c.low_stock_mails().await, 1, "still low: no second mail");
    c.receive(c.outlet, c.milk, 1_000).await;
    c.sell(5, false).await.expect(201);
    assert_eq!(c.low_stock_mails().await, 2, "back above, then down again: a new mail");
}

#[tokio::test]
async fn ingredients_and_recipes_are_checked() {
    let c = Cafe::open().await;
    let r = c.app.post("/api/v1/ingredients", Some(&c.t.token), json!({"name": " susu ", "unit": "ml"})).await;
    assert_eq!(field_code(&r.expect(422), "name"), "ingredient_name_taken");
    let r = c.app.post("/api/v1/ingredients", Some(&c.t.token), json!({"name": "Gula", "unit": "kg"})).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let path = format!("/api/v1/menu-items/{}/recipe", c.latte);
    let r = c.put_recipe(&path, &[(Uuid::now_v7(), 5)]).await.expect(422);
    assert_eq!(field_code(&r, "lines[0].ingredient_id"), "ingredient_unknown");
    let r = c.put_recipe(&path, &[(c.milk, 0)]).await.expect(422);
    assert!(r.body["errors"]["lines[0].qty"].is_array(), "{}", r.text);
    c.put_recipe(&format!("/api/v1/menu-items/{}/options/{}/recipe", c.latte, Uuid::now_v7()), &[(c.milk, 1)])
        .await
        .expect(404);
    let r = c.app.delete(&format!("/api/v1/ingredients/{}", c.milk), &c.t.token).await.expect(409);
    assert_eq!(code(&r), "ingredient_in_recipes");
    let gula = ingredient(&c.app, &c.t.token, "Gula", "g", 15).await;
    let path = format!("/api/v1/ingredients/{gula}");
    let renamed = c.app.patch(&path, &c.t.token, json!({"cost_per_unit_minor": 16})).await.expect(200);
    assert_eq!(renamed.body["cost_per_unit_minor"], 16);
    c.app.delete(&format!("/api/v1/ingredients/{gula}"), &c.t.token).await.expect(204);
    c.app.get(&format!("/api/v1/ingredients/{gula}"), &c.t.token).await.expect(404);
}
