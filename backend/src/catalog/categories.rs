use chrono::{DateTime, Utc};
use pos_wire::{Category, CategoryChanged, CreateCategory, LiveEvent, Role, UpdateCategory};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::next_version;
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::{
        audit::{self, snapshot},
        names::Name,
    },
};

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct CategoryRow {
    pub id: Uuid,
    pub name: String,
    pub position: i32,
    pub station: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Category {
        Category { id: r.id, name: r.name, position: r.position, station: r.station, updated_at: r.updated_at }
    }
}

pub(crate) const COLUMNS: &str = "id, name, position, station, updated_at";

fn station(raw: &str) -> Result<Option<String>, CodedError> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > 40 {
        return Err(CodedError::too_long(40));
    }
    Ok(Some(s))
}

fn position(p: i32) -> Result<i32, CodedError> {
    if (0..=100_000).contains(&p) { Ok(p) } else { Err(CodedError::out_of_range(0, 100_000)) }
}

fn name_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("name", Code::CategoryNameTaken) } else { e }
}

/// All live categories, in menu order.
pub async fn list(tx: &ScopedTx) -> Result<Vec<Category>> {
    let rows: Vec<CategoryRow> = tx
        .query_all(&format!("SELECT {COLUMNS} FROM categories WHERE deleted_at IS NULL ORDER BY position, name"), [])
        .await?;
    Ok(rows.into_iter().map(Category::from).collect())
}

pub async fn get(tx: &ScopedTx, id: Uuid) -> Result<Category> {
    tx.query_one::<CategoryRow>(
        &format!("SELECT {COLUMNS} FROM categories WHERE id = $1 AND deleted_at IS NULL"),
        [id.into()],
    )
    .await?
    .map(Category::from)
    .ok_or(Error::NotFound)
}

pub async fn create(tx: &ScopedTx, actor: &Actor, req: CreateCategory) -> Result<Category> {
    actor.require_role(&[Role::Owner])?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", Name::parse(&req.name, 80));
    let station = errors.take("station", station(req.station.as_deref().unwrap_or("")));
    let pos = req.position.map(|p| errors.take("position", position(p)));
    errors.finish()?;
    let version = next_version(tx).await?;
    let id = Uuid::now_v7();
    let row: CategoryRow = tx
        .query_one(
            &format!(
                "INSERT INTO categories (tenant_id, id, name, position, station, version) \
                 VALUES ($1, $2, $3, coalesce($4, (SELECT coalesce(max(position) + 1, 0) FROM categories WHERE deleted_at IS NULL)), $5, $6) \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                name.unwrap().as_str().into(),
                pos.flatten().into(),
                station.flatten().into(),
                version.into(),
            ],
        )
        .await
        .map_err(name_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let category = Category::from(row);
    super::announce_everywhere(tx, LiveEvent::MenuCategoryUpdated(CategoryChanged::upserted(category.clone()))).await?;
    audit::record(tx, actor, "category.create", "category", Some(id), None, None, snapshot(&category)).await?;
    Ok(category)
}

pub async fn update(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateCategory) -> Result<Category> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx, id).await?;
    let mut errors = FieldErrors::new();
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 80)));
    let pos = req.position.and_then(|p| errors.take("position", position(p)));
    let new_station = match &req.station {
        None => before.station.clone(),
        Some(None) => None,
        Some(Some(s)) => errors.take("station", station(s)).flatten(),
    };
    errors.finish()?;
    let version = next_version(tx).await?;
    let row: CategoryRow = tx
        .query_one(
            &format!(
                "UPDATE categories SET name = coalesce($2, name), position = coalesce($3, position), station = $4, \
                        version = $5, updated_at = now() \
                  WHERE id = $1 AND deleted_at IS NULL RETURNING {COLUMNS}"
            ),
            [id.into(), name.map(|n| n.as_str().to_string()).into(), pos.into(), new_station.into(), version.into()],
        )
        .await
        .map_err(name_taken)?
        .ok_or(Error::NotFound)?;
    let after = Category::from(row);
    super::announce_everywhere(tx, LiveEvent::MenuCategoryUpdated(CategoryChanged::upserted(after.clone()))).await?;
    audit::record(tx, actor, "category.update", "category", Some(id), None, snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

/// Deletes an empty category (a tombstone for devices). 409 while it has items.
pub async fn delete(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx, id).await?;
    let items = tx
        .query_raw("SELECT 1 AS one FROM menu_items WHERE category_id = $1 AND deleted_at IS NULL LIMIT 1", [id.into()])
        .await?;
    if !items.is_empty() {
        return Err(Error::conflict(Code::CategoryHasItems));
    }
    let version = next_version(tx).await?;
    tx.execute(
        "UPDATE categories SET deleted_at = now(), updated_at = now(), version = $2 WHERE id = $1",
        [id.into(), version.into()],
    )
    .await?;
    super::announce_everywhere(tx, LiveEvent::MenuCategoryUpdated(CategoryChanged::deleted(id))).await?;
    audit::record(tx, actor, "category.delete", "category", Some(id), None, snapshot(&before), None).await?;
    Ok(())
}
