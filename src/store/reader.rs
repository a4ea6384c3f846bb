//! Reading a database without writing anything beside it: the probe that
//! decides whether a file is csf's before any write, and the reader of a
//! read-only file or filesystem. Neither takes a write lock, checkpoints a
//! WAL, creates a `-wal` or `-shm`, nor writes to an existing `-shm`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};

/// `PATH` with SQLite's suffix (`-wal`, `-shm`, `-journal`) appended.
pub fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A `-wal` beside `path` that holds frames (committed rows, perhaps).
fn has_wal(path: &Path) -> bool {
    std::fs::metadata(companion(path, "-wal")).is_ok_and(|m| m.len() > 0)
}

/// A read-only connection that sees every committed row, WAL included:
/// - no WAL with frames: the main file as immutable (no lock, nothing created);
/// - a WAL and its `-shm`: a read-only connection that opens the `-shm`
///   read-only (`readonly_shm`), so not even a reader's mark is written;
/// - a WAL without its `-shm` (a copy, a read-only folder): a private
///   snapshot of the file and its WAL in a temporary folder, the WAL folded
///   in there, read as immutable; the folder is removed at once (the open
///   file stays readable until the connection closes).
pub fn open_reader(path: &Path) -> Result<Connection> {
    if !has_wal(path) {
        return open_immutable(path);
    }
    if companion(path, "-shm").exists() {
        let uri = format!("file:{}?readonly_shm=1", encode_uri_path(path));
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("could not open the database {} read-only", path.display()))?;
        no_checkpoint_on_close(&conn)?;
        conn.busy_timeout(super::busy_timeout())?;
        match conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => return Ok(conn),
            Err(e) if is_read_only(&e) => {}
            Err(e) => {
                return Err(e).with_context(|| format!("{} is not a usable SQLite database", path.display()))
            }
        }
    }
    snapshot(path)
}

/// The file and its WAL copied into a private temporary folder, the WAL
/// checkpointed into the copy, the copy opened as immutable.
fn snapshot(path: &Path) -> Result<Connection> {
    let dir = tempfile::Builder::new()
        .prefix("csf-snapshot-")
        .tempdir()
        .context("could not make a temporary folder to read the database's WAL in")?;
    let copy = dir.path().join("snapshot.db");
    let why = || {
        format!(
            "cannot read {}: its WAL ({}) holds committed rows that SQLite cannot read here \
             (no -shm beside it and its folder cannot be written), and copying both to a \
             temporary folder failed; nothing was read — copy {} and {} to a writable folder \
             and use that copy",
            path.display(),
            companion(path, "-wal").display(),
            path.display(),
            companion(path, "-wal").display()
        )
    };
    std::fs::copy(path, &copy).with_context(why)?;
    std::fs::copy(companion(path, "-wal"), companion(&copy, "-wal")).with_context(why)?;
    {
        let c = Connection::open(&copy).with_context(why)?;
        // Folds the WAL into the copy; closing the last connection removes it.
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).with_context(why)?;
    }
    let conn = open_immutable(&copy)?;
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .with_context(|| format!("{} is not a usable SQLite database", path.display()))?;
    drop(dir); // the open file is read through its descriptor
    Ok(conn)
}

/// Closing never checkpoints (and so never removes) a WAL that is not ours.
fn no_checkpoint_on_close(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

/// A read failed because the file or its folder cannot be written (the WAL
/// index cannot be made on a read-only filesystem).
pub(super) fn is_read_only(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen))
}

/// The file as immutable and read-only: no lock, no WAL index, no journal.
fn open_immutable(path: &Path) -> Result<Connection> {
    let uri = format!("file:{}?immutable=1", encode_uri_path(path));
    let conn = Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("could not open the database {}", path.display()))?;
    Ok(conn)
}

/// A path as a `file:` URI path: `%`, `?` and `#` escaped.
fn encode_uri_path(path: &Path) -> String {
    let mut o = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => o.push_str(&format!("%{:02X}", c as u32)),
            c => o.push(c),
        }
    }
    o
}
