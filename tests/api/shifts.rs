//! Shifts and the cash drawer: a day at one till with cash sales (change
//! and rounding), a card sale, a refund, a void, cash in and a paid-out,
//! closed with a variance, and every Z report figure checked against the
//! orders and payments; one open shift per till, exactly-once movements
//! and opens under concurrent replays; a closed shift takes nothing more;
//! and who may run a shift at all.

use std::collections::BTreeMap;

use pos_tests::{
    Reply, TestApp,
    paying::{COFFEE, Shop, card, cash, code, count, field_code, order, pay, shop},
};
use pos_wire::{
    CashMovement, CashMovementKind, CloseShift, CreateCashMovement, CreatePayment, CreateRefund, DenominationCount,
    OpenShift, Order, Page, Payment, PaymentMethod, ReportKind, Shift, ShiftReport, ShiftStatus, VoidOrder,
};
use uuid::Uuid;

fn open_body(device_id: Uuid, float: i64, client_shift_id: Option<Uuid>) -> OpenShift {
    OpenShift { device_id, opening_float_minor: float, client_shift_id }
}

fn movement(kind: CashMovementKind, amount_minor: i64, reason: &str) -> CreateCashMovement {
    CreateCashMovement { client_movement_id: Uuid::now_v7(), kind, amount_minor, reason: reason.into() }
}

fn in_shift(body: CreatePayment, shift: Uuid) -> CreatePayment {
    CreatePayment { shift_id: Some(shift), ..body }
}

fn d(value_minor: i64, count: i64) -> DenominationCount {
    DenominationCount { value_minor, count }
}

async fn open(app: &TestApp, token: &str, body: &OpenShift) -> Reply {
    app.post("/api/v1/shifts", Some(token), body).await
}

async fn move_cash(app: &TestApp, token: &str, shift: Uuid, body: &CreateCashMovement) -> Reply {
    app.post(&format!("/api/v1/shifts/{shift}/cash-movements"), Some(token), body).await
}

async fn close(app: &TestApp, token: &str, shift: Uuid, body: &CloseShift) -> Reply {
    app.post(&format!("/api/v1/shifts/{shift}/close"), Some(token), body).await
}

async fn report(app: &TestApp, token: &str, shift: Uuid) -> ShiftReport {
    app.get(&format!("/api/v1/shifts/{shift}/report"), token).await.expect(200).json()
}

/// A shop rounding cash to Rp 100 with a till at its outlet; (shop, till id).
async fn shop_with_till(app: &TestApp) -> (Shop, Uuid) {
    let s = shop(app, 100).await;
    let (till, _) = app.pair_device(&s.t.token, s.outlet, "till").await;
    (s, till)
}

/// What the orders and payments say the shift holds, summed independently
/// of the server's report: (sales by method: count and amount, cash rounding,
/// cash that went into the drawer).
fn figures_of(orders: &[Order], shift: Uuid) -> (BTreeMap<&'static str, (i64, i64)>, i64, i64) {
    let mut by_method = BTreeMap::new();
    let (mut rounding, mut drawer) = (0, 0);
    for p in orders.iter().flat_map(|o| &o.payments).filter(|p| p.shift_id == Some(shift)) {
        let e = by_method.entry(p.method.as_str()).or_insert((0, 0));
        e.0 += 1;
        e.1 += p.amount_minor;
        if p.method == PaymentMethod::Cash {
            rounding += p.rounding_minor;
            // What was handed over minus the change: the cash that stayed.
            drawer += p.tendered_minor.unwrap() - p.change_minor.unwrap();
        }
    }
    (by_method, rounding, drawer)
}

