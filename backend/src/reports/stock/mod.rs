//! Stock reports (issue 14): on hand, movements, theoretical against
//! counted usage, and food cost per menu item (see `pos_wire::stock_reports`
//! for what each figure means and how ingredients are valued).
//!
//! Every report reads the ledger (`stock_movements`) and what sales took
//! per line (`stock_sale_lines`) in the caller's row-level security scope,
//! with each outlet's range of local dates turned into instants in its own
//! time zone, so an outlet's index (tenant, outlet, time) serves it.

pub mod csv;
pub mod food_cost;
pub mod http;
pub mod movements;
pub mod on_hand;
pub mod usage;

use sea_orm::Value;

use super::ReportRange;

/// The outlets of a report with the instants their range starts and ends
/// at: `$1` first local instant, `$2` first local instant after, `$3` the
/// outlet (NULL: every outlet the caller sees).
const WINDOWS: &str = "win AS (SELECT o.id AS outlet_id, o.name AS outlet_name, \
                                      ($1::timestamp AT TIME ZONE o.timezone) AS s, \
                                      ($2::timestamp AT TIME ZONE o.timezone) AS e \
                                 FROM outlets o WHERE $3::uuid IS NULL OR o.id = $3)";

/// The values of [`WINDOWS`].
fn window_values(range: &ReportRange) -> Vec<Value> {
    vec![range.start().into(), range.end().into(), range.outlet_id.into()]
}
