//! The texts of billing's private messages. Amounts are shown in sats (with msat kept
//! exact where they are not whole), dates in UTC.

use chrono::DateTime;

use crate::db::invoices::Invoice;

fn date(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| t.to_string())
}

pub fn amount(msat: i64) -> String {
    if msat % 1000 == 0 {
        format!("{} sats", msat / 1000)
    } else {
        format!("{msat} msat")
    }
}

fn link(public_url: &str, invoice: &Invoice) -> String {
    format!("{public_url}/invoices/{}", invoice.id)
}

pub fn invoice(public_url: &str, i: &Invoice, bolt11: &str) -> String {
    format!(
        "New invoice: {} for your relays, {} to {}.\n\nPay this Lightning invoice:\n{bolt11}\n\nOr see it on your dashboard: {}",
        amount(i.amount_msat),
        date(i.period_start),
        date(i.period_end),
        link(public_url, i)
    )
}

pub fn reminder(public_url: &str, i: &Invoice, bolt11: Option<&str>, suspend_at: i64) -> String {
    let pay = bolt11
        .map(|b| format!("\n\nPay this Lightning invoice:\n{b}"))
        .unwrap_or_default();
    format!(
        "Reminder: your invoice of {} ({} to {}) is unpaid. Your relays on it will be suspended on {} unless it is paid.{pay}\n\nDashboard: {}",
        amount(i.amount_msat),
        date(i.period_start),
        date(i.period_end),
        date(suspend_at),
        link(public_url, i)
    )
}

pub fn suspended(public_url: &str, i: &Invoice, relays: &[String]) -> String {
    format!(
        "Your invoice of {} is past its grace period, so these relays are suspended: {}. Their data is kept; paying the invoice brings them back at once.\n\nDashboard: {}",
        amount(i.amount_msat),
        relays.join(", "),
        link(public_url, i)
    )
}

pub fn receipt(public_url: &str, i: &Invoice, reactivated: &[String]) -> String {
    let back = if reactivated.is_empty() {
        String::new()
    } else {
        format!(" Reactivated: {}.", reactivated.join(", "))
    };
    format!(
        "Payment received, thank you: {} for {} to {}.{back}\n\nReceipt: {}",
        amount(i.amount_msat),
        date(i.period_start),
        date(i.period_end),
        link(public_url, i)
    )
}

pub fn pull_failed(public_url: &str, i: &Invoice, why: &str, bolt11: &str) -> String {
    format!(
        "We could not pay your invoice of {} from your connected wallet: {why}. We will try again tomorrow. You can also pay it yourself:\n{bolt11}\n\nDashboard: {}",
        amount(i.amount_msat),
        link(public_url, i)
    )
}
