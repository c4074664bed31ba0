//! Billing periods and proration, in integer arithmetic.
//!
//! A tenant's periods run from the anchor (the moment of their first paid relay) in
//! calendar months, each computed from the anchor so short months do not drift the day
//! (Jan 31 → Feb 28 → Mar 31). A charge covers [from, period end) at a flat rate of the
//! monthly price over the whole period's length. Amounts are millisatoshis, computed with
//! 128-bit intermediates and truncated toward zero to whole satoshis: a tenant is never
//! charged more than the exact share, and never credited more than they were charged.

use chrono::{DateTime, Months, Utc};

use super::MSAT;

/// The anchor moved `n` calendar months forward (the day clamps to the month's end).
pub fn add_months(anchor: i64, n: u32) -> i64 {
    let Some(at) = DateTime::<Utc>::from_timestamp(anchor, 0) else {
        return anchor + i64::from(n) * 30 * super::DAY;
    };
    at.checked_add_months(Months::new(n))
        .map(|d| d.timestamp())
        .unwrap_or(anchor + i64::from(n) * 30 * super::DAY)
}

/// The period `[start, end)` containing `t` (`t` before the anchor: the first period).
pub fn containing(anchor: i64, t: i64) -> (i64, i64) {
    let days = (t - anchor).max(0) / super::DAY;
    let mut n = (days / 31).max(0) as u32;
    loop {
        let start = add_months(anchor, n);
        let end = add_months(anchor, n + 1);
        if t < end || n > 12 * 200 {
            return (start, end);
        }
        n += 1;
    }
}

/// `price_msat` for the part `[from, end)` of the period `[start, end)`, truncated to whole sats.
pub fn prorate(price_msat: i64, from: i64, start: i64, end: i64) -> i64 {
    let len = i128::from((end - start).max(1));
    let left = i128::from((end - from).clamp(0, end - start));
    let exact = i128::from(price_msat) * left / len;
    whole_sats(exact)
}

/// What is left at `now` of a charge of `amount` covering `[from, end)`, in exact msat.
pub fn remaining(amount: i64, from: i64, end: i64, now: i64) -> i128 {
    if now <= from {
        return i128::from(amount);
    }
    if now >= end {
        return 0;
    }
    i128::from(amount) * i128::from(end - now) / i128::from(end - from)
}

/// Truncates toward zero to a whole number of satoshis.
pub fn whole_sats(msat: i128) -> i64 {
    let sats = msat / i128::from(MSAT);
    (sats * i128::from(MSAT)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_31: i64 = 1_769_817_600; // 2026-01-31T00:00:00Z

    #[test]
    fn months_clamp_without_drifting() {
        let feb = add_months(JAN_31, 1);
        assert_eq!(
            DateTime::<Utc>::from_timestamp(feb, 0)
                .unwrap()
                .to_rfc3339(),
            "2026-02-28T00:00:00+00:00"
        );
        let mar = add_months(JAN_31, 2);
        assert_eq!(
            DateTime::<Utc>::from_timestamp(mar, 0)
                .unwrap()
                .to_rfc3339(),
            "2026-03-31T00:00:00+00:00"
        );
        assert_eq!(containing(JAN_31, feb), (feb, mar));
        assert_eq!(containing(JAN_31, feb - 1), (JAN_31, feb));
        assert_eq!(containing(JAN_31, JAN_31 - 5), (JAN_31, feb));
    }

    #[test]
    fn proration_truncates_to_whole_sats() {
        let (s, e) = (0, 30 * 86_400);
        assert_eq!(prorate(10_000_000, 0, s, e), 10_000_000);
        assert_eq!(prorate(10_000_000, 15 * 86_400, s, e), 5_000_000);
        // a third of 10,000 sats is 3,333.33… sats: 3,333 sats
        assert_eq!(prorate(10_000_000, 20 * 86_400, s, e), 3_333_000);
        assert_eq!(whole_sats(-3_333_999), -3_333_000);
        assert_eq!(remaining(9_000, 0, 90, 30), 6_000);
        assert_eq!(remaining(9_000, 0, 90, 95), 0);
        assert_eq!(remaining(9_000, 10, 90, 5), 9_000);
    }
}
