//! Discounts on an order or one of its lines: a percentage or an amount,
//! with a reason, computed and applied by the server before service charge
//! and tax (see API.md, Discounts).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{orders::UnknownName, payments::Approval};

/// How a discount's `value` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DiscountKind {
    /// `value` in basis points of what it applies to (1000 = 10%).
    Percent,
    /// `value` in minor units (never more than what it applies to).
    Amount,
}

impl DiscountKind {
    pub const ALL: [DiscountKind; 2] = [DiscountKind::Percent, DiscountKind::Amount];

    pub fn as_str(self) -> &'static str {
        match self {
            DiscountKind::Percent => "percent",
            DiscountKind::Amount => "amount",
        }
    }
}

impl TryFrom<&str> for DiscountKind {
    type Error = UnknownName;

    fn try_from(s: &str) -> Result<DiscountKind, UnknownName> {
        DiscountKind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_string()))
    }
}

/// `POST /api/v1/orders/{id}/discounts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateDiscount {
    /// Made by the device: the same id again is the same discount.
    pub client_discount_id: Uuid,
    /// The line (`line_id` of one of the order's `items`); absent for the whole order.
    #[serde(default)]
    pub line_id: Option<Uuid>,
    pub kind: DiscountKind,
    /// Basis points (1 to 10000) for `percent`, minor units for `amount`.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub value: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
    /// A manager's PIN, needed above the outlet's `discount_limit_bp`.
    #[serde(default)]
    pub approval: Option<Approval>,
}

/// A discount as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discount {
    pub id: Uuid,
    pub client_discount_id: Uuid,
    pub order_id: Uuid,
    pub line_id: Option<Uuid>,
    pub kind: DiscountKind,
    pub value: i64,
    /// What it takes off the order as the order stands now.
    pub amount_minor: i64,
    pub reason: String,
    pub user_id: Option<Uuid>,
    pub approved_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One discount as the arithmetic sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountTerms {
    pub line_id: Option<Uuid>,
    pub kind: DiscountKind,
    pub value: i64,
}

/// What each of `discounts` takes off an order whose lines are
/// `(line_id, line_total_minor)`, in the order given: line discounts first,
/// each on what is left of its line; then the order's, each on what is left
/// of the order. A percentage is rounded half up; nothing goes below zero;
/// a discount of a line the order does not have takes nothing.
pub fn discount_amounts(lines: &[(Uuid, i64)], discounts: &[DiscountTerms]) -> Vec<i64> {
    let take = |left: i64, d: &DiscountTerms| -> i64 {
        let wanted = match d.kind {
            DiscountKind::Percent => {
                crate::pricing::apply_basis_points(left, i32::try_from(d.value.clamp(0, 10_000)).unwrap_or(0))
            }
            DiscountKind::Amount => d.value.max(0),
        };
        wanted.min(left).max(0)
    };
    let mut left_of_line: Vec<(Uuid, i64)> = lines.to_vec();
    let mut out = vec![0; discounts.len()];
    for (i, d) in discounts.iter().enumerate() {
        let Some(line_id) = d.line_id else { continue };
        if let Some((_, left)) = left_of_line.iter_mut().find(|(id, _)| *id == line_id) {
            out[i] = take(*left, d);
            *left -= out[i];
        }
    }
    let mut left: i64 = left_of_line.iter().map(|(_, l)| l).sum();
    for (i, d) in discounts.iter().enumerate() {
        if d.line_id.is_none() {
            out[i] = take(left, d);
            left -= out[i];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(line_id: Option<Uuid>, kind: DiscountKind, value: i64) -> DiscountTerms {
        DiscountTerms { line_id, kind, value }
    }

    #[test]
    fn lines_first_then_the_order_never_below_zero() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let lines = [(a, 50_000), (b, 25_000)];
        let d = [
            terms(None, DiscountKind::Percent, 1_000),
            terms(Some(a), DiscountKind::Amount, 10_000),
            terms(Some(b), DiscountKind::Percent, 3_333),
        ];
        // b: 33.33% of 25,000 = 8,332.5 -> 8,333; the order: 10% of 40,000 + 16,667 = 5,666.7 -> 5,667.
        assert_eq!(discount_amounts(&lines, &d), [5_667, 10_000, 8_333]);
        let all = [terms(Some(a), DiscountKind::Amount, 80_000), terms(None, DiscountKind::Amount, 80_000)];
        assert_eq!(discount_amounts(&lines, &all), [50_000, 25_000]);
        assert_eq!(discount_amounts(&lines, &[terms(Some(Uuid::nil()), DiscountKind::Amount, 5)]), [0]);
        assert_eq!(discount_amounts(&lines, &[terms(None, DiscountKind::Percent, 10_000)]), [75_000]);
    }
}
