//! Tenant A's tokens against tenant B's ids, and outlet-scoped staff and
//! devices against a sibling outlet: every endpoint answers 404 or 403,
//! lists never contain foreign rows, and nothing foreign changes.

use std::collections::BTreeSet;

use pos_tests::{Reply, Tenant, TestApp, fixtures, ids};
use pos_wire::{
    CashMovementKind, CloseShift, CreateCashMovement, CreateRefund, DeviceKind, OrderStatus, Role, UpdateCategory,
    UpdateOutlet, UpdateUser, VoidOrder,
};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

fn body(b: impl serde::Serialize) -> Option<Value> {
    Some(serde_json::to_value(b).unwrap())
}

/// Every endpoint that takes an id, with a body that would be valid.
/// `{outlet}`, `{user}`, `{device}`, `{category}` and `{item}` are replaced by the victim's ids.
fn targeted_endpoints() -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/outlets/{outlet}", None),
        (
            Method::PATCH,
            "/api/v1/outlets/{outlet}",
            body(UpdateOutlet { name: Some("Hijacked".into()), is_open: Some(false), ..Default::default() }),
        ),
        (Method::DELETE, "/api/v1/outlets/{outlet}", None),
        (Method::GET, "/api/v1/outlets/{outlet}/devices", None),
        (Method::POST, "/api/v1/outlets/{outlet}/devices", body(fixtures::device(DeviceKind::Kiosk, "Spy"))),
        (Method::DELETE, "/api/v1/devices/{device}", None),
        (Method::GET, "/api/v1/users/{user}", None),
        (
            Method::PATCH,
            "/api/v1/users/{user}",
            body(UpdateUser {
                name: Some("Hijacked".into()),
                password: Some("hijacked password".into()),
                ..Default::default()
            }),
        ),
        (Method::DELETE, "/api/v1/users/{user}", None),
        (Method::GET, "/api/v1/categories/{category}", None),
        (
            Method::PATCH,
            "/api/v1/categories/{category}",
            body(UpdateCategory { name: Some("Hijacked".into()), ..Default::default() }),
        ),
        (Method::DELETE, "/api/v1/categories/{category}", None),
        (Method::GET, "/api/v1/menu-items/{item}", None),
        (Method::PATCH, "/api/v1/menu-items/{item}", body(fixtures::item_price(1))),
        (Method::DELETE, "/api/v1/menu-items/{item}", None),
        (Method::GET, "/api/v1/outlets/{outlet}/menu", None),
        (Method::PATCH, "/api/v1/outlets/{outlet}/menu-items/{item}", body(fixtures::availability(false))),
        (Method::GET, "/api/v1/orders/{order}", None),
        (
            Method::POST,
            "/api/v1/orders/{order}/status",
            body(fixtures::status_because(OrderStatus::Cancelled, "hijacked")),
        ),
        (Method::POST, "/api/v1/orders/{order}/void", body(VoidOrder { reason: "hijacked".into(), approval: None })),
        (Method::GET, "/api/v1/orders/{order}/receipt", None),
        (Method::POST, "/api/v1/orders/{order}/receipt/email", Some(json!({"email": "spy@example.com"}))),
        (
            Method::POST,
            "/api/v1/payments/{payment}/refunds",
            body(CreateRefund {
                client_refund_id: Uuid::now_v7(),
                amount_minor: 1,
                reason: "hijacked".into(),
                approval: None,
                restock: false,
            }),
        ),
        (Method::POST, "/api/v1/orders/{order}/payments", body(pos_tests::paying::card(1))),
        (Method::POST, "/api/v1/orders/{order}/payments", body(pos_tests::paying::cash(1_000_000, None))),
        (Method::POST, "/api/v1/payments/{payment}/cancel", Some(json!({}))),
        (Method::GET, "/api/v1/outlets/{outlet}/tickets", None),
        (Method::POST, "/api/v1/tickets/{ticket}/bump", Some(json!({}))),
        (Method::POST, "/api/v1/tickets/{ticket}/recall", Some(json!({}))),
        (Method::GET, "/api/v1/shifts/{shift}", None),
        (
            Method::POST,
            "/api/v1/shifts/{shift}/cash-movements",
            body(CreateCashMovement {
                client_movement_id: Uuid::now_v7(),
                kind: CashMovementKind::Out,
                amount_minor: 1,
                reason: "hijacked".into(),
            }),
        ),
        (
            Method::POST,
            "/api/v1/shifts/{shift}/close",
            body(CloseShift { counted_minor: Some(0), ..Default::default() }),
        ),
        (Method::GET, "/api/v1/shifts/{shift}/report", None),
        (Method::GET, "/api/v1/shifts/{shift}/report.html", None),
        (Method::GET, "/api/v1/outlets/{outlet}/events", None),
        (Method::GET, "/api/v1/outlets/{outlet}/areas", None),
        (Method::POST, "/api/v1/outlets/{outlet}/areas", Some(json!({"name": "Hijacked"}))),
        (Method::PATCH, "/api/v1/areas/{area}", Some(json!({"name": "Hijacked"}))),
        (Method::DELETE, "/api/v1/areas/{area}", None),
        (Method::GET, "/api/v1/outlets/{outlet}/tables", None),
        (Method::POST, "/api/v1/outlets/{outlet}/tables", Some(json!({"area_id": Uuid::nil(), "label": "X"}))),
        (Method::GET, "/api/v1/tables/{table}", None),
        (Method::PATCH, "/api/v1/tables/{table}", Some(json!({"label": "Hijacked"}))),
        (Method::DELETE, "/api/v1/tables/{table}", None),
        (
            Method::POST,
            "/api/v1/orders/{check}/rounds",
            Some(json!({"client_round_id": Uuid::now_v7(), "lines": [{"menu_item_id": Uuid::nil(), "qty": 1}]})),
        ),
        (Method::GET, "/api/v1/orders/{check}/rounds", None),
        (Method::POST, "/api/v1/orders/{check}/move", Some(json!({"table_id": Uuid::nil()}))),
        (Method::PUT, "/api/v1/orders/{check}/guests", Some(json!({"guest_count": 2}))),
        (Method::POST, "/api/v1/orders/{check}/merge", Some(json!({"from_order_id": Uuid::nil()}))),
        (
            Method::POST,
            "/api/v1/orders/{check}/split",
            Some(json!({"client_order_id": Uuid::now_v7(), "lines": [{"line_id": Uuid::nil(), "qty": 1}]})),
        ),
        (Method::POST, "/api/v1/orders/{check}/split-evenly", Some(json!({"ways": 2}))),
        (
            Method::POST,
            "/api/v1/orders/{check}/discounts",
            Some(
                json!({"client_discount_id": Uuid::now_v7(), "kind": "percent", "value": 10000, "reason": "hijacked"}),
            ),
        ),
        (Method::DELETE, "/api/v1/orders/{check}/discounts/{discount}", None),
        (Method::GET, "/api/v1/outlets/{outlet}/pickup", None),
        (Method::GET, "/api/v1/ingredients/{ingredient}", None),
        (Method::PATCH, "/api/v1/ingredients/{ingredient}", Some(json!({"name": "Hijacked"}))),
        (Method::DELETE, "/api/v1/ingredients/{ingredient}", None),
        (Method::GET, "/api/v1/menu-items/{item}/recipe", None),
        (Method::PUT, "/api/v1/menu-items/{item}/recipe", Some(json!({"lines": []}))),
        (Method::PUT, "/api/v1/menu-items/{item}/options/{option}/recipe", Some(json!({"lines": []}))),
        (Method::GET, "/api/v1/outlets/{outlet}/stock", None),
        (
            Method::POST,
            "/api/v1/outlets/{outlet}/stock-movements",
            Some(
                json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": Uuid::nil(), "kind": "waste", "qty": 1}),
            ),
        ),
        (Method::PUT, "/api/v1/outlets/{outlet}/stock/{ingredient}/threshold", Some(json!({"low_stock_threshold": 1}))),
        (Method::GET, "/api/v1/outlets/{outlet}/stock-movements", None),
        (Method::GET, "/api/v1/outlets/{outlet}/stock-movements?ingredient_id={ingredient}&kind=receive", None),
        // Endpoints that take the id in the query string.
        (Method::GET, "/api/v1/sync/pull?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/menu-items?category_id={category}", None),
        (Method::GET, "/api/v1/orders?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/shifts?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/shifts?device_id={device}", None),
        (Method::GET, "/api/v1/reports/sales?outlet_id={outlet}&group_by=item", None),
        (Method::GET, "/api/v1/reports/summary?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/reports/kitchen?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/reports/adjustments?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/reports/stock-on-hand?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/reports/stock-movements?outlet_id={outlet}", None),
        (Method::GET, "/api/v1/reports/stock-usage?outlet_id={outlet}&format=csv", None),
        (Method::GET, "/api/v1/reports/food-cost?outlet_id={outlet}", None),
    ]
}

