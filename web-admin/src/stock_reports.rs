//! The Stock reports page: a range of dates and an outlet (or all), then
//! food cost per menu item, theoretical against counted usage, stock on
//! hand and movements; every table with its CSV download. The figures are
//! the stock reports API's, from the same domain functions.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::reports::{
    self, ReportRange,
    csv::csv_response,
    stock::{food_cost::food_cost, movements::movements, on_hand::on_hand, usage::usage},
};
use pos_wire::ReportQuery;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    error::{AdminError, field_errors},
    fields::FormErrors,
    i18n::Tr,
    money::format_money,
    outlets::all_outlets,
    reports::{ReportFilter, csv_query, outlet_choices, query_of},
    session::{Admin, Ctx},
    shifts::OutletChoice,
};

pub struct FoodCostView {
    pub item_id: Uuid,
    pub name: String,
    pub qty: i64,
    pub net: String,
    pub cogs: String,
    pub food_cost: String,
}

pub struct UsageView {
    pub outlet: String,
    pub ingredient_id: Uuid,
    pub name: String,
    pub opening: String,
    pub received: String,
    pub transfers: String,
    pub wasted: String,
    pub theoretical: String,
    pub counted: String,
    pub variance: String,
    pub variance_value: String,
}

pub struct OnHandView {
    pub outlet: String,
    pub ingredient_id: Uuid,
    pub name: String,
    pub on_hand: String,
    pub negative: bool,
    pub value: String,
}

