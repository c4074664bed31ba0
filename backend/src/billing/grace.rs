//! Reminders before the grace period ends, and suspension after it: BILLING_GRACE_DAYS
//! after the due date, the running relays on an unpaid invoice become `suspended` (zooid
//! gets `inactive = true`, data kept) and the tenant is told. Relays the tenant or an
//! admin turned off are left alone.

use super::{Billing, DAY};
use crate::db;
use crate::lifecycle;

/// Sends due reminders and suspends overdue relays; returns how many invoices it acted on.
pub async fn enforce(billing: &Billing) -> anyhow::Result<usize> {
    let now = billing.clock.now();
    let grace = i64::from(billing.settings.billing_grace_days) * DAY;
    let remind_before = (grace / 2).min(2 * DAY);
    let reminders = db::invoices::due_reminders(&billing.db, grace, remind_before, now).await?;
    let overdue = db::invoices::overdue(&billing.db, grace, now).await?;
    let n = reminders.len() + overdue.len();
    for id in reminders {
        let mut tx = db::begin_write(&billing.db).await?;
        lifecycle::invoice::remind(&mut tx, &billing.life, &id, grace, now).await?;
        tx.commit().await?;
    }
    for id in overdue {
        let mut tx = db::begin_write(&billing.db).await?;
        let names = lifecycle::invoice::overdue(&mut tx, &billing.life, &id, now).await?;
        tx.commit().await?;
        if !names.is_empty() {
            tracing::info!(invoice = %id, relays = names.len(), "relays suspended for an unpaid invoice");
        }
    }
    if n > 0 {
        billing.nudge();
    }
    Ok(n)
}