/// Paths of the OpenAPI document that take an id must all be in the table
/// above, so a new endpoint cannot skip this suite.
#[tokio::test]
async fn every_endpoint_with_an_id_is_covered() {
    let app = TestApp::spawn().await;
    let doc = app.call(Method::GET, "/api/v1/openapi.json", None, None).await.expect(200);
    let covered: BTreeSet<(String, String)> =
        targeted_endpoints().iter().map(|(m, p, _)| (m.as_str().to_lowercase(), normalise(p))).collect();
    for (path, ops) in doc.body["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let takes_id = path.contains('{')
                || op["parameters"].as_array().is_some_and(|ps| {
                    ps.iter().any(|p| p["in"] == "query" && p["name"].as_str().is_some_and(|n| n.ends_with("_id")))
                });
            if !takes_id {
                continue;
            }
            assert!(
                covered.contains(&(method.clone(), normalise(path))),
                "{method} {path} is not in the isolation suite"
            );
        }
    }
}

/// `/a/{x}/b/{y}?q={z}` -> `/a/{id}/b/{id}`: the shape of a path, for coverage.
fn normalise(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{id}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

struct Victim {
    tenant: Tenant,
    outlet: Uuid,
    user: Uuid,
    device: Uuid,
    category: Uuid,
    item: Uuid,
    order: Uuid,
    ticket: Uuid,
    payment: Uuid,
    /// An open shift on a till of the outlet.
    shift: Uuid,
    area: Uuid,
    table: Uuid,
    /// An open check at `table`, with the discount `discount`.
    check: Uuid,
    discount: Uuid,
    /// An ingredient with stock at `outlet`, in `item`'s recipe.
    ingredient: Uuid,
    /// A modifier option of `item`, with a recipe of its own.
    option: Uuid,
}

async fn victim(app: &TestApp, name: &str) -> Victim {
    let tenant = app.signup().await;
    let outlet = app.create_outlet(&tenant.token, name).await;
    let (user, _) = app.create_staff(&tenant.token, "cashier", &[outlet]).await;
    let (device, _) = app.pair_device(&tenant.token, outlet, "kiosk").await;
    let item = pos_tests::menu_item(app, &tenant.token, "Victim coffee").await;
    let category = app.get(&format!("/api/v1/menu-items/{item}"), &tenant.token).await.body["category_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (order, ticket) = order_and_ticket(app, &tenant.token, outlet, item).await;
    let paid = pos_tests::paying::pay(app, &tenant.token, order, pos_tests::paying::card(1_000)).await.expect(201);
    let payment = paid.body["id"].as_str().unwrap().parse().unwrap();
    let shift = open_shift(app, &tenant.token, outlet).await;
    let (area, table, check, discount) = floor_and_check(app, &tenant.token, outlet, item).await;
    let (ingredient, option) = stocked_recipe(app, &tenant.token, outlet, item).await;
    Victim {
        tenant,
        outlet,
        user,
        device,
        category,
        item,
        order,
        ticket,
        payment,
        shift,
        area,
        table,
        check,
        discount,
        ingredient,
        option,
    }
}

/// An ingredient received at `outlet`, in the recipes of `item` and of its
/// first option: (ingredient, option).
async fn stocked_recipe(app: &TestApp, token: &str, outlet: Uuid, item: Uuid) -> (Uuid, Uuid) {
    let body = json!({"name": "Victim beans", "unit": "g", "cost_per_unit_minor": 300});
    let made = app.post("/api/v1/ingredients", Some(token), body).await.expect(201);
    let ingredient: Uuid = made.body["id"].as_str().unwrap().parse().unwrap();
    let detail: pos_wire::MenuItem = app.get(&format!("/api/v1/menu-items/{item}"), token).await.expect(200).json();
    let option = detail.modifier_groups[0].options[0].id.unwrap();
    let recipe = json!({"lines": [{"ingredient_id": ingredient, "qty": 18}]});
    app.call(Method::PUT, &format!("/api/v1/menu-items/{item}/recipe"), Some(token), Some(recipe.clone()))
        .await
        .expect(200);
    let path = format!("/api/v1/menu-items/{item}/options/{option}/recipe");
    app.call(Method::PUT, &path, Some(token), Some(recipe)).await.expect(200);
    let receive =
        json!({"client_movement_id": Uuid::now_v7(), "ingredient_id": ingredient, "kind": "receive", "qty": 1000});
    app.post(&format!("/api/v1/outlets/{outlet}/stock-movements"), Some(token), receive).await.expect(201);
    (ingredient, option)
}

/// Opens a shift on a new till of `outlet`.
async fn open_shift(app: &TestApp, token: &str, outlet: Uuid) -> Uuid {
    let (till, _) = app.pair_device(token, outlet, "till").await;
    let body = pos_wire::OpenShift { device_id: till, opening_float_minor: 100_000, client_shift_id: None };
    let r = app.post("/api/v1/shifts", Some(token), body).await.expect(201);
    r.body["id"].as_str().unwrap().parse().unwrap()
}

/// An area with a table, and a discounted check open at it: (area, table, check, discount).
async fn floor_and_check(app: &TestApp, token: &str, outlet: Uuid, item: Uuid) -> (Uuid, Uuid, Uuid, Uuid) {
    let id = |r: Reply| -> Uuid { r.body["id"].as_str().unwrap().parse().unwrap() };
    let area = id(app
        .post(&format!("/api/v1/outlets/{outlet}/areas"), Some(token), json!({"name": "Teras"}))
        .await
        .expect(201));
    let body = json!({"area_id": area, "label": "T1"});
    let table = id(app.post(&format!("/api/v1/outlets/{outlet}/tables"), Some(token), body).await.expect(201));
    let mut order = pos_tests::order_body(app, token, outlet, item, 1).await;
    order.channel = pos_wire::Channel::Table;
    order.table_id = Some(table);
    let check = id(app.post("/api/v1/orders", Some(token), order).await.expect(201));
    let body = json!({"client_discount_id": Uuid::now_v7(), "kind": "percent", "value": 500, "reason": "Member"});
    let discounted = app.post(&format!("/api/v1/orders/{check}/discounts"), Some(token), body).await.expect(201);
    let discount = discounted.body["discounts"][0]["id"].as_str().unwrap().parse().unwrap();
    (area, table, check, discount)
}

async fn order_and_ticket(app: &TestApp, token: &str, outlet: Uuid, item: Uuid) -> (Uuid, Uuid) {
    let body = pos_tests::order_body(app, token, outlet, item, 1).await;
    let order: Uuid =
        app.post("/api/v1/orders", Some(token), body).await.expect(201).body["id"].as_str().unwrap().parse().unwrap();
    let tickets = app.get(&format!("/api/v1/outlets/{outlet}/tickets"), token).await.expect(200);
    let ticket = tickets.body[0]["id"].as_str().unwrap().parse().unwrap();
    (order, ticket)
}

async fn snapshot(app: &TestApp, owner_token: &str, v: &Victim) -> Vec<String> {
    vec![
        app.get(&format!("/api/v1/outlets/{}", v.outlet), owner_token).await.text,
        app.get(&format!("/api/v1/users/{}", v.user), owner_token).await.text,
        app.get(&format!("/api/v1/outlets/{}/devices", v.outlet), owner_token).await.text,
        // With its payments: nobody else paid it.
        app.get(&format!("/api/v1/orders/{}", v.order), owner_token).await.text,
        // Still open, with nothing moved.
        app.get(&format!("/api/v1/shifts/{}/report", v.shift), owner_token).await.body["cash"].to_string(),
        app.get(&format!("/api/v1/shifts/{}", v.shift), owner_token).await.text,
        // With its lines, table and discounts.
        app.get(&format!("/api/v1/orders/{}", v.check), owner_token).await.text,
        app.get(&format!("/api/v1/outlets/{}/tables", v.outlet), owner_token).await.text,
        app.get(&format!("/api/v1/outlets/{}/areas", v.outlet), owner_token).await.text,
        app.get(&format!("/api/v1/outlets/{}/stock", v.outlet), owner_token).await.text,
        app.get(&format!("/api/v1/menu-items/{}/recipe", v.item), owner_token).await.text,
        app.get("/api/v1/ingredients", owner_token).await.text,
    ]
}

/// Tries every targeted endpoint; `outlet_scoped` keeps only those naming an
/// outlet, staff member or device (the sibling-outlet case: the catalogue
/// itself is shared by the brand's outlets).
async fn attack(app: &TestApp, who: &str, token: &str, v: &Victim, outlet_scoped: bool) {
    for (method, template, body) in targeted_endpoints() {
        if outlet_scoped
            && ![
                "{outlet}",
                "{user}",
                "{device}",
                "{order}",
                "{ticket}",
                "{payment}",
                "{shift}",
                "{area}",
                "{table}",
                "{check}",
            ]
            .iter()
            .any(|p| template.contains(p))
        {
            continue;
        }
        let path = template
            .replace("{outlet}", &v.outlet.to_string())
            .replace("{user}", &v.user.to_string())
            .replace("{device}", &v.device.to_string())
            .replace("{category}", &v.category.to_string())
            .replace("{item}", &v.item.to_string())
            .replace("{order}", &v.order.to_string())
            .replace("{ticket}", &v.ticket.to_string())
            .replace("{payment}", &v.payment.to_string())
            .replace("{shift}", &v.shift.to_string())
            .replace("{area}", &v.area.to_string())
            .replace("{table}", &v.table.to_string())
            .replace("{check}", &v.check.to_string())
            .replace("{discount}", &v.discount.to_string())
            .replace("{ingredient}", &v.ingredient.to_string())
            .replace("{option}", &v.option.to_string());
        let r: Reply = app.call(method.clone(), &path, Some(token), body).await;
        // A list filtered by a foreign id may answer, but must be empty.
        if r.status == 200
            && (path.contains("category_id=") || path.contains("orders?outlet_id=") || path.contains("shifts?"))
        {
            assert_eq!(r.body["items"], json!([]), "{who}: {path} leaks: {}", r.text);
            continue;
        }
        assert!(matches!(r.status.as_u16(), 403 | 404), "{who}: {method} {path} answered {}: {}", r.status, r.text);
    }
}

async fn assert_lists_exclude(app: &TestApp, who: &str, token: &str, foreign: &[Uuid]) {
    for path in [
        "/api/v1/outlets",
        "/api/v1/users",
        "/api/v1/audit-log",
        "/api/v1/brand",
        "/api/v1/categories",
        "/api/v1/menu-items",
        "/api/v1/orders",
        "/api/v1/shifts",
        "/api/v1/ingredients",
        // Reports of the whole brand, today: a stranger's outlets and items never show.
        "/api/v1/reports/sales?group_by=outlet",
        "/api/v1/reports/sales?group_by=item",
        "/api/v1/reports/summary",
        "/api/v1/reports/adjustments",
        "/api/v1/reports/stock-on-hand",
        "/api/v1/reports/stock-movements",
        "/api/v1/reports/stock-usage?format=csv",
        "/api/v1/reports/food-cost",
    ] {
        let r = app.get(path, token).await;
        if r.status == 403 {
            continue;
        }
        assert_eq!(r.status, 200, "{who}: {path}: {}", r.text);
        for id in foreign {
            assert!(!r.text.contains(&id.to_string()), "{who}: {path} leaks {id}: {}", r.text);
        }
    }
}

#[tokio::test]
async fn another_tenant_is_invisible_and_untouchable() {
    let app = TestApp::spawn().await;
    let b = victim(&app, "Victim outlet").await;
    let before = snapshot(&app, &b.tenant.token, &b).await;

    let a = app.signup().await;
    let a_outlet = app.create_outlet(&a.token, "Attacker outlet").await;
    let (_, a_manager) = app.create_staff(&a.token, "manager", &[a_outlet]).await;
    let (_, a_cashier) = app.create_staff(&a.token, "cashier", &[a_outlet]).await;
    let (_, a_kitchen) = app.create_staff(&a.token, "kitchen", &[a_outlet]).await;
    let (_, a_kiosk) = app.pair_device(&a.token, a_outlet, "kiosk").await;
    let (_, a_kds) = app.pair_device(&a.token, a_outlet, "kds").await;
    let (_, a_board) = app.pair_device(&a.token, a_outlet, "board").await;
    let (a_till, a_till_cashier) = crate::till::till_and_cashier(&app, &a.token, a_outlet).await;

    let attackers = [
        ("owner", a.token.as_str()),
        ("manager", &a_manager),
        ("cashier", &a_cashier),
        ("kitchen", &a_kitchen),
        ("kiosk", &a_kiosk),
        ("kds", &a_kds),
        ("board", &a_board),
        ("till", &a_till),
        ("cashier at a till", &a_till_cashier),
    ];
    let foreign = [
        b.tenant.tenant_id,
        b.tenant.owner_id,
        b.outlet,
        b.user,
        b.device,
        b.category,
        b.item,
        b.order,
        b.ticket,
        b.payment,
        b.shift,
        b.area,
        b.table,
        b.check,
        b.discount,
        b.ingredient,
    ];
    for (who, token) in attackers {
        attack(&app, who, token, &b, false).await;
        assert_lists_exclude(&app, who, token, &foreign).await;
    }
    // Naming a foreign outlet in a membership is "no such outlet".
    let r = app
        .post(
            "/api/v1/users",
            Some(&a.token),
            fixtures::user(&format!("x{}@test.example", Uuid::now_v7().simple()), "X", Role::Cashier, &[b.outlet]),
        )
        .await
        .expect(422);
    assert!(r.body["errors"]["outlet_ids"].is_array());

    assert_eq!(snapshot(&app, &b.tenant.token, &b).await, before, "the victim's data is unchanged");
}

#[tokio::test]
async fn outlet_scoped_staff_and_devices_stay_in_their_outlet() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let home = app.create_outlet(&t.token, "Home").await;
    let sibling = Victim {
        outlet: app.create_outlet(&t.token, "Sibling").await,
        user: Uuid::nil(),
        device: Uuid::nil(),
        category: Uuid::nil(),
        item: Uuid::nil(),
        order: Uuid::nil(),
        ticket: Uuid::nil(),
        payment: Uuid::nil(),
        shift: Uuid::nil(),
        area: Uuid::nil(),
        table: Uuid::nil(),
        check: Uuid::nil(),
        discount: Uuid::nil(),
        ingredient: Uuid::nil(),
        option: Uuid::nil(),
        tenant: t.clone(),
    };
    let (sibling_user, _) = app.create_staff(&t.token, "cashier", &[sibling.outlet]).await;
    let (sibling_device, _) = app.pair_device(&t.token, sibling.outlet, "kds").await;
    // The catalogue is brand-wide: the item is shared, its outlet settings are not.
    let item = pos_tests::menu_item(&app, &t.token, "Shared coffee").await;
    let (order, ticket) = order_and_ticket(&app, &t.token, sibling.outlet, item).await;
    let paid = pos_tests::paying::pay(&app, &t.token, order, pos_tests::paying::card(1_000)).await.expect(201);
    let payment = paid.body["id"].as_str().unwrap().parse().unwrap();
    let shift = open_shift(&app, &t.token, sibling.outlet).await;
    let (area, table, check, discount) = floor_and_check(&app, &t.token, sibling.outlet, item).await;
    let (ingredient, option) = stocked_recipe(&app, &t.token, sibling.outlet, item).await;
    let sibling = Victim {
        ingredient,
        option,
        user: sibling_user,
        device: sibling_device,
        item,
        order,
        ticket,
        payment,
        shift,
        area,
        table,
        check,
        discount,
        ..sibling
    };
    let before = snapshot(&app, &t.token, &sibling).await;

    let (_, manager) = app.create_staff(&t.token, "manager", &[home]).await;
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[home]).await;
    let (_, kitchen) = app.create_staff(&t.token, "kitchen", &[home]).await;
    let (_, kiosk) = app.pair_device(&t.token, home, "kiosk").await;
    let (_, kds) = app.pair_device(&t.token, home, "kds").await;
    let (_, board) = app.pair_device(&t.token, home, "board").await;
    let (till, till_cashier) = crate::till::till_and_cashier(&app, &t.token, home).await;
    for (who, token) in [
        ("manager", &manager),
        ("cashier", &cashier),
        ("kitchen", &kitchen),
        ("kiosk", &kiosk),
        ("kds", &kds),
        ("board", &board),
        ("till", &till),
        ("cashier at a till", &till_cashier),
    ] {
        attack(&app, who, token, &sibling, true).await;
        assert_lists_exclude(&app, who, token, &[sibling.outlet, sibling.user, sibling.device, sibling.shift]).await;
        if who == "board" {
            // The pickup board lists nothing at all (see `streams.rs`).
            app.get("/api/v1/outlets", token).await.expect(403);
            continue;
        }
        let visible = app.get("/api/v1/outlets", token).await.expect(200);
        assert_eq!(ids(&visible), vec![home], "{who} sees only its outlet");
    }
    assert_eq!(snapshot(&app, &t.token, &sibling).await, before);
}

