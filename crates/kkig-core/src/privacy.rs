//! Privacy rules: login throttling, retention of students' personal data, token hashing.

use sha2::{Digest, Sha256};
use time::{Date, Month};

/// Failed logins allowed per account within [`THROTTLE_WINDOW_SECS`].
pub const MAX_FAILURES_PER_ACCOUNT: usize = 5;
/// Failed logins allowed per client address within [`THROTTLE_WINDOW_SECS`].
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window over which failures are counted, in seconds.
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;

/// Whether another login attempt may be made, given the times (unix seconds) of the recent
/// failures for one key and the limit for that key. `Err(retry_after_secs)` when throttled.
pub fn throttle(failures: &[i64], limit: usize, now: i64) -> Result<(), i64> {
    let mut recent: Vec<i64> = failures.iter().copied().filter(|t| now - *t < THROTTLE_WINDOW_SECS).collect();
    if recent.len() < limit {
        return Ok(());
    }
    recent.sort_unstable();
    // The attempt is allowed again when enough failures have left the window.
    let oldest_that_must_expire = recent[recent.len() - limit];
    Err((oldest_that_must_expire + THROTTLE_WINDOW_SECS - now).max(1))
}

/// Default months a student's personal data is kept after their last VFU period ends.
pub const DEFAULT_RETENTION_MONTHS: u32 = 24;

/// `date` plus `months` calendar months; the day is clamped to the end of the target month
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::December);
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Whether personal data whose last VFU period ended on `last_period_end` is due for erasure on
/// `today`: true from the day `months` months after the end.
pub fn retention_due(last_period_end: Date, months: u32, today: Date) -> bool {
    today >= add_months(last_period_end, months)
}

/// The stored form of a secret token (API token, password-reset link): its SHA-256 in hex.
/// Tokens are long random strings, so a fast hash is enough; the secret itself is never stored.
pub fn hash_token(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn throttle_cases() {
        let now = 10_000;
        let w = THROTTLE_WINDOW_SECS;
        // (failures relative to now, limit, expected)
        let cases: Vec<(Vec<i64>, usize, Result<(), i64>)> = vec![
            (vec![], 5, Ok(())),
            (vec![-10, -20, -30, -40], 5, Ok(())),
            (vec![-10, -20, -30, -40, -50], 5, Err(w - 50)),
            // Old failures do not count.
            (vec![-10, -20, -30, -40, -w], 5, Ok(())),
            (vec![-1, -2, -3, -4, -5, -6], 5, Err(w - 5)),
            (vec![0, 0, 0], 3, Err(w)),
        ];
        for (rel, limit, want) in cases {
            let abs: Vec<i64> = rel.iter().map(|r| now + r).collect();
            assert_eq!(throttle(&abs, limit, now), want, "{rel:?} limit {limit}");
        }
    }

    #[test]
    fn months_are_calendar_months() {
        let cases = [
            (date!(2025 - 01 - 31), 1, date!(2025 - 02 - 28)),
            (date!(2024 - 01 - 31), 1, date!(2024 - 02 - 29)),
            (date!(2025 - 06 - 15), 24, date!(2027 - 06 - 15)),
            (date!(2025 - 11 - 30), 2, date!(2026 - 01 - 30)),
            (date!(2025 - 12 - 31), 0, date!(2025 - 12 - 31)),
        ];
        for (d, m, want) in cases {
            assert_eq!(add_months(d, m), want, "{d} + {m}");
        }
    }

    #[test]
    fn retention_starts_on_the_anniversary() {
        let end = date!(2024 - 06 - 14);
        assert!(!retention_due(end, 24, date!(2026 - 06 - 13)));
        assert!(retention_due(end, 24, date!(2026 - 06 - 14)));
        assert!(retention_due(end, 0, end));
    }

    #[test]
    fn token_hash_is_sha256_hex() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    proptest::proptest! {
        #[test]
        fn throttle_never_allows_more_than_limit_in_window(n in 0usize..30, limit in 1usize..10) {
            let failures: Vec<i64> = (0..n as i64).collect();
            let allowed = throttle(&failures, limit, n as i64).is_ok();
            proptest::prop_assert_eq!(allowed, n < limit);
        }
    }
}
