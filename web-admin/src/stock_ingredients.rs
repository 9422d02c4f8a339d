//! The brand's ingredients (issue 14): a list with a form to add one, an
//! edit page (name, cost per unit, default alert level; the unit never
//! changes once stock is counted in it) and delete, refused in place while
//! a recipe uses the ingredient. Owners and managers; the domain decides.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{Error, db::ScopedTx, stock::ingredients};
use pos_wire::{CreateIngredient, Ingredient, StockUnit, UpdateIngredient};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{AdminForm, NoFields},
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    money::{amount_input, format_money, parse_money},
    problem_text::refusal_message,
    render::{invalid, render_with_status},
    session::{Admin, Ctx, NoticeQuery},
    stock_forms::{fresh_admin, parse_qty},
};

/// The ingredient form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IngredientForm {
    pub name: String,
    pub unit: String,
    pub cost: String,
    pub threshold: String,
}

impl IngredientForm {
    fn of(i: &Ingredient, currency: &str) -> IngredientForm {
        IngredientForm {
            name: i.name.clone(),
            unit: i.unit.as_str().to_string(),
            cost: amount_input(i.cost_per_unit_minor, currency),
            threshold: i.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
        }
    }

    /// The admin's own checks (amounts, numbers, the unit); the domain checks the rest.
    fn parse(&self, currency: &str, errors: &mut FormErrors) -> (Option<StockUnit>, i64, Option<i64>) {
        let unit = StockUnit::try_from(self.unit.as_str()).ok();
        let cost = match self.cost.trim() {
            "" => 0,
            raw => parse_money(raw, currency, false).unwrap_or_else(|key| {
                errors.add_key("cost_per_unit_minor", key);
                0
            }),
        };
        let threshold = parse_qty(&self.threshold).unwrap_or_else(|key| {
            errors.add_key("low_stock_threshold", key);
            None
        });
        (unit, cost, threshold)
    }
}

/// One ingredient as a row of the list.
pub struct IngredientRow {
    pub id: Uuid,
    pub name: String,
    pub unit: &'static str,
    pub cost: String,
    pub threshold: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/ingredients.html")]
pub(crate) struct IngredientsPage {
    ctx: Ctx,
    rows: Vec<IngredientRow>,
    form: IngredientForm,
    errors: FormErrors,
    /// The ingredient whose deletion was refused, and why.
    refused: Option<(Uuid, String)>,
}

impl IngredientsPage {
    fn refusal_of(&self, id: &Uuid) -> Option<&str> {
        self.refused.as_ref().filter(|(r, _)| r == id).map(|(_, m)| m.as_str())
    }

