//! Timed 86s ending: an item taken off "until 15:00" or "until the end of
//! the day" comes back at that time by itself, live on every device of the
//! outlet (`menu.availability_changed`), and the admin shows it on again.

use async_trait::async_trait;
use uuid::Uuid;

use super::Job;
use crate::{
    db::{OutletScope, PrincipalId},
    error::Result,
    state::AppState,
};

/// Tenants looked at per run, and items ended per tenant per run.
const TENANTS: i32 = 200;
const ITEMS: i64 = 500;

pub struct EndTimed86s;

#[async_trait]
impl Job for EndTimed86s {
    fn name(&self) -> &'static str {
        "end_timed_86s"
    }

    async fn run(&self, state: &AppState) -> Result<()> {
        let ended = end_timed_86s_once(state, None).await?;
        if ended > 0 {
            tracing::info!(ended, "timed 86s ended");
        }
        Ok(())
    }
}

/// One pass; `only` limits it to one tenant (tests share a database).
/// Returns how many items came back.
pub async fn end_timed_86s_once(state: &AppState, only: Option<Uuid>) -> Result<usize> {
    let mut ended = 0;
    for tenant_id in state.db.cross_tenant().tenants_with_ended_86s(TENANTS).await? {
        if only.is_some_and(|t| t != tenant_id) {
            continue;
        }
        let tx = state.db.begin_scoped(tenant_id, OutletScope::All, PrincipalId::System).await?;
        ended += crate::catalog::overrides::end_timed_86s(&tx, ITEMS).await?.len();
        tx.commit().await?;
    }
    Ok(ended)
}
