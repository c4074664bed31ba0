//! Reminders before the grace period ends, and suspension after it: BILLING_GRACE_DAYS
//! after the due date, the running relays on an unpaid invoice become `suspended` (zooid
//! gets `inactive = true`, data kept) and the tenant is told. Relays the tenant or an
//! admin turned off are left alone.

use serde_json::json;

use super::{DAY, notices};
use crate::db::{self, activity::Entry};
use crate::robot::outbox;
use crate::state::AppState;

/// Sends due reminders and suspends overdue relays; returns how many invoices it acted on.
pub async fn enforce(state: &AppState) -> anyhow::Result<usize> {
    let now = state.billing.clock.now();
    let grace = i64::from(state.settings.billing_grace_days) * DAY;
    let remind_before = (grace / 2).min(2 * DAY);
    let reminders = sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE status = 'open' AND amount_msat > 0 AND reminded_at IS NULL
           AND due_at + ? - ? <= ? AND due_at + ? > ? LIMIT 500",
        grace,
        remind_before,
        now,
        grace,
        now
    )
    .fetch_all(&state.db)
    .await?;
    let overdue = sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE status = 'open' AND amount_msat > 0 AND suspended_at IS NULL AND due_at + ? <= ? LIMIT 500",
        grace,
        now
    )
    .fetch_all(&state.db)
    .await?;
    let n = reminders.len() + overdue.len();
    for id in reminders {
        let mut tx = db::begin_write(&state.db).await?;
        let updated = sqlx::query!("UPDATE invoices SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'open'", now, id)
            .execute(&mut *tx)
            .await?;
        if updated.rows_affected() == 1
            && let Some(i) = db::invoices::get(&mut *tx, &id).await?
        {
            let body = notices::reminder(
                &state.public_base,
                &i,
                i.bolt11.as_deref(),
                i.due_at + grace,
            );
            outbox::enqueue(
                &mut *tx,
                &i.tenant,
                "reminder",
                &format!("reminder:{id}"),
                &body,
            )
            .await?;
        }
        tx.commit().await?;
    }
    for id in overdue {
        suspend(state, &id, now).await?;
    }
    if n > 0 {
        state.billing.nudge();
    }
    Ok(n)
}

async fn suspend(state: &AppState, id: &str, now: i64) -> anyhow::Result<()> {
    let mut tx = db::begin_write(&state.db).await?;
    let updated = sqlx::query!("UPDATE invoices SET suspended_at = ? WHERE id = ? AND suspended_at IS NULL AND status = 'open'", now, id)
        .execute(&mut *tx)
        .await?;
    let Some(invoice) = db::invoices::get(&mut *tx, id).await? else {
        return Ok(());
    };
    if updated.rows_affected() == 0 {
        return Ok(());
    }
    let relays = sqlx::query!(
        "SELECT DISTINCT r.id, r.subdomain, r.status FROM invoice_items it JOIN relays r ON r.id = it.relay_id
         WHERE it.invoice_id = ? AND r.status IN ('pending', 'active')",
        id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut names = Vec::new();
    for r in relays {
        db::relays::set_status(&mut *tx, &r.id, "suspended", None, now).await?;
        let entry = Entry {
            actor: "system",
            action: "relay.suspended",
            resource_type: "relay",
            resource_id: &r.id,
            tenant: Some(&invoice.tenant),
            details: json!({ "from": r.status, "invoice": id }),
        };
        db::activity::record(&mut *tx, now, entry).await?;
        names.push(format!("{}.{}", r.subdomain, state.settings.relay_domain));
    }
    let entry = Entry {
        actor: "system",
        action: "invoice.overdue",
        resource_type: "invoice",
        resource_id: id,
        tenant: Some(&invoice.tenant),
        details: json!({ "suspended": names }),
    };
    db::activity::record(&mut *tx, now, entry).await?;
    if !names.is_empty() {
        let body = notices::suspended(&state.public_base, &invoice, &names);
        outbox::enqueue(
            &mut *tx,
            &invoice.tenant,
            "suspended",
            &format!("suspended:{id}"),
            &body,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        invoice = id,
        relays = names.len(),
        "relays suspended for an unpaid invoice"
    );
    Ok(())
}
