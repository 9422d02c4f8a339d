//! The job that folds the sales rollups' delta rows (the triggers only ever
//! append, so that orders never queue on a shared rollup row).

use async_trait::async_trait;

use crate::{error::Result, jobs::Job, state::AppState};

pub struct CompactRollups;

#[async_trait]
impl Job for CompactRollups {
    fn name(&self) -> &'static str {
        "compact_sales_rollups"
    }

    async fn run(&self, state: &AppState) -> Result<()> {
        let folded = state.db.cross_tenant().compact_sales_rollups().await?;
        if folded > 0 {
            tracing::debug!(folded, "sales rollups compacted");
        }
        Ok(())
    }
}
