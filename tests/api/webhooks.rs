//! QRIS through the gateway stand-in: charges, the signed webhook (a bad
//! signature, a wrong amount, replays, a late `pending` after `settlement`),
//! declines and expiry, cancelling a pending QR for another way to pay, and
//! a webhook racing the reconciliation job.

use std::time::Duration;

use pos_backend::payments::{gateway::midtrans::signature, reconcile::reconcile_once_for};
use pos_tests::{
    GATEWAY_KEY, SseClient, TestApp,
    paying::{COFFEE, Shop, cash, code, count, order, pay, qris, shop},
};
use pos_wire::{OrderPaymentStatus, Payment, PaymentStatus};
use serde_json::{Value, json};
use uuid::Uuid;

const WEBHOOK: &str = "/api/v1/payments/webhooks/midtrans";

pub(crate) async fn standin(app: &TestApp, base: &str, path: &str) -> Value {
    let r = app.client.post(format!("{base}{path}")).send().await.unwrap();
    TestApp::read(r).await.body
}

async fn charges(app: &TestApp, base: &str) -> Vec<Value> {
    let r = app.client.get(format!("{base}/_standin/charges")).send().await.unwrap();
    TestApp::read(r).await.body["charges"].as_array().cloned().unwrap_or_default()
}

pub(crate) fn gateway_id(p: &Payment) -> String {
    format!("pay-{}", p.id)
}

/// A notification as Midtrans signs it, with `key`.
fn notification(order_id: &str, status: &str, gross: i64, key: &str) -> Value {
    let code = match status {
        "settlement" | "capture" => "200",
        "pending" => "201",
        _ => "202",
    };
    let gross = format!("{gross}.00");
    json!({"order_id": order_id, "transaction_status": status, "status_code": code, "gross_amount": gross,
           "transaction_id": Uuid::new_v4().to_string(), "payment_type": "qris", "currency": "IDR",
           "signature_key": signature(order_id, code, &gross, key)})
}

