//! The audit log (owners): who changed what, when, with before and after.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::tenancy::audit::{self, AuditEntry};
use pos_wire::PageQuery;
use serde::Deserialize;
use serde_json::Value;

use crate::{
    error::AdminError,
    i18n::{Tr, format_utc},
    session::{Admin, Ctx},
};

const PAGE_SIZE: u32 = 50;

/// One entry as the log shows it.
pub struct AuditView {
    pub at: String,
    pub at_iso: String,
    pub who: String,
    pub action: String,
    pub entity: String,
    /// The changed object's name, when its snapshot has one.
    pub subject: Option<String>,
    /// Fields an update changed: (field, before, after).
    pub changes: Vec<(String, String, String)>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

impl AuditView {
    fn new(e: AuditEntry, tr: Tr) -> AuditView {
        let who = match (&e.actor_name, e.actor_id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => format!("{} {}", tr.t(actor_key(&e.actor_kind)), short(id)),
            (None, None) => tr.t(actor_key(&e.actor_kind)).to_string(),
        };
        AuditView {
            at: format_utc(&e.at),
            at_iso: e.at.to_rfc3339(),
            who,
            action: action_label(tr, &e.action),
            entity: e.entity_id.map_or(e.entity.clone(), |id| format!("{} {}", e.entity, short(id))),
            subject: subject(e.after.as_ref().or(e.before.as_ref())),
            changes: changes(e.before.as_ref(), e.after.as_ref()),
            before: e.before.as_ref().map(pretty),
            after: e.after.as_ref().map(pretty),
            request_id: e.request_id,
        }
    }
}

fn short(id: uuid::Uuid) -> String {
    id.simple().to_string()[24..].to_string()
}

fn actor_key(kind: &str) -> &'static str {
    match kind {
        "user" => "audit.actor_user",
        "device" => "audit.actor_device",
        _ => "audit.actor_system",
    }
}

/// "outlet.create" as a phrase, when it is a known action.
fn action_label(tr: Tr, action: &str) -> String {
    let key = format!("audit.{action}");
    match tr.try_t(&key) {
        Some(label) => label.to_string(),
        None => action.to_string(),
    }
}

fn subject(snapshot: Option<&Value>) -> Option<String> {
    snapshot?.get("name")?.as_str().map(str::to_string)
}

/// Top-level fields whose values differ (bookkeeping fields left out).
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<(String, String, String)> {
    let (Some(Value::Object(b)), Some(Value::Object(a))) = (before, after) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "updated_at" | "created_at"))
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), b.get(k).map_or("—".into(), compact), compact(v)))
        .collect()
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub(crate) struct AuditPage {
    ctx: Ctx,
    entries: Vec<AuditView>,
    next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CursorQuery {
    cursor: Option<String>,
}

pub async fn list(Admin { tx, actor, ctx }: Admin, q: web::Query<CursorQuery>) -> Result<AuditPage, AdminError> {
    let tr = ctx.tr;
    let page = audit::list(&tx, &actor, &PageQuery { limit: Some(PAGE_SIZE), cursor: q.into_inner().cursor }).await?;
    tx.commit().await?;
    Ok(AuditPage {
        ctx: ctx.at("audit"),
        entries: page.items.into_iter().map(|e| AuditView::new(e, tr)).collect(),
        next_cursor: page.next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn updates_list_what_changed() {
        let before = json!({"name": "Kemang", "tax_rate_bp": 1100, "is_open": true, "updated_at": "a"});
        let after = json!({"name": "Kemang", "tax_rate_bp": 1050, "is_open": true, "updated_at": "b"});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![("tax_rate_bp".to_string(), "1100".to_string(), "1050".to_string())]
        );
        assert!(changes(None, Some(&after)).is_empty());
        assert_eq!(subject(Some(&after)).as_deref(), Some("Kemang"));
    }
}
