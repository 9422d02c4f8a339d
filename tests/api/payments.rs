//! Payments on orders: cash with rounding and change, card from the
//! terminal, split tender, exactly once per `client_payment_id`, gapless
//! receipt numbers, who may record what, events, and kiosk orders that reach
//! the kitchen only once paid.

use std::time::Duration;

use pos_tests::{
    SseClient, TestApp,
    paying::{COFFEE, card, cash, code, count, field_code, order, pay, payment, qris, shop},
};
use pos_wire::{KitchenRelease, OrderPaymentStatus, Payment, PaymentMethod, PaymentStatus, UpdateOutlet};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn cash_is_rounded_to_the_outlets_step_and_settles_the_order_with_a_receipt_number() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let o = s.counter_order(&app, 1).await;
    assert_eq!(o.total_minor, COFFEE);
    assert_eq!((o.payment_status, o.paid_minor, o.receipt_number), (OrderPaymentStatus::Unpaid, 0, None));

    // Exact cash: Rp 41.958 is Rp 42.000 in coins and notes.
    let body = cash(COFFEE, None);
    let p: Payment = pay(&app, &s.cashier, o.id, &body).await.expect(201).json();
    assert_eq!((p.method, p.status, p.amount_minor), (PaymentMethod::Cash, PaymentStatus::Paid, COFFEE));
    assert_eq!((p.rounding_minor, p.tendered_minor, p.change_minor), (42, Some(42_000), Some(0)));
    assert!(p.paid_at.is_some());

    let read = order(&app, &s.cashier, o.id).await;
    assert_eq!(read.payment_status, OrderPaymentStatus::Paid);
    assert_eq!((read.paid_minor, read.rounding_minor, read.receipt_number), (COFFEE, 42, Some(1)));
    assert!(read.paid_at.is_some());
    assert_eq!(read.payments, vec![p.clone()], "the order carries its payments");
    let listed: pos_wire::Page<pos_wire::Order> =
        app.get(&format!("/api/v1/orders?outlet_id={}", s.outlet), &s.cashier).await.expect(200).json();
    assert_eq!(listed.items[0].payments, vec![p.clone()]);

    // The same payment again is the same payment; other content under its key is refused.
    let again: Payment = pay(&app, &s.cashier, o.id, &body).await.expect(200).json();
    assert_eq!(again, p);
    let other = pos_wire::CreatePayment { amount_minor: 50_000, ..body.clone() };
    let r = pay(&app, &s.cashier, o.id, &other).await.expect(409);
    assert_eq!(code(&r), "client_payment_id_reused");
    // Nothing more is due.
    let r = pay(&app, &s.cashier, o.id, cash(1_000, None)).await.expect(409);
    assert_eq!(code(&r), "order_already_paid");

    // Change from a note, and too little cash, at the next order.
    let o2 = s.counter_order(&app, 1).await;
    let r = pay(&app, &s.cashier, o2.id, cash(COFFEE, Some(41_958))).await.expect(422);
    assert_eq!(field_code(&r, "tendered_minor"), "tendered_below_due");
    assert_eq!(r.body["error_codes"]["tendered_minor"][0]["params"]["due_minor"], 42_000);
    let p2: Payment = pay(&app, &s.cashier, o2.id, cash(100_000, None)).await.expect(201).json();
    assert_eq!(
        (p2.amount_minor, p2.rounding_minor, p2.tendered_minor, p2.change_minor),
        (COFFEE, 42, Some(100_000), Some(58_000))
    );
    assert_eq!(order(&app, &s.cashier, o2.id).await.receipt_number, Some(2), "the refused payment took no number");
    // Each payment is in the audit log, with who took it.
    let audited = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'payment.create' AND entity_id = ANY($1) \
            AND actor_kind = 'user' AND actor_id IS NOT NULL",
        vec![vec![p.id, p2.id].into()],
    )
    .await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn split_tender_pays_until_the_total_and_no_further() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 500).await;
    let o = s.counter_order(&app, 2).await;
    let total = 2 * COFFEE;

    let first: Payment = pay(&app, &s.cashier, o.id, card(50_000)).await.expect(201).json();
    assert_eq!(first.card.as_ref().map(|c| c.last4.as_deref()), Some(Some("4242")));
    let read = order(&app, &s.cashier, o.id).await;
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::PartiallyPaid, 50_000, None)
    );

    // A card pays no more than is due; cash a part is not rounded.
    let r = pay(&app, &s.cashier, o.id, card(total)).await.expect(422);
    assert_eq!(field_code(&r, "amount_minor"), "amount_above_balance");
    assert_eq!(r.body["error_codes"]["amount_minor"][0]["params"]["balance_minor"], total - 50_000);
    let part: Payment = pay(&app, &s.cashier, o.id, cash(10_001, None)).await.expect(201).json();
    assert_eq!((part.amount_minor, part.rounding_minor, part.change_minor), (10_001, 0, Some(0)));

    // The rest in cash, rounded to Rp 500: 23.915 is 24.000.
    let rest = total - 60_001;
    assert_eq!(rest, 23_915);
    let last: Payment = pay(&app, &s.cashier, o.id, cash(50_000, None)).await.expect(201).json();
    assert_eq!((last.amount_minor, last.rounding_minor, last.change_minor), (rest, 85, Some(26_000)));
    let read = order(&app, &s.cashier, o.id).await;
    assert_eq!((read.payment_status, read.paid_minor, read.rounding_minor), (OrderPaymentStatus::Paid, total, 85));
    assert_eq!(read.receipt_number, Some(1));
    assert_eq!(read.payments.iter().map(|p| p.id).collect::<Vec<_>>(), [first.id, part.id, last.id]);
}