    fn others(&self) -> Vec<&String> {
        self.errors.others(&["name", "unit", "cost_per_unit_minor", "low_stock_threshold"])
    }
}

pub const UNITS: [&str; 3] = ["g", "ml", "pcs"];

async fn list_page(tx: &ScopedTx, actor: &pos_backend::auth::Actor, ctx: Ctx) -> Result<IngredientsPage, AdminError> {
    let list = ingredients::list(tx, actor).await?;
    let rows = list
        .iter()
        .map(|i| IngredientRow {
            id: i.id,
            name: i.name.clone(),
            unit: i.unit.as_str(),
            cost: format_money(i.cost_per_unit_minor, &ctx.currency, ctx.tr),
            threshold: i
                .low_stock_threshold
                .map(|t| pos_backend::stock::with_unit(t, i.unit.as_str()))
                .unwrap_or_default(),
        })
        .collect();
    let errors = FormErrors::new(ctx.tr);
    let form = IngredientForm { unit: "g".into(), ..IngredientForm::default() };
    Ok(IngredientsPage { ctx: ctx.at("stock"), rows, form, errors, refused: None })
}

/// `GET /admin/stock/ingredients`.
pub async fn list(Admin { tx, actor, ctx }: Admin, q: web::Query<NoticeQuery>) -> Result<IngredientsPage, AdminError> {
    let page = list_page(&tx, &actor, ctx.with_notice(&q)).await?;
    tx.commit().await?;
    Ok(page)
}

/// `POST /admin/stock/ingredients`.
pub async fn create(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<IngredientForm>,
) -> Result<HttpResponse, AdminError> {
    let mut errors = FormErrors::new(ctx.tr);
    let (unit, cost, threshold) = form.parse(&ctx.currency, &mut errors);
    if unit.is_none() {
        errors.add_key("unit", "field.choose_one");
    }
    let outcome = match unit.filter(|_| errors.is_empty()) {
        Some(unit) => {
            let req = CreateIngredient {
                name: form.name.clone(),
                unit,
                cost_per_unit_minor: cost,
                low_stock_threshold: threshold,
            };
            ingredients::create(&tx, &actor, req).await
        }
        None => Err(Error::Validation(pos_backend::error::FieldErrors::new())),
    };
    match outcome {
        Ok(_) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/stock/ingredients?notice=ingredient_created"))
        }
        Err(e) => {
            errors.merge(field_errors(e)?);
            let Admin { tx, .. } = fresh_admin(&req, tx).await?;
            let mut page = list_page(&tx, &actor, ctx).await?;
            tx.commit().await?;
            page.errors = errors;
            page.form = form;
            invalid(&page)
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/ingredient_form.html")]
pub(crate) struct IngredientEditPage {
    ctx: Ctx,
    id: Uuid,
    form: IngredientForm,
    errors: FormErrors,
}

impl IngredientEditPage {
    fn others(&self) -> Vec<&String> {
        self.errors.others(&["name", "cost_per_unit_minor", "low_stock_threshold"])
    }
}

/// `GET /admin/stock/ingredients/{id}`.
pub async fn edit_form(Admin { tx, ctx, .. }: Admin, id: web::Path<String>) -> Result<IngredientEditPage, AdminError> {
    let id = parse_id(&id)?;
    let found = ingredients::get(&tx, id).await?;
    tx.commit().await?;
    let form = IngredientForm::of(&found, &ctx.currency);
    let errors = FormErrors::new(ctx.tr);
    Ok(IngredientEditPage { ctx: ctx.at("stock"), id, form, errors })
}

/// `POST /admin/stock/ingredients/{id}`.
pub async fn update(
    AdminForm { tx, actor, ctx, form }: AdminForm<IngredientForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let before = ingredients::get(&tx, id).await?;
    let mut errors = FormErrors::new(ctx.tr);
    let (_, cost, threshold) = form.parse(&ctx.currency, &mut errors);
    let outcome = if errors.is_empty() {
        let req = UpdateIngredient {
            name: Some(form.name.clone()),
            cost_per_unit_minor: Some(cost),
            low_stock_threshold: Some(threshold),
        };
        ingredients::update(&tx, &actor, id, req).await.map(|_| ())
    } else {
        Err(Error::Validation(pos_backend::error::FieldErrors::new()))
    };
    match outcome {
        Ok(()) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/stock/ingredients?notice=ingredient_saved"))
        }
        Err(e) => {
            errors.merge(field_errors(e)?);
            drop(tx);
            let form = IngredientForm { unit: before.unit.as_str().to_string(), ..form };
            invalid(&IngredientEditPage { ctx: ctx.at("stock"), id, form, errors })
        }
    }
}

/// `POST /admin/stock/ingredients/{id}/delete`: refused in the list while
/// a recipe uses it.
pub async fn delete(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    match ingredients::delete(&tx, &actor, id).await {
        Ok(()) => {
            tx.commit().await?;
            Ok(htmx::see_other("/admin/stock/ingredients?notice=ingredient_deleted"))
        }
        Err(Error::Conflict(detail)) => {
            let Admin { tx, .. } = fresh_admin(&req, tx).await?;
            let mut page = list_page(&tx, &actor, ctx).await?;
            tx.commit().await?;
            page.refused = Some((id, refusal_message(page.ctx.tr, &detail)));
            render_with_status(&page, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}
