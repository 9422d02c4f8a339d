//! The printable receipt of an order (`GET /orders/{id}/receipt`): one HTML
//! page with print CSS for 80 mm and 58 mm roll printers, in Indonesian or
//! English. [`render`] is what the endpoint (and the admin) calls.
//!
//! A receipt number is printed only once the order is fully paid; before
//! that the page says it is not a receipt (a pro-forma bill). Times are in
//! the outlet's time zone; money goes through `pos_wire::money`.

pub mod email;
pub mod http;
mod words;

use askama::Template;
use pos_wire::{
    CardBrand, DeviceKind, Locale, Order, OrderPaymentStatus, Payment, PaymentMethod, PaymentStatus, RefundStatus,
    Role, money,
};
use sea_orm::FromQueryResult;
use uuid::Uuid;

pub use words::Words;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, Error, Result},
};

/// Roll widths in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Mm80,
    Mm58,
}

impl Width {
    pub fn parse(raw: &str) -> Option<Width> {
        match raw {
            "80" => Some(Width::Mm80),
            "58" => Some(Width::Mm58),
            _ => None,
        }
    }

    pub fn mm(self) -> u8 {
        match self {
            Width::Mm80 => 80,
            Width::Mm58 => 58,
        }
    }
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptOptions {
    pub locale: Locale,
    pub width: Width,
}

/// Staff of the outlet who handle money, and a kiosk for the orders it
/// took, may print a receipt; kitchen staff, kitchen displays and the
/// pickup board may not.
fn may_print(actor: &Actor) -> Result<()> {
    match actor.kind {
        ActorKind::Device { kind: DeviceKind::Kiosk, .. } => Ok(()),
        ActorKind::Device { .. } => Err(Error::Forbidden(Code::RoleNotAllowed)),
        ActorKind::Staff { .. } => actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier]).map(|_| ()),
    }
}

/// The receipt of order `order_id` as a whole HTML page; 404 for an order
/// the caller cannot see.
pub async fn render(tx: &ScopedTx, actor: &Actor, order_id: Uuid, opts: ReceiptOptions) -> Result<String> {
    may_print(actor)?;
    let order = crate::orders::read(tx, actor, order_id).await?;
    let data = ReceiptData::load(tx, order).await?;
    let page = ReceiptPage::new(&data, opts);
    page.render().map_err(|e| Error::internal(format!("receipt template: {e}")))
}

/// The plain-text twin of a [`ReceiptPage`] (the e-receipt's text part).
#[derive(Template)]
#[template(path = "receipt/receipt.txt")]
pub struct ReceiptText<'a> {
    pub p: &'a ReceiptPage<'a>,
}

/// An order's receipt as a mail needs it: (receipt number if fully paid,
/// brand, HTML, text).
pub(crate) async fn render_for_mail(
    tx: &ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    locale: Locale,
) -> Result<(Option<String>, String, String, String)> {
    may_print(actor)?;
    let order = crate::orders::read(tx, actor, order_id).await?;
    let data = ReceiptData::load(tx, order).await?;
    let page = ReceiptPage::new(&data, ReceiptOptions { locale, width: Width::Mm80 });
    let err = |e: askama::Error| Error::internal(format!("receipt template: {e}"));
    let html = page.render().map_err(err)?;
    let text = ReceiptText { p: &page }.render().map_err(err)?;
    Ok((page.receipt_number.clone(), data.header.brand.clone(), html, text))
}

#[derive(Debug, Clone, FromQueryResult)]
struct Header {
    brand: String,
    outlet: String,
    address: String,
    tax_number: Option<String>,
    tax_rate_bp: i32,
    service_charge_bp: i32,
    /// Placed, in the outlet's time zone.
    placed_local: String,
    /// Fully paid, in the outlet's time zone.
    paid_local: Option<String>,
}

#[derive(Debug, Clone, FromQueryResult)]
struct RefundRow {
    amount_minor: i64,
    reason: String,
    status: String,
    created_local: String,
}

/// Everything a receipt shows, as stored (the order with its payments).
struct ReceiptData {
    order: Order,
    header: Header,
    refunds: Vec<RefundRow>,
}

const LOCAL_TIME: &str = "'DD-MM-YYYY HH24:MI'";

