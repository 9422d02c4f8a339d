//! The X report (an open shift, read at any time) and the Z report (made at
//! the close, stored with the shift, never changing afterwards), as JSON
//! and as a printable 80 mm page in Indonesian or English.
//!
//! What a shift counts: the payments taken with its id (paid ones, by
//! method), the refunds made while it was open, its cash movements, and the
//! orders of its outlet voided while it was open (orders carry no till).

use askama::Template;
use chrono::Utc;
use pos_wire::{
    CashMovementKind, DenominationCount, DrawerCash, Locale, MethodTotal, PaymentMethod, ReportKind, Shift,
    ShiftReport, ShiftStatus, Tally, money,
};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{ShiftRow, may_run_shifts, movements, row, words::Words};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Error, Result},
};

#[derive(FromQueryResult)]
struct MethodRow {
    method: String,
    count: i64,
    amount_minor: i64,
}

#[derive(FromQueryResult)]
struct TallyRow {
    count: i64,
    amount_minor: i64,
}

#[derive(FromQueryResult)]
struct Currency {
    currency: String,
}

/// The tenant's currency code.
pub(crate) async fn currency(tx: &ScopedTx) -> Result<String> {
    let row: Option<Currency> =
        tx.query_one("SELECT currency::text AS currency FROM tenants WHERE id = $1", [tx.tenant_id().into()]).await?;
    Ok(row.map(|c| c.currency.trim().to_string()).unwrap_or_else(|| "IDR".into()))
}

fn by_method(rows: Vec<MethodRow>) -> Result<(Vec<MethodTotal>, i64)> {
    let mut totals = Vec::new();
    for r in rows {
        let method = PaymentMethod::try_from(r.method.as_str()).map_err(anyhow::Error::from)?;
        totals.push(MethodTotal { method, count: r.count, amount_minor: r.amount_minor });
    }
    totals.sort_by_key(|t| PaymentMethod::ALL.iter().position(|m| *m == t.method));
    let sum = totals.iter().map(|t| t.amount_minor).sum();
    Ok((totals, sum))
}

/// The X report of `shift` as it stands (its row read in this transaction).
pub(crate) async fn build_x(tx: &ScopedTx, shift: &ShiftRow, currency: String) -> Result<ShiftReport> {
    let id = shift.id;
    let sales: Vec<MethodRow> = tx
        .query_all(
            "SELECT method, count(*)::bigint AS count, COALESCE(sum(amount_minor), 0)::bigint AS amount_minor \
               FROM payments WHERE shift_id = $1 AND status = 'paid' GROUP BY method",
            [id.into()],
        )
        .await?;
    let (sales, sales_total_minor) = by_method(sales)?;
    let refunds: Vec<MethodRow> = tx
        .query_all(
            "SELECT p.method, count(*)::bigint AS count, COALESCE(sum(f.amount_minor), 0)::bigint AS amount_minor \
               FROM refunds f JOIN payments p ON p.tenant_id = f.tenant_id AND p.id = f.payment_id \
              WHERE f.shift_id = $1 AND f.status = 'succeeded' GROUP BY p.method",
            [id.into()],
        )
        .await?;
    let (refunds, refunds_total_minor) = by_method(refunds)?;
    let rounding: TallyRow = tx
        .query_one(
            "SELECT count(*)::bigint AS count, COALESCE(sum(rounding_minor), 0)::bigint AS amount_minor \
               FROM payments WHERE shift_id = $1 AND status = 'paid' AND method = 'cash'",
            [id.into()],
        )
        .await?
        .ok_or_else(|| Error::internal("no rounding row"))?;
    let voids: TallyRow = tx
        .query_one(
            "SELECT count(*)::bigint AS count, COALESCE(sum(total_minor), 0)::bigint AS amount_minor \
               FROM orders WHERE outlet_id = $1 AND payment_status = 'void' AND updated_at >= $2",
            [shift.outlet_id.into(), shift.opened_at.into()],
        )
        .await?
        .ok_or_else(|| Error::internal("no voids row"))?;
    // Discounts given on the orders this shift took money for (each order
    // once, also when it was paid in several payments).
    let discounts: TallyRow = tx
        .query_one(
            "SELECT count(*)::bigint AS count, COALESCE(sum(o.discount_minor), 0)::bigint AS amount_minor \
               FROM orders o WHERE o.discount_minor > 0 \
                AND o.id IN (SELECT order_id FROM payments WHERE shift_id = $1 AND status = 'paid')",
            [id.into()],
        )
        .await?
        .ok_or_else(|| Error::internal("no discounts row"))?;
    let discounts_minor = discounts.amount_minor;
    // Of those, the ones given offline whose manager's PIN did not check out at replay.
    let unverified: TallyRow = tx
        .query_one(
            "SELECT count(*)::bigint AS count, COALESCE(sum(d.amount_minor), 0)::bigint AS amount_minor \
               FROM order_discounts d WHERE d.approval_unverified AND d.removed_at IS NULL \
                AND d.order_id IN (SELECT order_id FROM payments WHERE shift_id = $1 AND status = 'paid')",
            [id.into()],
        )
        .await?
        .ok_or_else(|| Error::internal("no unverified discounts row"))?;
    let cash_movements = movements::of_shift(tx, id).await?;
    let drawer = shift.drawer();
    Ok(ShiftReport {
        kind: ReportKind::X,
        shift: shift.to_shift()?,
        currency,
        generated_at: Utc::now(),
        sales,
        sales_total_minor,
        refunds,
        refunds_total_minor,
        discounts_minor,
        unverified_discounts: Tally { count: unverified.count, amount_minor: unverified.amount_minor },
        voids: Tally { count: voids.count, amount_minor: voids.amount_minor },
        cash_rounding_minor: rounding.amount_minor,
        cash_movements,
        cash: DrawerCash {
            opening_float_minor: drawer.opening_float_minor,
            cash_sales_minor: drawer.cash_sales_minor,
            cash_refunds_minor: drawer.cash_refunds_minor,
            cash_in_minor: drawer.cash_in_minor,
            cash_out_minor: drawer.cash_out_minor,
            expected_minor: drawer.expected_minor(),
            counted_minor: None,
            variance_minor: None,
        },
        denominations: Vec::new(),
    })
}

