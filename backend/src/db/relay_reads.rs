//! The relay reads behind the API's hot paths (the list and the ownership check), on the
//! [`Reader`](super::Reader). Reads inside a write transaction use [`super::relays::get`].

use rusqlite::{Connection, OptionalExtension, Row, ToSql, params};

use super::relays::{ONE, Relay, relay_columns};
use crate::domain::relay_fields::NAME_MAX;
use crate::domain::status::{RelayStatus, SyncState};

macro_rules! matching {
    () => {
        "(?2 IS NULL OR name LIKE ?2 ESCAPE '\\' OR subdomain LIKE ?2 ESCAPE '\\')
         AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR plan = ?4)
         AND (?7 IS NULL
              OR (?7 = 'synced' AND synced_version >= desired_version)
              OR (?7 = 'failing' AND synced_version < desired_version AND sync_error IS NOT NULL)
              OR (?7 = 'pending' AND synced_version < desired_version AND sync_error IS NULL))
         AND (?8 IS NULL OR ?8 = 0
              OR member_count > (SELECT max_members FROM plans WHERE plans.id = relays.plan))"
    };
}

/// The relays whose name or subdomain holds the trigram phrase `?9`.
macro_rules! found {
    () => {
        "SELECT rowid FROM relays_search WHERE relays_search MATCH ?9"
    };
}

/// One tenant's relays: a range of the `relays_tenant` index.
const TENANT_PAGE: &str = concat!(
    "SELECT ",
    relay_columns!(),
    " FROM relays WHERE tenant = ?1 AND ",
    matching!(),
    " ORDER BY created_at DESC, id LIMIT ?5 OFFSET ?6"
);
const TENANT_COUNT: &str = concat!(
    "SELECT count(*) FROM relays WHERE tenant = ?1 AND ",
    matching!()
);
/// Everyone's relays (admins), which may walk the table. `?1` is bound to NULL, so both
/// shapes take the same parameters.
const ALL_PAGE: &str = concat!(
    "SELECT ",
    relay_columns!(),
    " FROM relays WHERE ?1 IS NULL AND ",
    matching!(),
    " ORDER BY created_at DESC, id LIMIT ?5 OFFSET ?6"
);
const ALL_COUNT: &str = concat!(
    "SELECT count(*) FROM relays WHERE ?1 IS NULL AND ",
    matching!()
);
/// Everyone's relays with the search text in the name or subdomain, read from the rows the
/// trigram index finds for the phrase `?9` (the `LIKE` of `matching!` still decides, so both
/// shapes answer alike).
const FOUND_PAGE: &str = concat!(
    "SELECT ",
    relay_columns!(),
    " FROM relays WHERE ?1 IS NULL AND rowid IN (",
    found!(),
    ") AND ",
    matching!(),
    " ORDER BY created_at DESC, id LIMIT ?5 OFFSET ?6"
);
const FOUND_COUNT: &str = concat!(
    "SELECT count(*) FROM relays WHERE ?1 IS NULL AND rowid IN (",
    found!(),
    ") AND ",
    matching!()
);
/// How many relays the trigram index finds for a phrase, up to a bound.
const FOUND_UP_TO: &str =
    "SELECT count(*) FROM (SELECT rowid FROM relays_search WHERE relays_search MATCH ?1 LIMIT ?2)";
/// Up to how many found relays a search reads through the index.
const FEW: i64 = 1_000;
/// Everyone's relays, or everyone's with one status: the counts the triggers keep.
const ALL_TOTAL: &str =
    "SELECT coalesce(sum(n), 0) FROM relay_counts WHERE ?1 IS NULL OR status = ?1";
/// Whether the relay on a subdomain is active: one probe of the subdomain's unique index.
const ACTIVE_SUBDOMAIN: &str =
    "SELECT EXISTS (SELECT 1 FROM relays WHERE subdomain = ?1 AND status = 'active')";

/// Which relays a list shows, and which page of them.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// One tenant's relays (hex pubkey); `None`: everyone's.
    pub tenant: Option<String>,
    /// Part of the name or subdomain.
    pub search: Option<String>,
    pub status: Option<RelayStatus>,
    pub plan: Option<String>,
    /// Whether zooid serves the latest configuration.
    pub sync: Option<SyncState>,
    /// Only relays with more members than their plan allows.
    pub over_limit: bool,
    pub limit: i64,
    pub offset: i64,
}

/// How far down the newest-first index a page of everyone's relays may reach and still be
/// read inline.
const INLINE_REACH: i64 = 1_000;

impl Filter {
    /// Whether an index bounds the read, so it may run inline ([`super::Reader::read`]): one
    /// tenant's relays, or a page near the front of everyone's with no filter (the newest-first
    /// index walks `offset + limit` entries, and the total is kept by triggers).
    pub fn is_bounded(&self) -> bool {
        self.tenant.is_some()
            || (self.by_status_only()
                && self.status.is_none()
                && self.offset + self.limit <= INLINE_REACH)
    }

    /// No filter but perhaps the status: the total is one of the trigger-kept counts.
    fn by_status_only(&self) -> bool {
        self.tenant.is_none()
            && self.search.is_none()
            && self.plan.is_none()
            && self.sync.is_none()
            && !self.over_limit
    }
}

/// A page of relays, newest first, and the number of all matches when `count` asks for it
/// (`count` gets the page's length and says whether that is not enough to tell), both from
/// one snapshot.
pub fn page(
    conn: &Connection,
    f: &Filter,
    count: impl FnOnce(usize) -> bool,
) -> rusqlite::Result<(Vec<Relay>, Option<i64>)> {
    super::reader::snapshot(conn, |conn| page_and_total(conn, f, count))
}

