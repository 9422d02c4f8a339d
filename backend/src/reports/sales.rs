//! `GET /reports/sales`: the rollups summed by day, hour, item, modifier,
//! payment method, outlet or channel, and the totals of the range.

use pos_wire::{ReportGroup, SalesReport, SalesRow, SalesTotals};
use sea_orm::{FromQueryResult, Value};

use super::ReportRange;
use crate::{db::ScopedTx, error::Result};

/// A summed group as the database gives it (sums of bigints are numeric).
#[derive(Debug, FromQueryResult)]
struct Summed {
    key: String,
    label: Option<String>,
    orders: i64,
    qty: Option<i64>,
    gross_minor: i64,
    discount_minor: i64,
    refund_minor: i64,
    tax_minor: i64,
    service_charge_minor: i64,
}

impl Summed {
    fn into_row(self) -> SalesRow {
        SalesRow {
            net_minor: self.gross_minor - self.discount_minor - self.refund_minor,
            key: self.key,
            label: self.label,
            orders: self.orders,
            qty: self.qty,
            gross_minor: self.gross_minor,
            discount_minor: self.discount_minor,
            refund_minor: self.refund_minor,
            tax_minor: self.tax_minor,
            service_charge_minor: self.service_charge_minor,
        }
    }
}

const SALES_SUMS: &str = "coalesce(sum(r.orders), 0)::bigint AS orders, NULL::bigint AS qty, \
    coalesce(sum(r.gross_minor), 0)::bigint AS gross_minor, coalesce(sum(r.discount_minor), 0)::bigint AS discount_minor, \
    coalesce(sum(r.refund_minor), 0)::bigint AS refund_minor, coalesce(sum(r.tax_minor), 0)::bigint AS tax_minor, \
    coalesce(sum(r.service_charge_minor), 0)::bigint AS service_charge_minor";

/// The rows and totals of one grouping.
pub async fn sales_report(tx: &ScopedTx, range: &ReportRange, group: ReportGroup) -> Result<SalesReport> {
    let rows = sales_rows(tx, range, group).await?;
    let totals = sales_totals(tx, range).await?;
    Ok(SalesReport { outlet_id: range.outlet_id, from: range.from, to: range.to, group_by: group, rows, totals })
}

/// The sales of the whole range.
pub async fn sales_totals(tx: &ScopedTx, range: &ReportRange) -> Result<SalesTotals> {
    let (filter, values) = filter(range, "local_hour");
    let sql = format!("SELECT ''::text AS key, NULL::text AS label, {SALES_SUMS} FROM sales_rollup r WHERE {filter}");
    let row = tx.query_one::<Summed>(&sql, values).await?.map(Summed::into_row);
    Ok(row.map(totals_of).unwrap_or_default())
}

fn totals_of(row: SalesRow) -> SalesTotals {
    let sold = row.gross_minor - row.discount_minor;
    SalesTotals {
        orders: row.orders,
        gross_minor: row.gross_minor,
        discount_minor: row.discount_minor,
        refund_minor: row.refund_minor,
        net_minor: row.net_minor,
        tax_minor: row.tax_minor,
        service_charge_minor: row.service_charge_minor,
        average_order_minor: if row.orders > 0 { sold.div_euclid(row.orders) } else { 0 },
    }
}

/// The rows of one grouping: days and hours in order (every one, with
/// zeros), items and modifiers best first, the rest by key.
pub async fn sales_rows(tx: &ScopedTx, range: &ReportRange, group: ReportGroup) -> Result<Vec<SalesRow>> {
    let sql = match group {
        ReportGroup::Day => sales_sql(range, "to_char(r.local_hour, 'YYYY-MM-DD')", "NULL::text"),
        ReportGroup::Hour => sales_sql(range, "to_char(r.local_hour, 'HH24')", "NULL::text"),
        ReportGroup::Channel => sales_sql(range, "r.channel", "NULL::text"),
        ReportGroup::Outlet => sales_sql(
            range,
            "r.outlet_id::text",
            "(SELECT o.name FROM outlets o WHERE o.tenant_id = r.tenant_id AND o.id = r.outlet_id)",
        ),
        ReportGroup::Item => items_sql(range, "item"),
        ReportGroup::Modifier => items_sql(range, "modifier"),
        ReportGroup::PaymentMethod => payments_sql(range),
    };
    let date_column = match group {
        ReportGroup::Item | ReportGroup::Modifier | ReportGroup::PaymentMethod => "local_date",
        _ => "local_hour",
    };
    let (_, values) = filter(range, date_column);
    let rows: Vec<SalesRow> = tx.query_all::<Summed>(&sql, values).await?.into_iter().map(Summed::into_row).collect();
    Ok(match group {
        ReportGroup::Day => fill(rows, range.dates().map(|d| d.format("%Y-%m-%d").to_string())),
        ReportGroup::Hour => fill(rows, (0..24).map(|h| format!("{h:02}"))),
        _ => rows,
    })
}

