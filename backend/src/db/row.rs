//! One row mapping for both drivers: a record that is read through sqlx (inside write
//! transactions) and through the query-only [`super::Reader`] (rusqlite) is mapped once,
//! by column position, against one column list.

use std::str::FromStr;

use sqlx::Row as _;

/// A result row of either driver, read by column position.
pub trait Columns {
    type Error;
    fn text(&self, i: usize) -> Result<String, Self::Error>;
    fn maybe_text(&self, i: usize) -> Result<Option<String>, Self::Error>;
    fn int(&self, i: usize) -> Result<i64, Self::Error>;
    fn maybe_int(&self, i: usize) -> Result<Option<i64>, Self::Error>;
    /// A stored value outside the set the schema allows.
    fn invalid(&self, i: usize, value: String) -> Self::Error;

    /// A text column holding one value of `T` (a status).
    fn parsed<T: FromStr>(&self, i: usize) -> Result<T, Self::Error> {
        let value = self.text(i)?;
        value.parse().map_err(|_| self.invalid(i, value))
    }

    fn maybe_parsed<T: FromStr>(&self, i: usize) -> Result<Option<T>, Self::Error> {
        match self.maybe_text(i)? {
            None => Ok(None),
            Some(value) => value.parse().map(Some).map_err(|_| self.invalid(i, value)),
        }
    }
}

impl Columns for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn text(&self, i: usize) -> rusqlite::Result<String> {
        self.get(i)
    }
    fn maybe_text(&self, i: usize) -> rusqlite::Result<Option<String>> {
        self.get(i)
    }
    fn int(&self, i: usize) -> rusqlite::Result<i64> {
        self.get(i)
    }
    fn maybe_int(&self, i: usize) -> rusqlite::Result<Option<i64>> {
        self.get(i)
    }
    // Parsed from the row's own text, without a copy.
    fn parsed<T: FromStr>(&self, i: usize) -> rusqlite::Result<T> {
        let value = self.get_ref(i)?.as_str()?;
        value
            .parse()
            .map_err(|_| self.invalid(i, value.to_string()))
    }
    fn maybe_parsed<T: FromStr>(&self, i: usize) -> rusqlite::Result<Option<T>> {
        match self.get_ref(i)?.as_str_or_null()? {
            None => Ok(None),
            Some(value) => value
                .parse()
                .map(Some)
                .map_err(|_| self.invalid(i, value.to_string())),
        }
    }
    fn invalid(&self, i: usize, value: String) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unexpected value {value:?}").into(),
        )
    }
}

impl Columns for sqlx::sqlite::SqliteRow {
    type Error = sqlx::Error;
    fn text(&self, i: usize) -> sqlx::Result<String> {
        self.try_get(i)
    }
    fn maybe_text(&self, i: usize) -> sqlx::Result<Option<String>> {
        self.try_get(i)
    }
    fn int(&self, i: usize) -> sqlx::Result<i64> {
        self.try_get(i)
    }
    fn maybe_int(&self, i: usize) -> sqlx::Result<Option<i64>> {
        self.try_get(i)
    }
    fn invalid(&self, i: usize, value: String) -> sqlx::Error {
        sqlx::Error::ColumnDecode {
            index: i.to_string(),
            source: format!("unexpected value {value:?}").into(),
        }
    }
}