fn page_and_total(
    conn: &Connection,
    f: &Filter,
    count: impl FnOnce(usize) -> bool,
) -> rusqlite::Result<(Vec<Relay>, Option<i64>)> {
    // No name or subdomain is longer than a name may be, so longer text finds nothing; answering
    // at once bounds the work a long `q` asks of the index or the walk.
    if f.search
        .as_deref()
        .is_some_and(|t| t.chars().count() > NAME_MAX)
    {
        return Ok((Vec::new(), count(0).then_some(0)));
    }
    let phrase = f
        .search
        .as_deref()
        .filter(|_| f.tenant.is_none())
        .and_then(trigram_phrase);
    let found = match &phrase {
        Some(phrase) => found_few(conn, phrase)?,
        None => false,
    };
    let (page_sql, count_sql) = if f.tenant.is_some() {
        (TENANT_PAGE, TENANT_COUNT)
    } else if found {
        (FOUND_PAGE, FOUND_COUNT)
    } else {
        (ALL_PAGE, ALL_COUNT)
    };
    // The shapes share the first eight parameters; the indexed search adds its phrase.
    let arity = if found { 9 } else { 8 };
    let pattern = f.search.as_deref().map(super::contains_pattern);
    let status = f.status.map(RelayStatus::as_str);
    let sync = f.sync.map(SyncState::as_str);
    // The counts read no page, so `?5` and `?6` bind to nothing there.
    let args: [&dyn ToSql; 9] = [
        &f.tenant,
        &pattern,
        &status,
        &f.plan,
        &f.limit,
        &f.offset,
        &sync,
        &f.over_limit,
        &phrase,
    ];
    let items = conn
        .prepare_cached(page_sql)?
        .query_map(&args[..arity], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = if !count(items.len()) {
        None
    } else if f.by_status_only() {
        Some(
            conn.prepare_cached(ALL_TOTAL)?
                .query_row([status], |r| r.get(0))?,
        )
    } else {
        let n = conn
            .prepare_cached(count_sql)?
            .query_row(&args[..arity], |r| r.get(0))?;
        Some(n)
    };
    Ok((items, total))
}

/// Whether the trigram index finds at most [`FEW`] relays for `phrase`: then the page is read
/// from those, else (the text is in most names) the newest-first walk meets fifty matches soon.
fn found_few(conn: &Connection, phrase: &str) -> rusqlite::Result<bool> {
    let found: i64 = conn
        .prepare_cached(FOUND_UP_TO)?
        .query_row(params![phrase, FEW + 1], |r| r.get(0))?;
    Ok(found <= FEW)
}

/// The search text as one trigram phrase, or `None` when it is shorter than a trigram (the
/// index finds nothing for those, so the walk answers).
fn trigram_phrase(text: &str) -> Option<String> {
    (text.chars().count() >= 3).then(|| format!("\"{}\"", text.replace('"', "\"\"")))
}

/// The relay with this id, by primary key.
pub fn get(conn: &Connection, id: &str) -> rusqlite::Result<Option<Relay>> {
    conn.prepare_cached(ONE)?
        .query_row([id], from_row)
        .optional()
}

/// Whether `subdomain` is an `active` relay's (the hosts TLS certificates are issued for).
pub fn is_active_subdomain(conn: &Connection, subdomain: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(ACTIVE_SUBDOMAIN)?
        .query_row([subdomain], |r| r.get(0))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Relay> {
    Relay::read(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statements are checked against the migrated schema, as `query!` checks the others:
    /// each prepares, and the selected columns are the ones [`from_row`] reads, in its order.
    #[tokio::test]
    async fn statements_fit_the_schema() {
        let (_dir, _pool, reader) = crate::db::reader::scratch().await;
        let expected: Vec<String> = relay_columns!()
            .split(',')
            .map(|c| c.trim().to_string())
            .collect();
        reader
            .read(|conn| {
                for sql in [TENANT_PAGE, ALL_PAGE, FOUND_PAGE, ONE] {
                    let stmt = conn.prepare(sql)?;
                    let got: Vec<String> =
                        stmt.column_names().iter().map(|c| c.to_string()).collect();
                    assert_eq!(got, expected, "{sql}");
                }
                for sql in [
                    TENANT_COUNT,
                    ALL_COUNT,
                    FOUND_COUNT,
                    FOUND_UP_TO,
                    ALL_TOTAL,
                    ACTIVE_SUBDOMAIN,
                ] {
                    assert_eq!(conn.prepare(sql)?.column_count(), 1);
                }
                // A search through the index reads the rows it finds, not the table.
                let plan: Vec<String> = conn
                    .prepare(&format!("EXPLAIN QUERY PLAN {FOUND_PAGE}"))?
                    .query_map(rusqlite::params_from_iter([None::<i64>; 9]), |r| r.get(3))?
                    .collect::<rusqlite::Result<_>>()?;
                assert!(
                    plan.iter()
                        .any(|p| p.starts_with("SEARCH relays USING INTEGER PRIMARY KEY"))
                        && !plan.iter().any(|p| p.starts_with("SCAN relays ")),
                    "{plan:#?}"
                );
                // `from_row` reads the types the schema stores: an empty table says nothing,
                // so the integration tests read real rows through every path.
                Ok(())
            })
            .unwrap();
    }
}