/// The X report made into the Z report of `closed` (the shift as closed).
pub(crate) fn into_z(
    mut x: ShiftReport,
    closed: Shift,
    counted_minor: i64,
    denominations: Vec<DenominationCount>,
) -> ShiftReport {
    x.kind = ReportKind::Z;
    x.generated_at = closed.closed_at.unwrap_or(x.generated_at);
    x.cash.counted_minor = Some(counted_minor);
    x.cash.variance_minor = Some(counted_minor - x.cash.expected_minor);
    x.shift = closed;
    x.denominations = denominations;
    x
}

#[derive(FromQueryResult)]
struct StoredZ {
    z_report: serde_json::Value,
}

/// `GET /shifts/{id}/report`: the X report while open, the stored Z once closed.
pub async fn shift_report(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<ShiftReport> {
    may_run_shifts(actor)?;
    let shift = row(tx, id, false).await?;
    if shift.status()? == ShiftStatus::Closed {
        let stored: StoredZ =
            tx.query_one("SELECT z_report FROM shifts WHERE id = $1", [id.into()]).await?.ok_or(Error::NotFound)?;
        return serde_json::from_value(stored.z_report).map_err(|e| Error::Internal(e.into()));
    }
    build_x(tx, &shift, currency(tx).await?).await
}

#[derive(FromQueryResult)]
struct Header {
    brand: String,
    outlet: String,
    address: String,
    opened_local: String,
    closed_local: Option<String>,
    printed_local: String,
}

const LOCAL_TIME: &str = "'DD-MM-YYYY HH24:MI'";

/// A label and an amount, ready to print.
pub struct Line {
    pub label: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "shift/report.html")]
pub struct ReportPage<'a> {
    pub w: &'a Words,
    pub lang: &'static str,
    pub z: bool,
    pub brand: String,
    pub outlet: String,
    pub address: String,
    pub till: String,
    pub opened: String,
    pub opened_by: String,
    pub closed: Option<String>,
    pub closed_by: String,
    pub printed: String,
    pub sales: Vec<Line>,
    pub sales_total: String,
    pub refunds: Vec<Line>,
    pub refunds_total: String,
    pub discounts: String,
    /// Offline discounts whose manager's PIN did not check out, when any.
    pub unverified: Option<Line>,
    pub voids: Line,
    pub rounding: String,
    pub movements: Vec<Line>,
    pub drawer: Vec<Line>,
    pub expected: String,
    pub counted: Option<String>,
    pub variance: Option<String>,
    pub denominations: Vec<Line>,
}

