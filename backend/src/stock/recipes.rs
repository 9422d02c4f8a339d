//! What one portion takes: a recipe per menu item, and per modifier option
//! (an extra shot takes more coffee). A recipe is replaced whole.

use std::collections::{BTreeMap, HashSet};

use pos_wire::{OptionRecipe, PutRecipe, Recipe, RecipeLine};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{ITEM_ITSELF, MAX_QTY, may_manage, may_read};
use crate::{
    auth::Actor,
    catalog::items::groups_of,
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::audit,
};

/// The most lines one recipe may have.
pub const MAX_LINES: usize = 50;

#[derive(Debug, FromQueryResult)]
struct LineRow {
    option_id: Uuid,
    ingredient_id: Uuid,
    qty: i64,
}

/// The live item's modifier option ids; 404 when there is no such item.
async fn option_ids(tx: &ScopedTx, item_id: Uuid) -> Result<HashSet<Uuid>> {
    let rows = tx
        .query_raw("SELECT modifier_groups FROM menu_items WHERE id = $1 AND deleted_at IS NULL", [item_id.into()])
        .await?;
    let groups: serde_json::Value = crate::db::opt_row(&rows, "modifier_groups")?.ok_or(Error::NotFound)?;
    Ok(groups_of(groups).into_iter().flat_map(|g| g.options.into_iter().filter_map(|o| o.id)).collect())
}

/// The item's recipe and its options' recipes.
pub async fn get(tx: &ScopedTx, actor: &Actor, item_id: Uuid) -> Result<Recipe> {
    may_read(actor)?;
    option_ids(tx, item_id).await?;
    let rows: Vec<LineRow> = tx
        .query_all(
            "SELECT option_id, ingredient_id, qty FROM recipe_lines WHERE menu_item_id = $1 \
              ORDER BY option_id, ingredient_id",
            [item_id.into()],
        )
        .await?;
    let mut by_option: BTreeMap<Uuid, Vec<RecipeLine>> = BTreeMap::new();
    for r in rows {
        by_option.entry(r.option_id).or_default().push(RecipeLine { ingredient_id: r.ingredient_id, qty: r.qty });
    }
    let lines = by_option.remove(&ITEM_ITSELF).unwrap_or_default();
    let options = by_option.into_iter().map(|(option_id, lines)| OptionRecipe { option_id, lines }).collect();
    Ok(Recipe { menu_item_id: item_id, lines, options })
}

/// Checks the lines' shape; the ingredients' existence is checked after.
fn check_lines(lines: &[RecipeLine], errors: &mut FieldErrors) {
    if lines.len() > MAX_LINES {
        errors.add("lines", CodedError::too_many(Code::TooManyLines, MAX_LINES));
    }
    let mut seen = HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        if !(1..=MAX_QTY).contains(&l.qty) {
            errors.add(&format!("lines[{i}].qty"), CodedError::out_of_range(1, MAX_QTY));
        }
        if !seen.insert(l.ingredient_id) {
            errors.add(&format!("lines[{i}].ingredient_id"), Code::UsedTwice);
        }
    }
}

/// Replaces the recipe of the item (`option_id` `None`) or of one of its
/// modifier options. Owners and managers.
pub async fn put(
    tx: &ScopedTx,
    actor: &Actor,
    item_id: Uuid,
    option_id: Option<Uuid>,
    req: PutRecipe,
) -> Result<Recipe> {
    may_manage(actor)?;
    let options = option_ids(tx, item_id).await?;
    if option_id.is_some_and(|o| !options.contains(&o)) {
        return Err(Error::NotFound);
    }
    let mut errors = FieldErrors::new();
    check_lines(&req.lines, &mut errors);
    errors.finish()?;
    let ids: Vec<Uuid> = req.lines.iter().map(|l| l.ingredient_id).collect();
    let live = tx
        .query_raw("SELECT id FROM ingredients WHERE id = ANY($1) AND deleted_at IS NULL", [ids.clone().into()])
        .await?;
    let live: HashSet<Uuid> = crate::db::rows::<Uuid>(&live, "id")?.into_iter().collect();
    let mut errors = FieldErrors::new();
    for (i, id) in ids.iter().enumerate() {
        if !live.contains(id) {
            errors.add(&format!("lines[{i}].ingredient_id"), Code::IngredientUnknown);
        }
    }
    errors.finish()?;

    let option = option_id.unwrap_or(ITEM_ITSELF);
    let before = get(tx, actor, item_id).await?;
    tx.execute("DELETE FROM recipe_lines WHERE menu_item_id = $1 AND option_id = $2", [item_id.into(), option.into()])
        .await?;
    let qtys: Vec<i64> = req.lines.iter().map(|l| l.qty).collect();
    tx.execute(
        "INSERT INTO recipe_lines (tenant_id, menu_item_id, option_id, ingredient_id, qty) \
         SELECT $1, $2, $3, l.ingredient_id, l.qty FROM unnest($4::uuid[], $5::int8[]) AS l(ingredient_id, qty)",
        [tx.tenant_id().into(), item_id.into(), option.into(), ids.into(), qtys.into()],
    )
    .await?;
    let after = get(tx, actor, item_id).await?;
    audit::record(
        tx,
        actor,
        "recipe.update",
        "menu_item",
        Some(item_id),
        None,
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_positive_and_name_an_ingredient_once() {
        let a = Uuid::now_v7();
        let mut errors = FieldErrors::new();
        check_lines(&[RecipeLine { ingredient_id: a, qty: 18 }], &mut errors);
        assert!(errors.is_empty());
        check_lines(&[RecipeLine { ingredient_id: a, qty: 0 }, RecipeLine { ingredient_id: a, qty: 1 }], &mut errors);
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["lines[0].qty", "lines[1].ingredient_id"]);
    }
}
