use pos_wire::{Page, PageQuery};
use uuid::Uuid;

use crate::error::{Code, CodedError, Error, Result};

/// A parsed `?limit=&cursor=`: rows come in id order (ids are UUIDv7, so
/// creation order), after the cursor's id.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Uuid>,
}

impl PageRequest {
    pub const DEFAULT_LIMIT: u32 = 50;
    pub const MAX_LIMIT: u32 = 200;

    pub fn parse(q: &PageQuery) -> Result<PageRequest> {
        let limit = q.limit.unwrap_or(Self::DEFAULT_LIMIT);
        if limit == 0 || limit > Self::MAX_LIMIT {
            return Err(Error::field("limit", CodedError::out_of_range(1, Self::MAX_LIMIT.into())));
        }
        let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(Uuid::parse_str(c).map_err(|_| Error::field("cursor", Code::CursorInvalid))?),
            None => None,
        };
        Ok(PageRequest { limit, after })
    }

    /// Rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }

    /// Cuts the fetched rows to a page and its cursor.
    pub fn page<T>(&self, mut rows: Vec<T>, id_of: impl Fn(&T) -> Uuid) -> Page<T> {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let next_cursor = if more { rows.last().map(|r| id_of(r).to_string()) } else { None };
        Page { items: rows, next_cursor }
    }
}