impl ReceiptData {
    async fn load(tx: &ScopedTx, order: Order) -> Result<ReceiptData> {
        // The outlet may have been archived since: its receipts still print.
        let header: Header = tx
            .query_one(
                &format!(
                    "SELECT t.name AS brand, o.name AS outlet, o.address, o.tax_number, o.tax_rate_bp, o.service_charge_bp, \
                            to_char(r.created_at AT TIME ZONE o.timezone, {LOCAL_TIME}) AS placed_local, \
                            to_char(r.paid_at AT TIME ZONE o.timezone, {LOCAL_TIME}) AS paid_local \
                       FROM orders r JOIN outlets o ON o.id = r.outlet_id JOIN tenants t ON t.id = r.tenant_id \
                      WHERE r.id = $1"
                ),
                [order.id.into()],
            )
            .await?
            .ok_or(Error::NotFound)?;
        let refunds: Vec<RefundRow> = tx
            .query_all(
                &format!(
                    "SELECT f.amount_minor, f.reason, f.status, \
                            to_char(f.created_at AT TIME ZONE o.timezone, {LOCAL_TIME}) AS created_local \
                       FROM refunds f JOIN outlets o ON o.id = f.outlet_id \
                      WHERE f.order_id = $1 AND f.status <> 'failed' ORDER BY f.created_at, f.id"
                ),
                [order.id.into()],
            )
            .await?;
        Ok(ReceiptData { order, header, refunds })
    }
}

/// A label and an amount, ready to print.
pub struct Row {
    pub label: String,
    pub amount: String,
}

pub struct LineView {
    pub qty: i32,
    pub name: String,
    pub total: String,
    /// Option name and, when it costs extra, its price per unit.
    pub modifiers: Vec<(String, Option<String>)>,
    pub note: Option<String>,
    /// The line's discounts: (reason, amount taken off).
    pub discounts: Vec<Row>,
}

pub struct PaymentView {
    pub label: String,
    pub amount: String,
    /// Tendered, change, card or gateway reference lines under it.
    pub details: Vec<Row>,
}

#[derive(Template)]
#[template(path = "receipt/receipt.html")]
pub struct ReceiptPage<'a> {
    pub w: &'a Words,
    pub lang: &'static str,
    pub width_mm: u8,
    pub brand: &'a str,
    pub outlet: &'a str,
    pub address: &'a str,
    pub tax_number: Option<&'a str>,
    /// None until fully paid.
    pub receipt_number: Option<String>,
    pub pickup_number: &'a str,
    pub when: String,
    pub customer: Option<&'a str>,
    pub table: Option<&'a str>,
    /// Guests at a table's check.
    pub guests: Option<i32>,
    pub lines: Vec<LineView>,
    /// Subtotal, service charge and tax.
    pub sums: Vec<Row>,
    pub total: String,
    /// Cash rounding, when any.
    pub rounding: Option<Row>,
    pub payments: Vec<PaymentView>,
    pub refunds: Vec<Row>,
    pub voided: bool,
    pub cancelled: bool,
}

/// `1000` basis points as `10%`, `1050` as `10.5%` (or `10,5%`).
fn percent(bp: i32, locale: Locale) -> String {
    let whole = bp / 100;
    let frac = (bp % 100).abs();
    if frac == 0 {
        return format!("{whole}%");
    }
    let point = if locale == Locale::Id { ',' } else { '.' };
    let frac = format!("{frac:02}");
    format!("{whole}{point}{}%", frac.trim_end_matches('0'))
}

