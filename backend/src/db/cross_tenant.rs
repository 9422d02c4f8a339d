//! The narrow cross-tenant path, reviewed as such.
//!
//! Before a request knows its tenant, it can do exactly these things, each
//! through one `SECURITY DEFINER` function owned by the `pos_xt` role (see
//! the foundation and auth-hardening migrations): find the accounts an email
//! and password hash open, claim a device pairing code, and ask which of the
//! process's open event streams have lost their credential; and, for the
//! payment gateway's webhook and the reconciliation job, find a payment by
//! the id the gateway knows it by, list charges pending too long, and log a
//! notification as received; for mail, claim the outbox's due mails and
//! record what became of them, find a mailed link's token, and list the
//! accounts under an email (a password reset request); for reports, fold
//! the sales rollups' delta rows. Nothing else in the
//! server reads a tenant table without a tenant scope.
//!
//! Each call runs in a transaction of its own, like all other work: through
//! PgBouncer in transaction mode a statement outside a transaction may meet
//! another server connection between its preparation and its execution.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, QueryResult, Statement, TransactionTrait};
use uuid::Uuid;

use super::{Availability, stmt};
use crate::error::Result;

pub struct CrossTenant<'a> {
    conn: &'a DatabaseConnection,
    availability: &'a Arc<Availability>,
}

/// An active account whose password hash matched.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LoginMatch {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub tenant_name: String,
    /// The account's email was verified (a mailed link).
    pub verified: bool,
}

/// An active account whose password must be checked against its own hash.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LoginCandidate {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub password_hash: String,
    pub tenant_name: String,
    pub verified: bool,
}

/// One open event stream, as [`CrossTenant::ended_streams`] checks it.
#[derive(Debug, Clone)]
pub struct StreamCheck {
    pub tenant_id: Uuid,
    pub outlet_id: Uuid,
    /// `staff`, `admin` or `device`.
    pub kind: &'static str,
    /// The user or device.
    pub principal: Uuid,
    /// The refresh token or admin session it was opened with; `None` for devices.
    pub session: Option<Uuid>,
}

/// The device a pairing code belonged to, now claimed.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ClaimedDevice {
    pub tenant_id: Uuid,
    pub device_id: Uuid,
    pub outlet_id: Uuid,
    pub kind: String,
}

/// A payment found by the id we gave the gateway.
#[derive(Debug, Clone, FromQueryResult)]
pub struct GatewayPayment {
    pub tenant_id: Uuid,
    pub outlet_id: Uuid,
    pub payment_id: Uuid,
    pub order_id: Uuid,
}

/// A QRIS charge still pending.
#[derive(Debug, Clone, FromQueryResult)]
pub struct PendingGatewayPayment {
    pub tenant_id: Uuid,
    pub outlet_id: Uuid,
    pub payment_id: Uuid,
    pub order_id: Uuid,
    pub gateway_order_id: String,
}

/// A mail claimed from the outbox for sending.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ClaimedEmail {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i32,
}

/// A mailed link's token, unused and unexpired.
#[derive(Debug, Clone, FromQueryResult)]
pub struct AccountTokenRef {
    pub tenant_id: Uuid,
    pub token_id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
}

/// An active account under an email.
#[derive(Debug, Clone, FromQueryResult)]
pub struct AccountRef {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
}

/// An outlet's business day that ended without its daily summary.
#[derive(Debug, Clone, FromQueryResult)]
pub struct SummaryDue {
    pub tenant_id: Uuid,
    pub outlet_id: Uuid,
    pub business_date: chrono::NaiveDate,
}

#[derive(FromQueryResult)]
struct TenantRef {
    tenant_id: Uuid,
}

/// A QRIS refund the gateway has not confirmed yet.
#[derive(Debug, Clone, FromQueryResult)]
pub struct PendingGatewayRefund {
    pub tenant_id: Uuid,
    pub outlet_id: Uuid,
    pub refund_id: Uuid,
    pub gateway_order_id: String,
    pub refund_key: String,
    pub amount_minor: i64,
    pub reason: String,
}

impl<'a> CrossTenant<'a> {
    pub(super) fn new(conn: &'a DatabaseConnection, availability: &'a Arc<Availability>) -> Self {
        CrossTenant { conn, availability }
    }

    /// The rows of one statement, run in a transaction of its own.
    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>> {
        let txn = self.availability.guard(self.conn.begin()).await?;
        let rows = self.availability.observe(txn.query_all_raw(statement).await)?;
        self.availability.observe(txn.commit().await)?;
        Ok(rows)
    }