#[tokio::test]
async fn what_a_payment_request_may_carry() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 0).await;
    let o = s.counter_order(&app, 1).await;
    let no_slip = payment(PaymentMethod::Card, 1_000);
    assert_eq!(field_code(&pay(&app, &s.cashier, o.id, &no_slip).await.expect(422), "card"), "card_details_required");
    let mut bad_slip = card(1_000);
    bad_slip.card.as_mut().unwrap().approval_code = "no way!".into();
    bad_slip.card.as_mut().unwrap().last4 = Some("42".into());
    let r = pay(&app, &s.cashier, o.id, &bad_slip).await.expect(422);
    assert_eq!(field_code(&r, "card.approval_code"), "approval_code_invalid");
    assert_eq!(field_code(&r, "card.last4"), "card_last_four_invalid");
    let cash_with_slip = pos_wire::CreatePayment { card: card(1).card, ..cash(1_000, None) };
    assert_eq!(
        field_code(&pay(&app, &s.cashier, o.id, &cash_with_slip).await.expect(422), "card"),
        "card_details_card_only"
    );
    let card_with_tender = pos_wire::CreatePayment { tendered_minor: Some(5), ..card(1_000) };
    let r = pay(&app, &s.cashier, o.id, &card_with_tender).await.expect(422);
    assert_eq!(field_code(&r, "tendered_minor"), "tendered_cash_only");
    assert_eq!(
        field_code(&pay(&app, &s.cashier, o.id, cash(0, None)).await.expect(422), "amount_minor"),
        "out_of_range"
    );
    let shift = pos_wire::CreatePayment { shift_id: Some(Uuid::now_v7()), ..cash(1_000, None) };
    assert_eq!(field_code(&pay(&app, &s.cashier, o.id, &shift).await.expect(422), "shift_id"), "shift_unknown");
    // Card numbers have no field anywhere.
    let pan = json!({"client_payment_id": Uuid::now_v7(), "method": "card", "amount_minor": 1000,
                     "card": {"approval_code": "A1", "pan": "4111111111111111", "cvv": "123"}});
    assert_eq!(code(&pay(&app, &s.cashier, o.id, pan).await.expect(422)), "validation_failed");
    // QRIS without a gateway: cash and card still work.
    assert_eq!(code(&pay(&app, &s.cashier, o.id, qris(1_000)).await.expect(503)), "payment_gateway_unavailable");
    assert_eq!(count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await, 0);
}

