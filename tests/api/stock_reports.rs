//! Stock reports: every figure below is computed by hand from the café's
//! recipes (a latte takes 200 ml milk at 20 and 18 g coffee at 300, 400
//! after a price rise; an extra shot 9 g more), the deliveries, a
//! cancellation, waste, a transfer and two counts.

use chrono::{Days, Utc};
use pos_tests::{fixtures, paying::field_code};
use pos_wire::{
    FoodCostReport, Order, OrderStatus, StockMovementKind, StockMovementsReport, StockOnHandReport, StockUsageReport,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::stock::{Cafe, LATTE};

const WATER: i64 = 5_000;

/// Kemang receives the transferred coffee.
struct Day {
    c: Cafe,
    kemang: Uuid,
    water: Uuid,
}

/// The day in the module docs, at Sabang (and 10 g of coffee to Kemang).
async fn a_day_of_sales() -> Day {
    let c = Cafe::open().await;
    let kemang = c.app.create_outlet(&c.t.token, "Kemang").await;
    c.receive(c.outlet, c.milk, 2_000).await;
    c.receive(c.outlet, c.coffee, 500).await;
    c.sell(2, true).await.expect(201);
    c.sell(1, false).await.expect(201);
    let cancelled: Order = c.sell(1, false).await.expect(201).json();
    let body = fixtures::status_because(OrderStatus::Cancelled, "Pelanggan batal");
    c.app.post(&format!("/api/v1/orders/{}/status", cancelled.id), Some(&c.t.token), body).await.expect(200);
    let path = format!("/api/v1/ingredients/{}", c.coffee);
    c.app.patch(&path, &c.t.token, json!({"cost_per_unit_minor": 400})).await.expect(200);
    c.sell(1, false).await.expect(201);
    let water = pos_tests::plain_menu_item(&c.app, &c.t.token, "Air mineral", WATER, None).await;
    let body = fixtures::counter_order(c.outlet, vec![fixtures::line(water, 2)]);
    c.app.post("/api/v1/orders", Some(&c.t.token), body).await.expect(201);

    let moved = |ingredient: Uuid, kind: &str, qty: i64| json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": ingredient, "kind": kind, "qty": qty});
    c.movement(&c.t.token, c.outlet, moved(c.milk, "waste", 100)).await.expect(201);
    let mut out = moved(c.coffee, "transfer_out", 10);
    out["to_outlet_id"] = json!(kemang);
    let sent = c.movement(&c.t.token, c.outlet, out).await.expect(201);
    let mut inn = moved(c.coffee, "transfer_in", 10);
    inn["transfer_id"] = sent.body["transfer_id"].clone();
    c.movement(&c.t.token, kemang, inn).await.expect(201);
    c.movement(&c.t.token, c.outlet, moved(c.milk, "count", 850)).await.expect(201);
    c.movement(&c.t.token, c.outlet, moved(c.coffee, "count", 395)).await.expect(201);
    Day { c, kemang, water }
}

/// A range around today in any time zone.
fn around_today() -> String {
    let today = Utc::now().date_naive();
    let from = today.checked_sub_days(Days::new(1)).unwrap();
    let to = today.checked_add_days(Days::new(1)).unwrap();
    format!("from={from}&to={to}")
}

impl Day {
    async fn report(&self, what: &str, query: &str) -> Value {
        let path = format!("/api/v1/reports/{what}?{query}");
        self.c.app.get(&path, &self.c.t.token).await.expect(200).body
    }

    async fn at_sabang<T: serde::de::DeserializeOwned>(&self, what: &str) -> T {
        let body = self.report(what, &format!("outlet_id={}&{}", self.c.outlet, around_today())).await;
        serde_json::from_value(body).expect("the report's shape")
    }
}

#[tokio::test]
async fn food_cost_is_what_each_line_took_at_the_cost_of_its_sale_over_net_item_sales() {
    let d = a_day_of_sales().await;
    let c = &d.c;
    let report: FoodCostReport = d.at_sabang("food-cost").await;
    let latte = &report.rows[0];
    assert_eq!(latte.menu_item_id, c.latte);
    assert_eq!(latte.qty_sold, 4, "the cancelled latte is not a sale");
    assert_eq!(latte.net_sales_minor, 2 * (LATTE + 5_000) + 2 * LATTE);
    // 2 x (200 x 20 + 27 x 300) + (200 x 20 + 18 x 300) + (200 x 20 + 18 x 400);
    // the cancelled latte took 4000 + 5400 and put it all back.
    assert_eq!(latte.cogs_minor, 24_200 + 9_400 + 11_200);
    assert_eq!(latte.food_cost_bp, Some(3446), "44800 / 130000 = 34.46 %");
    let water = &report.rows[1];
    assert_eq!((water.menu_item_id, water.qty_sold, water.net_sales_minor), (d.water, 2, 2 * WATER));
    assert_eq!((water.cogs_minor, water.food_cost_bp), (0, Some(0)), "no recipe, no cost");
    assert_eq!(report.rows.len(), 2);
    assert_eq!(report.totals.net_sales_minor, 140_000);
    assert_eq!(report.totals.cogs_minor, 44_800);
    assert_eq!(report.totals.food_cost_bp, Some(3200));

    // The CSV has the same rows.
    let path = format!("/api/v1/reports/food-cost?outlet_id={}&{}&format=csv", c.outlet, around_today());
    let csv = c.app.get(&path, &c.t.token).await.expect(200);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert_eq!(lines[0], "menu_item_id,item,qty_sold,net_sales_minor,cogs_minor,food_cost_bp");
    assert_eq!(lines[1], format!("{},Latte,4,130000,44800,3446", c.latte));
    assert_eq!(lines.len(), 3);

    // Another period has none of it; another outlet neither.
    let empty = d.report("food-cost", &format!("outlet_id={}&from=2020-01-01&to=2020-01-31", c.outlet)).await;
    assert_eq!(empty["rows"], json!([]));
    assert_eq!(empty["totals"]["cogs_minor"], json!(0));
    let kemang = d.report("food-cost", &format!("outlet_id={}&{}", d.kemang, around_today())).await;
    assert_eq!(kemang["rows"], json!([]));
}

#[tokio::test]
async fn usage_compares_what_the_recipes_took_with_what_the_counts_show() {
    let d = a_day_of_sales().await;
    let c = &d.c;
    let report: StockUsageReport = d.at_sabang("stock-usage").await;
    assert_eq!(report.rows.len(), 2);
    let (coffee, milk) = (&report.rows[0], &report.rows[1]);
    assert_eq!((coffee.ingredient_id, milk.ingredient_id), (c.coffee, c.milk), "by name: Kopi, Susu");

    // Milk: 4 lattes x 200 ml (the cancelled one came back); counted 850 of 2000.
    assert_eq!((milk.opening, milk.received, milk.transferred_in, milk.transferred_out), (0, 2_000, 0, 0));
    assert_eq!((milk.wasted, milk.theoretical, milk.theoretical_value_minor), (100, 800, 16_000));
    assert_eq!(milk.closing_count, Some(850));
    assert_eq!(milk.counted_usage, Some(2_000 - 850));
    assert_eq!(milk.variance, Some(350), "100 ml wasted and 250 ml unexplained");
    assert_eq!(milk.variance_value_minor, Some(350 * 20));

    // Coffee: 54 + 18 + 18 - 18 + 18 g sold; 10 g sent to Kemang; counted 395.
    assert_eq!((coffee.received, coffee.transferred_out, coffee.wasted), (500, 10, 0));
    assert_eq!(coffee.theoretical, 90);
    assert_eq!(coffee.theoretical_value_minor, 54 * 300 + 18 * 300 + 18 * 400, "each at its movement's cost");
    assert_eq!(coffee.counted_usage, Some(500 - 10 - 395));
    assert_eq!((coffee.variance, coffee.variance_value_minor), (Some(5), Some(5 * 400)));

    // Kemang received the coffee and never counted it.
    let kemang = d.report("stock-usage", &format!("outlet_id={}&{}", d.kemang, around_today())).await;
    let row = &kemang["rows"][0];
    assert_eq!((row["transferred_in"].as_i64(), row["theoretical"].as_i64()), (Some(10), Some(0)));
    assert!(row.get("counted_usage").is_none() && row.get("variance").is_none(), "not counted: {row}");

    // A later period opens with what the day left.
    let today = Utc::now().date_naive();
    let later = format!("outlet_id={}&from={}&to={}", c.outlet, today + Days::new(2), today + Days::new(3));
    let later = d.report("stock-usage", &later).await;
    assert_eq!(later["rows"][1]["opening"], json!(850));
    assert_eq!(later["rows"][1]["theoretical"], json!(0));
}

#[tokio::test]
async fn movements_are_summed_per_ingredient_and_kind_and_on_hand_is_valued_at_cost() {
    let d = a_day_of_sales().await;
    let c = &d.c;
    let report: StockMovementsReport = d.at_sabang("stock-movements").await;
    use StockMovementKind as K;
    let got: Vec<(Uuid, K, i64, i64, i64)> =
        report.rows.iter().map(|r| (r.ingredient_id, r.kind, r.movements, r.qty, r.value_minor)).collect();
    assert_eq!(
        got,
        vec![
            (c.coffee, K::Cancel, 1, 18, 18 * 300),
            (c.coffee, K::Count, 1, -5, -5 * 400),
            (c.coffee, K::Receive, 1, 500, 500 * 300),
            (c.coffee, K::Sale, 4, -108, -(54 * 300 + 18 * 300 + 18 * 300 + 18 * 400)),
            (c.coffee, K::TransferOut, 1, -10, -10 * 400),
            (c.milk, K::Cancel, 1, 200, 200 * 20),
            (c.milk, K::Count, 1, -250, -250 * 20),
            (c.milk, K::Receive, 1, 2_000, 2_000 * 20),
            (c.milk, K::Sale, 4, -1_000, -1_000 * 20),
            (c.milk, K::Waste, 1, -100, -100 * 20),
        ]
    );

    let stock: StockOnHandReport = d.at_sabang("stock-on-hand").await;
    let got: Vec<(Uuid, i64, i64, i64)> =
        stock.rows.iter().map(|r| (r.ingredient_id, r.on_hand, r.unit_cost_minor, r.value_minor)).collect();
    assert_eq!(got, vec![(c.coffee, 395, 400, 158_000), (c.milk, 850, 20, 17_000)]);
    assert_eq!(stock.total_value_minor, 175_000);

    // Brand-wide: Kemang (first by name) holds the 10 g it received.
    let brand = d.report("stock-on-hand", &around_today()).await;
    assert_eq!(brand["rows"][0]["outlet_id"], json!(d.kemang));
    assert_eq!(brand["rows"][0]["value_minor"], json!(4_000));
    assert_eq!(brand["total_value_minor"], json!(179_000));
    // Before anything was received there was nothing.
    let before = d.report("stock-on-hand", "to=2020-01-01").await;
    assert_eq!((before["rows"].clone(), before["total_value_minor"].clone()), (json!([]), json!(0)));

    // CSV by the Accept header too.
    let path = format!("/api/v1/reports/stock-on-hand?outlet_id={}&{}", c.outlet, around_today());
    let res = reqwest::Client::new()
        .get(c.app.url(&path))
        .bearer_auth(&c.t.token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = res.text().await.unwrap();
    assert_eq!(text.lines().nth(2), Some(format!("{},Sabang,{},Susu,ml,850,20,17000", c.outlet, c.milk).as_str()));
}

#[tokio::test]
async fn bad_periods_and_formats_are_refused_and_only_owners_and_managers_read_stock_reports() {
    let c = Cafe::open().await;
    for what in ["stock-on-hand", "stock-movements", "stock-usage", "food-cost"] {
        let c = &c;
        let get = move |q: &str| {
            let path = format!("/api/v1/reports/{what}?{q}");
            async move { c.app.get(&path, &c.t.token).await }
        };
        let r = get("from=2026-13-01").await.expect(422);
        assert_eq!(field_code(&r, "from"), "report_date_invalid", "{what}");
        let r = get("from=2026-02-02&to=2026-02-01").await.expect(422);
        assert_eq!(field_code(&r, "from"), "report_range_reversed", "{what}");
        let r = get("from=2024-01-01&to=2026-01-01").await.expect(422);
        assert_eq!(field_code(&r, "to"), "report_range_too_long", "{what}");
        let r = get("format=xml").await.expect(422);
        assert_eq!(field_code(&r, "format"), "report_format_invalid", "{what}");
        let r = get("group_by=AAA").await.expect(422);
        assert_eq!(field_code(&r, "group_by"), "report_group_invalid", "{what}");
        get(&format!("outlet_id={}", Uuid::now_v7())).await.expect(404);
        get("format=json").await.expect(200);
    }
    let (_, cashier) = c.app.create_staff(&c.t.token, "cashier", &[c.outlet]).await;
    let (_, kitchen) = c.app.create_staff(&c.t.token, "kitchen", &[c.outlet]).await;
    for token in [&cashier, &kitchen] {
        c.app.get(&format!("/api/v1/reports/food-cost?outlet_id={}", c.outlet), token).await.expect(403);
    }
}