/// The till endpoints take no id: what they could leak is the staff of
/// another outlet or brand, and what they could grant is a token there.
#[tokio::test]
async fn a_till_lists_and_signs_in_only_its_own_outlets_staff() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    let home = app.create_outlet(&t.token, "Home").await;
    let sibling = app.create_outlet(&t.token, "Sibling").await;
    let (sibling_cashier, _) = app.create_staff(&t.token, "cashier", &[sibling]).await;
    crate::refunds::set_pin(&app, &t.token, sibling_cashier, "2468").await;
    let other = app.signup().await;
    let other_outlet = app.create_outlet(&other.token, "Other brand").await;
    let (foreigner, _) = app.create_staff(&other.token, "manager", &[other_outlet]).await;
    crate::refunds::set_pin(&app, &other.token, foreigner, "1357").await;
    crate::refunds::set_pin(&app, &other.token, other.owner_id, "9753").await;

    let (_, till) = app.pair_device(&t.token, home, "till").await;
    let staff = app.get("/api/v1/till/staff", &till).await.expect(200);
    for foreign in [sibling_cashier, foreigner, other.owner_id] {
        assert!(!staff.text.contains(&foreign.to_string()), "{foreign} listed: {}", staff.text);
    }
    for (user, pin) in [(sibling_cashier, "2468"), (foreigner, "1357"), (other.owner_id, "9753")] {
        let r = app.post("/api/v1/till/sign-in", Some(&till), json!({"user_id": user, "pin": pin})).await;
        assert_eq!(r.status, 401, "{user}: {}", r.text);
    }
    // Another brand's till knows nothing of this brand's staff either.
    let (_, foreign_till) = app.pair_device(&other.token, other_outlet, "till").await;
    let theirs = app.get("/api/v1/till/staff", &foreign_till).await.expect(200);
    assert!(!theirs.text.contains(&t.owner_id.to_string()) && !theirs.text.contains(&sibling_cashier.to_string()));
}