#[tokio::test]
async fn twenty_parallel_posts_of_one_client_payment_id_make_one_payment() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let o = s.counter_order(&app, 1).await;
    let body = cash(50_000, None);
    let posts = (0..20).map(|_| pay(&app, &s.cashier, o.id, &body));
    let replies = futures_util::future::join_all(posts).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 19, "{statuses:?}");
    let ids: std::collections::HashSet<Uuid> = replies.iter().map(|r| r.json::<Payment>().id).collect();
    assert_eq!(ids.len(), 1);
    let n =
        count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments WHERE order_id = $1", vec![o.id.into()])
            .await;
    assert_eq!(n, 1);
    let read = order(&app, &s.cashier, o.id).await;
    assert_eq!((read.paid_minor, read.receipt_number), (COFFEE, Some(1)));
}

#[tokio::test]
async fn receipt_numbers_are_gapless_under_concurrent_payments_at_one_outlet() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let mut orders = Vec::new();
    for _ in 0..24 {
        orders.push(s.counter_order(&app, 1).await);
    }
    // Every fourth payment is refused inside its transaction (too little
    // cash): its order keeps no number and leaves no hole.
    let payments = orders.iter().enumerate().map(|(i, o)| {
        let tendered = if i % 4 == 3 { Some(100) } else { None };
        pay(&app, &s.cashier, o.id, cash(COFFEE, tendered))
    });
    let replies = futures_util::future::join_all(payments).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 18);
    assert_eq!(replies.iter().filter(|r| r.status == 422).count(), 6);
    let mut numbers = Vec::new();
    for o in &orders {
        if let Some(n) = order(&app, &s.cashier, o.id).await.receipt_number {
            numbers.push(n);
        }
    }
    numbers.sort();
    assert_eq!(numbers, (1..=18).collect::<Vec<i64>>(), "sequential, without gaps");
    // Another outlet counts its own.
    let other = app.create_outlet(&s.t.token, "Kopi 2").await;
    app.patch(&format!("/api/v1/outlets/{other}"), &s.t.token, pos_tests::fixtures::outlet_rates(0, 0))
        .await
        .expect(200);
    let body = pos_tests::fixtures::counter_order(other, vec![pos_tests::fixtures::line(s.item, 1)]);
    let o: pos_wire::Order = app.post("/api/v1/orders", Some(&s.t.token), body).await.expect(201).json();
    pay(&app, &s.t.token, o.id, card(COFFEE)).await.expect(201);
    assert_eq!(order(&app, &s.t.token, o.id).await.receipt_number, Some(1));
}

