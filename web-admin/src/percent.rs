//! Rates are stored in basis points and typed as percentages.

/// "11", "11.5", "11,5" (Indonesian decimal comma) or "0.25" percent to
/// basis points; at most two decimals, 0 to 100.
pub fn parse_percent(raw: &str) -> Result<i32, &'static str> {
    let s = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    if s.is_empty() {
        return Err("field.required");
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits_only(whole) || !digits_only(frac) || whole.len() > 3 {
        return Err("field.percent_format");
    }
    if frac.len() > 2 {
        return Err("field.percent_decimals");
    }
    let whole: i32 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| "field.percent_format")? };
    let frac: i32 = format!("{frac:0<2}").parse().unwrap_or(0);
    let bp = whole * 100 + frac;
    if bp > 10_000 {
        return Err("field.percent_range");
    }
    Ok(bp)
}

/// Basis points as the percentage a person would type: 1100 -> "11",
/// 1150 -> "11.5", 5 -> "0.05".
pub fn format_percent(bp: i32) -> String {
    let (whole, frac) = (bp / 100, (bp % 100).abs());
    match frac {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_percent_to_basis_points() {
        assert_eq!(parse_percent("11"), Ok(1100));
        assert_eq!(parse_percent(" 11.5 "), Ok(1150));
        assert_eq!(parse_percent("11,5"), Ok(1150));
        assert_eq!(parse_percent("0.25"), Ok(25));
        assert_eq!(parse_percent(".5"), Ok(50));
        assert_eq!(parse_percent("5%"), Ok(500));
        assert_eq!(parse_percent("0"), Ok(0));
        assert_eq!(parse_percent("100"), Ok(10_000));
    }

    #[test]
    fn refuses_what_is_not_a_rate() {
        assert_eq!(parse_percent(""), Err("field.required"));
        assert_eq!(parse_percent("abc"), Err("field.percent_format"));
        assert_eq!(parse_percent("-1"), Err("field.percent_format"));
        assert_eq!(parse_percent("1.2.3"), Err("field.percent_format"));
        assert_eq!(parse_percent("."), Err("field.percent_format"));
        assert_eq!(parse_percent("1.234"), Err("field.percent_decimals"));
        assert_eq!(parse_percent("100.01"), Err("field.percent_range"));
        assert_eq!(parse_percent("99999"), Err("field.percent_format"));
    }

    #[test]
    fn formats_basis_points_round_trip() {
        for (bp, s) in [(1100, "11"), (1150, "11.5"), (5, "0.05"), (0, "0"), (10_000, "100")] {
            assert_eq!(format_percent(bp), s);
            assert_eq!(parse_percent(s), Ok(bp));
        }
    }
}
