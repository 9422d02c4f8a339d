//! The scheduled jobs, one pass at a time (the leader runs them on a timer):
//! timed 86s end by themselves, live; each outlet's daily summary is mailed
//! once to its owners and managers after its day ends, with the day's
//! figures; the event-log trim never goes under its floors.

use std::time::Duration;

use chrono::Utc;
use pos_tests::{SseClient, TestApp, deliver_mail, fixtures, paying};
use pos_wire::{Locale, OrderStatus, UpdateOutletItem, money};

use crate::mail::{unquote, wait_for_mails};

#[tokio::test]
async fn a_timed_86_ends_by_itself_and_the_devices_hear_it() {
    let app = TestApp::spawn().await;
    let shop = paying::shop(&app, 0).await;
    let (_, kiosk) = app.pair_device(&shop.t.token, shop.outlet, "kiosk").await;
    let until = Utc::now() + chrono::Duration::milliseconds(1500);
    let off = UpdateOutletItem { available: Some(false), unavailable_until: Some(until), ..Default::default() };
    let path = format!("/api/v1/outlets/{}/menu-items/{}", shop.outlet, shop.item);
    app.patch(&path, &shop.t.token, off).await.expect(200);
    // An 86 without an end stays.
    let other = pos_tests::plain_menu_item(&app, &shop.t.token, "Teh", 10_000, None).await;
    let other_path = format!("/api/v1/outlets/{}/menu-items/{other}", shop.outlet);
    app.patch(&other_path, &shop.t.token, fixtures::availability(false)).await.expect(200);

    let url = app.url(&format!("/api/v1/outlets/{}/events", shop.outlet));
    let mut stream = SseClient::connect(&url, &kiosk, None).await;
    assert_eq!(pos_backend::jobs::end_timed_86s_once(&app.state, Some(shop.t.tenant_id)).await.unwrap(), 0);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    assert_eq!(pos_backend::jobs::end_timed_86s_once(&app.state, Some(shop.t.tenant_id)).await.unwrap(), 1);
    let seen = stream.drain(Duration::from_secs(1)).await;
    let back = seen.iter().find(|e| e.event == "menu.availability_changed").expect("menu.availability_changed");
    assert_eq!(back.data["item_id"], shop.item.to_string());
    assert_eq!(back.data["available"], true);
    assert!(back.data["unavailable_until"].is_null());
    assert_eq!(pos_backend::jobs::end_timed_86s_once(&app.state, Some(shop.t.tenant_id)).await.unwrap(), 0, "once");

    let menu = app.get(&format!("/api/v1/outlets/{}/menu", shop.outlet), &kiosk).await.expect(200);
    let items = menu.body["categories"].as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap().clone());
    let available: Vec<(String, bool)> =
        items.map(|i| (i["name"].as_str().unwrap().to_string(), i["available"].as_bool().unwrap())).collect();
    assert!(available.contains(&("Kopi susu oat".into(), true)), "{available:?}");
    assert!(available.contains(&("Teh".into(), false)), "{available:?}");
    let audit = "SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'menu_item.86_ended'";
    assert_eq!(paying::count(&app, shop.t.tenant_id, audit, vec![]).await, 1);
}