#[tokio::test]
async fn a_day_at_the_till_closes_with_a_variance_and_the_z_report_matches_the_orders() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let cashier = &s.cashier;

    let opened = open(&app, cashier, &open_body(till, 500_000, None)).await.expect(201);
    let shift: Shift = opened.json();
    assert_eq!((shift.status, shift.opening_float_minor, shift.expected_minor), (ShiftStatus::Open, 500_000, 500_000));
    assert_eq!((shift.device_id, shift.outlet_id, shift.counted_minor), (till, s.outlet, None));
    assert!(shift.opened_by.is_some() && shift.opened_by_name.is_some());

    // Cash: Rp 41.958 is Rp 42.000 due; a Rp 100.000 note gives Rp 58.000 change.
    let o1 = s.counter_order(&app, 1).await;
    let p1: Payment = pay(&app, cashier, o1.id, in_shift(cash(100_000, None), shift.id)).await.expect(201).json();
    assert_eq!((p1.rounding_minor, p1.change_minor, p1.shift_id), (42, Some(58_000), Some(shift.id)));
    // Two coffees, Rp 83.916, are Rp 83.900 in cash (rounded down).
    let o2 = s.counter_order(&app, 2).await;
    let p2: Payment = pay(&app, cashier, o2.id, in_shift(cash(2 * COFFEE, None), shift.id)).await.expect(201).json();
    assert_eq!((p2.rounding_minor, p2.tendered_minor, p2.change_minor), (-16, Some(83_900), Some(0)));
    // A card sale counts in the report, not in the drawer.
    let o3 = s.counter_order(&app, 1).await;
    pay(&app, cashier, o3.id, in_shift(card(COFFEE), shift.id)).await.expect(201);
    // A sale refunded in part, in cash, by the owner while the shift is open.
    let o4 = s.counter_order(&app, 1).await;
    let p4: Payment = pay(&app, cashier, o4.id, in_shift(cash(50_000, None), shift.id)).await.expect(201).json();
    let refund = CreateRefund {
        client_refund_id: Uuid::now_v7(),
        amount_minor: 10_000,
        reason: "Kopi tumpah".into(),
        approval: None,
        restock: false,
    };
    app.post(&format!("/api/v1/payments/{}/refunds", p4.id), Some(&s.t.token), &refund).await.expect(201);
    // An order voided while the shift is open.
    let o5 = s.counter_order(&app, 1).await;
    let void = VoidOrder { reason: "Pelanggan batal".into(), approval: None };
    app.post(&format!("/api/v1/orders/{}/void", o5.id), Some(&s.t.token), &void).await.expect(200);
    // A sale outside the shift counts nowhere.
    let o6 = s.counter_order(&app, 1).await;
    pay(&app, cashier, o6.id, cash(COFFEE, None)).await.expect(201);

    // Cash in for change, and a paid-out for ice.
    let cash_in = movement(CashMovementKind::In, 50_000, "Tambah uang kembalian");
    let m_in: CashMovement = move_cash(&app, cashier, shift.id, &cash_in).await.expect(201).json();
    assert_eq!((m_in.kind, m_in.amount_minor, m_in.shift_id), (CashMovementKind::In, 50_000, shift.id));
    let paid_out = movement(CashMovementKind::Out, 25_000, "  Beli es batu ");
    let m_out: CashMovement = move_cash(&app, cashier, shift.id, &paid_out).await.expect(201).json();
    assert_eq!(m_out.reason, "Beli es batu");

    // The X report, and the figures from the orders themselves.
    let x = report(&app, cashier, shift.id).await;
    assert_eq!(x.kind, ReportKind::X);
    let mut orders = Vec::new();
    for o in [&o1, &o2, &o3, &o4, &o5, &o6] {
        orders.push(order(&app, cashier, o.id).await);
    }
    let (by_method, rounding, cash_taken) = figures_of(&orders, shift.id);
    assert_eq!(by_method["cash"], (3, 3 * COFFEE + COFFEE));
    assert_eq!(by_method["card"], (1, COFFEE));
    assert_eq!(rounding, 42 - 16 + 42);
    assert_eq!(cash_taken, 42_000 + 83_900 + 42_000);
    let expected = 500_000 + cash_taken + 50_000 - 25_000 - 10_000;
    assert_eq!(expected, 682_900);

    let reported: BTreeMap<&str, (i64, i64)> =
        x.sales.iter().map(|t| (t.method.as_str(), (t.count, t.amount_minor))).collect();
    assert_eq!(reported, by_method);
    assert_eq!(x.sales_total_minor, by_method.values().map(|v| v.1).sum::<i64>());
    assert_eq!(x.refunds.len(), 1);
    assert_eq!((x.refunds[0].method, x.refunds[0].count, x.refunds[0].amount_minor), (PaymentMethod::Cash, 1, 10_000));
    assert_eq!(x.refunds_total_minor, 10_000);
    assert_eq!(x.discounts_minor, 0, "no order of this day was discounted");
    let voided = &orders[4];
    assert_eq!((x.voids.count, x.voids.amount_minor), (1, voided.total_minor));
    assert_eq!(x.cash_rounding_minor, rounding);
    assert_eq!(x.cash_movements.iter().map(|m| m.id).collect::<Vec<_>>(), [m_in.id, m_out.id]);
    let c = &x.cash;
    assert_eq!(
        (c.opening_float_minor, c.cash_sales_minor, c.cash_in_minor, c.cash_out_minor, c.cash_refunds_minor),
        (500_000, cash_taken, 50_000, 25_000, 10_000)
    );
    assert_eq!((c.expected_minor, c.counted_minor, c.variance_minor), (expected, None, None));
    let live: Shift = app.get(&format!("/api/v1/shifts/{}", shift.id), cashier).await.expect(200).json();
    assert_eq!(live.expected_minor, expected);

    // Closed by counting the drawer: Rp 1.500 short.
    let drawer_count = vec![d(100_000, 6), d(50_000, 1), d(20_000, 1), d(10_000, 1), d(1_000, 1), d(200, 2), d(500, 0)];
    let close_body =
        CloseShift { counted_minor: None, denominations: Some(drawer_count), client_close_id: Some(Uuid::now_v7()) };
    let closed: Shift = close(&app, cashier, shift.id, &close_body).await.expect(200).json();
    assert_eq!(closed.status, ShiftStatus::Closed);
    assert_eq!(
        (closed.expected_minor, closed.counted_minor, closed.variance_minor),
        (expected, Some(681_400), Some(-1_500))
    );
    assert!(closed.closed_at.is_some() && closed.closed_by == shift.opened_by);

    let z = report(&app, cashier, shift.id).await;
    assert_eq!(z.kind, ReportKind::Z);
    assert_eq!(
        (z.sales.clone(), z.refunds.clone(), z.voids, z.cash_movements.clone()),
        (x.sales, x.refunds, x.voids, x.cash_movements)
    );
    assert_eq!(z.cash_rounding_minor, rounding);
    assert_eq!(
        (z.cash.expected_minor, z.cash.counted_minor, z.cash.variance_minor),
        (expected, Some(681_400), Some(-1_500))
    );
    assert_eq!(z.denominations, [d(100_000, 6), d(50_000, 1), d(20_000, 1), d(10_000, 1), d(1_000, 1), d(200, 2)]);
    assert_eq!(z.shift, closed);

    // Closing again with the same count is the same answer; another count is refused.
    let again: Shift = close(&app, cashier, shift.id, &close_body).await.expect(200).json();
    assert_eq!(again, closed);
    let other = CloseShift { counted_minor: Some(682_900), denominations: None, client_close_id: None };
    assert_eq!(code(&close(&app, cashier, shift.id, &other).await.expect(409)), "shift_closed");

    // Nothing more goes into a closed shift, and its Z report never changes.
    let late = movement(CashMovementKind::Out, 1_000, "Parkir");
    assert_eq!(code(&move_cash(&app, cashier, shift.id, &late).await.expect(409)), "shift_closed");
    let o7 = s.counter_order(&app, 1).await;
    let r = pay(&app, cashier, o7.id, in_shift(cash(COFFEE, None), shift.id)).await.expect(422);
    assert_eq!(field_code(&r, "shift_id"), "shift_unknown");
    let late_refund = CreateRefund { client_refund_id: Uuid::now_v7(), amount_minor: 1_000, ..refund };
    app.post(&format!("/api/v1/payments/{}/refunds", p1.id), Some(&s.t.token), &late_refund).await.expect(201);
    // A replay of a movement made before the close still answers.
    move_cash(&app, cashier, shift.id, &paid_out).await.expect(200);
    assert_eq!(report(&app, cashier, shift.id).await, z);
    let listed: Page<Shift> =
        app.get(&format!("/api/v1/shifts?outlet_id={}&status=closed", s.outlet), &s.t.token).await.expect(200).json();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0], closed);
    let open_ones: Page<Shift> =
        app.get(&format!("/api/v1/shifts?outlet_id={}&status=open", s.outlet), &s.t.token).await.expect(200).json();
    assert!(open_ones.items.is_empty());

    // The printable Z report, in English.
    let html = app
        .call(reqwest::Method::GET, &format!("/api/v1/shifts/{}/report.html?lang=en", shift.id), Some(cashier), None)
        .await;
    assert_eq!(html.status, 200);
    assert!(html.text.contains("Z report") && html.text.contains("Beli es batu"), "{}", html.text);
    assert!(html.text.contains("-Rp 1.500"), "the variance: {}", html.text);
    app.call(reqwest::Method::GET, &format!("/api/v1/shifts/{}/report.html?lang=xx", shift.id), Some(cashier), None)
        .await
        .expect(422);

    // Open, both movements and the close are in the audit log under the cashier.
    for action in ["shift.open", "shift.cash_in", "shift.cash_out", "shift.close"] {
        let n = count(
            &app,
            s.t.tenant_id,
            "SELECT count(*)::bigint AS n FROM audit_log WHERE action = $1 AND entity_id = $2 AND actor_kind = 'user'",
            vec![action.into(), shift.id.into()],
        )
        .await;
        assert_eq!(n, 1, "{action}");
    }
}

