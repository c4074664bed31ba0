//! Invoices and their items. Status changes are made only by [`crate::lifecycle::invoice`],
//! through the functions here; the billing worker's bookkeeping (leases, retry times) too.

use sqlx::SqliteExecutor;

use crate::domain::status::InvoiceStatus;

#[derive(Debug, Clone)]
pub struct Invoice {
    pub id: String,
    pub tenant: String,
    pub kind: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    pub status: InvoiceStatus,
    pub bolt11: Option<String>,
    pub payment_hash: Option<String>,
    pub expires_at: Option<i64>,
    pub due_at: i64,
    pub paid_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Why the last attempt to get a BOLT11 from the operator's wallet failed.
    pub issue_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub invoice_id: String,
    pub relay_id: Option<String>,
    pub plan: String,
    pub description: String,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
}

pub struct Filter<'a> {
    pub tenant: Option<&'a str>,
    pub status: Option<InvoiceStatus>,
    pub relay: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn get(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<Invoice>> {
    sqlx::query_as!(
        Invoice,
        r#"SELECT id, tenant, kind, period_start, period_end, amount_msat, status AS "status: InvoiceStatus", bolt11, payment_hash, expires_at,
                due_at, paid_at, created_at, updated_at, issue_error
         FROM invoices WHERE id = ?"#,
        id
    )
    .fetch_optional(db)
    .await
}

pub async fn list(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<Vec<Invoice>> {
    let status = f.status.map(InvoiceStatus::as_str);
    sqlx::query_as!(
        Invoice,
        r#"SELECT id, tenant, kind, period_start, period_end, amount_msat, status AS "status: InvoiceStatus", bolt11, payment_hash, expires_at,
                due_at, paid_at, created_at, updated_at, issue_error
         FROM invoices i
         WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR status = ?2)
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM invoice_items it WHERE it.invoice_id = i.id AND it.relay_id = ?3))
         ORDER BY created_at DESC, id
         LIMIT ?4 OFFSET ?5"#,
        f.tenant,
        status,
        f.relay,
        f.limit,
        f.offset
    )
    .fetch_all(db)
    .await
}

pub async fn count(db: impl SqliteExecutor<'_>, f: &Filter<'_>) -> sqlx::Result<i64> {
    let status = f.status.map(InvoiceStatus::as_str);
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!: i64" FROM invoices i
           WHERE (?1 IS NULL OR tenant = ?1) AND (?2 IS NULL OR status = ?2)
             AND (?3 IS NULL OR EXISTS (SELECT 1 FROM invoice_items it WHERE it.invoice_id = i.id AND it.relay_id = ?3))"#,
        f.tenant,
        status,
        f.relay
    )
    .fetch_one(db)
    .await
}

pub async fn items(db: impl SqliteExecutor<'_>, invoice_id: &str) -> sqlx::Result<Vec<Item>> {
    sqlx::query_as!(
        Item,
        r#"SELECT id AS "id!", invoice_id, relay_id, plan, description, period_start, period_end, amount_msat
         FROM invoice_items WHERE invoice_id = ? ORDER BY id"#,
        invoice_id
    )
    .fetch_all(db)
    .await
}

#[derive(serde::Serialize)]
pub struct NewInvoice<'a> {
    pub id: &'a str,
    pub tenant: &'a str,
    pub kind: &'a str,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_msat: i64,
    pub due_at: i64,
}

