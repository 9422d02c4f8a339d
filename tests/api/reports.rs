//! Reports: figures against hand-computed totals (a modifier, a discount
//! approved by a manager, a refund, a cancelled and a voided order, and a
//! day boundary in two time zones), CSV equal to JSON, who may read what,
//! bad parameters, and the rollups equal to the raw sums after every kind of
//! change (payments, refunds, cancellations, voids, discounts, a table split)
//! and after compaction.

use chrono::{DateTime, Utc};
use pos_tests::{TestApp, fixtures, paying};
use pos_wire::{
    AdjustmentKind, AdjustmentsReport, Approval, CreateArea, CreateDiscount, CreateRefund, DiningTable, DiscountKind,
    KitchenReport, Order, OrderStatus, SalesReport, SalesRow, SalesSummary, SplitCheck, SplitLine, SplitResult,
    UpdateOutlet, VoidOrder,
};
use uuid::Uuid;

use crate::refunds::{MANAGER_PIN, set_pin};

/// Brand with outlet A (Asia/Jakarta, 10 % tax, 5 % service) and B
/// (Asia/Makassar, 10 % tax), Nasi Goreng (Rp 25.000, kitchen) with an
/// optional egg (+5.000), Es Teh (Rp 8.000, bar), a manager of A with a PIN
/// and a cashier of A.
struct Brand {
    app: TestApp,
    tenant: Uuid,
    owner: String,
    a: Uuid,
    b: Uuid,
    nasi: Uuid,
    egg: Uuid,
    teh: Uuid,
    manager: (Uuid, String),
    manager_email: String,
    cashier: (Uuid, String),
    owner_email: String,
}

impl Brand {
    async fn open() -> Brand {
        let app = TestApp::spawn().await;
        let t = app.signup().await;
        let a = app.create_outlet(&t.token, "Kemang").await;
        app.patch(&format!("/api/v1/outlets/{a}"), &t.token, fixtures::outlet_rates(1_000, 500)).await.expect(200);
        let b = app.create_outlet(&t.token, "Bali").await;
        let b_settings = UpdateOutlet { timezone: Some("Asia/Makassar".into()), ..fixtures::outlet_rates(1_000, 0) };
        app.patch(&format!("/api/v1/outlets/{b}"), &t.token, b_settings).await.expect(200);
        let (nasi, egg) = item_with_option(&app, &t.token, "Nasi Goreng", 25_000, "kitchen", ("Telur", 5_000)).await;
        let teh = pos_tests::plain_menu_item(&app, &t.token, "Es Teh", 8_000, Some("bar")).await;
        let manager_email = format!("manager-{}@test.example", Uuid::now_v7().simple());
        let body = fixtures::user(&manager_email, "manager", pos_wire::Role::Manager, &[a]);
        let r = app.post("/api/v1/users", Some(&t.token), body).await.expect(201);
        let manager_id: Uuid = r.body["id"].as_str().unwrap().parse().unwrap();
        let manager_token = app.login(&manager_email).await["access_token"].as_str().unwrap().to_string();
        let manager = (manager_id, manager_token);
        set_pin(&app, &t.token, manager.0, MANAGER_PIN).await;
        let cashier = app.create_staff(&t.token, "cashier", &[a]).await;
        Brand {
            app,
            tenant: t.tenant_id,
            owner: t.token.clone(),
            a,
            b,
            nasi,
            egg,
            teh,
            manager,
            manager_email,
            cashier,
            owner_email: t.email.clone(),
        }
    }

    async fn order(&self, outlet: Uuid, lines: Vec<pos_wire::OrderLineRequest>) -> Order {
        let body = fixtures::counter_order(outlet, lines);
        self.app.post("/api/v1/orders", Some(&self.owner), body).await.expect(201).json()
    }

    async fn pay(&self, order: &Order, method: &str) -> Uuid {
        let body =
            if method == "cash" { paying::cash(order.total_minor, None) } else { paying::card(order.total_minor) };
        let r = paying::pay(&self.app, &self.owner, order.id, body).await.expect(201);
        r.body["id"].as_str().unwrap().parse().unwrap()
    }

