//! One handle over SQLite or PostgreSQL. Repositories write their SQL once (portable subset,
//! `$N` placeholders) and run it through `Conn`, which dispatches to the backend.

use chrono::NaiveDate;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{AssertSqlSafe, FromRow, PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::cell::Cell;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// An aggregate joining the text `expr` of a group's rows with commas (NULL for no rows). Large
    /// id sets (a city's 290,000 payments of a quarter) cross the driver as a few strings rather
    /// than one row each: sqlx-sqlite hands every row across threads.
    pub fn join_ids(self, expr: &str) -> String {
        match self {
            Backend::Sqlite => format!("group_concat({expr}, ',')"),
            Backend::Postgres => format!("string_agg({expr}, ',')"),
        }
    }
}

/// The ids of a [`Backend::join_ids`] aggregate.
pub fn split_ids(joined: Option<&str>) -> impl Iterator<Item = &str> {
    joined.unwrap_or("").split(',').filter(|s| !s.is_empty())
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// A bound value. Repositories build argument lists with `args![…]`.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    Date(Option<NaiveDate>),
    Bytes(Vec<u8>),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<Vec<u8>> for Arg {
    fn from(v: Vec<u8>) -> Self {
        Arg::Bytes(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Arg::Bool(v)
    }
}
impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Arg {
    fn from(v: Option<NaiveDate>) -> Self {
        Arg::Date(v)
    }
}
macro_rules! from_display {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg { fn from(v: $t) -> Self { Arg::Text(Some(v.to_string())) } }
        impl From<Option<$t>> for Arg { fn from(v: Option<$t>) -> Self { Arg::Text(v.map(|v| v.to_string())) } }
    )*};
}
from_display!(dangwu_domain::OrgId, dangwu_domain::MemberId, dangwu_domain::UserId);

#[macro_export]
macro_rules! args {
    ($($v:expr),* $(,)?) => { vec![$($crate::db::Arg::from($v)),*] };
}

/// A row type readable from both backends (derive `sqlx::FromRow` on the struct).
pub trait Record: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Record for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A scalar readable from both backends.
pub trait Scalar:
    for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres> + Send + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + Send
        + Unpin
{
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Text(v) => q.bind(v),
                Arg::Int(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
                Arg::Date(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Runs one statement kind on whatever executor `$ex` is, for either backend.
macro_rules! run {
    (exec, $ex:expr, $sql:expr, $args:expr) => {
        bind_all!(sqlx::query(AssertSqlSafe($sql.to_owned())), $args).execute($ex).await.map(|r| r.rows_affected())
    };
    (all, $ex:expr, $sql:expr, $args:expr) => {
        bind_all!(sqlx::query_as(AssertSqlSafe($sql.to_owned())), $args).fetch_all($ex).await
    };
    (opt, $ex:expr, $sql:expr, $args:expr) => {
        bind_all!(sqlx::query_as(AssertSqlSafe($sql.to_owned())), $args).fetch_optional($ex).await
    };
    (scalar, $ex:expr, $sql:expr, $args:expr) => {
        bind_all!(sqlx::query_scalar(AssertSqlSafe($sql.to_owned())), $args).fetch_one($ex).await
    };
}

/// A write transaction. On SQLite it starts with BEGIN IMMEDIATE so that concurrent writers
/// queue on the busy timeout instead of failing when a read lock cannot be upgraded.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

tokio::task_local! {
    static STATEMENTS: Cell<u64>;
}

/// Runs `f`, counting the statements it sends through `Reader` and `Tx`, so a test can tell a
/// list built with a fixed number of queries from one that queries per row. The count is the
/// task's own: other requests served meanwhile do not add to it.
pub async fn count_statements<F: Future>(f: F) -> (F::Output, u64) {
    STATEMENTS
        .scope(Cell::new(0), async {
            let out = f.await;
            (out, STATEMENTS.with(Cell::get))
        })
        .await
}

fn note_statement() {
    // Outside `count_statements` there is nothing to count.
    let _ = STATEMENTS.try_with(|c| c.set(c.get() + 1));
}

macro_rules! conn_methods {
    ($ty:ty, $sqlite:pat => $s:expr, $pg:pat => $p:expr) => {
        impl $ty {
            pub async fn exec(&mut self, sql: &str, args: Vec<Arg>) -> Result<u64, StoreError> {
                note_statement();
                Ok(match self { $sqlite => run!(exec, $s, sql, args)?, $pg => run!(exec, $p, sql, args)? })
            }
            pub async fn all<T: Record>(&mut self, sql: &str, args: Vec<Arg>) -> Result<Vec<T>, StoreError> {
                note_statement();
                Ok(match self { $sqlite => run!(all, $s, sql, args)?, $pg => run!(all, $p, sql, args)? })
            }
            pub async fn opt<T: Record>(&mut self, sql: &str, args: Vec<Arg>) -> Result<Option<T>, StoreError> {
                note_statement();
                Ok(match self { $sqlite => run!(opt, $s, sql, args)?, $pg => run!(opt, $p, sql, args)? })
            }
            pub async fn scalar<T: Scalar>(&mut self, sql: &str, args: Vec<Arg>) -> Result<T, StoreError> {
                note_statement();
                Ok(match self { $sqlite => run!(scalar, $s, sql, args)?, $pg => run!(scalar, $p, sql, args)? })
            }
        }
    };
}

conn_methods!(Tx, Tx::Sqlite(t) => &mut **t, Tx::Pg(t) => &mut **t);

/// Reads straight from the pool (no transaction): `db.read().all(...)`.
pub struct Reader<'a>(&'a Db);
conn_methods!(Reader<'_>, Reader(Db::Sqlite(p)) => &*p, Reader(Db::Pg(p)) => &*p);

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Pg(t) => t.commit().await?,
        }
        Ok(())
    }
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Pg(_) => Backend::Postgres,
        }
    }
}