#[tokio::test]
async fn the_daily_summary_goes_once_to_owners_and_the_outlets_managers_with_the_days_figures() {
    let app = TestApp::spawn_with(|s| s.daily_summary_grace = Duration::ZERO).await;
    let shop = paying::shop(&app, 0).await;
    let t = &shop.t;
    let email_of = |id: uuid::Uuid| {
        let app = &app;
        async move {
            let u = app.get(&format!("/api/v1/users/{id}"), &t.token).await.expect(200);
            u.body["email"].as_str().unwrap().to_string()
        }
    };
    let (manager, _) = app.create_staff(&t.token, "manager", &[shop.outlet]).await;
    let manager = email_of(manager).await;
    let other_outlet = app.create_outlet(&t.token, "Elsewhere").await;
    let (elsewhere, _) = app.create_staff(&t.token, "manager", &[other_outlet]).await;
    let elsewhere = email_of(elsewhere).await;

    // Today: two paid orders (one partly refunded) and a cancelled one.
    let first = shop.counter_order(&app, 2).await;
    let p = paying::pay(&app, &shop.cashier, first.id, paying::cash(first.total_minor, None)).await.expect(201);
    let second = shop.counter_order(&app, 1).await;
    paying::pay(&app, &shop.cashier, second.id, paying::card(second.total_minor)).await.expect(201);
    let refund = crate::refunds::refund(10_000, None);
    app.post(&format!("/api/v1/payments/{}/refunds", p.body["id"].as_str().unwrap()), Some(&t.token), refund)
        .await
        .expect(201);
    let cancelled = shop.counter_order(&app, 5).await;
    app.post(
        &format!("/api/v1/orders/{}/status", cancelled.id),
        Some(&t.token),
        fixtures::status_because(OrderStatus::Cancelled, "customer left"),
    )
    .await
    .expect(200);

    let (today, report) = {
        let tx = app.tenant_tx(t.tenant_id).await;
        let rows =
            tx.query_raw("SELECT business_date AS d FROM orders WHERE id = $1", [first.id.into()]).await.unwrap();
        let day: chrono::NaiveDate = rows[0].try_get("", "d").unwrap();
        // The figures the mail tells are the report's for that day.
        let q = format!("/api/v1/reports/summary?outlet_id={}&from={day}&to={day}", shop.outlet);
        let report: pos_wire::SalesSummary = app.get(&q, &t.token).await.expect(200).json();
        let d = report.totals.clone();
        let gross = 3 * paying::COFFEE;
        assert_eq!((d.orders, d.gross_minor, d.refund_minor, d.net_minor), (2, gross, 10_000, gross - 10_000));
        // Its summary, as the job writes it once the day has ended.
        assert!(pos_backend::email::daily_summary::queue_day(&tx, shop.outlet, day).await.unwrap());
        assert!(!pos_backend::email::daily_summary::queue_day(&tx, shop.outlet, day).await.unwrap());
        tx.commit().await.unwrap();
        (d, report)
    };
    deliver_mail(&app, t.tenant_id).await;
    let to_owner =
        unquote(&wait_for_mails(&t.email, 2, 10).await.into_iter().find(|m| m.contains("Ringkasan")).unwrap());
    let rupiah = |minor: i64| money::format(minor, "IDR", Locale::Id);
    assert!(to_owner.contains(&format!("Penjualan bersih: {}", rupiah(today.net_minor))), "{to_owner}");
    assert!(to_owner.contains(&format!("Refund: {}", rupiah(10_000))), "{to_owner}");
    assert!(to_owner.contains("Pesanan: 2"), "{to_owner}");
    for row in &report.payment_mix {
        let label = if row.key == "cash" { "Tunai" } else { "Kartu" };
        assert!(to_owner.contains(&format!("{label}: {}", rupiah(row.gross_minor))), "{row:?} in {to_owner}");
    }
    assert_eq!(report.payment_mix.len(), 2, "cash and card");

    // The job: the outlet has been open three days; the two days that ended
    // get their summaries, once, to the owner and the outlet's manager only.
    let tx = app.tenant_tx(t.tenant_id).await;
    tx.execute("UPDATE outlets SET created_at = now() - interval '2 days' WHERE id = $1", [shop.outlet.into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let sent = pos_backend::email::daily_summary::send_due(&app.state, Some(t.tenant_id)).await.unwrap();
    assert_eq!(sent, 2, "the two days before today (the other outlet opened today)");
    assert_eq!(pos_backend::email::daily_summary::send_due(&app.state, Some(t.tenant_id)).await.unwrap(), 0, "once");
    assert_eq!(deliver_mail(&app, t.tenant_id).await.sent, 4, "two days, two people");
    wait_for_mails(&manager, 3, 10).await;
    wait_for_mails(&t.email, 4, 10).await;
    assert!(crate::mail::mails_to(&elsewhere).is_empty(), "the other outlet's manager gets none");
}

#[tokio::test]
async fn the_event_log_trim_job_keeps_a_day_and_the_newest_events_whatever_it_is_asked() {
    let app = TestApp::spawn().await;
    let shop = paying::shop(&app, 0).await;
    for _ in 0..3 {
        shop.counter_order(&app, 1).await;
    }
    let events = "SELECT count(*)::bigint AS n FROM outlet_events";
    let before = paying::count(&app, shop.t.tenant_id, events, vec![]).await;
    assert!(before >= 3);
    // The server's role asks for nothing to be kept: its floors keep young events.
    assert_eq!(app.state.db.cross_tenant().trim_outlet_events(0, 0).await.unwrap(), 0);
    assert_eq!(paying::count(&app, shop.t.tenant_id, events, vec![]).await, before);
}
