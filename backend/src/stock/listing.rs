//! `GET /outlets/{id}/stock-movements`: the outlet's ledger, newest first,
//! filtered by ingredient, kind and time, a page at a time. Like every list
//! of the API, pages follow the ids (UUIDv7: the order movements were
//! written in) and the cursor is the last id of a page.

use pos_wire::{Page, PageQuery, StockLedgerEntry, StockMovement, StockMovementKind, StockMovementQuery, StockUnit};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{live_outlet, may_read, movements::MovementRow};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
    tenancy::paging::PageRequest,
};

#[derive(Debug, FromQueryResult)]
struct EntryRow {
    #[sea_orm(nested)]
    movement: MovementRow,
    ingredient_name: String,
    unit: String,
    user_name: Option<String>,
    device_name: Option<String>,
    other_outlet_id: Option<Uuid>,
    other_outlet_name: Option<String>,
    order_number: Option<String>,
}

impl TryFrom<EntryRow> for StockLedgerEntry {
    type Error = Error;

    fn try_from(r: EntryRow) -> Result<StockLedgerEntry> {
        Ok(StockLedgerEntry {
            movement: StockMovement::try_from(r.movement)?,
            unit: StockUnit::try_from(r.unit.as_str()).map_err(anyhow::Error::from)?,
            ingredient_name: r.ingredient_name,
            user_name: r.user_name,
            device_name: r.device_name,
            other_outlet_id: r.other_outlet_id,
            other_outlet_name: r.other_outlet_name,
            order_number: r.order_number,
        })
    }
}

/// `$1` outlet, `$2` ingredient, `$3` kind, `$4` from, `$5` to, `$6` the
/// cursor's id, `$7` rows to fetch.
const LIST: &str = "\
    SELECT m.id, m.client_movement_id, m.outlet_id, m.ingredient_id, m.kind, m.qty, m.on_hand_after, m.counted, \
           m.unit_cost_minor, m.order_id, m.transfer_id, m.user_id, m.note, m.created_at, m.payload_hash, \
           i.name AS ingredient_name, i.unit, u.name AS user_name, d.name AS device_name, \
           CASE WHEN m.kind = 'transfer_out' THEN t.to_outlet_id ELSE t.from_outlet_id END AS other_outlet_id, \
           o.name AS other_outlet_name, ord.number AS order_number \
      FROM stock_movements m \
      JOIN ingredients i ON i.tenant_id = m.tenant_id AND i.id = m.ingredient_id \
      LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id \
      LEFT JOIN devices d ON d.tenant_id = m.tenant_id AND d.id = m.device_id \
      LEFT JOIN stock_transfers t ON t.tenant_id = m.tenant_id AND t.id = m.transfer_id \
      LEFT JOIN outlets o ON o.tenant_id = m.tenant_id \
                         AND o.id = CASE WHEN m.kind = 'transfer_out' THEN t.to_outlet_id ELSE t.from_outlet_id END \
      LEFT JOIN orders ord ON ord.tenant_id = m.tenant_id AND ord.id = m.order_id \
     WHERE m.outlet_id = $1 \
       AND ($2::uuid IS NULL OR m.ingredient_id = $2) \
       AND ($3::text IS NULL OR m.kind = $3) \
       AND ($4::timestamptz IS NULL OR m.created_at >= $4) \
       AND ($5::timestamptz IS NULL OR m.created_at < $5) \
       AND ($6::uuid IS NULL OR m.id < $6) \
     ORDER BY m.id DESC \
     LIMIT $7";

/// The outlet's movements, newest first. Any staff of the outlet (not devices).
pub async fn list_movements(
    tx: &ScopedTx,
    actor: &Actor,
    outlet_id: Uuid,
    q: &StockMovementQuery,
) -> Result<Page<StockLedgerEntry>> {
    may_read(actor)?;
    live_outlet(tx, outlet_id).await?;
    let page = PageRequest::parse(&PageQuery { limit: q.limit, cursor: q.cursor.clone() })?;
    let kind = q
        .kind
        .as_deref()
        .filter(|k| !k.is_empty())
        .map(|k| StockMovementKind::try_from(k).map_err(|_| Error::field("kind", Code::StockMovementKindInvalid)))
        .transpose()?;
    let rows: Vec<EntryRow> = tx
        .query_all(
            LIST,
            [
                outlet_id.into(),
                q.ingredient_id.into(),
                kind.map(|k| k.as_str().to_string()).into(),
                q.from.into(),
                q.to.into(),
                page.after.into(),
                page.fetch().into(),
            ],
        )
        .await?;
    let entries = rows.into_iter().map(StockLedgerEntry::try_from).collect::<Result<Vec<_>>>()?;
    Ok(page.page(entries, |e| e.movement.id))
}

/// The listing over HTTP (kept beside its query, apart from `stock::http`).
pub mod http {
    use actix_web::web;
    use pos_wire::{Page, StockLedgerEntry, StockMovementQuery};
    use uuid::Uuid;

    use crate::{auth::principal::Scoped, error::Result};

    /// The outlet's stock ledger, newest first (staff of the outlet).
    #[utoipa::path(get, path = "/api/v1/outlets/{id}/stock-movements", tag = "stock",
        params(("id" = Uuid, Path, description = "The outlet"), StockMovementQuery),
        responses((status = 200, body = Page<StockLedgerEntry>), (status = 422, body = pos_wire::Problem)),
        security(("bearer" = [])))]
    pub async fn list_movements(
        s: Scoped,
        id: web::Path<Uuid>,
        q: web::Query<StockMovementQuery>,
    ) -> Result<web::Json<Page<StockLedgerEntry>>> {
        let page = super::list_movements(&s.tx, &s.actor, *id, &q).await?;
        s.tx.commit().await?;
        Ok(web::Json(page))
    }
}