#[tokio::test]
async fn only_the_counter_records_cash_and_card_and_a_kiosk_only_its_own_qris() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 0).await;
    let o = s.counter_order(&app, 1).await;
    let (_, kitchen) = app.create_staff(&s.t.token, "kitchen", &[s.outlet]).await;
    let r = pay(&app, &kitchen, o.id, cash(COFFEE, None)).await.expect(403);
    assert_eq!(code(&r), "role_not_allowed");
    let (_, kds) = app.pair_device(&s.t.token, s.outlet, "kds").await;
    assert_eq!(code(&pay(&app, &kds, o.id, cash(COFFEE, None)).await.expect(403)), "devices_record_no_payments");
    let (_, board) = app.pair_device(&s.t.token, s.outlet, "board").await;
    pay(&app, &board, o.id, qris(COFFEE)).await.expect(403);
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let (_, other_kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let mine = s.kiosk_order(&app, &kiosk).await;
    assert_eq!(code(&pay(&app, &kiosk, mine.id, cash(COFFEE, None)).await.expect(403)), "kiosks_pay_by_qris_only");
    assert_eq!(code(&pay(&app, &kiosk, mine.id, card(COFFEE)).await.expect(403)), "kiosks_pay_by_qris_only");
    // Another kiosk's order, or a counter order, does not exist for a kiosk.
    pay(&app, &other_kiosk, mine.id, qris(COFFEE)).await.expect(404);
    pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(404);
    // Its own: allowed, and here refused only for want of a gateway.
    pay(&app, &kiosk, mine.id, qris(COFFEE)).await.expect(503);
    // A cashier of another outlet does not see the order.
    let elsewhere = app.create_outlet(&s.t.token, "Elsewhere").await;
    let (_, stranger) = app.create_staff(&s.t.token, "cashier", &[elsewhere]).await;
    pay(&app, &stranger, o.id, cash(COFFEE, None)).await.expect(404);
    // Owners, managers and cashiers take money.
    let (_, manager) = app.create_staff(&s.t.token, "manager", &[s.outlet]).await;
    pay(&app, &manager, o.id, card(1_000)).await.expect(201);
    pay(&app, &s.t.token, o.id, card(1_000)).await.expect(201);
    pay(&app, &s.cashier, mine.id, card(1_000)).await.expect(201);
    let n = count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await;
    assert_eq!(n, 3, "no refused request left a payment");
}

#[tokio::test]
async fn a_cancelled_order_takes_no_payment() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 0).await;
    let o = s.counter_order(&app, 1).await;
    let cancel = pos_wire::ChangeOrderStatus { status: pos_wire::OrderStatus::Cancelled, reason: Some("left".into()) };
    // A cashier cancels only by a void with a manager's approval; the owner cancels.
    app.post(&format!("/api/v1/orders/{}/status", o.id), Some(&s.t.token), cancel).await.expect(200);
    assert_eq!(code(&pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(409)), "order_not_payable");
}

#[tokio::test]
async fn payments_are_announced_and_kiosk_orders_reach_the_kitchen_once_paid() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let release = UpdateOutlet { kiosk_kitchen_release: Some(KitchenRelease::OnPaid), ..Default::default() };
    app.patch(&format!("/api/v1/outlets/{}", s.outlet), &s.t.token, release).await.expect(200);
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let (_, kds) = app.pair_device(&s.t.token, s.outlet, "kds").await;
    let events = app.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let mut kitchen = SseClient::connect(&events, &kds, None).await;
    let mut at_kiosk = SseClient::connect(&events, &kiosk, None).await;

    let o = s.kiosk_order(&app, &kiosk).await;
    assert_eq!(open_tickets(&app, s.outlet, &kds).await, 0, "an unpaid kiosk order waits out of the kitchen's sight");
    // A counter order at the same outlet goes straight to the kitchen.
    s.counter_order(&app, 1).await;
    assert_eq!(open_tickets(&app, s.outlet, &kds).await, 1);

    let p: Payment = pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(201).json();
    assert_eq!(open_tickets(&app, s.outlet, &kds).await, 2, "paid: the kitchen has it");

    let seen = kitchen.drain(Duration::from_millis(700)).await;
    let kinds: Vec<&str> = seen.iter().map(|e| e.event.as_str()).collect();
    let created_for =
        |id: Uuid| seen.iter().filter(|e| e.event == "ticket.created" && e.data["order_id"] == id.to_string()).count();
    assert_eq!(created_for(o.id), 1, "{kinds:?}");
    let paid_at = kinds.iter().position(|k| *k == "order.paid").expect("order.paid");
    let ticket_at =
        seen.iter().position(|e| e.event == "ticket.created" && e.data["order_id"] == o.id.to_string()).unwrap();
    assert!(ticket_at > paid_at, "the ticket opens when the order is paid: {kinds:?}");
    let updated = seen.iter().find(|e| e.event == "payment.updated").expect("payment.updated");
    assert_eq!(updated.data["payment"]["id"], p.id.to_string());
    assert_eq!(updated.data["payment_status"], "paid");
    let paid = &seen[paid_at];
    assert_eq!(
        (paid.data["order_id"].as_str(), paid.data["receipt_number"].as_i64()),
        (Some(o.id.to_string().as_str()), Some(1))
    );

    // The kiosk follows its own order's money, never the kitchen's tickets.
    let mine = at_kiosk.drain(Duration::from_millis(500)).await;
    let kinds: Vec<&str> = mine.iter().map(|e| e.event.as_str()).collect();
    assert!(kinds.contains(&"payment.updated") && kinds.contains(&"order.paid"), "{kinds:?}");
    assert!(!kinds.contains(&"ticket.created"), "{kinds:?}");
}

