//! The time handlers count from: now in Unix seconds, and today (UTC).

use kkig_core::vfu::Day;

/// Now, in Unix seconds.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Today (UTC), the day the VFU pages and API count from.
pub fn today() -> Day {
    Day(time::OffsetDateTime::now_utc().date())
}
