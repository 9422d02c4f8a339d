//! The closing count of a drawer: a counted total, or so many of each
//! Rupiah note and coin (or both, when they agree).

use pos_wire::{CloseShift, DenominationCount, RUPIAH_VALUES};

use crate::{
    error::{Code, CodedError, Error, FieldErrors, Result},
    payments::take::MAX_AMOUNT,
};

/// The most notes or coins of one value a drawer holds.
pub const MAX_PIECES: i64 = 100_000;

/// A count that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub counted_minor: i64,
    /// Largest value first; empty when only the total was given.
    pub denominations: Vec<DenominationCount>,
}

impl Count {
    /// Parses the count of `req` for a drawer in `currency`.
    pub fn parse(req: &CloseShift, currency: &str) -> Result<Count> {
        let mut errors = FieldErrors::new();
        if let Some(c) = req.counted_minor
            && !(0..=MAX_AMOUNT).contains(&c)
        {
            errors.add("counted_minor", CodedError::out_of_range(0, MAX_AMOUNT));
        }
        let mut denominations = Vec::new();
        if let Some(given) = &req.denominations {
            if currency.trim() != "IDR" {
                errors.add("denominations", Code::DenominationsRupiahOnly);
            }
            for (i, d) in given.iter().enumerate() {
                if !RUPIAH_VALUES.contains(&d.value_minor) {
                    errors.add(
                        &format!("denominations[{i}].value_minor"),
                        CodedError::new(Code::DenominationUnknown).with("value_minor", d.value_minor),
                    );
                }
                if !(0..=MAX_PIECES).contains(&d.count) {
                    errors.add(&format!("denominations[{i}].count"), CodedError::out_of_range(0, MAX_PIECES));
                }
                if given[..i].iter().any(|e| e.value_minor == d.value_minor) {
                    errors.add("denominations", Code::DenominationTwice);
                }
            }
            denominations = given.clone();
            denominations.sort_by_key(|d| std::cmp::Reverse(d.value_minor));
        }
        if req.counted_minor.is_none() && req.denominations.is_none() {
            errors.add("counted_minor", Code::CountRequired);
        }
        errors.finish()?;
        // In range by the checks above: at most 10 values of 100.000 pieces each.
        let total: i64 = denominations.iter().map(|d| d.value_minor * d.count).sum();
        let counted_minor = match (req.counted_minor, &req.denominations) {
            (Some(c), Some(_)) if c != total => {
                return Err(Error::field(
                    "counted_minor",
                    CodedError::new(Code::CountMismatch).with("denominations_minor", total),
                ));
            }
            (Some(c), _) => c,
            (None, _) => total,
        };
        denominations.retain(|d| d.count > 0);
        Ok(Count { counted_minor, denominations })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(value_minor: i64, count: i64) -> DenominationCount {
        DenominationCount { value_minor, count }
    }

    fn close(counted: Option<i64>, denominations: Option<Vec<DenominationCount>>) -> CloseShift {
        CloseShift { counted_minor: counted, denominations, client_close_id: None }
    }

    fn codes(e: Error) -> Vec<(String, Code)> {
        let Error::Validation(f) = e else { panic!("not a validation error: {e:?}") };
        f.0.into_iter().flat_map(|(k, v)| v.into_iter().map(move |c| (k.clone(), c.code))).collect()
    }

    #[test]
    fn a_drawer_counted_by_notes_and_coins_adds_up() {
        let c = Count::parse(&close(None, Some(vec![d(500, 3), d(100_000, 5), d(2_000, 0), d(1_000, 7)])), "IDR");
        assert_eq!(
            c.unwrap(),
            Count { counted_minor: 508_500, denominations: vec![d(100_000, 5), d(1_000, 7), d(500, 3)] }
        );
        assert_eq!(
            Count::parse(&close(Some(508_500), Some(vec![d(100_000, 5), d(1_000, 8), d(500, 1)])), "IDR")
                .unwrap()
                .counted_minor,
            508_500
        );
        assert_eq!(Count::parse(&close(Some(0), None), "USD").unwrap().counted_minor, 0);
    }

    #[test]
    fn wrong_counts_are_refused_by_field() {
        assert_eq!(
            codes(Count::parse(&close(None, None), "IDR").unwrap_err()),
            [("counted_minor".into(), Code::CountRequired)]
        );
        let e = Count::parse(&close(None, Some(vec![d(25_000, 1), d(100, -1), d(100, 2)])), "IDR").unwrap_err();
        assert_eq!(
            codes(e),
            [
                ("denominations".into(), Code::DenominationTwice),
                ("denominations[0].value_minor".into(), Code::DenominationUnknown),
                ("denominations[1].count".into(), Code::OutOfRange),
            ]
        );
        let e = Count::parse(&close(Some(10_000), Some(vec![d(5_000, 1)])), "IDR").unwrap_err();
        assert_eq!(codes(e), [("counted_minor".into(), Code::CountMismatch)]);
        let e = Count::parse(&close(None, Some(vec![d(5_000, 1)])), "USD").unwrap_err();
        assert_eq!(codes(e), [("denominations".into(), Code::DenominationsRupiahOnly)]);
        assert_eq!(
            codes(Count::parse(&close(Some(-1), None), "IDR").unwrap_err()),
            [("counted_minor".into(), Code::OutOfRange)]
        );
    }
}
