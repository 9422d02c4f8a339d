//! What a cash payment settles. Cash that covers the balance settles the
//! order: the cash due is the balance rounded (half up) to the outlet's
//! rounding step, the difference is the rounding line (signed), and the
//! change is what was handed over minus the cash due. A partial cash
//! payment is not rounded.

use pos_wire::money::{Rounding, round_to_step};

use crate::error::{Code, CodedError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cash {
    /// Applied to the bill.
    pub applied_minor: i64,
    /// Cash due minus what was applied (signed).
    pub rounding_minor: i64,
    pub tendered_minor: i64,
    pub change_minor: i64,
}

/// `amount` applied against `balance` with `tendered` handed over (when
/// given) at an outlet rounding cash to `step`. The refusal names its field.
pub fn take_cash(
    amount: i64,
    tendered: Option<i64>,
    balance: i64,
    step: i64,
) -> Result<Cash, (&'static str, CodedError)> {
    if amount < balance {
        let tendered = tendered.unwrap_or(amount);
        if tendered < amount {
            return Err(("tendered_minor", CodedError::new(Code::TenderedBelowDue).with("due_minor", amount)));
        }
        return Ok(Cash {
            applied_minor: amount,
            rounding_minor: 0,
            tendered_minor: tendered,
            change_minor: tendered - amount,
        });
    }
    let due = round_to_step(balance, step, Rounding::HalfUp);
    // "The exact amount" (the balance) means the rounded cash due.
    let tendered = tendered.unwrap_or(if amount == balance { due } else { amount.max(due) });
    if tendered < due {
        return Err(("tendered_minor", CodedError::new(Code::TenderedBelowDue).with("due_minor", due)));
    }
    Ok(Cash {
        applied_minor: balance,
        rounding_minor: due - balance,
        tendered_minor: tendered,
        change_minor: tendered - due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cash(applied: i64, rounding: i64, tendered: i64, change: i64) -> Cash {
        Cash { applied_minor: applied, rounding_minor: rounding, tendered_minor: tendered, change_minor: change }
    }

    #[test]
    fn the_demo_coffee_is_paid_in_real_money() {
        // Rp 41.958 at an outlet rounding cash to Rp 100: Rp 42.000 is due.
        assert_eq!(take_cash(41_958, None, 41_958, 100), Ok(cash(41_958, 42, 42_000, 0)));
        assert_eq!(take_cash(50_000, None, 41_958, 100), Ok(cash(41_958, 42, 50_000, 8_000)));
        assert_eq!(take_cash(41_958, Some(100_000), 41_958, 100), Ok(cash(41_958, 42, 100_000, 58_000)));
        // Half up, and down below the half.
        assert_eq!(take_cash(41_949, None, 41_949, 100), Ok(cash(41_949, -49, 41_900, 0)));
        assert_eq!(take_cash(41_950, None, 41_950, 100), Ok(cash(41_950, 50, 42_000, 0)));
        assert_eq!(take_cash(41_958, None, 41_958, 1000), Ok(cash(41_958, 42, 42_000, 0)));
        assert_eq!(take_cash(41_958, None, 41_958, 500), Ok(cash(41_958, 42, 42_000, 0)));
        assert_eq!(take_cash(41_958, None, 41_958, 0), Ok(cash(41_958, 0, 41_958, 0)));
    }

    #[test]
    fn too_little_cash_is_refused_with_what_is_due() {
        let (field, why) = take_cash(41_958, Some(41_958), 41_958, 100).unwrap_err();
        assert_eq!(field, "tendered_minor");
        assert_eq!(why, CodedError::new(Code::TenderedBelowDue).with("due_minor", 42_000));
        assert!(take_cash(10_000, Some(9_000), 41_958, 100).is_err());
    }

    #[test]
    fn a_part_payment_is_not_rounded() {
        assert_eq!(take_cash(20_000, None, 41_958, 100), Ok(cash(20_000, 0, 20_000, 0)));
        assert_eq!(take_cash(20_000, Some(50_000), 41_958, 100), Ok(cash(20_000, 0, 50_000, 30_000)));
        // The rest of it is.
        assert_eq!(take_cash(21_958, None, 21_958, 100), Ok(cash(21_958, 42, 22_000, 0)));
    }
}