#[tokio::test]
async fn one_open_shift_per_till_even_under_ten_concurrent_opens() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;

    let attempts = (0..10).map(|_| {
        let (app, token) = (&app, s.cashier.clone());
        async move { open(app, &token, &open_body(till, 200_000, None)).await }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let created: Vec<&Reply> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(created.len(), 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    let shift: Shift = created[0].json();
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{}", r.text);
        assert_eq!(code(r), "shift_already_open");
        assert!(r.text.contains(&shift.id.to_string()), "names the open shift: {}", r.text);
    }
    let n =
        count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM shifts WHERE device_id = $1", vec![till.into()])
            .await;
    assert_eq!(n, 1);

    // Another till opens its own, with a client id sent ten times at once: one shift.
    let (till2, _) = app.pair_device(&s.t.token, s.outlet, "till").await;
    let key = Uuid::now_v7();
    let attempts = (0..10).map(|_| {
        let (app, token) = (&app, s.cashier.clone());
        async move { open(app, &token, &open_body(till2, 300_000, Some(key))).await }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 9, "{statuses:?}");
    let ids: std::collections::BTreeSet<String> = replies.iter().map(|r| r.body["id"].to_string()).collect();
    assert_eq!(ids.len(), 1);
    let second: Shift = replies[0].json();
    assert_ne!(second.id, shift.id);
    // The key with other content is refused.
    let r = open(&app, &s.cashier, &open_body(till2, 1, Some(key))).await.expect(409);
    assert_eq!(code(&r), "client_shift_id_reused");

    // Once closed, the till opens a new shift.
    close(&app, &s.cashier, shift.id, &CloseShift { counted_minor: Some(200_000), ..Default::default() })
        .await
        .expect(200);
    let next: Shift = open(&app, &s.cashier, &open_body(till, 0, None)).await.expect(201).json();
    assert_ne!(next.id, shift.id);
    // Bad floats and counts are refused by field.
    let r = open(&app, &s.cashier, &open_body(till2, -1, None)).await.expect(422);
    assert_eq!(field_code(&r, "opening_float_minor"), "out_of_range");
    let r = close(&app, &s.cashier, next.id, &CloseShift::default()).await.expect(422);
    assert_eq!(field_code(&r, "counted_minor"), "count_required");
    let bad = CloseShift { denominations: Some(vec![d(25_000, 1)]), ..Default::default() };
    let r = close(&app, &s.cashier, next.id, &bad).await.expect(422);
    assert_eq!(field_code(&r, "denominations[0].value_minor"), "denomination_unknown");
}

#[tokio::test]
async fn cash_movements_happen_exactly_once_under_concurrent_replays() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let shift: Shift = open(&app, &s.cashier, &open_body(till, 100_000, None)).await.expect(201).json();

    let body = movement(CashMovementKind::Out, 30_000, "Bayar galon");
    let attempts = (0..10).map(|_| {
        let (app, token, body) = (&app, s.cashier.clone(), body.clone());
        async move { move_cash(app, &token, shift.id, &body).await }
    });
    let replies = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 9, "{statuses:?}");
    let first: CashMovement = replies[0].json();
    assert!(replies.iter().all(|r| r.json::<CashMovement>() == first));
    let n = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM shift_cash_movements WHERE shift_id = $1",
        vec![shift.id.into()],
    )
    .await;
    assert_eq!(n, 1);
    let now: Shift = app.get(&format!("/api/v1/shifts/{}", shift.id), &s.cashier).await.expect(200).json();
    assert_eq!(now.expected_minor, 70_000);

    // The key with other content is refused; so is more cash out than the drawer holds.
    let reused = CreateCashMovement { amount_minor: 1_000, ..body.clone() };
    assert_eq!(code(&move_cash(&app, &s.cashier, shift.id, &reused).await.expect(409)), "client_movement_id_reused");
    let r =
        move_cash(&app, &s.cashier, shift.id, &movement(CashMovementKind::Out, 70_001, "Setor bank")).await.expect(422);
    assert_eq!(field_code(&r, "amount_minor"), "cash_out_exceeds_drawer");
    assert_eq!(r.body["error_codes"]["amount_minor"][0]["params"]["available_minor"], 70_000);
    let r = move_cash(&app, &s.cashier, shift.id, &movement(CashMovementKind::In, 0, " ")).await.expect(422);
    assert_eq!(field_code(&r, "amount_minor"), "out_of_range");
    assert_eq!(field_code(&r, "reason"), "reason_required");
    move_cash(&app, &s.cashier, shift.id, &movement(CashMovementKind::Out, 70_000, "Setor bank")).await.expect(201);
}

