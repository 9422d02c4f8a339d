//! The brand's ingredients: a name, the unit they are counted in, what a
//! unit costs and a default low-stock level. Deleting one that recipes use
//! is refused; deleted ones stay for the ledger (soft delete).

use chrono::{DateTime, Utc};
use pos_wire::{CreateIngredient, Ingredient, StockUnit, UpdateIngredient};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{MAX_QTY, may_manage, may_read};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::{
        audit::{self, snapshot},
        names::Name,
    },
};

/// The most a unit may cost (a kilogram of saffron per gram still fits).
pub const MAX_UNIT_COST: i64 = 1_000_000_000;

#[derive(Debug, Clone, FromQueryResult)]
struct IngredientRow {
    id: Uuid,
    name: String,
    unit: String,
    cost_per_unit_minor: i64,
    low_stock_threshold: Option<i64>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<IngredientRow> for Ingredient {
    type Error = Error;

    fn try_from(r: IngredientRow) -> Result<Ingredient> {
        Ok(Ingredient {
            id: r.id,
            name: r.name,
            unit: StockUnit::try_from(r.unit.as_str()).map_err(anyhow::Error::from)?,
            cost_per_unit_minor: r.cost_per_unit_minor,
            low_stock_threshold: r.low_stock_threshold,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, name, unit, cost_per_unit_minor, low_stock_threshold, updated_at";

fn cost(c: i64) -> std::result::Result<i64, CodedError> {
    if (0..=MAX_UNIT_COST).contains(&c) { Ok(c) } else { Err(CodedError::out_of_range(0, MAX_UNIT_COST)) }
}

/// A low-stock level: 0 up to [`MAX_QTY`].
pub fn threshold(t: i64) -> std::result::Result<i64, CodedError> {
    if (0..=MAX_QTY).contains(&t) { Ok(t) } else { Err(CodedError::out_of_range(0, MAX_QTY)) }
}

fn name_taken(e: Error) -> Error {
    if e.is_unique_violation() { Error::field("name", Code::IngredientNameTaken) } else { e }
}

/// Live ingredients, by name. Any staff member may read them.
pub async fn list(tx: &ScopedTx, actor: &Actor) -> Result<Vec<Ingredient>> {
    may_read(actor)?;
    let rows: Vec<IngredientRow> = tx
        .query_all(&format!("SELECT {COLUMNS} FROM ingredients WHERE deleted_at IS NULL ORDER BY lower(name), id"), [])
        .await?;
    rows.into_iter().map(Ingredient::try_from).collect()
}

pub async fn get(tx: &ScopedTx, id: Uuid) -> Result<Ingredient> {
    tx.query_one::<IngredientRow>(
        &format!("SELECT {COLUMNS} FROM ingredients WHERE id = $1 AND deleted_at IS NULL"),
        [id.into()],
    )
    .await?
    .ok_or(Error::NotFound)
    .and_then(Ingredient::try_from)
}

pub async fn create(tx: &ScopedTx, actor: &Actor, req: CreateIngredient) -> Result<Ingredient> {
    may_manage(actor)?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", Name::parse(&req.name, 80));
    let unit_cost = errors.take("cost_per_unit_minor", cost(req.cost_per_unit_minor));
    let level = req.low_stock_threshold.and_then(|t| errors.take("low_stock_threshold", threshold(t)));
    errors.finish()?;
    let id = Uuid::now_v7();
    let row: IngredientRow = tx
        .query_one(
            &format!(
                "INSERT INTO ingredients (tenant_id, id, name, unit, cost_per_unit_minor, low_stock_threshold) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                id.into(),
                name.map(|n| n.as_str().to_string()).unwrap_or_default().into(),
                req.unit.as_str().into(),
                unit_cost.unwrap_or_default().into(),
                level.into(),
            ],
        )
        .await
        .map_err(name_taken)?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let ingredient = Ingredient::try_from(row)?;
    audit::record(tx, actor, "ingredient.create", "ingredient", Some(id), None, None, snapshot(&ingredient)).await?;
    Ok(ingredient)
}

pub async fn update(tx: &ScopedTx, actor: &Actor, id: Uuid, req: UpdateIngredient) -> Result<Ingredient> {
    may_manage(actor)?;
    let before = get(tx, id).await?;
    let mut errors = FieldErrors::new();
    let name = req.name.as_deref().and_then(|n| errors.take("name", Name::parse(n, 80)));
    let unit_cost = req.cost_per_unit_minor.and_then(|c| errors.take("cost_per_unit_minor", cost(c)));
    let level = match req.low_stock_threshold {
        None => before.low_stock_threshold,
        Some(None) => None,
        Some(Some(t)) => errors.take("low_stock_threshold", threshold(t)),
    };
    if req.name.is_none() && req.cost_per_unit_minor.is_none() && req.low_stock_threshold.is_none() {
        errors.add("body", Code::NothingToChange);
    }
    errors.finish()?;
    let row: IngredientRow = tx
        .query_one(
            &format!(
                "UPDATE ingredients SET name = coalesce($2, name), cost_per_unit_minor = coalesce($3, cost_per_unit_minor), \
                        low_stock_threshold = $4, updated_at = now() \
                  WHERE id = $1 AND deleted_at IS NULL RETURNING {COLUMNS}"
            ),
            [id.into(), name.map(|n| n.as_str().to_string()).into(), unit_cost.into(), level.into()],
        )
        .await
        .map_err(name_taken)?
        .ok_or(Error::NotFound)?;
    let after = Ingredient::try_from(row)?;
    audit::record(tx, actor, "ingredient.update", "ingredient", Some(id), None, snapshot(&before), snapshot(&after))
        .await?;
    Ok(after)
}

/// Deletes an ingredient no recipe uses (its ledger stays). 409 otherwise.
pub async fn delete(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<()> {
    may_manage(actor)?;
    let before = get(tx, id).await?;
    let used = tx
        .query_raw(
            "SELECT 1 AS one FROM recipe_lines r JOIN menu_items i ON i.tenant_id = r.tenant_id AND i.id = r.menu_item_id \
              WHERE r.ingredient_id = $1 AND i.deleted_at IS NULL LIMIT 1",
            [id.into()],
        )
        .await?;
    if !used.is_empty() {
        return Err(Error::conflict(Code::IngredientInRecipes));
    }
    tx.execute("UPDATE ingredients SET deleted_at = now(), updated_at = now() WHERE id = $1", [id.into()]).await?;
    audit::record(tx, actor, "ingredient.delete", "ingredient", Some(id), None, snapshot(&before), None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_and_levels_are_bounded() {
        assert_eq!(cost(0), Ok(0));
        assert!(cost(-1).is_err());
        assert!(cost(MAX_UNIT_COST + 1).is_err());
        assert_eq!(threshold(500), Ok(500));
        assert!(threshold(-5).is_err());
    }
}
