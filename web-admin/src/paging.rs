//! Lists the admin shows whole, read from the domain page by page.

use std::future::Future;

use pos_wire::{Page, PageQuery};

/// Items asked for per page.
const PAGE_SIZE: u32 = 200;

/// Every item of a cursor-paginated list, in its order.
pub async fn every<T, Fut>(mut list: impl FnMut(PageQuery) -> Fut) -> pos_backend::Result<Vec<T>>
where
    Fut: Future<Output = pos_backend::Result<Page<T>>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = list(PageQuery { limit: Some(PAGE_SIZE), cursor }).await?;
        out.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() {
            return Ok(out);
        }
    }
}