    async fn all<T: FromQueryResult>(&self, statement: Statement) -> Result<Vec<T>> {
        let rows = self.rows(statement).await?;
        rows.iter().map(|r| T::from_query_result(r, "")).collect::<std::result::Result<_, _>>().map_err(Into::into)
    }

    /// The active accounts of `email` (in `tenant`, or any) whose stored hash is `hash`.
    pub async fn login_matches(&self, email: &str, hash: &str, tenant: Option<Uuid>) -> Result<Vec<LoginMatch>> {
        self.all(stmt(
            "SELECT tenant_id, user_id, tenant_name, verified FROM app.login_matches($1, $2, $3)",
            [email.into(), hash.into(), tenant.into()],
        ))
        .await
    }

    /// At most `limit` active accounts of `email` (oldest first) whose hash
    /// does not start with `current_prefix`: made before hashes were keyed
    /// by email, or kept through an email change.
    pub async fn login_legacy_candidates(
        &self,
        email: &str,
        current_prefix: &str,
        tenant: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<LoginCandidate>> {
        self.all(stmt(
            "SELECT tenant_id, user_id, password_hash, tenant_name, verified FROM app.login_legacy_candidates($1, $2, $3, $4)",
            [email.into(), current_prefix.into(), tenant.into(), (limit as i32).into()],
        ))
        .await
    }

    /// Positions (0-based) of the streams in `streams` whose credential no
    /// longer holds: revoked, signed out, deactivated, deleted, or no longer
    /// allowed at the outlet.
    pub async fn ended_streams(&self, streams: &[StreamCheck]) -> Result<Vec<usize>> {
        if streams.is_empty() {
            return Ok(Vec::new());
        }
        let column = |f: fn(&StreamCheck) -> Uuid| streams.iter().map(f).collect::<Vec<_>>();
        let kinds: Vec<String> = streams.iter().map(|s| s.kind.to_string()).collect();
        let rows = self
            .rows(stmt(
                "SELECT i FROM app.ended_streams($1, $2, $3, $4, $5) AS i",
                [
                    column(|s| s.tenant_id).into(),
                    column(|s| s.outlet_id).into(),
                    kinds.into(),
                    column(|s| s.principal).into(),
                    column(|s| s.session.unwrap_or_default()).into(),
                ],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i32>("", "i")? as usize - 1))
            .collect::<std::result::Result<Vec<_>, sea_orm::DbErr>>()
            .map_err(Into::into)
    }

    /// Claims an unexpired, unused pairing code (by its hash) exactly once.
    pub async fn claim_pairing_code(&self, code_hash: Vec<u8>) -> Result<Option<ClaimedDevice>> {
        let claimed: Vec<ClaimedDevice> = self
            .all(stmt(
                "SELECT tenant_id, device_id, outlet_id, kind FROM app.claim_pairing_code($1)",
                [code_hash.into()],
            ))
            .await?;
        Ok(claimed.into_iter().next())
    }

    /// The payment the gateway knows as `gateway_order_id`.
    pub async fn payment_by_gateway_order(&self, gateway_order_id: &str) -> Result<Option<GatewayPayment>> {
        let found: Vec<GatewayPayment> = self
            .all(stmt(
                "SELECT tenant_id, outlet_id, payment_id, order_id FROM app.payment_by_gateway_order($1)",
                [gateway_order_id.into()],
            ))
            .await?;
        Ok(found.into_iter().next())
    }

    /// At most `limit` QRIS charges pending for longer than `older_than`, oldest first.
    pub async fn pending_gateway_payments(
        &self,
        older_than: std::time::Duration,
        limit: i32,
    ) -> Result<Vec<PendingGatewayPayment>> {
        self.all(stmt(
            "SELECT tenant_id, outlet_id, payment_id, order_id, gateway_order_id \
               FROM app.pending_gateway_payments(make_interval(secs => $1), $2)",
            [older_than.as_secs_f64().into(), limit.into()],
        ))
        .await
    }

    /// Folds the sales rollups' delta rows written since the last run, in
    /// every brand (see migration 0017); returns how many rows it folded.
    pub async fn compact_sales_rollups(&self) -> Result<i64> {
        let rows = self.rows(stmt("SELECT app.compact_sales_rollups() AS folded", [])).await?;
        Ok(super::opt_row::<i64>(&rows, "folded")?.unwrap_or(0))
    }

    /// At most `limit` QRIS refunds left pending for longer than `older_than`, oldest first.
    pub async fn pending_gateway_refunds(
        &self,
        older_than: std::time::Duration,
        limit: i32,
    ) -> Result<Vec<PendingGatewayRefund>> {
        self.all(stmt(
            "SELECT tenant_id, outlet_id, refund_id, gateway_order_id, refund_key, amount_minor, reason \
               FROM app.pending_gateway_refunds(make_interval(secs => $1), $2)",
            [older_than.as_secs_f64().into(), limit.into()],
        ))
        .await
    }

    /// Claims at most `limit` due mails (of `only` that tenant, when given) for `lease`.
    pub async fn claim_emails(
        &self,
        limit: i32,
        lease: std::time::Duration,
        only: Option<Uuid>,
    ) -> Result<Vec<ClaimedEmail>> {
        self.all(stmt(
            "SELECT tenant_id, id, to_address, subject, text_body, html_body, attempts \
               FROM app.claim_emails($1, make_interval(secs => $2), $3)",
            [limit.into(), lease.as_secs_f64().into(), only.into()],
        ))
        .await
    }

    /// Records a claimed mail as sent (`error` none), to be tried again at
    /// `retry_at`, or failed for good (`retry_at` none).
    pub async fn email_attempted(
        &self,
        tenant_id: Uuid,
        id: Uuid,
        error: Option<&str>,
        retry_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        self.rows(stmt(
            "SELECT app.email_attempted($1, $2, $3, $4)",
            [tenant_id.into(), id.into(), error.map(str::to_string).into(), retry_at.into()],
        ))
        .await?;
        Ok(())
    }

    /// The unused, unexpired link token whose SHA-256 is `hash`.
    pub async fn account_token(&self, hash: &[u8]) -> Result<Option<AccountTokenRef>> {
        let found: Vec<AccountTokenRef> = self
            .all(stmt(
                "SELECT tenant_id, token_id, user_id, purpose FROM app.account_token($1)",
                [hash.to_vec().into()],
            ))
            .await?;
        Ok(found.into_iter().next())
    }

    /// The active accounts under `email`, in any tenant.
    pub async fn accounts_by_email(&self, email: &str) -> Result<Vec<AccountRef>> {
        self.all(stmt("SELECT tenant_id, user_id FROM app.accounts_by_email($1)", [email.into()])).await
    }

    /// Logs a notification as received, before (or without) its tenant being known.
    pub async fn log_gateway_notification(
        &self,
        gateway: &str,
        gateway_order_id: Option<&str>,
        tenant_id: Option<Uuid>,
        body: &serde_json::Value,
        signature_ok: bool,
        outcome: &str,
    ) -> Result<()> {
        let statement = stmt(
            "SELECT app.log_gateway_notification($1, $2, $3, $4, $5, $6)",
            [
                gateway.into(),
                gateway_order_id.map(str::to_string).into(),
                tenant_id.into(),
                body.clone().into(),
                signature_ok.into(),
                outcome.into(),
            ],
        );
        self.rows(statement).await?;
        Ok(())
    }
    /// Trims every outlet's event log with the job's floors (see migration
    /// 0019); returns how many events went.
    pub async fn trim_outlet_events(&self, keep_days: i32, keep_last: i64) -> Result<i64> {
        let rows = self
            .rows(stmt("SELECT app.trim_outlet_events($1, $2) AS gone", [keep_days.into(), keep_last.into()]))
            .await?;
        Ok(rows.first().and_then(|r| r.try_get::<Option<i64>>("", "gone").ok().flatten()).unwrap_or(0))
    }

    /// Tenants (at most `limit`) with an item whose timed 86 has run out.
    pub async fn tenants_with_ended_86s(&self, limit: i32) -> Result<Vec<Uuid>> {
        let rows: Vec<TenantRef> =
            self.all(stmt("SELECT tenant_id FROM app.tenants_with_ended_86s($1)", [limit.into()])).await?;
        Ok(rows.into_iter().map(|r| r.tenant_id).collect())
    }

    /// Outlet days (at most `limit`, within `days_back`) that ended more
    /// than `grace` ago without their daily summary.
    pub async fn daily_summaries_due(
        &self,
        grace: std::time::Duration,
        days_back: i32,
        limit: i32,
    ) -> Result<Vec<SummaryDue>> {
        self.all(stmt(
            "SELECT tenant_id, outlet_id, business_date FROM app.daily_summaries_due(make_interval(secs => $1), $2, $3)",
            [grace.as_secs_f64().into(), days_back.into(), limit.into()],
        ))
        .await
    }
}