/// Waits (at most 5 s) until the payment `p` of order `o` is `status`.
pub(crate) async fn until(app: &TestApp, token: &str, o: Uuid, p: Uuid, status: PaymentStatus) -> pos_wire::Order {
    for _ in 0..100 {
        let read = order(app, token, o).await;
        if read.payments.iter().any(|x| x.id == p && x.status == status) {
            // The order and its payments are two reads: read again, now
            // that the change is committed, for a consistent order.
            return order(app, token, o).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("payment {p} never became {status:?}: {:?}", order(app, token, o).await.payments);
}

async fn kiosk_shop(app: &TestApp) -> (Shop, String) {
    let s = shop(app, 100).await;
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    (s, kiosk)
}

#[tokio::test]
async fn a_kiosk_customer_pays_by_qris_and_the_kiosk_hears_it_paid() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let o = s.kiosk_order(&app, &kiosk).await;
    let mut stream = SseClient::connect(&app.url(&format!("/api/v1/outlets/{}/events", s.outlet)), &kiosk, None).await;

    let r = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201);
    let p: Payment = r.json();
    assert_eq!(p.status, PaymentStatus::Pending);
    assert!(p.qr_string.as_deref().is_some_and(|q| q.starts_with("000201")), "{:?}", p.qr_string);
    assert!(p.expires_at.is_some_and(|t| t > chrono::Utc::now()));
    assert!(p.gateway_ref.is_some());
    let at_gateway = charges(&app, &gw).await;
    assert_eq!(at_gateway.len(), 1);
    assert_eq!(
        (at_gateway[0]["order_id"].as_str(), at_gateway[0]["gross_amount"].as_str()),
        (Some(gateway_id(&p).as_str()), Some("41958.00"))
    );
    // QRIS is not rounded: a wallet pays to the rupiah.
    assert_eq!(p.rounding_minor, 0);

    standin(&app, &gw, &format!("/_standin/charges/{}/pay", gateway_id(&p))).await;
    let read = until(&app, &kiosk, o.id, p.id, PaymentStatus::Paid).await;
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::Paid, COFFEE, Some(1))
    );
    assert!(read.payments[0].qr_string.is_none(), "a paid QR is not drawn again");

    let seen = stream.drain(Duration::from_millis(500)).await;
    let statuses: Vec<&str> = seen
        .iter()
        .filter(|e| e.event == "payment.updated")
        .map(|e| e.data["payment"]["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["pending", "paid"]);
    assert_eq!(seen.iter().filter(|e| e.event == "order.paid").count(), 1);
}

#[tokio::test]
async fn bad_signatures_wrong_amounts_replays_and_late_states_change_nothing() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let o = s.kiosk_order(&app, &kiosk).await;
    let p: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    let id = gateway_id(&p);

    // Signed with another key: 401, still pending.
    let forged = notification(&id, "settlement", COFFEE, "not-our-key");
    let r = app.post(WEBHOOK, None, &forged).await.expect(401);
    assert_eq!(code(&r), "notification_signature_invalid");
    let mut tampered = notification(&id, "settlement", COFFEE, GATEWAY_KEY);
    tampered["transaction_status"] = json!("settlement");
    tampered["gross_amount"] = json!("1.00");
    app.post(WEBHOOK, None, &tampered).await.expect(401);
    // Properly signed, but not the charge's amount: 422, still pending.
    let r = app.post(WEBHOOK, None, notification(&id, "settlement", COFFEE - 1, GATEWAY_KEY)).await.expect(422);
    assert_eq!(r.body["error_codes"]["gross_amount"][0]["code"], "notification_amount_mismatch");
    // A charge we never made.
    app.post(WEBHOOK, None, notification("pay-nobody", "settlement", COFFEE, GATEWAY_KEY)).await.expect(404);
    let read = order(&app, &kiosk, o.id).await;
    assert_eq!((read.payments[0].status, read.paid_minor), (PaymentStatus::Pending, 0));

    // The real one.
    let real = notification(&id, "settlement", COFFEE, GATEWAY_KEY);
    let r = app.post(WEBHOOK, None, &real).await.expect(200);
    assert_eq!(r.body["outcome"], "paid");
    // Replayed, by us and by the gateway's retry; a late pending, and an
    // expiry after the settlement: all taken, none changes anything.
    assert_eq!(app.post(WEBHOOK, None, &real).await.expect(200).body["outcome"], "unchanged");
    let late = notification(&id, "pending", COFFEE, GATEWAY_KEY);
    assert_eq!(app.post(WEBHOOK, None, &late).await.expect(200).body["outcome"], "unchanged");
    assert_eq!(
        app.post(WEBHOOK, None, notification(&id, "expire", COFFEE, GATEWAY_KEY)).await.expect(200).body["outcome"],
        "unchanged"
    );
    standin(&app, &gw, &format!("/_standin/charges/{id}/pay?notify=false")).await;
    standin(&app, &gw, &format!("/_standin/charges/{id}/notify?transaction_status=pending")).await;
    standin(&app, &gw, &format!("/_standin/charges/{id}/notify")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let read = order(&app, &kiosk, o.id).await;
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::Paid, COFFEE, Some(1))
    );
    assert_eq!(read.payments.len(), 1);
    assert_eq!(read.payments[0].status, PaymentStatus::Paid);
    let events = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM outlet_events WHERE kind = 'order.paid' AND data->>'order_id' = $1",
        vec![o.id.to_string().into()],
    )
    .await;
    assert_eq!(events, 1, "paid once");
    let logged = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM gateway_notifications WHERE gateway_order_id = $1",
        vec![id.clone().into()],
    )
    .await;
    assert!(logged >= 5, "every notification of the tenant's charge is logged ({logged})");
}

#[tokio::test]
async fn declined_and_expired_qr_codes_leave_the_order_to_be_paid_otherwise() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let o = s.kiosk_order(&app, &kiosk).await;
    let declined: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    standin(&app, &gw, &format!("/_standin/charges/{}/deny", gateway_id(&declined))).await;
    until(&app, &kiosk, o.id, declined.id, PaymentStatus::Failed).await;
    let expired: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    standin(&app, &gw, &format!("/_standin/charges/{}/expire", gateway_id(&expired))).await;
    let read = until(&app, &kiosk, o.id, expired.id, PaymentStatus::Expired).await;
    assert_eq!((read.payment_status, read.paid_minor), (OrderPaymentStatus::Unpaid, 0));
    // At the counter.
    pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(201);
    assert_eq!(order(&app, &kiosk, o.id).await.payment_status, OrderPaymentStatus::Paid);
}

#[tokio::test]
async fn another_way_to_pay_cancels_the_pending_qr_code_first() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let o = s.kiosk_order(&app, &kiosk).await;
    let first: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    // The customer tries again: the first code is cancelled at the gateway.
    let second: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    let read = order(&app, &kiosk, o.id).await;
    let status = |id: Uuid| read.payments.iter().find(|p| p.id == id).unwrap().status;
    assert_eq!((status(first.id), status(second.id)), (PaymentStatus::Cancelled, PaymentStatus::Pending));
    let at_gateway = charges(&app, &gw).await;
    let first_there = at_gateway.iter().find(|c| c["order_id"] == gateway_id(&first)).unwrap();
    assert_eq!(first_there["transaction_status"], "cancel");

    // The kiosk gives up on the second; then pays at the counter.
    let r = app.post(&format!("/api/v1/payments/{}/cancel", second.id), Some(&kiosk), json!({})).await.expect(200);
    assert_eq!(r.body["status"], "cancelled");
    assert_eq!(
        code(&app.post(&format!("/api/v1/payments/{}/cancel", second.id), Some(&kiosk), json!({})).await.expect(409)),
        "payment_not_pending"
    );

    // A third code, paid at the gateway without a word to us (lost webhook),
    // then the cashier takes cash: the cancel fails, the status call says
    // paid, and the cash is refused because nothing is due.
    let third: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    standin(&app, &gw, &format!("/_standin/charges/{}/pay?notify=false", gateway_id(&third))).await;
    let r = pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(409);
    assert_eq!(code(&r), "order_already_paid");
    let read = order(&app, &kiosk, o.id).await;
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::Paid, COFFEE, Some(1))
    );
    assert_eq!(read.payments.iter().filter(|p| p.status == PaymentStatus::Paid).count(), 1);
}

