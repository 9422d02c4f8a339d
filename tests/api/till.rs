//! Cashiers at a till (issue 12): the till's device token lists who may
//! sign in and signs them in by PIN; the staff token that gives is bound to
//! the till, recorded on everything they do, and refused as soon as the
//! cashier, their session or the till ends. The till's token alone sells
//! nothing.

use std::time::Duration;

use pos_tests::{
    Reply, TestApp, fixtures,
    paying::{COFFEE, Shop, card, cash, code, count, pay, shop},
};
use pos_wire::{Channel, TillSignIn};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::refunds::set_pin;

const PIN: &str = "482105";

struct Till {
    s: Shop,
    till_id: Uuid,
    till: String,
    cashier_id: Uuid,
}

/// A shop with a till and a cashier of its outlet whose PIN is [`PIN`].
async fn till(app: &TestApp) -> Till {
    let s = shop(app, 100).await;
    let (cashier_id, _) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    set_pin(app, &s.t.token, cashier_id, PIN).await;
    let (till_id, till) = app.pair_device(&s.t.token, s.outlet, "till").await;
    Till { s, till_id, till, cashier_id }
}

/// A till paired at `outlet` and a cashier of it signed in on it: (till's device token, cashier's till token).
pub async fn till_and_cashier(app: &TestApp, owner: &str, outlet: Uuid) -> (String, String) {
    let (cashier, _) = app.create_staff(owner, "cashier", &[outlet]).await;
    set_pin(app, owner, cashier, PIN).await;
    let (_, till) = app.pair_device(owner, outlet, "till").await;
    let r = sign_in(app, &till, cashier, PIN).await.expect(200);
    (till, r.body["access_token"].as_str().unwrap().to_string())
}

/// Opens a shift on till `till_id` (a sale at a till needs one): its id.
pub async fn open_shift(app: &TestApp, token: &str, till_id: Uuid) -> Uuid {
    let body = pos_wire::OpenShift { device_id: till_id, opening_float_minor: 0, client_shift_id: None };
    app.post("/api/v1/shifts", Some(token), body).await.expect(201).json::<pos_wire::Shift>().id
}

pub async fn sign_in(app: &TestApp, token: &str, user_id: Uuid, pin: &str) -> Reply {
    app.post("/api/v1/till/sign-in", Some(token), TillSignIn { user_id, pin: pin.into() }).await
}

async fn signed_in(app: &TestApp, t: &Till, user_id: Uuid, pin: &str) -> String {
    let r = sign_in(app, &t.till, user_id, pin).await.expect(200);
    r.body["access_token"].as_str().unwrap().to_string()
}

fn staff_ids(r: &Reply) -> Vec<Uuid> {
    r.body.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().parse().unwrap()).collect()
}

async fn row(app: &TestApp, tenant: Uuid, sql: &str, id: Uuid) -> (Option<Uuid>, Option<Uuid>) {
    let tx = app.tenant_tx(tenant).await;
    let rows = tx.query_raw(sql, [id.into()]).await.unwrap();
    let r = &rows[0];
    (r.try_get("", "user_id").unwrap(), r.try_get("", "device_id").unwrap())
}