#[tokio::test]
async fn only_staff_of_the_outlet_who_handle_money_run_its_shifts() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let shift: Shift = open(&app, &s.cashier, &open_body(till, 0, None)).await.expect(201).json();
    let path = format!("/api/v1/shifts/{}", shift.id);

    // Devices alone, and kitchen staff, do nothing with shifts.
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let (_, till_token) = app.pair_device(&s.t.token, s.outlet, "till").await;
    let (_, kitchen) = app.create_staff(&s.t.token, "kitchen", &[s.outlet]).await;
    for (who, token) in [("kiosk", &kiosk), ("till", &till_token), ("kitchen", &kitchen)] {
        assert_eq!(open(&app, token, &open_body(till, 0, None)).await.status, 403, "{who}");
        assert_eq!(app.get(&path, token).await.status, 403, "{who}");
        assert_eq!(app.get("/api/v1/shifts", token).await.status, 403, "{who}");
        let m = move_cash(&app, token, shift.id, &movement(CashMovementKind::In, 1_000, "x")).await;
        assert_eq!(m.status, 403, "{who}");
        let c = close(&app, token, shift.id, &CloseShift { counted_minor: Some(0), ..Default::default() }).await;
        assert_eq!(c.status, 403, "{who}");
    }
    // A kiosk's QRIS cannot count into a till's shift.
    let o = s.kiosk_order(&app, &kiosk).await;
    let qris = CreatePayment { shift_id: Some(shift.id), ..pos_tests::paying::qris(o.total_minor) };
    let r = pay(&app, &kiosk, o.id, &qris).await.expect(422);
    assert_eq!(field_code(&r, "shift_id"), "shift_unknown");

    // A kitchen display is not a till.
    let (kds, _) = app.pair_device(&s.t.token, s.outlet, "kds").await;
    let r = open(&app, &s.t.token, &open_body(kds, 0, None)).await.expect(422);
    assert_eq!(field_code(&r, "device_id"), "till_unknown");

    // A cashier of another outlet sees nothing of this one and cannot use its till.
    let other = app.create_outlet(&s.t.token, "Cabang").await;
    let (_, stranger) = app.create_staff(&s.t.token, "cashier", &[other]).await;
    let r = open(&app, &stranger, &open_body(till, 0, None)).await.expect(422);
    assert_eq!(field_code(&r, "device_id"), "till_unknown");
    app.get(&path, &stranger).await.expect(404);
    app.get(&format!("{path}/report"), &stranger).await.expect(404);
    move_cash(&app, &stranger, shift.id, &movement(CashMovementKind::Out, 1, "x")).await.expect(404);
    let listed: Page<Shift> = app.get("/api/v1/shifts", &stranger).await.expect(200).json();
    assert!(listed.items.is_empty());
    // Nor can its payments count into this outlet's shift.
    let other_item_order = pos_tests::fixtures::counter_order(other, vec![pos_tests::fixtures::line(s.item, 1)]);
    let o: Order = app.post("/api/v1/orders", Some(&s.t.token), other_item_order).await.expect(201).json();
    let r = pay(&app, &stranger, o.id, in_shift(cash(o.total_minor, None), shift.id)).await.expect(422);
    assert_eq!(field_code(&r, "shift_id"), "shift_unknown");

    // Another brand: not found, and its tills are unknown here.
    let b = app.signup().await;
    app.get(&path, &b.token).await.expect(404);
    close(&app, &b.token, shift.id, &CloseShift { counted_minor: Some(0), ..Default::default() }).await.expect(404);
    let r = open(&app, &b.token, &open_body(till, 0, None)).await.expect(422);
    assert_eq!(field_code(&r, "device_id"), "till_unknown");
    let b_outlet = app.create_outlet(&b.token, "B").await;
    let (b_till, _) = app.pair_device(&b.token, b_outlet, "till").await;
    let r = open(&app, &s.t.token, &open_body(b_till, 0, None)).await.expect(422);
    assert_eq!(field_code(&r, "device_id"), "till_unknown");

    // A revoked till opens nothing; the manager of the outlet may read and close.
    let (_, manager) = app.create_staff(&s.t.token, "manager", &[s.outlet]).await;
    app.get(&path, &manager).await.expect(200);
    app.delete(&format!("/api/v1/devices/{till}"), &s.t.token).await.expect(204);
    close(&app, &manager, shift.id, &CloseShift { counted_minor: Some(0), ..Default::default() }).await.expect(200);
    let r = open(&app, &s.cashier, &open_body(till, 0, None)).await.expect(422);
    assert_eq!(field_code(&r, "device_id"), "till_unknown");
}

