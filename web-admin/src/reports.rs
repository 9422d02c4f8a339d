//! The Reports section: a range of dates and an outlet (or all), then the
//! sales summary, by-day and by-hour charts, item and modifier mix (best and
//! worst sellers), payment mix, outlet comparison, channels, kitchen times,
//! and voids, refunds and discounts with who approved them; every table
//! with its CSV download. The figures are the reports API's, from the same
//! domain functions.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Days, NaiveDate};
use pos_backend::reports::{
    self, ReportRange, adjustments::adjustments, csv::csv_response, kitchen::kitchen_times, sales,
};
use pos_wire::{AdjustmentKind, ReportGroup, ReportQuery, SalesRow, SalesTotals};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    charts::{Bar, bar_chart},
    error::{AdminError, field_errors},
    fields::FormErrors,
    localtime::{date_time, zone},
    money::format_money,
    outlets::all_outlets,
    session::{Admin, Ctx},
    shifts::OutletChoice,
};

/// Best and worst sellers named as such.
const BEST_WORST: usize = 3;

/// `?outlet_id=&from=&to=` as typed (empty: every outlet, the last 7 days).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    pub outlet_id: String,
    pub from: String,
    pub to: String,
}

pub struct Card {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// A row of a sales table, formatted.
pub struct RowView {
    pub key: String,
    pub name: String,
    pub orders: i64,
    pub qty: String,
    pub gross: String,
    pub discount: String,
    pub refund: String,
    pub net: String,
    /// Share of the range's net (or of the payments' total), in percent.
    pub share: String,
    /// `best`, `worst` or empty.
    pub tag: &'static str,
}

pub struct StationView {
    pub station: String,
    pub tickets: i64,
    pub p50: String,
    pub p90: String,
}

pub struct AdjustmentView {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub at: String,
    pub outlet: String,
    pub order_id: Uuid,
    pub order_number: String,
    pub amount: String,
    pub reason: String,
    pub by: String,
    pub approved_by: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/reports.html")]
pub(crate) struct ReportsPage {
    ctx: Ctx,
    outlets: Vec<OutletChoice>,
    from: String,
    to: String,
    errors: FormErrors,
    /// The query of every CSV link (`outlet_id=&from=&to=`).
    query: String,
    cards: Vec<Card>,
    day_chart: String,
    hour_chart: String,
    items: Vec<RowView>,
    modifiers: Vec<RowView>,
    payments: Vec<RowView>,
    by_outlet: Vec<RowView>,
    channels: Vec<RowView>,
    kitchen: Vec<StationView>,
    adjustments: Vec<AdjustmentView>,
}

/// `GET /admin/reports`.
pub async fn show(Admin { tx, actor, ctx }: Admin, q: web::Query<ReportFilter>) -> Result<ReportsPage, AdminError> {
    reports::may_read_reports(&actor)?;
    let outlets = all_outlets(&tx).await?;
    let (range, errors) = match ReportRange::parse(&tx, &query_of(&q)).await {
        Ok(range) => (default_from(range, &q), FormErrors::new(ctx.tr)),
        Err(e) => {
            let errors = FormErrors::from_domain(ctx.tr, field_errors(e)?);
            (default_from(ReportRange::parse(&tx, &ReportQuery::default()).await?, &ReportFilter::default()), errors)
        }
    };
    let totals = sales::sales_totals(&tx, &range).await?;
    let days = sales::sales_rows(&tx, &range, ReportGroup::Day).await?;
    let hours = sales::sales_rows(&tx, &range, ReportGroup::Hour).await?;
    let items = sales::sales_rows(&tx, &range, ReportGroup::Item).await?;
    let modifiers = sales::sales_rows(&tx, &range, ReportGroup::Modifier).await?;
    let payments = sales::sales_rows(&tx, &range, ReportGroup::PaymentMethod).await?;
    let by_outlet = sales::sales_rows(&tx, &range, ReportGroup::Outlet).await?;
    let channels = sales::sales_rows(&tx, &range, ReportGroup::Channel).await?;
    let kitchen = kitchen_times(&tx, &range).await?;
    let adjusted = adjustments(&tx, &range).await?;
    tx.commit().await?;

    let money = |minor: i64| format_money(minor, &ctx.currency, ctx.tr);
    let net = totals.net_minor;
    let paid: i64 = payments.iter().map(|p| p.gross_minor).sum();
    let view = |rows: &[SalesRow], whole: i64, name: &dyn Fn(&SalesRow) -> String| -> Vec<RowView> {
        rows.iter().map(|r| row_view(r, whole, name(r), &money)).collect()
    };
    let label = |r: &SalesRow| r.label.clone().unwrap_or_else(|| r.key.clone());
    let mut items = view(&items, net, &label);
    tag_best_and_worst(&mut items);
    let mut modifiers = view(&modifiers, net, &label);
    tag_best_and_worst(&mut modifiers);
    let tr = ctx.tr;
    let method = |r: &SalesRow| tr.try_t(&format!("method.{}", r.key)).unwrap_or(r.key.as_str()).to_string();
    let channel = |r: &SalesRow| tr.try_t(&format!("orders.channel_{}", r.key)).unwrap_or(r.key.as_str()).to_string();
    let names: std::collections::HashMap<Uuid, (String, chrono_tz::Tz)> =
        outlets.iter().map(|o| (o.id, (o.name.clone(), zone(&o.timezone)))).collect();

    let day_bars: Vec<Bar> =
        days.iter().map(|r| Bar { label: short_date(&r.key), value: r.net_minor, shown: money(r.net_minor) }).collect();
    let hour_bars: Vec<Bar> =
        hours.iter().map(|r| Bar { label: r.key.clone(), value: r.net_minor, shown: money(r.net_minor) }).collect();

    let outlet_id = range.outlet_id;
    let query = csv_query(&range);
    Ok(ReportsPage {
        cards: cards(&totals, &money),
        day_chart: bar_chart("chart-day", ctx.t("reports.by_day"), &day_bars),
        hour_chart: bar_chart("chart-hour", ctx.t("reports.by_hour"), &hour_bars),
        items,
        modifiers,
        payments: view(&payments, paid, &method),
        by_outlet: view(&by_outlet, net, &label),
        channels: view(&channels, net, &channel),
        kitchen: kitchen
            .rows
            .iter()
            .map(|s| StationView {
                station: s.station.clone(),
                tickets: s.tickets,
                p50: duration(s.p50_seconds),
                p90: duration(s.p90_seconds),
            })
            .collect(),
        adjustments: adjusted
            .rows
            .iter()
            .map(|a| {
                let (outlet, tz) = names.get(&a.outlet_id).cloned().unwrap_or_else(|| (String::new(), chrono_tz::UTC));
                let (kind, kind_label) = match a.kind {
                    AdjustmentKind::Void => ("void", ctx.t("reports.void")),
                    AdjustmentKind::Refund => ("refund", ctx.t("reports.refund")),
                    AdjustmentKind::Discount => ("discount", ctx.t("reports.discount")),
                };
                AdjustmentView {
                    kind,
                    kind_label,
                    at: date_time(&a.at, tz),
                    outlet,
                    order_id: a.order_id,
                    order_number: a.order_number.clone(),
                    amount: money(a.amount_minor),
                    reason: a.reason.clone(),
                    by: a.by.clone().unwrap_or_default(),
                    approved_by: a.approved_by.clone().unwrap_or_default(),
                }
            })
            .collect(),
        outlets: outlet_choices(outlets, outlet_id),
        from: range.from.to_string(),
        to: range.to.to_string(),
        errors,
        query,
        ctx: ctx.at("reports"),
    })
}

/// The query of a page's CSV links: `outlet_id=&from=&to=`.
pub(crate) fn csv_query(range: &ReportRange) -> String {
    let outlet = range.outlet_id.map(|o| o.to_string()).unwrap_or_default();
    format!("outlet_id={outlet}&from={}&to={}", range.from, range.to)
}

/// The outlet filter's choices, `selected` marked.
pub(crate) fn outlet_choices(outlets: Vec<pos_wire::Outlet>, selected: Option<Uuid>) -> Vec<OutletChoice> {
    outlets.into_iter().map(|o| OutletChoice { selected: Some(o.id) == selected, id: o.id, name: o.name }).collect()
}

pub(crate) fn query_of(q: &ReportFilter) -> ReportQuery {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    ReportQuery {
        outlet_id: Uuid::parse_str(q.outlet_id.trim()).ok(),
        from: text(&q.from),
        to: text(&q.to),
        group_by: None,
        format: None,
    }
}

/// Without a `from`, the page shows the week that ends on `to`.
fn default_from(range: ReportRange, q: &ReportFilter) -> ReportRange {
    if q.from.trim().is_empty() {
        let from = range.to.checked_sub_days(Days::new(6)).unwrap_or(range.to);
        ReportRange { from, ..range }
    } else {
        range
    }
}

fn cards(t: &SalesTotals, money: &dyn Fn(i64) -> String) -> Vec<Card> {
    vec![
        Card { id: "net", label: "reports.net", value: money(t.net_minor) },
        Card { id: "gross", label: "reports.gross", value: money(t.gross_minor) },
        Card { id: "discounts", label: "reports.discounts", value: money(t.discount_minor) },
        Card { id: "refunds", label: "reports.refunds", value: money(t.refund_minor) },
        Card { id: "tax", label: "reports.tax", value: money(t.tax_minor) },
        Card { id: "service", label: "reports.service_charge", value: money(t.service_charge_minor) },
        Card { id: "orders", label: "reports.orders", value: t.orders.to_string() },
        Card { id: "average", label: "reports.average", value: money(t.average_order_minor) },
    ]
}

fn row_view(r: &SalesRow, whole: i64, name: String, money: &dyn Fn(i64) -> String) -> RowView {
    let part = if whole > 0 { r.net_minor } else { 0 };
    RowView {
        key: r.key.clone(),
        name,
        orders: r.orders,
        qty: r.qty.map(|q| q.to_string()).unwrap_or_default(),
        gross: money(r.gross_minor),
        discount: money(r.discount_minor),
        refund: money(r.refund_minor),
        net: money(r.net_minor),
        share: if whole > 0 { format!("{:.1} %", part as f64 * 100.0 / whole as f64) } else { String::new() },
        tag: "",
    }
}

/// Rows come best first: the first few are the best sellers, the last few
/// the worst (only when there are enough rows for both).
fn tag_best_and_worst(rows: &mut [RowView]) {
    let n = rows.len();
    let k = BEST_WORST.min(n / 2);
    for (i, row) in rows.iter_mut().enumerate() {
        row.tag = if i < k {
            "best"
        } else if i >= n - k {
            "worst"
        } else {
            ""
        };
    }
}

/// `2026-12-01` -> `01/12`.
fn short_date(key: &str) -> String {
    NaiveDate::parse_from_str(key, "%Y-%m-%d").map(|d| d.format("%d/%m").to_string()).unwrap_or_else(|_| key.into())
}

/// `450` -> `7:30` (minutes and seconds).
fn duration(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// `?report=&group_by=&outlet_id=&from=&to=` of a CSV download.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsvFilter {
    pub report: String,
    pub group_by: String,
    #[serde(flatten)]
    pub range: ReportFilter,
}

/// `GET /admin/reports/csv`: one table of the page as CSV.
pub async fn csv(Admin { tx, actor, .. }: Admin, q: web::Query<CsvFilter>) -> Result<HttpResponse, AdminError> {
    reports::may_read_reports(&actor)?;
    let range = ReportRange::parse(&tx, &query_of(&q.range)).await?;
    let range = default_from(range, &q.range);
    let name = |what: &str| format!("{what}-{}-{}.csv", range.from, range.to);
    let response = match q.report.as_str() {
        "sales" => {
            let group = ReportGroup::parse(&q.group_by).ok_or_else(AdminError::bad_request)?;
            let rows = sales::sales_rows(&tx, &range, group).await?;
            csv_response(rows, &name(&format!("sales-{}", group.as_str())))?
        }
        "kitchen" => csv_response(kitchen_times(&tx, &range).await?.rows, &name("kitchen"))?,
        "adjustments" => csv_response(adjustments(&tx, &range).await?.rows, &name("adjustments"))?,
        _ => return Err(AdminError::bad_request()),
    };
    tx.commit().await?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_dates_read_plainly() {
        assert_eq!(duration(450), "7:30");
        assert_eq!(duration(59), "0:59");
        assert_eq!(short_date("2026-12-01"), "01/12");
    }

    #[test]
    fn best_and_worst_need_enough_rows() {
        let row = |k: &str| RowView {
            key: k.into(),
            name: k.into(),
            orders: 1,
            qty: String::new(),
            gross: String::new(),
            discount: String::new(),
            refund: String::new(),
            net: String::new(),
            share: String::new(),
            tag: "",
        };
        let mut rows: Vec<RowView> = ["a", "b", "c", "d", "e", "f", "g"].into_iter().map(row).collect();
        tag_best_and_worst(&mut rows);
        assert_eq!(
            rows.iter().map(|r| r.tag).collect::<Vec<_>>(),
            ["best", "best", "best", "", "worst", "worst", "worst"]
        );
        let mut two: Vec<RowView> = ["a", "b"].into_iter().map(row).collect();
        tag_best_and_worst(&mut two);
        assert_eq!(two.iter().map(|r| r.tag).collect::<Vec<_>>(), ["best", "worst"]);
    }
}
