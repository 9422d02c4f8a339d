//! Calls to the server's JSON API (see API.md). Plain async functions, so
//! components never build requests or parse responses themselves. Every call
//! but pairing authenticates as the paired device.

use gloo_net::http::{Request, RequestBuilder, Response};
use pos_wire::{CloseShift, CreateCashMovement, OpenShift, Shift};
use pos_wire::{
    CreateOrder, CreatePayment, Device, Order, Page, PairDevice, PairedDevice, Payment, PaymentMethod, PickupEntry,
    Problem, PullResponse, SyncPush, SyncPushResponse, Ticket, TillSession, TillSignIn, TillStaff,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;
use web_sys::AbortSignal;

use crate::i18n::{Locale, Text, t};

/// A request with no answer by then counts as unreachable, rather than
/// leaving a spinner on a kiosk forever.
const REQUEST_TIMEOUT_MS: u32 = 15_000;
/// A batch of queued orders may take the server a while.
const PUSH_TIMEOUT_MS: u32 = 30_000;
/// A customer waits for this one: past it, the order goes to the queue.
const PLACE_TIMEOUT_MS: u32 = 8_000;

/// Why a call did not return what was asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server refused and said why, as an RFC 9457 problem document.
    Problem(Problem),
    /// No answer: offline, server down, or timed out.
    Unreachable,
    /// An answer that is neither the expected body nor a problem document,
    /// such as a proxy's HTML error page.
    Unexpected { status: u16 },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Unreachable => None,
            ApiError::Unexpected { status } => Some(*status),
        }
    }

    /// The device token is no longer accepted (revoked): pair again.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Worth trying again later: no answer, or the server or a proxy in trouble.
    pub fn is_transient(&self) -> bool {
        match self.status() {
            None => true,
            Some(s) => s == 408 || s == 429 || s >= 500,
        }
    }

    /// One line for logs.
    pub fn summary(&self) -> String {
        match self {
            ApiError::Problem(p) => format!("{} {}: {}", p.status, p.title, p.detail.clone().unwrap_or_default()),
            ApiError::Unreachable => "no answer from the server".into(),
            ApiError::Unexpected { status } => format!("HTTP {status}"),
        }
    }

    /// What went wrong, for staff, in `locale` (the server's reason translated).
    pub fn message(&self, locale: Locale) -> String {
        match self {
            ApiError::Problem(p) => format!("{} ({})", p.message(locale), p.status),
            ApiError::Unreachable => t(locale, Text::ServerUnreachable).to_owned(),
            ApiError::Unexpected { status } => format!("HTTP {status}"),
        }
    }
}

/// A failure kept for the staff screen, worded when it is shown so that it
/// follows the screen's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Api(ApiError),
    /// This browser's own storage failed (its words).
    Storage(String),
}

impl Failure {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            Failure::Api(e) => e.message(locale),
            Failure::Storage(why) => why.clone(),
        }
    }
}

fn timeout(ms: u32) -> AbortSignal {
    AbortSignal::timeout_with_u32(ms)
}

fn authed(builder: RequestBuilder, device: &PairedDevice, timeout_ms: u32) -> RequestBuilder {
    builder
        .header("Authorization", &format!("Bearer {}", device.device_token))
        .header("Accept", "application/json")
        .abort_signal(Some(&timeout(timeout_ms)))
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    request.map_err(|_| ApiError::Unexpected { status: 0 })?.send().await.map_err(|_| ApiError::Unreachable)
}

/// Trades a pairing code, as typed, for this device's token. The server
/// ignores case, spaces and dashes in the code.
pub async fn pair_device(pairing_code: &str) -> Result<PairedDevice, ApiError> {
    let body = PairDevice { pairing_code: pairing_code.to_owned() };
    let request = Request::post("/api/v1/devices/pair").abort_signal(Some(&timeout(REQUEST_TIMEOUT_MS))).json(&body);
    read_json(send(request).await?).await
}

