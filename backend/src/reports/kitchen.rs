//! Kitchen times: from a ticket reaching its station (the order placed, or
//! released to the kitchen once paid) to its bump (ready), per station,
//! median and 90th percentile.

use pos_wire::{KitchenReport, StationTimes};
use sea_orm::{FromQueryResult, Value};

use super::ReportRange;
use crate::{db::ScopedTx, error::Result};

#[derive(FromQueryResult)]
struct Row {
    station: String,
    tickets: i64,
    p50: f64,
    p90: f64,
}

pub async fn kitchen_times(tx: &ScopedTx, range: &ReportRange) -> Result<KitchenReport> {
    let mut values: Vec<Value> = vec![range.start().into(), range.end().into()];
    let outlet = match range.outlet_id {
        Some(outlet) => {
            values.push(outlet.into());
            "AND r.outlet_id = $3"
        }
        None => "",
    };
    // The range is in each outlet's own local time.
    let sql = format!(
        "SELECT r.station, count(*)::bigint AS tickets, \
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.bumped_at - r.created_at))::float8 AS p50, \
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.bumped_at - r.created_at))::float8 AS p90 \
           FROM tickets r JOIN outlets o ON o.tenant_id = r.tenant_id AND o.id = r.outlet_id \
          WHERE r.status = 'bumped' AND r.bumped_at IS NOT NULL {outlet} \
            AND r.created_at >= ($1::timestamp AT TIME ZONE o.timezone) \
            AND r.created_at < ($2::timestamp AT TIME ZONE o.timezone) \
          GROUP BY r.station ORDER BY r.station"
    );
    let rows: Vec<Row> = tx.query_all(&sql, values).await?;
    Ok(KitchenReport {
        from: range.from,
        to: range.to,
        rows: rows
            .into_iter()
            .map(|r| StationTimes {
                station: r.station,
                tickets: r.tickets,
                p50_seconds: r.p50.round() as i64,
                p90_seconds: r.p90.round() as i64,
            })
            .collect(),
    })
}