async fn admin_get(app: &TestApp, cookie: &str, path: &str) -> (u16, String, Option<String>) {
    let res = app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
    let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).map(str::to_string);
    (res.status().as_u16(), res.text().await.unwrap(), csp)
}

#[tokio::test]
async fn the_admin_shows_a_brands_shifts_to_that_brand_and_outlet_only() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let shift: Shift = open(&app, &s.cashier, &open_body(till, 150_000, None)).await.expect(201).json();
    close(&app, &s.cashier, shift.id, &CloseShift { counted_minor: Some(149_000), ..Default::default() })
        .await
        .expect(200);
    let pages = [format!("/admin/shifts/{}", shift.id), format!("/admin/shifts/{}/print?lang=en", shift.id)];

    // The brand's owner: the list with the variance marked short, the report, the print page.
    let own = app.admin_sign_in(&s.t.email, pos_tests::PASSWORD).await.expect("signed in");
    let (status, html, _) = admin_get(&app, &own, "/admin/shifts").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("id=\"shift-{}\"", shift.id)), "{html}");
    assert!(html.contains("data-variance=\"short\""), "{html}");
    let (status, html, _) = admin_get(&app, &own, &pages[0]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Laporan Z") && html.contains("Rp 149.000"), "{html}");
    let (status, html, csp) = admin_get(&app, &own, &pages[1]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Z report"), "{html}");
    assert!(csp.unwrap_or_default().contains("default-src 'none'"), "the printable page has its own strict CSP");

    // Another brand's owner and a manager of another outlet: not found, not listed.
    let other = app.signup().await;
    let elsewhere = app.create_outlet(&s.t.token, "Cabang").await;
    let email = format!("manager-{}@test.example", Uuid::now_v7().simple());
    let manager = pos_tests::fixtures::user(&email, "Manajer", pos_wire::Role::Manager, &[elsewhere]);
    app.post("/api/v1/users", Some(&s.t.token), manager).await.expect(201);
    for (who, email) in [("another brand", other.email.as_str()), ("another outlet's manager", email.as_str())] {
        let cookie = app.admin_sign_in(email, pos_tests::PASSWORD).await.expect("signed in");
        for path in &pages {
            let (status, html, _) = admin_get(&app, &cookie, path).await;
            assert_eq!(status, 404, "{who}: {path}");
            assert!(!html.contains("149.000"), "{who}: {path} shows nothing of the shift");
        }
        let (status, html, _) = admin_get(&app, &cookie, "/admin/shifts").await;
        assert_eq!(status, 200, "{who}");
        assert!(!html.contains(&shift.id.to_string()), "{who}: the list leaks the shift");
    }
}

#[tokio::test]
async fn the_database_keeps_a_closed_shift_as_it_was_closed() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let shift: Shift = open(&app, &s.cashier, &open_body(till, 50_000, None)).await.expect(201).json();
    close(&app, &s.cashier, shift.id, &CloseShift { counted_minor: Some(50_000), ..Default::default() })
        .await
        .expect(200);
    let z = report(&app, &s.cashier, shift.id).await;

    // Even the server's own role cannot rewrite it or add to it.
    let tx = app.tenant_tx(s.t.tenant_id).await;
    let rewrite = tx
        .execute("UPDATE shifts SET counted_minor = 0, variance_minor = -50000 WHERE id = $1", [shift.id.into()])
        .await;
    assert!(rewrite.is_err_and(|e| e.to_string().contains("is closed")), "a closed shift was rewritten");
    drop(tx);
    let tx = app.tenant_tx(s.t.tenant_id).await;
    let added = tx
        .execute(
            "INSERT INTO shift_cash_movements (tenant_id, id, outlet_id, shift_id, client_movement_id, payload_hash, kind, \
                                               amount_minor, reason) \
             VALUES ($1, $2, $3, $4, $2, '\\x00', 'out', 1000, 'late')",
            [s.t.tenant_id.into(), Uuid::now_v7().into(), s.outlet.into(), shift.id.into()],
        )
        .await;
    assert!(added.is_err_and(|e| e.to_string().contains("is closed")), "cash moved in a closed shift");
    drop(tx);
    assert_eq!(report(&app, &s.cashier, shift.id).await, z);
}

