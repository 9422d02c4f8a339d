//! Gaps of the stock domain closed after its first cut: a recipe change
//! re-checks availability at every outlet at once; transfers go only to a
//! live outlet of the brand; split and merged checks put back what their
//! own lines took.

use pos_tests::{SseClient, fixtures, paying::field_code};
use pos_wire::{
    Area, CreateArea, CreateTable, DiningTable, MergeChecks, Order, OrderStatus, SplitCheck, SplitLine, SplitResult,
};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::stock::{Cafe, wait_for_availability};

async fn available_at(c: &Cafe, outlet: Uuid) -> bool {
    let menu = c.app.get(&format!("/api/v1/outlets/{outlet}/menu"), &c.t.token).await.expect(200);
    let items: Vec<&Value> = menu.body["categories"]
        .as_array()
        .map(|cs| cs.iter().flat_map(|c| c["items"].as_array().unwrap().iter()).collect())
        .unwrap_or_default();
    let latte = items.iter().find(|i| i["id"] == json!(c.latte)).expect("latte on the menu");
    latte["available"].as_bool().unwrap()
}

async fn put_latte(c: &Cafe, token: &str, milk: i64) {
    let lines = json!({"lines": [{"ingredient_id": c.milk, "qty": milk}, {"ingredient_id": c.coffee, "qty": 18}]});
    let path = format!("/api/v1/menu-items/{}/recipe", c.latte);
    c.app.call(Method::PUT, &path, Some(token), Some(lines)).await.expect(200);
}

#[tokio::test]
async fn a_recipe_change_takes_the_item_off_or_brings_it_back_at_every_outlet_at_once() {
    let c = Cafe::open().await;
    let kemang = c.app.create_outlet(&c.t.token, "Kemang").await;
    c.receive(c.outlet, c.milk, 300).await;
    c.receive(c.outlet, c.coffee, 100).await;
    c.receive(kemang, c.milk, 1_000).await;
    c.receive(kemang, c.coffee, 100).await;
    assert!(available_at(&c, c.outlet).await && available_at(&c, kemang).await);
    // A manager of Sabang alone changes the brand's recipe.
    let (_, manager) = c.app.create_staff(&c.t.token, "manager", &[c.outlet]).await;
    let sabang_events = c.app.url(&format!("/api/v1/outlets/{}/events", c.outlet));
    let mut sabang = SseClient::connect(&sabang_events, &c.t.token, None).await;
    let kemang_events = c.app.url(&format!("/api/v1/outlets/{kemang}/events"));
    let mut at_kemang = SseClient::connect(&kemang_events, &c.t.token, None).await;

    put_latte(&c, &manager, 400).await;
    assert_eq!(wait_for_availability(&mut sabang, c.latte).await["available"], false, "300 ml < 400 ml");
    assert!(!available_at(&c, c.outlet).await);
    assert!(available_at(&c, kemang).await, "1000 ml still makes one");
    let r = c.sell(1, false).await.expect(422);
    assert_eq!(field_code(&r, "items[0].menu_item_id"), "item_sold_out");

    put_latte(&c, &manager, 1_200).await;
    assert_eq!(
        wait_for_availability(&mut at_kemang, c.latte).await["available"],
        false,
        "at an outlet the manager does not work at too"
    );
    assert!(!available_at(&c, kemang).await);

    put_latte(&c, &manager, 200).await;
    assert_eq!(wait_for_availability(&mut sabang, c.latte).await["available"], true);
    assert_eq!(wait_for_availability(&mut at_kemang, c.latte).await["available"], true);
    assert!(available_at(&c, c.outlet).await && available_at(&c, kemang).await);
    c.sell(1, false).await.expect(201);

    // An 86 made by hand stays, whatever the recipe.
    let path = format!("/api/v1/outlets/{}/menu-items/{}", c.outlet, c.latte);
    c.app.patch(&path, &c.t.token, fixtures::availability(false)).await.expect(200);
    put_latte(&c, &manager, 100).await;
    assert!(!available_at(&c, c.outlet).await, "turned off by hand: not brought back by a recipe");
}

#[tokio::test]
async fn a_transfer_goes_only_to_a_live_outlet_of_the_brand() {
    let c = Cafe::open().await;
    c.receive(c.outlet, c.milk, 1_000).await;
    let closed = c.app.create_outlet(&c.t.token, "Tutup").await;
    c.app.delete(&format!("/api/v1/outlets/{closed}"), &c.t.token).await.expect(204);
    let other = c.app.signup().await;
    let theirs = c.app.create_outlet(&other.token, "Milik orang").await;
    let out = |to: Uuid| json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": c.milk, "kind": "transfer_out", "qty": 100, "to_outlet_id": to});
    let r = c.movement(&c.t.token, c.outlet, out(closed)).await.expect(422);
    assert_eq!(field_code(&r, "to_outlet_id"), "transfer_outlet_archived");
    let r = c.movement(&c.t.token, c.outlet, out(theirs)).await.expect(422);
    assert_eq!(field_code(&r, "to_outlet_id"), "outlet_not_found", "another brand's outlet is not named");
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_000, "nothing was sent");
}

