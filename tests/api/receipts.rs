//! The printable receipt: what it says in Indonesian and English, for 80 and
//! 58 mm rolls, paid or not, and who may print it.

use chrono::{DateTime, FixedOffset, Utc};
use pos_tests::{fixtures, menu_item, paying};
use pos_wire::{CreateOrder, MenuItem, OrderLineRequest, UpdateOutlet};
use uuid::Uuid;

use crate::refunds::{Shop, refund};

/// An order at A of 2 Large coffees with a note and one plain item, for a
/// named customer; outlet A has an address, a tax number, 5 % service, 10 %
/// tax, and is in Jayapura (UTC+9).
async fn coffee_order(s: &Shop) -> (Uuid, i64) {
    let outlet = UpdateOutlet {
        address: Some("Jl. Sabang No. 7, Jakarta".into()),
        tax_number: Some("01.234.567.8-901.000".into()),
        service_charge_bp: Some(500),
        tax_rate_bp: Some(1000),
        timezone: Some("Asia/Jayapura".into()),
        ..Default::default()
    };
    s.app.patch(&format!("/api/v1/outlets/{}", s.a), &s.t.token, outlet).await.expect(200);
    let coffee = menu_item(&s.app, &s.t.token, "Kopi Susu").await;
    let detail: MenuItem = s.app.get(&format!("/api/v1/menu-items/{coffee}"), &s.t.token).await.expect(200).json();
    let large = detail.modifier_groups[0].options[1].id.unwrap();
    let body = CreateOrder {
        customer_name: Some("Ani <b>".into()),
        ..fixtures::counter_order(
            s.a,
            vec![
                OrderLineRequest { note: Some("less sugar".into()), ..fixtures::line_with(coffee, 2, &[large]) },
                fixtures::line(s.item, 1),
            ],
        )
    };
    let r = s.app.post("/api/v1/orders", Some(&s.t.token), body).await.expect(201);
    (r.body["id"].as_str().unwrap().parse().unwrap(), r.body["total_minor"].as_i64().unwrap())
}

async fn receipt(s: &Shop, token: &str, order: Uuid, query: &str) -> pos_tests::Reply {
    s.app.get(&format!("/api/v1/orders/{order}/receipt{query}"), token).await
}

/// Paid in full in cash by the cashier with Rp 100.000, the outlet rounding
/// cash to Rp 1.000; (payment, rounding).
async fn pay_cash(s: &Shop, order: Uuid, total: i64) -> (Uuid, i64) {
    let step = UpdateOutlet { cash_rounding_step: Some(1000), ..Default::default() };
    s.app.patch(&format!("/api/v1/outlets/{}", s.a), &s.t.token, step).await.expect(200);
    let r = paying::pay(&s.app, &s.cashier.1, order, paying::cash(total, Some(100_000))).await.expect(201);
    let rounding = r.body["rounding_minor"].as_i64().unwrap();
    assert_ne!(rounding, 0, "the total {total} must need rounding for this test");
    (r.body["id"].as_str().unwrap().parse().unwrap(), rounding)
}

fn rupiah(minor: i64) -> String {
    pos_wire::money::format(minor, "IDR", pos_wire::Locale::Id)
}

