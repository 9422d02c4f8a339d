//! The dining room: areas and tables, checks seated at them that collect
//! rounds (each fired to the kitchen on its own), move, merge, split by item
//! and evenly, and are paid through the payments API (cash and QRIS).

use std::time::Duration;

use pos_tests::{
    SseClient, TestApp, fixtures,
    paying::{cash, code, field_code, pay, qris},
    plain_menu_item,
};
use pos_wire::{
    AddRound, Area, Channel, CheckRound, CreateArea, CreateTable, DiningTable, EvenSplit, MergeChecks, MoveCheck,
    Order, OrderPaymentStatus, OrderStatus, Payment, PaymentStatus, SplitCheck, SplitLine, SplitResult, Ticket,
    UpdateTable,
};
use serde_json::json;
use uuid::Uuid;

use crate::webhooks::{gateway_id, standin, until};

/// An outlet with 10 % tax and no service charge, a floor of three tables
/// in one area, Nasi Goreng (Rp 25.000) and Es Teh (Rp 8.000), both made
/// in the kitchen, a cashier and a kitchen display.
struct Floor {
    app: TestApp,
    owner: String,
    outlet: Uuid,
    area: Uuid,
    tables: [Uuid; 3],
    nasi: Uuid,
    teh: Uuid,
    cashier: String,
    kds: String,
}

impl Floor {
    async fn open(app: TestApp) -> Floor {
        let t = app.signup().await;
        let outlet = app.create_outlet(&t.token, "Resto").await;
        app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, fixtures::outlet_rates(1_000, 0)).await.expect(200);
        let nasi = plain_menu_item(&app, &t.token, "Nasi Goreng", 25_000, None).await;
        let teh = plain_menu_item(&app, &t.token, "Es Teh", 8_000, None).await;
        let (_, cashier) = app.create_staff(&t.token, "cashier", &[outlet]).await;
        let (_, kds) = app.pair_device(&t.token, outlet, "kds").await;
        let area: Area = app
            .post(
                &format!("/api/v1/outlets/{outlet}/areas"),
                Some(&t.token),
                CreateArea { name: "Teras".into(), position: None },
            )
            .await
            .expect(201)
            .json();
        let mut tables = [Uuid::nil(); 3];
        for (i, id) in tables.iter_mut().enumerate() {
            let body = CreateTable { area_id: area.id, label: format!("T{}", i + 1), seats: Some(4), position: None };
            let table: DiningTable =
                app.post(&format!("/api/v1/outlets/{outlet}/tables"), Some(&t.token), body).await.expect(201).json();
            *id = table.id;
        }
        Floor { app, owner: t.token.clone(), outlet, area: area.id, tables, nasi, teh, cashier, kds }
    }

    /// A check of `lines` opened by the cashier at table `i`.
    async fn seat(&self, i: usize, lines: Vec<pos_wire::OrderLineRequest>) -> Order {
        let body = fixtures::table_order(self.outlet, self.tables[i], lines);
        self.app.post("/api/v1/orders", Some(&self.cashier), body).await.expect(201).json()
    }

    async fn round(&self, token: &str, order: Uuid, body: &AddRound) -> pos_tests::Reply {
        self.app.post(&format!("/api/v1/orders/{order}/rounds"), Some(token), body).await
    }

    async fn order(&self, id: Uuid) -> Order {
        self.app.get(&format!("/api/v1/orders/{id}"), &self.owner).await.expect(200).json()
    }

    async fn floor(&self) -> Vec<DiningTable> {
        self.app.get(&format!("/api/v1/outlets/{}/tables", self.outlet), &self.cashier).await.expect(200).json()
    }

    async fn check_at(&self, i: usize) -> Option<Uuid> {
        self.floor().await.into_iter().find(|t| t.id == self.tables[i]).and_then(|t| t.open_check_id)
    }

    async fn tickets_of(&self, order: Uuid) -> Vec<Ticket> {
        let all: Vec<Ticket> = self
            .app
            .get(&format!("/api/v1/outlets/{}/tickets?status=all", self.outlet), &self.kds)
            .await
            .expect(200)
            .json();
        all.into_iter().filter(|t| t.order_id == order).collect()
    }
}

