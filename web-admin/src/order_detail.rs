//! One order's page: its lines and totals, its money (payments with
//! tendered and change, card slip details, QRIS state and gateway
//! reference, cash rounding, refunds) and a refund form on every payment
//! with something left to refund (see `refund_form.rs`). The page
//! follows the outlet's events and fetches its body again when one is
//! about this order (`static/admin.js`).

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono_tz::Tz;
use pos_backend::{auth::Actor, db::ScopedTx, orders, tenancy::outlets};
use pos_wire::{
    CardBrand, EventKind, Order, OrderPaymentStatus, Outlet, Payment, PaymentMethod, PaymentStatus, RefundStatus,
};
use uuid::Uuid;

use crate::{
    error::{AdminError, parse_id},
    localtime,
    money::format_money,
    order_money::{RefundEntry, discounts_of, refunds_of},
    orders::{OrderView, payment_key},
    refund_form::{RefundForm, RefundFormView},
    session::{Admin, Ctx, NoticeQuery},
};

pub fn method_key(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Cash => "method.cash",
        PaymentMethod::Card => "method.card",
        PaymentMethod::Qris => "method.qris",
    }
}

fn payment_status_key(s: PaymentStatus) -> &'static str {
    match s {
        PaymentStatus::Pending => "payment.pending",
        PaymentStatus::Paid => "payment.paid",
        PaymentStatus::Failed => "payment.failed",
        PaymentStatus::Expired => "payment.expired",
        PaymentStatus::Cancelled => "payment.cancelled",
    }
}

fn refund_status_key(s: RefundStatus) -> &'static str {
    match s {
        RefundStatus::Pending => "refund.pending",
        RefundStatus::Succeeded => "refund.succeeded",
        RefundStatus::Failed => "refund.failed",
    }
}

fn brand_name(b: CardBrand, ctx: &Ctx) -> &'static str {
    match b {
        CardBrand::Visa => "Visa",
        CardBrand::Mastercard => "Mastercard",
        CardBrand::Jcb => "JCB",
        CardBrand::Amex => "American Express",
        CardBrand::Unionpay => "UnionPay",
        CardBrand::Gpn => "GPN",
        CardBrand::Other => ctx.t("orders.card_other"),
    }
}

/// One payment as staff read it.
pub struct PaymentView {
    pub id: Uuid,
    pub method: &'static str,
    pub method_label: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub amount: String,
    pub rounding: Option<String>,
    pub tendered: Option<String>,
    pub change: Option<String>,
    /// "Visa ···· 4242".
    pub card: Option<String>,
    pub approval_code: Option<String>,
    pub gateway_ref: Option<String>,
    /// A pending QR code's expiry, in the outlet's time.
    pub expires: Option<String>,
    pub refunded: Option<String>,
    /// What may still be refunded (paid payments only).
    pub refundable: String,
    /// The refund form, on a payment with something left to refund.
    pub refund: Option<RefundFormView>,
    pub when: String,
    /// Paid although the order did not need it, and not all refunded yet.
    pub surplus_due: bool,
}

impl PaymentView {
    fn of(p: &Payment, currency: &str, tz: Tz, ctx: &Ctx) -> PaymentView {
        let money = |m: i64| format_money(m, currency, ctx.tr);
        let refundable_minor =
            if p.status == PaymentStatus::Paid { (p.amount_minor - p.refunded_minor).max(0) } else { 0 };
        PaymentView {
            id: p.id,
            method: p.method.as_str(),
            method_label: ctx.t(method_key(p.method)),
            status: p.status.as_str(),
            status_label: ctx.t(payment_status_key(p.status)),
            amount: money(p.amount_minor),
            rounding: (p.rounding_minor != 0).then(|| money(p.rounding_minor)),
            tendered: p.tendered_minor.map(money),
            change: p.change_minor.map(money),
            card: p.card.as_ref().map(|c| {
                let brand = c.brand.map_or(ctx.t("method.card"), |b| brand_name(b, ctx));
                match &c.last4 {
                    Some(last4) => format!("{brand} ···· {last4}"),
                    None => brand.to_string(),
                }
            }),
            approval_code: p.card.as_ref().map(|c| c.approval_code.clone()),
            gateway_ref: p.gateway_ref.clone(),
            expires: (p.status == PaymentStatus::Pending)
                .then_some(p.expires_at)
                .flatten()
                .map(|at| localtime::clock(&at, tz)),
            refunded: (p.refunded_minor > 0).then(|| money(p.refunded_minor)),
            refundable: money(refundable_minor),
            refund: (refundable_minor > 0).then(|| RefundFormView::fresh(ctx.tr)),
            when: localtime::clock(&p.paid_at.unwrap_or(p.created_at), tz),
            surplus_due: p.surplus && refundable_minor > 0,
        }
    }
}

