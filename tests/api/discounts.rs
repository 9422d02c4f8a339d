//! Discounts: per order or per line, percent or amount, taken off before
//! service charge and tax (checked to the rupiah), within the outlet's limit
//! or with a manager's PIN, exactly once, removable, never on a paid order,
//! in the audit log and on the receipt.

use pos_tests::{
    Reply, TestApp, fixtures,
    paying::{cash, code, count, field_code, pay},
    plain_menu_item,
};
use pos_wire::{Approval, CreateDiscount, DiscountKind, Order, OrderPaymentStatus, UpdateOutlet};
use serde_json::json;
use uuid::Uuid;

use crate::refunds::{MANAGER_PIN, set_pin};

/// An outlet with 5 % service charge, 10 % tax and a 10 % discount limit,
/// selling Nasi Goreng at Rp 25.000 and Es Teh at Rp 8.000.
struct Dining {
    app: TestApp,
    owner: String,
    tenant: Uuid,
    outlet: Uuid,
    nasi: Uuid,
    teh: Uuid,
    manager: (Uuid, String),
    cashier: (Uuid, String),
}

const CASHIER_PIN: &str = "135790";

impl Dining {
    async fn open() -> Dining {
        let app = TestApp::spawn().await;
        let t = app.signup().await;
        let outlet = app.create_outlet(&t.token, "Warung").await;
        let settings = UpdateOutlet { discount_limit_bp: Some(1_000), ..fixtures::outlet_rates(1_000, 500) };
        app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, settings).await.expect(200);
        let nasi = plain_menu_item(&app, &t.token, "Nasi Goreng", 25_000, Some("kitchen")).await;
        let teh = plain_menu_item(&app, &t.token, "Es Teh", 8_000, Some("bar")).await;
        let manager = app.create_staff(&t.token, "manager", &[outlet]).await;
        set_pin(&app, &t.token, manager.0, MANAGER_PIN).await;
        let cashier = app.create_staff(&t.token, "cashier", &[outlet]).await;
        set_pin(&app, &t.token, cashier.0, CASHIER_PIN).await;
        Dining { app, owner: t.token.clone(), tenant: t.tenant_id, outlet, nasi, teh, manager, cashier }
    }

    /// A counter order placed by the cashier.
    async fn order(&self, lines: Vec<pos_wire::OrderLineRequest>) -> Order {
        let body = fixtures::counter_order(self.outlet, lines);
        self.app.post("/api/v1/orders", Some(&self.cashier.1), body).await.expect(201).json()
    }

    /// Four Nasi Goreng: Rp 100.000 of item sales.
    async fn hundred(&self) -> Order {
        self.order(vec![fixtures::line(self.nasi, 4)]).await
    }

    async fn discount(&self, token: &str, order: Uuid, body: &CreateDiscount) -> Reply {
        self.app.post(&format!("/api/v1/orders/{order}/discounts"), Some(token), body).await
    }
}

fn discount(kind: DiscountKind, value: i64, reason: &str) -> CreateDiscount {
    CreateDiscount {
        client_discount_id: Uuid::now_v7(),
        line_id: None,
        kind,
        value,
        reason: reason.into(),
        approval: None,
    }
}

fn approved(body: &CreateDiscount, approver: Uuid, pin: &str) -> CreateDiscount {
    CreateDiscount {
        client_discount_id: Uuid::now_v7(),
        approval: Some(Approval { approver_id: approver, pin: pin.into() }),
        ..body.clone()
    }
}

fn money(o: &Order) -> (i64, i64, i64, i64, i64) {
    (o.subtotal_minor, o.discount_minor, o.service_charge_minor, o.tax_minor, o.total_minor)
}

