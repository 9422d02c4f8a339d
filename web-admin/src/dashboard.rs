//! The first page after signing in: today's sales per outlet (live), counts
//! and quick links.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    db::ScopedTx,
    reports::{self, ReportRange, sales::sales_totals},
    tenancy::devices,
};
use pos_wire::Outlet;
use uuid::Uuid;

use crate::{
    error::{AdminError, parse_id},
    localtime::zone,
    money::format_money,
    orders::live_triggers,
    outlets::all_outlets,
    session::{Admin, Ctx},
    staff::all_users,
};

/// Outlets whose card listens to the live stream; the others refresh every
/// minute (a browser opens only a few connections to one server at once).
const LIVE_CARDS: usize = 4;

/// One outlet's sales today (its own local day).
pub struct TodayCard {
    pub id: Uuid,
    pub name: String,
    pub net: String,
    pub orders: i64,
    pub live: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
pub(crate) struct Dashboard {
    ctx: Ctx,
    outlets: usize,
    open_outlets: usize,
    staff: usize,
    active_staff: usize,
    devices: usize,
    paired_devices: usize,
    /// (id, name) of each outlet, for its live board link.
    boards: Vec<(uuid::Uuid, String)>,
    /// Empty for those who may not read reports.
    today: Vec<TodayCard>,
    triggers: String,
}

pub async fn show(Admin { tx, actor, ctx }: Admin) -> Result<Dashboard, AdminError> {
    let outlets = all_outlets(&tx).await?;
    let users = all_users(&tx, &actor).await?;
    let (mut devices_total, mut paired) = (0, 0);
    for o in &outlets {
        let list = devices::list_for_outlet(&tx, &actor, o.id).await?;
        devices_total += list.iter().filter(|d| d.status != "revoked").count();
        paired += list.iter().filter(|d| d.status == "paired").count();
    }
    let mut today = Vec::new();
    if reports::may_read_reports(&actor).is_ok() {
        for (i, o) in outlets.iter().enumerate() {
            today.push(today_card(&tx, &ctx, o, i < LIVE_CARDS).await?);
        }
    }
    tx.commit().await?;
    Ok(Dashboard {
        ctx: ctx.at("dashboard"),
        outlets: outlets.len(),
        open_outlets: outlets.iter().filter(|o| o.is_open).count(),
        staff: users.len(),
        active_staff: users.iter().filter(|u| u.active).count(),
        devices: devices_total,
        paired_devices: paired,
        boards: outlets.into_iter().map(|o| (o.id, o.name)).collect(),
        today,
        triggers: live_triggers(),
    })
}

async fn today_card(tx: &ScopedTx, ctx: &Ctx, o: &Outlet, live: bool) -> Result<TodayCard, AdminError> {
    let date = chrono::Utc::now().with_timezone(&zone(&o.timezone)).date_naive();
    let totals = sales_totals(tx, &ReportRange::day(o.id, date)).await?;
    Ok(TodayCard {
        id: o.id,
        name: o.name.clone(),
        net: format_money(totals.net_minor, &ctx.currency, ctx.tr),
        orders: totals.orders,
        live,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard_today.html")]
pub(crate) struct TodayFigures {
    ctx: Ctx,
    c: TodayCard,
}

/// `GET /admin/dashboard/today/{outlet}`: one outlet's card, refreshed live.
pub async fn today(Admin { tx, actor, ctx }: Admin, id: web::Path<String>) -> Result<TodayFigures, AdminError> {
    reports::may_read_reports(&actor)?;
    let id = parse_id(&id)?;
    let outlets = all_outlets(&tx).await?;
    let outlet = outlets.iter().find(|o| o.id == id).ok_or_else(AdminError::not_found)?;
    let c = today_card(&tx, &ctx, outlet, false).await?;
    tx.commit().await?;
    Ok(TodayFigures { ctx, c })
}