#[tokio::test]
async fn a_cashier_signs_in_by_pin_and_sells_under_their_own_name_at_that_till() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    // Not listed: no PIN, kitchen staff, another outlet's cashier.
    let (no_pin, _) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    let (cook, _) = app.create_staff(&s.t.token, "kitchen", &[s.outlet]).await;
    set_pin(&app, &s.t.token, cook, "1111").await;
    let other_outlet = app.create_outlet(&s.t.token, "Elsewhere").await;
    let (elsewhere, _) = app.create_staff(&s.t.token, "cashier", &[other_outlet]).await;
    set_pin(&app, &s.t.token, elsewhere, "2222").await;
    set_pin(&app, &s.t.token, s.t.owner_id, "3333").await;

    let r = app.get("/api/v1/till/staff", &t.till).await.expect(200);
    let listed = staff_ids(&r);
    assert!(listed.contains(&t.cashier_id) && listed.contains(&s.t.owner_id), "{}", r.text);
    for hidden in [no_pin, cook, elsewhere] {
        assert!(!listed.contains(&hidden), "{hidden} is listed: {}", r.text);
    }
    for person in r.body.as_array().unwrap() {
        let keys: Vec<&String> = person.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "name", "role"], "nothing else about staff: {person}");
    }

    let r = sign_in(&app, &t.till, t.cashier_id, PIN).await.expect(200);
    assert_eq!(r.body["user"]["id"], json!(t.cashier_id));
    assert_eq!(r.body["user"]["role"], "cashier");
    assert_eq!(r.body["expires_in"], 12 * 3600);
    assert!(r.body.get("refresh_token").is_none() && !r.text.contains(PIN));
    let cashier = r.body["access_token"].as_str().unwrap();
    open_shift(&app, cashier, t.till_id).await;

    // The sale and its payment are the cashier's, taken at this till.
    let body = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 1)]);
    let order: pos_wire::Order = app.post("/api/v1/orders", Some(cashier), body).await.expect(201).json();
    let paid = pay(&app, cashier, order.id, cash(COFFEE, Some(50_000))).await.expect(201);
    assert_eq!(paid.body["change_minor"], 50_000 - 42_000, "the outlet rounds cash to Rp 100");
    let payment: Uuid = paid.body["id"].as_str().unwrap().parse().unwrap();
    let placed = row(&app, s.t.tenant_id, "SELECT user_id, device_id FROM orders WHERE id = $1", order.id).await;
    assert_eq!(placed, (Some(t.cashier_id), Some(t.till_id)));
    let taken = row(&app, s.t.tenant_id, "SELECT user_id, device_id FROM payments WHERE id = $1", payment).await;
    assert_eq!(taken, (Some(t.cashier_id), Some(t.till_id)));
    let audited = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'till.sign_in' AND entity_id = $1",
        vec![t.till_id.into()],
    )
    .await;
    assert_eq!(audited, 1);

    // Even an owner signed in on the till works in the till's outlet only.
    let owner_at_till = signed_in(&app, &t, s.t.owner_id, "3333").await;
    let outlets = app.get("/api/v1/outlets", &owner_at_till).await.expect(200);
    assert_eq!(pos_tests::ids(&outlets), vec![s.outlet]);
    let there = fixtures::counter_order(other_outlet, vec![fixtures::line(s.item, 1)]);
    let r = app.post("/api/v1/orders", Some(&owner_at_till), there).await;
    assert_eq!(r.status, 422, "{}", r.text);
    // And as a manager: a PIN typed at a till opens no owner-only power.
    let r = app.patch(&format!("/api/v1/menu-items/{}", s.item), &owner_at_till, json!({"price_minor": 1000})).await;
    assert_eq!(r.status, 403, "the catalogue is the owner's: {}", r.text);
    let manager = fixtures::user("new-manager@test.example", "Manager", pos_wire::Role::Manager, &[s.outlet]);
    let r = app.post("/api/v1/users", Some(&owner_at_till), manager).await;
    assert_eq!(r.status, 403, "managers are made by an owner: {}", r.text);
    assert_eq!(app.get("/api/v1/outlets", &owner_at_till).await.status, 200, "still works at the till");
}

#[tokio::test]
async fn a_wrong_pin_and_an_unknown_person_get_one_answer_and_guessing_is_limited() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let wrong = sign_in(&app, &t.till, t.cashier_id, "000000").await;
    let unknown = sign_in(&app, &t.till, Uuid::now_v7(), PIN).await;
    for r in [&wrong, &unknown] {
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(code(r), "till_sign_in_refused");
    }
    assert_eq!((&wrong.body["title"], &wrong.body["detail"]), (&unknown.body["title"], &unknown.body["detail"]));
    let r = sign_in(&app, &t.till, t.cashier_id, "12").await.expect(422);
    assert_eq!(r.body["error_codes"]["pin"][0]["code"], "pin_format");

    // Per person: five wrong PINs in the window, then even the right one waits.
    for _ in 0..4 {
        sign_in(&app, &t.till, t.cashier_id, "999999").await.expect(401);
    }
    let r = sign_in(&app, &t.till, t.cashier_id, PIN).await.expect(429);
    assert!(r.header("retry-after").is_some());

    // Per till: guesses spread over many people stop too.
    let (other, _) = app.create_staff(&t.s.t.token, "cashier", &[t.s.outlet]).await;
    set_pin(&app, &t.s.t.token, other, "5555").await;
    let mut refused_at = None;
    for i in 0..25 {
        let r = sign_in(&app, &t.till, Uuid::now_v7(), "1234").await;
        if r.status == 429 {
            refused_at = Some(i);
            break;
        }
        r.expect(401);
    }
    assert!(refused_at.is_some(), "the till's own limit never came");
    sign_in(&app, &t.till, other, "5555").await.expect(429);
    // Another till of the outlet is not held up by this one.
    let (_, second_till) = app.pair_device(&t.s.t.token, t.s.outlet, "till").await;
    sign_in(&app, &second_till, other, "5555").await.expect(200);
}

