//! Privacy rules: login throttling, retention of students' personal data, token hashing.

use sha2::{Digest, Sha256};
use time::{Date, Month};

/// Failed sign-ins allowed for one account from one client address within
/// [`THROTTLE_WINDOW_SECS`]; then that account is refused from that address.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: usize = 5;
/// Failed sign-ins allowed for one account from all addresses together; then the account is
/// refused everywhere. A cap for guessing spread over many addresses, which one address alone
/// cannot reach (it adds at most [`MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS`]).
pub const MAX_FAILURES_PER_ACCOUNT: usize = 50;
/// Failed sign-ins allowed from one client address over all accounts; then its wrong passwords
/// are answered "too many attempts", but a correct password still signs in (see [`SignInGate`]).
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
/// The window over which failures are counted, in seconds.
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;

/// What to do with a sign-in attempt, given the recent failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGate {
    /// Refuse without checking the password: the account is over its limit from this address,
    /// or over all addresses. Allowed again after `retry_after` seconds.
    Refuse { retry_after: i64 },
    /// Check the password. `address_limited`: the address is over its own limit, so a wrong
    /// password is answered like a refusal (retry after so many seconds); a correct one signs
    /// in all the same — behind a shared address, one person's mistakes or an attacker's
    /// guesses must not lock everyone else out.
    Check { address_limited: Option<i64> },
}

/// The recent failure times (unix seconds) that decide a sign-in attempt.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecentFailures<'a> {
    /// This account from this address.
    pub account_and_address: &'a [i64],
    /// This account from every address.
    pub account: &'a [i64],
    /// This address for every account.
    pub address: &'a [i64],
}

/// The throttling rule of signing in: the per-account limits refuse before any password is
/// checked; the per-address limit only changes the answer to a wrong password. Only failures
/// count, never successes.
pub fn sign_in_gate(f: &RecentFailures<'_>, now: i64) -> SignInGate {
    let pair = throttle(f.account_and_address, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, now);
    let account = throttle(f.account, MAX_FAILURES_PER_ACCOUNT, now);
    match (pair, account) {
        (Ok(()), Ok(())) => SignInGate::Check {
            address_limited: throttle(f.address, MAX_FAILURES_PER_ADDRESS, now).err(),
        },
        // Allowed again only when both limits are met again.
        (a, b) => SignInGate::Refuse {
            retry_after: a.err().unwrap_or(0).max(b.err().unwrap_or(0)),
        },
    }
}

/// Whether another login attempt may be made, given the times (unix seconds) of the recent
/// failures for one key and the limit for that key. `Err(retry_after_secs)` when throttled.
pub fn throttle(failures: &[i64], limit: usize, now: i64) -> Result<(), i64> {
    let mut recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|t| now - *t < THROTTLE_WINDOW_SECS)
        .collect();
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
    fn sign_in_gate_cases() {
        let now = 100_000;
        let w = THROTTLE_WINDOW_SECS;
        // `n` failures, the oldest `age` seconds ago and the others just now.
        let times =
            |n: usize, age: i64| -> Vec<i64> { (0..n).map(|i| if i == 0 { now - age } else { now - 1 }).collect() };
        // (account+address failures, account failures, address failures, expected)
        type Case = (Vec<i64>, Vec<i64>, Vec<i64>, SignInGate);
        let cases: Vec<Case> = vec![
            (vec![], vec![], vec![], SignInGate::Check { address_limited: None }),
            (
                times(4, 60),
                times(4, 60),
                times(4, 60),
                SignInGate::Check { address_limited: None },
            ),
            // Five from this address for this account: refused here, until the oldest expires.
            (
                times(5, 60),
                times(5, 60),
                times(5, 60),
                SignInGate::Refuse { retry_after: w - 60 },
            ),
            // Failures older than the window do not count.
            (
                times(5, w),
                times(5, w),
                times(5, w),
                SignInGate::Check { address_limited: None },
            ),
            // The account from other addresses: counts only towards the cap of 50.
            (
                vec![],
                times(49, 60),
                vec![],
                SignInGate::Check { address_limited: None },
            ),
            (
                vec![],
                times(50, 300),
                vec![],
                SignInGate::Refuse { retry_after: w - 300 },
            ),
            // Both: the later of the two.
            (
                times(5, 600),
                times(50, 300),
                times(5, 600),
                SignInGate::Refuse { retry_after: w - 300 },
            ),
            (
                times(5, 100),
                times(50, 300),
                times(5, 100),
                SignInGate::Refuse { retry_after: w - 100 },
            ),
            // The address over its limit: the password is still checked.
            (
                vec![],
                vec![],
                times(19, 60),
                SignInGate::Check { address_limited: None },
            ),
            (
                vec![],
                vec![],
                times(20, 120),
                SignInGate::Check {
                    address_limited: Some(w - 120),
                },
            ),
            (
                times(2, 60),
                times(2, 60),
                times(25, 30),
                SignInGate::Check {
                    address_limited: Some(w - 1),
                },
            ),
        ];
        for (pair, account, address, want) in cases {
            let f = RecentFailures {
                account_and_address: &pair,
                account: &account,
                address: &address,
            };
            assert_eq!(
                sign_in_gate(&f, now),
                want,
                "{} {} {}",
                pair.len(),
                account.len(),
                address.len()
            );
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
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
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
