use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pos_wire::{
    CreateMenuItem, LiveEvent, MenuItem, MenuItemChanged, ModifierGroup, Page, PageQuery, Role, UpdateMenuItem,
};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{modifiers::parse_groups, next_version};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::{
        audit::{self, snapshot},
        names::Name,
        paging::PageRequest,
    },
};

pub const MAX_PRICE_MINOR: i64 = 10_000_000_000;

#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct ItemRow {
    pub id: Uuid,
    pub category_id: Uuid,
    pub name: String,
    pub code: Option<String>,
    pub description: String,
    pub price_minor: i64,
    pub image_url: Option<String>,
    pub position: i32,
    pub modifier_groups: serde_json::Value,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn groups_of(value: serde_json::Value) -> Vec<ModifierGroup> {
    serde_json::from_value(value).unwrap_or_default()
}

impl From<ItemRow> for MenuItem {
    fn from(r: ItemRow) -> MenuItem {
        MenuItem {
            id: r.id,
            category_id: r.category_id,
            name: r.name,
            code: r.code,
            description: r.description,
            price_minor: r.price_minor,
            image_url: r.image_url,
            position: r.position,
            modifier_groups: groups_of(r.modifier_groups),
            updated_at: r.updated_at,
        }
    }
}

pub(crate) const COLUMNS: &str =
    "id, category_id, name, code, description, price_minor, image_url, position, modifier_groups, updated_at";

/// Longest item code.
const MAX_CODE_LEN: usize = 32;

/// An item's code (SKU/PLU) as typed: trimmed; empty means none.
pub fn item_code(code: &str) -> Result<Option<String>, CodedError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if code.len() <= MAX_CODE_LEN && code.chars().all(allowed) {
        Ok(Some(code.to_owned()))
    } else {
        Err(Code::ItemCodeInvalid.into())
    }
}

/// Refuses `code` when another live item of the brand (not `except`) has it, whatever its case.
async fn check_code_free(tx: &ScopedTx, code: &str, except: Option<Uuid>, errors: &mut FieldErrors) -> Result<()> {
    let found = tx
        .query_raw(
            "SELECT 1 AS one FROM menu_items WHERE lower(code) = lower($1) AND deleted_at IS NULL \
                AND ($2::uuid IS NULL OR id <> $2)",
            [code.into(), except.into()],
        )
        .await?;
    if !found.is_empty() {
        errors.add("code", Code::CodeTaken);
    }
    Ok(())
}

/// Two owners saving the same code at once: the unique index decides, with the same field error.
fn code_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("code", Code::CodeTaken) } else { e }
}

pub fn price(p: i64) -> Result<i64, CodedError> {
    if (0..=MAX_PRICE_MINOR).contains(&p) { Ok(p) } else { Err(CodedError::out_of_range(0, MAX_PRICE_MINOR)) }
}

fn description(d: &str) -> Result<String, CodedError> {
    let d = d.trim();
    if d.chars().count() > 500 { Err(CodedError::too_long(500)) } else { Ok(d.to_string()) }
}

/// Uploaded images (`/media/...`) or an https URL.
fn image_url(u: &str) -> Result<String, CodedError> {
    let u = u.trim();
    let ok = (u.starts_with("/media/") && !u.contains("..")) || u.starts_with("https://");
    if ok && u.len() <= 500 && !u.chars().any(|c| c.is_whitespace() || c == '"' || c == '<') {
        Ok(u.to_string())
    } else {
        Err(Code::ImageUrl.into())
    }
}

async fn check_category(tx: &ScopedTx, id: Uuid, errors: &mut FieldErrors) -> Result<()> {
    let found =
        tx.query_raw("SELECT 1 AS one FROM categories WHERE id = $1 AND deleted_at IS NULL", [id.into()]).await?;
    if found.is_empty() {
        errors.add("category_id", Code::CategoryNotFound);
    }
    Ok(())
}