#[tokio::test]
async fn only_a_tills_own_token_lists_staff_and_signs_in() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let (_, kiosk) = app.pair_device(&s.t.token, s.outlet, "kiosk").await;
    let (_, kds) = app.pair_device(&s.t.token, s.outlet, "kds").await;
    let (_, manager) = app.create_staff(&s.t.token, "manager", &[s.outlet]).await;
    for (who, token) in [("kiosk", &kiosk), ("kds", &kds), ("manager", &manager), ("owner", &s.t.token)] {
        let r = app.get("/api/v1/till/staff", token).await.expect(403);
        assert_eq!(code(&r), "till_token_required", "{who}");
        let r = sign_in(&app, token, t.cashier_id, PIN).await.expect(403);
        assert_eq!(code(&r), "till_token_required", "{who}");
    }
    // A cashier's till token is not a till either.
    let cashier = signed_in(&app, &t, t.cashier_id, PIN).await;
    sign_in(&app, &cashier, t.cashier_id, PIN).await.expect(403);
    app.call(reqwest::Method::GET, "/api/v1/till/staff", None, None).await.expect(401);
}

#[tokio::test]
async fn staff_of_another_outlet_or_brand_cannot_sign_in_on_this_till() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let elsewhere_outlet = app.create_outlet(&s.t.token, "Elsewhere").await;
    let (elsewhere, _) = app.create_staff(&s.t.token, "cashier", &[elsewhere_outlet]).await;
    set_pin(&app, &s.t.token, elsewhere, "2222").await;
    let (cook, _) = app.create_staff(&s.t.token, "kitchen", &[s.outlet]).await;
    set_pin(&app, &s.t.token, cook, "3333").await;
    let other = shop(&app, 100).await;
    let (foreigner, _) = app.create_staff(&other.t.token, "cashier", &[other.outlet]).await;
    set_pin(&app, &other.t.token, foreigner, "4444").await;
    for (who, user, pin) in
        [("other outlet", elsewhere, "2222"), ("kitchen", cook, "3333"), ("other brand", foreigner, "4444")]
    {
        let r = sign_in(&app, &t.till, user, pin).await;
        assert_eq!(r.status, 401, "{who}: {}", r.text);
        assert_eq!(code(&r), "till_sign_in_refused", "{who}");
    }
    // Nor can another brand's till sign this brand's cashier in.
    let (_, foreign_till) = app.pair_device(&other.t.token, other.outlet, "till").await;
    sign_in(&app, &foreign_till, t.cashier_id, PIN).await.expect(401);
    let r = app.get("/api/v1/till/staff", &foreign_till).await.expect(200);
    assert_eq!(staff_ids(&r), vec![foreigner]);
}