/// Offline discounts: the approval key is for tills only; a kiosk cannot
/// discount through its queue; a manager's PIN sealed on one brand's till,
/// replayed by another brand's cashier, approves nothing there.
#[tokio::test]
async fn an_offline_discount_and_its_sealed_pin_stay_in_their_brand() {
    use crate::offline_discounts::{OfflineTill, offline_discount};

    let home = OfflineTill::open().await;
    let app = &home.app;
    let key: pos_wire::ApprovalKey = home.key().await;
    let (_, till) = app.pair_device(&home.s.t.token, home.s.outlet, "till").await;
    assert_eq!(app.get("/api/v1/till/approval-key", &till).await.expect(200).json::<pos_wire::ApprovalKey>(), key);
    let (kiosk_id, kiosk) = app.pair_device(&home.s.t.token, home.s.outlet, "kiosk").await;
    for token in [&kiosk, &home.s.t.token, &home.s.cashier] {
        app.get("/api/v1/till/approval-key", token).await.expect(403);
    }

    // A kiosk's queued order lands; a discount riding with it does not.
    let kiosk_sale = fixtures::kiosk_order(home.s.outlet, vec![fixtures::line(home.s.item, 1)]);
    let d = offline_discount(&key, &kiosk_sale, 500, None);
    let mut raw = serde_json::to_value(&kiosk_sale).unwrap();
    raw["discounts"] = json!([d]);
    let r = app.post("/api/v1/sync/push", Some(&kiosk), json!({"device_id": kiosk_id, "orders": [raw]})).await;
    assert_eq!(r.body["results"][0]["outcome"], "created", "{}", r.text);
    assert_eq!(r.body["results"][0]["discounts"][0]["outcome"], "rejected", "{}", r.text);

    // Another brand's cashier replays a seal with this brand's manager and PIN.
    let other = OfflineTill::open_on(app).await;
    let sale = other.sale();
    let theirs = offline_discount(&key, &sale, 2_000, Some((home.manager, crate::refunds::MANAGER_PIN)));
    let r = other.push(&other.cashier, vec![other.queued(&sale, &[theirs], &[])]).await;
    let result = &r["results"][0]["discounts"][0];
    assert_eq!((&result["outcome"], &result["discount"]["approved_by"]), (&json!("created"), &Value::Null), "{r}");
    assert_eq!(result["discount"]["approval_unverified"], true, "{r}");
    let n =
        pos_tests::paying::count(app, home.s.t.tenant_id, "SELECT count(*)::bigint AS n FROM order_discounts", vec![])
            .await;
    assert_eq!(n, 0, "nothing landed in the home brand");
}
