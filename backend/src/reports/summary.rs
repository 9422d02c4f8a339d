//! The sales summary: totals, payment mix and best sellers of a range. The
//! daily summary mail calls [`summary`] for one outlet's local day.

use chrono::NaiveDate;
use pos_wire::{ReportGroup, SalesSummary};
use uuid::Uuid;

use super::{
    ReportRange,
    sales::{sales_rows, sales_totals},
};
use crate::{db::ScopedTx, error::Result};

/// How many best sellers a summary names.
pub const TOP_ITEMS: usize = 5;

/// One outlet's local day, as the daily summary mail tells it. The
/// transaction's scope must include the outlet (else everything is zero).
pub async fn summary(tx: &ScopedTx, outlet_id: Uuid, local_date: NaiveDate) -> Result<SalesSummary> {
    summary_of(tx, &ReportRange::day(outlet_id, local_date)).await
}

pub async fn summary_of(tx: &ScopedTx, range: &ReportRange) -> Result<SalesSummary> {
    let totals = sales_totals(tx, range).await?;
    let payment_mix = sales_rows(tx, range, ReportGroup::PaymentMethod).await?;
    let mut top_items = sales_rows(tx, range, ReportGroup::Item).await?;
    top_items.truncate(TOP_ITEMS);
    Ok(SalesSummary { outlet_id: range.outlet_id, from: range.from, to: range.to, totals, payment_mix, top_items })
}
