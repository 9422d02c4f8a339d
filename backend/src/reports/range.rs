//! The outlet and the range of local dates a report covers.

use chrono::{Days, NaiveDate};
use pos_wire::ReportQuery;
use uuid::Uuid;

use crate::{
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
};

/// The longest range a report covers, in days.
pub const MAX_DAYS: u64 = 366;

/// An outlet the caller sees (or every one) and local dates, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    pub outlet_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(sea_orm::FromQueryResult)]
struct Today {
    today: Option<NaiveDate>,
}

impl ReportRange {
    /// One local date of one outlet.
    pub fn day(outlet_id: Uuid, date: NaiveDate) -> ReportRange {
        ReportRange { outlet_id: Some(outlet_id), from: date, to: date }
    }

    /// Checks the query; an outlet the caller does not see is 404.
    pub async fn parse(tx: &ScopedTx, q: &ReportQuery) -> Result<ReportRange> {
        let mut errors = FieldErrors::new();
        let from = parse_date(&mut errors, "from", q.from.as_deref());
        let to = parse_date(&mut errors, "to", q.to.as_deref());
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        if let Some(outlet) = q.outlet_id {
            let seen = tx.query_raw("SELECT 1 AS one FROM outlets WHERE id = $1", [outlet.into()]).await?;
            if seen.is_empty() {
                return Err(Error::NotFound);
            }
        }
        let to = match to {
            Some(to) => to,
            None => today(tx, q.outlet_id).await?,
        };
        let from = from.unwrap_or(to);
        ReportRange::new(q.outlet_id, from, to)
    }

    /// Checks the order and the length of the range.
    pub fn new(outlet_id: Option<Uuid>, from: NaiveDate, to: NaiveDate) -> Result<ReportRange> {
        if from > to {
            return Err(Error::field("from", Code::ReportRangeReversed));
        }
        if to.signed_duration_since(from).num_days() >= MAX_DAYS as i64 {
            return Err(Error::field("to", CodedError::new(Code::ReportRangeTooLong).with("max_days", MAX_DAYS)));
        }
        Ok(ReportRange { outlet_id, from, to })
    }

    /// The first local instant of the range, as SQL's `timestamp`.
    pub fn start(&self) -> chrono::NaiveDateTime {
        self.from.and_hms_opt(0, 0, 0).unwrap_or_default()
    }

    /// The first local instant after the range.
    pub fn end(&self) -> chrono::NaiveDateTime {
        self.to.checked_add_days(Days::new(1)).unwrap_or(self.to).and_hms_opt(0, 0, 0).unwrap_or_default()
    }

    /// Every date of the range, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }
}

fn parse_date(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    // Absent means the default; present (even empty) must be a date.
    let value = value?;
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, Code::ReportDateInvalid);
            None
        }
    }
}

/// Today in the outlet's time zone, or in the one most of the caller's outlets use.
async fn today(tx: &ScopedTx, outlet_id: Option<Uuid>) -> Result<NaiveDate> {
    let row: Option<Today> = tx
        .query_one(
            "SELECT (now() AT TIME ZONE coalesce((SELECT mode() WITHIN GROUP (ORDER BY timezone) FROM outlets \
                     WHERE $1::uuid IS NULL OR id = $1), 'UTC'))::date AS today",
            [outlet_id.into()],
        )
        .await?;
    Ok(row.and_then(|r| r.today).unwrap_or_else(|| chrono::Utc::now().date_naive()))
}