pub struct RefundView {
    pub id: Uuid,
    pub payment_id: Uuid,
    /// The refunded payment's method.
    pub method_label: &'static str,
    pub amount: String,
    pub reason: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    pub when: String,
}

/// A discount on the order or one of its lines.
pub struct DiscountView {
    /// The line's name, for a line discount.
    pub line: Option<String>,
    /// `10%` or the amount, as given.
    pub given: String,
    pub amount: String,
    pub reason: String,
    pub by: Option<String>,
    pub approved_by: Option<String>,
    pub removed: bool,
    pub when: String,
}

/// Where the order's money stands.
pub struct MoneyView {
    pub payment_status: &'static str,
    pub payment_label: &'static str,
    pub rounding: Option<String>,
    /// Cash the customer paid in all, when rounding makes it differ from the total.
    pub collected: Option<String>,
    pub paid: Option<String>,
    pub refunded: Option<String>,
    /// Still to pay (never on a cancelled or void order).
    pub balance: Option<String>,
    pub receipt_number: Option<i64>,
    pub paid_at: Option<String>,
}

impl MoneyView {
    fn of(o: &Order, tz: Tz, ctx: &Ctx) -> MoneyView {
        let money = |m: i64| format_money(m, &o.currency, ctx.tr);
        let open = o.status != pos_wire::OrderStatus::Cancelled && o.payment_status != OrderPaymentStatus::Void;
        let balance = o.total_minor - o.paid_minor;
        MoneyView {
            payment_status: o.payment_status.as_str(),
            payment_label: ctx.t(payment_key(o.payment_status)),
            rounding: (o.rounding_minor != 0).then(|| money(o.rounding_minor)),
            collected: (o.rounding_minor != 0).then(|| money(o.paid_minor + o.rounding_minor)),
            paid: (o.paid_minor > 0).then(|| money(o.paid_minor)),
            refunded: (o.refunded_minor > 0).then(|| money(o.refunded_minor)),
            balance: (open && balance > 0).then(|| money(balance)),
            receipt_number: o.receipt_number,
            paid_at: o.paid_at.map(|at| localtime::date_time(&at, tz)),
        }
    }
}

/// Everything the order's page shows below its title; fetched again live.
pub struct DetailBody {
    pub currency: String,
    pub outlet: Outlet,
    pub o: OrderView,
    pub money: MoneyView,
    pub payments: Vec<PaymentView>,
    pub refunds: Vec<RefundView>,
    pub discounts: Vec<DiscountView>,
    /// Everything the discounts in force take off, when any.
    pub discount_total: Option<String>,
}

impl DetailBody {
    /// The events that may change this page.
    fn order_events(&self) -> String {
        [
            EventKind::OrderStatusChanged,
            EventKind::OrderUpdated,
            EventKind::PaymentUpdated,
            EventKind::OrderPaid,
            EventKind::RefundUpdated,
        ]
        .map(EventKind::as_str)
        .join(",")
    }

    /// True while a refused refund form is shown again: fetching the body on
    /// (re)connect would throw away what was typed and why it was refused.
    fn shows_posted_form(&self) -> bool {
        self.payments.iter().any(|p| p.refund.as_ref().is_some_and(|r| r.open))
    }

