//! The kiosk's own pickup numbers (`K1-17`): the device's prefix, a dash,
//! and a count that restarts every local day. The count is kept in
//! localStorage (`storage`) before a number is shown, and never goes below
//! the highest number today's stored orders carry, should that setting be
//! lost (`queue` reads them).

/// The count wraps past this: the server takes at most four digits after
/// the prefix.
const MAX_COUNT: u32 = 9_999;

/// `K1` and 17 make `K1-17`.
pub fn pickup_number(prefix: &str, count: u32) -> String {
    format!("{prefix}-{count}")
}

/// The count in `number` if it is one of `prefix`'s (`K1-17` → 17; `K10-3`
/// is not `K1`'s).
pub fn count_in(prefix: &str, number: &str) -> Option<u32> {
    number.strip_prefix(prefix)?.strip_prefix('-')?.parse().ok()
}

/// The highest count of `prefix` among `numbers` (0: none).
pub fn highest_count<'a>(prefix: &str, numbers: impl IntoIterator<Item = &'a str>) -> u32 {
    numbers.into_iter().filter_map(|n| count_in(prefix, n)).max().unwrap_or(0)
}

/// The count after `last`, and after every count already used (`at_least`).
pub fn next_count(last: u32, at_least: u32) -> u32 {
    (last.max(at_least) % MAX_COUNT) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_only_under_their_own_prefix() {
        assert_eq!(pickup_number("K1", 17), "K1-17");
        assert_eq!(count_in("K1", "K1-17"), Some(17));
        assert_eq!(count_in("K1", "K10-3"), None);
        assert_eq!(count_in("K1", "K1-x"), None);
        assert_eq!(count_in("K1", "A-1"), None);
        assert_eq!(highest_count("K1", ["K1-3", "K10-40", "K1-12", "K1-9"]), 12);
        assert_eq!(highest_count("K1", []), 0);
    }

    #[test]
    fn the_count_goes_past_what_was_used_and_wraps_at_four_digits() {
        assert_eq!(next_count(0, 0), 1);
        assert_eq!(next_count(5, 0), 6);
        assert_eq!(next_count(2, 7), 8, "the stored orders used 7 already");
        assert_eq!(next_count(9_998, 0), 9_999);
        assert_eq!(next_count(9_999, 0), 1);
    }
}
