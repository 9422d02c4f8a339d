//! Voids, refunds and discounts of a range, newest first, with who made each
//! and who approved it.

use pos_wire::{Adjustment, AdjustmentKind, AdjustmentsReport};
use sea_orm::{FromQueryResult, Value};
use uuid::Uuid;

use super::ReportRange;
use crate::{db::ScopedTx, error::Result};

/// At most this many rows (the newest).
pub const LIMIT: i64 = 500;

#[derive(FromQueryResult)]
struct Row {
    kind: String,
    at: chrono::DateTime<chrono::Utc>,
    outlet_id: Uuid,
    order_id: Uuid,
    order_number: String,
    amount_minor: i64,
    reason: String,
    by_name: Option<String>,
    approved_name: Option<String>,
}

pub async fn adjustments(tx: &ScopedTx, range: &ReportRange) -> Result<AdjustmentsReport> {
    let mut values: Vec<Value> = vec![range.start().into(), range.end().into(), LIMIT.into()];
    let outlet = match range.outlet_id {
        Some(outlet) => {
            values.push(outlet.into());
            "AND x.outlet_id = $4"
        }
        None => "",
    };
    // Each kind's rows, then their order, outlet (its time zone) and people.
    // The audit log is tenant-wide: its voids are narrowed to the outlets in scope.
    let sql = format!(
        "WITH x AS ( \
           SELECT 'void' AS kind, a.at, a.outlet_id, a.entity_id AS order_id, NULL::bigint AS amount_minor, \
                  coalesce(a.after->>'reason', '') AS reason, a.actor_id AS by_id, \
                  (a.after->>'approved_by')::uuid AS approved_id \
             FROM audit_log a WHERE a.action = 'order.void' AND a.outlet_id IN (SELECT id FROM outlets) \
           UNION ALL \
           SELECT 'refund', f.created_at, f.outlet_id, f.order_id, f.amount_minor, f.reason, f.user_id, f.approved_by \
             FROM refunds f WHERE f.status = 'succeeded' \
           UNION ALL \
           SELECT 'discount', d.created_at, d.outlet_id, d.order_id, d.amount_minor, d.reason, d.user_id, d.approved_by \
             FROM order_discounts d WHERE d.removed_at IS NULL \
         ) \
         SELECT x.kind, x.at, x.outlet_id, x.order_id, o.number AS order_number, \
                coalesce(x.amount_minor, o.total_minor) AS amount_minor, x.reason, \
                u.name AS by_name, v.name AS approved_name \
           FROM x JOIN orders o ON o.id = x.order_id \
           JOIN outlets t ON t.id = x.outlet_id \
           LEFT JOIN users u ON u.id = x.by_id \
           LEFT JOIN users v ON v.id = x.approved_id \
          WHERE x.at >= ($1::timestamp AT TIME ZONE t.timezone) AND x.at < ($2::timestamp AT TIME ZONE t.timezone) {outlet} \
          ORDER BY x.at DESC, x.order_id LIMIT $3"
    );
    let rows: Vec<Row> = tx.query_all(&sql, values).await?;
    Ok(AdjustmentsReport {
        from: range.from,
        to: range.to,
        rows: rows
            .into_iter()
            .map(|r| Adjustment {
                kind: match r.kind.as_str() {
                    "void" => AdjustmentKind::Void,
                    "refund" => AdjustmentKind::Refund,
                    _ => AdjustmentKind::Discount,
                },
                at: r.at,
                outlet_id: r.outlet_id,
                order_id: r.order_id,
                order_number: r.order_number,
                amount_minor: r.amount_minor,
                reason: r.reason,
                by: r.by_name,
                approved_by: r.approved_name,
            })
            .collect(),
    })
}
