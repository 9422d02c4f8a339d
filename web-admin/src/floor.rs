//! An outlet's dining room: its areas and their tables, kept by owners and
//! managers (cashiers seat checks at them on the till). Every write goes
//! through the domain (`pos_backend::tables`); a refused one shows the page
//! again with what was typed and why.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{auth::Actor, db::ScopedTx, error::Code, tables};
use pos_wire::{CreateArea, CreateTable, UpdateArea, UpdateTable};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{AdminForm, NoFields},
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    render::invalid,
    session::{Admin, Ctx, NoticeQuery},
};

pub struct TableView {
    pub id: Uuid,
    pub label: String,
    pub seats: i32,
    /// The check open at it.
    pub open_check: Option<Uuid>,
}

pub struct AreaView {
    pub id: Uuid,
    pub name: String,
    pub tables: Vec<TableView>,
}

/// The new-area and rename forms as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AreaForm {
    pub name: String,
}

/// The table forms as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TableForm {
    pub area_id: String,
    pub label: String,
    pub seats: String,
}

impl TableForm {
    /// The admin's own checks (numbers and ids); the domain checks the rest.
    fn parse(&self, errors: &mut FormErrors) -> (Option<Uuid>, Option<i32>) {
        let mut refused = pos_backend::error::FieldErrors::new();
        let area = match self.area_id.trim() {
            "" => None,
            raw => {
                let id = Uuid::parse_str(raw).ok();
                if id.is_none() {
                    refused.add("area_id", Code::ChooseOne);
                }
                id
            }
        };
        let seats = match self.seats.trim() {
            "" => None,
            raw => {
                let n = raw.parse::<i32>().ok();
                if n.is_none() {
                    refused.add("seats", Code::WholeNumber);
                }
                n
            }
        };
        errors.merge(refused);
        (area, seats)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/floor/page.html")]
pub(crate) struct FloorPage {
    ctx: Ctx,
    outlet_id: Uuid,
    outlet_name: String,
    areas: Vec<AreaView>,
    area_form: AreaForm,
    table_form: TableForm,
    errors: FormErrors,
}

impl FloorPage {
    /// Every refusal, for the alert at the top (the page has many small forms).
    fn messages(&self) -> Vec<&String> {
        self.errors.others(&[])
    }
}

async fn page(tx: &ScopedTx, actor: &Actor, ctx: Ctx, outlet_id: Uuid) -> Result<FloorPage, AdminError> {
    let outlet = pos_backend::tenancy::outlets::get(tx, outlet_id).await?;
    let areas = tables::list_areas(tx, actor, outlet_id).await?;
    let all = tables::list_tables(tx, actor, outlet_id).await?;
    let areas = areas
        .into_iter()
        .map(|a| AreaView {
            tables: all
                .iter()
                .filter(|t| t.area_id == a.id)
                .map(|t| TableView { id: t.id, label: t.label.clone(), seats: t.seats, open_check: t.open_check_id })
                .collect(),
            id: a.id,
            name: a.name,
        })
        .collect();
    let errors = FormErrors::new(ctx.tr);
    Ok(FloorPage {
        ctx: ctx.at("outlets"),
        outlet_id,
        outlet_name: outlet.name,
        areas,
        area_form: AreaForm::default(),
        table_form: TableForm { seats: "4".into(), ..TableForm::default() },
        errors,
    })
}

pub async fn show(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<FloorPage, AdminError> {
    let outlet_id = parse_id(&id)?;
    let page = page(&tx, &actor, ctx.with_notice(&q), outlet_id).await?;
    tx.commit().await?;
    Ok(page)
}

fn saved(outlet_id: Uuid) -> HttpResponse {
    htmx::see_other(&format!("/admin/outlets/{outlet_id}/tables?notice=floor_saved"))
}

/// The page again with what was typed and why it was refused (nothing was
/// written: the transaction is dropped).
async fn refused(
    tx: ScopedTx,
    actor: Actor,
    ctx: Ctx,
    outlet_id: Uuid,
    errors: FormErrors,
    area_form: Option<AreaForm>,
    table_form: Option<TableForm>,
) -> Result<HttpResponse, AdminError> {
    let mut p = page(&tx, &actor, ctx, outlet_id).await?;
    drop(tx);
    p.errors = errors;
    p.area_form = area_form.unwrap_or(p.area_form);
    p.table_form = table_form.unwrap_or(p.table_form);
    invalid(&p)
}

pub async fn create_area(
    AdminForm { tx, actor, ctx, form }: AdminForm<AreaForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&id)?;
    let req = CreateArea { name: form.name.clone(), position: None };
    match tables::create_area(&tx, &actor, outlet_id, req).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(saved(outlet_id))
        }
        Err(e) => {
            let errors = FormErrors::from_domain(ctx.tr, field_errors(e)?);
            refused(tx, actor, ctx, outlet_id, errors, Some(form), None).await
        }
    }
}

pub async fn rename_area(
    AdminForm { tx, actor, ctx, form }: AdminForm<AreaForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let area = tables::get_area(&tx, parse_id(&id)?).await?;
    match tables::update_area(&tx, &actor, area.id, UpdateArea { name: Some(form.name), position: None }).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(saved(area.outlet_id))
        }
        Err(e) => {
            let errors = FormErrors::from_domain(ctx.tr, field_errors(e)?);
            refused(tx, actor, ctx, area.outlet_id, errors, None, None).await
        }
    }
}

pub async fn delete_area(
    AdminForm { tx, actor, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let area = tables::get_area(&tx, parse_id(&id)?).await?;
    tables::archive_area(&tx, &actor, area.id).await?;
    tx.commit().await?;
    Ok(saved(area.outlet_id))
}

pub async fn create_table(
    AdminForm { tx, actor, ctx, form }: AdminForm<TableForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&id)?;
    let mut errors = FormErrors::new(ctx.tr);
    let (area, seats) = form.parse(&mut errors);
    let Some(area_id) = area.filter(|_| errors.is_empty()) else {
        if !errors.has("area_id") {
            errors.add_key("area_id", "field.choose_one");
        }
        return refused(tx, actor, ctx, outlet_id, errors, None, Some(form)).await;
    };
    let req = CreateTable { area_id, label: form.label.clone(), seats, position: None };
    match tables::create_table(&tx, &actor, outlet_id, req).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(saved(outlet_id))
        }
        Err(e) => {
            errors.merge(field_errors(e)?);
            refused(tx, actor, ctx, outlet_id, errors, None, Some(form)).await
        }
    }
}

pub async fn update_table(
    AdminForm { tx, actor, ctx, form }: AdminForm<TableForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let table = tables::get_table(&tx, parse_id(&id)?).await?;
    let mut errors = FormErrors::new(ctx.tr);
    let (area_id, seats) = form.parse(&mut errors);
    if !errors.is_empty() {
        return refused(tx, actor, ctx, table.outlet_id, errors, None, None).await;
    }
    let label = Some(form.label.clone()).filter(|l| !l.trim().is_empty());
    let req = UpdateTable { area_id, label, seats, position: None };
    match tables::update_table(&tx, &actor, table.id, req).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(saved(table.outlet_id))
        }
        Err(e) => {
            errors.merge(field_errors(e)?);
            refused(tx, actor, ctx, table.outlet_id, errors, None, None).await
        }
    }
}

pub async fn delete_table(
    AdminForm { tx, actor, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let table = tables::get_table(&tx, parse_id(&id)?).await?;
    tables::archive_table(&tx, &actor, table.id).await?;
    tx.commit().await?;
    Ok(saved(table.outlet_id))
}