/// This device as the server knows it; 401 once it has been revoked.
pub async fn device_me(device: &PairedDevice) -> Result<Device, ApiError> {
    let request = authed(Request::get("/api/v1/devices/me"), device, REQUEST_TIMEOUT_MS).build();
    read_json(send(request).await?).await
}

/// One page of catalogue changes after `since` (`None`: the full snapshot).
pub async fn pull_changes(device: &PairedDevice, since: Option<&str>, limit: u32) -> Result<PullResponse, ApiError> {
    let outlet = device.outlet_id.to_string();
    let limit = limit.to_string();
    let mut query = vec![("outlet_id", outlet.as_str()), ("limit", limit.as_str())];
    if let Some(since) = since {
        query.push(("since", since));
    }
    let request = authed(Request::get("/api/v1/sync/pull").query(query), device, REQUEST_TIMEOUT_MS).build();
    read_json(send(request).await?).await
}

/// Places an order while the customer waits, with the server's strict
/// checks (sold out, price changed: 422 with the reasons). Safe to repeat,
/// also through [`push_orders`]: the same `client_order_id` is one order.
pub async fn place_order(device: &PairedDevice, order: &CreateOrder) -> Result<Order, ApiError> {
    let request = authed(Request::post("/api/v1/orders"), device, PLACE_TIMEOUT_MS).json(order);
    read_json(send(request).await?).await
}

/// One queued order as `sync/push` carries it.
pub struct PushItem<'a> {
    pub order: &'a CreateOrder,
    /// Cash and card taken with it at a till.
    pub payments: &'a [CreatePayment],
    /// The till's shift it was sold in.
    pub shift_id: Option<Uuid>,
    /// Discounts given at the till while offline.
    pub discounts: &'a [pos_wire::QueuedDiscount],
}

/// Sends queued orders, each with the discounts given and the payments
/// taken with it (a till's) and the till's shift it was sold in; safe to
/// resend (replays come back `duplicate`).
pub async fn push_orders(device: &PairedDevice, orders: &[PushItem<'_>]) -> Result<SyncPushResponse, ApiError> {
    let orders = orders
        .iter()
        .map(|PushItem { order, payments, shift_id, discounts }| {
            let mut value = serde_json::to_value(order).unwrap_or_default();
            if !discounts.is_empty()
                && let Some(fields) = value.as_object_mut()
            {
                fields.insert("discounts".into(), serde_json::to_value(discounts).unwrap_or_default());
            }
            if !payments.is_empty()
                && let Some(fields) = value.as_object_mut()
            {
                fields.insert("payments".into(), serde_json::to_value(payments).unwrap_or_default());
            }
            if let (Some(shift_id), Some(fields)) = (shift_id, value.as_object_mut()) {
                fields.insert("shift_id".into(), serde_json::Value::String(shift_id.to_string()));
            }
            value
        })
        .collect();
    let body = SyncPush { device_id: device.device_id, orders };
    let request = authed(Request::post("/api/v1/sync/push"), device, PUSH_TIMEOUT_MS).json(&body);
    read_json(send(request).await?).await
}

/// Asks for a QRIS payment of `amount_minor` on `order_id` (the kiosk may
/// pay only its own orders, and only by QRIS): the server answers `pending`
/// with the QR code to draw and its expiry. Safe to repeat with the same
/// `client_payment_id` (the same payment comes back).
pub async fn pay_by_qris(
    device: &PairedDevice,
    order_id: Uuid,
    client_payment_id: Uuid,
    amount_minor: i64,
) -> Result<Payment, ApiError> {
    let body = CreatePayment {
        client_payment_id,
        method: PaymentMethod::Qris,
        amount_minor,
        tendered_minor: None,
        card: None,
        shift_id: None,
    };
    take_payment(device, order_id, &body).await
}

/// Takes a payment on `order_id` (a till's cashier: cash, card or QRIS).
/// Safe to repeat with the same `client_payment_id`.
pub async fn take_payment(device: &PairedDevice, order_id: Uuid, body: &CreatePayment) -> Result<Payment, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/payments");
    read_json(send(authed(Request::post(&url), device, REQUEST_TIMEOUT_MS).json(body)).await?).await
}

