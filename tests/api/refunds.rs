//! Staff PINs, manager approvals, refunds and voids: who may, how much,
//! exactly once, and what the audit log keeps.
//!
//! Payments are made through the payments API; a QRIS payment that no
//! gateway can be asked about (this server has none) is stored through SQL.

use std::time::Duration;

use pos_tests::{Tenant, TestApp, fixtures, paying, plain_menu_item};
use pos_wire::{Approval, CreateRefund, OrderStatus, UpdateUser, VoidOrder};
use serde_json::{Value, json};
use uuid::Uuid;

pub const MANAGER_PIN: &str = "482193";

/// A brand with outlets A and B, an item of Rp 25.000 (10 % tax), and staff.
pub struct Shop {
    pub app: TestApp,
    pub t: Tenant,
    pub a: Uuid,
    pub b: Uuid,
    pub item: Uuid,
    /// Manager of A, PIN set.
    pub manager: (Uuid, String),
    pub cashier: (Uuid, String),
}

impl Shop {
    pub async fn open() -> Shop {
        let app = TestApp::spawn().await;
        let t = app.signup().await;
        let a = app.create_outlet(&t.token, "A").await;
        let b = app.create_outlet(&t.token, "B").await;
        let item = plain_menu_item(&app, &t.token, "Nasi Goreng", 25_000, Some("kitchen")).await;
        let manager = app.create_staff(&t.token, "manager", &[a]).await;
        set_pin(&app, &t.token, manager.0, MANAGER_PIN).await;
        let cashier = app.create_staff(&t.token, "cashier", &[a]).await;
        Shop { app, t, a, b, item, manager, cashier }
    }

    /// A counter order at `outlet`, placed by the owner; (id, total).
    pub async fn order(&self, outlet: Uuid) -> (Uuid, i64) {
        let body = fixtures::counter_order(outlet, vec![fixtures::line(self.item, 1)]);
        let r = self.app.post("/api/v1/orders", Some(&self.t.token), body).await.expect(201);
        (r.body["id"].as_str().unwrap().parse().unwrap(), r.body["total_minor"].as_i64().unwrap())
    }

    /// An order at A paid in full by the cashier with one payment of `method` (`cash` or `card`); (order, payment, amount).
    pub async fn paid_order(&self, method: &str) -> (Uuid, Uuid, i64) {
        let (order, total) = self.order(self.a).await;
        let body = match method {
            "cash" => paying::cash(total, None),
            "card" => paying::card(total),
            other => panic!("{other} is paid through the gateway"),
        };
        let r = paying::pay(&self.app, &self.cashier.1, order, body).await.expect(201);
        (order, r.body["id"].as_str().unwrap().parse().unwrap(), total)
    }

    pub async fn refund(&self, token: &str, payment: Uuid, body: &CreateRefund) -> pos_tests::Reply {
        self.app.post(&format!("/api/v1/payments/{payment}/refunds"), Some(token), body).await
    }
}

pub async fn set_pin(app: &TestApp, token: &str, user: Uuid, pin: &str) {
    app.patch(&format!("/api/v1/users/{user}"), token, UpdateUser { pin: Some(pin.into()), ..Default::default() })
        .await
        .expect(200);
}

pub fn refund(amount: i64, approval: Option<(Uuid, &str)>) -> CreateRefund {
    CreateRefund {
        client_refund_id: Uuid::now_v7(),
        amount_minor: amount,
        reason: "Pesanan salah".into(),
        approval: approval.map(|(approver_id, pin)| Approval { approver_id, pin: pin.into() }),
        restock: false,
    }
}

fn code(r: &pos_tests::Reply) -> &str {
    r.body["code"].as_str().unwrap_or_default()
}

