//! The daily sales summary: once an outlet's business day has ended (in
//! its own time zone, plus a grace for orders taken offline that day), its
//! owners and managers get one mail with the day's figures. Claiming the
//! day (`daily_summaries`) and writing the mails happen in one transaction,
//! so each day's summary goes out once however many servers run the job.

use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{Mail, MailKind, enqueue, templates};
use crate::{
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Error, Result},
    jobs::Job,
    state::AppState,
};

/// Days looked back for summaries not sent (a server down over a night).
const DAYS_BACK: i32 = 3;
/// Outlet days summarised per run.
const BATCH: i32 = 100;

/// One outlet's business day in figures (minor units of its currency).
#[derive(Debug, Clone, Default, PartialEq, Eq, FromQueryResult)]
pub struct DayFigures {
    pub orders: i64,
    /// Item sales (with modifiers) before discounts, without tax and service charge.
    pub gross_minor: i64,
    pub discount_minor: i64,
    /// Refunds that succeeded, of the day's orders.
    pub refund_minor: i64,
    pub net_minor: i64,
    pub service_charge_minor: i64,
    pub tax_minor: i64,
    pub cancelled: i64,
}

impl DayFigures {
    pub fn average_order_minor(&self) -> i64 {
        if self.orders == 0 { 0 } else { self.net_minor / self.orders }
    }
}

/// Money taken by one method on the day.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct MethodTotal {
    pub method: String,
    pub amount_minor: i64,
}

/// The day's figures of `outlet_id` (orders of that business date that
/// were not cancelled).
pub async fn day_figures(tx: &ScopedTx, outlet_id: Uuid, date: NaiveDate) -> Result<DayFigures> {
    tx.query_one(
        "SELECT count(*) FILTER (WHERE o.status <> 'cancelled') AS orders, \
                coalesce(sum(o.subtotal_minor) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS gross_minor, \
                coalesce(sum(o.discount_minor) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS discount_minor, \
                coalesce(sum(r.refunded) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS refund_minor, \
                coalesce(sum(o.subtotal_minor - o.discount_minor - coalesce(r.refunded, 0)) \
                         FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS net_minor, \
                coalesce(sum(o.service_charge_minor) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint \
                    AS service_charge_minor, \
                coalesce(sum(o.tax_minor) FILTER (WHERE o.status <> 'cancelled'), 0)::bigint AS tax_minor, \
                count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled \
           FROM orders o \
           LEFT JOIN LATERAL (SELECT sum(amount_minor) AS refunded FROM refunds \
                               WHERE order_id = o.id AND status = 'succeeded') r ON true \
          WHERE o.outlet_id = $1 AND o.business_date = $2",
        [outlet_id.into(), date.into()],
    )
    .await?
    .ok_or_else(|| Error::internal("no figures"))
}

/// The money taken on the day's orders, by method (paid payments, not surplus).
pub async fn day_payment_mix(tx: &ScopedTx, outlet_id: Uuid, date: NaiveDate) -> Result<Vec<MethodTotal>> {
    tx.query_all(
        "SELECT p.method, sum(p.amount_minor)::bigint AS amount_minor \
           FROM payments p JOIN orders o ON o.id = p.order_id \
          WHERE o.outlet_id = $1 AND o.business_date = $2 AND o.status <> 'cancelled' \
            AND p.status = 'paid' AND NOT p.surplus \
          GROUP BY p.method ORDER BY p.method",
        [outlet_id.into(), date.into()],
    )
    .await
}

#[derive(FromQueryResult)]
struct OutletInfo {
    name: String,
    currency: String,
    brand: String,
}

pub struct DailySummaries;

#[async_trait]
impl Job for DailySummaries {
    fn name(&self) -> &'static str {
        "daily_summaries"
    }

    fn every(&self, _settings: &crate::config::Settings) -> Option<Duration> {
        Some(Duration::from_secs(300))
    }

    async fn run(&self, state: &AppState) -> Result<()> {
        let sent = send_due(state, None).await?;
        if sent > 0 {
            tracing::info!(days = sent, "daily summaries queued");
        }
        Ok(())
    }
}

/// Queues the summaries of every outlet day that is due (of one tenant
/// when `only` is given: tests share a database); returns how many days.
pub async fn send_due(state: &AppState, only: Option<Uuid>) -> Result<usize> {
    let due = state.db.cross_tenant().daily_summaries_due(state.settings.daily_summary_grace, DAYS_BACK, BATCH).await?;
    let mut done = 0;
    for day in due.into_iter().filter(|d| only.is_none_or(|t| t == d.tenant_id)) {
        let tx = state.db.begin_scoped(day.tenant_id, OutletScope::All, PrincipalId::System).await?;
        if queue_day(&tx, day.outlet_id, day.business_date).await? {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// Claims the outlet's day and writes its mails; false when another
/// server claimed it first.
pub async fn queue_day(tx: &ScopedTx, outlet_id: Uuid, date: NaiveDate) -> Result<bool> {
    let recipients = super::recipients::of_outlet(tx, outlet_id).await?;
    let claimed = tx
        .execute(
            "INSERT INTO daily_summaries (tenant_id, outlet_id, business_date, recipients) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
            [tx.tenant_id().into(), outlet_id.into(), date.into(), (recipients.len() as i32).into()],
        )
        .await?;
    if claimed.rows_affected() == 0 {
        return Ok(false);
    }
    let outlet: OutletInfo = tx
        .query_one(
            "SELECT o.name, t.currency::text AS currency, t.name AS brand \
               FROM outlets o JOIN tenants t ON t.id = o.tenant_id WHERE o.id = $1",
            [outlet_id.into()],
        )
        .await?
        .ok_or(Error::NotFound)?;
    let figures = day_figures(tx, outlet_id, date).await?;
    let mix = day_payment_mix(tx, outlet_id, date).await?;
    for r in &recipients {
        let summary = templates::SummaryMail {
            locale: r.locale,
            brand: &outlet.brand,
            outlet: &outlet.name,
            name: &r.name,
            date,
            currency: &outlet.currency,
            figures: &figures,
            mix: &mix,
        };
        let (subject, text, html) = summary.render()?;
        enqueue(tx, &Mail { kind: MailKind::DailySummary, to: r.email.clone(), subject, text, html }).await?;
    }
    Ok(true)
}
