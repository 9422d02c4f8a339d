//! Discounts given at a till while offline: queued after their order in
//! `sync/push`, applied exactly once by `client_discount_id` before the
//! order's payments (taken at the discounted total); above the outlet's
//! limit the manager's PIN rides sealed to the server's approval key and is
//! checked at replay. A right PIN approves; a wrong, missing or moved one
//! keeps the discount (the money was taken) flagged `approval_unverified`,
//! in the audit log and in the shift's X and Z reports.

use pos_backend::till::approval_seal::seal;
use pos_tests::{
    TestApp, fixtures,
    paying::{COFFEE, Shop, cash, count, shop},
};
use pos_wire::{
    ApprovalKey, ApprovalSeal, CloseShift, CreateOrder, CreatePayment, DiscountKind, DiscountTerms, Order,
    OrderPaymentStatus, QueuedDiscount, SealedApproval, ShiftReport, UpdateOutlet,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::refunds::{MANAGER_PIN, set_pin};

const CASHIER_PIN: &str = "602718";

/// A shop (Rp 100 cash step, a 10 % discount limit) with a manager, and a
/// cashier signed in on a till in an open shift.
pub struct OfflineTill {
    pub app: TestApp,
    pub s: Shop,
    pub manager: Uuid,
    pub till_id: Uuid,
    pub cashier: String,
    pub shift: Uuid,
}

impl OfflineTill {
    pub async fn open() -> OfflineTill {
        Self::open_on(&TestApp::spawn().await).await
    }

    /// Another brand on the same server as `app`.
    pub async fn open_on(app: &TestApp) -> OfflineTill {
        let app = TestApp { base: app.base.clone(), client: app.client.clone(), state: app.state.clone() };
        let s = shop(&app, 100).await;
        let limit = UpdateOutlet { discount_limit_bp: Some(1_000), ..Default::default() };
        app.patch(&format!("/api/v1/outlets/{}", s.outlet), &s.t.token, limit).await.expect(200);
        let (manager, _) = app.create_staff(&s.t.token, "manager", &[s.outlet]).await;
        set_pin(&app, &s.t.token, manager, MANAGER_PIN).await;
        let (cashier_id, _) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
        set_pin(&app, &s.t.token, cashier_id, CASHIER_PIN).await;
        let (till_id, till) = app.pair_device(&s.t.token, s.outlet, "till").await;
        let r = crate::till::sign_in(&app, &till, cashier_id, CASHIER_PIN).await.expect(200);
        let cashier = r.body["access_token"].as_str().unwrap().to_string();
        let shift = crate::till::open_shift(&app, &cashier, till_id).await;
        OfflineTill { app, s, manager, till_id, cashier, shift }
    }

    pub async fn key(&self) -> ApprovalKey {
        self.app.get("/api/v1/till/approval-key", &self.cashier).await.expect(200).json()
    }

    /// Two coffees sold at the counter (Rp 83.916, no tax or service).
    pub fn sale(&self) -> CreateOrder {
        fixtures::counter_order(self.s.outlet, vec![fixtures::line(self.s.item, 2)])
    }

    /// The queue item of `order` with its discounts and payments, as the till sends it.
    pub fn queued(&self, order: &CreateOrder, discounts: &[QueuedDiscount], payments: &[CreatePayment]) -> Value {
        let mut raw = serde_json::to_value(order).unwrap();
        raw["shift_id"] = json!(self.shift);
        raw["discounts"] = json!(discounts);
        raw["payments"] = json!(payments);
        raw
    }

    pub async fn push(&self, token: &str, orders: Vec<Value>) -> Value {
        let body = json!({"device_id": self.till_id, "orders": orders});
        self.app.post("/api/v1/sync/push", Some(token), body).await.expect(200).body
    }

    async fn report(&self) -> ShiftReport {
        self.app.get(&format!("/api/v1/shifts/{}/report", self.shift), &self.cashier).await.expect(200).json()
    }
}

/// The till's discount of `percent_bp` on the whole order, sealed with `pin`
/// of `approver` when given.
pub fn offline_discount(
    key: &ApprovalKey,
    order: &CreateOrder,
    percent_bp: i64,
    approval: Option<(Uuid, &str)>,
) -> QueuedDiscount {
    let client_discount_id = Uuid::now_v7();
    let sealed_approval = approval.map(|(approver_id, pin)| {
        let content = ApprovalSeal {
            approver_id,
            pin: pin.into(),
            client_discount_id,
            client_order_id: order.client_order_id,
            outlet_id: order.outlet_id,
            sealed_at: chrono::Utc::now(),
        };
        seal(key, &content)
    });
    QueuedDiscount {
        client_discount_id,
        kind: DiscountKind::Percent,
        value: percent_bp,
        reason: "Pelanggan setia".into(),
        sealed_approval,
    }
}

/// What the till shows for two coffees with `d` off: the same function the server prices with.
fn shown_total(d: &QueuedDiscount) -> i64 {
    let terms = [DiscountTerms { line_id: None, kind: d.kind, value: d.value }];
    pos_wire::discounted_order(&[(Uuid::nil(), 2 * COFFEE)], &terms, 0, 0).1.total_minor
}

async fn order_of(t: &OfflineTill, result: &Value) -> Order {
    let id = result["order"]["id"].as_str().unwrap();
    t.app.get(&format!("/api/v1/orders/{id}"), &t.cashier).await.expect(200).json()
}

#[tokio::test]
async fn an_offline_discount_with_a_sealed_managers_pin_is_approved_once_and_paid_at_its_total() {
    let t = OfflineTill::open().await;
    let key = t.key().await;
    let sale = t.sale();
    // 20 % is above the 10 % limit: the manager typed their PIN on the till.
    let d = offline_discount(&key, &sale, 2_000, Some((t.manager, MANAGER_PIN)));
    let total = shown_total(&d);
    // 83.916 less 16.783 (20 %, half up) = 67.133; cash at a Rp 100 step is 67.100.
    assert_eq!(total, 67_133);
    let paid = CreatePayment { shift_id: Some(t.shift), ..cash(total, Some(70_000)) };
    let item = t.queued(&sale, std::slice::from_ref(&d), std::slice::from_ref(&paid));

    for (round, outcome) in ["created", "duplicate"].into_iter().enumerate() {
        let r = t.push(&t.cashier, vec![item.clone()]).await;
        let result = &r["results"][0];
        assert_eq!(result["outcome"], outcome, "round {round}: {r}");
        assert_eq!(result["discounts"][0]["outcome"], outcome, "round {round}: {r}");
        assert_eq!(result["discounts"][0]["discount"]["approved_by"], json!(t.manager), "{r}");
        assert_eq!(result["discounts"][0]["discount"]["approval_unverified"], false, "{r}");
        assert_eq!(result["payments"][0]["outcome"], outcome, "round {round}: {r}");
        assert_eq!(result["payments"][0]["payment"]["change_minor"], 70_000 - 67_100, "{r}");
        let order = order_of(&t, result).await;
        assert_eq!((order.discount_minor, order.total_minor), (16_783, total));
        assert_eq!(order.payment_status, OrderPaymentStatus::Paid);
    }
    let tenant = t.s.t.tenant_id;
    let n = |sql: &'static str| count(&t.app, tenant, sql, vec![]);
    assert_eq!(n("SELECT count(*)::bigint AS n FROM orders").await, 1);
    assert_eq!(n("SELECT count(*)::bigint AS n FROM order_discounts WHERE offline").await, 1);
    assert_eq!(n("SELECT count(*)::bigint AS n FROM payments").await, 1);
    let granted = count(
        &t.app,
        tenant,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'approval.grant' AND after->>'approved_by' = $1",
        vec![t.manager.to_string().into()],
    )
    .await;
    assert_eq!(granted, 1);
    let report = t.report().await;
    assert_eq!((report.discounts_minor, report.unverified_discounts.count), (16_783, 0));
    // Nothing a till stores or sends holds the PIN readable.
    assert!(!serde_json::to_string(&d).unwrap().contains(MANAGER_PIN));

    // The same id again with other content is a conflict, never a second discount.
    let mut moved = d.clone();
    moved.value = 5_000;
    let again = t.queued(&sale, &[moved], &[]);
    let r = t.push(&t.cashier, vec![again]).await;
    assert_eq!(r["results"][0]["discounts"][0]["outcome"], "conflict", "{r}");
}

#[tokio::test]
async fn a_wrong_or_missing_pin_keeps_the_discount_flagged_in_the_audit_log_and_the_z_report() {
    let t = OfflineTill::open().await;
    let key = t.key().await;
    let (wrong_sale, missing_sale, moved_sale, within_sale) = (t.sale(), t.sale(), t.sale(), t.sale());
    let wrong = offline_discount(&key, &wrong_sale, 2_000, Some((t.manager, "000000")));
    let missing = offline_discount(&key, &missing_sale, 2_000, None);
    // A right PIN sealed for another discount, copied onto this one.
    let other = offline_discount(&key, &moved_sale, 2_000, Some((t.manager, MANAGER_PIN)));
    let moved = QueuedDiscount { sealed_approval: other.sealed_approval.clone(), ..wrong.clone() };
    let moved = QueuedDiscount { client_discount_id: Uuid::now_v7(), ..moved };
    // Within the limit: no PIN needed, nothing flagged.
    let within = offline_discount(&key, &within_sale, 500, None);
    let items: Vec<Value> =
        [(&wrong_sale, &wrong), (&missing_sale, &missing), (&moved_sale, &moved), (&within_sale, &within)]
            .into_iter()
            .map(|(sale, d)| {
                let paid = CreatePayment { shift_id: Some(t.shift), ..cash(shown_total(d), None) };
                t.queued(sale, std::slice::from_ref(d), &[paid])
            })
            .collect();
    let r = t.push(&t.cashier, items).await;
    for (i, flagged) in [true, true, true, false].into_iter().enumerate() {
        let result = &r["results"][i];
        assert_eq!(result["outcome"], "created", "{r}");
        assert_eq!(result["discounts"][0]["outcome"], "created", "kept: {r}");
        assert_eq!(result["discounts"][0]["discount"]["approved_by"], Value::Null, "{r}");
        assert_eq!(result["discounts"][0]["discount"]["approval_unverified"], flagged, "{i}: {r}");
        assert_eq!(result["payments"][0]["outcome"], "created", "paid at the discounted total: {r}");
        assert_eq!(order_of(&t, result).await.payment_status, OrderPaymentStatus::Paid);
    }
    let tenant = t.s.t.tenant_id;
    let audited = count(
        &t.app,
        tenant,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'discount.approval_unverified'",
        vec![],
    )
    .await;
    assert_eq!(audited, 3);
    let granted =
        count(&t.app, tenant, "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'approval.grant'", vec![])
            .await;
    assert_eq!(granted, 0);

    // 3 × 16.783 unverified, in the X report and in the Z report at the close.
    let x = t.report().await;
    assert_eq!((x.unverified_discounts.count, x.unverified_discounts.amount_minor), (3, 3 * 16_783));
    assert_eq!(x.discounts_minor, 3 * 16_783 + 4_196);
    let close = CloseShift { counted_minor: Some(x.cash.expected_minor), denominations: None, client_close_id: None };
    t.app.post(&format!("/api/v1/shifts/{}/close", t.shift), Some(&t.cashier), close).await.expect(200);
    let z = t.report().await;
    assert_eq!(z.kind, pos_wire::ReportKind::Z);
    assert_eq!(z.unverified_discounts, x.unverified_discounts);
    let page = t.app.get(&format!("/api/v1/shifts/{}/report.html?lang=en", t.shift), &t.cashier).await;
    assert!(page.text.contains("unverified"), "{}", page.text);
}

#[tokio::test]
async fn a_sealed_approval_is_opened_only_by_this_servers_key() {
    let t = OfflineTill::open().await;
    let sale = t.sale();
    // Sealed to a key the server does not hold (a stale or forged one).
    let foreign = pos_backend::till::approval_seal::ApprovalKeyPair::derive(b"not this server's secret");
    let d = offline_discount(foreign.public(), &sale, 2_000, Some((t.manager, MANAGER_PIN)));
    let forged = SealedApproval { key_id: t.key().await.key_id, ..d.sealed_approval.clone().unwrap() };
    let d = QueuedDiscount { sealed_approval: Some(forged), ..d };
    let r = t.push(&t.cashier, vec![t.queued(&sale, &[d], &[])]).await;
    assert_eq!(r["results"][0]["discounts"][0]["discount"]["approval_unverified"], true, "{r}");
}