fn round(lines: Vec<pos_wire::OrderLineRequest>) -> AddRound {
    AddRound { client_round_id: Uuid::now_v7(), lines }
}

#[tokio::test]
async fn a_table_with_two_rounds_moves_splits_and_is_paid_by_cash_and_qris() {
    let (app, gw) = TestApp::spawn_with_gateway(|_| {}).await;
    let f = Floor::open(app).await;
    let app = &f.app;

    let check = f.seat(0, vec![fixtures::line(f.nasi, 2)]).await;
    assert_eq!(
        (check.channel, check.table.as_deref(), check.table_id),
        (Channel::Table, Some("T1"), Some(f.tables[0]))
    );
    assert_eq!(f.check_at(0).await, Some(check.id));
    let again = fixtures::table_order(f.outlet, f.tables[0], vec![fixtures::line(f.teh, 1)]);
    assert_eq!(code(&app.post("/api/v1/orders", Some(&f.cashier), again).await.expect(409)), "table_has_open_check");

    // Round two reaches the kitchen display live, alone.
    let mut kitchen = SseClient::connect(&app.url(&format!("/api/v1/outlets/{}/events", f.outlet)), &f.kds, None).await;
    kitchen.drain(Duration::from_millis(300)).await;
    let second = round(vec![fixtures::line(f.teh, 2)]);
    let after: Order = f.round(&f.cashier, check.id, &second).await.expect(201).json();
    assert_eq!(after.items.len(), 2);
    assert_eq!((after.subtotal_minor, after.tax_minor, after.total_minor), (66_000, 6_600, 72_600));
    let replayed: Order = f.round(&f.cashier, check.id, &second).await.expect(200).json();
    assert_eq!((replayed.items.len(), replayed.total_minor), (2, 72_600), "a replayed round adds nothing");
    let other = AddRound { lines: vec![fixtures::line(f.teh, 3)], ..second.clone() };
    assert_eq!(code(&f.round(&f.cashier, check.id, &other).await.expect(409)), "client_round_id_reused");
    let seen = kitchen.drain(Duration::from_millis(700)).await;
    let updated: Vec<_> = seen.iter().filter(|e| e.event == "order.updated").collect();
    assert_eq!(updated.len(), 1, "screens hear the check's new total once: {seen:?}");
    assert_eq!(updated[0].data["total_minor"], 72_600);
    let live: Vec<_> = seen.into_iter().filter(|e| e.event == "ticket.created").collect();
    assert_eq!(live.len(), 1, "one ticket for the round: {live:?}");
    assert_eq!(live[0].data["lines"][0]["name"], "Es Teh");
    assert_eq!(live[0].data["lines"].as_array().map(Vec::len), Some(1));
    let tickets = f.tickets_of(check.id).await;
    let lines: Vec<Vec<(String, i32)>> =
        tickets.iter().map(|t| t.lines.iter().map(|l| (l.name.clone(), l.qty)).collect()).collect();
    assert_eq!(
        lines,
        [vec![("Nasi Goreng".to_string(), 2)], vec![("Es Teh".to_string(), 2)]],
        "two tickets, a round each"
    );

    // Moved to T2: T1 is free again.
    let moved: Order = app
        .post(&format!("/api/v1/orders/{}/move", check.id), Some(&f.cashier), MoveCheck { table_id: f.tables[1] })
        .await
        .expect(200)
        .json();
    assert_eq!((moved.table.as_deref(), moved.table_id, moved.total_minor), (Some("T2"), Some(f.tables[1]), 72_600));
    assert_eq!((f.check_at(0).await, f.check_at(1).await), (None, Some(check.id)));
    let neighbour = f.seat(2, vec![fixtures::line(f.nasi, 1)]).await;
    let r = app
        .post(&format!("/api/v1/orders/{}/move", check.id), Some(&f.cashier), MoveCheck { table_id: f.tables[2] })
        .await
        .expect(409);
    assert_eq!(code(&r), "table_has_open_check");
    assert_eq!(f.check_at(2).await, Some(neighbour.id));

    // Split in two: one Nasi Goreng is paid apart.
    let nasi_line = moved.items[0].line_id;
    let split = SplitCheck {
        client_order_id: Uuid::now_v7(),
        lines: vec![SplitLine { line_id: nasi_line, qty: 1 }],
        table_id: None,
    };
    let halves: SplitResult =
        app.post(&format!("/api/v1/orders/{}/split", check.id), Some(&f.cashier), &split).await.expect(201).json();
    let (rest, part) = (&halves.order, &halves.new_order);
    assert_eq!(rest.total_minor + part.total_minor, 72_600, "the split keeps the bill");
    assert_eq!((rest.subtotal_minor, rest.tax_minor, rest.total_minor), (41_000, 4_100, 45_100));
    assert_eq!((part.subtotal_minor, part.tax_minor, part.total_minor), (25_000, 2_500, 27_500));
    assert_eq!((part.items.len(), part.items[0].qty, part.channel, part.table_id), (1, 1, Channel::Table, None));
    assert_eq!(rest.items.iter().map(|l| l.qty).collect::<Vec<_>>(), [1, 2]);
    let replay: SplitResult =
        app.post(&format!("/api/v1/orders/{}/split", check.id), Some(&f.cashier), &split).await.expect(200).json();
    assert_eq!((replay.new_order.id, replay.order.total_minor), (part.id, 45_100));
    let r = app
        .post(
            &format!("/api/v1/orders/{}/split", check.id),
            Some(&f.cashier),
            SplitCheck { lines: vec![SplitLine { line_id: nasi_line, qty: 2 }], ..split.clone() },
        )
        .await
        .expect(409);
    assert_eq!(code(&r), "client_order_id_reused");

    // Evenly, three ways: amounts that sum to the balance exactly.
    let even: EvenSplit = app
        .post(&format!("/api/v1/orders/{}/split-evenly", rest.id), Some(&f.cashier), json!({"ways": 3}))
        .await
        .expect(200)
        .json();
    assert_eq!((even.balance_minor, even.amounts_minor.clone()), (45_100, vec![15_034, 15_033, 15_033]));

    // The check paid by cash (with change), the part by QRIS at the gateway.
    let p: Payment = pay(app, &f.cashier, rest.id, cash(45_100, Some(50_000))).await.expect(201).json();
    assert_eq!(p.change_minor, Some(4_900));
    assert_eq!(f.order(rest.id).await.payment_status, OrderPaymentStatus::Paid);
    assert_eq!(f.check_at(1).await, None, "a paid check frees its table");
    let q: Payment = pay(app, &f.cashier, part.id, qris(27_500)).await.expect(201).json();
    assert_eq!(q.status, PaymentStatus::Pending);
    standin(app, &gw, &format!("/_standin/charges/{}/pay", gateway_id(&q))).await;
    let paid = until(app, &f.cashier, part.id, q.id, PaymentStatus::Paid).await;
    assert_eq!((paid.payment_status, paid.paid_minor), (OrderPaymentStatus::Paid, 27_500));

    // Nothing more happens to a paid check.
    let r = f.round(&f.cashier, rest.id, &round(vec![fixtures::line(f.teh, 1)])).await.expect(409);
    assert_eq!(code(&r), "order_not_open");
    let r = app
        .post(&format!("/api/v1/orders/{}/move", rest.id), Some(&f.cashier), MoveCheck { table_id: f.tables[0] })
        .await
        .expect(409);
    assert_eq!(code(&r), "order_not_open");
    let again = SplitCheck { client_order_id: Uuid::now_v7(), ..split.clone() };
    assert_eq!(
        code(&app.post(&format!("/api/v1/orders/{}/split", rest.id), Some(&f.cashier), again).await.expect(409)),
        "order_not_open"
    );
    let r = app.post(&format!("/api/v1/orders/{}/split-evenly", rest.id), Some(&f.cashier), json!({"ways": 2})).await;
    assert_eq!(code(&r.expect(409)), "order_not_open");
    let r = app
        .post(
            &format!("/api/v1/orders/{}/merge", neighbour.id),
            Some(&f.cashier),
            MergeChecks { from_order_id: rest.id },
        )
        .await;
    assert_eq!(code(&r.expect(409)), "order_not_open");
}