    /// Moves an order (its payments and kitchen tickets too) to `at`, bumping
    /// its tickets `ready_after` seconds later.
    async fn placed_at(&self, order: Uuid, at: &str, ready_after: Option<i64>) {
        let at: DateTime<Utc> = at.parse().unwrap();
        let tx = self.app.tenant_tx(self.tenant).await;
        tx.execute("UPDATE orders SET created_at = $2 WHERE id = $1", [order.into(), at.into()]).await.unwrap();
        tx.execute(
            "UPDATE payments SET created_at = $2, paid_at = CASE WHEN paid_at IS NOT NULL THEN $2 END WHERE order_id = $1",
            [order.into(), at.into()],
        )
        .await
        .unwrap();
        if let Some(secs) = ready_after {
            tx.execute(
                "UPDATE tickets SET created_at = $2, status = 'bumped', bumped_at = $2 + make_interval(secs => $3) \
                  WHERE order_id = $1",
                [order.into(), at.into(), (secs as f64).into()],
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
    }

    /// `path` as the owner, asking for CSV.
    async fn csv(&self, path: &str) -> reqwest::Response {
        self.app
            .client
            .get(self.app.url(path))
            .bearer_auth(&self.owner)
            .header("Accept", "text/csv")
            .send()
            .await
            .unwrap()
    }

    async fn report(&self, token: &str, query: &str) -> SalesReport {
        self.app.get(&format!("/api/v1/reports/sales?{query}"), token).await.expect(200).json()
    }
}

/// An item in a new category at `station` with one optional modifier; (item, option).
async fn item_with_option(
    app: &TestApp,
    token: &str,
    name: &str,
    price: i64,
    station: &str,
    option: (&str, i64),
) -> (Uuid, Uuid) {
    let cat = app.post("/api/v1/categories", Some(token), fixtures::category(name, Some(station))).await.expect(201);
    let mut body = fixtures::item(cat.body["id"].as_str().unwrap().parse().unwrap(), name, price);
    body.modifier_groups = vec![fixtures::group("Tambahan", 0, 1, &[option])];
    let r = app.post("/api/v1/menu-items", Some(token), body).await.expect(201);
    let item = r.body["id"].as_str().unwrap().parse().unwrap();
    let option = r.body["modifier_groups"][0]["options"][0]["id"].as_str().unwrap().parse().unwrap();
    (item, option)
}

/// (key, orders, gross, discount, refund, net, tax, service charge)
type Figures = (String, i64, i64, i64, i64, i64, i64, i64);

fn figures(r: &SalesRow) -> Figures {
    (
        r.key.clone(),
        r.orders,
        r.gross_minor,
        r.discount_minor,
        r.refund_minor,
        r.net_minor,
        r.tax_minor,
        r.service_charge_minor,
    )
}

fn row(key: &str, f: (i64, i64, i64, i64, i64, i64, i64)) -> Figures {
    (key.to_string(), f.0, f.1, f.2, f.3, f.4, f.5, f.6)
}

/// The scenario of the figure tests; returns the brand and the ids of O1..O3.
///
/// At A (Jakarta, UTC+7):
/// - O1, 2026-11-30 23:30 local: 2 Nasi Goreng with egg = 60.000; service
///   3.000, tax 6.300, total 69.300; paid cash. Ready after 300 s.
/// - O2, 2026-12-01 00:30 local: 1 Es Teh = 8.000; service 400, tax 840,
///   total 9.240; paid by card. Ready after 120 s.
/// - O3, 2026-12-01 10:00 local: 4 Nasi Goreng = 100.000, 20 % off by the
///   cashier with the manager's PIN (20.000): service 4.000, tax 8.400,
///   total 92.400; paid by card, then 5.000 refunded by the owner. Ready after 600 s.
/// - O4 (cancelled) and O5 (voided), 2026-12-01: never counted.
///
/// At B (Makassar, UTC+8): O6 at the same instant as O1 (2026-12-01 00:30
/// local there): 1 Es Teh = 8.000, tax 800, total 8.800.
async fn scenario() -> (Brand, [Uuid; 3]) {
    let s = Brand::open().await;
    let o1 = s.order(s.a, vec![fixtures::line_with(s.nasi, 2, &[s.egg])]).await;
    assert_eq!(
        (o1.subtotal_minor, o1.service_charge_minor, o1.tax_minor, o1.total_minor),
        (60_000, 3_000, 6_300, 69_300)
    );
    s.pay(&o1, "cash").await;
    let o2 = s.order(s.a, vec![fixtures::line(s.teh, 1)]).await;
    assert_eq!(o2.total_minor, 9_240);
    s.pay(&o2, "card").await;

    let o3: Order = s
        .app
        .post("/api/v1/orders", Some(&s.cashier.1), fixtures::counter_order(s.a, vec![fixtures::line(s.nasi, 4)]))
        .await
        .expect(201)
        .json();
    let discount = CreateDiscount {
        client_discount_id: Uuid::now_v7(),
        line_id: None,
        kind: DiscountKind::Percent,
        value: 2_000,
        reason: "Pelanggan tetap".into(),
        approval: Some(Approval { approver_id: s.manager.0, pin: MANAGER_PIN.into() }),
    };
    let o3: Order = s
        .app
        .post(&format!("/api/v1/orders/{}/discounts", o3.id), Some(&s.cashier.1), &discount)
        .await
        .expect(201)
        .json();
    assert_eq!(
        (o3.discount_minor, o3.service_charge_minor, o3.tax_minor, o3.total_minor),
        (20_000, 4_000, 8_400, 92_400)
    );
    let card = s.pay(&o3, "card").await;
    let refund = CreateRefund {
        client_refund_id: Uuid::now_v7(),
        amount_minor: 5_000,
        reason: "Telur kurang".into(),
        approval: None,
        restock: false,
    };
    s.app.post(&format!("/api/v1/payments/{card}/refunds"), Some(&s.owner), &refund).await.expect(201);

    let o4 = s.order(s.a, vec![fixtures::line(s.nasi, 1)]).await;
    s.app
        .post(
            &format!("/api/v1/orders/{}/status", o4.id),
            Some(&s.owner),
            fixtures::status_because(OrderStatus::Cancelled, "Pelanggan pergi"),
        )
        .await
        .expect(200);
    let o5 = s.order(s.a, vec![fixtures::line(s.teh, 2)]).await;
    let void = VoidOrder { reason: "Salah input".into(), approval: None };
    s.app.post(&format!("/api/v1/orders/{}/void", o5.id), Some(&s.owner), void).await.expect(200);

    let o6 = s.order(s.b, vec![fixtures::line(s.teh, 1)]).await;
    assert_eq!(o6.total_minor, 8_800);
    s.pay(&o6, "cash").await;

    s.placed_at(o1.id, "2026-11-30T16:30:00Z", Some(300)).await;
    s.placed_at(o2.id, "2026-11-30T17:30:00Z", Some(120)).await;
    s.placed_at(o3.id, "2026-12-01T03:00:00Z", Some(600)).await;
    s.placed_at(o4.id, "2026-12-01T05:00:00Z", None).await;
    s.placed_at(o5.id, "2026-12-01T05:00:00Z", None).await;
    s.placed_at(o6.id, "2026-11-30T16:30:00Z", None).await;
    (s, [o1.id, o2.id, o3.id])
}

#[tokio::test]
async fn sales_by_day_and_hour_match_hand_computed_totals_across_a_time_zone_day_boundary() {
    let (s, _) = scenario().await;
    let a = s.a;
    let r = s.report(&s.owner, &format!("outlet_id={a}&from=2026-11-30&to=2026-12-01&group_by=day")).await;
    assert_eq!(
        r.rows.iter().map(figures).collect::<Vec<_>>(),
        [
            // 23:30 local on the 30th belongs to the 30th ...
            row("2026-11-30", (1, 60_000, 0, 0, 60_000, 6_300, 3_000)),
            // ... 00:30 local (the same UTC day) to the 1st; O3 has the discount and the refund.
            row("2026-12-01", (2, 108_000, 20_000, 5_000, 83_000, 9_240, 4_400)),
        ]
    );
    let t = &r.totals;
    assert_eq!(
        (t.orders, t.gross_minor, t.discount_minor, t.refund_minor, t.net_minor, t.tax_minor, t.service_charge_minor),
        (3, 168_000, 20_000, 5_000, 143_000, 15_540, 7_400)
    );
    // (168.000 − 20.000) / 3, rounded down.
    assert_eq!(t.average_order_minor, 49_333);

    let hours = s.report(&s.owner, &format!("outlet_id={a}&from=2026-11-30&to=2026-12-01&group_by=hour")).await;
    assert_eq!(hours.rows.len(), 24, "every hour of the day, with zeros");
    let sold: Vec<(String, i64)> =
        hours.rows.iter().filter(|r| r.orders > 0).map(|r| (r.key.clone(), r.gross_minor)).collect();
    assert_eq!(sold, [("00".to_string(), 8_000), ("10".to_string(), 100_000), ("23".to_string(), 60_000)]);
    assert_eq!(hours.totals, r.totals, "totals do not depend on the grouping");

    // The brand: B's order at the same instant as O1 is on the 1st in Makassar.
    let brand = s.report(&s.owner, "from=2026-11-30&to=2026-12-01&group_by=day").await;
    assert_eq!(
        brand.rows.iter().map(|r| (r.key.clone(), r.orders, r.gross_minor)).collect::<Vec<_>>(),
        [("2026-11-30".to_string(), 1, 60_000), ("2026-12-01".to_string(), 3, 116_000)]
    );
    let outlets = s.report(&s.owner, "from=2026-11-30&to=2026-12-01&group_by=outlet").await;
    let mut by_outlet: Vec<(Option<String>, i64, i64)> =
        outlets.rows.iter().map(|r| (r.label.clone(), r.orders, r.net_minor)).collect();
    by_outlet.sort();
    assert_eq!(by_outlet, [(Some("Bali".into()), 1, 8_000), (Some("Kemang".into()), 3, 143_000)]);
    let channels = s.report(&s.owner, "from=2026-11-30&to=2026-12-01&group_by=channel").await;
    assert_eq!(
        channels.rows.iter().map(figures).collect::<Vec<_>>(),
        [row("counter", (4, 176_000, 20_000, 5_000, 151_000, 16_340, 7_400))]
    );

    // One day only: the 30th.
    let day = s.report(&s.owner, &format!("outlet_id={a}&from=2026-11-30&to=2026-11-30")).await;
    assert_eq!((day.totals.orders, day.totals.net_minor), (1, 60_000));
}

#[tokio::test]
async fn item_mix_payment_mix_kitchen_times_and_adjustments_with_approvers() {
    let (s, [o1, _, o3]) = scenario().await;
    let q = format!("outlet_id={}&from=2026-11-30&to=2026-12-01", s.a);

    let items = s.report(&s.owner, &format!("{q}&group_by=item")).await;
    type Mix = (Option<String>, i64, Option<i64>, i64, i64);
    let mix: Vec<Mix> =
        items.rows.iter().map(|r| (r.label.clone(), r.orders, r.qty, r.gross_minor, r.net_minor)).collect();
    // Best seller first; the cancelled and voided orders' items are not sold.
    assert_eq!(
        mix,
        [(Some("Nasi Goreng".into()), 2, Some(6), 160_000, 160_000), (Some("Es Teh".into()), 1, Some(1), 8_000, 8_000)]
    );
    let modifiers = s.report(&s.owner, &format!("{q}&group_by=modifier")).await;
    assert_eq!(
        modifiers.rows.iter().map(|r| (r.label.clone(), r.orders, r.qty, r.gross_minor)).collect::<Vec<_>>(),
        [(Some("Nasi Goreng · Telur".into()), 1, Some(2), 10_000)]
    );
    let payments = s.report(&s.owner, &format!("{q}&group_by=payment_method")).await;
    assert_eq!(
        payments.rows.iter().map(|r| (r.key.as_str(), r.orders, r.gross_minor, r.refund_minor)).collect::<Vec<_>>(),
        [("card", 2, 9_240 + 92_400, 5_000), ("cash", 1, 69_300, 0)]
    );

    let summary: SalesSummary = s.app.get(&format!("/api/v1/reports/summary?{q}"), &s.owner).await.expect(200).json();
    assert_eq!(summary.totals, items.totals);
    assert_eq!(summary.payment_mix, payments.rows);
    assert_eq!(summary.top_items, items.rows);

    let kitchen: KitchenReport = s.app.get(&format!("/api/v1/reports/kitchen?{q}"), &s.owner).await.expect(200).json();
    let times: Vec<(&str, i64, i64, i64)> =
        kitchen.rows.iter().map(|r| (r.station.as_str(), r.tickets, r.p50_seconds, r.p90_seconds)).collect();
    // Kitchen: 300 s and 600 s (median 450, p90 570); bar: one of 120 s.
    assert_eq!(times, [("bar", 1, 120, 120), ("kitchen", 2, 450, 570)]);

    // Adjustments are dated when they were made: today (in Jakarta), whatever the orders' dates.
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    let range = format!("outlet_id={}&from={}&to={}", s.a, today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let adj: AdjustmentsReport =
        s.app.get(&format!("/api/v1/reports/adjustments?{range}"), &s.owner).await.expect(200).json();
    let mut seen: Vec<(AdjustmentKind, i64, Option<String>, bool)> =
        adj.rows.iter().map(|r| (r.kind, r.amount_minor, r.approved_by.clone(), r.by.is_some())).collect();
    seen.sort_by_key(|x| x.0.as_str());
    assert_eq!(
        seen,
        [
            (AdjustmentKind::Discount, 20_000, Some("manager".into()), true),
            (AdjustmentKind::Refund, 5_000, None, true),
            // The voided order's total (2 Es Teh: 16.000 + 5 % + 10 %).
            (AdjustmentKind::Void, 18_480, None, true),
        ]
    );
    assert!(adj.rows.iter().any(|r| r.order_id == o3 && r.kind == AdjustmentKind::Refund));
    assert!(adj.rows.iter().all(|r| r.order_id != o1));
}

#[tokio::test]
async fn csv_gives_the_same_rows_as_json() {
    let (s, _) = scenario().await;
    for group in ["day", "hour", "item", "modifier", "payment_method", "outlet", "channel"] {
        let q = format!("from=2026-11-30&to=2026-12-01&group_by={group}");
        let json = s.report(&s.owner, &q).await;
        let res = s.csv(&format!("/api/v1/reports/sales?{q}")).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let body = res.text().await.unwrap();
        let mut lines = body.lines();
        assert_eq!(
            lines.next(),
            Some(
                "key,label,orders,qty,gross_minor,discount_minor,refund_minor,net_minor,tax_minor,service_charge_minor"
            )
        );
        let expected: Vec<String> = json
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{},{},{},{},{},{},{},{},{},{}",
                    r.key,
                    r.label.clone().unwrap_or_default(),
                    r.orders,
                    r.qty.map(|q| q.to_string()).unwrap_or_default(),
                    r.gross_minor,
                    r.discount_minor,
                    r.refund_minor,
                    r.net_minor,
                    r.tax_minor,
                    r.service_charge_minor
                )
            })
            .collect();
        assert_eq!(lines.map(str::to_string).collect::<Vec<_>>(), expected, "group_by={group}");
        assert!(!expected.is_empty(), "group_by={group} has rows");
    }
    for report in ["kitchen", "adjustments"] {
        let res = s.csv(&format!("/api/v1/reports/{report}?from=2026-11-30&to=2026-12-01")).await;
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().lines().count() >= 1);
    }
}