impl Db {
    /// Opens (creating if needed) `DIR/dangwu.db` in WAL mode with full fsync on commit,
    /// so a killed process or a power cut loses no acknowledged write.
    pub async fn open_sqlite(dir: &Path) -> Result<Db, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(format!("无法创建数据目录 {}：{e}", dir.display())))?;
        let opts = SqliteConnectOptions::new()
            .filename(dir.join("dangwu.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Reads through a shared mapping instead of copying each page into a small cache per
            // connection (a city's report and compliance read hundreds of MB at random; pread
            // copies were a fifth of their time). Writes still go through the journal.
            .pragma("mmap_size", "2147418112");
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await?;
        Ok(Db::Sqlite(pool))
    }

    pub async fn open_pg(url: &str) -> Result<Db, StoreError> {
        let opts = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect_with(opts).await?;
        Ok(Db::Pg(pool))
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Pg(p) => PG_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Pg(_) => Backend::Postgres,
        }
    }

    pub fn read(&self) -> Reader<'_> {
        Reader(self)
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    /// Refreshes the planner's statistics after a bulk write (`None`: every table). PostgreSQL's
    /// autovacuum analyzes only after a delay; until then a branch that just received 100,000
    /// imported members was estimated at 7 rows, and each roster page sorted the whole branch
    /// (2 s a page). SQLite keeps no statistics unless asked and plans without them, so it is
    /// left as is.
    pub async fn refresh_statistics(&self, tables: Option<&[&str]>) -> Result<(), StoreError> {
        if let Db::Pg(p) = self {
            let sql = match tables {
                Some(t) => format!("ANALYZE {}", t.join(", ")),
                None => "ANALYZE".to_owned(),
            };
            sqlx::query(AssertSqlSafe(sql)).execute(p).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }

    /// Tables and their columns in order, for the schema-parity check.
    pub async fn schema(&self) -> Result<Vec<(String, String)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Col {
            t: String,
            c: String,
        }
        let sql = match self {
            Db::Sqlite(_) => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY m.name, p.cid"
            }
            Db::Pg(_) => {
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' ORDER BY table_name, ordinal_position"
            }
        };
        let cols: Vec<Col> = self.read().all(sql, vec![]).await?;
        Ok(cols.into_iter().map(|c| (c.t, c.c)).collect())
    }

    /// Consistent online copy of the SQLite database (`VACUUM INTO`). PostgreSQL uses pg_dump.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(p) => {
                if dest.exists() {
                    return Err(StoreError::Io(format!("备份文件 {} 已存在，请换一个文件名", dest.display())));
                }
                let dest = dest.to_str().ok_or_else(|| StoreError::Io("备份文件路径须为 UTF-8".into()))?;
                sqlx::query("VACUUM INTO $1").bind(dest).execute(p).await?;
                Ok(())
            }
            Db::Pg(_) => Err(StoreError::Io(
                "PostgreSQL 请使用 pg_dump 备份：pg_dump -Fc -f dangwu.dump \"$DANGWU_DATABASE_URL\"（见 README）".into(),
            )),
        }
    }
}

/// Current instant in unix milliseconds (how instants are stored on both backends).
/// Creates (or drops, `create = false`) database `name` on the PostgreSQL server of `admin_url`:
/// for benchmarks and tests that need a fresh database. `name` must be a plain identifier.
pub async fn pg_admin_database(admin_url: &str, name: &str, create: bool) -> Result<(), StoreError> {
    use sqlx::Connection;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(StoreError::Io(format!("数据库名“{name}”只能包含小写字母、数字和下划线")));
    }
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let sql = if create { format!("CREATE DATABASE {name}") } else { format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)") };
    sqlx::query(AssertSqlSafe(sql)).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// `url` with its database name replaced by `db` (query string kept): the URL of a database that
/// `pg_admin_database` created next to the admin one.
pub fn pg_url_with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Constant-time comparison of two short secrets (tokens in URLs).
pub fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced_and_query_kept() {
        assert_eq!(super::pg_url_with_database("postgres://u@h:5432/postgres", "b"), "postgres://u@h:5432/b");
        assert_eq!(super::pg_url_with_database("postgres://u@h/postgres?sslmode=disable", "b"), "postgres://u@h/b?sslmode=disable");
        assert_eq!(super::pg_url_with_database("postgres://u@h", "b"), "postgres://u@h/b");
    }
}