/// Live items, in id order, optionally of one category.
pub async fn list(tx: &ScopedTx, category: Option<Uuid>, q: &PageQuery) -> Result<Page<MenuItem>> {
    let page = PageRequest::parse(q)?;
    let rows: Vec<ItemRow> = tx
        .query_all(
            &format!(
                "SELECT {COLUMNS} FROM menu_items WHERE deleted_at IS NULL AND ($1::uuid IS NULL OR category_id = $1) \
                    AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3"
            ),
            [category.into(), page.after.into(), page.fetch().into()],
        )
        .await?;
    Ok(page.page(rows.into_iter().map(MenuItem::from).collect(), |i| i.id))
}

/// How many live items each category holds; a category without any is absent.
pub async fn count_by_category(tx: &ScopedTx) -> Result<HashMap<Uuid, i64>> {
    #[derive(FromQueryResult)]
    struct Count {
        category_id: Uuid,
        n: i64,
    }
    let rows: Vec<Count> = tx
        .query_all(
            "SELECT category_id, count(*) AS n FROM menu_items WHERE deleted_at IS NULL GROUP BY category_id",
            [],
        )
        .await?;
    Ok(rows.into_iter().map(|r| (r.category_id, r.n)).collect())
}

/// Live items whose name or code contains `text` (any case), in menu order,
/// at most `limit` of them.
pub async fn search(tx: &ScopedTx, text: &str, limit: u32) -> Result<Vec<MenuItem>> {
    let rows: Vec<ItemRow> = tx
        .query_all(
            &format!(
                "SELECT {COLUMNS} FROM menu_items WHERE deleted_at IS NULL \
                    AND (strpos(lower(name), lower($1)) > 0 OR strpos(lower(coalesce(code, '')), lower($1)) > 0) \
                  ORDER BY position, name, id LIMIT $2"
            ),
            [text.into(), i64::from(limit).into()],
        )
        .await?;
    Ok(rows.into_iter().map(MenuItem::from).collect())
}

pub async fn get(tx: &ScopedTx, id: Uuid) -> Result<MenuItem> {
    tx.query_one::<ItemRow>(
        &format!("SELECT {COLUMNS} FROM menu_items WHERE id = $1 AND deleted_at IS NULL"),
        [id.into()],
    )
    .await?
    .map(MenuItem::from)
    .ok_or(Error::NotFound)
}

