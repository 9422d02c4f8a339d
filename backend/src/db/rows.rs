use sea_orm::{QueryResult, TryGetable};

use crate::error::{Error, Result};

/// Reads column `col` of every row.
pub fn rows<T: TryGetable>(results: &[QueryResult], col: &str) -> Result<Vec<T>> {
    results.iter().map(|r| r.try_get::<T>("", col).map_err(Error::from)).collect()
}

/// Reads column `col` of the first row, if there is one.
pub fn opt_row<T: TryGetable>(results: &[QueryResult], col: &str) -> Result<Option<T>> {
    results.first().map(|r| r.try_get::<T>("", col).map_err(Error::from)).transpose()
}
