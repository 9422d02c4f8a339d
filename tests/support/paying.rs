//! Helpers of the payment tests: a shop selling one plain item without tax
//! or service charge (so the total is the price), orders, and payments.

use pos_wire::{CardBrand, CardDetails, CreatePayment, Order, PaymentMethod, UpdateOutlet};
use serde_json::Value;
use uuid::Uuid;

use crate::{Reply, Tenant, TestApp, fixtures, plain_menu_item};

/// The demo outlet's coffee with oat milk, in rupiah: no coin pays it.
pub const COFFEE: i64 = 41_958;

pub struct Shop {
    pub t: Tenant,
    pub outlet: Uuid,
    pub item: Uuid,
    /// A cashier of the outlet.
    pub cashier: String,
}

/// A new brand with one outlet rounding cash to `step`, selling [`COFFEE`].
pub async fn shop(app: &TestApp, step: i32) -> Shop {
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Kopi").await;
    let settings = UpdateOutlet { cash_rounding_step: Some(step), ..fixtures::outlet_rates(0, 0) };
    app.patch(&format!("/api/v1/outlets/{outlet}"), &t.token, settings).await.expect(200);
    let item = plain_menu_item(app, &t.token, "Kopi susu oat", COFFEE, None).await;
    let (_, cashier) = app.create_staff(&t.token, "cashier", &[outlet]).await;
    Shop { t, outlet, item, cashier }
}

impl Shop {
    /// A counter order of `qty` coffees.
    pub async fn counter_order(&self, app: &TestApp, qty: i32) -> Order {
        let body = fixtures::counter_order(self.outlet, vec![fixtures::line(self.item, qty)]);
        app.post("/api/v1/orders", Some(&self.cashier), body).await.expect(201).json()
    }

    /// A kiosk order of one coffee, placed with `kiosk`'s token.
    pub async fn kiosk_order(&self, app: &TestApp, kiosk: &str) -> Order {
        let body = fixtures::kiosk_order(self.outlet, vec![fixtures::line(self.item, 1)]);
        app.post("/api/v1/orders", Some(kiosk), body).await.expect(201).json()
    }
}

pub fn payment(method: PaymentMethod, amount_minor: i64) -> CreatePayment {
    CreatePayment {
        client_payment_id: Uuid::now_v7(),
        method,
        amount_minor,
        tendered_minor: None,
        card: None,
        shift_id: None,
    }
}

pub fn cash(amount_minor: i64, tendered_minor: Option<i64>) -> CreatePayment {
    CreatePayment { tendered_minor, ..payment(PaymentMethod::Cash, amount_minor) }
}

pub fn card(amount_minor: i64) -> CreatePayment {
    let slip = CardDetails { approval_code: "A1B2C3".into(), last4: Some("4242".into()), brand: Some(CardBrand::Visa) };
    CreatePayment { card: Some(slip), ..payment(PaymentMethod::Card, amount_minor) }
}

pub fn qris(amount_minor: i64) -> CreatePayment {
    payment(PaymentMethod::Qris, amount_minor)
}

pub async fn pay(app: &TestApp, token: &str, order: Uuid, body: impl serde::Serialize) -> Reply {
    app.post(&format!("/api/v1/orders/{order}/payments"), Some(token), body).await
}

pub async fn order(app: &TestApp, token: &str, order: Uuid) -> Order {
    app.get(&format!("/api/v1/orders/{order}"), token).await.expect(200).json()
}

/// The code of a problem document.
pub fn code(r: &Reply) -> &str {
    r.body["code"].as_str().unwrap_or_default()
}

/// The first code of `field` in a 422.
pub fn field_code<'r>(r: &'r Reply, field: &str) -> &'r str {
    r.body["error_codes"][field][0]["code"].as_str().unwrap_or_else(|| panic!("no code for {field}: {}", r.text))
}

/// Counts rows of `sql` (a `SELECT count(*)::bigint AS n ...`) in the tenant's scope.
pub async fn count(app: &TestApp, tenant: Uuid, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
    let tx = app.tenant_tx(tenant).await;
    let rows = tx.query_raw(sql, values).await.expect("query");
    let n: i64 = pos_backend::db::opt_row(&rows, "n").expect("n").unwrap_or(0);
    tx.commit().await.unwrap();
    n
}

/// A value of the JSON body at `pointer`, as text.
pub fn text<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}