#[tokio::test]
async fn managers_see_their_outlets_only_and_cashiers_and_devices_are_refused() {
    let (s, _) = scenario().await;
    let q = "from=2026-11-30&to=2026-12-01&group_by=outlet";
    let mine = s.report(&s.manager.1, q).await;
    assert_eq!(mine.rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>(), [s.a.to_string()]);
    assert_eq!((mine.totals.orders, mine.totals.net_minor), (3, 143_000), "A's figures only, not B's");
    let r = s.app.get(&format!("/api/v1/reports/sales?outlet_id={}&{q}", s.b), &s.manager.1).await;
    assert_eq!(r.status, 404, "another outlet is not found");
    for path in ["summary", "kitchen", "adjustments"] {
        let r = s.app.get(&format!("/api/v1/reports/{path}?outlet_id={}&{q}", s.b), &s.manager.1).await;
        assert_eq!(r.status, 404, "{path}");
    }
    let kitchen: KitchenReport =
        s.app.get("/api/v1/reports/kitchen?from=2026-11-30&to=2026-12-01", &s.manager.1).await.expect(200).json();
    assert_eq!(kitchen.rows.iter().map(|r| r.tickets).sum::<i64>(), 3);

    let (_, kiosk) = s.app.pair_device(&s.owner, s.a, "kiosk").await;
    for token in [&s.cashier.1, &kiosk] {
        for path in ["sales", "summary", "kitchen", "adjustments"] {
            let r = s.app.get(&format!("/api/v1/reports/{path}?{q}"), token).await;
            assert_eq!(r.status, 403, "{path}");
        }
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_with_codes() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let cases = [
        ("from=2026-12-02&to=2026-12-01", "from", "report_range_reversed"),
        ("from=2025-01-01&to=2026-12-01", "to", "report_range_too_long"),
        ("from=2026-12-01&to=2026-12-01&group_by=week", "group_by", "report_group_invalid"),
        ("from=1%20Dec&to=2026-12-01", "from", "report_date_invalid"),
        ("from=2026-02-30", "from", "report_date_invalid"),
        ("to=", "to", "report_date_invalid"),
        ("group_by=", "group_by", "report_group_invalid"),
    ];
    for (query, field, code) in cases {
        let r = app.get(&format!("/api/v1/reports/sales?{query}"), &t.token).await;
        assert_eq!(r.status, 422, "{query}: {}", r.body);
        assert_eq!(r.body["error_codes"][field][0]["code"], code, "{query}: {}", r.body);
    }
    let r = app.get("/api/v1/reports/sales?outlet_id=not-a-uuid", &t.token).await;
    assert!(r.status == 400 || r.status == 422, "{}", r.status);
    // No dates: today, nothing sold.
    let today: SalesReport = app.get("/api/v1/reports/sales", &t.token).await.expect(200).json();
    assert_eq!((today.from, today.to, today.rows.len(), today.totals.orders), (today.to, today.to, 1, 0));
    // 366 days is the longest range.
    app.get("/api/v1/reports/sales?from=2025-12-01&to=2026-12-01", &t.token).await.expect(200);
}

/// The rollups against the orders, payments and order lines themselves.
async fn assert_rollups_equal_raw_sums(app: &TestApp, tenant: Uuid) {
    #[derive(Debug, PartialEq, sea_orm::FromQueryResult)]
    struct Sums {
        k: String,
        a: i64,
        b: i64,
        c: i64,
        d: i64,
        e: i64,
        f: i64,
    }
    let tx = app.tenant_tx(tenant).await;
    let pairs = [
        (
            "SELECT concat_ws('/', r.outlet_id, r.local_hour, r.channel) AS k, sum(orders)::bigint AS a, \
                    sum(gross_minor)::bigint AS b, sum(discount_minor)::bigint AS c, sum(refund_minor)::bigint AS d, \
                    sum(tax_minor)::bigint AS e, sum(service_charge_minor)::bigint AS f \
               FROM sales_rollup r GROUP BY 1 HAVING sum(orders) <> 0 ORDER BY 1",
            "SELECT concat_ws('/', o.outlet_id, date_trunc('hour', o.created_at AT TIME ZONE t.timezone), o.channel) AS k, \
                    count(*)::bigint AS a, sum(subtotal_minor)::bigint AS b, sum(discount_minor)::bigint AS c, \
                    sum(refunded_minor)::bigint AS d, sum(tax_minor)::bigint AS e, \
                    sum(o.service_charge_minor)::bigint AS f \
               FROM orders o JOIN outlets t ON t.id = o.outlet_id \
              WHERE o.status <> 'cancelled' AND o.payment_status <> 'void' GROUP BY 1 ORDER BY 1",
        ),
        (
            "SELECT concat_ws('/', r.outlet_id, r.local_date, r.kind, r.ref_id) AS k, sum(orders)::bigint AS a, \
                    sum(qty)::bigint AS b, sum(gross_minor)::bigint AS c, sum(discount_minor)::bigint AS d, \
                    0::bigint AS e, 0::bigint AS f \
               FROM item_rollup r GROUP BY 1 HAVING sum(orders) <> 0 ORDER BY 1",
            "SELECT concat_ws('/', o.outlet_id, (o.created_at AT TIME ZONE t.timezone)::date, m.kind, m.ref_id) AS k, \
                    count(*)::bigint AS a, sum(m.qty)::bigint AS b, sum(m.gross_minor)::bigint AS c, \
                    sum(m.discount_minor)::bigint AS d, 0::bigint AS e, 0::bigint AS f \
               FROM orders o JOIN outlets t ON t.id = o.outlet_id, app.order_item_mix(o.lines) m \
              WHERE o.status <> 'cancelled' AND o.payment_status <> 'void' GROUP BY 1 ORDER BY 1",
        ),
        (
            "SELECT concat_ws('/', r.outlet_id, r.local_date, r.method) AS k, sum(payments)::bigint AS a, \
                    sum(amount_minor)::bigint AS b, sum(refund_minor)::bigint AS c, 0::bigint AS d, 0::bigint AS e, \
                    0::bigint AS f \
               FROM payment_rollup r GROUP BY 1 HAVING sum(payments) <> 0 ORDER BY 1",
            "SELECT concat_ws('/', p.outlet_id, (coalesce(p.paid_at, p.created_at) AT TIME ZONE t.timezone)::date, p.method) AS k, \
                    count(*)::bigint AS a, sum(amount_minor)::bigint AS b, sum(refunded_minor)::bigint AS c, \
                    0::bigint AS d, 0::bigint AS e, 0::bigint AS f \
               FROM payments p JOIN outlets t ON t.id = p.outlet_id WHERE p.status = 'paid' GROUP BY 1 ORDER BY 1",
        ),
    ];
    for (rollup, raw) in pairs {
        let rolled: Vec<Sums> = tx.query_all(rollup, []).await.unwrap();
        let summed: Vec<Sums> = tx.query_all(raw, []).await.unwrap();
        assert!(!summed.is_empty());
        assert_eq!(rolled, summed, "{rollup}");
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn rollups_equal_the_raw_sums_after_every_kind_of_change_and_after_compaction() {
    let (s, _) = scenario().await;
    // A check at a table, a round added, then split: both parts count, once.
    let area: pos_wire::Area = s
        .app
        .post(
            &format!("/api/v1/outlets/{}/areas", s.a),
            Some(&s.owner),
            CreateArea { name: "Teras".into(), position: None },
        )
        .await
        .expect(201)
        .json();
    let table: DiningTable = s
        .app
        .post(
            &format!("/api/v1/outlets/{}/tables", s.a),
            Some(&s.owner),
            pos_wire::CreateTable { area_id: area.id, label: "T1".into(), seats: Some(4), position: None },
        )
        .await
        .expect(201)
        .json();
    let check: Order = s
        .app
        .post(
            "/api/v1/orders",
            Some(&s.cashier.1),
            fixtures::table_order(s.a, table.id, vec![fixtures::line(s.nasi, 2), fixtures::line(s.teh, 1)]),
        )
        .await
        .expect(201)
        .json();
    let split = SplitCheck {
        client_order_id: Uuid::now_v7(),
        lines: vec![SplitLine { line_id: check.items[0].line_id, qty: 1 }],
        table_id: None,
    };
    let halves: SplitResult =
        s.app.post(&format!("/api/v1/orders/{}/split", check.id), Some(&s.cashier.1), &split).await.expect(201).json();
    s.pay(&halves.new_order, "cash").await;
    assert_rollups_equal_raw_sums(&s.app, s.tenant).await;

    let today = s.report(&s.owner, &format!("outlet_id={}&group_by=channel", s.a)).await;
    let table_row = today.rows.iter().find(|r| r.key == "table").expect("the table channel");
    assert_eq!((table_row.orders, table_row.gross_minor), (2, 58_000), "the split check's two parts");

    // Folding the deltas changes no figure.
    let before = s.report(&s.owner, "from=2026-11-30&to=2026-12-01&group_by=item").await;
    let tx = s.app.tenant_tx(s.tenant).await;
    let rows = tx.query_raw("SELECT app.compact_sales_rollups() AS n", []).await.unwrap();
    let folded: i64 = rows[0].try_get("", "n").unwrap();
    assert!(folded > 0, "the moved orders left deltas to fold");
    tx.commit().await.unwrap();
    assert_rollups_equal_raw_sums(&s.app, s.tenant).await;
    assert_eq!(s.report(&s.owner, "from=2026-11-30&to=2026-12-01&group_by=item").await, before);
}

#[tokio::test]
async fn the_admin_reports_page_shows_the_api_figures_and_its_csv_equals_the_apis() {
    let (s, _) = scenario().await;
    let range = "from=2026-11-30&to=2026-12-01";
    let owner = s.app.admin_sign_in(&s.owner_email, pos_tests::PASSWORD).await.unwrap();
    let page = |cookie: &str, path: &str| {
        let req = s.app.client.get(s.app.url(path)).header("cookie", cookie.to_string());
        async move {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let (status, html) = page(&owner, &format!("/admin/reports?outlet_id={}&{range}", s.a)).await;
    assert_eq!(status, 200);
    // Net 143.000 (Rp, Indonesian), the charts, the item and its option.
    assert!(html.contains("Rp 143.000"), "{html}");
    assert!(html.contains(r#"<svg id="chart-day""#) && html.contains(r#"<svg id="chart-hour""#));
    assert!(html.contains("Nasi Goreng") && html.contains("Telur"));

    let (status, admin_csv) = page(&owner, &format!("/admin/reports/csv?report=sales&group_by=item&{range}")).await;
    assert_eq!(status, 200);
    let api_csv = s.csv(&format!("/api/v1/reports/sales?group_by=item&{range}")).await.text().await.unwrap();
    assert_eq!(admin_csv, api_csv);
    assert_eq!(page(&owner, &format!("/admin/reports/csv?report=sales&group_by=week&{range}")).await.0, 400);

    // The manager of A: A's figures only, and B is not offered.
    let manager = s.app.admin_sign_in(&s.manager_email, pos_tests::PASSWORD).await.unwrap();
    let (status, html) = page(&manager, &format!("/admin/reports?{range}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Kemang") && !html.contains("Bali"), "{html}");
    assert!(html.contains("Rp 143.000"));
    let (status, _) = page(&manager, &format!("/admin/reports?outlet_id={}&{range}", s.b)).await;
    assert_eq!(status, 404);
}

/// Rows in the tenant's sales, item and payment rollups.
async fn rollup_rows(app: &TestApp, tenant: Uuid) -> (i64, i64, i64) {
    let tx = app.tenant_tx(tenant).await;
    let rows = tx
        .query_raw(
            "SELECT (SELECT count(*) FROM sales_rollup) AS s, (SELECT count(*) FROM item_rollup) AS i, \
                    (SELECT count(*) FROM payment_rollup) AS p",
            [],
        )
        .await
        .unwrap();
    let get = |c: &str| -> i64 { rows[0].try_get("", c).unwrap() };
    let counted = (get("s"), get("i"), get("p"));
    tx.commit().await.unwrap();
    counted
}

#[tokio::test]
async fn intake_counts_each_new_order_once_and_the_kitchen_moving_it_along_writes_nothing() {
    let s = Brand::open().await;
    assert_eq!(rollup_rows(&s.app, s.tenant).await, (0, 0, 0));
    // Online: one sales row, one row per item and per option.
    let online = s.order(s.a, vec![fixtures::line_with(s.nasi, 2, &[s.egg]), fixtures::line(s.teh, 1)]).await;
    assert_eq!(rollup_rows(&s.app, s.tenant).await, (1, 3, 0), "written by intake, skipped by the trigger");
    // Offline from a kiosk, then the same order again: counted once.
    let (device, kiosk) = s.app.pair_device(&s.owner, s.a, "kiosk").await;
    let push = fixtures::push(device, [fixtures::kiosk_order(s.a, vec![fixtures::line(s.nasi, 1)])]);
    for outcome in ["created", "duplicate"] {
        let r = s.app.post("/api/v1/sync/push", Some(&kiosk), &push).await.expect(200);
        assert_eq!(r.body["results"][0]["outcome"], outcome, "{}", r.text);
    }
    assert_eq!(rollup_rows(&s.app, s.tenant).await, (2, 4, 0));
    // The kitchen moves the order along, it is paid: only the payment counts.
    for status in [OrderStatus::Accepted, OrderStatus::Preparing, OrderStatus::Ready, OrderStatus::Completed] {
        s.app
            .post(&format!("/api/v1/orders/{}/status", online.id), Some(&s.owner), fixtures::status(status))
            .await
            .expect(200);
    }
    s.pay(&online, "cash").await;
    assert_eq!(rollup_rows(&s.app, s.tenant).await, (2, 4, 1));
    assert_rollups_equal_raw_sums(&s.app, s.tenant).await;
}

#[tokio::test]
async fn an_order_intake_counted_itself_does_not_hide_another_order_from_the_trigger() {
    let s = Brand::open().await;
    let tx = s.app.tenant_tx(s.tenant).await;
    let lines = serde_json::json!([{"menu_item_id": s.teh, "name": "Es Teh", "qty": 1, "line_total_minor": 8_000,
                                    "discount_minor": 0, "modifiers": []}]);
    let insert = "INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, business_date, \
                                      status, channel, lines, subtotal_minor, service_charge_minor, tax_minor, \
                                      total_minor, currency, created_at_client) \
                  VALUES ($1, $2, $3, $2, '\\x00', $4, current_date, 'placed', 'counter', $5, 8000, 0, 800, 8800, \
                          'IDR', now())";
    let (counted, other) = (Uuid::now_v7(), Uuid::now_v7());
    tx.execute(
        "SELECT app.rollup_placed_order($1, $2, 'counter', 8000, 800, 0, $3)",
        [counted.into(), s.a.into(), lines.clone().into()],
    )
    .await
    .unwrap();
    for (id, number) in [(counted, "T-1"), (other, "T-2")] {
        tx.execute(insert, [s.tenant.into(), id.into(), s.a.into(), number.into(), lines.clone().into()])
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(rollup_rows(&s.app, s.tenant).await, (2, 2, 0), "one row each: the marked order, the other by trigger");
    let tx = s.app.tenant_tx(s.tenant).await;
    let rows = tx
        .query_raw(
            "SELECT (SELECT sum(orders) FROM sales_rollup)::bigint AS o, (SELECT sum(gross_minor) FROM sales_rollup)::bigint AS g, \
                    (SELECT sum(qty) FROM item_rollup)::bigint AS q",
            [],
        )
        .await
        .unwrap();
    let get = |c: &str| -> i64 { rows[0].try_get("", c).unwrap() };
    assert_eq!((get("o"), get("g"), get("q")), (2, 16_000, 2));
    tx.commit().await.unwrap();
}