#[tokio::test]
async fn two_checks_merge_into_one_with_their_kitchen_tickets() {
    let f = Floor::open(TestApp::spawn().await).await;
    let app = &f.app;
    let a = f.seat(0, vec![fixtures::line(f.nasi, 1)]).await;
    let b = f.seat(1, vec![fixtures::line(f.teh, 1)]).await;
    f.round(&f.cashier, b.id, &round(vec![fixtures::line(f.teh, 1)])).await.expect(201);

    let merged: Order = app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&f.cashier), MergeChecks { from_order_id: b.id })
        .await
        .expect(200)
        .json();
    assert_eq!(merged.items.len(), 3);
    assert_eq!((merged.subtotal_minor, merged.tax_minor, merged.total_minor), (41_000, 4_100, 45_100));
    let closed = f.order(b.id).await;
    assert_eq!((closed.status, closed.payment_status), (OrderStatus::Cancelled, OrderPaymentStatus::Void));
    assert_eq!((f.check_at(0).await, f.check_at(1).await), (Some(a.id), None));
    assert_eq!(f.tickets_of(a.id).await.len(), 3, "the kitchen keeps making what the other check ordered");
    assert!(f.tickets_of(b.id).await.is_empty());
    assert!(f.tickets_of(a.id).await.iter().all(|t| t.status == pos_wire::TicketStatus::Open));

    let r = app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&f.cashier), MergeChecks { from_order_id: a.id })
        .await;
    assert_eq!(field_code(&r.expect(422), "from_order_id"), "merge_same_check");
    let r = app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&f.cashier), MergeChecks { from_order_id: b.id })
        .await;
    assert_eq!(code(&r.expect(409)), "order_not_open");

    // A discounted check is neither merged nor split.
    let c = f.seat(1, vec![fixtures::line(f.nasi, 2)]).await;
    let off = pos_wire::CreateDiscount {
        client_discount_id: Uuid::now_v7(),
        line_id: None,
        kind: pos_wire::DiscountKind::Percent,
        value: 500,
        reason: "Member".into(),
        approval: None,
    };
    app.post(&format!("/api/v1/orders/{}/discounts", c.id), Some(&f.owner), off).await.expect(201);
    let r = app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&f.cashier), MergeChecks { from_order_id: c.id })
        .await;
    assert_eq!(code(&r.expect(409)), "check_has_discounts");
    let split = SplitCheck {
        client_order_id: Uuid::now_v7(),
        lines: vec![SplitLine { line_id: c.items[0].line_id, qty: 1 }],
        table_id: None,
    };
    let r = app.post(&format!("/api/v1/orders/{}/split", c.id), Some(&f.cashier), split).await;
    assert_eq!(code(&r.expect(409)), "check_has_discounts");

    // A counter order is not a check.
    let counter: Order = app
        .post("/api/v1/orders", Some(&f.cashier), fixtures::counter_order(f.outlet, vec![fixtures::line(f.nasi, 1)]))
        .await
        .expect(201)
        .json();
    let r = app
        .post(&format!("/api/v1/orders/{}/merge", a.id), Some(&f.cashier), MergeChecks { from_order_id: counter.id })
        .await;
    assert_eq!(code(&r.expect(409)), "not_a_check");
    assert_eq!(
        code(&f.round(&f.cashier, counter.id, &round(vec![fixtures::line(f.teh, 1)])).await.expect(409)),
        "not_a_check"
    );
}