impl<'a> ReceiptPage<'a> {
    fn new(d: &'a ReceiptData, opts: ReceiptOptions) -> ReceiptPage<'a> {
        let locale = opts.locale;
        let w = Words::of(locale);
        let o = &d.order;
        let m = |minor: i64| money::format(minor, &o.currency, locale);
        let lines = o
            .items
            .iter()
            .map(|l| LineView {
                qty: l.qty,
                name: l.name.clone(),
                total: m(l.line_total_minor),
                modifiers: l
                    .modifiers
                    .iter()
                    .map(|md| (md.name.clone(), (md.price_minor != 0).then(|| m(md.price_minor))))
                    .collect(),
                note: l.note.clone(),
                discounts: o
                    .discounts
                    .iter()
                    .filter(|d| d.line_id == Some(l.line_id) && d.amount_minor > 0)
                    .map(|d| Row { label: format!("{} {}", w.discount, d.reason), amount: m(-d.amount_minor) })
                    .collect(),
            })
            .collect();
        let mut sums = vec![Row { label: w.subtotal.into(), amount: m(o.subtotal_minor) }];
        // The order's own discounts; its lines' are printed under them.
        sums.extend(
            o.discounts
                .iter()
                .filter(|d| d.line_id.is_none() && d.amount_minor > 0)
                .map(|d| Row { label: format!("{} {}", w.discount, d.reason), amount: m(-d.amount_minor) }),
        );
        if o.service_charge_minor != 0 || d.header.service_charge_bp != 0 {
            sums.push(Row {
                label: format!("{} {}", w.service_charge, percent(d.header.service_charge_bp, locale)),
                amount: m(o.service_charge_minor),
            });
        }
        sums.push(Row {
            label: format!("{} {}", w.tax, percent(d.header.tax_rate_bp, locale)),
            amount: m(o.tax_minor),
        });
        let rounding = (o.rounding_minor != 0).then(|| Row { label: w.rounding.into(), amount: m(o.rounding_minor) });
        let payments =
            o.payments.iter().filter(|p| p.status == PaymentStatus::Paid).map(|p| payment_view(p, w, &m)).collect();
        let refunds = d
            .refunds
            .iter()
            .map(|r| {
                let pending = if r.status == RefundStatus::Pending.as_str() { w.pending } else { "" };
                Row {
                    label: format!("{} {} {}{pending}", w.refund, r.created_local, r.reason),
                    amount: m(-r.amount_minor),
                }
            })
            .collect();
        let paid = matches!(
            o.payment_status,
            OrderPaymentStatus::Paid | OrderPaymentStatus::PartiallyRefunded | OrderPaymentStatus::Refunded
        );
        ReceiptPage {
            w,
            lang: locale.as_str(),
            width_mm: opts.width.mm(),
            brand: &d.header.brand,
            outlet: &d.header.outlet,
            address: &d.header.address,
            tax_number: d.header.tax_number.as_deref().filter(|t| !t.is_empty()),
            receipt_number: o.receipt_number.filter(|_| paid).map(|n| format!("{n:06}")),
            pickup_number: &o.number,
            when: d.header.paid_local.clone().unwrap_or_else(|| d.header.placed_local.clone()),
            customer: o.customer_name.as_deref(),
            table: o.table.as_deref(),
            guests: o.guest_count,
            lines,
            sums,
            total: m(o.total_minor),
            rounding,
            payments,
            refunds,
            voided: o.payment_status == OrderPaymentStatus::Void,
            cancelled: o.status == pos_wire::OrderStatus::Cancelled,
        }
    }
}

fn payment_view(p: &Payment, w: &Words, m: &dyn Fn(i64) -> String) -> PaymentView {
    let mut details = Vec::new();
    let label = match p.method {
        PaymentMethod::Cash => w.cash.to_string(),
        PaymentMethod::Card => {
            let brand = p.card.as_ref().and_then(|c| c.brand).map(brand_name).unwrap_or_default();
            let last4 =
                p.card.as_ref().and_then(|c| c.last4.as_deref()).map(|l| format!(" **** {l}")).unwrap_or_default();
            format!("{} {brand}{last4}", w.card).trim_end().to_string()
        }
        PaymentMethod::Qris => "QRIS".to_string(),
    };
    // Cash in the drawer: the applied amount plus its rounding.
    let amount = m(p.amount_minor + p.rounding_minor);
    if let Some(t) = p.tendered_minor.filter(|_| p.method == PaymentMethod::Cash) {
        details.push(Row { label: w.tendered.into(), amount: m(t) });
        details.push(Row { label: w.change.into(), amount: m(p.change_minor.unwrap_or(0)) });
    }
    if let Some(reference) = p.gateway_ref.as_deref() {
        details.push(Row { label: w.reference.into(), amount: reference.to_string() });
    }
    PaymentView { label, amount, details }
}

fn brand_name(b: CardBrand) -> &'static str {
    match b {
        CardBrand::Visa => "Visa",
        CardBrand::Mastercard => "Mastercard",
        CardBrand::Jcb => "JCB",
        CardBrand::Amex => "Amex",
        CardBrand::Unionpay => "UnionPay",
        CardBrand::Gpn => "GPN",
        CardBrand::Other => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents() {
        assert_eq!(percent(1000, Locale::Id), "10%");
        assert_eq!(percent(1050, Locale::Id), "10,5%");
        assert_eq!(percent(1125, Locale::En), "11.25%");
        assert_eq!(percent(0, Locale::En), "0%");
    }

    #[test]
    fn widths() {
        assert_eq!(Width::parse("58").map(Width::mm), Some(58));
        assert_eq!(Width::parse("80").map(Width::mm), Some(80));
        assert!(Width::parse("76").is_none());
    }
}