#[tokio::test]
async fn percent_and_amount_discounts_come_off_before_service_charge_and_tax() {
    let d = Dining::open().await;
    let o = d.hundred().await;
    // 100.000 + 5 % service (5.000) + 10 % tax on 105.000 (10.500).
    assert_eq!(money(&o), (100_000, 0, 5_000, 10_500, 115_500));

    // 10 % off the order: 90.000, service 4.500, tax 9.450.
    let body = discount(DiscountKind::Percent, 1_000, "Member");
    let after: Order = d.discount(&d.cashier.1, o.id, &body).await.expect(201).json();
    assert_eq!(money(&after), (100_000, 10_000, 4_500, 9_450, 103_950));
    assert_eq!(after.discounts.len(), 1);
    assert_eq!((after.discounts[0].amount_minor, after.discounts[0].approved_by), (10_000, None));
    assert_eq!(after.discounts[0].user_id, Some(d.cashier.0));

    // The same request again is the same discount; other content under its id is refused.
    let again: Order = d.discount(&d.cashier.1, o.id, &body).await.expect(200).json();
    assert_eq!((money(&again), again.discounts.len()), (money(&after), 1));
    let reused = CreateDiscount { value: 500, ..body.clone() };
    assert_eq!(code(&d.discount(&d.cashier.1, o.id, &reused).await.expect(409)), "client_discount_id_reused");

    // Rp 3.000 off the Es Teh line, by the owner (37.5 % of the line: no PIN for an owner).
    let two = d.order(vec![fixtures::line(d.nasi, 2), fixtures::line(d.teh, 1)]).await;
    assert_eq!(money(&two), (58_000, 0, 2_900, 6_090, 66_990));
    let teh_line = two.items[1].line_id;
    let on_line = CreateDiscount { line_id: Some(teh_line), ..discount(DiscountKind::Amount, 3_000, "Es kurang") };
    let lined: Order = d.discount(&d.owner, two.id, &on_line).await.expect(201).json();
    // 55.000: service 2.750, tax on 57.750 = 5.775.
    assert_eq!(money(&lined), (58_000, 3_000, 2_750, 5_775, 63_525));
    assert_eq!((lined.items[0].discount_minor, lined.items[1].discount_minor), (0, 3_000));
    assert_eq!(lined.items[1].line_total_minor, 8_000, "the line keeps its price; the discount is beside it");

    // An amount larger than what it applies to takes it to zero, never below.
    let whole = CreateDiscount { line_id: Some(teh_line), ..discount(DiscountKind::Amount, 50_000, "Gratis") };
    let free: Order = d.discount(&d.owner, two.id, &whole).await.expect(201).json();
    assert_eq!(free.items[1].discount_minor, 8_000);
    assert_eq!(money(&free), (58_000, 8_000, 2_500, 5_250, 57_750));

    // Removed before payment: the totals go back.
    let id = free.discounts.iter().find(|x| x.reason == "Gratis").unwrap().id;
    let back: Order =
        d.app.delete(&format!("/api/v1/orders/{}/discounts/{id}", two.id), &d.owner).await.expect(200).json();
    assert_eq!(money(&back), money(&lined));
    d.app.delete(&format!("/api/v1/orders/{}/discounts/{id}", two.id), &d.owner).await.expect(200);
    d.app.delete(&format!("/api/v1/orders/{}/discounts/{}", two.id, Uuid::now_v7()), &d.owner).await.expect(404);

    // Paid to the rupiah at the discounted total.
    pay(&d.app, &d.cashier.1, o.id, cash(103_950, None)).await.expect(201);
    let paid: Order = d.app.get(&format!("/api/v1/orders/{}", o.id), &d.cashier.1).await.expect(200).json();
    assert_eq!((paid.payment_status, paid.discount_minor), (OrderPaymentStatus::Paid, 10_000));

    // The receipt shows the discounts, of the order and of the line.
    let receipt = d.app.get(&format!("/api/v1/orders/{}/receipt?lang=id", o.id), &d.cashier.1).await.expect(200);
    assert!(receipt.text.contains("Diskon Member") && receipt.text.contains("-Rp 10.000"), "{}", receipt.text);
    let receipt = d.app.get(&format!("/api/v1/orders/{}/receipt?lang=id", two.id), &d.cashier.1).await.expect(200);
    assert!(receipt.text.contains("Diskon Es kurang") && receipt.text.contains("-Rp 3.000"), "{}", receipt.text);
    assert!(!receipt.text.contains("Gratis"), "a removed discount is not printed");

    // Every discount given and removed is in the audit log.
    let audited = count(
        &d.app,
        d.tenant,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action IN ('discount.create', 'discount.remove') \
            AND outlet_id = $1",
        vec![d.outlet.into()],
    )
    .await;
    assert_eq!(audited, 4, "three given, one removed");
    // The reports read the order's column.
    let stored =
        count(&d.app, d.tenant, "SELECT discount_minor AS n FROM orders WHERE id = $1", vec![o.id.into()]).await;
    assert_eq!(stored, 10_000);
}