/// A QRIS payment stored as the payments API would store it, with the
/// order's money updated to match (`status` `paid` counts on the order), for
/// a server without a gateway to take it.
pub async fn record_payment(app: &TestApp, tenant: Uuid, order: Uuid, method: &str, status: &str, amount: i64) -> Uuid {
    let tx = app.tenant_tx(tenant).await;
    let id = Uuid::now_v7();
    let card = (method == "card").then_some("A1B2C3");
    let gateway_order_id = (method == "qris").then(|| format!("t-{id}"));
    tx.execute(
        "INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, method, status, \
                               amount_minor, tendered_minor, change_minor, card_approval_code, card_last4, card_brand, \
                               gateway, gateway_order_id, paid_at) \
         SELECT o.tenant_id, $2, o.outlet_id, o.id, $3, '\\x00', $4, $5, $6, \
                CASE WHEN $4 = 'cash' THEN $6 END, CASE WHEN $4 = 'cash' THEN 0 END, \
                $7, CASE WHEN $4 = 'card' THEN '4242' END, CASE WHEN $4 = 'card' THEN 'visa' END, \
                CASE WHEN $4 = 'qris' THEN 'midtrans' END, $8, CASE WHEN $5 = 'paid' THEN now() END \
           FROM orders o WHERE o.id = $1",
        [
            order.into(),
            id.into(),
            Uuid::now_v7().into(),
            method.into(),
            status.into(),
            amount.into(),
            card.map(str::to_string).into(),
            gateway_order_id.into(),
        ],
    )
    .await
    .unwrap();
    if status == "paid" {
        tx.execute(
            "UPDATE orders SET paid_minor = paid_minor + $2, paid_at = now(), \
                    payment_status = CASE WHEN paid_minor + $2 >= total_minor THEN 'paid' ELSE 'partially_paid' END \
              WHERE id = $1",
            [order.into(), amount.into()],
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    id
}

async fn audit_rows(app: &TestApp, tenant: Uuid, action: &str) -> Vec<(Option<Uuid>, Value)> {
    let tx = app.tenant_tx(tenant).await;
    let rows = tx
        .query_raw(
            "SELECT actor_id, coalesce(after, 'null'::jsonb) AS after FROM audit_log WHERE action = $1 ORDER BY id",
            [action.into()],
        )
        .await
        .unwrap();
    rows.iter().map(|r| (r.try_get("", "actor_id").unwrap(), r.try_get("", "after").unwrap())).collect()
}

async fn order_money(app: &TestApp, token: &str, order: Uuid) -> (String, i64, i64) {
    let o = app.get(&format!("/api/v1/orders/{order}"), token).await.expect(200).body;
    (
        o["payment_status"].as_str().unwrap().into(),
        o["paid_minor"].as_i64().unwrap(),
        o["refunded_minor"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn pins_are_four_to_six_digits_hashed_and_never_shown() {
    let s = Shop::open().await;
    let (cashier_id, cashier) = &s.cashier;
    let user = s.app.get(&format!("/api/v1/users/{}", s.manager.0), &s.t.token).await.expect(200);
    assert_eq!(user.body["has_pin"], true);
    assert!(user.text.find(MANAGER_PIN).is_none() && user.body.get("pin_hash").is_none());

    for bad in ["123", "1234567", "12a4", " 1234"] {
        let body = UpdateUser { pin: Some(bad.into()), ..Default::default() };
        let r = s.app.patch(&format!("/api/v1/users/{cashier_id}"), &s.t.token, body).await.expect(422);
        assert_eq!(r.body["error_codes"]["pin"][0]["code"], "pin_format", "{bad}");
    }
    // Staff set their own PIN; a cashier sets nobody else's.
    let mine = UpdateUser { pin: Some("0007".into()), ..Default::default() };
    let r = s.app.patch(&format!("/api/v1/users/{cashier_id}"), cashier, &mine).await.expect(200);
    assert_eq!(r.body["has_pin"], true);
    s.app.patch(&format!("/api/v1/users/{}", s.manager.0), cashier, &mine).await.expect(403);
    let more = UpdateUser { pin: Some("0008".into()), name: Some("Me".into()), ..Default::default() };
    s.app.patch(&format!("/api/v1/users/{cashier_id}"), cashier, &more).await.expect(403);
    // The manager sets their own too.
    let r = s.app.patch(&format!("/api/v1/users/{}", s.manager.0), &s.manager.1, &mine).await.expect(200);
    assert_eq!(r.body["has_pin"], true);
    set_pin(&s.app, &s.t.token, s.manager.0, MANAGER_PIN).await;

    // Stored as a salted argon2id hash; the audit log says a PIN was set, never which.
    let tx = s.app.tenant_tx(s.t.tenant_id).await;
    let rows = tx
        .query_raw("SELECT pin_hash FROM users WHERE id = ANY($1)", [vec![s.manager.0, *cashier_id].into()])
        .await
        .unwrap();
    let hashes: Vec<String> = rows.iter().map(|r| r.try_get("", "pin_hash").unwrap()).collect();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert!(h.starts_with("$argon2id$") && !h.contains(MANAGER_PIN) && !h.contains("0007"), "{h}");
    }
    let audit = tx.query_raw("SELECT count(*) AS n FROM audit_log WHERE action = 'user.pin_set'", []).await.unwrap();
    assert_eq!(audit[0].try_get::<i64>("", "n").unwrap(), 4);
    let leaked = tx
        .query_raw(
            "SELECT count(*) AS n FROM audit_log WHERE coalesce(before::text, '') || coalesce(after::text, '') ~ $1",
            [format!("{MANAGER_PIN}|0007|pin_hash|argon2").into()],
        )
        .await
        .unwrap();
    assert_eq!(leaked[0].try_get::<i64>("", "n").unwrap(), 0);
}

#[tokio::test]
async fn cashiers_refund_only_with_a_managers_pin_of_that_outlet() {
    let s = Shop::open().await;
    let (_, payment, _) = s.paid_order("cash").await;
    let cashier = &s.cashier.1;

    let r = s.refund(cashier, payment, &refund(1_000, None)).await.expect(403);
    assert_eq!(code(&r), "approval_required");
    let r = s.refund(cashier, payment, &refund(1_000, Some((s.manager.0, "000000")))).await.expect(403);
    assert_eq!(code(&r), "approval_pin_wrong");
    let r = s.refund(cashier, payment, &refund(1_000, Some((s.manager.0, "12")))).await.expect(422);
    assert!(r.body["errors"]["approval.pin"].is_array(), "{}", r.text);

    // A manager of another outlet, another cashier, a manager without a PIN, a stranger: not approvers here.
    let (b_manager, _) = s.app.create_staff(&s.t.token, "manager", &[s.b]).await;
    set_pin(&s.app, &s.t.token, b_manager, "1111").await;
    let (other_cashier, _) = s.app.create_staff(&s.t.token, "cashier", &[s.a]).await;
    set_pin(&s.app, &s.t.token, other_cashier, "2222").await;
    let (no_pin, _) = s.app.create_staff(&s.t.token, "manager", &[s.a]).await;
    let stranger = s.app.signup().await.owner_id;
    for (who, pin) in [(b_manager, "1111"), (other_cashier, "2222"), (no_pin, "3333"), (stranger, "4444")] {
        let r = s.refund(cashier, payment, &refund(1_000, Some((who, pin)))).await.expect(403);
        assert_eq!(code(&r), "approver_not_allowed");
    }
    // A deactivated manager approves nothing.
    let (gone, _) = s.app.create_staff(&s.t.token, "manager", &[s.a]).await;
    set_pin(&s.app, &s.t.token, gone, "5555").await;
    s.app.patch(&format!("/api/v1/users/{gone}"), &s.t.token, fixtures::user_active(false)).await.expect(200);
    let r = s.refund(cashier, payment, &refund(1_000, Some((gone, "5555")))).await.expect(403);
    assert_eq!(code(&r), "approver_not_allowed");

    // Kitchen staff and devices never refund.
    let (_, cook) = s.app.create_staff(&s.t.token, "kitchen", &[s.a]).await;
    s.refund(&cook, payment, &refund(1_000, Some((s.manager.0, MANAGER_PIN)))).await.expect(403);
    for kind in ["kiosk", "kds"] {
        let (_, device) = s.app.pair_device(&s.t.token, s.a, kind).await;
        s.refund(&device, payment, &refund(1_000, None)).await.expect(403);
    }
    // Nothing was refunded by any of that.
    assert_eq!(audit_rows(&s.app, s.t.tenant_id, "refund.create").await.len(), 0);

    // The right PIN of the outlet's manager, or the owner's: recorded with the approver.
    let r = s.refund(cashier, payment, &refund(1_000, Some((s.manager.0, MANAGER_PIN)))).await.expect(201);
    assert_eq!(r.body["approved_by"], s.manager.0.to_string());
    assert_eq!(r.body["user_id"], s.cashier.0.to_string());
    assert_eq!(r.body["status"], "succeeded");
    set_pin(&s.app, &s.t.token, s.t.owner_id, "9090").await;
    let r = s.refund(cashier, payment, &refund(1_000, Some((s.t.owner_id, "9090")))).await.expect(201);
    assert_eq!(r.body["approved_by"], s.t.owner_id.to_string());
    // Managers and owners refund on their own.
    let r = s.refund(&s.manager.1, payment, &refund(1_000, None)).await.expect(201);
    assert!(r.body["approved_by"].is_null());
    s.refund(&s.t.token, payment, &refund(1_000, None)).await.expect(201);

    let approvals = audit_rows(&s.app, s.t.tenant_id, "approval.grant").await;
    assert_eq!(approvals.len(), 2);
    assert_eq!(approvals[0].0, Some(s.cashier.0), "the actor is the cashier");
    assert_eq!(approvals[0].1["approved_by"], s.manager.0.to_string());
    assert_eq!(approvals[0].1["action"], "refund");
    let refunds = audit_rows(&s.app, s.t.tenant_id, "refund.create").await;
    assert_eq!(refunds.len(), 4);
    assert_eq!(refunds[0].1["approved_by"], s.manager.0.to_string());
    assert_eq!(refunds[0].1["amount_minor"], 1_000);
}

#[tokio::test]
async fn wrong_pins_are_limited_per_approver() {
    let s = Shop::open().await;
    let (_, payment, _) = s.paid_order("card").await;
    let cashier = &s.cashier.1;
    for _ in 0..5 {
        s.refund(cashier, payment, &refund(500, Some((s.manager.0, "999999")))).await.expect(403);
    }
    // Out of guesses: even the right PIN waits for the window to end.
    let r = s.refund(cashier, payment, &refund(500, Some((s.manager.0, MANAGER_PIN)))).await.expect(429);
    assert!(r.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|secs| secs > 0));
    // Only this cashier is locked out of this manager's approvals: another
    // cashier still asks them (the manager is not locked out of the shop).
    let (_, other_cashier) = s.app.create_staff(&s.t.token, "cashier", &[s.a]).await;
    s.refund(&other_cashier, payment, &refund(500, Some((s.manager.0, MANAGER_PIN)))).await.expect(201);
    // But not without end: everyone together has 20 wrong PINs per manager.
    let mut refused = Vec::new();
    for _ in 0..6 {
        let (_, c) = s.app.create_staff(&s.t.token, "cashier", &[s.a]).await;
        for _ in 0..5 {
            refused.push(s.refund(&c, payment, &refund(500, Some((s.manager.0, "999999")))).await.status.as_u16());
        }
    }
    assert_eq!(refused.iter().filter(|s| **s == 403).count(), 15, "{refused:?}");
    assert!(refused.iter().skip(15).all(|s| *s == 429), "{refused:?}");
    // Another approver is not affected; a right PIN does not use up the limit.
    let (other, _) = s.app.create_staff(&s.t.token, "manager", &[s.a]).await;
    set_pin(&s.app, &s.t.token, other, "2468").await;
    for _ in 0..7 {
        s.refund(cashier, payment, &refund(100, Some((other, "2468")))).await.expect(201);
    }
}

#[tokio::test]
async fn never_more_than_was_paid_and_exactly_once() {
    let s = Shop::open().await;
    let (order, payment, amount) = s.paid_order("cash").await;
    let owner = &s.t.token;
    let (status, paid, _) = order_money(&s.app, owner, order).await;
    assert_eq!((status.as_str(), paid), ("paid", amount));

    let first = refund(10_000, None);
    let r = s.refund(owner, payment, &first).await.expect(201);
    let refund_id = r.body["id"].clone();
    assert_eq!(order_money(&s.app, owner, order).await, ("partially_refunded".into(), amount, 10_000));
    // The same request again: the same refund, nothing more.
    let again = s.refund(owner, payment, &first).await.expect(200);
    assert_eq!(again.body["id"], refund_id);
    // The same id with other content: 409.
    let other = CreateRefund { amount_minor: 9_000, ..first.clone() };
    assert_eq!(code(&s.refund(owner, payment, &other).await.expect(409)), "client_refund_id_reused");
    // The same id for another payment: 409.
    let (_, payment2, _) = s.paid_order("cash").await;
    s.refund(owner, payment2, &first).await.expect(409);

    let left = amount - 10_000;
    let r = s.refund(owner, payment, &refund(left + 1, None)).await.expect(422);
    assert_eq!(r.body["error_codes"]["amount_minor"][0]["code"], "refund_exceeds_payment");
    assert_eq!(r.body["error_codes"]["amount_minor"][0]["params"]["max"], left);
    for bad in [
        json!({"client_refund_id": Uuid::now_v7(), "amount_minor": 0, "reason": "x"}),
        json!({"client_refund_id": Uuid::now_v7(), "amount_minor": 10, "reason": " "}),
        json!({"client_refund_id": Uuid::now_v7(), "amount_minor": 10, "reason": "x", "pan": "4111"}),
    ] {
        s.app.post(&format!("/api/v1/payments/{payment}/refunds"), Some(owner), bad).await.expect(422);
    }
    s.refund(owner, payment, &refund(left, None)).await.expect(201);
    assert_eq!(order_money(&s.app, owner, order).await, ("refunded".into(), amount, amount));
    let r = s.refund(owner, payment, &refund(1, None)).await.expect(422);
    assert_eq!(r.body["error_codes"]["amount_minor"][0]["params"]["max"], 0);

    // A QR code still pending, and a payment that does not exist.
    let (order3, _) = s.order(s.a).await;
    let pending = record_payment(&s.app, s.t.tenant_id, order3, "qris", "pending", 1_000).await;
    assert_eq!(code(&s.refund(owner, pending, &refund(100, None)).await.expect(409)), "payment_not_refundable");
    s.refund(owner, Uuid::now_v7(), &refund(100, None)).await.expect(404);
}

#[tokio::test]
async fn concurrent_refunds_never_exceed_the_payment() {
    let s = Shop::open().await;
    let (order, payment, amount) = s.paid_order("card").await;
    let each = 3_000;
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (base, token) = (s.app.base.clone(), s.t.token.clone());
            tokio::spawn(async move {
                reqwest::Client::new()
                    .post(format!("{base}/api/v1/payments/{payment}/refunds"))
                    .bearer_auth(token)
                    .json(&refund(each, None))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let granted = statuses.iter().filter(|&&st| st == 201).count() as i64;
    assert_eq!(granted, amount / each, "{statuses:?}");
    assert!(statuses.iter().all(|&st| st == 201 || st == 422), "{statuses:?}");
    let (status, _, refunded) = order_money(&s.app, &s.t.token, order).await;
    assert_eq!((status.as_str(), refunded), ("partially_refunded", granted * each));
    let tx = s.app.tenant_tx(s.t.tenant_id).await;
    let rows = tx
        .query_raw(
            "SELECT p.refunded_minor, (SELECT sum(amount_minor) FROM refunds r WHERE r.payment_id = p.id)::bigint AS total \
               FROM payments p WHERE p.id = $1",
            [payment.into()],
        )
        .await
        .unwrap();
    let (on_payment, summed): (i64, i64) =
        (rows[0].try_get("", "refunded_minor").unwrap(), rows[0].try_get("", "total").unwrap());
    assert_eq!((on_payment, summed), (granted * each, granted * each));
}

#[tokio::test]
async fn refunds_reach_staff_streams_only() {
    let s = Shop::open().await;
    let (order, payment, _) = s.paid_order("cash").await;
    let url = s.app.url(&format!("/api/v1/outlets/{}/events", s.a));
    let mut staff = pos_tests::SseClient::connect(&url, &s.manager.1, None).await;
    let (_, kiosk) = s.app.pair_device(&s.t.token, s.a, "kiosk").await;
    let mut kiosk = pos_tests::SseClient::connect(&url, &kiosk, None).await;
    s.refund(&s.t.token, payment, &refund(2_500, None)).await.expect(201);
    let seen = staff.drain(Duration::from_secs(2)).await;
    let e = seen.iter().find(|e| e.event == "refund.updated").expect("refund.updated");
    assert_eq!(e.data["order_id"], order.to_string());
    assert_eq!(e.data["refund"]["amount_minor"], 2_500);
    assert_eq!(e.data["payment_status"], "partially_refunded");
    assert!(kiosk.drain(Duration::from_millis(500)).await.iter().all(|e| e.event != "refund.updated"));
}

#[tokio::test]
async fn a_qris_refund_waits_for_the_gateway_and_asks_again() {
    // No gateway is configured in this server: the refund stays pending,
    // its amount reserved, and the same request asks again.
    let s = Shop::open().await;
    let (order, total) = s.order(s.a).await;
    let payment = record_payment(&s.app, s.t.tenant_id, order, "qris", "paid", total).await;
    let body = refund(5_000, None);
    let r = s.refund(&s.t.token, payment, &body).await.expect(503);
    assert_eq!(code(&r), "refund_gateway_unavailable");
    assert!(r.header("retry-after").is_some());
    let r = s.refund(&s.t.token, payment, &refund(total, None)).await.expect(422);
    assert_eq!(
        r.body["error_codes"]["amount_minor"][0]["params"]["max"],
        total - 5_000,
        "the pending amount is reserved"
    );
    s.refund(&s.t.token, payment, &body).await.expect(503);
    let (status, _, refunded) = order_money(&s.app, &s.t.token, order).await;
    assert_eq!((status.as_str(), refunded), ("paid", 0), "nothing counts until the gateway says so");
}

fn void(reason: &str, approval: Option<(Uuid, &str)>) -> VoidOrder {
    VoidOrder {
        reason: reason.into(),
        approval: approval.map(|(approver_id, pin)| Approval { approver_id, pin: pin.into() }),
    }
}

async fn open_tickets(s: &Shop, order: Uuid) -> usize {
    let r = s.app.get(&format!("/api/v1/outlets/{}/tickets", s.a), &s.t.token).await.expect(200);
    r.body.as_array().unwrap().iter().filter(|t| t["order_id"] == order.to_string()).count()
}

#[tokio::test]
async fn voids_cancel_unpaid_orders_with_approval() {
    let s = Shop::open().await;
    let cashier = &s.cashier.1;
    let path = |id: Uuid| format!("/api/v1/orders/{id}/void");

    let (order, _) = s.order(s.a).await;
    assert_eq!(open_tickets(&s, order).await, 1);
    let r = s.app.post(&path(order), Some(cashier), void("customer left", None)).await.expect(403);
    assert_eq!(code(&r), "approval_required");
    // Nor may a cashier cancel through the lifecycle instead.
    let r = s
        .app
        .post(
            &format!("/api/v1/orders/{order}/status"),
            Some(cashier),
            fixtures::status_because(OrderStatus::Cancelled, "customer left"),
        )
        .await
        .expect(403);
    assert_eq!(code(&r), "approval_required");
    s.app.post(&path(order), Some(cashier), void(" ", Some((s.manager.0, MANAGER_PIN)))).await.expect(422);
    let (_, kiosk) = s.app.pair_device(&s.t.token, s.a, "kiosk").await;
    s.app.post(&path(order), Some(&kiosk), void("x", None)).await.expect(403);
    let (_, kds) = s.app.pair_device(&s.t.token, s.a, "kds").await;
    s.app.post(&path(order), Some(&kds), void("x", None)).await.expect(403);

    let r = s.app.post(&path(order), Some(cashier), void("customer left", Some((s.manager.0, MANAGER_PIN)))).await;
    let r = r.expect(200);
    assert_eq!((r.body["status"].as_str(), r.body["payment_status"].as_str()), (Some("cancelled"), Some("void")));
    assert_eq!(r.body["cancel_reason"], "customer left");
    assert!(open_tickets(&s, order).await == 0, "its tickets were cancelled");
    // Once is enough.
    s.app.post(&path(order), Some(&s.t.token), void("again", None)).await.expect(409);
    let voids = audit_rows(&s.app, s.t.tenant_id, "order.void").await;
    assert_eq!(voids.len(), 1);
    assert_eq!((voids[0].0, &voids[0].1["approved_by"]), (Some(s.cashier.0), &json!(s.manager.0)));

    // Managers void directly; anything paid, or a QR code pending, is refunded instead.
    let (unpaid, _) = s.order(s.a).await;
    s.app.post(&path(unpaid), Some(&s.manager.1), void("duplicate", None)).await.expect(200);
    let (paid, _, _) = s.paid_order("cash").await;
    let r = s.app.post(&path(paid), Some(&s.t.token), void("x", None)).await.expect(409);
    assert_eq!(code(&r), "order_has_payments");
    let (pending, _) = s.order(s.a).await;
    record_payment(&s.app, s.t.tenant_id, pending, "qris", "pending", 1_000).await;
    assert_eq!(
        code(&s.app.post(&path(pending), Some(&s.t.token), void("x", None)).await.expect(409)),
        "order_has_payments"
    );
    // Another outlet's manager does not see the order.
    let (_, b_manager) = s.app.create_staff(&s.t.token, "manager", &[s.b]).await;
    let (at_a, _) = s.order(s.a).await;
    s.app.post(&path(at_a), Some(&b_manager), void("x", None)).await.expect(404);
}

#[tokio::test]
async fn pins_never_reach_the_logs() {
    let s = Shop::open().await;
    let (_, payment, _) = s.paid_order("cash").await;
    let server =
        pos_tests::ServerProcess::start_logged(&[("POS_LOG", "debug".into()), ("POS_LOG_FORMAT", "json".into())]).await;
    let client = reqwest::Client::new();
    let (new_pin, wrong_pin) = ("731946", "864209");
    let set = client
        .patch(server.url(&format!("/api/v1/users/{}", s.manager.0)))
        .bearer_auth(&s.t.token)
        .json(&UpdateUser { pin: Some(new_pin.into()), ..Default::default() })
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    for (pin, status) in [(wrong_pin, 403), (new_pin, 201)] {
        let r = client
            .post(server.url(&format!("/api/v1/payments/{payment}/refunds")))
            .bearer_auth(&s.cashier.1)
            .json(&refund(100, Some((s.manager.0, pin))))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status);
    }
    let mut logged = false;
    for _ in 0..50 {
        logged = server.log().iter().any(|l| l.contains("approval refused: wrong PIN"));
        if logged {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(logged, "the refusal is logged (so the log is being read)");
    for l in server.log() {
        assert!(!l.contains(new_pin) && !l.contains(wrong_pin), "a PIN in the log: {l}");
    }
}

/// Waits (at most 5 s) until order `o` is paid.
async fn until_paid(app: &TestApp, token: &str, o: Uuid) {
    for _ in 0..100 {
        if pos_tests::paying::order(app, token, o).await.payment_status == pos_wire::OrderPaymentStatus::Paid {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("order {o} was never paid");
}

async fn standin_charge(app: &TestApp, gw: &str, gateway_order_id: &str) -> Value {
    let r = app.client.get(format!("{gw}/_standin/charges")).send().await.unwrap();
    let all = TestApp::read(r).await.body["charges"].as_array().cloned().unwrap_or_default();
    all.into_iter().find(|c| c["order_id"] == gateway_order_id).expect("the charge at the stand-in")
}

#[tokio::test]
async fn qris_refunds_go_through_the_gateway_exactly_once() {
    use pos_tests::paying::{COFFEE, pay, qris, shop};
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let s = shop(&app, 0).await;
    let o = s.counter_order(&app, 1).await;
    let p: pos_wire::Payment = pay(&app, &s.cashier, o.id, qris(COFFEE)).await.expect(201).json();
    let gateway_order_id = format!("pay-{}", p.id);
    let path = format!("/api/v1/payments/{}/refunds", p.id);

    // Not paid yet: nothing to refund.
    let r = app.post(&path, Some(&s.t.token), refund(1_000, None)).await.expect(409);
    assert_eq!(code(&r), "payment_not_refundable");
    let paid = app.client.post(format!("{gw}/_standin/charges/{gateway_order_id}/pay")).send().await.unwrap();
    assert!(paid.status().is_success());
    until_paid(&app, &s.t.token, o.id).await;

    let first = refund(10_000, None);
    let r = app.post(&path, Some(&s.t.token), &first).await.expect(201);
    assert_eq!(r.body["status"], "succeeded");
    let charge = standin_charge(&app, &gw, &gateway_order_id).await;
    assert_eq!(charge["refund_amount"], "10000.00");
    assert_eq!(charge["refunds"][0]["refund_key"], first.client_refund_id.to_string());
    // The same request again refunds nothing more at the gateway.
    app.post(&path, Some(&s.t.token), &first).await.expect(200);
    assert_eq!(standin_charge(&app, &gw, &gateway_order_id).await["refunds"].as_array().unwrap().len(), 1);

    // Someone refunds 30.000 in the gateway's dashboard: the gateway refuses
    // what it no longer holds, and the amount is free again here.
    let direct = app
        .client
        .post(format!("{gw}/v2/{gateway_order_id}/refund"))
        .basic_auth(pos_tests::GATEWAY_KEY, Some(""))
        .json(&json!({"refund_key": "dashboard-1", "amount": 30_000, "reason": "dashboard"}))
        .send()
        .await
        .unwrap();
    assert!(direct.status().is_success());
    let too_much = refund(COFFEE - 10_000, None);
    let r = app.post(&path, Some(&s.t.token), &too_much).await.expect(409);
    assert_eq!(code(&r), "refund_refused_by_gateway");
    assert_eq!(code(&app.post(&path, Some(&s.t.token), &too_much).await.expect(409)), "refund_refused_by_gateway");
    let rest = COFFEE - 40_000;
    app.post(&path, Some(&s.t.token), refund(rest, None)).await.expect(201);
    let read = pos_tests::paying::order(&app, &s.t.token, o.id).await;
    assert_eq!(
        (read.payment_status, read.refunded_minor),
        (pos_wire::OrderPaymentStatus::PartiallyRefunded, 10_000 + rest),
        "the 30.000 refunded outside the system is not counted here"
    );
    let refunds = audit_rows(&app, s.t.tenant_id, "refund.gateway").await;
    let statuses: Vec<&str> = refunds.iter().map(|(_, a)| a["status"].as_str().unwrap_or_default()).collect();
    assert_eq!(statuses, ["succeeded", "failed", "succeeded"]);
}

#[tokio::test]
async fn the_reconciliation_job_finishes_refunds_the_gateway_could_not_take() {
    use pos_tests::paying::{COFFEE, pay, qris, shop};
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    // A second server on the same database, cut off from the gateway.
    let cut_off = TestApp::spawn_with(|s| {
        s.midtrans_base_url = Some(format!("http://127.0.0.1:{}", pos_tests::free_port()));
        s.midtrans_server_key = Some(pos_backend::config::Secret::new(pos_tests::GATEWAY_KEY.into()));
    })
    .await;
    let s = shop(&app, 0).await;
    let o = s.counter_order(&app, 1).await;
    let p: pos_wire::Payment = pay(&app, &s.cashier, o.id, qris(COFFEE)).await.expect(201).json();
    let gateway_order_id = format!("pay-{}", p.id);
    let paid = app.client.post(format!("{gw}/_standin/charges/{gateway_order_id}/pay")).send().await.unwrap();
    assert!(paid.status().is_success());
    until_paid(&app, &s.t.token, o.id).await;

    let body = refund(10_000, None);
    let path = format!("/api/v1/payments/{}/refunds", p.id);
    let r = cut_off.post(&path, Some(&s.t.token), &body).await.expect(503);
    assert_eq!(code(&r), "refund_gateway_unavailable");
    assert!(standin_charge(&app, &gw, &gateway_order_id).await["refunds"].is_null(), "nothing at the gateway yet");

    // Nobody sends it again; the job does, once it has waited long enough.
    pos_backend::payments::reconcile::reconcile_once_for(&app.state, Some(s.t.tenant_id)).await.unwrap();
    assert!(standin_charge(&app, &gw, &gateway_order_id).await["refunds"].is_null(), "too fresh for the job");
    backdate_refunds(&app, s.t.tenant_id, p.id).await;
    let done = pos_backend::payments::reconcile::reconcile_once_for(&app.state, Some(s.t.tenant_id)).await.unwrap();
    assert!(done.refunds_ended >= 1, "{done:?}");
    let charge = standin_charge(&app, &gw, &gateway_order_id).await;
    assert_eq!(charge["refunds"].as_array().unwrap().len(), 1);
    assert_eq!(charge["refunds"][0]["refund_key"], body.client_refund_id.to_string());
    let read = pos_tests::paying::order(&app, &s.t.token, o.id).await;
    assert_eq!((read.payment_status, read.refunded_minor), (pos_wire::OrderPaymentStatus::PartiallyRefunded, 10_000));

    // Asked again, by the job or by staff: nothing more is refunded.
    backdate_refunds(&app, s.t.tenant_id, p.id).await;
    pos_backend::payments::reconcile::reconcile_once_for(&app.state, Some(s.t.tenant_id)).await.unwrap();
    let r = app.post(&path, Some(&s.t.token), &body).await.expect(200);
    assert_eq!(r.body["status"], "succeeded");
    assert_eq!(standin_charge(&app, &gw, &gateway_order_id).await["refunds"].as_array().unwrap().len(), 1);
    assert_eq!(pos_tests::paying::order(&app, &s.t.token, o.id).await.refunded_minor, 10_000);
}

/// Backdates the refunds of `payment` past the job's threshold.
async fn backdate_refunds(app: &TestApp, tenant: Uuid, payment: Uuid) {
    let tx = app.tenant_tx(tenant).await;
    tx.execute("UPDATE refunds SET updated_at = now() - interval '1 hour' WHERE payment_id = $1", [payment.into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
