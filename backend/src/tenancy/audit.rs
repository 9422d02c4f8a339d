//! The audit log: who changed what, when, with before and after. Append-only
//! for the server's database role; readable by owners.

use chrono::{DateTime, Utc};
use pos_wire::{Page, PageQuery, Role};
use sea_orm::FromQueryResult;
use serde::Serialize;
use uuid::Uuid;

use super::paging::PageRequest;
use crate::{auth::Actor, db::ScopedTx, error::Result};

/// Records one change made by `actor`.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    tx: &ScopedTx,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    outlet_id: Option<Uuid>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    let (kind, id) = actor.audit_identity();
    record_as(tx, kind, Some(id), actor.request_id.as_deref(), action, entity, entity_id, outlet_id, before, after)
        .await
}

/// Records a change made by someone who is not yet an [`Actor`] (sign-up,
/// pairing) or by the system.
#[allow(clippy::too_many_arguments)]
pub async fn record_as(
    tx: &ScopedTx,
    actor_kind: &str,
    actor_id: Option<Uuid>,
    request_id: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    outlet_id: Option<Uuid>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (tenant_id, id, actor_kind, actor_id, action, entity, entity_id, outlet_id, before, after, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        [
            tx.tenant_id().into(),
            Uuid::now_v7().into(),
            actor_kind.into(),
            actor_id.into(),
            action.into(),
            entity.into(),
            entity_id.into(),
            outlet_id.into(),
            before.into(),
            after.into(),
            request_id.map(str::to_string).into(),
        ],
    )
    .await?;
    Ok(())
}

/// A JSON snapshot for the audit log.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

#[derive(Debug, Clone, Serialize, FromQueryResult, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// The acting user's name, when the actor was a user that still exists.
    pub actor_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub outlet_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

/// Newest first. Owners only.
pub async fn list(tx: &ScopedTx, actor: &Actor, q: &PageQuery) -> Result<Page<AuditEntry>> {
    actor.require_role(&[Role::Owner])?;
    let page = PageRequest::parse(q)?;
    let rows: Vec<AuditEntry> = tx
        .query_all(
            "SELECT a.id, a.at, a.actor_kind, a.actor_id, u.name AS actor_name, a.action, a.entity, \
                    a.entity_id, a.outlet_id, a.before, a.after, a.request_id \
               FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id AND a.actor_kind = 'user' \
              WHERE ($1::uuid IS NULL OR a.id < $1) ORDER BY a.id DESC LIMIT $2",
            [page.after.into(), page.fetch().into()],
        )
        .await?;
    Ok(page.page(rows, |r| r.id))
}

pub mod http {
    //! `GET /api/v1/audit-log`: the brand's audit log, newest first (owners).

    use actix_web::web;
    use pos_wire::{Page, PageQuery};

    use super::AuditEntry;
    use crate::{auth::principal::Scoped, error::Result};

    pub fn routes(cfg: &mut web::ServiceConfig) {
        cfg.service(web::resource("/audit-log").route(web::get().to(list_audit_log)));
    }

    #[utoipa::path(get, path = "/api/v1/audit-log", tag = "audit", params(PageQuery),
        responses((status = 200, body = Page<AuditEntry>), (status = 403)), security(("bearer" = [])))]
    pub async fn list_audit_log(s: Scoped, q: web::Query<PageQuery>) -> Result<web::Json<Page<AuditEntry>>> {
        let page = super::list(&s.tx, &s.actor, &q).await?;
        s.tx.commit().await?;
        Ok(web::Json(page))
    }
}