#[tokio::test]
async fn the_shift_report_counts_the_discounts_of_the_orders_it_took_money_for() {
    let app = TestApp::spawn().await;
    let (s, till) = shop_with_till(&app).await;
    let shift: Shift = open(&app, &s.cashier, &open_body(till, 0, None)).await.expect(201).json();
    let discount = |value: i64| pos_wire::CreateDiscount {
        client_discount_id: Uuid::now_v7(),
        line_id: None,
        kind: pos_wire::DiscountKind::Percent,
        value,
        reason: "Member".into(),
        approval: None,
    };
    let mut given = 0;
    for value in [500, 1_000] {
        let o = s.counter_order(&app, 2).await;
        let discounted: Order = app
            .post(&format!("/api/v1/orders/{}/discounts", o.id), Some(&s.t.token), discount(value))
            .await
            .expect(201)
            .json();
        assert!(discounted.discount_minor > 0);
        given += discounted.discount_minor;
        // Paid in two payments: the discount still counts once.
        let half = discounted.total_minor / 2;
        pay(&app, &s.cashier, o.id, in_shift(card(half), shift.id)).await.expect(201);
        let rest = discounted.total_minor - half;
        pay(&app, &s.cashier, o.id, in_shift(cash(rest, Some(rest + 10_000)), shift.id)).await.expect(201);
    }
    // A discounted order paid outside the shift is not this shift's.
    let elsewhere = s.counter_order(&app, 1).await;
    let d: Order = app
        .post(&format!("/api/v1/orders/{}/discounts", elsewhere.id), Some(&s.t.token), discount(500))
        .await
        .expect(201)
        .json();
    pay(&app, &s.cashier, elsewhere.id, card(d.total_minor)).await.expect(201);
    assert_eq!(report(&app, &s.cashier, shift.id).await.discounts_minor, given);
}