/// Every key in `keys`, in that order, with zeros where nothing was sold.
fn fill(rows: Vec<SalesRow>, keys: impl Iterator<Item = String>) -> Vec<SalesRow> {
    let mut by_key: std::collections::HashMap<String, SalesRow> =
        rows.into_iter().map(|r| (r.key.clone(), r)).collect();
    keys.map(|key| by_key.remove(&key).unwrap_or_else(|| empty_row(key))).collect()
}

fn empty_row(key: String) -> SalesRow {
    SalesRow {
        key,
        label: None,
        orders: 0,
        qty: None,
        gross_minor: 0,
        discount_minor: 0,
        refund_minor: 0,
        net_minor: 0,
        tax_minor: 0,
        service_charge_minor: 0,
    }
}

fn sales_sql(range: &ReportRange, key: &str, label: &str) -> String {
    let (filter, _) = filter(range, "local_hour");
    format!(
        "SELECT {key} AS key, {label} AS label, {SALES_SUMS} FROM sales_rollup r WHERE {filter} \
          GROUP BY r.tenant_id, {key}{extra} HAVING sum(r.orders) <> 0 OR sum(r.gross_minor) <> 0 \
              OR sum(r.refund_minor) <> 0 ORDER BY 1",
        extra = if label.starts_with("NULL") { "" } else { ", r.outlet_id" },
    )
}

fn items_sql(range: &ReportRange, kind: &str) -> String {
    let (filter, _) = filter(range, "local_date");
    format!(
        "SELECT r.ref_id::text AS key, (array_agg(r.name ORDER BY r.local_date DESC, r.id DESC))[1] AS label, \
                sum(r.orders)::bigint AS orders, sum(r.qty)::bigint AS qty, sum(r.gross_minor)::bigint AS gross_minor, \
                sum(r.discount_minor)::bigint AS discount_minor, 0::bigint AS refund_minor, 0::bigint AS tax_minor, \
                0::bigint AS service_charge_minor \
           FROM item_rollup r WHERE {filter} AND r.kind = '{kind}' \
          GROUP BY r.ref_id HAVING sum(r.orders) <> 0 OR sum(r.qty) <> 0 OR sum(r.gross_minor) <> 0 \
          ORDER BY gross_minor DESC, qty DESC, label, key"
    )
}

fn payments_sql(range: &ReportRange) -> String {
    let (filter, _) = filter(range, "local_date");
    format!(
        "SELECT r.method AS key, NULL::text AS label, sum(r.payments)::bigint AS orders, NULL::bigint AS qty, \
                sum(r.amount_minor)::bigint AS gross_minor, 0::bigint AS discount_minor, \
                sum(r.refund_minor)::bigint AS refund_minor, 0::bigint AS tax_minor, 0::bigint AS service_charge_minor \
           FROM payment_rollup r WHERE {filter} \
          GROUP BY r.method HAVING sum(r.payments) <> 0 OR sum(r.amount_minor) <> 0 OR sum(r.refund_minor) <> 0 \
          ORDER BY 1"
    )
}

/// The range (and outlet) as a condition on `r.<column>`, with its values:
/// `$1` the first local instant (or date), `$2` the first after, `$3` the outlet.
pub(super) fn filter(range: &ReportRange, column: &str) -> (String, Vec<Value>) {
    let mut values: Vec<Value> = if column == "local_date" {
        vec![range.from.into(), range.to.into()]
    } else {
        vec![range.start().into(), range.end().into()]
    };
    let dates = if column == "local_date" {
        format!("r.{column} >= $1 AND r.{column} <= $2")
    } else {
        format!("r.{column} >= $1 AND r.{column} < $2")
    };
    match range.outlet_id {
        Some(outlet) => {
            values.push(outlet.into());
            (format!("r.outlet_id = $3 AND {dates}"), values)
        }
        // Naming the outlets lets each use its index (tenant, outlet, time).
        None => (format!("r.outlet_id IN (SELECT o.id FROM outlets o) AND {dates}"), values),
    }
}