pub struct MovementView {
    pub ingredient_id: Uuid,
    pub name: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub movements: i64,
    pub qty: String,
    pub value: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock_reports.html")]
pub(crate) struct StockReportsPage {
    ctx: Ctx,
    outlets: Vec<OutletChoice>,
    from: String,
    to: String,
    errors: FormErrors,
    /// The query of every CSV link (`outlet_id=&from=&to=`).
    query: String,
    food_cost: Vec<FoodCostView>,
    total_net: String,
    total_cogs: String,
    total_food_cost: String,
    usage: Vec<UsageView>,
    on_hand: Vec<OnHandView>,
    on_hand_value: String,
    movements: Vec<MovementView>,
}

/// `12.5 %` (Indonesian: `12,5 %`) from basis points; `—` without sales.
pub fn percent(bp: Option<i64>, tr: Tr) -> String {
    let Some(bp) = bp else { return "—".into() };
    let sign = if bp < 0 { "-" } else { "" };
    let bp = bp.unsigned_abs();
    let sep = if tr.0 == pos_wire::Locale::Id { ',' } else { '.' };
    format!("{sign}{}{sep}{:02} %", bp / 100, bp % 100)
}

fn qty(q: i64, unit: &str) -> String {
    pos_backend::stock::with_unit(q, unit)
}

/// `GET /admin/stock-reports`.
pub async fn show(
    Admin { tx, actor, ctx }: Admin,
    q: web::Query<ReportFilter>,
) -> Result<StockReportsPage, AdminError> {
    reports::may_read_reports(&actor)?;
    let outlets = all_outlets(&tx).await?;
    let (range, errors) = match ReportRange::parse(&tx, &query_of(&q)).await {
        Ok(range) => (range, FormErrors::new(ctx.tr)),
        Err(e) => {
            (ReportRange::parse(&tx, &ReportQuery::default()).await?, FormErrors::from_domain(ctx.tr, field_errors(e)?))
        }
    };
    let cost = food_cost(&tx, &range).await?;
    let used = usage(&tx, &range).await?;
    let stock = on_hand(&tx, &range).await?;
    let moved = movements(&tx, &range).await?;
    tx.commit().await?;

    let money = |minor: i64| format_money(minor, &ctx.currency, ctx.tr);
    let opt_qty = |q: Option<i64>, unit: &str| q.map(|q| qty(q, unit)).unwrap_or_else(|| "—".into());
    let query = csv_query(&range);
    Ok(StockReportsPage {
        food_cost: cost
            .rows
            .iter()
            .map(|r| FoodCostView {
                item_id: r.menu_item_id,
                name: r.name.clone(),
                qty: r.qty_sold,
                net: money(r.net_sales_minor),
                cogs: money(r.cogs_minor),
                food_cost: percent(r.food_cost_bp, ctx.tr),
            })
            .collect(),
        total_net: money(cost.totals.net_sales_minor),
        total_cogs: money(cost.totals.cogs_minor),
        total_food_cost: percent(cost.totals.food_cost_bp, ctx.tr),
        usage: used
            .rows
            .iter()
            .map(|r| UsageView {
                outlet: r.outlet_name.clone(),
                ingredient_id: r.ingredient_id,
                name: r.name.clone(),
                opening: qty(r.opening, &r.unit),
                received: qty(r.received, &r.unit),
                transfers: qty(r.transferred_in - r.transferred_out, &r.unit),
                wasted: qty(r.wasted, &r.unit),
                theoretical: qty(r.theoretical, &r.unit),
                counted: opt_qty(r.counted_usage, &r.unit),
                variance: opt_qty(r.variance, &r.unit),
                variance_value: r.variance_value_minor.map(money).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        on_hand: stock
            .rows
            .iter()
            .map(|r| OnHandView {
                outlet: r.outlet_name.clone(),
                ingredient_id: r.ingredient_id,
                name: r.name.clone(),
                on_hand: qty(r.on_hand, &r.unit),
                negative: r.on_hand < 0,
                value: money(r.value_minor),
            })
            .collect(),
        on_hand_value: money(stock.total_value_minor),
        movements: moved
            .rows
            .iter()
            .map(|r| MovementView {
                ingredient_id: r.ingredient_id,
                name: r.name.clone(),
                kind: r.kind.as_str().to_owned(),
                kind_label: ctx.t(&format!("stock_reports.kind_{}", r.kind.as_str())),
                movements: r.movements,
                qty: qty(r.qty, &r.unit),
                value: money(r.value_minor),
            })
            .collect(),
        outlets: outlet_choices(outlets, range.outlet_id),
        from: range.from.to_string(),
        to: range.to.to_string(),
        errors,
        query,
        ctx: ctx.at("stock-reports"),
    })
}

/// `?report=&outlet_id=&from=&to=` of a CSV download.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsvFilter {
    pub report: String,
    #[serde(flatten)]
    pub range: ReportFilter,
}

/// `GET /admin/stock-reports/csv`: one table of the page as CSV.
pub async fn csv(Admin { tx, actor, .. }: Admin, q: web::Query<CsvFilter>) -> Result<HttpResponse, AdminError> {
    reports::may_read_reports(&actor)?;
    let range = ReportRange::parse(&tx, &query_of(&q.range)).await?;
    let name = |what: &str| format!("{what}-{}-{}.csv", range.from, range.to);
    let response = match q.report.as_str() {
        "food-cost" => csv_response(food_cost(&tx, &range).await?.rows, &name("food-cost"))?,
        "stock-usage" => csv_response(usage(&tx, &range).await?.rows, &name("stock-usage"))?,
        "stock-on-hand" => csv_response(on_hand(&tx, &range).await?.rows, &format!("stock-on-hand-{}.csv", range.to))?,
        "stock-movements" => csv_response(movements(&tx, &range).await?.rows, &name("stock-movements"))?,
        _ => return Err(AdminError::bad_request()),
    };
    tx.commit().await?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use pos_wire::Locale;

    use super::*;

    #[test]
    fn food_cost_reads_as_a_percentage_in_each_language() {
        assert_eq!(percent(Some(3446), Tr(Locale::Id)), "34,46 %");
        assert_eq!(percent(Some(3300), Tr(Locale::En)), "33.00 %");
        assert_eq!(percent(Some(5), Tr(Locale::En)), "0.05 %");
        assert_eq!(percent(Some(-150), Tr(Locale::En)), "-1.50 %");
        assert_eq!(percent(None, Tr(Locale::Id)), "—");
    }
}