/// A till of `s`'s outlet with a cashier signed in on it: (till id, the cashier's till-bound token).
async fn cashier_at_a_till(app: &TestApp, s: &Shop) -> (Uuid, String) {
    let (cashier, _) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    crate::refunds::set_pin(app, &s.t.token, cashier, "914273").await;
    let (till_id, till) = app.pair_device(&s.t.token, s.outlet, "till").await;
    let r = crate::till::sign_in(app, &till, cashier, "914273").await.expect(200);
    (till_id, r.body["access_token"].as_str().unwrap().to_string())
}

fn counter_sale(s: &Shop) -> pos_wire::CreateOrder {
    pos_tests::fixtures::counter_order(s.outlet, vec![pos_tests::fixtures::line(s.item, 1)])
}

/// A till's queued sale as `sync/push` carries it: the order, its shift and its payments.
fn queued(order: &pos_wire::CreateOrder, shift_id: Option<Uuid>, payments: &[CreatePayment]) -> serde_json::Value {
    let mut raw = serde_json::to_value(order).unwrap();
    raw["shift_id"] = serde_json::json!(shift_id);
    raw["payments"] = serde_json::json!(payments);
    raw
}

async fn push(app: &TestApp, token: &str, till_id: Uuid, orders: Vec<serde_json::Value>) -> serde_json::Value {
    let body = serde_json::json!({"device_id": till_id, "orders": orders});
    app.post("/api/v1/sync/push", Some(token), body).await.expect(200).body
}

#[tokio::test]
async fn a_cashier_at_a_till_sells_only_while_its_shift_is_open_and_nobody_else_is_held_to_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let (till_id, at_till) = cashier_at_a_till(&app, &s).await;

    // No open shift: neither the order nor a payment (of an order placed by others).
    let r = app.post("/api/v1/orders", Some(&at_till), counter_sale(&s)).await.expect(409);
    assert_eq!(code(&r), "shift_not_open", "{}", r.text);
    assert!(r.text.contains("shift"), "a message the till can show: {}", r.text);
    let theirs: Order = app.post("/api/v1/orders", Some(&s.cashier), counter_sale(&s)).await.expect(201).json();
    for body in [cash(COFFEE, None), card(COFFEE)] {
        let r = pay(&app, &at_till, theirs.id, body).await.expect(409);
        assert_eq!(code(&r), "shift_not_open");
    }
    // A queued sale naming no shift is refused too, and so is one naming a made-up shift.
    let made_up = Uuid::now_v7();
    let r = push(
        &app,
        &at_till,
        till_id,
        vec![queued(&counter_sale(&s), None, &[]), queued(&counter_sale(&s), Some(made_up), &[])],
    )
    .await;
    for i in 0..2 {
        assert_eq!(r["results"][i]["outcome"], "rejected", "{r}");
        assert_eq!(r["results"][i]["error"]["code"], "shift_not_open", "{r}");
    }
    let none = count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await;
    assert_eq!(none, 0);

    // Unaffected: staff not signed in on a till, and kiosks.
    let paid: Payment = pay(&app, &s.cashier, theirs.id, cash(COFFEE, None)).await.expect(201).json();
    assert_eq!(paid.shift_id, None);
    let owners: Order = app.post("/api/v1/orders", Some(&s.t.token), counter_sale(&s)).await.expect(201).json();
    pay(&app, &s.t.token, owners.id, card(COFFEE)).await.expect(201);
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let kiosk_order = pos_tests::fixtures::kiosk_order(s.outlet, vec![pos_tests::fixtures::line(s.item, 1)]);
    app.post("/api/v1/orders", Some(&kiosk), kiosk_order).await.expect(201);

    // With the shift open the same cashier sells, into its drawer; once closed, no more.
    let shift: Shift = open(&app, &at_till, &open_body(till_id, 200_000, None)).await.expect(201).json();
    let sale: Order = app.post("/api/v1/orders", Some(&at_till), counter_sale(&s)).await.expect(201).json();
    let p: Payment = pay(&app, &at_till, sale.id, cash(COFFEE, Some(50_000))).await.expect(201).json();
    assert_eq!(p.shift_id, Some(shift.id));
    let counted = CloseShift { counted_minor: Some(200_000 + 42_000), denominations: None, client_close_id: None };
    close(&app, &at_till, shift.id, &counted).await.expect(200);
    let r = app.post("/api/v1/orders", Some(&at_till), counter_sale(&s)).await.expect(409);
    assert_eq!(code(&r), "shift_not_open");
}