#[tokio::test]
async fn the_floor_is_kept_by_managers_and_worked_by_the_outlets_cashiers_only() {
    let f = Floor::open(TestApp::spawn().await).await;
    let app = &f.app;
    let check = f.seat(0, vec![fixtures::line(f.nasi, 1)]).await;

    // Tables and areas: names unique per outlet; a table with a check, or an area with tables, stays.
    let dup = CreateTable { area_id: f.area, label: "t1".into(), seats: None, position: None };
    let r = app.post(&format!("/api/v1/outlets/{}/tables", f.outlet), Some(&f.owner), dup).await.expect(422);
    assert_eq!(field_code(&r, "label"), "table_label_taken");
    let r = app
        .post(
            &format!("/api/v1/outlets/{}/areas", f.outlet),
            Some(&f.owner),
            CreateArea { name: "teras".into(), position: None },
        )
        .await;
    assert_eq!(field_code(&r.expect(422), "name"), "area_name_taken");
    let foreign_area = CreateTable { area_id: Uuid::now_v7(), label: "T9".into(), seats: Some(100), position: None };
    let r = app.post(&format!("/api/v1/outlets/{}/tables", f.outlet), Some(&f.owner), foreign_area).await.expect(422);
    assert_eq!((field_code(&r, "area_id"), field_code(&r, "seats")), ("area_unknown", "out_of_range"));
    assert_eq!(
        code(&app.delete(&format!("/api/v1/tables/{}", f.tables[0]), &f.owner).await.expect(409)),
        "table_has_open_check"
    );
    assert_eq!(code(&app.delete(&format!("/api/v1/areas/{}", f.area), &f.owner).await.expect(409)), "area_has_tables");
    app.delete(&format!("/api/v1/tables/{}", f.tables[2]), &f.owner).await.expect(204);
    assert_eq!(f.floor().await.len(), 2);
    let renamed: DiningTable = app
        .patch(
            &format!("/api/v1/tables/{}", f.tables[0]),
            &f.owner,
            UpdateTable { label: Some("VIP 1".into()), ..Default::default() },
        )
        .await
        .expect(200)
        .json();
    assert_eq!((renamed.label.as_str(), renamed.open_check_id), ("VIP 1", Some(check.id)));
    assert_eq!(f.order(check.id).await.table.as_deref(), Some("VIP 1"), "the open check follows its table's name");

    // A check needs a table of its outlet; only checks have one.
    let mut body = fixtures::table_order(f.outlet, f.tables[1], vec![fixtures::line(f.nasi, 1)]);
    body.table_id = None;
    let r = app.post("/api/v1/orders", Some(&f.cashier), &body).await.expect(422);
    assert_eq!(field_code(&r, "table_id"), "table_required");
    body.table_id = Some(Uuid::now_v7());
    assert_eq!(
        field_code(&app.post("/api/v1/orders", Some(&f.cashier), &body).await.expect(422), "table_id"),
        "table_unknown"
    );
    let mut counter = fixtures::counter_order(f.outlet, vec![fixtures::line(f.nasi, 1)]);
    counter.table_id = Some(f.tables[1]);
    let r = app.post("/api/v1/orders", Some(&f.cashier), &counter).await.expect(422);
    assert_eq!(field_code(&r, "table_id"), "table_checks_only");

    // Five cashiers seating the same free table at once: one check.
    let cashier = f.cashier.as_str();
    let attempts = (0..5).map(|_| {
        let body = fixtures::table_order(f.outlet, f.tables[1], vec![fixtures::line(f.teh, 1)]);
        async move { app.post("/api/v1/orders", Some(cashier), body).await }
    });
    let mut statuses: Vec<u16> =
        futures_util::future::join_all(attempts).await.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409]);

    // Who may not: a cashier keeps no floor; a kiosk, kitchen staff and
    // displays work no checks; another outlet's cashier and another brand see none of it.
    let r = app
        .post(
            &format!("/api/v1/outlets/{}/areas", f.outlet),
            Some(&f.cashier),
            CreateArea { name: "Dalam".into(), position: None },
        )
        .await;
    assert_eq!(r.status, 403);
    let (_, kiosk) = app.pair_device(&f.owner, f.outlet, "kiosk").await;
    let (_, kitchen) = app.create_staff(&f.owner, "kitchen", &[f.outlet]).await;
    let elsewhere = app.create_outlet(&f.owner, "Cabang").await;
    let (_, other_cashier) = app.create_staff(&f.owner, "cashier", &[elsewhere]).await;
    let stranger = app.signup().await;
    let more = round(vec![fixtures::line(f.teh, 1)]);
    let to_t2 = MoveCheck { table_id: f.tables[1] };
    for (who, token, floor_status, check_status) in [
        ("kiosk", kiosk.as_str(), 403, 403),
        ("kds", f.kds.as_str(), 403, 403),
        ("kitchen", kitchen.as_str(), 403, 403),
        ("other outlet's cashier", other_cashier.as_str(), 404, 404),
        ("another brand", stranger.token.as_str(), 404, 404),
    ] {
        let r = app.get(&format!("/api/v1/outlets/{}/tables", f.outlet), token).await;
        assert_eq!(r.status, floor_status, "{who}: {}", r.text);
        assert_eq!(app.get(&format!("/api/v1/outlets/{}/areas", f.outlet), token).await.status, floor_status, "{who}");
        assert_eq!(f.round(token, check.id, &more).await.status, check_status, "{who}");
        let r = app.post(&format!("/api/v1/orders/{}/move", check.id), Some(token), &to_t2).await;
        assert_eq!(r.status, check_status, "{who}: {}", r.text);
        let r = app.post(&format!("/api/v1/orders/{}/split-evenly", check.id), Some(token), json!({"ways": 2})).await;
        assert!(matches!(r.status.as_u16(), 403 | 404), "{who}: {}", r.text);
    }
    let still = f.order(check.id).await;
    assert_eq!((still.items.len(), still.table_id), (1, Some(f.tables[0])));
}

