//! The stand-in's charges and their life: `pending` until the customer pays
//! (`settlement`), the QR expires (`expire`), the merchant cancels
//! (`cancel`) or the issuer declines (`deny`); a settled charge can be
//! refunded in part (`partial_refund`) or whole (`refund`).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Settlement,
    Expire,
    Cancel,
    Deny,
    Refund,
    PartialRefund,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Settlement => "settlement",
            Status::Expire => "expire",
            Status::Cancel => "cancel",
            Status::Deny => "deny",
            Status::Refund => "refund",
            Status::PartialRefund => "partial_refund",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s {
            "pending" => Status::Pending,
            "settlement" => Status::Settlement,
            "expire" => Status::Expire,
            "cancel" => Status::Cancel,
            "deny" => Status::Deny,
            "refund" => Status::Refund,
            "partial_refund" => Status::PartialRefund,
            _ => return None,
        })
    }

    /// The `status_code` Midtrans sends with this status in notifications
    /// and status answers.
    pub fn status_code(self) -> &'static str {
        match self {
            Status::Pending => "201",
            Status::Settlement | Status::Refund | Status::PartialRefund => "200",
            Status::Expire | Status::Cancel | Status::Deny => "202",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Refund {
    pub refund_key: String,
    pub refund_chargeback_id: u64,
    pub amount: i64,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Charge {
    pub transaction_id: String,
    pub order_id: String,
    /// Whole rupiah, as charged.
    pub gross_amount: i64,
    pub acquirer: String,
    pub qr_string: String,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    pub refunds: Vec<Refund>,
    /// Where this charge's notifications go (`X-Override-Notification`, or
    /// the configured URL).
    pub notify_urls: Vec<String>,
}

impl Charge {
    pub fn refunded(&self) -> i64 {
        self.refunds.iter().map(|r| r.amount).sum()
    }
}

/// Why a transition was refused, as Midtrans words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    /// 412: the transaction's status cannot be changed that way.
    CannotModify,
    /// 406: the order id was used before.
    Duplicate,
    /// 400: the request is not valid.
    Invalid(String),
}

#[derive(Default)]
pub struct Charges {
    by_order: BTreeMap<String, Charge>,
    next_chargeback: u64,
}

impl Charges {
    pub fn insert(&mut self, charge: Charge) -> Result<Charge, Refusal> {
        if self.by_order.contains_key(&charge.order_id) {
            return Err(Refusal::Duplicate);
        }
        self.by_order.insert(charge.order_id.clone(), charge.clone());
        Ok(charge)
    }

    /// By order id or transaction id (Midtrans accepts either in URLs).
    pub fn get(&self, id: &str) -> Option<&Charge> {
        self.by_order.get(id).or_else(|| self.by_order.values().find(|c| c.transaction_id == id))
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Charge> {
        let key = self.get(id)?.order_id.clone();
        self.by_order.get_mut(&key)
    }

    pub fn all(&self) -> impl Iterator<Item = &Charge> {
        self.by_order.values()
    }

    /// The customer's bank completed a payment after the charge was
    /// cancelled or expired (the issuer's debit raced the cancel): the
    /// charge settles after all. Rare at a real gateway, and exactly what a
    /// merchant must cope with.
    pub fn settle_late(&mut self, id: &str, now: DateTime<Utc>) -> Result<Charge, Refusal> {
        let charge = self.get_mut(id).ok_or(Refusal::NotFound)?;
        if !matches!(charge.status, Status::Cancel | Status::Expire) {
            return Err(Refusal::CannotModify);
        }
        charge.status = Status::Settlement;
        charge.settled_at = Some(now);
        Ok(charge.clone())
    }

    /// Moves a pending charge to `to` (settlement, expire, cancel, deny).
    pub fn finish(&mut self, id: &str, to: Status, now: DateTime<Utc>) -> Result<Charge, Refusal> {
        let charge = self.get_mut(id).ok_or(Refusal::NotFound)?;
        if charge.status != Status::Pending || matches!(to, Status::Pending | Status::Refund | Status::PartialRefund) {
            return Err(Refusal::CannotModify);
        }
        charge.status = to;
        if to == Status::Settlement {
            charge.settled_at = Some(now);
        }
        Ok(charge.clone())
    }

    /// Refunds part or all of a settled charge. The same `refund_key` again
    /// answers the first refund without refunding twice.
    pub fn refund(
        &mut self,
        id: &str,
        refund_key: &str,
        amount: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(Charge, Refund), Refusal> {
        let next = self.next_chargeback + 1;
        let charge = self.get_mut(id).ok_or(Refusal::NotFound)?;
        if let Some(done) = charge.refunds.iter().find(|r| r.refund_key == refund_key) {
            return Ok((charge.clone(), done.clone()));
        }
        if !matches!(charge.status, Status::Settlement | Status::PartialRefund) {
            return Err(Refusal::CannotModify);
        }
        if amount <= 0 {
            return Err(Refusal::Invalid("amount must be more than 0".into()));
        }
        if amount > charge.gross_amount - charge.refunded() {
            return Err(Refusal::Invalid("refund amount exceeds what is left of the transaction".into()));
        }
        let refund = Refund {
            refund_key: refund_key.to_string(),
            refund_chargeback_id: next,
            amount,
            reason: reason.to_string(),
            at: now,
        };
        charge.refunds.push(refund.clone());
        charge.status = if charge.refunded() == charge.gross_amount { Status::Refund } else { Status::PartialRefund };
        let charge = charge.clone();
        self.next_chargeback = next;
        Ok((charge, refund))
    }

    /// Pending charges whose QR is past its expiry: they become `expire`.
    pub fn expire_due(&mut self, now: DateTime<Utc>) -> Vec<Charge> {
        let mut expired = Vec::new();
        for charge in self.by_order.values_mut() {
            if charge.status == Status::Pending && charge.expires_at <= now {
                charge.status = Status::Expire;
                expired.push(charge.clone());
            }
        }
        expired
    }
}

/// Midtrans writes times as `2026-12-02 17:23:49` in Western Indonesian Time.
pub fn wib(at: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7");
    at.with_timezone(&offset).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Amounts go over the wire as strings with two decimals (`"41958.00"`).
pub fn amount_string(amount: i64) -> String {
    format!("{amount}.00")
}

/// The QR's lifetime from a charge's `custom_expiry`, or the default.
pub fn expiry(duration: Option<i64>, unit: Option<&str>, default: Duration) -> Result<Duration, Refusal> {
    let Some(n) = duration else { return Ok(default) };
    if n <= 0 {
        return Err(Refusal::Invalid("custom_expiry.expiry_duration must be positive".into()));
    }
    let secs = match unit.unwrap_or("minute") {
        "second" => n,
        "minute" => n.saturating_mul(60),
        "hour" => n.saturating_mul(3600),
        "day" => n.saturating_mul(86_400),
        other => return Err(Refusal::Invalid(format!("custom_expiry.unit {other:?} is not known"))),
    };
    Ok(Duration::seconds(secs.min(30 * 86_400)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charge(order: &str, amount: i64) -> Charge {
        let now = Utc::now();
        Charge {
            transaction_id: format!("tx-{order}"),
            order_id: order.into(),
            gross_amount: amount,
            acquirer: "gopay".into(),
            qr_string: String::new(),
            status: Status::Pending,
            created_at: now,
            expires_at: now + Duration::minutes(15),
            settled_at: None,
            refunds: vec![],
            notify_urls: vec![],
        }
    }

    #[test]
    fn a_charge_settles_once_and_refunds_up_to_its_amount() {
        let mut c = Charges::default();
        c.insert(charge("o1", 10_000)).unwrap();
        assert_eq!(c.insert(charge("o1", 5)).unwrap_err(), Refusal::Duplicate);
        assert_eq!(c.refund("o1", "r0", 1, "x", Utc::now()).unwrap_err(), Refusal::CannotModify);
        c.finish("o1", Status::Settlement, Utc::now()).unwrap();
        assert_eq!(c.finish("o1", Status::Expire, Utc::now()).unwrap_err(), Refusal::CannotModify);
        let (after, _) = c.refund("o1", "r1", 4_000, "cold", Utc::now()).unwrap();
        assert_eq!(after.status, Status::PartialRefund);
        // The same key again refunds nothing more.
        let (again, first) = c.refund("o1", "r1", 4_000, "cold", Utc::now()).unwrap();
        assert_eq!((again.refunded(), first.refund_chargeback_id), (4_000, 1));
        assert!(matches!(c.refund("o1", "r2", 6_001, "x", Utc::now()), Err(Refusal::Invalid(_))));
        let (done, _) = c.refund("o1", "r3", 6_000, "rest", Utc::now()).unwrap();
        assert_eq!(done.status, Status::Refund);
    }

    #[test]
    fn pending_charges_expire_when_due_and_settled_ones_do_not() {
        let mut c = Charges::default();
        let mut a = charge("a", 1);
        a.expires_at = Utc::now() - Duration::seconds(1);
        let mut b = charge("b", 1);
        b.expires_at = a.expires_at;
        c.insert(a).unwrap();
        c.insert(b).unwrap();
        c.finish("b", Status::Settlement, Utc::now()).unwrap();
        let expired = c.expire_due(Utc::now());
        assert_eq!(expired.iter().map(|c| c.order_id.as_str()).collect::<Vec<_>>(), ["a"]);
        assert_eq!(c.get("tx-a").unwrap().status, Status::Expire);
    }

    #[test]
    fn formats_like_midtrans() {
        assert_eq!(amount_string(789_000), "789000.00");
        let at = DateTime::parse_from_rfc3339("2021-07-06T10:23:49Z").unwrap().with_timezone(&Utc);
        assert_eq!(wib(at), "2021-07-06 17:23:49");
        assert_eq!(expiry(Some(2), Some("hour"), Duration::minutes(15)).unwrap(), Duration::hours(2));
        assert!(expiry(Some(0), None, Duration::minutes(15)).is_err());
    }
}