/// Makes a payment look as old as the reconciliation job's threshold (and,
/// with `expired`, past its QR code's expiry).
async fn age(app: &TestApp, tenant: Uuid, payment: Uuid, expired: bool) {
    let tx = app.tenant_tx(tenant).await;
    tx.execute(
        "UPDATE payments SET created_at = now() - interval '1 hour', \
                expires_at = CASE WHEN $2 THEN now() - interval '1 minute' ELSE expires_at END WHERE id = $1",
        [payment.into(), expired.into()],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_reconciliation_job_finds_lost_webhooks_and_expires_old_codes() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let paid_order = s.kiosk_order(&app, &kiosk).await;
    let lost: Payment = pay(&app, &kiosk, paid_order.id, qris(COFFEE)).await.expect(201).json();
    standin(&app, &gw, &format!("/_standin/charges/{}/pay?notify=false", gateway_id(&lost))).await;
    let idle_order = s.kiosk_order(&app, &kiosk).await;
    let idle: Payment = pay(&app, &kiosk, idle_order.id, qris(COFFEE)).await.expect(201).json();
    let fresh_order = s.kiosk_order(&app, &kiosk).await;
    let fresh: Payment = pay(&app, &kiosk, fresh_order.id, qris(COFFEE)).await.expect(201).json();
    age(&app, s.t.tenant_id, lost.id, false).await;
    age(&app, s.t.tenant_id, idle.id, true).await;

    reconcile_once_for(&app.state, Some(s.t.tenant_id)).await.unwrap();
    until(&app, &kiosk, paid_order.id, lost.id, PaymentStatus::Paid).await;
    let read = until(&app, &kiosk, idle_order.id, idle.id, PaymentStatus::Expired).await;
    assert_eq!(read.payment_status, OrderPaymentStatus::Unpaid);
    let at_gateway = charges(&app, &gw).await;
    let idle_there = at_gateway.iter().find(|c| c["order_id"] == gateway_id(&idle)).unwrap();
    assert_eq!(idle_there["transaction_status"], "cancel", "ended at the gateway too");
    // Young charges are left to their webhooks.
    until(&app, &kiosk, fresh_order.id, fresh.id, PaymentStatus::Pending).await;
}

#[tokio::test]
async fn a_webhook_racing_the_reconciliation_job_leaves_exactly_one_state() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let mut races = Vec::new();
    for _ in 0..6 {
        let o = s.kiosk_order(&app, &kiosk).await;
        let p: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
        standin(&app, &gw, &format!("/_standin/charges/{}/pay?notify=false", gateway_id(&p))).await;
        age(&app, s.t.tenant_id, p.id, false).await;
        races.push((o.id, p));
    }
    let app = &app;
    let webhooks = races.iter().map(|(_, p)| {
        let body = notification(&gateway_id(p), "settlement", COFFEE, GATEWAY_KEY);
        async move { app.post(WEBHOOK, None, body).await.status.as_u16() }
    });
    let (statuses, job) =
        tokio::join!(futures_util::future::join_all(webhooks), reconcile_once_for(&app.state, Some(s.t.tenant_id)));
    job.unwrap();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let mut numbers = Vec::new();
    for (o, p) in &races {
        let read = order(app, &kiosk, *o).await;
        assert_eq!((read.payment_status, read.paid_minor), (OrderPaymentStatus::Paid, COFFEE));
        assert_eq!(read.payments.iter().find(|x| x.id == p.id).unwrap().status, PaymentStatus::Paid);
        numbers.push(read.receipt_number.unwrap());
        let paid_events = count(
            app,
            s.t.tenant_id,
            "SELECT count(*)::bigint AS n FROM outlet_events WHERE kind = 'order.paid' AND data->>'order_id' = $1",
            vec![o.to_string().into()],
        )
        .await;
        assert_eq!(paid_events, 1);
    }
    numbers.sort();
    assert_eq!(numbers, (1..=6).collect::<Vec<i64>>());
}

