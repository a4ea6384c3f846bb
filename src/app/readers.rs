//! Reading in parallel: on a file database, a costly read can run on a
//! connection of its own beside the main one (WAL readers never block each
//! other, and see the last committed state). Each connection sees the state
//! committed when it starts reading: an import committing between the two
//! reads of one run shows in one and not yet in the other (the next run sees
//! both). `health score` holds the write lock while it reads, so what it
//! stores is consistent.

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::{Connection, OpenFlags};

/// The file behind `conn`, if a side reader can open it: none for an
/// in-memory database, nor for a read-only one (opened immutable on a
/// read-only filesystem, where a second connection could not read the WAL).
pub fn path_of(conn: &Connection) -> Option<PathBuf> {
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return None;
    }
    conn.path().filter(|p| !p.is_empty()).map(PathBuf::from)
}

/// A read-only connection to `path` with a small page cache (2 MiB): a side
/// reader scans once, it needs no large cache (4 MiB cost 7 MB of peak RSS
/// in `today` and the plan on a 100,000-customer book, for no time measured).
pub fn open(path: &std::path::Path) -> Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(crate::store::busy_timeout())?;
    c.pragma_update(None, "cache_size", -2_048)?;
    Ok(c)
}

/// A second reader of `conn`'s file (see [`open`]), when it is a file
/// opened for writing: for rows read beside the others.
pub fn side_reader(conn: &Connection) -> Result<Option<Connection>> {
    path_of(conn).map(|p| open(&p)).transpose()
}

/// Shrinks the page cache of a connection that only scans (4 MiB): a
/// sequential read gains nothing from the 32 MiB an import wants, and a
/// 100,000-customer morning stays in bounded memory.
pub fn scan_only(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -4_096)?;
    Ok(())
}

/// Runs `job` on a side connection in a scoped thread when `conn` is a file,
/// else on `conn` itself once `join` is called.
pub fn beside<'s, 'c: 's, T: Send + 's>(
    scope: &'s std::thread::Scope<'s, '_>,
    conn: &'c Connection,
    job: impl FnOnce(&Connection) -> Result<T> + Send + 's,
) -> Side<'s, 'c, T> {
    match path_of(conn) {
        Some(p) => Side::Thread(scope.spawn(move || job(&open(&p)?))),
        None => Side::Here(conn, Box::new(job)),
    }
}

/// A read to run later on the main connection.
type Job<'s, T> = Box<dyn FnOnce(&Connection) -> Result<T> + Send + 's>;

/// A read started by [`beside`].
pub enum Side<'s, 'c, T> {
    Thread(std::thread::ScopedJoinHandle<'s, Result<T>>),
    Here(&'c Connection, Job<'s, T>),
}

impl<T> Side<'_, '_, T> {
    pub fn join(self) -> Result<T> {
        match self {
            // unreachable from the CLI: a reader thread fails this way only by panicking (a bug).
            Side::Thread(h) => h.join().map_err(|_| anyhow::anyhow!("a side reader failed"))?,
            Side::Here(conn, job) => job(conn),
        }
    }
}
