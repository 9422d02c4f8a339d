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
    /// Given offline above the limit with a manager's PIN the server could
    /// not verify at replay (wrong, missing, or not a manager's): kept,
    /// because the sale happened, and counted in the shift's reports.
    #[serde(default)]
    pub approval_unverified: bool,
    pub created_at: DateTime<Utc>,
}

/// One discount as the arithmetic sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiscountTerms {
    pub line_id: Option<Uuid>,
    pub kind: DiscountKind,
    pub value: i64,
}

/// Whether a discount needs a manager: its own share of what it applies to
/// (`base`, in minor units, after the discounts before it), or the order's
/// discounts together (`total_discount` of `subtotal`), above `limit_bp`.
/// `amount` is what it takes off. The till asks for a PIN by the same rule
/// the server applies.
pub fn above_limit(
    terms: &DiscountTerms,
    amount: i64,
    base: i64,
    total_discount: i64,
    subtotal: i64,
    limit_bp: i32,
) -> bool {
    let limit = i128::from(limit_bp);
    let own = match terms.kind {
        DiscountKind::Percent => i128::from(terms.value) > limit,
        DiscountKind::Amount => i128::from(amount) * 10_000 > limit * i128::from(base),
    };
    own || i128::from(total_discount) * 10_000 > limit * i128::from(subtotal)
}

/// An order's discounts and money: what each of `discounts` takes off
/// (see [`discount_amounts`]) and the totals with service charge and tax on
/// what is left. The server prices an order with it, and a till shows an
/// offline sale's total with it, so the two cannot disagree.
pub fn discounted_order(
    lines: &[(Uuid, i64)],
    discounts: &[DiscountTerms],
    service_charge_bp: i32,
    tax_rate_bp: i32,
) -> (Vec<i64>, crate::pricing::Totals) {
    let amounts = discount_amounts(lines, discounts);
    let subtotal: i64 = lines.iter().map(|(_, t)| t).sum();
    let totals = crate::pricing::discounted_totals(subtotal, amounts.iter().sum(), service_charge_bp, tax_rate_bp);
    (amounts, totals)
}

/// A manager's approval typed on a till while offline, sealed to the
/// server's approval key (`GET /api/v1/till/approval-key`): ECDH P-256 with
/// a one-time key of the till's, HKDF-SHA256, AES-256-GCM. Only the server
/// opens it; the till keeps no PIN readable. Each part is base64url without
/// padding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SealedApproval {
    /// The server key it was sealed to.
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub key_id: String,
    /// The till's one-time public key, an uncompressed SEC1 point (65 bytes).
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub epk: String,
    /// AES-GCM nonce (12 bytes).
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub iv: String,
    /// [`ApprovalSeal`] as JSON, encrypted, with its tag.
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub ciphertext: String,
}

/// What a till seals: who approved, their PIN, and what for, so that a seal
/// cannot be moved to another discount or order.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSeal {
    pub approver_id: Uuid,
    pub pin: String,
    pub client_discount_id: Uuid,
    pub client_order_id: Uuid,
    pub outlet_id: Uuid,
    pub sealed_at: DateTime<Utc>,
}

/// The PIN never reaches a log through `{:?}`.
impl std::fmt::Debug for ApprovalSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApprovalSeal")
            .field("approver_id", &self.approver_id)
            .field("client_discount_id", &self.client_discount_id)
            .field("client_order_id", &self.client_order_id)
            .finish_non_exhaustive()
    }
}

/// The HKDF `info` of a sealed approval (the salt is empty).
pub const APPROVAL_SEAL_INFO: &[u8] = b"pos offline approval v1";

/// `GET /api/v1/till/approval-key`: what a till seals offline approvals to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalKey {
    pub key_id: String,
    /// An uncompressed SEC1 P-256 point (65 bytes), base64url without padding.
    pub public_key: String,
}

/// A discount given at a till while offline, riding in the queue with its
/// order (`discounts` of a pushed order): applied after the order and
/// before its payments, exactly once per `client_discount_id`, always on
/// the whole order (the order's line ids are the server's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QueuedDiscount {
    pub client_discount_id: Uuid,
    pub kind: DiscountKind,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub value: i64,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reason: String,
    /// A manager's PIN sealed on the till, when the discount was above the limit.
    #[serde(default)]
    pub sealed_approval: Option<SealedApproval>,
}

impl QueuedDiscount {
    /// As the discount endpoint takes it (the approval is checked apart).
    pub fn to_create(&self) -> CreateDiscount {
        CreateDiscount {
            client_discount_id: self.client_discount_id,
            line_id: None,
            kind: self.kind,
            value: self.value,
            reason: self.reason.clone(),
            approval: None,
        }
    }

    pub fn terms(&self) -> DiscountTerms {
        DiscountTerms { line_id: None, kind: self.kind, value: self.value }
    }
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

    #[test]
    fn the_limit_bounds_each_discount_and_all_of_them_together() {
        let pct = |v| DiscountTerms { line_id: None, kind: DiscountKind::Percent, value: v };
        let amt = |v| DiscountTerms { line_id: None, kind: DiscountKind::Amount, value: v };
        // 10% limit on an order of 100,000.
        assert!(!above_limit(&pct(1_000), 10_000, 100_000, 10_000, 100_000, 1_000));
        assert!(above_limit(&pct(1_001), 10_010, 100_000, 10_010, 100_000, 1_000));
        assert!(!above_limit(&amt(10_000), 10_000, 100_000, 10_000, 100_000, 1_000));
        assert!(above_limit(&amt(10_001), 10_001, 100_000, 10_001, 100_000, 1_000));
        // A second 5% after a first one: 9.75% in all is fine, a third is not.
        assert!(!above_limit(&pct(500), 4_750, 95_000, 9_750, 100_000, 1_000));
        assert!(above_limit(&pct(500), 4_513, 90_250, 14_263, 100_000, 1_000));
        // A limit of 0: every discount needs a manager.
        assert!(above_limit(&amt(1), 1, 100_000, 1, 100_000, 0));
    }

    #[test]
    fn an_order_is_priced_with_its_discounts_before_service_and_tax() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let lines = [(a, 60_000), (b, 40_000)];
        let d = [DiscountTerms { line_id: None, kind: DiscountKind::Percent, value: 1_000 }];
        let (amounts, t) = discounted_order(&lines, &d, 500, 1_100);
        assert_eq!(amounts, [10_000]);
        assert_eq!(
            (t.subtotal_minor, t.service_charge_minor, t.tax_minor, t.total_minor),
            (100_000, 4_500, 10_395, 104_895)
        );
        assert_eq!(discounted_order(&lines, &[], 0, 0).1.total_minor, 100_000);
    }

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
