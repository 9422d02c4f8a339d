//! Outlets: a brand's shops, each with its own tax, service charge and time zone.

pub mod http;

use chrono::{DateTime, Utc};
use pos_wire::{CreateOutlet, KitchenRelease, LiveEvent, Outlet, Page, PageQuery, Role, UpdateOutlet};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{
    audit::{self, snapshot},
    names::Name,
    paging::PageRequest,
};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
};

#[derive(Debug, Clone, FromQueryResult)]
struct OutletRow {
    id: Uuid,
    name: String,
    address: String,
    timezone: String,
    tax_rate_bp: i32,
    service_charge_bp: i32,
    is_open: bool,
    currency: String,
    cash_rounding_step: i32,
    kiosk_kitchen_release: String,
    tax_number: Option<String>,
    discount_limit_bp: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<OutletRow> for Outlet {
    fn from(r: OutletRow) -> Outlet {
        Outlet {
            id: r.id,
            name: r.name,
            address: r.address,
            timezone: r.timezone,
            tax_rate_bp: r.tax_rate_bp,
            service_charge_bp: r.service_charge_bp,
            is_open: r.is_open,
            currency: r.currency,
            cash_rounding_step: r.cash_rounding_step,
            // The column's CHECK admits only the two names.
            kiosk_kitchen_release: KitchenRelease::try_from(r.kiosk_kitchen_release.as_str())
                .unwrap_or(KitchenRelease::OnPlace),
            tax_number: r.tax_number,
            discount_limit_bp: r.discount_limit_bp,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The brand's currency rides along, so a device syncing its outlet knows how to show prices.
const COLUMNS: &str = "id, name, address, timezone, tax_rate_bp, service_charge_bp, is_open, \
                       (SELECT currency::text FROM tenants) AS currency, cash_rounding_step, kiosk_kitchen_release, \
                       tax_number, discount_limit_bp, created_at, updated_at";

/// The restaurant tax (PB1/PBJT) new outlets start with: 10 %.
pub const DEFAULT_TAX_RATE_BP: i32 = 1000;

fn rounding_step(v: i32) -> Result<i32, CodedError> {
    if [0, 100, 500, 1000].contains(&v) { Ok(v) } else { Err(Code::CashRoundingStepInvalid.into()) }
}

/// A tax number as typed: trimmed, at most 40 characters; empty clears it.
fn tax_number(v: &str) -> Result<Option<String>, CodedError> {
    let v = v.trim();
    match v.chars().count() {
        0 => Ok(None),
        n if n > 40 => Err(CodedError::too_long(40)),
        _ if v.chars().any(char::is_control) => Err(Code::ControlCharacters.into()),
        _ => Ok(Some(v.to_string())),
    }
}

/// Basis points between 0 and 10000 (0% to 100%).
fn basis_points(v: i32) -> Result<i32, CodedError> {
    if (0..=10_000).contains(&v) { Ok(v) } else { Err(Code::BasisPointsOutOfRange.into()) }
}

fn address(v: &str) -> Result<String, CodedError> {
    let v = v.trim();
    if v.chars().count() > 300 { Err(CodedError::too_long(300)) } else { Ok(v.to_string()) }
}

async fn check_timezone(tx: &ScopedTx, tz: &str, errors: &mut FieldErrors) -> Result<()> {
    let found = tx.query_raw("SELECT 1 AS one FROM pg_timezone_names WHERE name = $1 LIMIT 1", [tz.into()]).await?;
    if found.is_empty() {
        errors.add("timezone", Code::TimezoneUnknown);
    }
    Ok(())
}

fn name_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("name", Code::OutletNameTaken) } else { e }
}

/// Outlets in the caller's scope (owners: all; others: their memberships).
pub async fn list(tx: &ScopedTx, q: &PageQuery) -> Result<Page<Outlet>> {
    let page = PageRequest::parse(q)?;
    let rows: Vec<OutletRow> = tx
        .query_all(
            &format!(
                "SELECT {COLUMNS} FROM outlets WHERE archived_at IS NULL AND ($1::uuid IS NULL OR id > $1) \
                 ORDER BY id LIMIT $2"
            ),
            [page.after.into(), page.fetch().into()],
        )
        .await?;
    Ok(page.page(rows.into_iter().map(Outlet::from).collect(), |o| o.id))
}

/// One outlet in scope, or 404.
pub async fn get(tx: &ScopedTx, id: Uuid) -> Result<Outlet> {
    tx.query_one::<OutletRow>(
        &format!("SELECT {COLUMNS} FROM outlets WHERE id = $1 AND archived_at IS NULL"),
        [id.into()],
    )
    .await?
    .map(Outlet::from)
    .ok_or(Error::NotFound)
}

pub async fn create(tx: &ScopedTx, actor: &Actor, req: CreateOutlet) -> Result<Outlet> {
    actor.require_role(&[Role::Owner])?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", Name::parse(&req.name, 120));
    let address = errors.take("address", address(req.address.as_deref().unwrap_or("")));
    let tax = errors.take("tax_rate_bp", basis_points(req.tax_rate_bp.unwrap_or(DEFAULT_TAX_RATE_BP)));
    let service = errors.take("service_charge_bp", basis_points(req.service_charge_bp.unwrap_or(0)));
    let step = errors.take("cash_rounding_step", rounding_step(req.cash_rounding_step.unwrap_or(0)));
    let tax_no = errors.take("tax_number", tax_number(req.tax_number.as_deref().unwrap_or("")));
    let limit = errors.take("discount_limit_bp", basis_points(req.discount_limit_bp.unwrap_or(1000)));
    let release = req.kiosk_kitchen_release.unwrap_or(KitchenRelease::OnPlace);
    let timezone = req.timezone.unwrap_or_else(|| "Asia/Jakarta".into());
    check_timezone(tx, &timezone, &mut errors).await?;
    errors.finish()?;

    let id = Uuid::now_v7();
    let row: OutletRow = tx
        .query_one(
            &format!(
                "INSERT INTO outlets (tenant_id, id, name, address, timezone, tax_rate_bp, service_charge_bp, is_open, \
                        cash_rounding_step, kiosk_kitchen_release, tax_number, discount_limit_bp, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, app.next_catalog_version(1)) \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                name.unwrap().as_str().into(),
                address.unwrap().into(),
                timezone.into(),
                tax.unwrap().into(),
                service.unwrap().into(),
                req.is_open.unwrap_or(true).into(),
                step.unwrap().into(),
                release.as_str().into(),
                tax_no.flatten().into(),
                limit.unwrap().into(),
            ],
        )
        .await
        .map_err(name_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let outlet = Outlet::from(row);
    audit::record(tx, actor, "outlet.create", "outlet", Some(id), Some(id), None, snapshot(&outlet)).await?;
    Ok(outlet)
}

/// Owners, and managers for their own outlets.
pub async fn update(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateOutlet) -> Result<Outlet> {
    actor.require_role(&[Role::Owner, Role::Manager])?;
    let before = get(tx, id).await?;
    let mut errors = FieldErrors::new();
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 120)));
    let address = req.address.as_deref().and_then(|a| errors.take("address", address(a)));
    let tax = req.tax_rate_bp.and_then(|v| errors.take("tax_rate_bp", basis_points(v)));
    let service = req.service_charge_bp.and_then(|v| errors.take("service_charge_bp", basis_points(v)));
    let step = req.cash_rounding_step.and_then(|v| errors.take("cash_rounding_step", rounding_step(v)));
    // `Some(None)` clears the tax number.
    let tax_no = req.tax_number.as_deref().and_then(|v| errors.take("tax_number", tax_number(v)));
    let limit = req.discount_limit_bp.and_then(|v| errors.take("discount_limit_bp", basis_points(v)));
    if let Some(tz) = &req.timezone {
        check_timezone(tx, tz, &mut errors).await?;
    }
    errors.finish()?;