/// Who may sign in on this till (its own device token).
/// The server's key a manager's PIN is sealed to while offline.
pub async fn approval_key(device: &PairedDevice) -> Result<pos_wire::ApprovalKey, ApiError> {
    read_json(send(authed(Request::get("/api/v1/till/approval-key"), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

pub async fn till_staff(device: &PairedDevice) -> Result<Vec<TillStaff>, ApiError> {
    read_json(send(authed(Request::get("/api/v1/till/staff"), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// A cashier's PIN for a staff token bound to this till.
pub async fn till_sign_in(device: &PairedDevice, user_id: Uuid, pin: &str) -> Result<TillSession, ApiError> {
    let body = TillSignIn { user_id, pin: pin.to_owned() };
    read_json(send(authed(Request::post("/api/v1/till/sign-in"), device, REQUEST_TIMEOUT_MS).json(&body)).await?).await
}

/// Ends the cashier's session on this till (`cashier`: the till with their token).
pub async fn till_sign_out(cashier: &PairedDevice) -> Result<(), ApiError> {
    let response = send(authed(Request::post("/api/v1/till/sign-out"), cashier, REQUEST_TIMEOUT_MS).build()).await?;
    if response.ok() { Ok(()) } else { read_json::<()>(response).await }
}

/// The outlet's orders placed since `since_ms` (newest first, one page).
pub async fn recent_orders(device: &PairedDevice, since: &str) -> Result<Vec<Order>, ApiError> {
    let outlet = device.outlet_id.to_string();
    let query = [("outlet_id", outlet.as_str()), ("from", since), ("limit", "200")];
    let request = authed(Request::get("/api/v1/orders").query(query), device, REQUEST_TIMEOUT_MS).build();
    read_json::<Page<Order>>(send(request).await?).await.map(|page| page.items)
}

/// The printable receipt of an order (HTML).
pub async fn receipt_html(device: &PairedDevice, order_id: Uuid) -> Result<String, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/receipt");
    let request = authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).header("Accept", "text/html").build();
    let response = send(request).await?;
    if response.ok() {
        response.text().await.map_err(|_| ApiError::Unexpected { status: response.status() })
    } else {
        read_json::<String>(response).await
    }
}

/// Asks the server to mail the receipt of fully paid `order_id` to
/// `email` in `lang` (`id` or `en`); 202 with an empty body when it will.
pub async fn email_receipt(device: &PairedDevice, order_id: Uuid, email: &str, lang: &str) -> Result<(), ApiError> {
    let url = format!("/api/v1/orders/{order_id}/receipt/email");
    let body = pos_wire::SendReceipt { email: email.trim().to_owned(), lang: Some(lang.to_owned()) };
    let response = send(authed(Request::post(&url), device, REQUEST_TIMEOUT_MS).json(&body)).await?;
    if response.ok() { Ok(()) } else { read_json::<()>(response).await }
}

pub async fn order(device: &PairedDevice, id: Uuid) -> Result<Order, ApiError> {
    let url = format!("/api/v1/orders/{id}");
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// What the pickup board shows: the outlet's orders in progress or ready
/// (numbers and states only).
pub async fn pickup_board(device: &PairedDevice) -> Result<Vec<PickupEntry>, ApiError> {
    let url = format!("/api/v1/outlets/{}/pickup", device.outlet_id);
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// The outlet's open kitchen tickets (every station), with the server's
/// clock (`Date` header, ms) so ticket ages do not depend on the tablet's.
pub async fn open_tickets(device: &PairedDevice) -> Result<(Vec<Ticket>, Option<f64>), ApiError> {
    let url = format!("/api/v1/outlets/{}/tickets", device.outlet_id);
    let request = authed(Request::get(&url).query([("status", "open"), ("limit", "500")]), device, REQUEST_TIMEOUT_MS);
    let response = send(request.build()).await?;
    let server_ms = response.headers().get("date").map(|d| js_sys::Date::parse(&d)).filter(|ms| ms.is_finite());
    Ok((read_json(response).await?, server_ms))
}

/// Recently bumped tickets, newest first (what a cook may recall).
pub async fn bumped_tickets(device: &PairedDevice) -> Result<Vec<Ticket>, ApiError> {
    let url = format!("/api/v1/outlets/{}/tickets", device.outlet_id);
    let request = authed(Request::get(&url).query([("status", "bumped"), ("limit", "20")]), device, REQUEST_TIMEOUT_MS);
    read_json(send(request.build()).await?).await
}

/// Which way a cook moves a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketMove {
    Bump,
    Recall,
}

impl TicketMove {
    fn path(self) -> &'static str {
        match self {
            TicketMove::Bump => "bump",
            TicketMove::Recall => "recall",
        }
    }
}

/// Bumps or recalls a ticket; 409 when it is no longer in a state that allows it.
pub async fn move_ticket(device: &PairedDevice, ticket_id: Uuid, step: TicketMove) -> Result<Ticket, ApiError> {
    let url = format!("/api/v1/tickets/{ticket_id}/{}", step.path());
    read_json(send(authed(Request::post(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// The live event stream's address; EventSource cannot send headers, so the
/// token rides in the query (as the API allows for this endpoint only).
pub fn events_url(device: &PairedDevice, last_event_id: Option<i64>) -> String {
    let token = js_sys::encode_uri_component(&device.device_token);
    let mut url = format!("/api/v1/outlets/{}/events?access_token={token}", device.outlet_id);
    if let Some(id) = last_event_id {
        url.push_str(&format!("&last_event_id={id}"));
    }
    url
}

/// The body as `T` on success, otherwise the problem document the server sent.
async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Unexpected { status });
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

// ----- The till's shift (issue 12, "till-shifts") -----

/// Opens a shift on this till with `float_minor` in the drawer (online only).
pub async fn open_shift(cashier: &PairedDevice, float_minor: i64, client_shift_id: Uuid) -> Result<Shift, ApiError> {
    let body = OpenShift {
        device_id: cashier.device_id,
        opening_float_minor: float_minor,
        client_shift_id: Some(client_shift_id),
    };
    read_json(send(authed(Request::post("/api/v1/shifts"), cashier, REQUEST_TIMEOUT_MS).json(&body)).await?).await
}

/// This till's open shift, if it has one.
pub async fn open_shift_of_till(cashier: &PairedDevice) -> Result<Option<Shift>, ApiError> {
    let device = cashier.device_id.to_string();
    let query = [("device_id", device.as_str()), ("status", "open"), ("limit", "1")];
    let request = authed(Request::get("/api/v1/shifts").query(query), cashier, REQUEST_TIMEOUT_MS).build();
    read_json::<Page<Shift>>(send(request).await?).await.map(|page| page.items.into_iter().next())
}

pub async fn shift(cashier: &PairedDevice, id: Uuid) -> Result<Shift, ApiError> {
    let url = format!("/api/v1/shifts/{id}");
    read_json(send(authed(Request::get(&url), cashier, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// Cash in or out of the drawer; safe to resend (`client_movement_id`).
pub async fn move_cash(cashier: &PairedDevice, shift_id: Uuid, body: &CreateCashMovement) -> Result<(), ApiError> {
    let url = format!("/api/v1/shifts/{shift_id}/cash-movements");
    read_json::<serde_json::Value>(send(authed(Request::post(&url), cashier, REQUEST_TIMEOUT_MS).json(body)).await?)
        .await
        .map(|_| ())
}

/// Closes the shift with the drawer's count; safe to resend (`client_close_id`).
pub async fn close_shift(cashier: &PairedDevice, shift_id: Uuid, body: &CloseShift) -> Result<Shift, ApiError> {
    let url = format!("/api/v1/shifts/{shift_id}/close");
    read_json(send(authed(Request::post(&url), cashier, REQUEST_TIMEOUT_MS).json(body)).await?).await
}

/// The shift's printable report (X while open, Z once closed), in `lang`.
pub async fn shift_report_html(cashier: &PairedDevice, shift_id: Uuid, lang: &str) -> Result<String, ApiError> {
    let url = format!("/api/v1/shifts/{shift_id}/report.html");
    let request = authed(Request::get(&url).query([("lang", lang)]), cashier, REQUEST_TIMEOUT_MS).build();
    let response = send(request).await?;
    if response.ok() {
        response.text().await.map_err(|_| ApiError::Unexpected { status: response.status() })
    } else {
        read_json::<String>(response).await
    }
}

/// A discount on `order_id` (a manager's approval with it above the
/// outlet's limit): the order as the server priced it.
pub async fn add_discount(
    cashier: &PairedDevice,
    order_id: Uuid,
    body: &pos_wire::CreateDiscount,
) -> Result<Order, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/discounts");
    read_json(send(authed(Request::post(&url), cashier, REQUEST_TIMEOUT_MS).json(body)).await?).await
}

// Table service at the till: the floor, checks and their rounds, moves,
// merges and splits (each call as the cashier signed in).

/// The outlet's areas, in their order.
pub async fn areas(device: &PairedDevice) -> Result<Vec<pos_wire::Area>, ApiError> {
    let url = format!("/api/v1/outlets/{}/areas", device.outlet_id);
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// The outlet's tables, each with the check open at it.
pub async fn dining_tables(device: &PairedDevice) -> Result<Vec<pos_wire::DiningTable>, ApiError> {
    let url = format!("/api/v1/outlets/{}/tables", device.outlet_id);
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

pub async fn dining_table(device: &PairedDevice, table_id: Uuid) -> Result<pos_wire::DiningTable, ApiError> {
    let url = format!("/api/v1/tables/{table_id}");
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// Adds a round to check `order_id`; safe to repeat with the same `client_round_id`.
pub async fn add_round(device: &PairedDevice, order_id: Uuid, round: &pos_wire::AddRound) -> Result<Order, ApiError> {
    check_call(device, order_id, "rounds", round).await
}

/// The rounds of check `order_id`, oldest first.
pub async fn check_rounds(device: &PairedDevice, order_id: Uuid) -> Result<Vec<pos_wire::CheckRound>, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/rounds");
    read_json(send(authed(Request::get(&url), device, REQUEST_TIMEOUT_MS).build()).await?).await
}

/// Sets how many guests sit at check `order_id`.
pub async fn set_guests(
    device: &PairedDevice,
    order_id: Uuid,
    guests: &pos_wire::SetGuests,
) -> Result<Order, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/guests");
    read_json(send(authed(Request::put(&url), device, REQUEST_TIMEOUT_MS).json(guests)).await?).await
}

pub async fn move_check(device: &PairedDevice, order_id: Uuid, to: &pos_wire::MoveCheck) -> Result<Order, ApiError> {
    check_call(device, order_id, "move", to).await
}

pub async fn merge_checks(
    device: &PairedDevice,
    order_id: Uuid,
    from: &pos_wire::MergeChecks,
) -> Result<Order, ApiError> {
    check_call(device, order_id, "merge", from).await
}

pub async fn split_check(
    device: &PairedDevice,
    order_id: Uuid,
    split: &pos_wire::SplitCheck,
) -> Result<pos_wire::SplitResult, ApiError> {
    check_call(device, order_id, "split", split).await
}

pub async fn split_evenly(
    device: &PairedDevice,
    order_id: Uuid,
    ways: &pos_wire::SplitEvenly,
) -> Result<pos_wire::EvenSplit, ApiError> {
    check_call(device, order_id, "split-evenly", ways).await
}

async fn check_call<B: serde::Serialize, T: DeserializeOwned>(
    device: &PairedDevice,
    order_id: Uuid,
    action: &str,
    body: &B,
) -> Result<T, ApiError> {
    let url = format!("/api/v1/orders/{order_id}/{action}");
    read_json(send(authed(Request::post(&url), device, REQUEST_TIMEOUT_MS).json(body)).await?).await
}