#[tokio::test]
async fn a_checks_rounds_list_their_lines_still_on_it() {
    let f = Floor::open(TestApp::spawn().await).await;
    let app = &f.app;
    let check = f.seat(0, vec![fixtures::line(f.nasi, 1)]).await;
    let none: Vec<CheckRound> = rounds_of(app, check.id, &f.cashier).await.expect(200).json();
    assert!(none.is_empty(), "the lines a check opens with are in no round");

    let second = round(vec![fixtures::line(f.teh, 2), fixtures::line(f.nasi, 1)]);
    f.round(&f.cashier, check.id, &second).await.expect(201);
    let third = round(vec![fixtures::line(f.teh, 1)]);
    let after: Order = f.round(&f.cashier, check.id, &third).await.expect(201).json();
    let ids: Vec<Uuid> = after.items.iter().map(|l| l.line_id).collect();
    assert_eq!(ids.len(), 4);
    let listed: Vec<CheckRound> = rounds_of(app, check.id, &f.cashier).await.expect(200).json();
    let shape: Vec<(Uuid, Vec<Uuid>)> = listed.iter().map(|r| (r.client_round_id, r.line_ids.clone())).collect();
    assert_eq!(shape, [(second.client_round_id, vec![ids[1], ids[2]]), (third.client_round_id, vec![ids[3]])]);
    assert!(listed[0].created_at <= listed[1].created_at);

    // The third round's line is split off: the round leaves the check with it.
    let split = SplitCheck {
        client_order_id: Uuid::now_v7(),
        lines: vec![SplitLine { line_id: ids[3], qty: 1 }],
        table_id: None,
    };
    app.post(&format!("/api/v1/orders/{}/split", check.id), Some(&f.cashier), &split).await.expect(201);
    let listed: Vec<CheckRound> = rounds_of(app, check.id, &f.owner).await.expect(200).json();
    assert_eq!(listed.iter().map(|r| r.client_round_id).collect::<Vec<_>>(), [second.client_round_id]);

    // Only the outlet's staff read them: not a kitchen display, not an unknown order.
    rounds_of(app, check.id, &f.kds).await.expect(403);
    rounds_of(app, Uuid::now_v7(), &f.cashier).await.expect(404);
}