/// Inserts open invoices in one statement, except a period invoice whose tenant and
/// period has one already; returns the ids inserted.
pub async fn insert_many(
    db: impl SqliteExecutor<'_>,
    invoices: &[NewInvoice<'_>],
    now: i64,
) -> sqlx::Result<Vec<String>> {
    if invoices.is_empty() {
        return Ok(Vec::new());
    }
    let rows = super::json_rows(invoices)?;
    // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT.
    sqlx::query_scalar!(
        r#"INSERT INTO invoices (id, tenant, kind, period_start, period_end, amount_msat, due_at, created_at, updated_at)
           SELECT value ->> 'id', value ->> 'tenant', value ->> 'kind', value ->> 'period_start',
                  value ->> 'period_end', value ->> 'amount_msat', value ->> 'due_at', ?1, ?1
           FROM json_each(?2) WHERE true
           ON CONFLICT (tenant, period_start) WHERE kind = 'period' DO NOTHING
           RETURNING id AS "id!""#,
        now,
        rows
    )
    .fetch_all(db)
    .await
}

/// Copies the invoices' charges into their items (what the tenant sees).
pub async fn items_from_charges(db: impl SqliteExecutor<'_>, ids: &[&str]) -> sqlx::Result<()> {
    let ids = super::json_rows(ids)?;
    sqlx::query!(
        "INSERT INTO invoice_items (invoice_id, relay_id, plan, description, period_start, period_end, amount_msat)
         SELECT invoice_id, relay_id, coalesce(plan, 'free'), description, from_at, period_end, amount_msat
         FROM charges WHERE invoice_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Open → paid for those of `ids` with a zero amount (fully covered by credit). (Found by
/// id: `+status` keeps SQLite from walking every open invoice instead.)
pub async fn set_paid_if_free(
    db: impl SqliteExecutor<'_>,
    ids: &[&str],
    now: i64,
) -> sqlx::Result<()> {
    let ids = super::json_rows(ids)?;
    sqlx::query!(
        "UPDATE invoices SET status = 'paid', paid_at = ?1, updated_at = ?1
         WHERE id IN (SELECT value FROM json_each(?2)) AND +status = 'open' AND amount_msat = 0",
        now,
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Open → paid; `false` when it was not open.
pub async fn set_paid(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE invoices SET status = 'paid', paid_at = ?, lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'open'",
        now,
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open → void; `false` when it was not open.
pub async fn set_void(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE invoices SET status = 'void', lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'open'",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open invoices whose reminder is due: the grace period ends within `remind_before`.
pub async fn due_reminders(
    db: impl SqliteExecutor<'_>,
    grace: i64,
    remind_before: i64,
    now: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE status = 'open' AND amount_msat > 0 AND reminded_at IS NULL
           AND due_at + ? - ? <= ? AND due_at + ? > ? LIMIT 500",
        grace,
        remind_before,
        now,
        grace,
        now
    )
    .fetch_all(db)
    .await
}

/// Open invoices past their grace period that have not suspended anything yet.
pub async fn overdue(
    db: impl SqliteExecutor<'_>,
    grace: i64,
    now: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE status = 'open' AND amount_msat > 0 AND suspended_at IS NULL AND due_at + ? <= ? LIMIT 500",
        grace,
        now
    )
    .fetch_all(db)
    .await
}

/// Records the reminder once; `false` if it was sent already or the invoice is closed.
pub async fn set_reminded(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE invoices SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'open'",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the suspension once; `false` if it happened already or the invoice is closed.
pub async fn set_suspended(db: impl SqliteExecutor<'_>, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "UPDATE invoices SET suspended_at = ? WHERE id = ? AND suspended_at IS NULL AND status = 'open'",
        now,
        id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An open invoice that needs a (new) BOLT11.
#[derive(Debug, Clone)]
pub struct NeedsBolt11 {
    pub id: String,
    pub amount_msat: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub attempt_id: Option<i64>,
    /// Failed attempts so far, for the backoff after another.
    pub issue_attempts: i64,
}

/// Leases up to `limit` open invoices that have no BOLT11 or whose BOLT11 is about to expire.
pub async fn claim_needing_bolt11(
    db: impl SqliteExecutor<'_>,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> sqlx::Result<Vec<NeedsBolt11>> {
    sqlx::query_as!(
        NeedsBolt11,
        r#"UPDATE invoices SET lease_until = ?1
           WHERE id IN (
               SELECT id FROM (
                   SELECT id, created_at FROM (
                       SELECT id, created_at FROM invoices INDEXED BY invoices_without_bolt11
                       WHERE status = 'open' AND bolt11 IS NULL AND amount_msat > 0
                         AND coalesce(issue_next_at, 0) <= ?2 AND coalesce(lease_until, 0) < ?2
                       ORDER BY created_at LIMIT ?3)
                   UNION ALL
                   SELECT id, created_at FROM (
                       SELECT id, created_at FROM invoices INDEXED BY invoices_bolt11_expiry
                       WHERE status = 'open' AND bolt11 IS NOT NULL AND expires_at <= ?2 + 60
                         AND amount_msat > 0
                         AND coalesce(issue_next_at, 0) <= ?2 AND coalesce(lease_until, 0) < ?2
                       ORDER BY expires_at LIMIT ?3))
               ORDER BY created_at LIMIT ?3)
           RETURNING id AS "id!", amount_msat, period_start, period_end, attempt_id, issue_attempts"#,
        lease_until,
        now,
        limit
    )
    .fetch_all(db)
    .await
}

/// Records a failed attempt to get a BOLT11, when to try again, and gives back the lease.
pub async fn record_issue_failure(
    db: impl SqliteExecutor<'_>,
    id: &str,
    error: &str,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE invoices SET issue_attempts = issue_attempts + 1, issue_error = ?, issue_next_at = ?, lease_until = NULL
         WHERE id = ?",
        error,
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The BOLT11 to pay from now on.
#[derive(serde::Serialize)]
pub struct Bolt11<'a> {
    pub invoice_id: &'a str,
    pub bolt11: &'a str,
    pub payment_hash: &'a str,
    pub expires_at: i64,
    pub attempt_id: i64,
}

/// Sets each invoice's BOLT11 (if still open) in one statement and restarts its payment
/// checks and pulls; returns how many were set. (`+status`: found by id, as in [`open_among`].)
pub async fn set_bolt11_many(
    db: impl SqliteExecutor<'_>,
    b: &[Bolt11<'_>],
    now: i64,
) -> sqlx::Result<u64> {
    let rows = super::json_rows(b)?;
    let done = sqlx::query!(
        "UPDATE invoices SET bolt11 = b.value ->> 'bolt11', payment_hash = b.value ->> 'payment_hash',
                expires_at = b.value ->> 'expires_at', attempt_id = b.value ->> 'attempt_id', issue_attempts = 0,
                issue_error = NULL, issue_next_at = NULL, lease_until = NULL, check_attempts = 0, check_next_at = ?1 + 10,
                pull_next_at = coalesce(pull_next_at, ?1), updated_at = ?1
         FROM json_each(?2) AS b
         WHERE invoices.id = b.value ->> 'invoice_id' AND +invoices.status = 'open'",
        now,
        rows
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Those of `ids` that are still open. (Looked up by id: `+status` keeps SQLite from
/// walking every open invoice instead.)
pub async fn open_among(db: impl SqliteExecutor<'_>, ids: &[&str]) -> sqlx::Result<Vec<Invoice>> {
    let ids = super::json_rows(ids)?;
    sqlx::query_as!(
        Invoice,
        r#"SELECT id, tenant, kind, period_start, period_end, amount_msat, status AS "status: InvoiceStatus", bolt11, payment_hash, expires_at,
                due_at, paid_at, created_at, updated_at, issue_error
         FROM invoices WHERE id IN (SELECT value FROM json_each(?)) AND +status = 'open'"#,
        ids
    )
    .fetch_all(db)
    .await
}

/// An open invoice's current BOLT11 whose payment check is due.
pub struct DueCheck {
    pub attempt: super::payment_attempts::Attempt,
    /// Checks so far that found it unpaid, for the backoff after another.
    pub check_attempts: i64,
}

/// Open invoices whose payment check is due, with their current BOLT11.
pub async fn due_checks(
    db: impl SqliteExecutor<'_>,
    now: i64,
    limit: i64,
) -> sqlx::Result<Vec<DueCheck>> {
    let rows = sqlx::query!(
        r#"SELECT a.id AS "attempt_id!", a.invoice_id, a.payment_hash, a.bolt11, a.expires_at, a.state,
                  i.check_attempts
           FROM invoices i JOIN payment_attempts a ON a.id = i.attempt_id
           WHERE i.status = 'open' AND a.state = 'open' AND coalesce(i.check_next_at, 0) <= ?
           LIMIT ?"#,
        now,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DueCheck {
            attempt: super::payment_attempts::Attempt {
                attempt_id: r.attempt_id,
                invoice_id: r.invoice_id,
                payment_hash: r.payment_hash,
                bolt11: r.bolt11,
                expires_at: r.expires_at,
                state: r.state,
            },
            check_attempts: r.check_attempts,
        })
        .collect())
}

/// Records an unpaid check of an open invoice and when to look again.
pub async fn record_check(db: impl SqliteExecutor<'_>, id: &str, next_at: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE invoices SET check_attempts = check_attempts + 1, check_next_at = ? WHERE id = ? AND status = 'open'",
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An open invoice to pull from its tenant's wallet.
pub struct DuePull {
    pub id: String,
    pub tenant: String,
    pub enc: Vec<u8>,
    pub attempt_id: i64,
    pub payment_hash: String,
    pub bolt11: String,
    pub expires_at: i64,
    pub state: String,
}

/// Invoices whose tenant pays automatically and whose pull is due.
pub async fn due_pulls(
    db: impl SqliteExecutor<'_>,
    now: i64,
    limit: i64,
) -> sqlx::Result<Vec<DuePull>> {
    sqlx::query_as!(
        DuePull,
        r#"SELECT i.id, i.tenant, t.nwc_url_enc AS "enc!", a.id AS "attempt_id!", a.payment_hash, a.bolt11, a.expires_at, a.state
           FROM invoices i JOIN tenants t ON t.pubkey = i.tenant JOIN payment_attempts a ON a.id = i.attempt_id
           WHERE i.status = 'open' AND t.nwc_url_enc IS NOT NULL AND a.state = 'open' AND a.expires_at > ?1 + 60
             AND i.pull_next_at IS NOT NULL AND i.pull_next_at <= ?1
           LIMIT ?2"#,
        now,
        limit
    )
    .fetch_all(db)
    .await
}

pub async fn set_pull_next(
    db: impl SqliteExecutor<'_>,
    id: &str,
    next_at: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE invoices SET pull_next_at = ? WHERE id = ?",
        next_at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Puts the next pull off until `at`, never earlier than it already is (a pull that
/// reached the tenant's wallet waits its day).
pub async fn postpone_pull(db: impl SqliteExecutor<'_>, id: &str, at: i64) -> sqlx::Result<()> {
    sqlx::query!(
        "UPDATE invoices SET pull_next_at = MAX(coalesce(pull_next_at, 0), ?) WHERE id = ?",
        at,
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives back every invoice lease (shutdown: one process per database).
pub async fn release_leases(db: impl SqliteExecutor<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "UPDATE invoices SET lease_until = NULL WHERE status = 'open' AND lease_until IS NOT NULL"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