/// Two tables at the café.
async fn tables(c: &Cafe) -> [Uuid; 2] {
    let area: Area = c
        .app
        .post(
            &format!("/api/v1/outlets/{}/areas", c.outlet),
            Some(&c.t.token),
            CreateArea { name: "Teras".into(), position: None },
        )
        .await
        .expect(201)
        .json();
    let mut ids = [Uuid::nil(); 2];
    for (i, id) in ids.iter_mut().enumerate() {
        let body = CreateTable { area_id: area.id, label: format!("T{}", i + 1), seats: Some(2), position: None };
        let table: DiningTable = c
            .app
            .post(&format!("/api/v1/outlets/{}/tables", c.outlet), Some(&c.t.token), body)
            .await
            .expect(201)
            .json();
        *id = table.id;
    }
    ids
}

async fn seat(c: &Cafe, table: Uuid, lattes: i32) -> Order {
    let body = fixtures::table_order(c.outlet, table, vec![fixtures::line(c.latte, lattes)]);
    c.app.post("/api/v1/orders", Some(&c.t.token), body).await.expect(201).json()
}

async fn cancel(c: &Cafe, order: Uuid) {
    let body = fixtures::status_because(OrderStatus::Cancelled, "Batal");
    c.app.post(&format!("/api/v1/orders/{order}/status"), Some(&c.t.token), body).await.expect(200);
}

#[tokio::test]
async fn split_and_merged_checks_put_back_what_their_own_lines_took() {
    let c = Cafe::open().await;
    let [t1, t2] = tables(&c).await;
    c.receive(c.outlet, c.milk, 2_000).await;
    c.receive(c.outlet, c.coffee, 500).await;

    // Three lattes, one split off; each check's cancellation puts back its own.
    let check = seat(&c, t1, 3).await;
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_400);
    let split = SplitCheck {
        client_order_id: Uuid::now_v7(),
        lines: vec![SplitLine { line_id: check.items[0].line_id, qty: 1 }],
        table_id: None,
    };
    let halves: SplitResult =
        c.app.post(&format!("/api/v1/orders/{}/split", check.id), Some(&c.t.token), &split).await.expect(201).json();
    cancel(&c, halves.new_order.id).await;
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 1_600, "the split-off latte's milk comes back");
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 500 - 2 * 18);
    cancel(&c, check.id).await;
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 2_000, "and the two left on the check, not three");
    assert_eq!(c.on_hand(c.outlet, c.coffee).await, 500);

    // Merging closes a check: the lattes it moved still took their milk.
    let a = seat(&c, t1, 1).await;
    let b = seat(&c, t2, 2).await;
    c.app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&c.t.token), MergeChecks { from_order_id: b.id })
        .await
        .expect(200);
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 2_000 - 3 * 200, "three lattes on the merged check");
    cancel(&c, a.id).await;
    assert_eq!(c.on_hand(c.outlet, c.milk).await, 2_000, "cancelling it puts back all three");
}

/// The brand's catalogue version: it moves only when an item does.
async fn catalogue_version(c: &Cafe) -> i64 {
    let sql = "SELECT version AS n FROM catalog_versions";
    pos_tests::paying::count(&c.app, c.t.tenant_id, sql, vec![]).await
}

#[tokio::test]
async fn sales_near_a_stock_out_take_the_catalogue_version_only_when_an_item_changes() {
    let c = Cafe::open().await;
    let big = pos_tests::plain_menu_item(&c.app, &c.t.token, "Latte besar", 40_000, None).await;
    let path = format!("/api/v1/menu-items/{big}/recipe");
    let body = json!({"lines": [{"ingredient_id": c.milk, "qty": 500}]});
    c.app.call(Method::PUT, &path, Some(&c.t.token), Some(body)).await.expect(200);
    c.receive(c.outlet, c.milk, 600).await;
    c.receive(c.outlet, c.coffee, 1_000).await;

    let before = catalogue_version(&c).await;
    c.sell(1, false).await.expect(201);
    let big_out = catalogue_version(&c).await;
    assert!(big_out > before, "400 ml: the big latte goes sold out");
    // 200 ml left: below the big latte's portion, but nothing changes.
    c.sell(1, false).await.expect(201);
    assert_eq!(catalogue_version(&c).await, big_out, "no item changed: the version row is not touched");
    c.receive(c.outlet, c.milk, 1).await;
    assert_eq!(catalogue_version(&c).await, big_out, "a delivery that brings nothing back leaves it too");
    // The last latte: the latte goes too.
    c.sell(1, false).await.expect(201);
    assert!(catalogue_version(&c).await > big_out);
    assert!(!c.available().await);
}