#[tokio::test]
async fn a_till_token_ends_with_the_cashier_their_session_their_outlet_or_the_till() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let orders = format!("/api/v1/orders?outlet_id={}", s.outlet);

    // Deactivated: refused on the next request.
    let token = signed_in(&app, &t, t.cashier_id, PIN).await;
    app.get(&orders, &token).await.expect(200);
    app.patch(&format!("/api/v1/users/{}", t.cashier_id), &s.t.token, fixtures::user_active(false)).await.expect(200);
    app.get(&orders, &token).await.expect(401);
    sign_in(&app, &t.till, t.cashier_id, PIN).await.expect(401);

    // Taken off the till's outlet: refused.
    let (moved, _) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    set_pin(&app, &s.t.token, moved, "7777").await;
    let token = signed_in(&app, &t, moved, "7777").await;
    let elsewhere = app.create_outlet(&s.t.token, "Elsewhere").await;
    app.patch(&format!("/api/v1/users/{moved}"), &s.t.token, fixtures::user_outlets(&[elsewhere])).await.expect(200);
    let r = app.get("/api/v1/outlets", &token).await.expect(401);
    assert_eq!(code(&r), "till_binding_ended");

    // Signing out ends this session only.
    let (switcher, own_login) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    set_pin(&app, &s.t.token, switcher, "8888").await;
    let first = signed_in(&app, &t, switcher, "8888").await;
    let second = signed_in(&app, &t, switcher, "8888").await;
    app.post("/api/v1/till/sign-out", Some(&first), json!({})).await.expect(204);
    app.get(&orders, &first).await.expect(401);
    app.get(&orders, &second).await.expect(200);
    app.get(&orders, &own_login).await.expect(200);
    app.post("/api/v1/till/sign-out", Some(&s.t.token), json!({})).await.expect(403);

    // The till revoked: its cashiers' tokens end with it, and their open
    // streams at once (not when their lease is next renewed).
    let events = app.url(&format!("/api/v1/outlets/{}/events", s.outlet));
    let mut stream = pos_tests::SseClient::connect(&events, &second, None).await;
    let mut own_stream = pos_tests::SseClient::connect(&events, &own_login, None).await;
    app.delete(&format!("/api/v1/devices/{}", t.till_id), &s.t.token).await.expect(204);
    let e = stream.next(Duration::from_secs(3)).await.expect("the revocation");
    assert_eq!(e.event, "device.revoked");
    assert!(stream.closed_within(Duration::from_secs(2)).await, "the cashier's stream at the till ended");
    assert!(!own_stream.closed_within(Duration::from_millis(500)).await, "their own sign-in's stream goes on");
    let r = app.get(&orders, &second).await.expect(401);
    assert_eq!(code(&r), "till_binding_ended");
}

#[tokio::test]
async fn a_tills_device_token_alone_neither_sells_nor_takes_payments() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let counter = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 1)]);
    app.post("/api/v1/orders", Some(&t.till), &counter).await.expect(403);
    let kiosk_like = fixtures::kiosk_order(s.outlet, vec![fixtures::line(s.item, 1)]);
    app.post("/api/v1/orders", Some(&t.till), &kiosk_like).await.expect(403);
    let order = s.counter_order(&app, 1).await;
    for body in [cash(COFFEE, None), card(COFFEE)] {
        pay(&app, &t.till, order.id, body).await.expect(403);
    }
    let mut queued = serde_json::to_value(&counter).unwrap();
    queued["payments"] = json!([cash(COFFEE, None)]);
    let r = app.post("/api/v1/sync/push", Some(&t.till), json!({"device_id": t.till_id, "orders": [queued]})).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(code(&r), "push_till_cashier_only");
    let n = count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM payments", vec![]).await;
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_tills_cashier_pushes_offline_sales_with_their_payments_exactly_once() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let cashier = signed_in(&app, &t, t.cashier_id, PIN).await;
    open_shift(&app, &cashier, t.till_id).await;
    let mut order = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 2)]);
    order.number = Some("T1-1".into());
    let mut queued = serde_json::to_value(&order).unwrap();
    let paid = cash(2 * COFFEE, Some(100_000));
    queued["payments"] = json!([paid]);
    let push = json!({"device_id": t.till_id, "orders": [queued]});
    for (round, outcome) in ["created", "duplicate"].into_iter().enumerate() {
        let r = app.post("/api/v1/sync/push", Some(&cashier), &push).await.expect(200);
        let first: &Value = &r.body["results"][0];
        assert_eq!(first["outcome"], outcome, "round {round}: {}", r.text);
        assert_eq!(first["order"]["number"], "T1-1", "the till's own number");
        assert_eq!(first["payments"][0]["outcome"], outcome, "{}", r.text);
        // Rp 83.916 is Rp 83.900 in cash at a Rp 100 step.
        assert_eq!(first["payments"][0]["payment"]["change_minor"], 100_000 - 83_900);
    }
    let orders = count(&app, s.t.tenant_id, "SELECT count(*)::bigint AS n FROM orders", vec![]).await;
    let payments = count(
        &app,
        s.t.tenant_id,
        "SELECT count(*)::bigint AS n FROM payments WHERE user_id = $1 AND device_id = $2",
        vec![t.cashier_id.into(), t.till_id.into()],
    )
    .await;
    assert_eq!((orders, payments), (1, 1));

    // Only under its own till's id, and only counter orders.
    let r = app.post("/api/v1/sync/push", Some(&cashier), json!({"device_id": Uuid::now_v7(), "orders": []})).await;
    assert_eq!(r.status, 403, "{}", r.text);
    let mut kiosk = order.clone();
    kiosk.client_order_id = Uuid::now_v7();
    kiosk.channel = Channel::Kiosk;
    kiosk.number = None;
    let r = app.post("/api/v1/sync/push", Some(&cashier), json!({"device_id": t.till_id, "orders": [kiosk]})).await;
    assert_eq!(r.body["results"][0]["outcome"], "rejected", "{}", r.text);
    // A cashier signed in the usual way pushes nothing.
    let (_, plain) = app.create_staff(&s.t.token, "cashier", &[s.outlet]).await;
    app.post("/api/v1/sync/push", Some(&plain), json!({"device_id": t.till_id, "orders": []})).await.expect(403);
}

