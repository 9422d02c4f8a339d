//! The daily sales summary: once an outlet's business day has ended (in
//! its own time zone, plus a grace for orders taken offline that day), its
//! owners and managers get one mail with the day's figures. Claiming the
//! day (`daily_summaries`) and writing the mails happen in one transaction,
//! so each day's summary goes out once however many servers run the job.
//! The figures are the reports' ([`crate::reports::summary`]).

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
    // The figures the reports show for that day (one source of truth).
    let summary = crate::reports::summary(tx, outlet_id, date).await?;
    for r in &recipients {
        let summary = templates::SummaryMail {
            locale: r.locale,
            brand: &outlet.brand,
            outlet: &outlet.name,
            name: &r.name,
            date,
            currency: &outlet.currency,
            summary: &summary,
        };
        let (subject, text, html) = summary.render()?;
        enqueue(tx, &Mail { kind: MailKind::DailySummary, to: r.email.clone(), subject, text, html }).await?;
    }
    Ok(true)
}
