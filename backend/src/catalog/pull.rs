//! `GET /sync/pull`: everything a device caches for its outlet (categories,
//! items, the outlet's overrides, the outlet's settings), changed after a
//! cursor, in version (= commit) order, paged. Without a cursor it is a full
//! snapshot of live rows; with one it also carries tombstones.

use pos_wire::{Change, ChangeOp, PullResponse};
use sea_orm::{DbErr, FromQueryResult, QueryResult};
use uuid::Uuid;

use super::{categories, items, overrides};
use crate::{
    db::{Db, ScopedTx, replica::read_routed},
    error::{Code, CodedError, Error, Result as AppResult},
};

pub const DEFAULT_LIMIT: u32 = 500;
pub const MAX_LIMIT: u32 = 2000;

/// A cursor as handed out: `v<version>`.
pub fn parse_cursor(raw: Option<&str>) -> AppResult<Option<i64>> {
    match raw.filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => c
            .strip_prefix('v')
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|v| *v >= 0)
            .map(Some)
            .ok_or_else(|| Error::field("since", Code::PullCursorInvalid)),
    }
}

/// A row with its catalogue version and whether it is a tombstone.
struct Versioned<T> {
    row: T,
    version: i64,
    deleted: bool,
}

impl<T: FromQueryResult> FromQueryResult for Versioned<T> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Versioned {
            row: T::from_query_result(res, pre)?,
            version: res.try_get(pre, "version")?,
            deleted: res.try_get(pre, "deleted")?,
        })
    }
}

struct Pending {
    version: i64,
    change: Change,
}

fn change<T: serde::Serialize>(entity: &str, id: Uuid, deleted: bool, data: T) -> AppResult<Change> {
    Ok(Change {
        entity: entity.into(),
        id,
        op: if deleted { ChangeOp::Delete } else { ChangeOp::Upsert },
        data: if deleted { None } else { Some(serde_json::to_value(data).map_err(anyhow::Error::from)?) },
    })
}

/// Which rows a page reads: versions after `after`, at most `n`, only live
/// rows for a snapshot (`live`), overrides of `outlet_id` only.
struct Window<'a> {
    after: i64,
    n: i64,
    live: &'a str,
    outlet_id: Uuid,
}

impl Window<'_> {
    /// Reads one table's rows in the window as changes of `entity`.
    #[allow(clippy::too_many_arguments)]
    async fn collect<R, W>(
        &self,
        tx: &ScopedTx,
        entity: &str,
        table: &str,
        columns: &str,
        filter: &str,
        id_of: impl Fn(&R) -> Uuid,
        out: &mut Vec<Pending>,
    ) -> AppResult<()>
    where
        R: FromQueryResult,
        W: From<R> + serde::Serialize,
    {
        let rows: Vec<Versioned<R>> = tx
            .query_all(
                &format!(
                    "SELECT {columns}, version, deleted_at IS NOT NULL AS deleted FROM {table} \
                      WHERE version > $1 {} {filter} ORDER BY version LIMIT $2",
                    self.live
                ),
                [self.after.into(), self.n.into(), self.outlet_id.into()],
            )
            .await?;
        for r in rows {
            let id = id_of(&r.row);
            out.push(Pending { version: r.version, change: change(entity, id, r.deleted, W::from(r.row))? });
        }
        Ok(())
    }
}

/// The brand's catalogue version: every row a pull returns carries one at
/// most this, and a change committed later gets a higher one.
pub async fn catalog_version(tx: &ScopedTx) -> AppResult<i64> {
    let rows = tx.query_raw("SELECT coalesce((SELECT version FROM catalog_versions), 0) AS v", []).await?;
    Ok(crate::db::opt_row::<i64>(&rows, "v")?.unwrap_or(0))
}

/// [`pull_changes`], on the read replica when it has replayed every
/// catalogue change the primary has (see `db::replica`), else in `tx`.
pub async fn pull_routed(
    db: &Db,
    tx: ScopedTx,
    outlet_id: Uuid,
    since: Option<i64>,
    limit: u32,
) -> AppResult<PullResponse> {
    let current = catalog_version(&tx).await?;
    read_routed(
        db,
        tx,
        "sync_pull",
        catalog_version,
        |replayed: &i64| *replayed >= current,
        async |tx: &ScopedTx| pull_changes(tx, outlet_id, since, limit).await,
    )
    .await
}

/// One page of changes for `outlet_id` after `since` (None: snapshot).
pub async fn pull_changes(tx: &ScopedTx, outlet_id: Uuid, since: Option<i64>, limit: u32) -> AppResult<PullResponse> {
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::field("limit", CodedError::out_of_range(1, MAX_LIMIT as i64)));
    }
    // The outlet must be visible (a device sees only its own).
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let after = since.unwrap_or(0);
    let snapshot = since.is_none();
    let n = i64::from(limit) + 1;
    let live = if snapshot { "AND deleted_at IS NULL" } else { "" };
    let mut pending: Vec<Pending> = Vec::new();

    let page = Window { after, n, live, outlet_id };
    page.collect::<categories::CategoryRow, pos_wire::Category>(
        tx,
        "category",
        "categories",
        categories::COLUMNS,
        "",
        |r| r.id,
        &mut pending,
    )
    .await?;
    page.collect::<items::ItemRow, pos_wire::MenuItem>(
        tx,
        "menu_item",
        "menu_items",
        items::COLUMNS,
        "",
        |r| r.id,
        &mut pending,
    )
    .await?;
    page.collect::<overrides::OverrideRow, pos_wire::ItemOverride>(
        tx,
        "item_override",
        "outlet_item_overrides",
        overrides::COLUMNS,
        "AND outlet_id = $3",
        |r| r.item_id,
        &mut pending,
    )
    .await?;
    if let Some((outlet, version, archived)) = crate::tenancy::outlets::versioned(tx, outlet_id).await?
        && version > after
    {
        pending.push(Pending { version, change: change("outlet", outlet_id, archived, outlet)? });
    }

    pending.sort_by_key(|p| p.version);
    let has_more = pending.len() > limit as usize;
    pending.truncate(limit as usize);
    let cursor = pending.last().map(|p| p.version).unwrap_or(after);
    let total = if snapshot { Some(snapshot_size(tx, outlet_id).await?) } else { None };
    Ok(PullResponse {
        changes: pending.into_iter().map(|p| p.change).collect(),
        cursor: format!("v{cursor}"),
        has_more,
        total,
    })
}

async fn snapshot_size(tx: &ScopedTx, outlet_id: Uuid) -> AppResult<i64> {
    let rows = tx
        .query_raw(
            "SELECT (SELECT count(*) FROM categories WHERE deleted_at IS NULL) \
                  + (SELECT count(*) FROM menu_items WHERE deleted_at IS NULL) \
                  + (SELECT count(*) FROM outlet_item_overrides WHERE outlet_id = $1 AND deleted_at IS NULL) + 1 AS n",
            [outlet_id.into()],
        )
        .await?;
    Ok(crate::db::opt_row::<i64>(&rows, "n")?.unwrap_or(0))
}