    /// Shows the refund form of `payment_id` again as posted, with what was
    /// wrong with it. False when that payment has no refund form.
    pub fn reopen_refund(&mut self, payment_id: Uuid, form: RefundForm, errors: crate::fields::FormErrors) -> bool {
        match self.payments.iter_mut().find(|p| p.id == payment_id).and_then(|p| p.refund.as_mut()) {
            Some(view) => {
                *view = RefundFormView::posted(form, errors);
                true
            }
            None => false,
        }
    }
}

/// Reads the order, its outlet, payments and refunds (the caller commits).
pub(crate) async fn load(tx: &ScopedTx, actor: &Actor, ctx: &Ctx, id: Uuid) -> Result<DetailBody, AdminError> {
    let order = orders::read(tx, actor, id).await?;
    let outlet = outlets::get(tx, order.outlet_id).await?;
    let payments = order.payments.clone();
    let refunds = refunds_of(tx, id).await?;
    let discounts = discounts_of(tx, id).await?;
    let tz = localtime::zone(&outlet.timezone);
    let currency = order.currency.clone();
    let payment_views: Vec<PaymentView> = payments.iter().map(|p| PaymentView::of(p, &currency, tz, ctx)).collect();
    let refunds = refunds
        .into_iter()
        .map(|r: RefundEntry| RefundView {
            id: r.id,
            payment_id: r.payment_id,
            method_label: payments.iter().find(|p| p.id == r.payment_id).map_or("", |p| ctx.t(method_key(p.method))),
            amount: format_money(r.amount_minor, &currency, ctx.tr),
            reason: r.reason,
            status: r.status.as_str(),
            status_label: ctx.t(refund_status_key(r.status)),
            by: r.user_name,
            approved_by: r.approver_name,
            when: localtime::date_time(&r.created_at, tz),
        })
        .collect();
    let discounts = discounts
        .into_iter()
        .map(|d| DiscountView {
            line: d.line_id.and_then(|l| order.items.iter().find(|i| i.line_id == l)).map(|i| i.name.clone()),
            given: if d.kind == pos_wire::DiscountKind::Percent.as_str() {
                crate::percent::format_percent(i32::try_from(d.value).unwrap_or(0)) + "%"
            } else {
                format_money(d.value, &currency, ctx.tr)
            },
            amount: format_money(d.amount_minor, &currency, ctx.tr),
            reason: d.reason,
            by: d.user_name,
            approved_by: d.approver_name,
            removed: d.removed,
            when: localtime::date_time(&d.created_at, tz),
        })
        .collect();
    let discount_total = (order.discount_minor > 0).then(|| format_money(order.discount_minor, &currency, ctx.tr));
    Ok(DetailBody {
        discounts,
        discount_total,
        currency,
        money: MoneyView::of(&order, tz, ctx),
        o: OrderView::of(order, tz, ctx),
        outlet,
        payments: payment_views,
        refunds,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/detail.html")]
pub(crate) struct OrderDetail {
    pub ctx: Ctx,
    pub b: DetailBody,
}

/// The body alone, for the page's live refresh.
#[derive(Template, WebTemplate)]
#[template(path = "admin/orders/detail_body.html")]
pub(crate) struct OrderDetailBody {
    ctx: Ctx,
    b: DetailBody,
}

pub async fn detail(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<OrderDetail, AdminError> {
    let id = parse_id(&id)?;
    let b = load(&tx, &actor, &ctx, id).await?;
    tx.commit().await?;
    Ok(OrderDetail { ctx: ctx.at("orders").with_notice(&q), b })
}

pub async fn detail_body(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
) -> Result<OrderDetailBody, AdminError> {
    let id = parse_id(&id)?;
    let b = load(&tx, &actor, &ctx, id).await?;
    tx.commit().await?;
    Ok(OrderDetailBody { ctx, b })
}
