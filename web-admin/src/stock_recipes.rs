//! Recipes (issue 14): what one portion of a menu item takes, and what
//! choosing each of its modifier options adds (an extra shot takes more
//! coffee), edited on one page linked from the item and from the stock
//! section. The whole page saves in one transaction: every recipe or none.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    auth::Actor,
    catalog::items,
    db::ScopedTx,
    stock::{ingredients, recipes},
};
use pos_wire::{MenuItem, PutRecipe, Recipe, RecipeLine};
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    paging::every,
    render::invalid,
    session::{Admin, Ctx, NoticeQuery},
    stock_forms::{fresh_admin, parse_qty},
};

/// Blank rows offered under each recipe for new lines.
const BLANK_ROWS: usize = 2;
/// The section of the item's own recipe (options are named by their id).
const ITEM_SECTION: &str = "item";

/// One line of a recipe as the form shows it.
pub struct LineRow {
    pub ingredient_id: String,
    pub qty: String,
    pub errors: Vec<String>,
}

/// The item's own recipe, or one option's.
pub struct Section {
    /// `item` or the option's id: the prefix of its fields.
    pub key: String,
    /// The option's group and name (empty for the item).
    pub title: String,
    pub rows: Vec<LineRow>,
}

pub struct IngredientChoice {
    pub id: String,
    pub label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/recipe.html")]
pub(crate) struct RecipePage {
    ctx: Ctx,
    item_id: Uuid,
    item_name: String,
    ingredients: Vec<IngredientChoice>,
    sections: Vec<Section>,
    errors: FormErrors,
}

/// The sections of `item` with `recipe`'s lines (or the posted rows) and blank rows.
fn sections(item: &MenuItem, mut lines_of: impl FnMut(&str) -> Vec<LineRow>) -> Vec<Section> {
    let mut out = vec![Section { key: ITEM_SECTION.into(), title: String::new(), rows: lines_of(ITEM_SECTION) }];
    for g in &item.modifier_groups {
        for o in &g.options {
            if let Some(id) = o.id {
                let key = id.to_string();
                out.push(Section { title: format!("{} · {}", g.name, o.name), rows: lines_of(&key), key });
            }
        }
    }
    for s in &mut out {
        s.rows.extend((0..BLANK_ROWS).map(|_| LineRow {
            ingredient_id: String::new(),
            qty: String::new(),
            errors: vec![],
        }));
    }
    out
}

fn stored_rows(recipe: &Recipe, key: &str) -> Vec<LineRow> {
    let lines = if key == ITEM_SECTION {
        Some(&recipe.lines)
    } else {
        recipe.options.iter().find(|o| o.option_id.to_string() == key).map(|o| &o.lines)
    };
    lines
        .into_iter()
        .flatten()
        .map(|l| LineRow { ingredient_id: l.ingredient_id.to_string(), qty: l.qty.to_string(), errors: vec![] })
        .collect()
}

async fn page(tx: &ScopedTx, actor: &Actor, ctx: Ctx, item: &MenuItem) -> Result<RecipePage, AdminError> {
    let list = ingredients::list(tx, actor).await?;
    let ingredients = list
        .into_iter()
        .map(|i| IngredientChoice { id: i.id.to_string(), label: format!("{} ({})", i.name, i.unit.as_str()) })
        .collect();
    let errors = FormErrors::new(ctx.tr);
    Ok(RecipePage {
        ctx: ctx.at("stock"),
        item_id: item.id,
        item_name: item.name.clone(),
        ingredients,
        sections: vec![],
        errors,
    })
}

/// `GET /admin/menu/items/{id}/recipe`.
pub async fn edit(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<RecipePage, AdminError> {
    let item = items::get(&tx, parse_id(&id)?).await?;
    let recipe = recipes::get(&tx, &actor, item.id).await?;
    let mut p = page(&tx, &actor, ctx.with_notice(&q), &item).await?;
    tx.commit().await?;
    p.sections = sections(&item, |key| stored_rows(&recipe, key));
    Ok(p)
}

/// The posted rows of one section, in order: `{key}.ingredient_id` and `{key}.qty` pairs.
fn posted_rows(fields: &[(String, String)], key: &str) -> Vec<LineRow> {
    let (ingredient_field, qty_field) = (format!("{key}.ingredient_id"), format!("{key}.qty"));
    let ingredients = fields.iter().filter(|(k, _)| *k == ingredient_field).map(|(_, v)| v.trim().to_string());
    let qtys = fields.iter().filter(|(k, _)| *k == qty_field).map(|(_, v)| v.trim().to_string());
    ingredients
        .zip(qtys)
        .filter(|(i, q)| !(i.is_empty() && q.is_empty()))
        .map(|(ingredient_id, qty)| LineRow { ingredient_id, qty, errors: vec![] })
        .collect()
}

/// The recipe of the rows, with the admin's own errors on the rows.
fn lines_of(ctx: &Ctx, rows: &mut [LineRow]) -> Vec<RecipeLine> {
    let mut lines = Vec::new();
    for row in rows.iter_mut() {
        let ingredient = Uuid::parse_str(&row.ingredient_id).ok();
        if ingredient.is_none() {
            row.errors.push(ctx.t("field.choose_one").to_string());
        }
        let qty = match parse_qty(&row.qty) {
            Ok(Some(q)) => Some(q),
            Ok(None) => {
                row.errors.push(ctx.t("field.required").to_string());
                None
            }
            Err(key) => {
                row.errors.push(ctx.t(key).to_string());
                None
            }
        };
        if let (Some(ingredient_id), Some(qty)) = (ingredient, qty) {
            lines.push(RecipeLine { ingredient_id, qty });
        }
    }
    lines
}

/// `POST /admin/menu/items/{id}/recipe`: every recipe of the page, or none.
pub async fn save(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<Vec<(String, String)>>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let item = items::get(&tx, parse_id(&id)?).await?;
    let mut rows: HashMap<String, Vec<LineRow>> = HashMap::new();
    let mut refused = false;
    let mut keys = vec![ITEM_SECTION.to_string()];
    keys.extend(item.modifier_groups.iter().flat_map(|g| g.options.iter().filter_map(|o| o.id.map(|i| i.to_string()))));
    for key in &keys {
        let mut section = posted_rows(&form, key);
        let lines = lines_of(&ctx, &mut section);
        let ok = section.iter().all(|r| r.errors.is_empty());
        if ok && !refused {
            let option = if key == ITEM_SECTION { None } else { Uuid::parse_str(key).ok() };
            if let Err(e) = recipes::put(&tx, &actor, item.id, option, PutRecipe { lines }).await {
                let errors = FormErrors::from_domain(ctx.tr, field_errors(e)?);
                place_errors(&mut section, &errors);
            }
        }
        refused |= section.iter().any(|r| !r.errors.is_empty());
        rows.insert(key.clone(), section);
    }
    if !refused {
        tx.commit().await?;
        return Ok(htmx::see_other(&format!("/admin/menu/items/{}/recipe?notice=recipe_saved", item.id)));
    }
    let Admin { tx, .. } = fresh_admin(&req, tx).await?;
    let mut p = page(&tx, &actor, ctx, &item).await?;
    tx.commit().await?;
    p.sections = sections(&item, |key| rows.remove(key).unwrap_or_default());
    p.errors.add_key("lines", "form.fix_errors");
    invalid(&p)
}

/// The domain's `lines[i].field` errors on row `i` (rows are the posted,
/// non-blank ones, in order); any other on the first row.
fn place_errors(rows: &mut [LineRow], errors: &FormErrors) {
    for (i, row) in rows.iter_mut().enumerate() {
        for field in ["ingredient_id", "qty"] {
            row.errors.extend(errors.of(&format!("lines[{i}].{field}")).iter().cloned());
        }
    }
    let rest: Vec<String> =
        errors.others(&[]).into_iter().filter(|m| !rows.iter().any(|r| r.errors.contains(m))).cloned().collect();
    if let Some(first) = rows.first_mut() {
        first.errors.extend(rest);
    }
}

/// One menu item in the recipes list.
pub struct ItemRow {
    pub id: Uuid,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/recipes.html")]
pub(crate) struct RecipesPage {
    ctx: Ctx,
    items: Vec<ItemRow>,
}

async fn all_items(tx: &ScopedTx) -> pos_backend::Result<Vec<MenuItem>> {
    every(|q| async move { items::list(tx, None, &q).await }).await
}

/// `GET /admin/stock/recipes`: the menu's items, each linking to its recipe.
pub async fn list(Admin { tx, ctx, .. }: Admin) -> Result<RecipesPage, AdminError> {
    let all = all_items(&tx).await?;
    tx.commit().await?;
    let items = all.into_iter().map(|i| ItemRow { id: i.id, name: i.name }).collect();
    Ok(RecipesPage { ctx: ctx.at("stock"), items })
}