#[tokio::test]
async fn the_till_app_is_served_at_pos() {
    let app = TestApp::spawn().await;
    for path in ["/pos", "/pos/", "/pos/anything"] {
        let r = app.call(reqwest::Method::GET, path, None, None).await;
        // 503 when the app is not built (a plain text answer saying so).
        assert!(matches!(r.status.as_u16(), 200 | 503), "{path}: {}", r.status);
        if r.status == 200 {
            assert_eq!(r.header("cache-control"), Some("no-cache"), "{path}");
            assert!(r.text.contains("/app/till/pos_kiosk_pwa.js"), "{path}: the till's shell");
        }
    }
}

#[tokio::test]
async fn what_a_cashier_takes_at_a_till_goes_into_that_tills_open_shift() {
    let app = TestApp::spawn().await;
    let t = till(&app).await;
    let s = &t.s;
    let cashier = signed_in(&app, &t, t.cashier_id, PIN).await;
    let sell = |token: String| {
        let app = &app;
        async move {
            let body = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 1)]);
            let order: pos_wire::Order = app.post("/api/v1/orders", Some(&token), body).await.expect(201).json();
            pay(app, &token, order.id, cash(COFFEE, None)).await.expect(201).json::<pos_wire::Payment>()
        }
    };
    // No shift open yet: no sale (see `shifts.rs` for the rest of that rule).
    let body = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 1)]);
    let r = app.post("/api/v1/orders", Some(&cashier), body).await.expect(409);
    assert_eq!(code(&r), "shift_not_open");

    let body = pos_wire::OpenShift { device_id: t.till_id, opening_float_minor: 100_000, client_shift_id: None };
    let shift: pos_wire::Shift = app.post("/api/v1/shifts", Some(&cashier), body).await.expect(201).json();
    let p = sell(cashier.clone()).await;
    assert_eq!(p.shift_id, Some(shift.id), "counted into the till's drawer without naming the shift");
    let report: pos_wire::ShiftReport =
        app.get(&format!("/api/v1/shifts/{}/report", shift.id), &cashier).await.expect(200).json();
    assert_eq!(report.sales_total_minor, COFFEE);

    // Another till's shift is not this cashier's drawer.
    let (other_till, _) = app.pair_device(&s.t.token, s.outlet, "till").await;
    let body = pos_wire::OpenShift { device_id: other_till, opening_float_minor: 0, client_shift_id: None };
    let other: pos_wire::Shift = app.post("/api/v1/shifts", Some(&s.t.token), body).await.expect(201).json();
    let body = fixtures::counter_order(s.outlet, vec![fixtures::line(s.item, 1)]);
    let order: pos_wire::Order = app.post("/api/v1/orders", Some(&cashier), body).await.expect(201).json();
    let into_other = pos_wire::CreatePayment { shift_id: Some(other.id), ..cash(COFFEE, None) };
    let r = pay(&app, &cashier, order.id, into_other).await.expect(422);
    assert_eq!(r.body["error_codes"]["shift_id"][0]["code"], "shift_unknown");
}