#[tokio::test]
async fn a_sale_queued_offline_in_an_open_shift_lands_exactly_once_even_after_the_shift_closed() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let (till_id, at_till) = cashier_at_a_till(&app, &s).await;
    let shift: Shift = open(&app, &at_till, &open_body(till_id, 100_000, None)).await.expect(201).json();

    // Two sales taken offline in the shift; the first is pushed before the close.
    let first = counter_sale(&s);
    let first_paid = in_shift(cash(COFFEE, Some(50_000)), shift.id);
    let r =
        push(&app, &at_till, till_id, vec![queued(&first, Some(shift.id), std::slice::from_ref(&first_paid))]).await;
    assert_eq!(
        (&r["results"][0]["outcome"], &r["results"][0]["payments"][0]["outcome"]),
        (&"created".into(), &"created".into()),
        "{r}"
    );

    // A manager closes the shift from the back office while the till is still offline.
    let counted = CloseShift { counted_minor: Some(100_000 + 42_000 * 2), denominations: None, client_close_id: None };
    let closed: Shift = close(&app, &s.t.token, shift.id, &counted).await.expect(200).json();
    assert_eq!(closed.variance_minor, Some(42_000), "the second sale's cash is in the drawer, not yet on record");
    let z = report(&app, &s.t.token, shift.id).await;
    assert_eq!(z.sales_total_minor, COFFEE, "the Z report counts the sale pushed before the close");

    // The second sale comes in now: it lands, outside the counted drawer, and a resend is a duplicate.
    let second = counter_sale(&s);
    let second_paid = in_shift(cash(COFFEE, None), shift.id);
    let batch = vec![
        queued(&first, Some(shift.id), std::slice::from_ref(&first_paid)),
        queued(&second, Some(shift.id), std::slice::from_ref(&second_paid)),
    ];
    for (round, outcome) in ["created", "duplicate"].into_iter().enumerate() {
        let r = push(&app, &at_till, till_id, batch.clone()).await;
        assert_eq!(r["results"][0]["outcome"], "duplicate", "round {round}: {r}");
        assert_eq!(r["results"][0]["payments"][0]["outcome"], "duplicate", "round {round}: {r}");
        assert_eq!(r["results"][1]["outcome"], outcome, "round {round}: {r}");
        assert_eq!(r["results"][1]["payments"][0]["outcome"], outcome, "round {round}: {r}");
        assert_eq!(r["results"][1]["payments"][0]["payment"]["shift_id"], serde_json::Value::Null, "{r}");
    }
    let (orders, payments) = (
        count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM orders", vec![]).await,
        count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await,
    );
    assert_eq!((orders, payments), (2, 2), "exactly once each");
    assert_eq!(report(&app, &s.t.token, shift.id).await, z, "a Z report never changes");

    // A sale that claims the shift but was taken outside it (before it opened) is refused,
    // as is one that claims another till's shift.
    let before = pos_tests::fixtures::order_at(
        s.outlet,
        pos_wire::Channel::Counter,
        vec![pos_tests::fixtures::line(s.item, 1)],
        shift.opened_at - chrono::Duration::minutes(30),
    );
    let (other_till, other_cashier) = cashier_at_a_till(&app, &s).await;
    let others: Shift = open(&app, &other_cashier, &open_body(other_till, 0, None)).await.expect(201).json();
    let r = push(
        &app,
        &at_till,
        till_id,
        vec![queued(&before, Some(shift.id), &[]), queued(&counter_sale(&s), Some(others.id), &[])],
    )
    .await;
    for i in 0..2 {
        assert_eq!(r["results"][i]["error"]["code"], "shift_not_open", "{r}");
    }
    let mut garbled = queued(&counter_sale(&s), None, &[]);
    garbled["shift_id"] = serde_json::json!("not-a-shift");
    let r = push(&app, &at_till, till_id, vec![garbled]).await;
    assert_eq!(r["results"][0]["outcome"], "rejected", "{r}");
    assert!(r["results"][0]["error"]["errors"]["shift_id"].is_array(), "the field at fault: {r}");

    // With a shift open on the till again, a queued sale lands in it without naming it.
    let next: Shift = open(&app, &at_till, &open_body(till_id, 0, None)).await.expect(201).json();
    let r = push(&app, &at_till, till_id, vec![queued(&counter_sale(&s), None, &[cash(COFFEE, None)])]).await;
    assert_eq!(r["results"][0]["payments"][0]["payment"]["shift_id"], serde_json::json!(next.id), "{r}");
}