async fn open_tickets(app: &TestApp, outlet: Uuid, kds: &str) -> usize {
    app.get(&format!("/api/v1/outlets/{outlet}/tickets"), kds).await.expect(200).body.as_array().unwrap().len()
}

#[tokio::test]
async fn payments_riding_with_pushed_orders_follow_the_online_rules() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 100).await;
    let (kiosk_id, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let order = |payments: serde_json::Value| {
        let mut o = serde_json::to_value(pos_tests::fixtures::kiosk_order(
            s.outlet,
            vec![pos_tests::fixtures::line(s.item, 1)],
        ))
        .unwrap();
        o["payments"] = payments;
        o
    };
    let cash_taken = serde_json::to_value(cash(COFFEE, None)).unwrap();
    let qris_queued = serde_json::to_value(qris(COFFEE)).unwrap();
    let with_payments = order(json!([cash_taken, qris_queued]));
    let broken = order(json!("not a list"));
    let push = json!({"device_id": kiosk_id, "orders": [with_payments, broken]});
    for round in 0..2 {
        let r = app.post("/api/v1/sync/push", Some(&kiosk), &push).await.expect(200);
        let first = &r.body["results"][0];
        assert_eq!(first["outcome"], if round == 0 { "created" } else { "duplicate" }, "{}", r.text);
        // A kiosk takes no cash, queued or not; QRIS is never queued.
        assert_eq!(first["payments"][0]["outcome"], "rejected");
        assert_eq!(first["payments"][0]["error"]["code"], "kiosks_pay_by_qris_only");
        assert_eq!(first["payments"][0]["client_payment_id"], cash_taken["client_payment_id"]);
        assert_eq!(first["payments"][1]["outcome"], "rejected");
        assert_eq!(first["payments"][1]["error"]["error_codes"]["method"][0]["code"], "qris_online_only");
        let second = &r.body["results"][1];
        assert_eq!(second["outcome"], "rejected");
        assert!(second["error"]["error_codes"]["payments"].is_array(), "{}", r.text);
    }
    assert_eq!(count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await, 0);
    assert_eq!(count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM orders", vec![]).await, 1);
}

#[tokio::test]
async fn every_answer_that_shows_an_order_shows_its_payments() {
    let app = TestApp::spawn().await;
    let s = shop(&app, 0).await;
    let body = pos_tests::fixtures::counter_order(s.outlet, vec![pos_tests::fixtures::line(s.item, 1)]);
    let o: pos_wire::Order = app.post("/api/v1/orders", Some(&s.cashier), &body).await.expect(201).json();
    let p: Payment = pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(201).json();

    // The order sent again (a device that never heard the answer).
    let replay: pos_wire::Order = app.post("/api/v1/orders", Some(&s.cashier), &body).await.expect(200).json();
    assert_eq!((replay.payment_status, replay.payments.clone()), (OrderPaymentStatus::Paid, vec![p.clone()]));

    // The kitchen moves it on.
    let moved: pos_wire::Order = app
        .post(&format!("/api/v1/orders/{}/status", o.id), Some(&s.t.token), json!({"status": "accepted"}))
        .await
        .expect(200)
        .json();
    assert_eq!(moved.payments, vec![p]);
}
