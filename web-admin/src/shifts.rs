//! Shifts of the outlets' tills: a list per outlet (open and closed, who,
//! which till, float, expected, counted and the variance, highlighted), and
//! one shift's report (X while open, the stored Z once closed) with its
//! printable 80 mm version.

use std::collections::HashMap;

use actix_web::{HttpResponse, http::header, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono_tz::Tz;
use pos_backend::shifts::{self, http::ReportQuery};
use pos_wire::{PaymentMethod, Shift, ShiftQuery, ShiftReport, ShiftStatus};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    error::{AdminError, parse_id},
    localtime::{date_time, zone},
    money::format_money,
    outlets::all_outlets,
    receipt::RECEIPT_CSP,
    session::{Admin, Ctx},
};

/// `?outlet_id=&status=&cursor=` as typed (empty means any).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShiftFilter {
    pub outlet_id: String,
    pub status: String,
    pub cursor: String,
}

/// One shift as a row of the list.
pub struct ShiftRowView {
    pub id: Uuid,
    pub outlet: String,
    pub till: String,
    pub open: bool,
    pub opened: String,
    pub opened_by: String,
    pub closed: String,
    pub float: String,
    pub expected: String,
    pub counted: String,
    pub variance: String,
    /// `short`, `over` or `even` (closed shifts only).
    pub variance_class: &'static str,
}

pub struct OutletChoice {
    pub id: Uuid,
    pub name: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/shifts/list.html")]
pub(crate) struct ShiftsPage {
    ctx: Ctx,
    outlets: Vec<OutletChoice>,
    status: String,
    rows: Vec<ShiftRowView>,
    next: Option<String>,
}

fn variance_class(variance: Option<i64>) -> &'static str {
    match variance {
        Some(v) if v < 0 => "short",
        Some(v) if v > 0 => "over",
        Some(_) => "even",
        None => "",
    }
}

fn row_view(s: &Shift, outlets: &HashMap<Uuid, (String, Tz)>, ctx: &Ctx) -> ShiftRowView {
    let (outlet, tz) = outlets.get(&s.outlet_id).cloned().unwrap_or_else(|| (String::new(), chrono_tz::UTC));
    let m = |minor: i64| format_money(minor, &ctx.currency, ctx.tr);
    ShiftRowView {
        id: s.id,
        outlet,
        till: s.device_name.clone(),
        open: s.status == ShiftStatus::Open,
        opened: date_time(&s.opened_at, tz),
        opened_by: s.opened_by_name.clone().unwrap_or_default(),
        closed: s.closed_at.map(|at| date_time(&at, tz)).unwrap_or_default(),
        float: m(s.opening_float_minor),
        expected: m(s.expected_minor),
        counted: s.counted_minor.map(m).unwrap_or_default(),
        variance: s.variance_minor.map(m).unwrap_or_default(),
        variance_class: variance_class(s.variance_minor),
    }
}

/// `GET /admin/shifts`: the shifts of the outlets in scope, newest first.
pub async fn list(Admin { tx, actor, ctx }: Admin, q: web::Query<ShiftFilter>) -> Result<ShiftsPage, AdminError> {
    let outlet_id = Uuid::parse_str(q.outlet_id.trim()).ok();
    let status = ShiftStatus::try_from(q.status.as_str()).ok();
    let cursor = Some(q.cursor.clone()).filter(|c| Uuid::parse_str(c).is_ok());
    let outlets = all_outlets(&tx).await?;
    let query = ShiftQuery { outlet_id, device_id: None, status, limit: Some(50), cursor };
    let page = shifts::list::list_shifts(&tx, &actor, &query).await?;
    tx.commit().await?;
    let by_id: HashMap<Uuid, (String, Tz)> =
        outlets.iter().map(|o| (o.id, (o.name.clone(), zone(&o.timezone)))).collect();
    let rows = page.items.iter().map(|s| row_view(s, &by_id, &ctx)).collect();
    let next = page.next_cursor.map(|c| {
        format!(
            "/admin/shifts?outlet_id={}&status={}&cursor={c}",
            outlet_id.map(|o| o.to_string()).unwrap_or_default(),
            status.map(ShiftStatus::as_str).unwrap_or_default()
        )
    });
    let outlets = outlets
        .into_iter()
        .map(|o| OutletChoice { selected: Some(o.id) == outlet_id, id: o.id, name: o.name })
        .collect();
    let status = status.map(|s| s.as_str().to_string()).unwrap_or_default();
    Ok(ShiftsPage { ctx: ctx.at("shifts"), outlets, status, rows, next })
}