pub async fn create(tx: &ScopedTx, actor: &Actor, req: CreateMenuItem) -> Result<MenuItem> {
    actor.require_role(&[Role::Owner])?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", Name::parse(&req.name, 120));
    let code = req.code.as_deref().and_then(|c| errors.take("code", item_code(c))).flatten();
    if let Some(code) = &code {
        check_code_free(tx, code, None, &mut errors).await?;
    }
    let desc = errors.take("description", description(&req.description));
    let price = errors.take("price_minor", price(req.price_minor));
    let image =
        req.image_url.as_deref().filter(|u| !u.trim().is_empty()).map(|u| errors.take("image_url", image_url(u)));
    let position = req.position.unwrap_or(0);
    if !(0..=100_000).contains(&position) {
        errors.add("position", CodedError::out_of_range(0, 100_000));
    }
    let groups = parse_groups(req.modifier_groups, &mut errors);
    check_category(tx, req.category_id, &mut errors).await?;
    errors.finish()?;

    let version = next_version(tx).await?;
    let id = Uuid::now_v7();
    let row: ItemRow = tx
        .query_one(
            &format!(
                "INSERT INTO menu_items (tenant_id, id, category_id, name, description, price_minor, image_url, position, modifier_groups, version, code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                req.category_id.into(),
                name.unwrap().as_str().into(),
                desc.unwrap().into(),
                price.unwrap().into(),
                image.flatten().into(),
                position.into(),
                serde_json::to_value(&groups).map_err(anyhow::Error::from)?.into(),
                version.into(),
                code.into(),
            ],
        )
        .await
        .map_err(code_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let item = MenuItem::from(row);
    super::announce_everywhere(tx, LiveEvent::MenuItemUpdated(MenuItemChanged::upserted(item.clone()))).await?;
    audit::record(tx, actor, "menu_item.create", "menu_item", Some(id), None, None, snapshot(&item)).await?;
    Ok(item)
}

pub async fn update(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateMenuItem) -> Result<MenuItem> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx, id).await?;
    let mut errors = FieldErrors::new();
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 120)));
    let code = match &req.code {
        None => before.code.clone(),
        Some(None) => None,
        Some(Some(c)) => errors.take("code", item_code(c)).flatten(),
    };
    if let Some(code) = code.as_deref().filter(|c| before.code.as_deref() != Some(*c)) {
        check_code_free(tx, code, Some(id), &mut errors).await?;
    }
    let desc = req.description.as_deref().and_then(|d| errors.take("description", description(d)));
    let price = req.price_minor.and_then(|p| errors.take("price_minor", price(p)));
    let image = match &req.image_url {
        None => before.image_url.clone(),
        Some(None) => None,
        Some(Some(u)) if u.trim().is_empty() => None,
        Some(Some(u)) => errors.take("image_url", image_url(u)),
    };
    if let Some(p) = req.position
        && !(0..=100_000).contains(&p)
    {
        errors.add("position", CodedError::out_of_range(0, 100_000));
    }
    let groups = req.modifier_groups.map(|g| parse_groups(g, &mut errors));
    if let Some(c) = req.category_id {
        check_category(tx, c, &mut errors).await?;
    }
    errors.finish()?;

    let version = next_version(tx).await?;
    let groups_json = match groups {
        Some(g) => Some(serde_json::to_value(&g).map_err(anyhow::Error::from)?),
        None => None,
    };
    let row: ItemRow = tx
        .query_one(
            &format!(
                "UPDATE menu_items SET category_id = coalesce($2, category_id), name = coalesce($3, name), \
                        description = coalesce($4, description), price_minor = coalesce($5, price_minor), \
                        image_url = $6, position = coalesce($7, position), \
                        modifier_groups = coalesce($8, modifier_groups), version = $9, code = $10, updated_at = now() \
                  WHERE id = $1 AND deleted_at IS NULL RETURNING {COLUMNS}"
            ),
            [
                id.into(),
                req.category_id.into(),
                name.map(|n| n.as_str().to_string()).into(),
                desc.into(),
                price.into(),
                image.into(),
                req.position.into(),
                groups_json.into(),
                version.into(),
                code.into(),
            ],
        )
        .await
        .map_err(code_taken)?
        .ok_or(Error::NotFound)?;
    let after = MenuItem::from(row);
    super::announce_everywhere(tx, LiveEvent::MenuItemUpdated(MenuItemChanged::upserted(after.clone()))).await?;
    audit::record(tx, actor, "menu_item.update", "menu_item", Some(id), None, snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

/// Deletes an item: gone from menus, pulled as a tombstone by devices.
pub async fn delete(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require_role(&[Role::Owner])?;
    let before = get(tx, id).await?;
    let version = next_version(tx).await?;
    tx.execute(
        "UPDATE menu_items SET deleted_at = now(), updated_at = now(), version = $2 WHERE id = $1",
        [id.into(), version.into()],
    )
    .await?;
    super::announce_everywhere(tx, LiveEvent::MenuItemUpdated(MenuItemChanged::deleted(id))).await?;
    audit::record(tx, actor, "menu_item.delete", "menu_item", Some(id), None, snapshot(&before), None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_plain_and_optional() {
        assert_eq!(item_code(" KS-01 ").unwrap().as_deref(), Some("KS-01"));
        assert_eq!(item_code("a.b_c-9").unwrap().as_deref(), Some("a.b_c-9"));
        assert_eq!(item_code(&"9".repeat(32)).unwrap().map(|c| c.len()), Some(32));
        assert_eq!(item_code("  ").unwrap(), None);
        for bad in ["KS 01", "kopi/1", "é1", "<b>", &"9".repeat(33)] {
            assert_eq!(item_code(bad), Err(Code::ItemCodeInvalid.into()), "{bad}");
        }
    }
}