async fn rounds_of(app: &TestApp, check: Uuid, token: &str) -> pos_tests::Reply {
    app.get(&format!("/api/v1/orders/{check}/rounds"), token).await
}

#[tokio::test]
async fn a_check_seats_its_guests_checked_shown_and_changed_later() {
    let f = Floor::open(TestApp::spawn().await).await;
    let app = &f.app;
    let seat_with = |i: usize, guests: Option<i32>| pos_wire::CreateOrder {
        guest_count: guests,
        ..fixtures::table_order(f.outlet, f.tables[i], vec![fixtures::line(f.teh, 1)])
    };

    // Out of range, or on an order that is not a check: field errors, nothing placed.
    for bad in [0, -3, 1000] {
        let r = app.post("/api/v1/orders", Some(&f.cashier), seat_with(0, Some(bad))).await.expect(422);
        assert_eq!(field_code(&r, "guest_count"), "out_of_range", "{bad}");
    }
    let counter = pos_wire::CreateOrder {
        guest_count: Some(2),
        ..fixtures::counter_order(f.outlet, vec![fixtures::line(f.teh, 1)])
    };
    let r = app.post("/api/v1/orders", Some(&f.cashier), counter).await.expect(422);
    assert_eq!(field_code(&r, "guest_count"), "guest_count_tables_only");
    assert_eq!(f.check_at(0).await, None, "nothing seated");

    // Seated with 4 guests: in the order as read, and on the printable receipt.
    let check: Order = app.post("/api/v1/orders", Some(&f.cashier), seat_with(0, Some(4))).await.expect(201).json();
    assert_eq!(check.guest_count, Some(4));
    assert_eq!(f.order(check.id).await.guest_count, Some(4));
    let receipt = app.get(&format!("/api/v1/orders/{}/receipt?lang=en", check.id), &f.cashier).await.expect(200);
    assert!(receipt.text.contains("Guests") && receipt.text.contains(">4<"), "{}", receipt.text);

    // Changed later; bad counts refused with the check unchanged; kitchen devices may not.
    let path = format!("/api/v1/orders/{}/guests", check.id);
    let changed: Order = app.put(&path, &f.cashier, json!({"guest_count": 6})).await.expect(200).json();
    assert_eq!(changed.guest_count, Some(6));
    for bad in [json!({"guest_count": 0}), json!({"guest_count": 1000})] {
        let r = app.put(&path, &f.cashier, bad).await.expect(422);
        assert_eq!(field_code(&r, "guest_count"), "out_of_range");
    }
    app.put(&path, &f.cashier, json!({"guest_count": "six"})).await.expect(422);
    app.put(&path, &f.kds, json!({"guest_count": 2})).await.expect(403);
    assert_eq!(f.order(check.id).await.guest_count, Some(6));

    // A counter order has none, and is no check to seat guests at.
    let sale: Order = app
        .post("/api/v1/orders", Some(&f.cashier), fixtures::counter_order(f.outlet, vec![fixtures::line(f.teh, 1)]))
        .await
        .expect(201)
        .json();
    assert_eq!(sale.guest_count, None);
    let r = app.put(&format!("/api/v1/orders/{}/guests", sale.id), &f.cashier, json!({"guest_count": 2})).await;
    assert_eq!(code(&r.expect(409)), "not_a_check");

    // Without a count (an older till) a check seats none, and one can be set.
    let uncounted: Order = app.post("/api/v1/orders", Some(&f.cashier), seat_with(1, None)).await.expect(201).json();
    assert_eq!(uncounted.guest_count, None);
    let r = app.put(&format!("/api/v1/orders/{}/guests", uncounted.id), &f.cashier, json!({"guest_count": 2})).await;
    assert_eq!(r.expect(200).json::<Order>().guest_count, Some(2));

    // Another brand cannot touch it.
    let other = app.signup().await;
    app.put(&path, &other.token, json!({"guest_count": 2})).await.expect(404);
}