#[tokio::test]
async fn a_paid_receipt_says_everything_in_indonesian() {
    let s = Shop::open().await;
    let (order, total) = coffee_order(&s).await;
    let (payment, rounding) = pay_cash(&s, order, total).await;
    s.app.post(&format!("/api/v1/payments/{payment}/refunds"), Some(&s.t.token), refund(5_000, None)).await.expect(201);

    let r = receipt(&s, &s.t.token, order, "").await.expect(200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    let html = r.text;
    let o = s.app.get(&format!("/api/v1/orders/{order}"), &s.t.token).await.expect(200).body;
    let paid_at: DateTime<Utc> = o["paid_at"].as_str().unwrap().parse().unwrap();
    let local = paid_at.with_timezone(&FixedOffset::east_opt(9 * 3600).unwrap()).format("%d-%m-%Y %H:%M").to_string();
    for expected in [
        "<html lang=\"id\">".to_string(),
        "size: 80mm auto".into(),
        "Jl. Sabang No. 7, Jakarta".into(),
        "NPWP: 01.234.567.8-901.000".into(),
        "data-receipt-number>000001<".into(),
        format!("No. Antrean</td><td class=\"amt\">{}<", o["number"].as_str().unwrap()),
        local,
        "2x</td><td>Kopi Susu".into(),
        "+ Large (Rp 5.000)".into(),
        "<em>less sugar</em>".into(),
        "1x</td><td>Nasi Goreng".into(),
        format!("Subtotal</td><td class=\"amt\">{}", rupiah(o["subtotal_minor"].as_i64().unwrap())),
        format!("Biaya layanan 5%</td><td class=\"amt\">{}", rupiah(o["service_charge_minor"].as_i64().unwrap())),
        format!("PB1 10%</td><td class=\"amt\">{}", rupiah(o["tax_minor"].as_i64().unwrap())),
        format!("Total</td><td class=\"amt\">{}", rupiah(total)),
        format!("Pembulatan</td><td class=\"amt\">{}", rupiah(rounding)),
        format!("Tunai</td><td class=\"amt\">{}", rupiah(total + rounding)),
        "Diterima</td><td class=\"amt\">Rp 100.000".into(),
        format!("Kembali</td><td class=\"amt\">{}", rupiah(100_000 - total - rounding)),
        "Pengembalian dana".into(),
        "Pesanan salah</td><td class=\"amt\">-Rp 5.000".into(),
        "Ani &#60;b&#62;".into(),
    ] {
        assert!(html.contains(&expected), "missing {expected:?} in\n{html}");
    }
    assert!(!html.contains("BELUM LUNAS") && !html.contains("Ani <b>"));
}

#[tokio::test]
async fn english_58_mm_card_and_unpaid_bills() {
    let s = Shop::open().await;
    let (order, total) = coffee_order(&s).await;

    // Not paid yet: a bill, clearly not a receipt.
    let html = receipt(&s, &s.t.token, order, "?lang=en&width=58").await.expect(200).text;
    for expected in [
        "<html lang=\"en\">",
        "size: 58mm auto",
        "class=\"w58\"",
        "NOT PAID",
        "Tax ID: 01.234.567.8-901.000",
        "Tax (PB1) 10%",
        "Service charge 5%",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in\n{html}");
    }
    assert!(!html.contains("data-receipt-number") && !html.contains("Rounding"));
    assert!(receipt(&s, &s.t.token, order, "?lang=id").await.text.contains("BELUM LUNAS"));

    // Paid by card: brand and last 4 digits, nothing else of the card.
    paying::pay(&s.app, &s.cashier.1, order, paying::card(total)).await.expect(201);
    let html = receipt(&s, &s.t.token, order, "?lang=en").await.expect(200).text;
    assert!(html.contains("Receipt no.</td><td class=\"amt\" data-receipt-number>000001<"), "{html}");
    assert!(html.contains(&format!("Card Visa **** 4242</td><td class=\"amt\">{}", rupiah(total))));
    assert!(!html.contains("NOT PAID") && !html.contains("Tendered") && !html.contains("A1B2C3"));

    // A voided order says so.
    let (unpaid, _) = s.order(s.a).await;
    s.app
        .post(
            &format!("/api/v1/orders/{unpaid}/void"),
            Some(&s.t.token),
            pos_wire::VoidOrder { reason: "x".into(), approval: None },
        )
        .await
        .expect(200);
    let html = receipt(&s, &s.t.token, unpaid, "?lang=en").await.expect(200).text;
    assert!(html.contains("VOIDED") && !html.contains("NOT PAID"));
}

#[tokio::test]
async fn who_may_print_a_receipt() {
    let s = Shop::open().await;
    let (order, _) = s.order(s.a).await;
    receipt(&s, &s.cashier.1, order, "").await.expect(200);
    receipt(&s, &s.manager.1, order, "").await.expect(200);
    let (_, cook) = s.app.create_staff(&s.t.token, "kitchen", &[s.a]).await;
    receipt(&s, &cook, order, "").await.expect(403);
    let (_, kds) = s.app.pair_device(&s.t.token, s.a, "kds").await;
    receipt(&s, &kds, order, "").await.expect(403);
    // A kiosk prints only the orders it took.
    let (_, kiosk) = s.app.pair_device(&s.t.token, s.a, "kiosk").await;
    receipt(&s, &kiosk, order, "").await.expect(404);
    // Another outlet's manager, another brand: as if it did not exist.
    let (_, b_manager) = s.app.create_staff(&s.t.token, "manager", &[s.b]).await;
    receipt(&s, &b_manager, order, "").await.expect(404);
    let other = s.app.signup().await;
    receipt(&s, &other.token, order, "").await.expect(404);
    // No token; bad options.
    let r = s.app.client.get(s.app.url(&format!("/api/v1/orders/{order}/receipt"))).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r = receipt(&s, &s.t.token, order, "?lang=fr&width=76").await.expect(422);
    assert_eq!(r.body["error_codes"]["lang"][0]["code"], "language_invalid");
    assert_eq!(r.body["error_codes"]["width"][0]["code"], "receipt_width_invalid");
}
