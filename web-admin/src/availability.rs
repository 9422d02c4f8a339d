//! One outlet's availability and prices: a row per item with a one-click
//! 86 toggle ("until turned back on" or "until the end of the day", shown
//! with the time it comes back in the outlet's zone) and the outlet's own
//! price (empty = the brand price). Owners, and managers of the outlet.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::Utc;
use chrono_tz::Tz;
use pos_backend::{catalog::menu, catalog::overrides, db::ScopedTx, tenancy::outlets};
use pos_wire::{Outlet, OutletMenu, OutletMenuItem, UpdateOutletItem};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx, localtime,
    money::{amount_input, format_money, parse_money},
    outlets::all_outlets,
    render::render_with_status,
    session::{Admin, Ctx, NoticeQuery},
};

/// One item of the grid.
pub struct AvailRow {
    pub outlet_id: Uuid,
    pub item_id: Uuid,
    pub name: String,
    pub available: bool,
    /// "Back at 00:00" in the outlet's zone, for a timed 86.
    pub back_at: Option<String>,
    pub brand_price: String,
    /// The outlet's price as typed (empty: the brand price).
    pub price: String,
    pub has_own_price: bool,
    pub errors: FormErrors,
}

impl AvailRow {
    fn of(outlet_id: Uuid, item: &OutletMenuItem, currency: &str, tz: Tz, ctx: &Ctx) -> AvailRow {
        let own = item.price_minor != item.base_price_minor;
        AvailRow {
            outlet_id,
            item_id: item.id,
            name: item.name.clone(),
            available: item.available,
            back_at: item.unavailable_until.map(|u| localtime::back_at(&u, tz, &Utc::now())),
            brand_price: format_money(item.base_price_minor, currency, ctx.tr),
            price: if own { amount_input(item.price_minor, currency) } else { String::new() },
            has_own_price: own,
            errors: FormErrors::new(ctx.tr),
        }
    }
}

pub struct CategoryRows {
    pub name: String,
    pub rows: Vec<AvailRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/availability.html")]
pub(crate) struct AvailabilityPage {
    ctx: Ctx,
    outlet: Outlet,
    outlets: Vec<Outlet>,
    categories: Vec<CategoryRows>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/menu/avail_row.html")]
pub(crate) struct AvailRowFragment {
    ctx: Ctx,
    r: AvailRow,
}

async fn effective_menu(tx: &ScopedTx, outlet_id: Uuid) -> pos_backend::Result<OutletMenu> {
    let stamp = menu::stamp(tx, outlet_id).await?;
    menu::outlet_menu(tx, outlet_id, &stamp).await
}

/// `/admin/availability`: the first outlet's grid (the page links the others).
pub async fn index(Admin { tx, .. }: Admin) -> Result<HttpResponse, AdminError> {
    let outlets = all_outlets(&tx).await?;
    tx.commit().await?;
    match outlets.first() {
        Some(o) => Ok(htmx::see_other(&format!("/admin/outlets/{}/availability", o.id))),
        None => Ok(htmx::see_other("/admin/outlets")),
    }
}

pub async fn show(
    Admin { tx, ctx, .. }: Admin,
    id: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<AvailabilityPage, AdminError> {
    let id = parse_id(&id)?;
    let outlet = outlets::get(&tx, id).await?;
    let outlets = all_outlets(&tx).await?;
    let menu = effective_menu(&tx, id).await?;
    tx.commit().await?;
    let tz = localtime::zone(&outlet.timezone);
    let categories = menu
        .categories
        .iter()
        .map(|c| CategoryRows {
            name: c.name.clone(),
            rows: c.items.iter().map(|i| AvailRow::of(id, i, &menu.currency, tz, &ctx)).collect(),
        })
        .collect();
    Ok(AvailabilityPage { ctx: ctx.at("menu").with_notice(&q), outlet, outlets, categories })
}

/// The row of `item_id` as the outlet sells it now.
async fn current_row(tx: &ScopedTx, ctx: &Ctx, outlet: &Outlet, item_id: Uuid) -> Result<AvailRow, AdminError> {
    let menu = effective_menu(tx, outlet.id).await?;
    let tz = localtime::zone(&outlet.timezone);
    menu.categories
        .iter()
        .flat_map(|c| &c.items)
        .find(|i| i.id == item_id)
        .map(|i| AvailRow::of(outlet.id, i, &menu.currency, tz, ctx))
        .ok_or_else(AdminError::not_found)
}

/// htmx swaps the row; a plain form goes back to the grid.
fn row_response(req: &HttpRequest, ctx: Ctx, r: AvailRow, status: StatusCode) -> Result<HttpResponse, AdminError> {
    if htmx::wants_fragment(req) {
        render_with_status(&AvailRowFragment { ctx, r }, status)
    } else if status.is_success() {
        Ok(htmx::see_other(&format!("/admin/outlets/{}/availability?notice=availability_saved", r.outlet_id)))
    } else {
        Err(AdminError::page(status, "avail.price_not_saved"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ToggleForm {
    /// `true` brings the item back, `false` 86es it.
    available: String,
    /// With an 86: `manual` (until turned back on) or `eod` (end of day).
    until: String,
}

pub async fn toggle(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<ToggleForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (outlet_id, item_id) = (parse_id(&path.0)?, parse_id(&path.1)?);
    let outlet = outlets::get(&tx, outlet_id).await?;
    let available = form.available == "true";
    let change = UpdateOutletItem {
        available: Some(available),
        until_end_of_day: !available && form.until == "eod",
        ..UpdateOutletItem::default()
    };
    overrides::set(&tx, &actor, outlet_id, item_id, change).await?;
    let row = current_row(&tx, &ctx, &outlet, item_id).await?;
    tx.commit().await?;
    row_response(&req, ctx, row, StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PriceForm {
    price: String,
}

pub async fn set_price(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<PriceForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let (outlet_id, item_id) = (parse_id(&path.0)?, parse_id(&path.1)?);
    let outlet = outlets::get(&tx, outlet_id).await?;
    let currency = pos_backend::tenancy::brand::get(&tx).await?.currency;
    let mut errors = FormErrors::new(ctx.tr);
    let price = match form.price.trim() {
        "" => Some(None),
        raw => match parse_money(raw, &currency, false) {
            Ok(p) => Some(Some(p)),
            Err(key) => {
                errors.add_key("price", key);
                None
            }
        },
    };
    if let Some(price) = price {
        let change = UpdateOutletItem { price_minor: Some(price), ..UpdateOutletItem::default() };
        if let Err(e) = overrides::set(&tx, &actor, outlet_id, item_id, change).await {
            errors.merge(field_errors(e)?);
            errors.rename("price_minor", "price");
        }
    }
    let mut row = current_row(&tx, &ctx, &outlet, item_id).await?;
    tx.commit().await?;
    if errors.is_empty() {
        return row_response(&req, ctx, row, StatusCode::OK);
    }
    row.price = form.price;
    row.errors = errors;
    row_response(&req, ctx, row, StatusCode::UNPROCESSABLE_ENTITY)
}
