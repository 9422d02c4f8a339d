//! Reports as CSV (`Accept: text/csv`): the same rows as the JSON, written
//! with the `csv` crate and streamed in chunks, so a long report is never
//! held twice in memory.

use actix_web::{HttpResponse, http::header};
use bytes::Bytes;
use pos_wire::{Adjustment, SalesRow, StationTimes};

use crate::error::{Error, Result};

/// Records per streamed chunk.
const CHUNK: usize = 256;

/// A report row as one CSV record under a fixed header.
pub trait CsvRecord {
    const HEADER: &'static [&'static str];
    fn record(&self) -> Vec<String>;
}

impl CsvRecord for SalesRow {
    const HEADER: &'static [&'static str] = &[
        "key",
        "label",
        "orders",
        "qty",
        "gross_minor",
        "discount_minor",
        "refund_minor",
        "net_minor",
        "tax_minor",
        "service_charge_minor",
    ];
    fn record(&self) -> Vec<String> {
        vec![
            self.key.clone(),
            self.label.clone().unwrap_or_default(),
            self.orders.to_string(),
            self.qty.map(|q| q.to_string()).unwrap_or_default(),
            self.gross_minor.to_string(),
            self.discount_minor.to_string(),
            self.refund_minor.to_string(),
            self.net_minor.to_string(),
            self.tax_minor.to_string(),
            self.service_charge_minor.to_string(),
        ]
    }
}

impl CsvRecord for StationTimes {
    const HEADER: &'static [&'static str] = &["station", "tickets", "p50_seconds", "p90_seconds"];
    fn record(&self) -> Vec<String> {
        vec![self.station.clone(), self.tickets.to_string(), self.p50_seconds.to_string(), self.p90_seconds.to_string()]
    }
}

impl CsvRecord for Adjustment {
    const HEADER: &'static [&'static str] =
        &["kind", "at", "outlet_id", "order_id", "order_number", "amount_minor", "reason", "by", "approved_by"];
    fn record(&self) -> Vec<String> {
        vec![
            self.kind.as_str().to_owned(),
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            self.outlet_id.to_string(),
            self.order_id.to_string(),
            self.order_number.clone(),
            self.amount_minor.to_string(),
            self.reason.clone(),
            self.by.clone().unwrap_or_default(),
            self.approved_by.clone().unwrap_or_default(),
        ]
    }
}

/// True when the request prefers CSV (`Accept: text/csv`).
pub fn wants_csv(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|part| part.trim().starts_with("text/csv")))
}

/// The rows as a streamed `text/csv` download named `filename`.
pub fn csv_response<T: CsvRecord + 'static>(rows: Vec<T>, filename: &str) -> Result<HttpResponse> {
    let header = encode(std::iter::once(T::HEADER.iter().map(|h| (*h).to_owned()).collect()))?;
    let mut rows = rows.into_iter().peekable();
    let chunks = std::iter::from_fn(move || {
        rows.peek()?;
        let records: Vec<Vec<String>> = rows.by_ref().take(CHUNK).map(|r| r.record()).collect();
        Some(encode(records.into_iter()).map_err(actix_web::Error::from))
    });
    let body = futures_util::stream::iter(std::iter::once(Ok(header)).chain(chunks));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::VARY, "Accept"))
        .streaming(body))
}

fn encode(records: impl Iterator<Item = Vec<String>>) -> Result<Bytes> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(|e| Error::internal(format!("csv: {e}")))?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::internal(format!("csv: {e}")))?;
    Ok(Bytes::from(bytes))
}