#[tokio::test]
async fn above_the_limit_a_cashier_needs_a_managers_pin() {
    let d = Dining::open().await;
    let o = d.hundred().await;
    let big = discount(DiscountKind::Percent, 1_500, "Ulang tahun");

    let r = d.discount(&d.cashier.1, o.id, &big).await.expect(403);
    assert_eq!(code(&r), "discount_above_limit");
    // Not the cashier's own PIN, not a wrong PIN, not a PIN of nobody.
    let own = approved(&big, d.cashier.0, CASHIER_PIN);
    assert_eq!(code(&d.discount(&d.cashier.1, o.id, &own).await.expect(403)), "approver_not_allowed");
    let wrong = approved(&big, d.manager.0, "000000");
    assert_eq!(code(&d.discount(&d.cashier.1, o.id, &wrong).await.expect(403)), "approval_pin_wrong");
    let unknown = approved(&big, Uuid::now_v7(), MANAGER_PIN);
    assert_eq!(code(&d.discount(&d.cashier.1, o.id, &unknown).await.expect(403)), "approver_not_allowed");
    let untouched: Order = d.app.get(&format!("/api/v1/orders/{}", o.id), &d.cashier.1).await.expect(200).json();
    assert_eq!((untouched.discount_minor, untouched.total_minor), (0, 115_500));

    // The manager's PIN on the cashier's screen: 15 % off.
    let ok = approved(&big, d.manager.0, MANAGER_PIN);
    let after: Order = d.discount(&d.cashier.1, o.id, &ok).await.expect(201).json();
    // 85.000: service 4.250, tax on 89.250 = 8.925.
    assert_eq!(money(&after), (100_000, 15_000, 4_250, 8_925, 98_175));
    assert_eq!(after.discounts[0].approved_by, Some(d.manager.0));
    let grants = count(
        &d.app,
        d.tenant,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'approval.grant' AND entity_id = $1 \
            AND after->>'action' = 'discount'",
        vec![o.id.into()],
    )
    .await;
    assert_eq!(grants, 1);

    // Small discounts cannot be stacked past the limit.
    let stacked = d.hundred().await;
    d.discount(&d.cashier.1, stacked.id, &discount(DiscountKind::Percent, 1_000, "Member")).await.expect(201);
    let r = d.discount(&d.cashier.1, stacked.id, &discount(DiscountKind::Percent, 500, "Lagi")).await.expect(403);
    assert_eq!(code(&r), "discount_above_limit");
    // An amount is held to the same share: Rp 10.001 of Rp 100.000 is above 10 %.
    let amounts = d.hundred().await;
    let r = d.discount(&d.cashier.1, amounts.id, &discount(DiscountKind::Amount, 10_001, "Voucher")).await;
    assert_eq!(code(&r.expect(403)), "discount_above_limit");
    d.discount(&d.cashier.1, amounts.id, &discount(DiscountKind::Amount, 10_000, "Voucher")).await.expect(201);
    // A manager needs nobody's PIN.
    d.discount(&d.manager.1, stacked.id, &discount(DiscountKind::Percent, 2_000, "Komplain")).await.expect(201);

    // Wrong PINs are rate limited per approver, as for refunds.
    let mut last = 0;
    for _ in 0..6 {
        last = d.discount(&d.cashier.1, o.id, &approved(&big, d.manager.0, "111111")).await.status.as_u16();
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn nothing_is_discounted_once_paid_voided_or_by_those_who_may_not() {
    let d = Dining::open().await;
    let o = d.hundred().await;
    let early = discount(DiscountKind::Percent, 500, "Pelanggan tetap");
    let given: Order = d.discount(&d.cashier.1, o.id, &early).await.expect(201).json();
    assert_eq!(given.total_minor, 109_725);

    // Partly paid: no new discount, none removed; a replay still answers.
    pay(&d.app, &d.cashier.1, o.id, cash(50_000, None)).await.expect(201);
    let r = d.discount(&d.cashier.1, o.id, &discount(DiscountKind::Percent, 500, "Lagi")).await.expect(409);
    assert_eq!(code(&r), "order_not_open");
    let id = given.discounts[0].id;
    let r = d.app.delete(&format!("/api/v1/orders/{}/discounts/{id}", o.id), &d.owner).await.expect(409);
    assert_eq!(code(&r), "order_not_open");
    d.discount(&d.cashier.1, o.id, &early).await.expect(200);
    pay(&d.app, &d.cashier.1, o.id, cash(59_725, None)).await.expect(201);
    let r = d.discount(&d.owner, o.id, &discount(DiscountKind::Amount, 1_000, "Telat")).await.expect(409);
    assert_eq!(code(&r), "order_not_open");

    // Voided.
    let void = d.hundred().await;
    let body = pos_wire::VoidOrder { reason: "Salah input".into(), approval: None };
    d.app.post(&format!("/api/v1/orders/{}/void", void.id), Some(&d.owner), body).await.expect(200);
    let r = d.discount(&d.owner, void.id, &discount(DiscountKind::Amount, 1_000, "x")).await.expect(409);
    assert_eq!(code(&r), "order_not_open");

    // Fields.
    let open = d.hundred().await;
    let r = d.discount(&d.owner, open.id, &discount(DiscountKind::Percent, 10_001, "x")).await.expect(422);
    assert_eq!(field_code(&r, "value"), "out_of_range");
    let r = d.discount(&d.owner, open.id, &discount(DiscountKind::Amount, 0, "x")).await.expect(422);
    assert_eq!(field_code(&r, "value"), "out_of_range");
    let r = d.discount(&d.owner, open.id, &discount(DiscountKind::Amount, 100, "  ")).await.expect(422);
    assert_eq!(field_code(&r, "reason"), "reason_required");
    let stray = CreateDiscount { line_id: Some(Uuid::now_v7()), ..discount(DiscountKind::Amount, 100, "x") };
    let r = d.discount(&d.owner, open.id, &stray).await.expect(422);
    assert_eq!(field_code(&r, "line_id"), "discount_line_unknown");
    let r = d.app.post(&format!("/api/v1/orders/{}/discounts", open.id), Some(&d.owner), json!({"kind": "free"})).await;
    assert_eq!(r.status, 422);

    // Who may not: a kiosk, kitchen staff, a cashier of another outlet, another brand.
    let (_, kiosk) = d.app.pair_device(&d.owner, d.outlet, "kiosk").await;
    let (_, kitchen) = d.app.create_staff(&d.owner, "kitchen", &[d.outlet]).await;
    let elsewhere = d.app.create_outlet(&d.owner, "Cabang").await;
    let (_, other_cashier) = d.app.create_staff(&d.owner, "cashier", &[elsewhere]).await;
    let stranger = d.app.signup().await;
    let small = discount(DiscountKind::Amount, 100, "x");
    assert_eq!(d.discount(&kiosk, open.id, &small).await.status, 403);
    assert_eq!(d.discount(&kitchen, open.id, &small).await.status, 403);
    assert_eq!(d.discount(&other_cashier, open.id, &small).await.status, 404);
    assert_eq!(d.discount(&stranger.token, open.id, &small).await.status, 404);
    let still: Order = d.app.get(&format!("/api/v1/orders/{}", open.id), &d.owner).await.expect(200).json();
    assert_eq!((still.discount_minor, still.discounts.len()), (0, 0));
}
