//! The dining room of an outlet: areas and their tables, managed by owners
//! and managers, read by the outlet's cashiers and its tills. Both are
//! archived rather than deleted (past checks keep their table). A table
//! holds at most one open check (an order of channel `table` not yet paid,
//! cancelled or void), enforced by a unique partial index and, before it,
//! by the table's row lock.

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{
    Area, Channel, CreateArea, CreateOrder, CreateTable, DeviceKind, DiningTable, Role, UpdateArea, UpdateTable,
};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::{
        audit::{self, snapshot},
        names::Name,
    },
};

/// Staff of the outlet and its tills read the floor; kiosks, kitchen
/// displays and pickup boards do not.
fn may_read(actor: &Actor) -> Result<()> {
    match actor.kind {
        ActorKind::Device { kind: DeviceKind::Till, .. } => Ok(()),
        ActorKind::Device { .. } => Err(Error::Forbidden(Code::RoleNotAllowed)),
        ActorKind::Staff { .. } => actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier]).map(|_| ()),
    }
}

fn may_manage(actor: &Actor) -> Result<()> {
    actor.require_role(&[Role::Owner, Role::Manager]).map(|_| ())
}

#[derive(Debug, Clone, FromQueryResult)]
struct AreaRow {
    id: Uuid,
    outlet_id: Uuid,
    name: String,
    position: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<AreaRow> for Area {
    fn from(r: AreaRow) -> Area {
        Area {
            id: r.id,
            outlet_id: r.outlet_id,
            name: r.name,
            position: r.position,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const AREA_COLUMNS: &str = "id, outlet_id, name, position, created_at, updated_at";

#[derive(Debug, Clone, FromQueryResult)]
struct TableRow {
    id: Uuid,
    outlet_id: Uuid,
    area_id: Uuid,
    label: String,
    seats: i32,
    position: i32,
    open_check_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<TableRow> for DiningTable {
    fn from(r: TableRow) -> DiningTable {
        DiningTable {
            id: r.id,
            outlet_id: r.outlet_id,
            area_id: r.area_id,
            label: r.label,
            seats: r.seats,
            position: r.position,
            open_check_id: r.open_check_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Where an order is open at a table (the unique index's predicate).
pub const OPEN_CHECK: &str = "status <> 'cancelled' AND payment_status IN ('unpaid', 'partially_paid')";

fn table_select() -> String {
    format!(
        "SELECT t.id, t.outlet_id, t.area_id, t.label, t.seats, t.position, \
                (SELECT o.id FROM orders o WHERE o.table_id = t.id AND o.{OPEN_CHECK} LIMIT 1) AS open_check_id, \
                t.created_at, t.updated_at FROM dining_tables t"
    )
}

fn area_name_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("name", Code::AreaNameTaken) } else { e }
}

fn table_label_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("label", Code::TableLabelTaken) } else { e }
}

fn seats(v: i32) -> Result<i32, CodedError> {
    if (1..=99).contains(&v) { Ok(v) } else { Err(CodedError::out_of_range(1, 99)) }
}

pub async fn list_areas(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid) -> Result<Vec<Area>> {
    may_read(actor)?;
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let rows: Vec<AreaRow> = tx
        .query_all(
            &format!(
                "SELECT {AREA_COLUMNS} FROM areas WHERE outlet_id = $1 AND archived_at IS NULL ORDER BY position, name, id"
            ),
            [outlet_id.into()],
        )
        .await?;
    Ok(rows.into_iter().map(Area::from).collect())
}

pub async fn get_area(tx: &ScopedTx, id: Uuid) -> Result<Area> {
    tx.query_one::<AreaRow>(
        &format!("SELECT {AREA_COLUMNS} FROM areas WHERE id = $1 AND archived_at IS NULL"),
        [id.into()],
    )
    .await?
    .map(Area::from)
    .ok_or(Error::NotFound)
}

pub async fn create_area(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid, req: CreateArea) -> Result<Area> {
    may_manage(actor)?;
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let name = Name::parse(&req.name, 60).map_err(|e| Error::field("name", e))?;
    let row: AreaRow = tx
        .query_one(
            &format!(
                "INSERT INTO areas (tenant_id, id, outlet_id, name, position) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING {AREA_COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                Uuid::now_v7().into(),
                outlet_id.into(),
                name.as_str().into(),
                req.position.unwrap_or(0).into(),
            ],
        )
        .await
        .map_err(area_name_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let area = Area::from(row);
    audit::record(tx, actor, "area.create", "area", Some(area.id), Some(outlet_id), None, snapshot(&area)).await?;
    Ok(area)
}

pub async fn update_area(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateArea) -> Result<Area> {
    may_manage(actor)?;
    let before = get_area(tx, id).await?;
    let name = req.name.as_deref().map(|n| Name::parse(n, 60)).transpose().map_err(|e| Error::field("name", e))?;
    let row: AreaRow = tx
        .query_one(
            &format!(
                "UPDATE areas SET name = coalesce($2, name), position = coalesce($3, position), updated_at = now() \
                  WHERE id = $1 AND archived_at IS NULL RETURNING {AREA_COLUMNS}"
            ),
            [id.into(), name.map(|n| n.as_str().to_string()).into(), req.position.into()],
        )
        .await
        .map_err(area_name_taken)?
        .ok_or(Error::NotFound)?;
    let after = Area::from(row);
    audit::record(
        tx,
        actor,
        "area.update",
        "area",
        Some(id),
        Some(after.outlet_id),
        snapshot(&before),
        snapshot(&after),
    )
    .await?;
    Ok(after)
}

/// Archives an empty area (its tables archived or moved first: 409).
pub async fn archive_area(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    may_manage(actor)?;
    let before = get_area(tx, id).await?;
    let tables = tx
        .query_raw("SELECT 1 AS one FROM dining_tables WHERE area_id = $1 AND archived_at IS NULL LIMIT 1", [id.into()])
        .await?;
    if !tables.is_empty() {
        return Err(Error::conflict(Code::AreaHasTables));
    }
    tx.execute("UPDATE areas SET archived_at = now(), updated_at = now() WHERE id = $1", [id.into()]).await?;
    audit::record(tx, actor, "area.archive", "area", Some(id), Some(before.outlet_id), snapshot(&before), None).await?;
    Ok(())
}

pub async fn list_tables(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid) -> Result<Vec<DiningTable>> {
    may_read(actor)?;
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let rows: Vec<TableRow> = tx
        .query_all(
            &format!(
                "{} JOIN areas a ON a.tenant_id = t.tenant_id AND a.id = t.area_id \
                  WHERE t.outlet_id = $1 AND t.archived_at IS NULL ORDER BY a.position, a.name, t.position, t.label, t.id",
                table_select()
            ),
            [outlet_id.into()],
        )
        .await?;
    Ok(rows.into_iter().map(DiningTable::from).collect())
}

/// One table, for those who may read the floor.
pub async fn read_table(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<DiningTable> {
    may_read(actor)?;
    get_table(tx, id).await
}

pub async fn get_table(tx: &ScopedTx, id: Uuid) -> Result<DiningTable> {
    tx.query_one::<TableRow>(&format!("{} WHERE t.id = $1 AND t.archived_at IS NULL", table_select()), [id.into()])
        .await?
        .map(DiningTable::from)
        .ok_or(Error::NotFound)
}

/// The area `area_id` when it is a live area of `outlet_id`.
async fn area_of_outlet(tx: &ScopedTx, outlet_id: Uuid, area_id: Uuid, errors: &mut FieldErrors) -> Result<()> {
    match get_area(tx, area_id).await {
        Ok(area) if area.outlet_id == outlet_id => Ok(()),
        Ok(_) | Err(Error::NotFound) => {
            errors.add("area_id", Code::AreaUnknown);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

pub async fn create_table(tx: &ScopedTx, actor: &Actor, outlet_id: Uuid, req: CreateTable) -> Result<DiningTable> {
    may_manage(actor)?;
    crate::tenancy::outlets::get(tx, outlet_id).await?;
    let mut errors = FieldErrors::new();
    let label = errors.take("label", Name::parse(&req.label, 20));
    let seats = errors.take("seats", seats(req.seats.unwrap_or(4)));
    area_of_outlet(tx, outlet_id, req.area_id, &mut errors).await?;
    errors.finish()?;
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO dining_tables (tenant_id, id, outlet_id, area_id, label, seats, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            tx.tenant_id().into(),
            id.into(),
            outlet_id.into(),
            req.area_id.into(),
            label.map(|l| l.as_str().to_string()).into(),
            seats.into(),
            req.position.unwrap_or(0).into(),
        ],
    )
    .await
    .map_err(table_label_taken)?;
    let table = get_table(tx, id).await?;
    audit::record(tx, actor, "table.create", "table", Some(id), Some(outlet_id), None, snapshot(&table)).await?;
    Ok(table)
}

pub async fn update_table(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateTable) -> Result<DiningTable> {
    may_manage(actor)?;
    let before = get_table(tx, id).await?;
    let mut errors = FieldErrors::new();
    let label = req.label.as_deref().and_then(|l| errors.take("label", Name::parse(l, 20)));
    let seats = req.seats.and_then(|v| errors.take("seats", seats(v)));
    if let Some(area_id) = req.area_id {
        area_of_outlet(tx, before.outlet_id, area_id, &mut errors).await?;
    }
    errors.finish()?;
    tx.execute(
        "UPDATE dining_tables SET area_id = coalesce($2, area_id), label = coalesce($3, label), \
                seats = coalesce($4, seats), position = coalesce($5, position), updated_at = now() \
          WHERE id = $1 AND archived_at IS NULL",
        [
            id.into(),
            req.area_id.into(),
            label.map(|l| l.as_str().to_string()).into(),
            seats.into(),
            req.position.into(),
        ],
    )
    .await
    .map_err(table_label_taken)?;
    let after = get_table(tx, id).await?;
    if after.label != before.label {
        // The open check is printed with the table's name.
        tx.execute(
            &format!("UPDATE orders SET table_label = $2 WHERE table_id = $1 AND {OPEN_CHECK}"),
            [id.into(), after.label.clone().into()],
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        "table.update",
        "table",
        Some(id),
        Some(after.outlet_id),
        snapshot(&before),
        snapshot(&after),
    )
    .await?;
    Ok(after)
}

/// Archives a table without an open check (409 while it has one).
pub async fn archive_table(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    may_manage(actor)?;
    lock_table(tx, id).await?.ok_or(Error::NotFound)?;
    let before = get_table(tx, id).await?;
    if before.open_check_id.is_some() {
        return Err(Error::conflict(Code::TableHasOpenCheck));
    }
    tx.execute("UPDATE dining_tables SET archived_at = now(), updated_at = now() WHERE id = $1", [id.into()]).await?;
    audit::record(tx, actor, "table.archive", "table", Some(id), Some(before.outlet_id), snapshot(&before), None)
        .await?;
    Ok(())
}

/// A table a check is seated at.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct Seat {
    pub table_id: Uuid,
    pub outlet_id: Uuid,
    pub label: String,
}

/// The live table `id`, its row locked (serialising checks seated at it).
async fn lock_table(tx: &ScopedTx, id: Uuid) -> Result<Option<Seat>> {
    tx.query_one(
        "SELECT id AS table_id, outlet_id, label FROM dining_tables WHERE id = $1 AND archived_at IS NULL FOR UPDATE",
        [id.into()],
    )
    .await
}

/// The table `table_id` of `outlet_id`, locked and free of open checks
/// (other than `except`): `Ok(None)` when there is no such table, 409 when
/// it is taken.
pub async fn free_table(tx: &ScopedTx, outlet_id: Uuid, table_id: Uuid, except: Option<Uuid>) -> Result<Option<Seat>> {
    let Some(seat) = lock_table(tx, table_id).await?.filter(|s| s.outlet_id == outlet_id) else { return Ok(None) };
    let taken = tx
        .query_raw(
            &format!(
                "SELECT 1 AS one FROM orders WHERE table_id = $1 AND {OPEN_CHECK} AND ($2::uuid IS NULL OR id <> $2) LIMIT 1"
            ),
            [table_id.into(), except.into()],
        )
        .await?;
    if !taken.is_empty() {
        return Err(Error::conflict(Code::TableHasOpenCheck));
    }
    Ok(Some(seat))
}

/// The table a new order is seated at: required for a `table` order
/// (a check), refused for the others. Field refusals go to `errors`.
pub async fn seat_for(tx: &ScopedTx, req: &CreateOrder, errors: &mut FieldErrors) -> Result<Option<Seat>> {
    match (req.channel, req.guest_count) {
        (Channel::Table, Some(n)) => {
            if let Err(e) = guest_count(n) {
                errors.add("guest_count", e);
            }
        }
        (_, Some(_)) => errors.add("guest_count", Code::GuestCountTablesOnly),
        (_, None) => {}
    }
    match (req.channel, req.table_id) {
        (Channel::Table, None) => errors.add("table_id", Code::TableRequired),
        (Channel::Table, Some(id)) => match free_table(tx, req.outlet_id, id, None).await? {
            Some(seat) => return Ok(Some(seat)),
            None => errors.add("table_id", Code::TableUnknown),
        },
        (_, Some(_)) => errors.add("table_id", Code::TableChecksOnly),
        (_, None) => {}
    }
    Ok(None)
}

/// Guests at one check.
pub const MAX_GUESTS: i32 = 999;

/// A check's number of guests: 1 to [`MAX_GUESTS`].
pub fn guest_count(n: i32) -> std::result::Result<i32, CodedError> {
    if (1..=MAX_GUESTS).contains(&n) { Ok(n) } else { Err(CodedError::out_of_range(1, MAX_GUESTS.into())) }
}

/// A check seated at a table that another check took meanwhile (the
/// unique index caught what the row lock did not): 409.
pub fn seat_taken(e: Error) -> Error {
    match &e {
        Error::Db(db) if matches!(db.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(m)) if m.contains("orders_open_check_per_table")) => {
            Error::conflict(Code::TableHasOpenCheck)
        }
        _ => e,
    }
}
