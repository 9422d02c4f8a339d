//! `GET /shifts?outlet_id=&device_id=&status=`: newest first, paginated.

use pos_wire::{Page, PageQuery, Shift, ShiftQuery};
use sea_orm::Value;

use super::{COLUMNS, ShiftRow, from, may_run_shifts};
use crate::{auth::Actor, db::ScopedTx, error::Result, tenancy::paging::PageRequest};

pub async fn list_shifts(tx: &ScopedTx, actor: &Actor, q: &ShiftQuery) -> Result<Page<Shift>> {
    may_run_shifts(actor)?;
    let page = PageRequest::parse(&PageQuery { limit: q.limit, cursor: q.cursor.clone() })?;
    let mut filters = vec!["true".to_string()];
    let mut values: Vec<Value> = Vec::new();
    let mut add = |column: &str, op: &str, value: Value| {
        values.push(value);
        filters.push(format!("{column} {op} ${}", values.len()));
    };
    if let Some(outlet) = q.outlet_id {
        add("s.outlet_id", "=", outlet.into());
    }
    if let Some(device) = q.device_id {
        add("s.device_id", "=", device.into());
    }
    if let Some(status) = q.status {
        add("s.status", "=", status.as_str().into());
    }
    if let Some(after) = page.after {
        add("s.id", "<", after.into());
    }
    values.push(page.fetch().into());
    let sql = format!(
        "SELECT {COLUMNS} FROM {} WHERE {} ORDER BY s.id DESC LIMIT ${}",
        from(),
        filters.join(" AND "),
        values.len()
    );
    let rows: Vec<ShiftRow> = tx.query_all(&sql, values).await?;
    let shifts = rows.iter().map(ShiftRow::to_shift).collect::<Result<Vec<_>>>()?;
    Ok(page.page(shifts, |s| s.id))
}