#[tokio::test]
async fn a_qr_code_paid_after_we_gave_up_on_it_counts_or_waits_for_a_refund() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let late_pay = |p: &Payment| format!("/_standin/charges/{}/pay-late", gateway_id(p));

    // Expired here and at the gateway, then the customer's bank completes
    // it after all: the order still needs the money, so it counts.
    let o = s.kiosk_order(&app, &kiosk).await;
    let late: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    standin(&app, &gw, &format!("/_standin/charges/{}/expire", gateway_id(&late))).await;
    until(&app, &kiosk, o.id, late.id, PaymentStatus::Expired).await;
    standin(&app, &gw, &late_pay(&late)).await;
    let read = until(&app, &kiosk, o.id, late.id, PaymentStatus::Paid).await;
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::Paid, COFFEE, Some(1))
    );
    assert!(read.flags.is_empty(), "{:?}", read.flags);
    assert!(!read.payments.iter().any(|p| p.surplus));

    // The customer gave up on the QR code and paid cash (the code was
    // cancelled first), then the bank completed the QR payment too: the
    // money is in twice, the order counts it once and flags a refund.
    let o = s.kiosk_order(&app, &kiosk).await;
    let given_up: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    pay(&app, &s.cashier, o.id, cash(COFFEE, None)).await.expect(201);
    assert_eq!(order(&app, &kiosk, o.id).await.payments[0].status, PaymentStatus::Cancelled);
    let mut staff =
        SseClient::connect(&app.url(&format!("/api/v1/outlets/{}/events", s.outlet)), &s.t.token, None).await;
    standin(&app, &gw, &late_pay(&given_up)).await;
    let read = until(&app, &kiosk, o.id, given_up.id, PaymentStatus::Paid).await;
    let surplus = read.payments.iter().find(|p| p.id == given_up.id).unwrap();
    assert!(surplus.surplus);
    assert_eq!(
        (read.payment_status, read.paid_minor, read.receipt_number),
        (OrderPaymentStatus::Paid, COFFEE, Some(2))
    );
    assert_eq!(read.flags, ["refund_due"]);
    let seen = staff.drain(Duration::from_secs(1)).await;
    assert!(
        seen.iter().any(|e| e.event == "payment.updated" && e.data["payment"]["surplus"] == true),
        "staff hear of it live"
    );
    // The gateway's retry of the same notification changes nothing.
    standin(&app, &gw, &format!("/_standin/charges/{}/notify", gateway_id(&given_up))).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(order(&app, &kiosk, o.id).await.paid_minor, COFFEE);

    // Staff refund it through the gateway: the flag goes, the order's own
    // money (paid once, in cash) is untouched.
    let body = pos_wire::CreateRefund {
        client_refund_id: Uuid::now_v7(),
        amount_minor: COFFEE,
        reason: "paid twice".into(),
        approval: None,
        restock: false,
    };
    let r = app.post(&format!("/api/v1/payments/{}/refunds", given_up.id), Some(&s.t.token), &body).await.expect(201);
    assert_eq!(r.body["status"], "succeeded");
    let read = order(&app, &kiosk, o.id).await;
    assert_eq!((read.payment_status, read.paid_minor, read.refunded_minor), (OrderPaymentStatus::Paid, COFFEE, 0));
    assert!(read.flags.is_empty(), "{:?}", read.flags);
    let there = charges(&app, &gw).await;
    let charge = there.iter().find(|c| c["order_id"] == gateway_id(&given_up)).unwrap();
    assert_eq!(charge["refund_amount"], format!("{COFFEE}.00"));
}

#[tokio::test]
async fn a_flood_of_bad_signatures_is_cut_off_without_filling_the_log() {
    let (app, _gw) = TestApp::spawn_with_gateway(|s| s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()]).await;
    let (s, kiosk) = kiosk_shop(&app).await;
    let o = s.kiosk_order(&app, &kiosk).await;
    let p: Payment = pay(&app, &kiosk, o.id, qris(COFFEE)).await.expect(201).json();
    let id = gateway_id(&p);
    // One address of its own (behind our trusted proxy), so other tests' are untouched.
    let from = format!("198.51.100.{}", 1 + Uuid::now_v7().as_bytes()[15] % 250);
    let send =
        |body: Value| app.client.post(app.url(WEBHOOK)).header("x-forwarded-for", from.clone()).json(&body).send();
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let r = send(notification(&id, "settlement", COFFEE, "not-our-key")).await.unwrap();
        statuses.push(r.status().as_u16());
    }
    let limit = pos_backend::payments::webhook::BAD_SIGNATURES_PER_MINUTE as usize;
    assert!(statuses[..limit].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[limit..].iter().all(|s| *s == 429), "{statuses:?}");
    // The gateway itself is never held up.
    let r = send(notification(&id, "settlement", COFFEE, GATEWAY_KEY)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(order(&app, &kiosk, o.id).await.payment_status, OrderPaymentStatus::Paid);
}
