//! Stock reports over HTTP: JSON, or CSV with `?format=csv` or `Accept: text/csv`.

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use pos_wire::{FoodCostReport, ReportQuery, StockMovementsReport, StockOnHandReport, StockUsageReport};

use super::{food_cost::food_cost, movements::movements, on_hand::on_hand, usage::usage};
use crate::{
    auth::principal::Scoped,
    error::{Code, Error, Result},
    reports::{
        ReportRange,
        csv::{CsvRecord, csv_response, wants_csv},
    },
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports/stock-on-hand").route(web::get().to(stock_on_hand)))
        .service(web::resource("/reports/stock-movements").route(web::get().to(stock_movements)))
        .service(web::resource("/reports/stock-usage").route(web::get().to(stock_usage)))
        .service(web::resource("/reports/food-cost").route(web::get().to(food_cost_report)));
}

/// Whether the answer is CSV: `format` (`csv` or `json`), else the `Accept` header.
fn csv_asked(req: &HttpRequest, q: &ReportQuery) -> Result<bool> {
    match q.format.as_deref().map(str::trim) {
        None => Ok(wants_csv(req)),
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(_) => Err(Error::field("format", Code::ReportFormatInvalid)),
    }
}

/// Owners and managers (of the outlets they work at), a sound query, as
/// for every report; then whether the answer is CSV.
async fn checked(req: &HttpRequest, s: &Scoped, q: &ReportQuery) -> Result<(ReportRange, bool)> {
    let range = crate::reports::http::checked(s, q).await?;
    Ok((range, csv_asked(req, q)?))
}

fn answer<T: serde::Serialize, R: CsvRecord + 'static>(
    csv: bool,
    report: T,
    rows: impl FnOnce(T) -> Vec<R>,
    name: String,
) -> Result<HttpResponse> {
    if csv {
        return csv_response(rows(report), &name);
    }
    Ok(HttpResponse::Ok().insert_header((header::VARY, "Accept")).json(report))
}

/// Stock on hand per outlet and ingredient at the end of `to`, valued at cost.
#[utoipa::path(get, path = "/api/v1/reports/stock-on-hand", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`format=csv` or `Accept: text/csv`)",
                content((StockOnHandReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn stock_on_hand(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let (range, csv) = checked(&req, &s, &q).await?;
    let report = on_hand(&s.tx, &range).await?;
    s.tx.commit().await?;
    answer(csv, report, |r| r.rows, format!("stock-on-hand-{}.csv", range.to))
}

/// The range's stock movements summed per ingredient and kind.
#[utoipa::path(get, path = "/api/v1/reports/stock-movements", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`format=csv` or `Accept: text/csv`)",
                content((StockMovementsReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn stock_movements(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let (range, csv) = checked(&req, &s, &q).await?;
    let report = movements(&s.tx, &range).await?;
    s.tx.commit().await?;
    answer(csv, report, |r| r.rows, format!("stock-movements-{}-{}.csv", range.from, range.to))
}

/// Theoretical (recipes) against counted usage per outlet and ingredient.
#[utoipa::path(get, path = "/api/v1/reports/stock-usage", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`format=csv` or `Accept: text/csv`)",
                content((StockUsageReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn stock_usage(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let (range, csv) = checked(&req, &s, &q).await?;
    let report = usage(&s.tx, &range).await?;
    s.tx.commit().await?;
    answer(csv, report, |r| r.rows, format!("stock-usage-{}-{}.csv", range.from, range.to))
}

/// Cost of goods sold and food cost % per menu item.
#[utoipa::path(get, path = "/api/v1/reports/food-cost", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`format=csv` or `Accept: text/csv`)",
                content((FoodCostReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn food_cost_report(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let (range, csv) = checked(&req, &s, &q).await?;
    let report = food_cost(&s.tx, &range).await?;
    s.tx.commit().await?;
    answer(csv, report, |r| r.rows, format!("food-cost-{}-{}.csv", range.from, range.to))
}