    let row: OutletRow = tx
        .query_one(
            &format!(
                "UPDATE outlets SET name = coalesce($2, name), address = coalesce($3, address), \
                        timezone = coalesce($4, timezone), tax_rate_bp = coalesce($5, tax_rate_bp), \
                        service_charge_bp = coalesce($6, service_charge_bp), is_open = coalesce($7, is_open), \
                        cash_rounding_step = coalesce($8, cash_rounding_step), \
                        kiosk_kitchen_release = coalesce($9, kiosk_kitchen_release), \
                        tax_number = CASE WHEN $10 THEN $11 ELSE tax_number END, \
                        discount_limit_bp = coalesce($12, discount_limit_bp), \
                        version = app.next_catalog_version(1), updated_at = now() \
                  WHERE id = $1 AND archived_at IS NULL RETURNING {COLUMNS}"
            ),
            [
                id.into(),
                name.map(|n| n.as_str().to_string()).into(),
                address.into(),
                req.timezone.into(),
                tax.into(),
                service.into(),
                req.is_open.into(),
                step.into(),
                req.kiosk_kitchen_release.map(KitchenRelease::as_str).into(),
                tax_no.is_some().into(),
                tax_no.flatten().into(),
                limit.into(),
            ],
        )
        .await
        .map_err(name_taken)?
        .ok_or(Error::NotFound)?;
    let after = Outlet::from(row);
    tx.append_event(id, LiveEvent::OutletUpdated(after.clone())).await?;
    audit::record(tx, actor, "outlet.update", "outlet", Some(id), Some(id), snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

/// After a brand-wide change outlets carry (the currency): every live
/// outlet gets a new version for devices to pull and an `outlet.updated`.
pub async fn touch_all(tx: &ScopedTx) -> Result<()> {
    let rows: Vec<OutletRow> = tx
        .query_all(
            &format!(
                "UPDATE outlets SET version = app.next_catalog_version(1), updated_at = now() \
                  WHERE archived_at IS NULL RETURNING {COLUMNS}"
            ),
            [],
        )
        .await?;
    for outlet in rows.into_iter().map(Outlet::from) {
        tx.append_event(outlet.id, LiveEvent::OutletUpdated(outlet)).await?;
    }
    Ok(())
}

/// Archives an outlet (its history stays) and revokes its devices. Owners only.
pub async fn archive(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx, id).await?;
    tx.execute(
        "UPDATE outlets SET archived_at = now(), updated_at = now(), version = app.next_catalog_version(1) WHERE id = $1",
        [id.into()],
    )
    .await?;
    tx.execute(
        "UPDATE devices SET revoked_at = now(), pairing_code_hash = NULL WHERE outlet_id = $1 AND revoked_at IS NULL",
        [id.into()],
    )
    .await?;
    // Its devices (tills too) are revoked, and its menu is gone.
    tx.narrows_principals();
    tx.changes_menus();
    audit::record(tx, actor, "outlet.archive", "outlet", Some(id), Some(id), snapshot(&before), None).await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct VersionedOutlet {
    #[sea_orm(nested)]
    outlet: OutletRow,
    version: i64,
    archived: bool,
}

/// The outlet (archived or not) with its catalogue version, for device sync.
pub async fn versioned(tx: &ScopedTx, id: Uuid) -> Result<Option<(Outlet, i64, bool)>> {
    let row: Option<VersionedOutlet> = tx
        .query_one(
            &format!("SELECT {COLUMNS}, version, archived_at IS NOT NULL AS archived FROM outlets WHERE id = $1"),
            [id.into()],
        )
        .await?;
    Ok(row.map(|r| (Outlet::from(r.outlet), r.version, r.archived)))
}
