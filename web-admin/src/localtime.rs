//! Times as the outlet's staff read them: in the outlet's own time zone.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The outlet's zone; UTC for a name the zone database does not know.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// `14:05`.
pub fn clock(at: &DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M").to_string()
}

/// `2026-11-22 14:05`.
pub fn date_time(at: &DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// When an 86 ends: the clock within a day, else the date too (`24/11 09:00`).
pub fn back_at(until: &DateTime<Utc>, tz: Tz, now: &DateTime<Utc>) -> String {
    if *until - *now <= chrono::TimeDelta::hours(24) {
        clock(until, tz)
    } else {
        until.with_timezone(&tz).format("%d/%m %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn times_are_shown_in_the_outlet_zone() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 17, 0, 0).unwrap();
        assert_eq!(clock(&at, zone("Asia/Jakarta")), "00:00");
        assert_eq!(clock(&at, zone("Asia/Makassar")), "01:00");
        assert_eq!(clock(&at, zone("Mars/Olympus")), "17:00");
        assert_eq!(date_time(&at, zone("Asia/Jakarta")), "2026-11-23 00:00");
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
        assert_eq!(back_at(&at, zone("Asia/Jakarta"), &now), "00:00");
        let later = Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap();
        assert_eq!(back_at(&later, zone("Asia/Jakarta"), &now), "24/11 09:00");
    }
}