/// The report of shift `id` as a whole HTML page for an 80 mm roll.
pub async fn render_html(tx: &ScopedTx, actor: &Actor, id: Uuid, locale: Locale) -> Result<String> {
    let report = shift_report(tx, actor, id).await?;
    let header: Header = tx
        .query_one(
            &format!(
                "SELECT t.name AS brand, o.name AS outlet, o.address, \
                        to_char($2::timestamptz AT TIME ZONE o.timezone, {LOCAL_TIME}) AS opened_local, \
                        to_char($3::timestamptz AT TIME ZONE o.timezone, {LOCAL_TIME}) AS closed_local, \
                        to_char($4::timestamptz AT TIME ZONE o.timezone, {LOCAL_TIME}) AS printed_local \
                   FROM outlets o JOIN tenants t ON t.id = o.tenant_id WHERE o.id = $1"
            ),
            [
                report.shift.outlet_id.into(),
                report.shift.opened_at.into(),
                report.shift.closed_at.into(),
                Utc::now().into(),
            ],
        )
        .await?
        .ok_or(Error::NotFound)?;
    page(&report, header, locale).render().map_err(|e| Error::internal(format!("shift report template: {e}")))
}

fn page(r: &ShiftReport, h: Header, locale: Locale) -> ReportPage<'static> {
    let w = Words::of(locale);
    let m = |minor: i64| money::format(minor, &r.currency, locale);
    let methods = |totals: &[MethodTotal]| {
        totals
            .iter()
            .map(|t| Line { label: format!("{} ({})", w.method(t.method), t.count), amount: m(t.amount_minor) })
            .collect::<Vec<_>>()
    };
    let movements = r
        .cash_movements
        .iter()
        .map(|mv| {
            let (label, sign) = match mv.kind {
                CashMovementKind::In => (w.cash_in, 1),
                CashMovementKind::Out => (w.cash_out, -1),
            };
            Line { label: format!("{label}: {}", mv.reason), amount: m(sign * mv.amount_minor) }
        })
        .collect();
    let c = &r.cash;
    let drawer = vec![
        Line { label: w.float.into(), amount: m(c.opening_float_minor) },
        Line { label: w.cash_sales.into(), amount: m(c.cash_sales_minor) },
        Line { label: w.cash_in.into(), amount: m(c.cash_in_minor) },
        Line { label: w.cash_out.into(), amount: m(-c.cash_out_minor) },
        Line { label: w.cash_refunds.into(), amount: m(-c.cash_refunds_minor) },
    ];
    let denominations = r
        .denominations
        .iter()
        .map(|d| Line { label: format!("{} x {}", m(d.value_minor), d.count), amount: m(d.value_minor * d.count) })
        .collect();
    let name = |n: &Option<String>| n.clone().unwrap_or_default();
    ReportPage {
        w,
        lang: locale.as_str(),
        z: r.kind == ReportKind::Z,
        brand: h.brand,
        outlet: h.outlet,
        address: h.address,
        till: r.shift.device_name.clone(),
        opened: h.opened_local,
        opened_by: name(&r.shift.opened_by_name),
        closed: h.closed_local,
        closed_by: name(&r.shift.closed_by_name),
        printed: h.printed_local,
        sales: methods(&r.sales),
        sales_total: m(r.sales_total_minor),
        refunds: methods(&r.refunds),
        refunds_total: m(r.refunds_total_minor),
        discounts: m(r.discounts_minor),
        unverified: (r.unverified_discounts.count > 0).then(|| Line {
            label: format!("{} ({})", w.unverified, r.unverified_discounts.count),
            amount: m(r.unverified_discounts.amount_minor),
        }),
        voids: Line { label: format!("{} ({})", w.voids, r.voids.count), amount: m(r.voids.amount_minor) },
        rounding: m(r.cash_rounding_minor),
        movements,
        drawer,
        expected: m(c.expected_minor),
        counted: c.counted_minor.map(m),
        variance: c.variance_minor.map(m),
        denominations,
    }
}