/// A label and an amount.
pub struct Line {
    pub label: String,
    pub amount: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/shifts/report.html")]
pub(crate) struct ReportPage {
    ctx: Ctx,
    row: ShiftRowView,
    z: bool,
    sales: Vec<Line>,
    sales_total: String,
    refunds: Vec<Line>,
    refunds_total: String,
    discounts: String,
    /// Offline discounts whose manager's PIN did not check out, when any.
    unverified: Option<Line>,
    voids: Line,
    rounding: String,
    movements: Vec<Line>,
    drawer: Vec<Line>,
    denominations: Vec<Line>,
}

fn method_key(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => "method.cash",
        PaymentMethod::Card => "method.card",
        PaymentMethod::Qris => "method.qris",
    }
}

fn report_page(ctx: Ctx, r: &ShiftReport, outlets: &HashMap<Uuid, (String, Tz)>) -> ReportPage {
    let m = |minor: i64| format_money(minor, &r.currency, ctx.tr);
    let methods = |totals: &[pos_wire::MethodTotal]| {
        totals
            .iter()
            .map(|t| Line {
                label: format!("{} ({})", ctx.t(method_key(t.method)), t.count),
                amount: m(t.amount_minor),
            })
            .collect::<Vec<_>>()
    };
    let movements = r
        .cash_movements
        .iter()
        .map(|mv| {
            let (key, sign) = match mv.kind {
                pos_wire::CashMovementKind::In => ("shifts.cash_in", 1),
                pos_wire::CashMovementKind::Out => ("shifts.cash_out", -1),
            };
            let who = mv.user_name.clone().unwrap_or_default();
            Line { label: format!("{}: {} ({who})", ctx.t(key), mv.reason), amount: m(sign * mv.amount_minor) }
        })
        .collect();
    let c = &r.cash;
    let mut drawer = vec![
        Line { label: ctx.t("shifts.float").into(), amount: m(c.opening_float_minor) },
        Line { label: ctx.t("shifts.cash_sales").into(), amount: m(c.cash_sales_minor) },
        Line { label: ctx.t("shifts.cash_in").into(), amount: m(c.cash_in_minor) },
        Line { label: ctx.t("shifts.cash_out").into(), amount: m(-c.cash_out_minor) },
        Line { label: ctx.t("shifts.cash_refunds").into(), amount: m(-c.cash_refunds_minor) },
        Line { label: ctx.t("shifts.expected").into(), amount: m(c.expected_minor) },
    ];
    if let Some(counted) = c.counted_minor {
        drawer.push(Line { label: ctx.t("shifts.counted").into(), amount: m(counted) });
    }
    let denominations = r
        .denominations
        .iter()
        .map(|d| Line { label: format!("{} × {}", m(d.value_minor), d.count), amount: m(d.value_minor * d.count) })
        .collect();
    ReportPage {
        row: row_view(&r.shift, outlets, &ctx),
        z: r.kind == pos_wire::ReportKind::Z,
        sales: methods(&r.sales),
        sales_total: m(r.sales_total_minor),
        refunds: methods(&r.refunds),
        refunds_total: m(r.refunds_total_minor),
        discounts: m(r.discounts_minor),
        unverified: (r.unverified_discounts.count > 0).then(|| Line {
            label: format!("{} ({})", ctx.t("shifts.unverified_discounts"), r.unverified_discounts.count),
            amount: m(r.unverified_discounts.amount_minor),
        }),
        voids: Line {
            label: format!("{} ({})", ctx.t("shifts.voids"), r.voids.count),
            amount: m(r.voids.amount_minor),
        },
        rounding: m(r.cash_rounding_minor),
        movements,
        drawer,
        denominations,
        ctx: ctx.at("shifts"),
    }
}

/// `GET /admin/shifts/{id}`: the shift's X or Z report.
pub async fn show(Admin { tx, actor, ctx }: Admin, id: web::Path<String>) -> Result<ReportPage, AdminError> {
    let id = parse_id(&id)?;
    let report = shifts::report::shift_report(&tx, &actor, id).await?;
    let outlet = pos_backend::tenancy::outlets::get(&tx, report.shift.outlet_id).await?;
    tx.commit().await?;
    let outlets = HashMap::from([(outlet.id, (outlet.name, zone(&outlet.timezone)))]);
    Ok(report_page(ctx, &report, &outlets))
}

/// `GET /admin/shifts/{id}/print?lang=id|en`: the printable 80 mm report.
pub async fn print(
    Admin { tx, actor, .. }: Admin,
    id: web::Path<String>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let locale = q.locale()?;
    let html = shifts::report::render_html(&tx, &actor, id, locale).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, RECEIPT_CSP))
        .body(html))
}
