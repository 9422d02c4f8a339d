//! Reports over HTTP: JSON, or CSV with `Accept: text/csv`.

use actix_web::{HttpRequest, HttpResponse, web};
use pos_wire::{AdjustmentsReport, KitchenReport, ReportGroup, ReportQuery, SalesReport, SalesSummary};

use super::{
    ReportRange,
    adjustments::adjustments,
    csv::{csv_response, wants_csv},
    kitchen::kitchen_times,
    may_read_reports,
    sales::sales_report,
    summary::summary_of,
};
use crate::{
    auth::principal::Scoped,
    error::{Code, Error, Result},
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports/sales").route(web::get().to(sales)))
        .service(web::resource("/reports/summary").route(web::get().to(summary)))
        .service(web::resource("/reports/kitchen").route(web::get().to(kitchen)))
        .service(web::resource("/reports/adjustments").route(web::get().to(adjustments_report)));
}

/// The grouping asked for (`day` when none).
pub fn parse_group(q: &ReportQuery) -> Result<ReportGroup> {
    match q.group_by.as_deref().map(str::trim) {
        None => Ok(ReportGroup::Day),
        Some(g) => ReportGroup::parse(g).ok_or_else(|| Error::field("group_by", Code::ReportGroupInvalid)),
    }
}

/// The report as JSON, or its rows as CSV when the request asks for it.
fn json_or_csv<T: serde::Serialize>(
    req: &HttpRequest,
    report: T,
    csv: impl FnOnce(T) -> Result<HttpResponse>,
) -> Result<HttpResponse> {
    if wants_csv(req) {
        return csv(report);
    }
    Ok(HttpResponse::Ok().insert_header((actix_web::http::header::VARY, "Accept")).json(report))
}

/// The caller may read reports and the query is sound (a `group_by` is
/// checked wherever it is sent, though only sales use it).
pub(crate) async fn checked(s: &Scoped, q: &ReportQuery) -> Result<ReportRange> {
    may_read_reports(&s.actor)?;
    parse_group(q)?;
    ReportRange::parse(&s.tx, q).await
}

/// Sales of a range of the outlets' local dates, grouped; owners and
/// managers (of the outlets they work at) only. `Accept: text/csv` gives
/// the rows as CSV.
#[utoipa::path(get, path = "/api/v1/reports/sales", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`Accept: text/csv`)",
                content((SalesReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn sales(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let range = checked(&s, &q).await?;
    let group = parse_group(&q)?;
    let report = sales_report(&s.tx, &range, group).await?;
    s.tx.commit().await?;
    let name = format!("sales-{}-{}-{}.csv", group.as_str(), range.from, range.to);
    json_or_csv(&req, report, |r| csv_response(r.rows, &name))
}

/// Totals, payment mix and the best sellers of a range.
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(ReportQuery),
    responses((status = 200, body = SalesSummary), (status = 403, body = pos_wire::Problem),
              (status = 404, body = pos_wire::Problem), (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn summary(s: Scoped, q: web::Query<ReportQuery>) -> Result<web::Json<SalesSummary>> {
    let range = checked(&s, &q).await?;
    let summary = summary_of(&s.tx, &range).await?;
    s.tx.commit().await?;
    Ok(web::Json(summary))
}

/// Kitchen times (ticket opened → bumped ready), p50 and p90 per station.
#[utoipa::path(get, path = "/api/v1/reports/kitchen", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`Accept: text/csv`)",
                content((KitchenReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn kitchen(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let range = checked(&s, &q).await?;
    let report = kitchen_times(&s.tx, &range).await?;
    s.tx.commit().await?;
    let name = format!("kitchen-{}-{}.csv", range.from, range.to);
    json_or_csv(&req, report, |r| csv_response(r.rows, &name))
}

/// Voids, refunds and discounts, newest first (at most 500), with who made
/// and who approved each.
#[utoipa::path(get, path = "/api/v1/reports/adjustments", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or the rows as CSV (`Accept: text/csv`)",
                content((AdjustmentsReport = "application/json"), (String = "text/csv"))),
              (status = 403, body = pos_wire::Problem), (status = 404, body = pos_wire::Problem),
              (status = 422, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn adjustments_report(req: HttpRequest, s: Scoped, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let range = checked(&s, &q).await?;
    let report = adjustments(&s.tx, &range).await?;
    s.tx.commit().await?;
    let name = format!("adjustments-{}-{}.csv", range.from, range.to);
    json_or_csv(&req, report, |r| csv_response(r.rows, &name))
}
